//! Properties of the registry the HTTP tests cannot see.

use std::sync::Arc;

use treaty_compat::SchemaType;

use super::{Mode, Registry, RequestReference, SchemaRequest};
use crate::log::LocalLog;
use crate::store::Store;

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
