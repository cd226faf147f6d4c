//! The `usage` column family: opaque keys and values that the usage
//! recorder writes in the background. Its writes are not synced:
//! a crash may lose the last of them, which costs figures, never records.

use rocksdb::{IteratorMode, WriteBatch, WriteOptions};

use super::{Store, StoreError, USAGE};

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

    /// Hands every usage entry written to `each`.
    pub fn each_usage_entry(&self, mut each: impl FnMut(&[u8], &[u8])) -> Result<(), StoreError> {
        for item in self.db.iterator_cf(self.cf(USAGE), IteratorMode::Start) {
            let (key, value) = item?;
            each(&key, &value);
        }
        Ok(())
    }
}
