//! The opt-in strict check: what Buf's `WIRE` and `WIRE_JSON` breaking
//! categories report and Confluent does not (field number reuse,
//! wire- and JSON-incompatible type and cardinality changes, deleted
//! reserved ranges, deleted enum values, renamed fields and JSON names…),
//! plus the gRPC contract: Buf's `FILE` rules that a service or an RPC
//! is not deleted, since a deleted RPC breaks every client calling it.
//!
//! Elements are paired as Buf pairs them: files by import path (the
//! schema's own files with each other), messages, enums and services by
//! full name, fields by number, enum values by number, methods by name.
//! `previous` is Confluent's original, `current` its update.

mod enums;
mod fields;
mod messages;
mod reserved;
mod services;

use std::collections::BTreeMap;

use prost_reflect::{EnumDescriptor, FileDescriptor, MessageDescriptor, ServiceDescriptor, Syntax};

use crate::{Direction, Finding, Rule};

/// Buf's rule ids (buf v1.75, categories `WIRE` ∪ `WIRE_JSON`, plus
/// `SERVICE_NO_DELETE` and `RPC_NO_DELETE` of `FILE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WireRule {
    FileSamePackage,
    FieldNoDeleteUnlessNumberReserved,
    FieldNoDeleteUnlessNameReserved,
    FieldWireCompatibleType,
    FieldWireJsonCompatibleType,
    FieldWireCompatibleCardinality,
    FieldWireJsonCompatibleCardinality,
    FieldSameOneof,
    FieldSameDefault,
    FieldSameName,
    FieldSameJsonName,
    MessageSameRequiredFields,
    MessageSameJsonFormat,
    ReservedMessageNoDelete,
    EnumValueNoDeleteUnlessNumberReserved,
    EnumValueNoDeleteUnlessNameReserved,
    EnumValueSameName,
    EnumSameJsonFormat,
    ReservedEnumNoDelete,
    ServiceNoDelete,
    RpcNoDelete,
    RpcSameClientStreaming,
    RpcSameServerStreaming,
    RpcSameRequestType,
    RpcSameResponseType,
    RpcSameIdempotencyLevel,
}

impl WireRule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FileSamePackage => "FILE_SAME_PACKAGE",
            Self::FieldNoDeleteUnlessNumberReserved => "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
            Self::FieldNoDeleteUnlessNameReserved => "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
            Self::FieldWireCompatibleType => "FIELD_WIRE_COMPATIBLE_TYPE",
            Self::FieldWireJsonCompatibleType => "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
            Self::FieldWireCompatibleCardinality => "FIELD_WIRE_COMPATIBLE_CARDINALITY",
            Self::FieldWireJsonCompatibleCardinality => "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
            Self::FieldSameOneof => "FIELD_SAME_ONEOF",
            Self::FieldSameDefault => "FIELD_SAME_DEFAULT",
            Self::FieldSameName => "FIELD_SAME_NAME",
            Self::FieldSameJsonName => "FIELD_SAME_JSON_NAME",
            Self::MessageSameRequiredFields => "MESSAGE_SAME_REQUIRED_FIELDS",
            Self::MessageSameJsonFormat => "MESSAGE_SAME_JSON_FORMAT",
            Self::ReservedMessageNoDelete => "RESERVED_MESSAGE_NO_DELETE",
            Self::EnumValueNoDeleteUnlessNumberReserved => {
                "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"
            }
            Self::EnumValueNoDeleteUnlessNameReserved => {
                "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED"
            }
            Self::EnumValueSameName => "ENUM_VALUE_SAME_NAME",
            Self::EnumSameJsonFormat => "ENUM_SAME_JSON_FORMAT",
            Self::ReservedEnumNoDelete => "RESERVED_ENUM_NO_DELETE",
            Self::ServiceNoDelete => "SERVICE_NO_DELETE",
            Self::RpcNoDelete => "RPC_NO_DELETE",
            Self::RpcSameClientStreaming => "RPC_SAME_CLIENT_STREAMING",
            Self::RpcSameServerStreaming => "RPC_SAME_SERVER_STREAMING",
            Self::RpcSameRequestType => "RPC_SAME_REQUEST_TYPE",
            Self::RpcSameResponseType => "RPC_SAME_RESPONSE_TYPE",
            Self::RpcSameIdempotencyLevel => "RPC_SAME_IDEMPOTENCY_LEVEL",
        }
    }
}

/// One strict-mode finding: the rule, the elements compared and a
/// sentence naming the element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireFinding {
    pub rule: WireRule,
    /// Full names of the compared elements (file names for a file rule):
    /// a field's, a method's, or for a rule about a message's or an enum's
    /// members (deletions, reserved ranges) the message's or the enum's.
    pub previous_element: String,
    pub current_element: String,
    pub message: String,
}

impl WireFinding {
    /// The finding for the update (`current`, the reader) compared with the
    /// original (`previous`, the writer) in `direction`; its description
    /// names both sides, and is rendered like Confluent's Protobuf items.
    pub fn finding(&self, direction: Direction) -> Finding {
        let description = format!(
            "{} (the {} schema compared with the {} schema)",
            self.message,
            direction.reader().as_str(),
            direction.writer().as_str()
        );
        Finding::error(
            Rule::ProtobufWire(self.rule),
            direction,
            Some(self.current_element.clone()),
            Some(self.previous_element.clone()),
            description,
        )
    }
}

/// Collects findings for the pair of elements being checked; rules push
/// into it.
#[derive(Default)]
struct Findings {
    previous_element: String,
    current_element: String,
    found: Vec<WireFinding>,
}

impl Findings {
    /// Names the pair the following findings are about.
    fn comparing(&mut self, previous: &str, current: &str) {
        previous.clone_into(&mut self.previous_element);
        current.clone_into(&mut self.current_element);
    }

    fn add(&mut self, rule: WireRule, message: String) {
        self.found.push(WireFinding {
            rule,
            previous_element: self.previous_element.clone(),
            current_element: self.current_element.clone(),
            message,
        });
    }
}

/// Everything Buf's `WIRE` and `WIRE_JSON` rules report for `previous` →
/// `current`, both schemas' own files and imported files included.
pub fn findings(previous: &FileDescriptor, current: &FileDescriptor) -> Vec<WireFinding> {
    let mut found = Findings::default();
    for (p, c) in file_pairs(previous, current) {
        found.comparing(p.name(), c.name());
        file_same_package(&mut found, &p, &c);
        services::service_no_delete(&mut found, &p, &c);
    }
    for (p, c) in pairs(
        previous.parent_pool().all_messages().collect(),
        current.parent_pool().all_messages().collect(),
        MessageDescriptor::full_name,
    ) {
        found.comparing(p.full_name(), c.full_name());
        messages::check(&mut found, &p, &c);
        for (pf, cf) in fields::pairs(&p, &c) {
            found.comparing(pf.full_name(), cf.full_name());
            fields::check(&mut found, &pf, &cf);
        }
    }
    for (p, c) in pairs(
        previous.parent_pool().all_enums().collect(),
        current.parent_pool().all_enums().collect(),
        EnumDescriptor::full_name,
    ) {
        found.comparing(p.full_name(), c.full_name());
        enums::check(&mut found, &p, &c);
    }
    for (p, c) in pairs(
        previous.parent_pool().services().collect(),
        current.parent_pool().services().collect(),
        ServiceDescriptor::full_name,
    ) {
        found.comparing(p.full_name(), c.full_name());
        services::check(&mut found, &p, &c);
    }
    found.found
}

/// The two schemas' own files, then imported files of the same path.
fn file_pairs(
    previous: &FileDescriptor,
    current: &FileDescriptor,
) -> Vec<(FileDescriptor, FileDescriptor)> {
    let mut result = vec![(previous.clone(), current.clone())];
    for p in previous.parent_pool().files() {
        if p.name() == previous.name() {
            continue;
        }
        if let Some(c) = current.parent_pool().get_file_by_name(p.name()) {
            if c.name() != current.name() {
                result.push((p, c));
            }
        }
    }
    result
}

/// Elements of both sides with the same key, ordered by key.
fn pairs<T>(previous: Vec<T>, current: Vec<T>, key: impl Fn(&T) -> &str) -> Vec<(T, T)> {
    let mut current_by_key: BTreeMap<String, T> = current
        .into_iter()
        .map(|c| (key(&c).to_string(), c))
        .collect();
    let mut result: Vec<(String, (T, T))> = previous
        .into_iter()
        .filter_map(|p| {
            let k = key(&p).to_string();
            current_by_key.remove(&k).map(|c| (k, (p, c)))
        })
        .collect();
    result.sort_by(|a, b| a.0.cmp(&b.0));
    result.into_iter().map(|(_, pair)| pair).collect()
}

/// `FILE_SAME_PACKAGE`.
fn file_same_package(found: &mut Findings, previous: &FileDescriptor, current: &FileDescriptor) {
    if previous.package_name() != current.package_name() {
        found.add(
            WireRule::FileSamePackage,
            format!(
                "File package changed from '{}' to '{}'",
                previous.package_name(),
                current.package_name()
            ),
        );
    }
}

/// The `json_format` feature a proto2 or proto3 file resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonFormat {
    Allow,
    LegacyBestEffort,
}

impl JsonFormat {
    fn of(file: &FileDescriptor) -> Self {
        match file.syntax() {
            Syntax::Proto3 => Self::Allow,
            Syntax::Proto2 => Self::LegacyBestEffort,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "ALLOW",
            Self::LegacyBestEffort => "LEGACY_BEST_EFFORT",
        }
    }

    /// Buf reports only a loss of full JSON support.
    fn lost(previous: Self, current: Self) -> bool {
        previous == Self::Allow && current != Self::Allow
    }
}
