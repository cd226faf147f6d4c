//! Dry runs of deletes (`?dryRun=true`): what the real call would delete,
//! planned by the same function, so refused exactly when it would be, and
//! who references what it deletes, transitively. Nothing is written.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde::Serialize;

use super::delete::{plan_subject_delete, plan_version_delete, DeleteKind};
use super::queries::VersionSpec;
use super::state::State;
use super::subject::QualifiedSubject;
use super::{Registry, Result};
use crate::records::Record;

/// What a delete would do; `result` is the body the real call answers.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletePreview<T> {
    pub dry_run: bool,
    pub result: T,
    pub versions: Vec<AffectedVersion>,
    pub referenced_by: Vec<Referrer>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SubjectVersion {
    pub subject: String,
    pub version: i32,
}

/// A version the delete would reach.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AffectedVersion {
    pub subject: String,
    pub version: i32,
    pub id: i32,
    /// `soft` (still readable by id and with `deleted=true`) or `permanent`.
    pub deletion: &'static str,
    /// Whether `GET /schemas/ids/{id}` would still answer afterwards.
    pub id_still_served: bool,
    /// The other subject-versions holding the same id, which the delete
    /// leaves alone.
    pub id_also_held_by: Vec<SubjectVersion>,
}

/// A version that references one the delete reaches, directly or through
/// other referrers.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Referrer {
    pub subject: String,
    pub version: i32,
    pub id: i32,
    /// Soft-deleted referrers do not refuse a delete, but lose what they
    /// reference with a permanent one.
    pub deleted: bool,
    /// The version it references, which brought it into the list.
    pub references: SubjectVersion,
}

/// The versions each planned `Schema` record deletes, and how: a tombstone
/// is permanent, a value marked deleted is soft.
fn deletions(records: &[Record]) -> BTreeMap<SubjectVersion, &'static str> {
    let mut deleted = BTreeMap::new();
    for record in records {
        let Record::Schema(subject, version, value) = record else {
            continue;
        };
        let key = SubjectVersion {
            subject: subject.clone(),
            version: *version,
        };
        match value {
            None => {
                deleted.insert(key, "permanent");
            }
            Some(value) if value.deleted => {
                deleted.entry(key).or_insert("soft");
            }
            Some(_) => {}
        }
    }
    deleted
}

fn affected(
    state: &State,
    deleted: &BTreeMap<SubjectVersion, &'static str>,
) -> Vec<AffectedVersion> {
    let mut versions = Vec::new();
    for (key, &deletion) in deleted {
        let Some(version) = state
            .subject(&key.subject)
            .and_then(|s| s.versions.get(&key.version))
        else {
            continue;
        };
        let holders: Vec<SubjectVersion> = state
            .context(QualifiedSubject::context_of(&key.subject))
            .and_then(|context| context.ids.get(&version.id))
            .map(|entry| {
                entry
                    .holders
                    .iter()
                    .map(|(subject, version)| SubjectVersion {
                        subject: subject.to_string(),
                        version: *version,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let id_still_served = holders
            .iter()
            .any(|holder| deleted.get(holder) != Some(&"permanent"));
        versions.push(AffectedVersion {
            subject: key.subject.clone(),
            version: key.version,
            id: version.id,
            deletion,
            id_still_served,
            id_also_held_by: holders
                .into_iter()
                .filter(|holder| !deleted.contains_key(holder))
                .collect(),
        });
    }
    versions
}

/// Every version referencing a deleted one, then those referencing them,
/// each once, nearest first.
fn referrers(state: &State, deleted: &BTreeMap<SubjectVersion, &'static str>) -> Vec<Referrer> {
    let mut referencing: HashMap<SubjectVersion, Vec<SubjectVersion>> = HashMap::new();
    for (name, subject) in state.subjects() {
        for (number, version) in &subject.versions {
            for reference in &version.content.references {
                let target = SubjectVersion {
                    subject: reference.subject.clone(),
                    version: reference.version,
                };
                referencing.entry(target).or_default().push(SubjectVersion {
                    subject: name.to_owned(),
                    version: *number,
                });
            }
        }
    }
    let mut seen: HashSet<SubjectVersion> = deleted.keys().cloned().collect();
    let mut queue: VecDeque<SubjectVersion> = deleted.keys().cloned().collect();
    let mut found = Vec::new();
    while let Some(target) = queue.pop_front() {
        let Some(sources) = referencing.get(&target) else {
            continue;
        };
        for source in sources {
            if !seen.insert(source.clone()) {
                continue;
            }
            let Some(version) = state
                .subject(&source.subject)
                .and_then(|s| s.versions.get(&source.version))
            else {
                continue;
            };
            found.push(Referrer {
                subject: source.subject.clone(),
                version: source.version,
                id: version.id,
                deleted: version.deleted,
                references: target.clone(),
            });
            queue.push_back(source.clone());
        }
    }
    found
}

fn preview<T>(state: &State, records: &[Record], result: T) -> DeletePreview<T> {
    let deleted = deletions(records);
    DeletePreview {
        dry_run: true,
        result,
        versions: affected(state, &deleted),
        referenced_by: referrers(state, &deleted),
    }
}

impl Registry {
    /// `DELETE /subjects/{s}?dryRun=true`.
    pub fn preview_subject_delete(
        &self,
        subject: &str,
        kind: DeleteKind,
    ) -> Result<DeletePreview<Vec<i32>>> {
        let state = self.state();
        let subject = QualifiedSubject::parse(subject);
        let (records, result) = plan_subject_delete(&state, &subject, kind)?;
        Ok(preview(&state, &records, result))
    }

    /// `DELETE /subjects/{s}/versions/{v}?dryRun=true`.
    pub fn preview_version_delete(
        &self,
        subject: &str,
        spec: VersionSpec,
        kind: DeleteKind,
    ) -> Result<DeletePreview<i32>> {
        let state = self.state();
        let subject = QualifiedSubject::parse(subject);
        let (records, result) = plan_version_delete(&state, &subject, spec, kind)?;
        Ok(preview(&state, &records, result))
    }
}
