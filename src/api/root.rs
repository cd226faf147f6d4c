//! `/` (liveness) and `/v1/metadata/*` (what tools probe to identify the
//! server).

use axum::response::Response;
use serde_json::json;

use super::body::{text_field, JsonBody};
use super::error::ApiResult;
use super::negotiate::json_response;
use super::routes::Routes;
use crate::auth::policy::Rule::{Authenticated, Open};

/// The Confluent release whose REST behaviour treaty reproduces.
const CONFLUENT_API_VERSION: &str = "7.9.0";

pub fn routes() -> Routes {
    Routes::new()
        .get("/", Open, empty)
        .post("/", Open, post_root)
        .get("/v1/metadata/id", Authenticated, cluster_id)
        .get("/v1/metadata/version", Authenticated, version)
}

async fn empty() -> Response {
    json_response(&json!({}))
}

/// `POST /` reads its body as Confluent's `Map<String, String>`: no body
/// is fine, but malformed JSON, another shape, or a value that is not a
/// scalar is Jackson's 400.
async fn post_root(body: JsonBody) -> ApiResult<Response> {
    let map = body.optional_object("java.util.HashMap<java.lang.String,java.lang.String>")?;
    for value in map.iter().flat_map(|m| m.values()) {
        text_field(Some(value))?;
    }
    Ok(empty().await)
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
