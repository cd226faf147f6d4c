//! `EnumSchemaDiff` and `ConstSchemaDiff`: the allowed values.

use std::collections::HashSet;

use super::context::Path;
use super::DifferenceType::*;
use crate::json::value::Json;

/// ENUM_ARRAY_EXTENDED (more values) / NARROWED (fewer) / CHANGED; the
/// values compare as sets.
pub(super) fn enum_changed(path: &mut Path, original: &[Json], update: &[Json]) {
    // Values by their compact text, which is equal exactly when they are
    // (numbers compare by text too): linear in the number of values.
    let texts =
        |values: &[Json]| -> HashSet<String> { values.iter().map(Json::to_compact).collect() };
    let (original, update) = (texts(original), texts(update));
    let contains_all = |a: &HashSet<String>, b: &HashSet<String>| b.is_subset(a);
    if contains_all(&original, &update) && contains_all(&update, &original) {
        return;
    }
    if contains_all(&update, &original) {
        path.add_at("enum", ENUM_ARRAY_EXTENDED);
    } else if contains_all(&original, &update) {
        path.add_at("enum", ENUM_ARRAY_NARROWED);
    } else {
        path.add_at("enum", ENUM_ARRAY_CHANGED);
    }
}

/// ENUM_ARRAY_CHANGED for a different `const`.
pub(super) fn const_changed(path: &mut Path, original: &Json, update: &Json) {
    if original != update {
        path.add_at("const", ENUM_ARRAY_CHANGED);
    }
}
