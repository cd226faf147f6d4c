//! Checker behaviour on hand-built graphs: the quirks of Java's walk that
//! text fixtures cannot pin down as directly (node identity, memoisation).

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{check_reader_writer, Incompatibility, IncompatibilityType};
use crate::avro::{AvroSchema, Enum, Field, Fixed, Kind, Name, Node, NodeId, Record};

/// Builds an arena the way a parser would: one node per occurrence of an
/// unnamed type, one node per named type however often it is referenced.
#[derive(Default)]
struct Graph {
    nodes: Vec<Node>,
}

impl Graph {
    fn add(&mut self, kind: Kind) -> NodeId {
        self.nodes.push(Node {
            kind,
            props: Vec::new(),
            from_reference: false,
        });
        NodeId(self.nodes.len() - 1)
    }

    fn record(&mut self, full_name: &str, fields: Vec<Field>) -> NodeId {
        self.add(Kind::Record(Record {
            name: name(full_name),
            doc: None,
            aliases: Vec::new(),
            fields,
            is_error: false,
        }))
    }

    fn set_fields(&mut self, record: NodeId, fields: Vec<Field>) {
        match &mut self.nodes[record.0].kind {
            Kind::Record(r) => r.fields = fields,
            _ => panic!("not a record"),
        }
    }

    fn set_aliases(&mut self, named: NodeId, aliases: &[&str]) {
        let aliases = aliases.iter().map(|a| a.to_string()).collect();
        match &mut self.nodes[named.0].kind {
            Kind::Record(r) => r.aliases = aliases,
            Kind::Enum(e) => e.aliases = aliases,
            Kind::Fixed(f) => f.aliases = aliases,
            _ => panic!("not named"),
        }
    }

    fn enumeration(&mut self, full_name: &str, symbols: &[&str], default: Option<&str>) -> NodeId {
        self.add(Kind::Enum(Enum {
            name: name(full_name),
            doc: None,
            aliases: Vec::new(),
            symbols: symbols.iter().map(|s| s.to_string()).collect(),
            default: default.map(str::to_string),
        }))
    }

    fn fixed(&mut self, full_name: &str, size: u64) -> NodeId {
        self.add(Kind::Fixed(Fixed {
            name: name(full_name),
            doc: None,
            aliases: Vec::new(),
            size,
        }))
    }

    fn union(&mut self, branches: Vec<NodeId>) -> NodeId {
        self.add(Kind::Union { branches })
    }

    fn finish(self, root: NodeId) -> AvroSchema {
        let names = self
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.kind.name().map(|nm| (nm.full_name(), NodeId(i))))
            .collect::<HashMap<_, _>>();
        AvroSchema {
            nodes: self.nodes,
            root,
            names,
            reference_roots: Vec::new(),
        }
    }
}

fn name(full: &str) -> Name {
    match full.rsplit_once('.') {
        Some((ns, n)) => Name {
            name: n.to_string(),
            namespace: Some(ns.to_string()),
        },
        None => Name {
            name: full.to_string(),
            namespace: None,
        },
    }
}

fn field(name: &str, schema: NodeId, default: Option<Value>) -> Field {
    Field {
        name: name.to_string(),
        schema,
        doc: None,
        default,
        order: None,
        aliases: Vec::new(),
        props: Vec::new(),
    }
}

fn aliased(mut f: Field, aliases: &[&str]) -> Field {
    f.aliases = aliases.iter().map(|a| a.to_string()).collect();
    f
}

/// A schema that is just one primitive.
fn primitive(kind: Kind) -> AvroSchema {
    let mut g = Graph::default();
    let root = g.add(kind);
    g.finish(root)
}

/// `record R { <name>: <kind> }`.
fn record_of(field_name: &str, kind: Kind) -> AvroSchema {
    let mut g = Graph::default();
    let t = g.add(kind);
    let root = g.record("R", vec![field(field_name, t, None)]);
    g.finish(root)
}

fn found(reader: &AvroSchema, writer: &AvroSchema) -> Vec<(IncompatibilityType, String, String)> {
    check_reader_writer(reader, writer)
        .expect("no exception")
        .into_iter()
        .map(
            |Incompatibility {
                 kind,
                 location,
                 message,
             }| (kind, location, message),
        )
        .collect()
}

fn one(
    kind: IncompatibilityType,
    location: &str,
    message: &str,
) -> Vec<(IncompatibilityType, String, String)> {
    vec![(kind, location.to_string(), message.to_string())]
}

#[test]
fn root_type_mismatch_is_reported_at_slash_in_upper_case() {
    assert_eq!(
        found(&primitive(Kind::Int), &primitive(Kind::Long)),
        one(
            IncompatibilityType::TypeMismatch,
            "/",
            "reader type: INT not compatible with writer type: LONG"
        )
    );
}

#[test]
fn every_spec_promotion_is_accepted_and_nothing_else() {
    use Kind::*;
    let kinds = || [Null, Boolean, Int, Long, Float, Double, Bytes, String];
    let allowed = [
        ("INT", "LONG"),
        ("INT", "FLOAT"),
        ("INT", "DOUBLE"),
        ("LONG", "FLOAT"),
        ("LONG", "DOUBLE"),
        ("FLOAT", "DOUBLE"),
        ("STRING", "BYTES"),
        ("BYTES", "STRING"),
    ];
    for writer in kinds() {
        for reader in kinds() {
            let (w, r) = (writer.type_name(), reader.type_name());
            let ok = found(&primitive(reader.clone()), &primitive(writer.clone())).is_empty();
            assert_eq!(
                ok,
                w == r || allowed.contains(&(w, r)),
                "writer {w} reader {r}"
            );
        }
    }
}

#[test]
fn field_type_mismatch_is_located_at_field_type() {
    assert_eq!(
        found(&record_of("a", Kind::Int), &record_of("a", Kind::Long)),
        one(
            IncompatibilityType::TypeMismatch,
            "/fields/0/type",
            "reader type: INT not compatible with writer type: LONG"
        )
    );
}

#[test]
fn reader_field_without_writer_field_needs_a_default() {
    let mut g = Graph::default();
    let (a, b) = (g.add(Kind::Int), g.add(Kind::String));
    let root = g.record("R", vec![field("a", a, None), field("b", b, None)]);
    let reader = g.finish(root);
    assert_eq!(
        found(&reader, &record_of("a", Kind::Int)),
        one(
            IncompatibilityType::ReaderFieldMissingDefaultValue,
            "/fields/1",
            "b"
        )
    );
    let mut g = Graph::default();
    let (a, b) = (g.add(Kind::Int), g.add(Kind::String));
    let root = g.record(
        "R",
        vec![field("a", a, None), field("b", b, Some(json!(null)))],
    );
    assert!(
        found(&g.finish(root), &record_of("a", Kind::Int)).is_empty(),
        "a null default is a default"
    );
}

#[test]
fn enum_default_without_field_default_compares_enum_with_writer_record() {
    let mut g = Graph::default();
    let a = g.add(Kind::Int);
    let e = g.enumeration("E", &["X", "Y"], Some("X"));
    let root = g.record("R", vec![field("a", a, None), field("e", e, None)]);
    assert_eq!(
        found(&g.finish(root), &record_of("a", Kind::Int)),
        one(
            IncompatibilityType::TypeMismatch,
            "/fields/1/type",
            "reader type: ENUM not compatible with writer type: RECORD"
        )
    );
}

#[test]
fn field_alias_matches_renamed_writer_field() {
    let mut g = Graph::default();
    let t = g.add(Kind::Int);
    let root = g.record("R", vec![aliased(field("b", t, None), &["a"])]);
    assert!(found(&g.finish(root), &record_of("a", Kind::Int)).is_empty());
}

#[test]
fn field_matching_by_name_and_alias_aborts_like_java() {
    let mut g = Graph::default();
    let t = g.add(Kind::Int);
    let root = g.record("R", vec![aliased(field("b", t, None), &["a"])]);
    let reader = g.finish(root);
    let mut g = Graph::default();
    let (a, b) = (g.add(Kind::Int), g.add(Kind::Int));
    let root = g.record("R", vec![field("a", a, None), field("b", b, None)]);
    let aborted = check_reader_writer(&reader, &g.finish(root)).unwrap_err();
    assert!(
        aborted.message.starts_with(
            "Reader record field b type:INT pos:0 matches multiple fields in writer record schema "
        ),
        "{}",
        aborted.message
    );
}

#[test]
fn namespace_only_change_is_compatible_both_ways() {
    let mut g = Graph::default();
    let root = g.record("x.y.Foo", vec![]);
    let old = g.finish(root);
    let mut g = Graph::default();
    let root = g.record("z.Foo", vec![]);
    let new = g.finish(root);
    assert!(found(&new, &old).is_empty());
    assert!(found(&old, &new).is_empty());
}

#[test]
fn undotted_reader_alias_takes_the_readers_namespace() {
    let writer = {
        let mut g = Graph::default();
        let root = g.record("ns1.Foo", vec![]);
        g.finish(root)
    };
    let reader_with = |alias: &str| {
        let mut g = Graph::default();
        let root = g.record("ns2.Bar", vec![]);
        g.set_aliases(root, &[alias]);
        g.finish(root)
    };
    assert_eq!(
        found(&reader_with("Foo"), &writer),
        one(
            IncompatibilityType::NameMismatch,
            "/name",
            "expected: ns1.Foo"
        )
    );
    assert!(found(&reader_with("ns1.Foo"), &writer).is_empty());
}

#[test]
fn fixed_reports_name_and_size_together() {
    let mut g = Graph::default();
    let root = g.fixed("F", 4);
    let old = g.finish(root);
    let mut g = Graph::default();
    let root = g.fixed("G", 8);
    assert_eq!(
        found(&g.finish(root), &old),
        vec![
            (
                IncompatibilityType::NameMismatch,
                "/name".to_string(),
                "expected: F".to_string()
            ),
            (
                IncompatibilityType::FixedSizeMismatch,
                "/size".to_string(),
                "expected: 4, found: 8".to_string()
            ),
        ]
    );
}

#[test]
fn missing_enum_symbols_are_sorted_and_absorbed_by_reader_default_only() {
    let enum_schema = |symbols: &[&str], default: Option<&str>| {
        let mut g = Graph::default();
        let root = g.enumeration("E", symbols, default);
        g.finish(root)
    };
    assert_eq!(
        found(
            &enum_schema(&["A"], None),
            &enum_schema(&["D", "A", "C"], None)
        ),
        one(
            IncompatibilityType::MissingEnumSymbols,
            "/symbols",
            "[C, D]"
        )
    );
    assert!(found(
        &enum_schema(&["A"], Some("A")),
        &enum_schema(&["A", "C"], None)
    )
    .is_empty());
    assert!(!found(
        &enum_schema(&["A"], None),
        &enum_schema(&["A", "C"], Some("A"))
    )
    .is_empty());
}

#[test]
fn writer_union_branches_are_checked_in_full_with_their_index() {
    let mut g = Graph::default();
    let (n, s) = (g.add(Kind::Null), g.add(Kind::String));
    let root = g.union(vec![n, s]);
    assert_eq!(
        found(&primitive(Kind::String), &g.finish(root)),
        one(
            IncompatibilityType::TypeMismatch,
            "/0",
            "reader type: STRING not compatible with writer type: NULL"
        )
    );
}

#[test]
fn reader_union_without_matching_branch_is_reported_without_index() {
    let mut g = Graph::default();
    let (n, s) = (g.add(Kind::Null), g.add(Kind::String));
    let root = g.union(vec![n, s]);
    assert_eq!(
        found(&g.finish(root), &primitive(Kind::Int)),
        one(
            IncompatibilityType::MissingUnionBranch,
            "/",
            "reader union lacking writer type: INT"
        )
    );
}

#[test]
fn problem_inside_union_branch_surfaces_as_missing_branch_only() {
    let union_of_record = |extra_field: bool| {
        let mut g = Graph::default();
        let x = g.add(Kind::Int);
        let mut fields = vec![field("x", x, None)];
        if extra_field {
            let y = g.add(Kind::Int);
            fields.push(field("y", y, None));
        }
        let n = g.add(Kind::Null);
        let rec = g.record("N", fields);
        let root = g.union(vec![n, rec]);
        g.finish(root)
    };
    assert_eq!(
        found(&union_of_record(true), &union_of_record(false)),
        one(
            IncompatibilityType::MissingUnionBranch,
            "/1",
            "reader union lacking writer type: RECORD"
        )
    );
}

/// `record L { v: int, next: [null, L] }`, optionally with `extra: int`.
fn linked_list(extra: bool) -> AvroSchema {
    let mut g = Graph::default();
    let v = g.add(Kind::Int);
    let root = g.record("L", vec![]);
    let n = g.add(Kind::Null);
    let next = g.union(vec![n, root]);
    let mut fields = vec![field("v", v, None), field("next", next, None)];
    if extra {
        let e = g.add(Kind::Int);
        fields.push(field("extra", e, None));
    }
    g.set_fields(root, fields);
    g.finish(root)
}

#[test]
fn recursive_records_terminate() {
    assert!(found(&linked_list(false), &linked_list(false)).is_empty());
    assert!(found(&linked_list(false), &linked_list(true)).is_empty());
    assert_eq!(
        found(&linked_list(true), &linked_list(false)),
        one(
            IncompatibilityType::ReaderFieldMissingDefaultValue,
            "/fields/2",
            "extra"
        )
    );
}

#[test]
fn shared_named_type_repeats_the_first_locations() {
    // Java memoises per (reader node, writer node), locations included.
    let schema = |with_y: bool| {
        let mut g = Graph::default();
        let x = g.add(Kind::Int);
        let mut fields = vec![field("x", x, None)];
        if with_y {
            let y = g.add(Kind::Int);
            fields.push(field("y", y, None));
        }
        let n = g.record("N", fields);
        let root = g.record("R", vec![field("a", n, None), field("b", n, None)]);
        g.finish(root)
    };
    let first = (
        IncompatibilityType::ReaderFieldMissingDefaultValue,
        "/fields/0/type/fields/1".to_string(),
        "y".to_string(),
    );
    assert_eq!(
        found(&schema(true), &schema(false)),
        vec![first.clone(), first]
    );
}

#[test]
fn many_reordered_fields_are_still_matched_by_name() {
    // More lookups miss the reader's position than the scan budget allows,
    // so the writer record gets indexed part-way through.
    let names: Vec<String> = (0..20).map(|i| format!("f{i}")).collect();
    let record = |order: &mut dyn Iterator<Item = usize>, long_field: usize| {
        let mut g = Graph::default();
        let fields = order
            .map(|i| {
                let t = g.add(if i == long_field {
                    Kind::Long
                } else {
                    Kind::Int
                });
                field(&names[i], t, None)
            })
            .collect();
        let root = g.record("R", fields);
        g.finish(root)
    };
    let writer = record(&mut (0..20), 7);
    let reader = record(&mut (0..20).rev(), usize::MAX);
    assert_eq!(
        found(&reader, &writer),
        one(
            IncompatibilityType::TypeMismatch,
            "/fields/12/type",
            "reader type: INT not compatible with writer type: LONG"
        )
    );
}
