//! `/compatibility`: would this schema be accepted, and if not, why.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use super::body::{schema_request, JsonBody};
use super::error::{ApiError, ApiResult};
use super::negotiate::json_response;
use super::params::Params;
use super::path::{self, PathParams};
use crate::registry::{CompatibilityTarget, Registry, RegistryError, SchemaRequest};

pub fn routes() -> Router<Arc<Registry>> {
    Router::new()
        .route(
            "/compatibility/subjects/{subject}/versions",
            post(check_registration),
        )
        .route(
            "/compatibility/subjects/{subject}/versions/{version}",
            post(check_version),
        )
}

async fn check_registration(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let request = schema_request(&body, "testCompatibilityForSubject.arg3")?;
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
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let target = CompatibilityTarget::Version(path::version(&version)?);
    let request = schema_request(&body, "testCompatibilityBySubjectName.arg4")?;
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
