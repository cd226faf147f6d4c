//! `treaty breaking --registry URL`: the working tree against what a
//! running treaty server holds, at the registry's level unless the
//! manifest names one, with Basic or bearer authentication.

use serde_json::json;

use crate::project::{rules, statuses, Project};
use crate::server::Server;

const V1: &str = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
const V2: &str = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":""}]}"#;
/// Reads v2's data, but not v1's: `b` has no default.
const NEW: &str = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}"#;

const SUBJECT: &str = "orders-value";

/// A server holding v1 and v2 of `orders-value` at `level`, reached with
/// `headers`.
fn registry(server: &Server, level: &str, headers: &[(&str, &str)]) {
    let content = ("Content-Type", "application/vnd.schemaregistry.v1+json");
    let headers = [headers, &[content]].concat();
    for schema in [V1, V2] {
        let body = json!({ "schema": schema }).to_string();
        let path = format!("/subjects/{SUBJECT}/versions");
        let reply = server.request_with("POST", &path, Some(&body), &headers);
        assert_eq!(reply.status, 200, "{:?}", reply.body);
    }
    let body = json!({ "compatibility": level }).to_string();
    let path = format!("/config/{SUBJECT}");
    let reply = server.request_with("PUT", &path, Some(&body), &headers);
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}

/// The working tree: `orders.avsc` (the subject `orders-value`) as `NEW`,
/// and `fresh.avsc`, which the registry does not know.
fn project(manifest: &str) -> Project {
    let project = Project::empty();
    project.write("avro/orders.avsc", NEW);
    project.write("avro/fresh.avsc", V1);
    project.write("treaty.yaml", manifest);
    project
}

const GLOB: &str = "schemas:\n  - glob: \"avro/*.avsc\"\n";

#[test]
fn the_registrys_transitive_level_checks_every_version() {
    let server = Server::start();
    registry(&server, "BACKWARD_TRANSITIVE", &[]);
    let run = project(GLOB).treaty(&["breaking", "--registry", &server.base, "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(
        rules(&report, SUBJECT),
        ["READER_FIELD_MISSING_DEFAULT_VALUE"]
    );
    let orders = &report["subjects"][1];
    assert_eq!(orders["subject"], SUBJECT);
    assert_eq!(orders["verdict"]["level"], "BACKWARD_TRANSITIVE");
    assert_eq!(orders["verdict"]["old_version"], 1);
    assert_eq!(
        statuses(&report)[0],
        ("fresh-value".to_string(), "new".to_string())
    );
}

#[test]
fn a_level_in_the_manifest_overrides_the_registrys() {
    let server = Server::start();
    registry(&server, "BACKWARD_TRANSITIVE", &[]);
    let manifest = format!("compatibility: BACKWARD\n{GLOB}");
    let run = project(&manifest).treaty(&["breaking", "--registry", &server.base]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn basic_and_bearer_credentials_reach_a_protected_registry() {
    let credentials = format!(
        "{}/tests/fixtures/auth/credentials.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let server = Server::start_with(&["--auth-file", &credentials]);
    registry(
        &server,
        "BACKWARD_TRANSITIVE",
        &[("Authorization", "Basic YWRtaW46YWRtaW4tcGFzcw==")],
    );
    // The token's principal may read `orders-` subjects only.
    let project = project("subjects:\n  orders-value:\n    file: avro/orders.avsc\n");
    let args = ["breaking", "--registry", &server.base];
    let anonymous = project.treaty(&args);
    assert_eq!(
        anonymous.code, 3,
        "{}{}",
        anonymous.stdout, anonymous.stderr
    );
    assert!(anonymous.stderr.contains("401"), "{}", anonymous.stderr);
    let basic = project.treaty(&[&args[..], &["--registry-user", "admin:admin-pass"]].concat());
    assert_eq!(basic.code, 1, "{}{}", basic.stdout, basic.stderr);
    let bearer =
        project.treaty_with_env(&args, &[("TREATY_REGISTRY_TOKEN", "ci-token-0123456789")]);
    assert_eq!(bearer.code, 1, "{}{}", bearer.stdout, bearer.stderr);
}

#[test]
fn an_unreachable_registry_exits_3() {
    let run = project(GLOB).treaty(&["breaking", "--registry", "http://127.0.0.1:9"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("cannot reach"), "{}", run.stderr);
}

#[test]
fn the_registrys_strict_protobuf_setting_applies_unless_the_manifest_sets_one() {
    let server = Server::start();
    let case = crate::project::fixture("compat/protobuf/X45-rpc-removed");
    let read = |side: &str| std::fs::read_to_string(case.join(side)).expect("fixture");
    let body = json!({ "schema": read("old.proto"), "schemaType": "PROTOBUF" }).to_string();
    let reply = server.post("/subjects/api-value/versions", &body);
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let glob = "schemas:\n  - glob: \"*.proto\"\n";
    let project = Project::empty();
    project.write("api.proto", &read("new.proto"));
    project.write("treaty.yaml", glob);
    let args = ["breaking", "--registry", &server.base, "--format", "json"];
    let confluent = project.treaty(&args);
    assert_eq!(
        confluent.code, 0,
        "{}{}",
        confluent.stdout, confluent.stderr
    );
    let strict = json!({ "treatyProtobufWireRules": true }).to_string();
    let reply = server.put("/config/api-value", &strict);
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let run = project.treaty(&args);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(rules(&run.json(), "api-value"), ["RPC_NO_DELETE"]);
    project.write(
        "treaty.yaml",
        &format!("protobuf_wire_rules: false\n{glob}"),
    );
    let off = project.treaty(&args);
    assert_eq!(off.code, 0, "{}{}", off.stdout, off.stderr);
}
