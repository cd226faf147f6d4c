use serde_json::json;

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
