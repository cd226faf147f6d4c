//! The JSON shapes of Confluent 7.9's responses (spec §1.1, §1.4, §1.5):
//! `schemaType` only when not AVRO, empty parts omitted.

use serde_json::{Map, Value};
use treaty_compat::SchemaType;

use crate::registry::{RegisterOutcome, SchemaContent, VersionView};

fn insert_content_parts(
    map: &mut Map<String, Value>,
    content: &SchemaContent,
    with_schema_type: bool,
) {
    if with_schema_type && content.schema_type != SchemaType::Avro {
        map.insert("schemaType".into(), content.schema_type.as_str().into());
    }
    if !content.references.is_empty() {
        let references = serde_json::to_value(&content.references).expect("references serialise");
        map.insert("references".into(), references);
    }
    if let Some(metadata) = content.metadata.as_deref() {
        map.insert("metadata".into(), metadata.clone());
    }
    if let Some(rule_set) = content.rule_set.as_deref() {
        map.insert("ruleSet".into(), rule_set.clone());
    }
}

/// `Schema`: GET version, lookup, `/schemas` items; `text` is the schema
/// in the requested output format.
pub fn schema(view: &VersionView, text: String) -> Value {
    let mut map = Map::new();
    map.insert("subject".into(), view.subject.clone().into());
    map.insert("version".into(), view.version.into());
    map.insert("id".into(), view.id.into());
    insert_content_parts(&mut map, &view.content, true);
    map.insert("schema".into(), text.into());
    Value::Object(map)
}

/// `SchemaString`: GET `/schemas/ids/{id}`.
pub fn schema_string(content: &SchemaContent, text: String, max_id: Option<i32>) -> Value {
    let mut map = Map::new();
    if content.schema_type != SchemaType::Avro {
        map.insert("schemaType".into(), content.schema_type.as_str().into());
    }
    map.insert("schema".into(), text.into());
    insert_content_parts(&mut map, content, false);
    if let Some(max_id) = max_id {
        map.insert("maxId".into(), max_id.into());
    }
    Value::Object(map)
}

/// `RegisterSchemaResponse`: `{"id"}`, or the long form when Confluent 7.9
/// gives it.
pub fn registered(outcome: &RegisterOutcome) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), outcome.id.into());
    if let Some(content) = &outcome.long_form {
        map.insert("version".into(), outcome.version.into());
        if content.schema_type != SchemaType::Avro {
            map.insert("schemaType".into(), content.schema_type.as_str().into());
        }
        map.insert("schema".into(), content.schema.clone().into());
        insert_content_parts(&mut map, content, false);
    }
    Value::Object(map)
}
