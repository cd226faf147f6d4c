//! Schema references: resolving what a request names into stored
//! subject-versions, and collecting the texts a parser needs (spec §4.7).

use std::collections::HashSet;

use treaty_compat::{ParsedSchema, Referenced};

use super::content::SchemaContent;

use super::records::Reference;
use super::register::RequestReference;
use super::state::State;
use super::subject::QualifiedSubject;

/// A reference subject without a context lives in the referrer's context.
pub fn qualify_reference_subject(referrer: &QualifiedSubject, subject: &str) -> String {
    let parsed = QualifiedSubject::parse(subject);
    if subject.starts_with(":.") || referrer.is_default_context() {
        parsed.to_string()
    } else {
        QualifiedSubject::in_context(&referrer.context, &parsed.name).to_string()
    }
}

/// Resolves the request's references to concrete stored versions; the
/// error is the `details` part of Confluent's 42201 message.
pub fn resolve(
    state: &State,
    referrer: &QualifiedSubject,
    requested: &[RequestReference],
) -> Result<Vec<Reference>, String> {
    requested
        .iter()
        .map(|reference| resolve_one(state, referrer, reference))
        .collect()
}

fn resolve_one(
    state: &State,
    referrer: &QualifiedSubject,
    reference: &RequestReference,
) -> Result<Reference, String> {
    let (Some(name), Some(subject), Some(version)) =
        (&reference.name, &reference.subject, reference.version)
    else {
        return Err(format!("Invalid reference: {}", reference.describe()));
    };
    if version == 0 {
        return Err(
            "io.confluent.kafka.schemaregistry.exceptions.InvalidVersionException: 0".to_owned(),
        );
    }
    let qualified = qualify_reference_subject(referrer, subject);
    let not_found =
        || format!("No schema reference found for subject \"{subject}\" and version {version}");
    let entry = state.subject(&qualified).ok_or_else(not_found)?;
    let concrete = if version == -1 {
        entry.latest_live().map(|(v, _)| v)
    } else {
        entry.versions.contains_key(&version).then_some(version)
    };
    Ok(Reference {
        name: name.clone(),
        subject: qualified,
        version: concrete.ok_or_else(not_found)?,
    })
}

/// Every schema `references` reach, transitively, each once, dependencies
/// before the schemas that use them, as (reference name, text).
pub fn referenced_schemas(state: &State, references: &[Reference]) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    let mut schemas = Vec::new();
    for reference in references {
        collect(state, reference, &mut seen, &mut schemas);
    }
    schemas
}

/// The form the parser takes.
pub fn as_referenced(schemas: &[(String, String)]) -> Vec<Referenced<'_>> {
    schemas
        .iter()
        .map(|(name, text)| Referenced { name, text })
        .collect()
}

fn collect(
    state: &State,
    reference: &Reference,
    seen: &mut HashSet<(String, i32)>,
    schemas: &mut Vec<(String, String)>,
) {
    if !seen.insert((reference.subject.clone(), reference.version)) {
        return;
    }
    let Some(version) = state
        .subject(&reference.subject)
        .and_then(|s| s.versions.get(&reference.version))
    else {
        return;
    };
    for nested in &version.content.references {
        collect(state, nested, seen, schemas);
    }
    schemas.push((reference.name.clone(), version.content.schema.clone()));
}

/// The versions that reference `(subject, version)`, as (subject, id):
/// live ones, or soft-deleted ones too with `include_deleted`.
pub fn referrers(
    state: &State,
    subject: &str,
    version: i32,
    include_deleted: bool,
) -> Vec<(String, i32)> {
    state
        .subjects()
        .flat_map(|(name, s)| s.versions.values().map(move |v| (name, v)))
        .filter(|(_, v)| include_deleted || !v.deleted)
        .filter(|(_, v)| {
            v.content
                .references
                .iter()
                .any(|r| r.subject == subject && r.version == version)
        })
        .map(|(name, v)| (name.to_owned(), v.id))
        .collect()
}

impl State {
    /// Parses stored content with the schemas its references reach.
    pub fn parse_stored(&self, content: &SchemaContent) -> Result<ParsedSchema, String> {
        let referenced = referenced_schemas(self, &content.references);
        ParsedSchema::parse(
            content.schema_type,
            &content.schema,
            &as_referenced(&referenced),
        )
        .map_err(|e| e.message)
    }
}
