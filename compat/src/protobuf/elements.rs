//! The schema as Wire's `ProtoFileElement` sees it, which is what
//! Confluent prints: built from the file as written (protox's parse, before
//! names are resolved) beside the compiled file (for resolved names, used
//! when normalizing). For a schema sent as a `FileDescriptorProto` both are
//! that descriptor, and the elements follow Confluent's `toProtoFile`.

use std::collections::HashMap;

use prost_reflect::DescriptorPool;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    ServiceDescriptorProto, SourceCodeInfo,
};

use super::options::{OptionElement, OptionValue};
use super::standard;

/// Field numbers of the descriptor messages, for source-info paths.
mod tag {
    pub const FILE_SYNTAX: i32 = 12;
    pub const FILE_MESSAGE: i32 = 4;
    pub const FILE_ENUM: i32 = 5;
    pub const MESSAGE_NESTED: i32 = 3;
    pub const MESSAGE_ENUM: i32 = 4;
    pub const MESSAGE_EXTENSION_RANGE: i32 = 5;
    pub const MESSAGE_RESERVED_RANGE: i32 = 9;
    pub const MESSAGE_RESERVED_NAME: i32 = 10;
    pub const ENUM_RESERVED_RANGE: i32 = 4;
    pub const ENUM_RESERVED_NAME: i32 = 5;
}

/// The largest field number; a range ending there prints as `max`.
pub(super) const MAX_FIELD_NUMBER: i32 = 536_870_911;

pub(super) struct FileElement {
    /// `syntax` as written (source) or as the descriptor states it.
    pub syntax: Option<String>,
    pub package: Option<String>,
    pub imports: Vec<String>,
    pub public_imports: Vec<String>,
    pub options: Vec<OptionElement>,
    pub messages: Vec<MessageElement>,
    pub enums: Vec<EnumElement>,
    pub extends: Vec<ExtendElement>,
    pub services: Vec<ServiceElement>,
}

pub(super) struct MessageElement {
    pub name: String,
    /// Statements, each a list of values as written together.
    pub reserved: Vec<Vec<Reserved>>,
    pub options: Vec<OptionElement>,
    pub fields: Vec<FieldElement>,
    pub oneofs: Vec<OneOfElement>,
    pub groups: Vec<GroupElement>,
    pub extensions: Vec<ExtensionsElement>,
    pub extends: Vec<ExtendElement>,
    pub messages: Vec<MessageElement>,
    pub enums: Vec<EnumElement>,
    /// A `map_entry` message: hidden when normalizing (fields print as maps).
    pub is_map_entry: bool,
}

/// A reserved number range (inclusive) or name.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Reserved {
    Range(i32, i32),
    Name(String),
}

pub(super) struct FieldElement {
    pub label: Option<&'static str>,
    /// The type as written: `int32`, `Foo`, `.pkg.Foo`, `map<string, Foo>`.
    pub written_type: String,
    /// The type when normalizing: scalars as is, named types fully
    /// qualified with a leading dot, map entries as `map<K, .V>`.
    pub normal_type: String,
    /// Whether the field is a map once normalized (its label is dropped).
    pub is_map: bool,
    pub name: String,
    pub number: i32,
    pub default: Option<OptionValue>,
    pub json_name: Option<String>,
    pub options: Vec<OptionElement>,
}

pub(super) struct OneOfElement {
    pub name: String,
    pub options: Vec<OptionElement>,
    pub fields: Vec<FieldElement>,
}

pub(super) struct GroupElement {
    pub label: Option<&'static str>,
    pub name: String,
    pub number: i32,
    pub fields: Vec<FieldElement>,
}

pub(super) struct ExtensionsElement {
    /// Inclusive ranges written in one statement.
    pub ranges: Vec<(i32, i32)>,
    pub options: Vec<OptionElement>,
}

pub(super) struct ExtendElement {
    pub written_name: String,
    pub resolved_name: String,
    pub fields: Vec<FieldElement>,
}

pub(super) struct EnumElement {
    pub name: String,
    pub reserved: Vec<Vec<Reserved>>,
    pub options: Vec<OptionElement>,
    pub constants: Vec<ConstantElement>,
    /// A proto3 enum: its first value must be zero, also when normalizing.
    pub zero_first: bool,
}

pub(super) struct ConstantElement {
    pub name: String,
    pub number: i32,
    pub options: Vec<OptionElement>,
}

pub(super) struct ServiceElement {
    pub name: String,
    pub options: Vec<OptionElement>,
    pub rpcs: Vec<RpcElement>,
}

pub(super) struct RpcElement {
    pub name: String,
    pub input: (String, String),
    pub output: (String, String),
    pub client_streaming: bool,
    pub server_streaming: bool,
    pub options: Vec<OptionElement>,
}

/// Builds elements from the written file and the compiled one, which have
/// the same shape (protox compiles the parse it produced).
pub(super) struct Builder<'a> {
    /// True for `.proto` source: labels, maps and groups as written.
    from_source: bool,
    proto3: bool,
    spans: HashMap<Vec<i32>, Vec<Vec<i32>>>,
    pool: &'a DescriptorPool,
    package: String,
}

impl<'a> Builder<'a> {
    pub fn new(written: &FileDescriptorProto, from_source: bool, pool: &'a DescriptorPool) -> Self {
        Self {
            from_source,
            proto3: written.syntax() == "proto3",
            spans: spans(written.source_code_info.as_ref()),
            pool,
            package: written.package().to_string(),
        }
    }

    pub fn file(
        &self,
        written: &FileDescriptorProto,
        compiled: &FileDescriptorProto,
    ) -> FileElement {
        let mut imports = Vec::new();
        let mut public_imports = Vec::new();
        for (i, dep) in written.dependency.iter().enumerate() {
            if written.public_dependency.contains(&(i as i32)) {
                public_imports.push(dep.clone());
            } else {
                imports.push(dep.clone());
            }
        }
        let scope = self.package.clone();
        let messages = written
            .message_type
            .iter()
            .zip(&compiled.message_type)
            .enumerate()
            .map(|(i, (w, c))| self.message(w, c, vec![tag::FILE_MESSAGE, i as i32], &scope))
            .collect();
        let enums = written
            .enum_type
            .iter()
            .enumerate()
            .map(|(i, e)| self.enumeration(e, vec![tag::FILE_ENUM, i as i32], &scope))
            .collect();
        FileElement {
            syntax: self.syntax(written),
            package: written.package.clone().filter(|p| !p.is_empty()),
            imports,
            public_imports,
            options: self.custom_names(standard::file_options(written.options.as_ref()), &scope),
            messages,
            enums,
            extends: self.extends(&written.extension, &compiled.extension, &scope),
            services: written
                .service
                .iter()
                .zip(&compiled.service)
                .map(|(w, c)| self.service(w, c, &scope))
                .collect(),
        }
    }

    /// Source text: `syntax` only when written (protox leaves proto2 unset
    /// but records where the statement was).
    fn syntax(&self, written: &FileDescriptorProto) -> Option<String> {
        match written.syntax.as_deref() {
            Some(s) if !s.is_empty() => Some(s.to_string()),
            _ if self.from_source && self.spans.contains_key(&[tag::FILE_SYNTAX][..]) => {
                Some("proto2".to_string())
            }
            _ => None,
        }
    }

    fn message(
        &self,
        written: &DescriptorProto,
        compiled: &DescriptorProto,
        path: Vec<i32>,
        scope: &str,
    ) -> MessageElement {
        let scope = format!("{scope}.{}", written.name());
        let options = written.options.as_ref();
        let is_map_entry = compiled.options.as_ref().is_some_and(|o| o.map_entry());
        let mut element = MessageElement {
            name: written.name().to_string(),
            reserved: self.reserved(
                &path,
                (tag::MESSAGE_RESERVED_RANGE, tag::MESSAGE_RESERVED_NAME),
                &written
                    .reserved_range
                    .iter()
                    .map(|r| (r.start(), r.end() - 1))
                    .collect::<Vec<_>>(),
                &written.reserved_name,
            ),
            options: self.custom_names(standard::message_options(options), &scope),
            fields: Vec::new(),
            oneofs: Vec::new(),
            groups: Vec::new(),
            extensions: self.extension_ranges(written, &path, &scope),
            extends: self.extends(&written.extension, &compiled.extension, &scope),
            messages: Vec::new(),
            enums: Vec::new(),
            is_map_entry,
        };
        self.message_fields(written, compiled, &scope, &mut element);
        let hidden: Vec<&str> = element.groups.iter().map(|g| g.name.as_str()).collect();
        element.messages = written
            .nested_type
            .iter()
            .zip(&compiled.nested_type)
            .enumerate()
            .filter(|(_, (w, _))| !self.is_synthetic(w) && !hidden.contains(&w.name()))
            .map(|(i, (w, c))| {
                let mut nested_path = path.clone();
                nested_path.extend([tag::MESSAGE_NESTED, i as i32]);
                self.message(w, c, nested_path, &scope)
            })
            .collect();
        element.enums = written
            .enum_type
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut enum_path = path.clone();
                enum_path.extend([tag::MESSAGE_ENUM, i as i32]);
                self.enumeration(e, enum_path, &scope)
            })
            .collect();
        element
    }

    /// protox's own map-entry messages for `map<K, V>` fields (their
    /// `map_entry` is set directly; a written option stays uninterpreted).
    fn is_synthetic(&self, written: &DescriptorProto) -> bool {
        self.from_source && written.options.as_ref().is_some_and(|o| o.map_entry())
    }

    /// Splits fields into plain ones, oneof members and (source) groups.
    fn message_fields(
        &self,
        written: &DescriptorProto,
        compiled: &DescriptorProto,
        scope: &str,
        element: &mut MessageElement,
    ) {
        let mut oneofs: Vec<OneOfElement> = written
            .oneof_decl
            .iter()
            .map(|o| OneOfElement {
                name: o.name().to_string(),
                options: self.custom_names(
                    o.options
                        .iter()
                        .flat_map(|o| o.uninterpreted_option.iter())
                        .map(OptionElement::from_uninterpreted)
                        .collect(),
                    scope,
                ),
                fields: Vec::new(),
            })
            .collect();
        for (w, c) in written.field.iter().zip(&compiled.field) {
            if self.from_source && w.r#type() == Type::Group && w.r#type.is_some() {
                element.groups.push(self.group(w, written, compiled, scope));
                continue;
            }
            match w.oneof_index {
                Some(index) if !w.proto3_optional() => {
                    let field = self.field(w, c, written, compiled, true, scope);
                    if let Some(oneof) = oneofs.get_mut(index as usize) {
                        oneof.fields.push(field);
                    }
                }
                _ => element
                    .fields
                    .push(self.field(w, c, written, compiled, false, scope)),
            }
        }
        oneofs.retain(|o| !o.fields.is_empty());
        element.oneofs = oneofs;
    }

    fn group(
        &self,
        field: &FieldDescriptorProto,
        written: &DescriptorProto,
        compiled: &DescriptorProto,
        scope: &str,
    ) -> GroupElement {
        let body = written
            .nested_type
            .iter()
            .zip(&compiled.nested_type)
            .find(|(w, _)| w.name() == field.type_name());
        let fields = body
            .map(|(w, c)| {
                w.field
                    .iter()
                    .zip(&c.field)
                    .map(|(wf, cf)| self.field(wf, cf, w, c, false, scope))
                    .collect()
            })
            .unwrap_or_default();
        GroupElement {
            label: label_name(field.label()),
            name: field.type_name().to_string(),
            number: field.number(),
            fields,
        }
    }

    /// One field; `owner_*` is its message, where map entries live.
    fn field(
        &self,
        written: &FieldDescriptorProto,
        compiled: &FieldDescriptorProto,
        owner_written: &DescriptorProto,
        owner_compiled: &DescriptorProto,
        in_oneof: bool,
        scope: &str,
    ) -> FieldElement {
        let entry = map_entry(owner_written, owner_compiled, written, compiled);
        let synthetic_map = entry.is_some_and(|(w, _)| self.is_synthetic(w));
        let written_type = match entry {
            Some((w, _)) if synthetic_map => map_type(w, scalar_or_named),
            _ => scalar_or_named(written),
        };
        let (normal_type, is_map) = match entry {
            Some((_, c)) => (map_type(c, scalar_or_named), true),
            // The compiled name is fully qualified with a leading dot.
            None => (scalar_or_named(compiled), false),
        };
        let label = if in_oneof || synthetic_map {
            None
        } else {
            self.label(written)
        };
        FieldElement {
            label,
            written_type,
            normal_type,
            is_map,
            name: written.name().to_string(),
            number: written.number(),
            default: written
                .default_value
                .as_ref()
                .filter(|_| !self.proto3)
                .map(|value| default_value(compiled, value)),
            json_name: written.json_name.clone(),
            options: self.custom_names(standard::field_options(written.options.as_ref()), scope),
        }
    }

    /// Wire keeps the written label; Confluent's `toProtoFile` omits
    /// `optional`/`required` in proto3 and writes them otherwise.
    fn label(&self, field: &FieldDescriptorProto) -> Option<&'static str> {
        if field.proto3_optional() {
            return Some("optional");
        }
        match field.label() {
            Label::Repeated => Some("repeated"),
            _ if self.proto3 => None,
            other => label_name(other),
        }
    }

    fn enumeration(
        &self,
        written: &EnumDescriptorProto,
        path: Vec<i32>,
        scope: &str,
    ) -> EnumElement {
        let scope = format!("{scope}.{}", written.name());
        EnumElement {
            zero_first: self.proto3,
            name: written.name().to_string(),
            reserved: self.reserved(
                &path,
                (tag::ENUM_RESERVED_RANGE, tag::ENUM_RESERVED_NAME),
                &written
                    .reserved_range
                    .iter()
                    .map(|r| (r.start(), r.end()))
                    .collect::<Vec<_>>(),
                &written.reserved_name,
            ),
            options: self.custom_names(standard::enum_options(written.options.as_ref()), &scope),
            constants: written
                .value
                .iter()
                .map(|v| ConstantElement {
                    name: v.name().to_string(),
                    number: v.number(),
                    options: self
                        .custom_names(standard::enum_value_options(v.options.as_ref()), &scope),
                })
                .collect(),
        }
    }

    fn service(
        &self,
        written: &ServiceDescriptorProto,
        compiled: &ServiceDescriptorProto,
        scope: &str,
    ) -> ServiceElement {
        ServiceElement {
            name: written.name().to_string(),
            options: self.custom_names(standard::service_options(written.options.as_ref()), scope),
            rpcs: written
                .method
                .iter()
                .zip(&compiled.method)
                .map(|(w, c)| RpcElement {
                    name: w.name().to_string(),
                    input: (w.input_type().to_string(), c.input_type().to_string()),
                    output: (w.output_type().to_string(), c.output_type().to_string()),
                    client_streaming: w.client_streaming(),
                    server_streaming: w.server_streaming(),
                    options: self.custom_names(standard::method_options(w.options.as_ref()), scope),
                })
                .collect(),
        }
    }

    /// Fields of `extend` blocks: consecutive fields with the same written
    /// extendee form one block (the descriptor does not keep blocks).
    fn extends(
        &self,
        written: &[FieldDescriptorProto],
        compiled: &[FieldDescriptorProto],
        scope: &str,
    ) -> Vec<ExtendElement> {
        let mut blocks: Vec<ExtendElement> = Vec::new();
        for (w, c) in written.iter().zip(compiled) {
            let field = self.field(
                w,
                c,
                &DescriptorProto::default(),
                &DescriptorProto::default(),
                false,
                scope,
            );
            match blocks.last_mut() {
                Some(block) if block.written_name == w.extendee() => block.fields.push(field),
                _ => blocks.push(ExtendElement {
                    written_name: w.extendee().to_string(),
                    resolved_name: c.extendee().to_string(),
                    fields: vec![field],
                }),
            }
        }
        blocks
    }

    fn extension_ranges(
        &self,
        written: &DescriptorProto,
        path: &[i32],
        scope: &str,
    ) -> Vec<ExtensionsElement> {
        let ranges: Vec<(i32, i32)> = written
            .extension_range
            .iter()
            .map(|r| (r.start(), r.end() - 1))
            .collect();
        let statements = self.statements(path, tag::MESSAGE_EXTENSION_RANGE, ranges.len());
        statements
            .into_iter()
            .map(|(_, items)| {
                let options = written.extension_range[items[0]]
                    .options
                    .iter()
                    .flat_map(|o| o.uninterpreted_option.iter())
                    .map(OptionElement::from_uninterpreted)
                    .collect();
                ExtensionsElement {
                    ranges: items.iter().map(|&i| ranges[i]).collect(),
                    options: self.custom_names(options, scope),
                }
            })
            .collect()
    }

    /// Reserved statements in written order; from a descriptor, one value
    /// per statement, ranges before names (Confluent's `toProtoFile`).
    fn reserved(
        &self,
        path: &[i32],
        (range_tag, name_tag): (i32, i32),
        ranges: &[(i32, i32)],
        names: &[String],
    ) -> Vec<Vec<Reserved>> {
        let mut statements: Vec<(Vec<i32>, Vec<Reserved>)> = Vec::new();
        for (start, items) in self.statements(path, range_tag, ranges.len()) {
            let values = items
                .iter()
                .map(|&i| Reserved::Range(ranges[i].0, ranges[i].1));
            statements.push((start, values.collect()));
        }
        for (start, items) in self.statements(path, name_tag, names.len()) {
            let values = items.iter().map(|&i| Reserved::Name(names[i].clone()));
            statements.push((start, values.collect()));
        }
        if self.from_source {
            statements.sort_by(|a, b| a.0.cmp(&b.0));
        }
        statements.into_iter().map(|(_, values)| values).collect()
    }

    /// Groups the `count` items at `path + [tag, i]` into the statements
    /// (locations at `path + [tag]`) whose span they start in; without
    /// source info each item is its own statement. Each group carries its
    /// statement's start, for written order.
    fn statements(&self, path: &[i32], tag: i32, count: usize) -> Vec<(Vec<i32>, Vec<usize>)> {
        let mut key = path.to_vec();
        key.push(tag);
        let mut starts: Vec<Vec<i32>> = self
            .spans
            .get(&key)
            .map(|spans| spans.iter().map(|s| span_start(s)).collect())
            .unwrap_or_default();
        starts.sort();
        let mut groups: Vec<(Vec<i32>, Vec<usize>)> = Vec::new();
        for i in 0..count {
            key.push(i as i32);
            let item = self
                .spans
                .get(&key)
                .and_then(|v| v.first())
                .map(|s| span_start(s));
            key.pop();
            let statement =
                item.and_then(|item| starts.iter().rev().find(|s| **s <= item).cloned());
            match (statement, groups.last_mut()) {
                (Some(s), Some((last, items))) if *last == s => items.push(i),
                (Some(s), _) => groups.push((s, vec![i])),
                (None, _) => groups.push((Vec::new(), vec![i])),
            }
        }
        groups
    }

    /// Resolves the names of custom options (for normalizing) in `scope`.
    fn custom_names(&self, mut options: Vec<OptionElement>, scope: &str) -> Vec<OptionElement> {
        for option in options.iter_mut().filter(|o| o.is_custom()) {
            option.resolved = resolve_extension(self.pool, scope, option.name());
        }
        options
    }
}

/// Source locations by path; a path can have several (one per statement).
fn spans(info: Option<&SourceCodeInfo>) -> HashMap<Vec<i32>, Vec<Vec<i32>>> {
    let mut spans: HashMap<Vec<i32>, Vec<Vec<i32>>> = HashMap::new();
    for location in info.iter().flat_map(|i| i.location.iter()) {
        spans
            .entry(location.path.clone())
            .or_default()
            .push(location.span.clone());
    }
    spans
}

/// `[line, column]` of a span, comparable in source order.
fn span_start(span: &[i32]) -> Vec<i32> {
    span.iter().take(2).copied().collect()
}

fn label_name(label: Label) -> Option<&'static str> {
    match label {
        Label::Optional => Some("optional"),
        Label::Required => Some("required"),
        Label::Repeated => Some("repeated"),
    }
}

/// The entry message of a map field (repeated, typed by a nested message
/// with `map_entry`), written and compiled.
fn map_entry<'m>(
    owner_written: &'m DescriptorProto,
    owner_compiled: &'m DescriptorProto,
    written: &FieldDescriptorProto,
    compiled: &FieldDescriptorProto,
) -> Option<(&'m DescriptorProto, &'m DescriptorProto)> {
    if compiled.label() != Label::Repeated {
        return None;
    }
    let entry_name = compiled.type_name().rsplit('.').next()?;
    let written_entry_name = written.type_name().rsplit('.').next()?;
    owner_written
        .nested_type
        .iter()
        .zip(&owner_compiled.nested_type)
        .find(|(w, c)| {
            c.name() == entry_name
                && w.name() == written_entry_name
                && c.options.as_ref().is_some_and(|o| o.map_entry())
        })
}

/// `map<K, V>` from an entry message, its value typed by `value_type`.
fn map_type(
    entry: &DescriptorProto,
    value_type: impl Fn(&FieldDescriptorProto) -> String,
) -> String {
    let key = entry.field.iter().find(|f| f.number() == 1);
    let value = entry.field.iter().find(|f| f.number() == 2);
    let key = key.map(scalar_or_named).unwrap_or_default();
    let value = value.map(value_type).unwrap_or_default();
    format!("map<{key}, {value}>")
}

/// Scalars by keyword; named types by the descriptor's `type_name`.
fn scalar_or_named(field: &FieldDescriptorProto) -> String {
    match field.type_name.as_deref() {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => scalar_name(field.r#type()).to_string(),
    }
}

fn scalar_name(ty: Type) -> &'static str {
    match ty {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Group => "group",
        Type::Message => "message",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Enum => "enum",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
    }
}

/// A proto2 default as Confluent prints it, kinded by the field's type
/// (`toKind`: strings quoted, bools and numbers bare, else an enum name).
fn default_value(compiled: &FieldDescriptorProto, value: &str) -> OptionValue {
    match compiled.r#type() {
        Type::Bool => OptionValue::Bool(value.to_string()),
        Type::String => OptionValue::String(value.to_string()),
        Type::Enum | Type::Message | Type::Group => OptionValue::Enum(value.to_string()),
        _ => OptionValue::Number(value.to_string()),
    }
}

/// The full name of the extension an option names, looked up from the
/// innermost scope outwards as protobuf resolves names.
fn resolve_extension(pool: &DescriptorPool, scope: &str, name: &str) -> Option<String> {
    if let Some(absolute) = name.strip_prefix('.') {
        return pool
            .get_extension_by_name(absolute)
            .map(|e| e.full_name().to_string());
    }
    let mut scope = scope.trim_start_matches('.').to_string();
    loop {
        let candidate = if scope.is_empty() {
            name.to_string()
        } else {
            format!("{scope}.{name}")
        };
        if let Some(extension) = pool.get_extension_by_name(&candidate) {
            return Some(extension.full_name().to_string());
        }
        if scope.is_empty() {
            return None;
        }
        scope = scope
            .rsplit_once('.')
            .map_or(String::new(), |(outer, _)| outer.to_string());
    }
}
