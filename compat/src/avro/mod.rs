//! Avro: parsing (as Java's `Schema.Parser` accepts), Confluent's canonical
//! text, normalisation, and reader/writer compatibility (as Java's
//! `SchemaCompatibility` decides).

pub mod compatibility;
mod schema;

pub use schema::{AvroSchema, Enum, Field, Fixed, Kind, Name, Node, NodeId, Record};

use crate::ParseError;

impl AvroSchema {
    /// Parses `text`; `references` are the texts of referenced schemas,
    /// dependencies first, whose named types `text` may use.
    pub fn parse(text: &str, references: &[&str]) -> Result<Self, ParseError> {
        let _ = (text, references);
        todo!("Avro parser")
    }

    /// Java's `Schema.toString()`: what Confluent stores (spec §4.5, §7.3).
    pub fn canonical_text(&self) -> String {
        todo!("Avro canonical text")
    }

    /// The text stored under `normalize=true`.
    pub fn normalized_text(&self) -> Result<String, ParseError> {
        todo!("Avro normalized text")
    }
}
