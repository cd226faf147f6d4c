//! FIXED_SIZE_MISMATCH: a fixed type is read byte for byte, so sizes must agree.

use super::checker::{Checker, Token};
use super::incompatibility::{Incompatibility, IncompatibilityType};
use crate::avro::Fixed;

impl Checker<'_> {
    /// Java's `checkFixedSize`, at `<loc>/size`, detail `expected: <writer>, found: <reader>`.
    pub(super) fn fixed_size_mismatch(
        &mut self,
        reader: &Fixed,
        writer: &Fixed,
    ) -> Option<Incompatibility> {
        if reader.size == writer.size {
            return None;
        }
        let message = format!("expected: {}, found: {}", writer.size, reader.size);
        Some(self.within(Token::Size, |c| {
            c.report(IncompatibilityType::FixedSizeMismatch, message)
        }))
    }
}
