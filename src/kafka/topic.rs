//! The schemas topic as Confluent requires it: one partition, compacted.
//! Created so if missing; an existing topic that differs is refused, as
//! Confluent refuses it, since a second partition would split the log's
//! order and deletion would lose registrations.

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, ResourceSpecifier, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::types::RDKafkaErrorCode;

use super::{Error, KafkaConfig, REQUEST_TIMEOUT};

/// Confluent's `kafkastore.topic.replication.factor` default: three copies
/// where the cluster has three brokers, fewer on a smaller one.
const REPLICATION_FACTOR: usize = 3;

/// Creates the topic if it is missing; checks it otherwise.
pub async fn ensure_topic(config: &KafkaConfig) -> Result<(), Error> {
    let admin: AdminClient<DefaultClientContext> = config.client_config().create()?;
    let options = AdminOptions::new().request_timeout(Some(REQUEST_TIMEOUT));
    let metadata = admin.inner().fetch_metadata(None, REQUEST_TIMEOUT)?;
    let existing = metadata
        .topics()
        .iter()
        .find(|topic| topic.name() == config.topic && topic.error().is_none());
    if let Some(topic) = existing {
        return check(&admin, &options, &config.topic, topic.partitions().len()).await;
    }
    let replication = REPLICATION_FACTOR.min(metadata.brokers().len()).max(1);
    let new_topic = NewTopic::new(
        &config.topic,
        1,
        TopicReplication::Fixed(replication as i32),
    )
    .set("cleanup.policy", "compact");
    let created = admin.create_topics([&new_topic], &options).await?;
    match created.into_iter().next() {
        Some(Ok(_)) => Ok(()),
        // Another node created it meanwhile: it must still be checked.
        Some(Err((_, RDKafkaErrorCode::TopicAlreadyExists))) => {
            let partitions = partition_count(&admin, &config.topic)?;
            check(&admin, &options, &config.topic, partitions).await
        }
        Some(Err((_, code))) => Err(Error::Broker(format!(
            "cannot create the schemas topic `{}`: {code}",
            config.topic
        ))),
        None => Err(Error::Broker(format!(
            "the broker did not answer the creation of `{}`",
            config.topic
        ))),
    }
}

fn partition_count(admin: &AdminClient<DefaultClientContext>, name: &str) -> Result<usize, Error> {
    let metadata = admin.inner().fetch_metadata(None, REQUEST_TIMEOUT)?;
    let topic = metadata.topics().iter().find(|topic| topic.name() == name);
    Ok(topic.map_or(0, |topic| topic.partitions().len()))
}

async fn check(
    admin: &AdminClient<DefaultClientContext>,
    options: &AdminOptions,
    name: &str,
    partitions: usize,
) -> Result<(), Error> {
    if partitions != 1 {
        return Err(Error::Topic(format!(
            "the schemas topic `{name}` has {partitions} partitions; it must have exactly 1 \
             (the registry's records are one ordered log)"
        )));
    }
    let described = admin
        .describe_configs([&ResourceSpecifier::Topic(name)], options)
        .await?;
    let resource = match described.into_iter().next() {
        Some(Ok(resource)) => resource,
        Some(Err(code)) => {
            return Err(Error::Broker(format!(
                "cannot read the configuration of the schemas topic `{name}`: {code}"
            )))
        }
        None => {
            return Err(Error::Broker(format!(
                "the broker did not describe the schemas topic `{name}`"
            )))
        }
    };
    let policy = resource
        .get("cleanup.policy")
        .and_then(|entry| entry.value.clone())
        .unwrap_or_else(|| "delete".to_owned());
    if policy != "compact" {
        return Err(Error::Topic(format!(
            "the schemas topic `{name}` has cleanup.policy={policy}; it must be compact \
             (with deletion, old registrations would be lost)"
        )));
    }
    Ok(())
}
