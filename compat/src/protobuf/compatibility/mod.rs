//! Protobuf compatibility as Confluent's `SchemaDiff` decides it (spec
//! compatibility.md §3): the differences between an *original* and an
//! *update* schema, each typed and located by path, filtered by
//! Confluent's compatible-changes set. Direction is argument order:
//! BACKWARD compares original = old with update = new, FORWARD swaps them.
//!
//! [`wire`] adds, opt-in per subject, what Buf's `WIRE` and `WIRE_JSON`
//! breaking rules catch on top (e.g. reused field numbers).

mod context;
mod difference;
mod enum_diff;
mod field_diff;
mod java_hash;
mod message_diff;
mod schema_diff;
pub mod wire;

pub use difference::{Difference, DifferenceType};

use super::ProtobufSchema;
use crate::{Direction, Finding};
use context::Context;

/// Every difference Confluent's differ finds from `original` to `update`,
/// compatible ones included, in Confluent's order.
pub fn differences(original: &ProtobufSchema, update: &ProtobufSchema) -> Vec<Difference> {
    let mut ctx = Context::new(&original.file, &update.file);
    schema_diff::compare_files(&mut ctx, &original.file, &update.file);
    ctx.into_differences()
}

/// What Confluent reports for `reader` reading data written with `writer`
/// (original = writer, update = reader), as findings; with `wire_rules`,
/// the strict findings for the same pair follow. Empty when compatible.
pub fn findings(
    reader: &ProtobufSchema,
    writer: &ProtobufSchema,
    direction: Direction,
    wire_rules: bool,
) -> Vec<Finding> {
    let mut found: Vec<Finding> = differences(writer, reader)
        .iter()
        .filter(|d| !d.kind.is_compatible())
        .map(|d| d.finding(direction))
        .collect();
    if wire_rules {
        found.extend(
            wire::findings(&writer.file, &reader.file)
                .iter()
                .map(|f| f.finding(direction)),
        );
    }
    found
}
