//! Soft and permanent deletes of versions and subjects, with Confluent's
//! rules: permanent only after soft, never while referenced (spec §2.3,
//! §2.4, §4.8).

use super::queries::{VersionSpec, VersionView};
use super::references;
use super::state::State;
use super::subject::QualifiedSubject;
use super::{Registry, RegistryError, Result};
use crate::records::{DeleteSubjectValue, Record};

/// 42206 if a live version of another subject references `(subject, version)`.
fn ensure_unreferenced(state: &State, subject: &str, version: i32) -> Result<()> {
    let referenced = references::referrers(state, subject, version, false)
        .iter()
        .any(|(referrer, _)| referrer != subject);
    if referenced {
        return Err(RegistryError::ReferenceExists(subject.to_owned(), version));
    }
    Ok(())
}

/// Records that forget a subject whose last version goes: its delete marker,
/// config and mode.
fn forget_subject(state: &State, subject: &str) -> Vec<Record> {
    let key = Some(subject.to_owned());
    let mut records = vec![Record::DeleteSubject(subject.to_owned(), None)];
    if state.configs.contains_key(&key) {
        records.push(Record::Config(key.clone(), None));
    }
    if state.modes.contains_key(&key) {
        records.push(Record::Mode(key, None));
    }
    records
}

fn soft_deleted(view: &VersionView) -> Record {
    let value = view
        .content
        .to_value(&view.subject, view.version, view.id, true);
    Record::Schema(view.subject.clone(), view.version, Some(value))
}

/// Tombstones for the soft-deleted versions of `subject` (entering IMPORT
/// purges them).
pub fn purge_soft_deleted(state: &State, subject: &str) -> Result<Vec<Record>> {
    let Some(entry) = state.subject(subject) else {
        return Ok(vec![]);
    };
    let mut records = Vec::new();
    for (number, _) in entry.versions.iter().filter(|(_, v)| v.deleted) {
        ensure_unreferenced(state, subject, *number)?;
        records.push(Record::Schema(subject.to_owned(), *number, None));
    }
    if !entry.has_live_versions() && !records.is_empty() {
        records.extend(forget_subject(state, subject));
    }
    Ok(records)
}

impl Registry {
    /// `DELETE /subjects/{s}`: the versions deleted.
    pub async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<i32>> {
        let subject = QualifiedSubject::parse(subject);
        let name = subject.to_string();
        self.write(|state| {
            state.ensure_writable(&subject)?;
            let entry = state
                .subject(&name)
                .ok_or_else(|| RegistryError::SubjectNotFound(name.clone()))?;
            let live: Vec<i32> = entry.live_versions().map(|(n, _)| n).collect();
            if permanent {
                if !live.is_empty() {
                    return Err(RegistryError::SubjectNotSoftDeleted(name.clone()));
                }
                let all: Vec<i32> = entry.versions.keys().copied().collect();
                for version in &all {
                    ensure_unreferenced(state, &name, *version)?;
                }
                let mut records: Vec<Record> = all
                    .iter()
                    .map(|v| Record::Schema(name.clone(), *v, None))
                    .collect();
                records.extend(forget_subject(state, &name));
                return Ok((records, all));
            }
            let Some(&latest) = live.last() else {
                return Err(RegistryError::SubjectSoftDeleted(name.clone()));
            };
            for version in &live {
                ensure_unreferenced(state, &name, *version)?;
            }
            let mut records: Vec<Record> = entry
                .live_versions()
                .map(|(n, v)| soft_deleted(&VersionView::new(&name, n, v)))
                .collect();
            let marker = DeleteSubjectValue {
                subject: name.clone(),
                version: latest,
            };
            records.push(Record::DeleteSubject(name.clone(), Some(marker)));
            Ok((records, live))
        })
        .await
    }

    /// `DELETE /subjects/{s}/versions/{v}`: the version deleted.
    pub async fn delete_version(
        &self,
        subject: &str,
        spec: VersionSpec,
        permanent: bool,
    ) -> Result<i32> {
        let subject = QualifiedSubject::parse(subject);
        let name = subject.to_string();
        self.write(|state| {
            state.ensure_writable(&subject)?;
            let entry = state
                .subject(&name)
                .ok_or_else(|| RegistryError::SubjectNotFound(name.clone()))?;
            let (number, version) = match spec {
                VersionSpec::Latest => entry.latest_live(),
                VersionSpec::Number(n) => entry.versions.get(&n).map(|v| (n, v)),
            }
            .ok_or_else(|| {
                RegistryError::VersionNotFound(match spec {
                    VersionSpec::Latest => "-1".to_owned(),
                    VersionSpec::Number(n) => n.to_string(),
                })
            })?;
            let view = VersionView::new(&name, number, version);
            if permanent {
                if !version.deleted {
                    return Err(RegistryError::VersionNotSoftDeleted(name.clone(), number));
                }
                ensure_unreferenced(state, &name, number)?;
                let mut records = vec![Record::Schema(name.clone(), number, None)];
                if entry.versions.len() == 1 {
                    records.extend(forget_subject(state, &name));
                }
                return Ok((records, number));
            }
            if version.deleted {
                return Err(RegistryError::VersionSoftDeleted(name.clone(), number));
            }
            ensure_unreferenced(state, &name, number)?;
            Ok((vec![soft_deleted(&view)], number))
        })
        .await
    }
}
