//! Runs every case under `tests/fixtures/compat/protobuf/` (repository
//! root); see `support/protobuf_cases.rs` for the layout.
//!
//! `expected.json` of a pair case (`old.proto`, `new.proto`) gives
//! Confluent's verdicts `backward` (new reads old) and `forward` (old reads
//! new), optionally Confluent's exact items in `backward_messages` /
//! `forward_messages`, and the strict mode's Buf rule ids `wire_backward`
//! (old → new) and `wire_forward` (new → old), sorted and deduplicated,
//! and the rule ids and paths of Confluent's findings in
//! `backward_findings` / `forward_findings` (`support/expected_findings.rs`;
//! with `wire_rules: true`, the strict findings follow). A
//! history case (`v1.proto`, …) maps level names in `levels` to the full
//! list `check` returns; `wire_rules: true` turns the strict mode on.
//!
//! Adding a case needs no code; all mismatches are listed at once.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde::Deserialize;
use support::expected_findings::{self, confluent_messages, ExpectedFinding};
use support::fixture_cases;
use support::protobuf_cases::load;
use treaty_compat::protobuf::compatibility::{findings, wire};
use treaty_compat::protobuf::ProtobufSchema;
use treaty_compat::{
    check, CheckOptions, CompatibilityLevel, Direction, ParsedSchema, PreviousVersion,
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
    wire_backward: Option<Vec<String>>,
    wire_forward: Option<Vec<String>>,
    backward_findings: Option<Vec<ExpectedFinding>>,
    forward_findings: Option<Vec<ExpectedFinding>>,
    levels: Option<serde_json::Map<String, serde_json::Value>>,
    /// Check with the strict mode on (history cases, and the findings of
    /// pair cases).
    #[serde(default)]
    wire_rules: bool,
}

fn check_direction(
    direction: &str,
    actual: &[String],
    verdict: Option<bool>,
    messages: &Option<Vec<String>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if verdict.is_some_and(|compatible| actual.is_empty() != compatible) {
        problems.push(format!(
            "{direction}: expected compatible={verdict:?}, got {actual:#?}"
        ));
    }
    if messages.as_ref().is_some_and(|expected| expected != actual) {
        problems.push(format!(
            "{direction} messages:\n expected {messages:#?}\n actual {actual:#?}"
        ));
    }
    problems
}

fn rule_ids(previous: &ProtobufSchema, current: &ProtobufSchema) -> Vec<String> {
    let ids: BTreeSet<&str> = wire::findings(&previous.file, &current.file)
        .iter()
        .map(|f| f.rule.as_str())
        .collect();
    ids.into_iter().map(str::to_string).collect()
}

fn check_rules(
    direction: &str,
    actual: Vec<String>,
    expected: &Option<Vec<String>>,
) -> Vec<String> {
    match expected {
        Some(expected) if *expected != actual => vec![format!(
            "{direction} Buf rules:\n expected {expected:?}\n actual {actual:?}"
        )],
        _ => Vec::new(),
    }
}

fn run_pair_case(dir: &Path, expected: &Expected) -> Result<Vec<String>, String> {
    let old = load(dir, "old.proto", "old")?;
    let new = load(dir, "new.proto", "new")?;
    let backward = confluent_messages(&findings(&new, &old, Direction::Backward, false));
    let forward = confluent_messages(&findings(&old, &new, Direction::Forward, false));
    let mut problems = check_direction(
        "backward",
        &backward,
        expected.backward,
        &expected.backward_messages,
    );
    problems.extend(check_direction(
        "forward",
        &forward,
        expected.forward,
        &expected.forward_messages,
    ));
    problems.extend(check_rules(
        "backward",
        rule_ids(&old, &new),
        &expected.wire_backward,
    ));
    problems.extend(check_rules(
        "forward",
        rule_ids(&new, &old),
        &expected.wire_forward,
    ));
    let wire_rules = expected.wire_rules;
    problems.extend(expected_findings::compare_both(
        &findings(&new, &old, Direction::Backward, wire_rules),
        &findings(&old, &new, Direction::Forward, wire_rules),
        &expected.backward_findings,
        &expected.forward_findings,
    ));
    Ok(problems)
}

fn run_history_case(dir: &Path, expected: &Expected) -> Result<Vec<String>, String> {
    let new = ParsedSchema::Protobuf(load(dir, "new.proto", "new")?);
    let versions: Vec<ParsedSchema> = (1..)
        .map(|v| format!("v{v}.proto"))
        .take_while(|file| dir.join(file).exists())
        .map(|file| load(dir, &file, "old").map(ParsedSchema::Protobuf))
        .collect::<Result<_, _>>()?;
    let texts: Vec<String> = (1..=versions.len()).map(|v| format!("V{v}")).collect();
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
        let options = CheckOptions {
            protobuf_wire_rules: expected.wire_rules,
            ..CheckOptions::default()
        };
        let got = check(level, &new, &previous, &options).confluent_messages();
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
    if dir.join("old.proto").exists() {
        run_pair_case(dir, &expected)
    } else if dir.join("v1.proto").exists() {
        run_history_case(dir, &expected)
    } else {
        Err("neither old.proto nor v1.proto".to_string())
    }
}

#[test]
fn every_protobuf_fixture_gets_its_expected_verdicts_messages_and_buf_rules() {
    fixture_cases::run_every_case("protobuf", 80, run_case);
}
