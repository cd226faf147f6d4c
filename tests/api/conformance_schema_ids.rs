//! `GET /schemas/ids/{id}?subject=` picks the context as Confluent 7.9's
//! `getSchemaKeyUsingContexts` does (spec §2.2): a named subject must hold
//! the id, an unqualified one is tried in every context before the default
//! context stands in, and `maxId` is that of the context found.

use serde_json::json;

use crate::server::Server;

#[test]
fn a_named_subject_must_hold_the_id_in_its_context() {
    let server = Server::start();
    server.register(":.ctx:x", "\"int\"");
    let found = |path: &str| {
        let reply = server.get(path);
        (reply.status, reply.code())
    };
    assert_eq!(found("/schemas/ids/1?subject=:.ctx:x").0, 200);
    assert_eq!(found("/schemas/ids/1?subject=:.ctx:").0, 200);
    assert_eq!(found("/schemas/ids/1?subject=x").0, 200);
    assert_eq!(found("/schemas/ids/1?subject=:.ctx:other"), (404, 40403));
    assert_eq!(found("/schemas/ids/1?subject=other"), (404, 40403));
    assert_eq!(found("/schemas/ids/1/versions?subject=other"), (404, 40403));
}

#[test]
fn an_unqualified_subject_prefers_its_namesake_in_another_context() {
    let server = Server::start();
    server.register("a", "\"string\"");
    server.register("a", "\"bytes\"");
    server.register(":.ctx:b", "\"int\"");
    let reply = server.get("/schemas/ids/1?subject=b&fetchMaxId=true");
    assert_eq!(reply.body, json!({"schema": "\"int\"", "maxId": 1}));
    let reply = server.get("/schemas/ids/1?subject=a&fetchMaxId=true");
    assert_eq!(reply.body, json!({"schema": "\"string\"", "maxId": 2}));
    assert_eq!(
        server.get("/schemas/ids/1/versions?subject=b").body,
        json!([{"subject": ":.ctx:b", "version": 1}])
    );
}
