//! What can go wrong in the registry, in domain terms; `api::error` renders
//! each as Confluent's status, `error_code` and message.

use super::{RequestReference, SchemaRequest};

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
    /// The schema of `request` under `subject` does not parse, resolve or
    /// validate.
    InvalidSchema {
        subject: String,
        request: Box<SchemaRequest>,
        problem: SchemaProblem,
    },
    /// A registration without schema text and no earlier version to take
    /// it from.
    EmptySchema,
    /// A registration that names a version other than the next one.
    VersionNotNext,
    InvalidCompatibilityLevel,
    InvalidMode,
    NotPermitted(NotPermitted),
    ReferenceExists(String, i32),
    InvalidSubject(String),
    /// The log could not make a write durable.
    Store(String),
}

/// Why a schema is invalid.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaProblem {
    /// The parser's or validator's own message.
    Parse(String),
    /// A reference without a name, subject or version.
    InvalidReference(RequestReference),
    /// A reference to version 0.
    ReferenceVersionZero,
    /// A reference to a subject-version that does not exist.
    ReferenceNotFound { subject: String, version: i32 },
}

/// Writes the registry refuses in its current mode or state (Confluent's
/// 42205 family).
#[derive(Debug, Clone, PartialEq)]
pub enum NotPermitted {
    /// The subject (or its context, or everything) is read-only.
    ReadOnly(String),
    /// An explicit id outside IMPORT mode.
    NotImportMode(String),
    /// A registration without an id in IMPORT mode.
    NotReadWriteMode(String),
    /// IMPORT of an id that already names another schema.
    IdTaken(i32),
    /// Entering IMPORT mode while live subjects exist.
    SubjectsExist,
    /// IMPORT of an id after which no id is left to allocate.
    IdLeavesNoRoom(i32),
    /// IMPORT of a version after which no version is left to allocate.
    VersionLeavesNoRoom(i32),
    /// Every id of the context is taken.
    IdsExhausted(String),
    /// Every version number of the subject is taken.
    VersionsExhausted(String),
}

impl From<NotPermitted> for RegistryError {
    fn from(refusal: NotPermitted) -> Self {
        RegistryError::NotPermitted(refusal)
    }
}

pub type Result<T, E = RegistryError> = std::result::Result<T, E>;
