//! `treaty export` and `treaty import`: a data dir's records as JSON lines,
//! one `{"key": …, "value": …}` a line in the shapes of Confluent's
//! `_schemas` topic, in the order they were written. Export reads a
//! running server's data dir without stopping it; import fills an empty
//! data dir ([`import`]) or a running registry ([`remote`]) from such a
//! file or from a dump of a Confluent `_schemas` topic ([`dump`]), so ids,
//! versions, deletes, configs and modes come back as they were.

pub mod dump;
mod progress;
pub mod remote;

use std::error::Error;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::log::{LocalLog, Log};
use crate::records::{Record, RecordKey};
use crate::store::Store;
use progress::Progress;
use remote::RemoteRegistry;

/// Records written to the store per batch on import.
const IMPORT_BATCH: usize = 1000;

/// `-`: standard input or output instead of a file.
const STANDARD_STREAM: &str = "-";

/// Writes every record of the store in `data_dir` to `file`; the count.
pub fn export(data_dir: &Path, file: &Path) -> Result<usize, Box<dyn Error>> {
    let store = Store::open_read_only(data_dir)
        .map_err(|e| format!("cannot read data dir {}: {e}", data_dir.display()))?;
    let out: Box<dyn Write> = match file.to_str() {
        Some(STANDARD_STREAM) => Box::new(std::io::stdout().lock()),
        _ => Box::new(
            File::create(file).map_err(|e| format!("cannot create {}: {e}", file.display()))?,
        ),
    };
    let mut out = BufWriter::new(out);
    let mut written = 0;
    let mut failure = None;
    let progress = Progress::new("exported");
    store.replay(
        |record| line(&record),
        |line| {
            if failure.is_none() {
                match writeln!(out, "{line}") {
                    Ok(()) => {
                        written += 1;
                        progress.advance();
                    }
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

/// The shape of the lines an import reads.
pub enum Source {
    /// `treaty export`'s JSON lines.
    Export,
    /// A `_schemas` topic dump ([`dump`]): key, `separator`, value.
    TopicDump { separator: String },
}

/// Where an import puts the records.
pub enum Target<'a> {
    /// An empty data dir.
    DataDir(&'a Path),
    /// A running registry, through IMPORT mode.
    Registry(RemoteRegistry),
}

/// What an import did.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    /// Records applied.
    pub imported: usize,
    /// Records read that change nothing where they went, or that treaty
    /// does not apply (each logged with its reason).
    pub skipped: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "imported {} records, skipped {}",
            self.imported, self.skipped
        )
    }
}

/// Reads the records of `file` in the shape `source` says and applies them
/// to `target`, in order.
pub fn import(source: &Source, file: &Path, target: Target) -> Result<Summary, Box<dyn Error>> {
    let input: Box<dyn BufRead> = match file.to_str() {
        Some(STANDARD_STREAM) => Box::new(std::io::stdin().lock()),
        _ => Box::new(BufReader::new(
            File::open(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?,
        )),
    };
    let mut summary = Summary::default();
    let progress = Progress::new("read");
    let records = input.lines().enumerate().filter_map(|(number, text)| {
        let text = match text {
            Ok(text) => text,
            Err(e) => return Some(Err(format!("cannot read {}: {e}", file.display()))),
        };
        let comment = matches!(source, Source::TopicDump { .. }) && text.starts_with('#');
        progress.advance();
        if text.trim().is_empty() || comment {
            return None;
        }
        let parsed = match source {
            Source::Export => parse_line(&text).map(Some).map_err(|e| e.to_string()),
            Source::TopicDump { separator } => {
                dump::parse_line(text.trim_end_matches('\r'), separator).map(|read| {
                    read.map_err(|skipped| {
                        tracing::warn!("line {}: skipped: {}", number + 1, skipped.0);
                    })
                    .ok()
                })
            }
        };
        Some(parsed.map_err(|e| format!("line {}: {e}", number + 1)))
    });
    let mut records = records.filter_map(|read| match read {
        Ok(Some(record)) => Some(Ok(record)),
        Ok(None) => {
            summary.skipped += 1;
            None
        }
        Err(error) => Some(Err(error)),
    });
    let applied = match target {
        Target::DataDir(data_dir) => into_data_dir(data_dir, &mut records),
        Target::Registry(registry) => into_registry(registry, &mut records),
    }?;
    drop(records);
    summary.imported = applied.imported;
    summary.skipped += applied.skipped;
    Ok(summary)
}

type Records<'r> = dyn Iterator<Item = Result<Record, String>> + 'r;

fn into_data_dir(data_dir: &Path, records: &mut Records) -> Result<Summary, Box<dyn Error>> {
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
    let mut summary = Summary::default();
    for record in records {
        batch.push(record?);
        if batch.len() == IMPORT_BATCH {
            log.append(&batch)?;
            summary.imported += batch.len();
            batch.clear();
        }
    }
    if !batch.is_empty() {
        log.append(&batch)?;
        summary.imported += batch.len();
    }
    store.flush()?;
    Ok(summary)
}

fn into_registry(
    mut registry: RemoteRegistry,
    records: &mut Records,
) -> Result<Summary, Box<dyn Error>> {
    let mut summary = Summary::default();
    for record in records {
        let restored = record
            .map_err(Box::<dyn Error>::from)
            .and_then(|record| registry.restore(record));
        match restored {
            Ok(true) => summary.imported += 1,
            Ok(false) => summary.skipped += 1,
            Err(error) => {
                registry.abandon();
                return Err(error);
            }
        }
    }
    registry.finish()?;
    Ok(summary)
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
