//! What operators and orchestrators ask, open without credentials so that
//! probes and scrapers need none: `GET /metrics` (Prometheus text format),
//! `GET /health/live` (the process answers) and `GET /health/ready`
//! (loaded and ready for writes; 503 until then, so a Kubernetes
//! readiness probe holds traffic back). They answer in their own content
//! types, so they skip the Schema Registry content negotiation.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::json;

use super::routes::Routes;
use crate::auth::policy::Rule::Open;
use crate::metrics::Metrics;
use crate::registry::Registry;

const METRICS: &str = "/metrics";
const LIVE: &str = "/health/live";
pub const READY: &str = "/health/ready";

pub fn routes() -> Routes {
    Routes::new()
        .get(METRICS, Open, metrics)
        .get(LIVE, Open, live)
        .get(READY, Open, ready)
}

/// Whether `route` is one of these, which skip content negotiation (their
/// paths have no parameters, so their route label is the path).
pub fn is_operational(route: &str) -> bool {
    [METRICS, LIVE, READY].contains(&route)
}

async fn metrics(
    State(registry): State<Arc<Registry>>,
    Extension(metrics): Extension<Arc<Metrics>>,
) -> Response {
    let text = tokio::task::spawn_blocking(move || metrics.render(&registry))
        .await
        .expect("rendering metrics does not panic");
    let content_type = HeaderValue::from_static(prometheus::TEXT_FORMAT);
    ([(CONTENT_TYPE, content_type)], text).into_response()
}

async fn live() -> Response {
    health(StatusCode::OK, json!({"status": "UP"}))
}

/// Serving means loaded; writable once the copy writes are planned
/// against is made (`Registry::stage`) and while the log takes writes (a
/// failing disk makes it unready until a write succeeds again).
async fn ready(State(registry): State<Arc<Registry>>) -> Response {
    readiness(&node_checks(&registry).await)
}

/// What readiness asks of every node: the registry is loaded (it is, once
/// it serves) and writable.
pub async fn node_checks(registry: &Registry) -> Vec<(&'static str, bool)> {
    let writable = registry.is_writable() && registry.log_accepts_writes().await;
    vec![("loaded", true), ("writable", writable)]
}

/// The readiness answer: 200 and `UP` when every named check holds, 503
/// and `DOWN` otherwise, each check in the body.
pub fn readiness(checks: &[(&str, bool)]) -> Response {
    let up = checks.iter().all(|(_, holds)| *holds);
    let mut body = serde_json::Map::new();
    body.insert("status".into(), json!(if up { "UP" } else { "DOWN" }));
    for (name, holds) in checks {
        body.insert((*name).into(), json!(holds));
    }
    let status = match up {
        true => StatusCode::OK,
        false => StatusCode::SERVICE_UNAVAILABLE,
    };
    health(status, body.into())
}

fn health(status: StatusCode, body: serde_json::Value) -> Response {
    let content_type = HeaderValue::from_static("application/json");
    (status, [(CONTENT_TYPE, content_type)], body.to_string()).into_response()
}
