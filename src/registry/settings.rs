//! Configs and modes: how they are stored, resolved along the scope chain
//! (subject → context → `:.__GLOBAL:` → server default, spec §4.6, §4.9)
//! and changed.

use std::str::FromStr;

use serde_json::{Map, Value};
use treaty_compat::{CheckOptions, CompatibilityLevel};

use super::delete::purge_soft_deleted;
use super::error::NotPermitted;
use super::subject::QualifiedSubject;
use super::versions::Subject;
use super::{Registry, RegistryError, Result};
use crate::records::{ClearSubjectValue, ModeValue, Record};

pub const DEFAULT_COMPATIBILITY: CompatibilityLevel = CompatibilityLevel::Backward;

/// Config fields `PUT /config` understands, by request name, with the name
/// they are stored and returned under by GET.
const CONFIG_FIELDS: [(&str, &str); 10] = [
    ("compatibility", "compatibilityLevel"),
    ("normalize", "normalize"),
    ("validateFields", "validateFields"),
    ("alias", "alias"),
    ("compatibilityGroup", "compatibilityGroup"),
    ("defaultMetadata", "defaultMetadata"),
    ("overrideMetadata", "overrideMetadata"),
    ("defaultRuleSet", "defaultRuleSet"),
    ("overrideRuleSet", "overrideRuleSet"),
    // treaty's own: also apply Buf's WIRE and WIRE_JSON rules to Protobuf.
    (PROTOBUF_WIRE_RULES, PROTOBUF_WIRE_RULES),
];

/// The config key of the strict Protobuf check.
pub const PROTOBUF_WIRE_RULES: &str = "treatyProtobufWireRules";

pub(super) const GLOBAL_CONTEXT_SCOPE: &str = ":.__GLOBAL:";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    ReadWrite,
    ReadOnly,
    ReadOnlyOverride,
    Import,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::ReadWrite => "READWRITE",
            Mode::ReadOnly => "READONLY",
            Mode::ReadOnlyOverride => "READONLY_OVERRIDE",
            Mode::Import => "IMPORT",
        }
    }

    pub fn is_read_only(self) -> bool {
        matches!(self, Mode::ReadOnly | Mode::ReadOnlyOverride)
    }
}

impl FromStr for Mode {
    type Err = RegistryError;

    /// Case-insensitive, as Confluent accepts it.
    fn from_str(s: &str) -> Result<Self> {
        [
            Mode::ReadWrite,
            Mode::ReadOnly,
            Mode::ReadOnlyOverride,
            Mode::Import,
        ]
        .into_iter()
        .find(|mode| mode.as_str().eq_ignore_ascii_case(s))
        .ok_or(RegistryError::InvalidMode)
    }
}

/// The config/mode record key of a subject: `None` is global, which is
/// also where the default context itself lives.
fn scope_key(subject: &QualifiedSubject) -> Option<String> {
    if subject.is_default_context() && subject.name.is_empty() {
        None
    } else {
        Some(subject.to_string())
    }
}

/// Where settings for `subject` are looked up, most specific first. The
/// global scope reaches the default context only (as in Confluent 7.9).
pub(super) fn scope_chain(subject: &QualifiedSubject) -> Vec<Option<String>> {
    let mut chain = Vec::with_capacity(3);
    if !subject.name.is_empty() {
        chain.push(Some(subject.to_string()));
    }
    if subject.is_default_context() {
        chain.push(None);
    } else {
        chain.push(Some(format!(":{}:", subject.context)));
    }
    chain.push(Some(GLOBAL_CONTEXT_SCOPE.to_owned()));
    chain
}

/// A config in GET shape, with the default level where the record has none.
pub(super) fn with_default_level(config: &Value) -> Value {
    let mut config = config.as_object().cloned().unwrap_or_default();
    config
        .entry("compatibilityLevel")
        .or_insert_with(|| Value::from(DEFAULT_COMPATIBILITY.as_str()));
    Value::Object(config)
}

pub(super) fn default_config() -> Value {
    with_default_level(&Value::Object(Map::new()))
}

/// The settings a registration of one subject works under.
#[derive(Clone, Debug)]
pub struct EffectiveConfig {
    pub level: CompatibilityLevel,
    pub normalize: bool,
    pub validate_fields: bool,
    pub protobuf_wire_rules: bool,
    pub compatibility_group: Option<String>,
    pub default_metadata: Option<Value>,
    pub override_metadata: Option<Value>,
    /// A `defaultRuleSet` or `overrideRuleSet` is configured.
    pub rule_set_defaults: bool,
}

impl EffectiveConfig {
    /// Confluent's `hasDefaultsOrOverrides`: registration then skips its
    /// lookup of an already registered schema.
    pub fn has_defaults_or_overrides(&self) -> bool {
        self.default_metadata.is_some()
            || self.override_metadata.is_some()
            || self.rule_set_defaults
    }

    pub fn check_options(&self) -> CheckOptions {
        CheckOptions {
            validate_fields: self.validate_fields,
            protobuf_wire_rules: self.protobuf_wire_rules,
        }
    }
}

impl Registry {
    /// `GET /config`: never 404s.
    pub fn global_config(&self) -> Value {
        self.state()
            .configs
            .get(&None)
            .map_or_else(default_config, with_default_level)
    }

    /// `GET /config/{s}`.
    pub fn subject_config(&self, subject: &str, default_to_global: bool) -> Result<Value> {
        let subject = QualifiedSubject::parse(subject);
        let state = self.state();
        if default_to_global {
            return Ok(state.effective_config_value(&subject));
        }
        state
            .configs
            .get(&Some(subject.to_string()))
            .map(with_default_level)
            .ok_or(RegistryError::SubjectConfigNotFound(subject.to_string()))
    }

    /// Whether any subject's config names an alias.
    pub fn has_aliases(&self) -> bool {
        self.aliased.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The subject `subject` is an alias of: the `alias` of its own config
    /// (never an inherited one, as 7.9's `AliasFilter` reads it). An alias
    /// in the default context names a subject in the aliasing subject's
    /// context, as `QualifiedSubject.qualifySubjectWithParent` places it.
    pub fn alias_target(&self, subject: &str) -> Option<String> {
        let parent = QualifiedSubject::parse(subject);
        // The global scope has no subject to alias.
        let key = scope_key(&parent)?;
        let state = self.state();
        let alias = state
            .configs
            .get(&Some(key))?
            .get("alias")?
            .as_str()
            .filter(|alias| !alias.is_empty())?;
        let mut target = QualifiedSubject::parse(alias);
        if target.is_default_context() {
            target.context.clone_from(&parent.context);
        }
        Some(target.to_string())
    }

    /// `PUT /config[/{s}]`: a partial update of the fields sent (an explicit
    /// `null` clears one). Returns the request's known fields, as Confluent
    /// echoes them.
    pub async fn set_config(
        &self,
        subject: Option<&str>,
        update: Map<String, Value>,
    ) -> Result<Value> {
        let subject = subject.map(QualifiedSubject::parse);
        if let Some(subject) = &subject {
            if !subject.is_valid_for_writes() {
                return Err(RegistryError::InvalidSubject(subject.to_string()));
            }
        }
        if let Some(level) = update.get("compatibility") {
            let valid = level
                .as_str()
                .is_some_and(|l| CompatibilityLevel::from_str(l).is_ok());
            if !level.is_null() && !valid {
                return Err(RegistryError::InvalidCompatibilityLevel);
            }
        }
        let key = subject.as_ref().and_then(scope_key);
        self.write(|state| {
            state.ensure_writable(subject.as_ref().unwrap_or(&QualifiedSubject::parse("")))?;
            let mut config = state
                .configs
                .get(&key)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let mut echo = Map::new();
            for (request_name, stored_name) in CONFIG_FIELDS {
                match update.get(request_name) {
                    None => {}
                    Some(Value::Null) => {
                        config.remove(stored_name);
                    }
                    Some(value) => {
                        let value = if request_name == "compatibility" {
                            let level: CompatibilityLevel = value
                                .as_str()
                                .and_then(|l| l.parse().ok())
                                .expect("validated");
                            echo.insert(request_name.to_owned(), value.clone());
                            Value::from(level.as_str())
                        } else {
                            echo.insert(request_name.to_owned(), value.clone());
                            value.clone()
                        };
                        config.insert(stored_name.to_owned(), value);
                    }
                }
            }
            let record = Record::Config(key.clone(), Some(Value::Object(config)));
            Ok((vec![record], Value::Object(echo)))
        })
        .await
    }

    /// `DELETE /config[/{s}]`: returns the config that was removed. As in
    /// 7.9's `ConfigResource`, a subject without a config of its own is
    /// 40401 before the mode is looked at.
    pub async fn delete_config(&self, subject: Option<&str>) -> Result<Value> {
        let subject = subject.map(QualifiedSubject::parse);
        let key = subject.as_ref().and_then(scope_key);
        self.write(|state| {
            let previous = state.configs.get(&key);
            if previous.is_none() && key.is_some() {
                return Err(RegistryError::SubjectNotFound(
                    subject.as_ref().map(|s| s.to_string()).unwrap_or_default(),
                ));
            }
            state.ensure_writable(subject.as_ref().unwrap_or(&QualifiedSubject::parse("")))?;
            match previous {
                Some(previous) => Ok((
                    vec![Record::Config(key.clone(), None)],
                    with_default_level(previous),
                )),
                None => Ok((vec![], default_config())),
            }
        })
        .await
    }

    /// `GET /mode`.
    pub fn global_mode(&self) -> Mode {
        self.state().global_mode()
    }

    /// `GET /mode/{s}`.
    pub fn subject_mode(&self, subject: &str, default_to_global: bool) -> Result<Mode> {
        let subject = QualifiedSubject::parse(subject);
        let state = self.state();
        if default_to_global || state.global_mode() == Mode::ReadOnlyOverride {
            return Ok(state.effective_mode(&subject));
        }
        state
            .modes
            .get(&scope_key(&subject))
            .and_then(|mode| mode.parse().ok())
            .ok_or(RegistryError::SubjectModeNotFound(subject.to_string()))
    }

    /// `PUT /mode[/{s}]`. Entering IMPORT needs a scope without live
    /// subjects; its soft-deleted leftovers are purged. `force` skips both.
    pub async fn set_mode(&self, subject: Option<&str>, mode: Mode, force: bool) -> Result<()> {
        let subject = subject.map(QualifiedSubject::parse);
        if let Some(subject) = &subject {
            if !subject.is_valid_for_writes() {
                return Err(RegistryError::InvalidSubject(subject.to_string()));
            }
        }
        let key = subject.as_ref().and_then(scope_key);
        self.write(|state| {
            let mut records = Vec::new();
            // As Confluent: `force`, or a scope in IMPORT already, skips the
            // check and the purge.
            let current = match &subject {
                Some(subject) => state.effective_mode(subject),
                None => state.global_mode(),
            };
            if mode == Mode::Import && !force && current != Mode::Import {
                let in_scope: Vec<(&str, &Subject)> = state
                    .subjects()
                    .filter(|(name, _)| in_mode_scope(name, subject.as_ref()))
                    .collect();
                if in_scope.iter().any(|(_, s)| s.has_live_versions()) {
                    return Err(NotPermitted::SubjectsExist.into());
                }
                for (name, _) in in_scope {
                    records.extend(purge_soft_deleted(state, name)?);
                }
                // As Confluent: other registries reading the topic drop the
                // scope's soft-deleted versions from their caches on it.
                let clear = ClearSubjectValue {
                    subject: key.clone(),
                };
                records.push(Record::ClearSubject(key.clone(), Some(clear)));
            }
            let value = ModeValue {
                mode: mode.as_str().to_owned(),
            };
            records.push(Record::Mode(key.clone(), Some(value)));
            Ok((records, ()))
        })
        .await
    }

    /// `DELETE /mode/{s}`: returns the mode that was removed.
    pub async fn delete_mode(&self, subject: &str) -> Result<Mode> {
        let subject = QualifiedSubject::parse(subject);
        let key = scope_key(&subject);
        self.write(|state| {
            if state.global_mode() == Mode::ReadOnlyOverride {
                return Ok((vec![], Mode::ReadOnlyOverride));
            }
            let previous = state
                .modes
                .get(&key)
                .and_then(|mode| mode.parse().ok())
                .ok_or_else(|| RegistryError::SubjectNotFound(subject.to_string()))?;
            Ok((vec![Record::Mode(key.clone(), None)], previous))
        })
        .await
    }
}

/// Whether subject `name` lies in the scope a mode is set on: the whole
/// default context for the global mode, a context, or one subject.
fn in_mode_scope(name: &str, scope: Option<&QualifiedSubject>) -> bool {
    let candidate = QualifiedSubject::parse(name);
    match scope {
        None => candidate.is_default_context(),
        Some(scope) if scope.is_context_itself() => candidate.context == scope.context,
        Some(scope) if scope.name.is_empty() => candidate.is_default_context(),
        Some(scope) => candidate == *scope,
    }
}
