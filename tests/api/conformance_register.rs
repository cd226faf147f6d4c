//! Registration and lookup in the order of Confluent 7.9's
//! `registerOrForward`/`register`: the first lookup before any mode check,
//! `version: -1` compared with the latest version only, compatibility
//! before the version check, metadata completed from config, and lookups
//! by `canLookup` rules (spec §1.3, §1.4, §4.3, §4.4, §4.8).

use serde_json::json;

use crate::server::{record, Server};

fn post(server: &Server, path: &str, body: serde_json::Value) -> crate::server::Reply {
    server.post(path, &body.to_string())
}

#[test]
fn version_minus_one_answers_briefly_once_the_latest_version_matches() {
    let server = Server::start();
    let first = post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"string\"", "version": -1}),
    );
    assert_eq!(
        first.body,
        json!({"id": 1, "version": 1, "schema": "\"string\"",
               "metadata": {"properties": {"confluent:version": "1"}}})
    );
    let again = post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"string\"", "version": -1}),
    );
    assert_eq!((again.status, again.body), (200, json!({"id": 1})));
    assert_eq!(server.get("/subjects/s/versions").body, json!([1]));
}

#[test]
fn an_already_registered_schema_is_answered_even_in_read_only_mode() {
    let server = Server::start();
    let id = server.register("s", "\"string\"");
    assert_eq!(server.put("/mode/s", r#"{"mode":"READONLY"}"#).status, 200);
    let again = post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"string\""}),
    );
    assert_eq!((again.status, again.body), (200, json!({"id": id})));
    let new = post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"int\""}),
    );
    assert_eq!(
        (new.status, new.code(), new.message()),
        (422, 42205, "Subject s is in read-only mode")
    );
}

#[test]
fn compatibility_is_checked_before_the_explicit_version() {
    let server = Server::start();
    server.register("s", &record("R", &[("a", "int")]));
    let breaking = record("R", &[("a", "int"), ("b", "string")]);
    let reply = post(
        &server,
        "/subjects/s/versions",
        json!({"schema": breaking, "version": 7}),
    );
    assert_eq!((reply.status, reply.code()), (409, 409));
}

#[test]
fn lookup_with_a_confluent_version_must_name_the_version_it_finds() {
    let server = Server::start();
    post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"string\"", "version": 1}),
    );
    let stamp = |v: &str| json!({"schema": "\"string\"", "metadata": {"properties": {"confluent:version": v}}});
    assert_eq!(post(&server, "/subjects/s", stamp("1")).body["version"], 1);
    assert_eq!(post(&server, "/subjects/s", stamp("2")).code(), 40403);
    assert_eq!(
        post(&server, "/subjects/s", json!({"schema": "\"string\""})).body["id"],
        1
    );
}

#[test]
fn lookup_without_schema_text_finds_nothing() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let reply = post(&server, "/subjects/s", json!({}));
    assert_eq!((reply.status, reply.code()), (404, 40403));
    assert_eq!(post(&server, "/subjects/t", json!({})).code(), 40401);
}

#[test]
fn lookup_does_not_complete_the_request_with_inherited_metadata() {
    let server = Server::start();
    let owned = json!({"properties": {"owner": "a"}});
    post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"int\"", "metadata": owned}),
    );
    let second = post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"long\""}),
    );
    assert_eq!(
        second.body,
        json!({"id": 2, "version": 2, "schema": "\"long\"", "metadata": owned})
    );
    assert_eq!(
        post(&server, "/subjects/s", json!({"schema": "\"long\""})).code(),
        40403
    );
    let again = post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"long\""}),
    );
    assert_eq!(again.body, second.body);
}

#[test]
fn metadata_is_kept_sorted_so_key_order_does_not_change_the_id() {
    let server = Server::start();
    let first = post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"string\"", "metadata": {"sensitive": ["z", "a"], "properties": {"b": "1", "a": "2"}}}),
    );
    let metadata = &first.body["metadata"];
    let keys: Vec<&String> = metadata.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["properties", "sensitive"]);
    let keys: Vec<&String> = metadata["properties"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["a", "b"]);
    assert_eq!(metadata["sensitive"], json!(["a", "z"]));
    let reordered = post(
        &server,
        "/subjects/t/versions",
        json!({"schema": "\"string\"", "metadata": {"properties": {"a": "2", "b": "1"}, "sensitive": ["a", "z"]}}),
    );
    assert_eq!(reordered.body["id"], first.body["id"]);
}

#[test]
fn config_default_and_override_metadata_are_merged_into_registrations() {
    let server = Server::start();
    let config = json!({"defaultMetadata": {"properties": {"team": "x", "tier": "1"}},
                        "overrideMetadata": {"properties": {"tier": "2"}}});
    assert_eq!(server.put("/config/s", &config.to_string()).status, 200);
    let reply = post(
        &server,
        "/subjects/s/versions",
        json!({"schema": "\"string\"", "metadata": {"properties": {"team": "y"}}}),
    );
    assert_eq!(
        reply.body,
        json!({"id": 1, "version": 1, "schema": "\"string\"",
               "metadata": {"properties": {"team": "y", "tier": "2"}}})
    );
}

#[test]
fn lookup_with_a_confluent_version_finds_a_version_registered_without_one() {
    let server = Server::start();
    server.register("s", "\"int\"");
    let stamp = |v: &str| json!({"schema": "\"int\"", "metadata": {"properties": {"confluent:version": v}}});
    assert_eq!(post(&server, "/subjects/s", stamp("1")).body["version"], 1);
    assert_eq!(post(&server, "/subjects/s", stamp("2")).code(), 40403);
}
