//! Topics as Confluent and Karapace wrote them: each fixture of
//! `tests/fixtures/topic/` produced raw, byte for byte, onto a broker; a
//! treaty node started on it answers what `<fixture>.answers` lists.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::ClientConfig;
use serde_json::Value;

use crate::broker::Tansu;
use crate::node::Node;

const NOOP: &str = r#"{"keytype":"NOOP","magic":0}"#;

pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/topic")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fixture's lines that are not comments, split at tabs.
pub fn rows(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
        .collect()
}

/// Produces the records of fixture `name` onto `topic` (created first, as
/// Confluent creates it), then a NOOP, as Confluent's leader writes one.
/// Answers the NOOP's offset: a node that applied it has read everything.
pub fn produce_raw(broker: &Tansu, topic: &str, name: &str) -> i64 {
    let text = fixture(name);
    let records = rows(&text).into_iter().map(|row| match row.as_slice() {
        [key, ""] => (Some(*key), None),
        [key, value] => (Some(*key), Some(*value)),
        [value] => (None, Some(*value)),
        other => panic!("{name}: a record of {} fields", other.len()),
    });
    let records: Vec<_> = records.chain([(Some(NOOP), None)]).collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        treaty::kafka::ensure_topic(&broker.config(topic))
            .await
            .unwrap();
        let producer: FutureProducer = ClientConfig::new()
            .set("bootstrap.servers", &broker.bootstrap)
            .set("acks", "all")
            .create()
            .unwrap();
        let mut last = -1;
        for (key, value) in records {
            let mut record = FutureRecord::<str, str>::to(topic).partition(0);
            if let Some(key) = key {
                record = record.key(key);
            }
            if let Some(value) = value {
                record = record.payload(value);
            }
            let delivered = producer.send(record, Duration::from_secs(10)).await;
            last = delivered.map_err(|(error, _)| error).unwrap().offset;
        }
        last
    })
}

/// Waits until `node` has applied the record at `offset`.
pub fn wait_applied(node: &Node, offset: i64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while node.get("/v1/cluster")["appliedOffset"].as_i64() < Some(offset) {
        assert!(Instant::now() < deadline, "not caught up: {}", node.log());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether `actual` is what `expected` asks for: an object holds at least
/// its fields, each matching; an array has as many items, each matching;
/// any other value is equal.
fn matches(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => expected
            .iter()
            .all(|(name, value)| actual.get(name).is_some_and(|a| matches(value, a))),
        (Value::Array(expected), Value::Array(actual)) => {
            expected.len() == actual.len()
                && expected.iter().zip(actual).all(|(e, a)| matches(e, a))
        }
        _ => expected == actual,
    }
}

/// Every request of `<name>.answers` asked of `node`; the ones answered
/// otherwise, described.
pub fn wrong_answers(node: &Node, name: &str) -> Vec<String> {
    let answers = fixture(&name.replace(".tsv", ".answers"));
    let mut wrong = Vec::new();
    for row in rows(&answers) {
        let [request, status, body] = row.as_slice() else {
            panic!("{name} answers: {row:?}");
        };
        let (method, path) = request.split_once(' ').unwrap();
        let expected: Value = serde_json::from_str(body).unwrap();
        let (got_status, got) = node.request(method, path, None);
        if got_status.to_string() != *status || !matches(&expected, &got) {
            wrong.push(format!(
                "{request}: {got_status} {got}; expected {status} {body}"
            ));
        }
    }
    wrong
}

/// A read-only node (it needs no election) on `name`'s records.
fn node_on(name: &str) -> Option<(Tansu, tempfile::TempDir, Node)> {
    let broker = Tansu::start()?;
    let end = produce_raw(&broker, "_schemas", name);
    let dirs = tempfile::tempdir().unwrap();
    let node = Node::start_with(&broker, &dirs.path().join("n"), &["--follower-only"]);
    wait_applied(&node, end);
    Some((broker, dirs, node))
}

/// The broker and data dirs come back with the node: the node's log is
/// kept among them.
fn assert_answers(name: &str) -> Option<(Tansu, tempfile::TempDir, Node)> {
    let (broker, dirs, node) = node_on(name)?;
    let wrong = wrong_answers(&node, name);
    assert!(wrong.is_empty(), "{name}:\n{}", wrong.join("\n"));
    Some((broker, dirs, node))
}

#[test]
fn a_confluent_7_topic_is_served_as_confluent_serves_it() {
    assert_answers("confluent-7.tsv");
}

#[test]
fn a_confluent_8_topic_is_served_as_confluent_serves_it() {
    assert_answers("confluent-8.tsv");
}

#[test]
fn a_karapace_topic_is_served_as_karapace_serves_it() {
    assert_answers("karapace.tsv");
}

#[test]
fn tombstones_remove_their_key_in_every_byte_form() {
    assert_answers("tombstones.tsv");
}

#[test]
fn records_of_unknown_keytypes_and_undecodable_keys_are_skipped_with_a_warning() {
    let Some((_broker, _dirs, node)) = assert_answers("foreign.tsv") else {
        return;
    };
    let log = node.log();
    for reason in [
        "unknown keytype `EXPORTER`",
        "the key does not decode",
        "a SCHEMA key with magic 2",
    ] {
        assert!(log.contains(reason), "no warning for {reason}: {log}");
    }
}
