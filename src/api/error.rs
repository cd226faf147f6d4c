//! The one error type of the HTTP layer: every failure, from the registry
//! or from the framework, leaves as Confluent's status and
//! `{"error_code": …, "message": …}` body.

use axum::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::negotiate::json_response;
use crate::auth::Refusal;
use crate::registry::{
    NotPermitted, RegistryError, RequestReference, SchemaProblem, SchemaRequest,
};

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: u32,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// Framework errors use the HTTP status as their code.
    pub fn http(status: StatusCode, message: impl Into<String>) -> Self {
        Self::new(status, u32::from(status.as_u16()), message)
    }

    /// An unknown path, or a path/query integer that does not convert.
    pub fn not_found() -> Self {
        Self::http(StatusCode::NOT_FOUND, "HTTP 404 Not Found")
    }

    pub fn method_not_allowed() -> Self {
        Self::http(
            StatusCode::METHOD_NOT_ALLOWED,
            "HTTP 405 Method Not Allowed",
        )
    }

    pub fn not_acceptable() -> Self {
        Self::http(StatusCode::NOT_ACCEPTABLE, "HTTP 406 Not Acceptable")
    }

    pub fn unsupported_media_type() -> Self {
        Self::http(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "HTTP 415 Unsupported Media Type",
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::http(StatusCode::BAD_REQUEST, message)
    }

    /// A required body that is missing: Confluent names the Java parameter.
    pub fn missing_body(java_argument: &str) -> Self {
        Self::http(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{java_argument} must not be null (was null)"),
        )
    }

    /// No valid credentials, as rest-utils' authentication answers.
    pub fn unauthorized() -> Self {
        Self::http(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    /// Authenticated, but no grant allows `operation` on `resource`.
    pub fn forbidden(operation: &str, resource: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            40301,
            format!("User is denied operation {operation} on {resource}"),
        )
    }

    /// Too many password checks at once, worded as Confluent's REST proxy
    /// words its rate limit.
    pub fn too_many_requests() -> Self {
        Self::http(StatusCode::TOO_MANY_REQUESTS, "Request rate limit exceeded")
    }

    pub fn internal() -> Self {
        Self::http(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
    }

    pub fn invalid_version(raw: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            42202,
            format!("The specified version '{raw}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""),
        )
    }

    pub fn invalid_schema(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, 42201, message)
    }
}

impl From<RegistryError> for ApiError {
    fn from(error: RegistryError) -> Self {
        use RegistryError::*;
        let not_found = StatusCode::NOT_FOUND;
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        match error {
            SubjectNotFound(s) => Self::new(not_found, 40401, format!("Subject '{s}' not found.")),
            VersionNotFound(v) => Self::new(not_found, 40402, format!("Version {v} not found.")),
            SchemaIdNotFound(id) => Self::new(not_found, 40403, format!("Schema {id} not found")),
            SchemaNotFound => Self::new(not_found, 40403, "Schema not found"),
            SubjectSoftDeleted(s) => Self::new(
                not_found,
                40404,
                format!("Subject '{s}' was soft deleted.Set permanent=true to delete permanently"),
            ),
            SubjectNotSoftDeleted(s) => Self::new(
                not_found,
                40405,
                format!("Subject '{s}' was not deleted first before being permanently deleted"),
            ),
            VersionSoftDeleted(s, v) => Self::new(
                not_found,
                40406,
                format!("Subject '{s}' Version {v} was soft deleted.Set permanent=true to delete permanently"),
            ),
            VersionNotSoftDeleted(s, v) => Self::new(
                not_found,
                40407,
                format!("Subject '{s}' Version {v} was not deleted first before being permanently deleted"),
            ),
            SubjectConfigNotFound(s) => Self::new(
                not_found,
                40408,
                format!("Subject '{s}' does not have subject-level compatibility configured"),
            ),
            SubjectModeNotFound(s) => Self::new(
                not_found,
                40409,
                format!("Subject '{s}' does not have subject-level mode configured"),
            ),
            Incompatible { subject, messages } => Self::new(
                StatusCode::CONFLICT,
                409,
                format!(
                    "Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{}]",
                    messages.join(", ")
                ),
            ),
            InvalidSchema {
                subject,
                request,
                problem,
            } => Self::invalid_schema(invalid_schema_message(&subject, &request, &problem)),
            EmptySchema => Self::invalid_schema("Empty schema"),
            VersionNotNext => Self::invalid_schema("Version is not one more than previous version"),
            InvalidCompatibilityLevel => Self::new(
                unprocessable,
                42203,
                "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive",
            ),
            InvalidMode => Self::new(
                unprocessable,
                42204,
                "Invalid mode. Valid values are READWRITE, READONLY, and IMPORT.",
            ),
            NotPermitted(refusal) => Self::new(unprocessable, 42205, not_permitted_message(refusal)),
            ReferenceExists(s, v) => Self::new(
                unprocessable,
                42206,
                format!("One or more references exist to the schema {{magic=1,keytype=SCHEMA,subject={s},version={v}}}."),
            ),
            InvalidSubject(s) => Self::new(
                unprocessable,
                42208,
                format!("The specified subject '{s}' is not a valid."),
            ),
            Store(detail) => {
                tracing::error!(%detail, "store error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    50001,
                    "Register schema operation failed while writing to the Kafka store",
                )
            }
            StoreOutcomeUnknown(detail) => {
                tracing::error!(%detail, "store outcome unknown");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    50002,
                    "Register operation timed out",
                )
            }
        }
    }
}

/// Confluent's `Invalid schema {…}` 42201 message: the request as Java's
/// `Schema.toString()` prints it, then what is wrong. Failures of parsing
/// (`loadSchema`) also name the references and the type; failures of
/// validation (`maybeValidateAndNormalizeSchema`) do not.
fn invalid_schema_message(
    subject: &str,
    request: &SchemaRequest,
    problem: &SchemaProblem,
) -> String {
    let details = match problem {
        SchemaProblem::Parse(message) | SchemaProblem::Validation(message) => message.clone(),
        SchemaProblem::InvalidReference(reference) => {
            format!("Invalid reference: {}", describe_reference(reference))
        }
        SchemaProblem::ReferenceVersionZero => {
            "io.confluent.kafka.schemaregistry.exceptions.InvalidVersionException: 0".to_owned()
        }
        SchemaProblem::ReferenceNotFound { subject, version } => {
            format!("No schema reference found for subject \"{subject}\" and version {version}")
        }
    };
    let references: Vec<String> = request.references.iter().map(describe_reference).collect();
    let references = references.join(", ");
    let render =
        |v: &Option<serde_json::Value>| v.as_ref().map_or("null".to_owned(), |v| v.to_string());
    let schema = format!(
        "{{subject={subject},version={},id={},schemaType={},references=[{references}],metadata={},ruleSet={},schema={},schemaTags=null}}",
        request.version.unwrap_or(0),
        request.id.unwrap_or(-1),
        request.schema_type.as_str(),
        render(&request.metadata),
        render(&request.rule_set),
        request.schema.as_deref().unwrap_or("null"),
    );
    match problem {
        SchemaProblem::Validation(_) => format!("Invalid schema {schema}, details: {details}"),
        _ => format!(
            "Invalid schema {schema} with refs [{references}] of type {}, details: {details}",
            request.schema_type.as_str()
        ),
    }
}

/// Java's `SchemaReference.toString()`.
fn describe_reference(reference: &RequestReference) -> String {
    let quoted = |v: &Option<String>| v.as_deref().unwrap_or("null").to_owned();
    let version = reference
        .version
        .map_or("null".to_owned(), |v| v.to_string());
    format!(
        "{{name='{}', subject='{}', version={version}}}",
        quoted(&reference.name),
        quoted(&reference.subject)
    )
}

fn not_permitted_message(refusal: NotPermitted) -> String {
    use NotPermitted::*;
    match refusal {
        ReadOnly(subject) => format!("Subject {subject} is in read-only mode"),
        NotImportMode(subject) => format!("Subject {subject} is not in import mode"),
        NotReadWriteMode(subject) => format!("Subject {subject} is not in read-write mode"),
        IdTaken(id) => format!("Overwrite new schema with id {id} is not permitted."),
        SubjectsExist => "Cannot import since found existing subjects".to_owned(),
        IdLeavesNoRoom(id) => format!(
            "Schema id {id} cannot be imported: ids are positive 32-bit integers, and new schemas are given ids above the highest one, so none would be left; import ids below {}",
            i32::MAX
        ),
        VersionLeavesNoRoom(version) => format!(
            "Version {version} cannot be imported: versions are positive 32-bit integers, and new versions are numbered above the highest one, so none would be left; import versions below {}",
            i32::MAX
        ),
        IdsExhausted(context) => format!(
            "No schema id is left in context '{context}': every id up to {} is taken",
            i32::MAX
        ),
        VersionsExhausted(subject) => format!(
            "No version is left in subject '{subject}': every version up to {} is taken",
            i32::MAX
        ),
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Unauthenticated => Self::unauthorized(),
            Refusal::Forbidden {
                operation,
                resource,
            } => Self::forbidden(&operation.to_string(), &resource.to_string()),
            Refusal::TooManyAttempts { .. } => Self::too_many_requests(),
        }
    }
}

/// A refusal as rest-utils answers it: a 401 challenges for Basic
/// credentials, a 429 says when to retry.
pub fn refused(refusal: Refusal) -> Response {
    let header = match &refusal {
        Refusal::Unauthenticated => Some((
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"treaty\""),
        )),
        Refusal::TooManyAttempts { retry_after } => {
            Some((RETRY_AFTER, HeaderValue::from(retry_after.as_secs().max(1))))
        }
        Refusal::Forbidden { .. } => None,
    };
    let mut response = ApiError::from(refusal).into_response();
    if let Some((name, value)) = header {
        response.headers_mut().insert(name, value);
    }
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error_code": self.code, "message": self.message});
        (self.status, json_response(&body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
