//! The semantic difference between two versions of a subject, for the web
//! UI: every change the compatibility engine finds in either direction
//! (what `treaty diff` lists), each marked breaking or not under the
//! subject's effective level.

use treaty_compat::{check, CheckOptions, CompatibilityLevel, Direction, Finding, PreviousVersion};

use super::overview::{level_of, Source};
use super::parse::parse_stored;
use super::queries::{VersionSpec, VersionView};
use super::subject::QualifiedSubject;
use super::{Registry, Result};

/// One change found between the two versions.
#[derive(Clone, Debug)]
pub struct Change {
    pub finding: Finding,
    /// The subject's level checks the direction this change breaks.
    pub breaking: bool,
}

/// Two versions, the level they were judged under and what changed.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub level: (CompatibilityLevel, Source),
    pub old: VersionView,
    pub new: VersionView,
    pub changes: Vec<Change>,
    /// Why nothing could be compared: a version that does not parse (an
    /// import may store one).
    pub problem: Option<String>,
}

/// Whether a finding breaks `level`: an error in a direction it checks
/// (one without a direction, a change of format, breaks every level but NONE).
fn breaks(level: CompatibilityLevel, finding: &Finding) -> bool {
    finding.is_error()
        && match finding.direction {
            Some(Direction::Backward) => level.checks_backward(),
            Some(Direction::Forward) => level.checks_forward(),
            None => level != CompatibilityLevel::None,
        }
}

impl Registry {
    /// Compares version `new` of `subject` with version `old` (soft-deleted
    /// versions included, so that history stays comparable).
    pub fn compare(&self, subject: &str, old: VersionSpec, new: VersionSpec) -> Result<Comparison> {
        let (old, new) = (
            self.version(subject, old, true)?,
            self.version(subject, new, true)?,
        );
        let state = self.state();
        let qualified = QualifiedSubject::parse(&new.subject);
        let level = level_of(&state, &qualified);
        let options = CheckOptions {
            protobuf_wire_rules: state.effective_config(&qualified).protobuf_wire_rules,
            ..CheckOptions::default()
        };
        let parse = |view: &VersionView| {
            parse_stored(&state, &view.content)
                .map_err(|problem| format!("version {} does not parse: {problem}", view.version))
        };
        let (changes, problem) = match (parse(&old), parse(&new)) {
            (Ok(old_schema), Ok(new_schema)) => {
                let previous = [PreviousVersion {
                    version: old.version,
                    schema: &old_schema,
                    text: &old.content.schema,
                }];
                // FULL finds the changes of both directions; the level then
                // says which of them break.
                let verdict = check(CompatibilityLevel::Full, &new_schema, &previous, &options);
                let changes = verdict
                    .findings
                    .into_iter()
                    .map(|finding| Change {
                        breaking: breaks(level.0, &finding),
                        finding,
                    })
                    .collect();
                (changes, None)
            }
            (Err(problem), _) | (_, Err(problem)) => (Vec::new(), Some(problem)),
        };
        Ok(Comparison {
            level,
            old,
            new,
            changes,
            problem,
        })
    }
}
