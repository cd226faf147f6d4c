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
use tokio::sync::{mpsc, oneshot};

use super::Node;
use crate::kafka::Error;

/// How long the group waits for a silent member before it gives the
/// partition to another: the bulk of a failover's time. Kafka's least by
/// default (`group.min.session.timeout.ms`); `--kafka-config
/// session.timeout.ms=…` lowers it where the broker allows.
const SESSION_TIMEOUT_MS: &str = "6000";

/// How often an elected node checks that its writer's term is still on.
const TERM_CHECK: Duration = Duration::from_millis(500);

/// Hands the group's decisions to the election loop: `true` when this node
/// is assigned the partition, `false` when it loses it.
struct Elector(mpsc::UnboundedSender<bool>);

impl ClientContext for Elector {}

impl ConsumerContext for Elector {
    fn pre_rebalance(&self, _: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(_) = rebalance {
            let _ = self.0.send(false);
        }
    }

    fn post_rebalance(&self, _: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(partitions) = rebalance {
            let _ = self.0.send(partitions.count() > 0);
        }
    }
}

/// Takes part in the election until `leave` fires (or is dropped); then
/// leaves the group and returns, so that the others need not wait out
/// this node's session to elect a writer without it.
pub async fn run(node: Arc<Node>, leave: oneshot::Receiver<()>) -> Result<(), Error> {
    let (sender, mut decisions) = mpsc::unbounded_channel();
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
    let consumer: StreamConsumer<Elector> = client.create_with_context(Elector(sender))?;
    consumer.subscribe(&[&node.config.topic])?;
    // Polling drives the group protocol and its callbacks; the records
    // themselves are the reader's business.
    tokio::spawn(async move {
        let polling = async {
            loop {
                if let Err(error) = consumer.recv().await {
                    tracing::debug!("writer election: {error}");
                }
            }
        };
        tokio::select! {
            _ = polling => {}
            _ = leave => {}
        }
        // Dropping the consumer closes it: it gives up the partition
        // (revoking it stops this node's writing) and sends LeaveGroup,
        // polling until both are done, which blocks.
        let _ = tokio::task::spawn_blocking(move || drop(consumer)).await;
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
