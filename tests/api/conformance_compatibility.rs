//! `/compatibility` and lookup request bodies as Confluent 7.9 reads them:
//! an empty schema is never completed from the latest version, and a
//! missing body names each endpoint's own Java argument.

use serde_json::json;

use crate::server::Server;

#[test]
fn empty_schema_is_42201_even_when_the_subject_has_versions() {
    let server = Server::start();
    server.register("s", "\"string\"");
    for path in [
        "/compatibility/subjects/s/versions",
        "/compatibility/subjects/s/versions/latest",
        "/compatibility/subjects/none/versions/latest",
    ] {
        let reply = server.post(path, "{}");
        assert_eq!(
            (reply.status, reply.code(), reply.message()),
            (422, 42201, "Empty schema"),
            "{path}"
        );
    }
    let verbose = server.post("/compatibility/subjects/s/versions/1?verbose=true", "{}");
    assert_eq!(
        (verbose.status, verbose.body),
        (
            200,
            json!({"is_compatible": false, "messages": ["Empty schema"]})
        )
    );
}

#[test]
fn missing_bodies_name_the_java_argument_of_each_endpoint() {
    let server = Server::start();
    for (path, argument) in [
        (
            "/compatibility/subjects/s/versions",
            "testCompatibilityForSubject.arg3",
        ),
        (
            "/compatibility/subjects/s/versions/latest",
            "testCompatibilityBySubjectName.arg4",
        ),
        ("/subjects/s", "lookUpSchemaUnderSubject.arg5"),
    ] {
        let reply = server.post(path, "");
        assert_eq!(
            (reply.status, reply.code(), reply.message()),
            (
                422,
                422,
                format!("{argument} must not be null (was null)").as_str()
            ),
            "{path}"
        );
    }
}
