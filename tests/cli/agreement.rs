//! `treaty breaking` and the server agree: for a sample of the compat
//! fixtures of each format, at BACKWARD and at FULL, the CLI's verdict and
//! messages against a baseline equal the registry's
//! `POST /compatibility/subjects/{s}/versions/latest?verbose=true` on a
//! server holding that baseline.

use serde_json::{json, Value};

use crate::project::{fixture, Project};
use crate::server::Server;

/// Every this-many-th plain case (an old and a new file, nothing else) of
/// each format is sampled.
const SAMPLE_EVERY: usize = 5;

const LEVELS: [&str; 2] = ["BACKWARD", "FULL"];

#[test]
fn breaking_agrees_with_the_servers_verbose_compatibility_answer() {
    let server = Server::start();
    let project = Project::empty();
    let mut manifest = String::from("subjects:\n");
    let mut expected = Vec::new();
    for (format, extension, schema_type) in [
        ("avro", "avsc", "AVRO"),
        ("protobuf", "proto", "PROTOBUF"),
        ("json", "json", "JSON"),
    ] {
        for case in sampled_cases(format, extension) {
            let dir = fixture(&format!("compat/{format}/{case}"));
            let read = |name: &str| {
                std::fs::read_to_string(dir.join(format!("{name}.{extension}"))).expect("fixture")
            };
            let (old, new) = (read("old"), read("new"));
            let file = format!("{case}.{extension}");
            project.write(&format!("base/{file}"), &old);
            project.write(&file, &new);
            for level in LEVELS {
                let subject = format!("{case}-{level}");
                let registered = server.post(
                    &format!("/subjects/{subject}/versions"),
                    &json!({"schema": old, "schemaType": schema_type}).to_string(),
                );
                assert_eq!(registered.status, 200, "{subject}: {:?}", registered.body);
                let configured = server.put(
                    &format!("/config/{subject}"),
                    &json!({"compatibility": level}).to_string(),
                );
                assert_eq!(configured.status, 200, "{subject}: {:?}", configured.body);
                let answer = server.post(
                    &format!("/compatibility/subjects/{subject}/versions/latest?verbose=true"),
                    &json!({"schema": new, "schemaType": schema_type}).to_string(),
                );
                assert_eq!(answer.status, 200, "{subject}: {:?}", answer.body);
                manifest +=
                    &format!("  {subject}:\n    file: {file}\n    compatibility: {level}\n");
                expected.push((subject, answer.body));
            }
        }
    }
    project.write("treaty.yaml", &manifest);
    let run = project.treaty(&["breaking", "--against", "base", "--format", "json"]);
    assert!(
        run.code == 0 || run.code == 1,
        "{}{}",
        run.stdout,
        run.stderr
    );
    let report = run.json();
    let subjects = report["subjects"].as_array().expect("subjects");
    assert_eq!(subjects.len(), expected.len());
    assert!(expected.len() >= 40, "sampled {} checks", expected.len());
    let breaking = expected
        .iter()
        .filter(|(_, answer)| answer["is_compatible"] == false)
        .count();
    // The sample holds both verdicts, so messages are compared, not only
    // empty lists.
    assert!(
        breaking >= 10 && breaking < expected.len(),
        "{breaking} of {} incompatible",
        expected.len()
    );
    for (subject, answer) in expected {
        let found = subjects
            .iter()
            .find(|s| s["subject"] == subject.as_str())
            .unwrap_or_else(|| panic!("{subject} missing from {report}"));
        let compatible = answer["is_compatible"].as_bool().expect("is_compatible");
        assert_eq!(
            found["status"] == "compatible",
            compatible,
            "{subject}: cli {found} server {answer}"
        );
        let server_messages = answer.get("messages").cloned().unwrap_or(json!([]));
        let cli_messages = found
            .get("messages")
            .cloned()
            .unwrap_or(Value::Array(vec![]));
        assert_eq!(cli_messages, server_messages, "{subject}");
    }
}

/// Every [`SAMPLE_EVERY`]-th case of `format`, in name order, whose folder
/// holds only `old.<ext>`, `new.<ext>` and `expected.json`.
fn sampled_cases(format: &str, extension: &str) -> Vec<String> {
    let root = fixture(&format!("compat/{format}"));
    let mut cases: Vec<String> = std::fs::read_dir(&root)
        .expect("fixtures")
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().expect("type").is_dir())
        .filter(|e| {
            let mut names: Vec<String> = std::fs::read_dir(e.path())
                .expect("case")
                .map(|f| f.expect("file").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
                == [
                    "expected.json",
                    &format!("new.{extension}"),
                    &format!("old.{extension}"),
                ]
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases.into_iter().step_by(SAMPLE_EVERY).collect()
}
