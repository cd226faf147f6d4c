//! `GET /metrics`, `GET /health/live`, `GET /health/ready`: open without
//! credentials, in their own content types; metrics count requests by
//! route template, never by raw path.

use prometheus_parse::{Sample, Scrape, Value};
use serde_json::json;

use crate::server::{record, Server};

fn scrape(server: &Server) -> Scrape {
    let response = ureq::get(&format!("{}/metrics", server.base))
        .set("Accept", "text/plain")
        .call()
        .expect("metrics answer 200");
    assert!(
        response.content_type().starts_with("text/plain"),
        "{}",
        response.content_type()
    );
    let text = response.into_string().expect("text");
    Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).expect("exposition parses")
}

/// The value of the sample named `metric` whose labels include `labels`.
fn value(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    let found: Vec<&Sample> = scrape
        .samples
        .iter()
        .filter(|s| s.metric == metric)
        .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .collect();
    match found.as_slice() {
        [] => 0.0,
        [sample] => match &sample.value {
            Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => *v,
            Value::Histogram(buckets) => buckets.last().map_or(0.0, |b| b.count),
            Value::Summary(_) => panic!("{metric} is a summary"),
        },
        many => panic!("{metric} {labels:?} matches {} samples", many.len()),
    }
}

const VERSIONS_ROUTE: &str = "/subjects/:subject/versions";

#[test]
fn request_counters_move_by_route_template_and_never_name_a_subject() {
    let server = Server::start();
    let subject = "secret-orders-value";
    let before = scrape(&server);
    let registered = |n: f64| {
        value(
            &before,
            "treaty_http_requests_total",
            &[
                ("route", VERSIONS_ROUTE),
                ("method", "POST"),
                ("status", "200"),
            ],
        ) + n
    };
    server.register(
        subject,
        &record("Order", &[("id", "long"), ("note", "string")]),
    );
    server.register(subject, &record("Order", &[("id", "long")]));
    let incompatible = json!({"schema": record("Order", &[("id", "string")])}).to_string();
    let refused = server.post(&format!("/subjects/{subject}/versions"), &incompatible);
    assert_eq!(refused.status, 409, "{:?}", refused.body);
    assert_eq!(server.get("/nowhere/secret-path").status, 404);
    assert_eq!(
        server
            .delete(&format!("/subjects/{subject}/versions/1"))
            .status,
        200
    );

    let after = scrape(&server);
    let count = |labels: &[(&str, &str)]| value(&after, "treaty_http_requests_total", labels);
    assert_eq!(
        count(&[
            ("route", VERSIONS_ROUTE),
            ("method", "POST"),
            ("status", "200")
        ]),
        registered(2.0)
    );
    assert_eq!(
        count(&[
            ("route", VERSIONS_ROUTE),
            ("method", "POST"),
            ("status", "409")
        ]),
        1.0
    );
    assert_eq!(
        count(&[("route", "unmatched"), ("method", "GET"), ("status", "404")]),
        1.0
    );
    assert_eq!(
        value(
            &after,
            "treaty_http_request_duration_seconds_count",
            &[("route", VERSIONS_ROUTE)]
        ),
        3.0
    );
    assert_eq!(
        value(
            &after,
            "treaty_schema_registrations_total",
            &[("format", "AVRO")]
        ),
        2.0
    );
    assert_eq!(
        value(
            &after,
            "treaty_compatibility_rejections_total",
            &[("format", "AVRO")]
        ),
        1.0
    );
    assert!(value(&after, "treaty_commit_batch_writes_count", &[]) >= 3.0);
    assert!(value(&after, "treaty_startup_load_seconds", &[]) > 0.0);
    let context = [("context", ".")];
    assert_eq!(value(&after, "treaty_schemas", &context), 2.0);
    let in_state =
        |metric: &str, state: &str| value(&after, metric, &[("context", "."), ("state", state)]);
    assert_eq!(in_state("treaty_subjects", "live"), 1.0);
    assert_eq!(in_state("treaty_versions", "live"), 1.0);
    assert_eq!(in_state("treaty_versions", "deleted"), 1.0);

    for sample in &after.samples {
        for (name, label) in sample.labels.iter() {
            assert!(
                !label.contains("secret"),
                "{} carries {name}={label:?}",
                sample.metric
            );
        }
    }
}

#[test]
fn without_request_metrics_requests_are_neither_counted_nor_timed() {
    let server = Server::start_with(&["--no-request-metrics"]);
    server.register("a", &record("A", &[("id", "long")]));
    assert_eq!(server.get("/subjects/a/versions").status, 200);
    let scrape = scrape(&server);
    let http: Vec<&str> = scrape
        .samples
        .iter()
        .map(|s| s.metric.as_str())
        .filter(|metric| metric.starts_with("treaty_http_"))
        .collect();
    assert_eq!(http, Vec::<&str>::new());
    assert_eq!(
        value(
            &scrape,
            "treaty_schema_registrations_total",
            &[("format", "AVRO")]
        ),
        1.0,
        "the other metrics stay"
    );
}

#[test]
fn a_soft_deleted_subject_is_counted_as_deleted() {
    let server = Server::start();
    server.register("a", &record("A", &[("id", "long")]));
    server.register("b", &record("B", &[("id", "long")]));
    assert_eq!(server.delete("/subjects/b").status, 200);
    let scrape = scrape(&server);
    let subjects = |state| {
        value(
            &scrape,
            "treaty_subjects",
            &[("context", "."), ("state", state)],
        )
    };
    assert_eq!(subjects("live"), 1.0);
    assert_eq!(subjects("deleted"), 1.0);
}

#[test]
fn health_probes_answer_json_and_ready_once_writable() {
    let server = Server::start();
    let live = server.get("/health/live");
    assert_eq!(live.status, 200);
    assert_eq!(live.body, json!({"status": "UP"}));
    assert_eq!(live.content_type, "application/json");
    // Staging runs beside serving; a write makes the copy if it has not.
    server.register("a", &record("A", &[("id", "long")]));
    let ready = server.get("/health/ready");
    assert_eq!(ready.status, 200, "{:?}", ready.body);
    assert_eq!(
        ready.body,
        json!({"status": "UP", "loaded": true, "writable": true})
    );
}

#[test]
fn probes_and_metrics_need_no_credentials_when_auth_is_on() {
    let server = crate::auth::start();
    assert_eq!(server.get("/subjects").status, 401);
    for path in ["/metrics", "/health/live", "/health/ready"] {
        let reply = server.request_with("GET", path, None, &[("Accept", "text/plain")]);
        assert_eq!(reply.status, 200, "{path}: {:?}", reply.body);
    }
}

#[test]
fn rocksdb_size_grows_with_writes_and_no_write_is_stalled() {
    let server = Server::start();
    let memtables =
        |scrape: &Scrape| value(scrape, "treaty_rocksdb_bytes", &[("part", "memtables")]);
    let before = scrape(&server);
    for n in 0..20 {
        server.register(
            &format!("s{n}"),
            &record(&format!("R{n}"), &[("id", "long")]),
        );
    }
    let after = scrape(&server);
    assert!(
        memtables(&after) > memtables(&before),
        "{} -> {}",
        memtables(&before),
        memtables(&after)
    );
    let present = |metric: &str| after.samples.iter().any(|s| s.metric == metric);
    assert!(present("treaty_rocksdb_writes_stopped"));
    assert_eq!(value(&after, "treaty_rocksdb_writes_stopped", &[]), 0.0);
    assert!(present("treaty_rocksdb_delayed_write_rate_bytes"));
    let stalled = |scrape: &Scrape| -> f64 {
        let sample = scrape
            .samples
            .iter()
            .find(|s| s.metric == "treaty_rocksdb_write_stall_seconds_total")
            .expect("the stall time is exposed");
        match sample.value {
            Value::Counter(seconds) => seconds,
            ref other => panic!("the stall time is {other:?}, not a counter"),
        }
    };
    assert_eq!(stalled(&after), 0.0, "a few small writes never stall");
    assert!(
        !present("treaty_cluster_applied_offset"),
        "no cluster gauges on one node"
    );

    // Stopping flushes the memtables into table files.
    let tables = |scrape: &Scrape| value(scrape, "treaty_rocksdb_bytes", &[("part", "tables")]);
    let server = server.restart();
    assert!(tables(&scrape(&server)) > tables(&after));
}
