//! Replays the fuzzers' minimized crashers (`tests/fixtures/fuzz/<target>/`,
//! one input per file) and generated hostile inputs (nesting thousands
//! deep, huge enums and unions) through the fuzz targets' own code path
//! (`support/fuzz_roundtrip.rs`): each must finish without a panic or a
//! stack overflow, within a bounded time.

#[path = "support/fuzz_roundtrip.rs"]
mod fuzz_roundtrip;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use treaty_compat::SchemaType;

/// Generous for a debug build on a loaded machine; the fuzzers' own limit
/// (release build) is 10 s.
const TIME_LIMIT: Duration = Duration::from_secs(60);

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = match fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.expect("directory entry").path())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.retain(|path| path.is_file());
    files.sort();
    files
}

fn replay(target: &str, schema_type: SchemaType) {
    for path in inputs(target) {
        let data = fs::read(&path).expect("read input");
        run_bounded(&path.display().to_string(), schema_type, data);
    }
}

/// Runs one input on its own thread; fails on a panic or past the limit.
fn run_bounded(name: &str, schema_type: SchemaType, data: Vec<u8>) {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| fuzz_roundtrip::run(schema_type, &data));
        let _ = sender.send(outcome.is_ok());
    });
    match receiver.recv_timeout(TIME_LIMIT) {
        Ok(true) => {}
        Ok(false) => panic!("{name} panicked"),
        Err(_) => panic!("{name} took longer than {TIME_LIMIT:?}"),
    }
}

/// `open` repeated `depth` times around `inner`, then `close` as often.
fn nested(open: &str, inner: &str, close: &str, depth: usize) -> Vec<u8> {
    [open.repeat(depth), inner.to_string(), close.repeat(depth)]
        .concat()
        .into_bytes()
}

/// Two texts in the targets' input format.
fn pair(first: &str, second: &str) -> Vec<u8> {
    [first.as_bytes(), b"\0", second.as_bytes()].concat()
}

#[test]
fn avro_parse_compat_crashers() {
    replay("avro_parse_compat", SchemaType::Avro);
}

#[test]
fn protobuf_parse_compat_crashers() {
    replay("protobuf_parse_compat", SchemaType::Protobuf);
}

#[test]
fn json_schema_parse_compat_crashers() {
    replay("json_schema_parse_compat", SchemaType::Json);
}

#[test]
fn avro_nested_thousands_deep() {
    let avro = SchemaType::Avro;
    let arrays = nested(r#"{"type":"array","items":"#, r#""int""#, "}", 5000);
    run_bounded("avro arrays 5000 deep", avro, arrays);
    let records: String = (0..5000)
        .map(|i| format!(r#"{{"type":"record","name":"R{i}","fields":[{{"name":"f","type":"#))
        .collect();
    let records = [records, r#""int""#.to_string(), "}]}".repeat(5000)].concat();
    run_bounded("avro records 5000 deep", avro, records.into_bytes());
    run_bounded(
        "avro brackets 20000 deep",
        avro,
        nested("[", "", "]", 20000),
    );
}

#[test]
fn protobuf_nested_thousands_deep() {
    let proto = SchemaType::Protobuf;
    let messages = nested("message M { ", "int32 a = 1;", " }", 5000);
    let messages = [b"syntax = \"proto3\";\n".as_slice(), &messages].concat();
    run_bounded("protobuf messages 5000 deep", proto, messages);
    let option = [
        b"syntax = \"proto3\";\noption (x) = ".as_slice(),
        &nested("{ a: ", "1", " }", 5000),
        b";\n",
    ]
    .concat();
    run_bounded("protobuf option value 5000 deep", proto, option);
}

#[test]
fn json_schema_nested_thousands_deep() {
    let json = SchemaType::Json;
    let properties = nested(r#"{"type":"object","properties":{"a":"#, "{}", "}}", 5000);
    run_bounded("JSON Schema properties 5000 deep", json, properties);
    run_bounded(
        "JSON Schema brackets 20000 deep",
        json,
        nested("[", "", "]", 20000),
    );
}

#[test]
fn avro_large_enum() {
    let symbols = |n: usize| (0..n).map(|i| format!(r#""S{i}""#)).collect::<Vec<_>>();
    let old = format!(
        r#"{{"type":"enum","name":"E","symbols":[{}]}}"#,
        symbols(10_000).join(",")
    );
    let new = format!(
        r#"{{"type":"enum","name":"E","symbols":[{}]}}"#,
        symbols(5_000).join(",")
    );
    run_bounded(
        "avro enum of 10000 symbols",
        SchemaType::Avro,
        pair(&old, &new),
    );
}

#[test]
fn json_schema_huge_object_and_enum() {
    let object = |ty: &str| {
        let properties: Vec<String> = (0..20_000)
            .map(|i| format!(r#""p{i}":{{"type":"{ty}"}}"#))
            .collect();
        format!(
            r#"{{"type":"object","properties":{{{}}}}}"#,
            properties.join(",")
        )
    };
    run_bounded(
        "JSON Schema object of 20000 properties",
        SchemaType::Json,
        pair(&object("string"), &object("integer")),
    );
    let values = |n: usize| (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let old = format!(r#"{{"enum":[{}]}}"#, values(100_000));
    let new = format!(r#"{{"enum":[{}]}}"#, values(50_000));
    run_bounded(
        "JSON Schema enum of 100000 values",
        SchemaType::Json,
        pair(&old, &new),
    );
}

// Large unions and messages, which once exhausted memory or time.

#[test]
fn avro_huge_union_of_fixed() {
    let union = |size_offset: usize| {
        let branches: Vec<String> = (0..5000)
            .map(|i| {
                format!(
                    r#"{{"type":"fixed","name":"F{i}","size":{}}}"#,
                    i + size_offset
                )
            })
            .collect();
        format!("[{}]", branches.join(","))
    };
    run_bounded(
        "avro union of 5000 fixed",
        SchemaType::Avro,
        pair(&union(1), &union(2)),
    );
}

#[test]
fn protobuf_huge_message() {
    let fields = |ty: &str| {
        (0..20_000)
            .map(|i| format!("  {ty} f{i} = {};\n", i + 1))
            .collect::<String>()
    };
    let text = |ty: &str| format!("syntax = \"proto3\";\nmessage M {{\n{}}}\n", fields(ty));
    run_bounded(
        "protobuf message of 20000 fields",
        SchemaType::Protobuf,
        pair(&text("int32"), &text("int64")),
    );
}

#[test]
fn protobuf_with_too_many_statements_is_refused_before_compiling() {
    let fields: String = (0..30_000)
        .map(|i| format!("  int32 f{i} = {};\n", i + 1))
        .collect();
    let text = format!("syntax = \"proto3\";\nmessage M {{\n{fields}}}\n");
    let error = treaty_compat::ParsedSchema::parse(SchemaType::Protobuf, &text, &[])
        .expect_err("30,000 statements are refused");
    assert!(
        error.message.contains("more than 25000 statements"),
        "{}",
        error.message
    );
}
