//! `ArraySchemaDiff`: `items` (one schema, or a list against the content
//! model of `additionalItems`), `additionalItems`, and the item bounds.
//!
//! A tuple's content model is *open* when `additionalItems` is absent or
//! `true`, *closed* when it is `false`, *partially open* when a schema.

use super::context::{Differ, Path};
use super::string::integer_bound;
use super::DifferenceType::*;
use crate::json::schema::{ArraySchema, Kind, NodeId};

pub(super) fn compare(differ: &mut Differ<'_>, path: &mut Path, original: NodeId, update: NodeId) {
    let (Kind::Array(o), Kind::Array(u)) =
        (&differ.original(original).kind, &differ.update(update).kind)
    else {
        return;
    };
    let (o, u) = (o.clone(), u.clone());
    path.enter("items");
    differ.compare(path, o.all_items, u.all_items);
    path.leave();
    item_list(differ, path, &o, &u);
    additional_items(differ, path, &o, &u);
    let max = [
        MAX_ITEMS_ADDED,
        MAX_ITEMS_REMOVED,
        MAX_ITEMS_INCREASED,
        MAX_ITEMS_DECREASED,
    ];
    integer_bound(path, "maxItems", o.max_items, u.max_items, max);
    let min = [
        MIN_ITEMS_ADDED,
        MIN_ITEMS_REMOVED,
        MIN_ITEMS_INCREASED,
        MIN_ITEMS_DECREASED,
    ];
    integer_bound(path, "minItems", o.min_items, u.min_items, min);
    unique_items(path, o.unique_items, u.unique_items);
}

/// UNIQUE_ITEMS_ADDED / UNIQUE_ITEMS_REMOVED.
fn unique_items(path: &mut Path, original: bool, update: bool) {
    match (original, update) {
        (true, false) => path.add_at("uniqueItems", UNIQUE_ITEMS_REMOVED),
        (false, true) => path.add_at("uniqueItems", UNIQUE_ITEMS_ADDED),
        _ => {}
    }
}

/// ADDITIONAL_ITEMS_REMOVED (allowed → `false`), ADDED, NARROWED (a schema
/// where there was none), EXTENDED (the schema dropped), or the schemas'
/// own differences.
fn additional_items(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: &ArraySchema,
    update: &ArraySchema,
) {
    path.enter("additionalItems");
    if original.permits_additional != update.permits_additional {
        path.add(if original.permits_additional {
            ADDITIONAL_ITEMS_REMOVED
        } else {
            ADDITIONAL_ITEMS_ADDED
        });
    } else {
        match (original.additional_schema, update.additional_schema) {
            (None, Some(_)) => path.add(ADDITIONAL_ITEMS_NARROWED),
            (Some(_), None) => path.add(ADDITIONAL_ITEMS_EXTENDED),
            (o, u) => differ.compare(path, o, u),
        }
    }
    path.leave();
}

fn is_open(schema: &ArraySchema) -> bool {
    schema.additional_schema.is_none() && schema.permits_additional
}

/// Positional items: kept positions compare pairwise; removed and added
/// positions are judged against the content model.
fn item_list(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: &ArraySchema,
    update: &ArraySchema,
) {
    let empty = Vec::new();
    let o_items = original.item_schemas.as_ref().unwrap_or(&empty);
    let u_items = update.item_schemas.as_ref().unwrap_or(&empty);
    let shared = o_items.len().min(u_items.len());
    for index in 0..o_items.len().max(u_items.len()) {
        path.enter(format!("items/{index}"));
        if index < shared {
            differ.compare(path, Some(o_items[index]), Some(u_items[index]));
        } else if index < o_items.len() {
            item_removed(differ, path, o_items[index], update);
        } else {
            item_added(differ, path, original, u_items[index]);
        }
        path.leave();
    }
}

/// ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL, ITEM_REMOVED_IS_COVERED /
/// NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
/// ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
/// ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL (by the update's model).
fn item_removed(differ: &mut Differ<'_>, path: &mut Path, removed: NodeId, update: &ArraySchema) {
    if is_open(update) {
        return path.add(ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL);
    }
    if let Some(covering) = update.additional_schema {
        let mut trial = path.sub();
        differ.compare(&mut trial, Some(removed), Some(covering));
        let covered = trial.is_compatible();
        path.extend(trial);
        return path.add(if covered {
            ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
        } else {
            ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
        });
    }
    path.add(if matches!(differ.original(removed).kind, Kind::False) {
        ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
    } else {
        ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL
    });
}

/// ITEM_ADDED_TO_OPEN_CONTENT_MODEL, ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_
/// CONTENT_MODEL, ITEM_ADDED_IS_COVERED / NOT_COVERED_BY_PARTIALLY_OPEN_
/// CONTENT_MODEL, ITEM_ADDED_TO_CLOSED_CONTENT_MODEL (by the original's
/// model).
fn item_added(differ: &mut Differ<'_>, path: &mut Path, original: &ArraySchema, added: NodeId) {
    if is_open(original) {
        return path.add(
            if matches!(differ.update(added).kind, Kind::Empty | Kind::True) {
                ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
            } else {
                ITEM_ADDED_TO_OPEN_CONTENT_MODEL
            },
        );
    }
    if let Some(covering) = original.additional_schema {
        let mut trial = path.sub();
        differ.compare(&mut trial, Some(covering), Some(added));
        let covered = trial.is_compatible();
        path.extend(trial);
        return path.add(if covered {
            ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
        } else {
            ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
        });
    }
    path.add(ITEM_ADDED_TO_CLOSED_CONTENT_MODEL);
}
