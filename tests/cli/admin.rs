//! `treaty registry …` against a running treaty server: the registry's
//! JSON answers printed, and the checker's exit codes (1 incompatible for
//! `compat`, 2 a refused request or bad input, 3 no registry).

use serde_json::Value;

use crate::project::{Project, Run};
use crate::server::Server;

const A: &str = r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}"#;
/// References `A`, registered as `a-value` version 1.
const B: &str = r#"{"type":"record","name":"B","fields":[{"name":"a","type":"A"}]}"#;
/// Reads A's data, but not the other way: `y` has no default.
const A_WITH_Y: &str = r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"},{"name":"y","type":"int"}]}"#;

/// A project holding the schema files, run against `server`.
struct Admin<'a> {
    project: Project,
    server: &'a Server,
}

impl Admin<'_> {
    fn new(server: &Server) -> Admin<'_> {
        let project = Project::empty();
        project.write("a.avsc", A);
        project.write("b.avsc", B);
        project.write("a2.avsc", A_WITH_Y);
        Admin { project, server }
    }

    fn run(&self, args: &[&str]) -> Run {
        let args = [&["registry", "--url", &self.server.base], args].concat();
        self.project.treaty(&args)
    }

    /// The JSON answer of a command that must succeed.
    fn ok(&self, args: &[&str]) -> Value {
        let run = self.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}{}", run.stdout, run.stderr);
        run.json()
    }

    /// A registered, then B referencing it.
    fn register_both(&self) {
        assert_eq!(self.ok(&["register", "a-value", "a.avsc"])["id"], 1);
        let b = self.ok(&[
            "register",
            "b-value",
            "b.avsc",
            "--reference",
            "A=a-value:1",
        ]);
        assert_eq!(b["id"], 2);
    }
}

#[test]
fn registered_schemas_are_listed_and_read_back() {
    let server = Server::start();
    let admin = Admin::new(&server);
    admin.register_both();
    assert_eq!(
        admin.ok(&["subjects"]),
        serde_json::json!(["a-value", "b-value"])
    );
    assert_eq!(admin.ok(&["versions", "b-value"]), serde_json::json!([1]));
    let b = admin.ok(&["get", "b-value"]);
    assert_eq!((&b["version"], &b["id"]), (&1.into(), &2.into()));
    assert_eq!(b["references"][0]["subject"], "a-value");
    assert_eq!(admin.ok(&["get-id", "1"])["schema"], A);
}

#[test]
fn compat_exits_1_with_the_registrys_reasons() {
    let server = Server::start();
    let admin = Admin::new(&server);
    admin.register_both();
    let same = admin.run(&["compat", "a-value", "a.avsc"]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
    assert_eq!(same.json()["is_compatible"], true);
    let breaking = admin.run(&["compat", "a-value", "a2.avsc", "--version", "1"]);
    assert_eq!(breaking.code, 1, "{}{}", breaking.stdout, breaking.stderr);
    let answer = breaking.json();
    assert_eq!(answer["is_compatible"], false);
    assert!(
        answer["messages"][0]
            .as_str()
            .is_some_and(|m| m.contains("READER_FIELD_MISSING_DEFAULT_VALUE")),
        "{answer}"
    );
}

#[test]
fn config_and_mode_are_read_and_set() {
    let server = Server::start();
    let admin = Admin::new(&server);
    admin.register_both();
    assert_eq!(
        admin.ok(&["config", "a-value", "--set", "FULL"]),
        serde_json::json!({"compatibility": "FULL"})
    );
    assert_eq!(
        admin.ok(&["config", "a-value"])["compatibilityLevel"],
        "FULL"
    );
    assert_eq!(admin.ok(&["config"])["compatibilityLevel"], "BACKWARD");
    assert_eq!(admin.ok(&["mode", "--set", "READONLY"])["mode"], "READONLY");
    assert_eq!(admin.ok(&["mode"])["mode"], "READONLY");
    // The registry refuses the write: its answer and code, exit 2.
    let refused = admin.run(&["register", "a-value", "a2.avsc"]);
    assert_eq!(refused.code, 2, "{}{}", refused.stdout, refused.stderr);
    assert_eq!(refused.json()["error_code"], 42205);
    assert!(refused.stderr.contains("42205"), "{}", refused.stderr);
}

#[test]
fn a_refusal_prints_the_registrys_error_and_exits_2() {
    let server = Server::start();
    let run = Admin::new(&server).run(&["get", "missing-value"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.json()["error_code"], 40401);
    assert!(run.stderr.contains("40401"), "{}", run.stderr);
}

#[test]
fn a_missing_url_is_a_usage_error_and_no_registry_exits_3() {
    let project = Project::empty();
    let without = project.treaty(&["registry", "subjects"]);
    assert_eq!(without.code, 2, "{}{}", without.stdout, without.stderr);
    assert!(without.stderr.contains("--url"), "{}", without.stderr);
    let unreachable = project.treaty_with_env(
        &["registry", "subjects"],
        &[("TREATY_REGISTRY_URL", "http://127.0.0.1:9")],
    );
    assert_eq!(
        unreachable.code, 3,
        "{}{}",
        unreachable.stdout, unreachable.stderr
    );
}

#[test]
fn credentials_are_the_same_flags_and_environment_as_breakings() {
    let credentials = format!(
        "{}/tests/fixtures/auth/credentials.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let server = Server::start_with(&["--auth-file", &credentials]);
    let admin = Admin::new(&server);
    let anonymous = admin.run(&["subjects"]);
    assert_eq!(
        anonymous.code, 3,
        "{}{}",
        anonymous.stdout, anonymous.stderr
    );
    admin.ok(&["subjects", "--registry-user", "admin:admin-pass"]);
    let args = [
        "registry",
        "--url",
        &server.base,
        "register",
        "orders-value",
        "a.avsc",
    ];
    let bearer = admin
        .project
        .treaty_with_env(&args, &[("TREATY_REGISTRY_TOKEN", "ci-token-0123456789")]);
    assert_eq!(bearer.code, 0, "{}{}", bearer.stdout, bearer.stderr);
}

#[test]
fn a_referenced_subject_is_not_deleted() {
    let server = Server::start();
    let admin = Admin::new(&server);
    admin.register_both();
    let refused = admin.run(&["delete", "a-value", "--permanent"]);
    assert_eq!(refused.code, 2, "{}{}", refused.stdout, refused.stderr);
    assert!(refused.stderr.contains("referenced"), "{}", refused.stderr);
    assert_eq!(admin.ok(&["versions", "a-value"]), serde_json::json!([1]));
}

#[test]
fn permanent_delete_is_soft_then_hard_and_dry_run_deletes_nothing() {
    let server = Server::start();
    let admin = Admin::new(&server);
    admin.register_both();
    let plan = admin.ok(&["delete", "b-value", "--permanent", "--dry-run"]);
    assert_eq!(plan["versions"], serde_json::json!([1]));
    assert_eq!(plan["permanent"], true);
    assert_eq!(admin.ok(&["versions", "b-value"]), serde_json::json!([1]));
    assert_eq!(
        admin.ok(&["delete", "b-value", "--permanent"]),
        serde_json::json!([1])
    );
    // Gone for good: not even among the soft-deleted.
    let gone = admin.run(&["versions", "b-value", "--deleted"]);
    assert_eq!(gone.code, 2, "{}{}", gone.stdout, gone.stderr);
    assert_eq!(gone.json()["error_code"], 40401);
    // Nothing references A now; a soft delete keeps it readable by id.
    assert_eq!(admin.ok(&["delete", "a-value", "1"]), serde_json::json!(1));
    assert_eq!(
        admin.ok(&["versions", "a-value", "--deleted"]),
        serde_json::json!([1])
    );
    assert_eq!(admin.ok(&["get-id", "1"])["schema"], A);
    // A permanent delete of what is soft-deleted already.
    assert_eq!(
        admin.ok(&["delete", "a-value", "--permanent"]),
        serde_json::json!([1])
    );
}
