//! Confluent 7.9's JSON Schema difference types (`Difference.Type`), which
//! of them are compatible (`SchemaDiff.COMPATIBLE_CHANGES`), and the
//! sentence each is described with (`Difference.error`).

use crate::finding::LocatedIn;
use crate::{Direction, Finding, Rule};

/// Declares the difference types under Confluent's own names, so a message
/// names the type exactly as Confluent does and a reader can search for it.
macro_rules! difference_types {
    ($($name:ident),* $(,)?) => {
        /// One of Confluent's `Difference.Type` values.
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum DifferenceType {
            $($name),*
        }

        impl DifferenceType {
            /// The identifier Confluent prints as `errorType`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$name => stringify!($name)),*
                }
            }
        }
    };
}

difference_types! {
    ID_CHANGED, DESCRIPTION_CHANGED, TITLE_CHANGED, DEFAULT_CHANGED,
    SCHEMA_ADDED, SCHEMA_REMOVED, TYPE_EXTENDED, TYPE_NARROWED, TYPE_CHANGED,

    MAX_LENGTH_ADDED, MAX_LENGTH_REMOVED, MAX_LENGTH_INCREASED, MAX_LENGTH_DECREASED,
    MIN_LENGTH_ADDED, MIN_LENGTH_REMOVED, MIN_LENGTH_INCREASED, MIN_LENGTH_DECREASED,
    PATTERN_ADDED, PATTERN_REMOVED, PATTERN_CHANGED,

    MAXIMUM_ADDED, MAXIMUM_REMOVED, MAXIMUM_INCREASED, MAXIMUM_DECREASED, MINIMUM_ADDED,
    MINIMUM_REMOVED, MINIMUM_INCREASED, MINIMUM_DECREASED, EXCLUSIVE_MAXIMUM_ADDED,
    EXCLUSIVE_MAXIMUM_REMOVED, EXCLUSIVE_MAXIMUM_INCREASED, EXCLUSIVE_MAXIMUM_DECREASED,
    EXCLUSIVE_MINIMUM_ADDED, EXCLUSIVE_MINIMUM_REMOVED, EXCLUSIVE_MINIMUM_INCREASED,
    EXCLUSIVE_MINIMUM_DECREASED, MULTIPLE_OF_ADDED, MULTIPLE_OF_REMOVED, MULTIPLE_OF_EXPANDED,
    MULTIPLE_OF_REDUCED, MULTIPLE_OF_CHANGED,

    REQUIRED_ATTRIBUTE_ADDED, REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED, REQUIRED_ATTRIBUTE_REMOVED,
    MAX_PROPERTIES_ADDED, MAX_PROPERTIES_REMOVED, MAX_PROPERTIES_INCREASED,
    MAX_PROPERTIES_DECREASED, MIN_PROPERTIES_ADDED, MIN_PROPERTIES_REMOVED,
    MIN_PROPERTIES_INCREASED, MIN_PROPERTIES_DECREASED, ADDITIONAL_PROPERTIES_ADDED,
    ADDITIONAL_PROPERTIES_REMOVED, ADDITIONAL_PROPERTIES_EXTENDED, ADDITIONAL_PROPERTIES_NARROWED,
    DEPENDENCY_ARRAY_ADDED, DEPENDENCY_ARRAY_REMOVED, DEPENDENCY_ARRAY_EXTENDED,
    DEPENDENCY_ARRAY_NARROWED, DEPENDENCY_ARRAY_CHANGED, DEPENDENCY_SCHEMA_ADDED,
    DEPENDENCY_SCHEMA_REMOVED, PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
    PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
    REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL,
    OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL, PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL,
    PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    RESERVED_PROPERTY_REMOVED, RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY,

    MAX_ITEMS_ADDED, MAX_ITEMS_REMOVED, MAX_ITEMS_INCREASED, MAX_ITEMS_DECREASED, MIN_ITEMS_ADDED,
    MIN_ITEMS_REMOVED, MIN_ITEMS_INCREASED, MIN_ITEMS_DECREASED, UNIQUE_ITEMS_ADDED,
    UNIQUE_ITEMS_REMOVED, ADDITIONAL_ITEMS_ADDED, ADDITIONAL_ITEMS_REMOVED,
    ADDITIONAL_ITEMS_EXTENDED, ADDITIONAL_ITEMS_NARROWED, ITEM_ADDED_TO_OPEN_CONTENT_MODEL,
    ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    ITEM_ADDED_TO_CLOSED_CONTENT_MODEL, ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL,
    ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,

    ENUM_ARRAY_EXTENDED, ENUM_ARRAY_NARROWED, ENUM_ARRAY_CHANGED,

    COMBINED_TYPE_EXTENDED, COMBINED_TYPE_CHANGED,
    PRODUCT_TYPE_EXTENDED, PRODUCT_TYPE_NARROWED, SUM_TYPE_EXTENDED,
    SUM_TYPE_NARROWED, COMBINED_TYPE_SUBSCHEMAS_CHANGED,
    NOT_TYPE_EXTENDED, NOT_TYPE_NARROWED,
}

use DifferenceType::*;

impl DifferenceType {
    /// Which schema the path names an element of, by Confluent's naming: an
    /// `…ADDED…` change is in the update, a `…REMOVED…` one in the
    /// original, any other in both. Toggling `additionalItems` or
    /// `additionalProperties` changes a keyword both schemas have
    /// (written, or by default).
    fn located_in(self) -> LocatedIn {
        let name = self.name();
        match self {
            ADDITIONAL_ITEMS_ADDED
            | ADDITIONAL_ITEMS_REMOVED
            | ADDITIONAL_PROPERTIES_ADDED
            | ADDITIONAL_PROPERTIES_REMOVED => LocatedIn::Both,
            _ if name.contains("ADDED") => LocatedIn::Update,
            _ if name.contains("REMOVED") => LocatedIn::Original,
            _ => LocatedIn::Both,
        }
    }

    /// Whether Confluent 7.9 lets this change through
    /// (`SchemaDiff.COMPATIBLE_CHANGES`; 7.9 has no LENIENT policy).
    pub fn is_compatible(self) -> bool {
        matches!(
            self,
            ID_CHANGED
                | DESCRIPTION_CHANGED
                | TITLE_CHANGED
                | DEFAULT_CHANGED
                | SCHEMA_REMOVED
                | TYPE_EXTENDED
                | MAX_LENGTH_INCREASED
                | MAX_LENGTH_REMOVED
                | MIN_LENGTH_DECREASED
                | MIN_LENGTH_REMOVED
                | PATTERN_REMOVED
                | MAXIMUM_INCREASED
                | MAXIMUM_REMOVED
                | MINIMUM_DECREASED
                | MINIMUM_REMOVED
                | EXCLUSIVE_MAXIMUM_INCREASED
                | EXCLUSIVE_MAXIMUM_REMOVED
                | EXCLUSIVE_MINIMUM_DECREASED
                | EXCLUSIVE_MINIMUM_REMOVED
                | MULTIPLE_OF_REDUCED
                | MULTIPLE_OF_REMOVED
                | REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED
                | REQUIRED_ATTRIBUTE_REMOVED
                | DEPENDENCY_ARRAY_NARROWED
                | DEPENDENCY_ARRAY_REMOVED
                | DEPENDENCY_SCHEMA_REMOVED
                | MAX_PROPERTIES_INCREASED
                | MAX_PROPERTIES_REMOVED
                | MIN_PROPERTIES_DECREASED
                | MIN_PROPERTIES_REMOVED
                | ADDITIONAL_PROPERTIES_ADDED
                | ADDITIONAL_PROPERTIES_EXTENDED
                | PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                | REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL
                | OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL
                | PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
                | PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL
                | PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                | PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                | MAX_ITEMS_INCREASED
                | MAX_ITEMS_REMOVED
                | MIN_ITEMS_DECREASED
                | MIN_ITEMS_REMOVED
                | UNIQUE_ITEMS_REMOVED
                | ADDITIONAL_ITEMS_ADDED
                | ADDITIONAL_ITEMS_EXTENDED
                | ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                | ITEM_ADDED_TO_CLOSED_CONTENT_MODEL
                | ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
                | ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL
                | ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                | ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                | ENUM_ARRAY_EXTENDED
                | COMBINED_TYPE_EXTENDED
                | PRODUCT_TYPE_NARROWED
                | SUM_TYPE_EXTENDED
                | NOT_TYPE_NARROWED
        )
    }
}

/// One change found by the differ, at a JSON pointer such as
/// `#/properties/foo/maxLength` (`#/` is the schema itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub kind: DifferenceType,
    pub path: String,
}

impl Difference {
    /// The finding for the update reading data written with the original
    /// in `direction`: Confluent's `Difference.error()` sentence with its
    /// two `%s` filled, the reader's side first.
    pub fn finding(&self, direction: Direction) -> Finding {
        let description = self
            .description()
            .replacen("%s", direction.reader().as_str(), 1)
            .replacen("%s", direction.writer().as_str(), 1);
        Finding::at_differ_path(
            Rule::Json(self.kind),
            direction,
            &self.path,
            self.kind.located_in(),
            description,
        )
    }

    /// `Difference.error()`: the sentence for the type's group.
    fn description(&self) -> String {
        let p = &self.path;
        match self.kind {
            MAXIMUM_ADDED | MINIMUM_ADDED | EXCLUSIVE_MAXIMUM_ADDED | EXCLUSIVE_MINIMUM_ADDED
            | MULTIPLE_OF_ADDED | MAX_LENGTH_ADDED | MIN_LENGTH_ADDED | PATTERN_ADDED
            | REQUIRED_ATTRIBUTE_ADDED | MAX_PROPERTIES_ADDED | MIN_PROPERTIES_ADDED
            | DEPENDENCY_ARRAY_ADDED | DEPENDENCY_SCHEMA_ADDED | MAX_ITEMS_ADDED
            | MIN_ITEMS_ADDED | UNIQUE_ITEMS_ADDED | ADDITIONAL_ITEMS_REMOVED
            | ADDITIONAL_PROPERTIES_REMOVED => format!(
                "The keyword at path '{p}' in the %s schema is not present in the %s schema"
            ),
            MIN_LENGTH_INCREASED | MINIMUM_INCREASED | EXCLUSIVE_MINIMUM_INCREASED
            | MIN_PROPERTIES_INCREASED | MULTIPLE_OF_EXPANDED | MIN_ITEMS_INCREASED => format!(
                "The value at path '{p}' in the %s schema is more than its value in the %s schema"
            ),
            MAX_LENGTH_DECREASED | MAXIMUM_DECREASED | MAX_ITEMS_DECREASED
            | EXCLUSIVE_MAXIMUM_DECREASED | MAX_PROPERTIES_DECREASED => format!(
                "The value at path '{p}' in the %s schema is less than its value in the %s schema"
            ),
            PATTERN_CHANGED | MULTIPLE_OF_CHANGED | DEPENDENCY_ARRAY_CHANGED => {
                format!("The value at path '{p}' is different between the %s and %s schema")
            }
            ADDITIONAL_ITEMS_NARROWED | ENUM_ARRAY_NARROWED | SUM_TYPE_NARROWED
            | ADDITIONAL_PROPERTIES_NARROWED => format!(
                "An array or combined type at path '{p}' has fewer elements in the %s schema than the %s schema"
            ),
            DEPENDENCY_ARRAY_EXTENDED | PRODUCT_TYPE_EXTENDED | SUM_TYPE_EXTENDED
            | NOT_TYPE_EXTENDED => format!(
                "An array or combined type at path '{p}' has more elements in the %s schema than the %s schema"
            ),
            TYPE_CHANGED | TYPE_NARROWED | COMBINED_TYPE_CHANGED
            | COMBINED_TYPE_SUBSCHEMAS_CHANGED | ENUM_ARRAY_CHANGED => format!(
                "A type at path '{p}' is different between the %s schema and the %s schema"
            ),
            PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL | ITEM_ADDED_TO_OPEN_CONTENT_MODEL => format!(
                "The %s schema has an open content model and has a property or item at path '{p}' which is missing in the %s schema"
            ),
            REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL => format!(
                "The %s schema has an unopen content model and has a required property at path '{p}' which is missing in the %s schema"
            ),
            PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL | ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL => {
                format!(
                    "The %s has a closed content model and is missing a property or item present at path '{p}' in the %s schema"
                )
            }
            PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
            | ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => format!(
                "A property or item is missing in the %s schema but present at path '{p}' in the %s schema and is not covered by its partially open content model"
            ),
            PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
            | ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL => format!(
                "The %s schema has a property or item at path '{p}' which is missing in the %s schema and is not covered by its partially open content model"
            ),
            RESERVED_PROPERTY_REMOVED => format!(
                "The %s schema has reserved property '{p}' removed from its metadata which is present in the %s schema."
            ),
            RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY => format!(
                "The %s schema has property at path '{p}' that conflicts with the reserved properties which is missing in the %s schema."
            ),
            // Compatible types Confluent has no sentence for.
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_uses_confluent_quoting_and_fills_reader_first() {
        let difference = Difference {
            kind: TYPE_CHANGED,
            path: "#/properties/foo".to_string(),
        };
        assert_eq!(
            difference.finding(Direction::Backward).confluent_message(),
            "{errorType:\"TYPE_CHANGED\", description:\"A type at path '#/properties/foo' is different between the new schema and the old schema'}"
        );
    }
}
