//! Reads the schemas topic from a given offset, as every node does, the
//! writer included. No group membership: the reader is assigned partition 0
//! and commits no offsets (the node keeps its applied offset itself).
//!
//! Whether the reader has caught up is decided from the high watermark in
//! Fetch responses (librdkafka's partition EOF), never from ListOffsets,
//! which some brokers (tansu) answer stale after a multi-record batch.

use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedHeaders, Headers, Message};
use rdkafka::{Offset, TopicPartitionList};

use super::writer::{Term, BATCH_HEADER, CONFIRM_HEADER, TERM_HEADER, WRITER_HEADER};
use super::{Error, KafkaConfig, PARTITION};
use crate::records::{Record, Skipped};

/// How long the broker may hold a Fetch that finds nothing new. Kafka
/// answers it as soon as a record arrives, but some brokers (tansu) only
/// at this limit, so with librdkafka's 500 ms a follower would see each
/// write half a second late. A short wait costs an idle node a few small
/// requests a second; `--kafka-config fetch.wait.max.ms=…` overrides it.
const FETCH_WAIT_MS: &str = "20";

pub struct Reader {
    consumer: StreamConsumer,
    topic: std::ffi::CString,
    next_offset: i64,
}

// Nearly every event is a record: boxing it would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, PartialEq)]
pub enum ReadEvent {
    /// The record at `offset`. `key` is its key's bytes as found: a logical
    /// key can have several byte forms in a topic (spec §1.2), and a hard
    /// delete must tombstone each of them.
    Record {
        offset: i64,
        key: Vec<u8>,
        record: Record,
        /// What a treaty writer's headers say of the record; `None` for
        /// records other registries wrote.
        tag: Option<Tag>,
    },
    /// A record treaty does not apply (already logged as a warning).
    Skipped { offset: i64, reason: String },
    /// Everything up to the partition's high watermark has been read;
    /// `next_offset` is where the next record will be.
    CaughtUp { next_offset: i64 },
}

/// A record as a treaty writer's term wrote it ([`super::writer`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    pub term: Term,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Role {
    /// The NOOP that starts the term, naming the writer node's URL.
    Marker { writer: String },
    /// A record of the term's batch with this number.
    Batch(u64),
    /// The NOOP that confirms the term's batch with this number.
    Confirm(u64),
}

impl Tag {
    fn from_headers(headers: &BorrowedHeaders) -> Option<Self> {
        let text = |key: &str| {
            let header = headers.iter().find(|h| h.key == key)?;
            std::str::from_utf8(header.value?).ok()
        };
        let term = Term::from_hex(text(TERM_HEADER)?)?;
        let role = if let Some(writer) = text(WRITER_HEADER) {
            Role::Marker {
                writer: writer.to_owned(),
            }
        } else if let Some(batch) = text(BATCH_HEADER) {
            Role::Batch(batch.parse().ok()?)
        } else {
            Role::Confirm(text(CONFIRM_HEADER)?.parse().ok()?)
        };
        Some(Tag { term, role })
    }
}

impl Reader {
    /// A reader whose first record is the one at offset `from` (or the
    /// first one after it, where compaction removed it).
    pub fn start(config: &KafkaConfig, from: i64) -> Result<Self, Error> {
        let mut client = config.client_config();
        if client.get("fetch.wait.max.ms").is_none() {
            client.set("fetch.wait.max.ms", FETCH_WAIT_MS);
        }
        client
            // librdkafka assigns partitions only to a consumer with a group;
            // it is never joined and nothing is committed to it.
            .set("group.id", format!("treaty-reader-{}", config.topic))
            .set("enable.auto.commit", "false")
            .set("enable.auto.offset.store", "false")
            .set("enable.partition.eof", "true")
            // A fenced writer's aborted records are not the registry's;
            // where a broker shows them all the same, `cluster`'s reader
            // drops every batch that was never confirmed.
            .set("isolation.level", "read_committed");
        let consumer: StreamConsumer = client.create()?;
        let mut assignment = TopicPartitionList::new();
        assignment.add_partition_offset(&config.topic, PARTITION, Offset::Offset(from))?;
        consumer.assign(&assignment)?;
        let topic = std::ffi::CString::new(config.topic.as_str())
            .map_err(|_| Error::Config("the topic name holds a NUL byte".into()))?;
        Ok(Self {
            consumer,
            topic,
            next_offset: from,
        })
    }

    /// The offset after the last record read.
    pub fn next_offset(&self) -> i64 {
        self.next_offset
    }

    /// The partition's end (high watermark) as the last fetch response
    /// said, without asking the broker; `None` before the first one.
    pub fn end_offset(&self) -> Option<i64> {
        let (mut low, mut high) = (-1, -1);
        // SAFETY: the client and the topic name outlive the call, which
        // only reads librdkafka's cached offsets into the two integers.
        let code = unsafe {
            rdkafka::bindings::rd_kafka_get_watermark_offsets(
                self.consumer.client().native_ptr(),
                self.topic.as_ptr(),
                PARTITION,
                &mut low,
                &mut high,
            )
        };
        let known = code == rdkafka::bindings::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR;
        (known && high >= 0).then_some(high)
    }

    /// Waits for the next record, or for the reader to reach the end.
    /// Transient broker errors are logged and waited out, as librdkafka
    /// retries by itself; only a fatal one ends the reading.
    pub async fn next(&mut self) -> Result<ReadEvent, Error> {
        loop {
            let message = match self.consumer.recv().await {
                Ok(message) => message,
                Err(KafkaError::PartitionEOF(_)) => {
                    return Ok(ReadEvent::CaughtUp {
                        next_offset: self.next_offset,
                    })
                }
                Err(error @ KafkaError::MessageConsumptionFatal(_)) => return Err(error.into()),
                Err(error) => {
                    tracing::warn!("reading the schemas topic: {error}");
                    continue;
                }
            };
            let offset = message.offset();
            self.next_offset = offset + 1;
            let key = message.key().unwrap_or_default().to_vec();
            let tag = message.headers().and_then(Tag::from_headers);
            return Ok(match Record::from_topic(message.key(), message.payload()) {
                Ok(record) => ReadEvent::Record {
                    offset,
                    key,
                    record,
                    tag,
                },
                Err(Skipped(reason)) => {
                    tracing::warn!(
                        "skipping the schemas topic's record at offset {offset}: {reason}"
                    );
                    ReadEvent::Skipped { offset, reason }
                }
            });
        }
    }
}
