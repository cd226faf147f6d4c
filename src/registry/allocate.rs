//! The one place ids and versions are handed out. Both are Confluent's
//! positive 32-bit integers: a new id is one above the highest id its
//! context ever had, a new version one above the highest version its
//! subject has (soft-deleted ones included). Only the registry's write path
//! (one plan at a time, against the staged state) calls these, so whoever
//! may write is whoever may allocate.

use super::error::NotPermitted;
use super::state::Context;
use super::subject::QualifiedSubject;
use super::versions::Subject;
use super::Result;

/// The id a new schema of `subject`'s context gets.
pub fn next_id(subject: &QualifiedSubject, context: Option<&Context>) -> Result<i32> {
    let highest = context.map_or(0, |c| c.max_id);
    highest
        .checked_add(1)
        .ok_or_else(|| NotPermitted::IdsExhausted(subject.context.clone()).into())
}

/// The version a new registration under `subject` gets.
pub fn next_version(subject: &QualifiedSubject, entry: Option<&Subject>) -> Result<i32> {
    let highest = entry
        .and_then(|e| e.versions.keys().next_back().copied())
        .unwrap_or(0);
    highest
        .checked_add(1)
        .ok_or_else(|| NotPermitted::VersionsExhausted(subject.to_string()).into())
}

/// An id IMPORT may bind: one that still leaves an id to allocate after it.
pub fn check_imported_id(id: i32) -> Result<()> {
    if id == i32::MAX {
        return Err(NotPermitted::IdLeavesNoRoom(id).into());
    }
    Ok(())
}

/// A version IMPORT may bind: one that still leaves a version after it.
pub fn check_imported_version(version: i32) -> Result<()> {
    if version == i32::MAX {
        return Err(NotPermitted::VersionLeavesNoRoom(version).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::RegistryError;

    #[test]
    fn the_last_id_and_version_are_refused_not_wrapped() {
        let subject = QualifiedSubject::parse(":.ctx:s");
        let full = Context {
            max_id: i32::MAX,
            ..Context::default()
        };
        assert_eq!(
            next_id(&subject, Some(&full)),
            Err(RegistryError::NotPermitted(NotPermitted::IdsExhausted(
                ".ctx".into()
            )))
        );
        let almost = Context {
            max_id: i32::MAX - 1,
            ..Context::default()
        };
        assert_eq!(next_id(&subject, Some(&almost)), Ok(i32::MAX));
        assert_eq!(next_id(&subject, None), Ok(1));
        assert_eq!(next_version(&subject, None), Ok(1));
        assert!(check_imported_id(i32::MAX).is_err());
        assert!(check_imported_id(i32::MAX - 1).is_ok());
        assert!(check_imported_version(i32::MAX).is_err());
    }
}
