//! Protobuf and JSON Schema through the REST API.

use serde_json::json;

use crate::server::Server;

const COMMON_PROTO: &str = "syntax = \"proto3\";\npackage acme;\n\nmessage Money {\n  string currency = 1;\n  int64 units = 2;\n}\n";

const ORDER_PROTO: &str = "syntax = \"proto3\";\npackage acme;\n\nimport \"acme/common.proto\";\nimport \"google/protobuf/timestamp.proto\";\n\nmessage Order {\n  string id = 1;\n  Money total = 2;\n  google.protobuf.Timestamp placed = 3;\n}\n";

fn register_protobuf(server: &Server) -> i64 {
    let common = server.post(
        "/subjects/acme%2Fcommon.proto/versions",
        &json!({"schema": COMMON_PROTO, "schemaType": "PROTOBUF"}).to_string(),
    );
    assert_eq!(common.status, 200, "{:?}", common.body);
    let order = server.post(
        "/subjects/orders-value/versions",
        &json!({
            "schema": ORDER_PROTO,
            "schemaType": "PROTOBUF",
            "references": [{"name": "acme/common.proto", "subject": "acme/common.proto", "version": 1}]
        })
        .to_string(),
    );
    assert_eq!(order.status, 200, "{:?}", order.body);
    order.body["id"].as_i64().unwrap()
}

#[test]
fn protobuf_with_references_and_well_known_types() {
    let server = Server::start();
    let id = register_protobuf(&server);
    let fetched = server.get(&format!("/schemas/ids/{id}")).body;
    assert_eq!(fetched["schemaType"], "PROTOBUF");
    assert_eq!(fetched["references"][0]["subject"], "acme/common.proto");
    assert!(
        fetched["schema"]
            .as_str()
            .unwrap()
            .contains("message Order"),
        "{fetched}"
    );
    let version = server.get("/subjects/orders-value/versions/1").body;
    assert_eq!(version["schemaType"], "PROTOBUF");
    assert_eq!(
        server
            .get("/subjects/acme%2Fcommon.proto/versions/1/referencedby")
            .body,
        json!([id])
    );
    let blocked = server.delete("/subjects/acme%2Fcommon.proto/versions/1");
    assert_eq!(blocked.code(), 42206);
}

#[test]
fn protobuf_serialized_format_round_trips() {
    let server = Server::start();
    let id = register_protobuf(&server);
    let serialized = server
        .get(&format!("/schemas/ids/{id}?format=serialized"))
        .body;
    let base64 = serialized["schema"].as_str().unwrap().to_owned();
    assert!(
        !base64.contains("message"),
        "base64, not proto text: {base64}"
    );
    let again = server.post(
        "/subjects/orders-copy/versions",
        &json!({
            "schema": base64,
            "schemaType": "PROTOBUF",
            "references": [{"name": "acme/common.proto", "subject": "acme/common.proto", "version": 1}]
        })
        .to_string(),
    );
    assert_eq!(
        again.status, 200,
        "a base64 FileDescriptorProto is accepted: {:?}",
        again.body
    );
}

#[test]
fn protobuf_errors_and_compatibility() {
    let server = Server::start();
    let syntax = server.post(
        "/subjects/p/versions",
        &json!({"schema": "syntax = \"proto3\";\nmessage {", "schemaType": "PROTOBUF"}).to_string(),
    );
    assert_eq!(syntax.code(), 42201);
    assert!(
        syntax.message().contains(":2:"),
        "line and column: {}",
        syntax.message()
    );
    let missing = server.post(
        "/subjects/p/versions",
        &json!({"schema": ORDER_PROTO, "schemaType": "PROTOBUF"}).to_string(),
    );
    assert_eq!(missing.code(), 42201);
    assert!(
        missing.message().contains("acme/common.proto"),
        "{}",
        missing.message()
    );

    let v1 = "syntax = \"proto3\";\nmessage M {\n  string a = 1;\n}\n";
    let changed = "syntax = \"proto3\";\nmessage M {\n  int32 a = 1;\n}\n";
    assert_eq!(
        server
            .post(
                "/subjects/m/versions",
                &json!({"schema": v1, "schemaType": "PROTOBUF"}).to_string()
            )
            .status,
        200
    );
    let check = server.post(
        "/compatibility/subjects/m/versions/latest?verbose=true",
        &json!({"schema": changed, "schemaType": "PROTOBUF"}).to_string(),
    );
    assert_eq!(check.body["is_compatible"], false, "{:?}", check.body);
    let first = check.body["messages"][0].as_str().unwrap();
    assert!(
        first.starts_with("{errorType:\"FIELD_SCALAR_KIND_CHANGED\""),
        "{first}"
    );
}

#[test]
fn protobuf_wire_rules_are_opt_in_per_subject() {
    let server = Server::start();
    let v1 = "syntax = \"proto3\";\nmessage M {\n  string a = 1;\n  string b = 2;\n}\n";
    let drops_b = "syntax = \"proto3\";\nmessage M {\n  string a = 1;\n}\n";
    server.post(
        "/subjects/m/versions",
        &json!({"schema": v1, "schemaType": "PROTOBUF"}).to_string(),
    );
    let path = "/compatibility/subjects/m/versions/latest?verbose=true";
    let body = json!({"schema": drops_b, "schemaType": "PROTOBUF"}).to_string();
    assert_eq!(
        server.post(path, &body).body["is_compatible"],
        true,
        "Confluent allows deleting a field"
    );
    let echo = server.put("/config/m", r#"{"treatyProtobufWireRules": true}"#);
    assert_eq!(echo.body, json!({"treatyProtobufWireRules": true}));
    let strict = server.post(path, &body).body;
    assert_eq!(strict["is_compatible"], false, "{strict}");
    assert!(
        strict["messages"]
            .to_string()
            .contains("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"),
        "{strict}"
    );
}

#[test]
fn json_schema_registration_normalization_and_compatibility() {
    let server = Server::start();
    let open = r#"{"type":"object","properties":{"a":{"type":"string"}}}"#;
    let reordered = r#"{"properties":{"a":{"type":"string"}},"type":"object"}"#;
    let body = |schema: &str| json!({"schema": schema, "schemaType": "JSON"}).to_string();
    let first = server.post("/subjects/j/versions", &body(open));
    assert_eq!(first.status, 200, "{:?}", first.body);
    let same = server.post("/subjects/j/versions?normalize=true", &body(reordered));
    let normalized_first = server.post("/subjects/k/versions?normalize=true", &body(open));
    assert_eq!(
        same.body["id"], normalized_first.body["id"],
        "key order does not matter when normalized"
    );
    assert_eq!(
        server.get("/subjects/j/versions/1").body["schemaType"],
        "JSON"
    );
    let narrowed = r#"{"type":"object","properties":{"a":{"type":"integer"}}}"#;
    let check = server.post(
        "/compatibility/subjects/j/versions/1?verbose=true",
        &body(narrowed),
    );
    assert_eq!(check.body["is_compatible"], false, "{:?}", check.body);
    let invalid = server.post("/subjects/j/versions", &body(r#"{"type": 5}"#));
    assert_eq!(invalid.code(), 42201);
}

#[test]
fn json_schema_references_resolve() {
    let server = Server::start();
    let address = r#"{"type":"object","properties":{"street":{"type":"string"}}}"#;
    server.post(
        "/subjects/address/versions",
        &json!({"schema": address, "schemaType": "JSON"}).to_string(),
    );
    let person = r#"{"type":"object","properties":{"home":{"$ref":"address.json"}}}"#;
    let reply = server.post(
        "/subjects/person/versions",
        &json!({"schema": person, "schemaType": "JSON", "references": [{"name": "address.json", "subject": "address", "version": 1}]}).to_string(),
    );
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let unresolved = server.post(
        "/subjects/other/versions",
        &json!({"schema": person, "schemaType": "JSON"}).to_string(),
    );
    assert_eq!(unresolved.code(), 42201, "{:?}", unresolved.body);
}

#[test]
fn schema_types_are_all_three() {
    let server = Server::start();
    assert_eq!(
        server.get("/schemas/types").body,
        json!(["JSON", "PROTOBUF", "AVRO"])
    );
}

#[test]
fn a_different_schema_type_is_incompatible() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let reply = server.post(
        "/compatibility/subjects/s/versions/latest?verbose=true",
        &json!({"schema": "{\"type\":\"string\"}", "schemaType": "JSON"}).to_string(),
    );
    assert_eq!(reply.body["is_compatible"], false);
    assert_eq!(
        reply.body["messages"][0],
        "Incompatible because of different schema type"
    );
}
