//! The content a schema id stands for, and the fingerprints that find the
//! id for equal content (spec §4.2).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use treaty_compat::SchemaType;

use crate::records::{Reference, SchemaValue};

/// The metadata property the server maintains itself (spec §4.8).
pub const CONFLUENT_VERSION: &str = "confluent:version";

/// What one schema id denotes: every subject-version holding the id has
/// exactly this content.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaContent {
    pub schema_type: SchemaType,
    /// The canonical text (or, in IMPORT mode, the text as imported).
    pub schema: String,
    pub references: Vec<Reference>,
    /// Boxed: most schemas have neither, and a million versions are held.
    pub metadata: Option<Box<Value>>,
    pub rule_set: Option<Box<Value>>,
    /// Confluent's `md5` of a schema whose sensitive metadata it encrypted
    /// with its own keyset: kept as found and written back with every
    /// version of this content, never computed (spec §1.3).
    pub md5: Option<Box<str>>,
}

pub type Fingerprint = [u8; 16];

impl SchemaContent {
    /// The content a stored value holds (taken, not copied: replaying a
    /// large store makes a million of these).
    pub fn from_value(value: SchemaValue) -> Self {
        let schema_type = value
            .schema_type
            .as_deref()
            .and_then(SchemaType::from_name)
            .unwrap_or(SchemaType::Avro);
        Self {
            schema_type,
            schema: value.schema,
            references: value.references,
            metadata: value.metadata.map(Box::new),
            rule_set: value.rule_set.map(Box::new),
            md5: value.md5.map(String::into_boxed_str),
        }
    }

    pub fn to_value(&self, subject: &str, version: i32, id: i32, deleted: bool) -> SchemaValue {
        SchemaValue {
            subject: subject.to_owned(),
            version,
            id,
            md5: self.md5.as_deref().map(str::to_owned),
            schema_type: (self.schema_type != SchemaType::Avro)
                .then(|| self.schema_type.as_str().to_owned()),
            references: self.references.clone(),
            metadata: self.metadata.as_deref().cloned(),
            rule_set: self.rule_set.as_deref().cloned(),
            schema: self.schema.clone(),
            deleted,
        }
    }

    /// Identity: equal fingerprints in one context share one id.
    pub fn fingerprint(&self) -> Fingerprint {
        self.digest(self.metadata.as_deref())
    }

    /// Equality for "is this already registered?": a `confluent:version`
    /// property on either side, and an empty metadata object, do not count.
    pub fn lookup_fingerprint(&self) -> Fingerprint {
        self.digest(lookup_metadata(self.metadata.as_deref()).as_ref())
    }

    /// BLAKE3 where Confluent uses MD5: the fingerprint never leaves the
    /// process, only equality matters, and BLAKE3 is both several times
    /// faster (every stored version is hashed at startup) and
    /// collision-resistant (crafted MD5 collisions would share an id).
    fn digest(&self, metadata: Option<&Value>) -> Fingerprint {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.schema_type.as_str().as_bytes());
        hasher.update(&[0]);
        hasher.update(self.schema.as_bytes());
        for reference in &self.references {
            hasher.update(&[1]);
            hasher.update(reference.name.as_bytes());
            hasher.update(&[0]);
            hasher.update(reference.subject.as_bytes());
            hasher.update(&reference.version.to_be_bytes());
        }
        for (marker, part) in [(2u8, metadata), (3, self.rule_set.as_deref())] {
            if let Some(part) = part {
                hasher.update(&[marker]);
                hasher.update(part.to_string().as_bytes());
            }
        }
        let mut fingerprint = [0; 16];
        fingerprint.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
        fingerprint
    }
}

impl SchemaContent {
    /// Confluent's `canLookup` beyond equal fingerprints: equal but for a
    /// `confluent:version` that only one side carries, where a request's
    /// own `confluent:version` must name the candidate's version number.
    pub fn can_look_up(&self, candidate: &SchemaContent, candidate_version: i32) -> bool {
        let own = confluent_version(self.metadata.as_deref());
        let theirs = confluent_version(candidate.metadata.as_deref());
        match (own, theirs) {
            (None, None) => false,
            (Some(_), Some(_)) => self.fingerprint() == candidate.fingerprint(),
            (None, Some(_)) => self.lookup_fingerprint() == candidate.lookup_fingerprint(),
            (Some(own), None) => {
                own.trim().parse::<i32>() == Ok(candidate_version)
                    && self.lookup_fingerprint() == candidate.lookup_fingerprint()
            }
        }
    }

    /// Whether [`SchemaContent::can_look_up`] can find anything beyond
    /// equal fingerprints with this content on one side.
    pub fn carries_confluent_version(&self) -> bool {
        confluent_version(self.metadata.as_deref()).is_some()
    }
}

/// The `confluent:version` property of `metadata`, if it has one.
pub fn confluent_version(metadata: Option<&Value>) -> Option<&str> {
    metadata?
        .get("properties")?
        .get(CONFLUENT_VERSION)?
        .as_str()
}

/// Metadata as Confluent's `Metadata` holds it: `tags`, `properties` and
/// `sensitive` in that order, keys and set members sorted, empty parts
/// left out (so `{}` stays an empty, but present, metadata).
pub fn sorted_metadata(metadata: &Value) -> Value {
    let part = |name: &str| metadata.get(name).filter(|p| !is_empty_part(p));
    let mut sorted = Map::new();
    if let Some(Value::Object(tags)) = part("tags") {
        let tags: BTreeMap<&String, Value> = tags
            .iter()
            .map(|(path, names)| (path, sorted_set(names)))
            .collect();
        let tags = tags.into_iter().map(|(k, v)| (k.clone(), v)).collect();
        sorted.insert("tags".into(), Value::Object(tags));
    }
    if let Some(Value::Object(properties)) = part("properties") {
        let properties: BTreeMap<&String, &Value> = properties.iter().collect();
        let properties = properties
            .into_iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        sorted.insert("properties".into(), Value::Object(properties));
    }
    if let Some(sensitive) = part("sensitive") {
        sorted.insert("sensitive".into(), sorted_set(sensitive));
    }
    Value::Object(sorted)
}

fn sorted_set(items: &Value) -> Value {
    let items: BTreeSet<String> = match items {
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        other => BTreeSet::from([other.to_string()]),
    };
    Value::from(items.into_iter().collect::<Vec<_>>())
}

/// Confluent's `Metadata.mergeMetadata`: each part of `newer` laid over the
/// same part of `older` (map entries of `newer` win, sets are united).
pub fn merge_metadata(older: Option<&Value>, newer: Option<&Value>) -> Option<Value> {
    let (older, newer) = match (older, newer) {
        (None, newer) => return newer.map(sorted_metadata),
        (older, None) => return older.map(sorted_metadata),
        (Some(older), Some(newer)) => (older, newer),
    };
    let mut merged = older.as_object().cloned().unwrap_or_default();
    for (name, part) in newer.as_object().into_iter().flatten() {
        if is_empty_part(part) {
            continue;
        }
        let combined = match (merged.get(name), part) {
            (Some(Value::Object(old)), Value::Object(new)) => {
                let mut map = old.clone();
                map.extend(new.clone());
                Value::Object(map)
            }
            (Some(Value::Array(old)), Value::Array(new)) => {
                Value::Array(old.iter().chain(new).cloned().collect())
            }
            _ => part.clone(),
        };
        merged.insert(name.clone(), combined);
    }
    Some(sorted_metadata(&Value::Object(merged)))
}

/// Sets `confluent:version` to `version`, as Confluent does when a version
/// is asked for or the property is already there.
pub fn with_confluent_version(metadata: Option<&Value>, version: i32) -> Value {
    let mut metadata = metadata
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut properties = metadata
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    properties.insert(CONFLUENT_VERSION.into(), Value::from(version.to_string()));
    metadata.insert("properties".into(), Value::Object(properties));
    sorted_metadata(&Value::Object(metadata))
}

/// Metadata as lookups compare it: without `confluent:version`, and with
/// empty parts dropped.
fn lookup_metadata(metadata: Option<&Value>) -> Option<Value> {
    let mut metadata = metadata?.as_object()?.clone();
    if let Some(Value::Object(properties)) = metadata.get_mut("properties") {
        properties.remove(CONFLUENT_VERSION);
    }
    metadata.retain(|_, part| !is_empty_part(part));
    (!metadata.is_empty()).then_some(Value::Object(metadata))
}

fn is_empty_part(part: &Value) -> bool {
    match part {
        Value::Null => true,
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn content(metadata: Option<Value>) -> SchemaContent {
        SchemaContent {
            schema_type: SchemaType::Avro,
            schema: "\"string\"".into(),
            references: vec![],
            metadata: metadata.map(Box::new),
            rule_set: None,
            md5: None,
        }
    }

    #[test]
    fn metadata_is_part_of_identity() {
        let plain = content(None);
        let owned = content(Some(json!({"properties": {"owner": "a"}})));
        assert_ne!(plain.fingerprint(), owned.fingerprint());
        assert_ne!(plain.lookup_fingerprint(), owned.lookup_fingerprint());
    }

    #[test]
    fn lookups_ignore_the_confluent_version_property() {
        let plain = content(None);
        let versioned = content(Some(json!({"properties": {"confluent:version": "3"}})));
        assert_ne!(plain.fingerprint(), versioned.fingerprint());
        assert_eq!(plain.lookup_fingerprint(), versioned.lookup_fingerprint());
    }
}
