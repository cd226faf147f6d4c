//! Where a finding's path is in the text of a schema file, as a line and a
//! column for people and for GitHub's annotations. A path that does not
//! resolve completely is placed at its deepest element that does (the
//! record, message or property holding what changed); one that resolves
//! nowhere has no place, and the finding names the file alone.

use std::cell::OnceCell;

use prost_types::FileDescriptorProto;
use serde::Serialize;
use treaty_compat::{Finding, SchemaType};

/// A place in a file, both counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// Places findings in the text of the new schema.
pub struct Locator<'a> {
    schema_type: SchemaType,
    text: &'a str,
    /// A `.proto` file parsed with its source positions, at the first
    /// finding to place (most subjects have none).
    protobuf: OnceCell<Option<FileDescriptorProto>>,
}

impl<'a> Locator<'a> {
    pub fn new(schema_type: SchemaType, text: &'a str) -> Locator<'a> {
        Locator {
            schema_type,
            text,
            protobuf: OnceCell::new(),
        }
    }

    /// The finding's place: its path in the new schema; else, where paths
    /// name elements rather than count them (Protobuf, JSON Schema), the
    /// deepest element of its old path the new schema still has.
    pub fn finding(&self, finding: &Finding) -> Option<Location> {
        if let Some(path) = &finding.new_path {
            return self.path(path);
        }
        match self.schema_type {
            SchemaType::Avro => None,
            SchemaType::Json | SchemaType::Protobuf => self.path(finding.old_path.as_deref()?),
        }
    }

    /// The place of `path`, in the format's own syntax (see `Finding`).
    fn path(&self, path: &str) -> Option<Location> {
        match self.schema_type {
            SchemaType::Avro => json_pointer(self.text, path),
            SchemaType::Json => json_pointer(self.text, path.strip_prefix('#').unwrap_or(path)),
            SchemaType::Protobuf => {
                let parsed = self
                    .protobuf
                    .get_or_init(|| protox_parse::parse("schema.proto", self.text).ok());
                protobuf(parsed.as_ref()?, path)
            }
        }
    }
}

/// The place of a schema error the parser gives no position for, but that
/// names what it is about: JSON Schema's `Invalid JSON Schema: #/pointer:
/// …`, and Avro's `"Name" is not a defined name` (the first use of the
/// name as a value).
pub fn schema_error(schema_type: SchemaType, text: &str, message: &str) -> Option<Location> {
    match schema_type {
        SchemaType::Json => {
            let rest = message.strip_prefix("Invalid JSON Schema: #")?;
            json_pointer(text, rest.split(": ").next()?)
        }
        SchemaType::Avro => {
            let (quoted, _) = message.split_once(" is not a defined name")?;
            string_value(text, quoted)
        }
        SchemaType::Protobuf => None,
    }
}

/// The first place `quoted` (a JSON string as written, quotes included)
/// stands as a value, not as a member's name.
fn string_value(text: &str, quoted: &str) -> Option<Location> {
    let mut from = 0;
    while let Some(found) = text[from..].find(quoted) {
        let start = from + found;
        from = start + quoted.len();
        if !text[from..].trim_start().starts_with(':') {
            return Some(position(text, start));
        }
    }
    None
}

/// The place of the value a JSON pointer (`/fields/1/type`) names.
fn json_pointer(text: &str, pointer: &str) -> Option<Location> {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .filter(|s| !s.is_empty())
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    scanner.whitespace();
    let mut found = scanner.at;
    for segment in &segments {
        match scanner.member(segment) {
            Some(start) => found = start,
            None => break,
        }
    }
    (found < text.len()).then(|| position(text, found))
}

/// Walks JSON text without building values: enough to find where a
/// member or an element starts. Malformed text ends the walk (`None`).
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    /// Moves into the object member named `key` or the array element at
    /// index `key` of the value at `at`; gives where that value starts.
    fn member(&mut self, key: &str) -> Option<usize> {
        match self.bytes.get(self.at)? {
            b'{' => {
                self.at += 1;
                loop {
                    self.whitespace();
                    let name_start = self.at;
                    self.string()?;
                    let name: String =
                        serde_json::from_slice(&self.bytes[name_start..self.at]).ok()?;
                    self.whitespace();
                    self.expect(b':')?;
                    self.whitespace();
                    if name == key {
                        return Some(self.at);
                    }
                    self.next_item()?;
                }
            }
            b'[' => {
                let index: usize = key.parse().ok()?;
                self.at += 1;
                for _ in 0..index {
                    self.whitespace();
                    self.next_item()?;
                }
                self.whitespace();
                (self.bytes.get(self.at)? != &b']').then_some(self.at)
            }
            _ => None,
        }
    }

    /// Skips the value at `at` and the comma after it; `None` when no
    /// comma follows (the container's end, or malformed text).
    fn next_item(&mut self) -> Option<()> {
        self.value()?;
        self.whitespace();
        self.expect(b',')
    }

    fn value(&mut self) -> Option<()> {
        match self.bytes.get(self.at)? {
            b'"' => self.string(),
            b'{' | b'[' => self.container(),
            _ => {
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    /// Skips a whole object or array, strings inside included.
    fn container(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.bytes.get(self.at)? {
                b'"' => {
                    self.string()?;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        self.at += 1;
                        return Some(());
                    }
                }
                _ => {}
            }
            self.at += 1;
        }
    }

    /// Skips a string, escapes included.
    fn string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            match self.bytes.get(self.at)? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.bytes.get(self.at)? == &byte).then(|| self.at += 1)
    }

    fn whitespace(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }
}

/// Line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> Location {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Location {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// The place of a Protobuf element: Confluent's paths (`#/Order/3`, a
/// message's local name then field numbers, oneof and nested type names)
/// or Buf's full names (`acme.OrderService.Get`).
fn protobuf(file: &FileDescriptorProto, path: &str) -> Option<Location> {
    let segments: Vec<&str> = match path.strip_prefix("#/") {
        Some(local) => local.split('/').collect(),
        None => {
            let package = file.package();
            let local = match package.is_empty() {
                true => path,
                false => path.strip_prefix(package)?.strip_prefix('.')?,
            };
            local.split('.').collect()
        }
    };
    let mut scope = Scope::File(file);
    let mut found: Vec<i32> = Vec::new();
    for segment in segments {
        match scope.child(segment) {
            Some((steps, inner)) => {
                if let Scope::Oneof(..) = scope {
                    // A oneof's fields are its message's, in source paths.
                    found.truncate(found.len() - 2);
                }
                found.extend(steps);
                scope = inner;
            }
            None => break,
        }
    }
    if found.is_empty() {
        return None;
    }
    let span = &file
        .source_code_info
        .as_ref()?
        .location
        .iter()
        .find(|l| l.path == found)?
        .span;
    Some(Location {
        line: usize::try_from(*span.first()?).ok()? + 1,
        column: usize::try_from(*span.get(1)?).ok()? + 1,
    })
}

/// Where a Protobuf path has got to, with the numbers `descriptor.proto`
/// gives each kind of element in source positions.
#[derive(Clone, Copy)]
enum Scope<'a> {
    File(&'a FileDescriptorProto),
    Message(&'a prost_types::DescriptorProto),
    /// A oneof of the message, by its index.
    Oneof(&'a prost_types::DescriptorProto, i32),
    Enum(&'a prost_types::EnumDescriptorProto),
    Service(&'a prost_types::ServiceDescriptorProto),
    /// A field, a method or an enum value: nothing further inside.
    Leaf,
}

impl<'a> Scope<'a> {
    /// The element named `segment` here: the source path steps to it and
    /// its own scope.
    fn child(self, segment: &str) -> Option<(Vec<i32>, Scope<'a>)> {
        let number: Option<i32> = segment.parse().ok();
        let position = |i: usize| i32::try_from(i).ok();
        match self {
            Scope::File(file) => {
                if let Some(i) = file.message_type.iter().position(|m| m.name() == segment) {
                    return Some((vec![4, position(i)?], Scope::Message(&file.message_type[i])));
                }
                if let Some(i) = file.enum_type.iter().position(|e| e.name() == segment) {
                    return Some((vec![5, position(i)?], Scope::Enum(&file.enum_type[i])));
                }
                if let Some(i) = file.service.iter().position(|s| s.name() == segment) {
                    return Some((vec![6, position(i)?], Scope::Service(&file.service[i])));
                }
                enum_value_of(&file.enum_type, 5, segment)
            }
            Scope::Message(message) => {
                if let Some(i) = message.nested_type.iter().position(|m| m.name() == segment) {
                    let nested = &message.nested_type[i];
                    return Some((vec![3, position(i)?], Scope::Message(nested)));
                }
                if let Some(i) = message.enum_type.iter().position(|e| e.name() == segment) {
                    return Some((vec![4, position(i)?], Scope::Enum(&message.enum_type[i])));
                }
                if let Some(i) = message.oneof_decl.iter().position(|o| o.name() == segment) {
                    let i = position(i)?;
                    return Some((vec![8, i], Scope::Oneof(message, i)));
                }
                let field = message
                    .field
                    .iter()
                    .position(|f| Some(f.number()) == number || f.name() == segment);
                if let Some(i) = field {
                    return Some((vec![2, position(i)?], Scope::Leaf));
                }
                enum_value_of(&message.enum_type, 4, segment)
            }
            Scope::Oneof(message, oneof) => {
                let i = message
                    .field
                    .iter()
                    .position(|f| f.oneof_index == Some(oneof) && Some(f.number()) == number)?;
                Some((vec![2, position(i)?], Scope::Leaf))
            }
            Scope::Enum(enumeration) => {
                let i = enumeration
                    .value
                    .iter()
                    .position(|v| Some(v.number()) == number || v.name() == segment)?;
                Some((vec![2, position(i)?], Scope::Leaf))
            }
            Scope::Service(service) => {
                let i = service.method.iter().position(|m| m.name() == segment)?;
                Some((vec![2, position(i)?], Scope::Leaf))
            }
            Scope::Leaf => None,
        }
    }
}

/// An enum value named in its enum's enclosing scope, as Protobuf's full
/// names of enum values are.
fn enum_value_of<'a>(
    enums: &'a [prost_types::EnumDescriptorProto],
    enums_field: i32,
    segment: &str,
) -> Option<(Vec<i32>, Scope<'a>)> {
    enums.iter().enumerate().find_map(|(e, enumeration)| {
        let v = enumeration.value.iter().position(|v| v.name() == segment)?;
        let steps = vec![
            enums_field,
            i32::try_from(e).ok()?,
            2,
            i32::try_from(v).ok()?,
        ];
        Some((steps, Scope::Leaf))
    })
}
