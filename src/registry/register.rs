//! Registering a schema under a subject, and looking one up (spec §4.3,
//! §4.4): turning the request into canonical content, finding the id and
//! version it already has or allocating new ones, and the checks between.

use std::sync::Arc;

use serde_json::Value;
use treaty_compat::{ParsedSchema, SchemaType};

use super::content::{confluent_version, merge_metadata, with_confluent_version, SchemaContent};
use super::queries::VersionView;
use super::records::{IdWatermarkValue, Record};
use super::references;
use super::settings::Mode;
use super::state::State;
use super::subject::QualifiedSubject;
use super::versions::Subject;
use super::{Registry, RegistryError, Result};

/// A reference as the client sent it; any part may be missing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestReference {
    pub name: Option<String>,
    pub subject: Option<String>,
    pub version: Option<i32>,
}

impl RequestReference {
    /// Java's `SchemaReference.toString()`, quoted in error messages.
    pub fn describe(&self) -> String {
        let quoted = |v: &Option<String>| v.as_deref().unwrap_or("null").to_owned();
        let version = self.version.map_or("null".to_owned(), |v| v.to_string());
        format!(
            "{{name='{}', subject='{}', version={version}}}",
            quoted(&self.name),
            quoted(&self.subject)
        )
    }
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

    /// Confluent's `Invalid schema {…}` 42201 message around `details`.
    pub fn invalid(&self, subject: &str, details: &str) -> RegistryError {
        let references: Vec<String> = self.references.iter().map(|r| r.describe()).collect();
        let references = references.join(", ");
        let render = |v: &Option<Value>| v.as_ref().map_or("null".to_owned(), Value::to_string);
        RegistryError::InvalidSchema(format!(
            "Invalid schema {{subject={subject},version={},id={},schemaType={},references=[{references}],metadata={},ruleSet={},schema={},schemaTags=null}} with refs [{references}] of type {}, details: {details}",
            self.version.unwrap_or(0),
            self.id.unwrap_or(-1),
            self.schema_type.as_str(),
            render(&self.metadata),
            render(&self.rule_set),
            self.schema.as_deref().unwrap_or("null"),
            self.schema_type.as_str(),
        ))
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

/// A request turned into what would be stored, and its parse.
pub struct Prepared {
    pub content: SchemaContent,
    pub parsed: ParsedSchema,
}

impl State {
    /// Parses and canonicalises `request` as registration would. An empty
    /// schema reuses `previous` (registration passes the subject's latest
    /// live version), else it is 42201 `Empty schema`.
    pub fn prepare(
        &self,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
        previous: Option<&SchemaContent>,
    ) -> Result<Prepared> {
        let text = request.schema.as_deref().filter(|t| !t.trim().is_empty());
        let (text, schema_type, mut refs) = match (text, previous) {
            (Some(text), _) => {
                let refs = references::resolve(self, subject, &request.references)
                    .map_err(|details| request.invalid(&subject.to_string(), &details))?;
                (text.to_owned(), request.schema_type, refs)
            }
            (None, Some(latest)) => (
                latest.schema.clone(),
                latest.schema_type,
                latest.references.clone(),
            ),
            (None, None) => return Err(RegistryError::InvalidSchema("Empty schema".to_owned())),
        };
        let referenced = references::referenced_schemas(self, &refs);
        let texts = references::as_referenced(&referenced);
        let parsed = ParsedSchema::parse(schema_type, &text, &texts)
            .map_err(|e| request.invalid(&subject.to_string(), &e.message))?;
        let schema = if normalize {
            refs.sort_by(|a, b| {
                (&a.name, &a.subject, a.version).cmp(&(&b.name, &b.subject, b.version))
            });
            refs.dedup();
            parsed
                .normalized_text()
                .map_err(|e| request.invalid(&subject.to_string(), &e.message))?
        } else {
            parsed.canonical_text()
        };
        let content = SchemaContent {
            schema_type,
            schema,
            references: refs,
            metadata: request.metadata.clone().map(Box::new),
            rule_set: request.rule_set.clone().map(Box::new),
        };
        Ok(Prepared { content, parsed })
    }

    /// The version a lookup finds without parsing, when the request's text
    /// is exactly a version's stored text (what serializers send: the
    /// schema as the registry gave it). Avro and JSON Schema texts are
    /// stored canonical or normalised, and parsing either gives it back
    /// (compat's `canonical_idempotence` test), so the parse would find the
    /// same version. Only for lookups that do not normalise and carry no
    /// references; anything else, or no exact match, is left to the parse.
    fn find_as_sent(
        &self,
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
        };
        let (number, version) = self
            .subject(subject)?
            .newest_with(as_sent.fingerprint(), include_deleted)?;
        Some(VersionView::new(subject, number, version))
    }

    /// The version of `subject` a lookup of `request` finds: by its text as
    /// sent where that is enough, else by the parse of it.
    fn find_requested(
        &self,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
        include_deleted: bool,
        latest_only: bool,
    ) -> Result<Option<VersionView>> {
        let name = subject.to_string();
        if !normalize && !latest_only {
            if let Some(found) = self.find_as_sent(&name, request, include_deleted) {
                return Ok(Some(found));
            }
        }
        let prepared = self.prepare(subject, request, normalize, None)?;
        Ok(self.find_version(&name, &prepared.content, include_deleted, latest_only))
    }

    /// The version of `subject` a lookup of `content` finds (live only, or
    /// any with `include_deleted`): one with equal content, else the newest
    /// that `content` can look up. With `latest_only` (a request for
    /// version -1) only the latest live version is tried, by look-up rules.
    fn find_version(
        &self,
        subject: &str,
        content: &SchemaContent,
        include_deleted: bool,
        latest_only: bool,
    ) -> Option<VersionView> {
        let entry = self.subject(subject)?;
        if latest_only {
            return entry
                .latest_live()
                .filter(|(number, v)| content.can_look_up(&v.content, *number))
                .map(|(number, v)| VersionView::new(subject, number, v));
        }
        entry
            .newest_with(content.fingerprint(), include_deleted)
            .or_else(|| entry.newest_looked_up(content, include_deleted, |_| true))
            .map(|(number, v)| VersionView::new(subject, number, v))
    }
}

impl Registry {
    /// What a schema new to the registry must pass beyond parsing.
    pub(super) fn validate_new(
        &self,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        prepared: &Prepared,
    ) -> Result<()> {
        if !self.avro_validate_defaults {
            return Ok(());
        }
        prepared
            .parsed
            .validate_defaults()
            .map_err(|e| request.invalid(&subject.to_string(), &e.message))
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
        // What every producer does at startup, answered from the published
        // state without queueing behind writers: what is published is
        // durable, so a match there is a match. Anything else (no match, an
        // error that a pending write might cure) takes the writer's path.
        if let Ok(Some(found)) = Self::first_lookup(&self.state(), &subject, &request, normalize) {
            return Ok(found);
        }
        self.write(|state| {
            if let Some(found) = Self::first_lookup(state, &subject, &request, normalize)? {
                return Ok((vec![], found));
            }
            let normalize = normalize || state.effective_config(&subject).normalize;
            let name = subject.to_string();
            let mode = state.effective_mode(&subject);
            if mode.is_read_only() {
                return Err(RegistryError::OperationNotPermitted(format!(
                    "Subject {name} is in read-only mode"
                )));
            }
            match (request.explicit_id(), mode) {
                (Some(_), Mode::Import) => self.plan_import(state, &subject, &request, normalize),
                (Some(_), _) => Err(RegistryError::OperationNotPermitted(format!(
                    "Subject {name} is not in import mode"
                ))),
                (None, Mode::ReadWrite) => self.plan_register(state, &subject, &request, normalize),
                (None, _) => Err(RegistryError::OperationNotPermitted(format!(
                    "Subject {name} is not in read-write mode"
                ))),
            }
        })
        .await
    }

    /// Registration's first step, before any mode check (unless config
    /// default or override metadata would change the request).
    fn first_lookup(
        state: &State,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
    ) -> Result<Option<RegisterOutcome>> {
        let config = state.effective_config(subject);
        if config.has_defaults_or_overrides() {
            return Ok(None);
        }
        Self::already_registered(state, subject, request, normalize || config.normalize)
    }

    /// The lookup registration starts with: a request that matches a live
    /// version as submitted answers with it.
    fn already_registered(
        state: &State,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
    ) -> Result<Option<RegisterOutcome>> {
        if !request.has_schema() {
            return Ok(None);
        }
        let requested = request.requested_version();
        let Some(found) =
            state.find_requested(subject, request, normalize, false, requested == -1)?
        else {
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

    /// READWRITE registration of what the first lookup did not find: the
    /// schema and metadata completed from the previous version and the
    /// config, `confluent:version` kept, then dedupe, compatibility and
    /// the new version. The long response is given whenever the server
    /// completed the request.
    fn plan_register(
        &self,
        state: &State,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
    ) -> Result<(Vec<Record>, RegisterOutcome)> {
        let name = subject.to_string();
        let config = state.effective_config(subject);
        let entry = state.subject(&name);
        let new_version = entry.map_or(1, Subject::next_version);
        let previous = entry
            .and_then(Subject::latest_live)
            .map(|(_, v)| Arc::clone(&v.content));
        let prepared = state.prepare(subject, request, normalize, previous.as_deref())?;
        self.validate_new(subject, request, &prepared)?;

        let specific = request
            .metadata
            .as_ref()
            .or_else(|| previous.as_ref().and_then(|p| p.metadata.as_deref()));
        let mut metadata = merge_metadata(
            merge_metadata(config.default_metadata.as_ref(), specific).as_ref(),
            config.override_metadata.as_ref(),
        );
        let requested = request.requested_version();
        if requested != 0 || confluent_version(metadata.as_ref()).is_some() {
            metadata = Some(with_confluent_version(metadata.as_ref(), new_version));
        }
        let completed = !request.has_schema() || metadata.is_some();
        let content = Arc::new(SchemaContent {
            metadata: metadata.map(Box::new),
            ..prepared.content
        });
        let answer = |version: i32, id: i32| RegisterOutcome {
            id,
            version,
            long_form: completed.then(|| Arc::clone(&content)),
        };

        let context = state.context(&subject.context);
        let existing_id =
            context.and_then(|c| c.by_fingerprint.get(&content.fingerprint()).copied());
        if let (Some(id), Some(entry), 0) = (existing_id, entry, requested) {
            let holding = entry.versions.iter().rev().find(|(_, v)| v.id == id);
            if let Some((number, _)) = holding.filter(|(_, v)| !v.deleted) {
                return Ok((vec![], answer(*number, id)));
            }
        }
        if let (Some(entry), 0) = (entry, requested) {
            let equivalent = entry
                .newest_looked_up(&content, false, |v| existing_id.is_none_or(|id| id == v.id));
            if let Some((number, version)) = equivalent {
                return Ok((vec![], answer(number, version.id)));
            }
        }

        let messages = self.check_compatibility(
            state,
            subject,
            &prepared.parsed,
            &content,
            config.level,
            &config.check_options(),
            config.compatibility_group.as_deref(),
        )?;
        if !messages.is_empty() {
            return Err(RegistryError::Incompatible {
                subject: name,
                messages,
            });
        }
        if requested > 0 && requested != new_version {
            return Err(RegistryError::InvalidSchema(
                "Version is not one more than previous version".to_owned(),
            ));
        }

        let mut records = Vec::new();
        let id = match existing_id {
            Some(id) => id,
            None => {
                let id = context.map_or(0, |c| c.max_id) + 1;
                records.push(Record::IdWatermark(
                    subject.context.clone(),
                    IdWatermarkValue { id },
                ));
                id
            }
        };
        // Soft-deleted versions with the same content go (Confluent
        // replaces them); a new id has none.
        if let (Some(entry), Some(_)) = (entry, existing_id) {
            for (number, _) in entry
                .versions
                .iter()
                .filter(|(_, v)| v.deleted && v.id == id)
            {
                if references::referrers(state, &name, *number, true).is_empty() {
                    records.push(Record::Schema(name.clone(), *number, None));
                }
            }
        }
        if !subject.is_default_context() && !state.known_contexts.contains(&subject.context) {
            records.push(Record::Context(subject.context.clone()));
        }
        records.push(Record::Schema(
            name.clone(),
            new_version,
            Some(content.to_value(&name, new_version, id, false)),
        ));
        Ok((records, answer(new_version, id)))
    }

    /// IMPORT mode: the id (and version) come from the request; no
    /// compatibility check; the text is stored as sent.
    fn plan_import(
        &self,
        state: &State,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
    ) -> Result<(Vec<Record>, RegisterOutcome)> {
        let name = subject.to_string();
        let Some(id) = request.explicit_id() else {
            return Err(RegistryError::OperationNotPermitted(format!(
                "Subject {name} is not in read-write mode"
            )));
        };
        let prepared = state.prepare(subject, request, normalize, None)?;
        let mut content = prepared.content;
        if !normalize {
            if let Some(text) = request.schema.as_deref().filter(|t| !t.trim().is_empty()) {
                content.schema = text.to_owned();
            }
        }
        let context = state.context(&subject.context);
        if let Some(bound) = context.and_then(|c| c.ids.get(&id)) {
            if bound.fingerprint != content.fingerprint() {
                return Err(RegistryError::OperationNotPermitted(format!(
                    "Overwrite new schema with id {id} is not permitted."
                )));
            }
        }
        let entry = state.subject(&name);
        let version = request
            .explicit_version()
            .filter(|&v| v > 0)
            .unwrap_or_else(|| entry.map_or(1, Subject::next_version));
        let mut records = Vec::new();
        if context.map_or(0, |c| c.max_id) < id {
            records.push(Record::IdWatermark(
                subject.context.clone(),
                IdWatermarkValue { id },
            ));
        }
        if !subject.is_default_context() && !state.known_contexts.contains(&subject.context) {
            records.push(Record::Context(subject.context.clone()));
        }
        records.push(Record::Schema(
            name.clone(),
            version,
            Some(content.to_value(&name, version, id, false)),
        ));
        let long = request.explicit_version().is_some();
        Ok((
            records,
            RegisterOutcome {
                id,
                version,
                long_form: long.then(|| Arc::new(content)),
            },
        ))
    }

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
        let normalize = normalize || state.effective_config(&qualified).normalize;
        let candidates = state.subject_candidates(&qualified);
        if let Some(found) =
            Self::lookup_in(&state, &qualified, request, normalize, include_deleted)?
        {
            return Ok(found);
        }
        for candidate in candidates.iter().skip(1) {
            if let Ok(Some(found)) =
                Self::lookup_in(&state, candidate, request, normalize, include_deleted)
            {
                return Ok(found);
            }
        }
        if state.has_subjects(&qualified, include_deleted) {
            Err(RegistryError::SchemaNotFound)
        } else {
            Err(RegistryError::SubjectNotFound(qualified.to_string()))
        }
    }

    fn lookup_in(
        state: &State,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
        include_deleted: bool,
    ) -> Result<Option<VersionView>> {
        if !request.has_schema() {
            return Ok(None);
        }
        state.find_requested(subject, request, normalize, include_deleted, false)
    }
}
