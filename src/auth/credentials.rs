//! The credentials file: who the principals are, how each proves it, and
//! what each may do. It holds hashes only, never a password or a token:
//!
//! ```json
//! {
//!   "principals": [
//!     {"name": "alice", "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$…",
//!      "grants": [{"prefix": "orders-", "role": "write"}]},
//!     {"name": "ci", "token_sha256": ["9f86d081884c7d65…"],
//!      "grants": [{"prefix": "", "role": "read"}]},
//!     {"name": "payments", "certificate_cn": "payments.internal",
//!      "grants": [{"prefix": "payments-", "role": "admin"}]}
//!   ]
//! }
//! ```
//!
//! `password_hash` is an argon2 PHC string (`treaty hash-password`) or a
//! bcrypt `$2b$` hash; `token_sha256` lists the SHA-256 hex digests of the
//! principal's bearer tokens (`treaty hash-token`; tokens are random
//! secrets, so a fast hash suffices); `certificate_cn` names the subject
//! common name of a verified TLS client certificate.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::de::IgnoredAny;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::policy::Grant;

/// A principal as loaded: its name and its grants.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub name: String,
    pub grants: Vec<Grant>,
}

/// A stored password hash, checked as its scheme says.
#[derive(Debug, Clone)]
pub enum PasswordDigest {
    /// An argon2 (i, d or id) PHC string.
    Argon2(String),
    /// A bcrypt `$2a$`/`$2b$`/`$2y$` hash.
    Bcrypt(String),
}

impl PasswordDigest {
    fn parse(text: &str) -> Result<Self, String> {
        if ["$2a$", "$2b$", "$2y$"].iter().any(|p| text.starts_with(p)) {
            return if text.len() == 60 {
                Ok(Self::Bcrypt(text.to_owned()))
            } else {
                Err("a bcrypt hash is 60 characters long".into())
            };
        }
        let parsed = PasswordHash::new(text).map_err(|e| format!("not a PHC string: {e}"))?;
        match parsed.algorithm.as_str() {
            "argon2id" | "argon2i" | "argon2d" => Ok(Self::Argon2(text.to_owned())),
            other => Err(format!("unsupported password hash algorithm {other}")),
        }
    }

    /// Whether `password` hashes to this digest; slow by design.
    pub fn verify(&self, password: &[u8]) -> bool {
        match self {
            Self::Argon2(text) => PasswordHash::new(text)
                .is_ok_and(|hash| Argon2::default().verify_password(password, &hash).is_ok()),
            Self::Bcrypt(text) => bcrypt::verify(password, text).unwrap_or(false),
        }
    }
}

/// The loaded file, indexed by each way of authenticating.
#[derive(Debug)]
pub struct Credentials {
    pub principals: Vec<Principal>,
    /// User name → (principal index, password hash).
    pub passwords: HashMap<String, (usize, PasswordDigest)>,
    /// Token SHA-256 digest → principal index.
    pub tokens: HashMap<[u8; 32], usize>,
    /// Client certificate common name → principal index.
    pub certificates: HashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    principals: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    #[serde(default)]
    password_hash: Option<String>,
    #[serde(default)]
    token_sha256: Vec<String>,
    #[serde(default)]
    certificate_cn: Option<String>,
    #[serde(default)]
    grants: Vec<Grant>,
    /// Present only to reject it with a useful message.
    #[serde(default)]
    password: Option<IgnoredAny>,
    #[serde(default)]
    token: Option<IgnoredAny>,
}

impl Credentials {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read credentials file {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("credentials file {}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut credentials = Credentials {
            principals: Vec::new(),
            passwords: HashMap::new(),
            tokens: HashMap::new(),
            certificates: HashMap::new(),
        };
        for entry in file.principals {
            credentials.add(entry)?;
        }
        Ok(credentials)
    }

    fn add(&mut self, entry: Entry) -> Result<(), String> {
        let name = entry.name;
        let index = self.principals.len();
        if entry.password.is_some() || entry.token.is_some() {
            return Err(format!(
                "principal {name:?}: plain-text passwords and tokens are not accepted; \
                 store password_hash (treaty hash-password) or token_sha256 (treaty hash-token)"
            ));
        }
        if entry.password_hash.is_none()
            && entry.token_sha256.is_empty()
            && entry.certificate_cn.is_none()
        {
            return Err(format!(
                "principal {name:?} has no password_hash, token_sha256 or certificate_cn"
            ));
        }
        if self.principals.iter().any(|p| p.name == name) {
            return Err(format!("principal {name:?} is listed twice"));
        }
        if let Some(hash) = entry.password_hash {
            let digest = PasswordDigest::parse(&hash)
                .map_err(|e| format!("principal {name:?}: password_hash: {e}"))?;
            self.passwords.insert(name.clone(), (index, digest));
        }
        for hex in &entry.token_sha256 {
            let digest = parse_sha256_hex(hex).ok_or_else(|| {
                format!("principal {name:?}: token_sha256 must be 64 hexadecimal digits")
            })?;
            if self.tokens.insert(digest, index).is_some() {
                return Err(format!("principal {name:?}: a token is listed twice"));
            }
        }
        if let Some(cn) = entry.certificate_cn {
            if self.certificates.insert(cn.clone(), index).is_some() {
                return Err(format!("certificate_cn {cn:?} is listed twice"));
            }
        }
        self.principals.push(Principal {
            name,
            grants: entry.grants,
        });
        Ok(())
    }
}

fn parse_sha256_hex(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut digest = [0u8; 32];
    for (byte, pair) in digest.iter_mut().zip(hex.as_bytes().chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(digest)
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The `token_sha256` entry for a token.
pub fn token_digest_hex(token: &str) -> String {
    sha256(token.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// The `password_hash` entry for a password: argon2id with a random salt
/// and the crate's default (OWASP-recommended) cost.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2_hashes_verify_their_password_only() {
        let digest = PasswordDigest::parse(&hash_password("secret").unwrap()).unwrap();
        assert!(digest.verify(b"secret"));
        assert!(!digest.verify(b"Secret"));
    }

    #[test]
    fn bcrypt_hashes_verify() {
        let hash = bcrypt::hash("secret", 4).unwrap();
        let digest = PasswordDigest::parse(&hash).unwrap();
        assert!(digest.verify(b"secret"));
        assert!(!digest.verify(b"other"));
    }

    #[test]
    fn a_plain_text_password_is_refused() {
        let error = Credentials::parse(
            r#"{"principals": [{"name": "a", "password": "hunter2", "grants": []}]}"#,
        )
        .unwrap_err();
        assert!(error.contains("plain-text"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn an_unknown_hash_scheme_is_refused() {
        let error =
            Credentials::parse(r#"{"principals": [{"name": "a", "password_hash": "hunter2"}]}"#)
                .unwrap_err();
        assert!(error.contains("password_hash"), "{error}");
    }

    #[test]
    fn token_digests_are_sha256_hex() {
        assert_eq!(
            token_digest_hex("test"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
        let credentials = Credentials::parse(&format!(
            r#"{{"principals": [{{"name": "ci", "token_sha256": ["{}"]}}]}}"#,
            token_digest_hex("test").to_uppercase()
        ))
        .unwrap();
        assert_eq!(credentials.tokens.get(&sha256(b"test")), Some(&0));
    }
}
