//! Values from requests, made safe to put in a log line: a subject may
//! hold newlines or terminal escapes (`%0a`, `%1b[` decode to them), which
//! written raw would forge log lines or drive the reader's terminal.

use std::fmt;

/// Shows its text with every control character (C0, DEL, C1: newlines,
/// ESC, …) and the backslash escaped Rust-style (`\n`, `\u{1b}`, `\\`),
/// so the line stays one line and reads back unambiguously. The escaping
/// is in the value itself, so every log format gets it.
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() || c == '\\' {
                write!(f, "{}", c.escape_debug())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Escaped;

    #[test]
    fn control_characters_and_backslashes_are_escaped() {
        let forged = "a\n2026-01-01T00:00:00Z  INFO treaty: forged\u{1b}[31m\\\u{9b}";
        assert_eq!(
            Escaped(forged).to_string(),
            "a\\n2026-01-01T00:00:00Z  INFO treaty: forged\\u{1b}[31m\\\\\\u{9b}"
        );
        assert_eq!(Escaped("orders-value").to_string(), "orders-value");
    }
}
