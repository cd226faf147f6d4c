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
    fill(&source);

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
    for path in FILLED_PATHS {
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

/// Fills `server` with what the round trips carry: versions, a context,
/// soft deletes of a version and of a subject, a subject config.
fn fill(server: &Server) {
    server.register(
        "orders-value",
        &record("Order", &[("id", "long"), ("n", "string")]),
    );
    server.register("orders-value", &record("Order", &[("id", "long")]));
    server.register(":.staging:payments", &record("Payment", &[("id", "long")]));
    server.register("gone", &record("Gone", &[("id", "int")]));
    assert_eq!(
        server.delete("/subjects/orders-value/versions/1").status,
        200
    );
    assert_eq!(server.delete("/subjects/gone").status, 200);
    let config = json!({"compatibility": "FULL"}).to_string();
    assert_eq!(server.put("/config/orders-value", &config).status, 200);
}

const FILLED_PATHS: [&str; 10] = [
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
];

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(args)
        .output()
        .expect("treaty runs")
}

#[test]
fn an_export_restores_into_a_running_registry_through_import_mode() {
    let source = Server::start();
    fill(&source);
    let temp = tempfile::tempdir().expect("temp dir");
    let file = temp.path().join("records.jsonl");
    let file = file.to_str().expect("utf-8");
    succeeded(&treaty(&["export", file], source.data_dir()));

    let target = crate::auth::start();
    let admin = crate::auth::login("admin");
    let refused = run(&["import", "--registry", &target.base, file]);
    assert!(!refused.status.success(), "no credentials, no import");
    let summary = succeeded(&run(&[
        "import",
        "--registry",
        &target.base,
        "--basic-auth",
        "admin:admin-pass",
        file,
    ]));
    assert!(summary.starts_with("imported "), "{summary}");
    for path in FILLED_PATHS {
        let before = source.get(path);
        let after = crate::auth::call(&target, "GET", path, None, &admin);
        assert_eq!((after.status, &after.body), (200, &before.body), "{path}");
    }
    let mode = crate::auth::call(&target, "GET", "/mode", None, &admin);
    assert_eq!(mode.body, json!({"mode": "READWRITE"}), "switched back");
}

#[test]
fn a_confluent_topic_dump_imports_with_the_same_ids() {
    let temp = tempfile::tempdir().expect("temp dir");
    let fixture = format!(
        "{}/tests/fixtures/topic/confluent-7.tsv",
        env!("CARGO_MANIFEST_DIR")
    );
    let target = temp.path().join("imported");
    let summary = succeeded(&treaty(&["import", "--from-confluent", &fixture], &target));
    assert!(summary.contains("imported 17 records"), "{summary}");
    let server = Server::start_in(&target, &[]);
    assert_eq!(
        server.get("/subjects/orders-value/versions").body,
        json!([2])
    );
    assert_eq!(
        server.get("/subjects/orders-value/versions/2").body["id"],
        2
    );
    assert_eq!(
        server.get("/subjects/payments-value/versions/1").body["id"],
        3
    );
    let refunds = server.get("/schemas/ids/4").body;
    assert_eq!(refunds["schemaType"], "JSON");
    assert_eq!(refunds["references"][0]["subject"], "payments-value");
    assert_eq!(
        server
            .get("/subjects/refunds-value/versions?deleted=true")
            .body,
        json!([1])
    );
    assert_eq!(
        server
            .get("/subjects/:.staging:orders-value/versions/1")
            .body["id"],
        1
    );
    assert_eq!(server.get("/config").body["compatibilityLevel"], "BACKWARD");
    // The zombie leader's record does not take id 2 from Order.
    assert!(server.get("/schemas/ids/2").body["schema"]
        .as_str()
        .unwrap()
        .contains("Order"));
}

#[test]
fn a_kcat_dump_with_its_own_separator_reads_the_same() {
    let temp = tempfile::tempdir().expect("temp dir");
    let fixture = format!(
        "{}/tests/fixtures/topic/karapace.tsv",
        env!("CARGO_MANIFEST_DIR")
    );
    let tab = std::fs::read_to_string(&fixture).unwrap();
    let kcat = temp.path().join("kcat.txt");
    std::fs::write(&kcat, tab.replace('\t', "|:|")).unwrap();
    let kcat = kcat.to_str().unwrap();
    let (by_tab, by_kcat) = (temp.path().join("tab"), temp.path().join("kcat"));
    let tab_summary = succeeded(&treaty(&["import", "--from-confluent", &fixture], &by_tab));
    let kcat_summary = succeeded(&treaty(
        &["import", "--from-confluent", "--separator", "|:|", kcat],
        &by_kcat,
    ));
    assert_eq!(tab_summary, kcat_summary);
    let (tab, kcat) = (
        Server::start_in(&by_tab, &[]),
        Server::start_in(&by_kcat, &[]),
    );
    for path in [
        "/subjects?deleted=true",
        "/schemas/ids/1",
        "/config",
        "/mode",
    ] {
        let reply = tab.get(path);
        assert_eq!(reply.status, 200, "{path}: {:?}", reply.body);
        assert_eq!(kcat.get(path).body, reply.body, "{path}");
    }
}
