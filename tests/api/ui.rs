//! The web UI's files at `/ui/` and its JSON endpoints under `/ui/api/`.

use serde_json::{json, Value};

use crate::server::{record, Server};

fn header(server: &Server, path: &str, name: &str) -> (u16, String) {
    let response = match ureq::get(&format!("{}{path}", server.base)).call() {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("GET {path}: {error}"),
    };
    (
        response.status(),
        response.header(name).unwrap_or("").to_owned(),
    )
}

#[test]
fn ui_page_and_files_are_served_under_a_same_origin_content_security_policy() {
    let server = Server::start();
    for path in ["/ui", "/ui/", "/ui/app.js", "/ui/style.css"] {
        let (status, policy) = header(&server, path, "Content-Security-Policy");
        assert_eq!(status, 200, "{path}");
        assert!(policy.starts_with("default-src 'self'"), "{path}: {policy}");
    }
    let page = server.get("/ui/");
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    let html = page.body.as_str().expect("html text");
    // Every script comes from a file: the policy forbids inline ones.
    assert!(html.contains(r#"<script type="module" src="/ui/app.js"></script>"#));
    assert!(!html.contains("<script>") && !html.contains("style="));
    let script = server.get("/ui/app.js");
    assert!(
        script.content_type.starts_with("text/javascript"),
        "{}",
        script.content_type
    );
    let missing = server.get("/ui/missing.js");
    assert_eq!((missing.status, missing.code()), (404, 404));
}

#[test]
fn no_ui_turns_off_the_page_and_its_endpoints() {
    let server = Server::start_with(&["--no-ui"]);
    for path in ["/ui", "/ui/app.js", "/ui/api/subjects"] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    assert_eq!(server.get("/subjects").status, 200);
}

fn names(page: &Value) -> Vec<&str> {
    page["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .map(|s| s["subject"].as_str().expect("name"))
        .collect()
}

fn listing(server: &Server, query: &str) -> Value {
    let reply = server.get(&format!("/ui/api/subjects?{query}"));
    assert_eq!(reply.status, 200, "{query}: {:?}", reply.body);
    reply.body
}

#[test]
fn subjects_listing_pages_and_counts_every_match() {
    let server = Server::start();
    for n in 0..7 {
        server.register(&format!("s{n}"), &record("R", &[("a", "int")]));
    }
    let page = listing(&server, "offset=2&limit=3");
    assert_eq!(page["total"], 7);
    assert_eq!(names(&page), ["s2", "s3", "s4"]);
    let last = listing(&server, "offset=6&limit=3");
    assert_eq!(names(&last), ["s6"]);
    let backwards = listing(&server, "order=desc&limit=2");
    assert_eq!(names(&backwards), ["s6", "s5"]);
    let first = &page["subjects"][0];
    assert_eq!(first["schemaType"], "AVRO");
    assert_eq!(first["latestVersion"], 1);
    assert_eq!(first["context"], ".");
    assert_eq!(
        first["compatibility"],
        json!({"value": "BACKWARD", "source": "default"})
    );
    assert_eq!(
        first["mode"],
        json!({"value": "READWRITE", "source": "default"})
    );
}

#[test]
fn subjects_listing_filters_by_name_type_context_level_mode_and_deletion() {
    let server = Server::start();
    server.register("orders-value", &record("O", &[("a", "int")]));
    server.register("Orders-key", &record("K", &[("k", "string")]));
    server.register("payments", &record("P", &[("p", "int")]));
    server.register(":.staging:orders-value", &record("S", &[("a", "int")]));
    let proto = json!({"schemaType": "PROTOBUF", "schema": "syntax = \"proto3\"; message M { int32 a = 1; }"});
    assert_eq!(
        server
            .post("/subjects/proto/versions", &proto.to_string())
            .status,
        200
    );
    server.put("/config/payments", r#"{"compatibility":"FULL"}"#);
    server.put("/mode/Orders-key", r#"{"mode":"READONLY"}"#);
    assert_eq!(server.delete("/subjects/payments").status, 200);

    assert_eq!(
        names(&listing(&server, "name=ORDERS")),
        [":.staging:orders-value", "Orders-key", "orders-value"]
    );
    assert_eq!(names(&listing(&server, "type=PROTOBUF")), ["proto"]);
    assert_eq!(
        names(&listing(&server, "context=.staging")),
        [":.staging:orders-value"]
    );
    assert_eq!(names(&listing(&server, "mode=READONLY")), ["Orders-key"]);
    // Soft-deleted subjects are hidden unless asked for.
    assert_eq!(names(&listing(&server, "level=FULL")), Vec::<&str>::new());
    let deleted = listing(&server, "deleted=only");
    assert_eq!(names(&deleted), ["payments"]);
    assert_eq!(deleted["subjects"][0]["deleted"], true);
    assert_eq!(
        deleted["subjects"][0]["compatibility"],
        json!({"value": "FULL", "source": "subject"})
    );
    assert_eq!(
        names(&listing(&server, "level=FULL&deleted=included")),
        ["payments"]
    );
    assert_eq!(listing(&server, "deleted=included")["total"], 5);
}

#[test]
fn subjects_listing_refuses_unknown_filter_values() {
    let server = Server::start();
    for query in [
        "type=XML",
        "level=SIDEWAYS",
        "mode=OFF",
        "deleted=maybe",
        "sort=size",
        "limit=0",
        "limit=501",
        "offset=-1",
    ] {
        let reply = server.get(&format!("/ui/api/subjects?{query}"));
        assert_eq!(
            (reply.status, reply.code()),
            (422, 422),
            "{query}: {:?}",
            reply.body
        );
    }
}

#[test]
fn settings_say_where_the_level_and_mode_come_from() {
    let server = Server::start();
    server.register("a", &record("A", &[("a", "int")]));
    server.register(":.ctx:b", &record("B", &[("b", "int")]));
    let settings = |subject: &str| {
        server
            .get(&format!("/ui/api/subjects/{subject}/settings"))
            .body
    };
    let initial = settings("a");
    assert_eq!(
        initial["compatibility"],
        json!({"value": "BACKWARD", "source": "default"})
    );
    assert_eq!(
        initial["mode"],
        json!({"value": "READWRITE", "source": "default"})
    );
    assert_eq!(
        initial["allowed"],
        json!({"write": true, "delete": true, "alterConfigs": true})
    );
    server.put("/config", r#"{"compatibility":"FORWARD"}"#);
    server.put("/mode/:.ctx:", r#"{"mode":"READONLY"}"#);
    assert_eq!(
        settings("a")["compatibility"],
        json!({"value": "FORWARD", "source": "global"})
    );
    assert_eq!(
        settings(":.ctx:b")["mode"],
        json!({"value": "READONLY", "source": "context"})
    );
    server.put("/config/a", r#"{"compatibility":"NONE"}"#);
    assert_eq!(
        settings("a")["compatibility"],
        json!({"value": "NONE", "source": "subject"})
    );
}

/// Version 1 {a, b}; version 2 drops `a` (old readers miss it: breaks
/// forward) and adds `c` without a default (new readers miss it on old
/// data: breaks backward).
fn two_versions(server: &Server, level: &str) {
    server.put("/config/s", r#"{"compatibility":"NONE"}"#);
    server.register("s", &record("R", &[("a", "int"), ("b", "int")]));
    server.register("s", &record("R", &[("b", "int"), ("c", "string")]));
    server.put("/config/s", &json!({"compatibility": level}).to_string());
}

/// The one change found in `direction`.
fn change<'a>(comparison: &'a Value, direction: &str) -> &'a Value {
    let mut found = comparison["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["direction"] == direction);
    let change = found
        .next()
        .unwrap_or_else(|| panic!("no {direction} change in {comparison}"));
    assert!(found.next().is_none(), "{comparison}");
    change
}

#[test]
fn compare_marks_each_change_breaking_or_not_under_the_subjects_level() {
    let server = Server::start();
    two_versions(&server, "BACKWARD");
    let reply = server.get("/ui/api/subjects/s/compare?old=1&new=2");
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let comparison = reply.body;
    assert_eq!(
        comparison["compatibility"],
        json!({"value": "BACKWARD", "source": "subject"})
    );
    assert_eq!(
        (
            comparison["old"]["version"].clone(),
            comparison["new"]["version"].clone()
        ),
        (json!(1), json!(2))
    );
    assert_eq!(comparison["compatible"], false);
    let added = change(&comparison, "backward");
    assert_eq!(added["rule"], "READER_FIELD_MISSING_DEFAULT_VALUE");
    assert_eq!(added["new_path"], "/fields/1");
    assert_eq!(added["breaking"], true);
    let dropped = change(&comparison, "forward");
    assert_eq!(dropped["old_path"], "/fields/0");
    assert_eq!(dropped["breaking"], false);
    let rules: Vec<(&str, &str, bool)> = comparison["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["rule"].as_str().unwrap(),
                c["direction"].as_str().unwrap(),
                c["breaking"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        rules.contains(&("READER_FIELD_MISSING_DEFAULT_VALUE", "backward", true)),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("READER_FIELD_MISSING_DEFAULT_VALUE", "forward", false)),
        "{rules:?}"
    );

    server.put("/config/s", r#"{"compatibility":"FULL"}"#);
    let full = server.get("/ui/api/subjects/s/compare?old=1&new=2").body;
    assert!(
        full["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["breaking"] == true),
        "{full}"
    );
    server.put("/config/s", r#"{"compatibility":"NONE"}"#);
    let none = server.get("/ui/api/subjects/s/compare?old=1&new=2").body;
    assert_eq!(none["compatible"], true);
    assert_eq!(
        none["changes"].as_array().unwrap().len(),
        full["changes"].as_array().unwrap().len()
    );
}

#[test]
fn compare_defaults_to_the_latest_version_and_the_one_before() {
    let server = Server::start();
    two_versions(&server, "BACKWARD");
    let comparison = server.get("/ui/api/subjects/s/compare").body;
    assert_eq!(comparison["old"]["version"], 1);
    assert_eq!(comparison["new"]["version"], 2);
    let same = server.get("/ui/api/subjects/s/compare?old=2&new=2").body;
    assert_eq!(same["changes"], json!([]));
    assert_eq!(same["compatible"], true);
}

#[test]
fn compare_of_a_missing_subject_or_version_is_confluents_not_found() {
    let server = Server::start();
    two_versions(&server, "BACKWARD");
    let version = server.get("/ui/api/subjects/s/compare?old=9&new=2");
    assert_eq!((version.status, version.code()), (404, 40402));
    let subject = server.get("/ui/api/subjects/nobody/compare");
    assert_eq!((subject.status, subject.code()), (404, 40401));
    let invalid = server.get("/ui/api/subjects/s/compare?old=zero");
    assert_eq!((invalid.status, invalid.code()), (422, 42202));
}

#[test]
fn normalized_answers_the_text_normalize_would_store_or_why_there_is_none() {
    let server = Server::start();
    let unsorted = json!({"schemaType": "JSON", "schema": r#"{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"integer"}}}"#});
    assert_eq!(
        server
            .post("/subjects/j/versions", &unsorted.to_string())
            .status,
        200
    );
    assert_eq!(server.delete("/subjects/j/versions/1").status, 200);
    // Soft-deleted versions are found, as the subject page shows them.
    let reply = server.get("/ui/api/subjects/j/versions/1/normalized");
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(
        reply.body["schema"],
        r#"{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}"#
    );
    assert_eq!(reply.body["problem"], Value::Null);
    assert_eq!(
        (
            reply.body["version"].clone(),
            reply.body["schemaType"].clone()
        ),
        (json!(1), json!("JSON"))
    );

    // Stored without normalising, an Avro default that does not fit its
    // type is kept; normalising refuses it.
    let misfit = json!({"schema": r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}"#});
    assert_eq!(
        server
            .post("/subjects/a/versions", &misfit.to_string())
            .status,
        200
    );
    let refused = server
        .get("/ui/api/subjects/a/versions/latest/normalized")
        .body;
    assert_eq!(refused["schema"], Value::Null);
    assert!(
        refused["problem"]
            .as_str()
            .is_some_and(|p| p.contains("default")),
        "{refused}"
    );

    let missing = server.get("/ui/api/subjects/j/versions/7/normalized");
    assert_eq!((missing.status, missing.code()), (404, 40402));
    let invalid = server.get("/ui/api/subjects/j/versions/zero/normalized");
    assert_eq!((invalid.status, invalid.code()), (422, 42202));
}

#[test]
fn session_tells_the_global_mode() {
    let server = Server::start();
    assert_eq!(server.get("/ui/api/session").body["mode"], "READWRITE");
    server.put("/mode", r#"{"mode":"READONLY"}"#);
    let session = server.get("/ui/api/session").body;
    assert_eq!(session["mode"], "READONLY");
    assert_eq!(session["principal"], Value::Null);
}

#[test]
fn a_principal_sees_only_its_subjects_and_what_it_may_do_to_them() {
    use crate::auth::{call, login};
    let server = crate::auth::start();
    let admin = login("admin");
    for subject in ["orders-a", "payments"] {
        let body = json!({"schema": record("R", &[("a", "int")])}).to_string();
        let path = format!("/subjects/{subject}/versions");
        assert_eq!(
            call(&server, "POST", &path, Some(&body), &admin).status,
            200
        );
    }
    let reader = login("reader");
    let listing = call(&server, "GET", "/ui/api/subjects", None, &reader).body;
    assert_eq!(names(&listing), ["orders-a"]);
    assert_eq!(listing["total"], 1);
    let settings = call(
        &server,
        "GET",
        "/ui/api/subjects/orders-a/settings",
        None,
        &reader,
    );
    assert_eq!(
        settings.body["allowed"],
        json!({"write": false, "delete": false, "alterConfigs": false})
    );
    let refused = call(
        &server,
        "GET",
        "/ui/api/subjects/payments/compare",
        None,
        &reader,
    );
    assert_eq!(refused.status, 403);
    let session = call(&server, "GET", "/ui/api/session", None, &reader).body;
    assert_eq!(
        (
            session["principal"].as_str(),
            session["writesSomewhere"].as_bool()
        ),
        (Some("reader"), Some(false))
    );
    let writer = call(&server, "GET", "/ui/api/session", None, &login("writer")).body;
    assert_eq!(writer["writesSomewhere"], true);
    assert_eq!(writer["allowed"]["write"], false);
    // The page itself needs no credentials: it holds no data.
    assert_eq!(server.get("/ui/").status, 200);
    assert_eq!(server.get("/ui/api/subjects").status, 401);
}
