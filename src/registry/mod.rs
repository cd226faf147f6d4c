//! The registry's domain: registration, lookups, deletes, configs and modes.
//!
//! Reads run against the published [`State`]. Writes are planned one at a
//! time against a staged copy (so each plan sees the writes before it), then
//! committed in groups: whoever holds the commit lock persists every queued
//! plan's records in one synced RocksDB batch and only then applies them to
//! the published state. So ids and versions are never handed out twice,
//! nothing is visible before it is durable, and concurrent writers share
//! one fsync.

mod compatibility;
mod content;
mod delete;
mod error;
mod queries;
pub use crate::records;
mod references;
mod register;
mod settings;
mod state;
mod subject;
mod versions;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tokio::sync::oneshot;
use treaty_compat::ParsedSchema;

use crate::store::Store;

pub use compatibility::CompatibilityTarget;
pub use content::{sorted_metadata, SchemaContent};
pub use error::{RegistryError, Result};
pub use queries::{SubjectFilter, VersionSpec, VersionView, ALL_CONTEXTS};
pub use records::Reference;
pub use register::{RegisterOutcome, RequestReference, SchemaRequest};
pub use settings::{Mode, PROTOBUF_WIRE_RULES};
use state::Prepared;
pub use state::State;
pub use subject::{QualifiedSubject, DEFAULT_CONTEXT};

use records::Record;

/// One planned write waiting to be made durable.
struct PendingCommit {
    records: Vec<Record>,
    done: oneshot::Sender<Result<()>>,
}

pub struct Registry {
    published: RwLock<State>,
    /// The state with every planned write applied, durable or not yet.
    /// Copied from the published state after loading, off the startup path
    /// ([`Registry::stage`]), or by the first write if that comes first.
    staged: tokio::sync::Mutex<Option<State>>,
    /// Planned writes in plan order, waiting for a committer.
    queue: Mutex<Vec<PendingCommit>>,
    /// Held by the one request that is committing the queue.
    committer: tokio::sync::Mutex<()>,
    store: Arc<Store>,
    /// The bytes of `GET /subjects` and the state generation they show.
    all_subjects_answer: Mutex<Option<(u64, bytes::Bytes)>>,
    /// Parsed schemas by (context, id): an id never changes meaning, so a
    /// parse is reused by every later compatibility check.
    parsed: Mutex<HashMap<(String, i32), Arc<ParsedSchema>>>,
    /// Confluent's `avro.validate.defaults`: new Avro schemas with a default
    /// that does not fit its field are refused (with `normalize` they always are).
    avro_validate_defaults: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Registry {
    /// Loads the state from `store`.
    pub fn open(store: Store) -> Result<Self> {
        let mut state = State::default();
        store
            .replay(Prepared::from, |prepared| state.apply_prepared(prepared))
            .map_err(|e| RegistryError::Store(e.0))?;
        Ok(Self {
            staged: tokio::sync::Mutex::new(None),
            published: RwLock::new(state),
            queue: Mutex::new(Vec::new()),
            committer: tokio::sync::Mutex::new(()),
            store: Arc::new(store),
            all_subjects_answer: Mutex::new(None),
            parsed: Mutex::new(HashMap::new()),
            avro_validate_defaults: false,
        })
    }

    /// Refuse new Avro schemas whose defaults do not fit their fields.
    pub fn validating_avro_defaults(mut self, on: bool) -> Self {
        self.avro_validate_defaults = on;
        self
    }

    /// Makes the staged copy writes are planned against, if no write has
    /// made it yet. Blocking: for a thread of its own after startup. The
    /// copy is the one published from then on, and the state as loaded
    /// becomes the staged one: the two are equal, but the copy's memory was
    /// allocated after loading, where reads are faster (huge pages, see
    /// `serve.rs`).
    pub fn stage(&self) {
        let mut staged = self.staged.blocking_lock();
        if staged.is_none() {
            let copy = self.state().clone();
            // No write can publish meanwhile: writes wait for `staged`.
            let loaded = std::mem::replace(&mut *self.publish(), copy);
            *staged = Some(loaded.planning_writes());
        }
    }

    /// At a graceful stop: leaves the store quick to open again.
    pub fn flush(&self) -> Result<()> {
        self.store.flush().map_err(|e| RegistryError::Store(e.0))
    }

    /// A copy of the published state to plan writes against.
    fn staged_copy(&self) -> State {
        self.state().clone().planning_writes()
    }

    fn publish(&self) -> RwLockWriteGuard<'_, State> {
        self.published
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn state(&self) -> RwLockReadGuard<'_, State> {
        self.published
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs one write: `plan` decides from the staged state which records
    /// to write and what to answer; the answer is given once the records are
    /// durable and published.
    async fn write<T>(&self, plan: impl FnOnce(&State) -> Result<(Vec<Record>, T)>) -> Result<T> {
        let (answer, mut done) = {
            let mut staged = self.staged.lock().await;
            let staged = staged.get_or_insert_with(|| self.staged_copy());
            let (records, answer) = plan(staged)?;
            if records.is_empty() {
                return Ok(answer);
            }
            for record in &records {
                staged.apply(record.clone());
            }
            let (sender, receiver) = oneshot::channel();
            lock(&self.queue).push(PendingCommit {
                records,
                done: sender,
            });
            (answer, receiver)
        };
        loop {
            tokio::select! {
                biased;
                outcome = &mut done => {
                    return outcome
                        .unwrap_or_else(|_| Err(RegistryError::Store("commit abandoned".into())))
                        .map(|()| answer);
                }
                _committer = self.committer.lock() => {
                    self.commit_queue().await;
                }
            }
        }
    }

    /// Persists every queued write in one synced batch, then publishes them.
    /// If the batch cannot be persisted, it and everything planned on top of
    /// it fail, and the staged state goes back to what is durable.
    async fn commit_queue(&self) {
        let batch = std::mem::take(&mut *lock(&self.queue));
        if batch.is_empty() {
            return;
        }
        let records: Vec<Record> = batch.iter().flat_map(|c| c.records.clone()).collect();
        let store = Arc::clone(&self.store);
        let persisted =
            tokio::task::spawn_blocking(move || store.write(&records).map(|()| records))
                .await
                .unwrap_or_else(|e| Err(crate::store::StoreError(e.to_string())));
        match persisted {
            Ok(records) => {
                let mut published = self.publish();
                for record in records {
                    published.apply(record);
                }
                drop(published);
                for commit in batch {
                    let _ = commit.done.send(Ok(()));
                }
            }
            Err(error) => {
                tracing::error!(error = %error, "write failed; nothing was applied");
                let mut staged = self.staged.lock().await;
                let planned_on_top = std::mem::take(&mut *lock(&self.queue));
                for commit in batch.into_iter().chain(planned_on_top) {
                    let _ = commit.done.send(Err(RegistryError::Store(error.0.clone())));
                }
                *staged = Some(self.staged_copy());
            }
        }
    }
}
