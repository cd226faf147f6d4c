//! NAME_MISMATCH: records, enums and fixed types must carry the same name,
//! or the reader must list the writer's name among its aliases.

use super::checker::{Checker, Token};
use super::incompatibility::{Incompatibility, IncompatibilityType};
use crate::avro::Name;

impl Checker<'_> {
    /// Java's `checkSchemaNames`, reported at `<loc>/name` with the writer's
    /// full name as the detail.
    pub(super) fn name_mismatch(
        &mut self,
        reader: &Name,
        reader_aliases: &[String],
        writer: &Name,
    ) -> Option<Incompatibility> {
        if names_match(reader, reader_aliases, writer) {
            return None;
        }
        let message = format!("expected: {}", writer.full_name());
        Some(self.within(Token::Name, |c| {
            c.report(IncompatibilityType::NameMismatch, message)
        }))
    }
}

/// Java's `schemaNameEquals` (Avro ≥ 1.9.1): unqualified names are compared,
/// so a namespace-only change is compatible; otherwise one of the *reader's*
/// aliases, qualified with the reader's namespace, must be the writer's full
/// name. Writer aliases never count.
pub(super) fn names_match(reader: &Name, reader_aliases: &[String], writer: &Name) -> bool {
    if reader.name == writer.name {
        return true;
    }
    let writer_full = writer.full_name();
    reader_aliases
        .iter()
        .any(|alias| qualified_alias(alias, reader.namespace.as_deref()) == writer_full)
}

/// Java's `Name(alias, space)`: a dotted alias is already full (a leading dot
/// means the null namespace); an undotted one takes the named type's namespace.
fn qualified_alias(alias: &str, namespace: Option<&str>) -> String {
    match alias.rfind('.') {
        Some(0) => alias[1..].to_string(),
        Some(_) => alias.to_string(),
        None => match namespace {
            Some(ns) if !ns.is_empty() => format!("{ns}.{alias}"),
            _ => alias.to_string(),
        },
    }
}
