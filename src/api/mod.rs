//! The REST API, one file per resource. Every request passes through
//! [`Api::handle`]: URL rewriting (trailing slashes, `/contexts/{ctx}/…`),
//! authentication when configured, content negotiation (`negotiate`), then
//! the router; every error leaves as an [`ApiError`].

mod answers;
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

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use tower::ServiceExt as _;

use answers::RenderedAnswers;
pub use error::ApiError;

use crate::auth::Auth;
use crate::registry::Registry;

/// The whole API as one service (see the module comment for the order).
#[derive(Clone)]
pub struct Api(Arc<Stages>);

struct Stages {
    router: Router,
    registry: Arc<Registry>,
    answers: Arc<RenderedAnswers>,
    auth: Option<Arc<Auth>>,
}

/// The API over `registry`; with `auth`, every request is authenticated
/// and authorized after the rewrite (so it sees the final path) and before
/// content negotiation.
pub fn app(registry: Arc<Registry>, max_body_bytes: usize, auth: Option<Arc<Auth>>) -> Api {
    let answers = Arc::new(RenderedAnswers::default());
    let router = Router::new()
        .merge(root::routes())
        .merge(schemas::routes())
        .merge(subjects::routes())
        .merge(config::routes())
        .merge(mode::routes())
        .merge(compatibility::routes())
        .merge(contexts::routes())
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .with_state(Arc::clone(&registry))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(Extension(Arc::clone(&answers)));
    Api(Arc::new(Stages {
        router,
        registry,
        answers,
        auth,
    }))
}

impl Api {
    async fn handle(&self, request: Request) -> Response {
        let request = match rewrite(request) {
            Ok(request) => request,
            Err(error) => return error.into_response(),
        };
        let request = match &self.0.auth {
            Some(auth) => match crate::auth::admit(auth, request).await {
                Ok(request) => request,
                Err(refused) => return refused,
            },
            None => request,
        };
        let produced = match negotiate::admit(&request) {
            Ok(produced) => produced,
            Err(error) => return error.into_response(),
        };
        let stages = &self.0;
        let response =
            match schemas::answer_before_routing(&stages.registry, &stages.answers, &request) {
                Some(response) => response,
                None => match self.0.router.clone().oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                },
            };
        negotiate::label(response, produced)
    }
}

impl tower::Service<Request> for Api {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let api = self.clone();
        Box::pin(async move {
            if !tracing::enabled!(tracing::Level::DEBUG) {
                return Ok(api.handle(request).await);
            }
            let (method, uri, started) = (
                request.method().clone(),
                request.uri().clone(),
                Instant::now(),
            );
            let response = api.handle(request).await;
            tracing::debug!(%method, %uri, status = response.status().as_u16(), elapsed = ?started.elapsed(), "request");
            Ok(response)
        })
    }
}

/// Trailing slashes route like their bare form; `/contexts/{ctx}/…` is
/// rewritten onto the plain routes.
fn rewrite(mut request: Request) -> Result<Request, ApiError> {
    let uri = request.uri();
    let plain =
        !uri.path().starts_with("/contexts/") && (uri.path() == "/" || !uri.path().ends_with('/'));
    if plain {
        // The hot path: nothing to rewrite, no URI to rebuild.
        return Ok(request);
    }
    let trimmed = match uri.path().trim_end_matches('/') {
        "" => "/",
        path => path,
    };
    let (path, query) = contexts::rewrite(trimmed, uri.query())?;
    let rebuilt = match query {
        Some(query) => format!("{path}?{query}"),
        None => path,
    };
    *request.uri_mut() = rebuilt.parse::<Uri>().map_err(|_| ApiError::not_found())?;
    Ok(request)
}
