//! Runs every case under `tests/fixtures/compat/json/` (repository root).
//!
//! A case is a directory with `old.json`, `new.json` and `expected.json`:
//! * `backward` / `forward`: the verdicts (new reads old / old reads new);
//!   `forward` may be left out where Confluent's verdict is not known;
//! * `backward_messages` / `forward_messages`: optional exact Confluent
//!   items for that direction;
//! * `backward_findings` / `forward_findings`: optional rule ids and paths
//!   of that direction's findings (`support/expected_findings.rs`);
//! * `backward_differences`: optional full differ output from old to new,
//!   compatible changes included, as `"<TYPE> <path>"` in Confluent's order;
//! * `note`: what the case is about and where its verdict comes from.
//!
//! An optional `references.json` maps reference names to schemas, which
//! both sides may `$ref`. Adding a case needs no code; all mismatches are
//! listed at once.

#[path = "support/expected_findings.rs"]
mod expected_findings;
#[path = "support/fixture_cases.rs"]
mod fixture_cases;

use std::fs;
use std::path::Path;

use expected_findings::{confluent_messages, ExpectedFinding};
use serde::Deserialize;
use treaty_compat::json::compatibility::{differences, findings};
use treaty_compat::json::JsonSchema;
use treaty_compat::{Direction, ParsedSchema, Referenced, SchemaType};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[allow(dead_code)]
    note: String,
    backward: bool,
    forward: Option<bool>,
    backward_messages: Option<Vec<String>>,
    forward_messages: Option<Vec<String>>,
    backward_findings: Option<Vec<ExpectedFinding>>,
    forward_findings: Option<Vec<ExpectedFinding>>,
    backward_differences: Option<Vec<String>>,
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reference name → schema text, from the optional `references.json`.
fn references(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let path = dir.join("references.json");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&read(&path)?).map_err(|e| format!("references.json: {e}"))?;
    Ok(map
        .into_iter()
        .map(|(name, schema)| (name, schema.to_string()))
        .collect())
}

fn parse(path: &Path, references: &[(String, String)]) -> Result<JsonSchema, String> {
    let text = read(path)?;
    let refs: Vec<Referenced<'_>> = references
        .iter()
        .map(|(name, text)| Referenced { name, text })
        .collect();
    match ParsedSchema::parse(SchemaType::Json, &text, &refs) {
        Ok(ParsedSchema::Json(schema)) => Ok(schema),
        Ok(other) => Err(format!(
            "{} parsed as {:?}",
            path.display(),
            other.schema_type()
        )),
        Err(e) => Err(format!("{} does not parse: {e}", path.display())),
    }
}

fn direction(
    name: &str,
    actual: &[String],
    compatible: Option<bool>,
    messages: &Option<Vec<String>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(compatible) = compatible {
        if actual.is_empty() != compatible {
            problems.push(format!(
                "{name}: expected compatible={compatible}, got {actual:#?}"
            ));
        }
    }
    if let Some(expected) = messages {
        if expected != actual {
            problems.push(format!(
                "{name} messages: expected {expected:#?}, got {actual:#?}"
            ));
        }
    }
    problems
}

fn run_case(dir: &Path) -> Result<Vec<String>, String> {
    let expected: Expected = serde_json::from_str(&read(&dir.join("expected.json"))?)
        .map_err(|e| format!("expected.json: {e}"))?;
    let references = references(dir)?;
    let old = parse(&dir.join("old.json"), &references)?;
    let new = parse(&dir.join("new.json"), &references)?;
    let backward_findings = findings(&new, &old, Direction::Backward);
    let forward_findings = findings(&old, &new, Direction::Forward);
    let backward = confluent_messages(&backward_findings);
    let forward = confluent_messages(&forward_findings);
    let mut problems = direction(
        "backward",
        &backward,
        Some(expected.backward),
        &expected.backward_messages,
    );
    problems.extend(direction(
        "forward",
        &forward,
        expected.forward,
        &expected.forward_messages,
    ));
    problems.extend(expected_findings::compare_both(
        &backward_findings,
        &forward_findings,
        &expected.backward_findings,
        &expected.forward_findings,
    ));
    if let Some(want) = expected.backward_differences {
        let got: Vec<String> = differences(&old, &new)
            .iter()
            .map(|d| format!("{} {}", d.kind.name(), d.path))
            .collect();
        if got != want {
            problems.push(format!("differences: expected {want:#?}, got {got:#?}"));
        }
    }
    Ok(problems)
}

#[test]
fn json_schema_fixtures_match_confluent() {
    fixture_cases::run_every_case("json", 60, run_case);
}
