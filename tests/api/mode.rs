use serde_json::json;

use crate::server::Server;

#[test]
fn readonly_rejects_writes_with_42205_and_serves_reads() {
    let server = Server::start();
    server.register("s", "\"string\"");
    assert_eq!(
        server.put("/mode", r#"{"mode":"readonly"}"#).body,
        json!({"mode": "readonly"})
    );
    assert_eq!(server.get("/mode").body, json!({"mode": "READONLY"}));
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"bytes\""}).to_string(),
    );
    assert_eq!(
        (reply.status, reply.code(), reply.message()),
        (422, 42205, "Subject s is in read-only mode")
    );
    assert_eq!(server.delete("/subjects/s").code(), 42205);
    assert_eq!(server.get("/subjects/s/versions/1").status, 200);
    assert_eq!(
        server
            .post("/subjects/s", &json!({"schema": "\"string\""}).to_string())
            .status,
        200
    );
    server.put("/mode", r#"{"mode":"READWRITE"}"#);
    assert_eq!(server.register("s", "\"bytes\""), 2);
}

#[test]
fn subject_mode_overrides_global() {
    let server = Server::start();
    server.put("/mode/locked", r#"{"mode":"READONLY"}"#);
    assert_eq!(
        server
            .post("/subjects/locked/versions", r#"{"schema":"\"int\""}"#)
            .code(),
        42205
    );
    assert_eq!(server.register("open", "\"int\""), 1);
    assert_eq!(server.get("/mode/locked").body, json!({"mode": "READONLY"}));
    let unset = server.get("/mode/open");
    assert_eq!(
        (unset.code(), unset.message()),
        (
            40409,
            "Subject 'open' does not have subject-level mode configured"
        )
    );
    assert_eq!(
        server.get("/mode/open?defaultToGlobal=true").body,
        json!({"mode": "READWRITE"})
    );
    assert_eq!(
        server.delete("/mode/locked").body,
        json!({"mode": "READONLY"})
    );
    assert_eq!(server.delete("/mode/locked").code(), 40401);
}

#[test]
fn invalid_modes() {
    let server = Server::start();
    let reply = server.put("/mode", r#"{"mode":"SOMETIMES"}"#);
    assert_eq!((reply.status, reply.code()), (422, 42204));
    assert_eq!(
        reply.message(),
        "Invalid mode. Valid values are READWRITE, READONLY, and IMPORT."
    );
    assert_eq!(server.put("/mode", r#"{"mode":7}"#).code(), 42204);
    assert_eq!(server.put("/mode", r#"{}"#).code(), 42204);
    let delete = server.delete("/mode");
    assert_eq!((delete.status, delete.code()), (405, 405));
}

#[test]
fn readonly_override_wins_over_subject_modes() {
    let server = Server::start();
    server.put("/mode/s", r#"{"mode":"READWRITE"}"#);
    server.put("/mode", r#"{"mode":"READONLY_OVERRIDE"}"#);
    assert_eq!(
        server
            .post("/subjects/s/versions", r#"{"schema":"\"int\""}"#)
            .code(),
        42205
    );
    assert_eq!(
        server.get("/mode/other").body,
        json!({"mode": "READONLY_OVERRIDE"})
    );
}
