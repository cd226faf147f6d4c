//! Field defaults: Java Avro 1.11's `isValidDefault` (what Confluent checks
//! for new schemas under `normalize` or `avro.validate.defaults`) and
//! `JacksonUtils.toObject` (how normalisation re-renders a default for its
//! type).
//!
//! Union defaults must fit the *first* branch: Confluent 7.9 ships Avro
//! 1.11.x, whose `isValidDefault` reads `schema.getTypes().get(0)`; the
//! "any branch" rule (AVRO-3649) arrived with Avro 1.12.0.

use std::collections::HashSet;

use serde_json::{Number, Value};

use crate::ParseError;

use super::parse::java_int;
use super::{canonical, jackson, AvroSchema, Field, Kind, Node, NodeId};

/// Bounds the recursion through record defaults that fall back on their
/// fields' own defaults (a record whose field defaults to itself recurses
/// forever in Java; here it is simply not a valid default).
const MAX_DEFAULT_DEPTH: usize = 256;

/// Checks every field default of the referenced schemas and then of the
/// schema itself, in the order Java's parser meets them (a field's type
/// before the field), and reports the first invalid one in Java's words.
pub(crate) fn validate(schema: &AvroSchema) -> Result<(), ParseError> {
    let mut walk = Walk {
        nodes: &schema.nodes,
        visited: HashSet::new(),
    };
    for root in schema.reference_roots.iter().chain([&schema.root]) {
        walk.visit(*root)?;
    }
    Ok(())
}

struct Walk<'a> {
    nodes: &'a [Node],
    /// Records already checked (each is defined once; later uses are names).
    visited: HashSet<NodeId>,
}

impl Walk<'_> {
    fn visit(&mut self, id: NodeId) -> Result<(), ParseError> {
        match &self.nodes[id.0].kind {
            Kind::Record(record) => {
                if !self.visited.insert(id) {
                    return Ok(());
                }
                for field in &record.fields {
                    self.visit(field.schema)?;
                    check_field(self.nodes, field)?;
                }
                Ok(())
            }
            Kind::Array { items } => self.visit(*items),
            Kind::Map { values } => self.visit(*values),
            Kind::Union { branches } => branches.iter().try_for_each(|b| self.visit(*b)),
            _ => Ok(()),
        }
    }
}

fn check_field(nodes: &[Node], field: &Field) -> Result<(), ParseError> {
    match &field.default {
        Some(default) if !field_default_is_valid(nodes, field, 0) => Err(ParseError::new(format!(
            "Invalid default for field {}: {} not a {}",
            field.name,
            jackson::to_string(default),
            canonical::standalone_text(nodes, field.schema)
        ))),
        _ => Ok(()),
    }
}

/// A field's own default against its type. A string left on a `float` or
/// `double` field is NaN or an infinity that the parser already converted
/// (Java holds a `DoubleNode` there), hence valid.
fn field_default_is_valid(nodes: &[Node], field: &Field, depth: usize) -> bool {
    let is_float = matches!(nodes[field.schema.0].kind, Kind::Float | Kind::Double);
    match &field.default {
        None => false,
        Some(Value::String(_)) if is_float => true,
        Some(default) => is_valid(nodes, field.schema, default, depth + 1),
    }
}

/// Java 1.11's `Schema.isValidDefault`.
fn is_valid(nodes: &[Node], schema: NodeId, value: &Value, depth: usize) -> bool {
    if depth > MAX_DEFAULT_DEPTH {
        return false;
    }
    match &nodes[schema.0].kind {
        Kind::String | Kind::Bytes | Kind::Enum(_) | Kind::Fixed(_) => value.is_string(),
        Kind::Int => java_int(value).is_some(),
        Kind::Long => value.as_i64().is_some(),
        Kind::Float | Kind::Double => value.is_number(),
        Kind::Boolean => value.is_boolean(),
        Kind::Null => value.is_null(),
        Kind::Array { items } => value.as_array().is_some_and(|elements| {
            elements
                .iter()
                .all(|e| is_valid(nodes, *items, e, depth + 1))
        }),
        Kind::Map { values } => value.as_object().is_some_and(|entries| {
            entries
                .values()
                .all(|v| is_valid(nodes, *values, v, depth + 1))
        }),
        Kind::Union { branches } => branches
            .first()
            .is_some_and(|first| is_valid(nodes, *first, value, depth + 1)),
        Kind::Record(record) => value.as_object().is_some_and(|entries| {
            record
                .fields
                .iter()
                .all(|field| match entries.get(&field.name) {
                    Some(v) => is_valid(nodes, field.schema, v, depth + 1),
                    None => field_default_is_valid(nodes, field, depth),
                })
        }),
    }
}

/// The default as normalisation writes it: Java's `toObject(default,
/// schema)` followed by Jackson's rendering. `None` when Java's `toObject`
/// yields `null`, in which case Confluent leaves the default out.
pub(crate) fn render(
    nodes: &[Node],
    schema: NodeId,
    value: &Value,
) -> Result<Option<String>, ParseError> {
    Renderer { nodes }.render(Some(schema), value)
}

struct Renderer<'a> {
    nodes: &'a [Node],
}

impl Renderer<'_> {
    fn render(&self, schema: Option<NodeId>, value: &Value) -> Result<Option<String>, ParseError> {
        let schema = match schema {
            Some(id) => Some(self.first_branch(id)?),
            None => None,
        };
        let kind = schema.map(|id| &self.nodes[id.0].kind);
        Ok(match value {
            Value::Null => Some("null".into()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => render_number(kind, n),
            Value::String(s) => render_text(kind, s),
            Value::Array(items) => Some(self.render_array(schema, items)?),
            Value::Object(map) => Some(self.render_object(kind, map)?),
        })
    }

    /// Java reads a union's default with its first branch.
    fn first_branch(&self, id: NodeId) -> Result<NodeId, ParseError> {
        match &self.nodes[id.0].kind {
            Kind::Union { branches } => branches
                .first()
                .copied()
                .ok_or_else(|| ParseError::new("Index 0 out of bounds for length 0")),
            _ => Ok(id),
        }
    }

    fn render_array(&self, schema: Option<NodeId>, items: &[Value]) -> Result<String, ParseError> {
        let element = match schema.map(|id| (id, &self.nodes[id.0].kind)) {
            None => None,
            Some((_, Kind::Array { items })) => Some(*items),
            Some((id, _)) => {
                return Err(ParseError::new(format!(
                    "Not an array: {}",
                    canonical::standalone_text(self.nodes, id)
                )))
            }
        };
        let mut out = String::from("[");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&self.render_nested(element, item)?);
        }
        out.push(']');
        Ok(out)
    }

    fn render_object(
        &self,
        kind: Option<&Kind>,
        map: &serde_json::Map<String, Value>,
    ) -> Result<String, ParseError> {
        let mut out = String::from("{");
        for (i, (key, item)) in map.iter().enumerate() {
            let schema = match kind {
                Some(Kind::Map { values }) => Some(*values),
                Some(Kind::Record(record)) => Some(
                    record
                        .fields
                        .iter()
                        .find(|f| &f.name == key)
                        .map(|f| f.schema)
                        .ok_or_else(|| ParseError::new(MISSING_FIELD_NPE))?,
                ),
                _ => None,
            };
            if i > 0 {
                out.push(',');
            }
            jackson::write_string(&mut out, key);
            out.push(':');
            out.push_str(&self.render_nested(schema, item)?);
        }
        out.push('}');
        Ok(out)
    }

    /// Inside a container a `null` from `toObject` makes Java's writer fail.
    fn render_nested(&self, schema: Option<NodeId>, value: &Value) -> Result<String, ParseError> {
        self.render(schema, value)?
            .ok_or_else(|| ParseError::new(NULL_DATUM_NPE))
    }
}

/// Java's `toObject` on a record default naming a field the record lacks.
const MISSING_FIELD_NPE: &str = "Cannot invoke \"org.apache.avro.Schema$Field.schema()\" because the return value of \"org.apache.avro.Schema.getField(String)\" is null";

/// Java's writer given a `null` datum inside a container.
const NULL_DATUM_NPE: &str = "Cannot invoke \"Object.getClass()\" because \"datum\" is null";

/// Jackson reads integers as `int`, `long` or `BigInteger` by size, then
/// `toObject` converts them for the target type; a `BigInteger` (or a
/// number for a non-numeric type) becomes `null`.
fn render_number(kind: Option<&Kind>, n: &Number) -> Option<String> {
    if let Some(i) = n.as_i64() {
        return match kind {
            None | Some(Kind::Int | Kind::Long) => Some(i.to_string()),
            Some(Kind::Float) => Some(jackson::java_float(i as f64 as f32)),
            Some(Kind::Double) => Some(jackson::java_double(i as f64)),
            _ => None,
        };
    }
    let f = n.as_f64().filter(|_| n.is_f64())?;
    match kind {
        None | Some(Kind::Double) => Some(jackson::java_double(f)),
        Some(Kind::Float) => Some(jackson::java_float(f as f32)),
        _ => None,
    }
}

/// Text stays text for strings and enums; bytes and fixed go through
/// ISO-8859-1, which turns characters beyond U+00FF into `?`. On a
/// `float`/`double` field the text is a converted NaN or infinity.
fn render_text(kind: Option<&Kind>, s: &str) -> Option<String> {
    let text = match kind {
        None | Some(Kind::String | Kind::Enum(_) | Kind::Float | Kind::Double) => s.to_string(),
        Some(Kind::Bytes | Kind::Fixed(_)) => s
            .chars()
            .map(|c| if u32::from(c) > 0xFF { '?' } else { c })
            .collect(),
        _ => return None,
    };
    let mut out = String::new();
    jackson::write_string(&mut out, &text);
    Some(out)
}
