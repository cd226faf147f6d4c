//! gRPC service rules: a file keeps its services, a service its RPCs, and
//! an RPC its streaming modes, request and response types and idempotency
//! level.

use prost_reflect::{FileDescriptor, MethodDescriptor, ServiceDescriptor};

use super::{Findings, WireRule};

/// `SERVICE_NO_DELETE`: as Buf, per file, so a renamed service (or one
/// moved to another file) is a deleted one.
pub(super) fn service_no_delete(
    found: &mut Findings,
    previous: &FileDescriptor,
    current: &FileDescriptor,
) {
    for p in previous.services() {
        if !current.services().any(|c| c.name() == p.name()) {
            found.add(
                WireRule::ServiceNoDelete,
                format!(
                    "Service '{}' was deleted from file '{}'",
                    p.full_name(),
                    previous.name()
                ),
            );
        }
    }
}

pub(super) fn check(
    found: &mut Findings,
    previous: &ServiceDescriptor,
    current: &ServiceDescriptor,
) {
    for p in previous.methods() {
        let Some(c) = current.methods().find(|m| m.name() == p.name()) else {
            // `RPC_NO_DELETE`: the method is gone from the current service.
            found.comparing(p.full_name(), current.full_name());
            found.add(WireRule::RpcNoDelete, format!("{} was deleted", rpc(&p)));
            continue;
        };
        found.comparing(p.full_name(), c.full_name());
        rpc_same_client_streaming(found, &p, &c);
        rpc_same_server_streaming(found, &p, &c);
        rpc_same_request_type(found, &p, &c);
        rpc_same_response_type(found, &p, &c);
        rpc_same_idempotency_level(found, &p, &c);
    }
}

fn rpc(method: &MethodDescriptor) -> String {
    format!(
        "RPC '{}' on service '{}'",
        method.name(),
        method.parent_service().name()
    )
}

fn streaming(yes: bool) -> &'static str {
    if yes {
        "streaming"
    } else {
        "unary"
    }
}

/// `RPC_SAME_CLIENT_STREAMING`.
fn rpc_same_client_streaming(
    found: &mut Findings,
    previous: &MethodDescriptor,
    current: &MethodDescriptor,
) {
    if previous.is_client_streaming() != current.is_client_streaming() {
        found.add(
            WireRule::RpcSameClientStreaming,
            format!(
                "{} changed from client {} to client {}",
                rpc(current),
                streaming(previous.is_client_streaming()),
                streaming(current.is_client_streaming())
            ),
        );
    }
}

/// `RPC_SAME_SERVER_STREAMING`.
fn rpc_same_server_streaming(
    found: &mut Findings,
    previous: &MethodDescriptor,
    current: &MethodDescriptor,
) {
    if previous.is_server_streaming() != current.is_server_streaming() {
        found.add(
            WireRule::RpcSameServerStreaming,
            format!(
                "{} changed from server {} to server {}",
                rpc(current),
                streaming(previous.is_server_streaming()),
                streaming(current.is_server_streaming())
            ),
        );
    }
}

/// `RPC_SAME_REQUEST_TYPE`.
fn rpc_same_request_type(
    found: &mut Findings,
    previous: &MethodDescriptor,
    current: &MethodDescriptor,
) {
    if previous.input().full_name() != current.input().full_name() {
        found.add(
            WireRule::RpcSameRequestType,
            format!(
                "{} changed request type from '{}' to '{}'",
                rpc(current),
                previous.input().full_name(),
                current.input().full_name()
            ),
        );
    }
}

/// `RPC_SAME_RESPONSE_TYPE`.
fn rpc_same_response_type(
    found: &mut Findings,
    previous: &MethodDescriptor,
    current: &MethodDescriptor,
) {
    if previous.output().full_name() != current.output().full_name() {
        found.add(
            WireRule::RpcSameResponseType,
            format!(
                "{} changed response type from '{}' to '{}'",
                rpc(current),
                previous.output().full_name(),
                current.output().full_name()
            ),
        );
    }
}

fn idempotency_level(method: &MethodDescriptor) -> &'static str {
    method
        .method_descriptor_proto()
        .options
        .as_ref()
        .map_or(
            prost_types::method_options::IdempotencyLevel::IdempotencyUnknown,
            |o| o.idempotency_level(),
        )
        .as_str_name()
}

/// `RPC_SAME_IDEMPOTENCY_LEVEL`.
fn rpc_same_idempotency_level(
    found: &mut Findings,
    previous: &MethodDescriptor,
    current: &MethodDescriptor,
) {
    let (before, after) = (idempotency_level(previous), idempotency_level(current));
    if before != after {
        found.add(
            WireRule::RpcSameIdempotencyLevel,
            format!(
                "{} changed option 'idempotency_level' from '{before}' to '{after}'",
                rpc(current)
            ),
        );
    }
}
