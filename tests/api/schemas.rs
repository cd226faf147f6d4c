use serde_json::json;

use crate::server::Server;

#[test]
fn schema_by_id_and_its_variants() {
    let server = Server::start();
    let id = server.register("a", "\"string\"");
    server.register("b", "\"string\"");
    assert_eq!(
        server.get(&format!("/schemas/ids/{id}")).body,
        json!({"schema": "\"string\""})
    );
    assert_eq!(
        server
            .get(&format!("/schemas/ids/{id}?fetchMaxId=true"))
            .body,
        json!({"schema": "\"string\"", "maxId": 1})
    );
    assert_eq!(
        server.get(&format!("/schemas/ids/{id}/schema")).body,
        json!("string")
    );
    assert_eq!(
        server.get(&format!("/schemas/ids/{id}/versions")).body,
        json!([{"subject": "a", "version": 1}, {"subject": "b", "version": 1}])
    );
}

#[test]
fn unknown_ids() {
    let server = Server::start();
    for id in ["0", "-3", "99"] {
        let reply = server.get(&format!("/schemas/ids/{id}"));
        assert_eq!(
            (reply.status, reply.code(), reply.message()),
            (404, 40403, format!("Schema {id} not found").as_str())
        );
    }
    for bad in ["abc", "1.5", "2147483648"] {
        let reply = server.get(&format!("/schemas/ids/{bad}"));
        assert_eq!(
            (reply.status, reply.code(), reply.message()),
            (404, 404, "HTTP 404 Not Found"),
            "{bad}"
        );
    }
    let raw = server.get("/schemas/ids/99/schema");
    assert_eq!(
        (raw.status, raw.code(), raw.message()),
        (404, 40403, "Schema 99 not found"),
        "7.9 answers a bare 500 here: a deliberate difference"
    );
    let subjects = server.get("/schemas/ids/99/subjects");
    assert_eq!(
        (subjects.code(), subjects.message()),
        (40403, "Schema not found")
    );
}

#[test]
fn id_subjects_of_soft_deleted_versions() {
    let server = Server::start();
    let id = server.register("a", "\"string\"");
    server.delete("/subjects/a");
    assert_eq!(
        server.get(&format!("/schemas/ids/{id}/subjects")).body,
        json!([])
    );
    assert_eq!(
        server
            .get(&format!("/schemas/ids/{id}/subjects?deleted=true"))
            .body,
        json!(["a"])
    );
}

#[test]
fn schema_list_has_one_entry_per_subject_version() {
    let server = Server::start();
    server.register("a", "\"string\"");
    server.register("a", "\"bytes\"");
    server.register("b", "\"int\"");
    let all = server.get("/schemas").body;
    let pairs: Vec<(String, i64)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["subject"].as_str().unwrap().to_owned(),
                s["version"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        vec![("a".into(), 1), ("a".into(), 2), ("b".into(), 1)]
    );
    let latest = server.get("/schemas?latestOnly=true").body;
    assert_eq!(latest.as_array().unwrap().len(), 2);
    assert_eq!(
        server.get("/schemas?subjectPrefix=b").body[0]["schema"],
        "\"int\""
    );
}

/// `GET /schemas/ids/{id}` without a query is answered before routing,
/// from bytes rendered once per id; the routed handler renders the same
/// answer afresh when asked for a format it does not know. The two must
/// agree byte for byte, in every negotiated type, and on errors.
#[test]
fn plain_id_answers_are_what_the_router_renders() {
    let server = Server::start();
    let address = r#"{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"}]}"#;
    let person = r#"{"type":"record","name":"Person","namespace":"com.acme","fields":[{"name":"home","type":"com.acme.Address"}]}"#;
    let mut ids = vec![server.register("address", address)];
    for body in [
        json!({"schema": person, "references": [{"name": "com.acme.Address", "subject": "address", "version": 1}],
               "metadata": {"properties": {"owner": "team-a"}}, "ruleSet": {"domainRules": []}}),
        json!({"schemaType": "JSON", "schema": r#"{"type":"object","properties":{"n":{"type":"integer"}}}"#}),
        json!({"schemaType": "PROTOBUF", "schema": "syntax = \"proto3\";\nmessage M { string s = 1; }\n"}),
    ] {
        let reply = server.post(
            "/subjects/other/versions?normalize=false",
            &body.to_string(),
        );
        ids.push(reply.body["id"].as_i64().expect("registered"));
        server.put("/config/other", r#"{"compatibility":"NONE"}"#);
    }
    for id in ids.iter().map(i64::to_string).chain(["999".to_owned()]) {
        for accept in [
            "",
            "application/json",
            "application/vnd.schemaregistry+json",
            "text/plain",
        ] {
            let get = |path: &str| {
                let reply = server.request_with("GET", path, None, &[("Accept", accept)]);
                (reply.status, reply.content_type, reply.body.to_string())
            };
            let plain = get(&format!("/schemas/ids/{id}"));
            let routed = get(&format!("/schemas/ids/{id}?format=no-such-format"));
            assert_eq!(plain, routed, "id {id}, Accept {accept:?}");
        }
    }
    let fetched = server.get(&format!("/schemas/ids/{}", ids[1])).body;
    assert_eq!(
        fetched["metadata"],
        json!({"properties": {"owner": "team-a"}})
    );
    assert_eq!(fetched["references"][0]["subject"], "address");
}
