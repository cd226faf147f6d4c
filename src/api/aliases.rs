//! Config aliases (`alias` in `PUT /config/{s}`), resolved before routing
//! as 7.9's `AliasFilter` resolves them: the path segment after each
//! `subjects` segment, and the `subject` query parameter of
//! `/schemas/ids/…`, are replaced by the alias's target when that subject's
//! own config names one. `/config/{s}` and `/mode/{s}` are not rewritten,
//! so an alias can always be read and changed.

use std::borrow::Cow;

use axum::extract::Request;
use axum::http::Uri;
use percent_encoding::{percent_decode_str, utf8_percent_encode};

use super::path::SUBJECT_SEGMENT;
use crate::registry::Registry;

/// `request` with every aliased subject replaced by its target.
pub fn resolve(registry: &Registry, mut request: Request) -> Request {
    if !registry.has_aliases() {
        return request;
    }
    let uri = request.uri();
    let path = resolve_path(registry, uri.path());
    let query = match uri.path().starts_with("/schemas/ids/") {
        true => uri.query().and_then(|query| resolve_query(registry, query)),
        false => None,
    };
    if matches!(path, Cow::Borrowed(_)) && query.is_none() {
        return request;
    }
    let rebuilt = match query.as_deref().or(uri.query()) {
        Some(query) => format!("{path}?{query}"),
        None => path.into_owned(),
    };
    if let Ok(rebuilt) = rebuilt.parse::<Uri>() {
        *request.uri_mut() = rebuilt;
    }
    request
}

fn resolve_path<'a>(registry: &Registry, path: &'a str) -> Cow<'a, str> {
    if !path.contains("/subjects/") {
        return Cow::Borrowed(path);
    }
    let mut segments: Vec<Cow<str>> = path.split('/').map(Cow::Borrowed).collect();
    let mut changed = false;
    for index in 1..segments.len() {
        if segments[index - 1] != "subjects" || segments[index].is_empty() {
            continue;
        }
        let subject = percent_decode_str(&segments[index]).decode_utf8_lossy();
        if let Some(target) = registry.alias_target(&subject) {
            segments[index] = Cow::Owned(utf8_percent_encode(&target, SUBJECT_SEGMENT).to_string());
            changed = true;
        }
    }
    match changed {
        true => Cow::Owned(segments.join("/")),
        false => Cow::Borrowed(path),
    }
}

/// The query with its `subject` parameter resolved, when it names an alias.
fn resolve_query(registry: &Registry, query: &str) -> Option<String> {
    let pairs: Vec<(Cow<str>, Cow<str>)> = form_urlencoded::parse(query.as_bytes()).collect();
    let target = pairs
        .iter()
        .find(|(name, value)| name == "subject" && !value.is_empty())
        .and_then(|(_, subject)| registry.alias_target(subject))?;
    let mut rebuilt = form_urlencoded::Serializer::new(String::new());
    for (name, value) in &pairs {
        match name == "subject" {
            true => rebuilt.append_pair(name, &target),
            false => rebuilt.append_pair(name, value),
        };
    }
    Some(rebuilt.finish())
}
