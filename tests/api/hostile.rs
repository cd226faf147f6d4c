//! Hostile input: every class gets a Confluent-style error (or a correct
//! answer), never a panic, a hang or a dropped connection; the server keeps
//! serving afterwards.

use serde_json::{json, Value};

use crate::server::{Reply, Server};

/// The reply is an error with Confluent's body shape.
fn assert_error(reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "{:?}", reply.body);
    assert!(reply.body["error_code"].is_i64(), "{:?}", reply.body);
    assert!(reply.body["message"].is_string(), "{:?}", reply.body);
}

fn still_serving(server: &Server) {
    assert_eq!(server.get("/").body, json!({}));
}

fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deeply_nested_json_bodies_are_400() {
    let server = Server::start();
    let body = nested("[", "]", 100_000, "1");
    assert_error(&server.post("/subjects/s/versions", &body), 400);
    let object = nested("{\"a\":", "}", 50_000, "1");
    assert_error(&server.post("/subjects/s/versions", &object), 400);
    still_serving(&server);
}

#[test]
fn avro_schemas_nested_thousands_deep_are_42201() {
    let server = Server::start();
    for depth in [1_000, 10_000] {
        let arrays = nested("{\"type\":\"array\",\"items\":", "}", depth, "\"int\"");
        let reply = server.post(
            "/subjects/s/versions",
            &json!({"schema": arrays}).to_string(),
        );
        assert_error(&reply, 422);
        assert_eq!(reply.code(), 42201);
        let unions = nested("[\"null\",", "]", depth, "\"int\"");
        assert_eq!(
            server
                .post(
                    "/subjects/s/versions",
                    &json!({"schema": unions}).to_string()
                )
                .code(),
            42201
        );
    }
    still_serving(&server);
}

#[test]
fn protobuf_schemas_nested_thousands_deep_are_42201() {
    let server = Server::start();
    let mut proto = String::from("syntax = \"proto3\";\n");
    for i in 0..3_000 {
        proto.push_str(&format!("message M{i} {{\n"));
    }
    proto.push_str(&"}\n".repeat(3_000));
    let reply = server.post(
        "/subjects/p/versions",
        &json!({"schema": proto, "schemaType": "PROTOBUF"}).to_string(),
    );
    assert_error(&reply, 422);
    assert_eq!(reply.code(), 42201);
    let json_schema = nested("{\"items\":", "}", 10_000, "{}");
    let reply = server.post(
        "/subjects/j/versions",
        &json!({"schema": json_schema, "schemaType": "JSON"}).to_string(),
    );
    assert_eq!(reply.code(), 42201, "{:?}", reply.body);
    still_serving(&server);
}

#[test]
fn huge_enums_and_unions_are_handled() {
    let server = Server::start();
    let symbols: Vec<String> = (0..50_000).map(|i| format!("S{i}")).collect();
    let enumeration = json!({"type": "enum", "name": "E", "symbols": symbols}).to_string();
    let reply = server.post(
        "/subjects/e/versions",
        &json!({"schema": enumeration}).to_string(),
    );
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let fewer = json!({"type": "enum", "name": "E", "symbols": &symbols[..49_999]}).to_string();
    let check = server.post(
        "/compatibility/subjects/e/versions/latest",
        &json!({"schema": fewer}).to_string(),
    );
    assert_eq!(
        check.body,
        json!({"is_compatible": false}),
        "new readers lack S49999"
    );
    let branches: Vec<Value> = (0..5_000)
        .map(|i| json!({"type": "fixed", "name": format!("F{i}"), "size": 1}))
        .collect();
    let union = Value::Array(branches).to_string();
    assert_eq!(
        server
            .post(
                "/subjects/u/versions",
                &json!({"schema": union}).to_string()
            )
            .status,
        200
    );
    still_serving(&server);
}

#[test]
fn invalid_utf8_bodies_are_400() {
    let server = Server::start();
    let url = format!("{}/subjects/s/versions", server.base);
    let bytes = b"{\"schema\": \"\xff\xfe\"}";
    let reply = match ureq::post(&url)
        .set("Content-Type", "application/json")
        .send_bytes(bytes)
    {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(reply.status(), 400);
    let body: Value = reply.into_json().unwrap();
    assert_eq!(body["error_code"], 400);
    still_serving(&server);
}

#[test]
fn absurd_ids_and_versions() {
    let server = Server::start();
    server.register("s", "\"string\"");
    for id in ["0", "-2", "1099511627776", "abc", "%00"] {
        let reply = server.get(&format!("/schemas/ids/{id}"));
        assert_eq!(reply.status, 404, "{id}");
        assert!(
            reply.body["error_code"] == 404 || reply.body["error_code"] == 40403,
            "{id}"
        );
    }
    for version in ["0", "-2", "1099511627776", "x", "%20"] {
        let reply = server.get(&format!("/subjects/s/versions/{version}"));
        assert_eq!((reply.status, reply.code()), (422, 42202), "{version}");
        let delete = server.delete(&format!("/subjects/s/versions/{version}"));
        assert_eq!(delete.code(), 42202, "{version}");
    }
    still_serving(&server);
}

#[test]
fn long_and_odd_subject_names() {
    let server = Server::start();
    let long = "x".repeat(10_000);
    assert_eq!(server.register(&long, "\"int\""), 1);
    assert_eq!(
        server.get(&format!("/subjects/{long}/versions")).body,
        json!([1])
    );
    for odd in [
        "a%2Fb%2Fc",
        "%E2%9C%93",
        "with%20space",
        "%3A.ctx%3Aname",
        "...",
    ] {
        let reply = server.post(
            &format!("/subjects/{odd}/versions"),
            &json!({"schema": "\"long\""}).to_string(),
        );
        assert_eq!(reply.status, 200, "{odd}: {:?}", reply.body);
    }
    let subjects = server.get("/subjects").body;
    for name in ["a/b/c", "✓", "with space", ":.ctx:name", "..."] {
        assert!(
            subjects.as_array().unwrap().contains(&json!(name)),
            "{name} in {subjects}"
        );
    }
    still_serving(&server);
}

#[test]
fn unknown_query_parameters_and_fields_are_ignored() {
    let server = Server::start();
    let reply = server.post(
        "/subjects/s/versions?whatever=1&normalize=maybe",
        &json!({"schema": "\"int\"", "unknownField": {"deep": [1, 2]}}).to_string(),
    );
    assert_eq!(reply.body, json!({"id": 1}));
    assert_eq!(server.get("/subjects?foo=bar").body, json!(["s"]));
}

/// Extreme ids and versions in IMPORT mode, as numbers, out-of-range
/// numbers and other JSON: each is an answer (accepted, or a 4xx with
/// Confluent's error body), never a 5xx, and afterwards every id the
/// registry holds names one schema and new registrations still get a fresh
/// positive id or a clear refusal.
#[test]
fn extreme_imported_ids_and_versions_never_break_allocation() {
    let server = Server::start();
    server.put("/mode", r#"{"mode":"IMPORT"}"#);
    let extremes = [
        json!(0),
        json!(1),
        json!(-1),
        json!(-2),
        json!(i32::MAX - 1),
        json!(i32::MAX),
        json!(i64::from(i32::MAX) + 1),
        json!(i32::MIN),
        json!(i64::MIN),
        json!(1e12),
        json!(1.5),
        json!("7"),
        json!(null),
        json!([1]),
    ];
    let mut n = 0;
    for id in &extremes {
        for version in &extremes {
            n += 1;
            let body = json!({"schema": format!("{{\"type\":\"fixed\",\"name\":\"F\",\"size\":{n}}}"), "id": id, "version": version});
            let reply = server.post(&format!("/subjects/s{n}/versions"), &body.to_string());
            assert!(
                reply.status < 500,
                "id {id} version {version}: {:?}",
                reply.body
            );
            if reply.status != 200 {
                assert!(reply.body["error_code"].is_i64(), "{:?}", reply.body);
            }
        }
    }
    server.put("/mode", r#"{"mode":"READWRITE"}"#);
    let next = server.post("/subjects/after/versions", r#"{"schema":"\"string\""}"#);
    assert!(
        next.status == 200 || next.code() == 42205,
        "{:?}",
        next.body
    );
    if next.status == 200 {
        assert!(next.body["id"].as_i64().unwrap() > 0, "{:?}", next.body);
    }
    let server = server.restart();
    still_serving(&server);
    let listed = server.get("/schemas?deleted=true");
    let mut ids = std::collections::HashMap::new();
    for schema in listed.body.as_array().unwrap() {
        let id = schema["id"].as_i64().unwrap();
        assert!(id >= 0, "{schema}");
        let text = schema["schema"].as_str().unwrap().to_owned();
        assert_eq!(
            ids.entry(id).or_insert_with(|| text.clone()),
            &text,
            "id {id}"
        );
    }
}
