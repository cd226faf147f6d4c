//! A subject the baseline has and the working tree lacks: `removed`, the
//! rule SUBJECT_NO_DELETE, breaking unless its level is NONE (`retired`)
//! or the manifest accepts the removal.

use crate::git::git;
use crate::project::{copy_dir, fixture, statuses, Project};

/// The fixture project with itself as the baseline in `base/`, and
/// `json/product.json` (the subject `product-value`) deleted.
fn deleted_product() -> Project {
    let project = Project::from_fixture("cli/project");
    copy_dir(&fixture("cli/project"), &project.path().join("base"));
    std::fs::remove_file(project.path().join("json/product.json")).expect("rm");
    project
}

fn status_of(report: &serde_json::Value, subject: &str) -> String {
    statuses(report)
        .into_iter()
        .find(|(s, _)| s == subject)
        .unwrap_or_else(|| panic!("no {subject} in {report}"))
        .1
}

#[test]
fn a_deleted_file_is_a_removed_subject_that_breaks() {
    let project = deleted_product();
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(status_of(&report, "product-value"), "removed");
    assert_eq!(status_of(&report, "price-value"), "compatible");
    let product = report["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .find(|s| s["subject"] == "product-value")
        .expect("product-value");
    assert_eq!(product["file"], "json/product.json");
    assert!(product.get("verdict").is_none(), "{product}");
    assert_eq!(product["removal"]["rule"], "SUBJECT_NO_DELETE");
    assert_eq!(product["removal"]["level"], "BACKWARD");
    let text = project.treaty(&["breaking", "--against", "base"]);
    assert!(
        text.stdout.contains(
            "json/product.json: product-value SUBJECT_NO_DELETE -: subject 'product-value'"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .ends_with("6 subject(s), 1 breaking, 0 invalid file(s)\n"),
        "{}",
        text.stdout
    );
    let github = project.treaty(&["breaking", "--against", "base", "--format", "github"]);
    assert!(
        github.stdout.starts_with(
            "::error file=json/product.json,title=SUBJECT_NO_DELETE::product-value -: "
        ),
        "{}",
        github.stdout
    );
}

#[test]
fn a_removal_at_level_none_is_retired_and_passes() {
    let project = deleted_product();
    let manifest = "schemas:\n  - glob: \"json/*.json\"\n    compatibility: NONE\n";
    project.write("treaty.yaml", manifest);
    project.write("base/treaty.yaml", manifest);
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(status_of(&run.json(), "product-value"), "retired");
}

#[test]
fn an_accepted_removal_is_ignored() {
    let project = deleted_product();
    let manifest = std::fs::read_to_string(project.path().join("treaty.yaml")).expect("read");
    project.write(
        "treaty.yaml",
        &format!("{manifest}ignore:\n  - subject: product-value\n    rule: SUBJECT_NO_DELETE\n    reason: the topic is gone\n"),
    );
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(status_of(&run.json(), "product-value"), "ignored");
}

#[test]
fn a_named_subject_is_removed_with_its_file_not_with_its_entry_alone() {
    let project = Project::empty();
    let subjects = "subjects:\n  a-value:\n    file: a.avsc\n  b-value:\n    file: b.avsc\n";
    project.write("base/treaty.yaml", subjects);
    project.write("treaty.yaml", "subjects:\n  a-value:\n    file: a.avsc\n");
    for dir in ["", "base/"] {
        project.write(&format!("{dir}a.avsc"), r#""string""#);
        project.write(&format!("{dir}b.avsc"), r#""string""#);
    }
    // b.avsc is still there: out of the check's scope, not deleted.
    let kept = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(kept.code, 0, "{}{}", kept.stdout, kept.stderr);
    assert_eq!(statuses(&kept.json()).len(), 1, "{}", kept.stdout);
    std::fs::remove_file(project.path().join("b.avsc")).expect("rm");
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(status_of(&run.json(), "b-value"), "removed");
}

#[test]
fn a_file_deleted_since_a_git_revision_is_removed() {
    // The manifest in a subdirectory: the revision's files are listed
    // relative to it, as the working tree's are.
    let project = Project::empty();
    copy_dir(&fixture("cli/project"), &project.path().join("svc"));
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "schemas"]);
    git(&project, &["rm", "-q", "svc/proto/order.proto"]);
    let run = project.treaty(&[
        "breaking",
        "--manifest",
        "svc/treaty.yaml",
        "--against",
        "git:HEAD",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(status_of(&report, "order-value"), "removed");
    // Unchanged subjects are compared as before, none of them removed.
    let removed: Vec<_> = statuses(&report)
        .into_iter()
        .filter(|(_, s)| s == "removed")
        .collect();
    assert_eq!(removed.len(), 1, "{report}");
    assert_eq!(status_of(&report, "money-value"), "compatible");
}
