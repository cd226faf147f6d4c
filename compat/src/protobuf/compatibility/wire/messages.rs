//! Message-level rules: deleted fields, required fields, reserved ranges
//! and names, JSON format.

use std::collections::BTreeSet;

use prost_reflect::{FieldDescriptor, MessageDescriptor};

use super::reserved::{missing_ranges, range_text};
use super::{Findings, JsonFormat, WireRule};

/// Field numbers go up to 2^29 - 1 (Buf prints the top as `max`).
const MAX_FIELD_NUMBER: i64 = (1 << 29) - 1;

pub(super) fn check(
    found: &mut Findings,
    previous: &MessageDescriptor,
    current: &MessageDescriptor,
) {
    for field in previous.fields() {
        if current.get_field(field.number()).is_none() {
            field_no_delete_unless_number_reserved(found, &field, current);
            field_no_delete_unless_name_reserved(found, &field, current);
        }
    }
    message_same_required_fields(found, previous, current);
    reserved_message_no_delete(found, previous, current);
    message_same_json_format(found, previous, current);
}

fn deleted_field_text(field: &FieldDescriptor) -> String {
    format!(
        "Previously present field '{}' with name '{}' on message '{}' was deleted",
        field.number(),
        field.name(),
        field.parent_message().name()
    )
}

/// `FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED`: a deleted field's number may
/// be reused with another type unless it is reserved.
fn field_no_delete_unless_number_reserved(
    found: &mut Findings,
    deleted: &FieldDescriptor,
    current: &MessageDescriptor,
) {
    let number = deleted.number();
    if !current
        .reserved_ranges()
        .any(|range| range.contains(&number))
    {
        found.add(
            WireRule::FieldNoDeleteUnlessNumberReserved,
            format!(
                "{} without reserving the number '{number}'",
                deleted_field_text(deleted)
            ),
        );
    }
}

/// `FIELD_NO_DELETE_UNLESS_NAME_RESERVED`: a deleted field's JSON key may
/// be reused unless its name is reserved.
fn field_no_delete_unless_name_reserved(
    found: &mut Findings,
    deleted: &FieldDescriptor,
    current: &MessageDescriptor,
) {
    if !current.reserved_names().any(|name| name == deleted.name()) {
        found.add(
            WireRule::FieldNoDeleteUnlessNameReserved,
            format!(
                "{} without reserving the name '{}'",
                deleted_field_text(deleted),
                deleted.name()
            ),
        );
    }
}

fn required_numbers(message: &MessageDescriptor) -> BTreeSet<u32> {
    message
        .fields()
        .filter(FieldDescriptor::is_required)
        .map(|field| field.number())
        .collect()
}

/// `MESSAGE_SAME_REQUIRED_FIELDS`: required fields are neither added nor
/// deleted (either side rejects data lacking them).
fn message_same_required_fields(
    found: &mut Findings,
    previous: &MessageDescriptor,
    current: &MessageDescriptor,
) {
    let before = required_numbers(previous);
    let after = required_numbers(current);
    for number in before.difference(&after) {
        found.add(
            WireRule::MessageSameRequiredFields,
            format!(
                "Message '{}' had required field '{number}' deleted",
                previous.name()
            ),
        );
    }
    for number in after.difference(&before) {
        found.add(
            WireRule::MessageSameRequiredFields,
            format!(
                "Message '{}' had required field '{number}' added",
                current.name()
            ),
        );
    }
}

/// `RESERVED_MESSAGE_NO_DELETE`.
fn reserved_message_no_delete(
    found: &mut Findings,
    previous: &MessageDescriptor,
    current: &MessageDescriptor,
) {
    let inclusive = |m: &MessageDescriptor| -> Vec<super::reserved::Range> {
        m.reserved_ranges()
            .map(|r| (i64::from(r.start), i64::from(r.end) - 1))
            .collect()
    };
    for (range, missing) in missing_ranges(&inclusive(previous), &inclusive(current)) {
        let removed: Vec<String> = missing
            .iter()
            .map(|&r| range_text(r, MAX_FIELD_NUMBER))
            .collect();
        found.add(
            WireRule::ReservedMessageNoDelete,
            format!(
                "Previously present reserved range '{}' on message '{}' is missing values: {} were removed",
                range_text(range, MAX_FIELD_NUMBER),
                current.name(),
                removed.join(", ")
            ),
        );
    }
    for name in previous.reserved_names() {
        if !current.reserved_names().any(|n| n == name) {
            found.add(
                WireRule::ReservedMessageNoDelete,
                format!(
                    "Previously present reserved name '{name}' on message '{}' was deleted",
                    current.name()
                ),
            );
        }
    }
}

/// `MESSAGE_SAME_JSON_FORMAT`: a proto3 message moved to proto2 loses
/// full JSON support.
fn message_same_json_format(
    found: &mut Findings,
    previous: &MessageDescriptor,
    current: &MessageDescriptor,
) {
    let before = JsonFormat::of(&previous.parent_file());
    let after = JsonFormat::of(&current.parent_file());
    if JsonFormat::lost(before, after) {
        found.add(
            WireRule::MessageSameJsonFormat,
            format!(
                "Message '{}' JSON format support changed from {} to {}",
                current.name(),
                before.as_str(),
                after.as_str()
            ),
        );
    }
}
