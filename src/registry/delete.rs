//! Soft and permanent deletes of versions and subjects, with Confluent's
//! rules: permanent only after soft, never while referenced (spec §2.3,
//! §2.4, §4.8). Each delete is planned by one function that both the real
//! call and its dry run ([`super::delete_preview`]) use, so a dry run
//! refuses exactly what the real call would.

use super::queries::{VersionSpec, VersionView};
use super::references;
use super::state::State;
use super::subject::QualifiedSubject;
use super::{Registry, RegistryError, Result};
use crate::records::{DeleteSubjectValue, Record};

/// What a delete request asks for (`permanent`, `soft` query flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteKind {
    /// The default: versions stay readable by id and with `deleted=true`.
    Soft,
    /// `permanent=true`: only what was soft-deleted first (else 40405/40407).
    Permanent,
    /// `permanent=true&soft=true`: soft then permanent in one write, for
    /// scripts that want a subject or version gone whatever its state.
    SoftThenPermanent,
}

impl DeleteKind {
    pub fn from_flags(permanent: bool, soft: bool) -> Self {
        match (permanent, soft) {
            (true, true) => DeleteKind::SoftThenPermanent,
            (true, false) => DeleteKind::Permanent,
            (false, _) => DeleteKind::Soft,
        }
    }
}

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

/// The records deleting `subject` as `kind` asks, and the versions the
/// call answers.
pub fn plan_subject_delete(
    state: &State,
    subject: &QualifiedSubject,
    kind: DeleteKind,
) -> Result<(Vec<Record>, Vec<i32>)> {
    let name = subject.to_string();
    state.ensure_writable(subject)?;
    let entry = state
        .subject(&name)
        .ok_or_else(|| RegistryError::SubjectNotFound(name.clone()))?;
    let live: Vec<i32> = entry.live_versions().map(|(n, _)| n).collect();
    if kind == DeleteKind::Permanent && !live.is_empty() {
        return Err(RegistryError::SubjectNotSoftDeleted(name));
    }
    if kind == DeleteKind::Soft && live.is_empty() {
        return Err(RegistryError::SubjectSoftDeleted(name));
    }
    let mut records: Vec<Record> = Vec::new();
    if kind != DeleteKind::Permanent {
        for version in &live {
            ensure_unreferenced(state, &name, *version)?;
        }
        records.extend(
            entry
                .live_versions()
                .map(|(n, v)| soft_deleted(&VersionView::new(&name, n, v))),
        );
        if let Some(&latest) = live.last() {
            let marker = DeleteSubjectValue {
                subject: name.clone(),
                version: latest,
            };
            records.push(Record::DeleteSubject(name.clone(), Some(marker)));
        }
        if kind == DeleteKind::Soft {
            return Ok((records, live));
        }
    }
    let all: Vec<i32> = entry.versions.keys().copied().collect();
    for version in &all {
        ensure_unreferenced(state, &name, *version)?;
    }
    records.extend(all.iter().map(|v| Record::Schema(name.clone(), *v, None)));
    records.extend(forget_subject(state, &name));
    Ok((records, all))
}

/// The records deleting one version of `subject` as `kind` asks, and the
/// version the call answers.
pub fn plan_version_delete(
    state: &State,
    subject: &QualifiedSubject,
    spec: VersionSpec,
    kind: DeleteKind,
) -> Result<(Vec<Record>, i32)> {
    let name = subject.to_string();
    state.ensure_writable(subject)?;
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
    if kind == DeleteKind::Permanent && !version.deleted {
        return Err(RegistryError::VersionNotSoftDeleted(name, number));
    }
    if kind == DeleteKind::Soft && version.deleted {
        return Err(RegistryError::VersionSoftDeleted(name, number));
    }
    ensure_unreferenced(state, &name, number)?;
    let mut records = Vec::new();
    if !version.deleted {
        records.push(soft_deleted(&VersionView::new(&name, number, version)));
    }
    if kind != DeleteKind::Soft {
        records.push(Record::Schema(name.clone(), number, None));
        if entry.versions.len() == 1 {
            records.extend(forget_subject(state, &name));
        }
    }
    Ok((records, number))
}

impl Registry {
    /// `DELETE /subjects/{s}`: the versions deleted.
    pub async fn delete_subject(&self, subject: &str, kind: DeleteKind) -> Result<Vec<i32>> {
        let subject = QualifiedSubject::parse(subject);
        self.write(|state| plan_subject_delete(state, &subject, kind))
            .await
    }

    /// `DELETE /subjects/{s}/versions/{v}`: the version deleted.
    pub async fn delete_version(
        &self,
        subject: &str,
        spec: VersionSpec,
        kind: DeleteKind,
    ) -> Result<i32> {
        let subject = QualifiedSubject::parse(subject);
        self.write(|state| plan_version_delete(state, &subject, spec, kind))
            .await
    }
}
