//! `/subjects`: listing, lookup, registration, versions and deletes.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::answers::RenderedAnswers;
use super::body::{schema_request, JsonBody};
use super::error::ApiResult;
use super::negotiate::{json_bytes, json_response, raw_response};
use super::params::Params;
use super::path::{self, PathParams};
use super::views;
use crate::registry::{Registry, SubjectFilter, ALL_CONTEXTS};

pub fn routes() -> Router<Arc<Registry>> {
    Router::new()
        .route("/subjects", get(list_subjects))
        .route("/subjects/{subject}", post(lookup).delete(delete_subject))
        .route("/subjects/{subject}/metadata", get(latest_with_metadata))
        .route(
            "/subjects/{subject}/versions",
            get(list_versions).post(register),
        )
        .route(
            "/subjects/{subject}/versions/{version}",
            get(get_version).delete(delete_version),
        )
        .route(
            "/subjects/{subject}/versions/{version}/schema",
            get(get_version_schema),
        )
        .route(
            "/subjects/{subject}/versions/{version}/referencedby",
            get(referenced_by),
        )
}

/// `deletedOnly`, also spelled `deleted_only` by some clients.
fn filter(params: &Params) -> SubjectFilter {
    SubjectFilter::from_flags(
        params.flag("deleted"),
        params.flag("deletedOnly") || params.flag("deleted_only"),
    )
}

async fn list_subjects(
    State(registry): State<Arc<Registry>>,
    Extension(answers): Extension<Arc<RenderedAnswers>>,
    RawQuery(query): RawQuery,
    params: Params,
) -> ApiResult<Response> {
    if query.is_none() {
        return Ok(raw_response(
            answers.all_subjects(&registry, |names| json_bytes(&names)),
        ));
    }
    let prefix = params.get("subjectPrefix").unwrap_or(ALL_CONTEXTS);
    let page = params.page()?;
    let subjects = registry.subjects(prefix, filter(&params));
    Ok(json_response(&page.apply(subjects, None)))
}

async fn lookup(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let request = schema_request(&body, "lookUpSchemaUnderSubject.arg5")?;
    let found = registry.lookup(
        &subject,
        &request,
        params.flag("normalize"),
        params.flag("deleted"),
    )?;
    let text = registry.formatted(&found.content, params.get("format"));
    Ok(json_response(&views::schema(&found, text)))
}

/// `key`/`value` pairs zipped by position (extra keys or values dropped;
/// a repeated key keeps its last value), as Confluent collects them.
async fn latest_with_metadata(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let mut properties: Vec<(String, String)> = Vec::new();
    for (key, value) in params.all("key").into_iter().zip(params.all("value")) {
        properties.retain(|(k, _)| k != key);
        properties.push((key.to_owned(), value.to_owned()));
    }
    let found = registry.latest_with_metadata(&subject, &properties, params.flag("deleted"))?;
    let text = registry.formatted(&found.content, params.get("format"));
    Ok(json_response(&views::schema(&found, text)))
}

async fn delete_subject(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let deleted = registry
        .delete_subject(&subject, params.flag("permanent"))
        .await?;
    Ok(json_response(&deleted))
}

async fn list_versions(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let page = params.page()?;
    let versions = registry.versions(&subject, filter(&params))?;
    Ok(json_response(&page.apply(versions, None)))
}

async fn register(
    State(registry): State<Arc<Registry>>,
    PathParams(subject): PathParams<String>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let request = schema_request(&body, "register.arg5")?;
    let outcome = registry
        .register(&subject, request, params.flag("normalize"))
        .await?;
    Ok(json_response(&views::registered(&outcome)))
}

async fn get_version(
    State(registry): State<Arc<Registry>>,
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
) -> ApiResult<Response> {
    let version = path::version(&version)?;
    let found = registry.version(&subject, version, params.flag("deleted"))?;
    let text = registry.formatted(&found.content, params.get("format"));
    Ok(json_response(&views::schema(&found, text)))
}

/// The schema text itself, not JSON-quoted.
async fn get_version_schema(
    State(registry): State<Arc<Registry>>,
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
) -> ApiResult<Response> {
    let version = path::version(&version)?;
    let found = registry.version(&subject, version, params.flag("deleted"))?;
    Ok(raw_response(
        registry
            .formatted(&found.content, params.get("format"))
            .into_owned(),
    ))
}

async fn referenced_by(
    State(registry): State<Arc<Registry>>,
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
) -> ApiResult<Response> {
    let version = path::version(&version)?;
    let page = params.page()?;
    let ids = registry.referenced_by(&subject, version, params.flag("deleted"))?;
    Ok(json_response(&page.apply(ids, Some(1000))))
}

async fn delete_version(
    State(registry): State<Arc<Registry>>,
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
) -> ApiResult<Response> {
    let version = path::version(&version)?;
    let deleted = registry
        .delete_version(&subject, version, params.flag("permanent"))
        .await?;
    Ok(json_response(&deleted))
}
