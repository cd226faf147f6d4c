//! Parsing schemas: a stored one with the schemas its references reach,
//! and a request's turned into the content that would be stored: its
//! references resolved, parsed with the schemas they reach, canonicalised
//! or normalised. One request may need this against more than one state
//! (a registration looks in the published state, then in the staged one,
//! then plans); [`RequestParse`] keeps the result so that the schema is
//! parsed once per request.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use treaty_compat::{ParsedSchema, SchemaType};

use super::content::{Fingerprint, SchemaContent};
use super::error::SchemaProblem;
use super::references;
use super::state::State;
use super::subject::QualifiedSubject;
use super::{RegistryError, Result, SchemaRequest};
use crate::records::Reference;

/// A request made into what would be stored, and its parse.
#[derive(Clone)]
pub struct ParsedRequest {
    pub content: SchemaContent,
    pub parsed: Arc<ParsedSchema>,
}

/// What a parse depends on: equal inputs give an equal result.
#[derive(PartialEq)]
struct ParseInput {
    schema_type: SchemaType,
    text: String,
    references: Vec<Reference>,
    /// The content each reference reaches, transitively.
    referenced: Vec<Fingerprint>,
    normalize: bool,
}

/// The parse of one request, kept for as long as the request is handled.
pub struct RequestParse<'r> {
    /// The last input parsed and what came of it, an error too.
    last: Mutex<Option<(ParseInput, Result<ParsedRequest>)>>,
    /// Counts the parses made, for the registry's count of them.
    parses: &'r AtomicU64,
}

impl<'r> RequestParse<'r> {
    pub fn new(parses: &'r AtomicU64) -> Self {
        Self {
            last: Mutex::new(None),
            parses,
        }
    }

    /// Parses and canonicalises `request` for `subject` in `state`. An empty
    /// schema reuses `previous` (registration passes the subject's latest
    /// live version), else it is [`RegistryError::EmptySchema`].
    pub fn parse(
        &self,
        state: &State,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
        previous: Option<&SchemaContent>,
    ) -> Result<ParsedRequest> {
        let text = request.schema.as_deref().filter(|t| !t.trim().is_empty());
        let (text, schema_type, mut refs) = match (text, previous) {
            (Some(text), _) => {
                let refs = references::resolve(state, subject, &request.references)
                    .map_err(|problem| request.invalid(subject, problem))?;
                (text.to_owned(), request.schema_type, refs)
            }
            (None, Some(latest)) => (
                latest.schema.clone(),
                latest.schema_type,
                latest.references.clone(),
            ),
            (None, None) => return Err(RegistryError::EmptySchema),
        };
        if normalize {
            refs.sort_by(|a, b| {
                (&a.name, &a.subject, a.version).cmp(&(&b.name, &b.subject, b.version))
            });
            refs.dedup();
        }
        let referenced = references::referenced_schemas(state, &refs);
        let input = ParseInput {
            schema_type,
            text,
            referenced: referenced.iter().map(|(_, c)| c.fingerprint()).collect(),
            references: refs,
            normalize,
        };
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((parsed_input, outcome)) = &*last {
            if *parsed_input == input {
                return outcome.clone();
            }
        }
        self.parses.fetch_add(1, Ordering::Relaxed);
        let outcome = parse_input(&input, &referenced, subject, request);
        *last = Some((input, outcome.clone()));
        outcome
    }
}

fn parse_input(
    input: &ParseInput,
    referenced: &[references::ReferencedSchema],
    subject: &QualifiedSubject,
    request: &SchemaRequest,
) -> Result<ParsedRequest> {
    let invalid = |e: treaty_compat::ParseError| request.invalid(subject, SchemaProblem::from(e));
    let texts = references::as_referenced(referenced);
    let parsed = ParsedSchema::parse(input.schema_type, &input.text, &texts).map_err(invalid)?;
    let schema = if input.normalize {
        parsed.normalized_text().map_err(invalid)?
    } else {
        parsed.canonical_text()
    };
    Ok(ParsedRequest {
        content: SchemaContent {
            schema_type: input.schema_type,
            schema,
            references: input.references.clone(),
            metadata: request.metadata.clone().map(Box::new),
            rule_set: request.rule_set.clone().map(Box::new),
            md5: None,
        },
        parsed: Arc::new(parsed),
    })
}

impl SchemaRequest {
    /// [`RegistryError::InvalidSchema`] for this request under `subject`.
    pub fn invalid(&self, subject: &QualifiedSubject, problem: SchemaProblem) -> RegistryError {
        RegistryError::InvalidSchema {
            subject: subject.to_string(),
            request: Box::new(self.clone()),
            problem,
        }
    }
}

/// Parses stored content with the schemas its references reach.
pub fn parse_stored(state: &State, content: &SchemaContent) -> Result<ParsedSchema, String> {
    let referenced = references::referenced_schemas(state, &content.references);
    ParsedSchema::parse(
        content.schema_type,
        &content.schema,
        &references::as_referenced(&referenced),
    )
    .map_err(|e| e.message)
}
