use serde_json::json;

use crate::server::Server;

#[test]
fn permanent_delete_only_after_soft_delete() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let early = server.delete("/subjects/s?permanent=true");
    assert_eq!((early.status, early.code()), (404, 40405));
    assert_eq!(
        early.message(),
        "Subject 's' was not deleted first before being permanently deleted"
    );
    assert_eq!(server.delete("/subjects/s").body, json!([1]));
    let again = server.delete("/subjects/s");
    assert_eq!(
        (again.code(), again.message()),
        (
            40404,
            "Subject 's' was soft deleted.Set permanent=true to delete permanently"
        )
    );
    assert_eq!(server.delete("/subjects/s?permanent=true").body, json!([1]));
    assert_eq!(server.delete("/subjects/s").code(), 40401);
    assert_eq!(server.get("/subjects?deleted=true").body, json!([]));
}

#[test]
fn version_delete_rules() {
    let server = Server::start();
    server.register("s", "\"string\"");
    server.register("s", "\"bytes\"");
    let early = server.delete("/subjects/s/versions/1?permanent=true");
    assert_eq!(
        (early.code(), early.message()),
        (
            40407,
            "Subject 's' Version 1 was not deleted first before being permanently deleted"
        )
    );
    assert_eq!(server.delete("/subjects/s/versions/1").body, json!(1));
    let again = server.delete("/subjects/s/versions/1");
    assert_eq!(
        (again.code(), again.message()),
        (
            40406,
            "Subject 's' Version 1 was soft deleted.Set permanent=true to delete permanently"
        )
    );
    assert_eq!(
        server.delete("/subjects/s/versions/1?permanent=true").body,
        json!(1)
    );
    assert_eq!(server.delete("/subjects/s/versions/1").code(), 40402);
    assert_eq!(server.delete("/subjects/s/versions/latest").body, json!(2));
    assert_eq!(server.delete("/subjects/s/versions/latest").code(), 40402);
    assert_eq!(server.delete("/subjects/nope/versions/1").code(), 40401);
}

#[test]
fn soft_deleted_schema_still_resolves_by_id_until_hard_deleted() {
    let server = Server::start();
    let id = server.register("s", "\"string\"");
    server.delete("/subjects/s");
    assert_eq!(server.get(&format!("/schemas/ids/{id}")).status, 200);
    server.delete("/subjects/s?permanent=true");
    let gone = server.get(&format!("/schemas/ids/{id}"));
    assert_eq!(
        (gone.status, gone.code(), gone.message()),
        (404, 40403, format!("Schema {id} not found").as_str())
    );
}

#[test]
fn ids_are_not_reused_after_hard_delete() {
    let server = Server::start();
    let first = server.register("s", "\"string\"");
    server.delete("/subjects/s");
    server.delete("/subjects/s?permanent=true");
    let again = server.register("s", "\"string\"");
    assert!(again > first, "{again} after {first}");
    assert_eq!(
        server.get("/subjects/s/versions").body,
        json!([1]),
        "numbering restarts"
    );
}

#[test]
fn versions_continue_after_soft_delete_and_reregistration_keeps_the_id() {
    let server = Server::start();
    let id = server.register("s", "\"string\"");
    server.register("s", "\"bytes\"");
    server.delete("/subjects/s");
    let again = server.register("s", "\"string\"");
    assert_eq!(again, id);
    assert_eq!(server.get("/subjects/s/versions").body, json!([3]));
    assert_eq!(
        server.get("/subjects/s/versions?deleted=true").body,
        json!([2, 3]),
        "the soft-deleted copy of the id is purged"
    );
}

#[test]
fn soft_deleted_versions_are_not_checked_for_compatibility() {
    let server = Server::start();
    server.register(
        "s",
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#,
    );
    server.delete("/subjects/s/versions/1");
    let incompatible = r#"{"type":"record","name":"R","fields":[{"name":"b","type":"string"}]}"#;
    let reply = server.post(
        "/subjects/s/versions",
        &json!({"schema": incompatible}).to_string(),
    );
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(server.get("/subjects/s/versions").body, json!([2]));
}

#[test]
fn hard_deleting_a_subject_removes_its_config_and_mode() {
    let server = Server::start();
    server.register("s", "\"string\"");
    server.put("/config/s", r#"{"compatibility":"NONE"}"#);
    server.put("/mode/s", r#"{"mode":"READWRITE"}"#);
    server.delete("/subjects/s");
    assert_eq!(
        server.get("/config/s").status,
        200,
        "config survives a soft delete"
    );
    server.delete("/subjects/s?permanent=true");
    assert_eq!(server.get("/config/s").code(), 40408);
    assert_eq!(server.get("/mode/s").code(), 40409);
}

const BASE: &str = r#"{"type":"record","name":"Base","fields":[{"name":"a","type":"string"}]}"#;
const MID: &str = r#"{"type":"record","name":"Mid","fields":[{"name":"base","type":"Base"}]}"#;
const TOP: &str = r#"{"type":"record","name":"Top","fields":[{"name":"mid","type":"Mid"}]}"#;

/// `base` ← `mid` ← `top`, each at version 1; answers their ids.
fn register_chain(server: &Server) -> (i64, i64, i64) {
    let base = server.register("base", BASE);
    let with_reference = |subject: &str, schema: &str, name: &str, target: &str| {
        let body = json!({
            "schema": schema,
            "references": [{"name": name, "subject": target, "version": 1}],
        });
        let reply = server.post(&format!("/subjects/{subject}/versions"), &body.to_string());
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply.body["id"].as_i64().unwrap()
    };
    let mid = with_reference("mid", MID, "Base", "base");
    let top = with_reference("top", TOP, "Mid", "mid");
    (base, mid, top)
}

/// Everything a client can list: every subject's versions, deleted too.
fn everything(server: &Server) -> Vec<serde_json::Value> {
    let subjects = server.get("/subjects?deleted=true").body;
    let mut seen = vec![subjects.clone()];
    for subject in subjects.as_array().unwrap() {
        let subject = subject.as_str().unwrap();
        seen.push(
            server
                .get(&format!("/subjects/{subject}/versions?deleted=true"))
                .body,
        );
    }
    seen
}

#[test]
fn a_dry_run_changes_nothing_and_lists_referrers_transitively() {
    let server = Server::start();
    let (base, mid, top) = register_chain(&server);
    assert_eq!(server.delete("/subjects/top").body, json!([1]));
    assert_eq!(server.delete("/subjects/mid").body, json!([1]));
    let before = everything(&server);

    let preview = server.delete("/subjects/base?dryRun=true");
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    assert_eq!(
        preview.body,
        json!({
            "dryRun": true,
            "result": [1],
            "versions": [{
                "subject": "base", "version": 1, "id": base, "deletion": "soft",
                "idStillServed": true, "idAlsoHeldBy": [],
            }],
            "referencedBy": [
                {"subject": "mid", "version": 1, "id": mid, "deleted": true,
                 "references": {"subject": "base", "version": 1}},
                {"subject": "top", "version": 1, "id": top, "deleted": true,
                 "references": {"subject": "mid", "version": 1}},
            ],
        })
    );
    assert_eq!(everything(&server), before, "a dry run deletes nothing");
    assert_eq!(server.delete("/subjects/base").body, preview.body["result"]);
}

#[test]
fn a_dry_run_refuses_what_the_real_call_refuses() {
    let server = Server::start();
    register_chain(&server);
    server.register("live", "\"string\"");
    let refused = [
        "/subjects/base",
        "/subjects/base/versions/1",
        "/subjects/live?permanent=true",
        "/subjects/live/versions/1?permanent=true",
        "/subjects/live/versions/7",
        "/subjects/nope",
        "/subjects/base?permanent=true&soft=true",
    ];
    for path in refused {
        let separator = if path.contains('?') { '&' } else { '?' };
        let dry = server.delete(&format!("{path}{separator}dryRun=true"));
        let real = server.delete(path);
        assert!(real.status >= 400, "{path}: {:?}", real.body);
        assert_eq!((dry.status, &dry.body), (real.status, &real.body), "{path}");
    }
    assert_eq!(server.delete("/subjects/live/versions/1").body, json!(1));
    let again = "/subjects/live/versions/1";
    let dry = server.delete(&format!("{again}?dryRun=true"));
    assert_eq!((dry.status, dry.code()), (404, 40406));
    assert_eq!(dry.body, server.delete(again).body);

    let put = server.put("/mode/top", r#"{"mode": "READONLY"}"#);
    assert_eq!(put.status, 200, "{:?}", put.body);
    let dry = server.delete("/subjects/top?dryRun=true");
    let real = server.delete("/subjects/top");
    assert_eq!(real.code(), 42205, "{:?}", real.body);
    assert_eq!((dry.status, dry.body), (real.status, real.body));
}

#[test]
fn a_dry_run_tells_whether_an_id_outlives_a_permanent_delete() {
    let server = Server::start();
    let id = server.register("first", "\"string\"");
    assert_eq!(server.register("second", "\"string\""), id);
    let only_first =
        server.delete("/subjects/first/versions/1?permanent=true&soft=true&dryRun=true");
    assert_eq!(only_first.body["result"], json!(1));
    assert_eq!(
        only_first.body["versions"],
        json!([{
            "subject": "first", "version": 1, "id": id, "deletion": "permanent",
            "idStillServed": true,
            "idAlsoHeldBy": [{"subject": "second", "version": 1}],
        }])
    );
    assert_eq!(server.delete("/subjects/second").body, json!([1]));
    let both = server.delete("/subjects/second?permanent=true&dryRun=true");
    assert_eq!(both.body["versions"][0]["idStillServed"], json!(true));
    assert_eq!(server.delete("/subjects/first").body, json!([1]));
    let soft_holder = server.delete("/subjects/second?permanent=true&dryRun=true");
    assert_eq!(
        soft_holder.body["versions"][0]["idAlsoHeldBy"],
        json!([{"subject": "first", "version": 1}]),
        "a soft-deleted holder still serves the id"
    );
    assert_eq!(
        soft_holder.body["versions"][0]["idStillServed"],
        json!(true)
    );
    assert_eq!(
        server.delete("/subjects/first?permanent=true").body,
        json!([1])
    );
    let last = server.delete("/subjects/second?permanent=true&dryRun=true");
    assert_eq!(last.body["versions"][0]["idStillServed"], json!(false));
    assert_eq!(last.body["versions"][0]["idAlsoHeldBy"], json!([]));
    assert_eq!(server.get(&format!("/schemas/ids/{id}")).status, 200);
}

#[test]
fn a_dry_run_names_subjects_in_their_context() {
    let server = Server::start();
    server.register(":.staging:s", "\"string\"");
    let preview = server.delete("/contexts/.staging/subjects/s?dryRun=true");
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    assert_eq!(preview.body["versions"][0]["subject"], json!(":.staging:s"));
    assert_eq!(
        server.get("/subjects/:.staging:s/versions").body,
        json!([1])
    );
}

#[test]
fn soft_and_permanent_delete_in_one_call() {
    let server = Server::start();
    server.register("s", "\"string\"");
    let id = server.register("s", "\"bytes\"");
    server.register("t", "\"int\"");
    assert_eq!(
        server.delete("/subjects/s?permanent=true&soft=true").body,
        json!([1, 2])
    );
    assert_eq!(server.get("/subjects?deleted=true").body, json!(["t"]));
    assert_eq!(server.get(&format!("/schemas/ids/{id}")).code(), 40403);
    assert_eq!(
        server
            .delete("/subjects/t/versions/1?soft=true&permanent=true")
            .body,
        json!(1)
    );
    assert_eq!(server.get("/subjects?deleted=true").body, json!([]));
    let early = server.delete("/subjects/t?permanent=true");
    assert_eq!(early.code(), 40401, "{:?}", early.body);

    server.register("u", "\"long\"");
    assert_eq!(server.delete("/subjects/u").body, json!([1]));
    assert_eq!(
        server.delete("/subjects/u?permanent=true&soft=true").body,
        json!([1]),
        "a soft-deleted subject just goes"
    );
    assert_eq!(
        server.get("/subjects/u/versions?deleted=true").code(),
        40401
    );
}
