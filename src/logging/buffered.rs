//! Standard error behind one buffer that a background thread flushes.

use std::io::{self, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// How long a line may wait in the buffer before it reaches standard error.
const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// Past this many buffered bytes, the logger that adds a line writes the
/// buffer itself: under a flood of lines loggers wait rather than lose
/// lines or grow the buffer without bound. A flush interval of request
/// lines at a hundred thousand requests a second stays well below it.
const WRITE_INLINE_ABOVE: usize = 4 * 1024 * 1024;

/// One line per request would otherwise be a `write` system call on the
/// hot path; handing each line to a writer thread instead costs a wake-up
/// and a context switch per line, which on a loaded machine costs more
/// than the write. Here a line is a copy under a lock held for just that
/// copy: the flushing thread swaps the buffer out and writes it after
/// releasing the lock.
#[derive(Clone)]
pub(super) struct BufferedStderr(Arc<Buffers>);

struct Buffers {
    /// Lines not yet handed to standard error.
    pending: Mutex<Vec<u8>>,
    /// Held from taking a batch out of `pending` until it is written, so
    /// that batches reach standard error in the order they were taken.
    writing: Mutex<()>,
}

impl BufferedStderr {
    /// The buffer, and the thread that flushes it every [`FLUSH_EVERY`].
    pub(super) fn start() -> Self {
        let buffered = Self(Arc::new(Buffers {
            pending: Mutex::new(Vec::with_capacity(64 * 1024)),
            writing: Mutex::new(()),
        }));
        let flusher = buffered.clone();
        thread::Builder::new()
            .name("log-flush".into())
            .spawn(move || {
                let mut batch = Vec::with_capacity(64 * 1024);
                loop {
                    thread::sleep(FLUSH_EVERY);
                    flusher.write_out(&mut batch);
                }
            })
            .expect("spawning the log flush thread");
        buffered
    }

    /// Appends one whole line.
    pub(super) fn write_line(&self, line: &[u8]) {
        let mut pending = self.pending();
        pending.extend_from_slice(line);
        if pending.len() > WRITE_INLINE_ABOVE {
            drop(pending);
            self.write_out(&mut Vec::new());
        }
    }

    /// Writes everything buffered so far.
    pub(super) fn flush(&self) {
        self.write_out(&mut Vec::new());
    }

    /// Swaps the pending lines into `batch` (empty, kept for its capacity)
    /// and writes them to standard error outside the lock on `pending`.
    fn write_out(&self, batch: &mut Vec<u8>) {
        let _writing = lock(&self.0.writing);
        std::mem::swap(&mut *self.pending(), batch);
        if !batch.is_empty() {
            // Standard error gone is no reason to fail a request.
            let _ = io::stderr().lock().write_all(batch);
            batch.clear();
        }
    }

    fn pending(&self) -> MutexGuard<'_, Vec<u8>> {
        lock(&self.0.pending)
    }
}

/// A panic while holding either lock leaves whole lines behind.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<'a> MakeWriter<'a> for BufferedStderr {
    type Writer = PendingLines<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        PendingLines(self.pending())
    }
}

/// The buffer, held for the writes of one formatted line.
pub(super) struct PendingLines<'a>(MutexGuard<'a, Vec<u8>>);

impl Write for PendingLines<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Flushing is the background thread's job; a line is not a reason.
        Ok(())
    }
}
