//! The JSON shapes of Confluent 7.9's responses (spec §1.1, §1.4, §1.5):
//! `schemaType` only when not AVRO, empty parts omitted.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value};
use treaty_compat::SchemaType;

use crate::registry::{Reference, RegisterOutcome, SchemaContent, VersionView};

/// The parts after `schema` in `SchemaString` and the long register answer.
fn insert_content_parts(map: &mut Map<String, Value>, content: &SchemaContent) {
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

/// `Schema`: GET version, lookup, `/schemas` items. Serialised straight
/// from the version it shows (these answer every producer's lookup).
#[derive(Serialize)]
pub struct SchemaView<'a> {
    subject: &'a str,
    version: i32,
    id: i32,
    #[serde(rename = "schemaType", skip_serializing_if = "Option::is_none")]
    schema_type: Option<&'static str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    references: &'a [Reference],
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Value>,
    #[serde(rename = "ruleSet", skip_serializing_if = "Option::is_none")]
    rule_set: Option<&'a Value>,
    schema: Cow<'a, str>,
}

/// `text` is the schema in the requested output format.
pub fn schema<'a>(view: &'a VersionView, text: Cow<'a, str>) -> SchemaView<'a> {
    let content = &view.content;
    SchemaView {
        subject: &view.subject,
        version: view.version,
        id: view.id,
        schema_type: (content.schema_type != SchemaType::Avro)
            .then(|| content.schema_type.as_str()),
        references: &content.references,
        metadata: content.metadata.as_deref(),
        rule_set: content.rule_set.as_deref(),
        schema: text,
    }
}

/// `SchemaString`: GET `/schemas/ids/{id}`.
pub fn schema_string(content: &SchemaContent, text: Cow<'_, str>, max_id: Option<i32>) -> Value {
    let mut map = Map::new();
    if content.schema_type != SchemaType::Avro {
        map.insert("schemaType".into(), content.schema_type.as_str().into());
    }
    map.insert("schema".into(), text.into_owned().into());
    insert_content_parts(&mut map, content);
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
        insert_content_parts(&mut map, content);
    }
    Value::Object(map)
}
