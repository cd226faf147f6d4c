//! `treaty breaking --against REF` or `--registry URL`: each subject of the
//! working tree checked against its baseline, at the subject's level.

use std::path::PathBuf;

use treaty_compat::{
    check, CheckOptions, CompatibilityLevel, ParsedSchema, PreviousVersion, Referenced,
};

use super::manifest::{self, Subject};
use super::registry::{Registry, RegistryArgs};
use super::report::{Format, Report, SubjectResult};
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

/// A subject's baseline versions (oldest first) and the level to apply.
struct Previous {
    level: CompatibilityLevel,
    versions: Vec<(i32, ParsedSchema)>,
}

pub fn run(args: BreakingArgs) -> Result<u8, Failure> {
    let manifest = manifest::load(&args.manifest).map_err(Failure::Invalid)?;
    let current = Tree::Dir(super::working_dir(&manifest.root));
    let tree;
    let baseline = match (&args.against, &args.registry.registry) {
        (_, Some(url)) => Baseline::Registry(Registry::new(url, &args.registry)),
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
                report
                    .subjects
                    .push(compared(subject, &new, &previous, &ignored_rules))
            }
            Err(error) => report.errors.push(error),
        }
    }
    print!("{}", report.render(args.format, &manifest.root));
    Ok(report.exit_code())
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
/// transitive level, else the latest.
fn from_registry(
    registry: &Registry,
    subject: &Subject,
) -> Result<Result<Previous, SchemaError>, String> {
    let level = match subject.level_named {
        true => subject.level,
        false => registry.level(&subject.name)?,
    };
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
                    line: None,
                    column: None,
                    message: format!(
                        "in {}, '{}' version {number} does not parse: {error}",
                        registry.describe(),
                        subject.name
                    ),
                }))
            }
        }
    }
    Ok(Ok(Previous { level, versions }))
}

/// The verdict of `new` against the baseline versions, less the accepted
/// rules.
fn compared(
    subject: &Subject,
    new: &ParsedSchema,
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
        protobuf_wire_rules: subject.protobuf_wire_rules,
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
    SubjectResult {
        messages: verdict.confluent_messages(),
        verdict: Some(verdict),
        ..result(subject, status)
    }
}

fn result(subject: &Subject, status: &'static str) -> SubjectResult {
    SubjectResult {
        subject: subject.name.clone(),
        file: subject.file.clone(),
        status,
        verdict: None,
        messages: Vec::new(),
    }
}

fn in_baseline(error: SchemaError, baseline: &str) -> SchemaError {
    SchemaError {
        message: format!("in the baseline {baseline}: {}", error.message),
        ..error
    }
}
