//! `/mode`: READWRITE, READONLY, READONLY_OVERRIDE and IMPORT, global and
//! per subject or context. PUT echoes the requested mode as sent.

use std::sync::Arc;

use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::body::JsonBody;
use super::error::ApiResult;
use super::negotiate::json_response;
use super::params::Params;
use super::path::PathParams;
use super::routes::Routes;
use crate::auth::policy::Operation::{AlterConfigs, Read};
use crate::auth::policy::Rule::{Authenticated, Global, Subject};
use crate::registry::{Mode, Registry, RegistryError};

pub fn routes() -> Routes {
    Routes::new()
        .get("/mode", Authenticated, get_global)
        .put("/mode", Global(AlterConfigs), put_global)
        // `DELETE /mode` came with Confluent 8; 7.9 answers it 405.
        .unrouted(Method::DELETE, "/mode", Global(AlterConfigs))
        .get("/mode/{subject}", Subject(Read), get_subject)
        .put("/mode/{subject}", Subject(AlterConfigs), put_subject)
        .delete("/mode/{subject}", Subject(AlterConfigs), delete_subject)
}

fn mode_body(mode: Mode) -> Value {
    json!({"mode": mode.as_str()})
}

/// The requested mode and its text as sent. Anything that is not a mode
/// it knows is 42204, also a missing or null `mode` (where 7.9 answers a
/// bare 500; COMPATIBILITY.md).
fn requested_mode(body: &Map<String, Value>) -> ApiResult<(Mode, &str)> {
    match body.get("mode") {
        Some(Value::String(text)) => Ok((text.parse::<Mode>()?, text)),
        _ => Err(RegistryError::InvalidMode.into()),
    }
}

/// What PUT answers: Confluent echoes its `ModeUpdateRequest`, which holds
/// the mode as sent and nothing else of the body.
fn echoed(text: &str) -> Response {
    json_response(&json!({ "mode": text }))
}

async fn get_global(State(registry): State<Arc<Registry>>) -> Response {
    json_response(&mode_body(registry.global_mode()))
}

async fn put_global(
    State(registry): State<Arc<Registry>>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let body = body.object("updateTopLevelMode.arg1", "ModeUpdateRequest")?;
    let (mode, text) = requested_mode(&body)?;
    registry.set_mode(None, mode, params.flag("force")).await?;
    Ok(echoed(text))
}

async fn get_subject(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let mode = registry.subject_mode(&subject, params.flag("defaultToGlobal"))?;
    Ok(json_response(&mode_body(mode)))
}

async fn put_subject(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let body = body.object("updateMode.arg2", "ModeUpdateRequest")?;
    let (mode, text) = requested_mode(&body)?;
    registry
        .set_mode(Some(&subject), mode, params.flag("force"))
        .await?;
    Ok(echoed(text))
}

async fn delete_subject(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
) -> ApiResult<Response> {
    let previous = registry.delete_mode(&subject).await?;
    Ok(json_response(&mode_body(previous)))
}
