use serde_json::json;

use crate::server::Server;

const ADDRESS: &str = r#"{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"}]}"#;
const PERSON: &str = r#"{"type":"record","name":"Person","namespace":"com.acme","fields":[{"name":"home","type":"com.acme.Address"}]}"#;

fn register_person(server: &Server) -> serde_json::Value {
    let body = json!({
        "schema": PERSON,
        "references": [{"name": "com.acme.Address", "subject": "address", "version": 1}]
    });
    server
        .post("/subjects/person/versions", &body.to_string())
        .body
}

#[test]
fn avro_named_types_resolve_through_references() {
    let server = Server::start();
    let address = server.register("address", ADDRESS);
    let person = register_person(&server);
    let person_id = person["id"].as_i64().expect("registered");
    assert_ne!(person_id, address);
    let fetched = server.get(&format!("/schemas/ids/{person_id}")).body;
    assert_eq!(
        fetched["references"],
        json!([{"name": "com.acme.Address", "subject": "address", "version": 1}])
    );
    assert!(
        fetched["schema"]
            .as_str()
            .unwrap()
            .contains("\"type\":\"Address\""),
        "{fetched}"
    );
    assert_eq!(
        server.get("/subjects/address/versions/1/referencedby").body,
        json!([person_id])
    );
}

#[test]
fn a_missing_reference_is_42201() {
    let server = Server::start();
    let reply = server.post(
        "/subjects/person/versions",
        &json!({"schema": PERSON, "references": [{"name": "com.acme.Address", "subject": "address", "version": 1}]}).to_string(),
    );
    assert_eq!(reply.code(), 42201);
    assert!(
        reply
            .message()
            .ends_with("details: No schema reference found for subject \"address\" and version 1"),
        "{}",
        reply.message()
    );
    let without = server.post(
        "/subjects/person/versions",
        &json!({"schema": PERSON}).to_string(),
    );
    assert_eq!(
        without.code(),
        42201,
        "the named type is undefined without the reference"
    );
}

#[test]
fn a_referenced_schema_cannot_be_deleted() {
    let server = Server::start();
    server.register("address", ADDRESS);
    register_person(&server);
    let reply = server.delete("/subjects/address/versions/1");
    assert_eq!((reply.status, reply.code()), (422, 42206));
    assert_eq!(reply.message(), "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=address,version=1}.");
    assert_eq!(server.delete("/subjects/address").code(), 42206);
    server.delete("/subjects/person");
    assert_eq!(
        server.delete("/subjects/address").status,
        200,
        "a soft-deleted referrer does not block"
    );
}

#[test]
fn latest_references_resolve_to_a_concrete_version() {
    let server = Server::start();
    server.register("address", ADDRESS);
    let body = json!({"schema": PERSON, "references": [{"name": "com.acme.Address", "subject": "address", "version": -1}]});
    let reply = server.post("/subjects/person/versions", &body.to_string());
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(
        server.get("/subjects/person/versions/1").body["references"][0]["version"],
        1
    );
}
