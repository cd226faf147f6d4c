use serde_json::json;

use crate::server::{record, Server};

fn check(server: &Server, path: &str, schema: &str) -> crate::server::Reply {
    server.post(path, &json!({"schema": schema}).to_string())
}

#[test]
fn compatible_and_incompatible_answers() {
    let server = Server::start();
    server.register("s", &record("R", &[("a", "int")]));
    let adds_optional = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":""}]}"#;
    let ok = check(
        &server,
        "/compatibility/subjects/s/versions/latest",
        adds_optional,
    );
    assert_eq!(ok.body, json!({"is_compatible": true}));
    let verbose = check(
        &server,
        "/compatibility/subjects/s/versions/1?verbose=true",
        adds_optional,
    );
    assert_eq!(verbose.body, json!({"is_compatible": true, "messages": []}));
    let breaking = record("R", &[("a", "int"), ("b", "string")]);
    let bad = check(
        &server,
        "/compatibility/subjects/s/versions/latest",
        &breaking,
    );
    assert_eq!(bad.body, json!({"is_compatible": false}));
    let explained = check(
        &server,
        "/compatibility/subjects/s/versions/latest?verbose=true",
        &breaking,
    );
    let messages = explained.body["messages"].as_array().expect("messages");
    assert_eq!(
        messages[0],
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'b'}"
    );
    assert_eq!(messages[1], "{oldSchemaVersion: 1}");
    assert_eq!(
        messages[2],
        format!("{{oldSchema: '{}'}}", record("R", &[("a", "int")]))
    );
    assert_eq!(
        messages[3],
        "{validateFields: 'false', compatibility: 'BACKWARD'}"
    );
}

#[test]
fn trailing_slash_and_all_versions_form() {
    let server = Server::start();
    server.register("s", &record("R", &[("a", "int")]));
    let reply = check(
        &server,
        "/compatibility/subjects/s/versions/",
        &record("R", &[("a", "long")]),
    );
    assert_eq!(reply.body, json!({"is_compatible": true}));
    let unknown = check(
        &server,
        "/compatibility/subjects/nobody/versions",
        "\"int\"",
    );
    assert_eq!(unknown.body, json!({"is_compatible": true}));
}

#[test]
fn missing_versions_and_bad_versions() {
    let server = Server::start();
    let latest = check(
        &server,
        "/compatibility/subjects/nobody/versions/latest",
        "\"int\"",
    );
    assert_eq!(latest.body, json!({"is_compatible": true}));
    let numbered = check(
        &server,
        "/compatibility/subjects/nobody/versions/3",
        "\"int\"",
    );
    assert_eq!(
        (numbered.status, numbered.code(), numbered.message()),
        (404, 40402, "Version 3 not found.")
    );
    assert_eq!(
        check(
            &server,
            "/compatibility/subjects/s/versions/zero",
            "\"int\""
        )
        .code(),
        42202
    );
}

#[test]
fn invalid_schema_is_422_or_a_verbose_answer() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let plain = check(
        &server,
        "/compatibility/subjects/s/versions/latest",
        "{\"type\":\"bogus\"}",
    );
    assert_eq!(plain.code(), 42201);
    let verbose = check(
        &server,
        "/compatibility/subjects/s/versions/latest?verbose=true",
        "{\"type\":\"bogus\"}",
    );
    assert_eq!(verbose.status, 200);
    assert_eq!(verbose.body["is_compatible"], false);
    assert!(verbose.body["messages"][0]
        .as_str()
        .unwrap()
        .starts_with("Invalid schema {subject=s,"));
}

#[test]
fn transitive_levels_check_every_live_version() {
    let server = Server::start();
    server.put("/config/s", r#"{"compatibility":"BACKWARD_TRANSITIVE"}"#);
    server.register("s", &record("R", &[("a", "int")]));
    let v2 = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}"#;
    server.register("s", v2);
    let v3 = record("R", &[("a", "int"), ("b", "int")]);
    let reply = check(
        &server,
        "/compatibility/subjects/s/versions?verbose=true",
        &v3,
    );
    assert_eq!(reply.body["is_compatible"], false, "v3 cannot read v1 data");
    assert!(reply.body["messages"]
        .as_array()
        .unwrap()
        .contains(&json!("{oldSchemaVersion: 1}")));
    server.put("/config/s", r#"{"compatibility":"BACKWARD"}"#);
    let lenient = check(&server, "/compatibility/subjects/s/versions", &v3);
    assert_eq!(
        lenient.body,
        json!({"is_compatible": true}),
        "only the latest is checked"
    );
}

#[test]
fn forward_and_full_levels() {
    let server = Server::start();
    server.register("s", &record("R", &[("a", "int")]));
    server.put("/config/s", r#"{"compatibility":"FORWARD"}"#);
    let removes_field = record("R", &[]);
    let forward = check(
        &server,
        "/compatibility/subjects/s/versions/latest",
        &removes_field,
    );
    assert_eq!(
        forward.body,
        json!({"is_compatible": false}),
        "old readers need field a"
    );
    server.put("/config/s", r#"{"compatibility":"FULL"}"#);
    let widened = record("R", &[("a", "long")]);
    let full = check(
        &server,
        "/compatibility/subjects/s/versions/latest",
        &widened,
    );
    assert_eq!(
        full.body,
        json!({"is_compatible": false}),
        "int readers cannot read long data"
    );
}
