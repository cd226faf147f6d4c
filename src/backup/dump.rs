//! A dump of a Confluent or Karapace `_schemas` topic, one record a line:
//! the key's JSON, a separator, then the value's JSON (`null`, `NULL` or
//! nothing for a tombstone). That is what
//! `kafka-console-consumer --property print.key=true` prints (a tab
//! between them) and what `kcat -K SEP` prints with the separator chosen.
//! Records are read with the topic codec, so ids stay as they were.
//! Blank lines, and lines starting with `#` (comments), are passed over.

use crate::records::{Record, Skipped};

/// The record on `line`, or why treaty does not apply it (`Ok(Err(_))`);
/// `Err` when the line is not a key, the separator and a value.
pub fn parse_line(line: &str, separator: &str) -> Result<Result<Record, Skipped>, String> {
    let mut values = serde_json::Deserializer::from_str(line).into_iter::<serde_json::Value>();
    // The key is read as JSON to find where it ends: a separator such as
    // `:` may also occur inside it.
    values
        .next()
        .ok_or("an empty key")?
        .map_err(|e| format!("the key is not JSON: {e}"))?;
    let (key, rest) = line.split_at(values.byte_offset());
    let value = rest
        .strip_prefix(separator)
        .ok_or_else(|| format!("no separator {separator:?} after the key"))?;
    let key = (key.trim() != "null").then_some(key.trim().as_bytes());
    let value = match value.trim() {
        "" | "null" | "NULL" => None,
        value => Some(value.as_bytes()),
    };
    Ok(Record::from_topic(key, value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::SchemaValue;

    const KEY: &str = r#"{"keytype":"SCHEMA","subject":"a:b","version":1,"magic":1}"#;
    const VALUE: &str =
        r#"{"subject":"a:b","version":1,"id":7,"schema":"\"string\"","deleted":false}"#;

    fn schema() -> Record {
        Record::Schema(
            "a:b".into(),
            1,
            Some(SchemaValue::new("a:b", 1, 7, "\"string\"")),
        )
    }

    #[test]
    fn a_console_consumer_line_is_split_at_the_tab() {
        let line = format!("{KEY}\t{VALUE}");
        assert_eq!(parse_line(&line, "\t"), Ok(Ok(schema())));
    }

    #[test]
    fn a_separator_that_occurs_in_the_key_is_found_after_it() {
        let line = format!("{KEY}:{VALUE}");
        assert_eq!(parse_line(&line, ":"), Ok(Ok(schema())));
    }

    #[test]
    fn an_empty_or_null_value_is_a_tombstone() {
        for value in ["", "null", "NULL"] {
            let line = format!("{KEY}\t{value}");
            assert_eq!(
                parse_line(&line, "\t"),
                Ok(Ok(Record::Schema("a:b".into(), 1, None)))
            );
        }
    }

    #[test]
    fn a_line_without_the_separator_is_an_error() {
        let error = parse_line(&format!("{KEY} {VALUE}"), "\t").unwrap_err();
        assert!(error.contains("no separator"), "{error}");
    }

    #[test]
    fn a_key_treaty_does_not_know_is_skipped() {
        let line = format!("{}\t{{}}", r#"{"keytype":"OTHER","magic":0}"#);
        assert!(matches!(parse_line(&line, "\t"), Ok(Err(_))));
    }
}
