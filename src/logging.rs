//! Where log lines go and how they read: on standard error, filtered by
//! `TREATY_LOG` (default `info`), as text for people or as one JSON object
//! a line for log collectors (`--log-format json`).

use std::io::{self, BufWriter, IsTerminal, Stderr, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use clap::ValueEnum;
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line of text an event.
    #[default]
    Text,
    /// One JSON object a line: `timestamp`, `level`, `target`, `fields`.
    Json,
}

/// How long a line may wait in the buffer before it reaches standard error.
const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// Installs the process's log subscriber; called once, before anything logs.
/// Keep the returned guard until the process ends: its drop writes what is
/// still buffered.
pub fn init(format: LogFormat) -> FlushOnDrop {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("TREATY_LOG").unwrap_or_else(|_| "info".into());
    let stderr = BufferedStderr::start();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(io::stderr().is_terminal())
        .with_writer(stderr.clone());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
    FlushOnDrop(stderr)
}

/// Standard error behind one buffer that a background thread flushes every
/// [`FLUSH_EVERY`]. One line per request would otherwise be a `write`
/// system call on the hot path; handing each line to a writer thread
/// instead costs a wake-up and a context switch per line, which on a
/// loaded machine costs more than the write. Here a line is a copy under a
/// lock that is almost never contended, and a full buffer is written by
/// whoever fills it, so under a flood of lines loggers wait rather than
/// lose lines.
#[derive(Clone)]
struct BufferedStderr(Arc<Mutex<BufWriter<Stderr>>>);

impl BufferedStderr {
    fn start() -> Self {
        let buffered = Self(Arc::new(Mutex::new(BufWriter::with_capacity(
            64 * 1024,
            io::stderr(),
        ))));
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

    fn lock(&self) -> MutexGuard<'_, BufWriter<Stderr>> {
        // A panic while holding the lock leaves a buffer of whole lines.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn flush(&self) {
        let mut buffer = self.lock();
        if !buffer.buffer().is_empty() {
            let _ = buffer.flush();
        }
    }
}

impl<'a> MakeWriter<'a> for BufferedStderr {
    type Writer = LockedStderr<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LockedStderr(self.lock())
    }
}

/// The buffer, held for the one `write_all` of a formatted line.
pub struct LockedStderr<'a>(MutexGuard<'a, BufWriter<Stderr>>);

impl Write for LockedStderr<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Flushing is the background thread's job; a line is not a reason.
        Ok(())
    }
}

/// Writes what is still buffered when the process's `main` returns.
pub struct FlushOnDrop(BufferedStderr);

impl Drop for FlushOnDrop {
    fn drop(&mut self) {
        self.0.flush();
    }
}
