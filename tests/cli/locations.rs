//! Line and column of findings and of files that do not parse, per
//! format: where a finding's path is in the new file, else its deepest
//! element still there, else the file alone.

use crate::project::Project;

/// `treaty diff old new --format json` of two files written as given.
fn diff(name: &str, old: &str, new: &str, extra: &[&str]) -> serde_json::Value {
    let project = Project::empty();
    let (old_file, new_file) = (format!("old/{name}"), format!("new/{name}"));
    project.write(&old_file, old);
    project.write(&new_file, new);
    let args = [&["diff", &old_file, &new_file, "--format", "json"], extra].concat();
    let run = project.treaty(&args);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    run.json()
}

/// `(rule, line, column)` of each finding of the one subject of a diff.
fn placed(report: &serde_json::Value) -> Vec<(String, Option<u64>, Option<u64>)> {
    report["subjects"][0]["verdict"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["line"].as_u64(),
                f["column"].as_u64(),
            )
        })
        .collect()
}

fn at(rule: &str, line: u64, column: u64) -> (String, Option<u64>, Option<u64>) {
    (rule.to_string(), Some(line), Some(column))
}

const OBJECT_OLD: &str = r#"{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "additionalProperties": false}"#;

#[test]
fn json_schema_findings_point_at_the_property_or_what_holds_it() {
    // `a` changes type; `b` is removed, so only the old schema has its
    // path: the finding points at `properties`, which still holds it.
    let new = "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"a\": {\"type\": \"integer\"}\n  },\n  \"additionalProperties\": false\n}\n";
    let report = diff("s.json", OBJECT_OLD, new, &["--level", "BACKWARD"]);
    let mut found = placed(&report);
    found.sort();
    assert_eq!(
        found,
        [
            at("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", 3, 17),
            at("TYPE_CHANGED", 4, 10)
        ],
        "{report}"
    );
}

#[test]
fn avro_finding_points_at_the_field() {
    let old = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
    let new = "{\"type\": \"record\", \"name\": \"R\", \"fields\": [\n  {\"name\": \"a\", \"type\": \"int\"},\n  {\"name\": \"b\", \"type\": \"string\"}\n]}\n";
    let report = diff("r.avsc", old, new, &["--level", "BACKWARD"]);
    assert_eq!(
        placed(&report),
        [at("READER_FIELD_MISSING_DEFAULT_VALUE", 3, 3)],
        "{report}"
    );
}

#[test]
fn protobuf_finding_points_at_the_field_of_the_nested_message() {
    let old = "syntax = \"proto3\";\nmessage Outer {\n  message Inner {\n    string a = 1;\n  }\n  Inner inner = 1;\n}\n";
    let new = "syntax = \"proto3\";\nmessage Outer {\n  message Inner {\n    int32 a = 1;\n  }\n  Inner inner = 1;\n}\n";
    let report = diff("m.proto", old, new, &[]);
    let found = placed(&report);
    assert!(!found.is_empty(), "{report}");
    assert!(
        found.iter().all(|f| f.1 == Some(4) && f.2 == Some(5)),
        "{report}"
    );
}

#[test]
fn grpc_findings_point_at_the_service_or_the_rpc() {
    let dir = |case: &str| crate::project::fixture(&format!("compat/protobuf/{case}"));
    for (case, line, column) in [
        // The RPC is gone: its service, on line 10.
        ("X45-rpc-removed", 10, 1),
        ("X17-rpc-request-type-changed", 14, 3),
    ] {
        let read = |side: &str| std::fs::read_to_string(dir(case).join(side)).expect("fixture");
        let report = diff(
            "api.proto",
            &read("old.proto"),
            &read("new.proto"),
            &["--protobuf-wire-rules"],
        );
        let found = placed(&report);
        assert!(!found.is_empty(), "{case}: {report}");
        assert!(
            found
                .iter()
                .all(|f| f.1 == Some(line) && f.2 == Some(column)),
            "{case}: {report}"
        );
    }
}

#[test]
fn avro_syntax_error_is_located_in_every_format() {
    let project = Project::empty();
    project.write("treaty.yaml", "schemas:\n  - glob: \"*.avsc\"\n");
    project.write(
        "bad.avsc",
        "{\n  \"type\": \"record\",\n  \"name\" \"R\"\n}\n",
    );
    let json = project.treaty(&["check", "--format", "json"]);
    assert_eq!(json.code, 2, "{}{}", json.stdout, json.stderr);
    let error = &json.json()["errors"][0];
    assert_eq!((&error["line"], &error["column"]), (&3.into(), &10.into()));
    let text = project.treaty(&["check"]);
    assert!(
        text.stdout.starts_with("bad.avsc:3:10: error: "),
        "{}",
        text.stdout
    );
    let github = project.treaty(&["check", "--format", "github"]);
    assert!(
        github
            .stdout
            .starts_with("::error file=bad.avsc,line=3,col=10::"),
        "{}",
        github.stdout
    );
}

#[test]
fn a_path_the_new_file_lacks_entirely_names_the_file_alone() {
    // Avro counts fields: a removed field's old path says nothing about
    // the new file, so the finding has no line.
    let old = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#;
    let new = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
    let report = diff("r.avsc", old, new, &["--level", "FORWARD"]);
    assert_eq!(
        placed(&report),
        [("READER_FIELD_MISSING_DEFAULT_VALUE".to_string(), None, None)],
        "{report}"
    );
}

#[test]
fn schema_errors_are_located_at_what_they_name() {
    let project = Project::empty();
    project.write(
        "treaty.yaml",
        "schemas:\n  - glob: \"*.avsc\"\n  - glob: \"*.json\"\n",
    );
    // The field's type names no type: the error points at the name.
    project.write(
        "r.avsc",
        "{\n  \"type\": \"record\",\n  \"name\": \"R\",\n  \"fields\": [\n    {\"name\": \"a\", \"type\": \"Strng\"}\n  ]\n}\n",
    );
    project.write(
        "j.json",
        "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"a\": {\"type\": \"strin\"}\n  }\n}\n",
    );
    let run = project.treaty(&["check"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("r.avsc:5:27: error: \"Strng\" is not a defined name"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("j.json:4:19: error: Invalid JSON Schema: #/properties/a/type"),
        "{}",
        run.stdout
    );
}
