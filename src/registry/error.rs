//! What can go wrong in the registry, in domain terms; `api::error` renders
//! each as Confluent's status, `error_code` and message.

#[derive(Debug, Clone, PartialEq)]
pub enum RegistryError {
    SubjectNotFound(String),
    VersionNotFound(String),
    /// By id: `Schema <id> not found`.
    SchemaIdNotFound(i32),
    /// By content: `Schema not found`.
    SchemaNotFound,
    SubjectSoftDeleted(String),
    SubjectNotSoftDeleted(String),
    VersionSoftDeleted(String, i32),
    VersionNotSoftDeleted(String, i32),
    SubjectConfigNotFound(String),
    SubjectModeNotFound(String),
    /// The message list of the failed check.
    Incompatible {
        subject: String,
        messages: Vec<String>,
    },
    /// 42201 with its complete message.
    InvalidSchema(String),
    InvalidCompatibilityLevel,
    InvalidMode,
    /// 42205 with its complete message.
    OperationNotPermitted(String),
    ReferenceExists(String, i32),
    InvalidSubject(String),
    /// The store could not persist a write.
    Store(String),
}

pub type Result<T, E = RegistryError> = std::result::Result<T, E>;

/// A sentence for logs and the command line (startup errors); the HTTP
/// answers, in Confluent's words, are `api::error`'s.
impl std::fmt::Display for RegistryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use RegistryError::*;
        match self {
            SubjectNotFound(subject) => write!(f, "subject '{subject}' not found"),
            VersionNotFound(version) => write!(f, "version {version} not found"),
            SchemaIdNotFound(id) => write!(f, "schema id {id} not found"),
            SchemaNotFound => f.write_str("schema not found"),
            SubjectSoftDeleted(subject) => write!(f, "subject '{subject}' is soft-deleted"),
            SubjectNotSoftDeleted(subject) => {
                write!(f, "subject '{subject}' must be soft-deleted first")
            }
            VersionSoftDeleted(subject, version) => {
                write!(f, "subject '{subject}' version {version} is soft-deleted")
            }
            VersionNotSoftDeleted(subject, version) => write!(
                f,
                "subject '{subject}' version {version} must be soft-deleted first"
            ),
            SubjectConfigNotFound(subject) => {
                write!(f, "subject '{subject}' has no config of its own")
            }
            SubjectModeNotFound(subject) => write!(f, "subject '{subject}' has no mode of its own"),
            Incompatible { subject, messages } => write!(
                f,
                "incompatible with an earlier schema of subject '{subject}': {}",
                messages.join("; ")
            ),
            InvalidSchema(message) | OperationNotPermitted(message) => f.write_str(message),
            InvalidCompatibilityLevel => f.write_str("invalid compatibility level"),
            InvalidMode => f.write_str("invalid mode"),
            ReferenceExists(subject, version) => write!(
                f,
                "subject '{subject}' version {version} is referenced by another schema"
            ),
            InvalidSubject(subject) => write!(f, "invalid subject name '{subject}'"),
            Store(detail) => write!(f, "store error: {detail}"),
        }
    }
}

impl std::error::Error for RegistryError {}

#[cfg(test)]
mod tests {
    use super::RegistryError;

    #[test]
    fn a_store_error_displays_as_a_sentence_with_its_detail() {
        let error = RegistryError::Store("corrupt record value: EOF at line 1".into());
        assert_eq!(
            error.to_string(),
            "store error: corrupt record value: EOF at line 1"
        );
    }

    #[test]
    fn a_registry_error_is_a_std_error() {
        let boxed: Box<dyn std::error::Error> = Box::new(RegistryError::SchemaIdNotFound(7));
        assert_eq!(boxed.to_string(), "schema id 7 not found");
    }
}
