use std::fmt;

use crate::avro::AvroSchema;
use crate::json::JsonSchema;
use crate::protobuf::ProtobufSchema;

/// The schema formats of Confluent's `schemaType` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemaType {
    Avro,
    Protobuf,
    Json,
}

impl SchemaType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Avro => "AVRO",
            Self::Protobuf => "PROTOBUF",
            Self::Json => "JSON",
        }
    }

    /// Confluent matches `schemaType` case-sensitively.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "AVRO" => Some(Self::Avro),
            "PROTOBUF" => Some(Self::Protobuf),
            "JSON" => Some(Self::Json),
            _ => None,
        }
    }
}

/// Why a schema text was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, as precisely as treaty can say it.
    pub message: String,
    /// Set when Confluent finds the problem not while parsing but when it
    /// validates the parsed schema: what it then reports (its 42201 says
    /// `Invalid schema {…}, details: <this>`, without the `with refs … of
    /// type …` of a parse failure). Unset, Confluent reports `message`
    /// while parsing.
    pub validation: Option<String>,
}

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            validation: None,
        }
    }

    /// This error as Confluent's validation reports it, in `confluent`'s
    /// words (which may say less than `message`).
    pub fn found_in_validation(self, confluent: impl Into<String>) -> Self {
        Self {
            validation: Some(confluent.into()),
            ..self
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// A schema that the schema being parsed references: `name` is what the
/// referrer uses (an Avro full name, a Protobuf import path, a JSON Schema
/// `$ref` URL), `text` the referenced schema.
#[derive(Clone, Copy, Debug)]
pub struct Referenced<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// A schema of any supported format, parsed and validated.
#[derive(Clone, Debug)]
pub enum ParsedSchema {
    Avro(AvroSchema),
    Protobuf(ProtobufSchema),
    Json(JsonSchema),
}

impl ParsedSchema {
    /// Parses `text` as `schema_type`. `references` are the referenced
    /// schemas, transitively, each once, dependencies before dependants.
    pub fn parse(
        schema_type: SchemaType,
        text: &str,
        references: &[Referenced<'_>],
    ) -> Result<Self, ParseError> {
        match schema_type {
            SchemaType::Avro => {
                let texts: Vec<&str> = references.iter().map(|r| r.text).collect();
                AvroSchema::parse(text, &texts).map(Self::Avro)
            }
            SchemaType::Protobuf => ProtobufSchema::parse(text, references).map(Self::Protobuf),
            SchemaType::Json => JsonSchema::parse(text, references).map(Self::Json),
        }
    }

    pub fn schema_type(&self) -> SchemaType {
        match self {
            Self::Avro(_) => SchemaType::Avro,
            Self::Protobuf(_) => SchemaType::Protobuf,
            Self::Json(_) => SchemaType::Json,
        }
    }

    /// The text Confluent stores for this schema (spec §4.5).
    pub fn canonical_text(&self) -> String {
        match self {
            Self::Avro(schema) => schema.canonical_text(),
            Self::Protobuf(schema) => schema.canonical_text(),
            Self::Json(schema) => schema.canonical_text(),
        }
    }

    /// The schema in an output `format` (Confluent's `?format=`); `None`
    /// where the format does not apply, and the default text is answered.
    pub fn formatted(&self, format: &str) -> Option<String> {
        match self {
            Self::Avro(_) => None,
            Self::Protobuf(schema) => schema.formatted(format),
            Self::Json(_) => None,
        }
    }

    /// Checks what Confluent checks of a new schema beyond parsing when
    /// asked to (`avro.validate.defaults`): Avro field defaults fit their
    /// types. The other formats have nothing more to check.
    pub fn validate_defaults(&self) -> Result<(), ParseError> {
        match self {
            Self::Avro(schema) => schema.validate_defaults(),
            Self::Protobuf(_) | Self::Json(_) => Ok(()),
        }
    }

    /// The text stored when `normalize=true`; fails where normalising
    /// validates more than parsing does (e.g. Avro field defaults).
    pub fn normalized_text(&self) -> Result<String, ParseError> {
        match self {
            Self::Avro(schema) => schema.normalized_text(),
            Self::Protobuf(schema) => schema.normalized_text(),
            Self::Json(schema) => schema.normalized_text(),
        }
    }
}
