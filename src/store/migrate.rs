//! Data dirs written before the store kept a log: one `records` column
//! family, the latest value of every key in key order, replayed with subject
//! delete markers last (their keys sort before the versions they mark).
//! Opening such a dir moves its records into the log once, in that replay
//! order, then drops the old family; a move cut short starts over.

use crate::records::Record;

use super::{decode_record, Position, Store, StoreError, KEYS, LOG, META};

pub const LEGACY: &str = "records";

/// Records moved per batch.
const BATCH: usize = 10_000;

pub fn into_log_order(store: &mut Store) -> Result<(), StoreError> {
    clear_log(store)?;
    let mut position: Position = 0;
    let mut batch = Vec::with_capacity(BATCH);
    let mut markers = Vec::new();
    for item in store
        .db
        .iterator_cf(store.cf(LEGACY), rocksdb::IteratorMode::Start)
    {
        let (key, value) = item?;
        let record = decode_record(&key, &value)?;
        if matches!(record, Record::DeleteSubject(..)) {
            markers.push(record);
            continue;
        }
        batch.push(record);
        if batch.len() == BATCH {
            position = write(store, position, &batch)?;
            batch.clear();
        }
    }
    batch.extend(markers);
    write(store, position, &batch)?;
    store.flush()?;
    store.db.drop_cf(LEGACY)?;
    tracing::info!(
        records = position,
        "moved the data dir's records into log order"
    );
    Ok(())
}

/// Forgets what an earlier, interrupted move wrote.
fn clear_log(store: &Store) -> Result<(), StoreError> {
    for family in [LOG, KEYS, META] {
        let cf = store.cf(family);
        let first = store
            .db
            .iterator_cf(cf, rocksdb::IteratorMode::Start)
            .next();
        let last = store.db.iterator_cf(cf, rocksdb::IteratorMode::End).next();
        if let (Some(first), Some(last)) = (first, last) {
            let (first, last) = (first?.0, last?.0);
            let mut batch = rocksdb::WriteBatch::default();
            batch.delete_range_cf(cf, &first[..], &last[..]);
            batch.delete_cf(cf, &last[..]);
            store.db.write(batch)?;
        }
    }
    Ok(())
}

/// Writes `records` after `position`; returns the last position written.
fn write(store: &Store, position: Position, records: &[Record]) -> Result<Position, StoreError> {
    let positions = (position + 1..).zip(records);
    store.write(positions, false)?;
    Ok(position + records.len() as Position)
}
