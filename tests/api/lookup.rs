use serde_json::{json, Value};

use crate::server::{record, Server};

#[test]
fn lookup_finds_the_registered_version() {
    let server = Server::start();
    let schema = record("R", &[("a", "int")]);
    server.register("s", &schema);
    let reply = server.post("/subjects/s", &json!({"schema": schema}).to_string());
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        json!({"subject": "s", "version": 1, "id": 1, "schema": schema})
    );
}

#[test]
fn lookup_of_unknown_subject_is_40401_and_unknown_schema_40403() {
    let server = Server::start();
    let missing = server.post("/subjects/nope", &json!({"schema": "\"int\""}).to_string());
    assert_eq!(
        (missing.status, missing.code(), missing.message()),
        (404, 40401, "Subject 'nope' not found.")
    );
    server.register("s", "\"string\"");
    let other = server.post("/subjects/s", &json!({"schema": "\"int\""}).to_string());
    assert_eq!(
        (other.status, other.code(), other.message()),
        (404, 40403, "Schema not found")
    );
}

#[test]
fn lookup_sees_soft_deleted_versions_only_when_asked() {
    let server = Server::start();
    server.register("s", "\"string\"");
    server.register("s", "\"bytes\"");
    assert_eq!(server.delete("/subjects/s/versions/1").status, 200);
    let body = json!({"schema": "\"string\""}).to_string();
    assert_eq!(server.post("/subjects/s", &body).code(), 40403);
    let found = server.post("/subjects/s?deleted=true", &body);
    assert_eq!(found.status, 200);
    assert_eq!(found.body["version"], 1);
}

#[test]
fn lookup_of_an_invalid_schema_is_42201() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let reply = server.post("/subjects/s", &json!({"schema": "{\"type\":"}).to_string());
    assert_eq!((reply.status, reply.code()), (422, 42201));
}

/// A request whose text is exactly a stored text is answered without a
/// parse; the same schema spelled differently goes through the parse. Both
/// must give the same answer, in every case that decides which version
/// matches: newest first, soft-deleted only with `deleted`, metadata part
/// of the content, the type part of it, and registration's own lookup.
#[test]
fn exact_stored_text_and_its_other_spellings_find_the_same_version() {
    let server = Server::start();
    server.put("/config/s", r#"{"compatibility":"NONE"}"#);
    let avro = record("R", &[("a", "int")]);
    let spaced = avro.replace(',', " ,\n ");
    let json_schema = r#"{"properties":{"n":{"type":"integer"}},"type":"object"}"#;
    let json_spaced = json_schema.replace(':', " : ");
    let register = |body: Value| server.post("/subjects/s/versions", &body.to_string());
    register(json!({"schema": avro}));
    register(json!({"schemaType": "JSON", "schema": json_schema}));
    register(json!({"schema": "\"string\""}));
    assert_eq!(server.delete("/subjects/s/versions/3").status, 200);
    // Last: later versions would inherit its metadata.
    register(json!({"schema": avro, "metadata": {"properties": {"k": "v"}}}));

    let other = json!({"properties": {"k": "other"}});
    // (exact text, another spelling, whether a live version holds it)
    let cases = [
        (json!({"schema": avro}), json!({"schema": spaced}), true),
        (
            json!({"schema": avro, "metadata": {"properties": {"k": "v"}}}),
            json!({"schema": spaced, "metadata": {"properties": {"k": "v"}}}),
            true,
        ),
        (
            json!({"schemaType": "JSON", "schema": json_schema}),
            json!({"schemaType": "JSON", "schema": json_spaced}),
            true,
        ),
        (
            json!({"schema": avro, "metadata": other}),
            json!({"schema": spaced, "metadata": other}),
            false,
        ),
        (
            json!({"schemaType": "JSON", "schema": avro}),
            json!({"schemaType": "JSON", "schema": spaced}),
            false,
        ),
        (
            json!({"schema": "\"string\""}),
            json!({"schema": " \"string\" "}),
            false,
        ),
    ];
    let mut versions = Vec::new();
    for (exact, spelled, live) in &cases {
        // Registration's lookup only where it finds a live version: else
        // the first request registers, and the second finds its version.
        let registering = live.then_some("/subjects/s/versions");
        for path in ["/subjects/s", "/subjects/s?deleted=true"]
            .into_iter()
            .chain(registering)
        {
            let answer = |body: &Value| {
                let reply = server.post(path, &body.to_string());
                (reply.status, reply.body)
            };
            let (a, b) = (answer(exact), answer(spelled));
            assert_eq!(a.0, b.0, "{path} {exact}");
            if a.0 == 200 {
                assert_eq!(a.1.to_string(), b.1.to_string(), "{path} {exact}");
            } else {
                // Error messages quote the text as sent.
                assert_eq!(a.1["error_code"], b.1["error_code"], "{path} {exact}");
            }
            versions.push((path, a.1["version"].clone()));
        }
    }
    let numbers = |wanted: &str| -> Vec<Value> {
        versions
            .iter()
            .filter(|(path, _)| *path == wanted)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let none = Value::Null;
    assert_eq!(
        numbers("/subjects/s"),
        [
            json!(1),
            json!(4),
            json!(2),
            none.clone(),
            none.clone(),
            none
        ]
    );
    assert_eq!(numbers("/subjects/s?deleted=true")[5], json!(3));
    assert_eq!(server.get("/subjects/s/versions").body, json!([1, 2, 4]));
}

/// Past some number of versions a subject finds them by fingerprint
/// instead of comparing each: lookups, soft deletes and re-registrations
/// over many versions answer as over few, restarted too.
#[test]
fn lookups_in_a_subject_with_many_versions() {
    let mut server = Server::start();
    server.put("/config/s", &json!({"compatibility": "NONE"}).to_string());
    let fixed = |size: usize| format!("{{\"type\":\"fixed\",\"name\":\"F\",\"size\":{size}}}");
    for size in 1..=100 {
        assert_eq!(server.register("s", &fixed(size)), size as i64);
    }
    assert_eq!(server.delete("/subjects/s/versions/30").status, 200);
    for _ in 0..2 {
        let lookup = |size: usize, deleted: bool| {
            let path = format!("/subjects/s?deleted={deleted}");
            server.post(&path, &json!({"schema": fixed(size)}).to_string())
        };
        assert_eq!(lookup(7, false).body["version"], 7);
        assert_eq!(lookup(100, false).body["version"], 100);
        assert_eq!(lookup(30, false).code(), 40403);
        assert_eq!(lookup(30, true).body["version"], 30);
        assert_eq!(lookup(101, false).code(), 40403);
        server = server.restart();
    }
    // The soft-deleted content registers again as a new version, same id.
    let again = server.post(
        "/subjects/s/versions",
        &json!({"schema": fixed(30)}).to_string(),
    );
    assert_eq!(again.body["id"], 30);
    let latest = server.get("/subjects/s/versions/latest");
    assert_eq!(
        (latest.body["version"].clone(), latest.body["id"].clone()),
        (json!(101), json!(30))
    );
}
