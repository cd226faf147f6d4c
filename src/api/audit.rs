//! `GET /v1/audit`: the audit trail (`crate::audit`), oldest first, as a
//! JSON array or, with `format=jsonl`, as JSON lines to export. An admin's
//! route when auth is on: entries name principals and clients.

use std::sync::Arc;
use std::time::SystemTime;

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::error::{ApiError, ApiResult};
use super::negotiate::json_response;
use super::params::Params;
use super::routes::Routes;
use crate::audit::{Audit, Query};
use crate::auth::policy::Operation::AlterConfigs;
use crate::auth::policy::Rule::Global;
use crate::registry::{QualifiedSubject, RegistryError};

/// Entries answered without a `limit`, and the most one answer holds.
const DEFAULT_LIMIT: usize = 1000;
const MAX_LIMIT: usize = 100_000;

const JSON_LINES: &str = "application/x-ndjson";

pub fn routes() -> Routes {
    Routes::new().get("/v1/audit", Global(AlterConfigs), entries)
}

fn invalid(message: String) -> ApiError {
    ApiError::http(StatusCode::UNPROCESSABLE_ENTITY, message)
}

/// An RFC 3339 time in UTC (`2026-01-31T12:00:00Z`, fractions allowed; no
/// other offset).
fn time(params: &Params, name: &str) -> ApiResult<Option<SystemTime>> {
    params
        .get(name)
        .map(|raw| {
            humantime::parse_rfc3339_weak(raw).map_err(|_| {
                invalid(format!(
                    "Invalid {name} '{raw}': expected an RFC 3339 time in UTC"
                ))
            })
        })
        .transpose()
}

fn limit(params: &Params) -> ApiResult<usize> {
    match params.int("limit")? {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if n >= 1 && n as usize <= MAX_LIMIT => Ok(n as usize),
        Some(n) => Err(invalid(format!(
            "Invalid limit {n}: it must be between 1 and {MAX_LIMIT}"
        ))),
    }
}

async fn entries(Extension(audit): Extension<Arc<Audit>>, params: Params) -> ApiResult<Response> {
    let query = Query {
        subject: params
            .get("subject")
            .map(|s| QualifiedSubject::parse(s).to_string()),
        since: time(&params, "since")?,
        after: time(&params, "after")?,
        limit: limit(&params)?,
    };
    let lines = match params.get("format") {
        None | Some("json") => false,
        Some("jsonl") => true,
        Some(other) => {
            return Err(invalid(format!(
                "Invalid format '{other}': expected json or jsonl"
            )))
        }
    };
    let found = audit
        .entries(&query)
        .map_err(|e| ApiError::from(RegistryError::Store(e.0)))?;
    if !lines {
        return Ok(json_response(&found));
    }
    let mut body = String::new();
    for entry in &found {
        body.push_str(&entry.to_string());
        body.push('\n');
    }
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON_LINES));
    Ok(response)
}
