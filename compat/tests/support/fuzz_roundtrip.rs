//! The code path of the `fuzz/` parse-and-compatibility targets, shared
//! with `tests/fuzz_regressions.rs` (which replays the minimized crashers
//! under `tests/fixtures/fuzz/`). Included by path from the fuzz targets,
//! so it depends on nothing but `treaty-compat` and `base64`.
//!
//! Input: two schema texts separated by the first NUL byte (without one,
//! the text is checked against itself), read as UTF-8 with invalid bytes
//! replaced. For Protobuf, a leading `0x01` byte makes both halves raw
//! `FileDescriptorProto` bytes (the first's length in the next two bytes,
//! little-endian), sent base64-encoded as Confluent's clients send them.

use base64::Engine;
use treaty_compat::{
    check, CheckOptions, CompatibilityLevel, ParsedSchema, PreviousVersion, SchemaType,
};

/// The stack a server worker thread has (tokio's and std's default):
/// hostile nesting must fail cleanly within it.
pub const STACK_BYTES: usize = 2 * 1024 * 1024;

/// Runs `data` through parse, canonical and normalized text, re-parse and
/// a FULL_TRANSITIVE check both ways, on a thread with a server's stack.
/// Panics (and so fails the fuzz run or test) where an invariant breaks.
pub fn run(schema_type: SchemaType, data: &[u8]) {
    let data = data.to_vec();
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || run_here(schema_type, &data))
        .expect("spawn worker");
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}

fn run_here(schema_type: SchemaType, data: &[u8]) {
    let (first, second) = texts(schema_type, data);
    let Some(first) = parse_checked(schema_type, &first) else {
        return;
    };
    let Some(second) = parse_checked(schema_type, &second) else {
        return;
    };
    let options = CheckOptions {
        validate_fields: false,
        protobuf_wire_rules: schema_type == SchemaType::Protobuf,
    };
    for (new, old) in [(&first, &second), (&second, &first)] {
        let previous = [PreviousVersion {
            version: 1,
            schema: &old.0,
            text: &old.1,
        }];
        check(
            CompatibilityLevel::FullTransitive,
            &new.0,
            &previous,
            &options,
        )
        .confluent_messages();
    }
}

fn texts(schema_type: SchemaType, data: &[u8]) -> (String, String) {
    if let (SchemaType::Protobuf, [1, rest @ ..]) = (schema_type, data) {
        // Binary halves hold NULs: a little-endian u16 gives the first's length.
        let (first, second) = match rest {
            [lo, hi, rest @ ..] => {
                rest.split_at(usize::from(u16::from_le_bytes([*lo, *hi])).min(rest.len()))
            }
            _ => (rest, rest),
        };
        let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        return (encode(first), encode(second));
    }
    let (first, second) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, data),
    };
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (text(first), text(second))
}

/// Parses `text`; where it parses, checks that its canonical text parses
/// to the same canonical text and that its normalized text (when there is
/// one) parses too. Returns the schema and its canonical text.
fn parse_checked(schema_type: SchemaType, text: &str) -> Option<(ParsedSchema, String)> {
    let schema = ParsedSchema::parse(schema_type, text, &[]).ok()?;
    let canonical = schema.canonical_text();
    let reparsed = ParsedSchema::parse(schema_type, &canonical, &[]).unwrap_or_else(|error| {
        panic!(
            "canonical text does not parse: {error}\n--- input\n{text}\n--- canonical\n{canonical}"
        )
    });
    let canonical_again = reparsed.canonical_text();
    assert_eq!(
        canonical, canonical_again,
        "canonical text is not stable\n--- input\n{text}"
    );
    if let Ok(normalized) = schema.normalized_text() {
        if let Err(error) = ParsedSchema::parse(schema_type, &normalized, &[]) {
            panic!("normalized text does not parse: {error}\n--- input\n{text}\n--- normalized\n{normalized}");
        }
    }
    for format in ["serialized", "ignore_extensions"] {
        if let Some(formatted) = schema.formatted(format) {
            if let Err(error) = ParsedSchema::parse(schema_type, &formatted, &[]) {
                panic!("format={format} output does not parse: {error}\n--- input\n{text}\n--- output\n{formatted}");
            }
        }
    }
    Some((schema, canonical))
}
