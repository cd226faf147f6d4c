//! Canonical and normalised texts are fixed points: parsing the text a
//! schema is stored as and rendering it again gives that same text.
//!
//! The server relies on it: a lookup (without `normalize`) whose text is
//! exactly a stored text finds that version without parsing, since the
//! parse would give the stored text back, whether it was stored canonical
//! or normalised. Checked on every Avro and JSON Schema of every fixture
//! folder that parses without references.
//!
//! Protobuf is not a fixed point (a field's `json_name` moves behind its
//! other options when printed twice), so the server always parses it.

use std::fs;
use std::path::{Path, PathBuf};

use treaty_compat::{ParsedSchema, SchemaType};

fn schema_files(root: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(root).expect("fixture folder") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            schema_files(&path, out);
        } else if schema_type(&path).is_some() {
            out.push(path);
        }
    }
}

fn schema_type(path: &Path) -> Option<SchemaType> {
    let name = path.file_name()?.to_str()?;
    match path.extension()?.to_str()? {
        "avsc" => Some(SchemaType::Avro),
        "json"
            if !["expected.json", "references.json"].contains(&name)
                && name.chars().next()?.is_ascii_lowercase() =>
        {
            Some(SchemaType::Json)
        }
        _ => None,
    }
}

/// The texts `text` would be stored as: canonical, and normalised when it
/// normalises.
fn stored_forms(schema_type: SchemaType, text: &str) -> Option<Vec<String>> {
    let parsed = ParsedSchema::parse(schema_type, text, &[]).ok()?;
    let mut forms = vec![parsed.canonical_text()];
    forms.extend(parsed.normalized_text().ok());
    Some(forms)
}

#[test]
fn stored_texts_parse_back_to_themselves() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    schema_files(&manifest.join("../tests/fixtures/compat"), &mut files);
    schema_files(&manifest.join("tests/fixtures"), &mut files);
    let mut checked = [0usize; 3];
    let mut failures = Vec::new();
    for file in &files {
        let schema_type = schema_type(file).expect("listed by type");
        let text = fs::read_to_string(file).expect("fixture text");
        let Some(forms) = stored_forms(schema_type, &text) else {
            continue;
        };
        for stored in forms {
            let again = ParsedSchema::parse(schema_type, &stored, &[]).map(|p| p.canonical_text());
            if again.as_ref() != Ok(&stored) {
                failures.push(format!(
                    "{}:\nstored {stored}\nagain  {again:?}",
                    file.display()
                ));
            }
        }
        checked[schema_type as usize] += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let (avro, json) = (
        checked[SchemaType::Avro as usize],
        checked[SchemaType::Json as usize],
    );
    assert!(
        avro >= 300 && json >= 300,
        "too few schemas parsed: {avro} Avro, {json} JSON"
    );
}
