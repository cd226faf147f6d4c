//! Where the registry's writes become durable: a log of records in one
//! order that every reader agrees on. The registry hands each write's
//! records to a [`Log`] and publishes them once it says they are durable;
//! on one node that is [`LocalLog`], RocksDB itself; in a cluster it is
//! [`KafkaLog`], the `_schemas` topic.

mod kafka;
mod local;

pub use kafka::KafkaLog;
pub use local::LocalLog;

use crate::records::Record;
use crate::store::{Position, StoreError};

/// An append-only log of records that also keeps the local store up to date.
pub trait Log: Send + Sync {
    /// Appends `records`, in order, after everything appended before.
    /// Returns once they are durable and in the local store, with the
    /// position of the last one; on an error none of them was appended.
    fn append(&self, records: &[Record]) -> Result<Position, LogError>;
}

/// Why an append failed.
#[derive(Debug, Clone, PartialEq)]
pub struct LogError {
    pub message: String,
    /// The records may still count: every reader will apply them or none
    /// will, and which is not known yet (Confluent's store timeout).
    pub outcome_unknown: bool,
}

impl LogError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            outcome_unknown: false,
        }
    }
}

impl std::fmt::Display for LogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LogError {}

impl From<StoreError> for LogError {
    fn from(error: StoreError) -> Self {
        LogError::new(error.0)
    }
}
