//! Reading to the true end of the log, Confluent's way: write a NOOP and
//! read until past it. A new writer does this before it allocates any id,
//! so that it has seen every id an earlier writer committed.

use super::{Error, ReadEvent, Reader, Writer};
use crate::records::Record;

/// Appends a NOOP with `writer`, hands every event `reader` reads up to and
/// including it to `apply`, and answers the offset after the NOOP.
pub async fn catch_up(
    writer: &Writer,
    reader: &mut Reader,
    mut apply: impl FnMut(ReadEvent),
) -> Result<i64, Error> {
    let noop = writer.append(&[Record::Noop]).await?[0];
    while reader.next_offset() <= noop {
        apply(reader.next().await?);
    }
    Ok(reader.next_offset())
}
