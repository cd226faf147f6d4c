//! Layers point down: `api` → `auth`, `usage` and `registry` → `log` →
//! `store` → `records`, with `compat` below all of them (`usage` reads the
//! registry and keeps its figures in the store). The same check by hand:
//! `grep -rn "crate::registry" src/store src/log src/records.rs` and
//! `grep -rn "crate::api" src/auth src/registry src/store src/log` find
//! nothing.

use std::path::Path;

/// Every `.rs` file under `path` (or `path` itself).
fn sources(path: &Path) -> Vec<std::path::PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).unwrap() {
        files.extend(sources(&entry.unwrap().path()));
    }
    files
}

#[test]
fn no_layer_uses_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rules: [(&[&str], &[&str]); 5] = [
        (
            &["records.rs"],
            &[
                "crate::store",
                "crate::log",
                "crate::registry",
                "crate::auth",
                "crate::api",
                "crate::usage",
            ],
        ),
        (
            &["store"],
            &[
                "crate::log",
                "crate::registry",
                "crate::auth",
                "crate::api",
                "crate::usage",
            ],
        ),
        (
            &["log"],
            &[
                "crate::registry",
                "crate::auth",
                "crate::api",
                "crate::usage",
            ],
        ),
        (&["registry", "auth"], &["crate::api", "crate::usage"]),
        (&["usage"], &["crate::api", "crate::auth"]),
    ];
    let mut violations = Vec::new();
    for (layers, above) in rules {
        for layer in layers {
            for file in sources(&src.join(layer)) {
                let text = std::fs::read_to_string(&file).unwrap();
                for (number, line) in text.lines().enumerate() {
                    if let Some(path) = above.iter().find(|path| line.contains(*path)) {
                        violations.push(format!("{}:{}: {path}", file.display(), number + 1));
                    }
                }
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
}
