//! The audit trail: every write the registry makes durable, with when, who
//! (the principal, with auth on), which client (`User-Agent`,
//! `Confluent-Client-Version`), the route and what changed (ids and
//! versions, configs and modes old and new: never a schema's text, never a
//! credential). Kept per node in the store's `audit` column family, not in
//! the records (a `_schemas` topic reader would not know them), and trimmed
//! by age and count in the background.
//!
//! The API names the request's [`Actor`] for the task that serves it
//! ([`acting`]); the registry tells its changes to [`Audit::record`] in that
//! same task, once they are durable.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::Value;

use crate::registry::Effect;
use crate::store::{AuditKey, Store, StoreError};

/// How long entries are kept: whichever limit is reached first.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    pub max_age: Duration,
    pub max_entries: usize,
}

/// How often the background trim runs.
const TRIM_EVERY: Duration = Duration::from_secs(60);

/// The longest client header kept.
const CLIENT_CHARS: usize = 200;

/// Who made the request being served, as the audit records it.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub principal: Option<Arc<str>>,
    pub user_agent: Option<String>,
    pub client_version: Option<String>,
    pub method: String,
    /// The route's template (`/subjects/:subject/versions`), never the
    /// raw path or query.
    pub route: String,
}

impl Actor {
    /// A client header as recorded: control characters dropped, cut at
    /// [`CLIENT_CHARS`].
    pub fn client_header(value: &str) -> String {
        value
            .chars()
            .filter(|c| !c.is_control())
            .take(CLIENT_CHARS)
            .collect()
    }
}

tokio::task_local! {
    static ACTOR: Actor;
}

/// Runs `work` (a request being served) with `actor` as its actor.
pub async fn acting<F: Future>(actor: Actor, work: F) -> F::Output {
    ACTOR.scope(actor, work).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_agent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    route: Option<&'a str>,
    changes: &'a [Effect],
}

/// Which entries a query wants, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Only entries with a change to this subject (storage name).
    pub subject: Option<String>,
    /// Only entries at or after this time.
    pub since: Option<SystemTime>,
    /// Only entries after this time.
    pub after: Option<SystemTime>,
    pub limit: usize,
}

pub struct Audit {
    store: Arc<Store>,
    retention: Retention,
    /// The last key handed out: microseconds since the epoch, made to
    /// increase strictly, so keys are unique and in time order.
    last: Mutex<AuditKey>,
}

fn micros(time: SystemTime) -> AuditKey {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    AuditKey::try_from(since_epoch.as_micros()).unwrap_or(AuditKey::MAX)
}

fn time_of(key: AuditKey) -> String {
    humantime::format_rfc3339_micros(UNIX_EPOCH + Duration::from_micros(key)).to_string()
}

impl Audit {
    pub fn open(store: Arc<Store>, retention: Retention) -> Result<Self, StoreError> {
        let last = store.last_audit_key()?.unwrap_or(0);
        Ok(Self {
            store,
            retention,
            last: Mutex::new(last),
        })
    }

    /// Records `changes`, made by the actor of the calling task (none
    /// outside a request). A failure is logged: the write it describes is
    /// already durable.
    pub fn record(&self, changes: &[Effect]) {
        if changes.is_empty() {
            return;
        }
        let actor = ACTOR.try_with(Actor::clone).ok();
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let key = micros(SystemTime::now()).max(last.saturating_add(1));
        let entry = Entry {
            time: time_of(key),
            principal: actor.as_ref().and_then(|a| a.principal.as_deref()),
            user_agent: actor.as_ref().and_then(|a| a.user_agent.as_deref()),
            client_version: actor.as_ref().and_then(|a| a.client_version.as_deref()),
            method: actor.as_ref().map(|a| a.method.as_str()),
            route: actor.as_ref().map(|a| a.route.as_str()),
            changes,
        };
        let bytes = serde_json::to_vec(&entry).expect("entries serialise to JSON");
        match self.store.put_audit(key, &bytes) {
            Ok(()) => *last = key,
            Err(error) => tracing::error!(%error, "could not record an audit entry"),
        }
    }

    /// The entries `query` asks for, oldest first, as stored.
    pub fn entries(&self, query: &Query) -> Result<Vec<Value>, StoreError> {
        let from = match (query.since, query.after) {
            (Some(since), Some(after)) => micros(since).max(micros(after).saturating_add(1)),
            (Some(since), None) => micros(since),
            (None, Some(after)) => micros(after).saturating_add(1),
            (None, None) => 0,
        };
        let mut found = Vec::new();
        let mut failure = None;
        self.store.scan_audit(from, |_, bytes| {
            match serde_json::from_slice::<Value>(bytes) {
                Ok(entry) if is_about(&entry, query.subject.as_deref()) => found.push(entry),
                Ok(_) => {}
                Err(error) => failure = Some(StoreError(format!("corrupt audit entry: {error}"))),
            }
            failure.is_none() && found.len() < query.limit
        })?;
        failure.map_or(Ok(found), Err)
    }

    /// Drops the entries the retention no longer keeps.
    pub fn trim(&self, now: SystemTime) -> Result<(), StoreError> {
        let cut = now.checked_sub(self.retention.max_age).map_or(0, micros);
        self.store.trim_audit(cut, self.retention.max_entries)
    }

    /// Trims every [`TRIM_EVERY`] on the current runtime, off its threads.
    pub fn keep_trimming(self: Arc<Self>) {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(TRIM_EVERY);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                let audit = Arc::clone(&self);
                let trimmed = tokio::task::spawn_blocking(move || audit.trim(SystemTime::now()));
                if let Ok(Err(error)) = trimmed.await {
                    tracing::warn!(%error, "could not trim the audit trail");
                }
            }
        });
    }
}

/// Whether `entry` changed `subject` (every entry, without one).
fn is_about(entry: &Value, subject: Option<&str>) -> bool {
    let Some(subject) = subject else {
        return true;
    };
    entry["changes"]
        .as_array()
        .is_some_and(|changes| changes.iter().any(|c| c["subject"] == subject))
}
