//! The loaded schema: the classes Confluent's differ sees (Everit's
//! `StringSchema`, `NumberSchema`, `ObjectSchema`, `CombinedSchema`, …) in an
//! arena, so `$ref` cycles are plain indices and never recursion at load.

use super::value::Json;

/// Index of a node in [`Graph::nodes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct NodeId(pub usize);

/// The loaded schema graph; `root` is the schema itself, the other nodes are
/// its subschemas and everything its `$ref`s reach.
#[derive(Clone, Debug)]
pub(crate) struct Graph {
    pub nodes: Vec<Node>,
    pub root: NodeId,
}

/// One schema with the annotations every class carries.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    /// `$id` (`id` in draft 4).
    pub id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default: Option<Json>,
    /// The unprocessed `connect.type` property (Kafka Connect's hint).
    pub connect_type: Option<String>,
    /// The JSON this node was loaded from; `None` for the members Everit
    /// synthesises when one object holds keywords of several classes.
    pub source: Option<Json>,
}

/// Everit's schema classes, as far as the differ tells them apart.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// `{}` or an object with no keyword that makes a class.
    Empty,
    /// `true` (Everit's `TrueSchema`, a subclass of `EmptySchema`).
    True,
    False,
    Boolean,
    Null,
    String(StringSchema),
    Number(NumberSchema),
    Object(ObjectSchema),
    Array(ArraySchema),
    Enum(Vec<Json>),
    Const(Json),
    Combined(Combined),
    Not(NodeId),
    /// `if`/`then`/`else`: the differ compares only its class.
    Conditional,
    /// `$ref`, resolved at load; the differ looks through it.
    Reference(NodeId),
    /// A schema document that is neither an object nor a boolean (`12`,
    /// `"x"`, `[]`): Confluent stores it; it only equals itself.
    Scalar(Json),
}

impl Kind {
    /// The class name, for "same class" decisions.
    pub(crate) fn class(&self) -> &'static str {
        match self {
            Kind::Empty => "EmptySchema",
            Kind::True => "TrueSchema",
            Kind::False => "FalseSchema",
            Kind::Boolean => "BooleanSchema",
            Kind::Null => "NullSchema",
            Kind::String(_) => "StringSchema",
            Kind::Number(_) => "NumberSchema",
            Kind::Object(_) => "ObjectSchema",
            Kind::Array(_) => "ArraySchema",
            Kind::Enum(_) => "EnumSchema",
            Kind::Const(_) => "ConstSchema",
            Kind::Combined(_) => "CombinedSchema",
            Kind::Not(_) => "NotSchema",
            Kind::Conditional => "ConditionalSchema",
            Kind::Reference(_) => "ReferenceSchema",
            Kind::Scalar(_) => "Scalar",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct StringSchema {
    pub min_length: Option<i64>,
    pub max_length: Option<i64>,
    pub pattern: Option<String>,
}

/// A numeric bound: its value as Java's `doubleValue()` and its exact text.
#[derive(Clone, Debug)]
pub(crate) struct Bound {
    pub value: f64,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct NumberSchema {
    /// `type: integer` rather than `number` (or no type at all).
    pub requires_integer: bool,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    /// Draft 6+ numeric `exclusiveMinimum`; draft 4's boolean flag is not
    /// compared by Confluent.
    pub exclusive_minimum: Option<Bound>,
    pub exclusive_maximum: Option<Bound>,
    pub multiple_of: Option<Bound>,
}

#[derive(Clone, Debug)]
pub(crate) struct ObjectSchema {
    /// In document order.
    pub properties: Vec<(String, NodeId)>,
    pub required: Vec<String>,
    /// `additionalProperties: false` makes this false.
    pub permits_additional: bool,
    pub additional_schema: Option<NodeId>,
    /// Pattern text, its compiled form (`None` when Rust's regex cannot
    /// express it: it then matches nothing), and the schema.
    pub pattern_properties: Vec<(String, Option<regex::Regex>, NodeId)>,
    pub property_dependencies: Vec<(String, Vec<String>)>,
    pub schema_dependencies: Vec<(String, NodeId)>,
    pub min_properties: Option<i64>,
    pub max_properties: Option<i64>,
}

#[derive(Clone, Debug)]
pub(crate) struct ArraySchema {
    /// `items` as one schema for all items.
    pub all_items: Option<NodeId>,
    /// `items` as a list (tuple validation; 2020-12's `prefixItems`).
    pub item_schemas: Option<Vec<NodeId>>,
    /// `additionalItems: false` makes this false.
    pub permits_additional: bool,
    pub additional_schema: Option<NodeId>,
    pub min_items: Option<i64>,
    pub max_items: Option<i64>,
    pub unique_items: bool,
}

/// The combiner keyword, named as Everit's `ValidationCriterion`.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Criterion {
    AllOf,
    AnyOf,
    OneOf,
}

impl Criterion {
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Criterion::AllOf => "allOf",
            Criterion::AnyOf => "anyOf",
            Criterion::OneOf => "oneOf",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Combined {
    pub criterion: Criterion,
    pub subschemas: Vec<NodeId>,
}
