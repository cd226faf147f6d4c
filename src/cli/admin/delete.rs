//! `treaty registry delete SUBJECT [VERSION]`: Confluent's delete, with its
//! two steps (soft, then `permanent=true`) taken in one with `--permanent`.
//! Nothing is deleted while another schema references a version that would
//! go, so a permanent delete never stops half done; `--dry-run` prints what
//! would be deleted and deletes nothing.

use serde_json::{json, Value};

use super::Admin;
use crate::cli::registry::{encode, Answer};
use crate::cli::Failure;

#[derive(clap::Args)]
pub struct DeleteArgs {
    subject: String,
    /// One version (a number or `latest`); else the whole subject.
    version: Option<String>,
    /// Delete for good, soft-deleted versions included: the schemas' ids
    /// stop resolving (Confluent's `permanent=true` after the soft delete).
    #[arg(long)]
    permanent: bool,
    /// Print the versions that would be deleted; delete nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Confluent's codes for a subject and a version already soft-deleted.
const ALREADY_SOFT_DELETED: [i64; 2] = [40404, 40406];

pub fn run(admin: &Admin, args: DeleteArgs) -> Result<u8, Failure> {
    let subject = encode(&args.subject);
    let path = match &args.version {
        Some(version) => format!("/subjects/{subject}/versions/{}", encode(version)),
        None => format!("/subjects/{subject}"),
    };
    let versions = admin.doomed_versions(&args)?;
    for version in &versions {
        let referrers = admin.send(
            "GET",
            &format!("/subjects/{subject}/versions/{version}/referencedby"),
            None,
        )?;
        if referrers.as_array().is_some_and(|ids| !ids.is_empty()) {
            return Err(Failure::Invalid(format!(
                "'{}' version {version} is referenced by the schemas with ids {referrers}; \
                 nothing was deleted",
                args.subject
            )));
        }
    }
    if args.dry_run {
        let plan = json!({
            "subject": args.subject,
            "versions": versions,
            "permanent": args.permanent,
            "dry_run": true,
        });
        println!("{plan}");
        return Ok(0);
    }
    let soft = admin.soft_delete(&path, args.permanent)?;
    if !args.permanent {
        println!("{soft}");
        return Ok(0);
    }
    admin.print("DELETE", &format!("{path}?permanent=true"), None)
}

impl Admin {
    /// The versions the delete would remove: the one named, or the
    /// subject's live ones (and soft-deleted ones too when permanent).
    fn doomed_versions(&self, args: &DeleteArgs) -> Result<Vec<i64>, Failure> {
        let subject = encode(&args.subject);
        if let Some(version) = &args.version {
            let path = format!(
                "/subjects/{subject}/versions/{}?deleted=true",
                encode(version)
            );
            let found = self.send("GET", &path, None)?;
            return Ok(found["version"].as_i64().into_iter().collect());
        }
        let path = format!("/subjects/{subject}/versions?deleted={}", args.permanent);
        let list = self.send("GET", &path, None)?;
        Ok(list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_i64)
            .collect())
    }

    /// The soft delete's answer; before a permanent delete, a subject or
    /// version soft-deleted already is no refusal.
    fn soft_delete(&self, path: &str, permanent: bool) -> Result<Value, Failure> {
        let answer = self.registry.request("DELETE", path, None);
        match answer.map_err(Failure::BaselineUnreachable)? {
            Answer::Ok(answer) => Ok(answer),
            Answer::Refused { body, .. }
                if permanent
                    && ALREADY_SOFT_DELETED.contains(&body["error_code"].as_i64().unwrap_or(0)) =>
            {
                Ok(Value::Null)
            }
            Answer::Refused { status, body } => Err(self.refused("DELETE", path, status, body)),
        }
    }
}
