//! `/v1/usage` (issue 18): fetches, lookups and registrations move the
//! figures, which survive restarts; clients and principals are kept,
//! credentials never; the unused listing; the force rule of deletes.

use serde_json::{json, Value};

use crate::auth::{self, call, login};
use crate::server::{record, Reply, Server};

const V1: &str = "application/vnd.schemaregistry.v1+json";

fn schema_body(name: &str) -> String {
    json!({ "schema": record(name, &[("id", "long")]) }).to_string()
}

/// `method path` sent as `client` (in the header Confluent's serializers
/// use, or as a `User-Agent`).
fn as_client(server: &Server, method: &str, path: &str, body: Option<&str>, client: &str) -> Reply {
    let header = match client.starts_with("confluent") {
        true => "Confluent-Client-Version",
        false => "User-Agent",
    };
    server.request_with(
        method,
        path,
        body,
        &[("Content-Type", V1), (header, client)],
    )
}

fn count(figures: &Value, event: &str) -> i64 {
    figures[event]["count"].as_i64().unwrap_or(0)
}

fn clients(figures: &Value) -> Vec<(Value, Value)> {
    let mut clients: Vec<_> = figures["clients"]
        .as_array()
        .expect("a client list")
        .iter()
        .map(|c| (c["client"].clone(), c["principal"].clone()))
        .collect();
    clients.sort_by_key(|c| c.0.to_string());
    clients
}

fn usage(server: &Server, path: &str) -> Value {
    let reply = server.get(path);
    assert_eq!(reply.status, 200, "{path}: {:?}", reply.body);
    reply.body
}

/// How many times the server has written its usage figures.
fn flushes(server: &Server) -> u64 {
    let text = server.get("/metrics").body;
    let text = text.as_str().expect("metrics are text");
    let line = text
        .lines()
        .find(|l| l.starts_with("treaty_usage_flushes_total "))
        .expect("the flush counter");
    line.split(' ').nth(1).unwrap().parse().expect("a number")
}

/// Waits until a flush has begun and ended after this call (two more
/// completed than now), or fails after a generous bound.
fn await_a_full_flush(server: &Server) {
    let target = flushes(server) + 2;
    for _ in 0..400 {
        if flushes(server) >= target {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("no usage flush happened");
}

#[test]
fn fetches_lookups_and_registrations_move_the_figures() {
    let server = Server::start_with(&["--usage-recording"]);
    let path = "/subjects/orders-value/versions";
    let registered = as_client(
        &server,
        "POST",
        path,
        Some(&schema_body("Order")),
        "confluent-java-7.9.0",
    );
    assert_eq!(registered.body, json!({"id": 1}));

    let subject = usage(&server, "/v1/usage/subjects/orders-value");
    let version = &subject["versions"][0];
    assert_eq!(
        (version["version"].clone(), version["id"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(count(&version["versionUsage"], "registered"), 1);
    assert_eq!(version["versionUsage"]["fetched"], Value::Null);
    assert_eq!(
        version["idUsage"]["lastSeen"],
        Value::Null,
        "not fetched by id yet"
    );

    // The plain fetch is answered before routing; with a query it is routed.
    for path in [
        "/schemas/ids/1",
        "/schemas/ids/1",
        "/schemas/ids/1?fetchMaxId=true",
        "/schemas/ids/1/schema",
    ] {
        assert_eq!(
            as_client(&server, "GET", path, None, "kcat/1.7").status,
            200
        );
    }
    let lookup = as_client(
        &server,
        "POST",
        "/subjects/orders-value",
        Some(&schema_body("Order")),
        "confluent-python-2.5",
    );
    assert_eq!(lookup.status, 200);
    assert_eq!(
        server.get("/subjects/orders-value/versions/latest").status,
        200
    );

    let id = usage(&server, "/v1/usage/ids/1");
    assert_eq!(
        (id["id"].clone(), id["context"].clone()),
        (json!(1), json!("."))
    );
    let by_id = &id["byId"];
    assert_eq!(count(by_id, "fetched"), 4, "{id}");
    let fetched = &by_id["fetched"];
    assert!(
        fetched["first"].as_str() <= fetched["last"].as_str(),
        "{fetched}"
    );
    assert_eq!(clients(by_id), [(json!("kcat/1.7"), Value::Null)]);
    let holder = &id["versions"][0];
    assert_eq!(
        (holder["subject"].clone(), holder["version"].clone()),
        (json!("orders-value"), json!(1))
    );
    let figures = &holder["usage"];
    let counts = ["fetched", "lookedUp", "registered"].map(|event| count(figures, event));
    assert_eq!(counts, [1, 1, 1], "{figures}");
    assert_eq!(
        id["lastSeen"], figures["fetched"]["last"],
        "the version fetch came last"
    );
    let shown = clients(figures);
    assert_eq!(shown.len(), 3, "with ureq's own User-Agent: {shown:?}");
    for client in ["confluent-java-7.9.0", "confluent-python-2.5"] {
        assert!(
            shown.contains(&(json!(client), Value::Null)),
            "{client}: {shown:?}"
        );
    }

    let version = &usage(&server, "/v1/usage/subjects/orders-value")["versions"][0];
    assert_eq!(count(&version["versionUsage"], "lookedUp"), 1);
    assert_eq!(count(&version["idUsage"], "fetched"), 4);
    assert_eq!(version["lastSeen"], id["lastSeen"]);

    let unknown_id = server.get("/v1/usage/ids/99");
    assert_eq!((unknown_id.status, unknown_id.code()), (404, 40403));
    let unknown_subject = server.get("/v1/usage/subjects/nope");
    assert_eq!(
        (unknown_subject.status, unknown_subject.code()),
        (404, 40401)
    );
    assert_eq!(server.get("/v1/usage/ids/x").status, 404);
}

#[test]
fn nothing_is_recorded_unless_recording_is_turned_on() {
    let server = Server::start();
    server.register("orders-value", &record("Order", &[("id", "long")]));
    assert_eq!(server.get("/schemas/ids/1").status, 200);
    let id = usage(&server, "/v1/usage/ids/1");
    assert_eq!(count(&id["byId"], "fetched"), 0, "{id}");
    assert_eq!(count(&id["versions"][0]["usage"], "registered"), 0, "{id}");
}

#[test]
fn usage_survives_a_crash_after_a_flush_and_a_graceful_restart() {
    let server = Server::start_with(&["--usage-recording", "--usage-flush-interval", "50ms"]);
    server.register("orders-value", &record("Order", &[("id", "long")]));
    for _ in 0..3 {
        assert_eq!(server.get("/schemas/ids/1").status, 200);
    }
    await_a_full_flush(&server);

    let server = server.crash_and_restart_with(&["--usage-recording"]);
    assert_eq!(
        count(&usage(&server, "/v1/usage/ids/1")["byId"], "fetched"),
        3
    );
    assert_eq!(server.get("/schemas/ids/1").status, 200);

    // A graceful stop writes what the interval (5 s by default) has not.
    let server = server.restart_with(&["--usage-recording"]);
    let id = usage(&server, "/v1/usage/ids/1");
    let registered = count(&id["versions"][0]["usage"], "registered");
    assert_eq!((count(&id["byId"], "fetched"), registered), (4, 1));
}

#[test]
fn clients_and_principals_are_kept_and_credentials_never() {
    let server = Server::start_with(&[
        "--usage-recording",
        "--auth-file",
        &auth::credentials_file(),
    ]);
    let admin = login("admin");
    let headers = [
        ("Content-Type", V1),
        ("Authorization", admin.as_str()),
        ("Confluent-Client-Version", "confluent-go-2.4"),
    ];
    let body = schema_body("Order");
    let registered = server.request_with(
        "POST",
        "/subjects/orders-value/versions",
        Some(&body),
        &headers,
    );
    assert_eq!(registered.status, 200, "{:?}", registered.body);
    let payment = schema_body("Payment");
    let path = "/subjects/payments-value/versions";
    assert_eq!(
        call(&server, "POST", path, Some(&payment), &admin).body,
        json!({"id": 2})
    );
    let reader = login("reader");
    assert_eq!(
        call(&server, "GET", "/schemas/ids/1", None, &reader).status,
        200
    );

    let id = call(&server, "GET", "/v1/usage/ids/1", None, &reader);
    assert_eq!(id.status, 200, "{:?}", id.body);
    let registered_by = clients(&id.body["versions"][0]["usage"]);
    assert_eq!(registered_by, [(json!("confluent-go-2.4"), json!("admin"))]);
    let fetched_by = clients(&id.body["byId"]);
    assert!(
        fetched_by.iter().any(|(_, p)| *p == json!("reader")),
        "{fetched_by:?}"
    );
    let subject = call(
        &server,
        "GET",
        "/v1/usage/subjects/orders-value",
        None,
        &admin,
    );
    for text in [id.body.to_string(), subject.body.to_string()] {
        for secret in ["admin-pass", "reader-pass", "Basic ", "Authorization"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }

    auth::assert_denied(
        &call(
            &server,
            "GET",
            "/v1/usage/subjects/payments-value",
            None,
            &reader,
        ),
        "Read",
        "Subject: payments-value",
    );
    let other_id = call(&server, "GET", "/v1/usage/ids/2", None, &reader);
    assert_eq!(other_id.status, 403, "{:?}", other_id.body);
    let unused = call(
        &server,
        "GET",
        "/v1/usage/unused?unusedFor=1h",
        None,
        &reader,
    );
    assert_eq!(unused.status, 200);
    assert!(
        !unused.body.to_string().contains("payments-value"),
        "only what the reader may read: {}",
        unused.body
    );
}

/// Registers `subjects` while recording is off (the default), so that
/// nothing has used them, and serves the data dir again recording, with
/// `args`.
fn unused_subjects_then_serve(dir: &std::path::Path, subjects: &[&str], args: &[&str]) -> Server {
    let quiet = Server::start_in(dir, &[]);
    for (n, subject) in subjects.iter().enumerate() {
        quiet.register(subject, &record(&format!("R{n}"), &[("id", "long")]));
    }
    drop(quiet);
    let recording: Vec<&str> = ["--usage-recording"].iter().chain(args).copied().collect();
    Server::start_in(dir, &recording)
}

#[test]
fn unused_lists_the_live_versions_nobody_used_within_the_window() {
    let temp = tempfile::tempdir().expect("temp dir");
    let server = unused_subjects_then_serve(&temp.path().join("data"), &["old", "read-by-id"], &[]);
    assert_eq!(server.get("/schemas/ids/2").status, 200);
    server.register("fresh", &record("Fresh", &[("id", "long")]));

    let unused = usage(&server, "/v1/usage/unused?unusedFor=1h");
    let listed: Vec<_> = unused["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| {
            (
                v["subject"].clone(),
                v["version"].clone(),
                v["lastSeen"].clone(),
            )
        })
        .collect();
    assert_eq!(listed, [(json!("old"), json!(1), Value::Null)]);
    assert!(unused["unusedSince"].is_string());

    let metrics = server.get("/metrics").body;
    let metrics = metrics.as_str().expect("text");
    assert!(
        metrics.contains("\ntreaty_usage_unused_versions 1\n"),
        "{metrics}"
    );

    let prefixed = usage(
        &server,
        "/v1/usage/unused?unusedFor=30d&subjectPrefix=fresh",
    );
    assert_eq!(prefixed["versions"], json!([]));
    for bad in ["abc", "-1d", "30x", ""] {
        let reply = server.get(&format!("/v1/usage/unused?unusedFor={bad}"));
        assert_eq!(
            (reply.status, reply.code()),
            (422, 422),
            "{bad}: {:?}",
            reply.body
        );
    }
}

#[test]
fn deletes_of_recently_used_versions_need_force_when_the_guard_is_on() {
    let temp = tempfile::tempdir().expect("temp dir");
    let subjects = ["quiet", "consumed", "busy"];
    let guard = ["--usage-delete-guard", "1h"];
    let server = unused_subjects_then_serve(&temp.path().join("data"), &subjects, &guard);
    assert_eq!(server.get("/schemas/ids/2").status, 200, "consumed by id");
    assert_eq!(server.get("/subjects/busy/versions/1").status, 200);

    for path in [
        "/subjects/consumed",
        "/subjects/busy",
        "/subjects/busy/versions/1",
        "/subjects/busy/versions/latest",
    ] {
        let refused = server.delete(path);
        assert_eq!(
            (refused.status, refused.code()),
            (409, 40950),
            "{path}: {:?}",
            refused.body
        );
        assert!(
            refused.message().contains("force=true"),
            "{}",
            refused.message()
        );
    }
    assert_eq!(
        server.get("/subjects/busy/versions").body,
        json!([1]),
        "nothing deleted"
    );

    assert_eq!(
        server.delete("/subjects/quiet").body,
        json!([1]),
        "never used"
    );
    assert_eq!(server.delete("/subjects/busy?force=true").body, json!([1]));
    let permanent = server.delete("/subjects/busy?permanent=true");
    assert_eq!(
        permanent.code(),
        40950,
        "still used recently: {:?}",
        permanent.body
    );
    assert_eq!(
        server
            .delete("/subjects/busy?permanent=true&force=true")
            .body,
        json!([1])
    );
    assert_eq!(
        server
            .delete("/subjects/consumed/versions/1?force=true")
            .body,
        json!(1)
    );
    let unknown = server.delete("/subjects/nope");
    assert_eq!(
        unknown.code(),
        40401,
        "the registry's own errors come first"
    );
}
