//! Java Avro 1.11's `Schema.parse(JsonNode, Names)` over serde_json values:
//! the same accepted schemas, the same name resolution, the same messages.
//! Recursion follows the JSON nesting, which [`jackson::parse`] bounds.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::ParseError;

use super::names::{make_name, split_name, validate_name, PRIMITIVES};
use super::{canonical, jackson};
use super::{AvroSchema, Enum, Field, Fixed, Kind, Name, Node, NodeId, Record};

/// Attributes Java reads itself on a schema object; every other key is a
/// property.
const SCHEMA_RESERVED: [&str; 10] = [
    "doc",
    "fields",
    "items",
    "name",
    "namespace",
    "size",
    "symbols",
    "values",
    "type",
    "aliases",
];

/// An enum also reads its `default`.
const ENUM_RESERVED: [&str; 11] = [
    "doc",
    "fields",
    "items",
    "name",
    "namespace",
    "size",
    "symbols",
    "values",
    "type",
    "aliases",
    "default",
];

/// Attributes Java reads itself on a field object.
const FIELD_RESERVED: [&str; 6] = ["default", "doc", "name", "order", "type", "aliases"];

/// Java's limit for a byte length (`SystemLimitException.MAX_ARRAY_VM_LIMIT`).
const MAX_FIXED_SIZE: i64 = i32::MAX as i64 - 8;

/// Parses the reference texts (dependencies first), then `text`, into one
/// name table, as Confluent's `AvroSchema` feeds them to one `Schema.Parser`.
pub(crate) fn parse(text: &str, references: &[&str]) -> Result<AvroSchema, ParseError> {
    let mut parser = Parser::default();
    let mut reference_roots = Vec::with_capacity(references.len());
    for reference in references {
        reference_roots.push(parser.parse_text(reference, true)?);
    }
    let root = parser.parse_text(text, false)?;
    Ok(parser.finish(root, reference_roots))
}

/// Parses `text` into a copy of `base` whose name table holds only the named
/// types of `base`'s references: Confluent re-parses its normalised text
/// that way. `base`'s own nodes stay in the arena, unreachable from the new
/// root.
pub(crate) fn reparse_with_references(
    base: &AvroSchema,
    text: &str,
) -> Result<AvroSchema, ParseError> {
    let names = base
        .names
        .iter()
        .filter(|(_, id)| base.node(**id).from_reference)
        .map(|(name, id)| (name.clone(), *id))
        .collect();
    let mut parser = Parser {
        nodes: base.nodes.clone(),
        names,
        ..Parser::default()
    };
    let root = parser.parse_text(text, false)?;
    Ok(parser.finish(root, base.reference_roots.clone()))
}

#[derive(Default)]
struct Parser {
    nodes: Vec<Node>,
    names: HashMap<String, NodeId>,
    /// The enclosing namespace (Java's `Names.space`).
    space: Option<String>,
    /// Named types created now come from a referenced schema.
    in_reference: bool,
}

impl Parser {
    fn parse_text(&mut self, text: &str, in_reference: bool) -> Result<NodeId, ParseError> {
        let json = jackson::parse(text)?;
        self.in_reference = in_reference;
        self.space = None;
        self.parse_schema(&json)
    }

    fn finish(self, root: NodeId, reference_roots: Vec<NodeId>) -> AvroSchema {
        AvroSchema {
            nodes: self.nodes,
            root,
            names: self.names,
            reference_roots,
        }
    }

    fn parse_schema(&mut self, json: &Value) -> Result<NodeId, ParseError> {
        match json {
            Value::String(name) => self.lookup(name)?.ok_or_else(|| {
                ParseError::new(format!("Undefined name: {}", jackson::to_string(json)))
            }),
            Value::Object(map) => self.parse_object(json, map),
            Value::Array(items) => self.parse_union(items),
            other => Err(ParseError::new(format!(
                "Schema not yet supported: {}",
                jackson::to_string(other)
            ))),
        }
    }

    /// Java's `Names.get`: a primitive, else the name in the enclosing
    /// namespace, else the name as written (full name or null namespace).
    fn lookup(&mut self, name: &str) -> Result<Option<NodeId>, ParseError> {
        if let Some(kind) = primitive_kind(name) {
            return Ok(Some(self.push(kind)));
        }
        let in_space = make_name(name, self.space.as_deref())?;
        if let Some(id) = self.names.get(&in_space.full_name()) {
            return Ok(Some(*id));
        }
        Ok(self.names.get(&split_name(name, None).full_name()).copied())
    }

    fn parse_object(
        &mut self,
        json: &Value,
        map: &Map<String, Value>,
    ) -> Result<NodeId, ParseError> {
        let ty = required_text(json, "type", "No type")?;
        let saved_space = self.space.clone();
        let id = match ty {
            "record" | "error" | "enum" | "fixed" => {
                let (name, doc) = self.declare(json)?;
                match ty {
                    "enum" => self.parse_enum(json, name, doc)?,
                    "fixed" => self.parse_fixed(json, name, doc)?,
                    _ => self.parse_record(json, name, doc, ty == "error")?,
                }
            }
            "array" => {
                let items = self.parse_child(json, "items", "Array has no items type")?;
                self.push(Kind::Array { items })
            }
            "map" => {
                let values = self.parse_child(json, "values", "Map has no values type")?;
                self.push(Kind::Map { values })
            }
            _ => match primitive_kind(ty) {
                Some(kind) => self.push(kind),
                None => return self.named_type_object(ty),
            },
        };
        let reserved: &[&str] = if ty == "enum" {
            &ENUM_RESERVED
        } else {
            &SCHEMA_RESERVED
        };
        self.nodes[id.0].props = props_of(map, reserved);
        self.space = saved_space;
        if self.nodes[id.0].kind.name().is_some() {
            self.add_aliases(id, json)?;
        }
        Ok(id)
    }

    /// Reads the name, namespace and doc of a named type and makes its
    /// namespace the enclosing one for what it contains.
    fn declare(&mut self, json: &Value) -> Result<(Name, Option<String>), ParseError> {
        let space = optional_text(json, "namespace").or(self.space.clone());
        let doc = optional_text(json, "doc");
        let name = make_name(
            required_text(json, "name", "No name in schema")?,
            space.as_deref(),
        )?;
        self.space = name.namespace.clone();
        Ok((name, doc))
    }

    fn parse_child(&mut self, json: &Value, key: &str, error: &str) -> Result<NodeId, ParseError> {
        let child = json
            .get(key)
            .ok_or_else(|| ParseError::new(format!("{error}: {}", jackson::to_string(json))))?;
        self.parse_schema(child)
    }

    /// `{"type": "<defined name>"}` stands for that named type (Java ignores
    /// the object's other attributes).
    fn named_type_object(&self, ty: &str) -> Result<NodeId, ParseError> {
        let name = make_name(ty, self.space.as_deref())?;
        self.names
            .get(&name.full_name())
            .copied()
            .ok_or_else(|| ParseError::new(format!("Type not supported: {ty}")))
    }

    fn parse_record(
        &mut self,
        json: &Value,
        name: Name,
        doc: Option<String>,
        is_error: bool,
    ) -> Result<NodeId, ParseError> {
        check_not_primitive(&name)?;
        let full_name = name.full_name();
        let id = self.push(Kind::Record(Record {
            name,
            doc,
            aliases: Vec::new(),
            fields: Vec::new(),
            is_error,
        }));
        self.define(full_name.clone(), id)?;
        let Some(fields_json) = json.get("fields").and_then(Value::as_array) else {
            return Err(ParseError::new(format!(
                "Record has no fields: {}",
                jackson::to_string(json)
            )));
        };
        let mut fields = Vec::with_capacity(fields_json.len());
        for field_json in fields_json {
            fields.push(self.parse_field(field_json)?);
        }
        check_duplicate_fields(&self.nodes, &full_name, &fields)?;
        if let Kind::Record(record) = &mut self.nodes[id.0].kind {
            record.fields = fields;
        }
        Ok(id)
    }

    fn parse_field(&mut self, json: &Value) -> Result<Field, ParseError> {
        let name = required_text(json, "name", "No field name")?.to_string();
        let doc = optional_text(json, "doc");
        let type_json = json.get("type").ok_or_else(|| {
            ParseError::new(format!("No field type: {}", jackson::to_string(json)))
        })?;
        let schema = self.parse_field_type(type_json, &name)?;
        let order = parse_order(json)?;
        let default = match json.get("default") {
            Some(value) => Some(self.coerce_float_default(schema, value)?),
            None => None,
        };
        validate_name(&name)?;
        let props = json
            .as_object()
            .map(|map| props_of(map, &FIELD_RESERVED))
            .unwrap_or_default();
        let mut aliases = Vec::new();
        for alias in parse_aliases(json)? {
            if !aliases.contains(&alias) {
                aliases.push(alias);
            }
        }
        Ok(Field {
            name,
            schema,
            doc,
            default,
            order,
            aliases,
            props,
        })
    }

    /// A field type given as a string must name a known type; Java says so
    /// in a message of its own.
    fn parse_field_type(&mut self, json: &Value, field: &str) -> Result<NodeId, ParseError> {
        let Value::String(name) = json else {
            return self.parse_schema(json);
        };
        self.lookup(name)?.ok_or_else(|| {
            ParseError::new(format!(
                "{} is not a defined name. The type of the \"{field}\" field must be a defined name or a {{\"type\": ...}} expression.",
                jackson::to_string(json)
            ))
        })
    }

    /// Java turns a string default of a `float`/`double` field into a number
    /// with `Double.valueOf` when parsing, whether or not defaults are
    /// validated. NaN and the infinities have no serde_json number, so they
    /// stay the strings Jackson would print for them.
    fn coerce_float_default(&self, schema: NodeId, value: &Value) -> Result<Value, ParseError> {
        let is_float = matches!(self.nodes[schema.0].kind, Kind::Float | Kind::Double);
        match value {
            Value::String(text) if is_float => java_double_value_of(text),
            other => Ok(other.clone()),
        }
    }

    fn parse_enum(
        &mut self,
        json: &Value,
        name: Name,
        doc: Option<String>,
    ) -> Result<NodeId, ParseError> {
        let Some(symbols_json) = json.get("symbols").and_then(Value::as_array) else {
            return Err(ParseError::new(format!(
                "Enum has no symbols: {}",
                jackson::to_string(json)
            )));
        };
        check_not_primitive(&name)?;
        let symbols = enum_symbols(symbols_json)?;
        let default = json
            .get("default")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(default) = &default {
            if !symbols.contains(default) {
                return Err(ParseError::new(format!(
                    "The Enum Default: {default} is not in the enum symbol set: [{}]",
                    symbols.join(", ")
                )));
            }
        }
        let full_name = name.full_name();
        let id = self.push(Kind::Enum(Enum {
            name,
            doc,
            aliases: Vec::new(),
            symbols,
            default,
        }));
        self.define(full_name, id)?;
        Ok(id)
    }

    fn parse_fixed(
        &mut self,
        json: &Value,
        name: Name,
        doc: Option<String>,
    ) -> Result<NodeId, ParseError> {
        let Some(size) = json.get("size").and_then(java_int) else {
            return Err(ParseError::new(format!(
                "Invalid or no size: {}",
                jackson::to_string(json)
            )));
        };
        check_not_primitive(&name)?;
        let size = check_fixed_size(i64::from(size))?;
        let full_name = name.full_name();
        let id = self.push(Kind::Fixed(Fixed {
            name,
            doc,
            aliases: Vec::new(),
            size,
        }));
        self.define(full_name, id)?;
        Ok(id)
    }

    fn parse_union(&mut self, items: &[Value]) -> Result<NodeId, ParseError> {
        let mut branches = Vec::with_capacity(items.len());
        for item in items {
            branches.push(self.parse_schema(item)?);
        }
        let id = self.push(Kind::Union {
            branches: branches.clone(),
        });
        self.check_union(id, &branches)?;
        Ok(id)
    }

    /// Java's `UnionSchema` constructor: no union directly inside a union,
    /// and no two branches of the same type or full name.
    fn check_union(&self, id: NodeId, branches: &[NodeId]) -> Result<(), ParseError> {
        let mut seen = HashSet::new();
        for branch in branches {
            let kind = &self.nodes[branch.0].kind;
            if matches!(kind, Kind::Union { .. }) {
                return Err(ParseError::new(format!(
                    "Nested union: {}",
                    canonical::standalone_text(&self.nodes, id)
                )));
            }
            let key = kind
                .name()
                .map_or_else(|| kind.type_name().to_lowercase(), Name::full_name);
            if !seen.insert(key.clone()) {
                return Err(ParseError::new(format!("Duplicate in union:{key}")));
            }
        }
        Ok(())
    }

    /// Java resolves each named type's aliases against its namespace and
    /// keeps one per full name.
    fn add_aliases(&mut self, id: NodeId, json: &Value) -> Result<(), ParseError> {
        let aliases = parse_aliases(json)?;
        if aliases.is_empty() {
            return Ok(());
        }
        let node = &mut self.nodes[id.0];
        let space = node.kind.name().and_then(|n| n.namespace.clone());
        let mut full_names = HashSet::new();
        let mut kept = Vec::new();
        for alias in aliases {
            if full_names.insert(make_name(&alias, space.as_deref())?.full_name()) {
                kept.push(alias);
            }
        }
        match &mut node.kind {
            Kind::Record(r) => r.aliases = kept,
            Kind::Enum(e) => e.aliases = kept,
            Kind::Fixed(f) => f.aliases = kept,
            _ => {}
        }
        Ok(())
    }

    fn push(&mut self, kind: Kind) -> NodeId {
        let from_reference = self.in_reference && kind.name().is_some();
        self.nodes.push(Node {
            kind,
            props: Vec::new(),
            from_reference,
        });
        NodeId(self.nodes.len() - 1)
    }

    fn define(&mut self, full_name: String, id: NodeId) -> Result<(), ParseError> {
        if self.names.contains_key(&full_name) {
            return Err(ParseError::new(format!("Can't redefine: {full_name}")));
        }
        self.names.insert(full_name, id);
        Ok(())
    }
}

fn primitive_kind(name: &str) -> Option<Kind> {
    Some(match name {
        "null" => Kind::Null,
        "boolean" => Kind::Boolean,
        "int" => Kind::Int,
        "long" => Kind::Long,
        "float" => Kind::Float,
        "double" => Kind::Double,
        "bytes" => Kind::Bytes,
        "string" => Kind::String,
        _ => return None,
    })
}

/// Java's `getOptionalText`: the value if it is a string.
fn optional_text(json: &Value, key: &str) -> Option<String> {
    json.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Java's `getRequiredText`: the string value, else `<error>: <json>`.
fn required_text<'a>(json: &'a Value, key: &str, error: &str) -> Result<&'a str, ParseError> {
    json.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| ParseError::new(format!("{error}: {}", jackson::to_string(json))))
}

fn props_of(map: &Map<String, Value>, reserved: &[&str]) -> Vec<(String, Value)> {
    map.iter()
        .filter(|(key, _)| !reserved.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// Java's `parseAliases`: absent, or an array of strings.
fn parse_aliases(json: &Value) -> Result<Vec<String>, ParseError> {
    let Some(aliases) = json.get("aliases") else {
        return Ok(Vec::new());
    };
    let Some(items) = aliases.as_array() else {
        return Err(ParseError::new(format!(
            "aliases not an array: {}",
            jackson::to_string(json)
        )));
    };
    items
        .iter()
        .map(|item| {
            item.as_str().map(str::to_string).ok_or_else(|| {
                ParseError::new(format!("alias not a string: {}", jackson::to_string(item)))
            })
        })
        .collect()
}

/// Java's `Field.Order.valueOf(text.toUpperCase())`; the order is kept as
/// written.
fn parse_order(json: &Value) -> Result<Option<String>, ParseError> {
    let Some(order) = json.get("order") else {
        return Ok(None);
    };
    let Some(text) = order.as_str() else {
        return Err(ParseError::new(
            "Cannot invoke \"String.toUpperCase(java.util.Locale)\" because the return value of \"com.fasterxml.jackson.databind.JsonNode.textValue()\" is null",
        ));
    };
    match text.to_uppercase().as_str() {
        "ASCENDING" | "DESCENDING" | "IGNORE" => Ok(Some(text.to_string())),
        upper => Err(ParseError::new(format!(
            "No enum constant org.apache.avro.Schema.Field.Order.{upper}"
        ))),
    }
}

/// Java's `RecordSchema.setFields` refuses two fields of one name, naming
/// both by `Field.toString()` (`<name> type:<TYPE> pos:<index>`).
fn check_duplicate_fields(
    nodes: &[Node],
    record: &str,
    fields: &[Field],
) -> Result<(), ParseError> {
    let mut positions: HashMap<&str, usize> = HashMap::new();
    for (pos, field) in fields.iter().enumerate() {
        if let Some(previous) = positions.insert(&field.name, pos) {
            let describe = |f: &Field, p: usize| {
                format!(
                    "{} type:{} pos:{p}",
                    f.name,
                    nodes[f.schema.0].kind.type_name()
                )
            };
            return Err(ParseError::new(format!(
                "Duplicate field {} in record {record}: {} and {}.",
                field.name,
                describe(field, pos),
                describe(&fields[previous], previous)
            )));
        }
    }
    Ok(())
}

fn check_not_primitive(name: &Name) -> Result<(), ParseError> {
    let full_name = name.full_name();
    if PRIMITIVES.contains(&full_name.as_str()) {
        return Err(ParseError::new(format!(
            "Schemas may not be named after primitives: {full_name}"
        )));
    }
    Ok(())
}

/// Enum symbols are validated as names and must be distinct.
fn enum_symbols(json: &[Value]) -> Result<Vec<String>, ParseError> {
    let mut symbols: Vec<String> = Vec::with_capacity(json.len());
    let mut seen = HashSet::with_capacity(json.len());
    for symbol in json {
        let Some(symbol) = symbol.as_str() else {
            return Err(ParseError::new("Null name"));
        };
        validate_name(symbol)?;
        if !seen.insert(symbol) {
            return Err(ParseError::new(format!("Duplicate enum symbol: {symbol}")));
        }
        symbols.push(symbol.to_string());
    }
    Ok(symbols)
}

/// Java's `SystemLimitException.checkMaxBytesLength`.
fn check_fixed_size(size: i64) -> Result<u64, ParseError> {
    if size < 0 {
        return Err(ParseError::new(format!(
            "Malformed data. Length is negative: {size}"
        )));
    }
    if size > MAX_FIXED_SIZE {
        return Err(ParseError::new(format!(
            "Cannot read arrays longer than {MAX_FIXED_SIZE} bytes in Java library"
        )));
    }
    Ok(size.unsigned_abs())
}

/// A JSON number Jackson reads as an `int` (an integer within 32 bits).
pub(crate) fn java_int(value: &Value) -> Option<i32> {
    value.as_i64().and_then(|i| i32::try_from(i).ok())
}

/// Java's `Double.valueOf` for the texts schemas use: optional sign, `NaN`,
/// `Infinity`, or a decimal with optional exponent and `f`/`d` suffix.
fn java_double_value_of(text: &str) -> Result<Value, ParseError> {
    let trimmed = text.trim_matches(|c: char| c <= ' ');
    if trimmed.is_empty() {
        return Err(ParseError::new("empty String"));
    }
    let unsigned = trimmed.trim_start_matches(['+', '-']);
    let negative = trimmed.starts_with('-');
    if trimmed.len() - unsigned.len() <= 1 {
        match unsigned {
            "NaN" => return Ok(Value::String("NaN".into())),
            "Infinity" if negative => return Ok(Value::String("-Infinity".into())),
            "Infinity" => return Ok(Value::String("Infinity".into())),
            _ => {}
        }
    }
    let number = trimmed.trim_end_matches(['f', 'F', 'd', 'D']);
    let plain = number.len() + 1 >= trimmed.len()
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    plain
        .then(|| number.parse::<f64>().ok())
        .flatten()
        .map(|f| {
            serde_json::Number::from_f64(f).map_or_else(
                || Value::String(if f > 0.0 { "Infinity" } else { "-Infinity" }.into()),
                Value::Number,
            )
        })
        .ok_or_else(|| ParseError::new(format!("For input string: \"{text}\"")))
}
