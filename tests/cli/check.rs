//! `treaty check`: every schema parses, references resolved from the tree.

use crate::project::{statuses, Project};

#[test]
fn check_accepts_schemas_referencing_other_files_of_each_format() {
    let project = Project::from_fixture("cli/project");
    let run = project.treaty(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    let subjects = report["subjects"].as_array().expect("subjects");
    assert!(
        subjects.iter().all(|s| s.get("verdict").is_none()),
        "{report}"
    );
    let mut found = statuses(&report);
    found.sort();
    let expected: Vec<(String, String)> = [
        "address-value",
        "customer-value",
        "money-value",
        "order-value",
        "price-value",
        "product-value",
    ]
    .iter()
    .map(|s| (s.to_string(), "valid".to_string()))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn three_line_manifest_names_every_avro_file() {
    let project = Project::empty();
    project.write("treaty.yaml", "schemas:\n  - glob: \"schemas/**/*.avsc\"\n");
    project.write(
        "schemas/a/one.avsc",
        r#"{"type":"record","name":"One","fields":[]}"#,
    );
    project.write("schemas/two.avsc", r#""string""#);
    let run = project.treaty(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let mut found = statuses(&run.json());
    found.sort();
    assert_eq!(
        found,
        [
            ("one-value".to_string(), "valid".to_string()),
            ("two-value".to_string(), "valid".to_string())
        ]
    );
}

#[test]
fn protobuf_syntax_error_is_reported_at_file_line_and_column() {
    let project = Project::from_fixture("cli/project");
    project.write(
        "proto/order.proto",
        "syntax = \"proto3\";\npackage acme;\n\nmessage Order {\n  string id = ;\n}\n",
    );
    let run = project.treaty(&["check"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("proto/order.proto:5:15: error: "),
        "{}",
        run.stdout
    );
}

#[test]
fn malformed_json_schema_is_reported_with_its_line() {
    let project = Project::from_fixture("cli/project");
    project.write("json/price.json", "{\n  \"type\": \"number\",\n}\n");
    let run = project.treaty(&["check", "--format", "github"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("::error file=json/price.json,line=3,col=1::"),
        "{}",
        run.stdout
    );
}

#[test]
fn unresolvable_avro_type_fails_the_check() {
    let project = Project::from_fixture("cli/project");
    std::fs::remove_file(project.path().join("avro/address.avsc")).expect("rm");
    let run = project.treaty(&["check", "--format", "json"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let errors = run.json()["errors"].clone();
    assert_eq!(errors[0]["file"], "avro/customer.avsc", "{errors}");
}

#[test]
fn manifest_with_an_unknown_key_is_invalid_input() {
    let project = Project::empty();
    project.write("treaty.yaml", "schema:\n  - glob: \"*.avsc\"\n");
    let run = project.treaty(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("treaty.yaml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown field `schema`"),
        "{}",
        run.stderr
    );
}

#[test]
fn ignore_without_a_reason_is_invalid_input() {
    let project = Project::from_fixture("cli/project");
    project.write(
        "treaty.yaml",
        "schemas:\n  - glob: \"avro/*.avsc\"\nignore:\n  - subject: customer-value\n    reason: \"\"\n",
    );
    let run = project.treaty(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("needs a reason"), "{}", run.stderr);
}

#[test]
fn missing_manifest_is_invalid_input() {
    let run = Project::empty().treaty(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("treaty.yaml: cannot read"),
        "{}",
        run.stderr
    );
}

#[test]
fn protobuf_imports_resolve_under_the_manifests_import_paths() {
    let project = Project::from_fixture("cli/project");
    let order = std::fs::read_to_string(project.path().join("proto/order.proto")).expect("read");
    project.write(
        "proto/order.proto",
        &order.replace("\"proto/common/money.proto\"", "\"common/money.proto\""),
    );
    let without = project.treaty(&["check"]);
    assert_eq!(without.code, 2, "{}{}", without.stdout, without.stderr);
    assert!(
        without.stdout.contains("common/money.proto"),
        "{}",
        without.stdout
    );
    let manifest = std::fs::read_to_string(project.path().join("treaty.yaml")).expect("read");
    project.write("treaty.yaml", &format!("{manifest}import_paths: [proto]\n"));
    let with = project.treaty(&["check"]);
    assert_eq!(with.code, 0, "{}{}", with.stdout, with.stderr);
}
