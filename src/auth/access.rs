//! What an admitted request may see: the grants of its principal, for the
//! decisions a route can only make once it knows what it answers (the
//! subject a context fallback served, the subjects holding a schema id,
//! the entries of a listing).

use std::sync::Arc;

use super::escape::Escaped;
use super::policy::{self, Grant, Operation, Resource};
use super::Refusal;

/// Travels with an admitted request (as a request extension); a request
/// that carries none was admitted by a server without authentication.
#[derive(Debug, Clone)]
pub struct Access(Scope);

#[derive(Debug, Clone)]
enum Scope {
    /// Authentication is off.
    Everything,
    Principal {
        name: Arc<str>,
        grants: Arc<[Grant]>,
        /// Listings and schemas by id open to every principal
        /// (`--auth-open-reads`), as before reads were filtered.
        open_reads: bool,
    },
}

impl Access {
    pub fn everything() -> Self {
        Self(Scope::Everything)
    }

    pub fn principal(name: &str, grants: &[Grant], open_reads: bool) -> Self {
        Self(Scope::Principal {
            name: name.into(),
            grants: grants.into(),
            open_reads,
        })
    }

    /// The authenticated principal's name; `None` when authentication is
    /// off or the route was open to everyone.
    pub fn principal_name(&self) -> Option<Arc<str>> {
        match &self.0 {
            Scope::Principal { name, .. } if !name.is_empty() => Some(Arc::clone(name)),
            _ => None,
        }
    }

    /// Whether the grants allow reading `subject` (as the handlers name
    /// it: `:.ctx:name`, or the bare name in the default context).
    pub fn may_read(&self, subject: &str) -> bool {
        match &self.0 {
            Scope::Everything => true,
            Scope::Principal { grants, .. } => policy::allows(
                grants,
                Operation::Read,
                &Resource::Subject(subject.to_owned()),
            ),
        }
    }

    /// `Ok` when the grants allow reading `subject`, else the refusal
    /// (logged).
    pub fn read(&self, subject: &str) -> Result<(), Refusal> {
        self.permit(Operation::Read, Resource::Subject(subject.to_owned()))
    }

    /// Whether the grants allow `operation` on `resource`, asked to decide
    /// what to offer rather than to admit a request (so nothing is logged).
    pub fn allows(&self, operation: Operation, resource: &Resource) -> bool {
        match &self.0 {
            Scope::Everything => true,
            Scope::Principal { grants, .. } => policy::allows(grants, operation, resource),
        }
    }

    /// Whether the grants allow `operation` on some subject.
    pub fn allows_somewhere(&self, operation: Operation) -> bool {
        match &self.0 {
            Scope::Everything => true,
            Scope::Principal { grants, .. } => grants.iter().any(|g| g.role >= operation.role()),
        }
    }

    /// `Ok` when the grants allow `operation` on `resource`, else the
    /// refusal (logged).
    pub fn permit(&self, operation: Operation, resource: Resource) -> Result<(), Refusal> {
        let allowed = match &self.0 {
            Scope::Everything => true,
            Scope::Principal { grants, .. } => policy::allows(grants, operation, &resource),
        };
        if allowed {
            Ok(())
        } else {
            Err(self.refuse(operation, resource))
        }
    }

    /// Whether listings and schema ids are shown whole: no authentication,
    /// open reads, or a read grant on every subject.
    pub fn sees_everything(&self) -> bool {
        match &self.0 {
            Scope::Everything => true,
            Scope::Principal {
                grants, open_reads, ..
            } => *open_reads || grants.iter().any(|g| g.prefix.is_empty()),
        }
    }

    /// Whether a listing shows `subject`.
    pub fn sees(&self, subject: &str) -> bool {
        self.sees_everything() || self.may_read(subject)
    }

    /// Whether `/contexts` shows the named context `.ctx`.
    pub fn sees_context(&self, context: &str) -> bool {
        match &self.0 {
            Scope::Principal {
                grants,
                open_reads: false,
                ..
            } => policy::reaches_context(grants, context),
            _ => true,
        }
    }

    /// The refusal of a schema id that no subject the principal may read
    /// holds (logged).
    pub fn refuse_schema(&self, id: i32) -> Refusal {
        self.refuse(Operation::Read, Resource::Schema(id))
    }

    fn refuse(&self, operation: Operation, resource: Resource) -> Refusal {
        let name = match &self.0 {
            Scope::Principal { name, .. } => name.as_ref(),
            Scope::Everything => "",
        };
        tracing::info!(
            principal = %Escaped(name),
            %operation,
            resource = %Escaped(&resource.to_string()),
            "authorization denied"
        );
        Refusal::Forbidden {
            operation,
            resource,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::Role;

    fn reader(prefix: &str, open_reads: bool) -> Access {
        let grants = [Grant {
            prefix: prefix.into(),
            role: Role::Read,
        }];
        Access::principal("reader", &grants, open_reads)
    }

    #[test]
    fn a_prefix_grant_sees_its_subjects_only_unless_reads_are_open() {
        let access = reader("orders-", false);
        assert!(access.sees("orders-value"));
        assert!(!access.sees("payments-value"));
        assert!(!access.sees(":.prod:orders-value"));
        assert!(!access.sees_everything());
        assert!(reader("orders-", true).sees("payments-value"));
        assert!(reader("", false).sees_everything());
        assert!(Access::everything().sees(":.prod:anything"));
    }

    #[test]
    fn a_denied_read_names_the_subject() {
        assert_eq!(
            reader("orders-", false).read(":.prod:orders-secret"),
            Err(Refusal::Forbidden {
                operation: Operation::Read,
                resource: Resource::Subject(":.prod:orders-secret".into()),
            })
        );
    }
}
