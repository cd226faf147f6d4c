//! Durable storage in RocksDB: the latest value of every record key, as a
//! compacted `_schemas` topic would hold it. Each write is one atomic batch
//! whose WAL is synced before it is acknowledged.

use std::path::Path;

use rocksdb::{Options, WriteBatch, WriteOptions, DB};

use crate::records::Record;
use replay::RawRecord;

mod replay;

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

    /// Hands every stored record, made ready by `prepare`, to `apply`, in
    /// key order but for subject delete markers, which come after the
    /// versions they mark (see [`replay`]).
    pub fn replay<T: Send>(
        &self,
        prepare: impl Fn(Record) -> T + Sync,
        apply: impl FnMut(T),
    ) -> Result<(), StoreError> {
        replay::run(|send| self.read_all(send), prepare, apply)
    }

    /// Reads every stored key and value, in batches handed to `send`
    /// (which answers whether to go on).
    fn read_all(&self, send: &mut dyn FnMut(Vec<RawRecord>) -> bool) -> Result<(), StoreError> {
        const BATCH: usize = 1024;
        let cf = self.records_cf();
        let mut batch = Vec::with_capacity(BATCH);
        // One sequential pass: read ahead, and keep the block cache for
        // what is read later.
        let mut scan = rocksdb::ReadOptions::default();
        scan.set_readahead_size(4 << 20);
        scan.fill_cache(false);
        for item in self
            .db
            .iterator_cf_opt(cf, scan, rocksdb::IteratorMode::Start)
        {
            batch.push(item?);
            if batch.len() == BATCH
                && !send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
            {
                return Ok(());
            }
        }
        send(batch);
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

#[cfg(test)]
mod tests {
    use super::Store;
    use crate::records::{DeleteSubjectValue, Record, RecordKey, SchemaValue};

    fn schema(subject: &str, version: i32) -> Record {
        let value = SchemaValue {
            subject: subject.to_owned(),
            version,
            id: version,
            md5: None,
            schema_type: None,
            references: Vec::new(),
            metadata: None,
            rule_set: None,
            schema: format!("{{\"type\":\"fixed\",\"name\":\"F\",\"size\":{version}}}"),
            deleted: false,
        };
        Record::Schema(subject.to_owned(), version, Some(value))
    }

    /// Many batches, decoded on either thread: every record arrives once,
    /// in key order, and the delete markers (whose keys sort first here)
    /// after every version.
    #[test]
    fn replay_delivers_every_record_once_with_markers_last() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut written = Vec::new();
        for subject in ["a", "b"] {
            written.push(Record::DeleteSubject(
                subject.to_owned(),
                Some(DeleteSubjectValue {
                    subject: subject.to_owned(),
                    version: 3,
                }),
            ));
        }
        for n in 0..5_000 {
            written.push(schema(&format!("s{n:05}"), 1 + n % 7));
        }
        store.write(&written).unwrap();

        let mut replayed = Vec::new();
        store
            .replay(|record| record, |record| replayed.push(record))
            .unwrap();
        assert_eq!(replayed.len(), written.len());
        let (versions, markers) = replayed.split_at(replayed.len() - 2);
        assert!(markers
            .iter()
            .all(|r| matches!(r, Record::DeleteSubject(..))));
        assert!(!versions
            .iter()
            .any(|r| matches!(r, Record::DeleteSubject(..))));
        let mut expected: Vec<_> = written[2..].to_vec();
        expected.sort_by_key(|r| serde_json::to_vec(&r.key()).unwrap());
        assert_eq!(versions, expected.as_slice());
    }

    /// A value that does not decode stops the replay with an error naming
    /// it, wherever it lies: before many batches still to read (the
    /// reading and decoding threads must stop, not wait for the caller
    /// forever) or after them.
    #[test]
    fn replay_stops_at_a_corrupt_value() {
        for corrupt in ["s00000", "s19999"] {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            let written: Vec<_> = (0..20_000)
                .map(|n| schema(&format!("s{n:05}"), 1))
                .collect();
            store.write(&written).unwrap();
            let key = serde_json::to_vec(&RecordKey::schema(corrupt, 1)).unwrap();
            store
                .db
                .put_cf(store.records_cf(), key, b"{not json")
                .unwrap();

            let mut applied = 0;
            let outcome = store.replay(|record| record, |_| applied += 1);
            let error = outcome.expect_err(corrupt).0;
            assert!(error.starts_with("corrupt record value"), "{error}");
            assert!(applied < written.len(), "{corrupt}: {applied}");
        }
    }
}
