//! Usage joined with what the registry holds: a subject's versions with
//! when each was last seen, the versions nobody used for a while, and the
//! force rule of deletes. A version counts as seen when it was, or when
//! its schema id was: consumers only ever ask for the id.

use std::time::Duration;

use super::{now_millis, Figures, Usage, UsageKey};
use crate::registry::{
    AffectedVersion, QualifiedSubject, Registry, RegistryError, SubjectFilter, VersionSpec,
    VersionView, ALL_CONTEXTS,
};

/// One subject-version and what was seen of it and of its id.
pub struct VersionUsage {
    pub view: VersionView,
    pub version: Option<Figures>,
    pub id: Option<Figures>,
}

impl VersionUsage {
    /// The later of the version's and the id's last use.
    pub fn last_seen(&self) -> Option<u64> {
        let version = self.version.as_ref().and_then(Figures::last_seen);
        let id = self.id.as_ref().and_then(Figures::last_seen);
        version.max(id)
    }
}

/// The versions [`Usage::unused`] found, and since when they count as unused.
pub struct Unused {
    pub cutoff: u64,
    pub versions: Vec<VersionUsage>,
}

/// Why a delete needs `force=true`: a version it would delete was seen
/// within the configured window.
#[derive(Debug, PartialEq, Eq)]
pub struct RecentUse {
    pub subject: String,
    pub version: i32,
    pub last_seen: u64,
    pub window: Duration,
}

/// The key of `id` in the context `subject` lives in.
fn id_key(subject: &str, id: i32) -> UsageKey {
    UsageKey::Id {
        context: QualifiedSubject::context_of(subject).to_owned(),
        id,
    }
}

pub fn version_key(subject: &str, version: i32) -> UsageKey {
    UsageKey::Version {
        subject: subject.to_owned(),
        version,
    }
}

impl Usage {
    pub fn of_version(&self, view: VersionView) -> VersionUsage {
        VersionUsage {
            version: self.figures(&version_key(&view.subject, view.version)),
            id: self.figures(&id_key(&view.subject, view.id)),
            view,
        }
    }

    fn last_seen_of(&self, view: &VersionView) -> Option<u64> {
        self.last_seen_at(&view.subject, view.version, view.id)
    }

    /// The later of the last use of `subject`'s `version` and of its `id`.
    fn last_seen_at(&self, subject: &str, version: i32, id: i32) -> Option<u64> {
        let by_version = self.last_seen(&version_key(subject, version));
        by_version.max(self.last_seen(&id_key(subject, id)))
    }

    /// The versions of `subject` that `filter` admits (40401 as for
    /// `GET /subjects/{s}/versions`), with their usage.
    pub fn of_subject(
        &self,
        registry: &Registry,
        subject: &str,
        filter: SubjectFilter,
    ) -> Result<Vec<VersionUsage>, RegistryError> {
        let versions = registry.versions(subject, filter)?;
        Ok(versions
            .into_iter()
            .filter_map(|n| registry.version(subject, VersionSpec::Number(n), true).ok())
            .map(|view| self.of_version(view))
            .collect())
    }

    /// The live versions under `prefix` (as `GET /schemas` matches it) not
    /// seen for `unused_for`, or never seen since usage was recorded.
    pub fn unused(&self, registry: &Registry, prefix: &str, unused_for: Duration) -> Unused {
        let cutoff = now_millis().saturating_sub(unused_for.as_millis() as u64);
        let versions = registry
            .schemas(prefix, false, false)
            .into_iter()
            .filter(|view| self.unused_since(view, cutoff))
            .map(|view| self.of_version(view))
            .collect();
        Unused { cutoff, versions }
    }

    /// How many versions [`Usage::unused`] would list, without their figures.
    pub fn count_unused(&self, registry: &Registry, unused_for: Duration) -> usize {
        let cutoff = now_millis().saturating_sub(unused_for.as_millis() as u64);
        registry
            .schemas(ALL_CONTEXTS, false, false)
            .iter()
            .filter(|view| self.unused_since(view, cutoff))
            .count()
    }

    fn unused_since(&self, view: &VersionView, cutoff: u64) -> bool {
        self.last_seen_of(view).is_none_or(|seen| seen < cutoff)
    }

    /// With the delete guard on, the most recently seen of `affected` (the
    /// versions a delete would reach, as its dry run lists them), if it was
    /// seen within the window.
    pub fn recent_use(&self, affected: &[AffectedVersion]) -> Option<RecentUse> {
        let window = self.settings.delete_guard?;
        let cutoff = now_millis().saturating_sub(window.as_millis() as u64);
        affected
            .iter()
            .filter_map(|v| Some((self.last_seen_at(&v.subject, v.version, v.id)?, v)))
            .filter(|(seen, _)| *seen >= cutoff)
            .max_by_key(|(seen, _)| *seen)
            .map(|(last_seen, v)| RecentUse {
                subject: v.subject.clone(),
                version: v.version,
                last_seen,
                window,
            })
    }
}
