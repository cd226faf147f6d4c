//! A treaty node in cluster mode: the real binary on a data dir of the
//! test's choosing, its log kept in a file beside it, killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::broker::Tansu;

pub struct Node {
    child: Child,
    pub base: String,
    pub data_dir: PathBuf,
    log: PathBuf,
}

impl Node {
    /// Starts a node on `broker`'s schemas topic; returns once it serves.
    pub fn start(broker: &Tansu, data_dir: &Path) -> Self {
        Self::start_with(broker, data_dir, &[])
    }

    /// Starts three nodes on `broker`, with data dirs `a`, `b` and `c` in `dir`.
    pub fn start_three(broker: &Tansu, dir: &Path) -> Vec<Self> {
        ["a", "b", "c"]
            .iter()
            .map(|name| Self::start(broker, &dir.join(name)))
            .collect()
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
            data_dir: data_dir.to_owned(),
            log,
        }
    }

    /// Everything the node logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The first log line that holds `needle`, once the node has written
    /// it (lines reach the file a moment after they are logged).
    pub fn log_line(&self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let log = self.log();
            if let Some(line) = log.lines().find(|line| line.contains(needle)) {
                return line.to_owned();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no `{needle}` in: {log}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// SIGKILL, as a crash.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as an orderly stop; answers whether the node then exited
    /// with status 0.
    pub fn terminate(mut self) -> bool {
        self.signal("-TERM");
        self.child.wait().unwrap().success()
    }

    /// SIGSTOP: the node freezes mid-whatever, as in a long pause.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// SIGCONT after [`Node::pause`].
    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill {signal}");
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

/// Registers a one-field record schema named `name` under `subject` at
/// `base`, as a client does once: the id, or why there is none (an
/// error's status and body, or the connection failure).
pub fn try_register(base: &str, subject: &str, name: &str) -> Result<i64, String> {
    let field = json!({"name": "f", "type": "string"});
    let schema = json!({"type": "record", "name": name, "fields": [field]});
    let body = json!({"schema": schema.to_string()});
    let result = ureq::post(&format!("{base}/subjects/{subject}/versions"))
        .timeout(Duration::from_secs(60))
        .set("Content-Type", "application/vnd.schemaregistry.v1+json")
        .send_string(&body.to_string());
    match result {
        Ok(response) => {
            let reply: Value = response.into_json().map_err(|e| e.to_string())?;
            reply["id"].as_i64().ok_or_else(|| reply.to_string())
        }
        Err(ureq::Error::Status(status, response)) => Err(format!(
            "{status} {}",
            response.into_string().unwrap_or_default()
        )),
        Err(error) => Err(error.to_string()),
    }
}

/// The node every one of `nodes` names as the writer, once all agree and
/// it says so itself; panics after `within`.
pub fn agreed_writer<'n>(nodes: &[&'n Node], within: Duration) -> &'n Node {
    let deadline = Instant::now() + within;
    loop {
        let statuses: Vec<Value> = nodes.iter().map(|n| n.get("/v1/cluster")).collect();
        let writer = &statuses[0]["writer"];
        let agreed = statuses.iter().all(|s| &s["writer"] == writer);
        let found = statuses
            .iter()
            .position(|s| s["role"] == "writer" && &s["node"] == writer);
        if let (true, Some(index)) = (agreed, found) {
            return nodes[index];
        }
        assert!(Instant::now() < deadline, "no agreed writer: {statuses:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Everything a reader of `node` can see: every subject (soft-deleted
/// ones too), each version, the schema behind each id, and the config and
/// mode of the registry and of each subject.
pub fn full_view(node: &Node) -> Value {
    let subjects: Vec<String> = serde_json::from_value(node.get("/subjects?deleted=true")).unwrap();
    let mut view = serde_json::Map::new();
    view.insert("config".into(), node.get("/config"));
    view.insert("mode".into(), node.get("/mode"));
    for subject in subjects {
        let versions = node.get(&format!("/subjects/{subject}/versions?deleted=true"));
        let numbers: Vec<i64> = serde_json::from_value(versions).unwrap();
        let versions: Vec<Value> = numbers
            .iter()
            .map(|n| node.get(&format!("/subjects/{subject}/versions/{n}?deleted=true")))
            .collect();
        let ids: Vec<Value> = versions
            .iter()
            .map(|v| node.get(&format!("/schemas/ids/{}", v["id"])))
            .collect();
        let config = node.request("GET", &format!("/config/{subject}"), None);
        let mode = node.request("GET", &format!("/mode/{subject}"), None);
        let entry = json!({"versions": versions, "ids": ids, "config": config.1, "mode": mode.1});
        view.insert(subject, entry);
    }
    Value::Object(view)
}

impl Drop for Node {
    fn drop(&mut self) {
        // A failing test shows what its nodes logged.
        if std::thread::panicking() {
            eprintln!("--- {} ---\n{}", self.log.display(), self.log());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
