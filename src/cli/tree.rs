//! Where schema files are read from: a directory (the working tree, or a
//! baseline checked out elsewhere) or a git revision, read with `git
//! cat-file`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::git_files::GitFiles;

/// A set of files addressed by paths relative to the manifest's directory.
pub enum Tree {
    Dir(PathBuf),
    /// A revision of the repository holding the manifest's directory;
    /// paths relative to that directory.
    Git(GitFiles),
}

impl Tree {
    /// `REF` of `--against`: `git:REV`, or a directory whose layout matches
    /// the working tree's. `root` is the manifest's directory. An error is
    /// a baseline that cannot be reached (exit code 3).
    pub fn baseline(reference: &str, root: &Path) -> Result<Tree, String> {
        if let Some(rev) = reference.strip_prefix("git:") {
            let dir = super::working_dir(root);
            verify_revision(&dir, rev)?;
            return Ok(Tree::Git(GitFiles::new(dir, rev.to_string())));
        }
        let dir = PathBuf::from(reference);
        if !dir.is_dir() {
            return Err(format!("baseline directory {reference} does not exist"));
        }
        Ok(Tree::Dir(dir))
    }

    /// The file's text, `None` when the tree has no such file.
    pub fn read(&self, path: &Path) -> Option<String> {
        match self {
            Tree::Dir(dir) => std::fs::read_to_string(dir.join(path)).ok(),
            Tree::Git(files) => files.read(path),
        }
    }

    /// The files matching the glob `pattern`, relative to the tree's root,
    /// in path order. A path's `*` never crosses a `/`; `**` does.
    pub fn glob(&self, pattern: &str) -> Result<Vec<PathBuf>, String> {
        match self {
            Tree::Dir(dir) => {
                let paths =
                    glob::glob(&dir.join(pattern).to_string_lossy()).map_err(|e| e.to_string())?;
                paths
                    .map(|path| {
                        let path = path.map_err(|e| e.to_string())?;
                        Ok(path.strip_prefix(dir).unwrap_or(&path).to_path_buf())
                    })
                    .collect()
            }
            Tree::Git(files) => {
                let (dir, rev) = (files.dir(), files.rev());
                let pattern = glob::Pattern::new(pattern).map_err(|e| e.to_string())?;
                let options = glob::MatchOptions {
                    require_literal_separator: true,
                    ..glob::MatchOptions::new()
                };
                // Paths come relative to the directory git runs in.
                let output = Command::new("git")
                    .arg("-C")
                    .arg(dir)
                    .args(["ls-tree", "-r", "--name-only", "-z"])
                    .arg(rev)
                    .args(["--", "."])
                    .output()
                    .map_err(|e| format!("cannot run git to list git:{rev}: {e}"))?;
                if !output.status.success() {
                    return Err(format!(
                        "git ls-tree {rev}: {}",
                        String::from_utf8_lossy(&output.stderr).trim()
                    ));
                }
                let mut files: Vec<PathBuf> = output
                    .stdout
                    .split(|b| *b == 0)
                    .filter_map(|name| std::str::from_utf8(name).ok())
                    .filter(|name| pattern.matches_with(name, options))
                    .map(PathBuf::from)
                    .collect();
                files.sort();
                Ok(files)
            }
        }
    }

    /// How the tree is named in messages.
    pub fn describe(&self) -> String {
        match self {
            Tree::Dir(dir) => dir.display().to_string(),
            Tree::Git(files) => format!("git:{}", files.rev()),
        }
    }
}

/// Fails with a hint when `rev` is not a commit of the repository, the
/// usual cause being a shallow CI clone.
fn verify_revision(dir: &Path, rev: &str) -> Result<(), String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .map_err(|e| format!("cannot run git to read the baseline git:{rev}: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "git:{rev}: no such revision in the repository at {}. In a shallow clone \
         (actions/checkout fetches one commit by default) fetch it first, e.g. \
         `git fetch --depth=1 origin {rev}`, or check out with `fetch-depth: 0`",
        dir.display()
    ))
}
