//! Read-only questions the REST API asks: listings, versions, schemas by id.

mod hash_order;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use hash_order::HashOrder;

use super::content::SchemaContent;
use super::parse::parse_stored;
use super::references;
use super::subject::{QualifiedSubject, DEFAULT_CONTEXT};
use super::versions::Version;
use super::{Registry, RegistryError, Result};

/// How much one context holds, for monitoring.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextCensus {
    /// Schema ids.
    pub schemas: usize,
    /// Subjects with a live version, and those whose versions are all
    /// soft-deleted.
    pub live_subjects: usize,
    pub deleted_subjects: usize,
    pub live_versions: usize,
    pub deleted_versions: usize,
}

/// One subject-version, as the API returns it.
#[derive(Clone, Debug)]
pub struct VersionView {
    pub subject: String,
    pub version: i32,
    pub id: i32,
    pub deleted: bool,
    pub content: Arc<SchemaContent>,
}

impl VersionView {
    pub fn new(subject: &str, number: i32, version: &Version) -> Self {
        Self {
            subject: subject.to_owned(),
            version: number,
            id: version.id,
            deleted: version.deleted,
            content: Arc::clone(&version.content),
        }
    }
}

/// A schema found by its id.
pub struct FoundById {
    pub content: Arc<SchemaContent>,
    /// The context the id was found in (`.` for the default one).
    pub context: String,
    pub max_id: i32,
}

/// A `{v}` path segment: a number, or `latest` (also `-1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionSpec {
    Latest,
    Number(i32),
}

impl VersionSpec {
    /// Java's `Integer.parseInt` after trimming, as Confluent validates it;
    /// `None` is a 42202.
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        if trimmed.eq_ignore_ascii_case("latest") {
            return Some(Self::Latest);
        }
        match trimmed.parse::<i32>().ok()? {
            -1 => Some(Self::Latest),
            n if n >= 1 => Some(Self::Number(n)),
            _ => None,
        }
    }
}

/// Which versions a listing includes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SubjectFilter {
    #[default]
    Live,
    /// Live and soft-deleted.
    All,
    /// Soft-deleted only.
    DeletedOnly,
}

impl SubjectFilter {
    pub fn from_flags(deleted: bool, deleted_only: bool) -> Self {
        match (deleted, deleted_only) {
            (_, true) => Self::DeletedOnly,
            (true, false) => Self::All,
            _ => Self::Live,
        }
    }

    fn admits(self, version: &Version) -> bool {
        match self {
            Self::Live => !version.deleted,
            Self::All => true,
            Self::DeletedOnly => version.deleted,
        }
    }
}

/// The subject prefix that matches every subject of every context.
pub const ALL_CONTEXTS: &str = ":*:";

/// Whether `name` starts with `prefix` in Confluent's context-aware sense:
/// `:*:` matches every context, a bare prefix the default context only.
pub(super) fn matches_prefix(name: &str, prefix: &str) -> bool {
    if let Some(rest) = prefix.strip_prefix(ALL_CONTEXTS) {
        return QualifiedSubject::parse(name).name.starts_with(rest);
    }
    let subject = QualifiedSubject::parse(name);
    let wanted = QualifiedSubject::parse(prefix);
    if !prefix.starts_with(":.") {
        return subject.is_default_context() && subject.name.starts_with(&wanted.name);
    }
    subject.context == wanted.context && subject.name.starts_with(&wanted.name)
}

impl Registry {
    /// `GET /subjects`.
    pub fn subjects(&self, prefix: &str, filter: SubjectFilter) -> Vec<String> {
        self.state().subject_names(prefix, filter)
    }

    /// Counts the writes published: what reads answer changes only when
    /// this does.
    pub fn generation(&self) -> u64 {
        self.state().generation
    }

    /// `GET /subjects` without parameters (every live subject of every
    /// context), and the generation it shows.
    pub fn all_live_subjects(&self) -> (u64, Vec<String>) {
        let state = self.state();
        let subjects = state.subject_names(ALL_CONTEXTS, SubjectFilter::Live);
        (state.generation, subjects)
    }

    /// `GET /subjects/{s}/versions`: 40401 unless the subject (for an
    /// empty name, any subject of its context) has a version the flags
    /// admit; then the admitted versions, which may be none.
    pub fn versions(&self, subject: &str, filter: SubjectFilter) -> Result<Vec<i32>> {
        let qualified = QualifiedSubject::parse(subject);
        let name = qualified.to_string();
        let state = self.state();
        if !state.has_subjects(&qualified, filter != SubjectFilter::Live) {
            return Err(RegistryError::SubjectNotFound(name));
        }
        Ok(state
            .subject(&name)
            .map(|s| {
                s.versions
                    .iter()
                    .filter(|(_, v)| filter.admits(v))
                    .map(|(n, _)| *n)
                    .collect()
            })
            .unwrap_or_default())
    }

    /// `GET /subjects/{s}/versions/{v}`, with the context fallback.
    pub fn version(
        &self,
        subject: &str,
        spec: VersionSpec,
        include_deleted: bool,
    ) -> Result<VersionView> {
        let state = self.state();
        let qualified = QualifiedSubject::parse(subject);
        state.first_in_candidates(&qualified, |candidate| {
            state.version_of(&candidate.to_string(), spec, include_deleted)
        })
    }

    /// `GET /schemas/ids/{id}`: the content of `id`, the context it was
    /// found in and that context's highest id.
    pub fn schema_by_id(&self, id: i32, subject: Option<&str>) -> Result<FoundById> {
        let state = self.state();
        let (context, entry) = state
            .locate_id(id, subject)
            .ok_or(RegistryError::SchemaIdNotFound(id))?;
        Ok(FoundById {
            content: Arc::clone(&entry.content),
            max_id: state.context(context).map_or(0, |c| c.max_id),
            context: context.to_owned(),
        })
    }

    /// Every subject-version holding `id` (soft-deleted ones too), in the
    /// order they were written.
    pub fn id_holders(&self, id: i32, subject: Option<&str>) -> Vec<(String, i32)> {
        let state = self.state();
        state
            .locate_id(id, subject)
            .map_or_else(Vec::new, |(_, entry)| {
                entry
                    .holders
                    .iter()
                    .map(|(subject, version)| (subject.to_string(), *version))
                    .collect()
            })
    }

    /// `GET /schemas/ids/{id}/versions`: the subject-versions holding `id`
    /// in Confluent's order, that of its cache's hash map from subject to
    /// version: one version per subject (the last one written), subjects
    /// by their Java hash ([`HashOrder`]).
    pub fn id_versions(
        &self,
        id: i32,
        subject: Option<&str>,
        include_deleted: bool,
    ) -> Result<Vec<(String, i32)>> {
        let state = self.state();
        let (_, entry) = state
            .locate_id(id, subject)
            .ok_or(RegistryError::SchemaNotFound)?;
        let mut by_subject = HashOrder::new();
        for (subject, version) in &entry.holders {
            by_subject.put(subject, *version);
        }
        Ok(by_subject
            .into_entries()
            .filter(|(s, v)| {
                include_deleted
                    || state
                        .subject(s)
                        .and_then(|s| s.versions.get(v))
                        .is_some_and(|v| !v.deleted)
            })
            .collect())
    }

    /// `GET /schemas`: one entry per subject-version, by subject then version.
    pub fn schemas(
        &self,
        prefix: &str,
        include_deleted: bool,
        latest_only: bool,
    ) -> Vec<VersionView> {
        let state = self.state();
        let filter = if include_deleted {
            SubjectFilter::All
        } else {
            SubjectFilter::Live
        };
        let mut views = Vec::new();
        for (name, subject) in state.subjects().filter(|(n, _)| matches_prefix(n, prefix)) {
            let mut admitted = subject.versions.iter().filter(|(_, v)| filter.admits(v));
            if latest_only {
                let latest = subject
                    .latest_live()
                    .or_else(|| admitted.next_back().map(|(n, v)| (*n, v)));
                views.extend(latest.map(|(n, v)| VersionView::new(name, n, v)));
            } else {
                views.extend(admitted.map(|(n, v)| VersionView::new(name, *n, v)));
            }
        }
        views
    }

    /// `GET /subjects/{s}/metadata`: the highest version (live, or any with
    /// `include_deleted`) that has metadata whose properties hold every one
    /// of `properties`; 40403 if none has, 40401 if the subject has no
    /// version at all. No context fallback.
    pub fn latest_with_metadata(
        &self,
        subject: &str,
        properties: &[(String, String)],
        include_deleted: bool,
    ) -> Result<VersionView> {
        let qualified = QualifiedSubject::parse(subject);
        let name = qualified.to_string();
        let state = self.state();
        let holds_all = |version: &Version| {
            let Some(metadata) = &version.content.metadata else {
                return false;
            };
            let held = metadata.get("properties");
            properties.iter().all(|(key, value)| {
                held.and_then(|p| p.get(key)).and_then(|v| v.as_str()) == Some(value.as_str())
            })
        };
        let found = state.subject(&name).and_then(|entry| {
            entry
                .versions
                .iter()
                .rev()
                .filter(|(_, v)| include_deleted || !v.deleted)
                .find(|(_, v)| holds_all(v))
                .map(|(number, v)| VersionView::new(&name, *number, v))
        });
        match found {
            Some(found) => Ok(found),
            None if state.has_subjects(&qualified, include_deleted) => {
                Err(RegistryError::SchemaNotFound)
            }
            None => Err(RegistryError::SubjectNotFound(name)),
        }
    }

    /// `GET /subjects/{s}/versions/{v}/referencedby`: the versions that
    /// reference it, as (subject, id), by id.
    pub fn referenced_by(
        &self,
        subject: &str,
        spec: VersionSpec,
        include_deleted: bool,
    ) -> Result<Vec<(String, i32)>> {
        let state = self.state();
        let name = QualifiedSubject::parse(subject).to_string();
        let target = state.version_of(&name, spec, true)?;
        let mut referrers = references::referrers(&state, &name, target.version, include_deleted);
        referrers.sort_unstable_by_key(|(_, id)| *id);
        Ok(referrers)
    }

    /// The text of `content` in an output `format` (`?format=`), or the
    /// stored text where the format does not apply.
    pub fn formatted<'c>(&self, content: &'c SchemaContent, format: Option<&str>) -> Cow<'c, str> {
        let Some(format) = format.filter(|f| !f.is_empty()) else {
            return Cow::Borrowed(&content.schema);
        };
        parse_stored(&self.state(), content)
            .ok()
            .and_then(|parsed| parsed.formatted(format))
            .map_or(Cow::Borrowed(&content.schema), Cow::Owned)
    }

    /// The text `content` would be stored as under `normalize=true`, or why
    /// it has none: a stored schema may not normalise (an Avro default that
    /// does not fit, which only normalising checks).
    pub fn normalized(&self, content: &SchemaContent) -> std::result::Result<String, String> {
        parse_stored(&self.state(), content)?
            .normalized_text()
            .map_err(|e| e.message)
    }

    /// `GET /contexts`: the default context first, then every context that
    /// ever held a schema.
    pub fn contexts(&self) -> Vec<String> {
        let state = self.state();
        std::iter::once(DEFAULT_CONTEXT.to_owned())
            .chain(state.known_contexts.iter().cloned())
            .collect()
    }

    /// Every context's [`ContextCensus`], counted from the published state:
    /// one pass over the subjects and their versions.
    pub fn census(&self) -> BTreeMap<String, ContextCensus> {
        let state = self.state();
        let mut census: BTreeMap<String, ContextCensus> = state
            .contexts
            .iter()
            .map(|(name, context)| {
                let counts = ContextCensus {
                    schemas: context.ids.len(),
                    ..ContextCensus::default()
                };
                (name.clone(), counts)
            })
            .collect();
        for (name, subject) in state.subjects() {
            if subject.versions.is_empty() {
                continue;
            }
            let context = QualifiedSubject::context_of(name);
            let counts = census.entry(context.to_owned()).or_default();
            let live = subject.live_versions().count();
            counts.live_versions += live;
            counts.deleted_versions += subject.versions.len() - live;
            if live > 0 {
                counts.live_subjects += 1;
            } else {
                counts.deleted_subjects += 1;
            }
        }
        census
    }
}
