//! Records as Confluent's `_schemas` topic holds them, byte for byte both
//! ways (spec: schemas-topic.md §1.2–1.7). Confluent writes with Jackson:
//! compact JSON, fields in a fixed order, and empty (null or `""`) fields
//! left out, so a global config's key has no `subject` at all. Readers
//! accept every variant found in the wild: magic 0 and 1 schema keys, a
//! global subject absent or `null`, Karapace's legacy field order.

use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};
use serde_json::{Map, Value};

use super::{ClearSubjectValue, Record, RecordKey, DEFAULT_TENANT};

/// A record's key and value bytes, the value `None` for a tombstone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicRecord {
    pub key: Vec<u8>,
    pub value: Option<Vec<u8>>,
}

/// The record is treaty's own ([`Record::is_local_only`]): it has no place
/// on a topic other registries read.
#[derive(Debug, PartialEq, Eq)]
pub struct LocalOnly;

impl std::fmt::Display for LocalOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("treaty's local-only records are never written to a Kafka topic")
    }
}

impl std::error::Error for LocalOnly {}

/// A topic record treaty does not apply, and why: a key that does not
/// decode, a keytype it does not know, a value that does not fit its key.
/// Never fatal: a reader logs it and goes on with the next record, as
/// Confluent's does.
#[derive(Debug, PartialEq, Eq)]
pub struct Skipped(pub String);

impl Record {
    /// The key and value bytes current Confluent writes for this record.
    pub fn to_topic(&self) -> Result<TopicRecord, LocalOnly> {
        if self.is_local_only() {
            return Err(LocalOnly);
        }
        Ok(TopicRecord {
            key: encode_key(&self.key()),
            value: encode_value(self),
        })
    }

    /// Reads a topic record; `value` is `None` for a tombstone.
    pub fn from_topic(key: Option<&[u8]>, value: Option<&[u8]>) -> Result<Record, Skipped> {
        let key = key.ok_or_else(|| Skipped("a record without a key".to_owned()))?;
        let key: RecordKey = serde_json::from_slice(key)
            .map_err(|e| Skipped(format!("the key does not decode: {e}")))?;
        match &key {
            RecordKey::Schema { magic, .. } if !matches!(magic, 0 | 1) => {
                return Err(Skipped(format!("a SCHEMA key with magic {magic}")));
            }
            RecordKey::IdWatermark { .. } => {
                return Err(Skipped("unknown keytype `ID_WATERMARK`".to_owned()));
            }
            RecordKey::Context { tenant, .. } if tenant != DEFAULT_TENANT => {
                return Err(Skipped(format!("a context of tenant `{tenant}`")));
            }
            _ => {}
        }
        Record::decode(key, value).map_err(|e| Skipped(format!("the value does not decode: {e}")))
    }
}

impl RecordKey {
    /// The key bytes current Confluent writes for this key.
    pub fn to_topic(&self) -> Vec<u8> {
        encode_key(self)
    }
}

/// Every key's fields, in Jackson's order for each keytype: no keytype has
/// both a subject and a context, so one order serves all.
#[derive(Serialize)]
struct KeyFields<'a> {
    keytype: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<i32>,
    magic: i32,
}

fn encode_key(key: &RecordKey) -> Vec<u8> {
    let mut fields = KeyFields {
        keytype: "",
        tenant: None,
        context: None,
        subject: None,
        version: None,
        magic: 0,
    };
    match key {
        RecordKey::Schema {
            subject,
            version,
            magic,
        } => {
            fields.keytype = "SCHEMA";
            fields.subject = non_empty(Some(subject));
            fields.version = Some(*version);
            fields.magic = *magic;
        }
        RecordKey::Config { subject, magic } => {
            fields.keytype = "CONFIG";
            fields.subject = non_empty(subject.as_deref());
            fields.magic = *magic;
        }
        RecordKey::Mode { subject, magic } => {
            fields.keytype = "MODE";
            fields.subject = non_empty(subject.as_deref());
            fields.magic = *magic;
        }
        RecordKey::DeleteSubject { subject, magic } => {
            fields.keytype = "DELETE_SUBJECT";
            fields.subject = non_empty(Some(subject));
            fields.magic = *magic;
        }
        RecordKey::ClearSubject { subject, magic } => {
            fields.keytype = "CLEAR_SUBJECT";
            fields.subject = non_empty(subject.as_deref());
            fields.magic = *magic;
        }
        RecordKey::Noop { magic } => {
            fields.keytype = "NOOP";
            fields.magic = *magic;
        }
        RecordKey::Context {
            tenant,
            context,
            magic,
        } => {
            fields.keytype = "CONTEXT";
            fields.tenant = non_empty(Some(tenant));
            fields.context = non_empty(Some(context));
            fields.magic = *magic;
        }
        RecordKey::IdWatermark { context, magic } => {
            fields.keytype = "ID_WATERMARK";
            fields.context = Some(context);
            fields.magic = *magic;
        }
    }
    to_jackson_json(&fields)
}

/// Jackson's `NON_EMPTY` leaves out empty strings as well as nulls.
fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.is_empty())
}

#[derive(Serialize)]
struct SubjectAndMode<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    mode: &'a str,
}

#[derive(Serialize)]
struct ContextFields<'a> {
    tenant: &'a str,
    context: &'a str,
}

/// The value bytes Confluent writes, `None` for a tombstone.
pub(super) fn encode_value(record: &Record) -> Option<Vec<u8>> {
    Some(match record {
        Record::Schema(_, _, value) => to_jackson_json(value.as_ref()?),
        Record::Config(subject, value) => {
            to_jackson_json(&config_fields(subject.as_deref(), value.as_ref()?))
        }
        Record::Mode(subject, value) => to_jackson_json(&SubjectAndMode {
            subject: non_empty(subject.as_deref()),
            mode: &value.as_ref()?.mode,
        }),
        Record::DeleteSubject(_, value) => to_jackson_json(value.as_ref()?),
        Record::ClearSubject(_, value) => to_jackson_json(&ClearSubjectValue {
            subject: non_empty(value.as_ref()?.subject.as_deref()).map(str::to_owned),
        }),
        Record::Noop | Record::ContextRemoved(_) => return None,
        Record::Context(context) => to_jackson_json(&ContextFields {
            tenant: DEFAULT_TENANT,
            context,
        }),
        Record::IdWatermark(_, value) => to_jackson_json(value),
    })
}

/// The fields of Confluent's `ConfigValue`, in the order it writes them.
/// Fields it does not know yet follow, as they were found.
const CONFIG_FIELDS: [&str; 13] = [
    "alias",
    "aliasForDeks",
    "normalize",
    "validateFields",
    "validateNewSchemas",
    "validateRules",
    "compatibilityLevel",
    "compatibilityPolicy",
    "compatibilityGroup",
    "defaultMetadata",
    "overrideMetadata",
    "defaultRuleSet",
    "overrideRuleSet",
];

fn config_fields(subject: Option<&str>, config: &Value) -> Value {
    let Value::Object(config) = config else {
        return config.clone();
    };
    let mut ordered = Map::new();
    if let Some(subject) = non_empty(subject) {
        ordered.insert("subject".to_owned(), Value::from(subject));
    }
    let known = CONFIG_FIELDS
        .iter()
        .filter_map(|name| config.get_key_value(*name));
    let unknown = config
        .iter()
        .filter(|(name, _)| !CONFIG_FIELDS.contains(&name.as_str()));
    for (name, value) in known.chain(unknown) {
        let empty = value.is_null() || value.as_str() == Some("");
        if !empty {
            ordered.insert(name.clone(), value.clone());
        }
    }
    Value::Object(ordered)
}

fn to_jackson_json(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, JacksonFormatter);
    value
        .serialize(&mut serializer)
        .expect("records serialise to JSON");
    bytes
}

/// serde_json's compact output but for one detail: Jackson writes the
/// `\u` escape of a control character in upper case hex.
struct JacksonFormatter;

impl Formatter for JacksonFormatter {
    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        let short: &[u8] = match escape {
            CharEscape::Quote => b"\\\"",
            CharEscape::ReverseSolidus => b"\\\\",
            CharEscape::Solidus => b"\\/",
            CharEscape::Backspace => b"\\b",
            CharEscape::FormFeed => b"\\f",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            CharEscape::AsciiControl(byte) => {
                return write!(writer, "\\u{byte:04X}");
            }
        };
        writer.write_all(short)
    }
}
