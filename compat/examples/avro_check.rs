//! Reader/writer checks in bulk, for the differential test against the
//! Apache Avro Python checker (`scripts/avro_differential.py`): one process
//! answers every pair, so thousands of pairs take well under a second.
//!
//! stdin: one JSON object per line, `{"reader": <schema>, "writer": <schema>}`,
//! each schema given as its JSON value. stdout: one line per input line,
//! `{"compatible": bool, "incompatibilities": [{"type", "location", "message"}]}`,
//! `{"compatible": false, "aborted": "<exception text>"}` where Java throws,
//! or `{"error": "<why the line or a schema was rejected>"}`.

use std::io::{self, BufRead, BufWriter, Write};

use serde_json::{json, Value};
use treaty_compat::avro::compatibility::check_reader_writer;
use treaty_compat::avro::AvroSchema;

fn main() -> io::Result<()> {
    let stdin = io::stdin();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let answer = answer(&line?);
        writeln!(out, "{answer}")?;
    }
    out.flush()
}

fn answer(line: &str) -> Value {
    match check_line(line) {
        Ok(answer) => answer,
        Err(error) => json!({ "error": error }),
    }
}

fn check_line(line: &str) -> Result<Value, String> {
    let pair: Value = serde_json::from_str(line).map_err(|e| format!("bad input line: {e}"))?;
    let reader = schema(&pair, "reader")?;
    let writer = schema(&pair, "writer")?;
    Ok(match check_reader_writer(&reader, &writer) {
        Ok(found) => json!({
            "compatible": found.is_empty(),
            "incompatibilities": found.iter().map(|i| json!({
                "type": i.kind.as_str(),
                "location": i.location,
                "message": i.message,
            })).collect::<Vec<_>>(),
        }),
        Err(aborted) => json!({ "compatible": false, "aborted": aborted.message }),
    })
}

fn schema(pair: &Value, side: &str) -> Result<AvroSchema, String> {
    let value = pair.get(side).ok_or_else(|| format!("no \"{side}\""))?;
    AvroSchema::parse(&value.to_string(), &[]).map_err(|e| format!("{side}: {e}"))
}
