//! Every mutation of the registry is one of these records, shaped like the
//! keys and values Confluent writes to its `_schemas` topic. The store keeps
//! the latest value per key (as a compacted topic does), and replaying the
//! records rebuilds the state, so importing a Confluent topic is a replay.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "keytype",
    rename_all = "SCREAMING_SNAKE_CASE",
    try_from = "StoredKey"
)]
pub enum RecordKey {
    Schema {
        subject: String,
        version: i32,
        magic: i32,
    },
    Config {
        subject: Option<String>,
        magic: i32,
    },
    Mode {
        subject: Option<String>,
        magic: i32,
    },
    DeleteSubject {
        subject: String,
        magic: i32,
    },
    Context {
        tenant: String,
        context: String,
        magic: i32,
    },
    /// treaty's own: the highest id ever allocated in a context, so that ids
    /// stay unique after the schemas holding them are hard-deleted.
    IdWatermark {
        context: String,
        magic: i32,
    },
}

impl RecordKey {
    pub fn schema(subject: &str, version: i32) -> Self {
        Self::Schema {
            subject: subject.to_owned(),
            version,
            magic: 1,
        }
    }

    /// `None` addresses the global (default context) config.
    pub fn config(subject: Option<&str>) -> Self {
        Self::Config {
            subject: subject.map(str::to_owned),
            magic: 0,
        }
    }

    pub fn mode(subject: Option<&str>) -> Self {
        Self::Mode {
            subject: subject.map(str::to_owned),
            magic: 0,
        }
    }

    pub fn delete_subject(subject: &str) -> Self {
        Self::DeleteSubject {
            subject: subject.to_owned(),
            magic: 0,
        }
    }

    pub fn id_watermark(context: &str) -> Self {
        Self::IdWatermark {
            context: context.to_owned(),
            magic: 0,
        }
    }

    pub fn context(context: &str) -> Self {
        Self::Context {
            tenant: "default".to_owned(),
            context: context.to_owned(),
            magic: 0,
        }
    }
}

/// Keys are read through this flat shape, not serde's internally tagged
/// enum, which buffers each key before it picks the variant: that was a
/// large share of replaying a big store.
#[derive(Deserialize)]
struct StoredKey {
    keytype: String,
    magic: Option<i32>,
    subject: Option<String>,
    version: Option<i32>,
    tenant: Option<String>,
    context: Option<String>,
}

impl TryFrom<StoredKey> for RecordKey {
    type Error = String;

    fn try_from(key: StoredKey) -> Result<Self, String> {
        let missing = |field: &str| format!("missing field `{field}` in a {} key", key.keytype);
        let magic = key.magic.ok_or_else(|| missing("magic"))?;
        let subject = || key.subject.clone().ok_or_else(|| missing("subject"));
        let context = || key.context.clone().ok_or_else(|| missing("context"));
        Ok(match key.keytype.as_str() {
            "SCHEMA" => Self::Schema {
                subject: subject()?,
                version: key.version.ok_or_else(|| missing("version"))?,
                magic,
            },
            "CONFIG" => Self::Config {
                subject: key.subject.clone(),
                magic,
            },
            "MODE" => Self::Mode {
                subject: key.subject.clone(),
                magic,
            },
            "DELETE_SUBJECT" => Self::DeleteSubject {
                subject: subject()?,
                magic,
            },
            "CONTEXT" => Self::Context {
                tenant: key.tenant.clone().ok_or_else(|| missing("tenant"))?,
                context: context()?,
                magic,
            },
            "ID_WATERMARK" => Self::IdWatermark {
                context: context()?,
                magic,
            },
            other => return Err(format!("unknown keytype `{other}`")),
        })
    }
}

/// A schema reference as stored: the version is always concrete.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    pub name: String,
    pub subject: String,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaValue {
    pub subject: String,
    pub version: i32,
    pub id: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_set: Option<Value>,
    pub schema: String,
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModeValue {
    pub mode: String,
}

/// Soft-deletes every version of `subject` up to `version`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeleteSubjectValue {
    pub subject: String,
    pub version: i32,
}

/// One write: a key and its new value, or `None` for a tombstone.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Schema(String, i32, Option<SchemaValue>),
    /// The value is the config object in Confluent's GET shape.
    Config(Option<String>, Option<Value>),
    Mode(Option<String>, Option<ModeValue>),
    DeleteSubject(String, Option<DeleteSubjectValue>),
    Context(String),
    IdWatermark(String, IdWatermarkValue),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdWatermarkValue {
    pub id: i32,
}

impl Record {
    pub fn key(&self) -> RecordKey {
        match self {
            Record::Schema(subject, version, _) => RecordKey::schema(subject, *version),
            Record::Config(subject, _) => RecordKey::config(subject.as_deref()),
            Record::Mode(subject, _) => RecordKey::mode(subject.as_deref()),
            Record::DeleteSubject(subject, _) => RecordKey::delete_subject(subject),
            Record::Context(context) => RecordKey::context(context),
            Record::IdWatermark(context, _) => RecordKey::id_watermark(context),
        }
    }

    /// The value's JSON, `None` for a tombstone.
    pub fn value_json(&self) -> Option<Vec<u8>> {
        let encoded = match self {
            Record::Schema(_, _, value) => value.as_ref().map(serde_json::to_vec),
            Record::Config(_, value) => value.as_ref().map(serde_json::to_vec),
            Record::Mode(_, value) => value.as_ref().map(serde_json::to_vec),
            Record::DeleteSubject(_, value) => value.as_ref().map(serde_json::to_vec),
            Record::Context(_) => Some(Ok(b"{}".to_vec())),
            Record::IdWatermark(_, value) => Some(serde_json::to_vec(value)),
        };
        encoded.map(|bytes| bytes.expect("records serialise to JSON"))
    }

    /// Rebuilds a record from a stored key and value.
    pub fn decode(key: RecordKey, value: Option<&[u8]>) -> serde_json::Result<Self> {
        fn parse<T: serde::de::DeserializeOwned>(
            v: Option<&[u8]>,
        ) -> serde_json::Result<Option<T>> {
            v.map(serde_json::from_slice).transpose()
        }
        Ok(match key {
            RecordKey::Schema {
                subject, version, ..
            } => Record::Schema(subject, version, parse(value)?),
            RecordKey::Config { subject, .. } => Record::Config(subject, parse(value)?),
            RecordKey::Mode { subject, .. } => Record::Mode(subject, parse(value)?),
            RecordKey::DeleteSubject { subject, .. } => {
                Record::DeleteSubject(subject, parse(value)?)
            }
            RecordKey::Context { context, .. } => Record::Context(context),
            RecordKey::IdWatermark { context, .. } => match parse(value)? {
                Some(watermark) => Record::IdWatermark(context, watermark),
                None => Record::IdWatermark(context, IdWatermarkValue { id: 0 }),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::RecordKey;

    #[test]
    fn every_key_reads_back_as_written() {
        let keys = [
            RecordKey::schema(":.ctx:s", 3),
            RecordKey::config(Some("s")),
            RecordKey::config(None),
            RecordKey::mode(Some("s")),
            RecordKey::mode(None),
            RecordKey::delete_subject("s"),
            RecordKey::context(".ctx"),
            RecordKey::id_watermark("."),
        ];
        for key in keys {
            let json = serde_json::to_string(&key).unwrap();
            assert_eq!(
                serde_json::from_str::<RecordKey>(&json).unwrap(),
                key,
                "{json}"
            );
        }
    }

    #[test]
    fn keys_missing_a_field_or_of_unknown_type_are_refused() {
        for json in [
            r#"{"keytype":"SCHEMA","subject":"s","magic":1}"#,
            r#"{"keytype":"SCHEMA","version":1,"magic":1}"#,
            r#"{"keytype":"CONFIG","subject":"s"}"#,
            r#"{"keytype":"NOOP","magic":0}"#,
            r#"{"subject":"s","version":1,"magic":1}"#,
        ] {
            assert!(serde_json::from_str::<RecordKey>(json).is_err(), "{json}");
        }
        // Confluent's keys as its `_schemas` topic holds them.
        let confluent = r#"{"keytype":"SCHEMA","subject":"orders-value","version":2,"magic":1}"#;
        assert_eq!(
            serde_json::from_str::<RecordKey>(confluent).unwrap(),
            RecordKey::schema("orders-value", 2)
        );
    }
}
