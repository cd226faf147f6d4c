//! Who reads which schema (issue 18): every fetch, lookup and
//! registration is tallied per schema id and per subject-version, in
//! memory on the request path, and written to the store's `usage` column
//! family in the background ([`Usage::flush`]), never as records. A crash
//! loses at most what was seen since the last flush. The stored figures are
//! loaded beside serving ([`Usage::open`]). In a cluster each node keeps
//! what it saw itself.

mod figures;
pub mod report;

use std::collections::{hash_map, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::store::{Store, StoreError};
pub use figures::{Caller, Client, Event, Figures, Tally};
pub use report::{RecentUse, Unused, VersionUsage};

/// What figures are kept for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UsageKey {
    /// A schema id in its context (`.` for the default one).
    Id { context: String, id: i32 },
    /// A subject-version, the subject qualified as the registry stores it.
    Version { subject: String, version: i32 },
}

/// Independent locks: requests for different keys rarely wait for each
/// other, and a flush holds one shard at a time.
const SHARDS: usize = 32;

struct Entry {
    figures: Figures,
    /// Changed since the last flush.
    dirty: bool,
}

type Shard = Mutex<HashMap<UsageKey, Entry>>;

/// The settings of `treaty serve` that shape what usage does.
#[derive(Clone, Copy, Debug)]
pub struct UsageSettings {
    /// Off, nothing new is recorded; what was recorded still answers.
    pub recording: bool,
    /// Deletes of what was seen this recently need `force=true`.
    pub delete_guard: Option<Duration>,
    /// What `/metrics` counts as unused: not seen for this long.
    pub unused_after: Duration,
}

pub struct Usage {
    settings: UsageSettings,
    shards: Box<[Shard]>,
    hasher: RandomState,
    /// Held while a flush takes and writes the dirty entries, so the one at
    /// shutdown waits for a background flush under way.
    flushing: Mutex<()>,
    flushes: AtomicU64,
    /// Whether the stored figures are in memory. Until they are, nothing
    /// is flushed (that would overwrite stored figures with partial ones)
    /// and the answers that read figures wait ([`Usage::loaded`]).
    loaded: watch::Sender<bool>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// Now, in milliseconds since the epoch.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as u64)
}

impl Usage {
    /// Usage with nothing stored.
    pub fn new(settings: UsageSettings) -> Self {
        Self::loading(settings, true)
    }

    fn loading(settings: UsageSettings, loaded: bool) -> Self {
        Self {
            settings,
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            hasher: RandomState::new(),
            flushing: Mutex::new(()),
            flushes: AtomicU64::new(0),
            loaded: watch::Sender::new(loaded),
        }
    }

    /// Usage over what `store` holds, which a thread of its own loads:
    /// a million entries take seconds, which startup does not wait for.
    /// Uses recorded meanwhile are merged with the stored figures.
    pub fn open(store: Arc<Store>, settings: UsageSettings) -> Arc<Self> {
        let usage = Arc::new(Self::loading(settings, false));
        let loading = Arc::clone(&usage);
        std::thread::Builder::new()
            .name("usage-load".into())
            .spawn(move || {
                if let Err(error) = loading.load(&store) {
                    tracing::warn!(%error, "could not load the usage figures");
                }
                loading.loaded.send_replace(true);
            })
            .expect("a thread starts");
        usage
    }

    /// Waits until the stored figures are in memory.
    pub async fn loaded(&self) {
        let _ = self.loaded.subscribe().wait_for(|loaded| *loaded).await;
    }

    /// Adds the figures `store` holds; an entry that does not decode is
    /// skipped with a warning (figures, not schemas, are at stake).
    fn load(&self, store: &Store) -> Result<(), StoreError> {
        store.each_usage_entry(|key, value| {
            let decoded = serde_json::from_slice::<UsageKey>(key)
                .and_then(|key| Ok((key, serde_json::from_slice::<Figures>(value)?)));
            let (key, figures) = match decoded {
                Ok(decoded) => decoded,
                Err(error) => {
                    tracing::warn!(%error, "skipped a usage entry that does not decode");
                    return;
                }
            };
            match lock(self.shard(&key)).entry(key) {
                hash_map::Entry::Occupied(mut recorded) => {
                    recorded.get_mut().figures.merge(figures)
                }
                hash_map::Entry::Vacant(absent) => {
                    absent.insert(Entry {
                        figures,
                        dirty: false,
                    });
                }
            }
        })
    }

    pub fn settings(&self) -> &UsageSettings {
        &self.settings
    }

    pub fn is_recording(&self) -> bool {
        self.settings.recording
    }

    fn shard(&self, key: &UsageKey) -> &Shard {
        &self.shards[self.hasher.hash_one(key) as usize % SHARDS]
    }

    /// One request of `caller` that used `key`.
    pub fn record(&self, key: UsageKey, event: Event, caller: &Caller) {
        if !self.settings.recording {
            return;
        }
        let now = now_millis();
        let mut shard = lock(self.shard(&key));
        let entry = shard.entry(key).or_insert_with(|| Entry {
            figures: Figures::default(),
            dirty: true,
        });
        entry.figures.seen(event, caller, now);
        entry.dirty = true;
    }

    pub fn figures(&self, key: &UsageKey) -> Option<Figures> {
        lock(self.shard(key)).get(key).map(|e| e.figures.clone())
    }

    pub fn last_seen(&self, key: &UsageKey) -> Option<u64> {
        lock(self.shard(key))
            .get(key)
            .and_then(|e| e.figures.last_seen())
    }

    /// Writes every entry changed since the last flush (unsynced: see
    /// [`Store::write_usage`]) and answers how many; none while the stored
    /// figures are still loading. Entries a failed write
    /// did not save stay changed, for the next flush.
    pub fn flush(&self, store: &Store) -> Result<usize, StoreError> {
        if !*self.loaded.borrow() {
            return Ok(0);
        }
        let _flushing = lock(&self.flushing);
        let mut changed = Vec::new();
        for shard in self.shards.iter() {
            for (key, entry) in lock(shard).iter_mut().filter(|(_, e)| e.dirty) {
                entry.dirty = false;
                changed.push((key.clone(), entry.figures.clone()));
            }
        }
        let count = changed.len();
        if count > 0 {
            let encoded = changed.iter().map(|(key, figures)| {
                let key = serde_json::to_vec(key).expect("usage keys serialise");
                let value = serde_json::to_vec(figures).expect("figures serialise");
                (key, value)
            });
            if let Err(error) = store.write_usage(encoded) {
                for (key, _) in changed {
                    if let Some(entry) = lock(self.shard(&key)).get_mut(&key) {
                        entry.dirty = true;
                    }
                }
                return Err(error);
            }
        }
        self.flushes.fetch_add(1, Ordering::Relaxed);
        Ok(count)
    }

    /// Flushes completed since the start.
    pub fn flushes(&self) -> u64 {
        self.flushes.load(Ordering::Relaxed)
    }

    /// Flushes to `store` every `interval` (10 ms at least) on a thread of
    /// its own, for as long as the process runs.
    pub fn flush_every(self: &Arc<Self>, store: Arc<Store>, interval: Duration) {
        let interval = interval.max(Duration::from_millis(10));
        let usage = Arc::clone(self);
        std::thread::Builder::new()
            .name("usage-flush".into())
            .spawn(move || loop {
                std::thread::sleep(interval);
                if let Err(error) = usage.flush(&store) {
                    tracing::warn!(%error, "could not write usage figures");
                }
            })
            .expect("a thread starts");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> UsageSettings {
        UsageSettings {
            recording: true,
            delete_guard: None,
            unused_after: Duration::from_secs(60),
        }
    }

    fn id(id: i32) -> UsageKey {
        UsageKey::Id {
            context: ".".into(),
            id,
        }
    }

    #[test]
    fn flushed_figures_load_again_and_only_changes_are_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store");
        let usage = Usage::new(settings());
        let caller = Caller {
            client: Some("java/7.9"),
            principal: Some("alice"),
        };
        usage.record(id(1), Event::Fetched, &caller);
        usage.record(id(1), Event::Fetched, &caller);
        assert_eq!(usage.flush(&store).expect("flush"), 1);
        assert_eq!(usage.flush(&store).expect("flush"), 0, "nothing changed");

        let loaded = Usage::loading(settings(), false);
        loaded.record(id(1), Event::Fetched, &caller);
        assert_eq!(loaded.flush(&store).expect("flush"), 0, "not while loading");
        loaded.load(&store).expect("load");
        let fetched = loaded.figures(&id(1)).and_then(|f| f.fetched);
        assert_eq!(
            fetched.map(|t| t.count),
            Some(3),
            "the two stored and the one recorded while loading"
        );
        let clients = loaded.figures(&id(1)).map(|f| f.clients.len());
        assert_eq!(clients, Some(1), "one caller, known to both");
    }

    #[test]
    fn nothing_is_recorded_when_recording_is_off() {
        let usage = Usage::new(UsageSettings {
            recording: false,
            ..settings()
        });
        usage.record(id(1), Event::Fetched, &Caller::default());
        assert_eq!(usage.figures(&id(1)), None);
    }
}
