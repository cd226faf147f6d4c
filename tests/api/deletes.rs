use serde_json::json;

use crate::server::Server;

#[test]
fn permanent_delete_only_after_soft_delete() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let early = server.delete("/subjects/s?permanent=true");
    assert_eq!((early.status, early.code()), (404, 40405));
    assert_eq!(
        early.message(),
        "Subject 's' was not deleted first before being permanently deleted"
    );
    assert_eq!(server.delete("/subjects/s").body, json!([1]));
    let again = server.delete("/subjects/s");
    assert_eq!(
        (again.code(), again.message()),
        (
            40404,
            "Subject 's' was soft deleted.Set permanent=true to delete permanently"
        )
    );
    assert_eq!(server.delete("/subjects/s?permanent=true").body, json!([1]));
    assert_eq!(server.delete("/subjects/s").code(), 40401);
    assert_eq!(server.get("/subjects?deleted=true").body, json!([]));
}

#[test]
fn version_delete_rules() {
    let server = Server::start();
    server.register("s", "\"string\"");
    server.register("s", "\"bytes\"");
    let early = server.delete("/subjects/s/versions/1?permanent=true");
    assert_eq!(
        (early.code(), early.message()),
        (
            40407,
            "Subject 's' Version 1 was not deleted first before being permanently deleted"
        )
    );
    assert_eq!(server.delete("/subjects/s/versions/1").body, json!(1));
    let again = server.delete("/subjects/s/versions/1");
    assert_eq!(
        (again.code(), again.message()),
        (
            40406,
            "Subject 's' Version 1 was soft deleted.Set permanent=true to delete permanently"
        )
    );
    assert_eq!(
        server.delete("/subjects/s/versions/1?permanent=true").body,
        json!(1)
    );
    assert_eq!(server.delete("/subjects/s/versions/1").code(), 40402);
    assert_eq!(server.delete("/subjects/s/versions/latest").body, json!(2));
    assert_eq!(server.delete("/subjects/s/versions/latest").code(), 40402);
    assert_eq!(server.delete("/subjects/nope/versions/1").code(), 40401);
}

#[test]
fn soft_deleted_schema_still_resolves_by_id_until_hard_deleted() {
    let server = Server::start();
    let id = server.register("s", "\"string\"");
    server.delete("/subjects/s");
    assert_eq!(server.get(&format!("/schemas/ids/{id}")).status, 200);
    server.delete("/subjects/s?permanent=true");
    let gone = server.get(&format!("/schemas/ids/{id}"));
    assert_eq!(
        (gone.status, gone.code(), gone.message()),
        (404, 40403, format!("Schema {id} not found").as_str())
    );
}

#[test]
fn ids_are_not_reused_after_hard_delete() {
    let server = Server::start();
    let first = server.register("s", "\"string\"");
    server.delete("/subjects/s");
    server.delete("/subjects/s?permanent=true");
    let again = server.register("s", "\"string\"");
    assert!(again > first, "{again} after {first}");
    assert_eq!(
        server.get("/subjects/s/versions").body,
        json!([1]),
        "numbering restarts"
    );
}

#[test]
fn versions_continue_after_soft_delete_and_reregistration_keeps_the_id() {
    let server = Server::start();
    let id = server.register("s", "\"string\"");
    server.register("s", "\"bytes\"");
    server.delete("/subjects/s");
    let again = server.register("s", "\"string\"");
    assert_eq!(again, id);
    assert_eq!(server.get("/subjects/s/versions").body, json!([3]));
    assert_eq!(
        server.get("/subjects/s/versions?deleted=true").body,
        json!([2, 3]),
        "the soft-deleted copy of the id is purged"
    );
}

#[test]
fn soft_deleted_versions_are_not_checked_for_compatibility() {
    let server = Server::start();
    server.register(
        "s",
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#,
    );
    server.delete("/subjects/s/versions/1");
    let incompatible = r#"{"type":"record","name":"R","fields":[{"name":"b","type":"string"}]}"#;
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": incompatible}).to_string(),
    );
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(server.get("/subjects/s/versions").body, json!([2]));
}

#[test]
fn hard_deleting_a_subject_removes_its_config_and_mode() {
    let server = Server::start();
    server.register("s", "\"string\"");
    server.put("/config/s", r#"{"compatibility":"NONE"}"#);
    server.put("/mode/s", r#"{"mode":"READWRITE"}"#);
    server.delete("/subjects/s");
    assert_eq!(
        server.get("/config/s").status,
        200,
        "config survives a soft delete"
    );
    server.delete("/subjects/s?permanent=true");
    assert_eq!(server.get("/config/s").code(), 40408);
    assert_eq!(server.get("/mode/s").code(), 40409);
}
