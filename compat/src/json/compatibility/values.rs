//! `EnumSchemaDiff` and `ConstSchemaDiff`: the allowed values.

use super::context::Path;
use super::DifferenceType::*;
use crate::json::value::Json;

/// ENUM_ARRAY_EXTENDED (more values) / NARROWED (fewer) / CHANGED; the
/// values compare as sets.
pub(super) fn enum_changed(path: &mut Path, original: &[Json], update: &[Json]) {
    let contains_all = |a: &[Json], b: &[Json]| b.iter().all(|v| a.contains(v));
    if contains_all(original, update) && contains_all(update, original) {
        return;
    }
    if contains_all(update, original) {
        path.add_at("enum", ENUM_ARRAY_EXTENDED);
    } else if contains_all(original, update) {
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
