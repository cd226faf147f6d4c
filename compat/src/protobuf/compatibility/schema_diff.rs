//! Confluent's `SchemaDiff`: the file's package and the message and enum
//! types of a scope (the file, or a message's nested types), keyed by
//! simple name.

use prost_reflect::{EnumDescriptor, FileDescriptor, MessageDescriptor};

use super::context::Context;
use super::difference::DifferenceType;
use super::java_hash::JavaHashSet;
use super::{enum_diff, message_diff};

/// The messages and enums declared directly in a file or a message, as
/// Confluent's `.proto` parser sees them: without the messages protoc
/// generates for `map<>` fields and proto2 groups.
pub(super) struct Scope {
    messages: Vec<MessageDescriptor>,
    enums: Vec<EnumDescriptor>,
}

impl Scope {
    pub(super) fn of_file(file: &FileDescriptor) -> Self {
        Self {
            messages: file.messages().filter(is_declared_message).collect(),
            enums: file.enums().collect(),
        }
    }

    pub(super) fn of_message(message: &MessageDescriptor) -> Self {
        Self {
            messages: message
                .child_messages()
                .filter(is_declared_message)
                .collect(),
            enums: message.child_enums().collect(),
        }
    }

    /// The message named `name` and its index among the scope's messages.
    fn message(&self, name: &str) -> Option<(usize, &MessageDescriptor)> {
        self.messages
            .iter()
            .enumerate()
            .find(|(_, m)| m.name() == name)
    }

    fn enumeration(&self, name: &str) -> Option<&EnumDescriptor> {
        self.enums.iter().find(|e| e.name() == name)
    }
}

fn is_declared_message(message: &MessageDescriptor) -> bool {
    !message.is_map_entry() && !is_group_type(message)
}

fn is_group_type(message: &MessageDescriptor) -> bool {
    message.parent_message().is_some_and(|parent| {
        parent.fields().any(|field| {
            field.is_group()
                && field
                    .kind()
                    .as_message()
                    .is_some_and(|m| m.full_name() == message.full_name())
        })
    })
}

pub(super) fn compare_files(
    ctx: &mut Context<'_>,
    original: &FileDescriptor,
    update: &FileDescriptor,
) {
    if package_changed(original, update) {
        ctx.add(DifferenceType::PackageChanged);
    }
    compare_types(ctx, &Scope::of_file(original), &Scope::of_file(update));
}

/// `PACKAGE_CHANGED`: an absent package differs from any package.
fn package_changed(original: &FileDescriptor, update: &FileDescriptor) -> bool {
    original.package_name() != update.package_name()
}

/// Messages first, then enums, each in the order Java's `HashSet` of
/// their names yields.
pub(super) fn compare_types(ctx: &mut Context<'_>, original: &Scope, update: &Scope) {
    let message_names = union_in_java_order(
        original.messages.iter().map(MessageDescriptor::name),
        update.messages.iter().map(MessageDescriptor::name),
    );
    for name in message_names {
        ctx.within(name, |ctx| {
            match (original.message(name), update.message(name)) {
                (Some(_), None) => ctx.add(DifferenceType::MessageRemoved),
                (None, Some(_)) => ctx.add(DifferenceType::MessageAdded),
                (Some((original_index, o)), Some((update_index, u))) => {
                    message_diff::compare(ctx, o, u);
                    if message_moved(original_index, update_index) {
                        ctx.add(DifferenceType::MessageMoved);
                    }
                }
                (None, None) => unreachable!("name comes from one of the scopes"),
            }
        });
    }
    let enum_names = union_in_java_order(
        original.enums.iter().map(EnumDescriptor::name),
        update.enums.iter().map(EnumDescriptor::name),
    );
    for name in enum_names {
        ctx.within(name, |ctx| {
            match (original.enumeration(name), update.enumeration(name)) {
                (Some(_), None) => ctx.add(DifferenceType::EnumRemoved),
                (None, Some(_)) => ctx.add(DifferenceType::EnumAdded),
                (Some(o), Some(u)) => enum_diff::compare(ctx, o, u),
                (None, None) => unreachable!("name comes from one of the scopes"),
            }
        });
    }
}

/// `MESSAGE_MOVED`: the message's index among its scope's messages (what
/// the wire header's message indexes count) changed.
fn message_moved(original_index: usize, update_index: usize) -> bool {
    original_index != update_index
}

/// Confluent's `new HashSet<>(originalMap.keySet())` then
/// `addAll(updateMap.keySet())`, each map filled in declaration order.
fn union_in_java_order<'a>(
    original: impl Iterator<Item = &'a str>,
    update: impl Iterator<Item = &'a str>,
) -> Vec<&'a str> {
    let mut original_map = JavaHashSet::new();
    original.for_each(|name| original_map.insert(name));
    let mut update_map = JavaHashSet::new();
    update.for_each(|name| update_map.insert(name));
    let mut all = JavaHashSet::copy_of(&original_map);
    for name in update_map.iteration_order() {
        all.insert(name);
    }
    all.iteration_order()
}
