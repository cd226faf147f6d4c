//! Treaty nodes in cluster mode on one schemas topic: the topic is the
//! source of truth, and each node's store a view of it that resumes where
//! it stopped.

use serde_json::{json, Value};

use crate::broker::Tansu;
use crate::node::Node;

/// What a reader of `node` sees of `subjects`: every version's id and schema.
fn view(node: &Node, subjects: &[&str]) -> Vec<Value> {
    subjects
        .iter()
        .flat_map(|subject| {
            let versions = node.get(&format!("/subjects/{subject}/versions"));
            let numbers: Vec<i64> = serde_json::from_value(versions).unwrap();
            numbers
                .into_iter()
                .map(|n| node.get(&format!("/subjects/{subject}/versions/{n}")))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn a_node_with_an_empty_store_serves_what_another_registered() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let first = Node::start(&broker, &dirs.path().join("a"));
    let orders = first.register("orders-value", "Order");
    let users = first.register("users-value", "User");
    let fields =
        json!([{"name": "f", "type": "string"}, {"name": "g", "type": "string", "default": ""}]);
    let order_v2 = json!({"type": "record", "name": "Order", "fields": fields});
    let orders_again = first.register_schema("orders-value", order_v2);
    assert_eq!((orders, users, orders_again), (1, 2, 3));
    let subjects = ["orders-value", "users-value"];
    let written = view(&first, &subjects);

    let second = Node::start(&broker, &dirs.path().join("b"));
    assert_eq!(view(&second, &subjects), written);
    assert_eq!(second.get("/schemas/ids/2"), first.get("/schemas/ids/2"));
    // The newest node writes; its ids continue the topic's.
    assert_eq!(second.register("payments-value", "Payment"), 4);
}

#[test]
fn a_restarted_node_resumes_from_the_offset_it_stored() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let dir = dirs.path().join("a");
    let node = Node::start(&broker, &dir);
    for n in 0..3 {
        node.register(&format!("s{n}-value"), &format!("R{n}"));
    }
    let applied = node.get("/v1/cluster")["appliedOffset"].as_i64().unwrap();
    assert!(applied > 3, "{applied}");
    node.kill();

    let node = Node::start(&broker, &dir);
    let from = format!("reading the schemas topic from={}", applied + 1);
    assert!(node.log().contains(&from), "{}", node.log());
    assert_eq!(node.get("/subjects/s2-value/versions/1")["id"], 3);
    assert_eq!(node.register("s3-value", "R3"), 4);
    let status = node.get("/v1/cluster");
    assert_eq!(status["role"], "writer");
    assert_eq!(status["writer"], status["node"]);
    assert!(status["appliedOffset"].as_i64().unwrap() > applied);
}
