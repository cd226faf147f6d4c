//! The reader every node runs: it reads the schemas topic from the offset
//! after the last one its store holds, keeps each record in the store at
//! its offset and applies it to the registry, a treaty writer's batch once
//! it is confirmed ([`Unconfirmed`]).

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::unconfirmed::Unconfirmed;
use super::Node;
use crate::kafka::reader::Role;
use crate::kafka::{ReadEvent, Reader};
use crate::records::Record;
use crate::store::{FoundKey, Position};

/// Records applied in one go while catching up.
const BATCH: usize = 512;

/// Reads for as long as the node runs; a failed reader is restarted from
/// what the store holds.
pub async fn run(node: &Node) {
    loop {
        if let Err(error) = read(node).await {
            tracing::error!("reading the schemas topic failed, restarting: {error}");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

async fn read(node: &Node) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let from = node
        .store
        .last_position()?
        .map_or(0, |last| last as i64 + 1);
    tracing::info!(from, topic = %node.config.topic, "reading the schemas topic");
    let mut reader = Reader::start(&node.config, from)?;
    let mut batch: Vec<(Position, Record)> = Vec::new();
    let mut found_keys: Vec<FoundKey> = Vec::new();
    let mut unconfirmed = Unconfirmed::default();
    loop {
        let caught_up = match reader.next().await? {
            ReadEvent::Record {
                offset,
                key,
                record,
                tag,
            } => {
                if let Some(Role::Marker { writer }) = tag.as_ref().map(|t| &t.role) {
                    node.heard_from_writer(writer.clone());
                }
                // Only other registries write keys in other forms. A
                // treaty writer's tombstones in them count once its writer
                // forgets them, not here, where the batch may yet be
                // dropped; a node rebuilt from the topic keeps them, which
                // costs only a needless tombstone should the key come back.
                if tag.is_none() && !matches!(record, Record::Noop) {
                    found_keys.push(FoundKey {
                        key: record.key(),
                        bytes: key,
                        tombstone: record.is_tombstone(),
                    });
                }
                batch.extend(unconfirmed.read(offset as Position, record, tag.as_ref()));
                false
            }
            ReadEvent::Skipped { .. } => false,
            ReadEvent::CaughtUp { .. } => true,
        };
        if caught_up || batch.len() >= BATCH {
            let records = std::mem::take(&mut batch);
            let store = &node.store;
            // Before the records: the store's last position must not pass
            // a record whose key form it does not hold.
            store.note_key_forms(&std::mem::take(&mut found_keys))?;
            node.registry
                .apply_logged(records, |fresh| {
                    store.write(fresh.iter().map(|(p, r)| (*p, r)), false)
                })
                .await?;
            let settled_to = unconfirmed
                .first_held()
                .map_or(reader.next_offset(), |held| held as i64);
            node.read_to.send_replace(settled_to);
            // At the end there is nothing left to read, though the end
            // offset counts transaction markers after the last record.
            let end = match caught_up {
                true => Some(reader.next_offset()),
                false => reader.end_offset(),
            };
            if let Some(end) = end {
                node.topic_end.store(end, Ordering::Relaxed);
            }
        }
        if caught_up {
            node.mark_caught_up();
        }
    }
}
