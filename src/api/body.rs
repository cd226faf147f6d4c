//! Request bodies: JSON read with Jackson's rules as Confluent applies them
//! (spec §0.2): missing bodies are a 422 naming the Java argument, malformed
//! JSON a 400, and scalar fields coerced the way Jackson coerces them.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value};
use treaty_compat::SchemaType;

use super::error::{ApiError, ApiResult};
use super::typed::{metadata_field, rule_set_field};
use crate::registry::{RequestReference, SchemaRequest};

/// A raw request body, read within the configured size limit.
pub struct JsonBody(Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> ApiResult<Self> {
        Bytes::from_request(request, state)
            .await
            .map(Self)
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::http(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large")
                } else {
                    ApiError::bad_request(rejection.body_text())
                }
            })
    }
}

impl JsonBody {
    /// The body as JSON; `java_argument` names it in the 422 for a missing
    /// body, as Confluent's message does.
    pub fn json(&self, java_argument: &str) -> ApiResult<Value> {
        let text = self.0.trim_ascii();
        if text.is_empty() {
            return Err(ApiError::missing_body(java_argument));
        }
        match serde_json::from_slice::<Value>(text) {
            Ok(Value::Null) => Err(ApiError::missing_body(java_argument)),
            Ok(value) => Ok(value),
            Err(error) => Err(ApiError::bad_request(jackson_message(text, &error))),
        }
    }

    /// A body that may be absent (empty or `null`) but is otherwise a JSON
    /// object, as for a Java argument without `@NotNull`.
    pub fn optional_object(&self, java_type: &str) -> ApiResult<Option<Map<String, Value>>> {
        let text = self.0.trim_ascii();
        if text.is_empty() || text == b"null" {
            return Ok(None);
        }
        self.object("", java_type).map(Some)
    }

    /// A body that must be a JSON object (`java_type` names it in errors).
    pub fn object(&self, java_argument: &str, java_type: &str) -> ApiResult<Map<String, Value>> {
        match self.json(java_argument)? {
            Value::Object(map) => Ok(map),
            other => Err(ApiError::bad_request(shape_message(java_type, &other))),
        }
    }
}

/// Jackson's wording for the common parse failures.
fn jackson_message(text: &[u8], error: &serde_json::Error) -> String {
    if error.is_eof() {
        let marker = if text.first() == Some(&b'[') {
            "Array"
        } else {
            "Object"
        };
        return format!(
            "Unexpected end-of-input: expected close marker for {marker} (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])"
        );
    }
    let token: String = String::from_utf8_lossy(text)
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    if !token.is_empty() && !token.starts_with(|c: char| c.is_ascii_digit()) {
        return format!(
            "Unrecognized token '{token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        );
    }
    format!(
        "Unexpected character in JSON at line {}, column {}: {error}",
        error.line(),
        error.column()
    )
}

pub(super) fn token_name(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "Array value (token `JsonToken.START_ARRAY`)",
        Value::Object(_) => "Object value (token `JsonToken.START_OBJECT`)",
        Value::String(_) => "String value",
        Value::Number(_) => "Number value",
        Value::Bool(_) => "Boolean value",
        Value::Null => "Null value",
    }
}

/// Jackson's message for a body of the wrong JSON shape.
pub(super) fn shape_message(java_type: &str, value: &Value) -> String {
    match value {
        Value::String(s) => format!(
            "Cannot construct instance of `{java_type}` (although at least one Creator exists): no String-argument constructor/factory method to deserialize from String value ('{s}')"
        ),
        other => format!(
            "Cannot deserialize value of type `{java_type}` from {}",
            token_name(other)
        ),
    }
}

/// A string field: numbers and booleans become their text.
pub fn text_field(value: Option<&Value>) -> ApiResult<Option<String>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(v.to_string())),
        Some(other) => Err(ApiError::bad_request(format!(
            "Cannot deserialize value of type `java.lang.String` from {}",
            token_name(other)
        ))),
    }
}

/// A Boolean field: `true`/`false`, their text in any case, or 1/0.
pub fn bool_field(value: Option<&Value>) -> ApiResult<Option<bool>> {
    typed_bool_field(value, "java.lang.Boolean")
}

/// A boolean field whose Java type (`java.lang.Boolean`, or the primitive
/// `boolean`) is named in Jackson's message.
pub fn typed_bool_field(value: Option<&Value>, java_type: &str) -> ApiResult<Option<bool>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(Value::Number(n)) if n.as_i64().is_some() => Ok(Some(n.as_i64() != Some(0))),
        Some(Value::String(s)) => Err(ApiError::bad_request(format!(
            "Cannot deserialize value of type `{java_type}` from String \"{s}\": only \"true\" or \"false\" recognized"
        ))),
        Some(other) => Err(ApiError::bad_request(format!(
            "Cannot deserialize value of type `{java_type}` from {}",
            token_name(other)
        ))),
    }
}

/// An Integer field: numeric strings convert, fractions truncate, `""` is null.
pub fn int_field(value: Option<&Value>) -> ApiResult<Option<i32>> {
    let out_of_range = |n: &dyn std::fmt::Display| {
        ApiError::bad_request(format!(
            "Numeric value ({n}) out of range of int (-2147483648 - 2147483647)"
        ))
    };
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                i32::try_from(i).map(Some).map_err(|_| out_of_range(&i))
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.trunc() >= f64::from(i32::MIN) && f.trunc() <= f64::from(i32::MAX) {
                    Ok(Some(f.trunc() as i32))
                } else {
                    Err(out_of_range(n))
                }
            }
        }
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| {
            ApiError::bad_request(format!(
                "Cannot deserialize value of type `java.lang.Integer` from String \"{s}\": not a valid `java.lang.Integer` value"
            ))
        }),
        Some(other) => Err(ApiError::bad_request(format!(
            "Cannot deserialize value of type `java.lang.Integer` from {}",
            token_name(other)
        ))),
    }
}

fn references_field(value: Option<&Value>) -> ApiResult<Vec<RequestReference>> {
    let items = match value {
        None | Some(Value::Null) => return Ok(vec![]),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Cannot deserialize value of type `java.util.ArrayList<SchemaReference>` from {}",
                token_name(other)
            )))
        }
    };
    items
        .iter()
        .map(|item| match item {
            Value::Object(reference) => Ok(RequestReference {
                name: text_field(reference.get("name"))?,
                subject: text_field(reference.get("subject"))?,
                version: int_field(reference.get("version"))?,
            }),
            other => Err(ApiError::bad_request(shape_message(
                "SchemaReference",
                other,
            ))),
        })
        .collect()
}

/// The body nearly every client sends, `{"schema": "…"}` with at most a
/// string `schemaType`, read straight into its fields. Any other body
/// (more fields, other JSON types, a key twice) fails to read as this and
/// is read by the general path, which gives the same request for this one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainSchemaBody {
    schema: String,
    #[serde(rename = "schemaType", default)]
    schema_type: Option<String>,
}

fn schema_type(name: Option<String>) -> ApiResult<SchemaType> {
    match name {
        None => Ok(SchemaType::Avro),
        Some(name) => SchemaType::from_name(&name)
            .ok_or_else(|| ApiError::invalid_schema(format!("Invalid schema type {name}"))),
    }
}

/// The body of register, lookup and compatibility requests.
pub fn schema_request(body: &JsonBody, java_argument: &str) -> ApiResult<SchemaRequest> {
    match serde_json::from_slice::<PlainSchemaBody>(&body.0) {
        Ok(plain) => Ok(SchemaRequest {
            schema: Some(plain.schema),
            schema_type: schema_type(plain.schema_type)?,
            references: Vec::new(),
            metadata: None,
            rule_set: None,
            version: None,
            id: None,
        }),
        Err(_) => any_schema_request(body, java_argument),
    }
}

fn any_schema_request(body: &JsonBody, java_argument: &str) -> ApiResult<SchemaRequest> {
    let map = body.object(java_argument, "RegisterSchemaRequest")?;
    let schema_type = schema_type(text_field(map.get("schemaType"))?)?;
    Ok(SchemaRequest {
        schema: text_field(map.get("schema"))?,
        schema_type,
        references: references_field(map.get("references"))?,
        metadata: metadata_field(map.get("metadata"))?,
        rule_set: rule_set_field(map.get("ruleSet"))?,
        version: int_field(map.get("version"))?,
        id: int_field(map.get("id"))?,
    })
}

#[cfg(test)]
mod tests {
    use axum::body::Bytes;

    use super::{any_schema_request, schema_request, JsonBody};

    /// What the plain reading accepts, the general reading reads the same;
    /// what it refuses falls through to the general reading.
    #[test]
    fn plain_bodies_read_as_the_general_reading_reads_them() {
        for text in [
            r#"{"schema":"\"string\""}"#,
            r#" {"schema": "{\"type\":\"int\"}", "schemaType": "AVRO"} "#,
            r#"{"schemaType":"json","schema":"{}"}"#,
            r#"{"schema":"","schemaType":null}"#,
            r#"{"schema":"x","schemaType":"XML"}"#,
            r#"{"schema":"x","schema":"y"}"#,
            r#"{"schema":"x","version":2}"#,
            r#"{"schema":1}"#,
            r#"{"schema":null}"#,
            "",
        ] {
            let body = JsonBody(Bytes::from(text));
            let (fast, general) = (
                schema_request(&body, "arg"),
                any_schema_request(&body, "arg"),
            );
            match (fast, general) {
                (Ok(fast), Ok(general)) => assert_eq!(fast, general, "{text}"),
                (Err(fast), Err(general)) => {
                    assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{text}")
                }
                (fast, general) => panic!("{text}: {fast:?} vs {general:?}"),
            }
        }
    }
}
