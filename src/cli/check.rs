//! `treaty check`: every schema the manifest names parses, with its
//! references resolved from the working tree, offline.

use std::path::PathBuf;

use super::manifest;
use super::report::{Format, Report, SubjectResult};
use super::resolve::Loader;
use super::tree::Tree;
use super::Failure;

#[derive(clap::Args)]
pub struct CheckArgs {
    #[arg(long, default_value = "treaty.yaml")]
    manifest: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: CheckArgs) -> Result<u8, Failure> {
    let manifest = manifest::load(&args.manifest).map_err(Failure::Invalid)?;
    let tree = Tree::Dir(super::working_dir(&manifest.root));
    let loader = Loader::for_manifest(&tree, &manifest);
    let mut report = Report::default();
    for subject in &manifest.subjects {
        match loader.load(&subject.file, subject.schema_type) {
            Ok(Some(_)) => {
                let valid = SubjectResult::new(&subject.name, &subject.file, "valid");
                report.subjects.push(valid);
            }
            Ok(None) => report.errors.push(super::missing(&subject.file)),
            Err(error) => report.errors.push(error),
        }
    }
    print!("{}", report.render(args.format, &manifest.root));
    Ok(report.exit_code())
}
