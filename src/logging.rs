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
pub fn init(format: LogFormat) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("TREATY_LOG").unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
