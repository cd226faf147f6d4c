//! Where log lines go and how they read: on standard error, filtered by
//! `TREATY_LOG` (default `info`), as text for people or as one JSON object
//! a line for log collectors (`--log-format json`).

use clap::ValueEnum;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line of text an event.
    #[default]
    Text,
    /// One JSON object a line: `timestamp`, `level`, `target`, `fields`.
    Json,
}

/// Installs the process's log subscriber; called once, before anything logs.
/// Lines are written by a thread of their own, so a request does not wait
/// for a write to standard error (one line per request would otherwise be
/// a system call on the hot path); when that thread falls behind, loggers
/// wait rather than lose lines. Keep the guard until the process ends: its
/// drop writes what is still queued.
pub fn init(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("TREATY_LOG").unwrap_or_else(|_| "info".into());
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
    guard
}
