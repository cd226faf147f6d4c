//! `CombinedSchemaDiff`, `NotSchemaDiff` and the combined-versus-plain
//! cases of `SchemaDiff.compareTypes`: `allOf`, `anyOf`, `oneOf` (and type
//! lists, which load as `anyOf`), and `not`.

use super::context::{Differ, Path};
use super::DifferenceType::*;
use crate::json::schema::{Combined, Criterion, Kind, NodeId};

/// SUM_TYPE_EXTENDED: a plain original became an `anyOf`/`oneOf` with a
/// member it is compatible with (a one-member combination of any kind
/// passes silently). True when that decided the pair.
pub(super) fn sum_type_extended(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: NodeId,
    update: NodeId,
) -> bool {
    let Kind::Combined(combined) = &differ.update(update).kind else {
        return false;
    };
    let combined = combined.clone();
    if let [only] = combined.subschemas[..] {
        return adopt_if_compatible(differ, path, Some(original), Some(only), None);
    }
    if combined.criterion == Criterion::AllOf {
        return false;
    }
    combined.subschemas.iter().any(|member| {
        adopt_if_compatible(
            differ,
            path,
            Some(original),
            Some(*member),
            Some(SUM_TYPE_EXTENDED),
        )
    })
}

/// PRODUCT_TYPE_NARROWED: an `allOf` original became one of its members
/// (or something compatible with one); a one-member combination of any
/// kind passes silently. True when that decided the pair.
pub(super) fn product_type_narrowed(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: NodeId,
    update: NodeId,
) -> bool {
    let Kind::Combined(combined) = &differ.original(original).kind else {
        return false;
    };
    let combined = combined.clone();
    if let [only] = combined.subschemas[..] {
        return adopt_if_compatible(differ, path, Some(only), Some(update), None);
    }
    if combined.criterion != Criterion::AllOf {
        return false;
    }
    combined.subschemas.iter().any(|member| {
        adopt_if_compatible(
            differ,
            path,
            Some(*member),
            Some(update),
            Some(PRODUCT_TYPE_NARROWED),
        )
    })
}

/// Compares a candidate pair on the side; when compatible, keeps its
/// differences (and `marker`) and answers true.
fn adopt_if_compatible(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: Option<NodeId>,
    update: Option<NodeId>,
    marker: Option<super::DifferenceType>,
) -> bool {
    let mut trial = path.sub();
    differ.compare(&mut trial, original, update);
    if !trial.is_compatible() {
        return false;
    }
    path.extend(trial);
    if let Some(marker) = marker {
        path.add(marker);
    }
    true
}

/// Two combinations: the criterion (COMBINED_TYPE_EXTENDED / CHANGED), the
/// member count (SUM_TYPE_EXTENDED / NARROWED, PRODUCT_TYPE_EXTENDED /
/// NARROWED), and COMBINED_TYPE_SUBSCHEMAS_CHANGED when no one-to-one
/// pairing of compatible members covers the smaller side.
pub(super) fn compare(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: &Combined,
    update: &Combined,
) {
    if criterion_changed(path, original, update) {
        return;
    }
    let originals = distinct(differ, &original.subschemas, true);
    let updates = distinct(differ, &update.subschemas, false);
    member_count_changed(path, original, update, originals.len(), updates.len());

    let mut edges: Vec<Vec<(usize, Path)>> = Vec::new();
    for (i, o) in originals.iter().enumerate() {
        path.enter(format!("{}/{i}", original.criterion.keyword()));
        let mut compatible = Vec::new();
        for (j, u) in updates.iter().enumerate() {
            let mut trial = path.sub();
            differ.compare(&mut trial, Some(*o), Some(*u));
            if trial.is_compatible() {
                compatible.push((j, trial));
            }
        }
        path.leave();
        edges.push(compatible);
    }
    let matching = maximum_matching(&edges, updates.len());
    let matched = matching.iter().filter(|m| m.is_some()).count();
    for (i, choice) in matching.into_iter().enumerate() {
        if let Some(j) = choice {
            if let Some(position) = edges[i].iter().position(|(target, _)| *target == j) {
                let (_, found) = edges[i].swap_remove(position);
                path.extend(found);
            }
        }
    }
    if matched < originals.len().min(updates.len()) {
        path.add(COMBINED_TYPE_SUBSCHEMAS_CHANGED);
    }
}

/// COMBINED_TYPE_EXTENDED when the criterion changes towards `anyOf` or
/// between combinations with one member; COMBINED_TYPE_CHANGED otherwise,
/// which ends the comparison (true).
fn criterion_changed(path: &mut Path, original: &Combined, update: &Combined) -> bool {
    let (o, u) = (original.criterion, update.criterion);
    if o == u {
        return false;
    }
    let o_single = original.subschemas.len() == 1;
    let u_single = update.subschemas.len() == 1;
    let extended = u == Criterion::AnyOf
        || (o_single && u_single)
        || (o_single && u == Criterion::OneOf)
        || (u_single && o == Criterion::AllOf);
    if extended {
        path.add(COMBINED_TYPE_EXTENDED);
        false
    } else {
        path.add(COMBINED_TYPE_CHANGED);
        true
    }
}

/// SUM_TYPE_EXTENDED / PRODUCT_TYPE_EXTENDED for more members,
/// SUM_TYPE_NARROWED / PRODUCT_TYPE_NARROWED for fewer.
fn member_count_changed(
    path: &mut Path,
    original: &Combined,
    update: &Combined,
    o: usize,
    u: usize,
) {
    if o < u {
        if update.criterion == Criterion::AllOf {
            path.add(PRODUCT_TYPE_EXTENDED);
        } else {
            path.add(SUM_TYPE_EXTENDED);
        }
    } else if o > u {
        if original.criterion == Criterion::AllOf {
            path.add(PRODUCT_TYPE_NARROWED);
        } else {
            path.add(SUM_TYPE_NARROWED);
        }
    }
}

/// Members with duplicates (the same JSON) collapsed, as Confluent's
/// `LinkedHashSet<JsonSchema>` does.
fn distinct(differ: &Differ<'_>, members: &[NodeId], original: bool) -> Vec<NodeId> {
    let source = |id: NodeId| {
        if original {
            &differ.original(id).source
        } else {
            &differ.update(id).source
        }
    };
    let mut out: Vec<NodeId> = Vec::new();
    for &member in members {
        let duplicate =
            source(member).is_some() && out.iter().any(|&kept| source(kept) == source(member));
        if !duplicate {
            out.push(member);
        }
    }
    out
}

/// A maximum bipartite matching (augmenting paths): for each original
/// member, the update member it is paired with.
fn maximum_matching(edges: &[Vec<(usize, Path)>], right: usize) -> Vec<Option<usize>> {
    fn augment(
        left: usize,
        edges: &[Vec<(usize, Path)>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for (right, _) in &edges[left] {
            if seen[*right] {
                continue;
            }
            seen[*right] = true;
            if owner[*right].is_none_or(|other| augment(other, edges, seen, owner)) {
                owner[*right] = Some(left);
                return true;
            }
        }
        false
    }
    let mut owner: Vec<Option<usize>> = vec![None; right];
    for left in 0..edges.len() {
        let mut seen = vec![false; right];
        augment(left, edges, &mut seen, &mut owner);
    }
    let mut matching = vec![None; edges.len()];
    for (right, left) in owner.iter().enumerate() {
        if let Some(left) = left {
            matching[*left] = Some(right);
        }
    }
    matching
}

/// NOT_TYPE_NARROWED / NOT_TYPE_EXTENDED: `not` compares its subschemas
/// the other way round (what the update excludes must have been excluded).
pub(super) fn not_type(differ: &mut Differ<'_>, path: &mut Path, original: NodeId, update: NodeId) {
    path.enter("not");
    let mut trial = path.sub();
    differ.compare_reversed(&mut trial, update, original);
    if trial.is_compatible() {
        path.add(NOT_TYPE_NARROWED);
    } else {
        path.add(NOT_TYPE_EXTENDED);
    }
    path.leave();
}
