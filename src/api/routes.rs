//! Routes declared together with the permission each needs: a route can
//! only be added with its [`Rule`], so none falls back to a default. The
//! rules are then looked up by path before routing, because a request is
//! authenticated and authorized before anything else is checked.

use std::collections::HashMap;
use std::sync::Arc;

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter};
use axum::Router;

use crate::auth::policy::{Need, Rule};
use crate::metrics::{Metrics, RouteMetrics, UNMATCHED_ROUTE};
use crate::registry::Registry;

/// The axum router being built, and the rule of each method of each path.
pub struct Routes {
    router: Router<Arc<Registry>>,
    pub rules: Vec<(&'static str, Method, Rule)>,
}

impl Routes {
    pub fn new() -> Self {
        Self {
            router: Router::new(),
            rules: Vec::new(),
        }
    }

    /// `GET` (and `HEAD`, which axum answers with it) on `path`.
    pub fn get<H, T>(self, path: &'static str, rule: Rule, handler: H) -> Self
    where
        H: Handler<T, Arc<Registry>>,
        T: 'static,
    {
        self.add(Method::GET, path, rule, handler)
    }

    pub fn post<H, T>(self, path: &'static str, rule: Rule, handler: H) -> Self
    where
        H: Handler<T, Arc<Registry>>,
        T: 'static,
    {
        self.add(Method::POST, path, rule, handler)
    }

    pub fn put<H, T>(self, path: &'static str, rule: Rule, handler: H) -> Self
    where
        H: Handler<T, Arc<Registry>>,
        T: 'static,
    {
        self.add(Method::PUT, path, rule, handler)
    }

    pub fn delete<H, T>(self, path: &'static str, rule: Rule, handler: H) -> Self
    where
        H: Handler<T, Arc<Registry>>,
        T: 'static,
    {
        self.add(Method::DELETE, path, rule, handler)
    }

    /// A method no handler answers (axum's 405, its `Allow` header left
    /// alone), given the rule of its path's other methods, so that a
    /// request for it is authorized as they are before it is refused.
    pub fn unrouted(mut self, method: Method, path: &'static str, rule: Rule) -> Self {
        self.rules.push((path, method, rule));
        self
    }

    fn add<H, T>(mut self, method: Method, path: &'static str, rule: Rule, handler: H) -> Self
    where
        H: Handler<T, Arc<Registry>>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
        self.router = self.router.route(path, on(filter, handler));
        self.rules.push((path, method, rule));
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.rules.extend(other.rules);
        self
    }

    /// The axum router, and the rules to look requests up in, each route
    /// with its collectors in `metrics`.
    pub fn into_parts(self, metrics: &Metrics) -> (Router<Arc<Registry>>, Rules) {
        let mut by_path: HashMap<&'static str, Vec<(Method, Rule)>> = HashMap::new();
        for (path, method, rule) in self.rules {
            by_path.entry(path).or_default().push((method, rule));
        }
        let mut paths = matchit::Router::new();
        for (path, methods) in by_path {
            let route = Route {
                metrics: metrics.route(&route_label(path)),
                methods,
            };
            paths
                .insert(path, route)
                .expect("route paths are valid and distinct");
        }
        let unmatched = metrics.route(UNMATCHED_ROUTE);
        (self.router, Rules { paths, unmatched })
    }
}

/// A route's template as metrics and logs name it, its parameters
/// written `:subject` rather than `{subject}`: braces inside a label value
/// are valid, but trip simple exposition parsers.
pub fn route_label(path: &str) -> String {
    path.replace('{', ":").replace('}', "")
}

/// The declared rules, by path as axum matches it.
pub struct Rules {
    paths: matchit::Router<Route>,
    /// Counts the requests no route answers.
    unmatched: RouteMetrics,
}

/// One path's rule per method, and where its requests are counted, under
/// its label ([`route_label`]).
struct Route {
    metrics: RouteMetrics,
    methods: Vec<(Method, Rule)>,
}

impl Rules {
    /// The collectors of the route `path` matches, named as
    /// `/subjects/:subject/versions` or [`UNMATCHED_ROUTE`]: what metrics
    /// and logs name a request by, as the path itself may hold subject
    /// names.
    pub fn route(&self, path: &str) -> &RouteMetrics {
        self.paths
            .at(path)
            .map_or(&self.unmatched, |matched| &matched.value.metrics)
    }

    /// The collectors of requests no route answers.
    pub fn unmatched(&self) -> &RouteMetrics {
        &self.unmatched
    }

    /// What `method path` needs; `path` is the raw (percent-encoded) path
    /// after the pre-routing rewrite. A request no route answers (404,
    /// 405) needs a principal, so that probing the API needs one too.
    pub fn need(&self, method: &Method, path: &str) -> Need {
        let Ok(matched) = self.paths.at(path) else {
            return Need::Authenticated;
        };
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        matched
            .value
            .methods
            .iter()
            .find(|(declared, _)| declared == method)
            .map_or(Need::Authenticated, |(_, rule)| {
                rule.need(matched.params.get("subject"))
            })
    }
}
