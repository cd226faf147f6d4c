//! A hard delete tombstones its key in every byte form the topic holds it
//! in, Karapace's legacy field order, SR 3.x's magic 0 and a global key's
//! `"subject":null` included: compaction pairs a tombstone only with the
//! very same bytes, so a form left without one would bring the deleted
//! record back (spec §1.2, Confluent #2961).

use std::time::Duration;

use crate::broker::Tansu;
use crate::corpus::{fixture, produce_raw, rows, wait_applied};
use crate::node::{agreed_writer, Node};
use crate::raw::read_all;

const FIXTURE: &str = "legacy-keys.tsv";

fn call_ok(node: &Node, method: &str, path: &str) {
    let (status, body) = node.request(method, path, None);
    assert_eq!(status, 200, "{method} {path}: {body}");
}

#[test]
fn a_hard_delete_tombstones_every_key_form_seen_even_after_a_restart() {
    let Some(broker) = Tansu::start() else { return };
    let end = produce_raw(&broker, "_schemas", FIXTURE);
    let dirs = tempfile::tempdir().unwrap();
    let dir = dirs.path().join("w");
    let node = Node::start(&broker, &dir);
    wait_applied(&node, end);
    agreed_writer(&[&node], Duration::from_secs(30));
    // Restarted, the node reads on from its stored offset: the forms it
    // read before come from its data dir.
    node.kill();
    let node = Node::start(&broker, &dir);
    agreed_writer(&[&node], Duration::from_secs(30));

    call_ok(&node, "DELETE", "/subjects/kara-value/versions/1");
    call_ok(
        &node,
        "DELETE",
        "/subjects/kara-value/versions/1?permanent=true",
    );
    call_ok(&node, "DELETE", "/subjects/old-value");
    call_ok(&node, "DELETE", "/subjects/old-value?permanent=true");
    // The subjects' config and mode went with their last versions.
    call_ok(&node, "DELETE", "/config");

    let records = read_all(&broker);
    let tombstones: Vec<&[u8]> = records
        .iter()
        .filter(|r| r.offset > end && r.value.is_none())
        .map(|r| r.key_bytes.as_slice())
        .collect();
    let canonical = [
        r#"{"keytype":"SCHEMA","subject":"kara-value","version":1,"magic":1}"#,
        r#"{"keytype":"SCHEMA","subject":"old-value","version":1,"magic":1}"#,
        r#"{"keytype":"CONFIG","subject":"kara-value","magic":0}"#,
        r#"{"keytype":"MODE","subject":"old-value","magic":0}"#,
        r#"{"keytype":"CONFIG","magic":0}"#,
    ];
    let text = fixture(FIXTURE);
    let produced = rows(&text).into_iter().map(|row| row[0]);
    for key in produced.chain(canonical) {
        let found = tombstones.iter().filter(|t| **t == key.as_bytes()).count();
        assert_eq!(found, 1, "tombstones of {key}: {found}");
    }
}
