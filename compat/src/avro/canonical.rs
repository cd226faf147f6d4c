//! Java's `Schema.toString()` (compact), which is the text Confluent stores:
//! attributes in Avro's writer order, named types in full at their first
//! occurrence and by (relative) name afterwards, `namespace` only where it
//! differs from the enclosing one.

use std::collections::HashSet;

use serde_json::Value;

use super::names::{qualified, split_name};
use super::{jackson, AvroSchema, Field, Kind, Name, Node, NodeId};

/// Confluent's `canonicalString()`: `toString(referencedSchemas)`, which
/// seeds the printer with the *top-level* types of the referenced schemas.
/// Those print by name; a type nested inside a referenced schema prints in
/// full where the main schema first uses it, as in Java.
pub(crate) fn schema_text(schema: &AvroSchema) -> String {
    let mut writer = Writer::new(&schema.nodes);
    for root in &schema.reference_roots {
        if schema.node(*root).kind.name().is_some() {
            writer.printed.insert(*root);
        }
    }
    writer.node(schema.root);
    writer.out
}

/// A node printed with nothing known beforehand (Java's `toString()` on a
/// sub-schema, as its error messages print it).
pub(crate) fn standalone_text(nodes: &[Node], id: NodeId) -> String {
    let mut writer = Writer::new(nodes);
    writer.node(id);
    writer.out
}

struct Writer<'a> {
    nodes: &'a [Node],
    /// Named types already printed (or known from references).
    printed: HashSet<NodeId>,
    /// The enclosing namespace (Java's `Names.space`).
    space: Option<String>,
    out: String,
}

impl<'a> Writer<'a> {
    fn new(nodes: &'a [Node]) -> Self {
        Self {
            nodes,
            printed: HashSet::new(),
            space: None,
            out: String::new(),
        }
    }

    fn node(&mut self, id: NodeId) {
        let node = &self.nodes[id.0];
        match &node.kind {
            Kind::Record(record) => {
                if self.name_ref(id, &record.name) {
                    return;
                }
                let saved_space = self.space.clone();
                self.open(if record.is_error { "error" } else { "record" });
                self.name(&record.name);
                self.space = record.name.namespace.clone();
                self.optional_string("doc", record.doc.as_deref());
                self.key("fields");
                self.out.push('[');
                for (i, field) in record.fields.iter().enumerate() {
                    self.comma_if(i > 0);
                    self.field(field);
                }
                self.out.push(']');
                self.props(&node.props);
                self.aliases(&record.name, &record.aliases);
                self.out.push('}');
                self.space = saved_space;
            }
            Kind::Enum(e) => {
                if self.name_ref(id, &e.name) {
                    return;
                }
                self.open("enum");
                self.name(&e.name);
                self.optional_string("doc", e.doc.as_deref());
                self.key("symbols");
                self.strings(e.symbols.iter().map(String::as_str));
                self.optional_string("default", e.default.as_deref());
                self.props(&node.props);
                self.aliases(&e.name, &e.aliases);
                self.out.push('}');
            }
            Kind::Fixed(f) => {
                if self.name_ref(id, &f.name) {
                    return;
                }
                self.open("fixed");
                self.name(&f.name);
                self.optional_string("doc", f.doc.as_deref());
                self.key("size");
                self.out.push_str(&f.size.to_string());
                self.props(&node.props);
                self.aliases(&f.name, &f.aliases);
                self.out.push('}');
            }
            Kind::Array { items } => self.container("array", "items", *items, &node.props),
            Kind::Map { values } => self.container("map", "values", *values, &node.props),
            Kind::Union { branches } => {
                self.out.push('[');
                for (i, branch) in branches.iter().enumerate() {
                    self.comma_if(i > 0);
                    self.node(*branch);
                }
                self.out.push(']');
            }
            primitive => {
                let name = primitive.type_name().to_lowercase();
                if node.props.is_empty() {
                    jackson::write_string(&mut self.out, &name);
                } else {
                    self.open(&name);
                    self.props(&node.props);
                    self.out.push('}');
                }
            }
        }
    }

    /// Java's `writeNameRef`: prints the name of a type already printed and
    /// says so; otherwise remembers the type as printed from now on.
    fn name_ref(&mut self, id: NodeId, name: &Name) -> bool {
        if self.printed.insert(id) {
            return false;
        }
        let text = qualified(name, self.space.as_deref());
        jackson::write_string(&mut self.out, &text);
        true
    }

    /// Java's `Name.writeName`: a null namespace inside a non-null one is
    /// written as `""`.
    fn name(&mut self, name: &Name) {
        self.string_field("name", &name.name);
        match &name.namespace {
            Some(space) if Some(space) != self.space.as_ref() => {
                self.string_field("namespace", space);
            }
            None if self.space.is_some() => self.string_field("namespace", ""),
            _ => {}
        }
    }

    fn field(&mut self, field: &Field) {
        self.out.push('{');
        jackson::write_string(&mut self.out, "name");
        self.out.push(':');
        jackson::write_string(&mut self.out, &field.name);
        self.key("type");
        self.node(field.schema);
        self.optional_string("doc", field.doc.as_deref());
        if let Some(default) = &field.default {
            self.key("default");
            jackson::write(&mut self.out, default);
        }
        if let Some(order) = &field.order {
            let order = order.to_lowercase();
            if order != "ascending" {
                self.string_field("order", &order);
            }
        }
        if !field.aliases.is_empty() {
            self.key("aliases");
            self.strings(field.aliases.iter().map(String::as_str));
        }
        self.props(&field.props);
        self.out.push('}');
    }

    fn container(&mut self, ty: &str, key: &str, child: NodeId, props: &[(String, Value)]) {
        self.open(ty);
        self.key(key);
        self.node(child);
        self.props(props);
        self.out.push('}');
    }

    /// Named-type aliases print relative to the type's own namespace.
    fn aliases(&mut self, name: &Name, aliases: &[String]) {
        if aliases.is_empty() {
            return;
        }
        let space = name.namespace.as_deref();
        let texts: Vec<String> = aliases
            .iter()
            .map(|alias| qualified(&split_name(alias, space), space))
            .collect();
        self.key("aliases");
        self.strings(texts.iter().map(String::as_str));
    }

    fn props(&mut self, props: &[(String, Value)]) {
        for (key, value) in props {
            self.key(key);
            jackson::write(&mut self.out, value);
        }
    }

    /// `{"type":"<ty>"`, the start of every object form.
    fn open(&mut self, ty: &str) {
        self.out.push_str("{\"type\":");
        jackson::write_string(&mut self.out, ty);
    }

    /// `,"<key>":` — every key but an object's first follows a value.
    fn key(&mut self, key: &str) {
        self.out.push(',');
        jackson::write_string(&mut self.out, key);
        self.out.push(':');
    }

    fn string_field(&mut self, key: &str, value: &str) {
        self.key(key);
        jackson::write_string(&mut self.out, value);
    }

    fn optional_string(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.string_field(key, value);
        }
    }

    fn strings<'s>(&mut self, items: impl Iterator<Item = &'s str>) {
        self.out.push('[');
        for (i, item) in items.enumerate() {
            self.comma_if(i > 0);
            jackson::write_string(&mut self.out, item);
        }
        self.out.push(']');
    }

    fn comma_if(&mut self, needed: bool) {
        if needed {
            self.out.push(',');
        }
    }
}
