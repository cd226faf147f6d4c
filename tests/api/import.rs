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
    assert_eq!(
        reply.body,
        json!({"id": 42}),
        "7.9 answers a new import with its id alone"
    );
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

/// Ids are positive 32-bit integers allocated above the highest one: an
/// imported id that would leave none to allocate is refused, the last one
/// is handed out once, and then registration is refused with an
/// explanation (never a panic or a wrapped, negative id), also after a
/// restart.
#[test]
fn imported_ids_cannot_push_allocation_past_the_largest_int() {
    let server = Server::start();
    server.put("/mode", r#"{"mode":"IMPORT"}"#);
    let import = |subject: &str, schema: &str, id: i64| {
        let body = json!({"schema": schema, "id": id}).to_string();
        server.post(&format!("/subjects/{subject}/versions"), &body)
    };
    let last = import("s", "\"string\"", 2_147_483_647);
    assert_eq!((last.status, last.code()), (422, 42205), "{:?}", last.body);
    assert!(
        last.message().contains("2147483647"),
        "the refusal explains itself: {}",
        last.message()
    );
    let beyond = import("s", "\"string\"", 2_147_483_648);
    assert_eq!(beyond.status / 100, 4, "{:?}", beyond.body);
    assert_ne!(beyond.code(), 200);

    assert_eq!(import("s", "\"string\"", 2_147_483_646).status, 200);
    server.put("/mode", r#"{"mode":"READWRITE"}"#);
    assert_eq!(server.register("t", "\"int\""), 2_147_483_647);
    let exhausted = server.post("/subjects/u/versions", r#"{"schema":"\"long\""}"#);
    assert_eq!(
        (exhausted.status, exhausted.code()),
        (422, 42205),
        "{:?}",
        exhausted.body
    );
    assert!(exhausted.message().contains("No schema id is left"));

    let server = server.restart();
    let again = server.post("/subjects/v/versions", r#"{"schema":"\"float\""}"#);
    assert_eq!((again.status, again.code()), (422, 42205));
    assert_eq!(server.get("/schemas/ids/2147483647").status, 200);
    assert_eq!(
        server.register("t", "\"int\""),
        2_147_483_647,
        "a known schema still answers with its id"
    );
}

/// The same for versions: importing the largest version is refused, and a
/// subject whose versions are used up refuses the next registration.
#[test]
fn imported_versions_cannot_push_numbering_past_the_largest_int() {
    let server = Server::start();
    server.put("/mode", r#"{"mode":"IMPORT"}"#);
    let import = |schema: &str, id: i64, version: i64| {
        let body = json!({"schema": schema, "id": id, "version": version}).to_string();
        server.post("/subjects/s/versions", &body)
    };
    let last = import("\"string\"", 1, 2_147_483_647);
    assert_eq!((last.status, last.code()), (422, 42205), "{:?}", last.body);
    assert_eq!(import("\"string\"", 1, 2_147_483_646).status, 200);
    server.put("/mode", r#"{"mode":"READWRITE"}"#);
    server.put("/config/s", r#"{"compatibility":"NONE"}"#);
    let next = server.post("/subjects/s/versions", r#"{"schema":"\"int\""}"#);
    assert_eq!(next.status, 200, "{:?}", next.body);
    assert_eq!(
        server.get("/subjects/s/versions/latest").body["version"],
        2_147_483_647
    );
    let exhausted = server.post("/subjects/s/versions", r#"{"schema":"\"long\""}"#);
    assert_eq!(
        (exhausted.status, exhausted.code()),
        (422, 42205),
        "{:?}",
        exhausted.body
    );
    assert!(exhausted.message().contains("No version is left"));
}
