//! Subject names qualified by context: `:.ctx:name`, with the default
//! context `.` written as the bare name (spec §0.4).

use std::fmt;

pub const DEFAULT_CONTEXT: &str = ".";

/// A subject split into its context and its name within that context.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualifiedSubject {
    /// `.` or `.ctx`.
    pub context: String,
    pub name: String,
}

impl QualifiedSubject {
    /// Only a leading `:.` starts a context; `:.ctx` without a closing colon
    /// is the empty-named subject of `.ctx`.
    pub fn parse(raw: &str) -> Self {
        let Some(rest) = raw.strip_prefix(":.") else {
            return Self::in_default(raw);
        };
        let (context, name) = rest.split_once(':').unwrap_or((rest, ""));
        Self {
            context: format!(".{context}"),
            name: name.to_owned(),
        }
    }

    /// The context of a storage name as [`QualifiedSubject::parse`] finds
    /// it, without copying.
    pub fn context_of(raw: &str) -> &str {
        let Some(rest) = raw.strip_prefix(":.") else {
            return DEFAULT_CONTEXT;
        };
        let length = rest.find(':').unwrap_or(rest.len());
        &raw[1..2 + length]
    }

    fn in_default(name: &str) -> Self {
        Self {
            context: DEFAULT_CONTEXT.to_owned(),
            name: name.to_owned(),
        }
    }

    pub fn in_context(context: &str, name: &str) -> Self {
        Self {
            context: context.to_owned(),
            name: name.to_owned(),
        }
    }

    pub fn is_default_context(&self) -> bool {
        self.context == DEFAULT_CONTEXT
    }

    /// The subject names the context itself (`:.ctx:`), as config and mode
    /// use it.
    pub fn is_context_itself(&self) -> bool {
        self.name.is_empty() && !self.is_default_context()
    }

    /// Confluent refuses these names for registration and config (42208).
    pub fn is_valid_for_writes(&self) -> bool {
        let reserved = if self.is_default_context() {
            self.name == "__GLOBAL" || self.name == "__EMPTY"
        } else {
            self.name == "__GLOBAL" || self.context == ".__GLOBAL"
        };
        !reserved && !self.name.chars().any(char::is_control)
    }
}

/// The storage form: `name` in the default context, `:.ctx:name` elsewhere.
impl fmt::Display for QualifiedSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_default_context() {
            f.write_str(&self.name)
        } else {
            write!(f, ":{}:{}", self.context, self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_qualified_forms_as_confluent_does() {
        let cases = [
            ("orders", ".", "orders"),
            (":.staging:orders", ".staging", "orders"),
            (":.:orders", ".", "orders"),
            (":.ctx:", ".ctx", ""),
            (":.ctx", ".ctx", ""),
            (":abc:x", ".", ":abc:x"),
            (":.c:a:b", ".c", "a:b"),
        ];
        for (raw, context, name) in cases {
            let parsed = QualifiedSubject::parse(raw);
            assert_eq!(QualifiedSubject::context_of(raw), parsed.context, "{raw}");
            assert_eq!(
                (parsed.context.as_str(), parsed.name.as_str()),
                (context, name),
                "{raw}"
            );
        }
    }

    #[test]
    fn prints_default_context_subjects_bare() {
        assert_eq!(QualifiedSubject::parse(":.:x").to_string(), "x");
        assert_eq!(QualifiedSubject::parse(":.c:x").to_string(), ":.c:x");
    }

    #[test]
    fn rejects_reserved_and_control_character_names() {
        for raw in [
            "__GLOBAL",
            "__EMPTY",
            ":.ctx:__GLOBAL",
            ":.__GLOBAL:x",
            "a\u{1}b",
        ] {
            assert!(!QualifiedSubject::parse(raw).is_valid_for_writes(), "{raw}");
        }
        assert!(QualifiedSubject::parse("").is_valid_for_writes());
    }
}
