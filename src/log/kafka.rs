//! Cluster mode's log: the `_schemas` topic. Appends go through the fenced
//! [`Writer`] this node holds while it is the writer; what the broker
//! committed is then kept in the local store at its offsets, which become
//! the store's positions.

use std::sync::{Arc, RwLock};

use super::{Log, LogError};
use crate::kafka::{Append, Error, Writer};
use crate::records::Record;
use crate::store::{FoundKey, Position, Store, StoreError};

pub struct KafkaLog {
    store: Arc<Store>,
    /// Set while this node is the writer and has read the log up to its
    /// own marker; `None` on a follower.
    writer: RwLock<Option<Arc<Writer>>>,
}

impl KafkaLog {
    pub fn new(store: Arc<Store>) -> Self {
        Self {
            store,
            writer: RwLock::new(None),
        }
    }

    /// Lets appends through `writer` from now on (`None`: no appends).
    pub fn set_writer(&self, writer: Option<Arc<Writer>>) {
        *self.writer.write().unwrap_or_else(|p| p.into_inner()) = writer;
    }

    pub fn writer(&self) -> Option<Arc<Writer>> {
        self.writer
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Log for KafkaLog {
    /// Blocking: the registry calls it on a blocking thread of the runtime.
    fn append(&self, records: &[Record]) -> Result<Position, LogError> {
        // Id watermarks are treaty's single-node bookkeeping: in a cluster
        // the highest id comes from the SCHEMA records, as in Confluent.
        let shared: Vec<Record> = records
            .iter()
            .filter(|r| !r.is_local_only())
            .cloned()
            .collect();
        if shared.is_empty() {
            return Ok(self.store.last_position()?.unwrap_or(0));
        }
        let writer = self
            .writer()
            .ok_or_else(|| LogError::new("this node is not the schemas topic's writer"))?;
        let appends = shared
            .iter()
            .map(|record| self.with_other_forms(record))
            .collect::<Result<Vec<_>, _>>()?;
        let appended = tokio::runtime::Handle::current().block_on(writer.append(&appends));
        let offsets = match appended {
            Ok(offsets) => offsets,
            Err(error) => {
                // A failed append ends the writer's term: the batch may be
                // on the topic unconfirmed, and only a new term's first
                // record settles it.
                self.stop_writing(&writer, &error);
                return Err(LogError {
                    message: error.to_string(),
                    outcome_unknown: matches!(error, Error::Unconfirmed(_)),
                });
            }
        };
        let positions = offsets.iter().map(|&offset| offset as Position);
        self.store.write(positions.zip(&shared), true)?;
        self.store.note_key_forms(&tombstoned(&appends))?;
        Ok(offsets.last().map_or(0, |&offset| offset as Position))
    }
}

impl KafkaLog {
    /// `record`, and when it is a tombstone, the other forms its key was
    /// found in, to receive one as well.
    fn with_other_forms<'r>(&self, record: &'r Record) -> Result<Append<'r>, StoreError> {
        if !record.is_tombstone() {
            return Ok(Append::from(record));
        }
        Ok(Append {
            record,
            other_forms: self.store.key_forms(&record.key())?,
        })
    }

    /// A writer whose append failed never writes again: drops it unless
    /// already replaced.
    fn stop_writing(&self, failed: &Arc<Writer>, error: &Error) {
        let mut writer = self.writer.write().unwrap_or_else(|p| p.into_inner());
        if writer.as_ref().is_some_and(|w| Arc::ptr_eq(w, failed)) {
            *writer = None;
            match error {
                Error::Fenced => {
                    tracing::warn!("fenced by a newer writer: this node no longer writes")
                }
                _ => tracing::warn!("a write failed ({error}): this node's writer term ends"),
            }
        }
    }
}

/// The other forms that `appends` gave their tombstone, now to forget.
fn tombstoned(appends: &[Append]) -> Vec<FoundKey> {
    appends
        .iter()
        .flat_map(|append| {
            append.other_forms.iter().map(|bytes| FoundKey {
                key: append.record.key(),
                bytes: bytes.clone(),
                tombstone: true,
            })
        })
        .collect()
}
