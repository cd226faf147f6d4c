//! Path parameters: subjects arrive percent-decoded within their segment;
//! ids and versions are parsed as Confluent parses them.

use axum::extract::rejection::PathRejection;
use axum::extract::FromRequestParts;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use super::error::{ApiError, ApiResult};
use super::params::parse_java_int;
use crate::registry::VersionSpec;

/// How a subject is escaped as a path segment: all but the unreserved
/// characters and the `:` of qualified subjects (`:.ctx:subject`).
pub const SUBJECT_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b':');

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct PathParams<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        ApiError::not_found()
    }
}

/// `{id}`: an int, else JAX-RS's 404.
pub fn schema_id(raw: &str) -> ApiResult<i32> {
    parse_java_int(raw).ok_or_else(ApiError::not_found)
}

/// `{v}`: a version number, `latest` or `-1`, else 42202.
pub fn version(raw: &str) -> ApiResult<VersionSpec> {
    VersionSpec::parse(raw).ok_or_else(|| ApiError::invalid_version(raw))
}
