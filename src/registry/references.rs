//! Schema references: resolving what a request names into stored
//! subject-versions, and collecting the texts a parser needs (spec §4.7).

use std::collections::HashSet;
use std::sync::Arc;

use treaty_compat::Referenced;

use super::content::SchemaContent;
use super::error::SchemaProblem;
use super::state::State;
use super::subject::QualifiedSubject;
use super::RequestReference;
use crate::records::Reference;

/// A reference subject without a context lives in the referrer's context.
pub fn qualify_reference_subject(referrer: &QualifiedSubject, subject: &str) -> String {
    let parsed = QualifiedSubject::parse(subject);
    if subject.starts_with(":.") || referrer.is_default_context() {
        parsed.to_string()
    } else {
        QualifiedSubject::in_context(&referrer.context, &parsed.name).to_string()
    }
}

/// Resolves the request's references to concrete stored versions.
pub fn resolve(
    state: &State,
    referrer: &QualifiedSubject,
    requested: &[RequestReference],
) -> Result<Vec<Reference>, SchemaProblem> {
    requested
        .iter()
        .map(|reference| resolve_one(state, referrer, reference))
        .collect()
}

fn resolve_one(
    state: &State,
    referrer: &QualifiedSubject,
    reference: &RequestReference,
) -> Result<Reference, SchemaProblem> {
    let (Some(name), Some(subject), Some(version)) =
        (&reference.name, &reference.subject, reference.version)
    else {
        return Err(SchemaProblem::InvalidReference(reference.clone()));
    };
    if version == 0 {
        return Err(SchemaProblem::ReferenceVersionZero);
    }
    let qualified = qualify_reference_subject(referrer, subject);
    let not_found = || SchemaProblem::ReferenceNotFound {
        subject: subject.clone(),
        version,
    };
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

/// A schema a reference reaches, under the name it is imported by.
pub type ReferencedSchema = (String, Arc<SchemaContent>);

/// Every schema `references` reach, transitively, each once, dependencies
/// before the schemas that use them.
pub fn referenced_schemas(state: &State, references: &[Reference]) -> Vec<ReferencedSchema> {
    let mut seen = HashSet::new();
    let mut schemas = Vec::new();
    for reference in references {
        collect(state, reference, &mut seen, &mut schemas);
    }
    schemas
}

/// The form the parser takes.
pub fn as_referenced(schemas: &[ReferencedSchema]) -> Vec<Referenced<'_>> {
    schemas
        .iter()
        .map(|(name, content)| Referenced {
            name,
            text: &content.schema,
        })
        .collect()
}

fn collect(
    state: &State,
    reference: &Reference,
    seen: &mut HashSet<(String, i32)>,
    schemas: &mut Vec<ReferencedSchema>,
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
    schemas.push((reference.name.clone(), Arc::clone(&version.content)));
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
