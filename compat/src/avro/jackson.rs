//! Reading and writing JSON the way Java Avro's Jackson does, because the
//! text Confluent stores and the messages it returns are Jackson's output:
//! comments are allowed on input, trailing content is an error, strings keep
//! non-ASCII characters unescaped, and floating-point numbers print as Java's
//! `Double.toString` does (`1.0`, `1.0E10`).

use serde_json::Value;

use crate::ParseError;

/// What Confluent prefixes to a Jackson parse failure.
const JACKSON_PARSE_EXCEPTION: &str = "com.fasterxml.jackson.core.JsonParseException: ";

/// Jackson quotes at most this many characters of the source in a location.
const MAX_QUOTED_SOURCE: usize = 500;

/// Parses one JSON document as Avro's `Schema.Parser` reads it (Jackson with
/// `ALLOW_COMMENTS`). serde_json's nesting limit (128) is kept: it bounds
/// the recursion of everything that walks the parsed schema.
pub(crate) fn parse(text: &str) -> Result<Value, ParseError> {
    let cleaned = blank_comments(text).map_err(|e| jackson_error(text, &e))?;
    let mut stream = serde_json::Deserializer::from_str(&cleaned).into_iter::<Value>();
    let value = match stream.next() {
        None => return Err(ParseError::new("Cannot parse <null> schema")),
        Some(Err(e)) => return Err(serde_error(text, &e)),
        Some(Ok(value)) => value,
    };
    let dangling = cleaned[stream.byte_offset()..].trim_matches(|c: char| c <= ' ');
    if !dangling.is_empty() {
        return Err(ParseError::new(format!(
            "dangling content after end of schema: {dangling}"
        )));
    }
    Ok(value)
}

/// A syntax problem found before serde_json sees the text.
struct LexError {
    message: String,
    line: usize,
    column: usize,
}

/// Replaces `//` and `/* */` comments outside strings by spaces (keeping
/// newlines), so that serde_json reports the same line and column as the
/// original text.
fn blank_comments(text: &str) -> Result<String, LexError> {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match (b, bytes.get(i + 1)) {
            (b'"', _) => in_string = true,
            (b'/', Some(b'/')) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            (b'/', Some(b'*')) => {
                i = blank_block_comment(bytes, &mut out, i).ok_or_else(|| {
                    let (line, column) = line_column(text, bytes.len());
                    LexError {
                        message: "Unexpected end-of-input in a comment".into(),
                        line,
                        column,
                    }
                })?;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII spaces: still valid UTF-8.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Blanks the block comment starting at `start`; returns the index after it,
/// or `None` when it is not closed.
fn blank_block_comment(bytes: &[u8], out: &mut [u8], start: usize) -> Option<usize> {
    let mut i = start + 2;
    while i + 1 < bytes.len() {
        if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            for slot in &mut out[start..i + 2] {
                if *slot != b'\n' {
                    *slot = b' ';
                }
            }
            return Some(i + 2);
        }
        i += 1;
    }
    None
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Turns a serde_json failure into Jackson-like wording: what was wrong,
/// then where.
fn serde_error(text: &str, error: &serde_json::Error) -> ParseError {
    let full = error.to_string();
    let what = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(what, _)| what);
    let message = if error.is_eof() {
        format!("Unexpected end-of-input: {what}")
    } else {
        match char_at(text, error.line(), error.column()) {
            Some(c) => format!(
                "Unexpected character ('{c}' (code {})): {what}",
                u32::from(c)
            ),
            None => what.to_string(),
        }
    };
    jackson_error(
        text,
        &LexError {
            message,
            line: error.line(),
            column: error.column(),
        },
    )
}

fn char_at(text: &str, line: usize, column: usize) -> Option<char> {
    let line_text = text.split('\n').nth(line.checked_sub(1)?)?;
    line_text.chars().nth(column.checked_sub(1)?)
}

fn jackson_error(text: &str, error: &LexError) -> ParseError {
    let total = text.chars().count();
    let quoted: String = text.chars().take(MAX_QUOTED_SOURCE).collect();
    let truncated = if total > MAX_QUOTED_SOURCE {
        format!("[truncated {} chars]", total - MAX_QUOTED_SOURCE)
    } else {
        String::new()
    };
    ParseError::new(format!(
        "{JACKSON_PARSE_EXCEPTION}{}\n at [Source: (String)\"{quoted}\"{truncated}; line: {}, column: {}]",
        error.message, error.line, error.column
    ))
}

/// Jackson's compact rendering of a JSON tree (`JsonNode.toString()`).
pub(crate) fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value);
    out
}

/// Appends Jackson's compact rendering of `value`.
pub(crate) fn write(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write(out, item);
            }
            out.push('}');
        }
    }
}

fn write_number(out: &mut String, n: &serde_json::Number) {
    if let Some(i) = n.as_i64() {
        out.push_str(&i.to_string());
    } else if let Some(u) = n.as_u64() {
        out.push_str(&u.to_string());
    } else if let Some(f) = n.as_f64() {
        out.push_str(&java_double(f));
    }
}

/// Jackson's string escaping: `"` and `\`, the short escapes `\b \t \n \f
/// \r`, other control characters as `\u00XX` (upper-case hex); everything
/// else, non-ASCII included, is written as is.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Java's `Double.toString`, which Jackson uses for doubles; non-finite
/// values are quoted as Jackson writes them by default.
pub(crate) fn java_double(f: f64) -> String {
    if !f.is_finite() {
        return quoted_non_finite(f.is_nan(), f > 0.0);
    }
    java_decimal(&format!("{f:e}"), f.abs())
}

/// Java's `Float.toString`, which Jackson uses for floats.
pub(crate) fn java_float(f: f32) -> String {
    if !f.is_finite() {
        return quoted_non_finite(f.is_nan(), f > 0.0);
    }
    java_decimal(&format!("{f:e}"), f64::from(f.abs()))
}

fn quoted_non_finite(nan: bool, positive: bool) -> String {
    match (nan, positive) {
        (true, _) => "\"NaN\"".into(),
        (false, true) => "\"Infinity\"".into(),
        (false, false) => "\"-Infinity\"".into(),
    }
}

/// Lays out the shortest digits of Rust's `{:e}` form (`-1.25e-5`) as Java
/// does: plain decimal for magnitudes in [10^-3, 10^7), else `d.dddEn`;
/// always at least one digit after the point.
fn java_decimal(scientific: &str, magnitude: f64) -> String {
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if magnitude == 0.0 {
        return format!("{sign}0.0");
    }
    if (1e-3..1e7).contains(&magnitude) {
        return format!("{sign}{}", plain_decimal(&digits, exponent));
    }
    let (first, rest) = digits.split_at(1);
    let rest = if rest.is_empty() { "0" } else { rest };
    format!("{sign}{first}.{rest}E{exponent}")
}

/// `digits` × 10^(exponent − len + 1) written without an exponent.
fn plain_decimal(digits: &str, exponent: i32) -> String {
    if exponent < 0 {
        let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
        return format!("0.{zeros}{digits}");
    }
    let int_len = exponent as usize + 1;
    if digits.len() <= int_len {
        format!("{digits}{}.0", "0".repeat(int_len - digits.len()))
    } else {
        format!("{}.{}", &digits[..int_len], &digits[int_len..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_as_java_does() {
        let cases = [
            (1.0, "1.0"),
            (100.0, "100.0"),
            (1e10, "1.0E10"),
            (1.5e-5, "1.5E-5"),
            (0.001, "0.001"),
            (1234567.0, "1234567.0"),
            (12345678.0, "1.2345678E7"),
            (-0.0, "-0.0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (123.456, "123.456"),
        ];
        for (value, expected) in cases {
            assert_eq!(java_double(value), expected, "{value}");
        }
    }

    #[test]
    fn floats_print_with_float_precision() {
        assert_eq!(java_float(std::f64::consts::PI as f32), "3.1415927");
        assert_eq!(java_float(1.0), "1.0");
    }

    #[test]
    fn control_characters_escape_with_upper_case_hex() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\n\u{1f}é/");
        assert_eq!(out, "\"a\\\"b\\\\c\\n\\u001Fé/\"");
    }

    #[test]
    fn comments_are_ignored() {
        let value = parse("/* c */ {\"type\": // x\n \"int\"}").unwrap();
        assert_eq!(value["type"], "int");
    }
}
