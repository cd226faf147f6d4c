//! Loading a schema file from a tree with the schemas it references, found
//! the way each format names them: Protobuf imports by path, JSON Schema
//! `$ref`s to files relative to the referrer, Avro named types defined in
//! the manifest's other `.avsc` files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use treaty_compat::{ParsedSchema, Referenced, SchemaType};

use super::locate::{self, Location};
use super::manifest::Resolved;
use super::tree::Tree;

/// Why a file did not load, located where the parser says.
#[derive(Clone, Debug, Serialize)]
pub struct SchemaError {
    pub file: PathBuf,
    /// Serialized as `line` and `column`, absent when unknown.
    #[serde(flatten)]
    pub location: Option<Location>,
    pub message: String,
}

/// A referenced file: the name the referrer uses and its text.
struct Reference {
    name: String,
    text: String,
}

/// Loads schemas from one tree, finding their references in it.
pub struct Loader<'a> {
    tree: &'a Tree,
    /// Avro full name → the file defining it.
    avro_names: HashMap<String, PathBuf>,
    /// The directories Protobuf imports are relative to, in order.
    import_paths: Vec<PathBuf>,
}

impl<'a> Loader<'a> {
    /// A loader for the manifest's schemas: Avro types may come from any
    /// of its `.avsc` files, Protobuf imports from its import paths.
    pub fn for_manifest(tree: &'a Tree, manifest: &Resolved) -> Loader<'a> {
        let mut avro_names = HashMap::new();
        for subject in &manifest.subjects {
            if subject.schema_type != SchemaType::Avro {
                continue;
            }
            let file = &subject.file;
            let Some(json) = tree.read(file).and_then(|t| serde_json::from_str(&t).ok()) else {
                continue;
            };
            for name in avro_defined_names(&json, "") {
                avro_names.insert(name, file.clone());
            }
        }
        Loader {
            tree,
            avro_names,
            import_paths: manifest.import_paths.clone(),
        }
    }

    /// A loader for files outside a manifest: Protobuf imports are
    /// relative to the tree's root, Avro types are not looked up elsewhere.
    pub fn standalone(tree: &'a Tree) -> Loader<'a> {
        Loader {
            tree,
            avro_names: HashMap::new(),
            import_paths: vec![PathBuf::new()],
        }
    }

    /// The file parsed with its references; `Ok(None)` when the tree has
    /// no such file.
    pub fn load(
        &self,
        file: &Path,
        schema_type: SchemaType,
    ) -> Result<Option<ParsedSchema>, SchemaError> {
        let Some(text) = self.tree.read(file) else {
            return Ok(None);
        };
        let error = |message: String| located(file, schema_type, &text, message);
        let mut references = Vec::new();
        self.collect_references(
            file,
            &text,
            schema_type,
            &mut references,
            &mut vec![file.to_path_buf()],
        )
        .map_err(error)?;
        let referenced: Vec<Referenced<'_>> = references
            .iter()
            .map(|r| Referenced {
                name: &r.name,
                text: &r.text,
            })
            .collect();
        ParsedSchema::parse(schema_type, &text, &referenced)
            .map(Some)
            .map_err(|e| error(e.message))
    }

    /// Appends `file`'s references, transitively, dependencies first, each
    /// once; `visiting` holds the files on the current path, to stop cycles.
    fn collect_references(
        &self,
        file: &Path,
        text: &str,
        schema_type: SchemaType,
        out: &mut Vec<Reference>,
        visiting: &mut Vec<PathBuf>,
    ) -> Result<(), String> {
        for (name, path) in self.references_of(file, text, schema_type) {
            if out.iter().any(|r| r.name == name) || visiting.contains(&path) {
                continue;
            }
            let Some(referenced) = self.tree.read(&path) else {
                if schema_type == SchemaType::Protobuf {
                    // Not in the tree: one of the imports the parser bundles
                    // (google/protobuf/…), or it reports the missing import.
                    continue;
                }
                return Err(format!(
                    "references {name}, but {} is not in {}",
                    path.display(),
                    self.tree.describe()
                ));
            };
            visiting.push(path.clone());
            self.collect_references(&path, &referenced, schema_type, out, visiting)?;
            visiting.pop();
            out.push(Reference {
                name,
                text: referenced,
            });
        }
        Ok(())
    }

    /// The file an import names: under the first import path that has it
    /// (under the first one when none has: the parser may bundle it).
    fn import_file(&self, import: &str) -> PathBuf {
        let candidates = self.import_paths.iter().map(|root| root.join(import));
        let mut first = None;
        for candidate in candidates {
            if self.tree.read(&candidate).is_some() {
                return candidate;
            }
            first.get_or_insert(candidate);
        }
        first.unwrap_or_else(|| PathBuf::from(import))
    }

    /// The names `text` references and the files they are in.
    fn references_of(
        &self,
        file: &Path,
        text: &str,
        schema_type: SchemaType,
    ) -> Vec<(String, PathBuf)> {
        match schema_type {
            SchemaType::Protobuf => protobuf_imports(text)
                .into_iter()
                .map(|import| {
                    let path = self.import_file(&import);
                    (import, path)
                })
                .collect(),
            SchemaType::Json => {
                let Ok(json) = serde_json::from_str::<Value>(text) else {
                    return Vec::new();
                };
                let dir = file.parent().unwrap_or(Path::new(""));
                let mut refs = Vec::new();
                json_file_refs(&json, &mut refs);
                refs.into_iter()
                    .map(|r| {
                        let path = normalize(&dir.join(&r));
                        (r, path)
                    })
                    .collect()
            }
            SchemaType::Avro => {
                let Ok(json) = serde_json::from_str::<Value>(text) else {
                    return Vec::new();
                };
                let own = avro_defined_names(&json, "");
                let namespace = json.get("namespace").and_then(Value::as_str).unwrap_or("");
                let mut used = Vec::new();
                avro_type_names(&json, &mut used);
                let mut refs: Vec<(String, PathBuf)> = Vec::new();
                for name in used {
                    let qualified = if name.contains('.') || namespace.is_empty() {
                        name.clone()
                    } else {
                        format!("{namespace}.{name}")
                    };
                    for candidate in [qualified, name] {
                        if own.contains(&candidate) {
                            break;
                        }
                        if let Some(path) = self.avro_names.get(&candidate) {
                            if path != file && !refs.iter().any(|(_, p)| p == path) {
                                refs.push((path.to_string_lossy().into_owned(), path.clone()));
                            }
                            break;
                        }
                    }
                }
                refs
            }
        }
    }
}

/// A parse error located: the file, and line and column where the parser
/// gives them (Protobuf's `:L:C:`), where the text is not JSON at all, or
/// at what the message names (see `locate::schema_error`).
fn located(file: &Path, schema_type: SchemaType, text: &str, message: String) -> SchemaError {
    let location = protobuf_location(&message)
        .or_else(|| {
            (schema_type != SchemaType::Protobuf)
                .then(|| serde_json::from_str::<Value>(text).err())
                .flatten()
                .map(|e| (e.line(), e.column()))
        })
        .map(|(line, column)| Location { line, column })
        .or_else(|| locate::schema_error(schema_type, text, &message));
    SchemaError {
        file: file.to_path_buf(),
        location,
        message,
    }
}

/// `line:column` of compat's Protobuf messages (`… in :12:5: …`) when the
/// error is in the file itself.
fn protobuf_location(message: &str) -> Option<(usize, usize)> {
    let rest = message.split(" in :").nth(1)?;
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((line, column))
}

/// The paths of `import "…";` statements (plain, `public` and `weak`).
fn protobuf_imports(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with("import ") || line.starts_with("import\""))
        .filter_map(|line| {
            let start = line.find('"')? + 1;
            let end = start + line[start..].find('"')?;
            Some(line[start..end].to_string())
        })
        .collect()
}

/// The `$ref`s naming another document (not `#…` inside this one, not a
/// URL), without their fragment.
fn json_file_refs(json: &Value, out: &mut Vec<String>) {
    match json {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let document = reference.split('#').next().unwrap_or_default();
                if !document.is_empty()
                    && !document.contains("://")
                    && !out.iter().any(|r| r == document)
                {
                    out.push(document.to_string());
                }
            }
            map.values().for_each(|v| json_file_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| json_file_refs(v, out)),
        _ => {}
    }
}

/// The full names of the Avro named types `json` defines.
fn avro_defined_names(json: &Value, namespace: &str) -> Vec<String> {
    let mut names = Vec::new();
    match json {
        Value::Object(map) => {
            let namespace = map
                .get("namespace")
                .and_then(Value::as_str)
                .unwrap_or(namespace);
            let is_named = matches!(
                map.get("type").and_then(Value::as_str),
                Some("record" | "error" | "enum" | "fixed")
            );
            let mut inner_namespace = namespace.to_string();
            if let (true, Some(name)) = (is_named, map.get("name").and_then(Value::as_str)) {
                let full = if name.contains('.') || namespace.is_empty() {
                    name.to_string()
                } else {
                    format!("{namespace}.{name}")
                };
                inner_namespace = full
                    .rsplit_once('.')
                    .map(|(ns, _)| ns.to_string())
                    .unwrap_or_default();
                names.push(full);
            }
            for value in map.values() {
                names.extend(avro_defined_names(value, &inner_namespace));
            }
        }
        Value::Array(items) => {
            for item in items {
                names.extend(avro_defined_names(item, namespace));
            }
        }
        _ => {}
    }
    names
}

/// The type names `json` uses where Avro expects a type: a union's
/// branches, a field's type, an array's items, a map's values.
fn avro_type_names(json: &Value, out: &mut Vec<String>) {
    match json {
        Value::String(name) => out.push(name.clone()),
        Value::Array(branches) => branches.iter().for_each(|b| avro_type_names(b, out)),
        Value::Object(map) => match map.get("type") {
            Some(Value::String(kind)) if kind == "record" || kind == "error" => {
                for field in map
                    .get("fields")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(field_type) = field.get("type") {
                        avro_type_names(field_type, out);
                    }
                }
            }
            Some(Value::String(kind)) if kind == "array" => {
                map.get("items")
                    .into_iter()
                    .for_each(|t| avro_type_names(t, out));
            }
            Some(Value::String(kind)) if kind == "map" => {
                map.get("values")
                    .into_iter()
                    .for_each(|t| avro_type_names(t, out));
            }
            Some(Value::String(kind)) if kind == "enum" || kind == "fixed" => {}
            Some(other) => avro_type_names(other, out),
            None => {}
        },
        _ => {}
    }
}

/// `a/./b/../c` → `a/c`, lexically, so one file has one name.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
