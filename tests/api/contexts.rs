use serde_json::json;

use crate::server::Server;

#[test]
fn contexts_have_their_own_ids_and_qualified_subjects() {
    let server = Server::start();
    let default_id = server.register("orders", "\"string\"");
    let staging_id = server.register(":.staging:orders", "\"int\"");
    assert_eq!(
        (default_id, staging_id),
        (1, 1),
        "each context counts from 1"
    );
    assert_eq!(
        server.get("/subjects").body,
        json!([":.staging:orders", "orders"])
    );
    assert_eq!(server.get("/contexts").body, json!([".", ".staging"]));
    assert_eq!(
        server.get("/schemas/ids/1").body,
        json!({"schema": "\"string\""})
    );
    assert_eq!(
        server.get("/schemas/ids/1?subject=:.staging:").body,
        json!({"schema": "\"int\""})
    );
}

#[test]
fn same_schema_in_two_contexts_is_two_ids_spaces() {
    let server = Server::start();
    server.register("a", "\"bytes\"");
    let other = server.register(":.c:b", "\"string\"");
    let again = server.register(":.c:d", "\"string\"");
    assert_eq!(other, again, "same context, same content, same id");
}

#[test]
fn context_url_prefix_is_rewritten() {
    let server = Server::start();
    let reply = server.post(
        "/contexts/.staging/subjects/orders/versions",
        r#"{"schema":"\"int\""}"#,
    );
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(
        server.get("/subjects/:.staging:orders/versions").body,
        json!([1])
    );
    assert_eq!(
        server.get("/contexts/staging/subjects").body,
        json!([":.staging:orders"])
    );
    assert_eq!(
        server.get("/contexts/.staging/schemas/ids/1").body,
        json!({"schema": "\"int\""})
    );
    server.put("/contexts/.staging/config", r#"{"compatibility":"NONE"}"#);
    assert_eq!(
        server.get("/config/:.staging:").body,
        json!({"compatibilityLevel": "NONE"})
    );
    let colon = server.get("/contexts/a:b/subjects");
    assert_eq!(
        (colon.status, colon.code(), colon.message()),
        (400, 400, "Context name cannot contain a colon")
    );
}

#[test]
fn unqualified_reads_fall_back_to_other_contexts() {
    let server = Server::start();
    server.register(":.staging:orders", "\"int\"");
    let version = server.get("/subjects/orders/versions/latest");
    assert_eq!(version.status, 200);
    assert_eq!(version.body["subject"], ":.staging:orders");
    let lookup = server.post("/subjects/orders", r#"{"schema":"\"int\""}"#);
    assert_eq!(lookup.body["subject"], ":.staging:orders");
    assert_eq!(
        server.get("/subjects/orders/versions").code(),
        40401,
        "listing does not fall back"
    );
}
