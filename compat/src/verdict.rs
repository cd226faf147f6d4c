//! The outcome of checking a new schema against a subject's versions, and
//! its rendering as Confluent's message list (`formatErrorMessages`, spec
//! compatibility.md §1.3): the one place that layout is written.

use serde::Serialize;

use crate::{CompatibilityLevel, Direction, Finding};

/// Confluent quotes at most this many characters of the old schema.
const MAX_QUOTED_SCHEMA_CHARS: usize = 10 * 1024;

/// What [`check`](crate::check) found: nothing, or the findings against the
/// one version the check stopped at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub level: CompatibilityLevel,
    /// Confluent's `validateFields`, echoed in the closing message entry.
    pub validate_fields: bool,
    /// The old version every finding is about; `None` when nothing was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_version: Option<i32>,
    /// Forward findings (old reads new) first, then backward ones.
    pub findings: Vec<Finding>,
    /// The old version's stored text, which Confluent's messages quote.
    #[serde(skip)]
    old_schema_text: Option<String>,
}

impl Verdict {
    /// Nothing found under `level`.
    pub(crate) fn compatible(level: CompatibilityLevel, validate_fields: bool) -> Verdict {
        Verdict {
            level,
            validate_fields,
            old_version: None,
            findings: Vec::new(),
            old_schema_text: None,
        }
    }

    /// `findings` against version `old_version`, whose stored text is
    /// `old_schema_text`.
    pub(crate) fn against(
        level: CompatibilityLevel,
        validate_fields: bool,
        old_version: i32,
        old_schema_text: &str,
        findings: Vec<Finding>,
    ) -> Verdict {
        Verdict {
            level,
            validate_fields,
            old_version: Some(old_version),
            findings,
            old_schema_text: Some(old_schema_text.to_string()),
        }
    }

    /// No finding breaks the level.
    pub fn is_compatible(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// Confluent's message list (the `messages` of `?verbose=true` and of
    /// a 409): the errors of each direction, each direction followed by
    /// `{oldSchemaVersion: N}` and `{oldSchema: '…'}` where Confluent
    /// quotes it, then `{validateFields: …, compatibility: …}`. Empty when
    /// compatible.
    pub fn confluent_messages(&self) -> Vec<String> {
        if self.is_compatible() {
            return Vec::new();
        }
        let mut messages = Vec::new();
        // FULL quotes the old version only after the backward part.
        let forward_quotes = !self.level.checks_backward();
        for (direction, quotes) in [
            (Some(Direction::Forward), forward_quotes),
            (Some(Direction::Backward), true),
            (None, false),
        ] {
            let before = messages.len();
            messages.extend(
                self.findings
                    .iter()
                    .filter(|f| f.is_error() && f.direction == direction)
                    .map(Finding::confluent_message),
            );
            if messages.len() > before && quotes {
                messages.extend(self.quoted_old_version());
            }
        }
        messages.push(format!(
            "{{validateFields: '{}', compatibility: '{}'}}",
            self.validate_fields, self.level
        ));
        messages
    }

    fn quoted_old_version(&self) -> impl Iterator<Item = String> + '_ {
        let version = self
            .old_version
            .map(|version| format!("{{oldSchemaVersion: {version}}}"));
        let text = self.old_schema_text.as_deref().map(quoted_old_schema);
        version.into_iter().chain(text)
    }
}

/// `{oldSchema: '…'}`, truncated past 10 240 characters. Java's
/// `String.length`/`substring` count UTF-16 units, so the cut does too.
fn quoted_old_schema(text: &str) -> String {
    let mut units = 0;
    let cut = text.char_indices().find(|(_, c)| {
        units += c.len_utf16();
        units > MAX_QUOTED_SCHEMA_CHARS
    });
    match cut {
        None => format!("{{oldSchema: '{text}'}}"),
        Some((at, _)) => format!("{{oldSchema: <truncated> '{}...'}}", &text[..at]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Rule, Severity};

    #[test]
    fn old_schema_longer_than_10240_utf16_units_is_truncated() {
        let exact = "é".repeat(MAX_QUOTED_SCHEMA_CHARS);
        assert_eq!(
            quoted_old_schema(&exact),
            format!("{{oldSchema: '{exact}'}}")
        );
        let long = format!("{exact}xyz");
        assert_eq!(
            quoted_old_schema(&long),
            format!("{{oldSchema: <truncated> '{exact}...'}}")
        );
    }

    fn finding(severity: Severity, message: &str) -> Finding {
        Finding {
            rule: Rule::CheckAborted,
            severity,
            direction: Some(Direction::Backward),
            old_path: None,
            new_path: None,
            message: message.to_string(),
            detail: None,
        }
    }

    #[test]
    fn warnings_neither_fail_the_level_nor_reach_confluent_messages() {
        let only_warning = Verdict::against(
            CompatibilityLevel::Backward,
            false,
            1,
            "OLD",
            vec![finding(Severity::Warning, "advice")],
        );
        assert!(only_warning.is_compatible());
        assert!(only_warning.confluent_messages().is_empty());

        let mixed = Verdict::against(
            CompatibilityLevel::Backward,
            false,
            1,
            "OLD",
            vec![
                finding(Severity::Warning, "advice"),
                finding(Severity::Error, "broken"),
            ],
        );
        assert!(!mixed.is_compatible());
        assert_eq!(
            mixed.confluent_messages(),
            [
                "broken",
                "{oldSchemaVersion: 1}",
                "{oldSchema: 'OLD'}",
                "{validateFields: 'false', compatibility: 'BACKWARD'}"
            ]
        );
    }
}
