//! Appending to the schemas topic, reading it back, fencing an earlier
//! writer, and reading to the end of the log.

use std::time::Duration;

use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::ClientConfig;
use serde_json::json;
use treaty::kafka::reader::{Role, Tag};
use treaty::kafka::{ensure_topic, Append, Error, KafkaConfig, ReadEvent, Reader, Writer};
use treaty::records::{IdWatermarkValue, ModeValue, Record, SchemaValue};

use crate::broker::Tansu;

async fn ready(broker: &Tansu) -> KafkaConfig {
    let config = broker.config("_schemas");
    ensure_topic(&config).await.unwrap();
    config
}

fn version(subject: &str, number: i32, id: i32) -> Record {
    let schema = format!("{{\"type\":\"fixed\",\"name\":\"F\",\"size\":{id}}}");
    let value = SchemaValue::new(subject, number, id, &schema);
    Record::Schema(subject.to_owned(), number, Some(value))
}

/// `records` to append, none with other key forms to tombstone.
fn plain(records: &[Record]) -> Vec<Append<'_>> {
    records.iter().map(Append::from).collect()
}

/// The next event, or a failure naming what was awaited.
async fn next(reader: &mut Reader) -> ReadEvent {
    tokio::time::timeout(Duration::from_secs(20), reader.next())
        .await
        .expect("no event from the reader within 20 s")
        .unwrap()
}

/// The next `count` records and skips, without the caught-up events.
async fn read(reader: &mut Reader, count: usize) -> Vec<ReadEvent> {
    let mut events = Vec::new();
    while events.len() < count {
        match next(reader).await {
            ReadEvent::CaughtUp { .. } => {}
            event => events.push(event),
        }
    }
    events
}

/// The records of `events` with their offsets, each a record of the
/// writer's batch with this number; and the batches confirmed, in order.
fn batches_and_confirmations(
    events: Vec<ReadEvent>,
    writer: &Writer,
) -> (Vec<(i64, u64, Record)>, Vec<u64>) {
    let (mut records, mut confirmed) = (Vec::new(), Vec::new());
    for event in events {
        let ReadEvent::Record {
            offset,
            record,
            tag: Some(Tag { term, role }),
            ..
        } = event
        else {
            panic!("not a record of a treaty writer: {event:?}");
        };
        assert_eq!(term, writer.term());
        match role {
            Role::Batch(batch) => records.push((offset, batch, record)),
            Role::Confirm(batch) => {
                assert_eq!(record, Record::Noop);
                confirmed.push(batch);
            }
            Role::Marker { .. } => panic!("a marker at {offset}"),
        }
    }
    (records, confirmed)
}

#[tokio::test(flavor = "multi_thread")]
async fn appended_records_read_back_in_order_with_their_offsets() {
    let Some(broker) = Tansu::start() else { return };
    let config = ready(&broker).await;
    let writer = Writer::start(&config).await.unwrap();
    let batch = vec![
        version("orders-value", 1, 1),
        Record::Config(None, Some(json!({"compatibilityLevel": "FULL"}))),
        Record::Mode(
            Some("orders-value".into()),
            Some(ModeValue {
                mode: "READONLY".into(),
            }),
        ),
    ];
    let mut offsets = writer.append(&plain(&batch)).await.unwrap();
    let tombstone = vec![Record::Schema("orders-value".into(), 1, None)];
    offsets.extend(writer.append(&plain(&tombstone)).await.unwrap());
    assert_eq!(offsets.len(), 4);
    assert!(
        offsets.windows(2).all(|pair| pair[0] < pair[1]),
        "{offsets:?}"
    );

    // Each batch is followed by the NOOP that confirms it.
    let mut reader = Reader::start(&config, 0).unwrap();
    let (read, confirmed) = batches_and_confirmations(read(&mut reader, 6).await, &writer);
    let written: Vec<_> = offsets
        .into_iter()
        .zip([1, 1, 1, 2])
        .zip(batch.into_iter().chain(tombstone))
        .map(|((offset, number), record)| (offset, number, record))
        .collect();
    assert_eq!(read, written);
    assert_eq!(confirmed, [1, 2]);
    match next(&mut reader).await {
        ReadEvent::CaughtUp { next_offset } => assert_eq!(next_offset, reader.next_offset()),
        other => panic!("read past the end: {other:?}"),
    }

    // Treaty's own records never reach the topic.
    let watermark = Record::IdWatermark(".".into(), IdWatermarkValue { id: 9 });
    assert!(matches!(
        writer
            .append(&plain(&[version("s", 1, 2), watermark]))
            .await,
        Err(Error::LocalOnly)
    ));
}

/// Records as Confluent and Karapace wrote them are read through Kafka as
/// they decode, with their key bytes as found (a legacy key form included);
/// what treaty does not apply is skipped, not fatal.
#[tokio::test(flavor = "multi_thread")]
async fn foreign_records_on_the_topic_are_read_or_skipped() {
    let Some(broker) = Tansu::start() else { return };
    let config = ready(&broker).await;
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", &broker.bootstrap)
        .create()
        .unwrap();
    let corpus = [
        include_str!("../fixtures/topic/confluent-7.tsv"),
        include_str!("../fixtures/topic/karapace.tsv"),
        include_str!("../fixtures/topic/foreign.tsv"),
    ]
    .concat();
    let mut expected = Vec::new();
    for line in corpus
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (key, value) = match line.split_once('\t') {
            Some((key, value)) => (Some(key), Some(value).filter(|v| !v.is_empty())),
            None => (None, Some(line)),
        };
        let mut record = FutureRecord::<str, str>::to("_schemas").partition(0);
        if let Some(key) = key {
            record = record.key(key);
        }
        if let Some(value) = value {
            record = record.payload(value);
        }
        producer.send(record, Duration::from_secs(5)).await.unwrap();
        let decoded = Record::from_topic(key.map(str::as_bytes), value.map(str::as_bytes));
        expected.push((key.unwrap_or_default(), decoded));
    }

    let mut reader = Reader::start(&config, 0).unwrap();
    let events = read(&mut reader, expected.len()).await;
    for (event, (expected_key, expected)) in events.into_iter().zip(expected) {
        match (event, expected) {
            (ReadEvent::Record { record, key, .. }, Ok(expected)) => {
                assert_eq!(record, expected);
                assert_eq!(key, expected_key.as_bytes());
            }
            (ReadEvent::Skipped { reason, .. }, Err(skipped)) => assert_eq!(reason, skipped.0),
            (event, expected) => panic!("{event:?}, expected {expected:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_writer_fences_the_first() {
    let Some(broker) = Tansu::start() else { return };
    let config = ready(&broker).await;
    let first = Writer::start(&config).await.unwrap();
    first.append(&plain(&[version("a", 1, 1)])).await.unwrap();

    let second = Writer::start(&config).await.unwrap();
    assert!(matches!(
        first.append(&plain(&[version("a", 2, 2)])).await,
        Err(Error::Fenced)
    ));
    assert!(
        matches!(
            first.append(&plain(&[version("a", 2, 3)])).await,
            Err(Error::Fenced)
        ),
        "a fenced writer stays fenced"
    );
    let offsets = second.append(&plain(&[version("a", 2, 4)])).await.unwrap();
    assert_eq!(offsets.len(), 1);
}

/// After a multi-record batch some brokers answer ListOffsets stale; the
/// reader's end of the log comes from Fetch, so it has read the batch and
/// its confirmation when it says it has caught up.
#[tokio::test(flavor = "multi_thread")]
async fn the_reader_catches_up_past_a_multi_record_batch() {
    let Some(broker) = Tansu::start() else { return };
    let config = ready(&broker).await;
    let writer = Writer::start(&config).await.unwrap();
    let batch: Vec<_> = (1..=5).map(|n| version("s", n, n)).collect();
    writer.append(&plain(&batch)).await.unwrap();

    let mut reader = Reader::start(&config, 0).unwrap();
    let mut events = Vec::new();
    loop {
        match next(&mut reader).await {
            ReadEvent::CaughtUp { .. } => break,
            event => events.push(event),
        }
    }
    let (read, confirmed) = batches_and_confirmations(events, &writer);
    let records: Vec<Record> = read.into_iter().map(|(_, _, record)| record).collect();
    assert_eq!((records, confirmed), (batch, vec![1]));
}
