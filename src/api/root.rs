//! `/` (liveness) and `/v1/metadata/*` (what tools probe to identify the
//! server).

use axum::response::Response;
use serde_json::json;

use super::negotiate::json_response;
use super::routes::Routes;
use crate::auth::policy::Rule::{Authenticated, Open};

/// The Confluent release whose REST behaviour treaty reproduces.
const CONFLUENT_API_VERSION: &str = "7.9.0";

pub fn routes() -> Routes {
    Routes::new()
        .get("/", Open, empty)
        .post("/", Open, empty)
        .get("/v1/metadata/id", Authenticated, cluster_id)
        .get("/v1/metadata/version", Authenticated, version)
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
