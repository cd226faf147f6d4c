//! `treaty registry …`: a registry's REST API for scripts, against any
//! Confluent-compatible registry. Each command prints the registry's JSON
//! answer on one line. Exit codes are the checker's: 0 done, 1 `compat`
//! found the schema incompatible, 2 invalid input or a request the registry
//! refused (its answer on standard output, its `error_code` and message on
//! standard error), 3 the registry cannot be reached, refuses the
//! credentials or fails.

mod delete;

use std::path::PathBuf;

use serde_json::{json, Value};

use super::manifest::schema_type;
use super::registry::{encode, Answer, AuthArgs, Registry};
use super::Failure;

#[derive(clap::Args)]
pub struct AdminArgs {
    /// The registry's URL (e.g. `https://registry.example.com`).
    #[arg(long, env = "TREATY_REGISTRY_URL", global = true)]
    url: Option<String>,
    #[command(flatten)]
    auth: AuthArgs,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(clap::Subcommand)]
enum AdminCommand {
    /// The subjects.
    Subjects {
        /// Soft-deleted subjects too.
        #[arg(long)]
        deleted: bool,
        /// Only subjects starting with this.
        #[arg(long)]
        prefix: Option<String>,
    },
    /// A subject's version numbers.
    Versions {
        subject: String,
        /// Soft-deleted versions too.
        #[arg(long)]
        deleted: bool,
    },
    /// One version of a subject.
    Get {
        subject: String,
        /// A number, or `latest`.
        #[arg(default_value = "latest")]
        version: String,
    },
    /// The schema with this id.
    GetId { id: u32 },
    /// Registers FILE under SUBJECT; prints the id.
    Register(SchemaArgs),
    /// Whether FILE may be registered under SUBJECT (exit 1 when not),
    /// with the registry's reasons.
    Compat {
        #[command(flatten)]
        schema: SchemaArgs,
        /// Check against this version only; else against every version
        /// the subject's level reads.
        #[arg(long)]
        version: Option<String>,
    },
    /// The compatibility configuration of SUBJECT, else the global one.
    Config {
        subject: Option<String>,
        /// Set the level: NONE, BACKWARD, FORWARD, FULL, or one of them
        /// with `_TRANSITIVE`.
        #[arg(long)]
        set: Option<String>,
    },
    /// The mode of SUBJECT, else the global one.
    Mode {
        subject: Option<String>,
        /// Set the mode: READWRITE, READONLY or IMPORT.
        #[arg(long)]
        set: Option<String>,
    },
    /// Deletes a subject, or one of its versions.
    Delete(delete::DeleteArgs),
}

/// A schema file to send, and what it references.
#[derive(clap::Args)]
struct SchemaArgs {
    subject: String,
    file: PathBuf,
    /// AVRO, PROTOBUF or JSON; else the file's extension says.
    #[arg(long = "type")]
    schema_type: Option<String>,
    /// A schema this one references, as `NAME=SUBJECT:VERSION`; repeatable.
    #[arg(long = "reference", value_parser = parse_reference)]
    references: Vec<Value>,
}

pub fn run(args: AdminArgs) -> Result<u8, Failure> {
    let url = args.url.as_deref().ok_or_else(|| {
        Failure::Invalid("the registry's URL is needed: --url URL or TREATY_REGISTRY_URL".into())
    })?;
    let registry = Registry::new(url, &args.auth);
    let admin = Admin { registry };
    match args.command {
        AdminCommand::Subjects { deleted, prefix } => {
            let mut query = vec![("deleted", deleted.to_string())];
            query.extend(prefix.map(|p| ("subjectPrefix", p)));
            admin.print("GET", &with_query("/subjects", &query), None)
        }
        AdminCommand::Versions { subject, deleted } => {
            let path = format!("/subjects/{}/versions", encode(&subject));
            let query = [("deleted", deleted.to_string())];
            admin.print("GET", &with_query(&path, &query), None)
        }
        AdminCommand::Get { subject, version } => {
            let path = format!(
                "/subjects/{}/versions/{}",
                encode(&subject),
                encode(&version)
            );
            admin.print("GET", &path, None)
        }
        AdminCommand::GetId { id } => admin.print("GET", &format!("/schemas/ids/{id}"), None),
        AdminCommand::Register(schema) => {
            let path = format!("/subjects/{}/versions", encode(&schema.subject));
            admin.print("POST", &path, Some(&schema.body()?))
        }
        AdminCommand::Compat { schema, version } => {
            let mut path = format!(
                "/compatibility/subjects/{}/versions",
                encode(&schema.subject)
            );
            if let Some(version) = version {
                path += &format!("/{}", encode(&version));
            }
            let answer = admin.send(
                "POST",
                &format!("{path}?verbose=true"),
                Some(&schema.body()?),
            )?;
            let compatible = answer["is_compatible"].as_bool().unwrap_or(false);
            println!("{answer}");
            Ok(if compatible { 0 } else { 1 })
        }
        AdminCommand::Config { subject, set } => {
            let body = set.map(|level| json!({ "compatibility": level }));
            admin.print_setting("/config", subject, body)
        }
        AdminCommand::Mode { subject, set } => {
            let body = set.map(|mode| json!({ "mode": mode }));
            admin.print_setting("/mode", subject, body)
        }
        AdminCommand::Delete(args) => delete::run(&admin, args),
    }
}

/// The registry, answering with exit codes.
struct Admin {
    registry: Registry,
}

impl Admin {
    /// The answer to `method path`; a refusal is printed and exit code 2.
    fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, Failure> {
        match self.registry.request(method, path, body) {
            Ok(Answer::Ok(answer)) => Ok(answer),
            Ok(Answer::Refused { status, body }) => Err(self.refused(method, path, status, body)),
            Err(message) => Err(Failure::BaselineUnreachable(message)),
        }
    }

    /// A refusal: its answer printed, its code and message the failure's.
    fn refused(&self, method: &str, path: &str, status: u16, body: Value) -> Failure {
        println!("{body}");
        Failure::Invalid(format!(
            "{} refused {method} {path} ({status}): {} {}",
            self.registry.describe(),
            body["error_code"],
            body["message"].as_str().unwrap_or("no message")
        ))
    }

    fn print(&self, method: &str, path: &str, body: Option<&Value>) -> Result<u8, Failure> {
        println!("{}", self.send(method, path, body)?);
        Ok(0)
    }

    /// `GET` of `/config` or `/mode` (a subject's, else the global one),
    /// or `PUT` of `body` there.
    fn print_setting(
        &self,
        resource: &str,
        subject: Option<String>,
        body: Option<Value>,
    ) -> Result<u8, Failure> {
        let path = match subject {
            Some(subject) => format!("{resource}/{}", encode(&subject)),
            None => resource.to_string(),
        };
        match body {
            Some(body) => self.print("PUT", &path, Some(&body)),
            None => self.print("GET", &path, None),
        }
    }
}

impl SchemaArgs {
    /// The request body of a registration or a compatibility check.
    fn body(&self) -> Result<Value, Failure> {
        let schema_type =
            schema_type(self.schema_type.as_deref(), &self.file).map_err(Failure::Invalid)?;
        let text = std::fs::read_to_string(&self.file)
            .map_err(|e| Failure::Invalid(format!("{}: {e}", self.file.display())))?;
        Ok(json!({
            "schema": text,
            "schemaType": schema_type.as_str(),
            "references": self.references,
        }))
    }
}

/// `NAME=SUBJECT:VERSION` as a Confluent schema reference.
fn parse_reference(text: &str) -> Result<Value, String> {
    let invalid = || format!("'{text}' is not NAME=SUBJECT:VERSION");
    let (name, rest) = text.split_once('=').ok_or_else(invalid)?;
    let (subject, version) = rest.rsplit_once(':').ok_or_else(invalid)?;
    let version: i32 = version.parse().map_err(|_| invalid())?;
    Ok(json!({ "name": name, "subject": subject, "version": version }))
}

/// `path?name=value&…`, the values percent-encoded.
fn with_query(path: &str, query: &[(&str, String)]) -> String {
    let pairs: Vec<String> = query
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
    format!("{path}?{}", pairs.join("&"))
}
