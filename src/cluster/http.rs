//! The HTTP side of a cluster node: `GET /v1/cluster` says who this node
//! is and which node writes; a follower forwards writes to the writer
//! ([`super::forward`]); `GET /health/ready` is ready once the node has
//! caught up with the topic, and until then other requests wait for it;
//! everything else goes to the registry's API.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use serde_json::json;

use super::{forward, Node};
use crate::api::Api;

#[derive(Clone)]
pub struct ClusterApi {
    api: Api,
    node: Arc<Node>,
}

impl ClusterApi {
    pub fn new(api: Api, node: Arc<Node>) -> Self {
        Self { api, node }
    }

    fn status(&self) -> Response {
        let writer = self.node.is_writer();
        let body = json!({
            "node": self.node.advertised_url,
            "role": if writer { "writer" } else { "follower" },
            "writer": self.node.writer_url(),
            "appliedOffset": self.node.registry.applied(),
        });
        crate::api::json_response(&body)
    }
}

impl tower::Service<Request> for ClusterApi {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.method() == Method::GET && request.uri().path() == "/v1/cluster" {
            let status = self.status();
            return Box::pin(async move { Ok(status) });
        }
        let path = request.uri().path();
        if request.method() == Method::GET && path == crate::api::READY {
            let node = Arc::clone(&self.node);
            return Box::pin(async move {
                let mut checks = crate::api::node_checks(&node.registry).await;
                checks.push(("caughtUp", node.is_caught_up()));
                Ok(crate::api::readiness(&checks))
            });
        }
        if !self.node.is_caught_up() && !crate::api::is_operational(path) {
            // Answers from before the catch-up would be stale.
            let node = Arc::clone(&self.node);
            let mut api = self.clone();
            return Box::pin(async move {
                node.caught_up().await;
                api.call(request).await
            });
        }
        if !self.node.is_writer()
            && !forward::answered_locally(request.method(), request.uri().path())
        {
            // A stale marker of its own must not send a node to itself.
            let writer = self
                .node
                .writer_url()
                .filter(|url| *url != self.node.advertised_url);
            let node = Arc::clone(&self.node);
            return Box::pin(async move {
                Ok(match writer {
                    Some(writer) => {
                        let response = forward::forward(request, &writer).await;
                        // Read-your-writes on the node that acknowledges:
                        // the caller's next read here sees the write.
                        if response.status().is_success() {
                            if let Some(offset) = forward::applied_offset(&writer).await {
                                node.await_applied(offset).await;
                            }
                        }
                        response
                    }
                    None => forward::no_writer(),
                })
            });
        }
        self.api.call(request)
    }
}
