//! Confluent's `EnumSchemaDiff`: constants keyed by number. Every enum
//! difference is compatible, so only callers of `differences` see them.

use std::collections::BTreeMap;

use prost_reflect::EnumDescriptor;

use super::context::Context;
use super::difference::DifferenceType;

pub(super) fn compare(ctx: &mut Context<'_>, original: &EnumDescriptor, update: &EnumDescriptor) {
    let original_names = names_by_number(original);
    let update_names = names_by_number(update);
    let mut numbers: Vec<i32> = original_names
        .keys()
        .chain(update_names.keys())
        .copied()
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    for number in numbers {
        let kind = match (original_names.get(&number), update_names.get(&number)) {
            (Some(_), None) => Some(DifferenceType::EnumConstRemoved),
            (None, Some(_)) => Some(DifferenceType::EnumConstAdded),
            (Some(o), Some(u)) if o != u => Some(DifferenceType::EnumConstChanged),
            _ => None,
        };
        if let Some(kind) = kind {
            ctx.add_at(&[&number.to_string()], kind);
        }
    }
}

/// With `allow_alias`, the last constant of a number wins, as in
/// Confluent's map.
fn names_by_number(enumeration: &EnumDescriptor) -> BTreeMap<i32, String> {
    enumeration
        .values()
        .map(|value| (value.number(), value.name().to_string()))
        .collect()
}
