//! What the checker reports: Java's `SchemaCompatibility.Incompatibility`,
//! and the finding (with the description of Confluent's `avro.Difference`)
//! made of it.

use std::fmt;

use crate::{Direction, Finding, Rule};

/// Java's `SchemaIncompatibilityType`; the upper-case names are what
/// Confluent prints as `errorType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IncompatibilityType {
    NameMismatch,
    FixedSizeMismatch,
    MissingEnumSymbols,
    ReaderFieldMissingDefaultValue,
    TypeMismatch,
    MissingUnionBranch,
}

impl IncompatibilityType {
    /// The identifier clients match on, e.g. `READER_FIELD_MISSING_DEFAULT_VALUE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NameMismatch => "NAME_MISMATCH",
            Self::FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
            Self::MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
            Self::ReaderFieldMissingDefaultValue => "READER_FIELD_MISSING_DEFAULT_VALUE",
            Self::TypeMismatch => "TYPE_MISMATCH",
            Self::MissingUnionBranch => "MISSING_UNION_BRANCH",
        }
    }
}

impl fmt::Display for IncompatibilityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason the reader cannot decode what the writer wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incompatibility {
    pub kind: IncompatibilityType,
    /// JSON-pointer-like path into the reader schema, e.g. `/fields/3/type`;
    /// `/` for the root.
    pub location: String,
    /// Avro's detail text, Confluent's `additionalInfo`, e.g. `expected: R`.
    pub message: String,
}

impl Incompatibility {
    /// The finding for reading in `direction`, with Avro's detail as
    /// Confluent's `additionalInfo`. Java's location follows the reader's
    /// field positions but the writer's union branches; it is given for the
    /// schema Confluent's description places it in: the writer's for missing
    /// enum symbols and union branches, the reader's otherwise.
    pub fn finding(&self, direction: Direction) -> Finding {
        let description =
            self.description(direction.reader().as_str(), direction.writer().as_str());
        let location = Some(self.location.clone());
        let (reader_path, writer_path) = match self.kind {
            IncompatibilityType::MissingEnumSymbols | IncompatibilityType::MissingUnionBranch => {
                (None, location)
            }
            _ => (location, None),
        };
        Finding {
            detail: Some(self.message.clone()),
            ..Finding::error(
                Rule::Avro(self.kind),
                direction,
                reader_path,
                writer_path,
                description,
            )
        }
    }

    /// Confluent's `Difference` description for this type.
    fn description(&self, reader: &str, writer: &str) -> String {
        let (path, info) = (&self.location, &self.message);
        match self.kind {
            IncompatibilityType::FixedSizeMismatch => format!(
                "The size of FIXED type field at path '{path}' in the {reader} schema does not match with the {writer} schema"
            ),
            IncompatibilityType::TypeMismatch => format!(
                "The type (path '{path}') of a field in the {reader} schema does not match with the {writer} schema"
            ),
            IncompatibilityType::NameMismatch => {
                format!("The name of the schema has changed (path '{path}')")
            }
            IncompatibilityType::MissingEnumSymbols => format!(
                "The {reader} schema is missing enum symbols '{info}' at path '{path}' in the {writer} schema"
            ),
            IncompatibilityType::MissingUnionBranch => format!(
                "The {reader} schema is missing a type inside a union field at path '{path}' in the {writer} schema"
            ),
            IncompatibilityType::ReaderFieldMissingDefaultValue => format!(
                "The field '{info}' at path '{path}' in the {reader} schema has no default value and is missing in the {writer} schema"
            ),
        }
    }
}

/// Java throws instead of reporting when a reader field matches several
/// writer fields (by name and by alias); Confluent turns the exception into
/// one `Unexpected exception during compatibility check: …` message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckAborted {
    /// The exception's message, e.g. `Reader record field a type:INT pos:0
    /// matches multiple fields in writer record schema {…}`.
    pub message: String,
}

impl CheckAborted {
    /// The finding for the exception: about the whole pair, so without paths.
    pub fn finding(&self, direction: Direction) -> Finding {
        Finding::error(
            Rule::CheckAborted,
            direction,
            None,
            None,
            format!("Unexpected exception during compatibility check: {self}"),
        )
    }
}

impl fmt::Display for CheckAborted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CheckAborted {}
