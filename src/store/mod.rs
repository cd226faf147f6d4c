//! Durable storage in RocksDB: the registry's records as a compacted
//! `_schemas` topic would hold them, the latest value of every key at the
//! position (log offset) it was last written at, replayed in that order.
//!
//! Column families: `log` maps a position to the record written there
//! (its key and value, [`frame`]); `keys` maps each record key to its
//! position, so that rewriting a key drops its older entry and a tombstone
//! drops the key; `meta` holds the last position written. Each write is one
//! atomic batch. `key_forms` remembers the other byte forms a key was
//! found in on a Kafka topic ([`key_forms`]). `usage` holds who read what
//! ([`usage`]), apart from the records: never replayed, never exported.
//! `audit` holds the audit trail, apart from the records ([`audit`]).

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use rocksdb::statistics::{StatsLevel, Ticker};
use rocksdb::{ColumnFamily, Options, WriteBatch, WriteOptions, DB};

use crate::records::{Record, RecordKey};
pub use audit::AuditKey;
pub use key_forms::FoundKey;
use replay::RawRecord;

mod audit;
mod frame;
mod key_forms;
mod migrate;
mod replay;
mod usage;

/// Where a record stands in the log: a Kafka offset in a cluster, a
/// counter of treaty's own on one node.
pub type Position = u64;

const LOG: &str = "log";
const KEYS: &str = "keys";
const META: &str = "meta";
const KEY_FORMS: &str = "key_forms";
const USAGE: &str = "usage";
const AUDIT: &str = "audit";
const LAST_POSITION: &[u8] = b"last_position";

pub struct Store {
    db: DB,
    /// The options the store was opened with, which hold RocksDB's
    /// statistics when it keeps them.
    options: Options,
}

/// How big the store is and whether RocksDB is holding writes back.
pub struct StoreFigures {
    /// The table files on disk.
    pub table_bytes: u64,
    /// Written but not yet in a table file.
    pub memtable_bytes: u64,
    /// RocksDB stops writes while compaction is too far behind.
    pub writes_stopped: bool,
    /// The rate writes are slowed to, in bytes a second; 0 when not slowed.
    pub delayed_write_rate: u64,
    /// Time writes have spent slowed or stopped since the store was opened.
    pub stalled: Duration,
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
    /// Opens (or creates) the store in `dir`; a data dir written by an
    /// earlier treaty, which kept records in key order, is moved into log
    /// order first ([`migrate`]).
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError(format!("cannot create data dir {}: {e}", dir.display())))?;
        let mut options = Options::default();
        options.create_if_missing(true);
        options.create_missing_column_families(true);
        // RocksDB's counters, the time writes stalled among them; not its
        // timers, which would time every read and write.
        options.enable_statistics();
        options.set_statistics_level(StatsLevel::ExceptHistogramOrTimers);
        let mut families = vec![LOG, KEYS, META, KEY_FORMS, USAGE, AUDIT];
        let existing = DB::list_cf(&options, dir).unwrap_or_default();
        let legacy = existing.iter().any(|cf| cf == migrate::LEGACY);
        if legacy {
            families.push(migrate::LEGACY);
        }
        let db = DB::open_cf(&options, dir, families)?;
        let mut store = Self { db, options };
        if legacy {
            migrate::into_log_order(&mut store)?;
        }
        Ok(store)
    }

    /// Opens the store in `dir` to read it as it is now, beside a server
    /// that may have it open: nothing is written and no lock is taken.
    /// Every table file is opened at once, so files the server compacts
    /// away meanwhile are still read.
    pub fn open_read_only(dir: &Path) -> Result<Self, StoreError> {
        let mut options = Options::default();
        options.set_max_open_files(-1);
        let existing = DB::list_cf(&options, dir)?;
        if existing.iter().any(|cf| cf == migrate::LEGACY) {
            return Err(StoreError(
                "this data dir was written by an older treaty: run `treaty serve` on it once"
                    .into(),
            ));
        }
        let db = DB::open_cf_for_read_only(&options, dir, [LOG, KEYS, META], false)?;
        Ok(Self { db, options })
    }

    /// The position of the last record written, if any was.
    pub fn last_position(&self) -> Result<Option<Position>, StoreError> {
        let stored = self.db.get_cf(self.cf(META), LAST_POSITION)?;
        stored
            .map(|bytes| {
                let bytes: [u8; 8] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| StoreError("corrupt last position".into()))?;
                Ok(Position::from_be_bytes(bytes))
            })
            .transpose()
    }

    /// Hands every stored record, made ready by `prepare`, to `apply`, in
    /// log order (see [`replay`]).
    pub fn replay<T: Send>(
        &self,
        prepare: impl Fn(Record) -> T + Sync,
        apply: impl FnMut(T),
    ) -> Result<(), StoreError> {
        replay::run(|send| self.read_log(send), prepare, apply)
    }

    /// Reads every entry of the log, in batches handed to `send` (which
    /// answers whether to go on).
    fn read_log(&self, send: &mut dyn FnMut(Vec<RawRecord>) -> bool) -> Result<(), StoreError> {
        const BATCH: usize = 1024;
        let mut batch = Vec::with_capacity(BATCH);
        // One sequential pass: read ahead, and keep the block cache for
        // what is read later.
        let mut scan = rocksdb::ReadOptions::default();
        scan.set_readahead_size(4 << 20);
        scan.fill_cache(false);
        for item in self
            .db
            .iterator_cf_opt(self.cf(LOG), scan, rocksdb::IteratorMode::Start)
        {
            batch.push(item?.1);
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
        for family in [LOG, KEYS, META, KEY_FORMS, USAGE, AUDIT] {
            self.db.flush_cf(self.cf(family))?;
        }
        Ok(())
    }

    /// Persists `records` atomically, each at its position (ascending, and
    /// after every position written before); with `sync`, returns once the
    /// WAL is synced.
    pub fn write<'r>(
        &self,
        records: impl IntoIterator<Item = (Position, &'r Record)>,
        sync: bool,
    ) -> Result<(), StoreError> {
        let (log, keys) = (self.cf(LOG), self.cf(KEYS));
        let mut batch = WriteBatch::default();
        // Keys written earlier in this batch, which the database does not
        // show yet.
        let mut written: HashMap<Vec<u8>, Option<Position>> = HashMap::new();
        let mut last = None;
        for (position, record) in records {
            let key = serde_json::to_vec(&record.key()).expect("keys serialise to JSON");
            let previous = match written.get(&key) {
                Some(previous) => *previous,
                None => self.position_of(&key)?,
            };
            if let Some(previous) = previous {
                batch.delete_cf(log, previous.to_be_bytes());
            }
            match record.value_json() {
                Some(value) => {
                    batch.put_cf(log, position.to_be_bytes(), frame::encode(&key, &value));
                    batch.put_cf(keys, &key, position.to_be_bytes());
                    written.insert(key, Some(position));
                }
                None => {
                    batch.delete_cf(keys, &key);
                    written.insert(key, None);
                }
            }
            last = Some(position);
        }
        let Some(last) = last else {
            return Ok(());
        };
        batch.put_cf(self.cf(META), LAST_POSITION, last.to_be_bytes());
        let mut options = WriteOptions::default();
        options.set_sync(sync);
        self.db.write_opt(batch, &options)?;
        Ok(())
    }

    /// Where `key` was last written, unless it is gone.
    fn position_of(&self, key: &[u8]) -> Result<Option<Position>, StoreError> {
        let Some(bytes) = self.db.get_pinned_cf(self.cf(KEYS), key)? else {
            return Ok(None);
        };
        let bytes: [u8; 8] = bytes
            .as_ref()
            .try_into()
            .map_err(|_| StoreError("corrupt key position".into()))?;
        Ok(Some(Position::from_be_bytes(bytes)))
    }

    /// RocksDB's own figures, for `GET /metrics`; a property RocksDB does
    /// not answer counts as 0.
    pub fn figures(&self) -> StoreFigures {
        let int = |name: &str| self.db.property_int_value(name).ok().flatten().unwrap_or(0);
        let per_family = |name: &str| -> u64 {
            [LOG, KEYS, META]
                .iter()
                .filter_map(|cf| {
                    self.db
                        .property_int_value_cf(self.cf(cf), name)
                        .ok()
                        .flatten()
                })
                .sum()
        };
        StoreFigures {
            table_bytes: per_family("rocksdb.total-sst-files-size"),
            memtable_bytes: per_family("rocksdb.cur-size-all-mem-tables"),
            writes_stopped: int("rocksdb.is-write-stopped") != 0,
            delayed_write_rate: int("rocksdb.actual-delayed-write-rate"),
            stalled: Duration::from_micros(self.options.get_ticker_count(Ticker::StallMicros)),
        }
    }

    fn cf(&self, name: &str) -> &ColumnFamily {
        self.db
            .cf_handle(name)
            .expect("column families are created at open")
    }
}

/// A stored record key and value made a record again.
fn decode_record(key: &[u8], value: &[u8]) -> Result<Record, StoreError> {
    let key: RecordKey =
        serde_json::from_slice(key).map_err(|e| StoreError(format!("corrupt record key: {e}")))?;
    Record::decode(key, Some(value)).map_err(|e| StoreError(format!("corrupt record value: {e}")))
}

#[cfg(test)]
mod tests;
