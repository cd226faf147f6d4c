//! Where log lines go and how they read: on standard error, filtered by
//! `TREATY_LOG` (default `info`), as text for people or as one JSON object
//! a line for log collectors (`--log-format json`).

mod buffered;
mod request_line;

use std::io::{self, IsTerminal};
use std::sync::OnceLock;

use clap::ValueEnum;

use buffered::BufferedStderr;
pub use request_line::RequestLine;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line of text an event.
    #[default]
    Text,
    /// One JSON object a line: `timestamp`, `level`, `target`, `fields`.
    Json,
}

/// Where [`RequestLine`]s are written, once [`init`] has run.
static REQUEST_LINES: OnceLock<(BufferedStderr, LogFormat)> = OnceLock::new();

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
    let _ = REQUEST_LINES.set((stderr.clone(), format));
    FlushOnDrop(stderr)
}

/// Writes the line of one answered request, in the format and under the
/// filter of every other line (target `treaty::api`, level INFO).
pub fn log_request(line: &RequestLine) {
    if !tracing::enabled!(target: "treaty::api", tracing::Level::INFO) {
        return;
    }
    if let Some((stderr, format)) = REQUEST_LINES.get() {
        line.write(*format, stderr);
    }
}

/// Writes what is still buffered when the process's `main` returns.
pub struct FlushOnDrop(BufferedStderr);

impl Drop for FlushOnDrop {
    fn drop(&mut self) {
        self.0.flush();
    }
}
