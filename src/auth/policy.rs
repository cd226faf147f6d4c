//! Roles and grants: whether a principal's grants allow an operation on a
//! resource. Roles are ordered (`read < write < admin`: admin implies write
//! implies read) and granted per subject prefix; nothing is allowed that no
//! grant allows. Which permission each route needs is declared beside the
//! route itself, in `src/api/`, as a [`Rule`].
//!
//! Subjects are matched as the path names them after the `/contexts/{ctx}/…`
//! rewrite: `:.staging:orders-value` for a context, the bare name for the
//! default context (`:.:orders-value` counts as `orders-value`).

use std::fmt;

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
    /// A schema by its id: readable through any subject that holds it.
    Schema(i32),
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Subject(subject) => write!(f, "Subject: {subject}"),
            Resource::Global => f.write_str("SchemaRegistry: global"),
            Resource::Schema(id) => write!(f, "Schema: {id}"),
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

/// The permission a route declares, before a request names its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// No credentials at all (health checks).
    Open,
    /// Any principal that authenticates; what it then sees may still be
    /// filtered by its grants.
    Authenticated,
    /// `operation` on the subject the route's `{subject}` segment names.
    Subject(Operation),
    /// `operation` on the global settings.
    Global(Operation),
}

impl Rule {
    /// What a request needs under this rule; `subject` is the raw
    /// (percent-encoded) `{subject}` segment of its path, if it has one.
    /// A subject rule on a path without one can only be met globally.
    pub fn need(self, subject: Option<&str>) -> Need {
        match (self, subject) {
            (Rule::Open, _) => Need::Open,
            (Rule::Authenticated, _) => Need::Authenticated,
            (Rule::Subject(operation), Some(segment)) => {
                Need::Permission(operation, subject_resource(segment))
            }
            (Rule::Subject(operation) | Rule::Global(operation), _) => {
                Need::Permission(operation, Resource::Global)
            }
        }
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

/// A path segment as the subject the handlers see: percent-decoded, the
/// default context's `:.:` qualifier dropped.
fn subject_resource(segment: &str) -> Resource {
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
    let subject = decoded.strip_prefix(":.:").unwrap_or(&decoded);
    Resource::Subject(subject.to_owned())
}

/// Whether any of `grants` allows `operation` on `resource`. A schema id
/// is no grant's resource: it is read through the subjects holding it.
pub fn allows(grants: &[Grant], operation: Operation, resource: &Resource) -> bool {
    grants.iter().any(|grant| {
        grant.role >= operation.role()
            && match resource {
                Resource::Global => grant.prefix.is_empty(),
                Resource::Subject(subject) => subject.starts_with(&grant.prefix),
                Resource::Schema(_) => false,
            }
    })
}

/// Whether a grant reaches into the named context `.ctx`: it covers the
/// whole context (`""`, `:`, `:.ctx:`), or some subjects of it (a prefix
/// that starts `:.ctx:`).
pub fn reaches_context(grants: &[Grant], context: &str) -> bool {
    let qualifier = format!(":{context}:");
    grants
        .iter()
        .any(|grant| qualifier.starts_with(&grant.prefix) || grant.prefix.starts_with(&qualifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(name: &str) -> Resource {
        Resource::Subject(name.to_owned())
    }

    fn grant(prefix: &str, role: Role) -> Grant {
        Grant {
            prefix: prefix.into(),
            role,
        }
    }

    #[test]
    fn subjects_are_percent_decoded_and_lose_the_default_context() {
        assert_eq!(
            Rule::Subject(Operation::Write).need(Some(":.:a%2Fb")),
            Need::Permission(Operation::Write, subject("a/b"))
        );
    }

    #[test]
    fn a_higher_role_implies_the_lower_and_prefixes_bound_grants() {
        let grants = [grant("orders-", Role::Write)];
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
        let everything = [grant("", Role::Admin)];
        assert!(allows(
            &everything,
            Operation::AlterConfigs,
            &Resource::Global
        ));
        assert!(!allows(&everything, Operation::Read, &Resource::Schema(1)));
    }

    #[test]
    fn read_grants_reach_the_contexts_their_prefixes_can_match() {
        assert!(!reaches_context(&[grant("orders-", Role::Read)], ".prod"));
        let staging = [grant(":.staging:orders-", Role::Read)];
        assert!(reaches_context(&staging, ".staging"));
        assert!(!reaches_context(&staging, ".stag"));
        let all_contexts = [grant(":.", Role::Read)];
        assert!(reaches_context(&all_contexts, ".prod"));
        assert!(reaches_context(&[grant("", Role::Read)], ".prod"));
    }
}
