//! Enum-level rules: deleted values, renamed values, reserved ranges and
//! names, JSON format.

use std::collections::{BTreeMap, BTreeSet};

use prost_reflect::EnumDescriptor;

use super::reserved::{missing_ranges, range_text};
use super::{Findings, JsonFormat, WireRule};

const MAX_ENUM_NUMBER: i64 = i32::MAX as i64;

/// Number → the names (aliases) carrying it.
fn names_by_number(enumeration: &EnumDescriptor) -> BTreeMap<i32, BTreeSet<String>> {
    let mut names: BTreeMap<i32, BTreeSet<String>> = BTreeMap::new();
    for value in enumeration.values() {
        names
            .entry(value.number())
            .or_default()
            .insert(value.name().to_string());
    }
    names
}

fn quoted(names: &BTreeSet<String>) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn check(found: &mut Findings, previous: &EnumDescriptor, current: &EnumDescriptor) {
    let before = names_by_number(previous);
    let after = names_by_number(current);
    for (number, names) in &before {
        match after.get(number) {
            None => {
                enum_value_no_delete_unless_number_reserved(found, *number, current);
                enum_value_no_delete_unless_name_reserved(found, *number, names, current);
            }
            Some(current_names) => {
                enum_value_same_name(found, *number, names, current_names, current)
            }
        }
    }
    reserved_enum_no_delete(found, previous, current);
    enum_same_json_format(found, previous, current);
}

/// `ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED`.
fn enum_value_no_delete_unless_number_reserved(
    found: &mut Findings,
    number: i32,
    current: &EnumDescriptor,
) {
    if !current
        .reserved_ranges()
        .any(|range| range.contains(&number))
    {
        found.add(
            WireRule::EnumValueNoDeleteUnlessNumberReserved,
            format!(
                "Previously present enum value '{number}' on enum '{}' was deleted without reserving the number '{number}'",
                current.name()
            ),
        );
    }
}

/// `ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED`: every name of the deleted
/// number must be reserved.
fn enum_value_no_delete_unless_name_reserved(
    found: &mut Findings,
    number: i32,
    names: &BTreeSet<String>,
    current: &EnumDescriptor,
) {
    if !names
        .iter()
        .all(|name| current.reserved_names().any(|r| r == name))
    {
        let plural = if names.len() > 1 { "s" } else { "" };
        found.add(
            WireRule::EnumValueNoDeleteUnlessNameReserved,
            format!(
                "Previously present enum value '{number}' on enum '{}' was deleted without reserving the name{plural} {}",
                current.name(),
                quoted(names)
            ),
        );
    }
}

/// `ENUM_VALUE_SAME_NAME`: every current name of a number was a name of
/// it before (JSON carries enum values by name).
fn enum_value_same_name(
    found: &mut Findings,
    number: i32,
    previous_names: &BTreeSet<String>,
    current_names: &BTreeSet<String>,
    current: &EnumDescriptor,
) {
    if !current_names.is_subset(previous_names) {
        found.add(
            WireRule::EnumValueSameName,
            format!(
                "Enum value '{number}' on enum '{}' changed name from {} to {}",
                current.name(),
                quoted(previous_names),
                quoted(current_names)
            ),
        );
    }
}

/// `RESERVED_ENUM_NO_DELETE`.
fn reserved_enum_no_delete(
    found: &mut Findings,
    previous: &EnumDescriptor,
    current: &EnumDescriptor,
) {
    let inclusive = |e: &EnumDescriptor| -> Vec<super::reserved::Range> {
        e.reserved_ranges()
            .map(|r| (i64::from(*r.start()), i64::from(*r.end())))
            .collect()
    };
    for (range, missing) in missing_ranges(&inclusive(previous), &inclusive(current)) {
        let removed: Vec<String> = missing
            .iter()
            .map(|&r| range_text(r, MAX_ENUM_NUMBER))
            .collect();
        found.add(
            WireRule::ReservedEnumNoDelete,
            format!(
                "Previously present reserved range '{}' on enum '{}' is missing values: {} were removed",
                range_text(range, MAX_ENUM_NUMBER),
                current.name(),
                removed.join(", ")
            ),
        );
    }
    for name in previous.reserved_names() {
        if !current.reserved_names().any(|n| n == name) {
            found.add(
                WireRule::ReservedEnumNoDelete,
                format!(
                    "Previously present reserved name '{name}' on enum '{}' was deleted",
                    current.name()
                ),
            );
        }
    }
}

/// `ENUM_SAME_JSON_FORMAT`.
fn enum_same_json_format(
    found: &mut Findings,
    previous: &EnumDescriptor,
    current: &EnumDescriptor,
) {
    let before = JsonFormat::of(&previous.parent_file());
    let after = JsonFormat::of(&current.parent_file());
    if JsonFormat::lost(before, after) {
        found.add(
            WireRule::EnumSameJsonFormat,
            format!(
                "Enum '{}' JSON format support changed from {} to {}",
                current.name(),
                before.as_str(),
                after.as_str()
            ),
        );
    }
}
