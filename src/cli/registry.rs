//! A Confluent-compatible registry over its REST API, as a client reaches
//! it with Basic or bearer authentication: what `treaty breaking
//! --registry URL` compares with, and what `treaty registry` administers.

use std::collections::HashSet;

use base64::Engine;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Deserialize;
use serde_json::Value;
use treaty_compat::{CompatibilityLevel, SchemaType};

/// `breaking --registry URL`, and how its requests authenticate.
#[derive(clap::Args)]
pub struct RegistryArgs {
    /// Compare with what this registry holds for each subject instead of
    /// a baseline tree (e.g. `https://registry.example.com`).
    #[arg(long, conflicts_with = "against")]
    pub registry: Option<String>,
    #[command(flatten)]
    pub auth: AuthArgs,
}

/// How requests prove who sends them.
#[derive(clap::Args)]
pub struct AuthArgs {
    /// Basic authentication as `USER:PASSWORD`.
    #[arg(
        long,
        env = "TREATY_REGISTRY_USER",
        hide_env_values = true,
        global = true
    )]
    pub registry_user: Option<String>,
    /// Bearer authentication with this token.
    #[arg(
        long,
        env = "TREATY_REGISTRY_TOKEN",
        hide_env_values = true,
        conflicts_with = "registry_user",
        global = true
    )]
    pub registry_token: Option<String>,
}

/// What the registry answered a request that reached it.
pub enum Answer {
    /// A 2xx answer's JSON body.
    Ok(Value),
    /// A 4xx answer: Confluent's `{"error_code": …, "message": …}`.
    Refused { status: u16, body: Value },
}

pub struct Registry {
    base: String,
    authorization: Option<String>,
    agent: ureq::Agent,
}

/// One version of a subject as the registry holds it, with the texts of
/// the schemas it references (transitively, dependencies first).
pub struct Stored {
    pub version: i32,
    pub schema_type: SchemaType,
    pub text: String,
    /// `(name the schema uses, referenced text)`.
    pub references: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct Version {
    version: i32,
    schema: String,
    #[serde(rename = "schemaType")]
    schema_type: Option<String>,
    #[serde(default)]
    references: Vec<Reference>,
}

#[derive(Deserialize)]
struct Reference {
    name: String,
    subject: String,
    version: i32,
}

impl Registry {
    pub fn new(url: &str, args: &AuthArgs) -> Registry {
        let authorization = match (&args.registry_user, &args.registry_token) {
            (_, Some(token)) => Some(format!("Bearer {token}")),
            (Some(user), None) => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(user)
            )),
            (None, None) => None,
        };
        Registry {
            base: url.trim_end_matches('/').to_string(),
            authorization,
            agent: ureq::AgentBuilder::new().build(),
        }
    }

    pub fn describe(&self) -> String {
        format!("the registry {}", self.base)
    }

    /// The level the registry applies to `subject` (its own, else the
    /// global one), and its strict Protobuf check (`treatyProtobufWireRules`)
    /// where the registry has one, as treaty does.
    pub fn config(&self, subject: &str) -> Result<(CompatibilityLevel, Option<bool>), String> {
        let config = self
            .get(&format!("/config/{}?defaultToGlobal=true", encode(subject)))?
            .ok_or_else(|| format!("{}: no configuration for '{subject}'", self.describe()))?;
        let name = config["compatibilityLevel"].as_str().unwrap_or_default();
        let level = name.parse().map_err(|_| {
            format!(
                "{}: unknown level '{name}' for '{subject}'",
                self.describe()
            )
        })?;
        Ok((level, config["treatyProtobufWireRules"].as_bool()))
    }

    /// The live versions of `subject`, oldest first; none when the registry
    /// does not know the subject.
    pub fn versions(&self, subject: &str) -> Result<Vec<i32>, String> {
        match self.get(&format!("/subjects/{}/versions", encode(subject)))? {
            None => Ok(Vec::new()),
            Some(list) => serde_json::from_value(list)
                .map_err(|e| format!("{}: a version list that is not one: {e}", self.describe())),
        }
    }

    pub fn version(&self, subject: &str, version: i32) -> Result<Stored, String> {
        let top = self.fetch(subject, version)?;
        let mut references = Vec::new();
        let mut seen = HashSet::new();
        self.collect_references(&top.references, &mut seen, &mut references)?;
        Ok(Stored {
            version: top.version,
            schema_type: schema_type(top.schema_type.as_deref())?,
            text: top.schema,
            references,
        })
    }

    /// Depth first, so a schema's dependencies come before it.
    fn collect_references(
        &self,
        of: &[Reference],
        seen: &mut HashSet<(String, i32)>,
        into: &mut Vec<(String, String)>,
    ) -> Result<(), String> {
        for reference in of {
            if !seen.insert((reference.subject.clone(), reference.version)) {
                continue;
            }
            let referenced = self.fetch(&reference.subject, reference.version)?;
            self.collect_references(&referenced.references, seen, into)?;
            into.push((reference.name.clone(), referenced.schema));
        }
        Ok(())
    }

    fn fetch(&self, subject: &str, version: i32) -> Result<Version, String> {
        let path = format!("/subjects/{}/versions/{version}", encode(subject));
        let body = self.get(&path)?.ok_or_else(|| {
            format!(
                "{}: '{subject}' version {version} is not there",
                self.describe()
            )
        })?;
        serde_json::from_value(body)
            .map_err(|e| format!("{}: {path} is not a schema: {e}", self.describe()))
    }

    /// The JSON answer to `GET path`, `None` when the subject or version is
    /// not found; any other failure (a 404 of an unknown route included)
    /// is an error naming the registry.
    fn get(&self, path: &str) -> Result<Option<Value>, String> {
        match self.request("GET", path, None)? {
            Answer::Ok(body) => Ok(Some(body)),
            Answer::Refused { status, body } => {
                if status == 404 && NOT_FOUND.contains(&body["error_code"].as_i64().unwrap_or(0)) {
                    return Ok(None);
                }
                let message = body["message"].as_str().unwrap_or("no message");
                Err(format!(
                    "{} answered {status} to GET {path}: {message}",
                    self.describe()
                ))
            }
        }
    }

    /// Sends `method path` with `body` as JSON. An error is a registry that
    /// cannot answer: not reached, refusing the credentials (401, 403),
    /// failing (5xx) or answering something that is not JSON.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, String> {
        let mut request = self
            .agent
            .request(method, &format!("{}{path}", self.base))
            .set("Accept", "application/vnd.schemaregistry.v1+json");
        if let Some(authorization) = &self.authorization {
            request = request.set("Authorization", authorization);
        }
        let sent = match body {
            Some(body) => request
                .set("Content-Type", "application/vnd.schemaregistry.v1+json")
                .send_string(&body.to_string()),
            None => request.call(),
        };
        match sent {
            Ok(response) => response
                .into_json()
                .map(Answer::Ok)
                .map_err(|e| format!("{}: {method} {path}: {e}", self.describe())),
            Err(ureq::Error::Status(status, response)) => {
                let body: Value = response.into_json().unwrap_or_default();
                if (400..500).contains(&status) && status != 401 && status != 403 {
                    return Ok(Answer::Refused { status, body });
                }
                let message = body["message"].as_str().unwrap_or("no message");
                Err(format!(
                    "{} answered {status} to {method} {path}: {message}",
                    self.describe()
                ))
            }
            Err(error) => Err(format!("cannot reach {}: {error}", self.describe())),
        }
    }
}

/// Confluent's codes for a subject and a version not found.
const NOT_FOUND: [i64; 2] = [40401, 40402];

/// A subject as one path segment.
pub fn encode(subject: &str) -> String {
    utf8_percent_encode(subject, NON_ALPHANUMERIC).to_string()
}

fn schema_type(name: Option<&str>) -> Result<SchemaType, String> {
    let name = name.unwrap_or("AVRO");
    SchemaType::from_name(name).ok_or_else(|| format!("unknown schema type '{name}'"))
}
