//! Levels and version selection (spec compatibility.md §1.1–1.2), the same
//! for every format. Each format only answers "what stops `reader` from
//! reading `writer`" (for the diff-based formats: original = writer,
//! update = reader); [`Verdict`] lays the answer out as Confluent does.

use crate::{
    avro, json, protobuf, CompatibilityLevel, Direction, Finding, ParsedSchema, Rule, Severity,
    Verdict,
};

/// A live (not soft-deleted) version the new schema is checked against.
pub struct PreviousVersion<'a> {
    pub version: i32,
    pub schema: &'a ParsedSchema,
    /// The stored canonical text, quoted in the `{oldSchema: …}` message.
    pub text: &'a str,
}

/// Which schema a message talks about; fills the two `%s` of Confluent's
/// descriptions (reader's side first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    New,
    Old,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::New => "new",
            Side::Old => "old",
        }
    }
}

/// The message for comparing schemas of different formats.
const DIFFERENT_SCHEMA_TYPE: &str = "Incompatible because of different schema type";

/// Settings of the subject that change what a check reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Confluent's `validateFields`, echoed in the closing entry
    /// (reserved-field checks are not implemented yet).
    pub validate_fields: bool,
    /// Protobuf only: after Confluent's findings for a direction, also
    /// report what Buf's `WIRE` and `WIRE_JSON` breaking rules catch
    /// (reused field numbers, wire-incompatible types, deleted reserved
    /// ranges…), each rendered as `{errorType:"<Buf rule id>", description:"…"}`.
    pub protobuf_wire_rules: bool,
}

/// Checks `new` against `previous` (oldest first) under `level`; the
/// verdict's [`Verdict::confluent_messages`] is Confluent's message list.
///
/// Newest version first; a transitive level stops at the first version
/// with an error and reports only that one.
pub fn check(
    level: CompatibilityLevel,
    new: &ParsedSchema,
    previous: &[PreviousVersion<'_>],
    options: &CheckOptions,
) -> Verdict {
    let compatible = Verdict::compatible(level, options.validate_fields);
    if level == CompatibilityLevel::None {
        return compatible;
    }
    let count = if level.is_transitive() {
        previous.len()
    } else {
        1
    };
    previous
        .iter()
        .rev()
        .take(count)
        .find_map(|old| {
            let findings = check_version(level, new, old.schema, options);
            // Only a failing version's text is copied into the verdict.
            findings.iter().any(Finding::is_error).then(|| {
                Verdict::against(
                    level,
                    options.validate_fields,
                    old.version,
                    old.text,
                    findings,
                )
            })
        })
        .unwrap_or(compatible)
}

/// The findings against one old version, the forward part (old reads new)
/// first.
fn check_version(
    level: CompatibilityLevel,
    new: &ParsedSchema,
    old: &ParsedSchema,
    options: &CheckOptions,
) -> Vec<Finding> {
    if new.schema_type() != old.schema_type() {
        return vec![different_schema_type()];
    }
    let mut findings = Vec::new();
    if level.checks_forward() {
        findings.extend(reader_findings(old, new, Direction::Forward, options));
    }
    if level.checks_backward() {
        findings.extend(reader_findings(new, old, Direction::Backward, options));
    }
    findings
}

/// What the format reports for `reader` reading data written with `writer`.
fn reader_findings(
    reader: &ParsedSchema,
    writer: &ParsedSchema,
    direction: Direction,
    options: &CheckOptions,
) -> Vec<Finding> {
    match (reader, writer) {
        (ParsedSchema::Avro(r), ParsedSchema::Avro(w)) => {
            avro::compatibility::findings(r, w, direction)
        }
        (ParsedSchema::Protobuf(r), ParsedSchema::Protobuf(w)) => {
            protobuf::compatibility::findings(r, w, direction, options.protobuf_wire_rules)
        }
        (ParsedSchema::Json(r), ParsedSchema::Json(w)) => {
            json::compatibility::findings(r, w, direction)
        }
        // `check_version` answers mixed formats before asking the format.
        _ => vec![different_schema_type()],
    }
}

/// About the pair as a whole: Confluent neither names a direction nor
/// quotes the old version.
fn different_schema_type() -> Finding {
    Finding {
        rule: Rule::DifferentSchemaType,
        severity: Severity::Error,
        direction: None,
        old_path: None,
        new_path: None,
        message: DIFFERENT_SCHEMA_TYPE.to_string(),
        detail: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avro::{AvroSchema, Field, Kind, Name, Node, NodeId, Record};

    fn node(kind: Kind) -> Node {
        Node {
            kind,
            props: Vec::new(),
            from_reference: false,
        }
    }

    /// `record R` with the given `int` fields, none with a default.
    fn int_record(fields: &[&str]) -> ParsedSchema {
        let mut nodes: Vec<Node> = fields.iter().map(|_| node(Kind::Int)).collect();
        let fields = fields
            .iter()
            .enumerate()
            .map(|(i, name)| Field {
                name: name.to_string(),
                schema: NodeId(i),
                doc: None,
                default: None,
                order: None,
                aliases: Vec::new(),
                props: Vec::new(),
            })
            .collect();
        nodes.push(node(Kind::Record(Record {
            name: Name {
                name: "R".into(),
                namespace: None,
            },
            doc: None,
            aliases: Vec::new(),
            fields,
            is_error: false,
        })));
        let root = NodeId(nodes.len() - 1);
        ParsedSchema::Avro(AvroSchema {
            nodes,
            root,
            names: [("R".to_string(), root)].into(),
            reference_roots: Vec::new(),
        })
    }

    /// Confluent's message list for the check.
    fn messages_of(
        level: CompatibilityLevel,
        new: &ParsedSchema,
        previous: &[PreviousVersion<'_>],
        options: &CheckOptions,
    ) -> Vec<String> {
        check(level, new, previous, options).confluent_messages()
    }

    fn versions<'a>(schemas: &'a [ParsedSchema], texts: &'a [String]) -> Vec<PreviousVersion<'a>> {
        schemas
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(i, (schema, text))| PreviousVersion {
                version: i as i32 + 1,
                schema,
                text,
            })
            .collect()
    }

    const B_MISSING: &str = "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'b'}";
    const F_MISSING: &str = "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' at path '/fields/1' in the old schema has no default value and is missing in the new schema', additionalInfo:'b'}";

    #[test]
    fn backward_failure_quotes_old_version_then_level() {
        let old = [int_record(&["a"])];
        let texts = ["OLD".to_string()];
        let messages = messages_of(
            CompatibilityLevel::Backward,
            &int_record(&["a", "b"]),
            &versions(&old, &texts),
            &CheckOptions::default(),
        );
        assert_eq!(
            messages,
            [
                B_MISSING,
                "{oldSchemaVersion: 1}",
                "{oldSchema: 'OLD'}",
                "{validateFields: 'false', compatibility: 'BACKWARD'}"
            ]
        );
    }

    #[test]
    fn full_with_only_forward_failing_does_not_quote_old_version() {
        let old = [int_record(&["a", "b"])];
        let texts = ["OLD".to_string()];
        let messages = messages_of(
            CompatibilityLevel::Full,
            &int_record(&["a"]),
            &versions(&old, &texts),
            &CheckOptions {
                validate_fields: true,
                ..CheckOptions::default()
            },
        );
        assert_eq!(
            messages,
            [F_MISSING, "{validateFields: 'true', compatibility: 'FULL'}"]
        );
    }

    #[test]
    fn full_puts_forward_part_first_and_quotes_after_backward_part() {
        let old = [int_record(&["a", "b"])];
        let texts = ["OLD".to_string()];
        let messages = messages_of(
            CompatibilityLevel::Full,
            &int_record(&["a", "c", "d"]),
            &versions(&old, &texts),
            &CheckOptions::default(),
        );
        assert_eq!(messages.len(), 6, "{messages:?}");
        assert!(messages[0]
            .contains("in the old schema has no default value and is missing in the new schema"));
        assert!(messages[1].contains("The field 'c'") && messages[1].contains("in the new schema"));
        assert!(messages[2].contains("The field 'd'"));
        assert_eq!(
            messages[3..5],
            ["{oldSchemaVersion: 1}", "{oldSchema: 'OLD'}"]
        );
    }

    #[test]
    fn non_transitive_checks_only_latest_and_transitive_stops_at_first_failure() {
        // v1 {a}, v2 {a, b}, v3 {a, b}; new {a, b} fails only against v1.
        let old = [
            int_record(&["a"]),
            int_record(&["a", "b"]),
            int_record(&["a", "b"]),
        ];
        let texts = ["V1".to_string(), "V2".to_string(), "V3".to_string()];
        let previous = versions(&old, &texts);
        let new = int_record(&["a", "b"]);
        assert!(messages_of(
            CompatibilityLevel::Backward,
            &new,
            &previous,
            &CheckOptions::default()
        )
        .is_empty());
        let messages = messages_of(
            CompatibilityLevel::BackwardTransitive,
            &new,
            &previous,
            &CheckOptions::default(),
        );
        assert_eq!(
            messages[1..3],
            ["{oldSchemaVersion: 1}", "{oldSchema: 'V1'}"]
        );
        assert_eq!(messages.len(), 4);
    }

    #[test]
    fn none_and_empty_history_are_always_compatible() {
        let old = [int_record(&["a"])];
        let texts = ["OLD".to_string()];
        let new = int_record(&["x", "y"]);
        assert!(messages_of(
            CompatibilityLevel::None,
            &new,
            &versions(&old, &texts),
            &CheckOptions::default()
        )
        .is_empty());
        assert!(messages_of(
            CompatibilityLevel::FullTransitive,
            &new,
            &[],
            &CheckOptions::default()
        )
        .is_empty());
    }

    #[test]
    fn verdict_serializes_rule_ids_paths_and_level_for_a_json_report() {
        let old = [int_record(&["a"])];
        let texts = ["OLD".to_string()];
        let verdict = check(
            CompatibilityLevel::Backward,
            &int_record(&["a", "b"]),
            &versions(&old, &texts),
            &CheckOptions::default(),
        );
        assert_eq!(
            serde_json::to_value(&verdict).unwrap(),
            serde_json::json!({
                "level": "BACKWARD",
                "validate_fields": false,
                "old_version": 1,
                "findings": [{
                    "rule": "READER_FIELD_MISSING_DEFAULT_VALUE",
                    "severity": "error",
                    "direction": "backward",
                    "new_path": "/fields/1",
                    "message": "The field 'b' at path '/fields/1' in the new schema has no default value and is missing in the old schema",
                    "detail": "b"
                }]
            })
        );
    }
}
