//! `--format junit`: a JUnit XML report CI systems read, one test case per
//! subject with a failure per breaking finding, and an error per file that
//! does not load.

use crate::project::{copy_dir, fixture, Project};

#[test]
fn breaking_changes_are_failures_of_their_subjects_test_case() {
    let project = Project::from_fixture("cli/project");
    copy_dir(&fixture("cli/project"), &project.path().join("base"));
    project.overlay("cli/changed");
    let run = project.treaty(&["breaking", "--against", "base", "--format", "junit"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let xml = roxmltree::Document::parse(&run.stdout).expect("well-formed XML");
    let suite = xml
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a testsuite");
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    let failing: Vec<_> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .collect();
    assert_eq!(
        suite.attribute("failures"),
        Some(failing.len().to_string().as_str())
    );
    assert!(!failing.is_empty() && failing.len() < cases.len());
    let customer = cases
        .iter()
        .find(|c| c.attribute("name") == Some("customer-value"))
        .expect("customer-value's test case");
    assert_eq!(customer.attribute("file"), Some("avro/customer.avsc"));
    let failure = customer
        .children()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure");
    assert_eq!(
        failure.attribute("type"),
        Some("READER_FIELD_MISSING_DEFAULT_VALUE")
    );
    assert!(failure
        .attribute("message")
        .is_some_and(|m| m.contains("'email'")));
    assert_eq!(
        failure.text(),
        Some("avro/customer.avsc:8:5: READER_FIELD_MISSING_DEFAULT_VALUE /fields/2")
    );
}

#[test]
fn a_file_that_does_not_parse_is_an_error_with_its_line() {
    let project = Project::empty();
    project.write("treaty.yaml", "schemas:\n  - glob: \"*.proto\"\n");
    project.write(
        "bad.proto",
        "syntax = \"proto3\";\nmessage M {\n  int32 = 1;\n}\n",
    );
    let run = project.treaty(&["check", "--format", "junit"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let xml = roxmltree::Document::parse(&run.stdout).expect("well-formed XML");
    let error = xml
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an error");
    assert!(
        error.text().is_some_and(|t| t.starts_with("bad.proto:3:")),
        "{}",
        run.stdout
    );
}
