//! What the web UI asks that no Confluent endpoint answers in one request:
//! a page of subjects with their type, level and mode (filtered and sorted
//! over the whole registry), and where each setting comes from.

use treaty_compat::{CompatibilityLevel, SchemaType};

use super::settings::{scope_chain, Mode, DEFAULT_COMPATIBILITY, GLOBAL_CONTEXT_SCOPE};
use super::state::State;
use super::subject::QualifiedSubject;
use super::versions::Subject;
use super::Registry;

/// The scope a subject's effective setting was found at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Subject,
    Context,
    Global,
    /// No record anywhere: the server's default.
    Default,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Subject => "subject",
            Source::Context => "context",
            Source::Global => "global",
            Source::Default => "default",
        }
    }

    /// What the scope a record was found at is, for `subject`.
    fn of(scope: &Option<String>, subject: &QualifiedSubject) -> Source {
        match scope.as_deref() {
            None | Some(GLOBAL_CONTEXT_SCOPE) => Source::Global,
            Some(_) if subject.is_context_itself() => Source::Context,
            Some(name) if name == subject.to_string() => Source::Subject,
            Some(_) => Source::Context,
        }
    }
}

/// One subject as the UI's listing shows it.
#[derive(Clone, Debug)]
pub struct SubjectSummary {
    pub name: String,
    pub context: String,
    /// Of the latest version, live or soft-deleted.
    pub schema_type: SchemaType,
    pub latest_version: i32,
    pub latest_id: i32,
    pub live_versions: usize,
    /// Every version is soft-deleted.
    pub deleted: bool,
    pub level: (CompatibilityLevel, Source),
    pub mode: (Mode, Source),
}

/// Which subjects by their deleted state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Deleted {
    /// Subjects with a live version.
    #[default]
    Hidden,
    Included,
    /// Subjects whose versions are all soft-deleted.
    Only,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Name,
    Versions,
    LatestId,
}

/// What to list; every filter given must hold.
#[derive(Clone, Debug, Default)]
pub struct SubjectQuery {
    /// Case-insensitive substring of the name within its context.
    pub name: Option<String>,
    pub schema_type: Option<SchemaType>,
    /// `.` for the default context.
    pub context: Option<String>,
    pub level: Option<CompatibilityLevel>,
    pub mode: Option<Mode>,
    pub deleted: Deleted,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: usize,
    pub limit: usize,
}

/// One page of the listing, and how many subjects matched in all.
#[derive(Debug)]
pub struct SubjectPage {
    pub total: usize,
    pub subjects: Vec<SubjectSummary>,
}

/// The effective compatibility level of `subject` and where it was set.
pub fn level_of(state: &State, subject: &QualifiedSubject) -> (CompatibilityLevel, Source) {
    scope_chain(subject)
        .iter()
        .find_map(|scope| {
            let level = state.configs.get(scope)?.get("compatibilityLevel")?;
            let level = level.as_str()?.parse().ok()?;
            Some((level, Source::of(scope, subject)))
        })
        .unwrap_or((DEFAULT_COMPATIBILITY, Source::Default))
}

/// The effective mode of `subject` and where it was set; a global
/// READONLY_OVERRIDE wins over every narrower mode.
pub fn mode_of(state: &State, subject: &QualifiedSubject) -> (Mode, Source) {
    let global = state.modes.get(&None).and_then(|m| m.parse().ok());
    if global == Some(Mode::ReadOnlyOverride) {
        return (Mode::ReadOnlyOverride, Source::Global);
    }
    scope_chain(subject)
        .iter()
        .find_map(|scope| {
            let mode = state.modes.get(scope)?.parse().ok()?;
            Some((mode, Source::of(scope, subject)))
        })
        .unwrap_or((Mode::ReadWrite, Source::Default))
}

fn summary(state: &State, name: &str, entry: &Subject) -> Option<SubjectSummary> {
    let (&latest_version, latest) = entry.versions.last_key_value()?;
    let qualified = QualifiedSubject::parse(name);
    Some(SubjectSummary {
        name: name.to_owned(),
        schema_type: latest.content.schema_type,
        latest_version,
        latest_id: latest.id,
        live_versions: entry.live_versions().count(),
        deleted: !entry.has_live_versions(),
        level: level_of(state, &qualified),
        mode: mode_of(state, &qualified),
        context: qualified.context,
    })
}

impl SubjectQuery {
    /// The filters a subject can be judged on by its name and versions
    /// alone, checked before its settings are looked up.
    fn admits_entry(&self, name: &str, entry: &Subject, needle: Option<&str>) -> bool {
        let deleted = !entry.has_live_versions();
        let by_deleted = match self.deleted {
            Deleted::Hidden => !deleted,
            Deleted::Included => true,
            Deleted::Only => deleted,
        };
        let context = QualifiedSubject::context_of(name);
        let by_context = self.context.as_deref().is_none_or(|c| c == context);
        let by_name = needle.is_none_or(|needle| {
            QualifiedSubject::parse(name)
                .name
                .to_lowercase()
                .contains(needle)
        });
        let by_type = self.schema_type.is_none_or(|wanted| {
            entry
                .versions
                .last_key_value()
                .is_some_and(|(_, v)| v.content.schema_type == wanted)
        });
        by_deleted && by_context && by_name && by_type
    }

    fn admits_settings(&self, state: &State, name: &str) -> bool {
        if self.level.is_none() && self.mode.is_none() {
            return true;
        }
        let subject = QualifiedSubject::parse(name);
        self.level.is_none_or(|l| level_of(state, &subject).0 == l)
            && self.mode.is_none_or(|m| mode_of(state, &subject).0 == m)
    }
}

impl Registry {
    /// The effective level and mode of `subject`, each with its source.
    pub fn effective_settings(
        &self,
        subject: &str,
    ) -> ((CompatibilityLevel, Source), (Mode, Source)) {
        let state = self.state();
        let subject = QualifiedSubject::parse(subject);
        (level_of(&state, &subject), mode_of(&state, &subject))
    }

    /// The page `query` asks for of the subjects `visible` admits.
    pub fn subject_page(
        &self,
        query: &SubjectQuery,
        visible: impl Fn(&str) -> bool,
    ) -> SubjectPage {
        let state = self.state();
        let needle = query.name.as_ref().map(|n| n.to_lowercase());
        let mut matching: Vec<(&str, &Subject)> = state
            .subjects()
            .filter(|(name, entry)| query.admits_entry(name, entry, needle.as_deref()))
            .filter(|(name, _)| query.admits_settings(&state, name) && visible(name))
            .collect();
        // Names come sorted; a stable sort keeps them so within a key.
        match query.sort {
            SortKey::Name => {}
            SortKey::Versions => matching.sort_by_key(|(_, e)| e.live_versions().count()),
            SortKey::LatestId => {
                matching.sort_by_key(|(_, e)| e.versions.last_key_value().map(|(_, v)| v.id))
            }
        }
        if query.descending {
            matching.reverse();
        }
        let total = matching.len();
        let limit = if query.limit == 0 {
            usize::MAX
        } else {
            query.limit
        };
        let subjects = matching
            .into_iter()
            .skip(query.offset)
            .take(limit)
            .filter_map(|(name, entry)| summary(&state, name, entry))
            .collect();
        SubjectPage { total, subjects }
    }
}
