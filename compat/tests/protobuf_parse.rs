//! Protobuf parsing, canonical and normalized text, against fixtures in
//! `tests/fixtures/protobuf_parse/<case>/`: `input.proto`, referenced files
//! under `refs/` (named by their path there), and the expectations
//! `canonical.proto`, `normalized.proto` or `error.txt` (a text the error
//! message must contain).

use std::fs;
use std::path::{Path, PathBuf};

use treaty_compat::protobuf::ProtobufSchema;
use treaty_compat::{ParsedSchema, Referenced, SchemaType};

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/protobuf_parse");
    let mut dirs: Vec<PathBuf> = fs::read_dir(root)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The files under `refs/`, by path relative to it.
fn references(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    collect(&dir.join("refs"), &dir.join("refs"), &mut found);
    found.sort();
    found
}

fn collect(root: &Path, dir: &Path, found: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(root, &path, found);
        } else {
            let name = path.strip_prefix(root).expect("under root");
            let text = fs::read_to_string(&path).expect("reference");
            found.push((name.to_string_lossy().replace('\\', "/"), text));
        }
    }
}

fn read(dir: &Path, name: &str) -> Option<String> {
    fs::read_to_string(dir.join(name)).ok()
}

/// Checks one case, returning what went wrong.
fn check_case(dir: &Path) -> Vec<String> {
    let input = read(dir, "input.proto").expect("input.proto");
    let refs = references(dir);
    let refs: Vec<Referenced<'_>> = refs
        .iter()
        .map(|(name, text)| Referenced { name, text })
        .collect();
    let mut problems = Vec::new();
    match (ProtobufSchema::parse(&input, &refs), read(dir, "error.txt")) {
        (Err(err), Some(expected)) if err.message.contains(expected.trim()) => {}
        (Err(err), Some(expected)) => problems.push(format!(
            "error {:?} does not contain {:?}",
            err.message,
            expected.trim()
        )),
        (Err(err), None) => problems.push(format!("does not parse: {}", err.message)),
        (Ok(_), Some(expected)) => problems.push(format!("parses, expected error {expected:?}")),
        (Ok(schema), None) => {
            if let Some(expected) = read(dir, "canonical.proto") {
                let actual = schema.canonical_text();
                if actual != expected {
                    problems.push(format!("canonical:\n{actual}---expected:\n{expected}"));
                }
            }
            if let Some(expected) = read(dir, "normalized.proto") {
                let actual = schema.normalized_text().expect("normalizes");
                if actual != expected {
                    problems.push(format!("normalized:\n{actual}---expected:\n{expected}"));
                }
            }
        }
    }
    problems
}

#[test]
fn fixtures_parse_print_and_normalize_as_expected() {
    let mut failures = Vec::new();
    for dir in fixture_dirs() {
        for problem in check_case(&dir) {
            failures.push(format!("{}: {problem}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn parse(text: &str) -> ProtobufSchema {
    ProtobufSchema::parse(text, &[]).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn canonical_text_parses_to_itself() {
    for dir in fixture_dirs() {
        let Some(canonical) = read(&dir, "canonical.proto") else {
            continue;
        };
        let refs = references(&dir);
        let refs: Vec<Referenced<'_>> = refs
            .iter()
            .map(|(name, text)| Referenced { name, text })
            .collect();
        let again = ProtobufSchema::parse(&canonical, &refs).expect("canonical parses");
        assert_eq!(again.canonical_text(), canonical, "{}", dir.display());
    }
}

#[test]
fn serialized_descriptor_parses_back_to_same_canonical_text() {
    let schema = parse(
        "syntax = \"proto3\";\npackage p;\nimport \"google/protobuf/timestamp.proto\";\n\
         message A { string a = 1 [json_name = \"x\"]; map<string, B> m = 2; \
         google.protobuf.Timestamp t = 3; oneof o { int32 i = 4; string s = 5; } \
         message B { repeated int64 v = 1; } }\nenum E { E0 = 0; E1 = 1; }\n",
    );
    let serialized = schema.formatted("serialized").expect("serialized format");
    let from_descriptor = parse(&serialized);
    let again = parse(&from_descriptor.formatted("serialized").expect("serialized"));
    assert_eq!(from_descriptor.canonical_text(), again.canonical_text());
    assert_eq!(schema.normalized_text(), from_descriptor.normalized_text());
    assert!(
        from_descriptor
            .canonical_text()
            .contains("repeated mEntry m = 2;"),
        "{}",
        from_descriptor.canonical_text()
    );
}

#[test]
fn serialized_descriptor_is_named_default() {
    use base64::Engine;
    use prost::Message;
    let schema =
        parse("syntax = \"proto3\";\nimport \"google/protobuf/empty.proto\";\nmessage A {}\n");
    let encoded = schema.formatted("serialized").expect("serialized");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    let file = prost_types::FileDescriptorProto::decode(bytes.as_slice()).expect("descriptor");
    assert_eq!(file.name(), "default");
    assert_eq!(file.dependency, ["google/protobuf/empty.proto"]);
}

#[test]
fn ignore_extensions_drops_ranges_extend_blocks_and_custom_options() {
    let schema = parse(
        "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\n\
         extend google.protobuf.FieldOptions { optional int32 level = 5000; }\n\
         message A { optional int32 a = 1 [(level) = 2]; extensions 100 to 200; }\n\
         extend A { optional string b = 100; }\n",
    );
    assert_eq!(
        schema.formatted("ignore_extensions").expect("format"),
        "syntax = \"proto2\";\n\nimport \"google/protobuf/descriptor.proto\";\n\n\
         message A {\n  optional int32 a = 1;\n}\n"
    );
    assert_eq!(schema.formatted("unknown"), None);
}

#[test]
fn differently_ordered_equivalent_files_normalize_the_same() {
    let a = parse(
        "syntax = \"proto3\";\npackage p;\n\
         option java_package = \"x\";\noption go_package = \"y\";\n\
         message M { int32 b = 2; int32 a = 1 [json_name = \"q\", deprecated = true]; \
         reserved 8, 5 to 6; reserved \"z\"; }\nenum E { A = 0; C = 2; B = 1; }\n",
    );
    let b = parse(
        "// comment\nsyntax = \"proto3\";\npackage p;\noption go_package = \"y\";\n\
         option java_package = \"x\";\n\nenum E { A = 0; B = 1; C = 2; }\n\
         message M {\n  reserved \"z\";\n  reserved 5 to 6, 8;\n  int32 a = 1 [deprecated = true, json_name = \"q\"];\n  int32 b = 2;\n}\n",
    );
    assert_eq!(a.normalized_text(), b.normalized_text());
    assert_ne!(a.canonical_text(), b.canonical_text());
}

#[test]
fn message_nested_two_thousand_deep_is_an_error_not_a_crash() {
    let mut text = String::from("syntax = \"proto3\";\n");
    for i in 0..2000 {
        text.push_str(&format!("message M{i} {{\n"));
    }
    text.push_str(&"}\n".repeat(2000));
    let err = ProtobufSchema::parse(&text, &[]).expect_err("too deep");
    assert!(err.message.starts_with("Could not parse Protobuf"), "{err}");
}

#[test]
fn deeply_nested_option_value_is_an_error_not_a_crash() {
    let text = format!(
        "syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\n\
         message A {{ int32 a = 1 [(x) = {}{}]; }}\n",
        "{ a: ".repeat(5000),
        "}".repeat(5000)
    );
    assert!(ProtobufSchema::parse(&text, &[]).is_err());
}

#[test]
fn two_thousand_messages_referencing_each_other_in_a_chain_parse() {
    let mut text = String::from("syntax = \"proto3\";\n");
    for i in 0..2000 {
        text.push_str(&format!("message M{i} {{ M{} next = 1; }}\n", i + 1));
    }
    text.push_str("message M2000 { M0 first = 1; }\n");
    let schema = parse(&text);
    assert!(schema
        .canonical_text()
        .contains("message M1999 {\n  M2000 next = 1;\n}\n"));
}

#[test]
fn parsed_schema_dispatches_protobuf() {
    let parsed = ParsedSchema::parse(
        SchemaType::Protobuf,
        "message A { optional int32 a = 1; }",
        &[],
    )
    .expect("parses");
    assert_eq!(parsed.schema_type(), SchemaType::Protobuf);
    assert_eq!(
        parsed.canonical_text(),
        "\nmessage A {\n  optional int32 a = 1;\n}\n"
    );
    assert_eq!(
        parsed.formatted("ignore_extensions"),
        Some(parsed.canonical_text())
    );
}

#[test]
fn import_chain_two_thousand_references_deep_is_an_error_not_a_crash() {
    let count = 2000;
    let texts: Vec<(String, String)> = (0..count)
        .map(|i| {
            let import = if i + 1 < count {
                format!("import \"f{}.proto\";\n", i + 1)
            } else {
                String::new()
            };
            let text = format!("syntax = \"proto3\";\n{import}message M{i} {{}}\n");
            (format!("f{i}.proto"), text)
        })
        .collect();
    let refs: Vec<Referenced<'_>> = texts
        .iter()
        .rev()
        .map(|(name, text)| Referenced { name, text })
        .collect();
    let text = "syntax = \"proto3\";\nimport \"f0.proto\";\nmessage A { M0 m = 1; }\n";
    let err = ProtobufSchema::parse(text, &refs).expect_err("too deep");
    assert!(err.message.contains("imports nest deeper"), "{err}");
    assert!(ProtobufSchema::parse(text, &refs[count - 10..]).is_ok());
}
