//! Runs every case under `tests/fixtures/compat/avro/` (repository root).
//!
//! A case is a directory with `new.avsc` and either
//! * `old.avsc` and an `expected.json` giving `backward` / `forward`
//!   verdicts, optionally the exact Confluent items in `backward_messages`
//!   (new reads old) and `forward_messages` (old reads new), which are
//!   prefixes when `messages_are_prefixes` is true, and the rule ids and
//!   paths in `backward_findings` / `forward_findings`
//!   (`support/expected_findings.rs`); or
//! * `v1.avsc`, `v2.avsc`, … (oldest first) and `levels`, mapping a level
//!   name to the full message list `check` must return (`[]` = compatible).
//!
//! Adding a case needs no code; all mismatches are listed at once.

#[path = "support/expected_findings.rs"]
mod expected_findings;
#[path = "support/fixture_cases.rs"]
mod fixture_cases;

use std::fs;
use std::path::Path;

use expected_findings::{confluent_messages, ExpectedFinding};
use serde::Deserialize;
use treaty_compat::avro::compatibility::findings;
use treaty_compat::{
    check, CheckOptions, CompatibilityLevel, Direction, ParsedSchema, PreviousVersion, SchemaType,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[allow(dead_code)]
    note: String,
    backward: Option<bool>,
    forward: Option<bool>,
    backward_messages: Option<Vec<String>>,
    forward_messages: Option<Vec<String>>,
    #[serde(default)]
    messages_are_prefixes: bool,
    backward_findings: Option<Vec<ExpectedFinding>>,
    forward_findings: Option<Vec<ExpectedFinding>>,
    levels: Option<serde_json::Map<String, serde_json::Value>>,
}

fn parse(path: &Path) -> Result<ParsedSchema, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    ParsedSchema::parse(SchemaType::Avro, &text, &[])
        .map_err(|e| format!("{} does not parse: {e}", path.display()))
}

fn avro(schema: &ParsedSchema) -> &treaty_compat::avro::AvroSchema {
    match schema {
        ParsedSchema::Avro(avro) => avro,
        other => panic!("parsed as Avro, got {:?}", other.schema_type()),
    }
}

/// Checks one direction's verdict and, when given, its messages.
fn check_direction(
    direction: &str,
    actual: &[String],
    verdict: Option<bool>,
    messages: &Option<Vec<String>>,
    prefixes: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(compatible) = verdict {
        if actual.is_empty() != compatible {
            problems.push(format!(
                "{direction}: expected compatible={compatible}, got {actual:#?}"
            ));
        }
    }
    if let Some(expected) = messages {
        let matches = expected.len() == actual.len()
            && expected.iter().zip(actual).all(|(e, a)| {
                if prefixes {
                    a.starts_with(e.as_str())
                } else {
                    a == e
                }
            });
        if !matches {
            problems.push(format!(
                "{direction} messages:\n expected {expected:#?}\n actual {actual:#?}"
            ));
        }
    }
    problems
}

fn run_pair_case(dir: &Path, expected: &Expected) -> Result<Vec<String>, String> {
    let old = parse(&dir.join("old.avsc"))?;
    let new = parse(&dir.join("new.avsc"))?;
    let backward_findings = findings(avro(&new), avro(&old), Direction::Backward);
    let forward_findings = findings(avro(&old), avro(&new), Direction::Forward);
    let backward = confluent_messages(&backward_findings);
    let forward = confluent_messages(&forward_findings);
    let prefixes = expected.messages_are_prefixes;
    let mut problems = check_direction(
        "backward",
        &backward,
        expected.backward,
        &expected.backward_messages,
        prefixes,
    );
    problems.extend(check_direction(
        "forward",
        &forward,
        expected.forward,
        &expected.forward_messages,
        prefixes,
    ));
    problems.extend(expected_findings::compare_both(
        &backward_findings,
        &forward_findings,
        &expected.backward_findings,
        &expected.forward_findings,
    ));
    Ok(problems)
}

fn run_history_case(dir: &Path, expected: &Expected) -> Result<Vec<String>, String> {
    let new = parse(&dir.join("new.avsc"))?;
    let versions: Vec<ParsedSchema> = (1..)
        .map(|v| dir.join(format!("v{v}.avsc")))
        .take_while(|path| path.exists())
        .map(|path| parse(&path))
        .collect::<Result<_, _>>()?;
    let texts: Vec<String> = versions.iter().map(ParsedSchema::canonical_text).collect();
    let previous: Vec<PreviousVersion<'_>> = versions
        .iter()
        .zip(&texts)
        .enumerate()
        .map(|(i, (schema, text))| PreviousVersion {
            version: i as i32 + 1,
            schema,
            text,
        })
        .collect();
    let mut problems = Vec::new();
    for (name, messages) in expected.levels.iter().flatten() {
        let level: CompatibilityLevel =
            name.parse().map_err(|()| format!("unknown level {name}"))?;
        let want: Vec<String> =
            serde_json::from_value(messages.clone()).map_err(|e| format!("{name}: {e}"))?;
        let got = check(level, &new, &previous, &CheckOptions::default()).confluent_messages();
        if got != want {
            problems.push(format!("{name}:\n expected {want:#?}\n actual {got:#?}"));
        }
    }
    Ok(problems)
}

fn run_case(dir: &Path) -> Result<Vec<String>, String> {
    let text =
        fs::read_to_string(dir.join("expected.json")).map_err(|e| format!("expected.json: {e}"))?;
    let expected: Expected =
        serde_json::from_str(&text).map_err(|e| format!("expected.json: {e}"))?;
    if dir.join("old.avsc").exists() {
        run_pair_case(dir, &expected)
    } else if dir.join("v1.avsc").exists() {
        run_history_case(dir, &expected)
    } else {
        Err("neither old.avsc nor v1.avsc".to_string())
    }
}

#[test]
fn every_avro_fixture_gets_its_expected_verdicts_and_messages() {
    fixture_cases::run_every_case("avro", 150, run_case);
}
