//! Reader/writer compatibility of Avro schemas, as Java's
//! `SchemaCompatibility` decides it (the library Confluent delegates to),
//! reported as Confluent reports it (spec compatibility.md §2).
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
use crate::{Direction, Finding};

/// Everything that stops `reader` from decoding data written with `writer`,
/// in Java's order; empty when compatible. `Err` where Java throws (a reader
/// field matching several writer fields).
pub fn check_reader_writer(
    reader: &AvroSchema,
    writer: &AvroSchema,
) -> Result<Vec<Incompatibility>, CheckAborted> {
    checker::Checker::new(reader, writer).check_roots()
}

/// What Confluent's `AvroSchema.isBackwardCompatible` reports for `reader`
/// reading `writer`, as findings; `direction` says which of them is new.
pub fn findings(reader: &AvroSchema, writer: &AvroSchema, direction: Direction) -> Vec<Finding> {
    match check_reader_writer(reader, writer) {
        Ok(found) => found.iter().map(|i| i.finding(direction)).collect(),
        Err(aborted) => vec![aborted.finding(direction)],
    }
}
