//! Appends records to the schemas topic, one short transaction per batch,
//! so that the broker fences every earlier writer: all nodes share one
//! `transactional.id`, and starting a writer bumps its epoch. A fenced
//! writer's append fails with [`Error::Fenced`] and never reports success.
//!
//! Each writer is a *term* ([`Term`]): every record it writes names the
//! term and its batch in headers, and a batch counts only once a second
//! transaction has committed a NOOP confirming it, before the append
//! answers. Readers hold a batch until its confirmation and drop it when a
//! record of another term comes first ([`crate::cluster`]'s reader), so a
//! deposed writer's batch is never applied even by brokers whose
//! `read_committed` shows aborted records (tansu, spec §3). A term whose
//! append failed writes no more: its last batch stays unconfirmed, and the
//! node starts a new term.
//!
//! A term's NOOPs share a key of their own, so that under compaction the
//! term's last confirmation survives beside the batches it confirms: the
//! canonical NOOP key followed by JSON whitespace that spells the term.
//! Confluent and Karapace parse it as the plain NOOP key they skip.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};

use rdkafka::error::KafkaError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::types::RDKafkaErrorCode;

use super::{Error, KafkaConfig, PARTITION, REQUEST_TIMEOUT};
use crate::records::{Record, TopicRecord};

/// The header of a writer's NOOP marker that holds its node's URL.
pub const WRITER_HEADER: &str = "treaty.writer";
/// The header of every record a term writes: the term, in hex.
pub const TERM_HEADER: &str = "treaty.term";
/// The header of a batch's records: the batch's number in its term.
pub const BATCH_HEADER: &str = "treaty.batch";
/// The header of the NOOP that confirms a batch: the batch's number.
pub const CONFIRM_HEADER: &str = "treaty.confirm";

/// One writer's identity on the topic; random, so terms never repeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Term(pub u64);

impl Term {
    fn random() -> Self {
        // The standard library seeds each `RandomState` from the OS.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        Term(hasher.finish())
    }

    pub fn to_hex(self) -> String {
        format!("{:016x}", self.0)
    }

    pub fn from_hex(text: &str) -> Option<Self> {
        u64::from_str_radix(text, 16).ok().map(Term)
    }

    /// The NOOP key of this term's markers and confirmations: Confluent's
    /// NOOP key and 32 characters of JSON whitespace, two bits each.
    fn noop_key(self, canonical: &[u8]) -> Vec<u8> {
        let mut key = canonical.to_vec();
        key.extend(
            (0..32)
                .rev()
                .map(|digit| [b' ', b'\t', b'\n', b'\r'][((self.0 >> (2 * digit)) & 3) as usize]),
        );
        key
    }
}

/// A record to append, and the other byte forms its key was found in on
/// the topic: a tombstone goes to each of them as well, in the same
/// transaction, so that compaction removes the key in every form (spec
/// §1.2; Confluent #2961 is what happens otherwise).
pub struct Append<'r> {
    pub record: &'r Record,
    pub other_forms: Vec<Vec<u8>>,
}

/// A record whose key has no other forms to tombstone.
impl<'r> From<&'r Record> for Append<'r> {
    fn from(record: &'r Record) -> Self {
        Self {
            record,
            other_forms: Vec::new(),
        }
    }
}

pub struct Writer {
    producer: FutureProducer,
    topic: String,
    /// One transaction at a time: librdkafka's producer has one open.
    turn: tokio::sync::Mutex<()>,
    /// Once fenced, always fenced: no later append may look like success.
    /// A failed append ends the term the same way.
    fenced: AtomicBool,
    term: Term,
    /// The number of the last batch begun; under `turn`.
    batches: std::sync::atomic::AtomicU64,
}

impl Writer {
    /// A writer that, once this returns, is the only one whose appends the
    /// broker accepts.
    pub async fn start(config: &KafkaConfig) -> Result<Self, Error> {
        let mut client = config.client_config();
        client
            .set("transactional.id", config.transactional_id())
            .set("enable.idempotence", "true")
            .set("acks", "all");
        let producer: FutureProducer = client.create()?;
        let init = producer.clone();
        blocking(move || init.init_transactions(REQUEST_TIMEOUT))
            .await
            .map_err(classify)?;
        Ok(Self {
            producer,
            topic: config.topic.clone(),
            turn: tokio::sync::Mutex::new(()),
            fenced: AtomicBool::new(false),
            term: Term::random(),
            batches: Default::default(),
        })
    }

    pub fn term(&self) -> Term {
        self.term
    }

    /// Writes `appends` in one transaction to partition 0, confirms them in
    /// a second one, and answers, once both are committed, each record's
    /// offset: that of the last message written for it.
    pub async fn append(&self, appends: &[Append<'_>]) -> Result<Vec<i64>, Error> {
        let mut encoded = Vec::with_capacity(appends.len());
        let mut ends = Vec::with_capacity(appends.len());
        for append in appends {
            let record = append.record.to_topic().map_err(|_| Error::LocalOnly)?;
            let tombstone = record.value.is_none();
            encoded.push(record);
            if tombstone {
                encoded.extend(append.other_forms.iter().map(|key| TopicRecord {
                    key: key.clone(),
                    value: None,
                }));
            }
            ends.push(encoded.len() - 1);
        }
        let _turn = self.turn.lock().await;
        let batch = self.batches.fetch_add(1, Ordering::SeqCst) + 1;
        let batch = batch.to_string();
        let offsets = self
            .within_term(&encoded, self.headers(BATCH_HEADER, &batch))
            .await?;
        let confirmation = [self.noop()];
        // The batch is committed: a reader that shows aborted records sees
        // a confirmation even when its transaction fails, so whether the
        // batch counts is now for the readers to say, not this writer.
        self.within_term(&confirmation, self.headers(CONFIRM_HEADER, &batch))
            .await
            .map_err(|error| Error::Unconfirmed(Box::new(error)))?;
        Ok(ends.into_iter().map(|end| offsets[end]).collect())
    }

    /// Appends the NOOP that starts this term and names `node_url` as the
    /// writer ([`WRITER_HEADER`]; Confluent's readers ignore headers and
    /// NOOPs), and answers its offset.
    pub async fn mark(&self, node_url: &str) -> Result<i64, Error> {
        let _turn = self.turn.lock().await;
        let headers = self.headers(WRITER_HEADER, node_url);
        Ok(self.within_term(&[self.noop()], headers).await?[0])
    }

    fn noop(&self) -> TopicRecord {
        let canonical = Record::Noop.to_topic().expect("a NOOP goes to the topic");
        TopicRecord {
            key: self.term.noop_key(&canonical.key),
            value: None,
        }
    }

    /// The term's header and one more.
    fn headers(&self, key: &str, value: &str) -> OwnedHeaders {
        let term = self.term.to_hex();
        OwnedHeaders::new()
            .insert(Header {
                key: TERM_HEADER,
                value: Some(&term),
            })
            .insert(Header {
                key,
                value: Some(value),
            })
    }

    /// One transaction, unless the term has ended; a failure ends it.
    async fn within_term(
        &self,
        records: &[TopicRecord],
        headers: OwnedHeaders,
    ) -> Result<Vec<i64>, Error> {
        if self.fenced.load(Ordering::SeqCst) {
            return Err(Error::Fenced);
        }
        let outcome = self.transaction(records, Some(headers)).await;
        if outcome.is_err() {
            self.fenced.store(true, Ordering::SeqCst);
        }
        outcome
    }

    async fn transaction(
        &self,
        records: &[TopicRecord],
        headers: Option<OwnedHeaders>,
    ) -> Result<Vec<i64>, Error> {
        self.producer
            .begin_transaction()
            .map_err(|e| self.failure(e))?;
        let mut deliveries = Vec::with_capacity(records.len());
        for record in records {
            let mut message = FutureRecord::<[u8], [u8]>::to(&self.topic)
                .partition(PARTITION)
                .key(&record.key[..]);
            if let Some(value) = &record.value {
                message = message.payload(&value[..]);
            }
            if let Some(headers) = &headers {
                message = message.headers(headers.clone());
            }
            match self.producer.send_result(message) {
                Ok(delivery) => deliveries.push(delivery),
                Err((error, _)) => return Err(self.abort(self.failure(error)).await),
            }
        }
        let mut offsets = Vec::with_capacity(deliveries.len());
        for delivery in deliveries {
            match delivery.await {
                Ok(Ok(delivered)) => offsets.push(delivered.offset),
                Ok(Err((error, _))) => return Err(self.abort(self.failure(error)).await),
                Err(_) => return Err(self.abort(Error::Kafka(KafkaError::Canceled)).await),
            }
        }
        let commit = self.producer.clone();
        match blocking(move || commit.commit_transaction(REQUEST_TIMEOUT)).await {
            Ok(()) => Ok(offsets),
            Err(error) => Err(self.abort(self.failure(error)).await),
        }
    }

    /// What a failed call means: messages failed by a fatal error carry
    /// only that, and the producer keeps the fatal error's cause.
    fn failure(&self, error: KafkaError) -> Error {
        match self.producer.client().fatal_error() {
            Some((code, _)) if is_fencing(code) => Error::Fenced,
            _ => classify(error),
        }
    }

    /// Ends a failed transaction, so the next append can begin one, and
    /// answers the failure to report: fencing wins over the first error.
    async fn abort(&self, failure: Error) -> Error {
        if matches!(failure, Error::Fenced) {
            return failure;
        }
        let abort = self.producer.clone();
        match blocking(move || abort.abort_transaction(REQUEST_TIMEOUT)).await {
            Err(error) => match self.failure(error) {
                Error::Fenced => Error::Fenced,
                _ => failure,
            },
            Ok(()) => failure,
        }
    }
}

/// librdkafka's transaction calls block until the broker answers.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, KafkaError> + Send + 'static,
) -> Result<T, KafkaError> {
    tokio::task::spawn_blocking(call)
        .await
        .unwrap_or(Err(KafkaError::Canceled))
}

/// A newer writer's epoch shows as any of these, depending on which
/// request met it first.
fn is_fencing(code: RDKafkaErrorCode) -> bool {
    matches!(
        code,
        RDKafkaErrorCode::Fenced
            | RDKafkaErrorCode::ProducerFenced
            | RDKafkaErrorCode::InvalidProducerEpoch
    )
}

fn classify(error: KafkaError) -> Error {
    match error.rdkafka_error_code() {
        Some(code) if is_fencing(code) => Error::Fenced,
        _ => Error::Kafka(error),
    }
}
