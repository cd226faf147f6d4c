//! `--format json` reports checked against `docs/report.schema.json`, the
//! schema the README points users to, by an independent validator: the
//! test virtualenv's `jsonschema` (PyPI, pulled in by schemathesis), whose
//! interpreter `scripts/kafka-env.sh` exports as `TREATY_TEST_PYTHON`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const VALIDATE: &str = "\
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(json.load(sys.stdin)), key=str)
for error in errors:
    print(f'{list(error.absolute_path)}: {error.message}', file=sys.stderr)
sys.exit(1 if errors else 0)
";

/// `Err` with the validator's complaints when `report` breaks the schema.
pub fn check(report: &str) -> Result<(), String> {
    let python = std::env::var("TREATY_TEST_PYTHON")
        .expect("TREATY_TEST_PYTHON is unset: source scripts/kafka-env.sh before cargo test");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json");
    let mut validator = Command::new(python)
        .arg("-c")
        .arg(VALIDATE)
        .arg(schema)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the test virtualenv's python runs");
    validator
        .stdin
        .take()
        .expect("stdin")
        .write_all(report.as_bytes())
        .expect("report written");
    let output = validator.wait_with_output().expect("validator ends");
    match output.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}

#[test]
fn a_report_that_breaks_the_schema_is_refused_by_the_check() {
    let missing_status = r#"{"subjects": [{"subject": "s", "file": "s.avsc"}], "errors": []}"#;
    let unknown_field = r#"{"subjects": [], "errors": [], "extra": 1}"#;
    let bad_line = r#"{"subjects": [], "errors": [{"file": "a", "line": 0, "message": "m"}]}"#;
    for report in [missing_status, unknown_field, bad_line] {
        assert!(check(report).is_err(), "accepted: {report}");
    }
    check(r#"{"subjects": [], "errors": []}"#).expect("the empty report");
}
