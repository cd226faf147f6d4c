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
