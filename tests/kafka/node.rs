//! A treaty node in cluster mode: the real binary on a data dir of the
//! test's choosing, its log kept in a file beside it, killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use crate::broker::Tansu;

pub struct Node {
    child: Child,
    pub base: String,
    log: PathBuf,
}

impl Node {
    /// Starts a node on `broker`'s schemas topic; returns once it serves.
    pub fn start(broker: &Tansu, data_dir: &Path) -> Self {
        Self::start_with(broker, data_dir, &[])
    }

    /// Starts a node with `extra` flags.
    pub fn start_with(broker: &Tansu, data_dir: &Path, extra: &[&str]) -> Self {
        let log = data_dir.with_extension("log");
        let stderr = std::fs::File::create(&log).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(["--kafka-bootstrap", &broker.bootstrap])
            // tansu lets a group member's session be shorter than Kafka's
            // 6 s least: failovers are quicker.
            .args(["--kafka-config", "session.timeout.ms=2000"])
            .args(extra)
            .env("TREATY_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let Some(address) = line.trim().strip_prefix("treaty listening on ") else {
            panic!(
                "node did not serve: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        };
        Self {
            base: format!("http://{address}"),
            child,
            log,
        }
    }

    /// Everything the node logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL, as a crash.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Status and JSON body of a request.
    pub fn request(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let request = ureq::request(method, &format!("{}{path}", self.base))
            .set("Content-Type", "application/vnd.schemaregistry.v1+json");
        let result = match body {
            Some(body) => request.send_string(&body.to_string()),
            None => request.call(),
        };
        let response = match result {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("{method} {path}: {error}"),
        };
        (response.status(), response.into_json().unwrap())
    }

    pub fn get(&self, path: &str) -> Value {
        let (status, body) = self.request("GET", path, None);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// Registers a one-field record schema named `name`; answers its id.
    pub fn register(&self, subject: &str, name: &str) -> i64 {
        let field = json!({"name": "f", "type": "string"});
        self.register_schema(
            subject,
            json!({"type": "record", "name": name, "fields": [field]}),
        )
    }

    /// Registers an Avro `schema`; answers its id.
    pub fn register_schema(&self, subject: &str, schema: Value) -> i64 {
        let body = json!({"schema": schema.to_string()});
        let path = format!("/subjects/{subject}/versions");
        let (status, reply) = self.request("POST", &path, Some(body));
        assert_eq!(status, 200, "register {subject}: {reply}");
        reply["id"].as_i64().unwrap()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
