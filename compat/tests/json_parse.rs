//! JSON Schema parsing: the texts Confluent stores (canonical and
//! normalised), what it rejects, `$ref`s to referenced schemas, and the
//! bounds on nesting and reference cycles.

use treaty_compat::json::compatibility::findings;
use treaty_compat::json::JsonSchema;
use treaty_compat::{Direction, Finding, ParsedSchema, Referenced, SchemaType};

fn parse(text: &str) -> JsonSchema {
    JsonSchema::parse(text, &[]).unwrap_or_else(|e| panic!("{text} should parse: {e}"))
}

/// Confluent's items for `reader` reading data written with `writer`.
fn confluent_messages(
    reader: &JsonSchema,
    writer: &JsonSchema,
    direction: Direction,
) -> Vec<String> {
    findings(reader, writer, direction)
        .iter()
        .map(Finding::confluent_message)
        .collect()
}

fn error(text: &str) -> String {
    match JsonSchema::parse(text, &[]) {
        Ok(_) => panic!("{text} should be rejected"),
        Err(e) => e.message,
    }
}

#[test]
fn canonical_text_is_compact_and_keeps_key_order() {
    let schema = parse(
        "{ \"type\" : \"object\",\n  \"properties\": { \"b\": {\"type\": \"string\"}, \"a\": {} },\n  \"additionalProperties\": false }",
    );
    assert_eq!(
        schema.canonical_text(),
        r#"{"type":"object","properties":{"b":{"type":"string"},"a":{}},"additionalProperties":false}"#
    );
}

#[test]
fn canonical_text_prints_numbers_and_strings_as_jackson_does() {
    let schema = parse(
        r#"{"maximum": 1.50, "minimum": 1e2, "multipleOf": 10, "description": "tab\there é \u0001"}"#,
    );
    assert_eq!(
        schema.canonical_text(),
        r#"{"maximum":1.50,"minimum":1E+2,"multipleOf":10,"description":"tab\there é \u0001"}"#
    );
}

#[test]
fn normalized_text_sorts_keys_at_every_level() {
    let a = parse(r#"{"type":"object","properties":{"b":{"type":"string","maxLength":3},"a":{}}}"#);
    let b = parse(r#"{"properties":{"a":{},"b":{"maxLength":3,"type":"string"}},"type":"object"}"#);
    assert_ne!(a.canonical_text(), b.canonical_text());
    assert_eq!(a.normalized_text().unwrap(), b.normalized_text().unwrap());
    assert_eq!(
        a.normalized_text().unwrap(),
        r#"{"properties":{"a":{},"b":{"maxLength":3,"type":"string"}},"type":"object"}"#
    );
}

#[test]
fn scalars_and_arrays_are_schemas_but_null_is_not() {
    for text in ["true", "false", "12", "\"x\"", "[]"] {
        assert_eq!(parse(text).canonical_text(), text);
    }
    assert!(error("null").starts_with("Invalid JSON Schema"));
}

#[test]
fn unparsable_json_is_reported_with_the_text() {
    assert_eq!(error("{\"type\": "), "Invalid JSON {\"type\": ");
    assert_eq!(error(""), "Invalid JSON ");
}

#[test]
fn keywords_of_the_wrong_type_are_rejected_with_their_path() {
    let cases = [
        (r#"{"type": "strin"}"#, "Invalid JSON Schema: #/type: unknown type: [strin]"),
        (r#"{"type": 12}"#, "Invalid JSON Schema: #/type: expected type is one of JSONArray or String, found: integer"),
        (
            r#"{"properties": {"a": {"maxLength": "3"}}}"#,
            "Invalid JSON Schema: #/properties/a/maxLength: expected type: Integer, found: string",
        ),
        (r#"{"minimum": "0"}"#, "Invalid JSON Schema: #/minimum: expected type: Number, found: string"),
        (r#"{"required": "a", "type": "object"}"#, "Invalid JSON Schema: #/required: expected type: JSONArray, found: string"),
        (r#"{"anyOf": [{"type": "string"}, 3]}"#, "Invalid JSON Schema: #/anyOf/1: expected type is one of Boolean or JsonObject, found: integer"),
        (r#"{"items": [true, "x"]}"#, "Invalid JSON Schema: #/items/1: expected type is one of Boolean or JsonObject, found: string"),
        (r#"{"enum": "a"}"#, "Invalid JSON Schema: #/enum: expected type: JSONArray, found: string"),
        (r#"{"$ref": 5}"#, "Invalid JSON Schema: #/$ref: expected type: String, found: integer"),
        (r#"{"pattern": "("}"#, "Invalid JSON Schema: #/pattern: invalid regular expression '('"),
        (r#"{"$schema": 7}"#, "Invalid JSON Schema: #/$schema: expected type: String, found: integer"),
    ];
    for (text, expected) in cases {
        let message = error(text);
        assert!(message.starts_with(expected), "{text}: {message}");
    }
}

#[test]
fn draft_4_takes_boolean_exclusive_bounds_and_draft_7_numeric_ones() {
    parse(
        r#"{"$schema": "http://json-schema.org/draft-04/schema#", "type": "number", "minimum": 0, "exclusiveMinimum": true}"#,
    );
    let message =
        error(r#"{"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMinimum": 0}"#);
    assert!(
        message.contains("#/exclusiveMinimum: expected type: Boolean"),
        "{message}"
    );
    let message = error(r#"{"exclusiveMinimum": true}"#);
    assert!(
        message.contains("#/exclusiveMinimum: expected type: Number"),
        "{message}"
    );
    // Java-only regular expressions (look-ahead) are accepted.
    parse(r#"{"type": "string", "pattern": "^(?!admin).*$"}"#);
}

#[test]
fn modern_drafts_load_their_keywords() {
    parse(
        r##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {"s": {"type": "string"}}, "type": "array", "prefixItems": [{"$ref": "#/$defs/s"}], "items": false}"##,
    );
    parse(
        r##"{"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object", "dependentRequired": {"a": ["b"]}, "unevaluatedProperties": false}"##,
    );
    let message =
        error(r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "prefixItems": {}}"#);
    assert!(message.contains("#/prefixItems"), "{message}");
}

#[test]
fn ref_to_a_referenced_schema_resolves_by_its_name() {
    let address = r#"{"type":"object","properties":{"street":{"type":"string"}},"definitions":{"zip":{"type":"integer"}}}"#;
    let references = [Referenced {
        name: "address.json",
        text: address,
    }];
    let text = r##"{"type":"object","properties":{"home":{"$ref":"address.json"},"zip":{"$ref":"address.json#/definitions/zip"}}}"##;
    let schema =
        ParsedSchema::parse(SchemaType::Json, text, &references).expect("references resolve");
    assert_eq!(schema.canonical_text(), text);

    // The same referrer without the reference is rejected at registration.
    let message = JsonSchema::parse(text, &[]).unwrap_err().message;
    assert!(message.contains("$ref 'address.json"), "{message}");
    assert!(message.contains("cannot be resolved"), "{message}");
}

#[test]
fn ref_resolves_relative_to_the_schema_id() {
    let references = [Referenced {
        name: "http://example.com/schemas/address.json",
        text: r#"{"type":"string"}"#,
    }];
    let text = r#"{"$id":"http://example.com/schemas/customer.json","properties":{"a":{"$ref":"address.json"}}}"#;
    JsonSchema::parse(text, &references).expect("relative $ref resolves against $id");
}

#[test]
fn a_change_inside_a_referenced_schema_is_followed() {
    let old_ref = [Referenced {
        name: "item.json",
        text: r#"{"type":"string"}"#,
    }];
    let new_ref = [Referenced {
        name: "item.json",
        text: r#"{"type":"integer"}"#,
    }];
    let text = r#"{"type":"array","items":{"$ref":"item.json"}}"#;
    let old = JsonSchema::parse(text, &old_ref).unwrap();
    let new = JsonSchema::parse(text, &new_ref).unwrap();
    assert_eq!(
        confluent_messages(&new, &old, Direction::Backward),
        ["{errorType:\"TYPE_CHANGED\", description:\"A type at path '#/items' is different between the new schema and the old schema'}"]
    );
}

#[test]
fn nesting_deeper_than_the_reader_allows_is_rejected_not_a_stack_overflow() {
    let depth = 2000;
    let text = format!("{}{}", r#"{"items":"#.repeat(depth), "}".repeat(depth));
    assert!(error(&text).starts_with("Invalid JSON"));

    // Just inside the limit: loads and compares on a test thread's stack.
    let depth = 126;
    let deep = |leaf: &str| {
        format!(
            "{}{leaf}{}",
            r#"{"items":"#.repeat(depth),
            "}".repeat(depth)
        )
    };
    let old = parse(&deep(r#"{"type":"string"}"#));
    let new = parse(&deep(r#"{"type":"integer"}"#));
    assert!(confluent_messages(&old, &old, Direction::Backward).is_empty());
    assert_eq!(confluent_messages(&new, &old, Direction::Backward).len(), 1);
}

#[test]
fn reference_cycles_load_and_compare_without_looping() {
    let text = r##"{"definitions":{"node":{"type":"object","properties":{"next":{"$ref":"#/definitions/node"},"value":{"type":"string"}}},"loop":{"$ref":"#/definitions/loop"}},"$ref":"#/definitions/node"}"##;
    let old = parse(text);
    let new = parse(&text.replace(
        r#""value":{"type":"string"}"#,
        r#""value":{"type":"integer"}"#,
    ));
    // As Confluent's fix-point pass does, the change is reported where it
    // is and again where the cycle re-enters the incompatible pair.
    let messages = confluent_messages(&new, &old, Direction::Backward);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("'#/properties/next/properties/value'"),
        "{messages:?}"
    );
    assert!(messages[1].contains("'#/properties/value'"), "{messages:?}");
    assert!(confluent_messages(&old, &old, Direction::Backward).is_empty());
    parse(
        r##"{"$ref":"#/definitions/a","definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}}}"##,
    );
}

#[test]
fn a_long_chain_of_references_compares_within_the_stack() {
    // Each definition nests the next through a $ref: the comparison depth
    // grows with the chain, not with the JSON nesting the reader bounds.
    let count = 3000;
    let mut definitions = Vec::new();
    for i in 0..count {
        definitions.push(format!(
            r##""d{i}":{{"type":"object","properties":{{"x":{{"$ref":"#/definitions/d{}"}}}}}}"##,
            i + 1
        ));
    }
    definitions.push(format!(r#""d{count}":{{"type":"string"}}"#));
    let text = format!(
        r##"{{"$ref":"#/definitions/d0","definitions":{{{}}}}}"##,
        definitions.join(",")
    );
    let schema = parse(&text);
    assert!(confluent_messages(&schema, &schema, Direction::Backward).is_empty());
}

#[test]
fn check_reports_json_items_in_confluent_layout() {
    use treaty_compat::{check, CheckOptions, CompatibilityLevel, PreviousVersion};
    let old_text =
        r#"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#;
    let old = ParsedSchema::parse(SchemaType::Json, old_text, &[]).unwrap();
    let new_text =
        r#"{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":false}"#;
    let new = ParsedSchema::parse(SchemaType::Json, new_text, &[]).unwrap();
    let previous = [PreviousVersion {
        version: 1,
        schema: &old,
        text: &old.canonical_text(),
    }];
    let messages = check(
        CompatibilityLevel::Full,
        &new,
        &previous,
        &CheckOptions::default(),
    )
    .confluent_messages();
    assert_eq!(
        messages,
        [
            "{errorType:\"TYPE_CHANGED\", description:\"A type at path '#/properties/a' is different between the old schema and the new schema'}",
            "{errorType:\"TYPE_CHANGED\", description:\"A type at path '#/properties/a' is different between the new schema and the old schema'}",
            "{oldSchemaVersion: 1}",
            &format!("{{oldSchema: '{old_text}'}}"),
            "{validateFields: 'false', compatibility: 'FULL'}",
        ]
    );
}
