//! The [`Access`] of the request a handler serves, as an extractor, and
//! the checks handlers make with it.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::auth::{Access, Refusal};
use crate::registry::{qualify_reference_subject, QualifiedSubject, SchemaRequest};

/// Authentication puts every admitted request's access in its extensions;
/// without authentication there is none, and everything is visible.
impl<S: Send + Sync> FromRequestParts<S> for Access {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(of(&parts.extensions))
    }
}

pub fn of(extensions: &axum::http::Extensions) -> Access {
    extensions
        .get::<Access>()
        .cloned()
        .unwrap_or_else(Access::everything)
}

/// A request's references must each name a subject the caller may read:
/// otherwise registering one would pin that subject (its versions could no
/// longer be deleted) and the "No schema reference found" error would tell
/// which subjects exist. Reference subjects are read as the registry reads
/// them for `referrer` (an unqualified one lives in the referrer's
/// context).
pub fn read_references(
    access: &Access,
    referrer: &str,
    request: &SchemaRequest,
) -> Result<(), Refusal> {
    let referrer = QualifiedSubject::parse(referrer);
    for subject in request
        .references
        .iter()
        .filter_map(|r| r.subject.as_deref())
    {
        access.read(&qualify_reference_subject(&referrer, subject))?;
    }
    Ok(())
}
