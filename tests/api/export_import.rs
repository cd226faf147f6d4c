//! `treaty export` from a running server's data dir, `treaty import` into
//! an empty one: the same subjects, versions, ids, deletes and configs.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;

use crate::server::{record, Server};

fn treaty(args: &[&str], data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .output()
        .expect("treaty runs")
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn an_export_of_a_running_server_imports_with_the_same_ids_and_versions() {
    let source = Server::start();
    source.register(
        "orders-value",
        &record("Order", &[("id", "long"), ("n", "string")]),
    );
    source.register("orders-value", &record("Order", &[("id", "long")]));
    source.register(":.staging:payments", &record("Payment", &[("id", "long")]));
    source.register("gone", &record("Gone", &[("id", "int")]));
    assert_eq!(
        source.delete("/subjects/orders-value/versions/1").status,
        200
    );
    assert_eq!(source.delete("/subjects/gone").status, 200);
    let config = json!({"compatibility": "FULL"}).to_string();
    assert_eq!(source.put("/config/orders-value", &config).status, 200);

    let temp = tempfile::tempdir().expect("temp dir");
    let file = temp.path().join("records.jsonl");
    let file = file.to_str().expect("utf-8");
    let exported = succeeded(&treaty(&["export", file], source.data_dir()));
    assert!(exported.contains("records"), "{exported}");
    let lines = std::fs::read_to_string(file).expect("export written");
    for line in lines.lines() {
        let entry: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert!(entry["key"]["keytype"].is_string(), "{line}");
    }

    let target = temp.path().join("imported");
    succeeded(&treaty(&["import", file], &target));
    let imported = Server::start_in(&target, &[]);
    for path in [
        "/subjects?deleted=true",
        "/subjects/orders-value/versions?deleted=true",
        "/subjects/orders-value/versions/1?deleted=true",
        "/subjects/orders-value/versions/2",
        "/subjects/:.staging:payments/versions/1",
        "/subjects/gone/versions?deleted=true",
        "/schemas/ids/1",
        "/schemas/ids/2",
        "/config/orders-value",
        "/contexts",
    ] {
        let (before, after) = (source.get(path), imported.get(path));
        assert_eq!(before.status, 200, "{path}: {:?}", before.body);
        assert_eq!((after.status, &after.body), (200, &before.body), "{path}");
    }
    // Ids go on from where the source left them.
    let next = imported.register("new", &record("New", &[("x", "int")]));
    let expected = source.register("new", &record("New", &[("x", "int")]));
    assert_eq!(next, expected);
}

#[test]
fn import_refuses_a_data_dir_that_holds_records() {
    let server = Server::start();
    server.register("a", &record("A", &[("id", "long")]));
    let temp = tempfile::tempdir().expect("temp dir");
    let file = temp.path().join("records.jsonl");
    let file = file.to_str().expect("utf-8");
    succeeded(&treaty(&["export", file], server.data_dir()));
    let target = temp.path().join("imported");
    succeeded(&treaty(&["import", file], &target));
    let again = treaty(&["import", file], &target);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already holds records"), "{stderr}");
}
