//! Schema parsing, canonical forms and compatibility checks for the schema
//! formats a Confluent-compatible registry stores.
//!
//! This crate does no I/O: a server, a CLI or a CI job hands it schema text
//! (plus the texts of the schemas it references) and gets back a parsed
//! schema, its canonical text, or a compatibility verdict: structured
//! findings (rule, paths, severity, direction) that also render as
//! Confluent's message list.

pub mod avro;
mod compatibility;
mod finding;
pub mod json;
mod level;
mod parsed;
pub mod protobuf;
mod verdict;

pub use compatibility::{check, CheckOptions, PreviousVersion, Side};
pub use finding::{Direction, Finding, Rule, Severity};
pub use level::CompatibilityLevel;
pub use parsed::{ParseError, ParsedSchema, Referenced, SchemaType};
pub use verdict::Verdict;
