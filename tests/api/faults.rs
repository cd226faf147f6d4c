//! Storage faults: a write RocksDB cannot persist, and data dirs treaty
//! cannot open.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::server::Server;

/// Sets or clears the immutable attribute on every file under `dir`, so
/// that RocksDB's next write fails as on a failing disk.
fn set_immutable(dir: &Path, immutable: bool) {
    let flag = if immutable { "+i" } else { "-i" };
    let status = Command::new("chattr")
        .arg("-R")
        .arg(flag)
        .arg(dir)
        .status()
        .expect("chattr runs");
    assert!(status.success(), "chattr {flag} {}", dir.display());
}

#[test]
fn a_write_that_cannot_be_persisted_is_50001_and_nothing_of_it_remains() {
    let server = Server::start();
    server.register("s", "\"string\"");
    set_immutable(server.data_dir(), true);
    let failed = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"bytes\""}).to_string(),
    );
    let deleted = server.delete("/subjects/s/versions/1");
    let reads = (
        server.get("/subjects/s/versions").body,
        server.get("/schemas/ids/1").status,
        server.get("/schemas/ids/2").status,
    );
    set_immutable(server.data_dir(), false);
    assert_eq!(
        (failed.status, failed.code()),
        (500, 50001),
        "{:?}",
        failed.body
    );
    assert_eq!(deleted.code(), 50001);
    assert_eq!(
        reads,
        (json!([1]), 200, 404),
        "reads keep working and show no partial write"
    );

    let server = server.crash_and_restart();
    assert_eq!(server.get("/subjects/s/versions").body, json!([1]));
    assert_eq!(
        server.register("s", "\"bytes\""),
        2,
        "the failed id was never handed out"
    );
}

/// Runs `treaty serve` on `dir` expecting it to fail; returns its stderr.
fn failed_start(dir: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .expect("treaty runs");
    assert!(
        !output.status.success(),
        "treaty started on {}",
        dir.display()
    );
    assert!(output.stdout.is_empty(), "it never listened");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn startup_on_a_locked_data_dir_exits_with_a_clear_message() {
    let server = Server::start();
    let stderr = failed_start(server.data_dir());
    assert!(
        stderr.contains("cannot open data dir") && stderr.contains("lock"),
        "{stderr}"
    );
}

#[test]
fn startup_on_a_data_dir_that_is_a_file_exits_with_a_clear_message() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let stderr = failed_start(&file);
    assert!(stderr.contains("cannot open data dir"), "{stderr}");
}

/// A store RocksDB opens but whose records do not decode: the message is
/// the error's sentence, not its Rust debug form.
#[test]
fn startup_on_a_data_dir_with_a_corrupt_record_exits_with_a_readable_message() {
    let temp = tempfile::tempdir().unwrap();
    {
        let mut options = rocksdb::Options::default();
        options.create_if_missing(true);
        options.create_missing_column_families(true);
        // The column family treaty keeps its `_schemas` records in, by
        // position: each entry the key's length, the key, then the value.
        let db = rocksdb::DB::open_cf(&options, temp.path(), ["log"]).unwrap();
        let log = db.cf_handle("log").unwrap();
        let key = b"not a record key";
        let mut entry = (key.len() as u32).to_be_bytes().to_vec();
        entry.extend_from_slice(key);
        entry.extend_from_slice(b"{}");
        db.put_cf(log, 1u64.to_be_bytes(), entry).unwrap();
    }
    let stderr = failed_start(temp.path());
    assert!(
        stderr.contains("treaty: cannot load the registry: store error: corrupt record key"),
        "{stderr}"
    );
    assert!(!stderr.contains("Store("), "{stderr}");
}

#[test]
fn a_node_whose_writes_fail_is_not_ready() {
    let server = Server::start();
    server.register("s", "\"string\"");
    assert_eq!(server.get("/health/ready").status, 200);
    set_immutable(server.data_dir(), true);
    let failed = server.post(
        "/subjects/s/versions",
        &json!({"schema": "\"bytes\""}).to_string(),
    );
    let ready = server.get("/health/ready");
    let live = server.get("/health/live").status;
    set_immutable(server.data_dir(), false);
    assert_eq!(failed.code(), 50001, "{:?}", failed.body);
    assert_eq!(
        (ready.status, ready.body),
        (
            503,
            json!({"status": "DOWN", "loaded": true, "writable": false})
        )
    );
    assert_eq!(live, 200, "a node with a failing disk is alive");

    let server = server.crash_and_restart();
    assert_eq!(server.get("/health/ready").status, 200);
}
