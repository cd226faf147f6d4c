//! `treaty diff OLD NEW`: every finding between two schema files.

use std::path::{Path, PathBuf};

use treaty_compat::{check, CheckOptions, CompatibilityLevel, PreviousVersion};

use super::locate::Locator;
use super::manifest::schema_type;
use super::report::{Format, Report, SubjectResult};
use super::resolve::Loader;
use super::tree::Tree;
use super::Failure;

#[derive(clap::Args)]
pub struct DiffArgs {
    old: PathBuf,
    new: PathBuf,
    /// FULL reports what breaks in either direction.
    #[arg(long, default_value = "FULL", value_parser = parse_level)]
    level: CompatibilityLevel,
    /// The schema type of both files, when their extension does not say.
    #[arg(long = "type")]
    schema_type: Option<String>,
    /// Protobuf: also apply Buf's wire rules and the gRPC service rules
    /// (service or RPC deleted, request/response type, streaming or
    /// idempotency level changed).
    #[arg(long)]
    protobuf_wire_rules: bool,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

fn parse_level(name: &str) -> Result<CompatibilityLevel, String> {
    name.parse()
        .map_err(|_| format!("unknown compatibility level '{name}'"))
}

pub fn run(args: DiffArgs) -> Result<u8, Failure> {
    let tree = Tree::Dir(PathBuf::from("."));
    let loader = Loader::standalone(&tree);
    let mut report = Report::default();
    let mut load = |file: &Path| {
        let schema_type =
            schema_type(args.schema_type.as_deref(), file).map_err(Failure::Invalid)?;
        match loader.load(file, schema_type) {
            Ok(Some(schema)) => Ok(Some(schema)),
            Ok(None) => Err(Failure::Invalid(format!(
                "{}: no such file",
                file.display()
            ))),
            Err(error) => {
                report.errors.push(error);
                Ok(None)
            }
        }
    };
    let (old, new) = (load(&args.old)?, load(&args.new)?);
    if let (Some(old), Some(new)) = (old, new) {
        let old_text = old.canonical_text();
        let previous = [PreviousVersion {
            version: 1,
            schema: &old,
            text: &old_text,
        }];
        let options = CheckOptions {
            protobuf_wire_rules: args.protobuf_wire_rules,
            ..CheckOptions::default()
        };
        let verdict = check(args.level, &new, &previous, &options);
        let status = if verdict.is_compatible() {
            "compatible"
        } else {
            "breaking"
        };
        let name = args.new.display().to_string();
        let text = tree.read(&args.new).unwrap_or_default();
        let locator = Locator::new(new.schema_type(), &text);
        report.subjects.push(SubjectResult {
            locations: verdict
                .findings
                .iter()
                .map(|f| locator.finding(f))
                .collect(),
            messages: verdict.confluent_messages(),
            verdict: Some(verdict),
            ..SubjectResult::new(&name, &args.new, status)
        });
    }
    print!("{}", report.render(args.format, Path::new("")));
    Ok(report.exit_code())
}
