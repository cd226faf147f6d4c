//! Jackson's reading of Confluent's typed request fields `Metadata` and
//! `RuleSet`, the same on every route that takes them (registration,
//! lookup, compatibility, `PUT /config`): scalars coerce to text where a
//! string is wanted, and any other shape is a 400 with Jackson's wording,
//! so that nothing is stored that Confluent would have refused.

use serde_json::{Map, Value};

use super::body::{shape_message, text_field, token_name, typed_bool_field};
use super::error::{ApiError, ApiResult};
use crate::registry::sorted_metadata;

const ENTITIES: &str = "io.confluent.kafka.schemaregistry.client.rest.entities";
const STRING_SET: &str = "java.util.HashSet<java.lang.String>";
const STRING_MAP: &str = "java.util.LinkedHashMap<java.lang.String,java.lang.String>";
const STRING_SET_MAP: &str =
    "java.util.LinkedHashMap<java.lang.String,java.util.Set<java.lang.String>>";

/// `metadata`: Confluent keeps `tags` (name to a set of strings),
/// `properties` (name to string) and `sensitive` (a set of strings), and
/// ignores anything else.
pub fn metadata_field(value: Option<&Value>) -> ApiResult<Option<Value>> {
    let Some(map) = object_or_null(value, &format!("{ENTITIES}.Metadata"))? else {
        return Ok(None);
    };
    let mut metadata = Map::new();
    if let Some(tags) = object_or_null(map.get("tags"), STRING_SET_MAP)? {
        let mut sets = Map::new();
        for (name, set) in tags {
            if let Some(set) = string_set(Some(set))? {
                sets.insert(name.clone(), set);
            }
        }
        metadata.insert("tags".into(), Value::Object(sets));
    }
    if let Some(properties) = string_map(map.get("properties"))? {
        metadata.insert("properties".into(), properties);
    }
    if let Some(sensitive) = string_set(map.get("sensitive"))? {
        metadata.insert("sensitive".into(), sensitive);
    }
    Ok(Some(sorted_metadata(&Value::Object(metadata))))
}

/// `ruleSet`: its rule lists are read as `Rule`s; other members are kept
/// as given.
pub fn rule_set_field(value: Option<&Value>) -> ApiResult<Option<Value>> {
    let Some(map) = object_or_null(value, &format!("{ENTITIES}.RuleSet"))? else {
        return Ok(None);
    };
    let mut rule_set = map.clone();
    for list in ["migrationRules", "domainRules"] {
        match map.get(list) {
            // Confluent leaves a null list out of its answers.
            None | Some(Value::Null) => {
                rule_set.remove(list);
            }
            Some(Value::Array(rules)) => {
                let rules = rules.iter().map(rule).collect::<ApiResult<Vec<_>>>()?;
                rule_set.insert(list.into(), Value::Array(rules));
            }
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                "Cannot deserialize value of type `java.util.ArrayList<{ENTITIES}.Rule>` from {}",
                token_name(other)
            )))
            }
        }
    }
    Ok(Some(Value::Object(rule_set)))
}

/// One `Rule`: its text fields coerce, `kind` and `mode` must name a value
/// of their enum, and `disabled` is a primitive boolean (`null` is false).
/// Fields left out stay out: Confluent's defaults are not written in.
fn rule(value: &Value) -> ApiResult<Value> {
    let Value::Object(map) = value else {
        return Err(ApiError::bad_request(shape_message(
            &format!("{ENTITIES}.Rule"),
            value,
        )));
    };
    let mut rule = map.clone();
    for name in ["name", "doc", "type", "expr", "onSuccess", "onFailure"] {
        set_or_remove(
            &mut rule,
            name,
            text_field(map.get(name))?.map(Value::String),
        );
    }
    set_or_remove(
        &mut rule,
        "kind",
        enum_field(map.get("kind"), "RuleKind", &["TRANSFORM", "CONDITION"])?,
    );
    set_or_remove(
        &mut rule,
        "mode",
        enum_field(
            map.get("mode"),
            "RuleMode",
            &[
                "UPGRADE",
                "DOWNGRADE",
                "UPDOWN",
                "WRITE",
                "READ",
                "WRITEREAD",
            ],
        )?,
    );
    set_or_remove(&mut rule, "tags", string_set(map.get("tags"))?);
    set_or_remove(&mut rule, "params", string_map(map.get("params"))?);
    if map.contains_key("disabled") {
        let disabled = typed_bool_field(map.get("disabled"), "boolean")?.unwrap_or(false);
        rule.insert("disabled".into(), Value::Bool(disabled));
    }
    Ok(Value::Object(rule))
}

fn set_or_remove(map: &mut Map<String, Value>, name: &str, value: Option<Value>) {
    match value {
        Some(value) => map.insert(name.to_owned(), value),
        None => map.remove(name),
    };
}

/// An object, or `None` for a missing or `null` field.
fn object_or_null<'a>(
    value: Option<&'a Value>,
    java_type: &str,
) -> ApiResult<Option<&'a Map<String, Value>>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(other) => Err(ApiError::bad_request(shape_message(java_type, other))),
    }
}

/// A set of strings, as a JSON array of distinct strings in their order.
fn string_set(value: Option<&Value>) -> ApiResult<Option<Value>> {
    let items = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Cannot deserialize value of type `{STRING_SET}` from {}",
                token_name(other)
            )))
        }
    };
    let mut set: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        // Jackson adds a null element as null; Confluent's sorted copy then
        // fails, so a null is refused as a non-string would be.
        let text = text_field(Some(item))?.ok_or_else(|| {
            ApiError::bad_request(format!(
                "Cannot deserialize value of type `java.lang.String` from {}",
                token_name(item)
            ))
        })?;
        let text = Value::String(text);
        if !set.contains(&text) {
            set.push(text);
        }
    }
    Ok(Some(Value::Array(set)))
}

/// A map of string to string; `null` values are dropped.
fn string_map(value: Option<&Value>) -> ApiResult<Option<Value>> {
    let Some(map) = object_or_null(value, STRING_MAP)? else {
        return Ok(None);
    };
    let mut strings = Map::new();
    for (key, value) in map {
        if let Some(text) = text_field(Some(value))? {
            strings.insert(key.clone(), Value::String(text));
        }
    }
    Ok(Some(Value::Object(strings)))
}

/// A Java enum read by Jackson: its name, or its index as an integer.
fn enum_field(value: Option<&Value>, enum_name: &str, names: &[&str]) -> ApiResult<Option<Value>> {
    let refuse = |shown: String| {
        ApiError::bad_request(format!(
            "Cannot deserialize value of type `{ENTITIES}.{enum_name}` from {shown}: not one of the values accepted for Enum class: [{}]",
            names.join(", ")
        ))
    };
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.is_empty() => Ok(None),
        Some(Value::String(text)) => names
            .iter()
            .find(|name| **name == text)
            .map(|name| Some(Value::String((*name).to_owned())))
            .ok_or_else(|| refuse(format!("String \"{text}\""))),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|index| names.get(usize::try_from(index).ok()?))
            .map(|name| Some(Value::String((*name).to_owned())))
            .ok_or_else(|| refuse(format!("Integer value ({n})"))),
        Some(other) => Err(ApiError::bad_request(format!(
            "Cannot deserialize value of type `{ENTITIES}.{enum_name}` from {}",
            token_name(other)
        ))),
    }
}
