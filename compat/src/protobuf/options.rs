//! Options as Wire's `OptionElement` models them: a name (parenthesized for
//! extensions), and a value that is a scalar token, a list, or a map read
//! from an aggregate (`{ … }`) value.

use prost_types::UninterpretedOption;

/// One `option` statement or one entry of a `[…]` option list.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct OptionElement {
    /// The name parts, each flagged when written in parentheses.
    pub parts: Vec<(String, bool)>,
    pub value: OptionValue,
    /// For a custom option, the extension's full name (normalizing
    /// prints it instead of the written name).
    pub resolved: Option<String>,
}

/// An option value, with the kind Wire gives it; numbers and identifiers
/// keep their text.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum OptionValue {
    String(String),
    Bool(String),
    Number(String),
    Enum(String),
    List(Vec<OptionValue>),
    /// Keys in the order written; a key written twice became a list.
    Map(Vec<(String, OptionValue)>),
}

impl OptionElement {
    /// A standard (non-extension) option with a single-part name.
    pub fn standard(name: &str, value: OptionValue) -> Self {
        Self {
            parts: vec![(name.to_string(), false)],
            value,
            resolved: None,
        }
    }

    /// Whether the first part is an extension, `(name)`: Wire's
    /// `isParenthesized`, which decides custom-option handling.
    pub fn is_custom(&self) -> bool {
        self.parts.first().is_some_and(|(_, ext)| *ext)
    }

    /// The first part without parentheses: Wire's `OptionElement.name`.
    pub fn name(&self) -> &str {
        self.parts.first().map_or("", |(name, _)| name)
    }

    /// The name as written: `(a.b).c`.
    pub fn written_name(&self) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|(name, ext)| {
                if *ext {
                    format!("({name})")
                } else {
                    name.clone()
                }
            })
            .collect();
        parts.join(".")
    }

    /// Reads protox's uninterpreted form, which keeps the source order.
    pub fn from_uninterpreted(option: &UninterpretedOption) -> Self {
        let parts = option
            .name
            .iter()
            .map(|part| (part.name_part.clone(), part.is_extension))
            .collect();
        Self {
            parts,
            value: uninterpreted_value(option),
            resolved: None,
        }
    }
}

/// The value of an uninterpreted option, kinded as Wire's reader kinds it.
fn uninterpreted_value(option: &UninterpretedOption) -> OptionValue {
    if let Some(ident) = &option.identifier_value {
        return match ident.as_str() {
            "true" | "false" => OptionValue::Bool(ident.clone()),
            _ => OptionValue::Enum(ident.clone()),
        };
    }
    if let Some(value) = option.positive_int_value {
        return OptionValue::Number(value.to_string());
    }
    if let Some(value) = option.negative_int_value {
        return OptionValue::Number(value.to_string());
    }
    if let Some(value) = option.double_value {
        return OptionValue::Number(format_double(value));
    }
    if let Some(bytes) = &option.string_value {
        return OptionValue::String(String::from_utf8_lossy(bytes).into_owned());
    }
    let aggregate = option.aggregate_value.as_deref().unwrap_or_default();
    OptionValue::Map(Aggregate::new(aggregate).map_body(None))
}

/// A double as protobuf source writes it (`inf`, `nan`, `1.5`).
pub(super) fn format_double(value: f64) -> String {
    if value.is_nan() {
        "nan".to_string()
    } else if value.is_infinite() {
        if value < 0.0 { "-inf" } else { "inf" }.to_string()
    } else {
        value.to_string()
    }
}

/// A token of protox's re-joined aggregate text.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Punct(char),
}

/// Reads an aggregate value (text format) into Wire's map shape. The
/// parser's nesting is bounded by the source scan in `parse.rs`.
struct Aggregate {
    tokens: Vec<Token>,
    at: usize,
}

impl Aggregate {
    fn new(text: &str) -> Self {
        Self {
            tokens: tokenize(text),
            at: 0,
        }
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Token::Punct(c)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Entries until `close` (or the end); Wire merges a repeated key into
    /// a list.
    fn map_body(&mut self, close: Option<char>) -> Vec<(String, OptionValue)> {
        let mut entries: Vec<(String, OptionValue)> = Vec::new();
        while let Some(token) = self.peek() {
            if close.is_some_and(|c| token == &Token::Punct(c)) {
                self.at += 1;
                break;
            }
            let Some(key) = self.key() else {
                self.at += 1;
                continue;
            };
            // `key { … }` may omit the colon.
            self.eat(':');
            let value = self.value();
            add_entry(&mut entries, key, value);
            let _ = self.eat(',') || self.eat(';');
        }
        entries
    }

    /// A field name, or `[ext.name]` for an extension field.
    fn key(&mut self) -> Option<String> {
        match self.next()? {
            Token::Word(word) => Some(word),
            Token::Punct('[') => {
                let mut name = String::new();
                while let Some(token) = self.next() {
                    match token {
                        Token::Punct(']') => break,
                        Token::Word(w) => name.push_str(&w),
                        Token::Punct(c) => name.push(c),
                        Token::Str(s) => name.push_str(&s),
                    }
                }
                Some(format!("[{name}]"))
            }
            _ => None,
        }
    }

    fn value(&mut self) -> OptionValue {
        match self.next() {
            Some(Token::Punct('{')) => OptionValue::Map(self.map_body(Some('}'))),
            Some(Token::Punct('<')) => OptionValue::Map(self.map_body(Some('>'))),
            Some(Token::Punct('[')) => OptionValue::List(self.list()),
            Some(Token::Str(first)) => {
                let mut text = first;
                while let Some(Token::Str(more)) = self.peek() {
                    text.push_str(more);
                    self.at += 1;
                }
                OptionValue::String(text)
            }
            Some(Token::Punct('-')) => match self.next() {
                Some(Token::Word(word)) => scalar(&format!("-{word}")),
                _ => OptionValue::Enum("-".into()),
            },
            Some(Token::Word(word)) => scalar(&word),
            Some(Token::Punct(c)) => OptionValue::Enum(c.to_string()),
            None => OptionValue::Enum(String::new()),
        }
    }

    fn list(&mut self) -> Vec<OptionValue> {
        let mut items = Vec::new();
        while let Some(token) = self.peek() {
            if token == &Token::Punct(']') {
                self.at += 1;
                break;
            }
            match self.value() {
                OptionValue::List(inner) => items.extend(inner),
                item => items.push(item),
            }
            self.eat(',');
        }
        items
    }
}

/// Wire's kinds for a bare word: digits or `-` start a number.
fn scalar(word: &str) -> OptionValue {
    match word {
        "true" | "false" => OptionValue::Bool(word.to_string()),
        _ if word.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
            OptionValue::Number(word.to_string())
        }
        _ => OptionValue::Enum(word.to_string()),
    }
}

/// Wire's `readMap`: a key seen again turns its value into a list.
fn add_entry(entries: &mut Vec<(String, OptionValue)>, key: String, value: OptionValue) {
    let Some((_, previous)) = entries.iter_mut().find(|(k, _)| *k == key) else {
        entries.push((key, value));
        return;
    };
    let mut list = match std::mem::replace(previous, OptionValue::List(Vec::new())) {
        OptionValue::List(items) => items,
        other => vec![other],
    };
    match value {
        OptionValue::List(items) => list.extend(items),
        item => list.push(item),
    }
    *previous = OptionValue::List(list);
}

/// Splits protox's space-joined tokens; string tokens carry
/// `escape_default` escapes, which are undone here.
fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'"' | b'\'' => {
                let (value, end) = read_string(bytes, i);
                tokens.push(Token::Str(value));
                i = end;
            }
            _ if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' && word_follows(bytes, i) => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || bytes[i] == b'_'
                        || bytes[i] == b'.'
                        || (matches!(bytes[i], b'+' | b'-')
                            && matches!(bytes[i - 1], b'e' | b'E')
                            && bytes[start].is_ascii_digit()))
                {
                    i += 1;
                }
                tokens.push(Token::Word(text[start..i].to_string()));
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                tokens.push(Token::Punct(ch));
                i += ch.len_utf8();
            }
        }
    }
    tokens
}

/// A `.` starts a word only as the start of a number like `.5`.
fn word_follows(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
}

/// Reads a quoted string starting at `start`; returns it unescaped and the
/// index after the closing quote.
fn read_string(bytes: &[u8], start: usize) -> (String, usize) {
    let quote = bytes[start];
    let mut out = Vec::new();
    let mut i = start + 1;
    while i < bytes.len() && bytes[i] != quote {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            let (byte, used) = unescape(&bytes[i + 1..]);
            out.push(byte);
            i += 1 + used;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), i + 1)
}

/// One escape after a backslash: the byte it stands for and how many bytes
/// of `rest` it used.
fn unescape(rest: &[u8]) -> (u8, usize) {
    match rest[0] {
        b'n' => (b'\n', 1),
        b't' => (b'\t', 1),
        b'r' => (b'\r', 1),
        b'a' => (0x07, 1),
        b'b' => (0x08, 1),
        b'f' => (0x0c, 1),
        b'v' => (0x0b, 1),
        b'x' => {
            let hex: Vec<u8> = rest[1..]
                .iter()
                .take(2)
                .take_while(|b| b.is_ascii_hexdigit())
                .copied()
                .collect();
            let text = std::str::from_utf8(&hex).unwrap_or("0");
            (u8::from_str_radix(text, 16).unwrap_or(0), 1 + hex.len())
        }
        b'0'..=b'7' => {
            let oct: Vec<u8> = rest
                .iter()
                .take(3)
                .take_while(|b| (b'0'..=b'7').contains(b))
                .copied()
                .collect();
            let text = std::str::from_utf8(&oct).unwrap_or("0");
            (u32::from_str_radix(text, 8).unwrap_or(0) as u8, oct.len())
        }
        other => (other, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_with_repeated_key_becomes_list() {
        let map = Aggregate::new("tags : \"a\" tags : \"b\" doc : \"d\"").map_body(None);
        assert_eq!(
            map,
            vec![
                (
                    "tags".to_string(),
                    OptionValue::List(vec![
                        OptionValue::String("a".into()),
                        OptionValue::String("b".into())
                    ])
                ),
                ("doc".to_string(), OptionValue::String("d".into())),
            ]
        );
    }

    #[test]
    fn aggregate_nested_message_and_escapes() {
        let map = Aggregate::new("a { b : -1 } c : [ \"x\\\"y\" , 2 ]").map_body(None);
        assert_eq!(
            map,
            vec![
                (
                    "a".to_string(),
                    OptionValue::Map(vec![("b".into(), OptionValue::Number("-1".into()))])
                ),
                (
                    "c".to_string(),
                    OptionValue::List(vec![
                        OptionValue::String("x\"y".into()),
                        OptionValue::Number("2".into())
                    ])
                ),
            ]
        );
    }
}
