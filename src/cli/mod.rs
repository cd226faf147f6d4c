//! The CI checker: `treaty check`, `treaty breaking`, `treaty diff`, over
//! the `treaty.yaml` manifest and the `treaty-compat` library; offline,
//! except `breaking --registry`. Beside it `treaty registry …`, a
//! registry's admin commands for the same scripts.
//!
//! Exit codes: 0 clean, 1 breaking changes found, 2 invalid input or usage,
//! 3 baseline (tree or registry) unreachable.

pub mod admin;
pub mod breaking;
pub mod check;
pub mod diff;
mod git_files;
mod locate;
mod manifest;
mod registry;
mod report;
mod resolve;
mod tree;

use std::path::{Path, PathBuf};

use resolve::SchemaError;

/// Why a subcommand stopped before reporting.
pub enum Failure {
    /// The manifest or the command line is wrong (exit code 2).
    Invalid(String),
    /// `--against` or the registry cannot be read (exit code 3).
    BaselineUnreachable(String),
}

impl Failure {
    /// Prints the failure and gives its exit code.
    pub fn report(self) -> u8 {
        let (message, code) = match self {
            Failure::Invalid(message) => (message, 2),
            Failure::BaselineUnreachable(message) => (message, 3),
        };
        eprintln!("treaty: {message}");
        code
    }
}

/// The manifest's directory as a directory to read from.
fn working_dir(root: &Path) -> PathBuf {
    if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root.to_path_buf()
    }
}

/// A file the manifest names that is not there.
fn missing(file: &Path) -> SchemaError {
    SchemaError {
        file: file.to_path_buf(),
        location: None,
        message: "the manifest names this file, but it does not exist".to_string(),
    }
}
