//! Treaty's answers for every Protobuf fixture case in one run, for the
//! differential test against `buf breaking`
//! (`scripts/protobuf-differential.sh`).
//!
//! stdout: one JSON object per pair case (`old.proto` + `new.proto`):
//! `{"case", "backward", "forward", "wire_backward", "wire_forward"}` —
//! Confluent's verdicts, and the strict mode's Buf rule ids for old → new
//! and new → old, sorted and deduplicated; `{"case", "error"}` for a case
//! that does not load.

#[path = "../tests/support/fixture_cases.rs"]
mod fixture_cases;
#[path = "../tests/support/protobuf_cases.rs"]
mod protobuf_cases;

use std::collections::BTreeSet;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use fixture_cases::{case_dirs, case_name};
use protobuf_cases::load;
use serde_json::{json, Value};
use treaty_compat::protobuf::compatibility::{findings, wire};
use treaty_compat::protobuf::ProtobufSchema;
use treaty_compat::Direction;

fn main() -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    for dir in case_dirs("protobuf") {
        if dir.join("old.proto").exists() {
            writeln!(out, "{}", answer(&dir))?;
        }
    }
    out.flush()
}

fn answer(dir: &Path) -> Value {
    let name = case_name(dir);
    match (load(dir, "old.proto", "old"), load(dir, "new.proto", "new")) {
        (Ok(old), Ok(new)) => json!({
            "case": name,
            "backward": findings(&new, &old, Direction::Backward, false).is_empty(),
            "forward": findings(&old, &new, Direction::Forward, false).is_empty(),
            "wire_backward": rule_ids(&old, &new),
            "wire_forward": rule_ids(&new, &old),
        }),
        (Err(error), _) | (_, Err(error)) => json!({ "case": name, "error": error }),
    }
}

fn rule_ids(previous: &ProtobufSchema, current: &ProtobufSchema) -> Vec<&'static str> {
    let ids: BTreeSet<&'static str> = wire::findings(&previous.file, &current.file)
        .iter()
        .map(|f| f.rule.as_str())
        .collect();
    ids.into_iter().collect()
}
