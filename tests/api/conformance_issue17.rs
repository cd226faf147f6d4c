//! Answers where treaty used to differ from Confluent 7.9, each checked
//! against 7.9's source (cited per test).

use serde_json::json;

use crate::server::Server;

/// `KafkaSchemaRegistry.register` skips `maybePopulateFromPrevious` in
/// IMPORT mode, so it answers `new Schema(subject, id)`: the id alone. A
/// repeated import of the same id and version is found by
/// `registerOrForward`'s look-up, which answers the stored version whole.
#[test]
fn import_with_explicit_id_and_version_answers_the_id_alone() {
    let server = Server::start();
    assert_eq!(server.put("/mode", r#"{"mode":"IMPORT"}"#).status, 200);
    let body = json!({"schema": "\"string\"", "id": 7, "version": 2}).to_string();
    let first = server.post("/subjects/s/versions", &body);
    assert_eq!((first.status, first.body), (200, json!({"id": 7})));
    let without_version = json!({"schema": "\"int\"", "id": 8}).to_string();
    let second = server.post("/subjects/t/versions", &without_version);
    assert_eq!((second.status, second.body), (200, json!({"id": 8})));
    let again = server.post("/subjects/s/versions", &body);
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert_eq!(again.body["id"], 7);
    assert_eq!(again.body["version"], 2);
    assert_eq!(again.body["schema"], "\"string\"");
}

/// `ModeResource.updateMode` returns its `ModeUpdateRequest`, which
/// ignores unknown properties: the answer holds the mode as sent, nothing
/// else of the body.
#[test]
fn put_mode_answers_the_mode_alone_without_unknown_fields() {
    let server = Server::start();
    let body = r#"{"mode":"readonly","extra":1,"nested":{"a":true}}"#;
    let global = server.put("/mode", body);
    assert_eq!(
        (global.status, global.body),
        (200, json!({"mode": "readonly"}))
    );
    let subject = server.put("/mode/s", r#"{"mode":"IMPORT","force":true}"#);
    assert_eq!(
        (subject.status, subject.body),
        (200, json!({"mode": "IMPORT"}))
    );
    assert_eq!(server.get("/mode").body, json!({"mode": "READONLY"}));
}