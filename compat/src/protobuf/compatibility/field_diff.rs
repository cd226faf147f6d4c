//! Confluent's `FieldSchemaDiff`: one tag present in both messages, its
//! name, kind (scalar, message, map), scalar group, label and message type.

use prost_reflect::{Cardinality, FieldDescriptor, Kind, MessageDescriptor, Syntax};

use super::context::Context;
use super::difference::DifferenceType;
use super::message_diff;

/// A label as Confluent's parser reads it from the text: absent for proto3
/// implicit fields, oneof members and maps, so those never compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Label {
    Optional,
    Required,
    Repeated,
}

pub(super) fn label(field: &FieldDescriptor) -> Option<Label> {
    if field.is_map() || message_diff::real_oneof(field).is_some() {
        return None;
    }
    match field.parent_file().syntax() {
        Syntax::Proto2 => Some(match field.cardinality() {
            Cardinality::Optional => Label::Optional,
            Cardinality::Required => Label::Required,
            Cardinality::Repeated => Label::Repeated,
        }),
        Syntax::Proto3 if field.is_list() => Some(Label::Repeated),
        Syntax::Proto3 if field.field_descriptor_proto().proto3_optional() => Some(Label::Optional),
        Syntax::Proto3 => None,
    }
}

/// A field's type as Confluent classifies it.
enum FieldType {
    Scalar(ScalarKind),
    Message(MessageDescriptor),
    Map(Box<FieldType>, Box<FieldType>),
}

impl FieldType {
    fn of(field: &FieldDescriptor) -> Self {
        match field.kind() {
            Kind::Message(entry) if field.is_map() => Self::Map(
                Box::new(Self::of(&entry.map_entry_key_field())),
                Box::new(Self::of(&entry.map_entry_value_field())),
            ),
            Kind::Message(message) => Self::Message(message),
            other => Self::Scalar(ScalarKind::of(&other)),
        }
    }
}

/// Confluent's `ScalarKind`: scalars within a group are interchangeable;
/// every enum is a `GENERAL_NUMBER`, whatever its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScalarKind {
    GeneralNumber,
    SignedNumber,
    StringOrBytes,
    Fixed32,
    Fixed64,
    Float,
    Double,
}

impl ScalarKind {
    fn of(kind: &Kind) -> Self {
        match kind {
            Kind::Int32
            | Kind::Int64
            | Kind::Uint32
            | Kind::Uint64
            | Kind::Bool
            | Kind::Enum(_) => Self::GeneralNumber,
            Kind::Sint32 | Kind::Sint64 => Self::SignedNumber,
            Kind::String | Kind::Bytes => Self::StringOrBytes,
            Kind::Fixed32 | Kind::Sfixed32 => Self::Fixed32,
            Kind::Fixed64 | Kind::Sfixed64 => Self::Fixed64,
            Kind::Float => Self::Float,
            Kind::Double => Self::Double,
            Kind::Message(_) => unreachable!("messages are not scalars"),
        }
    }
}

pub(super) fn compare(ctx: &mut Context<'_>, original: &FieldDescriptor, update: &FieldDescriptor) {
    if field_name_changed(original, update) {
        ctx.add(DifferenceType::FieldNameChanged);
    }
    compare_labels_and_types(
        ctx,
        label(original),
        label(update),
        &FieldType::of(original),
        &FieldType::of(update),
    );
}

/// `FIELD_NAME_CHANGED`: same tag, another name.
fn field_name_changed(original: &FieldDescriptor, update: &FieldDescriptor) -> bool {
    original.name() != update.name()
}

fn compare_labels_and_types(
    ctx: &mut Context<'_>,
    original_label: Option<Label>,
    update_label: Option<Label>,
    original: &FieldType,
    update: &FieldType,
) {
    match (original, update) {
        (FieldType::Scalar(o), FieldType::Scalar(u)) => {
            if let Some(kind) = scalar_change(*o, *u, original_label, update_label) {
                ctx.add(kind);
            }
        }
        (FieldType::Message(o), FieldType::Message(u)) => compare_message_types(ctx, o, u),
        (FieldType::Map(o_key, o_value), FieldType::Map(u_key, u_value)) => {
            compare_labels_and_types(ctx, None, None, o_key, u_key);
            compare_labels_and_types(ctx, None, None, o_value, u_value);
        }
        _ => ctx.add(DifferenceType::FieldKindChanged),
    }
}

/// `FIELD_SCALAR_KIND_CHANGED` across scalar groups; within a group, when
/// both labels are present and differ, `FIELD_STRING_OR_BYTES_LABEL_CHANGED`
/// for strings and bytes, else `FIELD_NUMERIC_LABEL_CHANGED`.
fn scalar_change(
    original: ScalarKind,
    update: ScalarKind,
    original_label: Option<Label>,
    update_label: Option<Label>,
) -> Option<DifferenceType> {
    if original != update {
        return Some(DifferenceType::FieldScalarKindChanged);
    }
    match (original_label, update_label) {
        (Some(o), Some(u)) if o != u => Some(if original == ScalarKind::StringOrBytes {
            DifferenceType::FieldStringOrBytesLabelChanged
        } else {
            DifferenceType::FieldNumericLabelChanged
        }),
        _ => None,
    }
}

/// `FIELD_NAMED_TYPE_CHANGED`: the message types' names without their
/// packages differ, or the bodies (compared when the types are not the
/// same file's own or the same reference) are incompatible; the body's
/// differences are reported too, at the type's own path.
fn compare_message_types(
    ctx: &mut Context<'_>,
    original: &MessageDescriptor,
    update: &MessageDescriptor,
) {
    let local_name = local_name(original);
    if local_name != self::local_name(update) {
        ctx.add(DifferenceType::FieldNamedTypeChanged);
        return;
    }
    if !bodies_compared(ctx, original, update) {
        return;
    }
    let mut sub = ctx.subcontext(&local_name);
    message_diff::compare(&mut sub, original, update);
    let compatible = sub.is_compatible();
    ctx.absorb(sub);
    if !compatible {
        ctx.add(DifferenceType::FieldNamedTypeChanged);
    }
}

/// The full name less the defining file's package.
fn local_name(message: &MessageDescriptor) -> String {
    let file = message.parent_file();
    let package = file.package_name();
    let full_name = message.full_name();
    match full_name.strip_prefix(package) {
        Some(rest) if !package.is_empty() && rest.starts_with('.') => rest[1..].to_string(),
        _ => full_name.to_string(),
    }
}

/// Confluent skips the body when both types are the schema's own, or come
/// from the same reference (subject and version). A parsed schema does not
/// know its references' versions; the same import path with identical
/// content stands for "same reference".
fn bodies_compared(
    ctx: &Context<'_>,
    original: &MessageDescriptor,
    update: &MessageDescriptor,
) -> bool {
    let original_file = original.parent_file();
    let update_file = update.parent_file();
    let original_own = original_file.name() == ctx.original_file.name();
    let update_own = update_file.name() == ctx.update_file.name();
    match (original_own, update_own) {
        (true, true) => false,
        (false, false) => {
            original_file.name() != update_file.name()
                || original_file.file_descriptor_proto() != update_file.file_descriptor_proto()
        }
        _ => true,
    }
}
