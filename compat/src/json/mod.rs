//! JSON Schema (`schemaType: "JSON"`): parsing and validation as Confluent
//! 7.9 loads a schema (Everit for drafts 4/6/7, the default draft 7; 2019-09
//! and 2020-12 with their keywords), the canonical and normalised texts
//! Confluent stores, `$ref`s to referenced schemas, and Confluent's
//! difference-based compatibility check.

pub mod compatibility;
mod java_hash;
mod parse;
mod schema;
mod value;

use crate::{ParseError, Referenced};
use schema::Graph;
use value::Json;

/// What Confluent's `JsonSchema.rawSchema` reports for a `null` document
/// (the 7.9.x branch checks the root before loading it).
const NULL_ROOT: &str =
    "Invalid JSON schema: expected an object or boolean at the root, found NULL";

/// A parsed and validated JSON Schema.
#[derive(Clone, Debug)]
pub struct JsonSchema {
    /// The document as read, which the stored text reproduces.
    json: Json,
    /// The schema classes the differ compares, `$ref`s resolved.
    graph: Graph,
}

impl JsonSchema {
    /// Parses `text`. `references` are the schemas it may `$ref`, each under
    /// the name the `$ref` uses (the reference's `name` in the register
    /// request), e.g. `{"$ref": "address.json"}` or
    /// `{"$ref": "address.json#/definitions/street"}`; relative names also
    /// match once resolved against the schema's `$id`.
    ///
    /// Unparsable JSON fails with Confluent's `Invalid JSON <text>`; JSON
    /// that is not a valid schema with `Invalid JSON Schema: <where>: <why>`.
    pub fn parse(text: &str, references: &[Referenced<'_>]) -> Result<Self, ParseError> {
        let json =
            value::parse(text).map_err(|_| ParseError::new(format!("Invalid JSON {text}")))?;
        if json == Json::Null {
            return Err(
                ParseError::new("Invalid JSON Schema: #: a schema cannot be null")
                    .found_in_validation(NULL_ROOT),
            );
        }
        let (graph, _) = parse::load(&json, references)?;
        Ok(JsonSchema { json, graph })
    }

    /// The JSON re-serialised compactly, keys in their order (Jackson's
    /// `writeValueAsString`): what Confluent stores (spec §4.5, §7.3).
    pub fn canonical_text(&self) -> String {
        self.json.to_compact()
    }

    /// The text stored under `normalize=true`: object keys sorted at every
    /// level, so reordered keys give the same id.
    pub fn normalized_text(&self) -> Result<String, ParseError> {
        Ok(self.json.to_sorted_compact())
    }
}
