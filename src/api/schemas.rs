//! `/schemas`: schemas by global id, the list of schemas, and their types.

use std::borrow::Cow;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::Response;
use axum::Extension;
use serde_json::json;

use super::answers::RenderedAnswers;
use super::error::ApiResult;
use super::negotiate::{json_bytes, json_response, raw_response};
use super::params::{parse_java_int, Params};
use super::path::{self, PathParams};
use super::routes::Routes;
use super::usage::Seen;
use super::views;
use crate::auth::policy::Rule::Authenticated;
use crate::auth::Access;
use crate::registry::{Registry, SchemaContent};
use crate::usage::{Event, Usage, UsageKey};

/// Confluent's default and maximum page for `/schemas`.
const SCHEMA_SEARCH_LIMIT: usize = 1000;

/// Every route here needs a principal; what each shows is then narrowed
/// to the subjects that principal may read (see [`Access`]).
pub fn routes() -> Routes {
    Routes::new()
        .get("/schemas", Authenticated, list_schemas)
        .get("/schemas/types", Authenticated, types)
        .get("/schemas/ids/{id}", Authenticated, by_id)
        .get("/schemas/ids/{id}/schema", Authenticated, raw_by_id)
        .get("/schemas/ids/{id}/subjects", Authenticated, id_subjects)
        .get("/schemas/ids/{id}/versions", Authenticated, id_versions)
}

/// The formats this registry parses, in Confluent 7.9's order.
async fn types() -> Response {
    json_response(&["JSON", "PROTOBUF", "AVRO"])
}

async fn list_schemas(
    State(registry): State<Arc<Registry>>,
    access: Access,
    params: Params,
) -> ApiResult<Response> {
    let page = params.page()?;
    let schemas = registry.schemas(
        params.get("subjectPrefix").unwrap_or(""),
        params.flag("deleted"),
        params.flag("latestOnly"),
    );
    let rule_type = params.get("ruleType").filter(|name| !name.is_empty());
    let views: Vec<_> = schemas
        .iter()
        .filter(|view| access.sees(&view.subject))
        .filter(|view| rule_type.is_none_or(|name| has_rule_of_type(&view.content, name)))
        .map(|view| views::schema(view, Cow::Borrowed(&view.content.schema)))
        .collect();
    Ok(json_response(&page.apply(views, Some(SCHEMA_SEARCH_LIMIT))))
}

/// 7.9's `ruleType` filter (`RuleSet.hasRulesWithType`): a domain or
/// migration rule whose `type` is exactly `name`. It applies after
/// `latestOnly` picks each subject's latest version, so a subject whose
/// latest version has no such rule is left out entirely.
fn has_rule_of_type(content: &SchemaContent, name: &str) -> bool {
    let Some(rule_set) = content.rule_set.as_deref() else {
        return false;
    };
    ["domainRules", "migrationRules"].iter().any(|list| {
        rule_set[*list]
            .as_array()
            .is_some_and(|rules| rules.iter().any(|rule| rule["type"] == name))
    })
}

/// A schema id is shown to a caller who may read a subject holding it (a
/// soft-deleted version counts: the id still answers); an id nobody holds
/// is left to the handler's 404.
pub(super) fn read_id(
    registry: &Registry,
    access: &Access,
    id: i32,
    subject: Option<&str>,
) -> ApiResult<()> {
    if access.sees_everything() {
        return Ok(());
    }
    match registry.id_versions(id, subject, true) {
        Ok(holders) if !holders.iter().any(|(holder, _)| access.may_read(holder)) => {
            Err(access.refuse_schema(id).into())
        }
        _ => Ok(()),
    }
}

async fn by_id(
    State(registry): State<Arc<Registry>>,
    Extension(answers): Extension<Arc<RenderedAnswers>>,
    access: Access,
    seen: Seen,
    PathParams(id): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let id = path::schema_id(&id)?;
    read_id(&registry, &access, id, params.get("subject"))?;
    let format = params.get("format").filter(|f| !f.is_empty());
    let fetch_max_id = params.flag("fetchMaxId");
    if format.is_none() && !fetch_max_id {
        let (context, bytes) = plain_by_id(&registry, &answers, id, params.get("subject"))?;
        seen.id(&context, id);
        return Ok(raw_response(bytes));
    }
    let found = registry.schema_by_id(id, params.get("subject"))?;
    seen.id(&found.context, id);
    let text = registry.formatted(&found.content, format);
    Ok(json_response(&views::schema_string(
        &found.content,
        text,
        fetch_max_id.then_some(found.max_id),
    )))
}

/// The plain answer of `GET /schemas/ids/{id}`, rendered once per id,
/// and the context the id was found in.
fn plain_by_id(
    registry: &Registry,
    answers: &RenderedAnswers,
    id: i32,
    subject: Option<&str>,
) -> ApiResult<(String, Bytes)> {
    let render = |content: &SchemaContent| {
        json_bytes(&views::schema_string(
            content,
            Cow::Borrowed(&content.schema),
            None,
        ))
    };
    let found = registry.schema_by_id(id, subject)?;
    Ok((found.context, answers.schema(&found.content, render)))
}

/// What consumers ask most, `GET /schemas/ids/{id}` without a query,
/// answered before routing. `None` leaves the request to the router
/// (which also gives the errors, and the refusals).
pub fn answer_before_routing(
    registry: &Registry,
    answers: &RenderedAnswers,
    usage: &Usage,
    request: &Request,
) -> Option<Response> {
    if request.method() != Method::GET || request.uri().query().is_some() {
        return None;
    }
    let id = request.uri().path().strip_prefix("/schemas/ids/")?;
    let id = parse_java_int(id)?;
    let access = super::access::of(request.extensions());
    read_id(registry, &access, id, None).ok()?;
    let (context, bytes) = plain_by_id(registry, answers, id, None).ok()?;
    let key = UsageKey::Id { context, id };
    super::usage::record(usage, request.headers(), &access, key, Event::Fetched);
    Some(raw_response(bytes))
}

/// The schema text itself. An unknown id is 40403, as for
/// `GET /schemas/ids/{id}` (7.9 answers a bare 500; COMPATIBILITY.md).
async fn raw_by_id(
    State(registry): State<Arc<Registry>>,
    access: Access,
    seen: Seen,
    PathParams(id): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let id = path::schema_id(&id)?;
    read_id(&registry, &access, id, params.get("subject"))?;
    let found = registry.schema_by_id(id, params.get("subject"))?;
    seen.id(&found.context, id);
    Ok(raw_response(
        registry
            .formatted(&found.content, params.get("format"))
            .into_owned(),
    ))
}

/// The subject-versions holding an id that the caller may see; none, for
/// an id it may not read at all, is a refusal.
fn visible_holders(
    registry: &Registry,
    access: &Access,
    id: i32,
    params: &Params,
) -> ApiResult<Vec<(String, i32)>> {
    read_id(registry, access, id, params.get("subject"))?;
    let mut holders = registry.id_versions(id, params.get("subject"), params.flag("deleted"))?;
    holders.retain(|(subject, _)| access.sees(subject));
    Ok(holders)
}

async fn id_subjects(
    State(registry): State<Arc<Registry>>,
    access: Access,
    PathParams(id): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let id = path::schema_id(&id)?;
    let page = params.page()?;
    let holders = visible_holders(&registry, &access, id, &params)?;
    let subjects: Vec<String> = holders.into_iter().map(|(subject, _)| subject).collect();
    Ok(json_response(&page.apply(subjects, None)))
}

async fn id_versions(
    State(registry): State<Arc<Registry>>,
    access: Access,
    PathParams(id): PathParams<String>,
    params: Params,
) -> ApiResult<Response> {
    let id = path::schema_id(&id)?;
    let page = params.page()?;
    let holders = visible_holders(&registry, &access, id, &params)?;
    let pairs: Vec<_> = holders
        .into_iter()
        .map(|(subject, version)| json!({"subject": subject, "version": version}))
        .collect();
    Ok(json_response(&page.apply(pairs, None)))
}
