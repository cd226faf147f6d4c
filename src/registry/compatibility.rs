//! Compatibility of a new schema with a subject's live versions, for
//! registration and for `/compatibility/...` (spec §2.8, §4.3 step 7).

use std::sync::Arc;

use treaty_compat::{CheckOptions, CompatibilityLevel, ParsedSchema, PreviousVersion};

use super::content::SchemaContent;
use super::parse::parse_stored;
use super::queries::VersionSpec;
use super::state::State;
use super::subject::QualifiedSubject;
use super::versions::Version;
use super::{Registry, RegistryError, Result, SchemaRequest};

/// What `/compatibility/subjects/{s}/versions[/{v}]` checks against.
#[derive(Clone, Copy, Debug)]
pub enum CompatibilityTarget {
    /// One version, in the direction of the subject's level.
    Version(VersionSpec),
    /// What registration would check.
    Registration,
}

impl Registry {
    /// The parsed form of a stored version, parsed once per (context, id).
    fn parsed(
        &self,
        state: &State,
        context: &str,
        version: &Version,
    ) -> Result<Arc<ParsedSchema>, String> {
        let key = (context.to_owned(), version.id);
        if let Some(parsed) = self
            .parsed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return Ok(Arc::clone(parsed));
        }
        let parsed = Arc::new(parse_stored(state, &version.content)?);
        self.parsed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, Arc::clone(&parsed));
        Ok(parsed)
    }

    /// Confluent's message list for `new` against `versions` (oldest first);
    /// empty when compatible.
    fn messages_against(
        &self,
        state: &State,
        subject: &QualifiedSubject,
        new: &ParsedSchema,
        versions: &[(i32, &Version)],
        level: CompatibilityLevel,
        options: &CheckOptions,
    ) -> Vec<String> {
        let mut parsed = Vec::with_capacity(versions.len());
        for (number, version) in versions {
            match self.parsed(state, &subject.context, version) {
                Ok(schema) => parsed.push((*number, schema, Arc::clone(&version.content))),
                Err(error) => {
                    return vec![format!(
                        "Unexpected exception during compatibility check: {error}"
                    )]
                }
            }
        }
        let previous: Vec<PreviousVersion<'_>> = parsed
            .iter()
            .map(|(number, schema, content)| PreviousVersion {
                version: *number,
                schema,
                text: &content.schema,
            })
            .collect();
        treaty_compat::check(level, new, &previous, options).confluent_messages()
    }

    /// The check registration runs: the latest live version, or every live
    /// one for transitive levels, limited to the compatibility group.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn check_compatibility(
        &self,
        state: &State,
        subject: &QualifiedSubject,
        new: &ParsedSchema,
        content: &SchemaContent,
        level: CompatibilityLevel,
        options: &CheckOptions,
        group: Option<&str>,
    ) -> Result<Vec<String>> {
        if level == CompatibilityLevel::None {
            return Ok(vec![]);
        }
        let Some(entry) = state.subject(&subject.to_string()) else {
            return Ok(vec![]);
        };
        let group_value = |c: &SchemaContent| {
            group.and_then(|g| c.metadata.as_deref()?.get("properties")?.get(g).cloned())
        };
        let wanted = group_value(content);
        let mut in_group = entry
            .live_versions()
            .filter(|(_, v)| group.is_none() || group_value(&v.content) == wanted);
        let versions: Vec<(i32, &Version)> = if level.is_transitive() {
            in_group.collect()
        } else {
            in_group.next_back().into_iter().collect()
        };
        Ok(self.messages_against(state, subject, new, &versions, level, options))
    }

    /// `POST /compatibility/subjects/{s}/versions[/{v}]`: the messages, empty
    /// when compatible.
    pub fn test_compatibility(
        &self,
        subject: &str,
        target: CompatibilityTarget,
        request: &SchemaRequest,
        normalize: bool,
    ) -> Result<Vec<String>> {
        let state = self.state();
        let subject = QualifiedSubject::parse(subject);
        let name = subject.to_string();
        let config = state.effective_config(&subject);
        let entry = state.subject(&name);
        let target_version = match target {
            CompatibilityTarget::Version(VersionSpec::Latest) => {
                entry.and_then(|e| e.latest_live()).map(Some)
            }
            CompatibilityTarget::Version(VersionSpec::Number(number)) => Some(Some(
                entry
                    .and_then(|e| e.versions.get(&number))
                    .filter(|v| !v.deleted)
                    .map(|v| (number, v))
                    .ok_or_else(|| RegistryError::VersionNotFound(number.to_string()))?,
            )),
            CompatibilityTarget::Registration => None,
        };
        // The schema is parsed (and an empty one refused) even when there is
        // nothing to check it against.
        let parsed = self.request_parse().parse(
            &state,
            &subject,
            request,
            normalize || config.normalize,
            None,
        )?;
        self.validate_new(&subject, request, &parsed)?;
        match target_version {
            Some(None) => Ok(vec![]),
            Some(Some(version)) => {
                if config.level == CompatibilityLevel::None {
                    return Ok(vec![]);
                }
                Ok(self.messages_against(
                    &state,
                    &subject,
                    &parsed.parsed,
                    &[version],
                    config.level,
                    &config.check_options(),
                ))
            }
            None => self.check_compatibility(
                &state,
                &subject,
                &parsed.parsed,
                &parsed.content,
                config.level,
                &config.check_options(),
                config.compatibility_group.as_deref(),
            ),
        }
    }
}
