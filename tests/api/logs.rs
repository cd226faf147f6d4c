//! One structured line per request, in JSON with `--log-format json`:
//! route template, method, status, duration and principal, never a
//! credential nor a schema.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::auth::{basic, credentials_file, login};
use crate::server::record;

/// Runs a server logging JSON at INFO (`--log-format json`), calls
/// `requests` with its base URL, stops it, and returns every line it wrote
/// on standard error.
fn json_log_of(requests: impl FnOnce(&str)) -> Vec<String> {
    json_log_with(&[], requests)
}

/// The same, the format set by `env` when it names `TREATY_LOG_FORMAT`.
fn json_log_with(env: &[(&str, &str)], requests: impl FnOnce(&str)) -> Vec<String> {
    let temp = tempfile::tempdir().expect("temp dir");
    let format: &[&str] = match env.is_empty() {
        true => &["--log-format", "json"],
        false => &[],
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(format)
        .envs(env.iter().copied())
        .arg("--data-dir")
        .arg(temp.path().join("data"))
        .args(["--auth-file", &credentials_file()])
        .env("TREATY_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("treaty starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("treaty prints its address");
    let address = line.trim().trim_start_matches("treaty listening on ");
    requests(&format!("http://{address}"));
    let pid = child.id().to_string();
    Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr is text");
    child.wait().expect("treaty stops");
    stderr.lines().map(str::to_owned).collect()
}

fn send(base: &str, method: &str, path: &str, body: Option<&str>, authorization: &str) -> u16 {
    let request = ureq::request(method, &format!("{base}{path}"))
        .set("Content-Type", "application/vnd.schemaregistry.v1+json")
        .set("Authorization", authorization);
    let result = match body {
        Some(body) => request.send_string(body),
        None => request.call(),
    };
    match result {
        Ok(response) => response.status(),
        Err(ureq::Error::Status(status, _)) => status,
        Err(error) => panic!("{method} {path}: {error}"),
    }
}

#[test]
fn every_request_leaves_one_json_line_without_credentials_or_schemas() {
    let schema = record("WhisperedSecretRecord", &[("hidden_field", "long")]);
    let body = json!({ "schema": schema }).to_string();
    let wrong = basic("admin", "not-the-admin-password");
    let lines = json_log_of(|base| {
        let versions = "/subjects/orders-value/versions";
        assert_eq!(
            send(base, "POST", versions, Some(&body), &login("admin")),
            200
        );
        assert_eq!(send(base, "GET", versions, None, &wrong), 401);
        assert_eq!(
            send(base, "GET", "/health/live", None, &login("reader")),
            200
        );
    });
    let entries: Vec<Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let requests: Vec<&Value> = entries
        .iter()
        .map(|entry| &entry["fields"])
        .filter(|fields| fields["message"] == "request")
        .collect();
    assert_eq!(requests.len(), 3, "{lines:#?}");
    let route = "/subjects/:subject/versions";
    let (registered, refused, probed) = (requests[0], requests[1], requests[2]);
    assert_eq!(registered["route"], route);
    assert_eq!(registered["method"], "POST");
    assert_eq!(registered["status"], 200);
    assert_eq!(registered["principal"], "admin");
    assert!(registered["duration_ms"].as_f64().is_some(), "{registered}");
    assert_eq!(refused["route"], route);
    assert_eq!(refused["status"], 401);
    assert!(refused.get("principal").is_none(), "{refused}");
    // Open routes do not authenticate, so name no principal.
    assert_eq!(probed["route"], "/health/live");
    assert!(probed.get("principal").is_none(), "{probed}");
    for entry in &entries {
        assert_eq!(entry["level"], "INFO", "{entry}");
    }

    let secrets = [
        "admin-pass".to_owned(),
        "not-the-admin-password".to_owned(),
        login("admin").trim_start_matches("Basic ").to_owned(),
        wrong.trim_start_matches("Basic ").to_owned(),
        "WhisperedSecretRecord".to_owned(),
        "hidden_field".to_owned(),
    ];
    for line in &lines {
        for secret in &secrets {
            assert!(!line.contains(secret.as_str()), "{secret} in {line}");
        }
    }
}

#[test]
fn the_format_can_come_from_the_environment() {
    let lines = json_log_with(&[("TREATY_LOG_FORMAT", "json")], |base| {
        assert_eq!(send(base, "GET", "/health/live", None, ""), 200);
    });
    let requests = lines
        .iter()
        .map(|line| serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .filter(|entry| entry["fields"]["message"] == "request")
        .count();
    assert_eq!(requests, 1, "{lines:#?}");
}
