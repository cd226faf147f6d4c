//! `treaty diff OLD NEW`: the findings between two files.

use crate::project::{fixture, rules, Project};

fn case(format: &str, name: &str, file: &str) -> String {
    fixture(&format!("compat/{format}/{name}/{file}"))
        .to_string_lossy()
        .into_owned()
}

#[test]
fn diff_reports_every_finding_in_both_directions_by_default() {
    let (old, new) = (
        case("avro", "A11-int-to-string", "old.avsc"),
        case("avro", "A11-int-to-string", "new.avsc"),
    );
    let run = Project::empty().treaty(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["subjects"][0]["verdict"]["level"], "FULL");
    let directions: Vec<&str> = report["subjects"][0]["verdict"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["direction"].as_str().unwrap())
        .collect();
    assert_eq!(directions, ["forward", "backward"]);
    assert_eq!(rules(&report, &new), ["TYPE_MISMATCH", "TYPE_MISMATCH"]);
}

#[test]
fn diff_at_a_level_that_allows_the_change_exits_0() {
    let (old, new) = (
        case("avro", "A02-add-field-without-default", "old.avsc"),
        case("avro", "A02-add-field-without-default", "new.avsc"),
    );
    let run = Project::empty().treaty(&["diff", &old, &new, "--level", "forward"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let breaks = Project::empty().treaty(&["diff", &old, &new, "--level", "BACKWARD"]);
    assert_eq!(breaks.code, 1);
    assert!(
        breaks
            .stdout
            .contains("READER_FIELD_MISSING_DEFAULT_VALUE /fields/1: "),
        "{}",
        breaks.stdout
    );
}

#[test]
fn diff_of_protobuf_files_names_the_rule_and_path() {
    let (old, new) = (
        case("protobuf", "P14-message-to-string", "old.proto"),
        case("protobuf", "P14-message-to-string", "new.proto"),
    );
    let run = Project::empty().treaty(&[
        "diff", &old, &new, "--level", "BACKWARD", "--format", "json",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let finding = &run.json()["subjects"][0]["verdict"]["findings"][0];
    assert_eq!(finding["rule"], "FIELD_KIND_CHANGED");
    assert_eq!(finding["direction"], "backward");
    assert_eq!(finding["old_path"], "#/M/1");
    assert_eq!(finding["new_path"], "#/M/1");
    assert_eq!(
        finding["message"],
        "The type of a field at path '#/M/1' in the new schema does not match the old schema"
    );
}

#[test]
fn diff_with_an_unknown_level_or_a_missing_file_is_a_usage_error() {
    let old = case("avro", "A02-add-field-without-default", "old.avsc");
    let project = Project::empty();
    assert_eq!(
        project
            .treaty(&["diff", &old, &old, "--level", "SIDEWAYS"])
            .code,
        2
    );
    let missing = project.treaty(&["diff", &old, "absent.avsc"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("absent.avsc"), "{}", missing.stderr);
}
