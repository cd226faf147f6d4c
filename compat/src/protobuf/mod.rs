//! Protobuf: `.proto` text compiled in process (protox), inspected through
//! prost-reflect descriptors; Confluent's canonical text and normal form;
//! compatibility as Confluent decides it, and optionally Buf's wire rules.
//!
//! Canonical text follows Confluent 7.9, which re-prints Wire's parse of
//! the source: names, labels and options as written, comments dropped.
//! protox's parse (before it resolves names) keeps exactly that, so the
//! printer works from it, and takes fully qualified names from the
//! compiled file when normalizing.

mod bundled;
pub mod compatibility;
mod elements;
mod options;
mod parse;
mod print;
mod serialized;
mod standard;

use std::sync::Arc;

use prost_reflect::FileDescriptor;
use prost_types::FileDescriptorProto;

use crate::{ParseError, Referenced};
use elements::{Builder, FileElement};
use print::Format;

/// A parsed `.proto` file, with every file it imports resolved.
#[derive(Clone, Debug)]
pub struct ProtobufSchema {
    /// The schema's own file; its dependencies are reachable through it.
    pub file: FileDescriptor,
    /// The file as written: protox's parse of the source (type names as
    /// written, options uninterpreted), or the descriptor as sent.
    written: Arc<FileDescriptorProto>,
    /// Whether `written` came from source text rather than a descriptor.
    from_source: bool,
    /// Imports of the schema that nothing provides (unused, or parsing
    /// would have failed).
    unresolved_imports: Arc<[String]>,
}

impl ProtobufSchema {
    /// Parses `.proto` text (or a base64 `FileDescriptorProto`, as
    /// Confluent's clients send it); `references` are the imported files by
    /// import path.
    pub fn parse(text: &str, references: &[Referenced<'_>]) -> Result<Self, ParseError> {
        let schema = Self::compiled(parse::compile(text, references)?);
        if !schema.from_source {
            // A descriptor is checked less than source text (names need not
            // be identifiers, e.g.): the text stored for it must compile,
            // and to the same text.
            let canonical = schema.canonical_text();
            let reprinted = parse::compile(&canonical, references)
                .map(|compiled| Self::compiled(compiled).canonical_text())
                .map_err(|e| e.message);
            if reprinted.as_ref() != Ok(&canonical) {
                let why = match reprinted {
                    Err(message) => message
                        .trim_start_matches("Could not parse Protobuf - ")
                        .to_string(),
                    Ok(_) => "it reads back differently".to_string(),
                };
                return Err(ParseError::new(format!(
                    "Could not parse Protobuf - the descriptor does not print as valid .proto \
                     source: {why}"
                )));
            }
        }
        Ok(schema)
    }

    fn compiled(compiled: parse::Compiled) -> Self {
        Self {
            file: compiled.file,
            written: Arc::new(compiled.written),
            from_source: compiled.from_source,
            unresolved_imports: compiled.unresolved_imports.into(),
        }
    }

    /// Confluent's re-printed `.proto` text (spec §7.3).
    pub fn canonical_text(&self) -> String {
        print::file(Format::default(), &self.elements())
    }

    /// The text stored under `normalize=true` (spec §4.5).
    pub fn normalized_text(&self) -> Result<String, ParseError> {
        let format = Format {
            normalize: true,
            ignore_extensions: false,
        };
        Ok(print::file(format, &self.elements()))
    }

    /// The schema in an output `format` (`serialized`, `ignore_extensions`);
    /// `None` for a format Protobuf does not have.
    pub fn formatted(&self, format: &str) -> Option<String> {
        match format {
            "serialized" => Some(serialized::serialized(self)),
            "ignore_extensions" => {
                let format = Format {
                    normalize: false,
                    ignore_extensions: true,
                };
                Some(print::file(format, &self.elements()))
            }
            _ => None,
        }
    }

    fn elements(&self) -> FileElement {
        let builder = Builder::new(&self.written, self.from_source, self.file.parent_pool());
        builder.file(&self.written, self.file.file_descriptor_proto())
    }
}
