//! Schema parsing, canonical forms and compatibility checks for the schema
//! formats a Confluent-compatible registry stores.
//!
//! This crate does no I/O: a server, a CLI or a CI job hands it schema text
//! (plus the texts of the schemas it references) and gets back a parsed
//! schema, its canonical text, or the list of compatibility messages in
//! Confluent's wording.

pub mod avro;
mod compatibility;
pub mod json;
mod level;
mod parsed;
pub mod protobuf;

pub use compatibility::{check, CheckOptions, PreviousVersion, Side};
pub use level::CompatibilityLevel;
pub use parsed::{ParseError, ParsedSchema, Referenced, SchemaType};
