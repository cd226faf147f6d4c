//! `treaty serve --config FILE`: settings from TOML, under flags and
//! environment variables; unknown keys refused by name.

use std::path::Path;
use std::process::Command;

use serde_json::json;

use crate::server::Server;

/// Writes `text` as a config file in `dir`; its path.
fn config_file(dir: &Path, text: &str) -> String {
    let path = dir.join("treaty.toml");
    std::fs::write(&path, text).expect("config file written");
    path.to_str().expect("utf-8 path").to_owned()
}

/// Whether the server refuses a 4 KiB body as too large, which tells
/// which `max_body_bytes` won.
fn refuses_large_bodies(server: &Server) -> bool {
    let big = json!({"schema": "x".repeat(4096)}).to_string();
    server.post("/subjects/s/versions", &big).status == 413
}

#[test]
fn a_file_setting_beats_the_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = config_file(dir.path(), "max_body_bytes = 1024\n");
    let server = Server::start_with(&["--config", &file]);
    assert!(refuses_large_bodies(&server));
}

#[test]
fn the_environment_beats_the_file_and_a_flag_beats_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = config_file(dir.path(), "max_body_bytes = 1024\n");
    let by_env = Server::start_with_env(
        &["--config", &file],
        &[("TREATY_MAX_BODY_BYTES", "1048576")],
    );
    assert!(!refuses_large_bodies(&by_env));
    let by_flag = Server::start_with_env(
        &["--config", &file, "--max-body-bytes", "1048576"],
        &[("TREATY_MAX_BODY_BYTES", "1024")],
    );
    assert!(!refuses_large_bodies(&by_flag));
}

#[test]
fn the_file_can_be_named_by_the_environment_and_set_flags_that_take_no_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = config_file(
        dir.path(),
        "max_body_bytes = 1024\navro_validate_defaults = true\n",
    );
    let server = Server::start_with_env(&[], &[("TREATY_CONFIG", &file)]);
    assert!(refuses_large_bodies(&server));
    let bad_default = json!({"schema": json!({
        "type": "record", "name": "R",
        "fields": [{"name": "n", "type": "int", "default": "text"}]
    }).to_string()})
    .to_string();
    let reply = server.post("/subjects/r/versions", &bad_default);
    assert_eq!(reply.status, 422, "{:?}", reply.body);
}

#[test]
fn an_unknown_key_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = config_file(
        dir.path(),
        "max_body_bytes = 1024\ndata_dirr = \"/tmp/x\"\n",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(["serve", "--listen", "127.0.0.1:0", "--config", &file])
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .output()
        .expect("treaty runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown setting `data_dirr`"), "{stderr}");
    assert!(!dir.path().join("data").exists(), "nothing was opened");
}

#[test]
fn serve_help_lists_every_setting_with_its_variable() {
    let output = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(["serve", "--help"])
        .output()
        .expect("treaty runs");
    let help = String::from_utf8_lossy(&output.stdout);
    for (flag, variable) in [
        ("--listen", "TREATY_LISTEN"),
        ("--data-dir", "TREATY_DATA_DIR"),
        ("--max-body-bytes", "TREATY_MAX_BODY_BYTES"),
        ("--auth-file", "TREATY_AUTH_FILE"),
        ("--tls-cert", "TREATY_TLS_CERT"),
        ("--log-format", "TREATY_LOG_FORMAT"),
        ("--config", "TREATY_CONFIG"),
    ] {
        assert!(help.contains(flag), "{flag} missing from\n{help}");
        assert!(help.contains(variable), "{variable} missing from\n{help}");
    }
}
