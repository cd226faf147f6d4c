//! src/kafka and cluster mode against a real Kafka-protocol broker: tansu,
//! started by each test from `TREATY_TANSU_BIN` (scripts/kafka-env.sh
//! installs it).

mod broker;
mod cluster;
mod corpus;
mod failover;
mod log;
mod node;
mod operations;
mod raw;
mod rebuild;
mod takeover;
mod tombstones;
mod topic;
mod zombie;
