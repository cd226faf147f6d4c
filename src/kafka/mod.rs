//! Cluster mode's log: Confluent's `_schemas` topic, read and written in
//! its exact record format ([`crate::records::topic`]). The topic is the
//! source of truth; one writer at a time, fenced by the broker through a
//! `transactional.id` every node shares; every node reads it back.
//!
//! [`config`] says where the topic is, [`topic`] makes sure it exists as
//! Confluent requires, [`writer`] appends, and [`reader`] reads from an
//! offset.

pub mod config;
pub mod reader;
pub mod topic;
pub mod writer;

pub use config::KafkaConfig;
pub use reader::{ReadEvent, Reader};
pub use topic::ensure_topic;
pub use writer::{Append, Writer};

use std::time::Duration;

use rdkafka::error::KafkaError;

/// How long one broker request (a metadata fetch, a transaction step) may
/// take before it counts as failed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The registry's records live in partition 0 of a one-partition topic.
const PARTITION: i32 = 0;

#[derive(Debug)]
pub enum Error {
    /// A client setting that is malformed or that librdkafka refuses.
    Config(String),
    /// The topic cannot hold the registry as Confluent requires.
    Topic(String),
    /// The broker did not carry out a request on the topic (create it,
    /// describe it); asked again later, it may.
    Broker(String),
    /// Another writer took over with the same `transactional.id`: this
    /// one's writes were not committed, and none of its later ones will be.
    Fenced,
    /// A batch was committed but the transaction confirming it failed:
    /// every node applies it or none does, and which is not known here.
    Unconfirmed(Box<Error>),
    /// A record that never goes to a topic ([`crate::records::LocalOnly`]).
    LocalOnly,
    /// Any other failure of the broker or the client.
    Kafka(KafkaError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(message) | Error::Topic(message) | Error::Broker(message) => {
                f.write_str(message)
            }
            Error::Fenced => f.write_str(
                "another writer took over the schemas topic (same transactional.id): \
                 this node's write was not committed",
            ),
            Error::Unconfirmed(error) => {
                write!(
                    f,
                    "a committed batch could not be confirmed ({error}): its outcome is unknown"
                )
            }
            Error::LocalOnly => write!(f, "{}", crate::records::LocalOnly),
            Error::Kafka(error) => write!(f, "Kafka: {error}"),
        }
    }
}

impl Error {
    /// Whether the same request may succeed later: the broker was slow,
    /// unreachable or failed, rather than the setup being wrong.
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Broker(_) | Error::Kafka(_))
    }
}

impl std::error::Error for Error {}

impl From<KafkaError> for Error {
    fn from(error: KafkaError) -> Self {
        Error::Kafka(error)
    }
}
