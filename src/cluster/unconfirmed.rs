//! Which records the reader may apply: a treaty writer's batch only once
//! the NOOP confirming it has been read ([`crate::kafka::writer`]). Until
//! then it is held; a record of any other term (or of another registry)
//! coming first means its writer was deposed before it confirmed, so it
//! never acknowledged the batch, and the batch is dropped. The ids of a
//! dropped batch's schemas are still never handed out again: anything
//! in the log may be shown by a reader that sees aborted records.

use crate::kafka::reader::{Role, Tag};
use crate::kafka::writer::Term;
use crate::records::{IdWatermarkValue, Record};
use crate::registry::QualifiedSubject;
use crate::store::Position;

#[derive(Default)]
pub struct Unconfirmed {
    /// The batch read but not yet confirmed: its term, number and records.
    held: Vec<(Term, u64, Position, Record)>,
}

impl Unconfirmed {
    /// Takes the record read at `position` and answers what is settled by
    /// it, in log order: records to apply, a dropped schema standing as
    /// the id watermark it leaves.
    pub fn read(
        &mut self,
        position: Position,
        record: Record,
        tag: Option<&Tag>,
    ) -> Vec<(Position, Record)> {
        let Some(tag) = tag else {
            let mut settled = self.drop_all();
            settled.push((position, record));
            return settled;
        };
        let mut settled = self.drop_other_terms(tag.term);
        match tag.role {
            Role::Batch(batch) => self.held.push((tag.term, batch, position, record)),
            Role::Confirm(confirmed) => {
                let (ready, later) = std::mem::take(&mut self.held)
                    .into_iter()
                    .partition(|(_, batch, _, _)| *batch <= confirmed);
                self.held = later;
                settled.extend(ready.into_iter().map(|(_, _, p, r)| (p, r)));
                settled.push((position, record));
            }
            Role::Marker { .. } => settled.push((position, record)),
        }
        settled
    }

    /// The position of the first record held, which the store must not
    /// move past until it is settled.
    pub fn first_held(&self) -> Option<Position> {
        self.held.first().map(|(_, _, position, _)| *position)
    }

    fn drop_other_terms(&mut self, term: Term) -> Vec<(Position, Record)> {
        if self.held.iter().all(|(held, ..)| *held == term) {
            return Vec::new();
        }
        let (same, other) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|(held, ..)| *held == term);
        self.held = same;
        dropped(other)
    }

    fn drop_all(&mut self) -> Vec<(Position, Record)> {
        dropped(std::mem::take(&mut self.held))
    }
}

fn dropped(held: Vec<(Term, u64, Position, Record)>) -> Vec<(Position, Record)> {
    held.into_iter()
        .map(|(term, batch, position, record)| {
            tracing::warn!(
                position,
                term = %term.to_hex(),
                batch,
                "dropping a record its writer never confirmed (deposed while writing)"
            );
            let watermark = match record {
                Record::Schema(subject, _, Some(value)) => Record::IdWatermark(
                    QualifiedSubject::context_of(&subject).to_owned(),
                    IdWatermarkValue { id: value.id },
                ),
                _ => Record::Noop,
            };
            (position, watermark)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::SchemaValue;

    fn tag(term: u64, role: Role) -> Tag {
        Tag {
            term: Term(term),
            role,
        }
    }

    fn schema(subject: &str, id: i32) -> Record {
        let value: SchemaValue = serde_json::from_value(serde_json::json!({
            "subject": subject, "version": 1, "id": id, "schema": "\"string\""
        }))
        .unwrap();
        Record::Schema(subject.into(), 1, Some(value))
    }

    #[test]
    fn a_batch_is_applied_when_its_confirmation_is_read() {
        let mut reader = Unconfirmed::default();
        assert!(reader
            .read(1, schema("a", 1), Some(&tag(7, Role::Batch(1))))
            .is_empty());
        assert!(reader
            .read(2, schema("b", 2), Some(&tag(7, Role::Batch(1))))
            .is_empty());
        assert_eq!(reader.first_held(), Some(1));
        let settled = reader.read(3, Record::Noop, Some(&tag(7, Role::Confirm(1))));
        assert_eq!(
            settled,
            vec![(1, schema("a", 1)), (2, schema("b", 2)), (3, Record::Noop)]
        );
        assert_eq!(reader.first_held(), None);
    }

    #[test]
    fn a_deposed_writers_unconfirmed_batch_is_dropped_but_its_ids_stay_taken() {
        let mut reader = Unconfirmed::default();
        reader.read(1, schema(":.ctx:a", 5), Some(&tag(7, Role::Batch(3))));
        let marker = Role::Marker {
            writer: "http://b".into(),
        };
        let settled = reader.read(2, Record::Noop, Some(&tag(8, marker)));
        assert_eq!(
            settled,
            vec![
                (
                    1,
                    Record::IdWatermark(".ctx".into(), IdWatermarkValue { id: 5 })
                ),
                (2, Record::Noop)
            ]
        );
    }

    #[test]
    fn a_foreign_record_settles_what_is_held_by_dropping_it() {
        let mut reader = Unconfirmed::default();
        reader.read(1, schema("a", 1), Some(&tag(7, Role::Batch(1))));
        let settled = reader.read(2, schema("b", 2), None);
        assert_eq!(
            settled,
            vec![
                (
                    1,
                    Record::IdWatermark(".".into(), IdWatermarkValue { id: 1 })
                ),
                (2, schema("b", 2))
            ]
        );
    }

    /// Under compaction only a term's last confirmation survives: it
    /// confirms every earlier batch of the term.
    #[test]
    fn a_confirmation_confirms_every_earlier_batch_of_its_term() {
        let mut reader = Unconfirmed::default();
        reader.read(1, schema("a", 1), Some(&tag(7, Role::Batch(1))));
        reader.read(3, schema("b", 2), Some(&tag(7, Role::Batch(2))));
        reader.read(5, schema("c", 3), Some(&tag(7, Role::Batch(3))));
        let settled = reader.read(6, Record::Noop, Some(&tag(7, Role::Confirm(2))));
        assert_eq!(settled.len(), 3);
        assert_eq!(reader.first_held(), Some(5));
    }
}
