//! The line each answered request leaves, written by hand: at a hundred
//! thousand requests a second, `tracing`'s formatting machinery (a
//! timestamp formatted from scratch, every field through `fmt::Debug`)
//! cost a fifth of get-by-id throughput. The line reads exactly as the
//! `tracing` lines around it, in either format.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::buffered::BufferedStderr;
use super::LogFormat;

/// One answered request: its route template, never the path, nor a
/// credential or body.
pub struct RequestLine<'a> {
    pub route: &'a str,
    pub method: &'a str,
    pub status: u16,
    pub elapsed: Duration,
    /// Already escaped for a log line.
    pub principal: Option<&'a dyn fmt::Display>,
}

thread_local! {
    static LINE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The timestamp up to its seconds, for the second it was made in.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

impl RequestLine<'_> {
    pub(super) fn write(&self, format: LogFormat, stderr: &BufferedStderr) {
        LINE.with_borrow_mut(|line| {
            line.clear();
            self.render(format, SystemTime::now(), line);
            stderr.write_line(line);
        });
    }

    fn render(&self, format: LogFormat, now: SystemTime, out: &mut Vec<u8>) {
        let principal = self.principal.map(|p| p.to_string());
        match format {
            LogFormat::Text => {
                push_timestamp(out, now);
                out.extend_from_slice(b"  INFO treaty::api: request route=");
                push_json_string(out, self.route);
                out.extend_from_slice(b" method=");
                out.extend_from_slice(self.method.as_bytes());
                out.extend_from_slice(b" status=");
                out.extend_from_slice(itoa::Buffer::new().format(self.status).as_bytes());
                out.extend_from_slice(b" duration_ms=");
                push_millis(out, self.elapsed);
                if let Some(principal) = &principal {
                    out.extend_from_slice(b" principal=");
                    out.extend_from_slice(principal.as_bytes());
                }
            }
            LogFormat::Json => {
                out.extend_from_slice(b"{\"timestamp\":\"");
                push_timestamp(out, now);
                out.extend_from_slice(
                    b"\",\"level\":\"INFO\",\"fields\":{\"message\":\"request\",\"route\":",
                );
                push_json_string(out, self.route);
                out.extend_from_slice(b",\"method\":");
                push_json_string(out, self.method);
                out.extend_from_slice(b",\"status\":");
                out.extend_from_slice(itoa::Buffer::new().format(self.status).as_bytes());
                out.extend_from_slice(b",\"duration_ms\":");
                push_millis(out, self.elapsed);
                if let Some(principal) = &principal {
                    out.extend_from_slice(b",\"principal\":");
                    push_json_string(out, principal);
                }
                out.extend_from_slice(b"},\"target\":\"treaty::api\"}");
            }
        }
        out.push(b'\n');
    }
}

/// RFC 3339 in UTC with microseconds, as `tracing`'s own lines.
fn push_timestamp(out: &mut Vec<u8>, now: SystemTime) {
    let since_epoch = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since_epoch.as_secs();
    SECOND.with_borrow_mut(|(second, text)| {
        if *second != seconds {
            *second = seconds;
            text.clear();
            let whole = UNIX_EPOCH + Duration::from_secs(seconds);
            let _ = write!(text, "{}", humantime::format_rfc3339_seconds(whole));
            text.pop(); // the `Z`, written after the fraction
        }
        out.extend_from_slice(text.as_bytes());
    });
    out.push(b'.');
    push_zero_padded(out, since_epoch.subsec_micros(), 6);
    out.push(b'Z');
}

/// Milliseconds with up to six decimals, as a float prints: `0.162176`,
/// `12.5`, `3.0`.
fn push_millis(out: &mut Vec<u8>, elapsed: Duration) {
    let nanos = elapsed.as_nanos();
    out.extend_from_slice(itoa::Buffer::new().format(nanos / 1_000_000).as_bytes());
    out.push(b'.');
    let fraction = (nanos % 1_000_000) as u32;
    let start = out.len();
    push_zero_padded(out, fraction, 6);
    while out.len() > start + 1 && out.last() == Some(&b'0') {
        out.pop();
    }
}

fn push_zero_padded(out: &mut Vec<u8>, value: u32, width: usize) {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(value).as_bytes();
    out.extend(std::iter::repeat_n(
        b'0',
        width.saturating_sub(digits.len()),
    ));
    out.extend_from_slice(digits);
}

fn push_json_string(out: &mut Vec<u8>, text: &str) {
    serde_json::to_writer(&mut *out, text).expect("a string serializes into memory");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(
        format: LogFormat,
        principal: Option<&dyn fmt::Display>,
        elapsed: Duration,
    ) -> String {
        let line = RequestLine {
            route: "/schemas/ids/:id",
            method: "GET",
            status: 200,
            elapsed,
            principal,
        };
        let now = UNIX_EPOCH + Duration::from_micros(1_796_606_002_146_766);
        let mut out = Vec::new();
        line.render(format, now, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_text_line_reads_as_the_tracing_lines_around_it() {
        let line = rendered(LogFormat::Text, None, Duration::from_nanos(162_176));
        assert_eq!(
            line,
            "2026-12-07T01:13:22.146766Z  INFO treaty::api: request route=\"/schemas/ids/:id\" \
             method=GET status=200 duration_ms=0.162176\n"
        );
        let alice: &dyn fmt::Display = &"alice";
        let line = rendered(LogFormat::Text, Some(alice), Duration::from_micros(12_500));
        assert!(
            line.ends_with(" duration_ms=12.5 principal=alice\n"),
            "{line}"
        );
    }

    #[test]
    fn a_json_line_parses_with_the_fields_of_the_tracing_lines() {
        let quoted: &dyn fmt::Display = &"al\"ice";
        let line = rendered(LogFormat::Json, Some(quoted), Duration::from_millis(3));
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "timestamp": "2026-12-07T01:13:22.146766Z",
                "level": "INFO",
                "fields": {
                    "message": "request", "route": "/schemas/ids/:id", "method": "GET",
                    "status": 200, "duration_ms": 3.0, "principal": "al\"ice"
                },
                "target": "treaty::api"
            })
        );
        assert!(line.ends_with("}\n") && line.matches('\n').count() == 1);
    }

    #[test]
    fn microseconds_keep_their_leading_zeros() {
        let mut out = Vec::new();
        push_timestamp(
            &mut out,
            UNIX_EPOCH + Duration::from_micros(1_000_000_000_000_042),
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "2001-09-09T01:46:40.000042Z"
        );
    }
}
