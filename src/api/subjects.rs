//! `/subjects`: listing, lookup, registration, versions and deletes.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::Extension;

use super::access::read_references;
use super::answers::RenderedAnswers;
use super::body::{schema_request, JsonBody};
use super::error::ApiResult;
use super::negotiate::{json_bytes, json_response, raw_response};
use super::params::Params;
use super::path::{self, PathParams};
use super::routes::Routes;
use super::usage::{refuse_delete, Seen};
use super::views;
use crate::auth::policy::Operation::{Delete, Read, Write};
use crate::auth::policy::Rule::{Authenticated, Subject};
use crate::auth::Access;
use crate::metrics::Metrics;
use crate::registry::{
    DeleteKind, DeletePreview, QualifiedSubject, Registry, RegistryError, SubjectFilter,
    VersionView, ALL_CONTEXTS,
};
use crate::usage::{Event, Usage};

/// The listing needs a principal and shows the subjects it may read; the
/// rest need a role on `{subject}`, and where the registry serves another
/// context's subject of that name, read on the one served.
pub fn routes() -> Routes {
    Routes::new()
        .get("/subjects", Authenticated, list_subjects)
        .post("/subjects/{subject}", Subject(Read), lookup)
        .delete("/subjects/{subject}", Subject(Delete), delete_subject)
        .get(
            "/subjects/{subject}/metadata",
            Subject(Read),
            latest_with_metadata,
        )
        .get("/subjects/{subject}/versions", Subject(Read), list_versions)
        .post("/subjects/{subject}/versions", Subject(Write), register)
        .get(
            "/subjects/{subject}/versions/{version}",
            Subject(Read),
            get_version,
        )
        .delete(
            "/subjects/{subject}/versions/{version}",
            Subject(Delete),
            delete_version,
        )
        .get(
            "/subjects/{subject}/versions/{version}/schema",
            Subject(Read),
            get_version_schema,
        )
        .get(
            "/subjects/{subject}/versions/{version}/referencedby",
            Subject(Read),
            referenced_by,
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
    access: Access,
    RawQuery(query): RawQuery,
    params: Params,
) -> ApiResult<Response> {
    if query.is_none() && access.sees_everything() {
        return Ok(raw_response(
            answers.all_subjects(&registry, |names| json_bytes(&names)),
        ));
    }
    let prefix = params.get("subjectPrefix").unwrap_or(ALL_CONTEXTS);
    let page = params.page()?;
    let mut subjects = registry.subjects(prefix, filter(&params));
    subjects.retain(|subject| access.sees(subject));
    Ok(json_response(&page.apply(subjects, None)))
}

/// With `--usage-delete-guard`, a delete of what was used within the
/// window needs `force=true` (off by default, as in Confluent). `affected`
/// is the delete's own dry run: the guard weighs exactly the versions the
/// delete would reach, and a delete the registry refuses anyway is left to
/// that refusal.
async fn refuse_recently_used<T>(
    usage: &Usage,
    params: &Params,
    affected: impl FnOnce() -> Result<DeletePreview<T>, RegistryError>,
) -> ApiResult<()> {
    if params.flag("force") || usage.settings().delete_guard.is_none() {
        return Ok(());
    }
    usage.loaded().await;
    let Ok(preview) = affected() else {
        return Ok(());
    };
    match usage.recent_use(&preview.versions) {
        Some(recent) => Err(refuse_delete(recent)),
        None => Ok(()),
    }
}

/// Reads of an unqualified subject fall back to the same name in other
/// contexts, so the permission checked on the path is checked again on
/// the subject actually served.
fn served(access: &Access, found: VersionView) -> ApiResult<VersionView> {
    access.read(&found.subject)?;
    Ok(found)
}

async fn lookup(
    State(registry): State<Arc<Registry>>,
    access: Access,
    seen: Seen,
    PathParams(subject): PathParams<String>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let request = schema_request(&body, "lookUpSchemaUnderSubject.arg5")?;
    read_references(&access, &subject, &request)?;
    let found = served(
        &access,
        registry.lookup(
            &subject,
            &request,
            params.flag("normalize"),
            params.flag("deleted"),
        )?,
    )?;
    // Found in another context, the references were read from there.
    read_references(&access, &found.subject, &request)?;
    seen.version(&found, Event::LookedUp);
    let text = registry.formatted(&found.content, params.get("format"));
    Ok(json_response(&views::schema(&found, text)))
}

/// `key`/`value` pairs zipped by position (extra keys or values dropped;
/// a repeated key keeps its last value), as Confluent collects them.
async fn latest_with_metadata(
    State(registry): State<Arc<Registry>>,
    access: Access,
    seen: Seen,
    PathParams(subject): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let mut properties: Vec<(String, String)> = Vec::new();
    for (key, value) in params.all("key").into_iter().zip(params.all("value")) {
        properties.retain(|(k, _)| k != key);
        properties.push((key.to_owned(), value.to_owned()));
    }
    let found = served(
        &access,
        registry.latest_with_metadata(&subject, &properties, params.flag("deleted"))?,
    )?;
    seen.version(&found, Event::Fetched);
    let text = registry.formatted(&found.content, params.get("format"));
    Ok(json_response(&views::schema(&found, text)))
}

/// `permanent=true&soft=true` soft-deletes and permanently deletes in one
/// call; with `dryRun=true` nothing is deleted (see
/// [`crate::registry::DeletePreview`]).
fn delete_kind(params: &Params) -> DeleteKind {
    DeleteKind::from_flags(params.flag("permanent"), params.flag("soft"))
}

async fn delete_subject(
    State(registry): State<Arc<Registry>>,
    Extension(usage): Extension<Arc<Usage>>,
    PathParams(subject): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let kind = delete_kind(&params);
    refuse_recently_used(&usage, &params, || {
        registry.preview_subject_delete(&subject, kind)
    })
    .await?;
    if params.flag("dryRun") {
        return Ok(json_response(
            &registry.preview_subject_delete(&subject, kind)?,
        ));
    }
    let deleted = registry.delete_subject(&subject, kind).await?;
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
    Extension(metrics): Extension<Arc<Metrics>>,
    access: Access,
    seen: Seen,
    PathParams(subject): PathParams<String>,
    params: Params,
    body: JsonBody,
) -> ApiResult<Response> {
    let request = schema_request(&body, "register.arg5")?;
    read_references(&access, &subject, &request)?;
    let format = request.schema_type.as_str();
    let outcome = registry
        .register(&subject, request, params.flag("normalize"))
        .await;
    match &outcome {
        Ok(registered) => {
            metrics.registered(format);
            let subject = QualifiedSubject::parse(&subject).to_string();
            seen.version_number(&subject, registered.version, Event::Registered);
        }
        Err(RegistryError::Incompatible { .. }) => metrics.rejected_as_incompatible(format),
        Err(_) => {}
    }
    Ok(json_response(&views::registered(&outcome?)))
}

async fn get_version(
    State(registry): State<Arc<Registry>>,
    access: Access,
    seen: Seen,
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
) -> ApiResult<Response> {
    let version = path::version(&version)?;
    let found = served(
        &access,
        registry.version(&subject, version, params.flag("deleted"))?,
    )?;
    seen.version(&found, Event::Fetched);
    let text = registry.formatted(&found.content, params.get("format"));
    Ok(json_response(&views::schema(&found, text)))
}

/// The schema text itself, not JSON-quoted.
async fn get_version_schema(
    State(registry): State<Arc<Registry>>,
    access: Access,
    seen: Seen,
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
) -> ApiResult<Response> {
    let version = path::version(&version)?;
    let found = served(
        &access,
        registry.version(&subject, version, params.flag("deleted"))?,
    )?;
    seen.version(&found, Event::Fetched);
    Ok(raw_response(
        registry
            .formatted(&found.content, params.get("format"))
            .into_owned(),
    ))
}

/// Only the ids of referrers the caller may see.
async fn referenced_by(
    State(registry): State<Arc<Registry>>,
    access: Access,
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
) -> ApiResult<Response> {
    let version = path::version(&version)?;
    let page = params.page()?;
    let referrers = registry.referenced_by(&subject, version, params.flag("deleted"))?;
    let mut ids: Vec<i32> = referrers
        .into_iter()
        .filter(|(referrer, _)| access.sees(referrer))
        .map(|(_, id)| id)
        .collect();
    ids.dedup();
    Ok(json_response(&page.apply(ids, Some(1000))))
}

async fn delete_version(
    State(registry): State<Arc<Registry>>,
    Extension(usage): Extension<Arc<Usage>>,
    PathParams((subject, version)): PathParams<(String, String)>,
    params: Params,
) -> ApiResult<Response> {
    let version = path::version(&version)?;
    let kind = delete_kind(&params);
    refuse_recently_used(&usage, &params, || {
        registry.preview_version_delete(&subject, version, kind)
    })
    .await?;
    if params.flag("dryRun") {
        return Ok(json_response(
            &registry.preview_version_delete(&subject, version, kind)?,
        ));
    }
    let deleted = registry.delete_version(&subject, version, kind).await?;
    Ok(json_response(&deleted))
}
