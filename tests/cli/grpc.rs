//! gRPC service contracts in `treaty breaking` and `treaty diff`: with
//! `protobuf_wire_rules` a deleted service or RPC, or a changed request,
//! response or streaming mode, breaks the subject; without it the verdict
//! is Confluent's, which ignores services.

use crate::project::{fixture, rules, Project};

/// A project whose `api.proto` is the compat fixture `case`'s new file,
/// with its old file as the baseline in `base/`, under `manifest`.
fn service_change(case: &str, manifest: &str) -> Project {
    let dir = fixture(&format!("compat/protobuf/{case}"));
    let read = |side: &str| std::fs::read_to_string(dir.join(format!("{side}.proto"))).unwrap();
    let project = Project::empty();
    project.write("base/api.proto", &read("old"));
    project.write("api.proto", &read("new"));
    project.write("treaty.yaml", manifest);
    project
}

const STRICT: &str = "protobuf_wire_rules: true\nschemas:\n  - glob: \"*.proto\"\n";

#[test]
fn each_service_rule_breaks_its_fixture_under_the_strict_rules() {
    for (case, rule) in [
        ("X44-service-removed", "SERVICE_NO_DELETE"),
        ("X45-rpc-removed", "RPC_NO_DELETE"),
        ("X17-rpc-request-type-changed", "RPC_SAME_REQUEST_TYPE"),
        ("X18-rpc-response-type-changed", "RPC_SAME_RESPONSE_TYPE"),
        ("X19-rpc-client-streaming", "RPC_SAME_CLIENT_STREAMING"),
        ("X20-rpc-server-streaming", "RPC_SAME_SERVER_STREAMING"),
    ] {
        let project = service_change(case, STRICT);
        let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
        assert_eq!(run.code, 1, "{case}: {}{}", run.stdout, run.stderr);
        assert_eq!(rules(&run.json(), "api-value"), vec![rule], "{case}");
    }
}

#[test]
fn an_added_rpc_is_compatible_backward() {
    let project = service_change("X47-rpc-added", STRICT);
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn without_the_strict_rules_a_deleted_rpc_passes_as_on_confluent() {
    let project = service_change("X45-rpc-removed", "schemas:\n  - glob: \"*.proto\"\n");
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_subject_can_turn_the_strict_rules_off() {
    let manifest = "protobuf_wire_rules: true\nsubjects:\n  api-value:\n    file: api.proto\n    protobuf_wire_rules: false\n";
    let run =
        service_change("X45-rpc-removed", manifest).treaty(&["breaking", "--against", "base"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn diff_reports_a_renamed_service_in_both_directions() {
    let project = service_change("X46-service-renamed", STRICT);
    let run = project.treaty(&[
        "diff",
        "base/api.proto",
        "api.proto",
        "--protobuf-wire-rules",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    let findings = report["subjects"][0]["verdict"]["findings"]
        .as_array()
        .expect("findings");
    let directions: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "SERVICE_NO_DELETE")
        .map(|f| f["direction"].as_str().unwrap())
        .collect();
    assert_eq!(directions, ["forward", "backward"], "{report}");
}
