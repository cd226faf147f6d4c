//! Avro names as Java's `Schema.Name` builds, validates and prints them.

use crate::ParseError;

use super::Name;

/// Java's `Schema.Type` names: a named type called like one of these is
/// always printed with its namespace, so it cannot be read as the type.
const TYPE_NAMES: [&str; 14] = [
    "record", "enum", "array", "map", "union", "fixed", "string", "bytes", "int", "long", "float",
    "double", "boolean", "null",
];

/// The primitive type names, which named types may not take.
pub(crate) const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// Splits `name` as `new Schema.Name(name, space)` does: a dotted name brings
/// its own namespace; an empty namespace is the null namespace. Only the
/// last part is validated (Avro 1.11 does not validate namespaces).
pub(crate) fn make_name(name: &str, space: Option<&str>) -> Result<Name, ParseError> {
    let name = split_name(name, space);
    validate_name(&name.name)?;
    Ok(name)
}

/// [`make_name`] without validation, for names that were validated when
/// parsed.
pub(crate) fn split_name(name: &str, space: Option<&str>) -> Name {
    let (space, simple) = match name.rsplit_once('.') {
        Some((space, simple)) => (Some(space), simple),
        None => (space, name),
    };
    Name {
        name: simple.to_string(),
        namespace: space.filter(|s| !s.is_empty()).map(str::to_string),
    }
}

/// Java Avro 1.11's `validateName`: a letter or `_`, then letters, digits
/// or `_`. Java tests UTF-16 units with `Character.isLetter(OrDigit)`, so
/// non-ASCII letters pass and characters outside the BMP do not; Rust's
/// Unicode tables approximate Java's.
pub(crate) fn validate_name(name: &str) -> Result<(), ParseError> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err(ParseError::new("Empty name"));
    };
    if !(is_java_letter(first) || first == '_') {
        return Err(ParseError::new(format!(
            "Illegal initial character: {name}"
        )));
    }
    if chars.any(|c| !(is_java_letter(c) || is_java_digit(c) || c == '_')) {
        return Err(ParseError::new(format!("Illegal character in: {name}")));
    }
    Ok(())
}

fn is_java_letter(c: char) -> bool {
    u32::from(c) <= 0xFFFF && c.is_alphabetic()
}

fn is_java_digit(c: char) -> bool {
    u32::from(c) <= 0xFFFF && c.is_numeric()
}

/// Java's `Name.getQualified(defaultSpace)`: the simple name when the
/// namespace is the enclosing one (unless that would read as a type name),
/// else the full name.
pub(crate) fn qualified(name: &Name, default_space: Option<&str>) -> String {
    let same_space = name.namespace.is_some() && name.namespace.as_deref() == default_space;
    if same_space && !TYPE_NAMES.contains(&name.name.as_str()) {
        name.name.clone()
    } else {
        name.full_name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_name_overrides_namespace() {
        let name = make_name("a.b.C", Some("x")).unwrap();
        assert_eq!(name.namespace.as_deref(), Some("a.b"));
        assert_eq!(name.name, "C");
        assert_eq!(make_name(".C", Some("x")).unwrap().namespace, None);
        assert_eq!(make_name("C", Some("")).unwrap().namespace, None);
    }

    #[test]
    fn names_are_validated_like_java() {
        assert_eq!(
            validate_name("1a").unwrap_err().message,
            "Illegal initial character: 1a"
        );
        assert_eq!(
            validate_name("a-b").unwrap_err().message,
            "Illegal character in: a-b"
        );
        assert!(validate_name("_ok9").is_ok());
        assert!(validate_name("café").is_ok());
    }

    #[test]
    fn type_names_are_printed_in_full() {
        let name = split_name("com.x.record", None);
        assert_eq!(qualified(&name, Some("com.x")), "com.x.record");
        let name = split_name("com.x.Dep", None);
        assert_eq!(qualified(&name, Some("com.x")), "Dep");
        assert_eq!(qualified(&name, None), "com.x.Dep");
    }
}
