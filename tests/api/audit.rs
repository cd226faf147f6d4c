//! The audit trail, `GET /v1/audit`: an entry for every kind of write, who
//! made it, never a credential, filtered, exported as JSON lines and
//! trimmed by its retention.

use serde_json::{json, Value};

use crate::auth::{basic, call, credentials_file, login, register, schema_body};
use crate::server::{Reply, Server};

const V1: &str = "application/vnd.schemaregistry.v1+json";

fn entries(server: &Server, query: &str) -> Vec<Value> {
    let reply = server.get(&format!("/v1/audit{query}"));
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body.as_array().expect("an array").clone()
}

/// Each entry's changes as `kind subject`.
fn kinds(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .flat_map(|entry| entry["changes"].as_array().unwrap().clone())
        .map(|change| {
            let subject = change["subject"].as_str().unwrap_or("(global)");
            format!("{} {subject}", change["kind"].as_str().unwrap())
        })
        .collect()
}

fn sent(server: &Server, method: &str, path: &str, body: Option<&str>) -> Reply {
    let headers = [
        ("Content-Type", V1),
        ("User-Agent", "audit-test/1.0"),
        ("Confluent-Client-Version", "python/2.6.0"),
    ];
    let reply = server.request_with(method, path, body, &headers);
    assert_eq!(reply.status, 200, "{method} {path}: {:?}", reply.body);
    reply
}

#[test]
fn every_kind_of_write_leaves_an_entry_and_reads_leave_none() {
    let server = Server::start();
    let schema = json!({"schema": "\"string\""}).to_string();
    sent(&server, "POST", "/subjects/s/versions", Some(&schema));
    sent(&server, "POST", "/subjects/s/versions", Some(&schema));
    sent(
        &server,
        "PUT",
        "/config/s",
        Some(r#"{"compatibility": "NONE"}"#),
    );
    sent(&server, "PUT", "/mode", Some(r#"{"mode": "READONLY"}"#));
    sent(&server, "PUT", "/mode", Some(r#"{"mode": "READWRITE"}"#));
    sent(&server, "DELETE", "/config/s", None);
    sent(
        &server,
        "DELETE",
        "/subjects/s/versions/1?dryRun=true",
        None,
    );
    sent(&server, "DELETE", "/subjects/s/versions/1", None);
    sent(
        &server,
        "DELETE",
        "/subjects/s/versions/1?permanent=true",
        None,
    );
    sent(&server, "PUT", "/mode/imp", Some(r#"{"mode": "IMPORT"}"#));
    let imported = json!({"schema": "\"int\"", "id": 40, "version": 3}).to_string();
    sent(&server, "POST", "/subjects/imp/versions", Some(&imported));
    server.get("/subjects/s/versions");
    server.get("/schemas/ids/1");

    let found = entries(&server, "");
    assert_eq!(
        kinds(&found),
        [
            "registered s",
            "config s",
            "mode (global)",
            "mode (global)",
            "config s",
            "softDeleted s",
            "permanentlyDeleted s",
            "mode imp",
            "imported imp",
        ],
        "{found:#?}"
    );
    let registered = &found[0];
    assert_eq!(
        registered["changes"],
        json!([{"kind": "registered", "subject": "s", "version": 1, "id": 1}])
    );
    assert_eq!(registered["method"], "POST");
    assert_eq!(registered["route"], "/subjects/:subject/versions");
    assert_eq!(registered["userAgent"], "audit-test/1.0");
    assert_eq!(registered["clientVersion"], "python/2.6.0");
    assert!(
        registered.get("principal").is_none(),
        "no auth, no principal"
    );
    assert!(registered["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        found[1]["changes"][0],
        json!({"kind": "config", "subject": "s", "old": null,
               "new": {"compatibilityLevel": "NONE"}})
    );
    assert_eq!(found[2]["changes"][0]["old"], Value::Null);
    assert_eq!(found[2]["changes"][0]["new"], "READONLY");
    assert_eq!(found[3]["changes"][0]["old"], "READONLY");
    assert_eq!(
        found[4]["changes"][0]["new"],
        Value::Null,
        "a deleted config"
    );
    assert_eq!(
        found[8]["changes"][0],
        json!({"kind": "imported", "subject": "imp", "version": 3, "id": 40})
    );
    let text = serde_json::to_string(&found).unwrap();
    assert!(!text.contains("\\\"string\\\"") && !text.contains("schema\""));
}

#[test]
fn entries_are_filtered_by_subject_and_time_and_exported_as_json_lines() {
    let server = Server::start();
    server.register("a", "\"string\"");
    server.register("b", "\"string\"");
    assert_eq!(server.delete("/subjects/a/versions/1").status, 200);
    server.register("c", "\"string\"");
    let all = entries(&server, "");
    assert_eq!(
        kinds(&all),
        [
            "registered a",
            "registered b",
            "softDeleted a",
            "registered c"
        ]
    );
    assert_eq!(
        kinds(&entries(&server, "?subject=a")),
        ["registered a", "softDeleted a"]
    );
    assert_eq!(kinds(&entries(&server, "?subject=:.:b")), ["registered b"]);
    assert_eq!(entries(&server, "?limit=2"), all[..2]);
    let second = all[1]["time"].as_str().unwrap();
    assert_eq!(entries(&server, &format!("?since={second}")), all[1..]);
    assert_eq!(
        entries(&server, &format!("?after={second}&limit=1")),
        all[2..3]
    );

    let lines = server.get("/v1/audit?format=jsonl");
    assert_eq!(lines.content_type, "application/x-ndjson");
    let text = lines.body.as_str().expect("not one JSON document");
    let parsed: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(parsed, all);

    for bad in [
        "?since=yesterday",
        "?limit=0",
        "?format=xml",
        "?after=2026-13-01T00:00:00Z",
    ] {
        let reply = server.get(&format!("/v1/audit{bad}"));
        assert_eq!(
            (reply.status, reply.code()),
            (422, 422),
            "{bad}: {:?}",
            reply.body
        );
    }
}

#[test]
fn with_auth_entries_name_the_principal_and_never_a_credential() {
    let server = Server::start_with(&["--auth-file", &credentials_file()]);
    let writer = login("writer");
    assert_eq!(register(&server, "orders-value", &writer).status, 200);
    let token = "ci-token-0123456789";
    let bearer = format!("Bearer {token}");
    let path = "/subjects/orders-key/versions";
    assert_eq!(
        call(&server, "POST", path, Some(&schema_body()), &bearer).status,
        200
    );
    let admin = login("admin");
    let put = call(
        &server,
        "PUT",
        "/config",
        Some(r#"{"compatibility": "FULL"}"#),
        &admin,
    );
    assert_eq!(put.status, 200, "{:?}", put.body);

    let denied = call(&server, "GET", "/v1/audit", None, &writer);
    assert_eq!((denied.status, denied.code()), (403, 40301));
    let reply = call(&server, "GET", "/v1/audit", None, &admin);
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let principals: Vec<&str> = reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["principal"].as_str().unwrap())
        .collect();
    assert_eq!(principals, ["writer", "ci", "admin"]);

    let secrets = [
        "writer-pass".to_owned(),
        "admin-pass".to_owned(),
        token.to_owned(),
        writer.trim_start_matches("Basic ").to_owned(),
        basic("admin", "admin-pass")
            .trim_start_matches("Basic ")
            .to_owned(),
    ];
    let answered = reply.body.to_string();
    let server = server.restart_with(&["--auth-file", &credentials_file()]);
    let stored = stored_bytes(server.data_dir());
    for secret in &secrets {
        assert!(!answered.contains(secret.as_str()), "answered {secret}");
        assert!(
            !stored.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "stored {secret}"
        );
    }
    assert!(
        stored.windows(6).any(|w| w == b"writer"),
        "the entries are in the data dir searched"
    );
}

/// Every byte of every file in the data dir.
fn stored_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            bytes.extend(std::fs::read(path).unwrap());
        }
    }
    bytes
}

#[test]
fn retention_trims_the_oldest_entries_by_count_and_by_age() {
    let server = Server::start();
    for subject in ["s1", "s2", "s3", "s4"] {
        server.register(subject, "\"string\"");
    }
    assert_eq!(entries(&server, "").len(), 4);
    let server = server.restart_with(&["--audit-max-entries", "2"]);
    assert_eq!(
        kinds(&entries(&server, "")),
        ["registered s3", "registered s4"]
    );
    server.register("s5", "\"string\"");
    let server = server.restart_with(&["--audit-max-age", "1ms"]);
    assert_eq!(entries(&server, ""), Vec::<Value>::new());
    server.register("s6", "\"string\"");
    assert_eq!(kinds(&entries(&server, "")), ["registered s6"]);
}

#[test]
fn no_entries_are_kept_with_a_count_of_zero() {
    let server = Server::start_with(&["--audit-max-entries", "0"]);
    server.register("s", "\"string\"");
    assert_eq!(entries(&server, ""), Vec::<Value>::new());
}
