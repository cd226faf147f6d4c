//! Compiling a schema with protox: references and Confluent's bundled files
//! served from memory, a base64 `FileDescriptorProto` accepted in place of
//! source text, and compiler errors turned into Confluent-like messages.

use std::collections::HashMap;

use base64::Engine;
use miette::Diagnostic;
use prost::Message;
use prost_reflect::FileDescriptor;
use prost_types::FileDescriptorProto;
use protox::file::{File, FileResolver, GoogleFileResolver};
use protox::Compiler;

use super::bundled;
use crate::{ParseError, Referenced};

/// The name the schema's own file gets when written as source text.
pub(super) const MAIN_FILE: &str = "default";

/// Deeper `{`/`[` nesting is refused before compiling: protox and
/// prost-reflect recurse on nested option values, and a hostile schema must
/// not overflow the stack. Real schemas stay far below (protox itself
/// limits message nesting to 31).
const MAX_NESTING: usize = 64;

/// Files with more statements are refused before compiling: protox's work
/// grows faster than linearly with a message's field count (20,000 fields
/// take seconds), and a 4 MiB body could hold ten times that.
const MAX_STATEMENTS: usize = 25_000;

/// Longer import chains are refused: protox opens imports recursively, and
/// a chain of thousands of references would overflow the stack.
const MAX_IMPORT_DEPTH: usize = 64;

/// What parsing yields: the compiled file and the file as written.
pub(super) struct Compiled {
    pub file: FileDescriptor,
    pub written: FileDescriptorProto,
    pub from_source: bool,
    /// Imports nothing provides, compiled as empty files.
    pub unresolved_imports: Vec<String>,
}

/// Parses `text` (source, or base64 of a `FileDescriptorProto`).
pub(super) fn compile(text: &str, references: &[Referenced<'_>]) -> Result<Compiled, ParseError> {
    let sources = Sources::new(text, references);
    check_nesting_for(MAIN_FILE, text)?;
    let (main, from_source) = match File::from_source(MAIN_FILE, text) {
        Ok(file) => (file, true),
        Err(err) => match decode_descriptor(text) {
            Some(file) => (file, false),
            None => return Err(sources.error(&err)),
        },
    };
    let written = main.file_descriptor_proto().clone();
    let main_name = written.name().to_string();
    let parsed: HashMap<String, File> = references
        .iter()
        .filter_map(|r| Some((r.name.to_string(), reference_file(r.name, r.text).ok()?)))
        .collect();
    check_import_depth(&written, &parsed)?;
    let resolver = Resolver {
        main_name: main_name.clone(),
        main,
        references: references
            .iter()
            .map(|r| (r.name.to_string(), r.text.to_string()))
            .collect(),
        parsed,
        stub_missing: false,
    };
    let (file, unresolved_imports) = match build(resolver.clone(), &main_name) {
        Ok(file) => (file, Vec::new()),
        // Confluent ignores an import it cannot resolve while nothing from
        // it is used: retry with empty stand-ins, else report the import.
        Err(err) if err.is_file_not_found() => {
            let unresolved = written
                .dependency
                .iter()
                .filter(|name| resolver.open_file(name).is_err())
                .cloned()
                .collect();
            let stubbed = Resolver {
                stub_missing: true,
                ..resolver
            };
            let file = build(stubbed, &main_name)
                // Confluent never opens imports: a type from the missing
                // file is what it reports, as unresolved.
                .map_err(|retried| with_unresolved_type(sources.error(&err), &retried))?;
            (file, unresolved)
        }
        Err(err) => return Err(sources.error(&err)),
    };
    Ok(Compiled {
        file,
        written,
        from_source,
        unresolved_imports,
    })
}

/// Compiles `main_name` and everything it imports.
fn build(resolver: Resolver, main_name: &str) -> Result<FileDescriptor, protox::Error> {
    let mut compiler = Compiler::with_file_resolver(resolver);
    compiler.include_imports(true);
    compiler.include_source_info(false);
    compiler.open_file(main_name)?;
    let pool = compiler.descriptor_pool();
    pool.get_file_by_name(main_name)
        .ok_or_else(|| protox::Error::file_not_found(main_name))
}

/// Text that is not `.proto` source but base64 of a descriptor (as the
/// confluent-kafka clients register schemas). Its name is kept: protox
/// compiles the encoded bytes, which carry it.
fn decode_descriptor(text: &str) -> Option<File> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()?;
    let descriptor = FileDescriptorProto::decode(bytes.as_slice())
        .ok()
        .filter(known_syntax)?;
    if descriptor.name().is_empty() {
        let named = FileDescriptorProto {
            name: Some(MAIN_FILE.to_string()),
            ..descriptor
        };
        return File::decode_file_descriptor_proto(named.encode_to_vec().as_slice()).ok();
    }
    File::decode_file_descriptor_proto(bytes.as_slice()).ok()
}

/// Descriptors with another `syntax` are refused before prost-reflect sees
/// them: it panics reporting an unknown syntax (0.16.5, `NameVisitor`
/// labels the file before adding it), and Confluent 7.9 knows no other.
fn known_syntax(descriptor: &FileDescriptorProto) -> bool {
    matches!(
        descriptor.syntax.as_deref(),
        None | Some("proto2" | "proto3")
    )
}

/// Serves the schema, its references (by import path) and the bundled
/// files; optionally an empty file for anything else.
#[derive(Clone)]
struct Resolver {
    main_name: String,
    main: File,
    references: HashMap<String, String>,
    /// The references that parse, parsed once (also for the depth check).
    parsed: HashMap<String, File>,
    stub_missing: bool,
}

impl FileResolver for Resolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        if name == self.main_name {
            return Ok(self.main.clone());
        }
        if let Some(file) = self.parsed.get(name) {
            return Ok(file.clone());
        }
        if let Some(text) = self.references.get(name) {
            return reference_file(name, text);
        }
        if let Some(text) = bundled::source(name) {
            return File::from_source(name, text);
        }
        match GoogleFileResolver::new().open_file(name) {
            Err(err) if err.is_file_not_found() && self.stub_missing => File::from_source(name, ""),
            found => found,
        }
    }
}

/// A referenced schema: source text, or a base64 descriptor renamed to
/// the import path it is referenced by.
fn reference_file(name: &str, text: &str) -> Result<File, protox::Error> {
    check_nesting_for(name, text).map_err(|e| protox::Error::new(e.message))?;
    match File::from_source(name, text) {
        Ok(file) => Ok(file),
        Err(err) => {
            let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim());
            let descriptor = bytes
                .ok()
                .and_then(|b| FileDescriptorProto::decode(b.as_slice()).ok())
                .filter(known_syntax);
            match descriptor {
                Some(descriptor) => Ok(File::from_file_descriptor_proto(FileDescriptorProto {
                    name: Some(name.to_string()),
                    ..descriptor
                })),
                None => Err(err),
            }
        }
    }
}

/// Refuses import chains (through the references) longer than
/// [`MAX_IMPORT_DEPTH`], walking them without recursion.
fn check_import_depth(
    main: &FileDescriptorProto,
    parsed: &HashMap<String, File>,
) -> Result<(), ParseError> {
    let imports = |name: &str| -> Vec<String> {
        parsed
            .get(name)
            .map(|f| f.file_descriptor_proto().dependency.clone())
            .unwrap_or_default()
    };
    let mut depth: HashMap<String, usize> = HashMap::new();
    for root in &main.dependency {
        // (file, whether its imports have been pushed already)
        let mut stack = vec![(root.clone(), false)];
        while let Some((name, expanded)) = stack.pop() {
            if depth.contains_key(&name) && !expanded {
                continue;
            }
            if expanded {
                let deepest = imports(&name)
                    .iter()
                    .map(|d| depth.get(d).copied().unwrap_or(0))
                    .max()
                    .unwrap_or(0);
                if deepest + 1 > MAX_IMPORT_DEPTH {
                    return Err(ParseError::new(format!(
                        "Could not parse Protobuf - imports nest deeper than \
                         {MAX_IMPORT_DEPTH} files (through '{name}')"
                    )));
                }
                depth.insert(name, deepest + 1);
                continue;
            }
            // Marks the file as in progress, so that a cycle ends here
            // (protox reports cycles itself).
            depth.insert(name.clone(), 0);
            stack.push((name.clone(), true));
            for dep in imports(&name) {
                if !depth.contains_key(&dep) {
                    stack.push((dep, false));
                }
            }
        }
    }
    Ok(())
}

/// The texts errors can point into, by file name.
struct Sources<'a> {
    texts: HashMap<&'a str, &'a str>,
}

impl<'a> Sources<'a> {
    fn new(text: &'a str, references: &[Referenced<'a>]) -> Self {
        let mut texts: HashMap<&str, &str> = references.iter().map(|r| (r.name, r.text)).collect();
        texts.insert(MAIN_FILE, text);
        Self { texts }
    }

    /// Confluent's wording (`Could not parse Protobuf - Syntax error in
    /// :<line>:<col>: <text>`); the location names the file when the error
    /// is in a reference rather than the schema itself.
    fn error(&self, err: &protox::Error) -> ParseError {
        let kind = if err.is_parse() {
            "Syntax error in "
        } else {
            "Error in "
        };
        let error = match self.location(err) {
            Some(location) => ParseError::new(format!(
                "Could not parse Protobuf - {kind}{location}: {err}"
            )),
            None => ParseError::new(format!("Could not parse Protobuf - {err}")),
        };
        with_unresolved_type(error, err)
    }

    /// `:<line>:<col>` (1-based), prefixed by the file name for references.
    fn location(&self, err: &protox::Error) -> Option<String> {
        let file = err.file()?;
        let text = self.texts.get(file)?;
        let offset = err.labels()?.next()?.offset();
        let (line, column) = line_column(text, offset);
        let prefix = if file == MAIN_FILE { "" } else { file };
        Some(format!("{prefix}:{line}:{column}"))
    }
}

/// `error` as Confluent's validation reports it when `cause` is a type
/// that nothing defines.
fn with_unresolved_type(error: ParseError, cause: &protox::Error) -> ParseError {
    match unresolved_type(cause) {
        Some(name) => error.found_in_validation(format!("Could not resolve type: {name}")),
        None => error,
    }
}

/// The type name, as written, that no file defines. Confluent's parser
/// takes any name; its validation (`ProtobufSchemaUtils` resolving names
/// to normalise the schema) is what refuses it.
fn unresolved_type(err: &protox::Error) -> Option<String> {
    let text = err.to_string();
    let name = text
        .strip_prefix("name '")?
        .strip_suffix("' is not defined")?;
    Some(name.to_string())
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Refuses `{`/`[` nesting beyond [`MAX_NESTING`] and more than
/// [`MAX_STATEMENTS`] statements, skipping comments and string literals.
fn check_nesting_for(name: &str, text: &str) -> Result<(), ParseError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut statements = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'<' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (line, column) = line_column(text, i);
                    let prefix = if name == MAIN_FILE { "" } else { name };
                    return Err(ParseError::new(format!(
                        "Could not parse Protobuf - Syntax error in {prefix}:{line}:{column}: \
                         nesting deeper than {MAX_NESTING} levels"
                    )));
                }
            }
            b'}' | b']' | b'>' | b')' => depth = depth.saturating_sub(1),
            b';' => {
                statements += 1;
                if statements > MAX_STATEMENTS {
                    let (line, column) = line_column(text, i);
                    let prefix = if name == MAIN_FILE { "" } else { name };
                    return Err(ParseError::new(format!(
                        "Could not parse Protobuf - Syntax error in {prefix}:{line}:{column}: \
                         more than {MAX_STATEMENTS} statements"
                    )));
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}
