//! Protobuf oneof regrouping as the 7.9.x branch judges it since
//! DGS-24604 (`MessageSchemaDiff` compares every field by tag across the
//! whole message): a field moved into an existing oneof breaks BACKWARD
//! only. GA releases up to 7.9.9 still compared oneofs by name and called
//! the FORWARD direction `ONEOF_FIELD_REMOVED` (COMPATIBILITY.md).

use serde_json::json;

use crate::server::Server;

const OLD: &str = "syntax = \"proto3\";\npackage test;\n\nmessage M {\n  string a = 1;\n  oneof o {\n    int32 b = 2;\n  }\n}\n";
const NEW: &str = "syntax = \"proto3\";\npackage test;\n\nmessage M {\n  oneof o {\n    string a = 1;\n    int32 b = 2;\n  }\n}\n";

/// `OLD` as Confluent stores it (and quotes it in verbose messages).
const STORED_OLD: &str = "syntax = \"proto3\";\npackage test;\n\nmessage M {\n  string a = 1;\n\n  oneof o {\n    int32 b = 2;\n  }\n}\n";

fn check_move_under(level: &str) -> serde_json::Value {
    let server = Server::start();
    let old = json!({"schemaType": "PROTOBUF", "schema": OLD}).to_string();
    assert_eq!(server.post("/subjects/s/versions", &old).status, 200);
    let config = json!({ "compatibility": level }).to_string();
    assert_eq!(server.put("/config/s", &config).status, 200);
    let new = json!({"schemaType": "PROTOBUF", "schema": NEW}).to_string();
    let reply = server.post(
        "/compatibility/subjects/s/versions/latest?verbose=true",
        &new,
    );
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

/// Old readers (one field outside the oneof) read what new writers send:
/// at most one of the two fields, which the old reader takes as it is.
#[test]
fn field_moved_into_an_existing_oneof_is_forward_compatible() {
    assert_eq!(
        check_move_under("FORWARD"),
        json!({"is_compatible": true, "messages": []})
    );
}

/// New readers see two formerly independent fields in one oneof: both set
/// in old data cannot be read back, `FIELD_MOVED_TO_EXISTING_ONEOF`.
#[test]
fn field_moved_into_an_existing_oneof_breaks_backward_with_confluents_text() {
    assert_eq!(
        check_move_under("BACKWARD"),
        json!({"is_compatible": false, "messages": [
            "{errorType:\"FIELD_MOVED_TO_EXISTING_ONEOF\", description:\"A field in the oneof at path '#/M/o' in the new schema is outside an existing oneof in the old schema\"}",
            "{oldSchemaVersion: 1}",
            format!("{{oldSchema: '{STORED_OLD}'}}"),
            "{validateFields: 'false', compatibility: 'BACKWARD'}"
        ]})
    );
}
