//! What a write changed, in terms a person auditing the registry reads:
//! versions registered, imported or deleted, configs and modes from old to
//! new. Told, once durable, to whoever observes the registry's writes (the
//! audit trail); never a schema's text, only its id.

use serde::Serialize;
use serde_json::Value;

use super::settings::Mode;
use super::state::State;
use super::subject::QualifiedSubject;
use crate::records::Record;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Effect {
    Registered {
        subject: String,
        version: i32,
        id: i32,
    },
    /// Registered under IMPORT mode, with the id the request gave.
    Imported {
        subject: String,
        version: i32,
        id: i32,
    },
    SoftDeleted {
        subject: String,
        version: i32,
        id: i32,
    },
    PermanentlyDeleted {
        subject: String,
        version: i32,
        id: i32,
    },
    /// `subject` is absent for the global config; `None` on either side is
    /// no config of its own.
    Config {
        subject: Option<String>,
        old: Option<Value>,
        new: Option<Value>,
    },
    Mode {
        subject: Option<String>,
        old: Option<String>,
        new: Option<String>,
    },
}

impl Effect {
    /// The subject (or config and mode scope) the change is about.
    pub fn subject(&self) -> Option<&str> {
        match self {
            Effect::Registered { subject, .. }
            | Effect::Imported { subject, .. }
            | Effect::SoftDeleted { subject, .. }
            | Effect::PermanentlyDeleted { subject, .. } => Some(subject),
            Effect::Config { subject, .. } | Effect::Mode { subject, .. } => subject.as_deref(),
        }
    }
}

/// What `records` change in `state`, the state they are planned against.
/// Records that only mark or index (delete markers, contexts, watermarks)
/// add nothing the versions they go with do not say.
pub fn describe(state: &State, records: &[Record]) -> Vec<Effect> {
    records
        .iter()
        .filter_map(|record| describe_one(state, record))
        .collect()
}

fn describe_one(state: &State, record: &Record) -> Option<Effect> {
    match record {
        Record::Schema(subject, version, value) => {
            let existing = state.subject(subject).and_then(|s| s.versions.get(version));
            let (subject, version) = (subject.clone(), *version);
            match (value, existing) {
                (None, Some(old)) => Some(Effect::PermanentlyDeleted {
                    subject,
                    version,
                    id: old.id,
                }),
                (None, None) => None,
                (Some(value), _) if value.deleted => Some(Effect::SoftDeleted {
                    subject,
                    version,
                    id: value.id,
                }),
                (Some(value), _) => {
                    let id = value.id;
                    let mode = state.effective_mode(&QualifiedSubject::parse(&subject));
                    Some(match mode {
                        Mode::Import => Effect::Imported {
                            subject,
                            version,
                            id,
                        },
                        _ => Effect::Registered {
                            subject,
                            version,
                            id,
                        },
                    })
                }
            }
        }
        Record::Config(subject, new) => Some(Effect::Config {
            subject: subject.clone(),
            old: state.configs.get(subject).cloned(),
            new: new.clone(),
        }),
        Record::Mode(subject, new) => Some(Effect::Mode {
            subject: subject.clone(),
            old: state.modes.get(subject).cloned(),
            new: new.as_ref().map(|m| m.mode.clone()),
        }),
        _ => None,
    }
}
