//! The schemas topic is created as Confluent creates it, and a topic that
//! differs is refused, as Confluent refuses it.

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, ResourceSpecifier, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::ClientConfig;
use treaty::kafka::{ensure_topic, Error};

use crate::broker::Tansu;

fn admin(broker: &Tansu) -> AdminClient<DefaultClientContext> {
    ClientConfig::new()
        .set("bootstrap.servers", &broker.bootstrap)
        .create()
        .unwrap()
}

async fn create(broker: &Tansu, name: &str, partitions: i32, policy: &str) {
    let topic =
        NewTopic::new(name, partitions, TopicReplication::Fixed(1)).set("cleanup.policy", policy);
    let created = admin(broker)
        .create_topics([&topic], &AdminOptions::new())
        .await
        .unwrap();
    assert!(created[0].is_ok(), "{created:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_topic_is_created_with_one_compacted_partition() {
    let Some(broker) = Tansu::start() else { return };
    let config = broker.config("_schemas");
    ensure_topic(&config).await.unwrap();

    let admin = admin(&broker);
    let metadata = admin
        .inner()
        .fetch_metadata(Some("_schemas"), std::time::Duration::from_secs(5))
        .unwrap();
    assert_eq!(metadata.topics()[0].partitions().len(), 1);
    let described = admin
        .describe_configs(
            [&ResourceSpecifier::Topic("_schemas")],
            &AdminOptions::new(),
        )
        .await
        .unwrap();
    let resource = described[0].as_ref().unwrap();
    let policy = resource.get("cleanup.policy").unwrap().value.as_deref();
    assert_eq!(policy, Some("compact"));
    // A second node finds it as it must be.
    ensure_topic(&config).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_topic_with_three_partitions_is_refused() {
    let Some(broker) = Tansu::start() else { return };
    create(&broker, "wide", 3, "compact").await;
    match ensure_topic(&broker.config("wide")).await {
        Err(Error::Topic(message)) => assert!(message.contains("has 3 partitions"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_topic_that_deletes_old_records_is_refused() {
    let Some(broker) = Tansu::start() else { return };
    create(&broker, "deleting", 1, "delete").await;
    match ensure_topic(&broker.config("deleting")).await {
        Err(Error::Topic(message)) => {
            assert!(message.contains("cleanup.policy=delete"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}
