//! Registering a schema under a subject, and looking one up (spec §4.3,
//! §4.4): turning the request into canonical content, finding the id and
//! version it already has or allocating new ones, and the checks between.

use std::sync::Arc;

use serde_json::{Map, Value};
use treaty_compat::{ParsedSchema, SchemaType};

use super::content::{SchemaContent, CONFLUENT_VERSION};
use super::queries::VersionView;
use super::records::{IdWatermarkValue, Record};
use super::references;
use super::settings::Mode;
use super::state::{State, Subject};
use super::subject::QualifiedSubject;
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
    fn explicit_id(&self) -> Option<i32> {
        self.id.filter(|&id| id != -1)
    }

    fn explicit_version(&self) -> Option<i32> {
        self.version.filter(|&v| v != 0)
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
    /// schema reuses the subject's latest live version.
    pub fn prepare(
        &self,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
    ) -> Result<Prepared> {
        let latest = self
            .subject(&subject.to_string())
            .and_then(Subject::latest_live)
            .map(|(_, v)| Arc::clone(&v.content));
        let text = request.schema.as_deref().filter(|t| !t.trim().is_empty());
        let (text, schema_type, mut refs) = match (text, &latest) {
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
            metadata: request.metadata.clone(),
            rule_set: request.rule_set.clone(),
        };
        Ok(Prepared { content, parsed })
    }

    /// The newest version of `subject` (live only, or any with
    /// `include_deleted`) whose content a lookup of `content` finds.
    fn find_version(
        &self,
        subject: &str,
        content: &SchemaContent,
        include_deleted: bool,
    ) -> Option<VersionView> {
        let entry = self.subject(subject)?;
        let exact = content.fingerprint();
        let loose = content.lookup_fingerprint();
        let candidates = || {
            entry
                .versions
                .iter()
                .rev()
                .filter(|(_, v)| include_deleted || !v.deleted)
        };
        candidates()
            .find(|(_, v)| v.content.fingerprint() == exact)
            .or_else(|| candidates().find(|(_, v)| v.content.lookup_fingerprint() == loose))
            .map(|(number, v)| VersionView::new(subject, *number, v))
    }
}

/// The metadata a new version carries: the request's, else inherited from
/// the previous version (spec §4.3 step 4).
fn merged_metadata(
    request: &SchemaRequest,
    previous: Option<&SchemaContent>,
) -> (Option<Value>, bool) {
    match (
        &request.metadata,
        previous.and_then(|p| p.metadata.as_ref()),
    ) {
        (Some(own), _) => (Some(own.clone()), false),
        (None, Some(inherited)) => (Some(inherited.clone()), true),
        (None, None) => (None, false),
    }
}

/// Sets `confluent:version` to the assigned number.
fn stamp_version(metadata: Option<Value>, version: i32) -> Value {
    let mut metadata = match metadata {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let properties = metadata
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    if !properties.is_object() {
        *properties = Value::Object(Map::new());
    }
    properties
        .as_object_mut()
        .expect("made an object above")
        .insert(
            CONFLUENT_VERSION.to_owned(),
            Value::from(version.to_string()),
        );
    Value::Object(metadata)
}

fn has_version_property(metadata: Option<&Value>) -> bool {
    metadata
        .and_then(|m| m.get("properties"))
        .and_then(|p| p.get(CONFLUENT_VERSION))
        .is_some()
}

impl Registry {
    /// `POST /subjects/{s}/versions`.
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
        self.write(|state| {
            let name = subject.to_string();
            let mode = state.effective_mode(&subject);
            if mode.is_read_only() {
                return Err(RegistryError::OperationNotPermitted(format!(
                    "Subject {name} is in read-only mode"
                )));
            }
            if mode == Mode::Import {
                return self.plan_import(state, &subject, &request, normalize);
            }
            self.plan_register(state, &subject, &request, normalize)
        })
        .await
    }

    fn plan_register(
        &self,
        state: &State,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
    ) -> Result<(Vec<Record>, RegisterOutcome)> {
        let name = subject.to_string();
        let config = state.effective_config(subject);
        let prepared = state.prepare(subject, request, normalize || config.normalize)?;
        let entry = state.subject(&name);
        let previous = entry
            .and_then(Subject::latest_live)
            .map(|(_, v)| Arc::clone(&v.content));

        if let Some(found) = state.find_version(&name, &prepared.content, false) {
            return self.answer_existing(request, found);
        }
        let (metadata, inherited) = merged_metadata(request, previous.as_deref());
        let mut content = SchemaContent {
            metadata,
            ..prepared.content
        };
        if inherited {
            if let Some(found) = state.find_version(&name, &content, false) {
                let mut outcome = self.answer_existing(request, found)?;
                outcome.1.long_form = Some(Arc::new(content));
                return Ok(outcome);
            }
        }

        let version = entry.map_or(1, Subject::next_version);
        if let Some(explicit) = request.explicit_version() {
            if explicit != version && explicit != -1 {
                return Err(RegistryError::InvalidSchema(
                    "Version is not one more than previous version".to_owned(),
                ));
            }
        }
        if request.explicit_version().is_some() || has_version_property(content.metadata.as_ref()) {
            content.metadata = Some(stamp_version(content.metadata.take(), version));
        }

        let existing_id = state
            .context(&subject.context)
            .and_then(|c| c.by_fingerprint.get(&content.fingerprint()).copied());
        if let Some(explicit) = request.explicit_id() {
            if Some(explicit) != existing_id {
                return Err(RegistryError::OperationNotPermitted(format!(
                    "Subject {name} is not in import mode"
                )));
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

        let mut records = Vec::new();
        let id = match existing_id {
            Some(id) => id,
            None => {
                let id = state.context(&subject.context).map_or(0, |c| c.max_id) + 1;
                records.push(Record::IdWatermark(
                    subject.context.clone(),
                    IdWatermarkValue { id },
                ));
                id
            }
        };
        if let Some(entry) = entry {
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
            version,
            Some(content.to_value(&name, version, id, false)),
        ));
        let long = request.metadata.is_some() || inherited || request.explicit_version().is_some();
        let outcome = RegisterOutcome {
            id,
            version,
            long_form: long.then(|| Arc::new(content)),
        };
        Ok((records, outcome))
    }

    /// A request that matches a live version answers with it, unchanged.
    fn answer_existing(
        &self,
        request: &SchemaRequest,
        found: VersionView,
    ) -> Result<(Vec<Record>, RegisterOutcome)> {
        if let Some(explicit) = request.explicit_id() {
            if explicit != found.id {
                return Err(RegistryError::OperationNotPermitted(format!(
                    "Subject {} is not in import mode",
                    found.subject
                )));
            }
        }
        let long = request.explicit_version().is_some();
        Ok((
            vec![],
            RegisterOutcome {
                id: found.id,
                version: found.version,
                long_form: long.then_some(found.content),
            },
        ))
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
        let prepared = state.prepare(subject, request, normalize)?;
        let mut content = prepared.content;
        if !normalize {
            if let Some(text) = request.schema.as_deref().filter(|t| !t.trim().is_empty()) {
                content.schema = text.to_owned();
            }
        }
        let context = state.context(&subject.context);
        if let Some(bound) = context.and_then(|c| c.ids.get(&id)) {
            if bound.content.fingerprint() != content.fingerprint() {
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
    /// in every other context.
    pub fn lookup(
        &self,
        subject: &str,
        request: &SchemaRequest,
        normalize: bool,
        include_deleted: bool,
    ) -> Result<VersionView> {
        let state = self.state();
        let qualified = QualifiedSubject::parse(subject);
        state.first_in_candidates(&qualified, |candidate| {
            self.lookup_in(&state, candidate, request, normalize, include_deleted)
        })
    }

    fn lookup_in(
        &self,
        state: &State,
        subject: &QualifiedSubject,
        request: &SchemaRequest,
        normalize: bool,
        include_deleted: bool,
    ) -> Result<VersionView> {
        let name = subject.to_string();
        let entry = state
            .subject(&name)
            .filter(|s| include_deleted || s.has_live_versions())
            .ok_or_else(|| RegistryError::SubjectNotFound(name.clone()))?;
        let normalize = normalize || state.effective_config(subject).normalize;
        let prepared = state.prepare(subject, request, normalize)?;
        if let Some(found) = state.find_version(&name, &prepared.content, include_deleted) {
            return Ok(found);
        }
        let previous = entry.latest_live().map(|(_, v)| Arc::clone(&v.content));
        let (metadata, inherited) = merged_metadata(request, previous.as_deref());
        if inherited {
            let merged = SchemaContent {
                metadata,
                ..prepared.content
            };
            if let Some(found) = state.find_version(&name, &merged, include_deleted) {
                return Ok(found);
            }
        }
        Err(RegistryError::SchemaNotFound)
    }
}
