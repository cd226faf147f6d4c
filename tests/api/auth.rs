//! Authentication (Basic, bearer) and per-prefix roles, with
//! `tests/fixtures/auth/credentials.json` (its README lists the secrets).

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use base64::Engine as _;
use serde_json::json;

use crate::server::{record, Reply, Server};

const V1: &str = "application/vnd.schemaregistry.v1+json";

pub fn credentials_file() -> String {
    format!(
        "{}/tests/fixtures/auth/credentials.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

pub fn start() -> Server {
    Server::start_with(&["--auth-file", &credentials_file()])
}

pub fn basic(user: &str, password: &str) -> String {
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// The `Authorization` value of each fixture principal that has a password.
pub fn login(user: &str) -> String {
    basic(user, &format!("{user}-pass"))
}

pub fn call(server: &Server, method: &str, path: &str, body: Option<&str>, auth: &str) -> Reply {
    server.request_with(
        method,
        path,
        body,
        &[("Content-Type", V1), ("Authorization", auth)],
    )
}

pub fn schema_body() -> String {
    json!({ "schema": record("Order", &[("id", "long")]) }).to_string()
}

pub fn register(server: &Server, subject: &str, auth: &str) -> Reply {
    let path = format!("/subjects/{subject}/versions");
    call(server, "POST", &path, Some(&schema_body()), auth)
}

pub fn assert_denied(reply: &Reply, operation: &str, resource: &str) {
    assert_eq!(reply.status, 403, "{:?}", reply.body);
    assert_eq!(
        reply.body,
        json!({
            "error_code": 40301,
            "message": format!("User is denied operation {operation} on {resource}"),
        })
    );
}

fn assert_unauthorized(reply: &Reply) {
    assert_eq!(reply.status, 401, "{:?}", reply.body);
    assert_eq!(
        reply.body,
        json!({"error_code": 401, "message": "Unauthorized"})
    );
}

#[test]
fn a_request_without_credentials_gets_401_with_a_basic_challenge() {
    let server = start();
    let response = match ureq::get(&format!("{}/subjects", server.base)).call() {
        Err(ureq::Error::Status(401, response)) => response,
        other => panic!("expected 401, got {other:?}"),
    };
    assert_eq!(
        response.header("WWW-Authenticate"),
        Some("Basic realm=\"treaty\"")
    );
    let body: serde_json::Value = response.into_json().unwrap();
    assert_eq!(body, json!({"error_code": 401, "message": "Unauthorized"}));
}

#[test]
fn wrong_password_unknown_user_unknown_token_and_scheme_get_401() {
    let server = start();
    for auth in [
        basic("reader", "wrong"),
        basic("stranger", "reader-pass"),
        "Bearer not-a-token".to_owned(),
        "Digest username=\"reader\"".to_owned(),
        "Basic !!!not-base64".to_owned(),
    ] {
        let reply = call(&server, "GET", "/subjects", None, &auth);
        assert_unauthorized(&reply);
    }
}

#[test]
fn unauthenticated_writes_get_401_before_any_other_check() {
    let server = start();
    let reply = server.request_with(
        "POST",
        "/subjects/orders-value/versions",
        Some("not json"),
        &[("Content-Type", "text/plain")],
    );
    assert_unauthorized(&reply);
}

#[test]
fn the_root_stays_open_for_health_checks() {
    let server = start();
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn reader_reads_its_prefix_and_is_denied_writes_and_other_subjects() {
    let server = start();
    assert_eq!(
        register(&server, "orders-value", &login("admin")).status,
        200
    );
    assert_eq!(
        register(&server, "payments-value", &login("admin")).status,
        200
    );
    let reader = login("reader");
    let versions = call(
        &server,
        "GET",
        "/subjects/orders-value/versions",
        None,
        &reader,
    );
    assert_eq!((versions.status, versions.body), (200, json!([1])));
    let lookup = call(
        &server,
        "POST",
        "/subjects/orders-value",
        Some(&schema_body()),
        &reader,
    );
    assert_eq!(lookup.status, 200, "{:?}", lookup.body);
    let config = call(
        &server,
        "GET",
        "/config/orders-value?defaultToGlobal=true",
        None,
        &reader,
    );
    assert_eq!(config.status, 200);
    assert_denied(
        &register(&server, "orders-value", &reader),
        "Write",
        "Subject: orders-value",
    );
    assert_denied(
        &call(
            &server,
            "GET",
            "/subjects/payments-value/versions/1",
            None,
            &reader,
        ),
        "Read",
        "Subject: payments-value",
    );
}

#[test]
fn writer_with_a_bcrypt_hash_registers_and_checks_but_cannot_delete_or_configure() {
    let server = start();
    let writer = login("writer");
    let registered = register(&server, "orders-value", &writer);
    assert_eq!(
        (registered.status, registered.body),
        (200, json!({"id": 1}))
    );
    let check = call(
        &server,
        "POST",
        "/compatibility/subjects/orders-value/versions/latest",
        Some(&schema_body()),
        &writer,
    );
    assert_eq!(check.body, json!({"is_compatible": true}));
    assert_denied(
        &call(&server, "DELETE", "/subjects/orders-value", None, &writer),
        "Delete",
        "Subject: orders-value",
    );
    assert_denied(
        &call(
            &server,
            "DELETE",
            "/subjects/orders-value/versions/1",
            None,
            &writer,
        ),
        "Delete",
        "Subject: orders-value",
    );
    assert_denied(
        &call(
            &server,
            "PUT",
            "/config/orders-value",
            Some(r#"{"compatibility":"NONE"}"#),
            &writer,
        ),
        "AlterConfigs",
        "Subject: orders-value",
    );
    assert_denied(
        &register(&server, "payments-value", &writer),
        "Write",
        "Subject: payments-value",
    );
}

#[test]
fn subject_admin_deletes_and_configures_its_prefix_but_not_the_global_settings() {
    let server = start();
    let admin = login("orders-admin");
    assert_eq!(register(&server, "orders-value", &admin).status, 200);
    let deleted = call(&server, "DELETE", "/subjects/orders-value", None, &admin);
    assert_eq!((deleted.status, deleted.body), (200, json!([1])));
    let config = call(
        &server,
        "PUT",
        "/config/orders-value",
        Some(r#"{"compatibility":"NONE"}"#),
        &admin,
    );
    assert_eq!(config.body, json!({"compatibility": "NONE"}));
    let mode = call(
        &server,
        "PUT",
        "/mode/orders-value",
        Some(r#"{"mode":"READONLY"}"#),
        &admin,
    );
    assert_eq!(mode.body, json!({"mode": "READONLY"}));
    assert_denied(
        &call(
            &server,
            "PUT",
            "/config",
            Some(r#"{"compatibility":"NONE"}"#),
            &admin,
        ),
        "AlterConfigs",
        "SchemaRegistry: global",
    );
    assert_denied(
        &call(&server, "DELETE", "/mode", None, &admin),
        "AlterConfigs",
        "SchemaRegistry: global",
    );
}

#[test]
fn global_admin_changes_the_global_config_and_mode() {
    let server = start();
    let admin = login("admin");
    let config = call(
        &server,
        "PUT",
        "/config",
        Some(r#"{"compatibility":"FULL"}"#),
        &admin,
    );
    assert_eq!(config.body, json!({"compatibility": "FULL"}));
    let mode = call(
        &server,
        "PUT",
        "/mode",
        Some(r#"{"mode":"READWRITE"}"#),
        &admin,
    );
    assert_eq!(mode.body, json!({"mode": "READWRITE"}));
    assert_eq!(register(&server, "anything-value", &admin).status, 200);
}

#[test]
fn a_principal_without_grants_reads_only_the_global_listings() {
    let server = Server::start_with(&["--auth-file", &credentials_file(), "--auth-open-reads"]);
    let id = register(&server, "orders-value", &login("admin")).body["id"].clone();
    let nobody = login("nobody");
    let subjects = call(&server, "GET", "/subjects", None, &nobody);
    assert_eq!(
        (subjects.status, subjects.body),
        (200, json!(["orders-value"]))
    );
    let by_id = call(&server, "GET", &format!("/schemas/ids/{id}"), None, &nobody);
    assert_eq!(by_id.status, 200);
    assert_eq!(call(&server, "GET", "/config", None, &nobody).status, 200);
    assert_denied(
        &call(
            &server,
            "GET",
            "/subjects/orders-value/versions",
            None,
            &nobody,
        ),
        "Read",
        "Subject: orders-value",
    );
    assert_denied(
        &call(&server, "GET", "/mode/orders-value", None, &nobody),
        "Read",
        "Subject: orders-value",
    );
}

#[test]
fn a_bearer_token_authenticates_its_principal() {
    let server = start();
    let token = "Bearer ci-token-0123456789";
    assert_eq!(register(&server, "orders-value", token).status, 200);
    assert_denied(
        &call(&server, "DELETE", "/subjects/orders-value", None, token),
        "Delete",
        "Subject: orders-value",
    );
}

#[test]
fn context_urls_are_authorized_on_the_qualified_subject() {
    let server = start();
    let path = "/contexts/staging/subjects/orders-value/versions";
    let body = schema_body();
    let allowed = call(&server, "POST", path, Some(&body), &login("orders-admin"));
    assert_eq!(allowed.status, 200, "{:?}", allowed.body);
    assert_denied(
        &call(&server, "POST", path, Some(&body), &login("writer")),
        "Write",
        "Subject: :.staging:orders-value",
    );
}

#[test]
fn unknown_paths_need_authentication_then_answer_404() {
    let server = start();
    assert_unauthorized(&server.get("/nowhere"));
    let reply = call(&server, "GET", "/nowhere", None, &login("nobody"));
    assert_eq!(reply.status, 404);
}

#[test]
fn a_hash_from_the_cli_authenticates_and_the_password_is_never_logged() {
    let temp = tempfile::tempdir().unwrap();
    let password = "cli-made-secret-4711";
    let hash = run_with_stdin(&["hash-password"], &format!("{password}\n"));
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let token_hash = run_with_stdin(&["hash-token"], "tok-0815\n");
    assert_eq!(token_hash.len(), 64);
    let file = temp.path().join("credentials.json");
    let credentials = json!({"principals": [
        {"name": "cli", "password_hash": hash, "token_sha256": [token_hash],
         "grants": [{"prefix": "", "role": "admin"}]},
    ]});
    std::fs::write(&file, credentials.to_string()).unwrap();

    let logged = LoggedServer::start(temp.path(), &file, "trace");
    let base = logged.base.clone();
    let auth = basic("cli", password);
    for header in [auth.as_str(), "Bearer tok-0815"] {
        let response = ureq::get(&format!("{base}/subjects"))
            .set("Authorization", header)
            .call()
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    let refused = ureq::get(&format!("{base}/subjects"))
        .set("Authorization", &basic("cli", "wrong-guess-1234"))
        .call();
    assert!(matches!(refused, Err(ureq::Error::Status(401, _))));
    let log = logged.stop();
    for secret in [password, &auth[6..], "tok-0815", "wrong-guess-1234"] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }
}

#[test]
fn a_plain_text_password_in_the_file_stops_the_server() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("credentials.json");
    let credentials = json!({"principals": [{"name": "a", "password": "hunter2", "grants": []}]});
    std::fs::write(&file, credentials.to_string()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(temp.path().join("data"))
        .arg("--auth-file")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("plain-text"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// A server whose log (standard error) is kept, read when it stops.
pub struct LoggedServer {
    child: std::process::Child,
    pub base: String,
    log: std::thread::JoinHandle<String>,
}

impl LoggedServer {
    /// Serves `dir/data` with the credentials `file`, logging at `level`
    /// (`TREATY_LOG`; empty for the default) without colours.
    pub fn start(dir: &std::path::Path, file: &std::path::Path, level: &str) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_treaty"));
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.join("data"))
            .arg("--auth-file")
            .arg(file)
            .env("NO_COLOR", "1")
            .env_remove("TREATY_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !level.is_empty() {
            command.env("TREATY_LOG", level);
        }
        let mut child = command.spawn().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let log = std::thread::spawn(move || {
            let mut text = String::new();
            stderr.read_to_string(&mut text).unwrap();
            text
        });
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
        let address = line.trim().strip_prefix("treaty listening on ").unwrap();
        Self {
            base: format!("http://{address}"),
            child,
            log,
        }
    }

    /// Stops the server with SIGTERM; its whole log.
    pub fn stop(mut self) -> String {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(self.child.wait().unwrap().success());
        self.log.join().unwrap()
    }
}

fn run_with_stdin(args: &[&str], input: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}
