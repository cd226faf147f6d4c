//! A temporary project directory and the `treaty` binary run inside it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// What one run of `treaty` gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout of `--format json`.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A copy of `tests/fixtures/cli/<name>`.
    pub fn from_fixture(name: &str) -> Project {
        let project = Project::empty();
        project.overlay(name);
        project
    }

    /// Copies `tests/fixtures/cli/<name>` over the project.
    pub fn overlay(&self, name: &str) {
        copy_dir(&fixture(name), self.path());
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, file: &str, text: &str) {
        let path = self.path().join(file);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Runs `treaty args…` in the project directory.
    pub fn treaty(&self, args: &[&str]) -> Run {
        self.treaty_with_env(args, &[])
    }

    /// Runs `treaty args…` with `env` set.
    pub fn treaty_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_treaty"))
            .args(args)
            .current_dir(self.path())
            .env("TREATY_LOG", "warn")
            .envs(env.iter().copied())
            .output()
            .expect("treaty runs");
        let run = Run {
            code: output.status.code().expect("an exit code"),
            stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
        };
        // Every JSON report any test asks for follows the published schema.
        if args.windows(2).any(|pair| pair == ["--format", "json"]) && !run.stdout.is_empty() {
            if let Err(complaints) = crate::report_schema::check(&run.stdout) {
                panic!(
                    "{complaints}\nin the report of treaty {args:?}:\n{}",
                    run.stdout
                );
            }
        }
        run
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// The `status` of each subject in a JSON report, by subject.
pub fn statuses(report: &Value) -> Vec<(String, String)> {
    report["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .map(|s| {
            (
                s["subject"].as_str().expect("subject").to_string(),
                s["status"].as_str().expect("status").to_string(),
            )
        })
        .collect()
}

/// The rule ids of a subject's findings in a JSON report.
pub fn rules(report: &Value, subject: &str) -> Vec<String> {
    report["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .find(|s| s["subject"] == subject)
        .unwrap_or_else(|| panic!("no subject {subject} in {report}"))["verdict"]["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .map(|f| f["rule"].as_str().expect("rule").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON report of `cli/changed` against `cli/project` holds the two
/// breaking changes, with their rules.
pub fn assert_changes_break(report: &Value) {
    assert_eq!(
        rules(report, "customer-value"),
        ["READER_FIELD_MISSING_DEFAULT_VALUE"]
    );
    // order-value is FULL: the field breaks both directions.
    assert_eq!(
        rules(report, "order-value"),
        ["FIELD_KIND_CHANGED", "FIELD_KIND_CHANGED"]
    );
}
