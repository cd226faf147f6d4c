//! The `treaty` CI subcommands (`check`, `breaking`, `diff`) and the
//! registry's admin commands (`registry …`), run as a user runs them: the
//! real binary in a temporary project.

mod admin;
mod agreement;
mod breaking;
mod check;
mod diff;
mod git;
mod grpc;
mod junit;
mod locations;
mod project;
mod registry;
mod removed;
mod report_schema;
// Shared with the HTTP tests; this binary uses only part of it.
#[allow(dead_code)]
#[path = "../api/server.rs"]
mod server;
