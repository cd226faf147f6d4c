//! Which node writes: the member of the Kafka consumer group
//! `treaty-writer-<topic>` that is assigned the topic's one partition.
//! The group only decides who tries; safety comes from the writer's
//! fencing (a newly elected writer's start fences the old one, whose
//! appends then fail), so two nodes that both believe they are elected
//! for a moment can never both commit.

use std::sync::Arc;
use std::time::Duration;

use rdkafka::client::ClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, Rebalance, StreamConsumer};
use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::{mpsc, oneshot, watch};

use super::Node;
use crate::kafka::Error;

/// How long the group waits for a silent member before it gives the
/// partition to another: the bulk of a failover's time. Kafka's least by
/// default (`group.min.session.timeout.ms`); `--kafka-config
/// session.timeout.ms=…` lowers it where the broker allows.
const SESSION_TIMEOUT_MS: &str = "6000";

/// How often an elected node checks that its writer's term is still on.
const TERM_CHECK: Duration = Duration::from_millis(500);

/// Longest a stopping node waits for a rebalance under way to end.
const SETTLE_WAIT: Duration = Duration::from_secs(3);

/// Hands the group's decisions to the election loop: `true` when this node
/// is assigned the partition, `false` when it loses it.
struct Elector {
    decisions: mpsc::UnboundedSender<bool>,
    /// Whether a rebalance is under way (from a revocation, or the first
    /// join, to the next assignment).
    rebalancing: watch::Sender<bool>,
}

impl ClientContext for Elector {}

impl ConsumerContext for Elector {
    fn pre_rebalance(&self, _: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(_) = rebalance {
            self.rebalancing.send_replace(true);
            let _ = self.decisions.send(false);
        }
    }

    fn post_rebalance(&self, _: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(partitions) = rebalance {
            self.rebalancing.send_replace(false);
            let _ = self.decisions.send(partitions.count() > 0);
        }
    }
}

/// Takes part in the election until `leave` fires (or is dropped), when
/// the node stops.
pub async fn run(node: Arc<Node>, leave: oneshot::Receiver<()>) -> Result<(), Error> {
    let (sender, mut decisions) = mpsc::unbounded_channel();
    let (rebalancing, settled) = watch::channel(true);
    let mut client = node.config.client_config();
    let session = client
        .get("session.timeout.ms")
        .unwrap_or(SESSION_TIMEOUT_MS)
        .to_owned();
    // Also the rebalance timeout: how long a rebalance waits for the
    // members it knows to join again. librdkafka's 5 minutes would hold
    // the election that long for a member that is gone without leaving (a
    // node killed, or every node of a cluster restarted at once); a live
    // member rejoins within a heartbeat or two. librdkafka wants it no
    // shorter than the session.
    if client.get("max.poll.interval.ms").is_none() {
        client.set("max.poll.interval.ms", &session);
    }
    client
        .set("session.timeout.ms", session)
        .set("group.id", format!("treaty-writer-{}", node.config.topic))
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "latest")
        .set("heartbeat.interval.ms", "500");
    let consumer: StreamConsumer<Elector> = client.create_with_context(Elector {
        decisions: sender,
        rebalancing,
    })?;
    consumer.subscribe(&[&node.config.topic])?;
    // The records the consumer fetches are the reader's business.
    let mut polling = tokio::spawn(async move {
        poll_until_leaving(&consumer, leave, settled).await;
        // Not closed, so no LeaveGroup: a member that leaves while a join
        // is under way can still be made the leader of the next generation
        // by some brokers (tansu 0.6), whose group then waits for it for
        // good, and a cluster restarted at once elects no writer. The
        // process is stopping; the group drops it after its session.
        std::mem::forget(consumer);
    });
    let mut elected = false;
    // A writer whose append failed ends its term ([`crate::log::KafkaLog`]);
    // while this node is still elected, it starts another.
    let mut check = tokio::time::interval(TERM_CHECK);
    loop {
        tokio::select! {
            decision = decisions.recv() => match decision {
                Some(decision) => elected = decision,
                None => return Ok(()),
            },
            _ = check.tick() => {}
            _ = &mut polling => return Ok(()),
        }
        if !elected {
            node.stop_writing();
            continue;
        }
        if node.is_writer() {
            continue;
        }
        while let Err(error) = node.become_writer().await {
            tracing::error!("could not become the writer, retrying: {error}");
            tokio::time::sleep(Duration::from_secs(1)).await;
            match decisions.try_recv() {
                Ok(false) => {
                    elected = false;
                    node.stop_writing();
                    break;
                }
                Err(TryRecvError::Disconnected) => return Ok(()),
                _ => {}
            }
        }
    }
}

/// Polls `consumer`, which drives the group protocol and its callbacks,
/// until `leave` fires and no rebalance is under way.
async fn poll_until_leaving(
    consumer: &StreamConsumer<Elector>,
    leave: oneshot::Receiver<()>,
    mut settled: watch::Receiver<bool>,
) {
    let polling = async {
        loop {
            if let Err(error) = consumer.recv().await {
                tracing::debug!("writer election: {error}");
            }
        }
    };
    tokio::pin!(polling);
    tokio::select! {
        _ = &mut polling => {}
        _ = leave => {}
    }
    // A rebalance under way is seen through (still polling), so that the
    // node does not go silent halfway through a join.
    let settling = settled.wait_for(|rebalancing| !rebalancing);
    tokio::select! {
        _ = tokio::time::timeout(SETTLE_WAIT, settling) => {}
        _ = &mut polling => {}
    }
}
