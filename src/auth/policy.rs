//! Which permission each route needs, and whether a principal's grants
//! give it. Roles are ordered (`read < write < admin`: admin implies write
//! implies read) and granted per subject prefix; nothing is allowed that no
//! grant allows.
//!
//! | request | needs |
//! |---|---|
//! | `GET /` | nothing (health checks) |
//! | `GET /subjects/{s}/versions…`, `GET /subjects/{s}/metadata`, `POST /subjects/{s}` (lookup), `GET /config/{s}`, `GET /mode/{s}` | read on `s` |
//! | `POST /subjects/{s}/versions` (register), `POST /compatibility/subjects/{s}/versions…` | write on `s` |
//! | `DELETE /subjects/{s}`, `DELETE /subjects/{s}/versions/{v}` | admin on `s` |
//! | `PUT`/`DELETE /config/{s}`, `PUT`/`DELETE /mode/{s}` | admin on `s` |
//! | `PUT`/`DELETE /config`, `PUT`/`DELETE /mode` | admin on prefix `""` |
//! | everything else (`GET /subjects`, `/schemas…`, `/contexts`, `GET /config`, `GET /mode`, `/v1/metadata/…`, unknown paths) | any authenticated principal |
//!
//! Subjects are matched as the path names them after the `/contexts/{ctx}/…`
//! rewrite: `:.staging:orders-value` for a context, the bare name for the
//! default context (`:.:orders-value` counts as `orders-value`).

use std::fmt;

use axum::http::Method;
use serde::Deserialize;

/// What a grant lets a principal do on the subjects under its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Read,
    Write,
    Admin,
}

/// One line of a principal's permissions: `role` on every subject that
/// starts with `prefix` (`""` is every subject and the global settings).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub prefix: String,
    pub role: Role,
}

/// What a request acts on, as named in a 403 message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Subject(String),
    /// The global config and mode: only a grant on prefix `""` reaches it.
    Global,
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Subject(subject) => write!(f, "Subject: {subject}"),
            Resource::Global => f.write_str("SchemaRegistry: global"),
        }
    }
}

/// The operation named in a 403 message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Read,
    Write,
    Delete,
    AlterConfigs,
}

impl Operation {
    /// The least role that may perform the operation.
    pub fn role(self) -> Role {
        match self {
            Operation::Read => Role::Read,
            Operation::Write => Role::Write,
            Operation::Delete | Operation::AlterConfigs => Role::Admin,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Read => "Read",
            Operation::Write => "Write",
            Operation::Delete => "Delete",
            Operation::AlterConfigs => "AlterConfigs",
        })
    }
}

/// What a request needs before it reaches its handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// No credentials at all.
    Open,
    /// Any principal that authenticates, with or without grants.
    Authenticated,
    /// A grant that allows `operation` on `resource`.
    Permission(Operation, Resource),
}

/// The permission `method path` needs; `path` is the raw (percent-encoded)
/// path after the pre-routing rewrite. HEAD is a GET without the body.
pub fn required(method: &Method, path: &str) -> Need {
    use Operation::*;
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let on = |operation, subject: &str| Need::Permission(operation, subject_resource(subject));
    let global = |operation| Need::Permission(operation, Resource::Global);
    let (get, post, put, delete) = (
        method == Method::GET || method == Method::HEAD,
        method == Method::POST,
        method == Method::PUT,
        method == Method::DELETE,
    );
    match segments.as_slice() {
        [""] => Need::Open,
        ["subjects", subject] if post => on(Read, subject),
        ["subjects", subject] if delete => on(Delete, subject),
        ["subjects", subject, "versions"] if post => on(Write, subject),
        ["subjects", subject, "versions", ..] if get => on(Read, subject),
        ["subjects", subject, "metadata"] if get => on(Read, subject),
        ["subjects", subject, "versions", _] if delete => on(Delete, subject),
        ["compatibility", "subjects", subject, "versions", ..] if post => on(Write, subject),
        ["config" | "mode"] if put || delete => global(AlterConfigs),
        ["config" | "mode", subject] if get => on(Read, subject),
        ["config" | "mode", subject] if put || delete => on(AlterConfigs, subject),
        _ => Need::Authenticated,
    }
}

/// A path segment as the subject the handlers see: percent-decoded, the
/// default context's `:.:` qualifier dropped.
fn subject_resource(segment: &str) -> Resource {
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
    let subject = decoded.strip_prefix(":.:").unwrap_or(&decoded);
    Resource::Subject(subject.to_owned())
}

/// Whether any of `grants` allows `operation` on `resource`.
pub fn allows(grants: &[Grant], operation: Operation, resource: &Resource) -> bool {
    grants.iter().any(|grant| {
        grant.role >= operation.role()
            && match resource {
                Resource::Global => grant.prefix.is_empty(),
                Resource::Subject(subject) => subject.starts_with(&grant.prefix),
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(name: &str) -> Resource {
        Resource::Subject(name.to_owned())
    }

    #[test]
    fn routes_need_the_documented_operation() {
        use Operation::*;
        let cases = [
            (Method::GET, "/", Need::Open),
            (Method::GET, "/subjects", Need::Authenticated),
            (Method::GET, "/schemas/ids/1", Need::Authenticated),
            (Method::GET, "/config", Need::Authenticated),
            (
                Method::POST,
                "/subjects/a",
                Need::Permission(Read, subject("a")),
            ),
            (
                Method::GET,
                "/subjects/a/versions/1/schema",
                Need::Permission(Read, subject("a")),
            ),
            (
                Method::GET,
                "/subjects/a/metadata",
                Need::Permission(Read, subject("a")),
            ),
            (
                Method::POST,
                "/subjects/a/versions",
                Need::Permission(Write, subject("a")),
            ),
            (
                Method::POST,
                "/compatibility/subjects/a/versions/latest",
                Need::Permission(Write, subject("a")),
            ),
            (
                Method::DELETE,
                "/subjects/a",
                Need::Permission(Delete, subject("a")),
            ),
            (
                Method::DELETE,
                "/subjects/a/versions/2",
                Need::Permission(Delete, subject("a")),
            ),
            (Method::GET, "/mode/a", Need::Permission(Read, subject("a"))),
            (
                Method::PUT,
                "/config/a",
                Need::Permission(AlterConfigs, subject("a")),
            ),
            (
                Method::DELETE,
                "/mode",
                Need::Permission(AlterConfigs, Resource::Global),
            ),
            (
                Method::PUT,
                "/config/:.staging:",
                Need::Permission(AlterConfigs, subject(":.staging:")),
            ),
        ];
        for (method, path, need) in cases {
            assert_eq!(required(&method, path), need, "{method} {path}");
        }
    }

    #[test]
    fn subjects_are_percent_decoded_and_lose_the_default_context() {
        assert_eq!(
            required(&Method::POST, "/subjects/:.:a%2Fb/versions"),
            Need::Permission(Operation::Write, subject("a/b"))
        );
    }

    #[test]
    fn a_higher_role_implies_the_lower_and_prefixes_bound_grants() {
        let grants = [Grant {
            prefix: "orders-".into(),
            role: Role::Write,
        }];
        assert!(allows(&grants, Operation::Read, &subject("orders-value")));
        assert!(allows(&grants, Operation::Write, &subject("orders-value")));
        assert!(!allows(
            &grants,
            Operation::Delete,
            &subject("orders-value")
        ));
        assert!(!allows(
            &grants,
            Operation::Read,
            &subject("payments-value")
        ));
        assert!(!allows(&grants, Operation::Read, &Resource::Global));
        assert!(!allows(&[], Operation::Read, &subject("orders-value")));
    }

    #[test]
    fn only_the_empty_prefix_reaches_the_global_settings() {
        let everything = [Grant {
            prefix: String::new(),
            role: Role::Admin,
        }];
        assert!(allows(
            &everything,
            Operation::AlterConfigs,
            &Resource::Global
        ));
    }
}
