//! JSON as Confluent's Jackson `ObjectMapper` reads and writes it for JSON
//! Schema: numbers with a fraction or exponent are Java `BigDecimal`s (kept
//! exactly as written, printed by `BigDecimal.toString`), integers print
//! plainly, a repeated key keeps its first position and its last value, and
//! content after the first complete value is ignored (Jackson's
//! `FAIL_ON_TRAILING_TOKENS` is off). Our own reader, not serde_json, because
//! serde_json without `arbitrary_precision` loses the number text the stored
//! schema must keep; the crate-wide serde_json features stay untouched.

use std::fmt::Write as _;

/// Deeper documents are rejected (serde_json's limit too): it bounds every
/// recursion over the value (reading, printing, loading the schema), so a
/// debug build stays inside a 2 MiB thread stack.
pub(crate) const MAX_DEPTH: usize = 128;

/// A JSON value; objects keep their key order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// A number as Jackson prints it, with its value for comparisons.
#[derive(Clone, Debug)]
pub(crate) struct Number {
    /// Jackson's output text (`BigDecimal.toString` for decimals).
    pub text: String,
    /// The value as Java's `doubleValue()` sees it.
    pub value: f64,
    /// Written without fraction or exponent (Jackson's int/long/BigInteger).
    pub is_integer: bool,
}

/// Two numbers are the same JSON value when they print the same (`1` and
/// `1.0` are different values to Jackson and to `equals`).
impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Json {
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Java-style name of the value's type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(n) if n.is_integer => "integer",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// Compact text, keys in document order (Jackson `writeValueAsString`).
    pub(crate) fn to_compact(&self) -> String {
        let mut out = String::new();
        write_value(self, false, &mut out);
        out
    }

    /// Compact text with object keys sorted at every level (Confluent's
    /// normalising `ObjectMapper`, whose nodes are `TreeMap`s: keys compare
    /// as Java strings, i.e. by UTF-16 code units).
    pub(crate) fn to_sorted_compact(&self) -> String {
        let mut out = String::new();
        write_value(self, true, &mut out);
        out
    }
}

fn write_value(value: &Json, sorted: bool, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.text),
        Json::String(s) => write_string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, sorted, out);
            }
            out.push(']');
        }
        Json::Object(members) => {
            let mut members: Vec<&(String, Json)> = members.iter().collect();
            if sorted {
                members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            }
            out.push('{');
            for (i, (key, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, sorted, out);
            }
            out.push('}');
        }
    }
}

/// Jackson's escaping: `"`, `\`, the five short control escapes, other
/// control characters as `\u00XX` (upper-case hex); everything else raw.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Why a text is not JSON (the caller turns it into Confluent's message).
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub reason: String,
}

/// Reads the first JSON value of `text`.
pub(crate) fn parse(text: &str) -> Result<Json, SyntaxError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    reader.skip_whitespace();
    if reader.pos == reader.bytes.len() {
        return Err(reader.error("no content"));
    }
    reader.value(0)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, what: &str) -> SyntaxError {
        SyntaxError {
            reason: format!("{what} at offset {}", self.pos),
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(self.error(&format!("nesting deeper than {MAX_DEPTH}")));
        }
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Number),
            Some(_) => {
                for (word, value) in [
                    ("true", Json::Bool(true)),
                    ("false", Json::Bool(false)),
                    ("null", Json::Null),
                ] {
                    if self.text[self.pos..].starts_with(word) {
                        self.pos += word.len();
                        return Ok(value);
                    }
                }
                Err(self.error("unexpected character"))
            }
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        const INDEX_MEMBERS_FROM: usize = 16;
        self.pos += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error("expected a field name"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error("expected ':'"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            // A repeated key replaces the value in place; past a few
            // members, found through an index, so wide objects read in
            // linear time.
            if members.len() == INDEX_MEMBERS_FROM && index.is_empty() {
                index.extend(members.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)));
            }
            let existing = if index.is_empty() {
                members.iter().position(|(k, _)| *k == key)
            } else {
                index.get(&key).copied()
            };
            match existing {
                Some(at) => members[at].1 = value,
                None => {
                    if !index.is_empty() {
                        index.insert(key.clone(), members.len());
                    }
                    members.push((key, value));
                }
            }
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[start..self.pos]);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, SyntaxError> {
        let c = match self.bytes.get(self.pos) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let first = self.hex4()?;
                if (0xD800..0xDC00).contains(&first) && self.text[self.pos..].starts_with("\\u") {
                    self.pos += 2;
                    let second = self.hex4()?;
                    let code = 0x10000 + ((first - 0xD800) << 10) + (second.wrapping_sub(0xDC00));
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(self.error("invalid surrogate pair"));
                    }
                    return char::from_u32(code).ok_or_else(|| self.error("invalid escape"));
                }
                return char::from_u32(first).ok_or_else(|| self.error("lone surrogate"));
            }
            _ => return Err(self.error("invalid escape")),
        };
        self.pos += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))
    }

    fn number(&mut self) -> Result<Number, SyntaxError> {
        let start = self.pos;
        let negative = self.bytes[self.pos] == b'-';
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        self.digits();
        let int_digits = &self.text[int_start..self.pos];
        if int_digits.is_empty() || (int_digits.len() > 1 && int_digits.starts_with('0')) {
            return Err(self.error("invalid number"));
        }
        let mut fraction = "";
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            let frac_start = self.pos;
            self.digits();
            fraction = &self.text[frac_start..self.pos];
            if fraction.is_empty() {
                return Err(self.error("invalid number"));
            }
        }
        let mut exponent: Option<i64> = None;
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            let exp_start = self.pos;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            let digits_start = self.pos;
            self.digits();
            if digits_start == self.pos {
                return Err(self.error("invalid number"));
            }
            exponent = Some(
                self.text[exp_start..self.pos]
                    .parse()
                    .map_err(|_| self.error("exponent out of range"))?,
            );
        }
        let literal = &self.text[start..self.pos];
        let value: f64 = literal.parse().unwrap_or(f64::NAN);
        let is_integer = fraction.is_empty() && exponent.is_none();
        let text = if is_integer {
            if int_digits == "0" {
                "0".to_string()
            } else {
                literal.to_string()
            }
        } else {
            big_decimal_text(negative, int_digits, fraction, exponent.unwrap_or(0))
        };
        Ok(Number {
            text,
            value,
            is_integer,
        })
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }
}

/// Java's `new BigDecimal(literal).toString()`: unscaled digits with scale
/// `fraction.len() - exponent`, plain when the scale is non-negative and the
/// adjusted exponent is at least -6, scientific (`1.5E+3`) otherwise.
fn big_decimal_text(negative: bool, int_digits: &str, fraction: &str, exponent: i64) -> String {
    let all = format!("{int_digits}{fraction}");
    let trimmed = all.trim_start_matches('0');
    let coefficient = if trimmed.is_empty() { "0" } else { trimmed };
    let scale = fraction.len() as i64 - exponent;
    let adjusted = -scale + (coefficient.len() as i64 - 1);
    let mut out = String::new();
    if negative && coefficient != "0" {
        out.push('-');
    }
    if scale >= 0 && adjusted >= -6 {
        let scale = scale as usize;
        if scale == 0 {
            out.push_str(coefficient);
        } else if coefficient.len() > scale {
            let (whole, part) = coefficient.split_at(coefficient.len() - scale);
            let _ = write!(out, "{whole}.{part}");
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat(scale - coefficient.len()));
            out.push_str(coefficient);
        }
    } else {
        out.push_str(&coefficient[..1]);
        if coefficient.len() > 1 {
            out.push('.');
            out.push_str(&coefficient[1..]);
        }
        out.push('E');
        if adjusted >= 0 {
            out.push('+');
        }
        let _ = write!(out, "{adjusted}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number_text(literal: &str) -> String {
        match parse(literal).unwrap() {
            Json::Number(n) => n.text,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn decimals_print_as_java_big_decimal() {
        assert_eq!(number_text("1.0"), "1.0");
        assert_eq!(number_text("1.50"), "1.50");
        assert_eq!(number_text("1e2"), "1E+2");
        assert_eq!(number_text("1.5E3"), "1.5E+3");
        assert_eq!(number_text("0.00001"), "0.00001");
        assert_eq!(number_text("1e-7"), "1E-7");
        assert_eq!(number_text("-0.0"), "0.0");
        assert_eq!(number_text("-0"), "0");
        assert_eq!(
            number_text("123456789012345678901234567890"),
            "123456789012345678901234567890"
        );
    }

    #[test]
    fn repeated_key_keeps_first_position_and_last_value() {
        let value = parse(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(value.to_compact(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn trailing_content_is_ignored_and_strings_escape_like_jackson() {
        let value = parse("\"x\\u0001\\n/é\" trailing").unwrap();
        assert_eq!(value.to_compact(), "\"x\\u0001\\n/é\"");
    }

    #[test]
    fn nesting_beyond_the_limit_is_an_error() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).is_err());
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&ok).is_ok());
    }
}
