//! Levels, version selection and Confluent's message layout (spec
//! compatibility.md §1.1–1.3), the same for every format.

use crate::{CompatibilityLevel, ParsedSchema};

/// A live (not soft-deleted) version the new schema is checked against.
pub struct PreviousVersion<'a> {
    pub version: i32,
    pub schema: &'a ParsedSchema,
    /// The stored canonical text, quoted in the `{oldSchema: …}` message.
    pub text: &'a str,
}

/// Checks `new` against `previous` (oldest first) under `level` and returns
/// Confluent's message list: empty when compatible.
pub fn check(
    level: CompatibilityLevel,
    new: &ParsedSchema,
    previous: &[PreviousVersion<'_>],
    validate_fields: bool,
) -> Vec<String> {
    let _ = (level, new, previous, validate_fields);
    todo!("filled in by the Avro compatibility work")
}
