//! Treaty nodes in cluster mode on one schemas topic: the topic is the
//! source of truth, and each node's store a view of it that resumes where
//! it stopped.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::broker::Tansu;
use crate::node::{agreed_writer, Node};

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
    agreed_writer(&[&first], Duration::from_secs(30));
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
    let writer = agreed_writer(&[&first, &second], Duration::from_secs(30));
    assert_eq!(writer.register("payments-value", "Payment"), 4);
}

#[test]
fn a_restarted_node_resumes_from_the_offset_it_stored() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let dir = dirs.path().join("a");
    let node = Node::start(&broker, &dir);
    agreed_writer(&[&node], Duration::from_secs(30));
    for n in 0..3 {
        node.register(&format!("s{n}-value"), &format!("R{n}"));
    }
    let applied = node.get("/v1/cluster")["appliedOffset"].as_i64().unwrap();
    assert!(applied > 3, "{applied}");
    node.kill();

    // Past everything it had applied (and the confirmation it may have
    // applied after the answer), never from 0.
    let node = Node::start(&broker, &dir);
    let line = node.log_line("reading the schemas topic from=");
    let from: i64 = line
        .split("from=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no offset in {line}"));
    assert!(from > applied, "{line} after {applied}");
    assert_eq!(node.get("/subjects/s2-value/versions/1")["id"], 3);
    // The killed node's group membership lapses, then this one is elected.
    agreed_writer(&[&node], Duration::from_secs(30));
    assert_eq!(node.register("s3-value", "R3"), 4);
    let status = node.get("/v1/cluster");
    assert_eq!(status["role"], "writer");
    assert_eq!(status["writer"], status["node"]);
    assert!(status["appliedOffset"].as_i64().unwrap() > applied);
}

/// Three nodes elect one writer; every node's view equals the writer's;
/// when the writer is killed another takes writes, with no acknowledged
/// registration lost and no id naming two schemas.
#[test]
fn a_cluster_stopped_with_sigterm_and_restarted_elects_a_writer() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let names = ["a", "b", "c"];
    let nodes: Vec<Node> = names
        .iter()
        .map(|name| Node::start(&broker, &dirs.path().join(name)))
        .collect();
    let writer = agreed_writer(&nodes.iter().collect::<Vec<_>>(), Duration::from_secs(30));
    let orders = writer.register("orders-value", "Order");
    for node in nodes {
        assert!(node.terminate(), "a node did not exit cleanly on SIGTERM");
    }

    // New ports, so every node advertises a URL the group has not seen.
    let nodes: Vec<Node> = names
        .iter()
        .map(|name| Node::start(&broker, &dirs.path().join(name)))
        .collect();
    let writer = agreed_writer(&nodes.iter().collect::<Vec<_>>(), Duration::from_secs(20));
    assert_eq!(
        writer.get("/subjects/orders-value/versions/1")["id"],
        orders
    );
    assert_eq!(writer.register("users-value", "User"), orders + 1);
}

#[test]
fn the_writer_fails_over_without_losing_registrations() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let mut nodes: Vec<Option<Node>> = ["a", "b", "c"]
        .iter()
        .map(|name| Some(Node::start(&broker, &dirs.path().join(name))))
        .collect();
    let live = |nodes: &[Option<Node>]| -> Vec<usize> {
        (0..nodes.len()).filter(|i| nodes[*i].is_some()).collect()
    };
    let writer_index = |nodes: &[Option<Node>]| -> usize {
        let refs: Vec<&Node> = nodes.iter().flatten().collect();
        let writer = agreed_writer(&refs, Duration::from_secs(30));
        live(nodes)
            .into_iter()
            .find(|i| std::ptr::eq(nodes[*i].as_ref().unwrap(), writer))
            .unwrap()
    };
    let mut acknowledged = Vec::new();
    let first = writer_index(&nodes);
    for n in 0..5 {
        let subject = format!("before-{n}");
        let id = nodes[first]
            .as_ref()
            .unwrap()
            .register(&subject, &format!("B{n}"));
        acknowledged.push((subject, id));
    }

    let killed_at = Instant::now();
    nodes[first].take().unwrap().kill();
    let second = writer_index(&nodes);
    let writer = nodes[second].as_ref().unwrap();
    let id = writer.register("after-0", "A0");
    let failover = killed_at.elapsed();
    println!("failover: writer killed, next registration acknowledged after {failover:?}");
    acknowledged.push(("after-0".to_owned(), id));
    for n in 1..5 {
        let subject = format!("after-{n}");
        acknowledged.push((subject.clone(), writer.register(&subject, &format!("A{n}"))));
    }

    let ids: Vec<i64> = acknowledged.iter().map(|(_, id)| *id).collect();
    assert_eq!(
        ids,
        (1..=10).collect::<Vec<_>>(),
        "one id sequence, none reused"
    );
    // Every live node's view catches up with the writer's.
    let deadline = Instant::now() + Duration::from_secs(20);
    let subjects: Vec<&str> = acknowledged.iter().map(|(s, _)| s.as_str()).collect();
    for index in live(&nodes) {
        let node = nodes[index].as_ref().unwrap();
        while node.get("/subjects").as_array().unwrap().len() < subjects.len() {
            assert!(Instant::now() < deadline, "{index} did not catch up");
            std::thread::sleep(Duration::from_millis(50));
        }
        for (subject, id) in &acknowledged {
            let latest = node.get(&format!("/subjects/{subject}/versions/latest"));
            assert_eq!(&latest["id"], id, "node {index}, {subject}");
        }
        assert_eq!(view(node, &subjects), view(writer, &subjects));
    }
}

/// Followers forward writes to the writer: registrations sent to each of
/// three nodes get one id sequence, and every node serves the same view.
#[test]
fn writes_sent_to_any_node_share_one_id_sequence() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let nodes: Vec<Node> = Node::start_three(&broker, dirs.path());
    let refs: Vec<&Node> = nodes.iter().collect();
    agreed_writer(&refs, Duration::from_secs(30));
    let mut subjects = Vec::new();
    for n in 0..6 {
        let subject = format!("s{n}-value");
        let id = nodes[n % 3].register(&subject, &format!("R{n}"));
        assert_eq!(id, n as i64 + 1, "{subject} via node {}", n % 3);
        subjects.push(subject);
    }
    let subjects: Vec<&str> = subjects.iter().map(String::as_str).collect();
    let deadline = Instant::now() + Duration::from_secs(20);
    for node in &nodes {
        while node.get("/subjects").as_array().unwrap().len() < subjects.len() {
            assert!(Instant::now() < deadline, "a node did not catch up");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let expected = view(&nodes[0], &subjects);
    for node in &nodes[1..] {
        assert_eq!(view(node, &subjects), expected);
    }
    // Every node answers a lookup (followers from their own view).
    let schema =
        json!({"type": "record", "name": "R0", "fields": [{"name": "f", "type": "string"}]});
    let lookup = json!({"schema": schema.to_string()});
    for node in &nodes {
        let (status, found) = node.request("POST", "/subjects/s0-value", Some(lookup.clone()));
        assert_eq!((status, &found["id"]), (200, &json!(1)), "{found}");
    }
}

/// A `--follower-only` node never writes: alone it knows no writer
/// (Confluent's 50004); with `--forward-writes-to` its writes go there.
#[test]
fn a_follower_only_node_forwards_writes_where_it_is_told() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let replica = Node::start_with(&broker, &dirs.path().join("r"), &["--follower-only"]);
    let schema =
        json!({"type": "record", "name": "R", "fields": [{"name": "f", "type": "string"}]});
    let body = json!({"schema": schema.to_string()});
    let (status, refused) = replica.request("POST", "/subjects/s-value/versions", Some(body));
    assert_eq!(
        (status, &refused["error_code"]),
        (500, &json!(50004)),
        "{refused}"
    );
    assert_eq!(replica.get("/v1/cluster")["role"], "follower");

    let writer = Node::start(&broker, &dirs.path().join("w"));
    agreed_writer(&[&writer], Duration::from_secs(30));
    let flags = [
        "--follower-only",
        "--forward-writes-to",
        writer.base.as_str(),
    ];
    let forwarding = Node::start_with(&broker, &dirs.path().join("f"), &flags);
    assert_eq!(
        forwarding.get("/v1/cluster")["writer"],
        writer.base.as_str()
    );
    assert_eq!(forwarding.register("s-value", "R"), 1);
    assert_eq!(writer.get("/subjects/s-value/versions/1")["id"], 1);
}
