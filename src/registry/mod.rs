//! The registry's domain: registration, lookups, deletes, configs and modes.
//!
//! Reads run against the published [`State`]. Writes are planned one at a
//! time against a staged copy (so each plan sees the writes before it), then
//! committed in groups: whoever holds the commit lock appends every queued
//! plan's records to the [`Log`] at once and only then applies them to the
//! published state. So ids and versions are never handed out twice,
//! nothing is visible before it is durable, and concurrent writers share
//! one append.

mod allocate;
mod compare;
mod compatibility;
mod content;
mod delete;
mod delete_preview;
mod effects;
mod error;
mod lookup;
mod overview;
mod parse;
mod queries;
mod references;
mod register;
mod settings;
mod state;
mod subject;
#[cfg(test)]
mod tests;
mod versions;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tokio::sync::oneshot;
use treaty_compat::ParsedSchema;

use crate::log::Log;
use crate::store::{Position, Store, StoreError};

pub use crate::records::Reference;
pub use compare::{Change, Comparison};
pub use compatibility::CompatibilityTarget;
pub use content::{sorted_metadata, SchemaContent};
pub use delete::DeleteKind;
pub use delete_preview::{AffectedVersion, DeletePreview, Referrer, SubjectVersion};
pub use effects::Effect;
pub use error::{NotPermitted, RegistryError, Result, SchemaProblem};
pub use overview::{Deleted, SortKey, Source, SubjectPage, SubjectQuery, SubjectSummary};
use parse::RequestParse;
pub use queries::{
    ContextCensus, FoundById, SubjectFilter, VersionSpec, VersionView, ALL_CONTEXTS,
};
pub use references::qualify_reference_subject;
pub use register::{RegisterOutcome, RequestReference, SchemaRequest};
pub use settings::{Mode, PROTOBUF_WIRE_RULES};
use state::ReadyRecord;
pub use state::State;
pub use subject::{QualifiedSubject, DEFAULT_CONTEXT};

use crate::records::Record;

/// One planned write waiting to be made durable: its records, and the
/// same made ready to publish.
struct PendingCommit {
    records: Vec<Record>,
    ready: Vec<ReadyRecord>,
    done: oneshot::Sender<Result<()>>,
}

/// What [`Registry::observing_changes`] calls.
type EffectObserver = Box<dyn Fn(&[Effect]) + Send + Sync>;

pub struct Registry {
    published: RwLock<State>,
    /// The state with every planned write applied, durable or not yet.
    /// Copied from the published state after loading, off the startup path
    /// ([`Registry::stage`]), or by the first write if that comes first.
    staged: tokio::sync::Mutex<Option<State>>,
    /// Set once `staged` exists: writes no longer wait for the copy.
    writable: AtomicBool,
    /// Set by a failed append, cleared by the next one that succeeds.
    log_failing: AtomicBool,
    /// Whether any config of the published state names an alias: every
    /// request asks, and an atomic spares it the state's lock.
    aliased: AtomicBool,
    /// Planned writes in plan order, waiting for a committer.
    queue: Mutex<Vec<PendingCommit>>,
    /// Held by the one request that is committing the queue.
    committer: tokio::sync::Mutex<()>,
    log: Arc<dyn Log>,
    /// The position of the last record applied to the published state:
    /// records read back from the log up to it are already applied.
    applied: Mutex<Option<Position>>,
    /// Parsed schemas by (context, id): an id never changes meaning, so a
    /// parse is reused by every later compatibility check.
    parsed: Mutex<HashMap<(String, i32), Arc<ParsedSchema>>>,
    /// How many request schemas were parsed: a request parses its schema
    /// at most once.
    request_parses: AtomicU64,
    /// Confluent's `avro.validate.defaults`: new Avro schemas with a default
    /// that does not fit its field are refused (with `normalize` they always are).
    avro_validate_defaults: bool,
    /// Told the number of writes each group commit made durable.
    on_commit: Option<Box<dyn Fn(usize) + Send + Sync>>,
    /// Told what each write changed once it is durable, in the task that
    /// asked for the write.
    on_change: Option<EffectObserver>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Registry {
    /// Loads the state from `store`; writes go to `log`.
    pub fn open(store: &Store, log: Arc<dyn Log>) -> Result<Self> {
        let mut state = State::default();
        let applied = store
            .last_position()
            .map_err(|e| RegistryError::Store(e.0))?;
        store
            .replay(ReadyRecord::from, |ready| state.apply_ready(ready))
            .map_err(|e| RegistryError::Store(e.0))?;
        Ok(Self {
            staged: tokio::sync::Mutex::new(None),
            writable: AtomicBool::new(false),
            log_failing: AtomicBool::new(false),
            aliased: AtomicBool::new(state.has_aliases()),
            published: RwLock::new(state),
            queue: Mutex::new(Vec::new()),
            committer: tokio::sync::Mutex::new(()),
            log,
            applied: Mutex::new(applied),
            parsed: Mutex::new(HashMap::new()),
            request_parses: AtomicU64::new(0),
            avro_validate_defaults: false,
            on_commit: None,
            on_change: None,
        })
    }

    /// Refuse new Avro schemas whose defaults do not fit their fields.
    pub fn validating_avro_defaults(mut self, on: bool) -> Self {
        self.avro_validate_defaults = on;
        self
    }

    /// Calls `observe` with the number of writes in each group commit.
    pub fn observing_commits(mut self, observe: impl Fn(usize) + Send + Sync + 'static) -> Self {
        self.on_commit = Some(Box::new(observe));
        self
    }

    /// Calls `observe` with what each write changed, once it is durable,
    /// in the task that made the write (writes read back from a cluster's
    /// log are other nodes' and not told).
    pub fn observing_changes(
        mut self,
        observe: impl Fn(&[Effect]) + Send + Sync + 'static,
    ) -> Self {
        self.on_change = Some(Box::new(observe));
        self
    }

    /// Whether the staged copy exists, so a write is planned at once
    /// instead of waiting for the copy to be made.
    pub fn is_writable(&self) -> bool {
        self.writable.load(Ordering::Relaxed)
    }

    /// Whether the log takes writes: true unless the last append failed
    /// and appending a NOOP (a record that changes nothing) fails too.
    pub async fn log_accepts_writes(&self) -> bool {
        if !self.log_failing.load(Ordering::Relaxed) {
            return true;
        }
        let log = Arc::clone(&self.log);
        let probed = tokio::task::spawn_blocking(move || log.append(&[Record::Noop])).await;
        let accepted = matches!(probed, Ok(Ok(_)));
        if accepted {
            self.log_failing.store(false, Ordering::Relaxed);
        }
        accepted
    }

    /// Makes the staged copy writes are planned against, if no write has
    /// made it yet. Blocking: for a thread of its own after startup. The
    /// copy is the one published from then on, and the state as loaded
    /// becomes the staged one: the two are equal, but the copy's memory was
    /// allocated after loading, where reads are faster (huge pages, see
    /// `serve.rs`), and both have their ids in full B-tree nodes.
    pub fn stage(&self) {
        let mut staged = self.staged.blocking_lock();
        if staged.is_none() {
            let copy = self.state().clone();
            // No write can publish meanwhile: writes wait for `staged`.
            let loaded = std::mem::replace(&mut *self.publish(), copy);
            *staged = Some(loaded.with_full_nodes().planning_writes());
        }
        self.writable.store(true, Ordering::Relaxed);
    }

    /// How many request schemas this registry has parsed.
    pub fn request_parses(&self) -> u64 {
        self.request_parses.load(Ordering::Relaxed)
    }

    /// A request's parse, made at most once.
    fn request_parse(&self) -> RequestParse<'_> {
        RequestParse::new(&self.request_parses)
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
        let (answer, changes, mut done) = {
            let mut staged = self.staged.lock().await;
            let staged = staged.get_or_insert_with(|| {
                let copy = self.staged_copy();
                self.writable.store(true, Ordering::Relaxed);
                copy
            });
            let (records, answer) = plan(staged)?;
            if records.is_empty() {
                return Ok(answer);
            }
            let changes = match &self.on_change {
                Some(_) => effects::describe(staged, &records),
                None => Vec::new(),
            };
            let ready: Vec<ReadyRecord> = records.iter().cloned().map(ReadyRecord::from).collect();
            for record in &ready {
                staged.apply_ready(record.clone());
            }
            let (sender, receiver) = oneshot::channel();
            lock(&self.queue).push(PendingCommit {
                records,
                ready,
                done: sender,
            });
            (answer, changes, receiver)
        };
        loop {
            tokio::select! {
                biased;
                outcome = &mut done => {
                    let outcome = outcome
                        .unwrap_or_else(|_| Err(RegistryError::Store("commit abandoned".into())));
                    if let (Ok(()), Some(observe)) = (&outcome, &self.on_change) {
                        observe(&changes);
                    }
                    return outcome.map(|()| answer);
                }
                _committer = self.committer.lock() => {
                    self.commit_queue().await;
                }
            }
        }
    }

    /// Appends every queued write to the log at once, then publishes them.
    /// If the append fails, it and everything planned on top of it fail,
    /// and the staged state goes back to what is durable.
    async fn commit_queue(&self) {
        let mut batch = std::mem::take(&mut *lock(&self.queue));
        if batch.is_empty() {
            return;
        }
        let records: Vec<Record> = batch
            .iter_mut()
            .flat_map(|c| std::mem::take(&mut c.records))
            .collect();
        if let Some(observe) = &self.on_commit {
            observe(batch.len());
        }
        let log = Arc::clone(&self.log);
        let appended = tokio::task::spawn_blocking(move || log.append(&records))
            .await
            .unwrap_or_else(|e| Err(crate::log::LogError::new(e.to_string())));
        match appended {
            Ok(last) => {
                self.log_failing.store(false, Ordering::Relaxed);
                let mut applied = lock(&self.applied);
                *applied = (*applied).max(Some(last));
                drop(applied);
                let mut published = self.publish();
                for commit in &mut batch {
                    for ready in std::mem::take(&mut commit.ready) {
                        published.apply_ready(ready);
                    }
                }
                self.aliased
                    .store(published.has_aliases(), Ordering::Release);
                drop(published);
                for commit in batch {
                    let _ = commit.done.send(Ok(()));
                }
            }
            Err(error) => {
                tracing::error!(error = %error, "write failed; nothing was applied");
                self.log_failing.store(true, Ordering::Relaxed);
                let mut staged = self.staged.lock().await;
                let planned_on_top = std::mem::take(&mut *lock(&self.queue));
                for commit in batch.into_iter().chain(planned_on_top) {
                    let failure = match error.outcome_unknown {
                        true => RegistryError::StoreOutcomeUnknown(error.message.clone()),
                        false => RegistryError::Store(error.message.clone()),
                    };
                    let _ = commit.done.send(Err(failure));
                }
                *staged = Some(self.staged_copy());
            }
        }
    }

    /// The position of the last record applied, if any was.
    pub fn applied(&self) -> Option<Position> {
        *lock(&self.applied)
    }

    /// Applies records read back from the log, in log order, skipping those
    /// at positions already applied (this node's own commits); `keep`
    /// persists the new ones first. Later writes are planned against a
    /// state that has them. Answers the last position applied.
    pub async fn apply_logged(
        &self,
        records: Vec<(Position, Record)>,
        keep: impl FnOnce(&[(Position, Record)]) -> std::result::Result<(), StoreError>,
    ) -> std::result::Result<Option<Position>, StoreError> {
        // No commit runs meanwhile, so none of its records can be read here
        // before it marks them applied.
        let _committer = self.committer.lock().await;
        let applied = *lock(&self.applied);
        let fresh: Vec<(Position, Record)> = records
            .into_iter()
            .filter(|(p, _)| Some(*p) > applied)
            .collect();
        let Some(&(last, _)) = fresh.last() else {
            return Ok(applied);
        };
        keep(&fresh)?;
        let mut staged = self.staged.lock().await;
        let mut published = self.publish();
        for (_, record) in fresh {
            published.apply(record);
        }
        self.aliased
            .store(published.has_aliases(), Ordering::Release);
        drop(published);
        *staged = None;
        *lock(&self.applied) = Some(last);
        Ok(Some(last))
    }
}
