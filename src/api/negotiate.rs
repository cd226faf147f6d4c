//! Content types as Confluent negotiates them (spec §0.1): request bodies
//! must be one of the JSON types (or octet-stream, or none); responses take
//! the best match of `Accept` against the types the server produces.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderValue, Method};
use axum::response::Response;
use serde::Serialize;

use super::error::ApiError;

const V1_JSON: &str = "application/vnd.schemaregistry.v1+json";

/// What the server produces, with Confluent's quality weights.
const PRODUCED: [(&str, f32); 3] = [
    (V1_JSON, 1.0),
    ("application/vnd.schemaregistry+json", 0.9),
    ("application/json", 0.5),
];

const ACCEPTED_BODIES: [&str; 4] = [
    V1_JSON,
    "application/vnd.schemaregistry+json",
    "application/json",
    "application/octet-stream",
];

/// A JSON response in the default type; `negotiate` sets the final type.
pub fn json_response<T: Serialize>(body: &T) -> Response {
    raw_response(json_bytes(body))
}

pub fn json_bytes<T: Serialize>(body: &T) -> Bytes {
    Bytes::from(serde_json::to_vec(body).expect("responses serialise to JSON"))
}

/// A response whose bytes are already what the client gets.
pub fn raw_response(bytes: impl Into<Body>) -> Response {
    let mut response = Response::new(bytes.into());
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(V1_JSON));
    response
}

fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The produced type that best matches `accept`, or `None` if none does.
fn choose(accept: Option<&str>) -> Option<&'static str> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Some(V1_JSON);
    };
    let mut best: Option<(&'static str, f32)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let pattern = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        for (produced, weight) in PRODUCED {
            let matches = match pattern.as_str() {
                "*" | "*/*" => true,
                "application/*" => true,
                exact => exact == produced,
            };
            let score = quality * weight;
            if matches && quality > 0.0 && best.is_none_or(|(_, s)| score > s) {
                best = Some((produced, score));
            }
        }
    }
    best.map(|(produced, _)| produced)
}

/// What a request must pass before it is answered: 415 for a body type
/// Confluent refuses, 406 when nothing acceptable is produced. Gives the
/// negotiated type, for [`label`].
pub fn admit(request: &Request) -> Result<&'static str, ApiError> {
    let carries_body = matches!(*request.method(), Method::POST | Method::PUT);
    if carries_body {
        if let Some(content_type) = request.headers().get(CONTENT_TYPE) {
            let content_type = media_type(content_type.to_str().unwrap_or(""));
            if !ACCEPTED_BODIES.contains(&content_type.as_str()) {
                return Err(ApiError::unsupported_media_type());
            }
        }
    }
    let accept = request.headers().get(ACCEPT).and_then(|a| a.to_str().ok());
    choose(accept).ok_or_else(ApiError::not_acceptable)
}

/// Gives a JSON response the type [`admit`] negotiated.
pub fn label(mut response: Response, chosen: &'static str) -> Response {
    if chosen != V1_JSON {
        let headers = response.headers_mut();
        if headers.get(CONTENT_TYPE).is_some_and(|t| t == V1_JSON) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(chosen));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::choose;

    #[test]
    fn picks_confluent_types_by_weight() {
        assert_eq!(choose(None), Some(super::V1_JSON));
        assert_eq!(choose(Some("*/*")), Some(super::V1_JSON));
        assert_eq!(choose(Some("application/json")), Some("application/json"));
        assert_eq!(
            choose(Some("text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2")),
            Some(super::V1_JSON)
        );
        assert_eq!(choose(Some("text/plain")), None);
    }
}
