use std::collections::HashSet;
use std::sync::Arc;
use std::thread;

use serde_json::{json, Value};

use crate::server::Server;

/// A record with `extra` optional fields: each is a compatible successor
/// of every schema with fewer.
fn growing_record(extra: usize) -> String {
    let mut fields = vec![json!({"name": "id", "type": "long"})];
    for i in 0..extra {
        fields.push(json!({"name": format!("f{i}"), "type": "int", "default": 0}));
    }
    json!({"type": "record", "name": "Grows", "fields": fields}).to_string()
}

fn post_all(server: &Arc<Server>, bodies: Vec<(String, String)>) -> Vec<Value> {
    let handles: Vec<_> = bodies
        .into_iter()
        .map(|(path, body)| {
            let server = Arc::clone(server);
            thread::spawn(move || {
                let reply = server.post(&path, &body);
                assert_eq!(reply.status, 200, "{path}: {:?}", reply.body);
                reply.body
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("client thread"))
        .collect()
}

#[test]
fn concurrent_identical_registrations_get_one_version_and_one_id() {
    let server = Arc::new(Server::start());
    let body = json!({"schema": growing_record(0)}).to_string();
    let replies = post_all(
        &server,
        (0..100)
            .map(|_| ("/subjects/s/versions".to_owned(), body.clone()))
            .collect(),
    );
    let ids: HashSet<i64> = replies.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, HashSet::from([1]));
    assert_eq!(server.get("/subjects/s/versions").body, json!([1]));
}

#[test]
fn concurrent_distinct_registrations_get_versions_one_to_n_exactly_once() {
    let server = Arc::new(Server::start());
    let bodies = (0..100)
        .map(|i| {
            (
                "/subjects/s/versions".to_owned(),
                json!({"schema": growing_record(i)}).to_string(),
            )
        })
        .collect();
    let replies = post_all(&server, bodies);
    let ids: HashSet<i64> = replies.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 100, "every distinct schema has its own id");
    let versions = server.get("/subjects/s/versions").body;
    assert_eq!(versions, json!((1..=100).collect::<Vec<i32>>()));
    let mut seen = HashSet::new();
    for version in 1..=100 {
        let id = server.get(&format!("/subjects/s/versions/{version}")).body["id"]
            .as_i64()
            .unwrap();
        assert!(seen.insert(id), "id {id} is held by two versions");
    }
}

#[test]
fn a_compatibility_check_never_runs_against_a_stale_latest_version() {
    let server = Arc::new(Server::start());
    server.register("s", &growing_record(0));
    // Each candidate is compatible with v1 but none can read another's
    // data, so once one is v2 every other must be refused.
    let kinds = [
        json!("boolean"),
        json!("string"),
        json!("int"),
        json!({"type": "array", "items": "int"}),
        json!({"type": "map", "values": "int"}),
    ];
    let defaults = [json!(false), json!(""), json!(0), json!([]), json!({})];
    let handles: Vec<_> = (0..20)
        .map(|i| {
            let schema = json!({"type": "record", "name": "Grows", "fields": [
                {"name": "id", "type": "long"},
                {"name": "x", "type": kinds[i % 5], "default": defaults[i % 5]}]});
            let body = json!({"schema": schema.to_string()}).to_string();
            let server = Arc::clone(&server);
            thread::spawn(move || server.post("/subjects/s/versions", &body))
        })
        .collect();
    let replies: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let accepted: HashSet<i64> = replies
        .iter()
        .filter(|r| r.status == 200)
        .map(|r| r.body["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        accepted.len(),
        1,
        "exactly one candidate wins: {accepted:?}"
    );
    assert!(replies.iter().all(|r| r.status == 200 || r.status == 409));
    assert_eq!(server.get("/subjects/s/versions").body, json!([1, 2]));
}

#[test]
fn concurrent_writers_across_subjects_share_no_ids() {
    let server = Arc::new(Server::start());
    let bodies = (0..64)
        .map(|i| {
            (
                format!("/subjects/s{}/versions", i % 8),
                json!({"schema": growing_record(i)}).to_string(),
            )
        })
        .collect();
    let replies = post_all(&server, bodies);
    let ids: HashSet<i64> = replies.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 64);
    assert_eq!(
        ids,
        (1..=64).collect::<HashSet<i64>>(),
        "ids are dense: none lost, none doubled"
    );
}
