//! The parsed Avro schema: a graph of nodes in one arena, so that named types
//! referenced from several places (or from themselves, recursively) are one
//! node, and a checker can memoise on pairs of node ids.

use std::collections::HashMap;

use serde_json::Value;

/// Index of a node in [`AvroSchema::nodes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub usize);

/// A parsed Avro schema together with every named type it can see,
/// including those defined by referenced schemas.
#[derive(Clone, Debug)]
pub struct AvroSchema {
    pub nodes: Vec<Node>,
    pub root: NodeId,
    /// Full name (`ns.Name`, or `Name` in the null namespace) → definition.
    pub names: HashMap<String, NodeId>,
    /// The root of each referenced schema, in the order given. Confluent's
    /// canonical text prints the named ones by name; types nested inside a
    /// referenced schema are not known that way (Java's
    /// `toString(referencedSchemas)`).
    pub reference_roots: Vec<NodeId>,
}

impl AvroSchema {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0]
    }

    pub fn root_node(&self) -> &Node {
        self.node(self.root)
    }
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: Kind,
    /// Attributes Avro does not interpret (`logicalType`, `precision`, any
    /// custom key), in source order: Confluent keeps and prints them.
    pub props: Vec<(String, Value)>,
    /// The named type was defined by a referenced schema, so the canonical
    /// text names it instead of inlining it.
    pub from_reference: bool,
}

#[derive(Clone, Debug)]
pub enum Kind {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record(Record),
    Enum(Enum),
    Fixed(Fixed),
    Array { items: NodeId },
    Map { values: NodeId },
    Union { branches: Vec<NodeId> },
}

impl Kind {
    /// Java's `Schema.Type` name, upper case, as compatibility messages print it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Null => "NULL",
            Kind::Boolean => "BOOLEAN",
            Kind::Int => "INT",
            Kind::Long => "LONG",
            Kind::Float => "FLOAT",
            Kind::Double => "DOUBLE",
            Kind::Bytes => "BYTES",
            Kind::String => "STRING",
            Kind::Record(_) => "RECORD",
            Kind::Enum(_) => "ENUM",
            Kind::Fixed(_) => "FIXED",
            Kind::Array { .. } => "ARRAY",
            Kind::Map { .. } => "MAP",
            Kind::Union { .. } => "UNION",
        }
    }

    /// The name of a record, enum or fixed.
    pub fn name(&self) -> Option<&Name> {
        match self {
            Kind::Record(r) => Some(&r.name),
            Kind::Enum(e) => Some(&e.name),
            Kind::Fixed(f) => Some(&f.name),
            _ => None,
        }
    }
}

/// The name of a named type, split as Java splits it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    pub name: String,
    /// `None` for the null namespace.
    pub namespace: Option<String>,
}

impl Name {
    pub fn full_name(&self) -> String {
        match &self.namespace {
            Some(ns) if !ns.is_empty() => format!("{ns}.{}", self.name),
            _ => self.name.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Record {
    pub name: Name,
    pub doc: Option<String>,
    /// As written in the schema (relative or full names).
    pub aliases: Vec<String>,
    pub fields: Vec<Field>,
    /// Declared with `"type": "error"`.
    pub is_error: bool,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub schema: NodeId,
    pub doc: Option<String>,
    pub default: Option<Value>,
    /// `"ascending"`, `"descending"` or `"ignore"` as written; `None` if absent.
    pub order: Option<String>,
    pub aliases: Vec<String>,
    pub props: Vec<(String, Value)>,
}

#[derive(Clone, Debug)]
pub struct Enum {
    pub name: Name,
    pub doc: Option<String>,
    pub aliases: Vec<String>,
    pub symbols: Vec<String>,
    pub default: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Fixed {
    pub name: Name,
    pub doc: Option<String>,
    pub aliases: Vec<String>,
    pub size: u64,
}
