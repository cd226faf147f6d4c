//! What Confluent 7.9 stores under `normalize=true`. `AvroSchema.normalize()`
//! validates the defaults, writes the schema in its own normal form
//! (`AvroSchemaUtils.toNormalizedString`: full names, props sorted by key,
//! aliases sorted, defaults re-rendered for their type, `"type":"record"`
//! for errors, empty docs of named types dropped), parses that text again
//! with the references and stores its `Schema.toString()`. Doing the same
//! here keeps the quirks of that round trip (a null-namespace type nested in
//! a namespaced one takes the enclosing namespace; a type nested inside a
//! referenced schema is inlined and then fails as a redefinition).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use crate::ParseError;

use super::names::split_name;
use super::parse::{java_int, reparse_with_references};
use super::{canonical, defaults, jackson, AvroSchema, Field, Kind, Name, Node, NodeId};

/// Properties whose presence makes Java ignore a logical type
/// (`LogicalType.INCOMPATIBLE_PROPS`).
const LOGICAL_TYPE_INCOMPATIBLE: [&str; 4] = [
    "avro.java.string",
    "java-class",
    "java-key-class",
    "java-element-class",
];

pub(crate) fn normalized_text(schema: &AvroSchema) -> Result<String, ParseError> {
    defaults::validate(schema)?;
    let text = normal_form(schema)?;
    let reparsed = reparse_with_references(schema, &text)?;
    defaults::validate(&reparsed)?;
    Ok(canonical::schema_text(&reparsed))
}

/// Confluent's `toNormalizedString`; the top-level types of the references
/// are known by name from the start.
fn normal_form(schema: &AvroSchema) -> Result<String, ParseError> {
    let known = schema
        .reference_roots
        .iter()
        .filter_map(|id| schema.node(*id).kind.name().map(Name::full_name))
        .collect();
    let mut builder = Builder {
        nodes: &schema.nodes,
        known,
        out: String::new(),
    };
    builder.node(schema.root)?;
    Ok(builder.out)
}

/// Writes Confluent's normal form. Like Confluent it writes names, field
/// names, symbols and property keys without escaping: a namespace holding a
/// quote makes the text unparsable there too.
struct Builder<'a> {
    nodes: &'a [Node],
    /// Full names already written in full.
    known: HashSet<String>,
    out: String,
}

impl Builder<'_> {
    fn node(&mut self, id: NodeId) -> Result<(), ParseError> {
        let node = &self.nodes[id.0];
        match &node.kind {
            Kind::Union { branches } => {
                self.out.push('[');
                for (i, branch) in branches.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.node(*branch)?;
                }
                self.out.push(']');
            }
            Kind::Array { items } => self.container("array", "items", *items, node)?,
            Kind::Map { values } => self.container("map", "values", *values, node)?,
            Kind::Record(_) | Kind::Enum(_) | Kind::Fixed(_) => self.named(node)?,
            primitive => self.primitive(primitive, node),
        }
        Ok(())
    }

    fn container(
        &mut self,
        ty: &str,
        key: &str,
        child: NodeId,
        node: &Node,
    ) -> Result<(), ParseError> {
        self.out
            .push_str(&format!("{{\"type\":\"{ty}\",\"{key}\":"));
        self.node(child)?;
        self.sorted_props(&node.props);
        self.out.push('}');
        Ok(())
    }

    fn primitive(&mut self, kind: &Kind, node: &Node) {
        let ty = kind.type_name().to_lowercase();
        let logical = logical_props(node);
        if logical.is_none() && node.props.is_empty() {
            self.out.push_str(&format!("\"{ty}\""));
            return;
        }
        self.out.push_str(&format!("{{\"type\":\"{ty}\""));
        self.out.push_str(logical.as_deref().unwrap_or_default());
        self.sorted_props(&node.props);
        self.out.push('}');
    }

    fn named(&mut self, node: &Node) -> Result<(), ParseError> {
        let (name, ty, doc, aliases) = match &node.kind {
            Kind::Record(r) => (&r.name, "record", &r.doc, &r.aliases),
            Kind::Enum(e) => (&e.name, "enum", &e.doc, &e.aliases),
            Kind::Fixed(f) => (&f.name, "fixed", &f.doc, &f.aliases),
            _ => return Ok(()),
        };
        let full_name = name.full_name();
        if !self.known.insert(full_name.clone()) {
            self.out.push_str(&format!("\"{full_name}\""));
            return Ok(());
        }
        self.out
            .push_str(&format!("{{\"name\":\"{full_name}\",\"type\":\"{ty}\""));
        match &node.kind {
            Kind::Enum(e) => self.symbols(&e.symbols),
            Kind::Fixed(f) => {
                self.out.push_str(&format!(",\"size\":{}", f.size));
                self.out
                    .push_str(logical_props(node).as_deref().unwrap_or_default());
            }
            Kind::Record(r) => self.fields(&r.fields)?,
            _ => {}
        }
        if let Some(doc) = doc.as_deref().filter(|d| !d.is_empty()) {
            self.string_attribute("doc", doc);
        }
        let space = name.namespace.as_deref();
        let full_aliases: BTreeSet<String> = aliases
            .iter()
            .map(|a| split_name(a, space).full_name())
            .collect();
        self.string_list("aliases", full_aliases.iter());
        if let Kind::Enum(e) = &node.kind {
            if let Some(default) = &e.default {
                self.string_attribute("default", default);
            }
        }
        self.sorted_props(&node.props);
        self.out.push('}');
        Ok(())
    }

    fn symbols(&mut self, symbols: &[String]) {
        let quoted: Vec<String> = symbols.iter().map(|s| format!("\"{s}\"")).collect();
        self.out
            .push_str(&format!(",\"symbols\":[{}]", quoted.join(",")));
    }

    fn fields(&mut self, fields: &[Field]) -> Result<(), ParseError> {
        self.out.push_str(",\"fields\":[");
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.field(field)?;
        }
        self.out.push(']');
        Ok(())
    }

    /// Confluent's `setFieldProps`: the order always (as Java's enum
    /// constant), the doc even when empty, sorted aliases, the re-rendered
    /// default, sorted props.
    fn field(&mut self, field: &Field) -> Result<(), ParseError> {
        self.out
            .push_str(&format!("{{\"name\":\"{}\",\"type\":", field.name));
        self.node(field.schema)?;
        let order = field.order.as_deref().unwrap_or("ascending").to_uppercase();
        self.out.push_str(&format!(",\"order\":\"{order}\""));
        if let Some(doc) = &field.doc {
            self.string_attribute("doc", doc);
        }
        let aliases: BTreeSet<&String> = field.aliases.iter().collect();
        self.string_list("aliases", aliases.into_iter());
        if let Some(default) = &field.default {
            if let Some(text) = defaults::render(self.nodes, field.schema, default)? {
                self.out.push_str(&format!(",\"default\":{text}"));
            }
        }
        self.sorted_props(&field.props);
        self.out.push('}');
        Ok(())
    }

    fn string_attribute(&mut self, key: &str, value: &str) {
        self.out.push_str(&format!(",\"{key}\":"));
        jackson::write_string(&mut self.out, value);
    }

    fn string_list<'s>(&mut self, key: &str, items: impl ExactSizeIterator<Item = &'s String>) {
        if items.len() == 0 {
            return;
        }
        let list = Value::Array(items.map(|s| Value::String(s.clone())).collect());
        self.out
            .push_str(&format!(",\"{key}\":{}", jackson::to_string(&list)));
    }

    /// Confluent's `setSimpleProps`: every property, sorted by key.
    fn sorted_props(&mut self, props: &[(String, Value)]) {
        let sorted: BTreeMap<&str, &Value> = props.iter().map(|(k, v)| (k.as_str(), v)).collect();
        for (key, value) in sorted {
            self.out
                .push_str(&format!(",\"{key}\":{}", jackson::to_string(value)));
        }
    }
}

/// The attributes Confluent writes first for a logical type Java accepts
/// (`LogicalTypes.fromSchemaIgnoreInvalid`); `None` when Java has no
/// logical type for the node.
fn logical_props(node: &Node) -> Option<String> {
    let prop = |key: &str| node.props.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let name = prop("logicalType")?.as_str()?;
    if LOGICAL_TYPE_INCOMPATIBLE
        .iter()
        .any(|p| prop(p).is_some_and(Value::is_string))
    {
        return None;
    }
    let fits = match name {
        "decimal" => return decimal_props(node, prop("precision"), prop("scale")),
        "big-decimal" => matches!(node.kind, Kind::Bytes),
        "uuid" => true,
        "date" | "time-millis" => matches!(node.kind, Kind::Int),
        "time-micros"
        | "timestamp-millis"
        | "timestamp-micros"
        | "local-timestamp-millis"
        | "local-timestamp-micros" => matches!(node.kind, Kind::Long),
        _ => false,
    };
    fits.then(|| format!(",\"logicalType\":\"{name}\""))
}

/// Java's `LogicalTypes.Decimal` checks: an int precision within what the
/// backing type holds, an int scale (default 0) within the precision.
fn decimal_props(node: &Node, precision: Option<&Value>, scale: Option<&Value>) -> Option<String> {
    let precision = java_int(precision?)?;
    let scale = match scale {
        Some(value) => java_int(value)?,
        None => 0,
    };
    let max_precision = match &node.kind {
        Kind::Bytes => i64::from(i32::MAX),
        Kind::Fixed(fixed) => {
            let size = i32::try_from(fixed.size).ok()?;
            let bits = size.wrapping_mul(8).wrapping_sub(1);
            (2f64.log10() * f64::from(bits)).floor().round() as i64
        }
        _ => return None,
    };
    if precision <= 0 || i64::from(precision) > max_precision || scale < 0 || scale > precision {
        return None;
    }
    let scale_text = if scale == 0 {
        String::new()
    } else {
        format!(",\"scale\":{scale}")
    };
    Some(format!(
        ",\"logicalType\":\"decimal\",\"precision\":{precision}{scale_text}"
    ))
}
