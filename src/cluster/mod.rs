//! Cluster mode: several treaty nodes on one Kafka `_schemas` topic. The
//! topic is the source of truth; each node's store is its materialised
//! view, at the offsets the records have on the topic. Every node reads
//! the topic ([`follow`]); one writes it, through a writer fenced by the
//! broker ([`crate::kafka::Writer`]).

pub mod elect;
mod follow;
mod forward;
pub mod http;
mod unconfirmed;

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::watch;

use crate::kafka::{Error, KafkaConfig, Writer};
use crate::log::KafkaLog;
use crate::registry::Registry;
use crate::store::Store;

/// Longest a follower holds back its answer to a forwarded write for its
/// reader to apply it.
const APPLY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a node waits before it asks a broker that failed to check the
/// schemas topic again.
const TOPIC_RETRY: std::time::Duration = std::time::Duration::from_secs(1);

/// This node's part in the cluster.
pub struct Node {
    /// The URL other nodes reach this one at.
    pub advertised_url: String,
    config: KafkaConfig,
    store: Arc<Store>,
    registry: Arc<Registry>,
    log: Arc<KafkaLog>,
    /// The offset after the last record the reader has applied.
    read_to: watch::Sender<i64>,
    /// The topic's end as the reader last heard it.
    topic_end: AtomicI64,
    caught_up: AtomicBool,
    caught_up_signal: tokio::sync::Notify,
    /// The URL the latest writer's marker named.
    writer_url: RwLock<Option<String>>,
    /// Where writes go whatever the markers say (`--forward-writes-to`).
    forward_to: Option<String>,
}

impl Node {
    /// `forward_to`: where writes go whatever the markers say
    /// (`--forward-writes-to`).
    pub fn new(
        advertised_url: String,
        forward_to: Option<String>,
        config: KafkaConfig,
        store: Arc<Store>,
        registry: Arc<Registry>,
        log: Arc<KafkaLog>,
    ) -> Arc<Self> {
        Arc::new(Self {
            advertised_url,
            config,
            store,
            registry,
            log,
            read_to: watch::Sender::new(0),
            topic_end: AtomicI64::new(0),
            caught_up: AtomicBool::new(false),
            caught_up_signal: tokio::sync::Notify::new(),
            writer_url: RwLock::new(None),
            forward_to,
        })
    }

    /// Starts reading the topic and waits until this node has read it to
    /// its end once: until then its API holds requests back and it is not
    /// ready ([`http`]).
    ///
    /// A broker that stalls or fails meanwhile is waited out: the node
    /// stays up, not ready, and asks again. Only a topic that cannot hold
    /// the registry, or settings the client refuses, end it.
    pub async fn start(self: &Arc<Self>) -> Result<(), Error> {
        while let Err(error) = crate::kafka::ensure_topic(&self.config).await {
            if !error.is_transient() {
                return Err(error);
            }
            tracing::warn!("cannot check the schemas topic yet, retrying: {error}");
            tokio::time::sleep(TOPIC_RETRY).await;
        }
        let reading = Arc::clone(self);
        tokio::spawn(async move { follow::run(&reading).await });
        self.caught_up().await;
        tracing::info!(applied = ?self.registry.applied(), "caught up with the schemas topic");
        Ok(())
    }

    /// The offset of the last record applied, if any was.
    pub fn applied_offset(&self) -> Option<i64> {
        self.registry.applied().map(|position| position as i64)
    }

    /// How many records the topic holds beyond what this node has applied
    /// (a writer's batch counts until its confirmation is read).
    pub fn lag(&self) -> i64 {
        let end = self.topic_end.load(Ordering::Relaxed);
        (end - *self.read_to.borrow()).max(0)
    }

    /// Whether the reader has read the topic to its end once.
    pub fn is_caught_up(&self) -> bool {
        self.caught_up.load(Ordering::SeqCst)
    }

    /// Returns once the reader has read the topic to its end once.
    pub async fn caught_up(&self) {
        let signal = self.caught_up_signal.notified();
        if !self.is_caught_up() {
            signal.await;
        }
    }

    fn mark_caught_up(&self) {
        if !self.caught_up.swap(true, Ordering::SeqCst) {
            self.caught_up_signal.notify_waiters();
        }
    }

    /// Takes over writing: starting the writer fences every earlier one;
    /// then its own NOOP marks the end of everything they committed, and
    /// writes are allowed once the reader has applied the log up to it, so
    /// no id they handed out is handed out again.
    pub async fn become_writer(&self) -> Result<(), Error> {
        let writer = Arc::new(Writer::start(&self.config).await?);
        let marker = writer.mark(&self.advertised_url).await?;
        let mut read_to = self.read_to.subscribe();
        // The reader only stops with the node.
        let _ = read_to.wait_for(|next| *next > marker).await;
        self.log.set_writer(Some(writer));
        tracing::info!(marker, "this node writes the schemas topic");
        Ok(())
    }

    /// Waits until the reader has applied the topic up to `offset`, or
    /// [`APPLY_WAIT`] has passed (the write stands either way; only a read
    /// right after it might not see it yet).
    pub async fn await_applied(&self, offset: i64) {
        let mut read_to = self.read_to.subscribe();
        let _ = tokio::time::timeout(APPLY_WAIT, read_to.wait_for(|next| *next > offset)).await;
    }

    pub fn is_writer(&self) -> bool {
        self.log.writer().is_some()
    }

    fn stop_writing(&self) {
        if self.is_writer() {
            tracing::info!("no longer elected: this node stops writing");
        }
        self.log.set_writer(None);
    }

    /// The URL of the node that writes, as far as this one knows.
    pub fn writer_url(&self) -> Option<String> {
        if self.is_writer() {
            return Some(self.advertised_url.clone());
        }
        if let Some(url) = &self.forward_to {
            return Some(url.clone());
        }
        self.writer_url
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn heard_from_writer(&self, url: String) {
        *self.writer_url.write().unwrap_or_else(|p| p.into_inner()) = Some(url);
    }
}
