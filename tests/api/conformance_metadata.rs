//! `GET /subjects/{s}/metadata` (spec §2.5, Confluent 7.9's
//! `getLatestWithMetadata`): the highest version with metadata holding
//! every `key`/`value` pair.

use serde_json::json;

use crate::server::Server;

fn register(server: &Server, schema: &str, properties: Option<serde_json::Value>) {
    let mut body = json!({"schema": schema});
    if let Some(properties) = properties {
        body["metadata"] = json!({"properties": properties});
    }
    let reply = server.post("/subjects/s/versions", &body.to_string());
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}

#[test]
fn latest_version_whose_metadata_holds_every_pair() {
    let server = Server::start();
    register(&server, "\"int\"", Some(json!({"app": "a", "major": "1"})));
    register(&server, "\"long\"", Some(json!({"app": "a", "major": "2"})));
    let reply = server.get("/subjects/s/metadata?key=app&value=a&key=major&value=1");
    assert_eq!(
        reply.body,
        json!({"subject": "s", "version": 1, "id": 1, "schema": "\"int\"",
               "metadata": {"properties": {"app": "a", "major": "1"}}})
    );
    assert_eq!(
        server.get("/subjects/s/metadata?key=app&value=a").body["version"],
        2
    );
    assert_eq!(
        server
            .get("/subjects/s/metadata?key=app&value=a&key=major")
            .body["version"],
        2
    );
    let none = server.get("/subjects/s/metadata?key=app&value=b");
    assert_eq!(
        (none.status, none.code(), none.message()),
        (404, 40403, "Schema not found")
    );
    let unknown = server.get("/subjects/t/metadata?key=app&value=a");
    assert_eq!(
        (unknown.code(), unknown.message()),
        (40401, "Subject 't' not found.")
    );
}

#[test]
fn soft_deleted_versions_count_only_when_asked() {
    let server = Server::start();
    register(&server, "\"int\"", Some(json!({"app": "a"})));
    register(&server, "\"long\"", Some(json!({"app": "b"})));
    assert_eq!(server.delete("/subjects/s/versions/1").status, 200);
    assert_eq!(
        server.get("/subjects/s/metadata?key=app&value=a").code(),
        40403
    );
    let found = server.get("/subjects/s/metadata?key=app&value=a&deleted=true");
    assert_eq!(found.body["version"], 1);
}
