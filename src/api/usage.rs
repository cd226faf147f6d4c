//! `/v1/usage`: who used which schema and when (treaty's own, issue 18),
//! and [`Seen`], with which the read and write handlers record a use.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Map, Value};

use super::access;
use super::error::{ApiError, ApiResult};
use super::negotiate::json_response;
use super::params::Params;
use super::path::{self, PathParams};
use super::routes::Routes;
use crate::auth::policy::Operation::Read;
use crate::auth::policy::Rule::{Authenticated, Subject};
use crate::auth::Access;
use crate::registry::{Registry, SubjectFilter, VersionView, ALL_CONTEXTS};
use crate::usage::report::version_key;
use crate::usage::{Caller, Event, Figures, RecentUse, Tally, Usage, UsageKey, VersionUsage};

/// Which versions `unusedFor` means when a request does not say.
const DEFAULT_UNUSED_FOR: &str = "30d";

/// The listing needs a principal and shows what it may read; a subject's
/// usage needs read on it; an id's, a principal that may read a subject
/// holding it.
pub fn routes() -> Routes {
    Routes::new()
        .get("/v1/usage/ids/{id}", Authenticated, by_id)
        .get("/v1/usage/subjects/{subject}", Subject(Read), by_subject)
        .get("/v1/usage/unused", Authenticated, unused)
}

/// The client a request names: Confluent's serializers send
/// `Confluent-Client-Version`, everything else a `User-Agent`.
pub fn client_header(headers: &HeaderMap) -> Option<&HeaderValue> {
    headers
        .get("confluent-client-version")
        .or_else(|| headers.get("user-agent"))
}

/// Records one use by the caller of `headers` and `access` (the answer
/// given before routing, which has no extractors).
pub fn record(usage: &Usage, headers: &HeaderMap, access: &Access, key: UsageKey, event: Event) {
    if !usage.is_recording() {
        return;
    }
    let principal = access.principal_name();
    let caller = Caller {
        client: client_header(headers).and_then(|v| v.to_str().ok()),
        principal: principal.as_deref(),
    };
    usage.record(key, event, &caller);
}

/// The recorder and the request's caller, for handlers that record a use
/// once they know what was used.
pub struct Seen {
    usage: Arc<Usage>,
    client: Option<HeaderValue>,
    principal: Option<Arc<str>>,
}

impl<S: Send + Sync> FromRequestParts<S> for Seen {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let usage = parts
            .extensions
            .get::<Arc<Usage>>()
            .cloned()
            .expect("the API adds the usage recorder");
        let (client, principal) = match usage.is_recording() {
            true => (
                client_header(&parts.headers).cloned(),
                access::of(&parts.extensions).principal_name(),
            ),
            false => (None, None),
        };
        Ok(Self {
            usage,
            client,
            principal,
        })
    }
}

impl Seen {
    /// A use of `view` through its subject-version (its id's own figures
    /// count fetches by id only, so each request is counted once).
    pub fn version(&self, view: &VersionView, event: Event) {
        self.version_number(&view.subject, view.version, event);
    }

    pub fn version_number(&self, subject: &str, version: i32, event: Event) {
        self.key(version_key(subject, version), event);
    }

    /// A fetch of schema `id` of `context`.
    pub fn id(&self, context: &str, id: i32) {
        let key = UsageKey::Id {
            context: context.to_owned(),
            id,
        };
        self.key(key, Event::Fetched);
    }

    fn key(&self, key: UsageKey, event: Event) {
        let caller = Caller {
            client: self.client.as_ref().and_then(|v| v.to_str().ok()),
            principal: self.principal.as_deref(),
        };
        self.usage.record(key, event, &caller);
    }
}

/// 409 with treaty's own code 40950 (COMPATIBILITY.md): Confluent has no
/// such refusal, and no 409xx code but 40901.
pub fn refuse_delete(recent: RecentUse) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        40950,
        format!(
            "Subject '{}' version {} was last used {}, within the last {} (--usage-delete-guard); \
             set force=true to delete it anyway",
            recent.subject,
            recent.version,
            timestamp(recent.last_seen),
            humantime::format_duration(recent.window),
        ),
    )
}

fn timestamp(millis: u64) -> String {
    let time = UNIX_EPOCH + Duration::from_millis(millis);
    humantime::format_rfc3339_millis(time).to_string()
}

fn tally(tally: Option<Tally>) -> Value {
    match tally {
        Some(t) => {
            json!({"first": timestamp(t.first), "last": timestamp(t.last), "count": t.count})
        }
        None => Value::Null,
    }
}

/// Figures as the API shows them; never seen is all null and no clients.
fn figures_json(figures: Option<Figures>) -> Value {
    let figures = figures.unwrap_or_default();
    let clients: Vec<Value> = figures
        .clients
        .iter()
        .map(|c| json!({"client": c.client, "principal": c.principal, "lastSeen": timestamp(c.last_seen)}))
        .collect();
    let fields = [
        ("lastSeen", json!(figures.last_seen().map(timestamp))),
        ("fetched", tally(figures.fetched)),
        ("lookedUp", tally(figures.looked_up)),
        ("registered", tally(figures.registered)),
        ("clients", Value::Array(clients)),
    ];
    let fields: Map<String, Value> = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    Value::Object(fields)
}

fn version_usage(usage: VersionUsage) -> Value {
    json!({
        "subject": usage.view.subject,
        "version": usage.view.version,
        "id": usage.view.id,
        "deleted": usage.view.deleted,
        "lastSeen": usage.last_seen().map(timestamp),
        "versionUsage": figures_json(usage.version),
        "idUsage": figures_json(usage.id),
    })
}

/// `GET /v1/usage/ids/{id}` (`?subject=` finds it in that subject's
/// context, as for `GET /schemas/ids/{id}`): its fetches by id, and each
/// subject-version holding it (the caller may see) with its own usage.
async fn by_id(
    State(registry): State<Arc<Registry>>,
    Extension(usage): Extension<Arc<Usage>>,
    access: Access,
    PathParams(id): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let id = path::schema_id(&id)?;
    usage.loaded().await;
    let subject = params.get("subject");
    super::schemas::read_id(&registry, &access, id, subject)?;
    let found = registry.schema_by_id(id, subject)?;
    let key = UsageKey::Id {
        context: found.context.clone(),
        id,
    };
    let by_id = usage.figures(&key);
    let mut last_seen = by_id.as_ref().and_then(Figures::last_seen);
    let versions: Vec<Value> = registry
        .id_holders(id, subject)
        .into_iter()
        .filter(|(holder, _)| access.sees(holder))
        .map(|(holder, version)| {
            let figures = usage.figures(&version_key(&holder, version));
            last_seen = last_seen.max(figures.as_ref().and_then(Figures::last_seen));
            json!({"subject": holder, "version": version, "usage": figures_json(figures)})
        })
        .collect();
    Ok(json_response(&json!({
        "id": id,
        "context": found.context,
        "lastSeen": last_seen.map(timestamp),
        "byId": figures_json(by_id),
        "versions": versions,
    })))
}

/// `GET /v1/usage/subjects/{s}`: each version (`?deleted=true` adds the
/// soft-deleted ones) with its own usage and its id's.
async fn by_subject(
    State(registry): State<Arc<Registry>>,
    Extension(usage): Extension<Arc<Usage>>,
    PathParams(subject): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    usage.loaded().await;
    let filter = match params.flag("deleted") {
        true => SubjectFilter::All,
        false => SubjectFilter::Live,
    };
    let versions: Vec<Value> = usage
        .of_subject(&registry, &subject, filter)?
        .into_iter()
        .map(version_usage)
        .collect();
    Ok(json_response(
        &json!({"subject": subject, "versions": versions}),
    ))
}

/// `GET /v1/usage/unused?unusedFor=30d`: live versions neither they nor
/// their id were used for that long, or never since recording began.
async fn unused(
    State(registry): State<Arc<Registry>>,
    Extension(usage): Extension<Arc<Usage>>,
    access: Access,
    params: Params,
) -> ApiResult<Response> {
    usage.loaded().await;
    let raw = params.get("unusedFor").unwrap_or(DEFAULT_UNUSED_FOR);
    let unused_for = humantime::parse_duration(raw).map_err(|_| {
        ApiError::http(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("unusedFor '{raw}' is not a duration: a number and a unit, as 30d, 12h or 90m"),
        )
    })?;
    let page = params.page()?;
    let prefix = params.get("subjectPrefix").unwrap_or(ALL_CONTEXTS);
    let found = usage.unused(&registry, prefix, unused_for);
    let versions: Vec<Value> = found
        .versions
        .into_iter()
        .filter(|v| access.sees(&v.view.subject))
        .map(version_usage)
        .collect();
    Ok(json_response(&json!({
        "unusedSince": timestamp(found.cutoff),
        "versions": page.apply(versions, None),
    })))
}
