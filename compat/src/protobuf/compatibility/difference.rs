//! Confluent's `Difference`: a difference type found at a path, and the
//! finding (with Confluent's description) made of it.

use crate::finding::LocatedIn;
use crate::{Direction, Finding, Rule};

/// Confluent's `Difference.Type`, in Confluent's declaration order.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DifferenceType {
    PackageChanged,
    MessageAdded,
    MessageRemoved,
    MessageMoved,
    EnumAdded,
    EnumRemoved,
    EnumConstAdded,
    EnumConstChanged,
    EnumConstRemoved,
    FieldAdded,
    FieldRemoved,
    FieldNameChanged,
    FieldKindChanged,
    FieldScalarKindChanged,
    FieldNamedTypeChanged,
    FieldNumericLabelChanged,
    FieldStringOrBytesLabelChanged,
    RequiredFieldAdded,
    RequiredFieldRemoved,
    OneofAdded,
    OneofRemoved,
    OneofFieldAdded,
    OneofFieldRemoved,
    OneofFieldMovedToTopLevel,
    MultipleFieldsMovedToOneof,
    FieldMovedToExistingOneof,
}

impl DifferenceType {
    /// The identifier Confluent prints as `errorType`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PackageChanged => "PACKAGE_CHANGED",
            Self::MessageAdded => "MESSAGE_ADDED",
            Self::MessageRemoved => "MESSAGE_REMOVED",
            Self::MessageMoved => "MESSAGE_MOVED",
            Self::EnumAdded => "ENUM_ADDED",
            Self::EnumRemoved => "ENUM_REMOVED",
            Self::EnumConstAdded => "ENUM_CONST_ADDED",
            Self::EnumConstChanged => "ENUM_CONST_CHANGED",
            Self::EnumConstRemoved => "ENUM_CONST_REMOVED",
            Self::FieldAdded => "FIELD_ADDED",
            Self::FieldRemoved => "FIELD_REMOVED",
            Self::FieldNameChanged => "FIELD_NAME_CHANGED",
            Self::FieldKindChanged => "FIELD_KIND_CHANGED",
            Self::FieldScalarKindChanged => "FIELD_SCALAR_KIND_CHANGED",
            Self::FieldNamedTypeChanged => "FIELD_NAMED_TYPE_CHANGED",
            Self::FieldNumericLabelChanged => "FIELD_NUMERIC_LABEL_CHANGED",
            Self::FieldStringOrBytesLabelChanged => "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
            Self::RequiredFieldAdded => "REQUIRED_FIELD_ADDED",
            Self::RequiredFieldRemoved => "REQUIRED_FIELD_REMOVED",
            Self::OneofAdded => "ONEOF_ADDED",
            Self::OneofRemoved => "ONEOF_REMOVED",
            Self::OneofFieldAdded => "ONEOF_FIELD_ADDED",
            Self::OneofFieldRemoved => "ONEOF_FIELD_REMOVED",
            Self::OneofFieldMovedToTopLevel => "ONEOF_FIELD_MOVED_TO_TOP_LEVEL",
            Self::MultipleFieldsMovedToOneof => "MULTIPLE_FIELDS_MOVED_TO_ONEOF",
            Self::FieldMovedToExistingOneof => "FIELD_MOVED_TO_EXISTING_ONEOF",
        }
    }

    /// Which schema the path names an element of. Field and oneof paths
    /// carry the update's oneof, so a field that also changed oneof is
    /// located in the update.
    fn located_in(self) -> LocatedIn {
        match self {
            Self::MessageRemoved
            | Self::EnumRemoved
            | Self::EnumConstRemoved
            | Self::FieldRemoved
            | Self::RequiredFieldRemoved
            | Self::OneofRemoved
            | Self::OneofFieldRemoved => LocatedIn::Original,
            Self::MessageAdded
            | Self::EnumAdded
            | Self::EnumConstAdded
            | Self::FieldAdded
            | Self::RequiredFieldAdded
            | Self::OneofAdded
            | Self::OneofFieldAdded
            | Self::OneofFieldMovedToTopLevel
            | Self::MultipleFieldsMovedToOneof
            | Self::FieldMovedToExistingOneof => LocatedIn::Update,
            Self::PackageChanged
            | Self::MessageMoved
            | Self::EnumConstChanged
            | Self::FieldNameChanged
            | Self::FieldKindChanged
            | Self::FieldScalarKindChanged
            | Self::FieldNamedTypeChanged
            | Self::FieldNumericLabelChanged
            | Self::FieldStringOrBytesLabelChanged => LocatedIn::Both,
        }
    }

    /// Whether the type is in Confluent's `SchemaDiff.COMPATIBLE_CHANGES`;
    /// only the other types are ever reported.
    pub fn is_compatible(self) -> bool {
        matches!(
            self,
            Self::MessageAdded
                | Self::MessageMoved
                | Self::EnumAdded
                | Self::EnumRemoved
                | Self::EnumConstAdded
                | Self::EnumConstChanged
                | Self::EnumConstRemoved
                | Self::FieldAdded
                | Self::FieldRemoved
                | Self::FieldNameChanged
                | Self::FieldStringOrBytesLabelChanged
                | Self::OneofAdded
                | Self::OneofRemoved
                | Self::OneofFieldAdded
                | Self::OneofFieldMovedToTopLevel
        )
    }
}

/// One difference between the original and the updated schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub kind: DifferenceType,
    /// Confluent's path: `#/` then message names, oneof names, field and
    /// enum constant numbers joined by `/`.
    pub path: String,
}

impl Difference {
    /// The finding for the update reading data written with the original
    /// in `direction`, with Confluent's description (the reader's side
    /// fills its first `%s`, as `SchemaValidatorBuilder` does).
    pub fn finding(&self, direction: Direction) -> Finding {
        let description =
            self.description(direction.reader().as_str(), direction.writer().as_str());
        Finding::at_differ_path(
            Rule::Protobuf(self.kind),
            direction,
            &self.path,
            self.kind.located_in(),
            description,
        )
    }

    /// Confluent's description templates; compatible types have none.
    fn description(&self, first: &str, second: &str) -> String {
        let path = &self.path;
        match self.kind {
            DifferenceType::PackageChanged => format!(
                "The package at '{path}' in the {first} schema does not match the package in the {second} schema"
            ),
            DifferenceType::MessageRemoved => format!(
                "The {first} schema is missing a MESSAGE type at path '{path}' in the {second} schema"
            ),
            DifferenceType::FieldKindChanged => format!(
                "The type of a field at path '{path}' in the {first} schema does not match the {second} schema"
            ),
            DifferenceType::FieldScalarKindChanged => format!(
                "The kind of a SCALAR field at path '{path}' in the {first} schema does not match its kind in the {second} schema"
            ),
            DifferenceType::FieldNamedTypeChanged => format!(
                "The type of a MESSAGE field at path '{path}' in the {first} schema does not match its type in the {second} schema"
            ),
            DifferenceType::FieldNumericLabelChanged => format!(
                "The label for a NUMERIC field at path '{path}' in the {first} schema does not match its label in the {second} schema"
            ),
            DifferenceType::RequiredFieldAdded => format!(
                "A required field  at path '{path}' in the {first} schema is missing in the {second} schema"
            ),
            DifferenceType::RequiredFieldRemoved => format!(
                "The {first} schema is missing a required field at path: '{path}' in the {second} schema"
            ),
            DifferenceType::OneofFieldRemoved => format!(
                "The {first} schema is missing a oneof field at path '{path}' in the {second} schema"
            ),
            DifferenceType::OneofFieldMovedToTopLevel => format!(
                "The oneof field at path '{path}' in the {first} schema was moved out of its oneof to a top-level field in the {second} schema"
            ),
            DifferenceType::MultipleFieldsMovedToOneof => format!(
                "Multiple fields in the oneof at path '{path}' in the {first} schema are outside a oneof in the {second} schema"
            ),
            DifferenceType::FieldMovedToExistingOneof => format!(
                "A field in the oneof at path '{path}' in the {first} schema is outside an existing oneof in the {second} schema"
            ),
            _ => String::new(),
        }
    }
}
