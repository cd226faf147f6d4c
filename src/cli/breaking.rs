//! `treaty breaking --against REF` or `--registry URL`: each subject of the
//! working tree checked against its baseline, at the subject's level.

use std::path::PathBuf;

use treaty_compat::{
    check, CheckOptions, CompatibilityLevel, ParsedSchema, PreviousVersion, Referenced,
};

use super::locate::Locator;
use super::manifest::{self, Subject};
use super::registry::{Registry, RegistryArgs};
use super::report::{Format, Removal, Report, SubjectResult, SUBJECT_NO_DELETE};
use super::resolve::{Loader, SchemaError};
use super::tree::Tree;
use super::Failure;

#[derive(clap::Args)]
pub struct BreakingArgs {
    /// The baseline: `git:REV` (a revision of the repository holding the
    /// manifest) or a directory laid out like the working tree.
    #[arg(long, required_unless_present = "registry")]
    against: Option<String>,
    #[command(flatten)]
    registry: RegistryArgs,
    #[arg(long, default_value = "treaty.yaml")]
    manifest: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// What the working tree is compared with.
enum Baseline<'a> {
    /// The file at the same path; one version, at the manifest's level.
    Tree(Loader<'a>, &'a Tree),
    /// The subject's live versions, at the registry's level unless the
    /// manifest names one.
    Registry(Registry),
}

/// A subject's baseline versions (oldest first) and the checks to apply.
struct Previous {
    level: CompatibilityLevel,
    protobuf_wire_rules: bool,
    versions: Vec<(i32, ParsedSchema)>,
}

pub fn run(args: BreakingArgs) -> Result<u8, Failure> {
    let manifest = manifest::load(&args.manifest).map_err(Failure::Invalid)?;
    let current = Tree::Dir(super::working_dir(&manifest.root));
    let tree;
    let baseline = match (&args.against, &args.registry.registry) {
        (_, Some(url)) => Baseline::Registry(Registry::new(url, &args.registry.auth)),
        (Some(against), None) => {
            tree = Tree::baseline(against, &manifest.root).map_err(Failure::BaselineUnreachable)?;
            Baseline::Tree(Loader::for_manifest(&tree, &manifest), &tree)
        }
        (None, None) => unreachable!("clap requires --against or --registry"),
    };
    let new_loader = Loader::for_manifest(&current, &manifest);
    let mut report = Report::default();
    for subject in &manifest.subjects {
        let Some(ignored_rules) = manifest.ignored_rules(&subject.name) else {
            report.subjects.push(result(subject, "ignored"));
            continue;
        };
        let new = match new_loader.load(&subject.file, subject.schema_type) {
            Ok(Some(new)) => new,
            Ok(None) => {
                report.errors.push(super::missing(&subject.file));
                continue;
            }
            Err(error) => {
                report.errors.push(error);
                continue;
            }
        };
        match baseline.previous(subject)? {
            Ok(previous) if previous.versions.is_empty() => {
                report.subjects.push(result(subject, "new"));
            }
            Ok(previous) => {
                let text = current.read(&subject.file).unwrap_or_default();
                let new = (&new, text.as_str());
                let compared = compared(subject, new, &previous, &ignored_rules);
                report.subjects.push(compared);
            }
            Err(error) => report.errors.push(error),
        }
    }
    if let Baseline::Tree(_, tree) = &baseline {
        let held = manifest::load_baseline(&args.manifest, tree).map_err(Failure::Invalid)?;
        for subject in held.subjects {
            // A file still there but no longer in the manifest is out of
            // the check's scope, not deleted.
            let gone = current.read(&subject.file).is_none();
            if gone && !manifest.subjects.iter().any(|s| s.name == subject.name) {
                report.subjects.push(removed(&manifest, subject, tree));
            }
        }
    }
    print!("{}", report.render(args.format, &manifest.root));
    Ok(report.exit_code())
}

/// A subject of the baseline the working tree no longer has: breaking,
/// unless its level is NONE or the manifest accepts the removal.
fn removed(manifest: &manifest::Resolved, subject: Subject, tree: &Tree) -> SubjectResult {
    let accepted = manifest
        .ignored_rules(&subject.name)
        .is_none_or(|rules| rules.contains(&SUBJECT_NO_DELETE));
    let status = match (accepted, subject.level) {
        (true, _) => "ignored",
        (false, CompatibilityLevel::None) => "retired",
        (false, _) => "removed",
    };
    let message = format!(
        "subject '{}' ({}) is in the baseline {} but not in the working tree; its \
         topic's readers and writers still use it (level {})",
        subject.name,
        subject.file.display(),
        tree.describe(),
        subject.level
    );
    SubjectResult {
        removal: Some(Removal {
            rule: SUBJECT_NO_DELETE,
            level: subject.level,
            message,
        }),
        ..result(&subject, status)
    }
}

impl Baseline<'_> {
    /// The subject's baseline; a baseline schema that does not parse is a
    /// `SchemaError`, a registry that cannot answer a `Failure`.
    fn previous(&self, subject: &Subject) -> Result<Result<Previous, SchemaError>, Failure> {
        match self {
            Baseline::Tree(loader, tree) => {
                Ok(match loader.load(&subject.file, subject.schema_type) {
                    Ok(old) => Ok(Previous {
                        level: subject.level,
                        protobuf_wire_rules: subject.protobuf_wire_rules.unwrap_or(false),
                        versions: old.into_iter().map(|old| (1, old)).collect(),
                    }),
                    Err(error) => Err(in_baseline(error, &tree.describe())),
                })
            }
            Baseline::Registry(registry) => {
                from_registry(registry, subject).map_err(Failure::BaselineUnreachable)
            }
        }
    }
}

/// The versions a check at the subject's level reads: all live ones for a
/// transitive level, else the latest. The registry's settings apply where
/// the manifest names none.
fn from_registry(
    registry: &Registry,
    subject: &Subject,
) -> Result<Result<Previous, SchemaError>, String> {
    let (registry_level, registry_wire_rules) = registry.config(&subject.name)?;
    let level = match subject.level_named {
        true => subject.level,
        false => registry_level,
    };
    let protobuf_wire_rules = subject
        .protobuf_wire_rules
        .or(registry_wire_rules)
        .unwrap_or(false);
    let mut numbers = registry.versions(&subject.name)?;
    if !level.is_transitive() {
        numbers = numbers.split_off(numbers.len().saturating_sub(1));
    }
    let mut versions = Vec::new();
    for number in numbers {
        let stored = registry.version(&subject.name, number)?;
        let references: Vec<Referenced<'_>> = stored
            .references
            .iter()
            .map(|(name, text)| Referenced { name, text })
            .collect();
        match ParsedSchema::parse(stored.schema_type, &stored.text, &references) {
            Ok(schema) => versions.push((stored.version, schema)),
            Err(error) => {
                return Ok(Err(SchemaError {
                    file: subject.file.clone(),
                    location: None,
                    message: format!(
                        "in {}, '{}' version {number} does not parse: {error}",
                        registry.describe(),
                        subject.name
                    ),
                }))
            }
        }
    }
    Ok(Ok(Previous {
        level,
        protobuf_wire_rules,
        versions,
    }))
}

/// The verdict of `new` (parsed, and its text) against the baseline
/// versions, less the accepted rules.
fn compared(
    subject: &Subject,
    (new, new_text): (&ParsedSchema, &str),
    previous: &Previous,
    ignored_rules: &[&str],
) -> SubjectResult {
    let texts: Vec<String> = previous
        .versions
        .iter()
        .map(|(_, old)| old.canonical_text())
        .collect();
    let versions: Vec<PreviousVersion<'_>> = previous
        .versions
        .iter()
        .zip(&texts)
        .map(|((version, schema), text)| PreviousVersion {
            version: *version,
            schema,
            text,
        })
        .collect();
    let options = CheckOptions {
        protobuf_wire_rules: previous.protobuf_wire_rules,
        ..CheckOptions::default()
    };
    let mut verdict = check(previous.level, new, &versions, &options);
    verdict
        .findings
        .retain(|f| !ignored_rules.contains(&f.rule.id()));
    let status = if verdict.is_compatible() {
        "compatible"
    } else {
        "breaking"
    };
    let locator = Locator::new(subject.schema_type, new_text);
    SubjectResult {
        locations: verdict
            .findings
            .iter()
            .map(|f| locator.finding(f))
            .collect(),
        messages: verdict.confluent_messages(),
        verdict: Some(verdict),
        ..result(subject, status)
    }
}

fn result(subject: &Subject, status: &'static str) -> SubjectResult {
    SubjectResult::new(&subject.name, &subject.file, status)
}

fn in_baseline(error: SchemaError, baseline: &str) -> SchemaError {
    SchemaError {
        message: format!("in the baseline {baseline}: {}", error.message),
        ..error
    }
}
