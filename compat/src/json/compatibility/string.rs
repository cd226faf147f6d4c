//! `StringSchemaDiff`: length bounds and `pattern`.

use super::context::Path;
use super::DifferenceType::{self, *};
use crate::json::schema::StringSchema;

pub(super) fn compare(path: &mut Path, original: &StringSchema, update: &StringSchema) {
    max_length(path, original.max_length, update.max_length);
    min_length(path, original.min_length, update.min_length);
    pattern(path, &original.pattern, &update.pattern);
}

/// MAX_LENGTH_ADDED / REMOVED / INCREASED / DECREASED.
fn max_length(path: &mut Path, original: Option<i64>, update: Option<i64>) {
    let kinds = [
        MAX_LENGTH_ADDED,
        MAX_LENGTH_REMOVED,
        MAX_LENGTH_INCREASED,
        MAX_LENGTH_DECREASED,
    ];
    integer_bound(path, "maxLength", original, update, kinds);
}

/// MIN_LENGTH_ADDED / REMOVED / INCREASED / DECREASED.
fn min_length(path: &mut Path, original: Option<i64>, update: Option<i64>) {
    let kinds = [
        MIN_LENGTH_ADDED,
        MIN_LENGTH_REMOVED,
        MIN_LENGTH_INCREASED,
        MIN_LENGTH_DECREASED,
    ];
    integer_bound(path, "minLength", original, update, kinds);
}

/// PATTERN_ADDED / REMOVED / CHANGED (patterns compare as text).
fn pattern(path: &mut Path, original: &Option<String>, update: &Option<String>) {
    match (original, update) {
        (None, Some(_)) => path.add_at("pattern", PATTERN_ADDED),
        (Some(_), None) => path.add_at("pattern", PATTERN_REMOVED),
        (Some(o), Some(u)) if o != u => path.add_at("pattern", PATTERN_CHANGED),
        _ => {}
    }
}

/// The shared shape of an integer keyword's change: `kinds` are the
/// added, removed, increased and decreased types, in that order.
pub(super) fn integer_bound(
    path: &mut Path,
    keyword: &str,
    original: Option<i64>,
    update: Option<i64>,
    [added, removed, increased, decreased]: [DifferenceType; 4],
) {
    match (original, update) {
        (None, Some(_)) => path.add_at(keyword, added),
        (Some(_), None) => path.add_at(keyword, removed),
        (Some(o), Some(u)) if o < u => path.add_at(keyword, increased),
        (Some(o), Some(u)) if o > u => path.add_at(keyword, decreased),
        _ => {}
    }
}
