//! Benchmark (not a test): a 200-field record checked FULL_TRANSITIVE against
//! 1,000 versions, all compatible, so every version is checked both ways
//! (2,000 reader/writer checks). Prints the best of several runs.
//!
//! `--emit <path>` also writes the workload (v1 … v1000, then the new
//! schema, one JSON per line) for `scripts/bench_avro_python.py`, which
//! times the same checks with Apache Avro's Python checker.
//!
//! Run: `cargo run --release -p treaty-compat --example bench_avro`.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use treaty_compat::{
    check, CheckOptions, CompatibilityLevel, ParsedSchema, PreviousVersion, SchemaType,
};

const FIELDS: usize = 200;
const VERSIONS: usize = 1000;
const RUNS: usize = 5;

fn main() {
    let texts: Vec<String> = (1..=VERSIONS + 1).map(|v| version(v).to_string()).collect();
    if let Some(path) = emit_path() {
        std::fs::write(&path, texts.join("\n") + "\n").expect("write workload");
        eprintln!("workload written to {path}");
    }
    let parse_started = Instant::now();
    let schemas: Vec<ParsedSchema> = texts
        .iter()
        .map(|t| ParsedSchema::parse(SchemaType::Avro, t, &[]).expect("workload parses"))
        .collect();
    let parse_time = parse_started.elapsed();
    let (new, old) = schemas.split_last().expect("schemas");
    let previous: Vec<PreviousVersion<'_>> = old
        .iter()
        .zip(&texts)
        .enumerate()
        .map(|(i, (schema, text))| PreviousVersion {
            version: i as i32 + 1,
            schema,
            text,
        })
        .collect();
    let best = (0..RUNS)
        .map(|_| time_check(new, &previous))
        .min()
        .expect("runs");
    println!(
        "treaty: FULL_TRANSITIVE, {FIELDS}-field record vs {VERSIONS} versions ({} reader/writer checks): {:.2} ms (best of {RUNS}; parsing {} schemas took {:.0} ms)",
        2 * VERSIONS,
        best.as_secs_f64() * 1e3,
        VERSIONS + 1,
        parse_time.as_secs_f64() * 1e3
    );
}

fn time_check(new: &ParsedSchema, previous: &[PreviousVersion<'_>]) -> Duration {
    let started = Instant::now();
    let verdict = check(
        CompatibilityLevel::FullTransitive,
        new,
        previous,
        &CheckOptions::default(),
    );
    let elapsed = started.elapsed();
    assert!(
        verdict.is_compatible(),
        "workload must be compatible: {verdict:?}"
    );
    elapsed
}

fn emit_path() -> Option<String> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (Some("--emit"), Some(path)) => Some(path),
        (None, _) => None,
        _ => {
            eprintln!("usage: bench_avro [--emit <path>]");
            std::process::exit(2);
        }
    }
}

/// Version `v` of the record: the same 200 fields (every kind of type, each
/// with a default), string/bytes alternating per version, enum symbols
/// varying (absorbed by the enum default), plus one version-specific field.
/// Any two versions are compatible both ways.
fn version(v: usize) -> Value {
    let mut fields: Vec<Value> = (0..FIELDS).map(|i| field(i, v)).collect();
    fields.push(json!({"name": format!("only_v{v}"), "type": "int", "default": 0}));
    json!({"type": "record", "name": "Wide", "namespace": "bench", "fields": fields})
}

fn field(i: usize, v: usize) -> Value {
    let name = format!("f{i:03}");
    let (schema, default) = match i % 10 {
        0 => (json!("int"), json!(0)),
        1 => (json!("long"), json!(0)),
        2 => (json!("double"), json!(0.0)),
        3 => (
            json!(if (i + v).is_multiple_of(2) {
                "string"
            } else {
                "bytes"
            }),
            json!(""),
        ),
        4 => {
            let mut symbols = vec!["A", "B", "C"];
            if v.is_multiple_of(3) {
                symbols.push("D");
            }
            (
                json!({"type": "enum", "name": format!("E{i}"), "symbols": symbols, "default": "A"}),
                json!("A"),
            )
        }
        5 => (
            json!({"type": "record", "name": format!("N{i}"), "fields": [
                {"name": "x", "type": "int", "default": 0},
                {"name": "y", "type": ["null", "string"], "default": null}
            ]}),
            json!({"x": 0, "y": null}),
        ),
        6 => (json!({"type": "array", "items": "string"}), json!([])),
        7 => (json!({"type": "map", "values": "long"}), json!({})),
        8 => (json!(["null", "string", "long"]), json!(null)),
        _ => (
            json!({"type": "fixed", "name": format!("F{i}"), "size": 16}),
            json!("0123456789abcdef"),
        ),
    };
    json!({"name": name, "type": schema, "default": default})
}
