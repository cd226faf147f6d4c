//! The walk over a (reader, writer) pair of schema graphs: memoisation on
//! node pairs, the location stack, and dispatch to the rules. A port of the
//! control flow of Java's `ReaderWriterCompatibilityChecker`, whose quirks
//! decide which messages Confluent prints.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::mem::discriminant;

use super::incompatibility::{CheckAborted, Incompatibility, IncompatibilityType};
use super::names::names_match;
use super::primitives::is_promotion;
use crate::avro::{AvroSchema, Kind, NodeId};

/// What visiting one pair yields: the incompatibilities found (none means
/// compatible), or the exception Java would have thrown.
pub(super) type Outcome = Result<Vec<Incompatibility>, CheckAborted>;

/// One step of a location path; rendered only when an incompatibility is
/// recorded, so the common (compatible) path allocates nothing.
#[derive(Clone, Copy, Debug)]
pub(super) enum Token {
    /// Java pushes an empty root token that the rendered path leaves out.
    Root,
    Fields,
    Type,
    Items,
    Values,
    Name,
    Symbols,
    Size,
    /// A reader field position or a writer union branch index.
    Index(usize),
}

impl Token {
    fn push_to(self, out: &mut String) {
        // No token can contain `~` or `/`, so JSON-pointer escaping is a no-op.
        match self {
            Token::Root => {}
            Token::Fields => out.push_str("fields"),
            Token::Type => out.push_str("type"),
            Token::Items => out.push_str("items"),
            Token::Values => out.push_str("values"),
            Token::Name => out.push_str("name"),
            Token::Symbols => out.push_str("symbols"),
            Token::Size => out.push_str("size"),
            Token::Index(i) => out.push_str(&i.to_string()),
        }
    }
}

/// Memo entry: Java stores "in progress" first, so a pair met again while it
/// is being computed (a recursive type) counts as compatible.
enum Memo {
    InProgress,
    Done(Vec<Incompatibility>),
}

/// Hashes node ids (small integers, nothing adversarial) with one multiply
/// instead of SipHash: the memo is the checker's hottest table.
#[derive(Default)]
struct NodeIdHasher(u64);

impl Hasher for NodeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(29) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type NodeIdMap<K, V> = HashMap<K, V, BuildHasherDefault<NodeIdHasher>>;

/// State of one reader/writer check; Java makes a fresh one per call.
pub(super) struct Checker<'a> {
    pub(super) reader: &'a AvroSchema,
    pub(super) writer: &'a AvroSchema,
    memo: NodeIdMap<(NodeId, NodeId), Memo>,
    /// One stack for the whole walk; a probe's fresh stack is the part
    /// above `base` (saves an allocation per union probe).
    location: Vec<Token>,
    base: usize,
    /// How to find fields by name, per writer record.
    writer_fields: NodeIdMap<NodeId, FieldIndex<'a>>,
}

/// Writer-record field lookup: linear scans, counted, until an index pays.
enum FieldIndex<'a> {
    Scanning(u32),
    Built(HashMap<&'a str, usize>),
}

const SCANS_BEFORE_INDEXING: u32 = 8;

impl<'a> Checker<'a> {
    pub(super) fn new(reader: &'a AvroSchema, writer: &'a AvroSchema) -> Self {
        let mut memo = NodeIdMap::default();
        memo.reserve(reader.nodes.len().max(writer.nodes.len()));
        Self {
            reader,
            writer,
            memo,
            location: Vec::with_capacity(32),
            base: 0,
            writer_fields: NodeIdMap::default(),
        }
    }

    /// Checks the two roots, starting from an empty location.
    pub(super) fn check_roots(&mut self) -> Outcome {
        self.visit(Token::Root, self.reader.root, self.writer.root)
    }

    /// Java's `getCompatibility(token, reader, writer, location)`: pushes
    /// `token`, answers from the memo or computes and memoises. A memoised
    /// answer keeps the locations of the visit that computed it.
    pub(super) fn visit(&mut self, token: Token, reader: NodeId, writer: NodeId) -> Outcome {
        self.location.push(token);
        let outcome = if self.both_primitive(reader, writer) {
            // Not memoised: a primitive pair never recurses, and Java (whose
            // primitive nodes are never shared) reaches each such pair from
            // one memoised parent pair only, so no visit could observe the
            // entry. Skipping it is faster and does not depend on whether
            // the parser shares primitive nodes.
            self.calculate(reader, writer)
        } else {
            self.memoised(reader, writer)
        };
        self.location.pop();
        outcome
    }

    fn both_primitive(&self, reader: NodeId, writer: NodeId) -> bool {
        is_primitive(&self.reader.node(reader).kind) && is_primitive(&self.writer.node(writer).kind)
    }

    fn memoised(&mut self, reader: NodeId, writer: NodeId) -> Outcome {
        match self.memo.entry((reader, writer)) {
            Entry::Occupied(entry) => {
                return Ok(match entry.get() {
                    Memo::InProgress => Vec::new(),
                    Memo::Done(found) => found.clone(),
                })
            }
            Entry::Vacant(entry) => entry.insert(Memo::InProgress),
        };
        let found = self.calculate(reader, writer)?;
        if let Some(slot) = self.memo.get_mut(&(reader, writer)) {
            *slot = Memo::Done(found.clone());
        }
        Ok(found)
    }

    /// Java's two-argument `getCompatibility(reader, writer)`, used to probe
    /// union branches: a fresh location stack (the memo is shared) and only
    /// the verdict is kept, the details are dropped.
    pub(super) fn probe(&mut self, reader: NodeId, writer: NodeId) -> Result<bool, CheckAborted> {
        if self.both_primitive(reader, writer) {
            // Unmemoised and its details dropped: only the verdict matters.
            let (r, w) = (
                &self.reader.node(reader).kind,
                &self.writer.node(writer).kind,
            );
            return Ok(discriminant(r) == discriminant(w) || is_promotion(w, r));
        }
        // A pair already on the memo keeps Java's answer (an in-progress
        // recursive pair counts as compatible).
        if !self.memo.contains_key(&(reader, writer)) && self.plainly_incompatible(reader, writer) {
            return Ok(false);
        }
        let outer_base = std::mem::replace(&mut self.base, self.location.len());
        let outcome = self.visit(Token::Root, reader, writer);
        self.base = outer_base;
        Ok(outcome?.is_empty())
    }

    /// A pair a probe can refuse without walking it: different kinds that no
    /// promotion joins, or named types whose names do not match. Java walks
    /// and memoises these too, but their verdict is always false, and
    /// walking every pair of two large unions (n × m memo entries with
    /// their messages) is what a hostile schema could exhaust memory with.
    fn plainly_incompatible(&self, reader: NodeId, writer: NodeId) -> bool {
        let (r, w) = (
            &self.reader.node(reader).kind,
            &self.writer.node(writer).kind,
        );
        if matches!(r, Kind::Union { .. }) || matches!(w, Kind::Union { .. }) {
            return false;
        }
        if discriminant(r) != discriminant(w) {
            return !is_promotion(w, r);
        }
        match (r, w) {
            (Kind::Record(rr), Kind::Record(wr)) => !names_match(&rr.name, &rr.aliases, &wr.name),
            (Kind::Enum(re), Kind::Enum(we)) => !names_match(&re.name, &re.aliases, &we.name),
            (Kind::Fixed(rf), Kind::Fixed(wf)) => !names_match(&rf.name, &rf.aliases, &wf.name),
            _ => false,
        }
    }

    /// Runs `body` with `token` pushed, for the rules' own path steps
    /// (`name`, `symbols`, `fields`, a field index, a union branch index).
    pub(super) fn within<T>(&mut self, token: Token, body: impl FnOnce(&mut Self) -> T) -> T {
        self.location.push(token);
        let result = body(self);
        self.location.pop();
        result
    }

    /// An incompatibility at the current location.
    pub(super) fn report(&self, kind: IncompatibilityType, message: String) -> Incompatibility {
        Incompatibility {
            kind,
            location: self.rendered_location(),
            message,
        }
    }

    /// `/` followed by the tokens after the (current stack's) root joined with `/`.
    fn rendered_location(&self) -> String {
        let mut out = String::from("/");
        for (i, token) in self.location[self.base..].iter().skip(1).enumerate() {
            if i > 0 {
                out.push('/');
            }
            token.push_to(&mut out);
        }
        out
    }

    /// Position of the field called `name` in writer record `record`: a
    /// scan while lookups that miss the reader's position are few (one
    /// added or renamed field), an index once they are many (reordering).
    pub(super) fn writer_field_position(&mut self, record: NodeId, name: &str) -> Option<usize> {
        let fields = match &self.writer.node(record).kind {
            Kind::Record(r) => &r.fields,
            _ => return None,
        };
        let index = self
            .writer_fields
            .entry(record)
            .or_insert(FieldIndex::Scanning(0));
        match index {
            FieldIndex::Scanning(lookups) if *lookups < SCANS_BEFORE_INDEXING => {
                *lookups += 1;
                fields.iter().position(|f| f.name == name)
            }
            FieldIndex::Scanning(_) => {
                let built: HashMap<&str, usize> = fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.name.as_str(), i))
                    .collect();
                let position = built.get(name).copied();
                *index = FieldIndex::Built(built);
                position
            }
            FieldIndex::Built(built) => built.get(name).copied(),
        }
    }

    /// Java's `calculateCompatibility`: same types compare structurally,
    /// a writer union is split, otherwise promotions or a reader union.
    fn calculate(&mut self, reader: NodeId, writer: NodeId) -> Outcome {
        let (r, w) = (self.reader, self.writer);
        let (reader_kind, writer_kind) = (&r.node(reader).kind, &w.node(writer).kind);
        if discriminant(reader_kind) == discriminant(writer_kind) {
            return self.same_type(reader, writer, reader_kind, writer_kind);
        }
        match (reader_kind, writer_kind) {
            (_, Kind::Union { branches }) => self.every_writer_branch_readable(reader, branches),
            (Kind::Union { branches }, _) => self.missing_union_branch_for_writer(branches, writer),
            _ => Ok(self.type_mismatch(reader_kind, writer_kind)),
        }
    }

    fn same_type(
        &mut self,
        reader: NodeId,
        writer: NodeId,
        reader_kind: &'a Kind,
        writer_kind: &'a Kind,
    ) -> Outcome {
        match (reader_kind, writer_kind) {
            (Kind::Array { items: ri }, Kind::Array { items: wi }) => {
                self.visit(Token::Items, *ri, *wi)
            }
            (Kind::Map { values: rv }, Kind::Map { values: wv }) => {
                self.visit(Token::Values, *rv, *wv)
            }
            (Kind::Fixed(rf), Kind::Fixed(wf)) => {
                let mut found: Vec<_> = self
                    .name_mismatch(&rf.name, &rf.aliases, &wf.name)
                    .into_iter()
                    .collect();
                found.extend(self.fixed_size_mismatch(rf, wf));
                Ok(found)
            }
            (Kind::Enum(re), Kind::Enum(we)) => {
                let mut found: Vec<_> = self
                    .name_mismatch(&re.name, &re.aliases, &we.name)
                    .into_iter()
                    .collect();
                found.extend(self.missing_enum_symbols(re, we));
                Ok(found)
            }
            (Kind::Record(rr), Kind::Record(wr)) => {
                let mut found: Vec<_> = self
                    .name_mismatch(&rr.name, &rr.aliases, &wr.name)
                    .into_iter()
                    .collect();
                found.extend(self.record_fields(rr, writer)?);
                Ok(found)
            }
            (Kind::Union { .. }, Kind::Union { branches: wb }) => {
                self.missing_union_branches(reader, wb)
            }
            // Equal primitive types.
            _ => Ok(Vec::new()),
        }
    }
}

fn is_primitive(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Null
            | Kind::Boolean
            | Kind::Int
            | Kind::Long
            | Kind::Float
            | Kind::Double
            | Kind::Bytes
            | Kind::String
    )
}
