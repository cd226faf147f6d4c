//! The structured side of a fixture's verdict: the optional
//! `backward_findings` / `forward_findings` of `expected.json`, each a list
//! of `{"rule": "<id>", "old_path": "…", "new_path": "…"}` in the order the
//! check reports them (a path left out means the finding has none there).
#![allow(dead_code)]

use serde::Deserialize;
use treaty_compat::Finding;

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    rule: String,
    old_path: Option<String>,
    new_path: Option<String>,
}

impl ExpectedFinding {
    fn of(finding: &Finding) -> Self {
        ExpectedFinding {
            rule: finding.rule.id().to_string(),
            old_path: finding.old_path.clone(),
            new_path: finding.new_path.clone(),
        }
    }
}

/// The problems of both directions (see [`compare`]).
pub fn compare_both(
    backward: &[Finding],
    forward: &[Finding],
    expected_backward: &Option<Vec<ExpectedFinding>>,
    expected_forward: &Option<Vec<ExpectedFinding>>,
) -> Vec<String> {
    let mut problems = compare("backward", backward, expected_backward);
    problems.extend(compare("forward", forward, expected_forward));
    problems
}

/// A problem line when `expected` is given and `actual` differs from it
/// in rule ids or paths.
fn compare(
    direction: &str,
    actual: &[Finding],
    expected: &Option<Vec<ExpectedFinding>>,
) -> Vec<String> {
    let Some(expected) = expected else {
        return Vec::new();
    };
    let actual: Vec<ExpectedFinding> = actual.iter().map(ExpectedFinding::of).collect();
    if actual == *expected {
        Vec::new()
    } else {
        vec![format!(
            "{direction} findings:\n expected {expected:#?}\n actual {actual:#?}"
        )]
    }
}

/// Confluent's items for the findings of one direction.
pub fn confluent_messages(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(Finding::confluent_message).collect()
}
