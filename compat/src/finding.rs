//! One thing a compatibility check found, in a shape every format shares:
//! which rule, where in each schema, how bad, and in which direction. A CLI,
//! a web UI or a JSON report reads these fields; the server renders them as
//! Confluent's message items ([`Finding::confluent_message`]).

use serde::{Serialize, Serializer};

use crate::avro::compatibility::IncompatibilityType;
use crate::json::compatibility::DifferenceType as JsonDifferenceType;
use crate::protobuf::compatibility::wire::WireRule;
use crate::protobuf::compatibility::DifferenceType as ProtobufDifferenceType;
use crate::Side;

/// The rule that produced a finding, by format. Serialized as its stable
/// identifier ([`Rule::id`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Avro's reader/writer rules (Java's `SchemaIncompatibilityType`).
    Avro(IncompatibilityType),
    /// Confluent's Protobuf differ (`Difference.Type`).
    Protobuf(ProtobufDifferenceType),
    /// The opt-in Buf `WIRE` / `WIRE_JSON` rules.
    ProtobufWire(WireRule),
    /// Confluent's JSON Schema differ (`Difference.Type`).
    Json(JsonDifferenceType),
    /// The old and the new schema are of different formats.
    DifferentSchemaType,
    /// The check itself failed where Java throws (Avro: a reader field
    /// matching several writer fields).
    CheckAborted,
}

impl Rule {
    /// The identifier a client matches on: Confluent's (e.g.
    /// `READER_FIELD_MISSING_DEFAULT_VALUE`, `FIELD_KIND_CHANGED`) or Buf's
    /// (e.g. `FIELD_WIRE_COMPATIBLE_TYPE`); treaty's own for the last two.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Avro(kind) => kind.as_str(),
            Rule::Protobuf(kind) => kind.as_str(),
            Rule::ProtobufWire(rule) => rule.as_str(),
            Rule::Json(kind) => kind.name(),
            Rule::DifferentSchemaType => "DIFFERENT_SCHEMA_TYPE",
            Rule::CheckAborted => "CHECK_ABORTED",
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// How a finding bears on the configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks the level: the schema is refused.
    Error,
    /// Worth showing but allowed by the level; never in Confluent's
    /// messages. No rule reports one yet: this is where a CLI's advice
    /// (e.g. a change only some clients tolerate) is meant to go.
    Warning,
}

/// Which schema reads data written with the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The new schema reads data written with the old one.
    Backward,
    /// The old schema reads data written with the new one.
    Forward,
}

impl Direction {
    /// The schema reading the data.
    pub fn reader(self) -> Side {
        match self {
            Direction::Backward => Side::New,
            Direction::Forward => Side::Old,
        }
    }

    /// The schema the data was written with.
    pub fn writer(self) -> Side {
        match self {
            Direction::Backward => Side::Old,
            Direction::Forward => Side::New,
        }
    }
}

/// One reason (or, with [`Severity::Warning`], one caveat) found comparing
/// the new schema with one old version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// `None` for findings about the pair as a whole (different formats).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Where in the old schema, in the format's own path syntax (Avro:
    /// `/fields/1/type`; Protobuf: `#/Message/3`; JSON Schema:
    /// `#/properties/a`; Buf rules: the element's full name); `None` where
    /// the element is not in the old schema or the rule gives no place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// Where in the new schema, likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_path: Option<String>,
    /// The human description, Confluent's sentence where Confluent has one.
    pub message: String,
    /// Avro's detail (Confluent's `additionalInfo`), e.g. `expected: R`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Finding {
    /// An error of a format's rule found reading in `direction`, with the
    /// path given for the reader's and the writer's schema.
    pub(crate) fn error(
        rule: Rule,
        direction: Direction,
        reader_path: Option<String>,
        writer_path: Option<String>,
        message: String,
    ) -> Finding {
        let (old_path, new_path) = match direction {
            Direction::Backward => (writer_path, reader_path),
            Direction::Forward => (reader_path, writer_path),
        };
        Finding {
            rule,
            severity: Severity::Error,
            direction: Some(direction),
            old_path,
            new_path,
            message,
            detail: None,
        }
    }

    /// An error of a differ-based format (original = writer, update =
    /// reader) at `path`, which names an element of the schema(s) `located_in`
    /// says.
    pub(crate) fn at_differ_path(
        rule: Rule,
        direction: Direction,
        path: &str,
        located_in: LocatedIn,
        message: String,
    ) -> Finding {
        let path = Some(path.to_string());
        let (reader_path, writer_path) = match located_in {
            LocatedIn::Original => (None, path),
            LocatedIn::Update => (path, None),
            LocatedIn::Both => (path.clone(), path),
        };
        Finding::error(rule, direction, reader_path, writer_path, message)
    }

    /// Breaks the level.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Confluent's item for this finding, quoted as Confluent quotes each
    /// format (quotes inside are not escaped, as in Java).
    pub fn confluent_message(&self) -> String {
        let (id, message) = (self.rule.id(), &self.message);
        match self.rule {
            Rule::Avro(_) => format!(
                "{{errorType:'{id}', description:'{message}', additionalInfo:'{}'}}",
                self.detail.as_deref().unwrap_or_default()
            ),
            Rule::Protobuf(_) | Rule::ProtobufWire(_) => {
                format!("{{errorType:\"{id}\", description:\"{message}\"}}")
            }
            // Confluent closes the JSON Schema description with a single quote.
            Rule::Json(_) => format!("{{errorType:\"{id}\", description:\"{message}'}}"),
            Rule::DifferentSchemaType | Rule::CheckAborted => message.clone(),
        }
    }
}

/// The schema(s) a differ's path names an element of: the original (the
/// writer), the update (the reader), or both.
pub(crate) enum LocatedIn {
    Original,
    Update,
    Both,
}
