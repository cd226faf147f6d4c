//! Standard error behind one buffer that a background thread flushes.

use std::io::{self, BufWriter, Stderr, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// How long a line may wait in the buffer before it reaches standard error.
const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// One line per request would otherwise be a `write` system call on the
/// hot path; handing each line to a writer thread instead costs a wake-up
/// and a context switch per line, which on a loaded machine costs more
/// than the write. Here a line is a copy under a lock that is almost never
/// contended, and a full buffer is written by whoever fills it, so under a
/// flood of lines loggers wait rather than lose lines.
#[derive(Clone)]
pub(super) struct BufferedStderr(Arc<Mutex<BufWriter<Stderr>>>);

impl BufferedStderr {
    /// The buffer, and the thread that flushes it every [`FLUSH_EVERY`].
    pub(super) fn start() -> Self {
        let buffer = BufWriter::with_capacity(64 * 1024, io::stderr());
        let buffered = Self(Arc::new(Mutex::new(buffer)));
        let flusher = buffered.clone();
        thread::Builder::new()
            .name("log-flush".into())
            .spawn(move || loop {
                thread::sleep(FLUSH_EVERY);
                flusher.flush();
            })
            .expect("spawning the log flush thread");
        buffered
    }

    /// Appends one whole line.
    pub(super) fn write_line(&self, line: &[u8]) {
        // Standard error gone is no reason to fail a request.
        let _ = self.lock().write_all(line);
    }

    pub(super) fn flush(&self) {
        let mut buffer = self.lock();
        if !buffer.buffer().is_empty() {
            let _ = buffer.flush();
        }
    }

    fn lock(&self) -> MutexGuard<'_, BufWriter<Stderr>> {
        // A panic while holding the lock leaves a buffer of whole lines.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<'a> MakeWriter<'a> for BufferedStderr {
    type Writer = LockedStderr<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LockedStderr(self.lock())
    }
}

/// The buffer, held for the one `write_all` of a formatted line.
pub(super) struct LockedStderr<'a>(MutexGuard<'a, BufWriter<Stderr>>);

impl Write for LockedStderr<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Flushing is the background thread's job; a line is not a reason.
        Ok(())
    }
}
