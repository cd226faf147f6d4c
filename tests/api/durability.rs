use serde_json::json;

use crate::server::{record, Server};

#[test]
fn everything_survives_a_restart() {
    let server = Server::start();
    server.register("a", &record("R", &[("x", "int")]));
    server.register("b", "\"string\"");
    server.register("b", "\"bytes\"");
    server.delete("/subjects/b/versions/1");
    server.put("/config/a", r#"{"compatibility":"FULL"}"#);
    server.put("/mode/b", r#"{"mode":"READONLY"}"#);
    server.register(":.ctx:c", "\"int\"");
    server.register("gone", "\"long\"");
    server.delete("/subjects/gone");
    server.delete("/subjects/gone?permanent=true");

    let server = server.restart();
    assert_eq!(server.get("/subjects").body, json!([":.ctx:c", "a", "b"]));
    assert_eq!(server.get("/subjects/b/versions").body, json!([2]));
    assert_eq!(
        server.get("/subjects/b/versions?deleted=true").body,
        json!([1, 2])
    );
    assert_eq!(
        server.get("/schemas/ids/1").body,
        json!({"schema": record("R", &[("x", "int")])})
    );
    assert_eq!(
        server.get("/config/a").body,
        json!({"compatibilityLevel": "FULL"})
    );
    assert_eq!(server.get("/mode/b").body, json!({"mode": "READONLY"}));
    assert_eq!(server.get("/contexts").body, json!([".", ".ctx"]));
    assert_eq!(
        server.register("new", "\"double\""),
        5,
        "ids 1-4 were handed out before the restart"
    );
    assert_eq!(
        server.register("a-copy", &record("R", &[("x", "int")])),
        1,
        "content registered before the restart keeps its id in a new subject"
    );
    assert_eq!(
        server.register("b-copy", "\"string\""),
        2,
        "also content only a soft-deleted version holds"
    );
}
