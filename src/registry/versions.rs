//! A subject's versions, by number, and the lookups over them.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use super::content::{Fingerprint, SchemaContent};
use super::state::DigestHasher;

#[derive(Clone, Debug)]
pub struct Version {
    pub id: i32,
    pub deleted: bool,
    pub content: Arc<SchemaContent>,
    /// `content.fingerprint()`, computed once: what lookups compare.
    pub fingerprint: Fingerprint,
}

#[derive(Clone, Debug, Default)]
pub struct Subject {
    /// Changed only through [`Subject::insert`] and [`Subject::remove`],
    /// by the state applying records (others see a `&State`).
    pub versions: BTreeMap<i32, Version>,
    /// How many of `versions` carry `confluent:version` in their metadata.
    confluent_versioned: usize,
    /// Once a subject has more than [`INDEXED_FROM`] versions: the numbers
    /// of the versions with each fingerprint, ascending, so that lookups
    /// and registrations need not compare every version.
    by_fingerprint: Option<Box<FingerprintIndex>>,
}

type FingerprintIndex = HashMap<Fingerprint, Vec<i32>, BuildHasherDefault<DigestHasher>>;

const INDEXED_FROM: usize = 64;

impl Subject {
    pub fn live_versions(&self) -> impl DoubleEndedIterator<Item = (i32, &Version)> {
        self.versions
            .iter()
            .filter(|(_, v)| !v.deleted)
            .map(|(n, v)| (*n, v))
    }

    pub fn latest_live(&self) -> Option<(i32, &Version)> {
        self.live_versions().next_back()
    }

    /// The newest version with this fingerprint (soft-deleted ones too
    /// with `include_deleted`).
    pub fn newest_with(
        &self,
        fingerprint: Fingerprint,
        include_deleted: bool,
    ) -> Option<(i32, &Version)> {
        let admit = |v: &Version| include_deleted || !v.deleted;
        let Some(index) = &self.by_fingerprint else {
            return self
                .versions
                .iter()
                .rev()
                .find(|(_, v)| v.fingerprint == fingerprint && admit(v))
                .map(|(n, v)| (*n, v));
        };
        index
            .get(&fingerprint)?
            .iter()
            .rev()
            .map(|n| (*n, &self.versions[n]))
            .find(|(_, v)| admit(v))
    }

    /// The newest version (live, or any with `include_deleted`) among those
    /// `admit` lets through that `content` looks up by Confluent's rules
    /// beyond equal fingerprints ([`SchemaContent::can_look_up`]). Those
    /// need `confluent:version` on one side: without it in `content` or in
    /// any version, no scan.
    pub fn newest_looked_up(
        &self,
        content: &SchemaContent,
        include_deleted: bool,
        admit: impl Fn(&Version) -> bool,
    ) -> Option<(i32, &Version)> {
        if self.confluent_versioned == 0 && !content.carries_confluent_version() {
            return None;
        }
        self.versions
            .iter()
            .rev()
            .filter(|(_, v)| (include_deleted || !v.deleted) && admit(v))
            .find(|(n, v)| content.can_look_up(&v.content, **n))
            .map(|(n, v)| (*n, v))
    }

    /// Adds version `number`, which no version holds (replacing removes
    /// the old one first).
    pub(super) fn insert(&mut self, number: i32, version: Version) {
        self.confluent_versioned += usize::from(version.content.carries_confluent_version());
        let fingerprint = version.fingerprint;
        self.versions.insert(number, version);
        match &mut self.by_fingerprint {
            Some(index) => {
                let numbers = index.entry(fingerprint).or_default();
                let at = numbers.partition_point(|n| *n < number);
                numbers.insert(at, number);
            }
            None if self.versions.len() > INDEXED_FROM => {
                let mut index = FingerprintIndex::default();
                for (n, v) in &self.versions {
                    index.entry(v.fingerprint).or_default().push(*n);
                }
                self.by_fingerprint = Some(Box::new(index));
            }
            None => {}
        }
    }

    pub(super) fn remove(&mut self, number: i32) -> Option<Version> {
        let removed = self.versions.remove(&number)?;
        self.confluent_versioned -= usize::from(removed.content.carries_confluent_version());
        if let Some(index) = &mut self.by_fingerprint {
            if let Some(numbers) = index.get_mut(&removed.fingerprint) {
                numbers.retain(|n| *n != number);
                if numbers.is_empty() {
                    index.remove(&removed.fingerprint);
                }
            }
        }
        Some(removed)
    }

    pub fn has_live_versions(&self) -> bool {
        self.latest_live().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{Record, SchemaValue};
    use crate::registry::state::State;

    fn text(n: i32) -> String {
        format!("{{\"type\":\"fixed\",\"name\":\"F\",\"size\":{n}}}")
    }

    /// Version `number` of subject `s`, with the content (and id) of text
    /// `content`.
    fn version(number: i32, content: i32, deleted: bool) -> Record {
        let value = SchemaValue {
            subject: "s".into(),
            version: number,
            id: content + 1,
            md5: None,
            schema_type: None,
            references: Vec::new(),
            metadata: None,
            rule_set: None,
            schema: text(content),
            deleted,
        };
        Record::Schema("s".into(), number, Some(value))
    }

    /// What `newest_with` answers, by comparing every version.
    fn newest_by_scan(subject: &Subject, fingerprint: Fingerprint, deleted: bool) -> Option<i32> {
        let admitted = subject.versions.iter().rev();
        admitted
            .filter(|(_, v)| deleted || !v.deleted)
            .find(|(_, v)| v.fingerprint == fingerprint)
            .map(|(n, _)| *n)
    }

    /// Many versions of few contents, soft and hard deletes, a version
    /// number reused: the fingerprint index answers what a scan of every
    /// version answers, before it is built and after.
    #[test]
    fn newest_with_agrees_with_a_scan_of_every_version() {
        const CONTENTS: i32 = 7;
        let fingerprints: Vec<Fingerprint> = (0..CONTENTS)
            .map(|c| {
                let Record::Schema(_, _, Some(value)) = version(1, c, false) else {
                    unreachable!()
                };
                SchemaContent::from_value(value).fingerprint()
            })
            .collect();
        let mut state = State::default();
        let check = |state: &State| {
            let subject = state.subject("s").unwrap();
            for fingerprint in &fingerprints {
                for deleted in [false, true] {
                    let found = subject.newest_with(*fingerprint, deleted).map(|(n, _)| n);
                    assert_eq!(found, newest_by_scan(subject, *fingerprint, deleted));
                }
            }
        };
        for number in 1..=150 {
            state.apply(version(number, number % CONTENTS, number % 5 == 0));
            if number % 11 == 0 {
                state.apply(Record::Schema("s".into(), number - 3, None));
            }
            if number % 13 == 0 {
                state.apply(version(number - 6, (number + 1) % CONTENTS, false));
            }
            check(&state);
        }
        assert!(state.subject("s").unwrap().by_fingerprint.is_some());
    }
}
