//! A follower that loses its data dir rebuilds its whole view from the
//! topic.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::broker::Tansu;
use crate::node::{agreed_writer, full_view, Node};

#[test]
fn a_follower_with_a_wiped_data_dir_rebuilds_the_same_state() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let mut nodes: Vec<Node> = Node::start_three(&broker, dirs.path());
    let refs: Vec<&Node> = nodes.iter().collect();
    let fields =
        json!([{"name": "f", "type": "string"}, {"name": "g", "type": "string", "default": ""}]);
    let one = |name: &str| json!({"type": "record", "name": name, "fields": [fields[0]]});
    let two = |name: &str| json!({"type": "record", "name": name, "fields": fields});
    let register = |schema: Value| json!({"schema": schema.to_string()});
    let writes = [
        (
            "POST",
            "/subjects/orders-value/versions",
            register(one("Order")),
        ),
        (
            "POST",
            "/subjects/orders-value/versions",
            register(two("Order")),
        ),
        (
            "POST",
            "/subjects/users-value/versions",
            register(one("User")),
        ),
        (
            "POST",
            "/subjects/gone-value/versions",
            register(one("Gone")),
        ),
        (
            "POST",
            "/subjects/gone-value/versions",
            register(two("Gone")),
        ),
        (
            "POST",
            "/subjects/hard-value/versions",
            register(one("Hard")),
        ),
        ("PUT", "/config", json!({"compatibility": "FULL"})),
        (
            "PUT",
            "/config/users-value",
            json!({"compatibility": "NONE"}),
        ),
        ("PUT", "/mode/users-value", json!({"mode": "READONLY"})),
        ("DELETE", "/subjects/gone-value/versions/1", json!(null)),
        ("DELETE", "/subjects/hard-value", json!(null)),
        ("DELETE", "/subjects/hard-value?permanent=true", json!(null)),
    ];
    // A rebalance (a node joining late) leaves no writer for a moment:
    // Confluent's 50004, which a client retries.
    let deadline = Instant::now() + Duration::from_secs(30);
    for (method, path, body) in writes {
        let body = (!body.is_null()).then_some(body);
        loop {
            let writer = agreed_writer(&refs, Duration::from_secs(30));
            let (status, reply) = writer.request(method, path, body.clone());
            if status == 200 {
                break;
            }
            assert!(
                status == 500 && Instant::now() < deadline,
                "{method} {path}: {reply}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let writer = agreed_writer(&refs, Duration::from_secs(30));
    let expected = full_view(writer);
    let writer_base = writer.base.clone();

    let index = nodes.iter().position(|n| n.base != writer_base).unwrap();
    let follower = nodes.remove(index);
    let dir = follower.data_dir.clone();
    // It has applied everything before it goes.
    let deadline = Instant::now() + Duration::from_secs(30);
    while full_view(&follower) != expected {
        assert!(Instant::now() < deadline, "the follower never caught up");
        std::thread::sleep(Duration::from_millis(50));
    }
    follower.kill();
    std::fs::remove_dir_all(&dir).unwrap();
    let rebuilt = Node::start(&broker, &dir);
    let line = rebuilt.log_line("reading the schemas topic from=");
    assert!(line.contains("from=0 "), "{line}");
    assert_eq!(full_view(&rebuilt), expected);
    for node in &nodes {
        assert_eq!(full_view(node), expected, "{}", node.base);
    }
}
