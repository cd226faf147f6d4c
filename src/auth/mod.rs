//! Authentication and authorization, off unless `--auth-file` names a
//! credentials file ([`credentials`]). A request proves who it is with
//! HTTP Basic, a bearer token or a verified TLS client certificate; the
//! route then needs the permission [`policy`] assigns it. Failures answer
//! as Confluent's rest-utils does: 401 `Unauthorized` with a `Basic`
//! challenge, 403/40301 `User is denied operation <Op> on <Resource>`.
//!
//! Credentials never reach a log: the `Authorization` header is removed
//! before the request goes on, and failures are logged without the user
//! name or token.

pub mod credentials;
pub mod policy;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;

use crate::api::ApiError;
use crate::tls::Peer;
use credentials::{sha256, Credentials, PasswordDigest, Principal};
use policy::Need;

/// Verified Basic credentials kept so that a client's every request does
/// not pay for argon2 again; cleared when it grows past this.
const VERIFIED_CACHE_LIMIT: usize = 10_000;

/// The loaded credentials and the cache of verified Basic headers.
pub struct Auth {
    credentials: Credentials,
    /// SHA-256 of a verified `Authorization` value → principal index.
    verified: Mutex<HashMap<[u8; 32], usize>>,
    /// Checked for unknown users, so a miss costs what a wrong password does.
    decoy: PasswordDigest,
}

impl Auth {
    pub fn load(path: &Path) -> Result<Self, String> {
        Ok(Self::new(Credentials::load(path)?))
    }

    pub fn new(credentials: Credentials) -> Self {
        let decoy = credentials::hash_password("treaty decoy password")
            .map(PasswordDigest::Argon2)
            .expect("argon2 hashes a constant");
        Self {
            credentials,
            verified: Mutex::new(HashMap::new()),
            decoy,
        }
    }

    /// The principal a request authenticates as, if any: by its
    /// `Authorization` header, else by its client certificate's CN.
    async fn authenticate(
        self: &Arc<Self>,
        authorization: Option<HeaderValue>,
        common_name: Option<String>,
    ) -> Option<Principal> {
        let index = match authorization {
            Some(value) => self.authenticate_header(&value).await?,
            None => *self.credentials.certificates.get(&common_name?)?,
        };
        Some(self.credentials.principals[index].clone())
    }

    async fn authenticate_header(self: &Arc<Self>, value: &HeaderValue) -> Option<usize> {
        let text = value.to_str().ok()?;
        let (scheme, rest) = text.split_once(' ')?;
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("bearer") {
            return self
                .credentials
                .tokens
                .get(&sha256(rest.as_bytes()))
                .copied();
        }
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let key = sha256(value.as_bytes());
        if let Some(&index) = self.verified.lock().expect("cache lock").get(&key) {
            return Some(index);
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()?;
        let auth = Arc::clone(self);
        let index = tokio::task::spawn_blocking(move || auth.verify_basic(&decoded))
            .await
            .ok()??;
        let mut verified = self.verified.lock().expect("cache lock");
        if verified.len() >= VERIFIED_CACHE_LIMIT {
            verified.clear();
        }
        verified.insert(key, index);
        Some(index)
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

/// Authenticates `request`, then authorizes its route; what passes goes on
/// without the `Authorization` header, what fails is answered here.
pub async fn admit(auth: &Arc<Auth>, mut request: Request) -> Result<Request, Response> {
    let need = policy::required(request.method(), request.uri().path());
    if need == Need::Open {
        request.headers_mut().remove(AUTHORIZATION);
        return Ok(request);
    }
    let authorization = request.headers().get(AUTHORIZATION).cloned();
    let common_name = request
        .extensions()
        .get::<ConnectInfo<Peer>>()
        .and_then(|peer| peer.0.common_name.clone());
    let Some(principal) = auth.authenticate(authorization, common_name).await else {
        tracing::info!(method = %request.method(), path = %request.uri().path(), "authentication failed");
        return Err(unauthorized());
    };
    if let Need::Permission(operation, resource) = &need {
        if !policy::allows(&principal.grants, *operation, resource) {
            tracing::info!(principal = %principal.name, %operation, %resource, "authorization denied");
            return Err(
                ApiError::forbidden(&operation.to_string(), &resource.to_string()).into_response(),
            );
        }
    }
    tracing::debug!(principal = %principal.name, "authorized");
    request.headers_mut().remove(AUTHORIZATION);
    request.extensions_mut().insert(principal);
    Ok(request)
}

fn unauthorized() -> Response {
    let mut response = ApiError::unauthorized().into_response();
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"treaty\""),
    );
    response
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
