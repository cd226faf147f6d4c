//! `treaty breaking --against git:REV` in a repository made by the test.

use std::process::Command;

use crate::project::{assert_changes_break, Project};

/// Runs `git args…` in the project, which must succeed.
pub fn git(project: &Project, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(project.path())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// Two commits: the fixture project, then its breaking changes.
fn repository() -> Project {
    let project = Project::from_fixture("cli/project");
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "schemas"]);
    project.overlay("cli/changed");
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "change"]);
    project
}

#[test]
fn previous_commit_is_the_baseline() {
    let project = repository();
    let run = project.treaty(&["breaking", "--against", "git:HEAD~1", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_changes_break(&report);
    let head = project.treaty(&["breaking", "--against", "git:HEAD"]);
    assert_eq!(head.code, 0, "{}{}", head.stdout, head.stderr);
}

#[test]
fn manifest_in_a_subdirectory_reads_the_same_subdirectory_at_the_revision() {
    let project = Project::empty();
    git(&project, &["init", "-q"]);
    crate::project::copy_dir(
        &crate::project::fixture("cli/project"),
        &project.path().join("svc"),
    );
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "schemas"]);
    crate::project::copy_dir(
        &crate::project::fixture("cli/changed"),
        &project.path().join("svc"),
    );
    let run = project.treaty(&[
        "breaking",
        "--manifest",
        "svc/treaty.yaml",
        "--against",
        "git:HEAD",
        "--format",
        "github",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("::error file=svc/avro/customer.avsc,"),
        "{}",
        run.stdout
    );
}

#[test]
fn unknown_revision_exits_3_with_a_shallow_clone_hint() {
    let project = repository();
    let run = project.treaty(&["breaking", "--against", "git:HEAD~5"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
}
