//! The `details:` of 42201 answers as Confluent 7.9 words them. A schema
//! its provider cannot parse is `Invalid schema {…} with refs […] of type
//! T, details: …` (`KafkaSchemaRegistry.loadSchema`); one that parses but
//! fails `validate` is `Invalid schema {…}, details: …`
//! (`maybeValidateAndNormalizeSchema`), where the details are the message
//! of the exception Confluent's own code throws.

use serde_json::json;

use crate::server::Server;

/// Java's `Schema.toString()` of a registration request under `s`.
fn request(schema_type: &str, schema: &str) -> String {
    format!(
        "{{subject=s,version=0,id=-1,schemaType={schema_type},references=[],metadata=null,ruleSet=null,schema={schema},schemaTags=null}}"
    )
}

fn register(server: &Server, path: &str, schema_type: &str, schema: &str) -> String {
    let body = json!({"schemaType": schema_type, "schema": schema}).to_string();
    let reply = server.post(path, &body);
    assert_eq!(
        (reply.status, reply.code()),
        (422, 42201),
        "{:?}",
        reply.body
    );
    reply.message().to_owned()
}

/// `JsonSchema.rawSchema` wraps whatever the loader throws (an unknown
/// type, a `pattern` Java's `Pattern.compile` refuses) in
/// `IllegalArgumentException("Invalid JSON", e)`, and only that message
/// reaches the answer.
#[test]
fn json_schema_that_does_not_load_is_invalid_json_after_validation() {
    let server = Server::start();
    for schema in [
        r#"{"type":"strin"}"#,
        r#"{"type":"string","pattern":"("}"#,
        r#"{"properties":{"a":{"maxLength":"3"}}}"#,
    ] {
        assert_eq!(
            register(&server, "/subjects/s/versions", "JSON", schema),
            format!(
                "Invalid schema {}, details: Invalid JSON",
                request("JSON", schema)
            )
        );
    }
    assert_eq!(server.get("/subjects").body, json!([]));
}

/// The 7.9.x branch checks the root before loading it.
#[test]
fn json_schema_null_is_refused_for_its_root() {
    let server = Server::start();
    assert_eq!(
        register(&server, "/subjects/s/versions", "JSON", "null"),
        format!(
            "Invalid schema {}, details: Invalid JSON schema: expected an object or boolean at the root, found NULL",
            request("JSON", "null")
        )
    );
}

/// Text Jackson cannot read fails in the `JsonSchema` constructor, while
/// parsing: the long form, with Confluent's `Invalid JSON <text>`.
#[test]
fn json_that_does_not_parse_names_its_text_while_parsing() {
    let server = Server::start();
    let schema = r#"{"type":"#;
    assert_eq!(
        register(&server, "/subjects/s/versions", "JSON", schema),
        format!(
            "Invalid schema {} with refs [] of type JSON, details: Invalid JSON {schema}",
            request("JSON", schema)
        )
    );
}

/// Wire parses any type name; normalising in `validate` resolves each
/// (`ProtobufSchemaUtils.resolve`) and throws `Could not resolve type: `
/// with the name as written.
#[test]
fn protobuf_unresolved_type_is_named_as_written_after_validation() {
    let server = Server::start();
    let schema = "syntax = \"proto3\";\npackage p;\n\nmessage M {\n  q.Missing m = 1;\n}\n";
    assert_eq!(
        register(&server, "/subjects/s/versions", "PROTOBUF", schema),
        format!(
            "Invalid schema {}, details: Could not resolve type: q.Missing",
            request("PROTOBUF", schema)
        )
    );
}

/// Confluent never opens an import: without a reference for it, a type
/// it would define is simply unresolved.
#[test]
fn protobuf_type_from_an_import_without_reference_is_unresolved() {
    let server = Server::start();
    let schema =
        "syntax = \"proto3\";\nimport \"other.proto\";\n\nmessage M {\n  other.Thing t = 1;\n}\n";
    assert_eq!(
        register(&server, "/subjects/s/versions", "PROTOBUF", schema),
        format!(
            "Invalid schema {}, details: Could not resolve type: other.Thing",
            request("PROTOBUF", schema)
        )
    );
}

/// Under `normalize=true` the provider parses new schemas with Avro's
/// `validateDefaults`: Avro 1.11 checks a default against its whole type
/// (array items, record fields) and throws `Invalid default for field
/// <name>: <default as Jackson prints it> not a <type as Avro prints it>`
/// while parsing. A record's own field is checked before the field that
/// uses the record.
#[test]
fn avro_nested_defaults_that_do_not_fit_are_refused_under_normalize() {
    let server = Server::start();
    let normalize = "/subjects/s/versions?normalize=true";
    let cases = [
        (
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":"int"},"default":[1, "x"]}]}"#,
            r#"Invalid default for field a: [1,"x"] not a {"type":"array","items":"int"}"#,
        ),
        (
            r#"{"type":"record","name":"R","fields":[{"name":"m","type":{"type":"map","values":"long"},"default":{"k":true}}]}"#,
            r#"Invalid default for field m: {"k":true} not a {"type":"map","values":"long"}"#,
        ),
        (
            r#"{"type":"record","name":"R","fields":[{"name":"r","type":{"type":"record","name":"In","fields":[{"name":"x","type":"int"}]},"default":{"x":"a"}}]}"#,
            r#"Invalid default for field r: {"x":"a"} not a {"type":"record","name":"In","fields":[{"name":"x","type":"int"}]}"#,
        ),
        (
            r#"{"type":"record","name":"R","fields":[{"name":"r","type":{"type":"record","name":"In","fields":[{"name":"y","type":"string","default":5}]},"default":{"y":"ok"}}]}"#,
            r#"Invalid default for field y: 5 not a "string""#,
        ),
    ];
    for (i, (schema, details)) in cases.into_iter().enumerate() {
        assert_eq!(
            register(&server, normalize, "AVRO", schema),
            format!(
                "Invalid schema {} with refs [] of type AVRO, details: {details}",
                request("AVRO", schema)
            ),
        );
        let plain = json!({ "schema": schema }).to_string();
        let without_normalize = server.post(&format!("/subjects/plain{i}/versions"), &plain);
        assert_eq!(without_normalize.status, 200, "{schema}");
    }
}
