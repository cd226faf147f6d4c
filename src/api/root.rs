//! `/` (liveness) and `/v1/metadata/*` (what tools probe to identify the
//! server).

use std::sync::Arc;

use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::json;

use super::negotiate::json_response;
use crate::registry::Registry;

/// The Confluent release whose REST behaviour treaty reproduces.
const CONFLUENT_API_VERSION: &str = "7.9.0";

pub fn routes() -> Router<Arc<Registry>> {
    Router::new()
        .route("/", get(empty).post(empty))
        .route("/v1/metadata/id", get(cluster_id))
        .route("/v1/metadata/version", get(version))
}

/// `POST /` accepts any body, as Confluent does.
async fn empty() -> Response {
    json_response(&json!({}))
}

async fn cluster_id() -> Response {
    json_response(&json!({
        "id": "",
        "scope": {"path": [], "clusters": {"kafka-cluster": "treaty", "schema-registry-cluster": "treaty"}}
    }))
}

async fn version() -> Response {
    json_response(&json!({
        "version": CONFLUENT_API_VERSION,
        "commitId": concat!("treaty-", env!("CARGO_PKG_VERSION")),
    }))
}
