//! Starts the real `treaty` binary on a fresh data dir and talks HTTP to it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub struct Server {
    child: Child,
    pub base: String,
    data_dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

/// A response: status and body (JSON when it parses, else a JSON string of
/// the raw text).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub content_type: String,
}

impl Reply {
    /// The Confluent `error_code` of an error body.
    pub fn code(&self) -> i64 {
        self.body["error_code"].as_i64().unwrap_or(-1)
    }

    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
}

impl Server {
    pub fn start() -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = temp.path().join("data");
        let mut server = Self::start_in(&dir, &[]);
        server._temp = Some(temp);
        server
    }

    pub fn start_with(extra_args: &[&str]) -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = temp.path().join("data");
        let mut server = Self::start_in(&dir, extra_args);
        server._temp = Some(temp);
        server
    }

    pub fn start_in(data_dir: &Path, extra_args: &[&str]) -> Self {
        Self::start_in_env(data_dir, extra_args, &[])
    }

    /// Starts on a fresh data dir with `env` set for the server.
    pub fn start_with_env(extra_args: &[&str], env: &[(&str, &str)]) -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = temp.path().join("data");
        let mut server = Self::start_in_env(&dir, extra_args, env);
        server._temp = Some(temp);
        server
    }

    fn start_in_env(data_dir: &Path, extra_args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
            .arg("serve")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data-dir")
            .arg(data_dir)
            .args(extra_args)
            .env("TREATY_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("treaty starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("treaty prints its address");
        let address = line
            .trim()
            .strip_prefix("treaty listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        Self {
            child,
            base: format!("http://{address}"),
            data_dir: data_dir.to_owned(),
            _temp: None,
        }
    }

    /// Stops the server with SIGTERM and starts it again on the same data.
    pub fn restart(self) -> Self {
        self.restart_with(&[])
    }

    /// [`Server::restart`] with `extra_args` for the new process.
    pub fn restart_with(mut self, extra_args: &[&str]) -> Self {
        self.terminate();
        let temp = self._temp.take();
        let mut restarted = Self::start_in(&self.data_dir, extra_args);
        restarted._temp = temp;
        restarted
    }

    /// Kills the server with SIGKILL, as a crash would, and starts it again
    /// on the same data.
    pub fn crash_and_restart(mut self) -> Self {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let temp = self._temp.take();
        let mut restarted = Self::start_in(&self.data_dir, &[]);
        restarted._temp = temp;
        restarted
    }

    /// The server's process id, to read its `/proc` status.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn terminate(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let _ = self.child.wait();
    }

    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        self.request_with(
            method,
            path,
            body,
            &[("Content-Type", "application/vnd.schemaregistry.v1+json")],
        )
    }

    pub fn request_with(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = ureq::request(method, &format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let result = match body {
            Some(body) => request.send_string(body),
            None => request.call(),
        };
        let response = match result {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("{method} {path}: {error}"),
        };
        let status = response.status();
        let content_type = response.header("Content-Type").unwrap_or("").to_owned();
        let text = response.into_string().expect("body is text");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            body,
            content_type,
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &str) -> Reply {
        self.request("POST", path, Some(body))
    }

    pub fn put(&self, path: &str, body: &str) -> Reply {
        self.request("PUT", path, Some(body))
    }

    pub fn delete(&self, path: &str) -> Reply {
        self.request("DELETE", path, None)
    }

    /// Registers an Avro schema under `subject`; returns its id.
    pub fn register(&self, subject: &str, schema: &str) -> i64 {
        let body = serde_json::json!({ "schema": schema }).to_string();
        let reply = self.post(&format!("/subjects/{subject}/versions"), &body);
        assert_eq!(reply.status, 200, "register {subject}: {:?}", reply.body);
        reply.body["id"].as_i64().expect("an id")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A record schema with the given fields, as compact JSON text.
pub fn record(name: &str, fields: &[(&str, &str)]) -> String {
    let fields: Vec<Value> = fields
        .iter()
        .map(|(field, kind)| serde_json::json!({"name": field, "type": kind}))
        .collect();
    serde_json::json!({"type": "record", "name": name, "fields": fields}).to_string()
}
