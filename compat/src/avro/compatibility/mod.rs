//! Reader/writer compatibility of Avro schemas, as Java's
//! `SchemaCompatibility` decides it (the library Confluent delegates to),
//! rendered as Confluent renders it (spec compatibility.md §2).
//!
//! One rule family per file, each named after the incompatibility it
//! detects: [`names`] (NAME_MISMATCH), [`fixed`] (FIXED_SIZE_MISMATCH),
//! [`enums`] (MISSING_ENUM_SYMBOLS), [`records`]
//! (READER_FIELD_MISSING_DEFAULT_VALUE), [`primitives`] (TYPE_MISMATCH),
//! [`unions`] (MISSING_UNION_BRANCH); [`checker`] holds the walk.

mod checker;
mod enums;
mod fixed;
mod incompatibility;
mod names;
mod primitives;
mod records;
#[cfg(test)]
mod tests;
mod unions;

pub use incompatibility::{CheckAborted, Incompatibility, IncompatibilityType};

use crate::avro::AvroSchema;
use crate::Side;

/// Everything that stops `reader` from decoding data written with `writer`,
/// in Java's order; empty when compatible. `Err` where Java throws (a reader
/// field matching several writer fields).
pub fn check_reader_writer(
    reader: &AvroSchema,
    writer: &AvroSchema,
) -> Result<Vec<Incompatibility>, CheckAborted> {
    checker::Checker::new(reader, writer).check_roots()
}

/// Confluent's `AvroSchema.isBackwardCompatible` message items for `reader`
/// reading `writer`, with the sides named for the descriptions.
pub fn confluent_messages(
    reader: &AvroSchema,
    writer: &AvroSchema,
    reader_side: Side,
    writer_side: Side,
) -> Vec<String> {
    match check_reader_writer(reader, writer) {
        Ok(found) => found
            .iter()
            .map(|i| i.confluent_text(reader_side, writer_side))
            .collect(),
        Err(aborted) => vec![format!(
            "Unexpected exception during compatibility check: {aborted}"
        )],
    }
}
