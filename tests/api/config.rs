use serde_json::json;

use crate::server::{record, Server};

#[test]
fn global_config_defaults_to_backward_and_put_echoes_the_request() {
    let server = Server::start();
    assert_eq!(
        server.get("/config").body,
        json!({"compatibilityLevel": "BACKWARD"})
    );
    assert_eq!(
        server.put("/config", r#"{"compatibility":"full"}"#).body,
        json!({"compatibility": "full"})
    );
    assert_eq!(
        server.get("/config").body,
        json!({"compatibilityLevel": "FULL"})
    );
    assert_eq!(
        server.delete("/config").body,
        json!({"compatibilityLevel": "FULL"})
    );
    assert_eq!(
        server.get("/config").body,
        json!({"compatibilityLevel": "BACKWARD"})
    );
}

#[test]
fn invalid_levels_are_42203() {
    let server = Server::start();
    for body in [
        r#"{"compatibility":"SIDEWAYS"}"#,
        r#"{"compatibility":5}"#,
        r#"{"compatibility":""}"#,
    ] {
        let reply = server.put("/config", body);
        assert_eq!((reply.status, reply.code()), (422, 42203), "{body}");
        assert_eq!(reply.message(), "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
    }
}

#[test]
fn put_ignores_unknown_fields_and_updates_only_what_is_sent() {
    let server = Server::start();
    assert_eq!(
        server
            .put("/config", r#"{"compatibilityLevel":"NONE"}"#)
            .body,
        json!({})
    );
    assert_eq!(
        server.get("/config").body,
        json!({"compatibilityLevel": "BACKWARD"})
    );
    server.put("/config/s", r#"{"compatibility":"FORWARD"}"#);
    server.put("/config/s", r#"{"normalize":true}"#);
    assert_eq!(
        server.get("/config/s").body,
        json!({"compatibilityLevel": "FORWARD", "normalize": true})
    );
}

#[test]
fn subject_config_is_404_unless_set_or_defaulted_to_global() {
    let server = Server::start();
    let reply = server.get("/config/s");
    assert_eq!((reply.status, reply.code()), (404, 40408));
    assert_eq!(
        reply.message(),
        "Subject 's' does not have subject-level compatibility configured"
    );
    server.put("/config", r#"{"compatibility":"FULL"}"#);
    assert_eq!(
        server.get("/config/s?defaultToGlobal=true").body,
        json!({"compatibilityLevel": "FULL"})
    );
    let delete = server.delete("/config/s");
    assert_eq!(
        (delete.code(), delete.message()),
        (40401, "Subject 's' not found.")
    );
    server.put("/config/s", r#"{"compatibility":"NONE"}"#);
    assert_eq!(
        server.delete("/config/s").body,
        json!({"compatibilityLevel": "NONE"})
    );
}

#[test]
fn subject_level_none_allows_any_change() {
    let server = Server::start();
    server.register("s", &record("R", &[("a", "int")]));
    server.put("/config/s", r#"{"compatibility":"NONE"}"#);
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": record("R", &[("b", "string")])}).to_string(),
    );
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}

#[test]
fn missing_config_body_is_422_naming_the_argument() {
    let server = Server::start();
    let reply = server.put("/config", "");
    assert_eq!(
        (reply.status, reply.code(), reply.message()),
        (
            422,
            422,
            "updateTopLevelConfig.arg1 must not be null (was null)"
        )
    );
}
