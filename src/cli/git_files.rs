//! The files of one git revision, read through one `git cat-file --batch`
//! process: started once, asked for each file in turn. A `git show` per
//! file starts a process per file, most of the time of a baseline of a
//! thousand schemas.

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

pub struct GitFiles {
    /// The directory git runs in; paths are relative to it.
    dir: PathBuf,
    rev: String,
    /// Started at the first read; `None` again after a failure, so the
    /// next read starts afresh.
    batch: RefCell<Option<Batch>>,
}

struct Batch {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl GitFiles {
    pub fn new(dir: PathBuf, rev: String) -> GitFiles {
        GitFiles {
            dir,
            rev,
            batch: RefCell::new(None),
        }
    }

    pub fn rev(&self) -> &str {
        &self.rev
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file's text; `None` when the revision has no such file (or it
    /// is not UTF-8, or git fails).
    pub fn read(&self, path: &Path) -> Option<String> {
        let mut slot = self.batch.borrow_mut();
        if slot.is_none() {
            *slot = Some(Batch::start(&self.dir).ok()?);
        }
        let batch = slot.as_mut()?;
        // `REV:./path` is resolved from the directory git runs in.
        let name = format!("{}:./{}", self.rev, path.to_string_lossy());
        match batch.blob(&name) {
            Ok(blob) => blob.and_then(|bytes| String::from_utf8(bytes).ok()),
            Err(_) => {
                *slot = None;
                None
            }
        }
    }
}

impl Batch {
    fn start(dir: &Path) -> std::io::Result<Batch> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let input = child.stdin.take().expect("piped stdin");
        let output = BufReader::new(child.stdout.take().expect("piped stdout"));
        Ok(Batch {
            child,
            input,
            output,
        })
    }

    /// The object's bytes when it is a blob; `Ok(None)` when it is missing
    /// or not a file. Answers are `<oid> <type> <size>\n<bytes>\n`, or
    /// `<name> missing\n`.
    fn blob(&mut self, name: &str) -> std::io::Result<Option<Vec<u8>>> {
        writeln!(self.input, "{name}")?;
        self.input.flush()?;
        let mut header = String::new();
        self.output.read_line(&mut header)?;
        let mut fields = header.trim_end().rsplitn(3, ' ');
        let (Some(size), Some(kind)) = (fields.next(), fields.next()) else {
            return Err(std::io::ErrorKind::InvalidData.into());
        };
        let Ok(size) = size.parse::<usize>() else {
            // `missing` or `ambiguous`: no content follows.
            return Ok(None);
        };
        let mut bytes = vec![0; size + 1];
        self.output.read_exact(&mut bytes)?;
        bytes.truncate(size);
        Ok((kind == "blob").then_some(bytes))
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Nothing is left to read from it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
