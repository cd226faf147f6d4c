//! Field-level rules for a field number present in both messages: wire
//! and JSON type groups, cardinality, oneof, default, name, JSON name.

use prost_reflect::{Cardinality, FieldDescriptor, Kind, MessageDescriptor, Value};

use super::{Findings, WireRule};
use crate::protobuf::compatibility::message_diff::real_oneof;

/// The message fields (not extensions) of both messages with the same number.
pub(super) fn pairs(
    previous: &MessageDescriptor,
    current: &MessageDescriptor,
) -> Vec<(FieldDescriptor, FieldDescriptor)> {
    previous
        .fields()
        .filter_map(|p| current.get_field(p.number()).map(|c| (p, c)))
        .collect()
}

pub(super) fn check(found: &mut Findings, previous: &FieldDescriptor, current: &FieldDescriptor) {
    field_wire_compatible_type(found, previous, current);
    field_wire_json_compatible_type(found, previous, current);
    field_wire_compatible_cardinality(found, previous, current);
    field_wire_json_compatible_cardinality(found, previous, current);
    field_same_oneof(found, previous, current);
    field_same_default(found, previous, current);
    field_same_name(found, previous, current);
    field_same_json_name(found, previous, current);
}

/// `Field '1' with name 'f' on message 'M'`, as Buf describes a field.
fn describe(field: &FieldDescriptor) -> String {
    format!(
        "Field '{}' with name '{}' on message '{}'",
        field.number(),
        field.name(),
        field.parent_message().name()
    )
}

/// Buf's spelling of a field's kind.
fn kind_name(field: &FieldDescriptor) -> &'static str {
    if field.is_group() {
        return "group";
    }
    match field.kind() {
        Kind::Double => "double",
        Kind::Float => "float",
        Kind::Int32 => "int32",
        Kind::Int64 => "int64",
        Kind::Uint32 => "uint32",
        Kind::Uint64 => "uint64",
        Kind::Sint32 => "sint32",
        Kind::Sint64 => "sint64",
        Kind::Fixed32 => "fixed32",
        Kind::Fixed64 => "fixed64",
        Kind::Sfixed32 => "sfixed32",
        Kind::Sfixed64 => "sfixed64",
        Kind::Bool => "bool",
        Kind::String => "string",
        Kind::Bytes => "bytes",
        Kind::Message(_) => "message",
        Kind::Enum(_) => "enum",
    }
}

/// Kinds within a group decode each other's binary encoding.
fn wire_group(field: &FieldDescriptor) -> u8 {
    match kind_name(field) {
        "int32" | "int64" | "uint32" | "uint64" | "bool" => 1,
        "sint32" | "sint64" => 2,
        "string" => 3,
        "bytes" => 4,
        "fixed32" | "sfixed32" => 5,
        "fixed64" | "sfixed64" => 6,
        "double" => 7,
        "float" => 8,
        "group" => 9,
        "message" => 10,
        _ => 11,
    }
}

/// Kinds within a group share both the binary and the JSON encoding.
fn wire_json_group(field: &FieldDescriptor) -> u8 {
    match kind_name(field) {
        "int32" | "uint32" => 1,
        "int64" | "uint64" => 2,
        "fixed32" | "sfixed32" => 3,
        "fixed64" | "sfixed64" => 4,
        "bool" => 5,
        "sint32" => 6,
        "sint64" => 7,
        "string" => 8,
        "bytes" => 9,
        "double" => 10,
        "float" => 11,
        "group" => 12,
        "message" => 13,
        _ => 14,
    }
}

fn type_name(field: &FieldDescriptor) -> Option<String> {
    match field.kind() {
        Kind::Message(m) => Some(m.full_name().to_string()),
        Kind::Enum(e) => Some(e.full_name().to_string()),
        _ => None,
    }
}

fn changed_type(field: &FieldDescriptor, from: &str, to: &str) -> String {
    format!("{} changed type from '{from}' to '{to}'", describe(field))
}

/// Within one group: an enum may become another enum only with the same
/// short name and all previous values (name and number) kept; a message
/// or group only the same type.
fn same_group_type_change(previous: &FieldDescriptor, current: &FieldDescriptor) -> Option<String> {
    let (before, after) = (type_name(previous)?, type_name(current)?);
    if before == after {
        return None;
    }
    if let (Kind::Enum(p), Kind::Enum(c)) = (previous.kind(), current.kind()) {
        let superset = p.values().all(|v| {
            c.get_value_by_name(v.name())
                .is_some_and(|cv| cv.number() == v.number())
        });
        if p.name() == c.name() && superset {
            return None;
        }
    }
    Some(changed_type(current, &before, &after))
}

/// `FIELD_WIRE_COMPATIBLE_TYPE`: string may become bytes, not the reverse.
fn field_wire_compatible_type(
    found: &mut Findings,
    previous: &FieldDescriptor,
    current: &FieldDescriptor,
) {
    let (before, after) = (kind_name(previous), kind_name(current));
    let problem = if wire_group(previous) != wire_group(current) {
        ((before, after) != ("string", "bytes")).then(|| changed_type(current, before, after))
    } else {
        same_group_type_change(previous, current)
    };
    if let Some(message) = problem {
        found.add(WireRule::FieldWireCompatibleType, message);
    }
}

/// `FIELD_WIRE_JSON_COMPATIBLE_TYPE`.
fn field_wire_json_compatible_type(
    found: &mut Findings,
    previous: &FieldDescriptor,
    current: &FieldDescriptor,
) {
    let problem = if wire_json_group(previous) != wire_json_group(current) {
        Some(changed_type(
            current,
            kind_name(previous),
            kind_name(current),
        ))
    } else {
        same_group_type_change(previous, current)
    };
    if let Some(message) = problem {
        found.add(WireRule::FieldWireJsonCompatibleType, message);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldCardinality {
    OptionalExplicitPresence,
    OptionalImplicitPresence,
    Required,
    Repeated,
    Map,
}

impl FieldCardinality {
    fn of(field: &FieldDescriptor) -> Self {
        if field.is_list() {
            Self::Repeated
        } else if field.is_map() {
            Self::Map
        } else if field.cardinality() == Cardinality::Required {
            Self::Required
        } else if field.supports_presence() {
            Self::OptionalExplicitPresence
        } else {
            Self::OptionalImplicitPresence
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::OptionalExplicitPresence => "optional with explicit presence",
            Self::OptionalImplicitPresence => "optional with implicit presence",
            Self::Required => "required",
            Self::Repeated => "repeated",
            Self::Map => "map",
        }
    }

    /// Binary: singular either way, required, repeated or map.
    fn wire_group(self) -> u8 {
        match self {
            Self::OptionalExplicitPresence | Self::OptionalImplicitPresence => 1,
            Self::Required => 2,
            Self::Repeated | Self::Map => 3,
        }
    }

    /// JSON writes maps and repeated fields differently.
    fn wire_json_group(self) -> u8 {
        match self {
            Self::Map => 4,
            other => other.wire_group(),
        }
    }
}

/// Map-entry fields are generated; Buf skips them.
fn cardinality_change(
    previous: &FieldDescriptor,
    current: &FieldDescriptor,
    group: fn(FieldCardinality) -> u8,
) -> Option<String> {
    if previous.parent_message().is_map_entry() && current.parent_message().is_map_entry() {
        return None;
    }
    let (before, after) = (
        FieldCardinality::of(previous),
        FieldCardinality::of(current),
    );
    (group(before) != group(after)).then(|| {
        format!(
            "{} changed cardinality from '{}' to '{}'",
            describe(current),
            before.as_str(),
            after.as_str()
        )
    })
}

/// `FIELD_WIRE_COMPATIBLE_CARDINALITY`.
fn field_wire_compatible_cardinality(
    found: &mut Findings,
    previous: &FieldDescriptor,
    current: &FieldDescriptor,
) {
    if let Some(message) = cardinality_change(previous, current, FieldCardinality::wire_group) {
        found.add(WireRule::FieldWireCompatibleCardinality, message);
    }
}

/// `FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY`.
fn field_wire_json_compatible_cardinality(
    found: &mut Findings,
    previous: &FieldDescriptor,
    current: &FieldDescriptor,
) {
    if let Some(message) = cardinality_change(previous, current, FieldCardinality::wire_json_group)
    {
        found.add(WireRule::FieldWireJsonCompatibleCardinality, message);
    }
}

/// `FIELD_SAME_ONEOF`: a field stays in (or out of) the same oneof;
/// proto3 `optional` oneofs do not count.
fn field_same_oneof(found: &mut Findings, previous: &FieldDescriptor, current: &FieldDescriptor) {
    let message = match (real_oneof(previous), real_oneof(current)) {
        (None, None) => return,
        (Some(before), Some(after)) if before == after => return,
        (Some(before), Some(after)) => {
            format!(
                "{} moved from oneof '{before}' to oneof '{after}'",
                describe(current)
            )
        }
        (Some(_), None) => format!("{} moved from inside to outside a oneof", describe(current)),
        (None, Some(_)) => format!("{} moved from outside to inside a oneof", describe(current)),
    };
    found.add(WireRule::FieldSameOneof, message);
}

/// A default as Buf compares it: strings and bytes by their bytes, numbers
/// by value across types, floats and doubles at float precision.
#[derive(Clone, Debug, PartialEq)]
enum DefaultValue {
    Text(Vec<u8>),
    Integer(i128),
    Float(f32),
    Double(f64),
}

impl DefaultValue {
    /// `None` for repeated, map and message fields, which have no default.
    fn of(field: &FieldDescriptor) -> Option<Self> {
        if field.is_list() || field.is_map() || matches!(field.kind(), Kind::Message(_)) {
            return None;
        }
        Some(match field.default_value() {
            Value::String(s) => Self::Text(s.into_bytes()),
            Value::Bytes(b) => Self::Text(b.to_vec()),
            Value::Bool(b) => Self::Integer(i128::from(b)),
            Value::I32(n) | Value::EnumNumber(n) => Self::Integer(n.into()),
            Value::I64(n) => Self::Integer(n.into()),
            Value::U32(n) => Self::Integer(n.into()),
            Value::U64(n) => Self::Integer(n.into()),
            Value::F32(x) => Self::Float(x),
            Value::F64(x) => Self::Double(x),
            Value::Message(_) | Value::List(_) | Value::Map(_) => return None,
        })
    }

    /// Go's zero value test (so `-0.0` is not zero).
    fn is_zero(&self) -> bool {
        match self {
            Self::Text(t) => t.is_empty(),
            Self::Integer(n) => *n == 0,
            Self::Float(x) => x.to_bits() == 0,
            Self::Double(x) => x.to_bits() == 0,
        }
    }

    fn same_as(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Text(a), Self::Text(b)) => a == b,
            (Self::Text(_), _) | (_, Self::Text(_)) => false,
            (Self::Float(a), Self::Double(b)) | (Self::Double(b), Self::Float(a)) => {
                (a.is_nan() && b.is_nan()) || *a == *b as f32
            }
            (a, b) => match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) if x.is_nan() || y.is_nan() => x.is_nan() && y.is_nan(),
                _ => a.exact_eq(b),
            },
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Float(x) => Some(f64::from(*x)),
            Self::Double(x) => Some(*x),
            _ => None,
        }
    }

    /// Exact numeric equality of integers and floats.
    fn exact_eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Integer(a), Self::Integer(b)) => a == b,
            (Self::Integer(n), x) | (x, Self::Integer(n)) => {
                let x = x.as_f64().unwrap_or(f64::NAN);
                x.fract() == 0.0 && x.abs() < 1e38 && x as i128 == *n
            }
            (a, b) => a.as_f64() == b.as_f64(),
        }
    }

    fn text(&self) -> String {
        match self {
            Self::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
            Self::Integer(n) => n.to_string(),
            Self::Float(x) => x.to_string(),
            Self::Double(x) => x.to_string(),
        }
    }
}

/// `FIELD_SAME_DEFAULT`: the value a reader assumes for an absent field.
fn field_same_default(found: &mut Findings, previous: &FieldDescriptor, current: &FieldDescriptor) {
    let (Some(before), Some(after)) = (DefaultValue::of(previous), DefaultValue::of(current))
    else {
        return;
    };
    if (before.is_zero() && after.is_zero()) || before.same_as(&after) {
        return;
    }
    found.add(
        WireRule::FieldSameDefault,
        format!(
            "{} changed default value from {} to {}",
            describe(current),
            before.text(),
            after.text()
        ),
    );
}

/// `FIELD_SAME_NAME`: JSON and text formats carry the name.
fn field_same_name(found: &mut Findings, previous: &FieldDescriptor, current: &FieldDescriptor) {
    if previous.name() != current.name() {
        found.add(
            WireRule::FieldSameName,
            format!(
                "Field '{}' on message '{}' changed name from '{}' to '{}'",
                current.number(),
                current.parent_message().name(),
                previous.name(),
                current.name()
            ),
        );
    }
}

/// `FIELD_SAME_JSON_NAME`: the JSON key, explicit or derived from the name.
fn field_same_json_name(
    found: &mut Findings,
    previous: &FieldDescriptor,
    current: &FieldDescriptor,
) {
    if previous.json_name() != current.json_name() {
        found.add(
            WireRule::FieldSameJsonName,
            format!(
                "{} changed option 'json_name' from '{}' to '{}'",
                describe(current),
                previous.json_name(),
                current.json_name()
            ),
        );
    }
}
