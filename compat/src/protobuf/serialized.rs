//! `format=serialized`: the schema as base64 of the `FileDescriptorProto`
//! Confluent builds from its parsed schema (`ProtobufSchema.toDynamicSchema`
//! and its `dynamic` builders), for clients that load descriptors instead
//! of parsing `.proto` text. That descriptor is not protoc's, and a client
//! that caches by bytes must see the same one from either registry:
//!
//! - the file is named `default`; imports come first, public imports after;
//! - type names stay as written (relative), with the type (message or
//!   enum) set from resolution;
//! - a field carries a label only where the schema wrote one, except that
//!   oneof members are `optional` and map fields `repeated`, and a map
//!   field names its entry type without saying it is a message;
//! - a message lists its oneofs' members first, then its other fields; its
//!   declared nested types, then one entry type per map field, named
//!   `<field>Entry` (camel-cased only when the name has an underscore),
//!   whose `key` and `value` have neither label nor JSON name;
//! - every oneof and extension range has options, if empty; a synthetic
//!   oneof is `_<field>`; methods always say whether they stream;
//! - `json_name` only where the schema wrote one.
//!
//! Options are the standard ones the compiler read; custom options (among
//! them Confluent's own `confluent.*_meta`) are left out.

use base64::Engine;
use prost::Message;
use prost_types::field_descriptor_proto::Label;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, EnumOptions, EnumValueOptions, ExtensionRangeOptions,
    FieldDescriptorProto, FieldOptions, FileDescriptorProto, FileOptions, MessageOptions,
    MethodDescriptorProto, MethodOptions, OneofOptions, ServiceDescriptorProto, ServiceOptions,
};

use super::ProtobufSchema;

/// Base64 of Confluent's descriptor, built from the file as written
/// (names as written) and as compiled (resolved types and options).
pub(super) fn serialized(schema: &ProtobufSchema) -> String {
    let file = descriptor(schema);
    base64::engine::general_purpose::STANDARD.encode(file.encode_to_vec())
}

/// How the file was written.
#[derive(Clone, Copy)]
struct Written {
    proto3: bool,
    from_source: bool,
}

/// `from_source` tells `.proto` text from a descriptor: map entries of a
/// descriptor are nested messages like any other to Confluent.
fn descriptor(schema: &ProtobufSchema) -> FileDescriptorProto {
    let compiled = schema.file.file_descriptor_proto();
    let written = schema.written.as_ref();
    let how = Written {
        proto3: written.syntax() == "proto3",
        from_source: schema.from_source,
    };
    let (dependency, public_dependency) =
        imports_then_public_imports(written, &schema.unresolved_imports);
    FileDescriptorProto {
        name: Some("default".to_string()),
        package: written.package.clone().filter(|p| !p.is_empty()),
        dependency,
        public_dependency,
        message_type: paired(&written.message_type, &compiled.message_type, |w, c| {
            message(w, c, how)
        }),
        enum_type: paired(&written.enum_type, &compiled.enum_type, enumeration),
        service: paired(&written.service, &compiled.service, service),
        extension: fields(&written.extension, &compiled.extension, how),
        options: standard(&compiled.options),
        syntax: written.syntax.clone(),
        ..Default::default()
    }
}

/// Confluent adds a file's plain imports, then its public ones, each only
/// if a reference or a bundled file provides it.
fn imports_then_public_imports(
    written: &FileDescriptorProto,
    unresolved: &[String],
) -> (Vec<String>, Vec<i32>) {
    let is_public = |i: usize| written.public_dependency.contains(&(i as i32));
    let (public, plain): (Vec<_>, Vec<_>) = written
        .dependency
        .iter()
        .enumerate()
        .filter(|(_, name)| !unresolved.contains(name))
        .partition(|(i, _)| is_public(*i));
    let first_public = plain.len();
    let dependency = plain
        .into_iter()
        .chain(public.iter().copied())
        .map(|(_, name)| name.clone())
        .collect();
    let public_dependency = (0..public.len())
        .map(|i| (first_public + i) as i32)
        .collect();
    (dependency, public_dependency)
}

fn message(written: &DescriptorProto, compiled: &DescriptorProto, how: Written) -> DescriptorProto {
    let pairs: Vec<_> = written.field.iter().zip(&compiled.field).collect();
    let in_real_oneof = |f: &FieldDescriptorProto| f.oneof_index.is_some() && !f.proto3_optional();
    let real_oneofs = written
        .oneof_decl
        .iter()
        .enumerate()
        .filter(|(i, _)| !is_synthetic(written, *i))
        .count();
    let mut ordered = Vec::with_capacity(pairs.len());
    for index in 0..real_oneofs as i32 {
        for (w, c) in pairs.iter().filter(|(w, _)| in_real_oneof(w)) {
            if w.oneof_index == Some(index) {
                ordered.push(FieldDescriptorProto {
                    label: Some(Label::Optional as i32),
                    ..field(w, c, how)
                });
            }
        }
    }
    let mut map_entries = Vec::new();
    for (w, c) in pairs.iter().filter(|(w, _)| !in_real_oneof(w)) {
        match map_entry_of(written, compiled, w).filter(|_| how.from_source) {
            Some((entry_written, entry_compiled)) => {
                let name = map_entry_name(w.name());
                map_entries.push(map_entry(&name, entry_written, entry_compiled));
                // Confluent resolves a type name among the schema's own
                // types, and an entry type is none of them: no type.
                ordered.push(FieldDescriptorProto {
                    type_name: Some(name),
                    r#type: None,
                    ..field(w, c, how)
                });
            }
            None => ordered.push(field(w, c, how)),
        }
    }
    let mut nested_type: Vec<DescriptorProto> = written
        .nested_type
        .iter()
        .zip(&compiled.nested_type)
        .filter(|(w, _)| !(how.from_source && is_map_entry(w)))
        .map(|(w, c)| message(w, c, how))
        .collect();
    nested_type.extend(map_entries);
    DescriptorProto {
        name: written.name.clone(),
        field: ordered,
        extension: fields(&written.extension, &compiled.extension, how),
        nested_type,
        enum_type: paired(&written.enum_type, &compiled.enum_type, enumeration),
        extension_range: compiled
            .extension_range
            .iter()
            .map(|range| prost_types::descriptor_proto::ExtensionRange {
                options: Some(standard(&range.options).unwrap_or_default()),
                ..range.clone()
            })
            .collect(),
        oneof_decl: written
            .oneof_decl
            .iter()
            .enumerate()
            .map(|(i, oneof)| prost_types::OneofDescriptorProto {
                name: match synthetic_member(written, i) {
                    Some(member) => Some(format!("_{}", member.name())),
                    None => oneof.name.clone(),
                },
                options: Some(OneofOptions::default()),
            })
            .collect(),
        options: standard(&compiled.options),
        reserved_range: written.reserved_range.clone(),
        reserved_name: written.reserved_name.clone(),
    }
}

/// A field of a message or extend block: name, number and type name as
/// written, the resolved type, and the label only where one was written.
fn field(
    written: &FieldDescriptorProto,
    compiled: &FieldDescriptorProto,
    how: Written,
) -> FieldDescriptorProto {
    // protox records an unwritten proto3 label as `optional`; a written
    // proto3 `optional` is a synthetic oneof's member.
    let unwritten = how.proto3 && written.label() == Label::Optional && !written.proto3_optional();
    FieldDescriptorProto {
        name: written.name.clone(),
        number: written.number,
        label: if unwritten { None } else { written.label },
        r#type: compiled.r#type,
        type_name: written.type_name.clone(),
        extendee: written.extendee.clone(),
        default_value: compiled.default_value.clone(),
        oneof_index: written.oneof_index,
        json_name: written.json_name.clone(),
        options: standard(&compiled.options),
        proto3_optional: written.proto3_optional,
    }
}

fn fields(
    written: &[FieldDescriptorProto],
    compiled: &[FieldDescriptorProto],
    how: Written,
) -> Vec<FieldDescriptorProto> {
    paired(written, compiled, |w, c| field(w, c, how))
}

/// Each element as written with the same element as compiled.
fn paired<T, U>(written: &[T], compiled: &[T], each: impl Fn(&T, &T) -> U) -> Vec<U> {
    written
        .iter()
        .zip(compiled)
        .map(|(w, c)| each(w, c))
        .collect()
}

fn is_map_entry(message: &DescriptorProto) -> bool {
    message
        .options
        .as_ref()
        .is_some_and(|o| o.map_entry == Some(true))
}

/// The written and compiled entry type of a map field, if it is one.
fn map_entry_of<'m>(
    written: &'m DescriptorProto,
    compiled: &'m DescriptorProto,
    field: &FieldDescriptorProto,
) -> Option<(&'m DescriptorProto, &'m DescriptorProto)> {
    if field.label() != Label::Repeated {
        return None;
    }
    written
        .nested_type
        .iter()
        .zip(&compiled.nested_type)
        .find(|(w, _)| is_map_entry(w) && w.name.as_deref() == field.type_name.as_deref())
}

/// Confluent's `toMapEntry`: camel case only for a name with an
/// underscore (`my_map` → `MyMapEntry`, but `myMap` → `myMapEntry`).
fn map_entry_name(field: &str) -> String {
    let mut name = String::with_capacity(field.len() + 5);
    if field.contains('_') {
        for part in field.split('_').filter(|p| !p.is_empty()) {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                name.extend(first.to_uppercase());
                name.extend(chars.flat_map(char::to_lowercase));
            }
        }
    } else {
        name.push_str(field);
    }
    name.push_str("Entry");
    name
}

/// A map entry type: `key` and `value` with their types (the value's name
/// as written), without labels or JSON names.
fn map_entry(name: &str, written: &DescriptorProto, compiled: &DescriptorProto) -> DescriptorProto {
    let entry_field = |w: &FieldDescriptorProto, c: &FieldDescriptorProto| FieldDescriptorProto {
        name: w.name.clone(),
        number: w.number,
        r#type: c.r#type,
        type_name: w.type_name.clone(),
        ..Default::default()
    };
    DescriptorProto {
        name: Some(name.to_string()),
        field: paired(&written.field, &compiled.field, entry_field),
        options: Some(MessageOptions {
            map_entry: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The proto3 `optional` field a oneof was made for, if it is synthetic.
fn synthetic_member(message: &DescriptorProto, oneof: usize) -> Option<&FieldDescriptorProto> {
    message
        .field
        .iter()
        .find(|f| f.proto3_optional() && f.oneof_index == Some(oneof as i32))
}

fn is_synthetic(message: &DescriptorProto, oneof: usize) -> bool {
    synthetic_member(message, oneof).is_some()
}

fn enumeration(
    written: &EnumDescriptorProto,
    compiled: &EnumDescriptorProto,
) -> EnumDescriptorProto {
    EnumDescriptorProto {
        name: written.name.clone(),
        value: compiled
            .value
            .iter()
            .map(|value| prost_types::EnumValueDescriptorProto {
                options: standard(&value.options),
                ..value.clone()
            })
            .collect(),
        options: standard(&compiled.options),
        reserved_range: written.reserved_range.clone(),
        reserved_name: written.reserved_name.clone(),
    }
}

/// Methods with their types as written and both streaming flags set.
fn service(
    written: &ServiceDescriptorProto,
    compiled: &ServiceDescriptorProto,
) -> ServiceDescriptorProto {
    ServiceDescriptorProto {
        name: written.name.clone(),
        method: written
            .method
            .iter()
            .zip(&compiled.method)
            .map(|(w, c)| MethodDescriptorProto {
                name: w.name.clone(),
                input_type: w.input_type.clone(),
                output_type: w.output_type.clone(),
                client_streaming: Some(w.client_streaming()),
                server_streaming: Some(w.server_streaming()),
                options: standard(&c.options),
            })
            .collect(),
        options: standard(&compiled.options),
    }
}

/// Options of any element, as Confluent copies them.
trait Options: Clone + Default + PartialEq {
    fn drop_uninterpreted(&mut self);
}

macro_rules! options {
    ($($kind:ty),*) => {
        $(impl Options for $kind {
            fn drop_uninterpreted(&mut self) {
                self.uninterpreted_option.clear();
            }
        })*
    };
}

options!(
    FileOptions,
    MessageOptions,
    FieldOptions,
    ExtensionRangeOptions,
    EnumOptions,
    EnumValueOptions,
    ServiceOptions,
    MethodOptions
);

/// The standard options the compiler read; none at all when none is set,
/// as Confluent sets options only for an option it copies.
fn standard<T: Options>(options: &Option<T>) -> Option<T> {
    let mut options = options.clone()?;
    options.drop_uninterpreted();
    (options != T::default()).then_some(options)
}
