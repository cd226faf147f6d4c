//! Where the schemas topic is, and how to reach it: the bootstrap servers,
//! the topic name, and any librdkafka client settings (TLS, SASL, timeouts)
//! given as `KEY=VALUE`.

use rdkafka::ClientConfig;

use super::Error;

/// Confluent's `kafkastore.topic` default.
pub const DEFAULT_TOPIC: &str = "_schemas";

/// Settings treaty chooses itself: the fencing and the read guarantees
/// depend on them.
const RESERVED: [&str; 7] = [
    "bootstrap.servers",
    "transactional.id",
    "enable.idempotence",
    "acks",
    "isolation.level",
    "enable.auto.commit",
    "group.id",
];

#[derive(Clone, Debug)]
pub struct KafkaConfig {
    pub bootstrap_servers: String,
    pub topic: String,
    settings: Vec<(String, String)>,
}

impl KafkaConfig {
    /// `settings` are `KEY=VALUE` librdkafka properties; each is checked
    /// here, so a typo fails at startup with librdkafka's own message.
    pub fn new(
        bootstrap_servers: &str,
        topic: Option<&str>,
        settings: &[String],
    ) -> Result<Self, Error> {
        if bootstrap_servers.trim().is_empty() {
            return Err(Error::Config("no Kafka bootstrap servers given".to_owned()));
        }
        let settings = settings
            .iter()
            .map(String::as_str)
            .map(parse_setting)
            .collect::<Result<Vec<_>, _>>()?;
        let config = Self {
            bootstrap_servers: bootstrap_servers.to_owned(),
            topic: topic.unwrap_or(DEFAULT_TOPIC).to_owned(),
            settings,
        };
        config
            .client_config()
            .create_native_config()
            .map_err(|e| Error::Config(format!("a Kafka client setting is refused: {e}")))?;
        Ok(config)
    }

    /// Shared by every node writing this topic, so that the broker lets only
    /// the latest of them write.
    pub fn transactional_id(&self) -> String {
        format!("treaty-{}", self.topic)
    }

    /// The bootstrap servers and the given settings, for any client.
    pub(crate) fn client_config(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", &self.bootstrap_servers);
        for (key, value) in &self.settings {
            config.set(key, value);
        }
        config
    }
}

fn parse_setting(setting: &str) -> Result<(String, String), Error> {
    let Some((key, value)) = setting.split_once('=') else {
        return Err(Error::Config(format!(
            "Kafka client setting `{setting}` is not KEY=VALUE"
        )));
    };
    let key = key.trim();
    if key.is_empty() || key.contains(char::is_whitespace) {
        return Err(Error::Config(format!(
            "Kafka client setting `{setting}` has no valid key"
        )));
    }
    if RESERVED.contains(&key) {
        return Err(Error::Config(format!(
            "Kafka client setting `{key}` is set by treaty and cannot be given"
        )));
    }
    Ok((key.to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::{KafkaConfig, DEFAULT_TOPIC};
    use crate::kafka::Error;

    fn refusal(settings: &[&str]) -> String {
        let settings: Vec<String> = settings.iter().map(|s| s.to_string()).collect();
        match KafkaConfig::new("127.0.0.1:9092", None, &settings) {
            Err(Error::Config(message)) => message,
            other => panic!("{settings:?} accepted: {other:?}"),
        }
    }

    #[test]
    fn settings_pass_through_to_the_client() {
        let settings = [
            "security.protocol=SASL_SSL".to_owned(),
            "sasl.mechanism=SCRAM-SHA-512".to_owned(),
        ];
        let config = KafkaConfig::new("a:9092,b:9092", None, &settings).unwrap();
        assert_eq!(config.topic, DEFAULT_TOPIC);
        assert_eq!(config.transactional_id(), "treaty-_schemas");
        let client = config.client_config();
        assert_eq!(client.get("bootstrap.servers"), Some("a:9092,b:9092"));
        assert_eq!(client.get("security.protocol"), Some("SASL_SSL"));
        assert_eq!(client.get("sasl.mechanism"), Some("SCRAM-SHA-512"));
    }

    #[test]
    fn bad_settings_are_refused_with_a_reason() {
        assert!(refusal(&["linger.ms"]).contains("not KEY=VALUE"));
        assert!(refusal(&["=1"]).contains("no valid key"));
        assert!(refusal(&["transactional.id=mine"]).contains("set by treaty"));
        assert!(refusal(&["no.such.property=1"]).contains("no.such.property"));
        assert!(refusal(&["security.protocol=CARRIER_PIGEON"]).contains("security.protocol"));
        assert!(matches!(
            KafkaConfig::new(" ", None, &[]),
            Err(Error::Config(_))
        ));
    }
}
