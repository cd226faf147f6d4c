//! Avro field defaults that do not fit their types: accepted as Confluent
//! 7.9 accepts them, refused with `normalize` or `--avro-validate-defaults`.

use serde_json::json;

use crate::server::Server;

const BAD_DEFAULT: &str =
    r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}"#;

fn register(server: &Server, path: &str) -> crate::server::Reply {
    server.post(path, &json!({"schema": BAD_DEFAULT}).to_string())
}

#[test]
fn a_bad_default_is_accepted_unless_normalizing_as_in_confluent_7_9() {
    let server = Server::start();
    assert_eq!(register(&server, "/subjects/s/versions").status, 200);
    let normalized = register(&server, "/subjects/t/versions?normalize=true");
    assert_eq!(normalized.code(), 42201);
    assert!(
        normalized.message().contains("Invalid default for field a"),
        "{}",
        normalized.message()
    );
}

#[test]
fn validate_defaults_flag_refuses_bad_defaults_on_register_and_check() {
    let server = Server::start_with(&["--avro-validate-defaults"]);
    let reply = register(&server, "/subjects/s/versions");
    assert_eq!((reply.status, reply.code()), (422, 42201));
    assert!(
        reply.message().contains("Invalid default for field a"),
        "{}",
        reply.message()
    );
    let check = server.post(
        "/compatibility/subjects/s/versions?verbose=true",
        &json!({"schema": BAD_DEFAULT}).to_string(),
    );
    assert_eq!(check.body["is_compatible"], false);
    let good = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":1}]}"#;
    assert_eq!(server.register("s", good), 1);
}
