//! Durable storage in RocksDB: the latest value of every record key, as a
//! compacted `_schemas` topic would hold it. Each write is one atomic batch
//! whose WAL is synced before it is acknowledged.

use std::path::Path;

use rocksdb::{Options, WriteBatch, WriteOptions, DB};

use crate::registry::records::{Record, RecordKey};

const RECORDS: &str = "records";

pub struct Store {
    db: DB,
}

#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rocksdb::Error> for StoreError {
    fn from(error: rocksdb::Error) -> Self {
        StoreError(error.into_string())
    }
}

impl Store {
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError(format!("cannot create data dir {}: {e}", dir.display())))?;
        let mut options = Options::default();
        options.create_if_missing(true);
        options.create_missing_column_families(true);
        let db = DB::open_cf(&options, dir, [RECORDS])?;
        Ok(Self { db })
    }

    /// Hands every stored record to `apply`, in an order that replays
    /// correctly: subject delete markers after the versions they mark.
    /// Decoding runs on a thread of its own while `apply` runs on the
    /// caller's, so a large store loads on two cores.
    pub fn replay(&self, mut apply: impl FnMut(Record)) -> Result<(), StoreError> {
        let (batches, received) = std::sync::mpsc::sync_channel(4);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let outcome = self.decode_all(|batch| batches.send(batch).is_ok());
                if let Err(error) = outcome {
                    let _ = batches.send(Err(error));
                }
            });
            for batch in received {
                batch?.into_iter().for_each(&mut apply);
            }
            Ok(())
        })
    }

    /// Decodes every record, in batches handed to `send` (which answers
    /// whether to go on); delete markers come in the last batch.
    fn decode_all(
        &self,
        mut send: impl FnMut(Result<Vec<Record>, StoreError>) -> bool,
    ) -> Result<(), StoreError> {
        const BATCH: usize = 4096;
        let cf = self.records_cf();
        let mut batch = Vec::with_capacity(BATCH);
        let mut markers = Vec::new();
        // One sequential pass: read ahead, and keep the block cache for
        // what is read later.
        let mut scan = rocksdb::ReadOptions::default();
        scan.set_readahead_size(4 << 20);
        scan.fill_cache(false);
        for item in self
            .db
            .iterator_cf_opt(cf, scan, rocksdb::IteratorMode::Start)
        {
            let (key, value) = item?;
            let key: RecordKey = serde_json::from_slice(&key)
                .map_err(|e| StoreError(format!("corrupt record key: {e}")))?;
            let record = Record::decode(key, Some(&value))
                .map_err(|e| StoreError(format!("corrupt record value: {e}")))?;
            match record {
                Record::DeleteSubject(..) => markers.push(record),
                _ => batch.push(record),
            }
            if batch.len() == BATCH
                && !send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))))
            {
                return Ok(());
            }
        }
        batch.extend(markers);
        send(Ok(batch));
        Ok(())
    }

    /// Moves what only the WAL holds into table files, so that the next
    /// open has no log to replay (done at a graceful stop).
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.db.flush_cf(self.records_cf())?)
    }

    /// Persists `records` atomically; returns once the WAL is synced.
    pub fn write(&self, records: &[Record]) -> Result<(), StoreError> {
        let cf = self.records_cf();
        let mut batch = WriteBatch::default();
        for record in records {
            let key = serde_json::to_vec(&record.key()).expect("keys serialise to JSON");
            match record.value_json() {
                Some(value) => batch.put_cf(cf, key, value),
                None => batch.delete_cf(cf, key),
            }
        }
        let mut options = WriteOptions::default();
        options.set_sync(true);
        self.db.write_opt(batch, &options)?;
        Ok(())
    }

    fn records_cf(&self) -> &rocksdb::ColumnFamily {
        self.db
            .cf_handle(RECORDS)
            .expect("the records column family is created at open")
    }
}
