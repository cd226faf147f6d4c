//! What operators see of a cluster node: `GET /health/ready` holds back
//! until the node has caught up with the schemas topic, and `GET /metrics`
//! tells how far it has applied the topic, how far behind it is and
//! whether it writes.

use std::time::{Duration, Instant};

use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::ClientConfig;
use serde_json::{json, Value};
use treaty::kafka::config::DEFAULT_TOPIC;
use treaty::kafka::writer::{BATCH_HEADER, CONFIRM_HEADER, TERM_HEADER};

use crate::broker::Tansu;
use crate::node::Node;

const LAG: &str = "treaty_cluster_lag_records";

/// `GET /health/ready`'s status and body once `ready` holds for it;
/// panics after `within`.
fn readiness_once(node: &Node, within: Duration, ready: impl Fn(u16, &Value) -> bool) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let (status, body) = node.request("GET", "/health/ready", None);
        if ready(status, &body) {
            return body;
        }
        assert!(Instant::now() < deadline, "{status} {body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until `node`, the only one that may write, has been elected.
fn until_writer(node: &Node) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while node.get("/v1/cluster")["role"] != "writer" {
        assert!(Instant::now() < deadline, "{}", node.get("/v1/cluster"));
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_node_is_ready_only_once_it_has_caught_up_with_the_topic() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let first = Node::start(&broker, &dirs.path().join("a"));
    readiness_once(&first, Duration::from_secs(30), |status, _| status == 200);
    until_writer(&first);
    let id = first.register("orders-value", "Order");

    broker.pause();
    let second = Node::start(&broker, &dirs.path().join("b"));
    let (status, body) = second.request("GET", "/health/ready", None);
    assert_eq!(
        (status, &body["status"], &body["caughtUp"]),
        (503, &json!("DOWN"), &json!(false)),
        "{body}"
    );
    let (live, _) = second.request("GET", "/health/live", None);
    assert_eq!(live, 200, "a node catching up is alive");
    broker.resume();

    let body = readiness_once(&second, Duration::from_secs(30), |status, _| status == 200);
    assert_eq!(
        body,
        json!({"status": "UP", "loaded": true, "writable": true, "caughtUp": true})
    );
    assert_eq!(second.get("/subjects/orders-value/versions/1")["id"], id);
}

/// The value of the gauge `metric` in `node`'s exposition, parsed as
/// Prometheus reads it.
fn gauge(node: &Node, metric: &str) -> f64 {
    let text = ureq::get(&format!("{}/metrics", node.base))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).unwrap();
    let sample = scrape
        .samples
        .iter()
        .find(|s| s.metric == metric)
        .unwrap_or_else(|| panic!("no {metric} in {text}"));
    match sample.value {
        prometheus_parse::Value::Gauge(value) => value,
        ref other => panic!("{metric} is {other:?}"),
    }
}

#[test]
fn cluster_metrics_show_the_applied_offset_the_lag_and_the_writer() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let writer = Node::start(&broker, &dirs.path().join("a"));
    readiness_once(&writer, Duration::from_secs(30), |status, _| status == 200);
    until_writer(&writer);
    let follower = Node::start_with(&broker, &dirs.path().join("b"), &["--follower-only"]);
    readiness_once(&follower, Duration::from_secs(30), |status, _| {
        status == 200
    });
    let before = gauge(&follower, "treaty_cluster_applied_offset");

    writer.register("orders-value", "Order");
    writer.register("users-value", "User");
    let applied = writer.get("/v1/cluster")["appliedOffset"].as_f64().unwrap();
    assert_eq!(gauge(&writer, "treaty_cluster_applied_offset"), applied);
    let deadline = Instant::now() + Duration::from_secs(30);
    while gauge(&follower, "treaty_cluster_applied_offset") < applied {
        assert!(
            Instant::now() < deadline,
            "the follower never applied {applied}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(applied > before, "{before} -> {applied}");
    assert_eq!(gauge(&follower, LAG), 0.0);
    assert_eq!(gauge(&writer, "treaty_cluster_writer"), 1.0);
    assert_eq!(gauge(&follower, "treaty_cluster_writer"), 0.0);
}

/// Produces one record onto the schemas topic with `headers`, as a treaty
/// writer's term would; answers its offset.
fn produce_tagged(broker: &Tansu, key: &str, value: Option<&str>, headers: &[(&str, &str)]) -> i64 {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", &broker.bootstrap)
        .set("acks", "all")
        .create()
        .unwrap();
    let headers = headers
        .iter()
        .fold(OwnedHeaders::new(), |all, (key, value)| {
            all.insert(Header {
                key,
                value: Some(*value),
            })
        });
    let mut record = FutureRecord::<str, str>::to(DEFAULT_TOPIC)
        .partition(0)
        .key(key)
        .headers(headers);
    if let Some(value) = value {
        record = record.payload(value);
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let delivered = runtime.block_on(producer.send(record, Duration::from_secs(10)));
    delivered.map_err(|(error, _)| error).unwrap().offset
}

/// Polls `metric` on `node` until `wanted` holds for it; panics after 30 s.
fn gauge_once(node: &Node, metric: &str, wanted: impl Fn(f64) -> bool) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let value = gauge(node, metric);
        if wanted(value) {
            return value;
        }
        assert!(Instant::now() < deadline, "{metric} stayed at {value}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_lag_counts_records_read_but_not_yet_applied_until_they_are() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let follower = Node::start_with(&broker, &dirs.path().join("a"), &["--follower-only"]);
    readiness_once(&follower, Duration::from_secs(30), |status, _| {
        status == 200
    });
    assert_eq!(gauge(&follower, LAG), 0.0);

    // A writer's batch of three registrations, committed but not yet
    // confirmed: a follower may not apply it, so it is three records behind.
    let term = "0000000000000abc";
    for n in 1..=3 {
        let subject = format!("held-{n}");
        let key = json!({"keytype": "SCHEMA", "subject": subject, "version": 1, "magic": 1});
        let value = json!({"subject": subject, "version": 1, "id": n, "schema": "\"string\"", "deleted": false});
        produce_tagged(
            &broker,
            &key.to_string(),
            Some(&value.to_string()),
            &[(TERM_HEADER, term), (BATCH_HEADER, "1")],
        );
    }
    gauge_once(&follower, LAG, |lag| lag == 3.0);
    assert_eq!(follower.get("/subjects"), json!([]));

    let confirmation = produce_tagged(
        &broker,
        r#"{"keytype":"NOOP","magic":0}"#,
        None,
        &[(TERM_HEADER, term), (CONFIRM_HEADER, "1")],
    );
    gauge_once(&follower, "treaty_cluster_applied_offset", |applied| {
        applied == confirmation as f64
    });
    assert_eq!(gauge(&follower, LAG), 0.0);
    assert_eq!(
        follower.get("/subjects"),
        json!(["held-1", "held-2", "held-3"])
    );
}
