//! READER_FIELD_MISSING_DEFAULT_VALUE, and the pairing of reader fields with
//! writer fields by name or alias.

use super::checker::{Checker, Outcome, Token};
use super::incompatibility::{CheckAborted, IncompatibilityType};
use crate::avro::{canonical, Field, Kind, NodeId, Record};

impl<'a> Checker<'a> {
    /// Java's `checkReaderWriterRecordFields`: every reader field, at
    /// `<loc>/fields/<reader position>`, needs a writer field to read from
    /// or a default. Writer-only fields are skipped on read and never matter.
    pub(super) fn record_fields(&mut self, reader: &'a Record, writer: NodeId) -> Outcome {
        self.within(Token::Fields, |c| {
            let mut found = Vec::new();
            for (position, field) in reader.fields.iter().enumerate() {
                found.extend(c.within(Token::Index(position), |c| {
                    c.reader_field(field, position, writer)
                })?);
            }
            Ok(found)
        })
    }

    fn reader_field(&mut self, field: &Field, position: usize, writer: NodeId) -> Outcome {
        match self.matching_writer_field(field, position, writer)? {
            Some(writer_field) => self.visit(Token::Type, field.schema, writer_field),
            None if field.default.is_some() => Ok(Vec::new()),
            None if self.is_enum_with_default(field.schema) => {
                // Java's quirk: the enum is compared with the writer *record*,
                // which is always a TYPE_MISMATCH (ENUM vs RECORD).
                self.visit(Token::Type, field.schema, writer)
            }
            None => Ok(vec![self.report(
                IncompatibilityType::ReaderFieldMissingDefaultValue,
                field.name.clone(),
            )]),
        }
    }

    fn is_enum_with_default(&self, node: NodeId) -> bool {
        matches!(&self.reader.node(node).kind, Kind::Enum(e) if e.default.is_some())
    }

    /// Java's `lookupWriterField`: the writer field named like the reader
    /// field, plus one per reader alias naming a writer field. More than one
    /// match (even the same field twice) makes Java throw.
    fn matching_writer_field(
        &mut self,
        field: &Field,
        position: usize,
        writer: NodeId,
    ) -> Result<Option<NodeId>, CheckAborted> {
        let writer_record = match &self.writer.node(writer).kind {
            Kind::Record(record) => record,
            _ => unreachable!("record_fields is only called with a writer record"),
        };
        let same_position = writer_record.fields.get(position);
        if field.aliases.is_empty() {
            // Fast path for the usual case of unchanged field order.
            if let Some(f) = same_position.filter(|f| f.name == field.name) {
                return Ok(Some(f.schema));
            }
        }
        let mut matches = Vec::new();
        matches.extend(self.writer_field_position(writer, &field.name));
        for (i, alias) in field.aliases.iter().enumerate() {
            // Java keeps field aliases in a set: a repeated alias counts once.
            if field.aliases[..i].contains(alias) {
                continue;
            }
            matches.extend(self.writer_field_position(writer, alias));
        }
        match matches[..] {
            [] => Ok(None),
            [only] => Ok(Some(writer_record.fields[only].schema)),
            _ => Err(self.multiple_matches(field, position, writer)),
        }
    }

    /// The text of Java's `AvroRuntimeException`, which renders the reader
    /// field as `name type:TYPE pos:N` and the writer record as its JSON.
    fn multiple_matches(&self, field: &Field, position: usize, writer: NodeId) -> CheckAborted {
        CheckAborted {
            message: format!(
                "Reader record field {} type:{} pos:{} matches multiple fields in writer record schema {}",
                field.name,
                self.reader.node(field.schema).kind.type_name(),
                position,
                canonical::standalone_text(&self.writer.nodes, writer)
            ),
        }
    }
}
