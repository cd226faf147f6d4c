//! MISSING_ENUM_SYMBOLS: every symbol the writer can write must be known to
//! the reader, unless the reader has an enum default to fall back on.

use std::collections::{BTreeSet, HashSet};

use super::checker::{Checker, Token};
use super::incompatibility::{Incompatibility, IncompatibilityType};
use crate::avro::Enum;

impl Checker<'_> {
    /// Java's `checkReaderEnumContainsAllWriterEnumSymbols`, at
    /// `<loc>/symbols`; the detail is the sorted missing set, `[C, D]`.
    /// Only the reader's default matters; the writer's is irrelevant.
    pub(super) fn missing_enum_symbols(
        &mut self,
        reader: &Enum,
        writer: &Enum,
    ) -> Option<Incompatibility> {
        let known: HashSet<&str> = reader.symbols.iter().map(String::as_str).collect();
        let missing: BTreeSet<&str> = writer
            .symbols
            .iter()
            .map(String::as_str)
            .filter(|symbol| !known.contains(symbol))
            .collect();
        if missing.is_empty() || reader_default_absorbs_unknown_symbols(reader) {
            return None;
        }
        let message = format!("[{}]", missing.into_iter().collect::<Vec<_>>().join(", "));
        Some(self.within(Token::Symbols, |c| {
            c.report(IncompatibilityType::MissingEnumSymbols, message)
        }))
    }
}

/// An enum default that is one of the reader's own symbols replaces any
/// symbol the reader does not know.
fn reader_default_absorbs_unknown_symbols(reader: &Enum) -> bool {
    reader
        .default
        .as_ref()
        .is_some_and(|default| reader.symbols.contains(default))
}
