//! TYPE_MISMATCH: different non-union types, unless the writer's value can be
//! promoted to the reader's type (Avro spec, "Schema Resolution").

use super::checker::Checker;
use super::incompatibility::{Incompatibility, IncompatibilityType};
use crate::avro::Kind;

impl Checker<'_> {
    /// Reader and writer have different types and neither is a union: fine
    /// for a promotion, otherwise one TYPE_MISMATCH at the current location.
    pub(super) fn type_mismatch(&self, reader: &Kind, writer: &Kind) -> Vec<Incompatibility> {
        if is_promotion(writer, reader) {
            return Vec::new();
        }
        let message = format!(
            "reader type: {} not compatible with writer type: {}",
            reader.type_name(),
            writer.type_name()
        );
        vec![self.report(IncompatibilityType::TypeMismatch, message)]
    }
}

/// The writer → reader promotions of the spec: int to long/float/double,
/// long to float/double, float to double, and string ↔ bytes.
pub(super) fn is_promotion(writer: &Kind, reader: &Kind) -> bool {
    matches!(
        (writer, reader),
        (Kind::Int, Kind::Long | Kind::Float | Kind::Double)
            | (Kind::Long, Kind::Float | Kind::Double)
            | (Kind::Float, Kind::Double)
            | (Kind::String, Kind::Bytes)
            | (Kind::Bytes, Kind::String)
    )
}
