//! The audit trail's column family, `audit`: entries as opaque bytes under
//! 8-byte big-endian keys that the caller makes increase with time
//! (microseconds since the epoch), so a scan from a key is a scan from a
//! time and the oldest entries are one range to delete. Apart from the
//! records: they are never replayed, nor written to a topic.

use rocksdb::{IteratorMode, WriteOptions};

use super::{Store, StoreError, AUDIT};

/// A stored entry's key.
pub type AuditKey = u64;

impl Store {
    /// Adds one entry. Not synced: an entry survives a crash of the
    /// process, and may be lost with the machine's, never taking records
    /// with it.
    pub fn put_audit(&self, key: AuditKey, entry: &[u8]) -> Result<(), StoreError> {
        let mut options = WriteOptions::default();
        options.set_sync(false);
        self.db
            .put_cf_opt(self.cf(AUDIT), key.to_be_bytes(), entry, &options)?;
        Ok(())
    }

    /// The newest entry's key, if there is one.
    pub fn last_audit_key(&self) -> Result<Option<AuditKey>, StoreError> {
        let mut newest = self.db.iterator_cf(self.cf(AUDIT), IteratorMode::End);
        newest
            .next()
            .transpose()?
            .map(|(key, _)| decode(&key))
            .transpose()
    }

    /// Hands `visit` every entry from `from` on, oldest first, while it
    /// answers true.
    pub fn scan_audit(
        &self,
        from: AuditKey,
        mut visit: impl FnMut(AuditKey, &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        let start = from.to_be_bytes();
        let mode = IteratorMode::From(&start, rocksdb::Direction::Forward);
        for item in self.db.iterator_cf(self.cf(AUDIT), mode) {
            let (key, value) = item?;
            if !visit(decode(&key)?, &value) {
                break;
            }
        }
        Ok(())
    }

    /// Deletes the entries keyed before `before`, and the oldest beyond the
    /// newest `keep`.
    pub fn trim_audit(&self, before: AuditKey, keep: usize) -> Result<(), StoreError> {
        let family = self.cf(AUDIT);
        let mut newest_first = self.db.iterator_cf(family, IteratorMode::End);
        let oldest_kept_by_count = match newest_first.nth(keep).transpose()? {
            Some((key, _)) => decode(&key)?.saturating_add(1),
            None => 0,
        };
        let cut = before.max(oldest_kept_by_count);
        if cut > 0 {
            self.db
                .delete_range_cf(family, 0u64.to_be_bytes(), cut.to_be_bytes())?;
        }
        Ok(())
    }
}

fn decode(key: &[u8]) -> Result<AuditKey, StoreError> {
    let bytes: [u8; 8] = key
        .try_into()
        .map_err(|_| StoreError("corrupt audit key".into()))?;
    Ok(AuditKey::from_be_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(store: &Store) -> Vec<AuditKey> {
        let mut keys = Vec::new();
        store
            .scan_audit(0, |key, _| {
                keys.push(key);
                true
            })
            .unwrap();
        keys
    }

    fn store_with(keys: &[AuditKey]) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for key in keys {
            store.put_audit(*key, b"{}").unwrap();
        }
        (dir, store)
    }

    #[test]
    fn trimming_by_age_drops_the_entries_before_the_cut() {
        let (_dir, store) = store_with(&[10, 20, 30, 40]);
        store.trim_audit(25, usize::MAX).unwrap();
        assert_eq!(keys(&store), vec![30, 40]);
    }

    #[test]
    fn trimming_by_count_keeps_the_newest() {
        let (_dir, store) = store_with(&[10, 20, 30, 40]);
        store.trim_audit(0, 3).unwrap();
        assert_eq!(keys(&store), vec![20, 30, 40]);
        store.trim_audit(0, 0).unwrap();
        assert_eq!(keys(&store), Vec::<AuditKey>::new());
        assert_eq!(store.last_audit_key().unwrap(), None);
    }

    #[test]
    fn a_scan_starts_at_its_key_and_stops_when_told() {
        let (_dir, store) = store_with(&[10, 20, 30, 40]);
        let mut seen = Vec::new();
        store
            .scan_audit(15, |key, _| {
                seen.push(key);
                seen.len() < 2
            })
            .unwrap();
        assert_eq!(seen, vec![20, 30]);
        assert_eq!(store.last_audit_key().unwrap(), Some(40));
    }
}
