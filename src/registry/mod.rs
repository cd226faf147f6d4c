//! The registry's domain: registration, lookups, deletes, configs and modes.
//!
//! Reads run against the in-memory [`State`]. Every write goes through one
//! writer (`writer` below): it plans the records a request produces against
//! the current state, persists them in one synced batch, and only then
//! applies them to the state. So ids and versions are never handed out
//! twice, and nothing is visible before it is durable.

mod compatibility;
mod content;
mod delete;
mod error;
mod queries;
pub mod records;
mod references;
mod register;
mod settings;
mod state;
mod subject;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

use treaty_compat::ParsedSchema;

use crate::store::Store;

pub use compatibility::CompatibilityTarget;
pub use content::SchemaContent;
pub use error::{RegistryError, Result};
pub use queries::{SubjectFilter, VersionSpec, VersionView};
pub use records::Reference;
pub use register::{RegisterOutcome, RequestReference, SchemaRequest};
pub use settings::{Mode, DEFAULT_COMPATIBILITY};
pub use state::State;
pub use subject::{QualifiedSubject, DEFAULT_CONTEXT};

use records::Record;

pub struct Registry {
    state: RwLock<State>,
    store: Arc<Store>,
    writer: tokio::sync::Mutex<()>,
    /// Parsed schemas by (context, id): an id never changes meaning, so a
    /// parse is reused by every later compatibility check.
    parsed: Mutex<HashMap<(String, i32), Arc<ParsedSchema>>>,
}

impl Registry {
    /// Loads the state from `store`.
    pub fn open(store: Store) -> Result<Self> {
        let mut state = State::default();
        for record in store.load().map_err(|e| RegistryError::Store(e.0))? {
            state.apply(record);
        }
        Ok(Self {
            state: RwLock::new(state),
            store: Arc::new(store),
            writer: tokio::sync::Mutex::new(()),
            parsed: Mutex::new(HashMap::new()),
        })
    }

    fn state(&self) -> RwLockReadGuard<'_, State> {
        self.state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs one write: `plan` decides from the current state which records
    /// to write and what to answer; the records are persisted, then applied.
    async fn write<T>(&self, plan: impl FnOnce(&State) -> Result<(Vec<Record>, T)>) -> Result<T> {
        let _writer = self.writer.lock().await;
        let (records, answer) = plan(&self.state())?;
        if records.is_empty() {
            return Ok(answer);
        }
        let store = Arc::clone(&self.store);
        let persisted = records.clone();
        tokio::task::spawn_blocking(move || store.write(&persisted))
            .await
            .map_err(|e| RegistryError::Store(e.to_string()))?
            .map_err(|e| {
                tracing::error!(error = %e, "write failed; nothing was applied");
                RegistryError::Store(e.0)
            })?;
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        for record in records {
            state.apply(record);
        }
        Ok(answer)
    }
}
