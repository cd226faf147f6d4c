//! Avro parsing, canonical text and normalisation against expectations
//! derived from Java Avro 1.11 (`Schema.java`) and Confluent 7.9
//! (`AvroSchema`, `AvroSchemaUtils`, `AvroSchemaTest`).
//!
//! Each folder under `tests/fixtures/avro_parse/` is one case:
//! `input.avsc`, optional `reference1.avsc`, `reference2.avsc`, … (the
//! referenced schemas, dependencies first), and the expectations it has:
//! `canonical.txt`, `normalized.txt`, `error.txt` (parsing fails with this
//! message) or `normalize_error.txt` (parsing succeeds, normalising fails).

use std::fs;
use std::path::{Path, PathBuf};

use treaty_compat::avro::{AvroSchema, Kind};

const JACKSON_PREFIX: &str = "com.fasterxml.jackson.core.JsonParseException: ";

struct Case {
    name: String,
    dir: PathBuf,
    input: String,
    references: Vec<String>,
}

impl Case {
    fn expectation(&self, file: &str) -> Option<String> {
        let text = fs::read_to_string(self.dir.join(file)).ok()?;
        Some(text.strip_suffix('\n').unwrap_or(&text).to_string())
    }

    fn parse(&self) -> Result<AvroSchema, treaty_compat::ParseError> {
        let references: Vec<&str> = self.references.iter().map(String::as_str).collect();
        AvroSchema::parse(&self.input, &references)
    }
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/avro_parse");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("fixture folder")
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter().map(load_case).collect()
}

fn load_case(dir: PathBuf) -> Case {
    let read = |file: &str| fs::read_to_string(dir.join(file)).expect(file);
    let references = (1..)
        .map(|i| format!("reference{i}.avsc"))
        .take_while(|file| dir.join(file).exists())
        .map(|file| read(&file))
        .collect();
    Case {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        input: read("input.avsc"),
        references,
        dir,
    }
}

/// Runs every fixture and reports all mismatches at once.
#[test]
fn fixtures_match_java_and_confluent() {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() > 40, "fixtures missing");
    for case in &cases {
        if let Err(problem) = check_case(case) {
            failures.push(format!("{}: {problem}", case.name));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn check_case(case: &Case) -> Result<(), String> {
    let parsed = case.parse();
    if let Some(expected) = case.expectation("error.txt") {
        return match parsed {
            Err(e) if e.message == expected => Ok(()),
            Err(e) => Err(format!(
                "error\n  expected {expected}\n  got      {}",
                e.message
            )),
            Ok(s) => Err(format!("parsed, canonical {}", s.canonical_text())),
        };
    }
    let schema = parsed.map_err(|e| format!("parse failed: {}", e.message))?;
    if let Some(expected) = case.expectation("canonical.txt") {
        compare("canonical", &expected, &schema.canonical_text())?;
        if case.expectation("normalize_error.txt").is_none() {
            check_round_trip(case, &schema)?;
        }
    }
    let normalized = schema.normalized_text();
    if let Some(expected) = case.expectation("normalized.txt") {
        let text = normalized.map_err(|e| format!("normalize failed: {}", e.message))?;
        compare("normalized", &expected, &text)?;
    } else if let Some(expected) = case.expectation("normalize_error.txt") {
        match normalized {
            Err(e) if e.message == expected => {}
            Err(e) => {
                return Err(format!(
                    "normalize error\n  expected {expected}\n  got      {}",
                    e.message
                ))
            }
            Ok(text) => return Err(format!("normalized to {text}")),
        }
    }
    Ok(())
}

fn compare(what: &str, expected: &str, got: &str) -> Result<(), String> {
    if expected == got {
        Ok(())
    } else {
        Err(format!("{what}\n  expected {expected}\n  got      {got}"))
    }
}

/// The canonical text parses back to itself.
fn check_round_trip(case: &Case, schema: &AvroSchema) -> Result<(), String> {
    let text = schema.canonical_text();
    let references: Vec<&str> = case.references.iter().map(String::as_str).collect();
    let again = AvroSchema::parse(&text, &references)
        .map_err(|e| format!("canonical text does not parse: {}", e.message))?;
    compare("round trip", &text, &again.canonical_text())
}

#[test]
fn invalid_json_reports_jackson_exception_with_position() {
    let error = AvroSchema::parse("{\"type\": \"record\",\n \"name\": }", &[]).unwrap_err();
    assert!(
        error.message.starts_with(JACKSON_PREFIX),
        "{}",
        error.message
    );
    assert!(
        error
            .message
            .contains("Unexpected character ('}' (code 125))"),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("line: 2, column: 10]"),
        "{}",
        error.message
    );
}

#[test]
fn truncated_json_reports_end_of_input() {
    let error = AvroSchema::parse("{\"type\": \"int\"", &[]).unwrap_err();
    assert!(
        error
            .message
            .starts_with(&format!("{JACKSON_PREFIX}Unexpected end-of-input")),
        "{}",
        error.message
    );
}

#[test]
fn deeply_nested_arrays_are_rejected_without_overflow() {
    let depth = 10_000;
    let text = format!(
        "{}\"int\"{}",
        "{\"type\":\"array\",\"items\":".repeat(depth),
        "}".repeat(depth)
    );
    assert!(AvroSchema::parse(&text, &[]).is_err());
}

#[test]
fn deeply_nested_unions_are_rejected_without_overflow() {
    let depth = 10_000;
    let text = format!("{}\"int\"{}", "[".repeat(depth), "]".repeat(depth));
    assert!(AvroSchema::parse(&text, &[]).is_err());
}

#[test]
fn moderately_nested_schema_parses_and_prints() {
    let depth = 60;
    let text = format!(
        "{}\"int\"{}",
        "{\"type\":\"array\",\"items\":".repeat(depth),
        "}".repeat(depth)
    );
    let schema = AvroSchema::parse(&text, &[]).unwrap();
    assert_eq!(schema.canonical_text(), text);
    assert_eq!(schema.normalized_text().unwrap(), text);
}

#[test]
fn huge_enum_parses() {
    let symbols: Vec<String> = (0..100_000).map(|i| format!("\"S{i}\"")).collect();
    let text = format!(
        "{{\"type\":\"enum\",\"name\":\"Big\",\"symbols\":[{}]}}",
        symbols.join(",")
    );
    let schema = AvroSchema::parse(&text, &[]).unwrap();
    match &schema.root_node().kind {
        Kind::Enum(e) => assert_eq!(e.symbols.len(), 100_000),
        other => panic!("not an enum: {other:?}"),
    }
    assert_eq!(schema.canonical_text(), text);
}

#[test]
fn referenced_types_are_marked_and_resolvable() {
    let dep = r#"{"type":"record","name":"Dep","namespace":"com.x","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}}]}"#;
    let main = r#"{"type":"record","name":"Main","namespace":"com.x","fields":[{"name":"d","type":"Dep"}]}"#;
    let schema = AvroSchema::parse(main, &[dep]).unwrap();
    let dep_id = schema.names["com.x.Dep"];
    assert!(schema.node(dep_id).from_reference);
    assert!(schema.node(schema.names["com.x.E"]).from_reference);
    assert!(!schema.root_node().from_reference);
    assert_eq!(schema.reference_roots, vec![dep_id]);
}

#[test]
fn invalid_reference_is_a_parse_error() {
    let error =
        AvroSchema::parse("\"int\"", &["{\"type\":\"record\",\"name\":\"R\"}"]).unwrap_err();
    assert_eq!(
        error.message,
        r#"Record has no fields: {"type":"record","name":"R"}"#
    );
}

#[test]
fn reference_cannot_be_redefined_by_the_schema() {
    let dep = r#"{"type":"fixed","name":"F","size":1}"#;
    let error = AvroSchema::parse(r#"{"type":"fixed","name":"F","size":2}"#, &[dep]).unwrap_err();
    assert_eq!(error.message, "Can't redefine: F");
}

#[test]
fn validate_defaults_is_public_and_checks_references_too() {
    let dep =
        r#"{"type":"record","name":"Dep","fields":[{"name":"i","type":"int","default":"x"}]}"#;
    let schema = AvroSchema::parse(r#"{"type":"array","items":"Dep"}"#, &[dep]).unwrap();
    assert_eq!(
        schema.validate_defaults().unwrap_err().message,
        r#"Invalid default for field i: "x" not a "int""#
    );
    let fine = AvroSchema::parse(r#"{"type":"record","name":"R","fields":[{"name":"l","type":"long","default":12345678901}]}"#, &[]).unwrap();
    assert!(fine.validate_defaults().is_ok());
}

#[test]
fn int_default_out_of_range_is_invalid() {
    let schema = AvroSchema::parse(
        r#"{"type":"record","name":"R","fields":[{"name":"i","type":"int","default":2147483648}]}"#,
        &[],
    )
    .unwrap();
    assert_eq!(
        schema.validate_defaults().unwrap_err().message,
        r#"Invalid default for field i: 2147483648 not a "int""#
    );
}

#[test]
fn self_recursive_record_default_does_not_overflow() {
    let schema = AvroSchema::parse(
        r#"{"type":"record","name":"R","fields":[{"name":"r","type":"R","default":{}}]}"#,
        &[],
    )
    .unwrap();
    assert!(schema.validate_defaults().is_err());
}
