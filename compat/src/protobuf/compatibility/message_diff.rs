//! Confluent's `MessageSchemaDiff`: a message's fields by tag across the
//! whole message (oneof members included), the oneof regrouping checks,
//! then its nested types.

use std::collections::{BTreeMap, BTreeSet};

use prost_reflect::{FieldDescriptor, MessageDescriptor};

use super::context::Context;
use super::difference::DifferenceType;
use super::field_diff::{self, Label};
use super::schema_diff::{self, Scope};

/// A field as Confluent indexes it: by tag, with its oneof's name.
struct Member {
    field: FieldDescriptor,
    oneof: Option<String>,
}

/// A message's fields and real (not proto3-`optional`) oneofs.
struct Body {
    by_tag: BTreeMap<u32, Member>,
    /// Oneof name → member tags, in declaration order.
    oneofs: Vec<(String, Vec<u32>)>,
}

impl Body {
    /// Proto2 group fields are not fields to Confluent's parser.
    fn of(message: &MessageDescriptor) -> Self {
        let by_tag = message
            .fields()
            .filter(|field| !field.is_group())
            .map(|field| {
                let oneof = real_oneof(&field);
                (field.number(), Member { field, oneof })
            })
            .collect();
        let oneofs = message
            .oneofs()
            .filter(|oneof| !oneof.is_synthetic())
            .map(|oneof| {
                let tags = oneof
                    .fields()
                    .filter(|field| !field.is_group())
                    .map(|field| field.number())
                    .collect();
                (oneof.name().to_string(), tags)
            })
            .collect();
        Self { by_tag, oneofs }
    }

    fn has_oneof(&self, name: &str) -> bool {
        self.oneofs.iter().any(|(n, _)| n == name)
    }

    fn oneof_of(&self, tag: u32) -> Option<&str> {
        self.by_tag.get(&tag).and_then(|m| m.oneof.as_deref())
    }
}

pub(super) fn real_oneof(field: &FieldDescriptor) -> Option<String> {
    field
        .containing_oneof()
        .filter(|oneof| !oneof.is_synthetic())
        .map(|oneof| oneof.name().to_string())
}

pub(super) fn compare(
    ctx: &mut Context<'_>,
    original: &MessageDescriptor,
    update: &MessageDescriptor,
) {
    ctx.guarded(original, |ctx| {
        compare_bodies(ctx, &Body::of(original), &Body::of(update))
    });
    schema_diff::compare_types(
        ctx,
        &Scope::of_message(original),
        &Scope::of_message(update),
    );
}

fn compare_bodies(ctx: &mut Context<'_>, original: &Body, update: &Body) {
    for (name, tags) in &update.oneofs {
        if let Some(kind) = oneof_regrouping(tags, original) {
            ctx.add_at(&[name], kind);
        }
    }
    let oneof_names: BTreeSet<&str> = original
        .oneofs
        .iter()
        .chain(&update.oneofs)
        .map(|(name, _)| name.as_str())
        .collect();
    for name in oneof_names {
        if !update.has_oneof(name) {
            ctx.add_at(&[name], DifferenceType::OneofRemoved);
        } else if !original.has_oneof(name) {
            ctx.add_at(&[name], DifferenceType::OneofAdded);
        }
    }
    let deleted = completely_deleted_oneofs(original, update);
    let tags: BTreeSet<u32> = original
        .by_tag
        .keys()
        .chain(update.by_tag.keys())
        .copied()
        .collect();
    for tag in tags {
        let number = tag.to_string();
        match (original.by_tag.get(&tag), update.by_tag.get(&tag)) {
            (Some(o), None) => match &o.oneof {
                Some(oneof) if !deleted.contains(oneof.as_str()) => {
                    ctx.add_at(&[oneof, &number], DifferenceType::OneofFieldRemoved)
                }
                Some(_) => {}
                None => ctx.add_at(&[&number], field_removed(&o.field)),
            },
            (None, Some(u)) => match &u.oneof {
                Some(oneof) => ctx.add_at(&[oneof, &number], DifferenceType::OneofFieldAdded),
                None => ctx.add_at(&[&number], field_added(&u.field)),
            },
            (Some(o), Some(u)) => {
                if oneof_field_moved_to_top_level(o, u) {
                    ctx.add_at(&[&number], DifferenceType::OneofFieldMovedToTopLevel);
                }
                match &u.oneof {
                    Some(oneof) => ctx.within(oneof, |ctx| {
                        ctx.within(&number, |ctx| field_diff::compare(ctx, &o.field, &u.field))
                    }),
                    None => ctx.within(&number, |ctx| field_diff::compare(ctx, &o.field, &u.field)),
                }
            }
            (None, None) => unreachable!("tag comes from one of the bodies"),
        }
    }
}

/// `MULTIPLE_FIELDS_MOVED_TO_ONEOF` / `FIELD_MOVED_TO_EXISTING_ONEOF`: the
/// members of an updated oneof that already existed come from more than
/// one original group (each top-level field is a group of its own, each
/// original oneof one group), so formerly independent fields now exclude
/// each other. Brand-new members do not count.
fn oneof_regrouping(update_tags: &[u32], original: &Body) -> Option<DifferenceType> {
    let mut groups = BTreeSet::new();
    let mut moved_from_top_level = 0;
    for &tag in update_tags {
        if let Some(oneof) = original.oneof_of(tag) {
            groups.insert(format!("oneof:{oneof}"));
        } else if original.by_tag.contains_key(&tag) {
            groups.insert(format!("field:{tag}"));
            moved_from_top_level += 1;
        }
    }
    if groups.len() <= 1 {
        None
    } else if moved_from_top_level > 1 {
        Some(DifferenceType::MultipleFieldsMovedToOneof)
    } else {
        Some(DifferenceType::FieldMovedToExistingOneof)
    }
}

/// Original oneofs gone by name with no member left anywhere: deleting a
/// whole oneof is not reported member by member.
fn completely_deleted_oneofs<'b>(original: &'b Body, update: &Body) -> BTreeSet<&'b str> {
    original
        .oneofs
        .iter()
        .filter(|(name, tags)| {
            !update.has_oneof(name) && !tags.iter().any(|tag| update.by_tag.contains_key(tag))
        })
        .map(|(name, _)| name.as_str())
        .collect()
}

/// `REQUIRED_FIELD_REMOVED` for a proto2 `required` field, else `FIELD_REMOVED`.
fn field_removed(field: &FieldDescriptor) -> DifferenceType {
    if field_diff::label(field) == Some(Label::Required) {
        DifferenceType::RequiredFieldRemoved
    } else {
        DifferenceType::FieldRemoved
    }
}

/// `REQUIRED_FIELD_ADDED` for a proto2 `required` field, else `FIELD_ADDED`.
fn field_added(field: &FieldDescriptor) -> DifferenceType {
    if field_diff::label(field) == Some(Label::Required) {
        DifferenceType::RequiredFieldAdded
    } else {
        DifferenceType::FieldAdded
    }
}

/// `ONEOF_FIELD_MOVED_TO_TOP_LEVEL`: a oneof member is now a plain field.
fn oneof_field_moved_to_top_level(original: &Member, update: &Member) -> bool {
    original.oneof.is_some() && update.oneof.is_none()
}
