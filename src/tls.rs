//! HTTPS: rustls (ring provider) over the TCP listener, optionally
//! requiring client certificates signed by a given CA (mutual TLS). The
//! verified client certificate's subject common name travels with each
//! request as [`Peer`], so `auth` can map it to a principal.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use clap::Args;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{self, RootCertStore, ServerConfig};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// A handshake that has not finished by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Handshaken connections waiting for the server to take them.
const ACCEPTED_BACKLOG: usize = 64;

#[derive(Args, Debug, Clone)]
pub struct TlsArgs {
    /// PEM certificate chain: serve HTTPS instead of HTTP.
    #[arg(long, env = "TREATY_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of `--tls-cert` (PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "TREATY_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// PEM CA certificates: require client certificates signed by one.
    #[arg(long, env = "TREATY_TLS_CLIENT_CA", requires = "tls_cert")]
    tls_client_ca: Option<PathBuf>,
}

impl TlsArgs {
    /// The server configuration, or `None` to serve plain HTTP.
    pub fn server_config(&self) -> Result<Option<Arc<ServerConfig>>, String> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        server_config(cert, key, self.tls_client_ca.as_deref()).map(Some)
    }
}

fn server_config(
    cert: &Path,
    key: &Path,
    client_ca: Option<&Path>,
) -> Result<Arc<ServerConfig>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot read TLS certificate {}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!("no certificate in {}", cert.display()));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| format!("cannot read TLS key {}: {e}", key.display()))?;
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?;
    let builder = match client_ca {
        None => builder.with_no_client_auth(),
        Some(path) => {
            let mut roots = RootCertStore::empty();
            let cas = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("cannot read client CA {}: {e}", path.display()))?;
            for ca in cas {
                roots
                    .add(ca)
                    .map_err(|e| format!("client CA {}: {e}", path.display()))?;
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| format!("client CA {}: {e}", path.display()))?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut config = builder
        .with_single_cert(chain, key)
        .map_err(|e| format!("TLS certificate and key: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Who is on the other end of a TLS connection.
#[derive(Debug, Clone)]
pub struct Peer {
    pub remote: SocketAddr,
    /// Subject CN of the client certificate the handshake verified.
    pub common_name: Option<String>,
}

impl Connected<IncomingStream<'_, TlsListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        stream.remote_addr().clone()
    }
}

/// A listener whose connections are already through the TLS handshake.
/// Handshakes run in their own tasks, so a slow client delays no other.
pub struct TlsListener {
    accepted: mpsc::Receiver<(TlsStream<TcpStream>, Peer)>,
    local: SocketAddr,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, config: Arc<ServerConfig>) -> io::Result<Self> {
        let local = tcp.local_addr()?;
        let (sender, accepted) = mpsc::channel(ACCEPTED_BACKLOG);
        let acceptor = TlsAcceptor::from(config);
        tokio::spawn(async move {
            while !sender.is_closed() {
                let (stream, remote) = match tcp.accept().await {
                    Ok(connection) => connection,
                    Err(error) => {
                        tracing::warn!(%error, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let (acceptor, sender) = (acceptor.clone(), sender.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            let common_name = tls
                                .get_ref()
                                .1
                                .peer_certificates()
                                .and_then(|chain| chain.first())
                                .and_then(|leaf| subject_common_name(leaf));
                            let _ = sender
                                .send((
                                    tls,
                                    Peer {
                                        remote,
                                        common_name,
                                    },
                                ))
                                .await;
                        }
                        Ok(Err(error)) => tracing::debug!(%remote, %error, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%remote, "TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(Self { accepted, local })
    }
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = Peer;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.accepted.recv().await {
            Some(connection) => connection,
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(Peer {
            remote: self.local,
            common_name: None,
        })
    }
}

/// The first common name (OID 2.5.4.3) in an X.509 certificate's subject.
/// The certificate has been verified, so its DER is well-formed; anything
/// unexpected yields `None`.
pub fn subject_common_name(certificate: &[u8]) -> Option<String> {
    const SEQUENCE: u8 = 0x30;
    const COMMON_NAME: [u8; 3] = [0x55, 0x04, 0x03];
    let (_, certificate, _) = der(certificate, SEQUENCE)?;
    let (_, mut tbs, _) = der(certificate, SEQUENCE)?;
    if tbs.first() == Some(&0xa0) {
        tbs = der(tbs, 0xa0)?.2; // explicit version
    }
    for tag in [0x02, SEQUENCE, SEQUENCE, SEQUENCE] {
        tbs = der(tbs, tag)?.2; // serial, signature, issuer, validity
    }
    let (_, mut subject, _) = der(tbs, SEQUENCE)?;
    while !subject.is_empty() {
        let (_, set, rest) = der(subject, 0x31)?;
        subject = rest;
        let mut attributes = set;
        while !attributes.is_empty() {
            let (_, attribute, rest) = der(attributes, SEQUENCE)?;
            attributes = rest;
            let (_, oid, value) = der(attribute, 0x06)?;
            if oid == COMMON_NAME {
                let (_, text, _) = der_any(value)?;
                return String::from_utf8(text.to_vec()).ok();
            }
        }
    }
    None
}

/// One DER element with the expected tag: (tag, contents, what follows).
fn der(input: &[u8], tag: u8) -> Option<(u8, &[u8], &[u8])> {
    der_any(input).filter(|(found, _, _)| *found == tag)
}

fn der_any(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, rest) = rest.split_at(count);
        let length = bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b));
        (length, rest)
    };
    if rest.len() < length {
        return None;
    }
    let (contents, rest) = rest.split_at(length);
    Some((tag, contents, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subject_common_name_is_read_from_a_certificate() {
        let mut params = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "treaty tests");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "orders-service");
        let key = rcgen::KeyPair::generate().unwrap();
        let certificate = params.self_signed(&key).unwrap();
        assert_eq!(
            subject_common_name(certificate.der()),
            Some("orders-service".into())
        );
    }

    #[test]
    fn garbage_has_no_common_name() {
        assert_eq!(subject_common_name(b"\x30\x03\x02\x01"), None);
    }
}
