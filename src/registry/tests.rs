//! Properties of the registry the HTTP tests cannot see.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use treaty_compat::SchemaType;

use super::queries::VersionSpec;
use super::state::State;
use super::subject::QualifiedSubject;
use super::{DeleteKind, Mode, Registry, RequestReference, SchemaRequest};
use crate::log::{LocalLog, Log, LogError};
use crate::records::{ClearSubjectValue, ModeValue, Record, SchemaValue};
use crate::store::{Position, Store};

fn open() -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let log = Arc::new(LocalLog::new(Arc::clone(&store)).unwrap());
    let registry = Registry::open(&store, log).unwrap();
    (dir, registry)
}

fn request(schema_type: SchemaType, schema: &str) -> SchemaRequest {
    SchemaRequest {
        schema: Some(schema.to_owned()),
        schema_type,
        references: Vec::new(),
        metadata: None,
        rule_set: None,
        version: None,
        id: None,
    }
}

fn run<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

/// Registers `request` under `subject` and answers how many parses it took.
fn parses_of(registry: &Registry, subject: &str, request: SchemaRequest, normalize: bool) -> u64 {
    let before = registry.request_parses();
    let _ = run(registry.register(subject, request, normalize));
    registry.request_parses() - before
}

#[test]
fn a_registration_parses_its_schema_at_most_once() {
    let (_dir, registry) = open();
    let avro = r#"{"type":"record","name":"A","fields":[{"name":"a","type":"int"}]}"#;
    let spaced = r#"{ "type": "record", "name": "A", "fields": [ {"name": "a", "type": "int"} ] }"#;
    let evolved = r#"{"type":"record","name":"A","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}"#;
    let breaking = r#"{"type":"record","name":"A","fields":[{"name":"c","type":"string"}]}"#;
    let proto = "syntax = \"proto3\";\nmessage P { int32 a = 1; }\n";
    let json = r#"{"type":"object","properties":{"a":{"type":"integer"}}}"#;
    let referring = r#"{"type":"object","properties":{"p":{"$ref":"p.json"}}}"#;
    let avro_request = |text: &str| request(SchemaType::Avro, text);

    let cases: Vec<(&str, SchemaRequest, bool, u64)> = vec![
        ("a", avro_request(avro), false, 1),
        ("a", avro_request(avro), false, 0),
        ("a", avro_request(spaced), false, 1),
        ("a", avro_request(evolved), false, 1),
        ("a", avro_request(breaking), false, 1),
        ("a", avro_request(spaced), true, 1),
        ("p", request(SchemaType::Protobuf, proto), false, 1),
        ("p", request(SchemaType::Protobuf, proto), false, 1),
        ("j", request(SchemaType::Json, json), false, 1),
        (
            "r",
            SchemaRequest {
                references: vec![RequestReference {
                    name: Some("p.json".into()),
                    subject: Some("j".into()),
                    version: Some(1),
                }],
                ..request(SchemaType::Json, referring)
            },
            false,
            1,
        ),
        ("bad", avro_request("{\"type\":\"nope\"}"), false, 1),
    ];
    for (n, (subject, request, normalize, expected)) in cases.into_iter().enumerate() {
        let parses = parses_of(&registry, subject, request, normalize);
        assert_eq!(parses, expected, "case {n}: {subject}");
    }

    run(registry.set_mode(Some("i"), Mode::Import, false)).unwrap();
    let imported = SchemaRequest {
        id: Some(100),
        version: Some(1),
        ..avro_request(avro)
    };
    assert_eq!(parses_of(&registry, "i", imported, false), 1, "import");
}

/// A [`LocalLog`] that also keeps every record appended, for tests that
/// check what a write puts in the log.
struct RecordingLog {
    local: LocalLog,
    appended: Mutex<Vec<Record>>,
}

impl Log for RecordingLog {
    fn append(&self, records: &[Record]) -> Result<Position, LogError> {
        self.appended.lock().unwrap().extend_from_slice(records);
        self.local.append(records)
    }
}

/// A registry on a store already holding `topic`'s records (as a node that
/// read them from a topic), and the log it appends to.
fn open_recording(topic: &[Record]) -> (tempfile::TempDir, Registry, Arc<RecordingLog>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    store.write((1..).zip(topic), true).unwrap();
    let log = Arc::new(RecordingLog {
        local: LocalLog::new(Arc::clone(&store)).unwrap(),
        appended: Mutex::new(Vec::new()),
    });
    let registry = Registry::open(&store, Arc::clone(&log) as Arc<dyn Log>).unwrap();
    (dir, registry, log)
}

fn appended(log: &RecordingLog) -> Vec<Record> {
    std::mem::take(&mut *log.appended.lock().unwrap())
}

#[test]
fn a_soft_delete_writes_back_confluents_md5() {
    let mut encrypted = SchemaValue::new("secrets-value", 1, 2, "\"string\"");
    encrypted.md5 = Some("T7C5HdB0pD5tbb0H9q2cXw==".to_owned());
    encrypted.metadata = Some(serde_json::json!({"properties": {"__enc__": "CiQAvhQ0"}}));
    let topic = [Record::Schema(
        "secrets-value".into(),
        1,
        Some(encrypted.clone()),
    )];
    let (_dir, registry, log) = open_recording(&topic);

    run(registry.delete_version("secrets-value", VersionSpec::Number(1), DeleteKind::Soft))
        .unwrap();
    encrypted.deleted = true;
    assert_eq!(
        appended(&log),
        [Record::Schema("secrets-value".into(), 1, Some(encrypted))]
    );
}

#[test]
fn entering_import_writes_clear_subject_between_the_tombstones_and_the_mode() {
    let mut gone = SchemaValue::new("i", 1, 1, "\"int\"");
    gone.deleted = true;
    let topic = [Record::Schema("i".into(), 1, Some(gone))];
    let (_dir, registry, log) = open_recording(&topic);

    run(registry.set_mode(Some("i"), Mode::Import, false)).unwrap();
    let clear = ClearSubjectValue {
        subject: Some("i".into()),
    };
    let import = || {
        let value = ModeValue {
            mode: "IMPORT".into(),
        };
        Record::Mode(Some("i".into()), Some(value))
    };
    assert_eq!(
        appended(&log),
        [
            Record::Schema("i".into(), 1, None),
            // The subject's delete marker goes with its last version.
            Record::DeleteSubject("i".into(), None),
            Record::ClearSubject(Some("i".into()), Some(clear)),
            import(),
        ]
    );
    // Already in IMPORT: only the mode is written again, as Confluent does.
    run(registry.set_mode(Some("i"), Mode::Import, false)).unwrap();
    assert_eq!(appended(&log), [import()]);
    // `force` writes the mode alone, as Confluent does.
    run(registry.set_mode(Some("j"), Mode::Import, true)).unwrap();
    assert_eq!(appended(&log).len(), 1);
    // The global scope's CLEAR_SUBJECT names no subject.
    run(registry.set_mode(None, Mode::Import, false)).unwrap();
    let global = appended(&log);
    assert_eq!(
        global[0],
        Record::ClearSubject(None, Some(ClearSubjectValue { subject: None }))
    );
    assert_eq!(global.len(), 2);
}

/// A record whose id already names another schema text is ignored, as
/// Confluent's readers ignore a deposed leader's late write.
#[test]
fn a_schema_record_reusing_a_taken_id_for_another_text_is_ignored() {
    let topic = [
        Record::Schema("a".into(), 1, Some(SchemaValue::new("a", 1, 1, "\"int\""))),
        Record::Schema("b".into(), 1, Some(SchemaValue::new("b", 1, 1, "\"long\""))),
        Record::Schema("c".into(), 1, Some(SchemaValue::new("c", 1, 1, "\"int\""))),
    ];
    let (_dir, registry, _log) = open_recording(&topic);
    let state = registry.state();
    assert!(state.subject("b").is_none());
    let holders: Vec<(String, i32)> = state.context(".").unwrap().ids[&1]
        .holders
        .iter()
        .map(|(s, v)| (s.to_string(), *v))
        .collect();
    assert_eq!(holders, [("a".to_owned(), 1), ("c".to_owned(), 1)]);
}

/// Schema records over two contexts: a content bound to a second id (as
/// IMPORT may), an id held again with other metadata (it keeps the content
/// it was first held with), a soft and a hard delete.
fn grown_state() -> State {
    let schema = |subject: &str, version: i32, id: i32, text: &str| {
        let value = SchemaValue::new(subject, version, id, text);
        Record::Schema(subject.into(), version, Some(value))
    };
    let mut with_metadata = SchemaValue::new("d", 1, 2, "\"long\"");
    with_metadata.metadata = Some(serde_json::json!({"properties": {"owner": "x"}}));
    let mut soft_deleted = SchemaValue::new("a", 3, 5, "\"bytes\"");
    soft_deleted.deleted = true;
    let records = [
        schema("a", 1, 1, "\"int\""),
        schema("a", 2, 2, "\"long\""),
        schema("b", 1, 3, "\"int\""),
        schema("b", 2, 4, "\"string\""),
        schema(":.ctx:c", 1, 2, "\"long\""),
        schema(":.ctx:c", 2, 7, "\"int\""),
        Record::Schema("d".into(), 1, Some(with_metadata)),
        Record::Schema("a".into(), 3, Some(soft_deleted)),
        Record::Schema("b".into(), 2, None),
    ];
    let mut state = State::default();
    for record in records {
        state.apply(record);
    }
    state
}

/// A context, an id in it, the id's text and its holders.
type HeldId = (String, i32, String, Vec<(String, i32)>);

/// What each id and its holders are in `state`, by context.
fn ids_and_holders(state: &State) -> Vec<HeldId> {
    let mut found = Vec::new();
    for (name, context) in &state.contexts {
        for (id, entry) in &context.ids {
            let holders = entry.holders.iter().map(|(s, v)| (s.to_string(), *v));
            found.push((
                name.clone(),
                *id,
                entry.content.schema.clone(),
                holders.collect(),
            ));
        }
    }
    found
}

#[test]
fn planning_writes_finds_each_content_by_its_lowest_id() {
    let state = grown_state().with_full_nodes().planning_writes();
    for (name, context) in &state.contexts {
        let mut lowest = HashMap::new();
        for (id, entry) in &context.ids {
            lowest.entry(entry.content.fingerprint()).or_insert(*id);
        }
        let indexed: HashMap<_, _> = context
            .by_fingerprint
            .iter()
            .map(|(f, id)| (*f, *id))
            .collect();
        assert_eq!(indexed, lowest, "context {name}");
    }
    let default = state.context(".").unwrap();
    assert_eq!(
        default.ids.keys().copied().collect::<Vec<_>>(),
        [1, 2, 3, 5]
    );
    assert_eq!(default.by_fingerprint.len(), 3);
    for (name, subject) in state.subjects() {
        let context = state.context(QualifiedSubject::context_of(name)).unwrap();
        for version in subject.versions.values() {
            let held = &context.ids[&version.id].content;
            assert_eq!(version.fingerprint, held.fingerprint(), "{name}");
        }
    }
    let held_again = &state.subject("d").unwrap().versions[&1];
    assert!(held_again.content.metadata.is_none());
}

#[test]
fn a_copy_of_the_state_holds_the_same_ids_and_holders() {
    let grown = grown_state();
    let expected = ids_and_holders(&grown);
    assert_eq!(ids_and_holders(&grown.clone()), expected);
    let refilled = grown.with_full_nodes();
    assert_eq!(ids_and_holders(&refilled), expected);
    let shared = &refilled.context(".").unwrap().ids[&2].holders;
    assert_eq!(shared.len(), 2);
    let single = &refilled.context(".").unwrap().ids[&1].holders;
    assert!(
        !single.spilled(),
        "one holder needs no allocation of its own"
    );
}
