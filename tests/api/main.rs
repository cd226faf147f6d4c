//! HTTP-level tests of treaty against the behaviour of Confluent Schema
//! Registry 7.9, each starting the real binary.

mod auth;
mod auth_limits;
mod auth_reads;
mod compatibility;
mod concurrency;
mod config;
mod conformance_compatibility;
mod conformance_issue17;
mod conformance_metadata;
mod conformance_register;
mod conformance_schema_ids;
mod conformance_shapes;
mod conformance_versions;
mod contexts;
mod crash;
mod defaults;
mod deletes;
mod durability;
mod errors;
mod faults;
mod formats;
mod hostile;
mod import;
mod layers;
mod lookup;
mod mode;
mod references;
mod register;
mod schemas;
mod server;
mod subjects;
mod tls;
