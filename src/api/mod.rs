//! The REST API, one file per resource. Requests pass through `pre_route`
//! (trailing slashes, `/contexts/{ctx}/…` URLs) and `negotiate` (content
//! types) before reaching a handler; every error leaves as an [`ApiError`].

mod body;
mod compatibility;
mod config;
mod contexts;
mod error;
mod mode;
mod negotiate;
mod params;
mod path;
mod root;
mod schemas;
mod subjects;
mod views;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::Uri;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

use crate::auth::Auth;
use crate::registry::Registry;

/// The whole API as a service: rewrite, then route.
/// With `auth`, every request is authenticated and authorized after the
/// rewrite (so it sees the final path) and before content negotiation.
pub fn app(registry: Arc<Registry>, max_body_bytes: usize, auth: Option<Arc<Auth>>) -> Router {
    let routes = Router::new()
        .merge(root::routes())
        .merge(schemas::routes())
        .merge(subjects::routes())
        .merge(config::routes())
        .merge(mode::routes())
        .merge(compatibility::routes())
        .merge(contexts::routes())
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .with_state(registry)
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(middleware::from_fn(negotiate::negotiate));
    let routes = match auth {
        Some(auth) => routes.layer(middleware::from_fn_with_state(auth, crate::auth::require)),
        None => routes,
    };
    let routes = routes.layer(TraceLayer::new_for_http());
    Router::new()
        .fallback_service(routes)
        .layer(middleware::from_fn(pre_route))
}

/// Trailing slashes route like their bare form; `/contexts/{ctx}/…` is
/// rewritten onto the plain routes.
async fn pre_route(mut request: Request, next: Next) -> Response {
    let uri = request.uri();
    let plain =
        !uri.path().starts_with("/contexts/") && (uri.path() == "/" || !uri.path().ends_with('/'));
    if plain {
        // The hot path: nothing to rewrite, no URI to rebuild.
        return next.run(request).await;
    }
    let trimmed = match uri.path().trim_end_matches('/') {
        "" => "/",
        path => path,
    };
    let (path, query) = match contexts::rewrite(trimmed, uri.query()) {
        Ok(rewritten) => rewritten,
        Err(error) => return error.into_response(),
    };
    let rebuilt = match query {
        Some(query) => format!("{path}?{query}"),
        None => path,
    };
    match rebuilt.parse::<Uri>() {
        Ok(uri) => *request.uri_mut() = uri,
        Err(_) => return ApiError::not_found().into_response(),
    }
    next.run(request).await
}
