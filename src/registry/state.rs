//! The in-memory index every read is served from, and the questions every
//! operation asks of it (which subject a name reaches, which config and
//! mode apply). It changes only by applying records, the same records the
//! log persists, so the state after a restart is the state before it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use serde_json::Value;
use smallvec::SmallVec;

use super::content::{Fingerprint, SchemaContent};
use super::error::NotPermitted;
use super::queries::{matches_prefix, SubjectFilter, VersionSpec, VersionView};
use super::settings::{
    default_config, scope_chain, with_default_level, EffectiveConfig, Mode, DEFAULT_COMPATIBILITY,
    PROTOBUF_WIRE_RULES,
};
use super::subject::QualifiedSubject;
use super::subject::DEFAULT_CONTEXT;
use super::versions::{Subject, Version};
use super::{RegistryError, Result};
use crate::records::{Record, SchemaValue};

/// An id and the subject-versions that hold it, in the order they came (a
/// rewritten version keeps its place). One is held per id in each copy of
/// the state, so it is kept small: the fingerprint is its holders' (each
/// [`Version`] carries it), and one holder, the usual case, needs no
/// allocation of its own.
#[derive(Clone, Debug)]
pub struct IdEntry {
    pub content: Arc<SchemaContent>,
    pub holders: SmallVec<[(Arc<str>, i32); 1]>,
}

/// Ids are allocated per context.
#[derive(Debug, Default)]
pub struct Context {
    pub ids: BTreeMap<i32, IdEntry>,
    /// Only in a state that plans writes ([`State::planning_writes`]):
    /// reads never need it, so the published state goes without.
    pub by_fingerprint: HashMap<Fingerprint, i32, BuildHasherDefault<DigestHasher>>,
    pub max_id: i32,
}

/// A copy with full B-tree nodes. Ids arrive in ascending order, and a
/// B-tree grown that way leaves its nodes a little over half full; one
/// built from sorted entries fills them. Both copies of the state hold an
/// entry per id, so this is most of their size.
impl Clone for Context {
    fn clone(&self) -> Self {
        Self {
            ids: self.ids.iter().map(|(id, e)| (*id, e.clone())).collect(),
            by_fingerprint: self.by_fingerprint.clone(),
            max_id: self.max_id,
        }
    }
}

/// Fingerprints are BLAKE3 digests, uniform already: their first bytes serve
/// as the hash, no need to hash them again.
#[derive(Default)]
pub struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut word = [0; 8];
        let n = bytes.len().min(8);
        word[..n].copy_from_slice(&bytes[..n]);
        self.0 ^= u64::from_ne_bytes(word);
    }

    /// The length prefix of a digest: always the same.
    fn write_usize(&mut self, _: usize) {}

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A record made ready to apply: what needs no state (a version's content
/// and its fingerprint) done already, so that replay can do it on another
/// thread than the one applying, and a write once for the staged and the
/// published state, which then share the content.
#[derive(Clone)]
pub enum ReadyRecord {
    Version(String, i32, Option<ReadyVersion>),
    /// Boxed: rare (configs, modes, markers), and a record is large.
    Other(Box<Record>),
}

#[derive(Clone)]
pub struct ReadyVersion {
    id: i32,
    deleted: bool,
    content: Arc<SchemaContent>,
    fingerprint: Fingerprint,
}

impl ReadyVersion {
    fn new(value: SchemaValue) -> Self {
        let (id, deleted) = (value.id, value.deleted);
        let content = SchemaContent::from_value(value);
        Self {
            id,
            deleted,
            fingerprint: content.fingerprint(),
            content: Arc::new(content),
        }
    }
}

impl From<Record> for ReadyRecord {
    fn from(record: Record) -> Self {
        match record {
            Record::Schema(subject, version, value) => {
                ReadyRecord::Version(subject, version, value.map(ReadyVersion::new))
            }
            other => ReadyRecord::Other(Box::new(other)),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct State {
    /// By storage name (`name` or `:.ctx:name`); version holders share the
    /// name.
    subjects: HashMap<Arc<str>, Subject>,
    /// The same names, sorted, for listings.
    subject_names: BTreeSet<Arc<str>>,
    pub contexts: BTreeMap<String, Context>,
    /// Contexts that ever held a schema; `/contexts` keeps listing them.
    pub known_contexts: BTreeSet<String>,
    /// `None` is the global config; values are in GET shape.
    pub configs: HashMap<Option<String>, Value>,
    /// How many of `configs` name an alias: while none does, requests
    /// skip alias resolution.
    aliases: usize,
    pub modes: HashMap<Option<String>, String>,
    /// Whether `by_fingerprint` is kept.
    plans_writes: bool,
    /// Counts the records applied: answers rendered from one state are
    /// good while it has not moved.
    pub generation: u64,
}

impl State {
    pub fn subject(&self, name: &str) -> Option<&Subject> {
        self.subjects.get(name)
    }

    /// Every subject, by name.
    pub fn subjects(&self) -> impl Iterator<Item = (&str, &Subject)> {
        self.subject_names
            .iter()
            .map(|name| (&**name, &self.subjects[name]))
    }

    /// This state, able to plan writes: each content's first id found by
    /// fingerprint (the lowest id, where IMPORT bound one content to several).
    pub fn planning_writes(mut self) -> Self {
        for context in self.contexts.values_mut() {
            context.by_fingerprint.clear();
        }
        for (name, subject) in &self.subjects {
            let Some(context) = self.contexts.get_mut(QualifiedSubject::context_of(name)) else {
                continue;
            };
            for version in subject.versions.values() {
                context
                    .by_fingerprint
                    .entry(version.fingerprint)
                    .and_modify(|id| *id = (*id).min(version.id))
                    .or_insert(version.id);
            }
        }
        self.plans_writes = true;
        self
    }

    /// This state with its ids in full B-tree nodes, as a copy has them
    /// ([`Context`]'s `clone`): for a state grown by replay.
    pub fn with_full_nodes(mut self) -> Self {
        for context in self.contexts.values_mut() {
            context.ids = std::mem::take(&mut context.ids).into_iter().collect();
        }
        self
    }

    pub fn context(&self, name: &str) -> Option<&Context> {
        self.contexts.get(name)
    }

    /// Whether any config names an alias.
    pub fn has_aliases(&self) -> bool {
        self.aliases > 0
    }

    pub fn apply(&mut self, record: Record) {
        self.apply_ready(ReadyRecord::from(record));
    }

    pub fn apply_ready(&mut self, ready: ReadyRecord) {
        self.generation += 1;
        match ready {
            ReadyRecord::Version(subject, version, value) => {
                self.replace_version(subject, version, value)
            }
            ReadyRecord::Other(record) => self.apply_other(*record),
        }
    }

    fn apply_other(&mut self, record: Record) {
        match record {
            Record::Schema(subject, version, value) => {
                self.replace_version(subject, version, value.map(ReadyVersion::new))
            }
            Record::Config(subject, value) => {
                let names_alias = |config: Option<&Value>| {
                    config
                        .and_then(|c| c.get("alias"))
                        .and_then(Value::as_str)
                        .is_some_and(|alias| !alias.is_empty())
                };
                self.aliases -= usize::from(names_alias(self.configs.get(&subject)));
                self.aliases += usize::from(names_alias(value.as_ref()));
                set_or_remove(&mut self.configs, subject, value)
            }
            Record::Mode(subject, value) => {
                set_or_remove(&mut self.modes, subject, value.map(|m| m.mode))
            }
            Record::DeleteSubject(subject, Some(marker)) => {
                if let Some(entry) = self.subjects.get_mut(subject.as_str()) {
                    for version in entry.versions.range_mut(..=marker.version) {
                        version.1.deleted = true;
                    }
                }
            }
            Record::DeleteSubject(_, None) => {}
            Record::ClearSubject(_, Some(clear)) => {
                self.clear_soft_deleted(clear.subject.as_deref())
            }
            Record::ClearSubject(_, None) | Record::Noop => {}
            Record::Context(context) => {
                self.known_contexts.insert(context);
            }
            Record::ContextRemoved(context) => {
                self.known_contexts.remove(&context);
            }
            Record::IdWatermark(context, watermark) => {
                let context = self.contexts.entry(context).or_default();
                context.max_id = context.max_id.max(watermark.id);
            }
        }
    }

    /// Confluent's CLEAR_SUBJECT: drops the soft-deleted versions of one
    /// subject, of every subject of a context (`:.ctx:`), or of every
    /// subject (`None`).
    fn clear_soft_deleted(&mut self, scope: Option<&str>) {
        let context_scope = scope
            .map(QualifiedSubject::parse)
            .filter(|scope| scope.name.is_empty());
        let in_scope = |name: &str| match (scope, &context_scope) {
            (None, _) => true,
            (_, Some(context)) => QualifiedSubject::context_of(name) == context.context,
            (Some(scope), None) => scope == name,
        };
        let cleared: Vec<(Arc<str>, i32)> = self
            .subjects
            .iter()
            .filter(|(name, _)| in_scope(name))
            .flat_map(|(name, subject)| {
                let deleted = subject.versions.iter().filter(|(_, v)| v.deleted);
                deleted.map(|(number, _)| (Arc::clone(name), *number))
            })
            .collect();
        for (name, number) in cleared {
            self.remove_version(&name, number);
        }
    }

    fn replace_version(&mut self, subject: String, version: i32, value: Option<ReadyVersion>) {
        if let Some(taken) = value
            .as_ref()
            .filter(|v| self.id_names_other_text(&subject, v))
        {
            // Confluent's readers ignore such a record (a deposed leader's
            // late write): the id keeps the schema it named first.
            tracing::warn!(
                subject,
                version,
                id = taken.id,
                "ignoring a schema record whose id already names another schema"
            );
            return;
        }
        let place = self.holder_place(&subject, version);
        self.remove_version(&subject, version);
        if let Some(value) = value {
            let id = value.id;
            let context = QualifiedSubject::context_of(&subject).to_owned();
            self.insert_version(subject, version, value);
            // A rewrite of a version (a soft delete) keeps its place among
            // its id's holders, as Confluent's map keeps a present key's.
            if let Some((old_id, index)) = place.filter(|(old_id, _)| *old_id == id) {
                let holders = self
                    .contexts
                    .get_mut(&context)
                    .and_then(|c| c.ids.get_mut(&old_id))
                    .map(|entry| &mut entry.holders);
                if let Some(holders) = holders.filter(|h| index < h.len()) {
                    let moved = holders.pop().expect("inserted above");
                    holders.insert(index, moved);
                }
            }
        }
    }

    /// Whether `value`'s id already names, in `subject`'s context, a
    /// schema of another text (Confluent compares the text alone).
    fn id_names_other_text(&self, subject: &str, value: &ReadyVersion) -> bool {
        self.contexts
            .get(QualifiedSubject::context_of(subject))
            .and_then(|context| context.ids.get(&value.id))
            .is_some_and(|entry| entry.content.schema != value.content.schema)
    }

    /// The id a version holds and its place among that id's holders.
    fn holder_place(&self, subject: &str, version: i32) -> Option<(i32, usize)> {
        let id = self.subjects.get(subject)?.versions.get(&version)?.id;
        let context = self.contexts.get(QualifiedSubject::context_of(subject))?;
        let index = context
            .ids
            .get(&id)?
            .holders
            .iter()
            .position(|(s, v)| &**s == subject && *v == version)?;
        Some((id, index))
    }

    fn insert_version(&mut self, subject: String, version: i32, value: ReadyVersion) {
        let ReadyVersion {
            id,
            deleted,
            content,
            fingerprint,
        } = value;
        let name = match self.subjects.get_key_value(subject.as_str()) {
            Some((name, _)) => Arc::clone(name),
            None => {
                let name: Arc<str> = subject.into();
                self.subjects.insert(Arc::clone(&name), Subject::default());
                self.subject_names.insert(Arc::clone(&name));
                name
            }
        };
        let context_name = QualifiedSubject::context_of(&name);
        if !self.contexts.contains_key(context_name) {
            self.contexts
                .insert(context_name.to_owned(), Context::default());
        }
        let context = self.contexts.get_mut(context_name).expect("inserted above");
        context.max_id = context.max_id.max(id);
        let entry = context.ids.entry(id).or_insert_with(|| IdEntry {
            content,
            holders: SmallVec::new(),
        });
        // An id keeps the content it was first held with, and so its
        // fingerprint: that of any version holding it.
        let fingerprint = entry
            .holders
            .first()
            .and_then(|(holder, number)| self.subjects.get(holder)?.versions.get(number))
            .map_or(fingerprint, |held| held.fingerprint);
        entry.holders.push((Arc::clone(&name), version));
        let content = Arc::clone(&entry.content);
        if self.plans_writes {
            context.by_fingerprint.entry(fingerprint).or_insert(id);
        }
        let entry = self.subjects.get_mut(&name).expect("inserted above");
        entry.insert(
            version,
            Version {
                id,
                deleted,
                content,
                fingerprint,
            },
        );
    }

    fn remove_version(&mut self, subject: &str, version: i32) {
        let Some(entry) = self.subjects.get_mut(subject) else {
            return;
        };
        let Some(removed) = entry.remove(version) else {
            return;
        };
        if entry.versions.is_empty() {
            self.subjects.remove(subject);
            self.subject_names.remove(subject);
        }
        let Some(context) = self.contexts.get_mut(QualifiedSubject::context_of(subject)) else {
            return;
        };
        let Some(id_entry) = context.ids.get_mut(&removed.id) else {
            return;
        };
        id_entry
            .holders
            .retain(|(s, v)| !(&**s == subject && *v == version));
        if id_entry.holders.is_empty() {
            context.ids.remove(&removed.id);
            if context.by_fingerprint.get(&removed.fingerprint) == Some(&removed.id) {
                context.by_fingerprint.remove(&removed.fingerprint);
            }
        }
    }

    /// The subjects a version read of `subject` tries: itself, then (for an
    /// unqualified name) the same name in every other context.
    pub fn subject_candidates(&self, subject: &QualifiedSubject) -> Vec<QualifiedSubject> {
        let mut candidates = vec![subject.clone()];
        if subject.is_default_context() {
            candidates.extend(
                self.contexts
                    .keys()
                    .filter(|c| c.as_str() != DEFAULT_CONTEXT)
                    .map(|c| QualifiedSubject::in_context(c, &subject.name)),
            );
        }
        candidates
    }

    /// `read` on each of `subject`'s candidates until one succeeds; else the
    /// first candidate's error.
    pub fn first_in_candidates<T>(
        &self,
        subject: &QualifiedSubject,
        read: impl Fn(&QualifiedSubject) -> Result<T>,
    ) -> Result<T> {
        let mut first_error = None;
        for candidate in self.subject_candidates(subject) {
            match read(&candidate) {
                Ok(found) => return Ok(found),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        Err(first_error.expect("a subject is always its own first candidate"))
    }

    /// Confluent's `hasSubjects`: whether `subject` has a live version (any
    /// version with `include_deleted`). An empty name stands for its whole
    /// context, so `:.ctx:` exists while any subject of `.ctx` does.
    pub fn has_subjects(&self, subject: &QualifiedSubject, include_deleted: bool) -> bool {
        let admits = |s: &Subject| include_deleted || s.has_live_versions();
        if !subject.name.is_empty() {
            return self.subject(&subject.to_string()).is_some_and(admits);
        }
        self.subjects()
            .any(|(name, s)| QualifiedSubject::parse(name).context == subject.context && admits(s))
    }

    /// `id` in the context `subject` selects, as Confluent 7.9's
    /// `getSchemaKeyUsingContexts` finds it: without `subject` in the
    /// default context; a named subject must hold the id itself (an
    /// unqualified one is also tried in every other context, then the
    /// default context stands in); an empty name accepts any holder.
    pub fn locate_id(&self, id: i32, subject: Option<&str>) -> Option<(&str, &IdEntry)> {
        let in_context = |context: &str| {
            let (name, context) = self.contexts.get_key_value(context)?;
            Some((name.as_str(), context.ids.get(&id)?))
        };
        let held_by = |subject: &QualifiedSubject| {
            let (context, entry) = in_context(&subject.context)?;
            let name = subject.to_string();
            (subject.name.is_empty() || entry.holders.iter().any(|(s, _)| **s == name))
                .then_some((context, entry))
        };
        let Some(subject) = subject.map(QualifiedSubject::parse) else {
            return in_context(DEFAULT_CONTEXT);
        };
        if let Some(found) = held_by(&subject) {
            return Some(found);
        }
        if subject.name.is_empty() || !subject.is_default_context() {
            return None;
        }
        self.known_contexts
            .iter()
            .find_map(|context| held_by(&QualifiedSubject::in_context(context, &subject.name)))
            .or_else(|| in_context(DEFAULT_CONTEXT))
    }

    pub(super) fn version_of(
        &self,
        subject: &str,
        spec: VersionSpec,
        include_deleted: bool,
    ) -> Result<VersionView> {
        let entry = self
            .subject(subject)
            .filter(|s| include_deleted || s.has_live_versions())
            .ok_or_else(|| RegistryError::SubjectNotFound(subject.to_owned()))?;
        let found = match spec {
            VersionSpec::Latest => entry.latest_live(),
            VersionSpec::Number(n) => entry
                .versions
                .get(&n)
                .filter(|v| include_deleted || !v.deleted)
                .map(|v| (n, v)),
        };
        let not_found = || match spec {
            VersionSpec::Latest => "-1".to_owned(),
            VersionSpec::Number(n) => n.to_string(),
        };
        found
            .map(|(n, v)| VersionView::new(subject, n, v))
            .ok_or_else(|| RegistryError::VersionNotFound(not_found()))
    }

    pub(super) fn subject_names(&self, prefix: &str, filter: SubjectFilter) -> Vec<String> {
        self.subjects()
            .filter(|(name, _)| matches_prefix(name, prefix))
            .filter(|(_, subject)| match filter {
                SubjectFilter::Live => subject.has_live_versions(),
                SubjectFilter::All => true,
                SubjectFilter::DeletedOnly => !subject.has_live_versions(),
            })
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    /// The first config record along the chain decides; Confluent 7.9 fills
    /// a missing level from the server default, not from wider scopes.
    pub fn effective_config_value(&self, subject: &QualifiedSubject) -> Value {
        scope_chain(subject)
            .iter()
            .find_map(|scope| self.configs.get(scope))
            .map_or_else(default_config, with_default_level)
    }

    pub fn effective_config(&self, subject: &QualifiedSubject) -> EffectiveConfig {
        let config = self.effective_config_value(subject);
        let flag = |name: &str| config.get(name).and_then(Value::as_bool).unwrap_or(false);
        let part = |name: &str| config.get(name).filter(|v| v.is_object()).cloned();
        EffectiveConfig {
            level: config
                .get("compatibilityLevel")
                .and_then(Value::as_str)
                .and_then(|level| level.parse().ok())
                .unwrap_or(DEFAULT_COMPATIBILITY),
            normalize: flag("normalize"),
            validate_fields: flag("validateFields"),
            protobuf_wire_rules: flag(PROTOBUF_WIRE_RULES),
            compatibility_group: config
                .get("compatibilityGroup")
                .and_then(Value::as_str)
                .map(str::to_owned),
            default_metadata: part("defaultMetadata"),
            override_metadata: part("overrideMetadata"),
            rule_set_defaults: part("defaultRuleSet").is_some()
                || part("overrideRuleSet").is_some(),
        }
    }

    /// A global READONLY_OVERRIDE wins over every subject and context mode.
    pub fn effective_mode(&self, subject: &QualifiedSubject) -> Mode {
        let global = self.modes.get(&None).and_then(|m| m.parse().ok());
        if global == Some(Mode::ReadOnlyOverride) {
            return Mode::ReadOnlyOverride;
        }
        scope_chain(subject)
            .iter()
            .find_map(|scope| self.modes.get(scope))
            .and_then(|mode| mode.parse().ok())
            .unwrap_or(Mode::ReadWrite)
    }

    pub(super) fn global_mode(&self) -> Mode {
        self.modes
            .get(&None)
            .and_then(|mode| mode.parse().ok())
            .unwrap_or(Mode::ReadWrite)
    }

    /// Config writes and deletes are refused in read-only modes.
    pub fn ensure_writable(&self, subject: &QualifiedSubject) -> Result<()> {
        if self.effective_mode(subject).is_read_only() {
            return Err(NotPermitted::ReadOnly(subject.to_string()).into());
        }
        Ok(())
    }
}

fn set_or_remove<V>(map: &mut HashMap<Option<String>, V>, key: Option<String>, value: Option<V>) {
    match value {
        Some(value) => {
            map.insert(key, value);
        }
        None => {
            map.remove(&key);
        }
    }
}
