//! The differ's state (Confluent's `Context`): where in the schema a
//! difference is found, and the memo that bounds the work over schemas whose
//! definitions refer to one another.

use std::collections::{HashMap, HashSet};

use super::{compare_types, dereference, Difference, DifferenceType};
use crate::json::schema::{Graph, Node, NodeId};

/// Pairs nested deeper than this (through `$ref` chains; a single document
/// is bounded by the reader) are compared by their JSON text alone, so no
/// schema can exhaust the stack.
const MAX_COMPARE_DEPTH: usize = 128;

/// Confluent iterates until the set of incompatible pairs is stable; it
/// grows monotonically, so this bound is only a guard.
const MAX_PASSES: usize = 64;

/// A memo key: the pair after `$ref`s, and whether the graphs are swapped
/// (inside `not`, the update's subschema is compared as the original).
type PairKey = (bool, NodeId, NodeId);

/// The differences found at one place, and that place as a JSON pointer.
pub(super) struct Path {
    segments: Vec<String>,
    found: Vec<Difference>,
}

impl Path {
    fn root() -> Self {
        Path {
            segments: Vec::new(),
            found: Vec::new(),
        }
    }

    /// A fresh list at the same place (Confluent's `getSubcontext`), for a
    /// comparison whose outcome decides what is reported.
    pub(super) fn sub(&self) -> Self {
        Path {
            segments: self.segments.clone(),
            found: Vec::new(),
        }
    }

    pub(super) fn enter(&mut self, segment: impl Into<String>) {
        self.segments.push(segment.into());
    }

    pub(super) fn leave(&mut self) {
        self.segments.pop();
    }

    fn pointer(&self) -> String {
        format!("#/{}", self.segments.join("/"))
    }

    pub(super) fn add(&mut self, kind: DifferenceType) {
        let path = self.pointer();
        self.found.push(Difference { kind, path });
    }

    /// A difference in `keyword` of the schema here.
    pub(super) fn add_at(&mut self, keyword: &str, kind: DifferenceType) {
        self.enter(keyword);
        self.add(kind);
        self.leave();
    }

    pub(super) fn extend(&mut self, other: Path) {
        self.found.extend(other.found);
    }

    pub(super) fn is_compatible(&self) -> bool {
        self.found.iter().all(|d| d.kind.is_compatible())
    }

    pub(super) fn into_found(self) -> Vec<Difference> {
        self.found
    }

    /// Adds differences found relative to a pair, moved under this place.
    fn extend_rebased(&mut self, relative: &[Difference]) {
        let prefix = self.pointer();
        for difference in relative {
            let path = if self.segments.is_empty() {
                difference.path.clone()
            } else if difference.path.len() <= 2 {
                prefix.clone()
            } else {
                format!("{prefix}/{}", &difference.path[2..])
            };
            self.found.push(Difference {
                kind: difference.kind,
                path,
            });
        }
    }
}

/// The two graphs and the memo shared by one pass of the comparison.
pub(super) struct Differ<'a> {
    original: &'a Graph,
    update: &'a Graph,
    swapped: bool,
    memo: HashMap<PairKey, Vec<Difference>>,
    in_progress: HashSet<PairKey>,
    /// Pairs a previous pass found incompatible: a cycle re-entering one
    /// reports its differences instead of assuming it compatible.
    seed: HashMap<PairKey, Vec<Difference>>,
    optimism_used: bool,
    depth: usize,
}

/// `SchemaDiff.compare(original, update)`: passes until no cycle was
/// assumed compatible, or the incompatible pairs stop changing.
pub(super) fn compare_to_fixpoint(original: &Graph, update: &Graph) -> Vec<Difference> {
    let mut seed = HashMap::new();
    let mut result = Vec::new();
    for _ in 0..MAX_PASSES {
        let mut differ = Differ {
            original,
            update,
            swapped: false,
            memo: HashMap::new(),
            in_progress: HashSet::new(),
            seed,
            optimism_used: false,
            depth: 0,
        };
        let mut path = Path::root();
        differ.compare(&mut path, Some(original.root), Some(update.root));
        result = path.into_found();
        let incompatible: HashMap<PairKey, Vec<Difference>> = differ
            .memo
            .into_iter()
            .filter(|(_, found)| found.iter().any(|d| !d.kind.is_compatible()))
            .collect();
        let stable = incompatible.len() == differ.seed.len()
            && incompatible.keys().all(|k| differ.seed.contains_key(k));
        if !differ.optimism_used || stable {
            break;
        }
        seed = incompatible;
    }
    result
}

impl Differ<'_> {
    pub(super) fn original(&self, id: NodeId) -> &Node {
        &self.original.nodes[id.0]
    }

    pub(super) fn update(&self, id: NodeId) -> &Node {
        &self.update.nodes[id.0]
    }

    /// `SchemaDiff.compare(ctx, original, update)`: SCHEMA_ADDED and
    /// SCHEMA_REMOVED for a missing side, else the memoised comparison of
    /// the pair, its differences placed under `path`.
    pub(super) fn compare(
        &mut self,
        path: &mut Path,
        original: Option<NodeId>,
        update: Option<NodeId>,
    ) {
        let (original, update) = match (original, update) {
            (None, None) => return,
            (None, Some(_)) => return path.add(DifferenceType::SCHEMA_ADDED),
            (Some(_), None) => return path.add(DifferenceType::SCHEMA_REMOVED),
            (Some(o), Some(u)) => (dereference(self.original, o), dereference(self.update, u)),
        };
        let key = (self.swapped, original, update);
        if let Some(found) = self.memo.get(&key) {
            let found = found.clone();
            return path.extend_rebased(&found);
        }
        if self.in_progress.contains(&key) {
            match self.seed.get(&key) {
                Some(found) => {
                    let found = found.clone();
                    path.extend_rebased(&found);
                }
                None => self.optimism_used = true,
            }
            return;
        }
        if self.depth >= MAX_COMPARE_DEPTH {
            let (o, u) = (self.original(original), self.update(update));
            if o.source.is_none() || o.source != u.source {
                path.add(DifferenceType::TYPE_CHANGED);
            }
            return;
        }
        self.in_progress.insert(key);
        self.depth += 1;
        let mut relative = Path::root();
        compare_types(self, &mut relative, original, update);
        self.depth -= 1;
        self.in_progress.remove(&key);
        path.extend_rebased(&relative.found);
        self.memo.insert(key, relative.found);
    }

    /// Compares `original` (a node of the update graph) with `update` (a
    /// node of the original graph): `not` reverses its subschemas.
    pub(super) fn compare_reversed(&mut self, path: &mut Path, original: NodeId, update: NodeId) {
        std::mem::swap(&mut self.original, &mut self.update);
        self.swapped = !self.swapped;
        self.compare(path, Some(original), Some(update));
        std::mem::swap(&mut self.original, &mut self.update);
        self.swapped = !self.swapped;
    }
}
