//! What a principal with limited grants may read (issue 20): reads through
//! an unqualified name are checked on the subject actually served,
//! references need read on what they name, and listings and schema ids show
//! only what the principal may read. Principals as in
//! `tests/fixtures/auth/README.md`: `reader` reads `orders-`, `writer`
//! writes `orders-`, `orders-admin` administers `orders-` (and writes
//! `:.staging:`), `admin` administers everything.

use serde_json::{json, Value};

use crate::auth::{assert_denied, call, login, register, schema_body, start};
use crate::server::{record, Reply, Server};

fn avro(name: &str) -> String {
    json!({ "schema": record(name, &[("id", "long")]) }).to_string()
}

fn register_as(server: &Server, subject: &str, body: &str, auth: &str) -> Reply {
    let path = format!("/subjects/{subject}/versions");
    call(server, "POST", &path, Some(body), auth)
}

/// `orders-value` in the default context (version 1) and in `.staging`
/// (versions 1 and 2); `orders-secret` only in `.prod`.
fn contexts_with_the_same_names() -> Server {
    let server = start();
    let admin = login("admin");
    for (subject, body) in [
        ("orders-value", avro("Order")),
        (":.staging:orders-value", avro("Order")),
        (":.staging:orders-value", avro("OrderV2")),
        (":.prod:orders-secret", avro("Secret")),
    ] {
        let path = format!("/subjects/{subject}/versions");
        let config = format!("/config/{subject}");
        call(
            &server,
            "PUT",
            &config,
            Some(r#"{"compatibility":"NONE"}"#),
            &admin,
        );
        let reply = call(&server, "POST", &path, Some(&body), &admin);
        assert_eq!(reply.status, 200, "{subject}: {:?}", reply.body);
    }
    server
}

#[test]
fn a_read_through_an_unqualified_name_is_checked_on_the_subject_served() {
    let server = contexts_with_the_same_names();
    let reader = login("reader");
    for path in [
        "/subjects/orders-secret/versions/latest",
        "/subjects/orders-secret/versions/latest/schema",
        "/subjects/:.prod:orders-secret/versions/latest",
    ] {
        let reply = call(&server, "GET", path, None, &reader);
        assert_denied(&reply, "Read", "Subject: :.prod:orders-secret");
    }
    assert_denied(
        &call(
            &server,
            "GET",
            "/subjects/orders-value/versions/2",
            None,
            &reader,
        ),
        "Read",
        "Subject: :.staging:orders-value",
    );
    assert_denied(
        &call(
            &server,
            "POST",
            "/subjects/orders-secret",
            Some(&avro("Secret")),
            &reader,
        ),
        "Read",
        "Subject: :.prod:orders-secret",
    );
    let own = call(
        &server,
        "GET",
        "/subjects/orders-value/versions/1",
        None,
        &reader,
    );
    assert_eq!(
        (own.status, own.body["subject"].clone()),
        (200, json!("orders-value"))
    );
}

#[test]
fn routes_without_the_context_fallback_do_not_serve_another_context() {
    let server = contexts_with_the_same_names();
    let reader = login("reader");
    for path in [
        "/subjects/orders-secret/metadata",
        "/subjects/orders-secret/versions/1/referencedby",
    ] {
        let reply = call(&server, "GET", path, None, &reader);
        assert_eq!((reply.status, reply.code()), (404, 40401), "{path}");
    }
    let check = call(
        &server,
        "POST",
        "/compatibility/subjects/orders-secret/versions?verbose=true",
        Some(&avro("Unrelated")),
        &login("writer"),
    );
    assert_eq!(check.body, json!({"is_compatible": true, "messages": []}));
}

#[test]
fn the_fallback_to_other_contexts_still_serves_a_principal_who_may_read_it() {
    let server = contexts_with_the_same_names();
    let admin = login("admin");
    let served = call(
        &server,
        "GET",
        "/subjects/orders-secret/versions/latest",
        None,
        &admin,
    );
    assert_eq!(
        (served.status, served.body["subject"].clone()),
        (200, json!(":.prod:orders-secret"))
    );
    let second = call(
        &server,
        "GET",
        "/subjects/orders-value/versions/2",
        None,
        &admin,
    );
    assert_eq!(second.body["subject"], json!(":.staging:orders-value"));
    let lookup = call(
        &server,
        "POST",
        "/subjects/orders-secret",
        Some(&avro("Secret")),
        &admin,
    );
    assert_eq!(lookup.body["subject"], json!(":.prod:orders-secret"));
}

/// A record `record` whose field is of type `name`, defined by version 1
/// of `subject`.
fn with_reference(record: &str, name: &str, subject: &str) -> String {
    let schema = json!({"type": "record", "name": record, "fields": [{"name": "p", "type": name}]});
    json!({
        "schema": schema.to_string(),
        "references": [{"name": name, "subject": subject, "version": 1}],
    })
    .to_string()
}

#[test]
fn references_need_read_on_every_subject_they_name() {
    let server = contexts_with_the_same_names();
    let admin = login("admin");
    for subject in ["payments-value", ":.prod:payments-value", "orders-base"] {
        assert_eq!(
            register_as(&server, subject, &avro("Payment"), &admin).status,
            200
        );
    }
    let writer = login("writer");
    for (subject, resource) in [
        ("payments-value", "Subject: payments-value"),
        (":.prod:payments-value", "Subject: :.prod:payments-value"),
        ("payments-missing", "Subject: payments-missing"),
    ] {
        let body = with_reference("RefA", "Payment", subject);
        assert_denied(
            &register_as(&server, "orders-ref", &body, &writer),
            "Read",
            resource,
        );
        let check = call(
            &server,
            "POST",
            "/compatibility/subjects/orders-ref/versions",
            Some(&body),
            &writer,
        );
        assert_denied(&check, "Read", resource);
        let lookup = call(
            &server,
            "POST",
            "/subjects/orders-value",
            Some(&body),
            &login("reader"),
        );
        assert_denied(&lookup, "Read", resource);
    }
    let allowed = register_as(
        &server,
        "orders-ref",
        &with_reference("RefA", "Payment", "orders-base"),
        &writer,
    );
    assert_eq!(allowed.status, 200, "{:?}", allowed.body);
    let deleted = call(&server, "DELETE", "/subjects/payments-value", None, &admin);
    assert_eq!((deleted.status, deleted.body), (200, json!([1])));
}

/// `orders-value` and `payments-value` share id 1; `payments-only` has
/// id 2; `.prod` and `.staging` have their own.
fn subjects_of_two_teams() -> Server {
    let server = contexts_with_the_same_names();
    let admin = login("admin");
    register_as(&server, "payments-value", &avro("Order"), &admin);
    register_as(&server, "payments-only", &avro("Payment"), &admin);
    server
}

fn body_of(server: &Server, path: &str, auth: &str) -> Value {
    let reply = call(server, "GET", path, None, auth);
    assert_eq!(reply.status, 200, "{path}: {:?}", reply.body);
    reply.body
}

#[test]
fn subject_listings_show_only_what_the_principal_may_read() {
    let server = subjects_of_two_teams();
    let reader = login("reader");
    for path in [
        "/subjects",
        "/subjects?subjectPrefix=:*:",
        "/subjects?deleted=true",
        "/subjects?subjectPrefix=orders",
    ] {
        assert_eq!(
            body_of(&server, path, &reader),
            json!(["orders-value"]),
            "{path}"
        );
    }
    assert_eq!(
        body_of(&server, "/contexts/.prod/subjects", &reader),
        json!([])
    );
    let admin = body_of(&server, "/subjects", &login("admin"));
    assert_eq!(admin.as_array().map(Vec::len), Some(5), "{admin}");
    let staging = body_of(
        &server,
        "/subjects?subjectPrefix=:*:",
        &login("orders-admin"),
    );
    assert_eq!(staging, json!([":.staging:orders-value", "orders-value"]));
}

#[test]
fn schema_listings_and_ids_show_only_what_the_principal_may_read() {
    let server = subjects_of_two_teams();
    let reader = login("reader");
    let schemas = body_of(&server, "/schemas?subjectPrefix=:*:", &reader);
    let subjects: Vec<&Value> = schemas
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["subject"])
        .collect();
    assert_eq!(subjects, [&json!("orders-value")]);
    assert_eq!(
        body_of(&server, "/schemas/ids/1", &reader)["schema"],
        json!(record("Order", &[("id", "long")]))
    );
    assert_eq!(
        body_of(&server, "/schemas/ids/1/subjects", &reader),
        json!(["orders-value"])
    );
    assert_eq!(
        body_of(&server, "/schemas/ids/1/versions", &reader),
        json!([{"subject": "orders-value", "version": 1}])
    );
    for path in [
        "/schemas/ids/2",
        "/schemas/ids/2?format=resolved",
        "/schemas/ids/2/schema",
        "/schemas/ids/2/subjects",
        "/schemas/ids/2/versions",
    ] {
        assert_denied(
            &call(&server, "GET", path, None, &reader),
            "Read",
            "Schema: 2",
        );
    }
    assert_denied(
        &call(
            &server,
            "GET",
            "/contexts/.prod/schemas/ids/1",
            None,
            &reader,
        ),
        "Read",
        "Schema: 1",
    );
    let unknown = call(&server, "GET", "/schemas/ids/99", None, &reader);
    assert_eq!((unknown.status, unknown.code()), (404, 40403));
    let admin = login("admin");
    // In 7.9's order, by the subjects' Java hash bins (payments-value's 0,
    // orders-value's 14), not by registration.
    assert_eq!(
        body_of(&server, "/schemas/ids/1/subjects", &admin),
        json!(["payments-value", "orders-value"])
    );
    assert_eq!(
        body_of(&server, "/schemas/ids/2", &admin)["schema"],
        json!(record("Payment", &[("id", "long")]))
    );
}

#[test]
fn contexts_are_listed_where_a_grant_reaches() {
    let server = subjects_of_two_teams();
    assert_eq!(
        body_of(&server, "/contexts", &login("reader")),
        json!(["."])
    );
    assert_eq!(
        body_of(&server, "/contexts", &login("orders-admin")),
        json!([".", ".staging"])
    );
    assert_eq!(
        body_of(&server, "/contexts", &login("admin")),
        json!([".", ".prod", ".staging"])
    );
}

#[test]
fn referenced_by_shows_only_the_referrers_the_principal_may_read() {
    let server = start();
    let admin = login("admin");
    register_as(&server, "orders-base", &avro("Payment"), &admin);
    let own = register_as(
        &server,
        "orders-ref",
        &with_reference("RefA", "Payment", "orders-base"),
        &admin,
    );
    let other = register_as(
        &server,
        "payments-ref",
        &with_reference("RefB", "Payment", "orders-base"),
        &admin,
    );
    let (own, other) = (own.body["id"].clone(), other.body["id"].clone());
    let path = "/subjects/orders-base/versions/1/referencedby";
    assert_eq!(body_of(&server, path, &login("reader")), json!([own]));
    assert_eq!(body_of(&server, path, &admin), json!([own, other]));
}

#[test]
fn open_reads_restore_every_listing_to_every_principal() {
    let server = Server::start_with(&[
        "--auth-file",
        &crate::auth::credentials_file(),
        "--auth-open-reads",
    ]);
    let admin = login("admin");
    register(&server, "payments-value", &admin);
    let reader = login("reader");
    assert_eq!(
        body_of(&server, "/subjects", &reader),
        json!(["payments-value"])
    );
    assert_eq!(
        body_of(&server, "/schemas/ids/1/subjects", &reader),
        json!(["payments-value"])
    );
    assert_eq!(
        body_of(&server, "/schemas/ids/1", &reader),
        json!({"schema": serde_json::from_str::<Value>(&schema_body()).unwrap()["schema"]})
    );
    assert_denied(
        &call(
            &server,
            "GET",
            "/subjects/payments-value/versions/1",
            None,
            &reader,
        ),
        "Read",
        "Subject: payments-value",
    );
}
