//! `POST /subjects/{s}/versions` (spec §4.3): finding the version a request
//! already has, else checking and planning a new one: in READWRITE mode
//! with a new or shared id and the next version, in IMPORT mode with the id
//! (and version) the request names.

use std::sync::Arc;

use serde_json::Value;
use treaty_compat::SchemaType;

use super::allocate;
use super::content::{confluent_version, merge_metadata, with_confluent_version, SchemaContent};
use super::error::{NotPermitted, SchemaProblem};
use super::lookup::{find_requested, LookupOptions};
use super::parse::{ParsedRequest, RequestParse};
use super::references;
use super::settings::{EffectiveConfig, Mode};
use super::state::State;
use super::subject::QualifiedSubject;
use super::versions::Subject;
use super::{Registry, RegistryError, Result};
use crate::records::{IdWatermarkValue, Record};

/// A reference as the client sent it; any part may be missing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestReference {
    pub name: Option<String>,
    pub subject: Option<String>,
    pub version: Option<i32>,
}

/// The body of register, lookup and compatibility requests.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaRequest {
    pub schema: Option<String>,
    pub schema_type: SchemaType,
    pub references: Vec<RequestReference>,
    pub metadata: Option<Value>,
    pub rule_set: Option<Value>,
    /// `None` (or 0) lets the registry pick the next version.
    pub version: Option<i32>,
    /// `None` (or -1) lets the registry pick the id.
    pub id: Option<i32>,
}

impl SchemaRequest {
    /// An id of 0 or more asks for that id (IMPORT only); absent or
    /// negative lets the registry pick, as Confluent's `Schema` reads it.
    fn explicit_id(&self) -> Option<i32> {
        self.id.filter(|&id| id >= 0)
    }

    /// The version asked for: 0 when absent (the next one), -1 "latest".
    fn requested_version(&self) -> i32 {
        self.version.unwrap_or(0)
    }

    fn explicit_version(&self) -> Option<i32> {
        self.version.filter(|&v| v != 0)
    }

    /// Whether the request carries schema text; without it registration
    /// reuses the latest version's, and lookups find nothing.
    pub fn has_schema(&self) -> bool {
        self.schema.as_deref().is_some_and(|t| !t.trim().is_empty())
    }
}

/// What a registration answers.
#[derive(Clone, Debug)]
pub struct RegisterOutcome {
    pub id: i32,
    pub version: i32,
    /// Set when Confluent answers with the long form (§1.4): the content
    /// registered.
    pub long_form: Option<Arc<SchemaContent>>,
}

impl Registry {
    /// What a schema new to the registry must pass beyond parsing.
    pub(super) fn validate_new(
        &self,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        parsed: &ParsedRequest,
    ) -> Result<()> {
        if !self.avro_validate_defaults {
            return Ok(());
        }
        parsed
            .parsed
            .validate_defaults()
            .map_err(|e| request.invalid(subject, SchemaProblem::from(e)))
    }

    /// `POST /subjects/{s}/versions`, in the order of Confluent 7.9's
    /// `registerOrForward` and `register` (spec §4.3).
    pub async fn register(
        &self,
        subject: &str,
        request: SchemaRequest,
        normalize: bool,
    ) -> Result<RegisterOutcome> {
        let subject = QualifiedSubject::parse(subject);
        if !subject.is_valid_for_writes() {
            return Err(RegistryError::InvalidSubject(subject.to_string()));
        }
        let parse = self.request_parse();
        // What every producer does at startup, answered from the published
        // state without queueing behind writers: what is published is
        // durable, so a match there is a match. Anything else (no match, an
        // error that a pending write might cure) takes the writer's path.
        let published = find_registered(&self.state(), &subject, &request, normalize, &parse);
        if let Ok(Some(found)) = published {
            return Ok(found);
        }
        self.write(|state| {
            if let Some(found) = find_registered(state, &subject, &request, normalize, &parse)? {
                return Ok((vec![], found));
            }
            let config = state.effective_config(&subject);
            let normalize = normalize || config.normalize;
            let name = subject.to_string();
            let mode = state.effective_mode(&subject);
            if mode.is_read_only() {
                return Err(NotPermitted::ReadOnly(name).into());
            }
            let plan = Plan {
                state,
                subject: &subject,
                request: &request,
                normalize,
                config,
                parse: &parse,
            };
            match (request.explicit_id(), mode) {
                (Some(id), Mode::Import) => self.plan_import(plan, id),
                (Some(_), _) => Err(NotPermitted::NotImportMode(name).into()),
                (None, Mode::ReadWrite) => self.plan_register(plan),
                (None, _) => Err(NotPermitted::NotReadWriteMode(name).into()),
            }
        })
        .await
    }

    /// READWRITE registration of what [`find_registered`] did not find: the
    /// schema and metadata completed from the previous version and the
    /// config, then dedupe, compatibility and the new version.
    fn plan_register(&self, plan: Plan<'_>) -> Result<(Vec<Record>, RegisterOutcome)> {
        let Plan {
            state,
            subject,
            request,
            ..
        } = plan;
        let name = subject.to_string();
        let entry = state.subject(&name);
        let new_version = allocate::next_version(subject, entry)?;
        let previous = entry
            .and_then(Subject::latest_live)
            .map(|(_, v)| Arc::clone(&v.content));
        let parsed =
            plan.parse
                .parse(state, subject, request, plan.normalize, previous.as_deref())?;
        self.validate_new(subject, request, &parsed)?;
        let (content, completed) =
            complete(&plan, parsed.content, previous.as_deref(), new_version);
        let content = Arc::new(content);
        let answer = |version: i32, id: i32| RegisterOutcome {
            id,
            version,
            long_form: completed.then(|| Arc::clone(&content)),
        };

        let context = state.context(&subject.context);
        let existing_id =
            context.and_then(|c| c.by_fingerprint.get(&content.fingerprint()).copied());
        let requested = request.requested_version();
        if let (Some(entry), 0) = (entry, requested) {
            if let Some((number, id)) = equivalent_version(entry, &content, existing_id) {
                return Ok((vec![], answer(number, id)));
            }
        }

        let messages = self.check_compatibility(
            state,
            subject,
            &parsed.parsed,
            &content,
            plan.config.level,
            &plan.config.check_options(),
            plan.config.compatibility_group.as_deref(),
        )?;
        if !messages.is_empty() {
            return Err(RegistryError::Incompatible {
                subject: name,
                messages,
            });
        }
        if requested > 0 && requested != new_version {
            return Err(RegistryError::VersionNotNext);
        }

        let mut records = Vec::new();
        let id = match existing_id {
            Some(id) => {
                // Soft-deleted versions with the same content go (Confluent
                // replaces them); a new id has none.
                records.extend(replaced_soft_deleted(state, &name, entry, id));
                id
            }
            None => {
                let id = allocate::next_id(subject, context)?;
                records.push(watermark(subject, id));
                id
            }
        };
        records.extend(version_records(state, subject, new_version, id, &content));
        Ok((records, answer(new_version, id)))
    }

    /// IMPORT mode: the id (and version) come from the request; no
    /// compatibility check; the text is stored as sent.
    fn plan_import(&self, plan: Plan<'_>, id: i32) -> Result<(Vec<Record>, RegisterOutcome)> {
        let Plan {
            state,
            subject,
            request,
            normalize,
            ..
        } = plan;
        allocate::check_imported_id(id)?;
        if let Some(version) = request.explicit_version() {
            allocate::check_imported_version(version)?;
        }
        let parsed = plan.parse.parse(state, subject, request, normalize, None)?;
        let mut content = parsed.content;
        if !normalize {
            if let Some(text) = request.schema.as_deref().filter(|t| !t.trim().is_empty()) {
                content.schema = text.to_owned();
            }
        }
        let context = state.context(&subject.context);
        if let Some(bound) = context.and_then(|c| c.ids.get(&id)) {
            if bound.content.fingerprint() != content.fingerprint() {
                return Err(NotPermitted::IdTaken(id).into());
            }
        }
        let entry = state.subject(&subject.to_string());
        let version = match request.explicit_version().filter(|&v| v > 0) {
            Some(version) => version,
            None => allocate::next_version(subject, entry)?,
        };
        let mut records = Vec::new();
        if context.map_or(0, |c| c.max_id) < id {
            records.push(watermark(subject, id));
        }
        records.extend(version_records(state, subject, version, id, &content));
        // 7.9 completes nothing from earlier versions in IMPORT mode, so a
        // new import answers `{"id": …}` alone, explicit version or not.
        Ok((
            records,
            RegisterOutcome {
                id,
                version,
                long_form: None,
            },
        ))
    }
}

/// What planning a registration works with.
struct Plan<'a> {
    state: &'a State,
    subject: &'a QualifiedSubject,
    request: &'a SchemaRequest,
    normalize: bool,
    config: EffectiveConfig,
    parse: &'a RequestParse<'a>,
}

/// Registration's first step, before any mode check (and skipped where
/// config default or override metadata would change the request): a
/// request that a live version already matches, as submitted, is answered
/// with that version.
fn find_registered(
    state: &State,
    subject: &QualifiedSubject,
    request: &SchemaRequest,
    normalize: bool,
    parse: &RequestParse,
) -> Result<Option<RegisterOutcome>> {
    let config = state.effective_config(subject);
    if config.has_defaults_or_overrides() || !request.has_schema() {
        return Ok(None);
    }
    let requested = request.requested_version();
    let options = LookupOptions {
        normalize: normalize || config.normalize,
        include_deleted: false,
        latest_only: requested == -1,
    };
    let Some(found) = find_requested(state, subject, request, options, parse)? else {
        return Ok(None);
    };
    let outcome = if requested == 0 || requested == -1 {
        let same_id = request.explicit_id().is_none_or(|id| id == found.id);
        same_id.then_some(RegisterOutcome {
            id: found.id,
            version: found.version,
            long_form: None,
        })
    } else {
        (request.id == Some(found.id) && found.version == requested).then(|| RegisterOutcome {
            id: found.id,
            version: found.version,
            long_form: Some(Arc::clone(&found.content)),
        })
    };
    Ok(outcome)
}

/// The parsed content with its metadata completed as Confluent completes
/// it: the request's (or the previous version's) over the config default,
/// under the config override, `confluent:version` kept or set. Also
/// whether the server completed the request (then it answers in the long
/// form).
fn complete(
    plan: &Plan<'_>,
    content: SchemaContent,
    previous: Option<&SchemaContent>,
    new_version: i32,
) -> (SchemaContent, bool) {
    let request = plan.request;
    let specific = request
        .metadata
        .as_ref()
        .or_else(|| previous.and_then(|p| p.metadata.as_deref()));
    let mut metadata = merge_metadata(
        merge_metadata(plan.config.default_metadata.as_ref(), specific).as_ref(),
        plan.config.override_metadata.as_ref(),
    );
    if request.requested_version() != 0 || confluent_version(metadata.as_ref()).is_some() {
        metadata = Some(with_confluent_version(metadata.as_ref(), new_version));
    }
    let completed = !request.has_schema() || metadata.is_some();
    let content = SchemaContent {
        metadata: metadata.map(Box::new),
        ..content
    };
    (content, completed)
}

/// A live version that already holds `content` (by its id where the
/// context has one for it, else by Confluent's look-up rules), as
/// (version, id).
fn equivalent_version(
    entry: &Subject,
    content: &SchemaContent,
    existing_id: Option<i32>,
) -> Option<(i32, i32)> {
    if let Some(id) = existing_id {
        let holding = entry.versions.iter().rev().find(|(_, v)| v.id == id);
        if let Some((number, _)) = holding.filter(|(_, v)| !v.deleted) {
            return Some((*number, id));
        }
    }
    entry
        .newest_looked_up(content, false, |v| existing_id.is_none_or(|id| id == v.id))
        .map(|(number, version)| (number, version.id))
}

/// Tombstones for the unreferenced soft-deleted versions of `name` that
/// hold `id`.
fn replaced_soft_deleted(
    state: &State,
    name: &str,
    entry: Option<&Subject>,
    id: i32,
) -> Vec<Record> {
    let Some(entry) = entry else {
        return Vec::new();
    };
    entry
        .versions
        .iter()
        .filter(|(_, v)| v.deleted && v.id == id)
        .filter(|(number, _)| references::referrers(state, name, **number, true).is_empty())
        .map(|(number, _)| Record::Schema(name.to_owned(), *number, None))
        .collect()
}

/// Keeps `id` from being allocated again, even after the schemas holding
/// it are gone.
fn watermark(subject: &QualifiedSubject, id: i32) -> Record {
    Record::IdWatermark(subject.context.clone(), IdWatermarkValue { id })
}

/// The records of a new version: its context first if the context is new.
fn version_records(
    state: &State,
    subject: &QualifiedSubject,
    version: i32,
    id: i32,
    content: &SchemaContent,
) -> Vec<Record> {
    let mut records = Vec::with_capacity(2);
    if !subject.is_default_context() && !state.known_contexts.contains(&subject.context) {
        records.push(Record::Context(subject.context.clone()));
    }
    let name = subject.to_string();
    let value = content.to_value(&name, version, id, false);
    records.push(Record::Schema(name, version, Some(value)));
    records
}
