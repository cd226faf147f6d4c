use serde_json::json;

use crate::server::Server;

#[test]
fn unknown_routes_and_methods() {
    let server = Server::start();
    let unknown = server.get("/nowhere");
    assert_eq!(
        (unknown.status, unknown.body.clone()),
        (
            404,
            json!({"error_code": 404, "message": "HTTP 404 Not Found"})
        )
    );
    let method = server.request("PATCH", "/subjects", None);
    assert_eq!(
        (method.status, method.code(), method.message()),
        (405, 405, "HTTP 405 Method Not Allowed")
    );
    let post_contexts = server.post("/contexts", "{}");
    assert_eq!(post_contexts.status, 405);
}

#[test]
fn serializer_association_probe_is_a_404_with_an_error_body() {
    let server = Server::start();
    let reply =
        server.get("/associations/resources/-/orders?resourceType=topic&associationType=value");
    assert_eq!((reply.status, reply.code()), (404, 404));
}

#[test]
fn malformed_json_is_400_with_jacksons_wording() {
    let server = Server::start();
    let truncated = server.post("/subjects/s/versions", "{\"schema\":");
    assert_eq!((truncated.status, truncated.code()), (400, 400));
    assert!(
        truncated.message().starts_with("Unexpected end-of-input"),
        "{}",
        truncated.message()
    );
    let token = server.post("/subjects/s/versions", "not json");
    assert_eq!(token.message(), "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    let array = server.post("/subjects/s/versions", "[1]");
    assert_eq!(array.message(), "Cannot deserialize value of type `RegisterSchemaRequest` from Array value (token `JsonToken.START_ARRAY`)");
    let number = server.post(
        "/subjects/s/versions",
        r#"{"schema":"\"int\"","version":"x"}"#,
    );
    assert_eq!(number.status, 400);
    let big = server.post(
        "/subjects/s/versions",
        r#"{"schema":"\"int\"","version":99999999999}"#,
    );
    assert_eq!(
        big.message(),
        "Numeric value (99999999999) out of range of int (-2147483648 - 2147483647)"
    );
}

#[test]
fn missing_bodies_are_422_naming_the_java_argument() {
    let server = Server::start();
    for body in ["", "   ", "null"] {
        let reply = server.post("/subjects/s/versions", body);
        assert_eq!(
            (reply.status, reply.code(), reply.message()),
            (422, 422, "register.arg5 must not be null (was null)"),
            "{body:?}"
        );
    }
    assert_eq!(server.post("/", "").body, json!({}));
}

#[test]
fn content_types_are_negotiated() {
    let server = Server::start();
    let text = server.request_with(
        "POST",
        "/subjects/s/versions",
        Some(r#"{"schema":"\"int\""}"#),
        &[("Content-Type", "text/plain")],
    );
    assert_eq!(
        (text.status, text.code(), text.message()),
        (415, 415, "HTTP 415 Unsupported Media Type")
    );
    let form = server.request_with(
        "POST",
        "/subjects/s/versions",
        Some("{}"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
    );
    assert_eq!(form.status, 415);
    for accepted in [
        "application/json",
        "application/octet-stream",
        "application/vnd.schemaregistry+json; charset=utf-8",
    ] {
        let reply = server.request_with(
            "POST",
            "/subjects/s/versions",
            Some(r#"{"schema":"\"int\""}"#),
            &[("Content-Type", accepted)],
        );
        assert_eq!(reply.status, 200, "{accepted}");
    }
    let json = server.request_with("GET", "/subjects", None, &[("Accept", "application/json")]);
    assert_eq!(json.content_type, "application/json");
    let default = server.request_with("GET", "/subjects", None, &[("Accept", "*/*")]);
    assert_eq!(
        default.content_type,
        "application/vnd.schemaregistry.v1+json"
    );
    let refused = server.request_with("GET", "/subjects", None, &[("Accept", "text/html")]);
    assert_eq!((refused.status, refused.code()), (406, 406));
}

#[test]
fn bodies_over_the_limit_are_refused_with_an_error_body() {
    let server = Server::start_with(&["--max-body-bytes", "1024"]);
    let big = json!({"schema": "x".repeat(4096)}).to_string();
    let reply = server.post("/subjects/s/versions", &big);
    assert_eq!((reply.status, reply.code()), (413, 413));
}

#[test]
fn bad_query_integers_are_404_and_negative_offsets_422() {
    let server = Server::start();
    assert_eq!(server.get("/subjects?limit=abc").code(), 404);
    assert_eq!(server.get("/subjects?limit=1.0").code(), 404);
    let negative = server.get("/subjects?offset=-1");
    assert_eq!((negative.status, negative.code()), (422, 422));
    assert_eq!(server.get("/subjects?offset=5").body, json!([]));
}

#[test]
fn root_and_metadata() {
    let server = Server::start();
    assert_eq!(server.get("/").body, json!({}));
    assert_eq!(server.post("/", r#"{"anything": 1}"#).body, json!({}));
    assert!(server.get("/v1/metadata/version").body["version"].is_string());
}
