//! Avro: parsing (as Java's `Schema.Parser` accepts), Confluent's canonical
//! text, normalisation, and reader/writer compatibility (as Java's
//! `SchemaCompatibility` decides).

mod canonical;
pub mod compatibility;
mod defaults;
mod jackson;
mod names;
mod normalize;
mod parse;
mod schema;

pub use schema::{AvroSchema, Enum, Field, Fixed, Kind, Name, Node, NodeId, Record};

use crate::ParseError;

impl AvroSchema {
    /// Parses `text`; `references` are the texts of referenced schemas,
    /// dependencies first, whose named types `text` may use. Names are
    /// validated, defaults are not (Confluent 7.9 validates them only when
    /// normalising or configured to: see [`AvroSchema::validate_defaults`]).
    pub fn parse(text: &str, references: &[&str]) -> Result<Self, ParseError> {
        parse::parse(text, references)
    }

    /// Java's `Schema.toString()`: what Confluent stores (spec §4.5, §7.3).
    pub fn canonical_text(&self) -> String {
        canonical::schema_text(self)
    }

    /// The text stored under `normalize=true`; fails on an invalid field
    /// default, as Confluent does when normalising.
    pub fn normalized_text(&self) -> Result<String, ParseError> {
        normalize::normalized_text(self)
    }

    /// Java Avro 1.11's default validation (`Invalid default for field …`),
    /// which Confluent applies to new schemas when normalising or when
    /// `avro.validate.defaults` is set. Union defaults must fit the first
    /// branch (Avro 1.11, as shipped with Confluent 7.9).
    pub fn validate_defaults(&self) -> Result<(), ParseError> {
        defaults::validate(self)
    }
}
