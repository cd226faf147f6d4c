//! The schemas topic as a foreign reader sees it: every record, aborted
//! ones included (`read_uncommitted`, Confluent's readers' setting), read
//! with a consumer of the test's own, not treaty's reader.

use std::collections::BTreeMap;
use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Headers, Message};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use serde_json::Value;

use crate::broker::Tansu;

/// One record of the topic, its key and value as JSON (`None` for a
/// tombstone) and the writer its `treaty.writer` header names.
pub struct RawRecord {
    pub offset: i64,
    /// The key's bytes as they are on the topic.
    pub key_bytes: Vec<u8>,
    pub key: Value,
    pub value: Option<Value>,
    pub writer: Option<String>,
}

impl RawRecord {
    /// `(id, subject, schema)` of a SCHEMA record with a value.
    pub fn schema(&self) -> Option<(i64, &str, &str)> {
        if self.key["keytype"] != "SCHEMA" {
            return None;
        }
        let value = self.value.as_ref()?;
        Some((
            value["id"].as_i64()?,
            value["subject"].as_str()?,
            value["schema"].as_str()?,
        ))
    }
}

/// Every record of `_schemas`, in offset order.
pub fn read_all(broker: &Tansu) -> Vec<RawRecord> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &broker.bootstrap)
        .set("group.id", "raw-reader")
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .set("isolation.level", "read_uncommitted")
        .create()
        .unwrap();
    let mut assignment = TopicPartitionList::new();
    assignment
        .add_partition_offset("_schemas", 0, Offset::Beginning)
        .unwrap();
    consumer.assign(&assignment).unwrap();
    let mut records = Vec::new();
    loop {
        let message = match consumer.poll(Duration::from_secs(10)) {
            Some(Ok(message)) => message,
            Some(Err(KafkaError::PartitionEOF(_))) => return records,
            Some(Err(error)) => panic!("reading _schemas: {error}"),
            None => panic!("reading _schemas: nothing for 10 s"),
        };
        let key_bytes = message.key().unwrap_or_default().to_vec();
        let key = serde_json::from_slice(&key_bytes).unwrap_or(Value::Null);
        let value = message
            .payload()
            .map(|payload| serde_json::from_slice(payload).unwrap());
        let writer = message.headers().and_then(|headers| {
            let header = headers.iter().find(|h| h.key == "treaty.writer")?;
            String::from_utf8(header.value?.to_vec()).ok()
        });
        records.push(RawRecord {
            offset: message.offset(),
            key_bytes,
            key,
            value,
            writer,
        });
    }
}

/// Asserts that no id names two different schemas anywhere in the topic;
/// answers each id's schema text.
pub fn one_schema_per_id(records: &[RawRecord]) -> BTreeMap<i64, String> {
    let mut schemas: BTreeMap<i64, String> = BTreeMap::new();
    for (id, subject, schema) in records.iter().filter_map(RawRecord::schema) {
        let known = schemas.entry(id).or_insert_with(|| schema.to_owned());
        assert_eq!(
            known, schema,
            "id {id} names two schemas (one in {subject})"
        );
    }
    schemas
}
