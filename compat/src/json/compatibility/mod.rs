//! Confluent's JSON Schema differ (`SchemaDiff` and the `*SchemaDiff`
//! classes of Confluent 7.9): `original` is the schema data was written
//! with, `update` the one reading it; every change found is a
//! [`DifferenceType`], and the check fails on those outside Confluent's
//! compatible set. Each submodule holds the rules of one schema class, one
//! function per keyword, named after what it detects.

mod array;
mod combined;
mod context;
mod difference;
mod number;
mod object;
mod string;
mod values;

pub use difference::{Difference, DifferenceType};

use super::schema::{Graph, Kind, NodeId};
use super::JsonSchema;
use crate::{Direction, Finding};
use context::{Differ, Path};
use DifferenceType::*;

/// What Confluent reports when `reader` reads data written with `writer`
/// (BACKWARD: reader = new; FORWARD: reader = old), as findings: the
/// incompatible differences of `differences(writer, reader)`.
pub fn findings(reader: &JsonSchema, writer: &JsonSchema, direction: Direction) -> Vec<Finding> {
    differences(writer, reader)
        .iter()
        .filter(|d| !d.kind.is_compatible())
        .map(|d| d.finding(direction))
        .collect()
}

/// Every difference from `original` to `update`, compatible or not, in
/// Confluent's order (`SchemaDiff.compare`).
pub fn differences(original: &JsonSchema, update: &JsonSchema) -> Vec<Difference> {
    context::compare_to_fixpoint(&original.graph, &update.graph)
}

/// `SchemaDiff.compareTypes`: the pair after `$ref`s are followed.
fn compare_types(differ: &mut Differ<'_>, path: &mut Path, original: NodeId, update: NodeId) {
    let o_combined = matches!(differ.original(original).kind, Kind::Combined(_));
    let u_combined = matches!(differ.update(update).kind, Kind::Combined(_));
    if !o_combined && u_combined && combined::sum_type_extended(differ, path, original, update) {
        return;
    }
    if o_combined && !u_combined && combined::product_type_narrowed(differ, path, original, update)
    {
        return;
    }
    let same_class = differ.original(original).kind.class() == differ.update(update).kind.class();
    if !(same_class || o_combined && u_combined) {
        type_changed(differ, path, original, update);
        return;
    }
    annotations(differ, path, original, update);
    let (o, u) = (differ.original(original), differ.update(update));
    match (&o.kind, &u.kind) {
        (Kind::String(o), Kind::String(u)) => string::compare(path, o, u),
        (Kind::Number(o), Kind::Number(u)) => number::compare(path, o, u),
        (Kind::Const(o), Kind::Const(u)) => values::const_changed(path, o, u),
        (Kind::Enum(o), Kind::Enum(u)) => values::enum_changed(path, o, u),
        (Kind::Scalar(o), Kind::Scalar(u)) if o != u => path.add(TYPE_CHANGED),
        (Kind::Combined(o), Kind::Combined(u)) => {
            let (o, u) = (o.clone(), u.clone());
            combined::compare(differ, path, &o, &u);
        }
        (Kind::Not(o), Kind::Not(u)) => {
            let (o, u) = (*o, *u);
            combined::not_type(differ, path, o, u);
        }
        (Kind::Object(_), Kind::Object(_)) => object::compare(differ, path, original, update),
        (Kind::Array(_), Kind::Array(_)) => array::compare(differ, path, original, update),
        _ => {}
    }
}

/// TYPE_CHANGED: the schemas are of different classes. Not reported when
/// the update accepts anything (`{}`, `true`), the original nothing
/// (`false`), or both are Kafka Connect `bytes`.
fn type_changed(differ: &Differ<'_>, path: &mut Path, original: NodeId, update: NodeId) {
    let (o, u) = (differ.original(original), differ.update(update));
    if matches!(o.kind, Kind::False) || matches!(u.kind, Kind::Empty | Kind::True) {
        return;
    }
    if o.connect_type.as_deref() == Some("bytes") && u.connect_type.as_deref() == Some("bytes") {
        return;
    }
    path.add(TYPE_CHANGED);
}

/// ID_CHANGED, TITLE_CHANGED, DESCRIPTION_CHANGED, DEFAULT_CHANGED: the
/// annotations every schema class carries (all compatible).
fn annotations(differ: &Differ<'_>, path: &mut Path, original: NodeId, update: NodeId) {
    let (o, u) = (differ.original(original), differ.update(update));
    if o.id != u.id {
        path.add(ID_CHANGED);
    }
    if o.title != u.title {
        path.add(TITLE_CHANGED);
    }
    if o.description != u.description {
        path.add(DESCRIPTION_CHANGED);
    }
    if o.default != u.default {
        path.add(DEFAULT_CHANGED);
    }
}

/// Follows `$ref`s (Confluent's `normalizeSchema`); a cycle made only of
/// references stops at a reference.
fn dereference(graph: &Graph, mut id: NodeId) -> NodeId {
    for _ in 0..graph.nodes.len() {
        match graph.nodes[id.0].kind {
            Kind::Reference(target) => id = target,
            _ => break,
        }
    }
    id
}
