//! Reading the Protobuf compatibility cases under
//! `tests/fixtures/compat/protobuf/` (shared by the fixture test and the
//! `protobuf_check` example).
//!
//! A case directory holds `old.proto` and `new.proto` (or `v1.proto`,
//! `v2.proto`, … oldest first, and `new.proto`), `expected.json`, and
//! optionally imported files by import path under `imports/` (both sides),
//! `old_imports/` or `new_imports/` (one side).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use treaty_compat::protobuf::ProtobufSchema;
use treaty_compat::Referenced;

/// The imported files one side of a case sees, by import path.
pub fn imports(dir: &Path, side: &str) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    for folder in ["imports".to_string(), format!("{side}_imports")] {
        collect(&dir.join(&folder), &dir.join(&folder), &mut files)?;
    }
    Ok(files)
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) -> Result<(), String> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else {
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.insert(name, text);
        }
    }
    Ok(())
}

/// Parses `file` of the case (e.g. `old.proto`) with `side`'s imports as
/// its references.
pub fn load(dir: &Path, file: &str, side: &str) -> Result<ProtobufSchema, String> {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let imports = imports(dir, side)?;
    let references: Vec<Referenced<'_>> = imports
        .iter()
        .map(|(name, text)| Referenced { name, text })
        .collect();
    ProtobufSchema::parse(&text, &references).map_err(|e| format!("{file} does not parse: {e}"))
}
