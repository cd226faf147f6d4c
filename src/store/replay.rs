//! Replaying the store at startup on both cores: one thread reads batches
//! of raw records, a second decodes them (JSON, then the caller's
//! `prepare`), and the caller's thread applies them in log order. Whenever
//! the next batch to apply is not decoded yet, the caller's thread decodes
//! a waiting batch itself instead of idling, so neither core waits on the
//! other whichever side is slower.

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

use super::{decode_record, frame, StoreError};
use crate::records::Record;

/// A log entry as RocksDB returns it: a [`frame`].
pub type RawRecord = Box<[u8]>;

/// Batches read ahead of decoding, and decoded ahead of applying.
const AHEAD: usize = 8;

/// Batches are numbered in the order they were read.
type Numbered<B> = (u64, B);

/// Raw batches, taken by whichever thread is free to decode.
type RawQueue = Arc<Mutex<Receiver<Numbered<Vec<RawRecord>>>>>;

/// A batch's records made ready to apply.
type Decoded<T> = Vec<T>;

/// Reads with `read_all` (which hands each batch to its argument, and stops
/// when that answers `false`), prepares every record and applies it, in
/// the order read.
pub fn run<T: Send>(
    read_all: impl FnOnce(&mut dyn FnMut(Vec<RawRecord>) -> bool) -> Result<(), StoreError> + Send,
    prepare: impl Fn(Record) -> T + Sync,
    apply: impl FnMut(T),
) -> Result<(), StoreError> {
    let (raw_sender, raw) = sync_channel(AHEAD);
    let raw: RawQueue = Arc::new(Mutex::new(raw));
    let (decoded_sender, decoded) = sync_channel(AHEAD);
    let prepare = &prepare;
    std::thread::scope(|scope| {
        let read_failure = decoded_sender.clone();
        scope.spawn(move || {
            let mut number = 0;
            let outcome = read_all(&mut |batch| {
                number += 1;
                raw_sender.send((number - 1, batch)).is_ok()
            });
            if let Err(error) = outcome {
                // Takes the place of the batch that could not be read.
                let _ = read_failure.send((number, Err(error)));
            }
        });
        let queue = Arc::clone(&raw);
        scope.spawn(move || {
            while let Some((number, batch)) = take(&queue) {
                if decoded_sender
                    .send((number, decode(batch, prepare)))
                    .is_err()
                {
                    break;
                }
            }
        });
        // Owns the caller's ends: when it returns, early on an error too,
        // the channels close and the other threads stop.
        apply_in_order(raw, decoded, prepare, apply)
    })
}

fn apply_in_order<T>(
    raw: RawQueue,
    decoded: Receiver<Numbered<Result<Decoded<T>, StoreError>>>,
    prepare: impl Fn(Record) -> T,
    mut apply: impl FnMut(T),
) -> Result<(), StoreError> {
    let mut ready = BTreeMap::new();
    let mut next = 0;
    loop {
        if let Some(batch) = ready.remove(&next) {
            let batch: Decoded<T> = batch?;
            batch.into_iter().for_each(&mut apply);
            next += 1;
            continue;
        }
        if let Ok(numbered) = decoded.try_recv() {
            ready.insert(numbered.0, numbered.1);
            continue;
        }
        // The decoding thread holds the lock only while it waits for a
        // batch to be read: then there is none to take here either.
        let waiting = raw.try_lock().ok().and_then(|queue| queue.try_recv().ok());
        let (number, batch) = match waiting {
            Some((number, batch)) => (number, decode(batch, &prepare)),
            None => match decoded.recv() {
                Ok(numbered) => numbered,
                Err(_) => break,
            },
        };
        ready.insert(number, batch);
    }
    debug_assert!(ready.is_empty(), "every batch read was applied");
    Ok(())
}

fn take(queue: &RawQueue) -> Option<Numbered<Vec<RawRecord>>> {
    queue.lock().ok()?.recv().ok()
}

fn decode<T>(raw: Vec<RawRecord>, prepare: impl Fn(Record) -> T) -> Result<Decoded<T>, StoreError> {
    raw.iter()
        .map(|entry| {
            let (key, value) = frame::decode(entry)?;
            Ok(prepare(decode_record(key, value)?))
        })
        .collect()
}
