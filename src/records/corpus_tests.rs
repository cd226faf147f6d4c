//! The records of `tests/fixtures/topic/`, as Confluent 7.x and 8.x and
//! Karapace wrote them, read and (Confluent's) written back byte for byte.

use serde_json::json;

use super::{
    ClearSubjectValue, DeleteSubjectValue, IdWatermarkValue, LocalOnly, ModeValue, Record,
    Reference, SchemaValue, Skipped,
};

const CONFLUENT_7: &str = "confluent-7.tsv";
const CONFLUENT_8: &str = "confluent-8.tsv";
const KARAPACE: &str = "karapace.tsv";
const FOREIGN: &str = "foreign.tsv";

/// A fixture's text, read when the test runs (not compiled in, so that
/// builds need no test data).
fn corpus(name: &str) -> &'static str {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/topic")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Box::leak(text.into_boxed_str())
}

/// A fixture's records: a key, a tab, a value (none after the tab for a
/// tombstone); a line without a tab is a value without a key.
fn records(corpus: &str) -> Vec<(Option<&str>, Option<&str>)> {
    corpus
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_once('\t') {
            Some((key, "")) => (Some(key), None),
            Some((key, value)) => (Some(key), Some(value)),
            None => (None, Some(line)),
        })
        .collect()
}

fn decode_all(corpus: &str) -> Vec<Result<Record, Skipped>> {
    records(corpus)
        .into_iter()
        .map(|(key, value)| Record::from_topic(key.map(str::as_bytes), value.map(str::as_bytes)))
        .collect()
}

/// Confluent writes the type of Avro schemas too.
fn avro(subject: &str, version: i32, id: i32, text: &str) -> SchemaValue {
    let mut value = SchemaValue::new(subject, version, id, text);
    value.schema_type = Some("AVRO".to_owned());
    value
}

fn version(value: SchemaValue) -> Record {
    Record::Schema(value.subject.clone(), value.version, Some(value))
}

fn config(subject: Option<&str>, value: serde_json::Value) -> Record {
    Record::Config(subject.map(str::to_owned), Some(value))
}

fn mode(subject: Option<&str>, mode: &str) -> Record {
    let value = ModeValue {
        mode: mode.to_owned(),
    };
    Record::Mode(subject.map(str::to_owned), Some(value))
}

fn clear(subject: Option<&str>) -> Record {
    let value = ClearSubjectValue {
        subject: subject.map(str::to_owned),
    };
    Record::ClearSubject(subject.map(str::to_owned), Some(value))
}

const ORDER: &str = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}"#;

fn assert_decoded(corpus: &str, expected: Vec<Result<Record, &str>>) {
    let decoded = decode_all(corpus);
    assert_eq!(decoded.len(), expected.len());
    for (n, (decoded, expected)) in decoded.into_iter().zip(expected).enumerate() {
        match (decoded, expected) {
            (Ok(decoded), Ok(expected)) => assert_eq!(decoded, expected, "record {n}"),
            (Err(Skipped(why)), Err(reason)) => {
                assert!(why.contains(reason), "record {n} skipped for: {why}")
            }
            (decoded, expected) => panic!("record {n}: {decoded:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn confluent_7_records_read_as_written() {
    let order_2 = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"note","type":["null","string"],"default":null}]}"#;
    let mut payment = SchemaValue::new(
        "payments-value",
        1,
        3,
        "syntax = \"proto3\";\nmessage Payment {\n  string id = 1;\n}\n",
    );
    payment.schema_type = Some("PROTOBUF".into());
    let mut refund = SchemaValue::new(
        "refunds-value",
        1,
        4,
        r#"{"type":"object","properties":{"amount":{"type":"number"}}}"#,
    );
    refund.schema_type = Some("JSON".into());
    refund.references = vec![Reference {
        name: "payment.proto".into(),
        subject: "payments-value".into(),
        version: 1,
    }];
    let mut soft_deleted = avro("orders-value", 1, 1, ORDER);
    soft_deleted.deleted = true;
    assert_decoded(
        corpus(CONFLUENT_7),
        vec![
            Ok(config(None, json!({"compatibilityLevel": "BACKWARD"}))),
            Ok(mode(None, "READWRITE")),
            Ok(version(avro("orders-value", 1, 1, ORDER))),
            Ok(version(avro("orders-value", 2, 2, order_2))),
            Ok(version(payment)),
            Ok(version(refund)),
            Ok(config(
                Some("orders-value"),
                json!({"compatibilityLevel": "FULL"}),
            )),
            Ok(mode(Some("payments-value"), "READONLY")),
            Ok(version(soft_deleted)),
            Ok(Record::Schema("orders-value".into(), 1, None)),
            Ok(Record::DeleteSubject(
                "refunds-value".into(),
                Some(DeleteSubjectValue {
                    subject: "refunds-value".into(),
                    version: 1,
                }),
            )),
            Ok(Record::Config(Some("orders-value".into()), None)),
            Ok(Record::Mode(Some("payments-value".into()), None)),
            Ok(Record::Context(".staging".into())),
            Ok(version(avro(":.staging:orders-value", 1, 1, ORDER))),
            Ok(Record::Noop),
            // Applying it or not is the state's business: it reads as written.
            Ok(version(avro("other-value", 1, 2, "\"string\""))),
        ],
    );
}

#[test]
fn confluent_8_records_read_as_written() {
    let rules = json!({"domainRules": [{"name": "checkAmount", "kind": "CONDITION", "mode": "WRITE",
        "type": "CEL", "expr": "message.amount > 0", "onFailure": "ERROR", "disabled": false}]});
    let mut payment = avro(
        "payments-value",
        1,
        1,
        r#"{"type":"record","name":"Payment","fields":[{"name":"amount","type":"double"}]}"#,
    );
    payment.metadata = Some(json!({"properties": {"owner": "payments", "confluent:version": "1"}}));
    payment.rule_set = Some(rules.clone());
    let mut secret = avro("secrets-value", 1, 2, "\"string\"");
    secret.md5 = Some("T7C5HdB0pD5tbb0H9q2cXw==".into());
    secret.metadata = Some(json!({"properties": {
        "__enc__": "CiQAvhQ0bxm9I+K7xQ9XxPq3j1b1E0rZ7B0mQ4E8k1w2N3aBcRJVAK8X", "owner": "team-a"}}));
    let doc = avro(
        "docs-value",
        1,
        3,
        "{\"type\":\"record\",\"name\":\"Doc\",\"doc\":\"unit\u{1f}sep café\",\"fields\":[]}",
    );
    let mut legacy = avro("legacy-value", 1, 4, "\"int\"");
    legacy.deleted = true;
    assert_decoded(
        corpus(CONFLUENT_8),
        vec![
            Ok(config(
                None,
                json!({"normalize": true, "validateFields": false,
                    "compatibilityLevel": "BACKWARD_TRANSITIVE", "compatibilityGroup": "app.major",
                    "defaultMetadata": {"properties": {"owner": "platform"}}}),
            )),
            Ok(config(
                Some("payments-value"),
                json!({"alias": "payments", "aliasForDeks": "payments-deks", "normalize": false,
                    "validateFields": true, "validateNewSchemas": true, "validateRules": true,
                    "compatibilityLevel": "FORWARD", "compatibilityPolicy": "STRICT",
                    "compatibilityGroup": "major",
                    "defaultMetadata": {"properties": {"owner": "payments"}},
                    "overrideMetadata": {"tags": {"**.ssn": ["PII"]}},
                    "defaultRuleSet": rules,
                    "overrideRuleSet": {"migrationRules": [{"name": "upgrade", "kind": "TRANSFORM",
                        "mode": "UPGRADE", "type": "JSONATA", "expr": "$merge([$, {\"v\": 2}])",
                        "disabled": false}]}}),
            )),
            Ok(version(payment)),
            Ok(version(secret)),
            Ok(version(doc)),
            Ok(config(
                Some(":.staging:"),
                json!({"compatibilityLevel": "NONE"}),
            )),
            Ok(mode(Some(":.staging:"), "READONLY_OVERRIDE")),
            Ok(version(legacy)),
            Ok(Record::Schema("legacy-value".into(), 1, None)),
            Ok(clear(Some("legacy-value"))),
            Ok(mode(Some("legacy-value"), "IMPORT")),
            Ok(clear(None)),
            Ok(mode(None, "IMPORT")),
            Ok(Record::DeleteSubject("refunds-value".into(), None)),
            Ok(Record::ClearSubject(Some("legacy-value".into()), None)),
            Ok(Record::ContextRemoved(".staging".into())),
            Err("unknown keytype `ASSOC`"),
        ],
    );
}

#[test]
fn karapace_records_read_as_confluents() {
    assert_decoded(
        corpus(KARAPACE),
        vec![
            Ok(config(None, json!({"compatibilityLevel": "BACKWARD"}))),
            Ok(config(
                Some("orders-value"),
                json!({"compatibilityLevel": "NONE"}),
            )),
            Ok(mode(None, "READONLY")),
            Ok(version(SchemaValue::new("orders-value", 1, 1, ORDER))),
            Ok(Record::DeleteSubject(
                "orders-value".into(),
                Some(DeleteSubjectValue {
                    subject: "orders-value".into(),
                    version: 1,
                }),
            )),
            Ok(config(None, json!({"compatibilityLevel": "FULL"}))),
            Ok(Record::Config(None, None)),
            Ok(Record::Noop),
        ],
    );
}

#[test]
fn foreign_records_are_skipped_with_a_reason() {
    assert_decoded(
        corpus(FOREIGN),
        vec![
            Err("unknown keytype `EXPORTER`"),
            Err("the key does not decode"),
            Err("magic 2"),
            Ok(version(SchemaValue::new("s", 1, 1, "\"int\""))),
            Err("unknown keytype `ID_WATERMARK`"),
            Err("the value does not decode"),
            Err("tenant `lsrc-1`"),
            Err("missing field `version`"),
            Err("without a key"),
        ],
    );
}

/// Every record current Confluent wrote comes back to the same key and
/// value bytes, so compaction pairs treaty's writes with Confluent's.
#[test]
fn confluent_records_are_written_back_byte_for_byte() {
    for text in [corpus(CONFLUENT_7), corpus(CONFLUENT_8)] {
        for (key, value) in records(text) {
            let Ok(record) = Record::from_topic(key.map(str::as_bytes), value.map(str::as_bytes))
            else {
                continue;
            };
            let written = record.to_topic().unwrap();
            assert_eq!(String::from_utf8(written.key).unwrap(), key.unwrap());
            assert_eq!(
                written
                    .value
                    .map(|v| String::from_utf8(v).unwrap())
                    .as_deref(),
                value,
                "{}",
                key.unwrap()
            );
        }
    }
}

/// Legacy keys read from Karapace are written back in Confluent's current
/// shape: a global subject left out, `keytype` first.
#[test]
fn karapace_records_are_written_in_confluents_current_shape() {
    let written: Vec<_> = decode_all(corpus(KARAPACE))
        .into_iter()
        .map(|record| record.unwrap().to_topic().unwrap())
        .collect();
    let key = |n: usize| String::from_utf8(written[n].key.clone()).unwrap();
    let value = |n: usize| String::from_utf8(written[n].value.clone().unwrap()).unwrap();
    assert_eq!(key(0), r#"{"keytype":"CONFIG","magic":0}"#);
    assert_eq!(
        value(1),
        r#"{"subject":"orders-value","compatibilityLevel":"NONE"}"#
    );
    assert_eq!(key(2), r#"{"keytype":"MODE","magic":0}"#);
    assert_eq!(
        key(3),
        r#"{"keytype":"SCHEMA","subject":"orders-value","version":1,"magic":1}"#
    );
    assert_eq!(
        key(4),
        r#"{"keytype":"DELETE_SUBJECT","subject":"orders-value","magic":0}"#
    );
    assert_eq!(key(5), r#"{"keytype":"CONFIG","magic":0}"#);
}

#[test]
fn local_only_records_never_reach_a_topic() {
    let watermark = Record::IdWatermark(".".into(), IdWatermarkValue { id: 7 });
    assert!(watermark.is_local_only());
    assert_eq!(watermark.to_topic(), Err(LocalOnly));
    assert!(!Record::Noop.is_local_only());
    let noop = Record::Noop.to_topic().unwrap();
    assert_eq!(noop.key, br#"{"keytype":"NOOP","magic":0}"#);
    assert_eq!(noop.value, None);
}

/// CLEAR_SUBJECT drops soft-deleted versions only, and only in its scope:
/// one subject, a context (`:.ctx:`), or everything.
#[test]
fn clear_subject_drops_the_soft_deleted_versions_in_its_scope() {
    use crate::registry::State;

    let mut state = State::default();
    for (subject, number, deleted) in [
        ("a", 1, true),
        ("a", 2, false),
        ("b", 1, true),
        (":.c:x", 1, true),
        (":.c:y", 1, true),
    ] {
        let mut value = SchemaValue::new(
            subject,
            number,
            number,
            &format!("{{\"type\":\"fixed\",\"name\":\"F\",\"size\":{number}}}"),
        );
        value.deleted = deleted;
        state.apply(version(value));
    }
    let versions = |state: &State, subject: &str| -> Vec<i32> {
        state
            .subject(subject)
            .map(|s| s.versions.keys().copied().collect())
            .unwrap_or_default()
    };
    state.apply(clear(Some(":.c:")));
    assert!(versions(&state, ":.c:x").is_empty() && versions(&state, ":.c:y").is_empty());
    assert_eq!(versions(&state, "a"), [1, 2]);
    state.apply(clear(Some("a")));
    assert_eq!(versions(&state, "a"), [2]);
    assert_eq!(versions(&state, "b"), [1]);
    state.apply(Record::ClearSubject(None, None));
    assert_eq!(versions(&state, "b"), [1], "a tombstone clears nothing");
    state.apply(clear(None));
    assert!(versions(&state, "b").is_empty());
    assert_eq!(versions(&state, "a"), [2]);
}
