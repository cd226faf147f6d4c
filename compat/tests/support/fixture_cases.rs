//! The case folders under `tests/fixtures/compat/<format>/` and the run over
//! all of them that every format's fixture test shares.
//!
//! Included by several test crates and an example, each using part of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

pub fn fixtures_root(format: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/compat")
        .join(format)
}

/// Every case folder of `format`, sorted by name.
pub fn case_dirs(format: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_root(format))
        .expect("fixtures directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

pub fn case_name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// Runs `run_case` (which returns the case's problems) on every case of
/// `format`, and fails with all problems of all cases at once; fewer than
/// `minimum` cases is a failure too, so a moved fixtures folder cannot pass.
pub fn run_every_case(
    format: &str,
    minimum: usize,
    run_case: impl Fn(&Path) -> Result<Vec<String>, String>,
) {
    let dirs = case_dirs(format);
    assert!(
        dirs.len() >= minimum,
        "only {} fixture cases found under {}",
        dirs.len(),
        fixtures_root(format).display()
    );
    let mut failures = Vec::new();
    for dir in &dirs {
        match run_case(dir) {
            Ok(problems) if problems.is_empty() => {}
            Ok(problems) => failures.push(format!("{}:\n{}", case_name(dir), problems.join("\n"))),
            Err(error) => failures.push(format!("{}: {error}", case_name(dir))),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
