//! The JSON the web UI needs where no Confluent endpoint answers it in one
//! request: a page of subjects with their type, level and mode, filtered
//! and sorted over the whole registry (`GET /ui/api/subjects`); a
//! subject's effective settings and where each comes from; a version's
//! schema normalised (`…/normalized`); and the semantic changes between
//! two versions (`…/compare`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use treaty_compat::SchemaType;

use super::error::{ApiError, ApiResult};
use super::negotiate::json_response;
use super::params::Params;
use super::path::{self, PathParams};
use super::routes::Routes;
use crate::auth::policy::Operation::{AlterConfigs, Delete, Read, Write};
use crate::auth::policy::Resource;
use crate::auth::policy::Rule::{Authenticated, Subject};
use crate::auth::Access;
use crate::registry::{
    Comparison, Deleted, Mode, QualifiedSubject, Registry, SortKey, Source, SubjectQuery,
    SubjectSummary,
};

/// A page holds at most this many subjects, and this many when no limit
/// is asked.
const MAX_PAGE: usize = 500;
const DEFAULT_PAGE: usize = 50;

pub fn routes() -> Routes {
    Routes::new()
        .get("/ui/api/session", Authenticated, session)
        .get("/ui/api/subjects", Authenticated, subjects)
        .get(
            "/ui/api/subjects/{subject}/settings",
            Subject(Read),
            settings,
        )
        .get(
            "/ui/api/subjects/{subject}/versions/{version}/normalized",
            Subject(Read),
            normalized,
        )
        .get("/ui/api/subjects/{subject}/compare", Subject(Read), compare)
}

fn invalid(name: &str, value: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        422,
        format!("Invalid value '{value}' of the parameter '{name}'"),
    )
}

/// A parameter parsed with `parse`; absent or empty is `None`.
fn optional<T>(
    params: &Params,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> ApiResult<Option<T>> {
    match params.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => parse(value).map(Some).ok_or_else(|| invalid(name, value)),
    }
}

fn count(params: &Params, name: &str, default: usize) -> ApiResult<usize> {
    Ok(optional(params, name, |v| v.parse::<usize>().ok())?.unwrap_or(default))
}

fn query(params: &Params) -> ApiResult<SubjectQuery> {
    let deleted = optional(params, "deleted", |v| match v {
        "hidden" => Some(Deleted::Hidden),
        "included" => Some(Deleted::Included),
        "only" => Some(Deleted::Only),
        _ => None,
    })?;
    let sort = optional(params, "sort", |v| match v {
        "name" => Some(SortKey::Name),
        "versions" => Some(SortKey::Versions),
        "latestId" => Some(SortKey::LatestId),
        _ => None,
    })?;
    let descending = optional(params, "order", |v| match v {
        "asc" => Some(false),
        "desc" => Some(true),
        _ => None,
    })?;
    let limit = count(params, "limit", DEFAULT_PAGE)?;
    if limit == 0 || limit > MAX_PAGE {
        return Err(invalid("limit", &limit.to_string()));
    }
    Ok(SubjectQuery {
        name: params
            .get("name")
            .filter(|v| !v.is_empty())
            .map(str::to_owned),
        schema_type: optional(params, "type", SchemaType::from_name)?,
        context: params
            .get("context")
            .filter(|v| !v.is_empty())
            .map(str::to_owned),
        level: optional(params, "level", |v| v.parse().ok())?,
        mode: optional(params, "mode", |v| v.parse::<Mode>().ok())?,
        deleted: deleted.unwrap_or_default(),
        sort: sort.unwrap_or_default(),
        descending: descending.unwrap_or(false),
        offset: count(params, "offset", 0)?,
        limit,
    })
}

fn setting(value: &str, source: Source) -> Value {
    json!({"value": value, "source": source.as_str()})
}

fn summary(subject: &SubjectSummary) -> Value {
    json!({
        "subject": subject.name,
        "context": subject.context,
        "schemaType": subject.schema_type.as_str(),
        "latestVersion": subject.latest_version,
        "latestId": subject.latest_id,
        "liveVersions": subject.live_versions,
        "deleted": subject.deleted,
        "compatibility": setting(subject.level.0.as_str(), subject.level.1),
        "mode": setting(subject.mode.0.as_str(), subject.mode.1),
    })
}

/// `GET /ui/api/subjects`: one page, and the count of every match.
async fn subjects(
    State(registry): State<Arc<Registry>>,
    access: Access,
    params: Params,
) -> ApiResult<Response> {
    let query = query(&params)?;
    let page = registry.subject_page(&query, |name| access.sees(name));
    Ok(json_response(&json!({
        "total": page.total,
        "offset": query.offset,
        "limit": query.limit,
        "subjects": page.subjects.iter().map(summary).collect::<Vec<_>>(),
    })))
}

/// What the caller may do to `resource`, so the UI offers only that.
fn allowed(access: &Access, resource: &Resource) -> Value {
    json!({
        "write": access.allows(Write, resource),
        "delete": access.allows(Delete, resource),
        "alterConfigs": access.allows(AlterConfigs, resource),
    })
}

/// `GET /ui/api/session`: who is asking, what they may do globally, and
/// the global mode (read-only hides every change).
async fn session(State(registry): State<Arc<Registry>>, access: Access) -> Response {
    let (_, (mode, _)) = registry.effective_settings("");
    json_response(&json!({
        "principal": access.principal_name().as_deref(),
        "mode": mode.as_str(),
        "allowed": allowed(&access, &Resource::Global),
        "writesSomewhere": access.allows_somewhere(Write),
    }))
}

/// `GET /ui/api/subjects/{subject}/settings`: the effective level and
/// mode, each with the scope that set it, and what the caller may do to
/// the subject.
async fn settings(
    State(registry): State<Arc<Registry>>,
    access: Access,
    PathParams(subject): PathParams<String>,
) -> Response {
    let (level, mode) = registry.effective_settings(&subject);
    let resource = Resource::Subject(QualifiedSubject::parse(&subject).to_string());
    json_response(&json!({
        "compatibility": setting(level.0.as_str(), level.1),
        "mode": setting(mode.0.as_str(), mode.1),
        "allowed": allowed(&access, &resource),
    }))
}

/// `GET /ui/api/subjects/{subject}/versions/{version}/normalized`: the
/// version's schema as `normalize=true` would store it, beside the stored
/// one, for the subject page's toggle (Confluent has no read that
/// normalises). Soft-deleted versions are found too, as the page shows
/// them; one that does not normalise answers why in `problem`.
async fn normalized(
    State(registry): State<Arc<Registry>>,
    access: Access,
    PathParams((subject, version)): PathParams<(String, String)>,
) -> ApiResult<Response> {
    let found = registry.version(&subject, path::version(&version)?, true)?;
    access.read(&found.subject)?;
    let (schema, problem) = match registry.normalized(&found.content) {
        Ok(text) => (Some(text), None),
        Err(problem) => (None, Some(problem)),
    };
    Ok(json_response(&json!({
        "subject": found.subject,
        "version": found.version,
        "id": found.id,
        "schemaType": found.content.schema_type.as_str(),
        "schema": schema,
        "problem": problem,
    })))
}

fn side(view: &crate::registry::VersionView) -> Value {
    json!({
        "version": view.version,
        "id": view.id,
        "deleted": view.deleted,
        "schemaType": view.content.schema_type.as_str(),
        "schema": view.content.schema,
    })
}

fn comparison(subject: &str, found: &Comparison) -> Value {
    let changes: Vec<Value> = found
        .changes
        .iter()
        .map(|change| {
            let mut finding = serde_json::to_value(&change.finding).expect("a finding serializes");
            finding["breaking"] = Value::Bool(change.breaking);
            finding
        })
        .collect();
    json!({
        "subject": subject,
        "compatibility": setting(found.level.0.as_str(), found.level.1),
        "old": side(&found.old),
        "new": side(&found.new),
        "compatible": !found.changes.iter().any(|c| c.breaking),
        "changes": changes,
        "problem": found.problem,
    })
}

/// `GET /ui/api/subjects/{subject}/compare?old=V&new=W`: `new` defaults to
/// the latest version, `old` to the one before `new`'s number.
async fn compare(
    State(registry): State<Arc<Registry>>,
    access: Access,
    PathParams(subject): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let new = path::version(params.get("new").unwrap_or("latest"))?;
    let old = match params.get("old") {
        Some(raw) => path::version(raw)?,
        None => {
            let newest = registry.version(&subject, new, true)?;
            path::version(&(newest.version - 1).max(1).to_string())?
        }
    };
    let found = registry.compare(&subject, old, new)?;
    access.read(&found.new.subject)?;
    Ok(json_response(&comparison(&found.new.subject, &found)))
}
