//! Loading a JSON Schema into the classes Confluent's differ compares, the
//! way Everit's `SchemaLoader` (Confluent 7.9, drafts 4/6/7) builds them:
//! `$ref` wins over every sibling keyword (drafts ≤ 7); otherwise each
//! keyword group (enum, combiners, not, const, `type`, then keywords of a
//! type found without `type`) yields one schema and several yield a
//! synthetic `allOf`. Drafts 2019-09 and 2020-12 are loaded with the same
//! rules plus their keywords (`$ref` beside other keywords, `$defs`,
//! `prefixItems`, `dependentRequired`, `dependentSchemas`).
//!
//! Validation is structural: every keyword the loader reads must have the
//! JSON type its draft gives it, as Everit rejects a schema. We do not run
//! the draft's meta-schema (the `jsonschema` crate would, at the cost of a
//! large dependency tree and a stricter verdict than Confluent's): Confluent
//! accepts what Everit can load, which is what these checks decide.
//!
//! `$ref`s are resolved after the document is loaded, from a work list, so
//! reference chains and cycles never deepen the recursion; the recursion
//! that remains follows the JSON nesting, which the reader bounds.

use std::collections::HashMap;

use super::java_hash::hash_map_order;
use super::schema::{
    ArraySchema, Bound, Combined, Criterion, Graph, Kind, Node, NodeId, NumberSchema, ObjectSchema,
    StringSchema,
};
use super::value::{self, Json};
use crate::{ParseError, Referenced};

/// The JSON Schema drafts Confluent recognises in `$schema`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Draft {
    V4,
    V6,
    V7,
    V2019_09,
    V2020_12,
}

impl Draft {
    /// Confluent's `SpecificationVersion.getFromUrl` (a trailing `#` is
    /// dropped); an unknown URL means draft 7.
    fn from_url(url: &str) -> Option<Draft> {
        let url = url.strip_suffix('#').unwrap_or(url);
        let path = url
            .strip_prefix("http://json-schema.org/")
            .or_else(|| url.strip_prefix("https://json-schema.org/"))?;
        match path {
            "draft-04/schema" | "schema" => Some(Draft::V4),
            "draft-06/schema" => Some(Draft::V6),
            "draft-07/schema" => Some(Draft::V7),
            "draft/2019-09/schema" => Some(Draft::V2019_09),
            "draft/2020-12/schema" => Some(Draft::V2020_12),
            _ => None,
        }
    }

    fn id_keyword(self) -> &'static str {
        if self == Draft::V4 {
            "id"
        } else {
            "$id"
        }
    }

    fn is_modern(self) -> bool {
        self >= Draft::V2019_09
    }

    /// Keywords that make an object schema when `type` does not say so.
    fn object_keywords(self) -> &'static [&'static str] {
        match self {
            Draft::V4 => &[
                "properties",
                "required",
                "minProperties",
                "maxProperties",
                "dependencies",
                "patternProperties",
                "additionalProperties",
            ],
            Draft::V6 | Draft::V7 => &[
                "properties",
                "required",
                "minProperties",
                "maxProperties",
                "dependencies",
                "patternProperties",
                "additionalProperties",
                "propertyNames",
            ],
            Draft::V2019_09 | Draft::V2020_12 => &[
                "properties",
                "required",
                "minProperties",
                "maxProperties",
                "dependencies",
                "dependentRequired",
                "dependentSchemas",
                "patternProperties",
                "additionalProperties",
                "propertyNames",
                "unevaluatedProperties",
            ],
        }
    }

    fn array_keywords(self) -> &'static [&'static str] {
        match self {
            Draft::V4 => &[
                "items",
                "additionalItems",
                "minItems",
                "maxItems",
                "uniqueItems",
            ],
            Draft::V6 | Draft::V7 => &[
                "items",
                "additionalItems",
                "minItems",
                "maxItems",
                "uniqueItems",
                "contains",
            ],
            Draft::V2019_09 | Draft::V2020_12 => &[
                "items",
                "prefixItems",
                "additionalItems",
                "minItems",
                "maxItems",
                "uniqueItems",
                "contains",
                "minContains",
                "maxContains",
                "unevaluatedItems",
            ],
        }
    }
}

const NUMBER_KEYWORDS: [&str; 5] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const STRING_KEYWORDS: [&str; 4] = ["minLength", "maxLength", "pattern", "format"];
const CONDITIONAL_KEYWORDS: [&str; 3] = ["if", "then", "else"];
const COMBINER_KEYWORDS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// Keywords that sit beside a 2019+ `$ref` without making another schema.
const ANNOTATIONS: [&str; 12] = [
    "$ref",
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$defs",
    "definitions",
    "title",
    "description",
    "default",
    "examples",
    "connect.type",
];

/// The message prefix for a schema that is JSON but not a valid schema.
const INVALID_SCHEMA: &str = "Invalid JSON Schema";

/// Confluent meets an invalid schema when `validate` loads it, and reports
/// only the words of the exception it wraps the loader's in
/// (`JsonSchema.rawSchema`), not where or why.
const CONFLUENT_INVALID_SCHEMA: &str = "Invalid JSON";

fn invalid(location: &str, reason: impl std::fmt::Display) -> ParseError {
    ParseError::new(format!("{INVALID_SCHEMA}: {location}: {reason}"))
        .found_in_validation(CONFLUENT_INVALID_SCHEMA)
}

fn type_mismatch(location: &str, expected: &str, found: &Json) -> ParseError {
    invalid(
        location,
        format!("expected type: {expected}, found: {}", found.type_name()),
    )
}

/// A document the loader resolves `$ref`s in: the schema itself (index 0)
/// or one of its references.
struct Document {
    json: Json,
    /// The reference name (the `$ref` URL the referrer uses); `None` for
    /// the root.
    name: Option<String>,
    /// The document's `$id`, against which its relative `$ref`s resolve.
    base: Option<String>,
    /// Subschemas that declare an `$id` (or a 2019+ `$anchor`), as
    /// (resolved id, JSON pointer).
    ids: Vec<(String, String)>,
}

/// Loads `root` (already read) with `references`.
pub(crate) fn load(
    root: &Json,
    references: &[Referenced<'_>],
) -> Result<(Graph, Draft), ParseError> {
    let draft = match root.get("$schema") {
        None => Draft::V7,
        Some(Json::String(url)) => Draft::from_url(url).unwrap_or(Draft::V7),
        Some(other) => return Err(type_mismatch("#/$schema", "String", other)),
    };
    let mut documents = vec![Document::new(root.clone(), None, draft)];
    for reference in references {
        let json = value::parse(reference.text).map_err(|e| {
            invalid(
                "#",
                format!(
                    "referenced schema '{}' is not JSON: {}",
                    reference.name, e.reason
                ),
            )
        })?;
        documents.push(Document::new(json, Some(reference.name.to_string()), draft));
    }
    let mut loader = Loader {
        draft,
        documents,
        nodes: Vec::new(),
        targets: HashMap::new(),
        pending: Vec::new(),
    };
    let root_json = loader.documents[0].json.clone();
    let root_id = match &root_json {
        Json::Bool(_) | Json::Object(_) => loader.load(0, &root_json, "#")?,
        scalar => loader.push(Kind::Scalar(scalar.clone()), Some(scalar.clone())),
    };
    loader.targets.insert((0, String::new()), root_id);
    loader.resolve_pending()?;
    Ok((
        Graph {
            nodes: loader.nodes,
            root: root_id,
        },
        draft,
    ))
}

impl Document {
    fn new(json: Json, name: Option<String>, draft: Draft) -> Self {
        let base = json
            .get(draft.id_keyword())
            .and_then(Json::as_str)
            .map(|id| resolve_uri(None, id));
        let mut ids = Vec::new();
        collect_ids(&json, draft, base.as_deref(), "", 0, &mut ids);
        Document {
            json,
            name,
            base,
            ids,
        }
    }
}

/// Every nested `$id` (and `$anchor`) with its pointer; bounded by the
/// reader's nesting limit.
fn collect_ids(
    json: &Json,
    draft: Draft,
    base: Option<&str>,
    pointer: &str,
    depth: usize,
    out: &mut Vec<(String, String)>,
) {
    if depth > value::MAX_DEPTH {
        return;
    }
    match json {
        Json::Object(members) => {
            if !pointer.is_empty() {
                if let Some(id) = json.get(draft.id_keyword()).and_then(Json::as_str) {
                    out.push((resolve_uri(base, id), pointer.to_string()));
                }
            }
            if let Some(anchor) = json.get("$anchor").and_then(Json::as_str) {
                out.push((format!("#{anchor}"), pointer.to_string()));
            }
            for (key, member) in members {
                let child = format!("{pointer}/{}", escape_pointer(key));
                collect_ids(member, draft, base, &child, depth + 1, out);
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_ids(item, draft, base, &format!("{pointer}/{i}"), depth + 1, out);
            }
        }
        _ => {}
    }
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// RFC 3986 reference resolution, as far as schema ids need it.
fn resolve_uri(base: Option<&str>, reference: &str) -> String {
    let has_scheme = |s: &str| {
        s.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
    };
    let reference = reference.strip_prefix("./").unwrap_or(reference);
    let Some(base) = base.filter(|_| !has_scheme(reference)) else {
        return reference.to_string();
    };
    let base = base.split('#').next().unwrap_or(base);
    if reference.starts_with('#') {
        return format!("{base}{reference}");
    }
    if let Some(rest) = reference.strip_prefix('/') {
        let authority_end = base
            .find("://")
            .and_then(|at| base[at + 3..].find('/').map(|slash| at + 3 + slash))
            .unwrap_or(base.len());
        return format!("{}/{rest}", &base[..authority_end]);
    }
    match base.rfind('/') {
        Some(slash) => format!("{}{reference}", &base[..=slash]),
        None => reference.to_string(),
    }
}

/// Evaluates a JSON pointer fragment (already without `#`).
fn evaluate_pointer<'a>(json: &'a Json, pointer: &str) -> Option<&'a Json> {
    let decoded = percent_decode(pointer)?;
    let mut current = json;
    if decoded.is_empty() {
        return Some(current);
    }
    let rest = decoded.strip_prefix('/')?;
    for token in rest.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        current = match current {
            Json::Object(_) => current.get(&token)?,
            Json::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

struct Loader {
    draft: Draft,
    documents: Vec<Document>,
    nodes: Vec<Node>,
    /// Loaded `$ref` targets by (document, JSON pointer).
    targets: HashMap<(usize, String), NodeId>,
    /// `$ref` nodes to patch: (node, document it appears in, `$ref`, where).
    pending: Vec<(NodeId, usize, String, String)>,
}

/// The target of a `$ref` until `resolve_pending` patches it.
const UNRESOLVED: NodeId = NodeId(usize::MAX);

/// What one keyword group of an object contributes.
struct Extracted {
    kinds: Vec<Kind>,
    consumed: Vec<&'static str>,
}

impl Loader {
    fn push(&mut self, kind: Kind, source: Option<Json>) -> NodeId {
        self.nodes.push(Node {
            kind,
            id: None,
            title: None,
            description: None,
            default: None,
            connect_type: None,
            source,
        });
        NodeId(self.nodes.len() - 1)
    }

    /// Everit's `loadChild`: a boolean or an object.
    fn load(&mut self, doc: usize, json: &Json, location: &str) -> Result<NodeId, ParseError> {
        match json {
            Json::Bool(true) => Ok(self.push(Kind::True, Some(json.clone()))),
            Json::Bool(false) => Ok(self.push(Kind::False, Some(json.clone()))),
            Json::Object(_) => self.load_object(doc, json, location),
            other => Err(invalid(
                location,
                format!(
                    "expected type is one of Boolean or JsonObject, found: {}",
                    other.type_name()
                ),
            )),
        }
    }

    fn load_object(
        &mut self,
        doc: usize,
        json: &Json,
        location: &str,
    ) -> Result<NodeId, ParseError> {
        let draft = self.draft;
        let reference = match json.get("$ref") {
            None => None,
            Some(Json::String(text)) => Some(text.clone()),
            Some(other) => return Err(type_mismatch(&format!("{location}/$ref"), "String", other)),
        };
        let alone = reference.is_some() && (!draft.is_modern() || !has_applicators(json));
        let mut kinds = if alone {
            Vec::new()
        } else {
            self.extract(doc, json, location)?
        };
        let mut outer_reference = None;
        let kind = match (reference, kinds.len()) {
            (Some(text), 0) => {
                outer_reference = Some(text);
                Kind::Reference(UNRESOLVED)
            }
            (Some(text), _) => {
                let member = self.push(Kind::Reference(UNRESOLVED), None);
                self.pending.push((member, doc, text, location.to_string()));
                let mut subschemas = vec![member];
                subschemas.extend(kinds.into_iter().map(|k| self.push(k, None)));
                Kind::Combined(Combined {
                    criterion: Criterion::AllOf,
                    subschemas,
                })
            }
            (None, 0) => Kind::Empty,
            (None, 1) => kinds.pop().unwrap_or(Kind::Empty),
            (None, _) => {
                let subschemas = kinds.into_iter().map(|k| self.push(k, None)).collect();
                Kind::Combined(Combined {
                    criterion: Criterion::AllOf,
                    subschemas,
                })
            }
        };
        let id = self.push(kind, Some(json.clone()));
        if let Some(text) = outer_reference {
            self.pending.push((id, doc, text, location.to_string()));
        }
        self.common_properties(id, json, location)?;
        Ok(id)
    }

    /// The schemas of an object without (or beside, 2019+) `$ref`, in
    /// Everit's extractor order.
    fn extract(
        &mut self,
        doc: usize,
        json: &Json,
        location: &str,
    ) -> Result<Vec<Kind>, ParseError> {
        let draft = self.draft;
        let mut consumed: Vec<&str> = Vec::new();
        let mut kinds = Vec::new();
        if let Some(values) = json.get("enum") {
            let Json::Array(values) = values else {
                return Err(type_mismatch(
                    &format!("{location}/enum"),
                    "JSONArray",
                    values,
                ));
            };
            kinds.push(Kind::Enum(values.clone()));
            consumed.push("enum");
        }
        let present: Vec<&str> = COMBINER_KEYWORDS
            .into_iter()
            .filter(|k| json.get(k).is_some())
            .collect();
        for keyword in hash_map_order(present) {
            let criterion = match keyword {
                "allOf" => Criterion::AllOf,
                "anyOf" => Criterion::AnyOf,
                _ => Criterion::OneOf,
            };
            let at = format!("{location}/{keyword}");
            let items = match json.get(keyword) {
                Some(Json::Array(items)) => items,
                Some(other) => return Err(type_mismatch(&at, "JSONArray", other)),
                None => continue,
            };
            let mut subschemas = Vec::new();
            for (i, item) in items.iter().enumerate() {
                subschemas.push(self.load(doc, item, &format!("{at}/{i}"))?);
            }
            kinds.push(Kind::Combined(Combined {
                criterion,
                subschemas,
            }));
            consumed.push(COMBINER_KEYWORDS[criterion as usize]);
        }
        if let Some(not) = json.get("not") {
            kinds.push(Kind::Not(self.load(
                doc,
                not,
                &format!("{location}/not"),
            )?));
            consumed.push("not");
        }
        if draft != Draft::V4 {
            if let Some(value) = json.get("const") {
                kinds.push(Kind::Const(value.clone()));
                consumed.push("const");
            }
        }
        if let Some(extracted) = self.typed(doc, json, location)? {
            kinds.extend(extracted.kinds);
            consumed.extend(extracted.consumed);
        }
        let unconsumed = |keywords: &[&str]| {
            keywords
                .iter()
                .any(|k| !consumed.contains(k) && json.get(k).is_some())
        };
        let sniff_array = unconsumed(draft.array_keywords());
        let sniff_object = unconsumed(draft.object_keywords());
        let sniff_number = unconsumed(&NUMBER_KEYWORDS);
        let sniff_string = unconsumed(&STRING_KEYWORDS);
        let sniff_conditional = draft >= Draft::V7 && unconsumed(&CONDITIONAL_KEYWORDS);
        if sniff_array {
            kinds.push(Kind::Array(self.array(doc, json, location)?));
        }
        if sniff_object {
            kinds.push(Kind::Object(self.object(doc, json, location)?));
        }
        if sniff_number {
            kinds.push(Kind::Number(self.number(json, location, false)?));
        }
        if sniff_string {
            kinds.push(Kind::String(string_schema(json, location)?));
        }
        if sniff_conditional {
            for keyword in CONDITIONAL_KEYWORDS {
                if let Some(sub) = json.get(keyword) {
                    self.load(doc, sub, &format!("{location}/{keyword}"))?;
                }
            }
            kinds.push(Kind::Conditional);
        }
        Ok(kinds)
    }

    /// Everit's `TypeBasedSchemaExtractor`: `type` as a name or a list of
    /// names (an `anyOf` of one schema per name).
    fn typed(
        &mut self,
        doc: usize,
        json: &Json,
        location: &str,
    ) -> Result<Option<Extracted>, ParseError> {
        let at = format!("{location}/type");
        let mut consumed = vec!["type"];
        match json.get("type") {
            None => Ok(None),
            Some(Json::String(name)) => {
                let kind = self.for_type(doc, json, location, name, &mut consumed)?;
                Ok(Some(Extracted {
                    kinds: vec![kind],
                    consumed,
                }))
            }
            Some(Json::Array(names)) => {
                let mut subschemas = Vec::new();
                for (i, name) in names.iter().enumerate() {
                    let Json::String(name) = name else {
                        return Err(type_mismatch(&format!("{at}/{i}"), "String", name));
                    };
                    let kind = self.for_type(doc, json, location, name, &mut consumed)?;
                    subschemas.push(self.push(kind, None));
                }
                Ok(Some(Extracted {
                    kinds: vec![Kind::Combined(Combined {
                        criterion: Criterion::AnyOf,
                        subschemas,
                    })],
                    consumed,
                }))
            }
            Some(other) => Err(invalid(
                &at,
                format!(
                    "expected type is one of JSONArray or String, found: {}",
                    other.type_name()
                ),
            )),
        }
    }

    fn for_type(
        &mut self,
        doc: usize,
        json: &Json,
        location: &str,
        name: &str,
        consumed: &mut Vec<&'static str>,
    ) -> Result<Kind, ParseError> {
        let draft = self.draft;
        Ok(match name {
            "string" => {
                consumed.extend(STRING_KEYWORDS);
                Kind::String(string_schema(json, location)?)
            }
            "integer" | "number" => {
                consumed.extend(NUMBER_KEYWORDS);
                Kind::Number(self.number(json, location, name == "integer")?)
            }
            "boolean" => Kind::Boolean,
            "null" => Kind::Null,
            "array" => {
                consumed.extend(draft.array_keywords());
                Kind::Array(self.array(doc, json, location)?)
            }
            "object" => {
                consumed.extend(draft.object_keywords());
                Kind::Object(self.object(doc, json, location)?)
            }
            other => {
                return Err(invalid(
                    &format!("{location}/type"),
                    format!("unknown type: [{other}]"),
                ))
            }
        })
    }

    fn number(
        &self,
        json: &Json,
        location: &str,
        requires_integer: bool,
    ) -> Result<NumberSchema, ParseError> {
        let bound = |keyword: &str| -> Result<Option<Bound>, ParseError> {
            match json.get(keyword) {
                None => Ok(None),
                Some(Json::Number(n)) => Ok(Some(Bound {
                    value: n.value,
                    text: n.text.clone(),
                })),
                Some(other) => Err(type_mismatch(
                    &format!("{location}/{keyword}"),
                    "Number",
                    other,
                )),
            }
        };
        let mut schema = NumberSchema {
            requires_integer,
            minimum: bound("minimum")?,
            maximum: bound("maximum")?,
            multiple_of: bound("multipleOf")?,
            ..NumberSchema::default()
        };
        if self.draft == Draft::V4 {
            for keyword in ["exclusiveMinimum", "exclusiveMaximum"] {
                if let Some(flag) = json.get(keyword) {
                    if !matches!(flag, Json::Bool(_)) {
                        return Err(type_mismatch(
                            &format!("{location}/{keyword}"),
                            "Boolean",
                            flag,
                        ));
                    }
                }
            }
        } else {
            schema.exclusive_minimum = bound("exclusiveMinimum")?;
            schema.exclusive_maximum = bound("exclusiveMaximum")?;
        }
        Ok(schema)
    }

    fn object(
        &mut self,
        doc: usize,
        json: &Json,
        location: &str,
    ) -> Result<ObjectSchema, ParseError> {
        let draft = self.draft;
        let mut schema = ObjectSchema {
            properties: Vec::new(),
            required: Vec::new(),
            permits_additional: true,
            additional_schema: None,
            pattern_properties: Vec::new(),
            property_dependencies: Vec::new(),
            schema_dependencies: Vec::new(),
            min_properties: integer(json, "minProperties", location)?,
            max_properties: integer(json, "maxProperties", location)?,
        };
        if let Some(properties) = json.get("properties") {
            let Json::Object(members) = properties else {
                return Err(type_mismatch(
                    &format!("{location}/properties"),
                    "JsonObject",
                    properties,
                ));
            };
            for (name, sub) in members {
                // Everit skips a property named like the id keyword unless
                // it holds a schema object.
                if name == draft.id_keyword() && !matches!(sub, Json::Object(_)) {
                    continue;
                }
                let at = format!("{location}/properties/{}", escape_pointer(name));
                let id = self.load(doc, sub, &at)?;
                schema.properties.push((name.clone(), id));
            }
        }
        if let Some(additional) = json.get("additionalProperties") {
            match additional {
                Json::Bool(permits) => schema.permits_additional = *permits,
                Json::Object(_) => {
                    let at = format!("{location}/additionalProperties");
                    schema.additional_schema = Some(self.load(doc, additional, &at)?);
                }
                other => {
                    return Err(invalid(
                        &format!("{location}/additionalProperties"),
                        format!(
                            "expected type is one of Boolean or JsonObject, found: {}",
                            other.type_name()
                        ),
                    ))
                }
            }
        }
        if let Some(required) = json.get("required") {
            schema.required = strings(required, &format!("{location}/required"))?;
        }
        if let Some(patterns) = json.get("patternProperties") {
            let Json::Object(members) = patterns else {
                return Err(type_mismatch(
                    &format!("{location}/patternProperties"),
                    "JsonObject",
                    patterns,
                ));
            };
            for (pattern, sub) in members {
                let at = format!("{location}/patternProperties/{}", escape_pointer(pattern));
                let regex = compile_pattern(pattern, &at)?;
                let id = self.load(doc, sub, &at)?;
                schema.pattern_properties.push((pattern.clone(), regex, id));
            }
        }
        let mut dependency_keywords = vec!["dependencies"];
        if draft.is_modern() {
            dependency_keywords.extend(["dependentRequired", "dependentSchemas"]);
        }
        for keyword in dependency_keywords {
            let Some(dependencies) = json.get(keyword) else {
                continue;
            };
            let Json::Object(members) = dependencies else {
                return Err(type_mismatch(
                    &format!("{location}/{keyword}"),
                    "JsonObject",
                    dependencies,
                ));
            };
            for (name, dependency) in members {
                let at = format!("{location}/{keyword}/{}", escape_pointer(name));
                match dependency {
                    Json::Array(_) if keyword != "dependentSchemas" => {
                        let names = strings(dependency, &at)?;
                        schema.property_dependencies.push((name.clone(), names));
                    }
                    Json::Bool(_) | Json::Object(_) if keyword != "dependentRequired" => {
                        let id = self.load(doc, dependency, &at)?;
                        schema.schema_dependencies.push((name.clone(), id));
                    }
                    other => {
                        return Err(invalid(
                            &at,
                            format!("unexpected dependency of type {}", other.type_name()),
                        ))
                    }
                }
            }
        }
        self.load_later_draft_sub_schemas(
            doc,
            json,
            location,
            ["propertyNames", "unevaluatedProperties"],
        )?;
        Ok(schema)
    }

    fn array(
        &mut self,
        doc: usize,
        json: &Json,
        location: &str,
    ) -> Result<ArraySchema, ParseError> {
        let draft = self.draft;
        let mut schema = ArraySchema {
            all_items: None,
            item_schemas: None,
            permits_additional: true,
            additional_schema: None,
            min_items: integer(json, "minItems", location)?,
            max_items: integer(json, "maxItems", location)?,
            unique_items: false,
        };
        if let Some(unique) = json.get("uniqueItems") {
            let Json::Bool(unique) = unique else {
                return Err(type_mismatch(
                    &format!("{location}/uniqueItems"),
                    "Boolean",
                    unique,
                ));
            };
            schema.unique_items = *unique;
        }
        let tuple_keyword = if draft == Draft::V2020_12 {
            "prefixItems"
        } else {
            "items"
        };
        let additional_keyword = if draft == Draft::V2020_12 && json.get("prefixItems").is_some() {
            "items"
        } else {
            "additionalItems"
        };
        if let Some(Json::Array(items)) = json.get(tuple_keyword) {
            let mut ids = Vec::new();
            for (i, item) in items.iter().enumerate() {
                ids.push(self.load(doc, item, &format!("{location}/{tuple_keyword}/{i}"))?);
            }
            schema.item_schemas = Some(ids);
        } else if let Some(other) = json
            .get(tuple_keyword)
            .filter(|_| tuple_keyword == "prefixItems")
        {
            return Err(type_mismatch(
                &format!("{location}/prefixItems"),
                "JSONArray",
                other,
            ));
        }
        if additional_keyword == "additionalItems" || json.get("prefixItems").is_some() {
            if let Some(additional) = json.get(additional_keyword) {
                let at = format!("{location}/{additional_keyword}");
                match additional {
                    Json::Bool(permits) => schema.permits_additional = *permits,
                    Json::Object(_) => {
                        schema.additional_schema = Some(self.load(doc, additional, &at)?)
                    }
                    other => {
                        return Err(invalid(
                            &at,
                            format!(
                                "expected type is one of Boolean or JsonObject, found: {}",
                                other.type_name()
                            ),
                        ))
                    }
                }
            }
        }
        if schema.item_schemas.is_none() || tuple_keyword == "prefixItems" {
            if let Some(items) = json.get("items").filter(|_| additional_keyword != "items") {
                if !matches!(items, Json::Array(_)) {
                    schema.all_items = Some(self.load(doc, items, &format!("{location}/items"))?);
                } else if draft == Draft::V2020_12 {
                    return Err(type_mismatch(
                        &format!("{location}/items"),
                        "JsonObject",
                        items,
                    ));
                }
            }
        }
        self.load_later_draft_sub_schemas(doc, json, location, ["contains", "unevaluatedItems"])?;
        Ok(schema)
    }

    /// Loads the sub-schemas under `keywords` that drafts after 4 add: the
    /// first from draft 6 on, the second (`unevaluated…`) from 2019-09 on.
    fn load_later_draft_sub_schemas(
        &mut self,
        doc: usize,
        json: &Json,
        location: &str,
        [since_draft_6, since_2019_09]: [&str; 2],
    ) -> Result<(), ParseError> {
        let mut keywords = vec![];
        if self.draft != Draft::V4 {
            keywords.push(since_draft_6);
        }
        if self.draft.is_modern() {
            keywords.push(since_2019_09);
        }
        for keyword in keywords {
            if let Some(sub) = json.get(keyword) {
                self.load(doc, sub, &format!("{location}/{keyword}"))?;
            }
        }
        Ok(())
    }

    /// Everit's `loadCommonSchemaProperties` plus the unprocessed
    /// `connect.type`.
    fn common_properties(
        &mut self,
        id: NodeId,
        json: &Json,
        location: &str,
    ) -> Result<(), ParseError> {
        let optional_string = |keyword: &str| -> Result<Option<String>, ParseError> {
            match json.get(keyword) {
                None => Ok(None),
                Some(Json::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(type_mismatch(
                    &format!("{location}/{keyword}"),
                    "String",
                    other,
                )),
            }
        };
        let schema_id = optional_string(self.draft.id_keyword())?;
        let title = optional_string("title")?;
        let description = optional_string("description")?;
        if self.draft == Draft::V7 {
            for keyword in ["readOnly", "writeOnly"] {
                if let Some(flag) = json.get(keyword) {
                    if !matches!(flag, Json::Bool(_)) {
                        return Err(type_mismatch(
                            &format!("{location}/{keyword}"),
                            "Boolean",
                            flag,
                        ));
                    }
                }
            }
        }
        let node = &mut self.nodes[id.0];
        node.id = schema_id;
        node.title = title;
        node.description = description;
        node.default = json.get("default").cloned();
        node.connect_type = json
            .get("connect.type")
            .and_then(Json::as_str)
            .map(str::to_string);
        Ok(())
    }

    /// Resolves the `$ref`s recorded while loading, loading each target
    /// once (cycles end at the already loaded target).
    fn resolve_pending(&mut self) -> Result<(), ParseError> {
        while let Some((node, doc, reference, location)) = self.pending.pop() {
            let (target_doc, pointer) = self.locate(doc, &reference).ok_or_else(|| {
                invalid(&location, format!("$ref '{reference}' cannot be resolved"))
            })?;
            let target = match self.targets.get(&(target_doc, pointer.clone())) {
                Some(target) => *target,
                None => {
                    let json = evaluate_pointer(&self.documents[target_doc].json, &pointer)
                        .cloned()
                        .ok_or_else(|| {
                            invalid(&location, format!("$ref '{reference}' cannot be resolved"))
                        })?;
                    let where_ = match &self.documents[target_doc].name {
                        Some(name) => format!("{name}#{pointer}"),
                        None => format!("#{pointer}"),
                    };
                    let target = self.load(target_doc, &json, &where_)?;
                    self.targets.insert((target_doc, pointer), target);
                    target
                }
            };
            self.nodes[node.0].kind = Kind::Reference(target);
        }
        Ok(())
    }

    /// The document and JSON pointer a `$ref` in document `doc` names.
    fn locate(&self, doc: usize, reference: &str) -> Option<(usize, String)> {
        let (uri, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target_doc = if uri.is_empty() {
            doc
        } else {
            let absolute = resolve_uri(self.documents[doc].base.as_deref(), uri);
            let root_base = self.documents[0].base.as_deref();
            let by_name = self.documents.iter().position(|d| {
                d.name.as_deref().is_some_and(|name| {
                    let name = name.split('#').next().unwrap_or(name);
                    name == uri || name == absolute || resolve_uri(root_base, name) == absolute
                }) || d.base.as_deref() == Some(absolute.as_str())
            });
            match by_name {
                Some(found) => found,
                None => {
                    // A subschema declaring this `$id`.
                    let fragment = fragment_pointer(fragment)?;
                    return self.documents.iter().enumerate().find_map(|(i, d)| {
                        d.ids
                            .iter()
                            .find(|(id, _)| *id == absolute || id == uri)
                            .map(|(_, pointer)| (i, format!("{pointer}{fragment}")))
                    });
                }
            }
        };
        if fragment.is_empty() || fragment.starts_with('/') {
            return Some((target_doc, fragment.to_string()));
        }
        // A plain-name fragment: `$id: "#name"` or 2019+ `$anchor`.
        let anchor = format!("#{fragment}");
        self.documents[target_doc]
            .ids
            .iter()
            .find(|(id, _)| id.ends_with(&anchor))
            .map(|(_, pointer)| (target_doc, pointer.clone()))
    }
}

/// The pointer part of a fragment appended to a subschema's pointer.
fn fragment_pointer(fragment: &str) -> Option<&str> {
    (fragment.is_empty() || fragment.starts_with('/')).then_some(fragment)
}

/// Whether a 2019+ object with `$ref` has keywords that make a schema of
/// their own (then `$ref` is one `allOf` member among others).
fn has_applicators(json: &Json) -> bool {
    match json {
        Json::Object(members) => members
            .iter()
            .any(|(k, _)| !ANNOTATIONS.contains(&k.as_str())),
        _ => false,
    }
}

fn string_schema(json: &Json, location: &str) -> Result<StringSchema, ParseError> {
    let pattern = match json.get("pattern") {
        None => None,
        Some(Json::String(p)) => {
            compile_pattern(p, &format!("{location}/pattern"))?;
            Some(p.clone())
        }
        Some(other) => {
            return Err(type_mismatch(
                &format!("{location}/pattern"),
                "String",
                other,
            ))
        }
    };
    if let Some(format) = json.get("format") {
        if !matches!(format, Json::String(_)) {
            return Err(type_mismatch(
                &format!("{location}/format"),
                "String",
                format,
            ));
        }
    }
    Ok(StringSchema {
        min_length: integer(json, "minLength", location)?,
        max_length: integer(json, "maxLength", location)?,
        pattern,
    })
}

/// A Java regular expression: compiled when Rust's `regex` can express it;
/// constructs only Java has (look-around, back-references, possessive and
/// atomic groups) are accepted uncompiled; anything else is invalid, as
/// Java's `Pattern.compile` would refuse it.
fn compile_pattern(pattern: &str, location: &str) -> Result<Option<regex::Regex>, ParseError> {
    match regex::Regex::new(pattern) {
        Ok(regex) => Ok(Some(regex)),
        Err(_) if java_only_regex(pattern) => Ok(None),
        Err(e) => Err(invalid(
            location,
            format!(
                "invalid regular expression '{pattern}': {}",
                e.to_string().lines().last().unwrap_or("")
            ),
        )),
    }
}

fn java_only_regex(pattern: &str) -> bool {
    [
        "(?=", "(?!", "(?<=", "(?<!", "(?>", "*+", "++", "?+", "}+", "\\p{Is", "\\p{java",
    ]
    .iter()
    .any(|construct| pattern.contains(construct))
        || pattern
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0')
}

fn integer(json: &Json, keyword: &str, location: &str) -> Result<Option<i64>, ParseError> {
    match json.get(keyword) {
        None => Ok(None),
        Some(Json::Number(n)) if n.is_integer => n
            .text
            .parse()
            .map(Some)
            .map_err(|_| invalid(&format!("{location}/{keyword}"), "integer out of range")),
        Some(other) => Err(type_mismatch(
            &format!("{location}/{keyword}"),
            "Integer",
            other,
        )),
    }
}

fn strings(json: &Json, location: &str) -> Result<Vec<String>, ParseError> {
    let Json::Array(items) = json else {
        return Err(type_mismatch(location, "JSONArray", json));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Json::String(s) => Ok(s.clone()),
            other => Err(type_mismatch(&format!("{location}/{i}"), "String", other)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_resolve_against_the_base_id() {
        assert_eq!(
            resolve_uri(Some("http://example.com/schemas/a.json"), "b.json"),
            "http://example.com/schemas/b.json"
        );
        assert_eq!(
            resolve_uri(Some("http://example.com/schemas/a.json"), "/c.json"),
            "http://example.com/c.json"
        );
        assert_eq!(resolve_uri(None, "./b.json"), "b.json");
        assert_eq!(resolve_uri(Some("http://x/a.json"), "urn:b"), "urn:b");
    }

    #[test]
    fn pointers_unescape_and_percent_decode() {
        let json = value::parse(r#"{"a/b":{"c~d":[1,{"e f":2}]}}"#).unwrap();
        let found = evaluate_pointer(&json, "/a~1b/c~0d/1/e%20f").unwrap();
        assert_eq!(found.to_compact(), "2");
        assert!(evaluate_pointer(&json, "/missing").is_none());
    }
}
