//! Appends records to the schemas topic, one short transaction per batch,
//! so that the broker fences every earlier writer: all nodes share one
//! `transactional.id`, and starting a writer bumps its epoch. A fenced
//! writer's append fails with [`Error::Fenced`] and never reports success.

use std::sync::atomic::{AtomicBool, Ordering};

use rdkafka::error::KafkaError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::types::RDKafkaErrorCode;

use super::{Error, KafkaConfig, PARTITION, REQUEST_TIMEOUT};
use crate::records::{Record, TopicRecord};

/// The header of a writer's NOOP marker that holds its node's URL.
pub const WRITER_HEADER: &str = "treaty.writer";

pub struct Writer {
    producer: FutureProducer,
    topic: String,
    /// One transaction at a time: librdkafka's producer has one open.
    turn: tokio::sync::Mutex<()>,
    /// Once fenced, always fenced: no later append may look like success.
    fenced: AtomicBool,
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
        })
    }

    /// Writes `records` in one transaction to partition 0, and answers
    /// their offsets once it is committed.
    pub async fn append(&self, records: &[Record]) -> Result<Vec<i64>, Error> {
        self.append_with(records, None).await
    }

    /// Appends a NOOP that names `node_url` as the writer in a header
    /// ([`WRITER_HEADER`]; Confluent's readers ignore headers and NOOPs),
    /// and answers its offset.
    pub async fn mark(&self, node_url: &str) -> Result<i64, Error> {
        let header = Header {
            key: WRITER_HEADER,
            value: Some(node_url),
        };
        let headers = OwnedHeaders::new().insert(header);
        Ok(self.append_with(&[Record::Noop], Some(headers)).await?[0])
    }

    async fn append_with(
        &self,
        records: &[Record],
        headers: Option<OwnedHeaders>,
    ) -> Result<Vec<i64>, Error> {
        let encoded = records
            .iter()
            .map(Record::to_topic)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| Error::LocalOnly)?;
        let _turn = self.turn.lock().await;
        if self.fenced.load(Ordering::SeqCst) {
            return Err(Error::Fenced);
        }
        let outcome = self.transaction(&encoded, headers).await;
        if matches!(outcome, Err(Error::Fenced)) {
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
