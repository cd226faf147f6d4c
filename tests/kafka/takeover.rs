//! Migration by takeover: treaty nodes started on a topic that Confluent
//! or Karapace wrote serve it with the same ids, then take over writes and
//! go on from the highest id any record ever held, as Confluent's leader
//! does (`IncrementalIdGenerator`: the next id is one more than the highest
//! the reader has seen). A `--follower-only` node beside a running registry
//! serves reads and hands writes to it.

use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use serde_json::{json, Value};

use crate::broker::Tansu;
use crate::corpus::{produce_raw, wait_applied, wrong_answers};
use crate::node::Node;

/// Keytypes every Confluent reader since IMPORT mode (CP 5.5) knows.
const OLDEST_READERS_KEYTYPES: [&str; 6] = [
    "SCHEMA",
    "CONFIG",
    "MODE",
    "NOOP",
    "DELETE_SUBJECT",
    "CLEAR_SUBJECT",
];

/// Waits until `node` says it is the writer.
fn wait_writer(node: &Node) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while node.get("/v1/cluster")["role"] != "writer" {
        assert!(
            Instant::now() < deadline,
            "never the writer: {}",
            node.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Every record's keytype on `topic`, from its first record to its end.
fn keytypes(broker: &Tansu, topic: &str) -> Vec<String> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &broker.bootstrap)
        .set("group.id", "takeover-test")
        .set("enable.partition.eof", "true")
        .create()
        .unwrap();
    let mut assignment = TopicPartitionList::new();
    assignment
        .add_partition_offset(topic, 0, Offset::Beginning)
        .unwrap();
    consumer.assign(&assignment).unwrap();
    let mut found = Vec::new();
    loop {
        match consumer.poll(Duration::from_secs(10)) {
            Some(Ok(message)) => {
                let key: Value = serde_json::from_slice(message.key().unwrap()).unwrap();
                found.push(key["keytype"].as_str().unwrap().to_owned());
            }
            Some(Err(KafkaError::PartitionEOF(_))) => return found,
            Some(Err(error)) => panic!("reading {topic}: {error}"),
            None => panic!("reading {topic}: nothing within 10 s"),
        }
    }
}

#[test]
fn treaty_takes_over_a_confluent_topic_and_goes_on_with_the_next_id() {
    let Some(broker) = Tansu::start() else { return };
    let end = produce_raw(&broker, "_schemas", "confluent-takeover.tsv");
    let dirs = tempfile::tempdir().unwrap();
    // Step 1: read replicas beside the old registry serve its ids.
    let replica = Node::start_with(&broker, &dirs.path().join("r"), &["--follower-only"]);
    wait_applied(&replica, end);
    let wrong = wrong_answers(&replica, "confluent-takeover.tsv");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Step 2: the old registry stopped, treaty nodes take over writes.
    let writer = Node::start(&broker, &dirs.path().join("w"));
    wait_writer(&writer);
    let wrong = wrong_answers(&writer, "confluent-takeover.tsv");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Id 4 was hard-deleted, yet it was handed out: the next one is 5.
    assert_eq!(writer.register("shipments-value", "Shipment"), 5);
    // A schema the topic holds keeps its id in a new subject.
    let order =
        json!({"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]});
    assert_eq!(writer.register_schema("orders-archive-value", order), 1);
    // The replica follows what treaty writes.
    let applied = writer.get("/v1/cluster")["appliedOffset"].as_i64().unwrap();
    wait_applied(&replica, applied);
    let latest = replica.get("/subjects/shipments-value/versions/latest");
    assert_eq!(latest["id"], 5);

    // Nothing treaty wrote is a keytype an older Confluent reader dies on.
    for keytype in keytypes(&broker, "_schemas") {
        assert!(
            OLDEST_READERS_KEYTYPES.contains(&keytype.as_str()),
            "{keytype}"
        );
    }
}

#[test]
fn treaty_takes_over_a_karapace_topic_and_goes_on_with_the_next_id() {
    let Some(broker) = Tansu::start() else { return };
    let end = produce_raw(&broker, "_schemas", "karapace.tsv");
    let dirs = tempfile::tempdir().unwrap();
    let writer = Node::start(&broker, &dirs.path().join("w"));
    wait_applied(&writer, end);
    let wrong = wrong_answers(&writer, "karapace.tsv");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    wait_writer(&writer);
    // Karapace left the registry READONLY: treaty keeps it so until told.
    let (status, refused) = writer.request(
        "POST",
        "/subjects/users-value/versions",
        Some(json!({"schema": "\"string\""})),
    );
    assert_eq!((status, &refused["error_code"]), (422, &json!(42205)));
    let (status, _) = writer.request("PUT", "/mode", Some(json!({"mode": "READWRITE"})));
    assert_eq!(status, 200);
    assert_eq!(writer.register("users-value", "User"), 2);
}

/// `Authorization` of the fixture principal `ci` (tests/fixtures/auth).
const CI_TOKEN: &str = "Bearer ci-token-0123456789";
const ADMIN: &str = "Basic YWRtaW46YWRtaW4tcGFzcw==";

/// Status and body of `method path` sent to `node` with `authorization`.
fn call(
    node: &Node,
    method: &str,
    path: &str,
    body: Value,
    authorization: Option<&str>,
) -> (u16, Value) {
    let mut request = ureq::request(method, &format!("{}{path}", node.base))
        .set("Content-Type", "application/vnd.schemaregistry.v1+json");
    if let Some(authorization) = authorization {
        request = request.set("Authorization", authorization);
    }
    let response = match request.send_string(&body.to_string()) {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("{method} {path}: {error}"),
    };
    (response.status(), response.into_json().unwrap())
}

#[test]
fn a_follower_only_node_forwards_writes_with_the_callers_headers_and_never_writes() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let credentials = format!(
        "{}/tests/fixtures/auth/credentials.json",
        env!("CARGO_MANIFEST_DIR")
    );
    // The running registry, which authenticates its callers.
    let registry = Node::start_with(
        &broker,
        &dirs.path().join("w"),
        &["--auth-file", credentials.as_str()],
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while call(&registry, "GET", "/v1/cluster", Value::Null, Some(ADMIN)).1["role"] != "writer" {
        assert!(
            Instant::now() < deadline,
            "never the writer: {}",
            registry.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let flags = [
        "--follower-only",
        "--forward-writes-to",
        registry.base.as_str(),
    ];
    let replica = Node::start_with(&broker, &dirs.path().join("f"), &flags);
    let body = json!({"schema": "\"string\""});
    let path = "/subjects/orders-value/versions";

    // The registry sees the caller's credentials, or none.
    let (status, refused) = call(&replica, "POST", path, body.clone(), None);
    assert_eq!(
        (status, &refused["error_code"]),
        (401, &json!(401)),
        "{refused}"
    );
    let (status, registered) = call(&replica, "POST", path, body.clone(), Some(CI_TOKEN));
    assert_eq!(
        (status, &registered["id"]),
        (200, &json!(1)),
        "{registered}"
    );

    // Reads come from the replica's own view.
    let applied = call(&registry, "GET", "/v1/cluster", Value::Null, Some(ADMIN)).1
        ["appliedOffset"]
        .as_i64()
        .unwrap();
    wait_applied(&replica, applied);
    assert_eq!(replica.get("/subjects/orders-value/versions/1")["id"], 1);

    // With the registry gone there is no writer at all; the replica still
    // never writes: it answers reads, and Confluent's 50003 to writes.
    registry.kill();
    // Longer than a group session (2 s here): an electing node would have
    // taken over by now.
    std::thread::sleep(Duration::from_secs(3));
    let status = replica.get("/v1/cluster");
    assert_eq!(status["role"], "follower", "{status}");
    let (code, failed) = call(&replica, "POST", path, body, Some(CI_TOKEN));
    assert_eq!(
        (code, &failed["error_code"]),
        (500, &json!(50003)),
        "{failed}"
    );
    assert_eq!(replica.get("/subjects/orders-value/versions/1")["id"], 1);
}
