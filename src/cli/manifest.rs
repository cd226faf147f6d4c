//! `treaty.yaml`: which files are which subjects, of which format, checked
//! at which level, and which findings a team has chosen to accept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use treaty_compat::{CompatibilityLevel, SchemaType};

use super::tree::Tree;

/// The manifest as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// The level of every subject that names none; BACKWARD when absent.
    compatibility: Option<String>,
    /// Files found by glob, each its own subject.
    #[serde(default)]
    schemas: Vec<GlobEntry>,
    /// Subjects named one by one.
    #[serde(default)]
    subjects: BTreeMap<String, SubjectEntry>,
    #[serde(default)]
    ignore: Vec<Ignore>,
    /// The directories Protobuf imports are relative to; the manifest's
    /// directory when absent.
    #[serde(default)]
    import_paths: Vec<PathBuf>,
    /// The default of every Protobuf subject's strict check (the server's
    /// `treatyProtobufWireRules`: Buf's wire rules and the gRPC service
    /// rules); when absent, the registry's with `--registry`, else off.
    protobuf_wire_rules: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlobEntry {
    glob: String,
    /// The subject name: `{stem}` (file name without extension), `{name}`
    /// (file name), `{dir}` (parent directory name).
    #[serde(default = "default_subject_template")]
    subject: String,
    compatibility: Option<String>,
    #[serde(rename = "type")]
    schema_type: Option<String>,
    protobuf_wire_rules: Option<bool>,
}

fn default_subject_template() -> String {
    "{stem}-value".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectEntry {
    file: PathBuf,
    compatibility: Option<String>,
    #[serde(rename = "type")]
    schema_type: Option<String>,
    protobuf_wire_rules: Option<bool>,
}

/// A subject left out of `breaking` (no `rule`) or one rule's findings
/// accepted for it; a reason is required so the choice stays explained.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    pub subject: String,
    pub rule: Option<String>,
    pub reason: String,
}

/// One subject the manifest names, resolved to its file.
#[derive(Clone, Debug)]
pub struct Subject {
    pub name: String,
    /// Relative to the manifest's directory.
    pub file: PathBuf,
    pub schema_type: SchemaType,
    pub level: CompatibilityLevel,
    /// The manifest names the level (for the subject, its glob or all
    /// subjects); else `--registry` applies the registry's.
    pub level_named: bool,
    /// Protobuf: also apply the strict rules (Buf's wire and gRPC rules);
    /// `None` when the manifest does not say: the registry's setting with
    /// `--registry`, else off.
    pub protobuf_wire_rules: Option<bool>,
}

/// The manifest with its globs expanded.
pub struct Resolved {
    /// The directory paths in the manifest are relative to.
    pub root: PathBuf,
    pub subjects: Vec<Subject>,
    pub ignores: Vec<Ignore>,
    /// Relative to `root`; never empty.
    pub import_paths: Vec<PathBuf>,
}

impl Resolved {
    /// The rules accepted for `subject`, or `None` when the whole subject
    /// is ignored.
    pub fn ignored_rules(&self, subject: &str) -> Option<Vec<&str>> {
        let mine: Vec<&Ignore> = self
            .ignores
            .iter()
            .filter(|i| i.subject == subject)
            .collect();
        if mine.iter().any(|i| i.rule.is_none()) {
            return None;
        }
        Some(mine.iter().filter_map(|i| i.rule.as_deref()).collect())
    }
}

/// Reads the manifest at `path` and expands its globs against the working
/// tree. Errors are sentences naming the manifest.
pub fn load(path: &Path) -> Result<Resolved, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the manifest: {e}", path.display()))?;
    let root = path.parent().unwrap_or(Path::new(""));
    resolve(path, &text, &Tree::Dir(super::working_dir(root)))
}

/// The subjects `tree` (a baseline) held: its own manifest's, at the same
/// place as `path`, else the working tree's, expanded against the files of
/// `tree`, as Buf builds the baseline with the baseline's configuration.
pub fn load_baseline(path: &Path, tree: &Tree) -> Result<Resolved, String> {
    let name = Path::new(path.file_name().unwrap_or_default());
    match tree.read(name) {
        Some(text) => resolve(path, &text, tree)
            .map_err(|e| format!("in the baseline {}: {e}", tree.describe())),
        None => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: cannot read the manifest: {e}", path.display()))?;
            resolve(path, &text, tree)
        }
    }
}

/// The manifest `text` read from `path`, its globs expanded in `tree`.
fn resolve(path: &Path, text: &str, tree: &Tree) -> Result<Resolved, String> {
    let manifest: Manifest = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(":{}:{}", l.line(), l.column()))
            .unwrap_or_default();
        format!("{}{at}: {e}", path.display())
    })?;
    let root = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let at = |what: String| format!("{}: {what}", path.display());
    let default_level = level(manifest.compatibility.as_deref(), None).map_err(at)?;
    let mut resolved = manifest.subjects_by_glob(tree, default_level).map_err(at)?;
    for (name, entry) in manifest.subjects {
        resolved.push(Subject {
            schema_type: schema_type(entry.schema_type.as_deref(), &entry.file).map_err(at)?,
            level: level(entry.compatibility.as_deref(), Some(default_level)).map_err(at)?,
            level_named: entry.compatibility.is_some() || manifest.compatibility.is_some(),
            protobuf_wire_rules: entry.protobuf_wire_rules.or(manifest.protobuf_wire_rules),
            name,
            file: entry.file,
        });
    }
    for ignore in &manifest.ignore {
        if ignore.reason.trim().is_empty() {
            return Err(at(format!(
                "the ignore of subject '{}' needs a reason",
                ignore.subject
            )));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for subject in &resolved {
        if !seen.insert(&subject.name) {
            return Err(at(format!(
                "subject '{}' is named by more than one file",
                subject.name
            )));
        }
    }
    Ok(Resolved {
        root,
        subjects: resolved,
        ignores: manifest.ignore,
        import_paths: if manifest.import_paths.is_empty() {
            vec![PathBuf::new()]
        } else {
            manifest.import_paths
        },
    })
}

impl Manifest {
    /// The subjects of the globs, in path order.
    fn subjects_by_glob(
        &self,
        tree: &Tree,
        default_level: CompatibilityLevel,
    ) -> Result<Vec<Subject>, String> {
        let mut found = Vec::new();
        for entry in &self.schemas {
            let files = tree
                .glob(&entry.glob)
                .map_err(|e| format!("glob '{}': {e}", entry.glob))?;
            for file in files {
                let subject = Subject {
                    name: subject_name(&entry.subject, &file),
                    schema_type: schema_type(entry.schema_type.as_deref(), &file)?,
                    level: level(entry.compatibility.as_deref(), Some(default_level))?,
                    level_named: entry.compatibility.is_some() || self.compatibility.is_some(),
                    protobuf_wire_rules: entry.protobuf_wire_rules.or(self.protobuf_wire_rules),
                    file,
                };
                found.push(subject);
            }
        }
        Ok(found)
    }
}

/// Fills a subject template from a file's path.
fn subject_name(template: &str, file: &Path) -> String {
    let part = |p: Option<&std::ffi::OsStr>| p.map(|s| s.to_string_lossy().into_owned());
    template
        .replace("{stem}", &part(file.file_stem()).unwrap_or_default())
        .replace("{name}", &part(file.file_name()).unwrap_or_default())
        .replace(
            "{dir}",
            &part(file.parent().and_then(Path::file_name)).unwrap_or_default(),
        )
}

/// The level named, else `default`, else BACKWARD.
fn level(
    name: Option<&str>,
    default: Option<CompatibilityLevel>,
) -> Result<CompatibilityLevel, String> {
    match name {
        Some(name) => name
            .parse()
            .map_err(|_| format!("unknown compatibility level '{name}'")),
        None => Ok(default.unwrap_or(CompatibilityLevel::Backward)),
    }
}

/// The format named (`AVRO`, `PROTOBUF`, `JSON`), else the one of the
/// file's extension.
pub fn schema_type(name: Option<&str>, file: &Path) -> Result<SchemaType, String> {
    if let Some(name) = name {
        return SchemaType::from_name(&name.to_ascii_uppercase())
            .ok_or_else(|| format!("unknown schema type '{name}'"));
    }
    match file.extension().and_then(|e| e.to_str()) {
        Some("avsc") => Ok(SchemaType::Avro),
        Some("proto") => Ok(SchemaType::Protobuf),
        Some("json") => Ok(SchemaType::Json),
        _ => Err(format!(
            "{}: no schema type for this extension (.avsc, .proto, .json) and none given",
            file.display()
        )),
    }
}
