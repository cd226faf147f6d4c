//! `treaty breaking --against DIR`: the working tree against a baseline
//! directory, each subject at its level.

use crate::project::{assert_changes_break, rules, statuses, Project};

/// The fixture project as the baseline in `base/`, and as the working tree
/// with the breaking changes of `cli/changed` laid over it.
fn changed_project() -> Project {
    let project = Project::from_fixture("cli/project");
    crate::project::copy_dir(
        &crate::project::fixture("cli/project"),
        &project.path().join("base"),
    );
    project.overlay("cli/changed");
    project
}

#[test]
fn unchanged_tree_is_clean() {
    let project = Project::from_fixture("cli/project");
    crate::project::copy_dir(
        &crate::project::fixture("cli/project"),
        &project.path().join("base"),
    );
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(statuses(&run.json()).iter().all(|(_, s)| s == "compatible"));
}

#[test]
fn breaking_changes_are_reported_with_their_rules_and_exit_1() {
    let project = changed_project();
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_changes_break(&report);
    assert_eq!(rules(&report, "product-value"), Vec::<String>::new());
    let customer = &report["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subject"] == "customer-value")
        .unwrap();
    let finding = &customer["verdict"]["findings"][0];
    assert_eq!(finding["new_path"], "/fields/2");
    // The field `{"name": "email", …}` on line 8 of the changed file.
    assert_eq!(
        (&finding["line"], &finding["column"]),
        (&8.into(), &5.into())
    );
    assert_eq!(customer["messages"][1], "{oldSchemaVersion: 1}");
}

#[test]
fn text_output_gives_file_subject_rule_path_and_message() {
    let run = changed_project().treaty(&["breaking", "--against", "base"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "avro/customer.avsc:8:5: customer-value READER_FIELD_MISSING_DEFAULT_VALUE /fields/2: \
             The field 'email' at path '/fields/2' in the new schema has no default value"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("6 subject(s), 2 breaking, 0 invalid file(s)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn github_output_is_one_error_annotation_per_finding() {
    let run = changed_project().treaty(&["breaking", "--against", "base", "--format", "github"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[0].starts_with(
        "::error file=avro/customer.avsc,line=8,col=5,title=READER_FIELD_MISSING_DEFAULT_VALUE::customer-value /fields/2: "
    ), "{}", lines[0]);
    assert!(
        lines[1].starts_with(
            "::error file=proto/order.proto,line=8,col=3,title=FIELD_KIND_CHANGED::order-value "
        ),
        "{}",
        lines[1]
    );
}

#[test]
fn subject_level_decides_what_breaks() {
    let project = changed_project();
    project.write(
        "treaty.yaml",
        "compatibility: FORWARD\nschemas:\n  - glob: \"avro/*.avsc\"\n",
    );
    let run = project.treaty(&["breaking", "--against", "base"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn ignored_rule_with_a_reason_is_accepted() {
    let project = changed_project();
    project.write(
        "treaty.yaml",
        "schemas:\n  - glob: \"avro/*.avsc\"\nignore:\n  - subject: customer-value\n    rule: READER_FIELD_MISSING_DEFAULT_VALUE\n    reason: no consumer reads old customers\n",
    );
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn ignored_subject_is_not_compared() {
    let project = changed_project();
    project.write(
        "treaty.yaml",
        "schemas:\n  - glob: \"avro/*.avsc\"\nignore:\n  - subject: customer-value\n    reason: being rewritten\n",
    );
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(statuses(&run.json()).contains(&("customer-value".to_string(), "ignored".to_string())));
}

#[test]
fn subject_missing_from_the_baseline_is_new() {
    let project = changed_project();
    project.write(
        "avro/invoice.avsc",
        r#"{"type":"record","name":"Invoice","fields":[]}"#,
    );
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert!(statuses(&run.json()).contains(&("invoice-value".to_string(), "new".to_string())));
}

#[test]
fn invalid_schema_in_the_working_tree_exits_2() {
    let project = changed_project();
    project.write("avro/customer.avsc", "{\"type\": \"record\"");
    let run = project.treaty(&["breaking", "--against", "base"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
}

#[test]
fn missing_baseline_directory_exits_3() {
    let run = Project::from_fixture("cli/project").treaty(&["breaking", "--against", "nowhere"]);
    assert_eq!(run.code, 3);
    assert!(run.stderr.contains("nowhere"), "{}", run.stderr);
}

#[test]
fn missing_against_is_a_usage_error() {
    let run = Project::from_fixture("cli/project").treaty(&["breaking"]);
    assert_eq!(run.code, 2);
}
