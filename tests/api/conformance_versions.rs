//! `GET /subjects/{s}/versions` decides "not found" as Confluent 7.9's
//! `hasSubjects` does, before filtering the versions it lists.

use serde_json::json;

use crate::server::Server;

#[test]
fn empty_named_context_subject_lists_no_versions_while_its_context_has_subjects() {
    let server = Server::start();
    assert_eq!(server.get("/subjects/:.ctx:/versions").code(), 40401);
    server.register(":.ctx:orders", "\"string\"");
    let reply = server.get("/subjects/:.ctx:/versions");
    assert_eq!((reply.status, reply.body), (200, json!([])));
    assert_eq!(server.get("/subjects/:.other:/versions").code(), 40401);
}

#[test]
fn deleted_only_on_a_subject_without_deleted_versions_is_an_empty_list() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let reply = server.get("/subjects/s/versions?deletedOnly=true");
    assert_eq!((reply.status, reply.body), (200, json!([])));
    assert_eq!(
        server.get("/subjects/t/versions?deletedOnly=true").code(),
        40401
    );
}
