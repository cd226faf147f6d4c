//! `/compatibility`: would this schema be accepted, and if not, why.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};

use super::access::read_references;
use super::body::{schema_request, JsonBody};
use super::error::{ApiError, ApiResult};
use super::negotiate::json_response;
use super::params::Params;
use super::path::{self, PathParams};
use super::routes::Routes;
use crate::auth::policy::Operation::Write;
use crate::auth::policy::Rule::Subject;
use crate::auth::Access;
use crate::registry::{CompatibilityTarget, Registry, RegistryError, SchemaRequest};

pub fn routes() -> Routes {
    Routes::new()
        .post(
            "/compatibility/subjects/{subject}/versions",
            Subject(Write),
            check_registration,
        )
        .post(
            "/compatibility/subjects/{subject}/versions/{version}",
            Subject(Write),
            check_version,
        )
}

async fn check_registration(
    State(registry): State<Arc<Registry>>,
    access: Access,
    PathParams(subject): PathParams<String>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let request = schema_request(&body, "testCompatibilityForSubject.arg3")?;
    read_references(&access, &subject, &request)?;
    check(
        &registry,
        &subject,
        CompatibilityTarget::Registration,
        &params,
        &request,
    )
}

async fn check_version(
    State(registry): State<Arc<Registry>>,
    access: Access,
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let target = CompatibilityTarget::Version(path::version(&version)?);
    let request = schema_request(&body, "testCompatibilityBySubjectName.arg4")?;
    read_references(&access, &subject, &request)?;
    check(&registry, &subject, target, &params, &request)
}

/// With `verbose`, an invalid schema is an answer (incompatible, with the
/// parse error as its message) rather than a 422.
fn check(
    registry: &Registry,
    subject: &str,
    target: CompatibilityTarget,
    params: &Params,
    request: &SchemaRequest,
) -> ApiResult<Response> {
    let verbose = params.flag("verbose");
    let messages =
        match registry.test_compatibility(subject, target, request, params.flag("normalize")) {
            Err(error @ (RegistryError::InvalidSchema { .. } | RegistryError::EmptySchema))
                if verbose =>
            {
                vec![ApiError::from(error).message]
            }
            other => other?,
        };
    let mut answer = json!({"is_compatible": messages.is_empty()});
    if verbose {
        answer["messages"] = Value::from(messages);
    }
    Ok(json_response(&answer))
}
