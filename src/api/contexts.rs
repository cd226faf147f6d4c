//! `/contexts`, and the `/contexts/{ctx}/…` URL form, rewritten onto the
//! plain routes before routing (spec §0.4).

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;

use super::error::{ApiError, ApiResult};
use super::negotiate::json_response;
use super::params::Params;
use super::routes::Routes;
use crate::auth::policy::Rule::Authenticated;
use crate::auth::Access;
use crate::registry::{Registry, DEFAULT_CONTEXT};

pub fn routes() -> Routes {
    Routes::new().get("/contexts", Authenticated, list)
}

/// The default context, and each other context the caller has a grant
/// reaching into: a context's name alone can say more than it should.
async fn list(
    State(registry): State<Arc<Registry>>,
    access: Access,
    params: Params,
) -> ApiResult<Response> {
    let page = params.page()?;
    let mut contexts = registry.contexts();
    contexts.retain(|context| context == DEFAULT_CONTEXT || access.sees_context(context));
    Ok(json_response(&page.apply(contexts, None)))
}

/// Rewrites `/contexts/{ctx}/<rest>` to the route `<rest>` addresses within
/// that context; other paths are returned as they are. `query` is the raw
/// query string, which some rewrites extend.
pub fn rewrite(path: &str, query: Option<&str>) -> ApiResult<(String, Option<String>)> {
    let unchanged = || Ok((path.to_owned(), query.map(str::to_owned)));
    let Some(rest) = path.strip_prefix("/contexts/") else {
        return unchanged();
    };
    let (context, rest) = rest.split_once('/').unwrap_or((rest, ""));
    if rest.is_empty() {
        return unchanged();
    }
    if context.contains(':') || context.contains("%3A") || context.contains("%3a") {
        return Err(ApiError::bad_request("Context name cannot contain a colon"));
    }
    let context = if context.starts_with('.') {
        context.to_owned()
    } else {
        format!(".{context}")
    };
    let qualifier = format!(":{context}:");
    let segments: Vec<&str> = rest.split('/').collect();
    let rewritten = match segments.as_slice() {
        ["subjects"] | ["schemas"] => {
            let prefix = format!("{qualifier}{}", prefix_param(query).unwrap_or_default());
            let kept = without_param(query, "subjectPrefix");
            let query = append(kept.as_deref(), "subjectPrefix", &prefix);
            (format!("/{rest}"), Some(query))
        }
        ["subjects", subject, tail @ ..] => (
            join("/subjects", &qualifier, subject, tail),
            query.map(str::to_owned),
        ),
        ["compatibility", "subjects", subject, tail @ ..] => (
            join("/compatibility/subjects", &qualifier, subject, tail),
            query.map(str::to_owned),
        ),
        [kind @ ("config" | "mode")] => (format!("/{kind}/{qualifier}"), query.map(str::to_owned)),
        [kind @ ("config" | "mode"), subject] => (
            join(&format!("/{kind}"), &qualifier, subject, &[]),
            query.map(str::to_owned),
        ),
        ["schemas", "ids", ..] => (
            format!("/{rest}"),
            Some(append(query, "subject", &qualifier)),
        ),
        _ => return unchanged(),
    };
    Ok(rewritten)
}

fn join(base: &str, qualifier: &str, subject: &str, tail: &[&str]) -> String {
    let mut path = format!("{base}/{qualifier}{subject}");
    for segment in tail {
        path.push('/');
        path.push_str(segment);
    }
    path
}

/// `query` with `name=value` added.
fn append(query: Option<&str>, name: &str, value: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    match query {
        Some(q) if !q.is_empty() => format!("{q}&{name}={encoded}"),
        _ => format!("{name}={encoded}"),
    }
}

fn prefix_param(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key == "subjectPrefix")
        .map(|(_, value)| value.into_owned())
}

fn without_param(query: Option<&str>, name: &str) -> Option<String> {
    let kept: Vec<&str> = query?
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(name))
        .collect();
    (!kept.is_empty()).then(|| kept.join("&"))
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    fn rewritten(path: &str, query: Option<&str>) -> (String, Option<String>) {
        rewrite(path, query).expect("rewrites")
    }

    #[test]
    fn context_urls_address_qualified_subjects() {
        assert_eq!(
            rewritten("/contexts/.ctx/subjects/foo/versions", None).0,
            "/subjects/:.ctx:foo/versions"
        );
        assert_eq!(rewritten("/contexts/ctx/config", None).0, "/config/:.ctx:");
        assert_eq!(
            rewritten("/contexts/.ctx/mode/foo", None).0,
            "/mode/:.ctx:foo"
        );
        assert_eq!(
            rewritten("/contexts/.ctx/schemas/ids/1", None),
            (
                "/schemas/ids/1".to_owned(),
                Some("subject=%3A.ctx%3A".to_owned())
            )
        );
        assert_eq!(
            rewritten(
                "/contexts/.ctx/subjects",
                Some("subjectPrefix=a&deleted=true")
            ),
            (
                "/subjects".to_owned(),
                Some("deleted=true&subjectPrefix=%3A.ctx%3Aa".to_owned())
            )
        );
    }

    #[test]
    fn context_names_with_colons_are_refused() {
        assert!(rewrite("/contexts/a:b/subjects", None).is_err());
    }
}
