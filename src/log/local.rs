//! The single-node log: records get the next positions of a counter and
//! are written to RocksDB in one synced batch.

use std::sync::{Arc, Mutex};

use super::{Log, LogError};
use crate::records::Record;
use crate::store::{Position, Store};

pub struct LocalLog {
    store: Arc<Store>,
    /// The last position written; appends take the lock in turn.
    last: Mutex<Position>,
}

impl LocalLog {
    pub fn new(store: Arc<Store>) -> Result<Self, LogError> {
        let last = store.last_position()?.unwrap_or(0);
        Ok(Self {
            store,
            last: Mutex::new(last),
        })
    }
}

impl Log for LocalLog {
    fn append(&self, records: &[Record]) -> Result<Position, LogError> {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let first = *last + 1;
        self.store.write((first..).zip(records), true)?;
        *last += records.len() as Position;
        Ok(*last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::ModeValue;

    fn mode(name: &str) -> Record {
        let value = ModeValue {
            mode: name.to_owned(),
        };
        Record::Mode(None, Some(value))
    }

    #[test]
    fn positions_continue_after_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let log = LocalLog::new(Arc::clone(&store)).unwrap();
        assert_eq!(log.append(&[mode("IMPORT"), mode("READONLY")]).unwrap(), 2);
        drop((log, store));

        let store = Arc::new(Store::open(dir.path()).unwrap());
        let log = LocalLog::new(Arc::clone(&store)).unwrap();
        assert_eq!(log.append(&[mode("READWRITE")]).unwrap(), 3);
        let mut replayed = Vec::new();
        store.replay(|r| r, |r| replayed.push(r)).unwrap();
        assert_eq!(replayed, vec![mode("READWRITE")], "one key, its last value");
    }
}
