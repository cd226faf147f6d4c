//! `treaty breaking --against REF`: each subject of the working tree
//! checked against its file in a baseline, at the subject's level.

use std::path::PathBuf;

use treaty_compat::{check, CheckOptions, ParsedSchema, PreviousVersion};

use super::manifest::{self, Subject};
use super::report::{Format, Report, SubjectResult};
use super::resolve::{Loader, SchemaError};
use super::tree::Tree;
use super::Failure;

#[derive(clap::Args)]
pub struct BreakingArgs {
    /// The baseline: `git:REV` (a revision of the repository holding the
    /// manifest) or a directory laid out like the working tree.
    #[arg(long)]
    against: String,
    #[arg(long, default_value = "treaty.yaml")]
    manifest: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: BreakingArgs) -> Result<u8, Failure> {
    let manifest = manifest::load(&args.manifest).map_err(Failure::Invalid)?;
    let baseline =
        Tree::baseline(&args.against, &manifest.root).map_err(Failure::BaselineUnreachable)?;
    let current = Tree::Dir(super::working_dir(&manifest.root));
    let (new_loader, old_loader) = (
        Loader::for_manifest(&current, &manifest),
        Loader::for_manifest(&baseline, &manifest),
    );
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
        let old = match old_loader.load(&subject.file, subject.schema_type) {
            Ok(Some(old)) => old,
            Ok(None) => {
                report.subjects.push(result(subject, "new"));
                continue;
            }
            Err(error) => {
                report.errors.push(in_baseline(error, &baseline));
                continue;
            }
        };
        report
            .subjects
            .push(compared(subject, &new, &old, &ignored_rules));
    }
    print!("{}", report.render(args.format, &manifest.root));
    Ok(report.exit_code())
}

/// The verdict of `new` against the one baseline version `old` (so a
/// transitive level sees that one version), less the accepted rules.
fn compared(
    subject: &Subject,
    new: &ParsedSchema,
    old: &ParsedSchema,
    ignored_rules: &[&str],
) -> SubjectResult {
    let old_text = old.canonical_text();
    let previous = [PreviousVersion {
        version: 1,
        schema: old,
        text: &old_text,
    }];
    let options = CheckOptions {
        protobuf_wire_rules: subject.protobuf_wire_rules,
        ..CheckOptions::default()
    };
    let mut verdict = check(subject.level, new, &previous, &options);
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

fn in_baseline(error: SchemaError, baseline: &Tree) -> SchemaError {
    SchemaError {
        message: format!("in the baseline {}: {}", baseline.describe(), error.message),
        ..error
    }
}
