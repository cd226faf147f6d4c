//! The REST API, one file per resource. Every request passes through
//! [`Api::handle`]: URL rewriting (trailing slashes and empty segments,
//! `/contexts/{ctx}/…`, then config aliases, so that authorization sees
//! the target subject), authentication when configured, content negotiation (`negotiate`), then
//! the router; every error leaves as an [`ApiError`]. A request that may
//! write is routed with its [`Actor`] named for the audit trail. Each
//! request is then counted in the metrics and logged once, by its route's
//! template.

mod access;
mod aliases;
mod answers;
mod audit;
mod body;
mod compatibility;
mod config;
mod contexts;
mod error;
mod mode;
mod negotiate;
mod operations;
mod params;
mod path;
mod root;
mod routes;
mod schemas;
mod subjects;
mod typed;
mod ui;
mod ui_api;
mod usage;
mod views;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use tower::ServiceExt as _;

pub use error::ApiError;
pub use negotiate::json_response;
pub use operations::{is_operational, node_checks, readiness, READY};
pub use path::SUBJECT_SEGMENT;

use crate::audit::{Actor, Audit};
use crate::auth::escape::Escaped;
use crate::auth::{Access, Auth};
use crate::logging;
use crate::metrics::{Metrics, RouteMetrics};
use crate::registry::Registry;
use crate::usage::Usage;
use answers::RenderedAnswers;
use routes::{Routes, Rules};

/// The whole API as one service (see the module comment for the order).
#[derive(Clone)]
pub struct Api(Arc<Stages>);

struct Stages {
    router: Router,
    /// What each route needs, consulted before routing when `auth` is set.
    rules: Rules,
    registry: Arc<Registry>,
    answers: Arc<RenderedAnswers>,
    auth: Option<Arc<Auth>>,
    usage: Arc<Usage>,
}

/// What a request is counted and logged as, besides its method and status.
struct Served<'a> {
    /// The route it matched (`/subjects/:subject/versions`), never the
    /// raw path.
    route: &'a RouteMetrics,
    /// Who it authenticated as, when it did.
    principal: Option<Arc<str>>,
}

/// Every route, each with the permission it declares; the web UI's only
/// `with_ui`.
fn routes(with_ui: bool) -> Routes {
    let routes = Routes::new()
        .merge(root::routes())
        .merge(schemas::routes())
        .merge(subjects::routes())
        .merge(config::routes())
        .merge(mode::routes())
        .merge(compatibility::routes())
        .merge(contexts::routes())
        .merge(usage::routes())
        .merge(operations::routes())
        .merge(audit::routes());
    match with_ui {
        true => routes.merge(ui::routes()).merge(ui_api::routes()),
        false => routes,
    }
}

/// The API over `registry`; with `auth`, every request is authenticated
/// and authorized after the rewrite (so it sees the final path) and before
/// content negotiation. Every request is counted in `metrics`, and every
/// use of a schema in `usage`; `audit` answers `/v1/audit`. With
/// `with_ui`, the web UI is served at `/ui/`.
pub fn app(
    registry: Arc<Registry>,
    max_body_bytes: usize,
    auth: Option<Arc<Auth>>,
    metrics: Arc<Metrics>,
    usage: Arc<Usage>,
    audit: Arc<Audit>,
    with_ui: bool,
) -> Api {
    let answers = Arc::new(RenderedAnswers::default());
    let (router, rules) = routes(with_ui).into_parts(&metrics);
    let router = router
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .with_state(Arc::clone(&registry))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(Extension(Arc::clone(&answers)))
        .layer(Extension(Arc::clone(&metrics)))
        .layer(Extension(Arc::clone(&usage)))
        .layer(Extension(audit));
    Api(Arc::new(Stages {
        router,
        rules,
        registry,
        answers,
        auth,
        usage,
    }))
}

impl Api {
    async fn handle(&self, request: Request) -> (Response, Served<'_>) {
        let mut served = Served {
            route: self.0.rules.unmatched(),
            principal: None,
        };
        let request = match rewrite(request) {
            Ok(request) => request,
            Err(error) => return (error.into_response(), served),
        };
        let request = aliases::resolve(&self.0.registry, request);
        served.route = self.0.rules.route(request.uri().path());
        let request = match &self.0.auth {
            Some(auth) => {
                let need = self.0.rules.need(request.method(), request.uri().path());
                match crate::auth::admit(auth, request, &need).await {
                    Ok(request) => {
                        served.principal = request
                            .extensions()
                            .get::<Access>()
                            .and_then(Access::principal_name);
                        request
                    }
                    Err(refusal) => return (error::refused(refusal), served),
                }
            }
            None => request,
        };
        let route = served.route.route();
        let produced = if operations::is_operational(route) || ui::is_static(route) {
            None
        } else {
            match negotiate::admit(&request) {
                Ok(produced) => Some(produced),
                Err(error) => return (error.into_response(), served),
            }
        };
        let stages = &self.0;
        let answered = schemas::answer_before_routing(
            &stages.registry,
            &stages.answers,
            &stages.usage,
            &request,
        );
        let response = match answered {
            Some(response) => response,
            None => {
                let actor = audited_actor(&request, &served);
                let routed = self.0.router.clone().oneshot(request);
                let routed = match actor {
                    Some(actor) => crate::audit::acting(actor, routed).await,
                    None => routed.await,
                };
                match routed {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            }
        };
        let response = match produced {
            Some(produced) => negotiate::label(response, produced),
            None => response,
        };
        (response, served)
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
            let (method, started) = (request.method().clone(), Instant::now());
            let (response, served) = api.handle(request).await;
            let (status, elapsed) = (response.status().as_u16(), started.elapsed());
            served.route.observe(method.as_str(), status, elapsed);
            log_request(&served, &method, status, elapsed);
            Ok(response)
        })
    }
}

/// The actor of a request that may write (any method but GET and HEAD),
/// for the audit trail.
fn audited_actor(request: &Request, served: &Served) -> Option<Actor> {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let header = |name: &str| {
        let value = request.headers().get(name)?.to_str().ok()?;
        Some(Actor::client_header(value))
    };
    Some(Actor {
        principal: served.principal.clone(),
        user_agent: header("user-agent"),
        client_version: header("confluent-client-version"),
        method: request.method().as_str().to_owned(),
        route: served.route.route().to_owned(),
    })
}

/// The one line each request leaves at INFO: its route template, never
/// the path, nor a credential or body.
fn log_request(served: &Served, method: &Method, status: u16, elapsed: Duration) {
    let principal = served.principal.as_deref().map(Escaped);
    logging::log_request(&logging::RequestLine {
        route: served.route.route(),
        method: method.as_str(),
        status,
        elapsed,
        principal: principal.as_ref().map(|p| p as &dyn std::fmt::Display),
    });
}

/// Trailing slashes and empty segments are dropped, as 7.9's
/// `AliasFilter` rebuilds every path from its non-empty segments before
/// Jersey routes it (`/subjects/s//versions` is `/subjects/s/versions`);
/// `/contexts/{ctx}/…` is rewritten onto the plain routes.
fn rewrite(mut request: Request) -> Result<Request, ApiError> {
    let path = request.uri().path();
    let plain = !path.starts_with("/contexts/")
        && !path.contains("//")
        && (path == "/" || !path.ends_with('/'));
    if plain {
        // The hot path: nothing to rewrite, no URI to rebuild.
        return Ok(request);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let collapsed = format!("/{}", segments.join("/"));
    let (path, query) = contexts::rewrite(&collapsed, request.uri().query())?;
    let rebuilt = match query {
        Some(query) => format!("{path}?{query}"),
        None => path,
    };
    *request.uri_mut() = rebuilt.parse::<Uri>().map_err(|_| ApiError::not_found())?;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use axum::http::Method;

    use super::routes;
    use crate::auth::policy::{Need, Operation, Resource, Rule};

    fn subject(name: &str) -> Resource {
        Resource::Subject(name.to_owned())
    }

    #[test]
    fn routes_need_the_documented_operation() {
        use Operation::*;
        let (_, rules) = routes(true).into_parts(&crate::metrics::Metrics::new(true));
        let cases = [
            (Method::GET, "/", Need::Open),
            (Method::GET, "/subjects", Need::Authenticated),
            (Method::GET, "/schemas/ids/1", Need::Authenticated),
            (Method::GET, "/config", Need::Authenticated),
            (
                Method::POST,
                "/subjects/a",
                Need::Permission(Read, subject("a")),
            ),
            (
                Method::GET,
                "/subjects/a/versions/1/schema",
                Need::Permission(Read, subject("a")),
            ),
            (
                Method::GET,
                "/subjects/a/metadata",
                Need::Permission(Read, subject("a")),
            ),
            (
                Method::POST,
                "/subjects/a/versions",
                Need::Permission(Write, subject("a")),
            ),
            (
                Method::POST,
                "/compatibility/subjects/a/versions/latest",
                Need::Permission(Write, subject("a")),
            ),
            (
                Method::DELETE,
                "/subjects/a",
                Need::Permission(Delete, subject("a")),
            ),
            (
                Method::DELETE,
                "/subjects/a/versions/2",
                Need::Permission(Delete, subject("a")),
            ),
            (Method::GET, "/mode/a", Need::Permission(Read, subject("a"))),
            (
                Method::PUT,
                "/config/a",
                Need::Permission(AlterConfigs, subject("a")),
            ),
            (
                Method::DELETE,
                "/mode",
                Need::Permission(AlterConfigs, Resource::Global),
            ),
            (
                Method::PUT,
                "/config/:.staging:",
                Need::Permission(AlterConfigs, subject(":.staging:")),
            ),
        ];
        for (method, path, need) in cases {
            assert_eq!(rules.need(&method, path), need, "{method} {path}");
        }
    }

    #[test]
    fn subjects_are_percent_decoded_and_lose_the_default_context() {
        let (_, rules) = routes(true).into_parts(&crate::metrics::Metrics::new(true));
        assert_eq!(
            rules.need(&Method::POST, "/subjects/:.:a%2Fb/versions"),
            Need::Permission(Operation::Write, subject("a/b"))
        );
    }

    #[test]
    fn head_needs_what_get_needs_and_unrouted_requests_need_a_principal() {
        let (_, rules) = routes(true).into_parts(&crate::metrics::Metrics::new(true));
        assert_eq!(
            rules.need(&Method::HEAD, "/subjects/a/versions"),
            Need::Permission(Operation::Read, subject("a"))
        );
        assert_eq!(rules.need(&Method::GET, "/nowhere"), Need::Authenticated);
        assert_eq!(
            rules.need(&Method::PUT, "/subjects/a/versions"),
            Need::Authenticated
        );
    }

    /// Every route declares a rule (the builder takes none without one);
    /// here, every rule on a subject names the path segment it reads.
    #[test]
    fn every_subject_rule_has_a_subject_in_its_path() {
        let routes = routes(true);
        assert!(routes.rules.len() >= 25, "{}", routes.rules.len());
        for (path, method, rule) in &routes.rules {
            if let Rule::Subject(_) = rule {
                assert!(path.contains("{subject}"), "{method} {path}");
            }
        }
    }
}
