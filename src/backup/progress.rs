//! A running count of the records an export or import has handled, on
//! standard error while it is a terminal (indicatif draws nothing
//! otherwise, so scripts and logs get only the summary line).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress(ProgressBar);

impl Progress {
    /// `verb`: what is done to the records (`exported`, `imported`).
    pub fn new(verb: &'static str) -> Self {
        let style = ProgressStyle::with_template("{spinner} {human_pos} records {msg} ({per_sec})")
            .expect("a valid template");
        let bar = ProgressBar::new_spinner()
            .with_style(style)
            .with_message(verb);
        bar.enable_steady_tick(Duration::from_millis(120));
        Self(bar)
    }

    pub fn advance(&self) {
        self.0.inc(1);
    }
}

impl Drop for Progress {
    /// The summary line replaces it.
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
