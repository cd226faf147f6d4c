//! `/config`: compatibility and related settings, global and per subject.
//! GET answers `compatibilityLevel`, PUT takes and echoes `compatibility`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;

use serde_json::{Map, Value};

use super::body::{bool_field, text_field, JsonBody};
use super::error::ApiResult;
use super::negotiate::json_response;
use super::params::Params;
use super::path::PathParams;
use super::routes::Routes;
use super::typed::{metadata_field, rule_set_field};
use crate::auth::policy::Operation::{AlterConfigs, Read};
use crate::auth::policy::Rule::{Authenticated, Global, Subject};
use crate::registry::Registry;

pub fn routes() -> Routes {
    Routes::new()
        .get("/config", Authenticated, get_global)
        .put("/config", Global(AlterConfigs), put_global)
        .delete("/config", Global(AlterConfigs), delete_global)
        .get("/config/{subject}", Subject(Read), get_subject)
        .put("/config/{subject}", Subject(AlterConfigs), put_subject)
        .delete("/config/{subject}", Subject(AlterConfigs), delete_subject)
}

async fn get_global(State(registry): State<Arc<Registry>>) -> Response {
    json_response(&registry.global_config())
}

async fn put_global(State(registry): State<Arc<Registry>>, body: JsonBody) -> ApiResult<Response> {
    let update = config_update(body.object("updateTopLevelConfig.arg1", "ConfigUpdateRequest")?)?;
    Ok(json_response(&registry.set_config(None, update).await?))
}

async fn delete_global(State(registry): State<Arc<Registry>>) -> ApiResult<Response> {
    Ok(json_response(&registry.delete_config(None).await?))
}

async fn get_subject(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let config = registry.subject_config(&subject, params.flag("defaultToGlobal"))?;
    Ok(json_response(&config))
}

async fn put_subject(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    body: JsonBody,
) -> ApiResult<Response> {
    let update =
        config_update(body.object("updateSubjectLevelConfig.arg2", "ConfigUpdateRequest")?)?;
    Ok(json_response(
        &registry.set_config(Some(&subject), update).await?,
    ))
}

async fn delete_subject(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
) -> ApiResult<Response> {
    Ok(json_response(
        &registry.delete_config(Some(&subject)).await?,
    ))
}

/// Jackson's coercions for the typed fields of `ConfigUpdateRequest`, read
/// as registration reads them; an explicit `null` stays, to clear the field.
fn config_update(mut body: Map<String, Value>) -> ApiResult<Map<String, Value>> {
    for name in [
        "normalize",
        "validateFields",
        crate::registry::PROTOBUF_WIRE_RULES,
    ] {
        if let Some(flag) = bool_field(body.get(name))? {
            body.insert(name.to_owned(), Value::Bool(flag));
        }
    }
    for name in ["alias", "compatibilityGroup"] {
        if let Some(text) = text_field(body.get(name))? {
            body.insert(name.to_owned(), Value::String(text));
        }
    }
    for name in ["defaultMetadata", "overrideMetadata"] {
        if let Some(metadata) = metadata_field(body.get(name))? {
            body.insert(name.to_owned(), metadata);
        }
    }
    for name in ["defaultRuleSet", "overrideRuleSet"] {
        if let Some(rule_set) = rule_set_field(body.get(name))? {
            body.insert(name.to_owned(), rule_set);
        }
    }
    Ok(body)
}
