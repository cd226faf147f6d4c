//! The content a schema id stands for, and the fingerprints that find the
//! id for equal content (spec §4.2).

use md5::{Digest, Md5};
use serde_json::Value;
use treaty_compat::SchemaType;

use super::records::{Reference, SchemaValue};

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
    pub metadata: Option<Value>,
    pub rule_set: Option<Value>,
}

pub type Fingerprint = [u8; 16];

impl SchemaContent {
    pub fn from_value(value: &SchemaValue) -> Self {
        let schema_type = value
            .schema_type
            .as_deref()
            .and_then(SchemaType::from_name)
            .unwrap_or(SchemaType::Avro);
        Self {
            schema_type,
            schema: value.schema.clone(),
            references: value.references.clone(),
            metadata: value.metadata.clone(),
            rule_set: value.rule_set.clone(),
        }
    }

    pub fn to_value(&self, subject: &str, version: i32, id: i32, deleted: bool) -> SchemaValue {
        SchemaValue {
            subject: subject.to_owned(),
            version,
            id,
            schema_type: (self.schema_type != SchemaType::Avro)
                .then(|| self.schema_type.as_str().to_owned()),
            references: self.references.clone(),
            metadata: self.metadata.clone(),
            rule_set: self.rule_set.clone(),
            schema: self.schema.clone(),
            deleted,
        }
    }

    /// Identity: equal fingerprints in one context share one id.
    pub fn fingerprint(&self) -> Fingerprint {
        self.digest(self.metadata.as_ref())
    }

    /// Equality for "is this already registered?": a `confluent:version`
    /// property on either side, and an empty metadata object, do not count.
    pub fn lookup_fingerprint(&self) -> Fingerprint {
        self.digest(lookup_metadata(self.metadata.as_ref()).as_ref())
    }

    fn digest(&self, metadata: Option<&Value>) -> Fingerprint {
        let mut md5 = Md5::new();
        md5.update(self.schema_type.as_str());
        md5.update([0]);
        md5.update(&self.schema);
        for reference in &self.references {
            md5.update([1]);
            md5.update(&reference.name);
            md5.update([0]);
            md5.update(&reference.subject);
            md5.update(reference.version.to_be_bytes());
        }
        for (marker, part) in [(2u8, metadata), (3, self.rule_set.as_ref())] {
            if let Some(part) = part {
                md5.update([marker]);
                md5.update(part.to_string());
            }
        }
        md5.finalize().into()
    }
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
            metadata,
            rule_set: None,
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
