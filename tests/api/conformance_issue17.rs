//! Answers where treaty used to differ from Confluent 7.9, each checked
//! against 7.9's source (cited per test).

use serde_json::json;

use crate::server::Server;

/// `KafkaSchemaRegistry.register` skips `maybePopulateFromPrevious` in
/// IMPORT mode, so it answers `new Schema(subject, id)`: the id alone. A
/// repeated import of the same id and version is found by
/// `registerOrForward`'s look-up, which answers the stored version whole.
#[test]
fn import_with_explicit_id_and_version_answers_the_id_alone() {
    let server = Server::start();
    assert_eq!(server.put("/mode", r#"{"mode":"IMPORT"}"#).status, 200);
    let body = json!({"schema": "\"string\"", "id": 7, "version": 2}).to_string();
    let first = server.post("/subjects/s/versions", &body);
    assert_eq!((first.status, first.body), (200, json!({"id": 7})));
    let without_version = json!({"schema": "\"int\"", "id": 8}).to_string();
    let second = server.post("/subjects/t/versions", &without_version);
    assert_eq!((second.status, second.body), (200, json!({"id": 8})));
    let again = server.post("/subjects/s/versions", &body);
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert_eq!(again.body["id"], 7);
    assert_eq!(again.body["version"], 2);
    assert_eq!(again.body["schema"], "\"string\"");
}

/// `ModeResource.updateMode` returns its `ModeUpdateRequest`, which
/// ignores unknown properties: the answer holds the mode as sent, nothing
/// else of the body.
#[test]
fn put_mode_answers_the_mode_alone_without_unknown_fields() {
    let server = Server::start();
    let body = r#"{"mode":"readonly","extra":1,"nested":{"a":true}}"#;
    let global = server.put("/mode", body);
    assert_eq!(
        (global.status, global.body),
        (200, json!({"mode": "readonly"}))
    );
    let subject = server.put("/mode/s", r#"{"mode":"IMPORT","force":true}"#);
    assert_eq!(
        (subject.status, subject.body),
        (200, json!({"mode": "IMPORT"}))
    );
    assert_eq!(server.get("/mode").body, json!({"mode": "READONLY"}));
}

/// `RootResource.post` takes a `@Valid Map<String, String>` (not
/// `@NotNull`): no body and scalar values answer `{}`, while what Jackson
/// cannot read into that map is a 400 with its message.
#[test]
fn post_root_refuses_what_jackson_cannot_read_as_a_string_map() {
    let server = Server::start();
    for fine in ["", "null", r#"{"a":"b","n":1,"t":true,"z":null}"#] {
        let reply = server.post("/", fine);
        assert_eq!((reply.status, reply.body), (200, json!({})), "{fine}");
    }
    for bad in [
        r#"{"a":"#,
        "nonsense",
        "[1]",
        r#"{"a":{"b":1}}"#,
        r#"{"a":[1]}"#,
    ] {
        let reply = server.post("/", bad);
        assert_eq!(
            (reply.status, reply.code()),
            (400, 400),
            "{bad}: {:?}",
            reply.body
        );
        assert!(!reply.message().is_empty(), "{bad}");
    }
    let array = server.post("/", "[1]");
    assert_eq!(
        array.message(),
        "Cannot deserialize value of type `java.util.HashMap<java.lang.String,java.lang.String>` from Array value (token `JsonToken.START_ARRAY`)"
    );
    let nested = server.post("/", r#"{"a":{"b":1}}"#);
    assert_eq!(
        nested.message(),
        "Cannot deserialize value of type `java.lang.String` from Object value (token `JsonToken.START_OBJECT`)"
    );
}

/// `ConfigResource.deleteSubjectConfig` answers 40401 when the subject has
/// no config of its own before `deleteSubjectConfig` checks the mode; a
/// subject that has one is refused by the read-only mode.
#[test]
fn delete_subject_config_under_readonly_checks_the_config_exists_first() {
    let server = Server::start();
    assert_eq!(
        server
            .put("/config/kept", r#"{"compatibility":"NONE"}"#)
            .status,
        200
    );
    server.put("/mode", r#"{"mode":"READONLY"}"#);
    let missing = server.delete("/config/unknown");
    assert_eq!(
        (missing.status, missing.code()),
        (404, 40401),
        "{:?}",
        missing.body
    );
    let kept = server.delete("/config/kept");
    assert_eq!((kept.status, kept.code()), (422, 42205), "{:?}", kept.body);
    assert_eq!(
        server.get("/config/kept").body["compatibilityLevel"],
        "NONE"
    );
}

/// `InMemoryCache.mode(subject, true, …)` (7.9) looks at the subject, then
/// its context's mode (the default context's is the global one), then the
/// `:.__GLOBAL:` context, then the default.
#[test]
fn subject_mode_with_default_to_global_falls_back_to_its_context_first() {
    let server = Server::start();
    assert_eq!(
        server.put("/mode/:.ctx:", r#"{"mode":"IMPORT"}"#).status,
        200
    );
    assert_eq!(server.put("/mode", r#"{"mode":"READONLY"}"#).status, 200);
    let in_context = server.get("/mode/:.ctx:s?defaultToGlobal=true");
    assert_eq!(in_context.body, json!({"mode": "IMPORT"}));
    let via_context_url = server.get("/contexts/.ctx/mode/s?defaultToGlobal=true");
    assert_eq!(via_context_url.body, json!({"mode": "IMPORT"}));
    let default_context = server.get("/mode/s?defaultToGlobal=true");
    assert_eq!(default_context.body, json!({"mode": "READONLY"}));
    let other_context = server.get("/mode/:.other:s?defaultToGlobal=true");
    assert_eq!(other_context.body, json!({"mode": "READWRITE"}));
    let unset = server.get("/mode/:.ctx:s");
    assert_eq!(unset.code(), 40409, "{:?}", unset.body);
}

/// 7.9 lists an id's subject-versions from `InMemoryCache`'s
/// `ConcurrentHashMap` of subject to version (`listVersionsForId`), so
/// they come in that map's order: by the bin of the subject's Java
/// `hashCode` in a 16-bin table (users-value and payments-value land in
/// bin 0, alpha in 7, orders-value in 14), then by arrival within a bin.
/// A soft delete rewrites a present key and keeps its place.
#[test]
fn id_subjects_and_versions_come_in_confluents_hash_map_order() {
    let server = Server::start();
    let schema = r#"{"type":"record","name":"R","fields":[]}"#;
    let mut id = 0;
    for subject in ["users-value", "orders-value", "alpha", "payments-value"] {
        id = server.register(subject, schema);
    }
    let expected = ["users-value", "payments-value", "alpha", "orders-value"];
    let subjects = server.get(&format!("/schemas/ids/{id}/subjects"));
    assert_eq!(subjects.body, json!(expected));
    let versions = server.get(&format!("/schemas/ids/{id}/versions"));
    let pairs: Vec<_> = expected
        .iter()
        .map(|s| json!({"subject": s, "version": 1}))
        .collect();
    assert_eq!(versions.body, json!(pairs));
    assert_eq!(
        server.delete("/subjects/users-value/versions/1").status,
        200
    );
    let live = server.get(&format!("/schemas/ids/{id}/subjects"));
    assert_eq!(live.body, json!(expected[1..]));
    let all = server.get(&format!("/schemas/ids/{id}/subjects?deleted=true"));
    assert_eq!(all.body, json!(expected));
    let paged = server.get(&format!("/schemas/ids/{id}/subjects?offset=1&limit=2"));
    assert_eq!(paged.body, json!(expected[2..]));
}

/// `ProtobufSchema.toProtoFile(String)` (7.9) parses the text first and
/// only then tries base64 of a `FileDescriptorProto`; when both fail it
/// throws "Could not parse Protobuf - " with the text parser's message,
/// which `register` answers with 42201.
#[test]
fn base64_that_is_no_file_descriptor_proto_is_an_invalid_schema() {
    let server = Server::start();
    // base64 of b"\x0f\xff\xff garbage": wire type 7 is no protocol message.
    let body = json!({"schemaType": "PROTOBUF", "schema": "D///IGdhcmJhZ2U="}).to_string();
    let reply = server.post("/subjects/p/versions", &body);
    assert_eq!(
        (reply.status, reply.code()),
        (422, 42201),
        "{:?}",
        reply.body
    );
    assert!(
        reply.message().contains("Could not parse Protobuf - "),
        "{}",
        reply.message()
    );
    assert_eq!(server.get("/subjects").body, json!([]));
}

/// protobuf-java's `FileDescriptorProto.parseFrom` refuses every kind of
/// broken wire data (a truncated varint, a length past the end, tag zero,
/// wire type 6, an unmatched end-group), so the text parser's error
/// stands; nothing is registered.
#[test]
fn base64_of_broken_wire_data_is_an_invalid_schema_in_every_shape() {
    let server = Server::start();
    for schema in ["CoA=", "CgVhYg==", "AA==", "Dg==", "DA=="] {
        let body = json!({"schemaType": "PROTOBUF", "schema": schema}).to_string();
        let reply = server.post("/subjects/p/versions", &body);
        assert_eq!((reply.status, reply.code()), (422, 42201), "{schema}");
        assert!(
            reply.message().contains("Could not parse Protobuf - "),
            "{schema}: {}",
            reply.message()
        );
    }
    assert_eq!(server.get("/subjects").body, json!([]));
}

/// `toProtoFile` tries the text parser first, and to Wire's parser (as to
/// protoc) base64 that begins with `//`, such as that of
/// `b"\xff\xff\xff\x0f garbage"`, is a line comment: a file without
/// declarations, which Confluent registers like any comment-only text. A
/// real descriptor never begins so (its first byte would be a tag of a
/// field number in the hundreds of millions).
#[test]
fn base64_beginning_with_two_slashes_is_a_comment_as_to_confluents_parser() {
    let server = Server::start();
    let slashes = json!({"schemaType": "PROTOBUF", "schema": "////DyBnYXJiYWdl"}).to_string();
    let first = server.post("/subjects/p/versions", &slashes);
    assert_eq!(first.status, 200, "{:?}", first.body);
    let comment = json!({"schemaType": "PROTOBUF", "schema": "// another comment\n"}).to_string();
    let second = server.post("/subjects/p/versions", &comment);
    assert_eq!(second.body, first.body);
    assert_eq!(server.get("/subjects/p/versions").body, json!([1]));
}

/// Where 7.9 answers a bare 500 (a negative `offset`, the raw schema of an
/// unknown id, `PUT /mode` without a mode), treaty answers the 4xx of the
/// nearest case with a JSON error (COMPATIBILITY.md lists them).
#[test]
fn confluents_bare_500s_are_answered_with_a_4xx_json_error() {
    let server = Server::start();
    let id = server.register("s", "\"string\"");
    for path in [
        "/subjects?offset=-1".to_owned(),
        "/subjects/s/versions?offset=-2".to_owned(),
        format!("/schemas/ids/{id}/subjects?offset=-1"),
        "/schemas?offset=-1".to_owned(),
    ] {
        let reply = server.get(&path);
        assert_eq!(
            (reply.status, reply.code()),
            (422, 422),
            "{path}: {:?}",
            reply.body
        );
        assert!(reply.message().contains("offset"), "{path}");
    }
    let raw = server.get("/schemas/ids/999/schema");
    assert_eq!(
        (raw.status, raw.code(), raw.message()),
        (404, 40403, "Schema 999 not found")
    );
    for body in ["{}", r#"{"mode":null}"#, r#"{"other":"READONLY"}"#] {
        for path in ["/mode", "/mode/s"] {
            let reply = server.put(path, body);
            assert_eq!((reply.status, reply.code()), (422, 42204), "{path} {body}");
        }
    }
    assert_eq!(server.get("/mode").body, json!({"mode": "READWRITE"}));
}

/// `ConfigUpdateRequest` binds `defaultMetadata`/`overrideMetadata` to
/// `Metadata` and the rule sets to `RuleSet` of `Rule`s, as registration
/// does: Jackson refuses a wrong shape with 400, and nothing is stored.
#[test]
fn config_metadata_and_rule_sets_of_the_wrong_shape_are_refused_as_jackson_does() {
    let server = Server::start();
    let rule = "io.confluent.kafka.schemaregistry.client.rest.entities.Rule";
    for (body, message) in [
        (
            json!({"overrideRuleSet": {"domainRules": [{"name": "r", "disabled": {}}]}}),
            "Cannot deserialize value of type `boolean` from Object value (token `JsonToken.START_OBJECT`)".to_owned(),
        ),
        (
            json!({"overrideMetadata": {"properties": {"a": [5]}}}),
            "Cannot deserialize value of type `java.lang.String` from Array value (token `JsonToken.START_ARRAY`)".to_owned(),
        ),
        (
            json!({"defaultMetadata": {"tags": {"Order.ssn": "PII"}}}),
            "Cannot deserialize value of type `java.util.HashSet<java.lang.String>` from String value".to_owned(),
        ),
        (
            json!({"defaultRuleSet": {"migrationRules": 5}}),
            format!("Cannot deserialize value of type `java.util.ArrayList<{rule}>` from Number value"),
        ),
        (
            json!({"defaultRuleSet": {"domainRules": [{"kind": "MAYBE"}]}}),
            "Cannot deserialize value of type `io.confluent.kafka.schemaregistry.client.rest.entities.RuleKind` from String \"MAYBE\": not one of the values accepted for Enum class: [TRANSFORM, CONDITION]".to_owned(),
        ),
    ] {
        for path in ["/config", "/config/s"] {
            let reply = server.put(path, &body.to_string());
            assert_eq!(
                (reply.status, reply.body),
                (400, json!({"error_code": 400, "message": message})),
                "{path} {body}"
            );
        }
        let registered = server.post(
            "/subjects/s/versions",
            &json!({"schema": "\"string\"", "metadata": body.get("overrideMetadata").or(body.get("defaultMetadata")), "ruleSet": body.get("overrideRuleSet").or(body.get("defaultRuleSet"))}).to_string(),
        );
        assert_eq!(registered.status, 400, "register {body}: {:?}", registered.body);
        assert_eq!(registered.body["message"], message);
    }
    assert_eq!(
        server.get("/config").body,
        json!({"compatibilityLevel": "BACKWARD"})
    );
}

/// Scalars coerce to text where `Metadata` and `Rule` want strings, as
/// Jackson's scalar coercion does, and are stored as text; a null rule
/// list is left out, as Confluent's `NON_EMPTY` answers leave it.
#[test]
fn config_metadata_and_rules_coerce_scalars_to_text() {
    let server = Server::start();
    let body = json!({
        "overrideMetadata": {"properties": {"a": 5, "b": true}},
        "overrideRuleSet": {"migrationRules": null, "domainRules": [{"name": "r", "type": 7, "kind": "CONDITION", "disabled": "true"}]}
    });
    let reply = server.put("/config/s", &body.to_string());
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let stored = server.get("/config/s").body;
    assert_eq!(
        stored["overrideMetadata"]["properties"],
        json!({"a": "5", "b": "true"})
    );
    assert!(
        stored["overrideRuleSet"].get("migrationRules").is_none(),
        "{stored}"
    );
    assert_eq!(
        stored["overrideRuleSet"]["domainRules"][0],
        json!({"name": "r", "type": "7", "kind": "CONDITION", "disabled": true})
    );
}

/// `SchemasResource.getSchemas` filters with `RuleSet.hasRulesWithType`
/// after `latestOnly` has picked each subject's latest version, and before
/// paging; an empty `ruleType` filters nothing.
#[test]
fn schemas_rule_type_keeps_versions_with_a_rule_of_that_type() {
    let server = Server::start();
    assert_eq!(
        server.put("/config", r#"{"compatibility":"NONE"}"#).status,
        200
    );
    let with_rules = |schema: &str, domain: &str, migration: &str| {
        json!({
            "schema": schema,
            "ruleSet": {
                "domainRules": [{"name": "d", "type": domain}],
                "migrationRules": [{"name": "m", "type": migration}]
            }
        })
        .to_string()
    };
    assert_eq!(
        server
            .post(
                "/subjects/a/versions",
                &with_rules("\"string\"", "CEL", "JSONATA")
            )
            .status,
        200
    );
    assert_eq!(
        server
            .post("/subjects/a/versions", r#"{"schema":"\"int\""}"#)
            .status,
        200
    );
    assert_eq!(
        server
            .post(
                "/subjects/b/versions",
                &with_rules("\"long\"", "ENCRYPT", "CEL_FIELD")
            )
            .status,
        200
    );
    let listed = |query: &str| -> Vec<(String, i64)> {
        let reply = server.get(&format!("/schemas?{query}"));
        assert_eq!(reply.status, 200, "{query}: {:?}", reply.body);
        reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["subject"].as_str().unwrap().to_owned(),
                    s["version"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(listed("ruleType=CEL"), vec![("a".to_owned(), 1)]);
    assert_eq!(listed("ruleType=CEL_FIELD"), vec![("b".to_owned(), 1)]);
    assert_eq!(listed("ruleType=JSONATA"), vec![("a".to_owned(), 1)]);
    assert_eq!(listed("ruleType=cel"), vec![]);
    assert_eq!(listed("ruleType=CEL&latestOnly=true"), vec![]);
    assert_eq!(
        listed("ruleType=ENCRYPT&latestOnly=true"),
        vec![("b".to_owned(), 1)]
    );
    assert_eq!(listed("ruleType=").len(), 3);
}

/// 7.9's `AliasFilter` rewrites, before routing, the path segment after
/// each `subjects` and the `subject` query parameter of `/schemas/ids/…`
/// to the target named by that subject's own config `alias` (placed in the
/// aliasing subject's context when unqualified). `/config/{s}` is not
/// rewritten, so the alias stays readable there.
#[test]
fn reads_and_writes_of_an_alias_subject_reach_its_target() {
    let server = Server::start();
    let id = server.register("target", "\"int\"");
    let set = server.put("/config/nick", r#"{"alias":"target"}"#);
    assert_eq!((set.status, set.body), (200, json!({"alias": "target"})));
    assert_eq!(server.get("/config/nick").body["alias"], "target");
    assert_eq!(server.get("/subjects/nick/versions").body, json!([1]));
    let latest = server.get("/subjects/nick/versions/latest");
    assert_eq!(
        (latest.body["subject"].clone(), latest.body["id"].as_i64()),
        (json!("target"), Some(id))
    );
    let found = server.post("/subjects/nick", r#"{"schema":"\"int\""}"#);
    assert_eq!(found.body["subject"], "target", "{:?}", found.body);
    let registered = server.post("/subjects/nick/versions", r#"{"schema":"\"long\""}"#);
    assert_eq!(registered.status, 200, "{:?}", registered.body);
    assert_eq!(server.get("/subjects/target/versions").body, json!([1, 2]));
    let by_id = server.get(&format!("/schemas/ids/{id}?subject=nick"));
    assert_eq!(by_id.status, 200, "{:?}", by_id.body);
    assert_eq!(server.get("/subjects").body, json!(["target"]));

    server.register(":.ctx:t", "\"long\"");
    let in_context = server.put("/config/:.ctx:a", r#"{"alias":"t"}"#);
    assert_eq!(in_context.status, 200, "{:?}", in_context.body);
    assert_eq!(server.get("/subjects/:.ctx:a/versions").body, json!([1]));
    let via_url = server.get("/contexts/.ctx/subjects/a/versions/1");
    assert_eq!(via_url.body["subject"], ":.ctx:t", "{:?}", via_url.body);

    assert_eq!(server.put("/config/nick", r#"{"alias":null}"#).status, 200);
    let unaliased = server.get("/subjects/nick/versions");
    assert_eq!(unaliased.code(), 40401, "{:?}", unaliased.body);
}

/// 7.9's `AliasFilter`, registered for every request, rebuilds the path
/// from its non-empty segments before Jersey matches it (Jetty 9.4's
/// default compliance lets `//` through): `/subjects/s//versions` is
/// `/subjects/s/versions`, and `/subjects//versions` is
/// `/subjects/versions`, the subject named `versions`.
#[test]
fn empty_path_segments_are_dropped_before_routing() {
    let server = Server::start();
    server.register("s", "\"int\"");
    assert_eq!(server.get("/subjects/s//versions").body, json!([1]));
    let version = server.get("//subjects///s/versions//1/");
    assert_eq!(version.body["subject"], "s", "{:?}", version.body);
    let registered = server.post("/subjects/s//versions", r#"{"schema":"\"long\""}"#);
    assert_eq!(registered.status, 200, "{:?}", registered.body);
    let lookup = server.post("/subjects//versions", r#"{"schema":"\"int\""}"#);
    assert_eq!(
        (lookup.status, lookup.code(), lookup.message()),
        (404, 40401, "Subject 'versions' not found.")
    );
    let listed = server.get("/subjects//versions");
    assert_eq!(
        (listed.status, listed.code()),
        (405, 405),
        "{:?}",
        listed.body
    );
    assert_eq!(server.get("/subjects").body, json!(["s"]));
    assert_eq!(server.get("/subjects/s/versions").body, json!([1, 2]));
}

/// hyper refuses a request target over 65,534 bytes itself, before any
/// service runs, with a bare 414 that cannot carry a body (documented in
/// COMPATIBILITY.md); the connection is closed and the server keeps
/// serving. A target just under that limit reaches the API, which answers
/// with Confluent's JSON error.
#[test]
fn a_uri_over_hypers_limit_is_a_bare_414_and_one_under_it_gets_json() {
    let server = Server::start();
    let over = server.get(&format!("/subjects/{}/versions", "x".repeat(100_000)));
    assert_eq!((over.status, over.body), (414, json!("")));
    let under = server.get(&format!("/subjects/{}/versions", "x".repeat(65_000)));
    assert_eq!(
        (under.status, under.code()),
        (404, 40401),
        "{}",
        under.status
    );
    assert_eq!(server.get("/subjects").body, json!([]));
}
