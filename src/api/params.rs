//! Query parameters with JAX-RS's conversions, as Confluent applies them
//! (spec §0.2, §0.5): the first of repeated values wins, booleans are true
//! only for `true` in any case, and integers that do not convert are a 404.

use axum::extract::{FromRequestParts, RawQuery};
use axum::http::request::Parts;
use axum::http::StatusCode;

use super::error::{ApiError, ApiResult};

#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let RawQuery(query) = RawQuery::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found())?;
        let pairs = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
        Ok(Self(pairs))
    }
}

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a repeated parameter, in request order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    pub fn flag(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// Java's `Integer.valueOf`: no trimming, no fractions, int range.
    pub fn int(&self, name: &str) -> ApiResult<Option<i32>> {
        self.get(name)
            .map(|raw| parse_java_int(raw).ok_or_else(ApiError::not_found))
            .transpose()
    }

    /// `offset` and `limit`: a negative offset is refused with 422 (7.9
    /// answers a bare 500; COMPATIBILITY.md); a limit of zero or less means
    /// everything.
    pub fn page(&self) -> ApiResult<Page> {
        let offset = self.int("offset")?.unwrap_or(0);
        if offset < 0 {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                422,
                format!("Invalid offset {offset}: it must not be negative"),
            ));
        }
        let limit = self.int("limit")?.filter(|&l| l > 0);
        Ok(Page {
            offset: offset as usize,
            limit: limit.map(|l| l as usize),
        })
    }
}

/// `Integer.parseInt` semantics: an optional sign, then ASCII digits.
pub fn parse_java_int(raw: &str) -> Option<i32> {
    let digits = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

#[derive(Clone, Copy, Debug)]
pub struct Page {
    offset: usize,
    limit: Option<usize>,
}

impl Page {
    /// `limit` is capped at `max` (and defaults to it) where Confluent has one.
    pub fn apply<T>(self, items: Vec<T>, max: Option<usize>) -> Vec<T> {
        let limit = match (self.limit, max) {
            (Some(limit), Some(max)) if limit <= max => limit,
            (Some(_), Some(max)) | (None, Some(max)) => max,
            (Some(limit), None) => limit,
            (None, None) => usize::MAX,
        };
        items.into_iter().skip(self.offset).take(limit).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_int_parsing_rejects_what_jax_rs_rejects() {
        assert_eq!(parse_java_int("+1"), Some(1));
        assert_eq!(parse_java_int("-5"), Some(-5));
        for bad in ["", " 1", "1.0", "abc", "2147483648", "+"] {
            assert_eq!(parse_java_int(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn pages_skip_then_take() {
        let page = Page {
            offset: 1,
            limit: Some(2),
        };
        assert_eq!(page.apply(vec![1, 2, 3, 4], None), vec![2, 3]);
        let all = Page {
            offset: 0,
            limit: None,
        };
        assert_eq!(all.apply(vec![1, 2, 3], Some(2)), vec![1, 2]);
    }
}
