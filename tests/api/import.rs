use serde_json::json;

use crate::server::Server;

#[test]
fn import_mode_keeps_given_ids_and_versions() {
    let server = Server::start();
    assert_eq!(server.put("/mode", r#"{"mode":"IMPORT"}"#).status, 200);
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"string\"", "id": 42, "version": 3}).to_string(),
    );
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["id"], 42);
    assert_eq!(reply.body["version"], 3);
    assert_eq!(server.get("/subjects/s/versions").body, json!([3]));
    assert_eq!(
        server.get("/schemas/ids/42").body,
        json!({"schema": "\"string\""})
    );
    server.put("/mode", r#"{"mode":"READWRITE"}"#);
    let next = server.register("t", "\"int\"");
    assert_eq!(next, 43, "new ids continue above imported ones");
}

#[test]
fn import_mode_requires_an_id_and_refuses_to_overwrite_an_id() {
    let server = Server::start();
    server.put("/mode", r#"{"mode":"IMPORT"}"#);
    let no_id = server.post("/subjects/s/versions", r#"{"schema":"\"string\""}"#);
    assert_eq!(
        (no_id.code(), no_id.message()),
        (42205, "Subject s is not in read-write mode")
    );
    server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"string\"", "id": 5}).to_string(),
    );
    let clash = server.post(
        "/subjects/t/versions",
        &json!({"schema": "\"int\"", "id": 5}).to_string(),
    );
    assert_eq!(
        (clash.code(), clash.message()),
        (42205, "Overwrite new schema with id 5 is not permitted.")
    );
}

#[test]
fn entering_import_needs_an_empty_registry_unless_forced() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let refused = server.put("/mode", r#"{"mode":"IMPORT"}"#);
    assert_eq!(
        (refused.code(), refused.message()),
        (42205, "Cannot import since found existing subjects")
    );
    assert_eq!(
        server
            .put("/mode?force=true", r#"{"mode":"IMPORT"}"#)
            .status,
        200
    );
}

#[test]
fn entering_import_purges_soft_deleted_subjects() {
    let server = Server::start();
    let id = server.register("s", "\"string\"");
    server.delete("/subjects/s");
    assert_eq!(server.put("/mode", r#"{"mode":"IMPORT"}"#).status, 200);
    assert_eq!(server.get("/subjects?deleted=true").body, json!([]));
    assert_eq!(server.get(&format!("/schemas/ids/{id}")).code(), 40403);
}
