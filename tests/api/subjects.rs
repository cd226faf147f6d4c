use serde_json::json;

use crate::server::Server;

#[test]
fn subjects_are_listed_sorted_and_filtered_by_prefix() {
    let server = Server::start();
    for subject in ["b-value", "a-value", "a-key"] {
        server.register(subject, "\"string\"");
    }
    assert_eq!(
        server.get("/subjects").body,
        json!(["a-key", "a-value", "b-value"])
    );
    assert_eq!(
        server.get("/subjects?subjectPrefix=a-").body,
        json!(["a-key", "a-value"])
    );
    assert_eq!(
        server.get("/subjects?offset=1&limit=1").body,
        json!(["a-value"])
    );
    assert_eq!(
        server.get("/subjects?limit=-1").body,
        json!(["a-key", "a-value", "b-value"])
    );
}

#[test]
fn deleted_subjects_are_listed_only_on_request() {
    let server = Server::start();
    server.register("live", "\"string\"");
    server.register("gone", "\"string\"");
    server.delete("/subjects/gone");
    assert_eq!(server.get("/subjects").body, json!(["live"]));
    assert_eq!(
        server.get("/subjects?deleted=true").body,
        json!(["gone", "live"])
    );
    assert_eq!(
        server.get("/subjects?deletedOnly=true").body,
        json!(["gone"])
    );
    assert_eq!(
        server.get("/subjects?deleted_only=True").body,
        json!(["gone"])
    );
    assert_eq!(
        server.get("/subjects?deleted=True").body,
        json!(["gone", "live"])
    );
}

#[test]
fn versions_after_soft_delete() {
    let server = Server::start();
    server.register("s", "\"string\"");
    server.register("s", "\"bytes\"");
    assert_eq!(server.delete("/subjects/s/versions/1").body, json!(1));
    assert_eq!(server.get("/subjects/s/versions").body, json!([2]));
    assert_eq!(
        server.get("/subjects/s/versions?deleted=true").body,
        json!([1, 2])
    );
    assert_eq!(
        server.get("/subjects/s/versions?deletedOnly=true").body,
        json!([1])
    );
    let gone = server.get("/subjects/s/versions/1");
    assert_eq!(
        (gone.status, gone.code(), gone.message()),
        (404, 40402, "Version 1 not found.")
    );
    assert_eq!(
        server.get("/subjects/s/versions/1?deleted=true").body["schema"],
        "\"string\""
    );
}

#[test]
fn version_reads_accept_latest_and_minus_one_and_validate_the_number() {
    let server = Server::start();
    server.register("s", "\"string\"");
    for version in ["latest", "LATEST", "-1", "1", "01", "+1"] {
        let reply = server.get(&format!("/subjects/s/versions/{version}"));
        assert_eq!(reply.body["version"], 1, "{version}");
    }
    for bad in ["0", "-2", "1.0", "abc", "2147483648"] {
        let reply = server.get(&format!("/subjects/s/versions/{bad}"));
        assert_eq!((reply.status, reply.code()), (422, 42202), "{bad}");
        assert_eq!(
            reply.message(),
            format!("The specified version '{bad}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"")
        );
    }
    let missing = server.get("/subjects/nope/versions/0");
    assert_eq!(
        missing.code(),
        42202,
        "the version is validated before the subject"
    );
}

#[test]
fn unknown_subject_and_version_reads() {
    let server = Server::start();
    assert_eq!(server.get("/subjects/nope/versions").code(), 40401);
    assert_eq!(server.get("/subjects/nope/versions/latest").code(), 40401);
    server.register("s", "\"string\"");
    let reply = server.get("/subjects/s/versions/9");
    assert_eq!(
        (reply.code(), reply.message()),
        (40402, "Version 9 not found.")
    );
}

#[test]
fn raw_schema_of_a_version_is_not_json_quoted() {
    let server = Server::start();
    let schema = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
    server.register("s", schema);
    let reply = server.get("/subjects/s/versions/1/schema");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        serde_json::from_str::<serde_json::Value>(schema).unwrap()
    );
}

/// Confluent's `Schema` fields in Confluent's order, every optional part
/// present, from each route that answers with one.
#[test]
fn schema_answers_keep_confluent_field_order() {
    let server = Server::start();
    server.post(
        "/subjects/dep/versions",
        &json!({"schemaType": "JSON", "schema": "{\"type\":\"string\"}"}).to_string(),
    );
    let body = json!({
        "schemaType": "JSON",
        "schema": "{\"$ref\":\"dep.json\"}",
        "references": [{"name": "dep.json", "subject": "dep", "version": 1}],
        "metadata": {"properties": {"owner": "a"}},
        "ruleSet": {"domainRules": []}
    });
    assert_eq!(
        server
            .post("/subjects/s/versions", &body.to_string())
            .status,
        200
    );
    let order = [
        "subject",
        "version",
        "id",
        "schemaType",
        "references",
        "metadata",
        "ruleSet",
        "schema",
    ];
    for reply in [
        server.get("/subjects/s/versions/1"),
        server.get("/subjects/s/versions/latest"),
        server.post("/subjects/s", &body.to_string()),
    ] {
        let keys: Vec<&str> = reply
            .body
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, order, "{}", reply.body);
    }
    let listed = server.get("/schemas?subjectPrefix=s");
    let keys: Vec<&str> = listed.body[0]
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, order);
}

/// `GET /subjects` without a query is rendered once per state: every write
/// that changes the list shows at once, and it matches the answer the
/// general path gives (forced here by an explicit default prefix).
#[test]
fn the_cached_subject_list_follows_every_write() {
    let server = Server::start();
    let check = |expected: serde_json::Value| {
        let plain = server.get("/subjects");
        assert_eq!(plain.body, expected);
        assert_eq!(plain.body, server.get("/subjects?subjectPrefix=:*:").body);
    };
    check(json!([]));
    server.register("b", "\"string\"");
    check(json!(["b"]));
    server.register("a", "\"int\"");
    server.register(":.ctx:c", "\"long\"");
    check(json!([":.ctx:c", "a", "b"]));
    assert_eq!(server.delete("/subjects/b").status, 200);
    check(json!([":.ctx:c", "a"]));
    server.register("b", "\"bytes\"");
    check(json!([":.ctx:c", "a", "b"]));
    server.delete("/subjects/a");
    server.delete("/subjects/a?permanent=true");
    check(json!([":.ctx:c", "b"]));
}
