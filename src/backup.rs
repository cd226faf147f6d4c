//! `treaty export` and `treaty import`: a data dir's records as JSON lines,
//! one `{"key": …, "value": …}` a line in the shapes of Confluent's
//! `_schemas` topic, in the order they were written. Export reads a
//! running server's data dir without stopping it; import fills an empty
//! one, so ids, versions, deletes, configs and modes come back as they
//! were.

use std::error::Error;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::log::{LocalLog, Log};
use crate::records::{Record, RecordKey};
use crate::store::Store;

/// Records written to the store per batch on import.
const IMPORT_BATCH: usize = 1000;

/// Writes every record of the store in `data_dir` to `file`; the count.
pub fn export(data_dir: &Path, file: &Path) -> Result<usize, Box<dyn Error>> {
    let store = Store::open_read_only(data_dir)
        .map_err(|e| format!("cannot read data dir {}: {e}", data_dir.display()))?;
    let out = File::create(file).map_err(|e| format!("cannot create {}: {e}", file.display()))?;
    let mut out = BufWriter::new(out);
    let mut written = 0;
    let mut failure = None;
    store.replay(
        |record| line(&record),
        |line| {
            if failure.is_none() {
                match writeln!(out, "{line}") {
                    Ok(()) => written += 1,
                    Err(error) => failure = Some(error),
                }
            }
        },
    )?;
    if let Some(error) = failure {
        return Err(format!("cannot write {}: {error}", file.display()).into());
    }
    out.flush()
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(written)
}

fn line(record: &Record) -> String {
    let value = record
        .value_json()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .unwrap_or(Value::Null);
    json!({"key": record.key(), "value": value}).to_string()
}

/// Loads the records of `file` into the empty store in `data_dir`; the
/// count.
pub fn import(data_dir: &Path, file: &Path) -> Result<usize, Box<dyn Error>> {
    let input = File::open(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let store = Arc::new(
        Store::open(data_dir)
            .map_err(|e| format!("cannot open data dir {}: {e}", data_dir.display()))?,
    );
    if store.last_position()?.is_some() {
        return Err(format!(
            "data dir {} already holds records: import only into an empty one",
            data_dir.display()
        )
        .into());
    }
    let log = LocalLog::new(Arc::clone(&store))?;
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    let mut imported = 0;
    for (number, text) in BufReader::new(input).lines().enumerate() {
        let text = text.map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        if text.trim().is_empty() {
            continue;
        }
        let record = parse_line(&text).map_err(|e| format!("line {}: {e}", number + 1))?;
        batch.push(record);
        if batch.len() == IMPORT_BATCH {
            log.append(&batch)?;
            imported += batch.len();
            batch.clear();
        }
    }
    if !batch.is_empty() {
        log.append(&batch)?;
        imported += batch.len();
    }
    store.flush()?;
    Ok(imported)
}

fn parse_line(text: &str) -> Result<Record, Box<dyn Error>> {
    let mut line: Value = serde_json::from_str(text)?;
    let key: RecordKey = serde_json::from_value(line["key"].take())?;
    let value = match line["value"].take() {
        Value::Null => return Err("a record without a value".into()),
        value => serde_json::to_vec(&value)?,
    };
    Ok(Record::decode(key, Some(&value))?)
}
