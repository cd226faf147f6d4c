//! The in-memory index every read is served from. It changes only by
//! applying records, the same records the store persists, so the state after
//! a restart is the state before it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use serde_json::Value;

use super::content::{Fingerprint, SchemaContent};
use super::records::{Record, SchemaValue};
use super::subject::QualifiedSubject;
use super::versions::{Subject, Version};

/// An id and the subject-versions that hold it, in the order they came.
#[derive(Clone, Debug)]
pub struct IdEntry {
    pub content: Arc<SchemaContent>,
    pub fingerprint: Fingerprint,
    pub holders: Vec<(Arc<str>, i32)>,
    /// The bytes of `GET /schemas/ids/{id}`, rendered on the first request
    /// for them: an id's content never changes while the id exists.
    /// Boxed: most ids are never fetched, and a million are held.
    pub answer: OnceLock<Box<Bytes>>,
}

/// Ids are allocated per context.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub ids: BTreeMap<i32, IdEntry>,
    /// Only in a state that plans writes ([`State::planning_writes`]):
    /// reads never need it, so the published state goes without.
    pub by_fingerprint: HashMap<Fingerprint, i32, BuildHasherDefault<DigestHasher>>,
    pub max_id: i32,
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
/// thread than the one applying.
pub enum Prepared {
    Version(String, i32, Option<PreparedVersion>),
    /// Boxed: rare (configs, modes, markers), and a record is large.
    Other(Box<Record>),
}

pub struct PreparedVersion {
    id: i32,
    deleted: bool,
    content: Arc<SchemaContent>,
    fingerprint: Fingerprint,
}

impl PreparedVersion {
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

impl From<Record> for Prepared {
    fn from(record: Record) -> Self {
        match record {
            Record::Schema(subject, version, value) => {
                Prepared::Version(subject, version, value.map(PreparedVersion::new))
            }
            other => Prepared::Other(Box::new(other)),
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
            for (id, entry) in &context.ids {
                context
                    .by_fingerprint
                    .entry(entry.fingerprint)
                    .or_insert(*id);
            }
        }
        self.plans_writes = true;
        self
    }

    pub fn context(&self, name: &str) -> Option<&Context> {
        self.contexts.get(name)
    }

    pub fn apply(&mut self, record: Record) {
        self.apply_prepared(Prepared::from(record));
    }

    pub fn apply_prepared(&mut self, prepared: Prepared) {
        self.generation += 1;
        match prepared {
            Prepared::Version(subject, version, value) => {
                self.replace_version(subject, version, value)
            }
            Prepared::Other(record) => self.apply_other(*record),
        }
    }

    fn apply_other(&mut self, record: Record) {
        match record {
            Record::Schema(subject, version, value) => {
                self.replace_version(subject, version, value.map(PreparedVersion::new))
            }
            Record::Config(subject, value) => set_or_remove(&mut self.configs, subject, value),
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

    fn replace_version(&mut self, subject: String, version: i32, value: Option<PreparedVersion>) {
        self.remove_version(&subject, version);
        if let Some(value) = value {
            self.insert_version(subject, version, value);
        }
    }

    fn insert_version(&mut self, subject: String, version: i32, value: PreparedVersion) {
        let PreparedVersion {
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
            fingerprint,
            // Most ids have one holder: no room reserved for more.
            holders: Vec::with_capacity(1),
            answer: OnceLock::new(),
        });
        entry.holders.push((Arc::clone(&name), version));
        let (content, fingerprint) = (Arc::clone(&entry.content), entry.fingerprint);
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
            let fingerprint = id_entry.fingerprint;
            context.ids.remove(&removed.id);
            if context.by_fingerprint.get(&fingerprint) == Some(&removed.id) {
                context.by_fingerprint.remove(&fingerprint);
            }
        }
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
