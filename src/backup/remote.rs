//! `treaty import --registry URL`: records restored into a running
//! registry, treaty or any Confluent-compatible one, through its REST API
//! in IMPORT mode, where a registration names its id and version. The
//! registry is switched to IMPORT first and back at the end; subject and
//! global modes from the records are set last, since a read-only subject
//! would refuse the registrations before them.

use std::collections::BTreeMap;
use std::error::Error;

use base64::Engine as _;
use percent_encoding::utf8_percent_encode;
use serde_json::{json, Value};

use crate::api::SUBJECT_SEGMENT;
use crate::records::{ModeValue, Record, SchemaValue};

const IMPORT: &str = "IMPORT";

/// How to authenticate to the registry.
pub enum Credentials {
    None,
    /// `USER:PASSWORD`, sent as HTTP Basic.
    Basic(String),
    Bearer(String),
}

pub struct RemoteRegistry {
    base: String,
    authorization: Option<String>,
    agent: ureq::Agent,
    /// The global mode to go back to at the end.
    previous_mode: String,
    /// Contexts other than the default one switched to IMPORT (a global
    /// mode covers only the default context), with the mode each had set
    /// of its own before.
    contexts: BTreeMap<String, Option<String>>,
    /// The last mode each scope had in the records (`None`: global), set
    /// at the end; `None` values remove a subject's mode.
    modes: BTreeMap<Option<String>, Option<ModeValue>>,
}

impl RemoteRegistry {
    /// Switches the registry at `url` to IMPORT mode (with `force`, as it
    /// may hold schemas).
    pub fn open(url: &str, credentials: Credentials) -> Result<Self, Box<dyn Error>> {
        let authorization = match credentials {
            Credentials::None => None,
            Credentials::Basic(user_info) => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(user_info)
            )),
            Credentials::Bearer(token) => Some(format!("Bearer {token}")),
        };
        let mut registry = Self {
            base: url.trim_end_matches('/').to_owned(),
            authorization,
            agent: ureq::Agent::new(),
            previous_mode: String::new(),
            contexts: BTreeMap::new(),
            modes: BTreeMap::new(),
        };
        let mode = registry.expect_ok("GET", "/mode", None)?;
        registry.previous_mode = mode["mode"].as_str().unwrap_or("READWRITE").to_owned();
        registry.set_mode(None, IMPORT)?;
        Ok(registry)
    }

    /// Applies one record; records that only matter to the store that
    /// wrote them (NOOPs, contexts, clears) change nothing and answer false.
    pub fn restore(&mut self, record: Record) -> Result<bool, Box<dyn Error>> {
        match record {
            Record::Schema(subject, _, Some(value)) => self.register(&subject, value)?,
            Record::Schema(subject, version, None) => {
                let path = format!("{}/versions/{version}", subject_path(&subject));
                self.delete_if_present(&path)?;
                self.delete_if_present(&format!("{path}?permanent=true"))?;
            }
            Record::Config(subject, Some(config)) => {
                let body = put_config_body(config);
                self.expect_ok("PUT", &config_path(subject.as_deref()), Some(body))?;
            }
            Record::Config(subject, None) => {
                self.delete_if_present(&config_path(subject.as_deref()))?
            }
            Record::Mode(subject, mode) => {
                self.modes.insert(subject, mode);
            }
            Record::DeleteSubject(subject, Some(_)) => {
                self.delete_if_present(&subject_path(&subject))?
            }
            Record::DeleteSubject(_, None)
            | Record::ClearSubject(..)
            | Record::Noop
            | Record::Context(_)
            | Record::ContextRemoved(_)
            | Record::IdWatermark(..) => return Ok(false),
        }
        Ok(true)
    }

    /// Sets the modes the records left, then the global one (the records'
    /// or else the one the registry had).
    pub fn finish(mut self) -> Result<(), Box<dyn Error>> {
        self.put_back_contexts()?;
        let global = self.modes.remove(&None);
        for (subject, mode) in std::mem::take(&mut self.modes) {
            let subject = subject.expect("the global mode was taken out");
            match mode {
                Some(mode) => self.set_mode(Some(&subject), &mode.mode)?,
                None => self.delete_if_present(&format!("/mode/{}", segment(&subject)))?,
            }
        }
        let global = match global.flatten() {
            Some(mode) => mode.mode,
            None => std::mem::take(&mut self.previous_mode),
        };
        self.set_mode(None, &global)
    }

    /// Puts the registry back in the mode it had, after a failure.
    pub fn abandon(mut self) {
        let put_back = self
            .put_back_contexts()
            .and_then(|()| self.set_mode(None, &self.previous_mode));
        if let Err(error) = put_back {
            eprintln!("treaty: the registry stays in IMPORT mode: {error}");
        }
    }

    /// Gives each context switched to IMPORT the mode of its own it had.
    fn put_back_contexts(&mut self) -> Result<(), Box<dyn Error>> {
        for (context, own) in std::mem::take(&mut self.contexts) {
            match own {
                Some(mode) => self.set_mode(Some(&context), &mode)?,
                None => self.delete_if_present(&format!("/mode/{}", segment(&context)))?,
            }
        }
        Ok(())
    }

    fn register(&mut self, subject: &str, value: SchemaValue) -> Result<(), Box<dyn Error>> {
        self.switch_context(subject)?;
        let mut body = json!({"schema": value.schema, "id": value.id, "version": value.version});
        if let Some(schema_type) = &value.schema_type {
            body["schemaType"] = json!(schema_type);
        }
        if !value.references.is_empty() {
            body["references"] = json!(value.references);
        }
        if let Some(metadata) = &value.metadata {
            body["metadata"] = metadata.clone();
        }
        if let Some(rule_set) = &value.rule_set {
            body["ruleSet"] = rule_set.clone();
        }
        let path = format!("{}/versions", subject_path(subject));
        let answer = self.expect_ok("POST", &path, Some(body))?;
        if answer["id"] != json!(value.id) {
            return Err(format!(
                "{subject} version {} was registered with id {} instead of {}",
                value.version, answer["id"], value.id
            )
            .into());
        }
        if value.deleted {
            let version = format!("{path}/{}", value.version);
            self.delete_if_present(&version)?;
        }
        Ok(())
    }

    /// Switches the context of a qualified subject (`:.ctx:name`) to
    /// IMPORT the first time one of its subjects is registered.
    fn switch_context(&mut self, subject: &str) -> Result<(), Box<dyn Error>> {
        let Some(context) = context_of(subject) else {
            return Ok(());
        };
        if self.contexts.contains_key(context) {
            return Ok(());
        }
        let path = format!("/mode/{}?defaultToGlobal=false", segment(context));
        let own = match self.call("GET", &path, None)? {
            (200, mode) => mode["mode"].as_str().map(str::to_owned),
            _ => None,
        };
        self.set_mode(Some(context), IMPORT)?;
        self.contexts.insert(context.to_owned(), own);
        Ok(())
    }

    fn set_mode(&self, subject: Option<&str>, mode: &str) -> Result<(), Box<dyn Error>> {
        let path = match subject {
            Some(subject) => format!("/mode/{}?force=true", segment(subject)),
            None => "/mode?force=true".to_owned(),
        };
        self.expect_ok("PUT", &path, Some(json!({"mode": mode})))
            .map(drop)
    }

    /// A delete whose target may be gone already (deleted by an earlier
    /// record, or never restored): a 404 is no failure.
    fn delete_if_present(&self, path: &str) -> Result<(), Box<dyn Error>> {
        match self.call("DELETE", path, None)? {
            (200 | 204 | 404, _) => Ok(()),
            (status, body) => Err(format!("DELETE {path}: {status} {body}").into()),
        }
    }

    fn expect_ok(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Box<dyn Error>> {
        match self.call(method, path, body)? {
            (200, answer) => Ok(answer),
            (status, answer) => Err(format!("{method} {path}: {status} {answer}").into()),
        }
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value), Box<dyn Error>> {
        let mut request = self
            .agent
            .request(method, &format!("{}{path}", self.base))
            .set("Accept", "application/vnd.schemaregistry.v1+json")
            .set("Content-Type", "application/vnd.schemaregistry.v1+json");
        if let Some(authorization) = &self.authorization {
            request = request.set("Authorization", authorization);
        }
        let answered = match body {
            Some(body) => request.send_string(&body.to_string()),
            None => request.call(),
        };
        let response = match answered {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(error) => return Err(format!("{method} {path}: {error}").into()),
        };
        let status = response.status();
        let text = response.into_string()?;
        Ok((
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        ))
    }
}

fn segment(subject: &str) -> String {
    utf8_percent_encode(subject, SUBJECT_SEGMENT).to_string()
}

/// `:.ctx:` of `:.ctx:name`; `None` in the default context.
fn context_of(subject: &str) -> Option<&str> {
    let rest = subject.strip_prefix(":.")?;
    let end = rest.find(':')?;
    let context = &subject[..end + 3];
    (context != ":.:").then_some(context)
}

fn subject_path(subject: &str) -> String {
    format!("/subjects/{}", segment(subject))
}

fn config_path(subject: Option<&str>) -> String {
    match subject {
        Some(subject) => format!("/config/{}", segment(subject)),
        None => "/config".to_owned(),
    }
}

/// A config as stored (GET's shape) made a PUT body: the level is
/// `compatibility` there.
fn put_config_body(mut config: Value) -> Value {
    if let Some(fields) = config.as_object_mut() {
        if let Some(level) = fields.remove("compatibilityLevel") {
            fields.insert("compatibility".into(), level);
        }
    }
    config
}
