//! Every mutation of the registry is one of these records, shaped like the
//! keys and values Confluent writes to its `_schemas` topic. The store keeps
//! the latest value per key (as a compacted topic does), and replaying the
//! records rebuilds the state, so importing a Confluent topic is a replay.
//!
//! Values have one encoding, Confluent's ([`Record::value_json`]). Keys have
//! two: the store's ([`RecordKey`]'s `Serialize`, which writes a global
//! config's subject as `null` and must not change, or existing data dirs
//! would hold two rows for one key), and the topic's, as current Confluent
//! writes it ([`Record::to_topic`], in [`topic`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod topic;

#[cfg(test)]
mod corpus_tests;

pub use topic::{LocalOnly, Skipped, TopicRecord};

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
    ClearSubject {
        subject: Option<String>,
        magic: i32,
    },
    Noop {
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

/// The only tenant treaty knows: Confluent Cloud's multi-tenancy is not
/// served, and this one is never written into subjects.
pub const DEFAULT_TENANT: &str = "default";

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

    pub fn clear_subject(subject: Option<&str>) -> Self {
        Self::ClearSubject {
            subject: subject.map(str::to_owned),
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
            tenant: DEFAULT_TENANT.to_owned(),
            context: context.to_owned(),
            magic: 0,
        }
    }
}

/// Keys are read through this flat shape, not serde's internally tagged
/// enum, which buffers each key before it picks the variant: that was a
/// large share of replaying a big store. Being flat, it takes the fields in
/// any order (Karapace once wrote `keytype` last) and ignores unknown ones,
/// as Confluent's readers do.
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
            "CLEAR_SUBJECT" => Self::ClearSubject {
                subject: key.subject.clone(),
                magic,
            },
            "NOOP" => Self::Noop { magic },
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

/// Fields in the order Confluent writes them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaValue {
    pub subject: String,
    pub version: i32,
    pub id: i32,
    /// Present only when Confluent encrypted sensitive metadata with its
    /// own keyset: carried through as found, never interpreted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
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

impl SchemaValue {
    /// A live version with no references, metadata or rules, of the
    /// default type (Avro).
    pub fn new(subject: &str, version: i32, id: i32, schema: &str) -> Self {
        Self {
            subject: subject.to_owned(),
            version,
            id,
            md5: None,
            schema_type: None,
            references: Vec::new(),
            metadata: None,
            rule_set: None,
            schema: schema.to_owned(),
            deleted: false,
        }
    }
}

/// The subject is the key's (Confluent repeats it in the value, and
/// [`Record::value_json`] writes it there).
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

/// Drops the soft-deleted versions of `subject`, of every subject in its
/// context when it names a context (`:.ctx:`), or of every subject when
/// `None`: Confluent writes it when a scope switches to IMPORT.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClearSubjectValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// One write: a key and its new value, or `None` for a tombstone.
// Nearly every record is a schema version: boxing them would cost an
// allocation each when replaying millions, for the sake of rare variants.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Schema(String, i32, Option<SchemaValue>),
    /// The value is the config object in Confluent's GET shape.
    Config(Option<String>, Option<Value>),
    Mode(Option<String>, Option<ModeValue>),
    DeleteSubject(String, Option<DeleteSubjectValue>),
    ClearSubject(Option<String>, Option<ClearSubjectValue>),
    /// Written to learn where the log ends; changes nothing.
    Noop,
    /// The context exists (it is listed even once its schemas are gone).
    Context(String),
    /// A context key's tombstone.
    ContextRemoved(String),
    /// treaty's own ([`Record::is_local_only`]).
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
            Record::ClearSubject(subject, _) => RecordKey::clear_subject(subject.as_deref()),
            Record::Noop => RecordKey::Noop { magic: 0 },
            Record::Context(context) | Record::ContextRemoved(context) => {
                RecordKey::context(context)
            }
            Record::IdWatermark(context, _) => RecordKey::id_watermark(context),
        }
    }

    /// Records only treaty understands, kept in its own store and never
    /// written to a Kafka topic: Confluent's reader thread dies on a
    /// keytype it does not know.
    pub fn is_local_only(&self) -> bool {
        matches!(self, Record::IdWatermark(..))
    }

    /// Whether the record removes its key. A NOOP has no value either, but
    /// it stands for no key to remove.
    pub fn is_tombstone(&self) -> bool {
        matches!(
            self,
            Record::Schema(_, _, None)
                | Record::Config(_, None)
                | Record::Mode(_, None)
                | Record::DeleteSubject(_, None)
                | Record::ClearSubject(_, None)
                | Record::ContextRemoved(_)
        )
    }

    /// The value's JSON as Confluent writes it, `None` for a tombstone.
    pub fn value_json(&self) -> Option<Vec<u8>> {
        topic::encode_value(self)
    }

    /// Rebuilds a record from a stored key and value. Values written before
    /// treaty wrote Confluent's value shapes (configs and modes without
    /// their subject, contexts as `{}`) read the same.
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
            RecordKey::Config { subject, .. } => {
                let config = parse::<Value>(value)?.map(without_subject);
                Record::Config(subject, config)
            }
            RecordKey::Mode { subject, .. } => Record::Mode(subject, parse(value)?),
            RecordKey::DeleteSubject { subject, .. } => {
                Record::DeleteSubject(subject, parse(value)?)
            }
            RecordKey::ClearSubject { subject, .. } => {
                let clear = parse::<ClearSubjectValue>(value)?.map(|clear| ClearSubjectValue {
                    subject: clear.subject.or_else(|| subject.clone()),
                });
                Record::ClearSubject(subject, clear)
            }
            RecordKey::Noop { .. } => Record::Noop,
            RecordKey::Context { context, .. } => match value {
                Some(value) => {
                    serde_json::from_slice::<Value>(value)?;
                    Record::Context(context)
                }
                None => Record::ContextRemoved(context),
            },
            RecordKey::IdWatermark { context, .. } => match parse(value)? {
                Some(watermark) => Record::IdWatermark(context, watermark),
                None => Record::IdWatermark(context, IdWatermarkValue { id: 0 }),
            },
        })
    }
}

/// A config value as the registry holds it: the subject is the key's.
fn without_subject(mut config: Value) -> Value {
    if let Value::Object(fields) = &mut config {
        fields.shift_remove("subject");
    }
    config
}

#[cfg(test)]
mod tests {
    use super::{Record, RecordKey};

    #[test]
    fn every_key_reads_back_as_written() {
        let keys = [
            RecordKey::schema(":.ctx:s", 3),
            RecordKey::config(Some("s")),
            RecordKey::config(None),
            RecordKey::mode(Some("s")),
            RecordKey::mode(None),
            RecordKey::delete_subject("s"),
            RecordKey::clear_subject(Some("s")),
            RecordKey::clear_subject(None),
            RecordKey::Noop { magic: 0 },
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

    /// The store's key bytes are its row identity: changing them would
    /// leave an existing data dir's row beside a new one for the same key.
    #[test]
    fn store_keys_keep_their_bytes() {
        let expected = [
            (
                RecordKey::schema("s", 2),
                r#"{"keytype":"SCHEMA","subject":"s","version":2,"magic":1}"#,
            ),
            (
                RecordKey::config(None),
                r#"{"keytype":"CONFIG","subject":null,"magic":0}"#,
            ),
            (
                RecordKey::mode(Some("s")),
                r#"{"keytype":"MODE","subject":"s","magic":0}"#,
            ),
            (
                RecordKey::context(".c"),
                r#"{"keytype":"CONTEXT","tenant":"default","context":".c","magic":0}"#,
            ),
            (
                RecordKey::id_watermark("."),
                r#"{"keytype":"ID_WATERMARK","context":".","magic":0}"#,
            ),
        ];
        for (key, json) in expected {
            assert_eq!(serde_json::to_string(&key).unwrap(), json);
        }
    }

    #[test]
    fn keys_missing_a_field_or_of_unknown_type_are_refused() {
        for json in [
            r#"{"keytype":"SCHEMA","subject":"s","magic":1}"#,
            r#"{"keytype":"SCHEMA","version":1,"magic":1}"#,
            r#"{"keytype":"CONFIG","subject":"s"}"#,
            r#"{"keytype":"ASSOC","subject":"s","magic":0}"#,
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

    /// What treaty's store held before it wrote Confluent's value shapes.
    #[test]
    fn values_of_existing_data_dirs_still_decode() {
        let config = Record::decode(
            RecordKey::config(Some("s")),
            Some(br#"{"compatibilityLevel":"FULL"}"#),
        )
        .unwrap();
        assert_eq!(
            config,
            Record::Config(
                Some("s".into()),
                Some(serde_json::json!({"compatibilityLevel": "FULL"}))
            )
        );
        let mode = Record::decode(RecordKey::mode(None), Some(br#"{"mode":"IMPORT"}"#)).unwrap();
        assert_eq!(mode.value_json().unwrap(), br#"{"mode":"IMPORT"}"#);
        let context = Record::decode(RecordKey::context(".c"), Some(b"{}")).unwrap();
        assert_eq!(context, Record::Context(".c".into()));
        assert_eq!(
            context.value_json().unwrap(),
            br#"{"tenant":"default","context":".c"}"#
        );
    }
}
