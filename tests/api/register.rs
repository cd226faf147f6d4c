use serde_json::json;

use crate::server::{record, Server};

#[test]
fn register_same_schema_twice_returns_same_id_and_one_version() {
    let server = Server::start();
    let schema = record("User", &[("name", "string")]);
    let first = server.register("users-value", &schema);
    let second = server.register("users-value", &schema);
    assert_eq!(first, second);
    assert_eq!(
        server.get("/subjects/users-value/versions").body,
        json!([1])
    );
}

#[test]
fn same_schema_in_two_subjects_gets_the_same_id() {
    let server = Server::start();
    let schema = record("User", &[("name", "string")]);
    let a = server.register("a-value", &schema);
    let b = server.register("b-value", &schema);
    assert_eq!(a, b);
    assert_eq!(
        server.get("/schemas/ids/1/subjects").body,
        json!(["a-value", "b-value"])
    );
}

#[test]
fn different_schemas_get_increasing_ids_and_versions() {
    let server = Server::start();
    let v1 = server.register("s", &record("R", &[("a", "int")]));
    let v2 = server.register(
        "s",
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"}]}"#,
    );
    assert_eq!((v1, v2), (1, 2));
    assert_eq!(server.get("/subjects/s/versions").body, json!([1, 2]));
    let latest = server.get("/subjects/s/versions/latest");
    assert_eq!(latest.body["version"], 2);
    assert_eq!(latest.body["id"], 2);
}

#[test]
fn stored_text_is_the_canonical_form_and_whitespace_does_not_matter() {
    let server = Server::start();
    let spaced = "{ \"type\" : \"record\", \"name\": \"R\",\n \"fields\": [ {\"name\":\"a\", \"type\":\"int\"} ] }";
    let id = server.register("s", spaced);
    let compact = record("R", &[("a", "int")]);
    assert_eq!(server.register("other", &compact), id);
    let fetched = server.get(&format!("/schemas/ids/{id}"));
    assert_eq!(fetched.body, json!({"schema": compact}));
}

#[test]
fn response_to_a_plain_registration_is_only_the_id() {
    let server = Server::start();
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"string\""}).to_string(),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json!({"id": 1}));
}

#[test]
fn explicit_version_must_be_the_next_one_and_gets_the_long_answer() {
    let server = Server::start();
    let wrong = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"string\"", "version": 3}).to_string(),
    );
    assert_eq!((wrong.status, wrong.code()), (422, 42201));
    assert_eq!(
        wrong.message(),
        "Version is not one more than previous version"
    );
    let right = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"string\"", "version": 1}).to_string(),
    );
    assert_eq!(right.status, 200);
    assert_eq!(right.body["id"], 1);
    assert_eq!(right.body["version"], 1);
    assert_eq!(right.body["schema"], "\"string\"");
    assert_eq!(
        right.body["metadata"]["properties"]["confluent:version"],
        "1"
    );
}

#[test]
fn an_id_outside_import_mode_is_refused() {
    let server = Server::start();
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"string\"", "id": 7}).to_string(),
    );
    assert_eq!((reply.status, reply.code()), (422, 42205));
    assert_eq!(reply.message(), "Subject s is not in import mode");
    let absent = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"string\"", "id": -1}).to_string(),
    );
    assert_eq!(absent.status, 200);
}

#[test]
fn invalid_avro_is_rejected_with_42201_and_the_reason() {
    let server = Server::start();
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": "{\"type\":\"nonsense\"}"}).to_string(),
    );
    assert_eq!((reply.status, reply.code()), (422, 42201));
    assert!(
        reply.message().starts_with(
            "Invalid schema {subject=s,version=0,id=-1,schemaType=AVRO,references=[],"
        ),
        "{}",
        reply.message()
    );
    assert!(reply.message().contains("details: "), "{}", reply.message());
    assert!(reply.message().contains("nonsense"), "{}", reply.message());
}

#[test]
fn empty_schema_and_unknown_schema_type_are_42201() {
    let server = Server::start();
    for body in [json!({}), json!({"schema": ""}), json!({"schema": "   "})] {
        let reply = server.post("/subjects/s/versions", &body.to_string());
        assert_eq!(
            (reply.status, reply.code(), reply.message()),
            (422, 42201, "Empty schema"),
            "{body}"
        );
    }
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"int\"", "schemaType": "avro"}).to_string(),
    );
    assert_eq!(
        (reply.code(), reply.message()),
        (42201, "Invalid schema type avro")
    );
}

#[test]
fn empty_schema_reuses_the_latest_version_to_attach_metadata() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let body = json!({"metadata": {"properties": {"owner": "team-a"}}});
    let reply = server.post("/subjects/s/versions", &body.to_string());
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["version"], 2);
    assert_eq!(reply.body["schema"], "\"string\"");
    let latest = server.get("/subjects/s/versions/latest");
    assert_eq!(
        latest.body["metadata"],
        json!({"properties": {"owner": "team-a"}})
    );
}

#[test]
fn metadata_is_part_of_identity() {
    let server = Server::start();
    let plain = server.register("a", "\"string\"");
    let with_metadata = server.post(
        "/subjects/b/versions",
        &json!({"schema": "\"string\"", "metadata": {"properties": {"owner": 5}}}).to_string(),
    );
    assert_ne!(with_metadata.body["id"].as_i64(), Some(plain));
    assert_eq!(
        with_metadata.body["metadata"],
        json!({"properties": {"owner": "5"}})
    );
}

#[test]
fn rule_set_is_stored_and_returned_as_sent() {
    let server = Server::start();
    let rules = json!({"domainRules": [{"name": "checkSsn", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "true"}]});
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"string\"", "ruleSet": rules}).to_string(),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(server.get("/subjects/s/versions/1").body["ruleSet"], rules);
}

#[test]
fn invalid_subject_names_are_42208() {
    let server = Server::start();
    for subject in ["__GLOBAL", "__EMPTY", "a%01b"] {
        let reply = server.post(
            &format!("/subjects/{subject}/versions"),
            &json!({"schema": "\"int\""}).to_string(),
        );
        assert_eq!((reply.status, reply.code()), (422, 42208), "{subject}");
    }
}

#[test]
fn incompatible_schema_is_rejected_with_409_and_the_reason() {
    let server = Server::start();
    server.register("s", &record("R", &[("a", "int")]));
    let breaking = record("R", &[("a", "int"), ("b", "string")]);
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": breaking}).to_string(),
    );
    assert_eq!((reply.status, reply.code()), (409, 409));
    let message = reply.message();
    assert!(message.starts_with("Schema being registered is incompatible with an earlier schema for subject \"s\", details: ["), "{message}");
    assert!(
        message.contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
        "{message}"
    );
    assert!(message.contains("{oldSchemaVersion: 1}"), "{message}");
    assert!(
        message.ends_with("{validateFields: 'false', compatibility: 'BACKWARD'}]"),
        "{message}"
    );
    assert_eq!(server.get("/subjects/s/versions").body, json!([1]));
}

#[test]
fn subject_names_may_hold_encoded_slashes_and_unicode() {
    let server = Server::start();
    server.register("dir%2Fcommon.proto", "\"string\"");
    server.register("%C3%BCber", "\"int\"");
    assert_eq!(
        server.get("/subjects").body,
        json!(["dir/common.proto", "über"])
    );
    assert_eq!(
        server.get("/subjects/dir%2Fcommon.proto/versions/1").body["subject"],
        "dir/common.proto"
    );
}
