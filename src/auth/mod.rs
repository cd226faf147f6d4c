//! Authentication and authorization, off unless `--auth-file` names a
//! credentials file ([`credentials`]). A request proves who it is with
//! HTTP Basic, a bearer token or a verified TLS client certificate; the
//! route then needs the permission it declares (a [`policy::Rule`]), and
//! what it answers may be narrowed further by the principal's [`Access`].
//! A refusal is a [`Refusal`], which the API renders as Confluent's
//! rest-utils does: 401 `Unauthorized` with a `Basic` challenge, 403/40301
//! `User is denied operation <Op> on <Resource>`, 429 when too many
//! password checks are under way ([`attempts`]).
//!
//! Credentials never reach a log: the `Authorization` header is removed
//! before the request goes on, and failures are logged without the user
//! name or token.

pub mod access;
mod attempts;
pub mod credentials;
pub mod escape;
pub mod policy;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::HeaderValue;
use base64::Engine as _;

use crate::tls::Peer;
pub use access::Access;
use attempts::Attempts;
use credentials::{sha256, Credentials, PasswordDigest, Principal};
use escape::Escaped;
use policy::{Need, Operation, Resource};

/// Verified Basic credentials kept so that a client's every request does
/// not pay for argon2 again; cleared when it grows past this.
const VERIFIED_CACHE_LIMIT: usize = 10_000;

/// Why a request is not let through; the API answers each as Confluent's
/// rest-utils does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No valid credentials.
    Unauthenticated,
    /// Authenticated, but no grant allows `operation` on `resource`.
    Forbidden {
        operation: Operation,
        resource: Resource,
    },
    /// Too many password checks under way; try again after `retry_after`.
    TooManyAttempts { retry_after: Duration },
}

/// The loaded credentials and the caches of Basic verifications.
pub struct Auth {
    credentials: Credentials,
    /// SHA-256 of a verified `Authorization` value → principal index.
    verified: Mutex<HashMap<[u8; 32], usize>>,
    /// The bound on concurrent verifications, and recent failures.
    attempts: Attempts,
    /// Checked for unknown users, so a miss costs what a wrong password does.
    decoy: PasswordDigest,
    /// What each principal may see, by principal index, made once.
    accesses: Vec<Access>,
}

impl Auth {
    pub fn load(path: &Path) -> Result<Self, String> {
        Ok(Self::new(Credentials::load(path)?))
    }

    pub fn new(credentials: Credentials) -> Self {
        let decoy = credentials::hash_password("treaty decoy password")
            .map(PasswordDigest::Argon2)
            .expect("argon2 hashes a constant");
        let accesses = accesses(&credentials, false);
        Self {
            credentials,
            verified: Mutex::new(HashMap::new()),
            attempts: Attempts::new(),
            decoy,
            accesses,
        }
    }

    /// Every authenticated principal sees every listing and schema id, as
    /// before reads were filtered by grants.
    pub fn with_open_reads(mut self, open_reads: bool) -> Self {
        self.accesses = accesses(&self.credentials, open_reads);
        self
    }

    /// The principal a request authenticates as: by its `Authorization`
    /// header, else by its client certificate's CN.
    async fn authenticate(
        self: &Arc<Self>,
        authorization: Option<HeaderValue>,
        common_name: Option<String>,
    ) -> Result<(&Principal, &Access), Refusal> {
        let index = match authorization {
            Some(value) => self.authenticate_header(&value).await?,
            None => common_name
                .and_then(|cn| self.credentials.certificates.get(&cn).copied())
                .ok_or(Refusal::Unauthenticated)?,
        };
        Ok((&self.credentials.principals[index], &self.accesses[index]))
    }

    async fn authenticate_header(self: &Arc<Self>, value: &HeaderValue) -> Result<usize, Refusal> {
        let text = value.to_str().map_err(|_| Refusal::Unauthenticated)?;
        let (scheme, rest) = text.split_once(' ').ok_or(Refusal::Unauthenticated)?;
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("bearer") {
            return self
                .credentials
                .tokens
                .get(&sha256(rest.as_bytes()))
                .copied()
                .ok_or(Refusal::Unauthenticated);
        }
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(Refusal::Unauthenticated);
        }
        let key = sha256(value.as_bytes());
        if let Some(&index) = self.verified.lock().expect("cache lock").get(&key) {
            return Ok(index);
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .map_err(|_| Refusal::Unauthenticated)?;
        if self.attempts.recently_failed(&key) {
            return Err(Refusal::Unauthenticated);
        }
        let turn = self.attempts.turn().await.ok_or(Refusal::TooManyAttempts {
            retry_after: attempts::RETRY_AFTER,
        })?;
        // The same credential may have failed while this one waited.
        if self.attempts.recently_failed(&key) {
            return Err(Refusal::Unauthenticated);
        }
        let auth = Arc::clone(self);
        let verified = tokio::task::spawn_blocking(move || {
            let verified = auth.verify_basic(&decoded);
            drop(turn);
            verified
        })
        .await
        .ok()
        .flatten();
        let Some(index) = verified else {
            self.attempts.record_failure(key);
            return Err(Refusal::Unauthenticated);
        };
        let mut verified = self.verified.lock().expect("cache lock");
        if verified.len() >= VERIFIED_CACHE_LIMIT {
            verified.clear();
        }
        verified.insert(key, index);
        Ok(index)
    }

    /// `user:password` against the stored hash; slow by design.
    fn verify_basic(&self, decoded: &[u8]) -> Option<usize> {
        let colon = decoded.iter().position(|&b| b == b':')?;
        let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
        let entry = std::str::from_utf8(user)
            .ok()
            .and_then(|user| self.credentials.passwords.get(user));
        match entry {
            Some((index, digest)) => digest.verify(password).then_some(*index),
            None => {
                self.decoy.verify(password);
                None
            }
        }
    }
}

fn accesses(credentials: &Credentials, open_reads: bool) -> Vec<Access> {
    credentials
        .principals
        .iter()
        .map(|p| Access::principal(&p.name, &p.grants, open_reads))
        .collect()
}

/// Authenticates `request` and checks it against what its route `need`s;
/// what passes goes on without the `Authorization` header and with the
/// principal's [`Access`], for the decisions its handler makes.
pub async fn admit(
    auth: &Arc<Auth>,
    mut request: Request,
    need: &Need,
) -> Result<Request, Refusal> {
    let authorization = request.headers_mut().remove(AUTHORIZATION);
    if *need == Need::Open {
        request
            .extensions_mut()
            .insert(Access::principal("", &[], false));
        return Ok(request);
    }
    let common_name = request
        .extensions()
        .get::<ConnectInfo<Peer>>()
        .and_then(|peer| peer.0.common_name.clone());
    let (principal, access) = match auth.authenticate(authorization, common_name).await {
        Ok(authenticated) => authenticated,
        Err(refusal) => {
            let path = request.uri().path();
            tracing::info!(method = %request.method(), path = %Escaped(path), "authentication failed");
            return Err(refusal);
        }
    };
    if let Need::Permission(operation, resource) = need {
        access.permit(*operation, resource.clone())?;
    }
    tracing::debug!(principal = %Escaped(&principal.name), "authorized");
    request.extensions_mut().insert(access.clone());
    Ok(request)
}

/// `treaty hash-password`: the `password_hash` for a password read from
/// the first line of standard input.
pub fn print_password_hash() -> Result<(), Box<dyn std::error::Error>> {
    let password = read_secret()?;
    println!("{}", credentials::hash_password(&password)?);
    Ok(())
}

/// `treaty hash-token`: the `token_sha256` entry for a token read from the
/// first line of standard input.
pub fn print_token_hash() -> Result<(), Box<dyn std::error::Error>> {
    let token = read_secret()?;
    println!("{}", credentials::token_digest_hex(&token));
    Ok(())
}

fn read_secret() -> Result<String, Box<dyn std::error::Error>> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let secret = input.lines().next().unwrap_or("");
    if secret.is_empty() {
        return Err("expected the secret on standard input".into());
    }
    Ok(secret.to_owned())
}
