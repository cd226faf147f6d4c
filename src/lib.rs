//! treaty: a schema registry for Kafka that speaks Confluent Schema
//! Registry's REST API and stores in embedded RocksDB.
//!
//! `records` are the registry's writes in Confluent's `_schemas` format,
//! `store` persists them, `kafka` reads and writes them on a topic,
//! `registry` is the domain (register, look up, delete, configs and modes),
//! `api` is the HTTP layer, `metrics` what it and the registry count,
//! `usage` who used which schema when,
//! `audit` the trail of every write, who made it and what it changed,
//! `serve` wires them.
//! Schema parsing and compatibility live in the `treaty-compat` crate.

pub mod api;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod cluster;
pub mod config_file;
pub mod kafka;
pub mod log;
pub mod logging;
pub mod metrics;
pub mod records;
pub mod registry;
pub mod serve;
pub mod store;
pub mod tls;
pub mod usage;
