//! Writes a treaty data dir directly, in treaty's own record format, through
//! `treaty::log::LocalLog`: `--subjects` subjects × `--versions` versions, each
//! version a distinct Avro schema with its own id (see the crate docs for
//! the layout). A million versions take seconds this way instead of minutes
//! of HTTP registrations; the state treaty loads from it is the state the
//! same registrations would have produced.

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use std::sync::Arc;

use treaty::log::{LocalLog, Log};
use treaty::records::{IdWatermarkValue, Record, SchemaValue};
use treaty::store::Store;
use treaty_bench::{schema_text, subject_name};

#[derive(Parser)]
struct Args {
    /// The data dir to create (must not hold a registry yet).
    #[arg(long)]
    data_dir: PathBuf,
    #[arg(long, default_value_t = 100_000)]
    subjects: u64,
    #[arg(long, default_value_t = 10)]
    versions: u64,
    /// Records per synced RocksDB batch.
    #[arg(long, default_value_t = 20_000)]
    batch: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let started = Instant::now();
    let store = Arc::new(Store::open(&args.data_dir).map_err(|e| e.0)?);
    let log = LocalLog::new(Arc::clone(&store))?;
    let mut batch = Vec::with_capacity(args.batch);
    let mut max_id = 0i32;
    for s in 0..args.subjects {
        let subject = subject_name(s);
        for v in 1..=args.versions {
            let id = i32::try_from(s * args.versions + v)?;
            let version = i32::try_from(v)?;
            max_id = max_id.max(id);
            let value = SchemaValue::new(&subject, version, id, &schema_text(s, v));
            batch.push(Record::Schema(subject.clone(), version, Some(value)));
            if batch.len() == args.batch {
                log.append(&batch)?;
                batch.clear();
            }
        }
    }
    batch.push(Record::IdWatermark(
        treaty::registry::DEFAULT_CONTEXT.to_owned(),
        IdWatermarkValue { id: max_id },
    ));
    log.append(&batch)?;
    // As a registry stopped gracefully leaves it: nothing left in the WAL.
    store.flush().map_err(|e| e.0)?;
    println!(
        "preloaded {} subjects x {} versions (ids 1..={max_id}) into {} in {:.1}s",
        args.subjects,
        args.versions,
        args.data_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
