//! `ObjectSchemaDiff`: `required`, properties against the content model,
//! dependencies, `additionalProperties`, and the property-count bounds.
//!
//! A content model is *open* when any further property is allowed (no
//! `patternProperties`, `additionalProperties` absent or `true`), *closed*
//! when `additionalProperties` is `false`, and *partially open* otherwise:
//! a property not listed must then match a pattern's or the
//! `additionalProperties` schema.

use super::context::{Differ, Path};
use super::string::integer_bound;
use super::DifferenceType::*;
use crate::json::java_hash::{hash_map_order, hash_set_union_order};
use crate::json::schema::{Kind, NodeId, ObjectSchema};
use std::collections::{HashMap, HashSet};

pub(super) fn compare(differ: &mut Differ<'_>, path: &mut Path, original: NodeId, update: NodeId) {
    let (Kind::Object(o), Kind::Object(u)) =
        (&differ.original(original).kind, &differ.update(update).kind)
    else {
        return;
    };
    let (o, u) = (o.clone(), u.clone());
    required(differ, path, &o, &u);
    properties(differ, path, &o, &u);
    dependencies(differ, path, &o, &u);
    additional_properties(differ, path, &o, &u);
    let max = [
        MAX_PROPERTIES_ADDED,
        MAX_PROPERTIES_REMOVED,
        MAX_PROPERTIES_INCREASED,
        MAX_PROPERTIES_DECREASED,
    ];
    integer_bound(
        path,
        "maxProperties",
        o.max_properties,
        u.max_properties,
        max,
    );
    let min = [
        MIN_PROPERTIES_ADDED,
        MIN_PROPERTIES_REMOVED,
        MIN_PROPERTIES_INCREASED,
        MIN_PROPERTIES_DECREASED,
    ];
    integer_bound(
        path,
        "minProperties",
        o.min_properties,
        u.min_properties,
        min,
    );
}

/// Properties and required names by name (the first definition wins), so
/// that wide objects compare in linear time.
struct Lookup<'a> {
    properties: HashMap<&'a str, NodeId>,
    required: HashSet<&'a str>,
}

impl<'a> Lookup<'a> {
    fn new(schema: &'a ObjectSchema) -> Self {
        let mut properties = HashMap::with_capacity(schema.properties.len());
        for (name, id) in &schema.properties {
            properties.entry(name.as_str()).or_insert(*id);
        }
        let required = schema.required.iter().map(String::as_str).collect();
        Self {
            properties,
            required,
        }
    }

    fn property(&self, name: &str) -> Option<NodeId> {
        self.properties.get(name).copied()
    }
}

fn names(schema: &ObjectSchema) -> Vec<&str> {
    hash_map_order(schema.properties.iter().map(|(name, _)| name.as_str()))
}

/// REQUIRED_ATTRIBUTE_ADDED (a kept property became required),
/// REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED (…but has a default),
/// REQUIRED_ATTRIBUTE_REMOVED.
fn required(differ: &Differ<'_>, path: &mut Path, original: &ObjectSchema, update: &ObjectSchema) {
    path.enter("required");
    let (original_lookup, update_lookup) = (Lookup::new(original), Lookup::new(update));
    for name in names(original) {
        let Some(update_property) = update_lookup.property(name) else {
            continue;
        };
        let was = original_lookup.required.contains(name);
        let is = update_lookup.required.contains(name);
        if was && !is {
            path.add_at(name, REQUIRED_ATTRIBUTE_REMOVED);
        } else if !was && is {
            if differ.update(update_property).default.is_some() {
                path.add_at(name, REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED);
            } else {
                path.add_at(name, REQUIRED_ATTRIBUTE_ADDED);
            }
        }
    }
    path.leave();
}

fn is_open(schema: &ObjectSchema) -> bool {
    schema.pattern_properties.is_empty()
        && schema.additional_schema.is_none()
        && schema.permits_additional
}

/// The schema a partially open model gives an unlisted property: the first
/// matching pattern's, else `additionalProperties`'.
fn covering_schema(schema: &ObjectSchema, name: &str) -> Option<NodeId> {
    schema
        .pattern_properties
        .iter()
        .find(|(_, regex, _)| regex.as_ref().is_some_and(|r| r.is_match(name)))
        .map(|(_, _, id)| *id)
        .or(schema.additional_schema)
}

/// Each property in either schema, in Confluent's (hash set) order.
fn properties(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: &ObjectSchema,
    update: &ObjectSchema,
) {
    path.enter("properties");
    let (original_lookup, update_lookup) = (Lookup::new(original), Lookup::new(update));
    for name in hash_set_union_order(names(original), names(update)) {
        path.enter(name);
        match (original_lookup.property(name), update_lookup.property(name)) {
            (Some(o), None) => property_removed(differ, path, o, update, name),
            (None, Some(u)) => property_added(differ, path, original, update, u, name),
            (o, u) => differ.compare(path, o, u),
        }
        path.leave();
    }
    path.leave();
}

/// PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL (fine: the update allows it
/// anyway), PROPERTY_REMOVED_IS_COVERED / NOT_COVERED_BY_PARTIALLY_OPEN_
/// CONTENT_MODEL, PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
/// PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL. Only the update's model
/// matters.
fn property_removed(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: NodeId,
    update: &ObjectSchema,
    name: &str,
) {
    if is_open(update) {
        return path.add(PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL);
    }
    if let Some(covering) = covering_schema(update, name) {
        let mut trial = path.sub();
        differ.compare(&mut trial, Some(original), Some(covering));
        let covered = trial.is_compatible();
        path.extend(trial);
        return path.add(if covered {
            PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
        } else {
            PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
        });
    }
    if matches!(differ.original(original).kind, Kind::False) {
        path.add(PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL);
    } else {
        path.add(PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL);
    }
}

/// PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL (old data may hold the property
/// with any value), PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL;
/// for other models PROPERTY_ADDED_IS_COVERED / NOT_COVERED_BY_PARTIALLY_
/// OPEN_CONTENT_MODEL, then REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
/// REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL or
/// OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL. Only the original's
/// model matters.
fn property_added(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: &ObjectSchema,
    update: &ObjectSchema,
    added: NodeId,
    name: &str,
) {
    if is_open(original) {
        return path.add(
            if matches!(differ.update(added).kind, Kind::Empty | Kind::True) {
                PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
            } else {
                PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL
            },
        );
    }
    if let Some(covering) = covering_schema(original, name) {
        let mut trial = path.sub();
        differ.compare(&mut trial, Some(covering), Some(added));
        let covered = trial.is_compatible();
        path.extend(trial);
        path.add(if covered {
            PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
        } else {
            PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
        });
    }
    if update.required.iter().any(|r| r == name) {
        if differ.update(added).default.is_some() {
            path.add(REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL);
        } else {
            path.add(REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
        }
    } else {
        path.add(OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
    }
}

/// DEPENDENCY_ARRAY_ADDED / REMOVED / EXTENDED / NARROWED / CHANGED for
/// property dependencies, DEPENDENCY_SCHEMA_ADDED / REMOVED (and the
/// schemas' own differences) for schema dependencies.
fn dependencies(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: &ObjectSchema,
    update: &ObjectSchema,
) {
    path.enter("dependencies");
    fn keys<T>(deps: &[(String, T)]) -> Vec<&str> {
        hash_map_order(deps.iter().map(|(k, _)| k.as_str()))
    }
    let lookup = |deps: &[(String, Vec<String>)], key: &str| {
        deps.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let (o_deps, u_deps) = (
        &original.property_dependencies,
        &update.property_dependencies,
    );
    for key in hash_set_union_order(keys(o_deps), keys(u_deps)) {
        let contains_all = |a: &[String], b: &[String]| b.iter().all(|x| a.contains(x));
        match (lookup(o_deps, key), lookup(u_deps, key)) {
            (_, None) => path.add_at(key, DEPENDENCY_ARRAY_REMOVED),
            (None, Some(_)) => path.add_at(key, DEPENDENCY_ARRAY_ADDED),
            (Some(o), Some(u)) => {
                if contains_all(&o, &u) && contains_all(&u, &o) {
                    continue;
                }
                if contains_all(&u, &o) {
                    path.add_at(key, DEPENDENCY_ARRAY_EXTENDED);
                } else if contains_all(&o, &u) {
                    path.add_at(key, DEPENDENCY_ARRAY_NARROWED);
                } else {
                    path.add_at(key, DEPENDENCY_ARRAY_CHANGED);
                }
            }
        }
    }
    let schema_of =
        |deps: &[(String, NodeId)], key: &str| deps.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
    let (o_deps, u_deps) = (&original.schema_dependencies, &update.schema_dependencies);
    for key in hash_set_union_order(keys(o_deps), keys(u_deps)) {
        path.enter(key);
        match (schema_of(o_deps, key), schema_of(u_deps, key)) {
            (_, None) => path.add(DEPENDENCY_SCHEMA_REMOVED),
            (None, Some(_)) => path.add(DEPENDENCY_SCHEMA_ADDED),
            (o, u) => differ.compare(path, o, u),
        }
        path.leave();
    }
    path.leave();
}

/// ADDITIONAL_PROPERTIES_ADDED (`false` → allowed), REMOVED (allowed →
/// `false`), NARROWED (a schema where there was none), EXTENDED (the
/// schema dropped), or the two schemas' own differences.
fn additional_properties(
    differ: &mut Differ<'_>,
    path: &mut Path,
    original: &ObjectSchema,
    update: &ObjectSchema,
) {
    path.enter("additionalProperties");
    if original.permits_additional != update.permits_additional {
        path.add(if update.permits_additional {
            ADDITIONAL_PROPERTIES_ADDED
        } else {
            ADDITIONAL_PROPERTIES_REMOVED
        });
    } else {
        match (original.additional_schema, update.additional_schema) {
            (None, Some(_)) => path.add(ADDITIONAL_PROPERTIES_NARROWED),
            (Some(_), None) => path.add(ADDITIONAL_PROPERTIES_EXTENDED),
            (o, u) => differ.compare(path, o, u),
        }
    }
    path.leave();
}
