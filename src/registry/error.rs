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
    /// The log could not tell whether a write counts; every node will
    /// agree on it once they read it.
    StoreOutcomeUnknown(String),
}

/// Why a schema is invalid.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaProblem {
    /// What parsing refused, in the parser's words.
    Parse(String),
    /// What Confluent's validation of the parsed schema refuses, in its
    /// words.
    Validation(String),
    /// A reference without a name, subject or version.
    InvalidReference(RequestReference),
    /// A reference to version 0.
    ReferenceVersionZero,
    /// A reference to a subject-version that does not exist.
    ReferenceNotFound { subject: String, version: i32 },
}

impl From<treaty_compat::ParseError> for SchemaProblem {
    fn from(error: treaty_compat::ParseError) -> Self {
        match error.validation {
            Some(details) => Self::Validation(details),
            None => Self::Parse(error.message),
        }
    }
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
            InvalidSchema {
                subject, problem, ..
            } => write!(f, "invalid schema for subject '{subject}': {problem:?}"),
            EmptySchema => f.write_str("empty schema"),
            VersionNotNext => f.write_str("the version is not one more than the previous one"),
            NotPermitted(refusal) => write!(f, "operation not permitted: {refusal:?}"),
            InvalidCompatibilityLevel => f.write_str("invalid compatibility level"),
            InvalidMode => f.write_str("invalid mode"),
            ReferenceExists(subject, version) => write!(
                f,
                "subject '{subject}' version {version} is referenced by another schema"
            ),
            InvalidSubject(subject) => write!(f, "invalid subject name '{subject}'"),
            Store(detail) => write!(f, "store error: {detail}"),
            StoreOutcomeUnknown(detail) => write!(f, "store outcome unknown: {detail}"),
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
