//! A follower hands the writes it receives to the writer node, as the
//! caller sent them (headers included, so the writer authenticates the
//! caller), and passes the writer's answer back, as Confluent's followers
//! forward to their leader.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::HOST;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;

use crate::api::ApiError;

/// Longest a forwarded request may take, the writer's answer included.
const FORWARD_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether a follower answers `method path` from its own view: reads,
/// lookups (`POST /subjects/{subject}`) and compatibility checks.
pub fn answered_locally(method: &Method, path: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    // `/contexts/{context}/…` names the same resources as `/…`.
    let path = match path.strip_prefix("/contexts/") {
        Some(rest) => rest.find('/').map_or("", |slash| &rest[slash..]),
        None => path,
    };
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["compatibility", ..] | [""] => true,
        ["subjects", _subject] => method == Method::POST,
        _ => false,
    }
}

/// The writer's answer to `request`, or Confluent's 50003 when it cannot
/// be had.
pub async fn forward(request: Request, writer: &str) -> Response {
    match tokio::time::timeout(FORWARD_TIMEOUT, send(request, writer)).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => failed(writer, &*error),
        Err(elapsed) => failed(writer, &elapsed),
    }
}

/// The offset the writer has applied (its `GET /v1/cluster`), which a
/// write it has acknowledged lies at or before; `None` when it cannot be had.
pub async fn applied_offset(writer: &str) -> Option<i64> {
    let request = Request::get("/v1/cluster").body(Body::empty()).ok()?;
    let asking = async {
        let response = send(request, writer).await.ok()?;
        let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
            .await
            .ok()?;
        let status: serde_json::Value = serde_json::from_slice(&body).ok()?;
        status["appliedOffset"].as_i64()
    };
    tokio::time::timeout(FORWARD_TIMEOUT, asking).await.ok()?
}

/// Confluent's 50004: no writer to forward to.
pub fn no_writer() -> Response {
    // Confluent's message for a registration; its other writes word it
    // each their own way.
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        50004,
        "Leader not known.",
    )
    .into_response()
}

fn failed(writer: &str, error: &dyn std::fmt::Display) -> Response {
    tracing::warn!("forwarding a write to {writer} failed: {error}");
    let message = "Error while forwarding the request to the leader";
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, 50003, message).into_response()
}

async fn send(
    request: Request,
    writer: &str,
) -> Result<Response, Box<dyn std::error::Error + Send + Sync>> {
    let base: Uri = writer.parse()?;
    if base.scheme_str() != Some("http") {
        return Err(format!("cannot forward to {writer}: only http:// writers are reached").into());
    }
    let authority = base
        .authority()
        .ok_or("the writer's URL has no host")?
        .clone();
    let stream = tokio::net::TcpStream::connect(authority.as_str()).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let (mut parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    parts.uri = path.parse()?;
    parts.headers.insert(HOST, authority.as_str().parse()?);
    let response = sender
        .send_request(Request::from_parts(parts, body))
        .await?;
    Ok(response.map(Body::new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lookups_and_checks_stay_writes_go() {
        let local = |method: Method, path: &str| answered_locally(&method, path);
        assert!(local(Method::GET, "/subjects/s/versions"));
        assert!(local(Method::POST, "/subjects/s"));
        assert!(local(Method::POST, "/contexts/.c/subjects/s"));
        assert!(local(
            Method::POST,
            "/compatibility/subjects/s/versions/latest"
        ));
        assert!(local(Method::POST, "/"));
        assert!(!local(Method::POST, "/subjects/s/versions"));
        assert!(!local(Method::POST, "/contexts/.c/subjects/s/versions"));
        assert!(!local(Method::PUT, "/config/s"));
        assert!(!local(Method::DELETE, "/subjects/s"));
        assert!(!local(Method::PUT, "/mode"));
    }
}
