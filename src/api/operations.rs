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
const READY: &str = "/health/ready";

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
/// against is made (`Registry::stage`).
async fn ready(State(registry): State<Arc<Registry>>) -> Response {
    let writable = registry.is_writable();
    let (status, word) = match writable {
        true => (StatusCode::OK, "UP"),
        false => (StatusCode::SERVICE_UNAVAILABLE, "DOWN"),
    };
    health(
        status,
        json!({"status": word, "loaded": true, "writable": writable}),
    )
}

fn health(status: StatusCode, body: serde_json::Value) -> Response {
    let content_type = HeaderValue::from_static("application/json");
    (status, [(CONTENT_TYPE, content_type)], body.to_string()).into_response()
}
