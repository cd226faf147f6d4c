//! `POST /subjects/{s}`: which version of a subject holds this schema
//! (spec §4.4), and the finding that registration starts with too.

use treaty_compat::SchemaType;

use super::content::SchemaContent;
use super::parse::RequestParse;
use super::queries::VersionView;
use super::state::State;
use super::subject::QualifiedSubject;
use super::{Registry, RegistryError, Result, SchemaRequest};

/// How a lookup compares versions with the request.
#[derive(Clone, Copy)]
pub struct LookupOptions {
    pub normalize: bool,
    pub include_deleted: bool,
    /// A request for version -1: only the latest live version is tried.
    pub latest_only: bool,
}

/// The version of `subject` a lookup of `request` finds: by its text as
/// sent where that is enough, else by its parse (made once per request,
/// `parse`).
pub fn find_requested(
    state: &State,
    subject: &QualifiedSubject,
    request: &SchemaRequest,
    options: LookupOptions,
    parse: &RequestParse,
) -> Result<Option<VersionView>> {
    let name = subject.to_string();
    if !options.normalize && !options.latest_only {
        if let Some(found) = find_as_sent(state, &name, request, options.include_deleted) {
            return Ok(Some(found));
        }
    }
    let parsed = parse.parse(state, subject, request, options.normalize, None)?;
    Ok(find_version(state, &name, &parsed.content, options))
}

/// The version a lookup finds without parsing, when the request's text is
/// exactly a version's stored text (what serializers send: the schema as
/// the registry gave it). Avro and JSON Schema texts are stored canonical
/// or normalised, and parsing either gives it back (compat's
/// `canonical_idempotence` test), so the parse would find the same
/// version. Only for lookups that do not normalise and carry no
/// references; anything else, or no exact match, is left to the parse.
fn find_as_sent(
    state: &State,
    subject: &str,
    request: &SchemaRequest,
    include_deleted: bool,
) -> Option<VersionView> {
    if request.schema_type == SchemaType::Protobuf || !request.references.is_empty() {
        return None;
    }
    let as_sent = SchemaContent {
        schema_type: request.schema_type,
        schema: request.schema.clone()?,
        references: Vec::new(),
        metadata: request.metadata.clone().map(Box::new),
        rule_set: request.rule_set.clone().map(Box::new),
        md5: None,
    };
    let (number, version) = state
        .subject(subject)?
        .newest_with(as_sent.fingerprint(), include_deleted)?;
    Some(VersionView::new(subject, number, version))
}

/// The version of `subject` a lookup of `content` finds: one with equal
/// content, else the newest that `content` can look up; with
/// `latest_only`, the latest live version if `content` looks it up.
fn find_version(
    state: &State,
    subject: &str,
    content: &SchemaContent,
    options: LookupOptions,
) -> Option<VersionView> {
    let entry = state.subject(subject)?;
    if options.latest_only {
        return entry
            .latest_live()
            .filter(|(number, v)| content.can_look_up(&v.content, *number))
            .map(|(number, v)| VersionView::new(subject, number, v));
    }
    entry
        .newest_with(content.fingerprint(), options.include_deleted)
        .or_else(|| entry.newest_looked_up(content, options.include_deleted, |_| true))
        .map(|(number, v)| VersionView::new(subject, number, v))
}

impl Registry {
    /// `POST /subjects/{s}`: the version of `subject` holding this schema.
    /// An unqualified subject not found in the default context is looked up
    /// in every other context (where invalid schemas are no error). What
    /// is found nowhere is 40401 or 40403 as the subject exists or not.
    pub fn lookup(
        &self,
        subject: &str,
        request: &SchemaRequest,
        normalize: bool,
        include_deleted: bool,
    ) -> Result<VersionView> {
        let state = self.state();
        let qualified = QualifiedSubject::parse(subject);
        let options = LookupOptions {
            normalize: normalize || state.effective_config(&qualified).normalize,
            include_deleted,
            latest_only: false,
        };
        let parse = self.request_parse();
        let find = |candidate: &QualifiedSubject| {
            if !request.has_schema() {
                return Ok(None);
            }
            find_requested(&state, candidate, request, options, &parse)
        };
        if let Some(found) = find(&qualified)? {
            return Ok(found);
        }
        for candidate in state.subject_candidates(&qualified).iter().skip(1) {
            if let Ok(Some(found)) = find(candidate) {
                return Ok(found);
            }
        }
        if state.has_subjects(&qualified, include_deleted) {
            Err(RegistryError::SchemaNotFound)
        } else {
            Err(RegistryError::SubjectNotFound(qualified.to_string()))
        }
    }
}
