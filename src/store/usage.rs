//! The `usage` column family: opaque keys and values that the usage
//! recorder writes in the background. Its writes are not synced:
//! a crash may lose the last of them, which costs figures, never records.

use rocksdb::{IteratorMode, WriteBatch, WriteOptions};

use super::{Store, StoreError, USAGE};

/// A stored key and its value.
pub type UsageEntry = (Box<[u8]>, Box<[u8]>);

impl Store {
    /// Writes `entries` as one batch, without waiting for the disk.
    pub fn write_usage(
        &self,
        entries: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        let family = self.cf(USAGE);
        let mut batch = WriteBatch::default();
        for (key, value) in entries {
            batch.put_cf(family, key, value);
        }
        let mut options = WriteOptions::default();
        options.set_sync(false);
        self.db.write_opt(batch, &options)?;
        Ok(())
    }

    /// Every usage entry written.
    pub fn usage_entries(&self) -> Result<Vec<UsageEntry>, StoreError> {
        self.db
            .iterator_cf(self.cf(USAGE), IteratorMode::Start)
            .map(|item| item.map_err(StoreError::from))
            .collect()
    }
}
