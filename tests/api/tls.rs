//! HTTPS and mutual TLS, with a CA, server and client certificates made
//! by rcgen for each test (no private key is committed).

use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use serde_json::{json, Value};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

use crate::auth::credentials_file;
use crate::server::{record, Server};

/// A CA and a server certificate for 127.0.0.1, written as PEM files, and
/// a client certificate (CN `orders-service`) kept in memory.
struct Pki {
    dir: tempfile::TempDir,
    ca: CertificateDer<'static>,
    client_chain: Vec<CertificateDer<'static>>,
    client_key: Vec<u8>,
}

impl Pki {
    fn new() -> Self {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "treaty test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();

        let mut server_params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
        server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_key = KeyPair::generate().unwrap();
        let server = server_params.signed_by(&server_key, &*ca).unwrap();

        let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        client_params
            .distinguished_name
            .push(DnType::CommonName, "orders-service");
        client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client_key = KeyPair::generate().unwrap();
        let client = client_params.signed_by(&client_key, &*ca).unwrap();

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
        std::fs::write(dir.path().join("server.pem"), server.pem()).unwrap();
        std::fs::write(dir.path().join("server.key"), server_key.serialize_pem()).unwrap();
        Self {
            ca: ca.der().clone(),
            client_chain: vec![client.der().clone()],
            client_key: client_key.serialize_der(),
            dir,
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn start(&self, extra: &[&str]) -> Server {
        let (cert, key) = (self.path("server.pem"), self.path("server.key"));
        let mut args = vec!["--tls-cert", &cert, "--tls-key", &key];
        args.extend_from_slice(extra);
        let mut server = Server::start_with(&args);
        server.base = server.base.replace("http://", "https://");
        server
    }

    /// A client that trusts the test CA, presenting the client certificate
    /// when `with_certificate`.
    fn agent(&self, with_certificate: bool) -> ureq::Agent {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.add(self.ca.clone()).unwrap();
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots);
        let config = if with_certificate {
            let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.client_key.clone()));
            builder
                .with_client_auth_cert(self.client_chain.clone(), key)
                .unwrap()
        } else {
            builder.with_no_client_auth()
        };
        ureq::AgentBuilder::new()
            .tls_config(Arc::new(config))
            .build()
    }
}

/// Status and JSON body, or the transport error's text.
fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    body: Option<&Value>,
) -> Result<(u16, Value), String> {
    let request = agent
        .request(method, url)
        .set("Content-Type", "application/vnd.schemaregistry.v1+json");
    let result = match body {
        Some(body) => request.send_string(&body.to_string()),
        None => request.call(),
    };
    let response = match result {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(error) => return Err(error.to_string()),
    };
    let status = response.status();
    Ok((status, response.into_json().unwrap()))
}

fn schema() -> Value {
    json!({ "schema": record("Order", &[("id", "long")]) })
}

#[test]
fn https_round_trip_registers_and_fetches_a_schema() {
    let pki = Pki::new();
    let server = pki.start(&[]);
    assert!(server.base.starts_with("https://127.0.0.1:"));
    let agent = pki.agent(false);
    let url = |path: &str| format!("{}{path}", server.base);
    let registered = send(
        &agent,
        "POST",
        &url("/subjects/orders-value/versions"),
        Some(&schema()),
    );
    assert_eq!(registered, Ok((200, json!({"id": 1}))));
    let (status, fetched) = send(&agent, "GET", &url("/schemas/ids/1"), None).unwrap();
    assert_eq!(status, 200);
    assert_eq!(fetched["schema"], schema()["schema"]);
}

#[test]
fn plain_http_to_the_tls_port_gets_no_response() {
    let pki = Pki::new();
    let server = pki.start(&[]);
    let plain = server.base.replace("https://", "http://");
    let reply = send(&pki.agent(false), "GET", &format!("{plain}/subjects"), None);
    assert!(reply.is_err(), "{reply:?}");
}

#[test]
fn mutual_tls_refuses_a_client_without_a_certificate() {
    let pki = Pki::new();
    let ca = pki.path("ca.pem");
    let server = pki.start(&["--tls-client-ca", &ca]);
    let url = format!("{}/subjects", server.base);
    let refused = send(&pki.agent(false), "GET", &url, None);
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(
        send(&pki.agent(true), "GET", &url, None),
        Ok((200, json!([])))
    );
}

#[test]
fn a_client_certificate_authenticates_the_principal_named_by_its_common_name() {
    let pki = Pki::new();
    let ca = pki.path("ca.pem");
    let credentials = credentials_file();
    let server = pki.start(&["--tls-client-ca", &ca, "--auth-file", &credentials]);
    let agent = pki.agent(true);
    let url = |path: &str| format!("{}{path}", server.base);
    let (status, body) =
        send(&agent, "GET", &url("/subjects/orders-value/versions"), None).unwrap();
    assert_eq!((status, body["error_code"].clone()), (404, json!(40401)));
    let (status, body) = send(
        &agent,
        "POST",
        &url("/subjects/orders-value/versions"),
        Some(&schema()),
    )
    .unwrap();
    assert_eq!((status, body["error_code"].clone()), (403, json!(40301)));
}

#[test]
fn tls_flags_with_a_missing_key_file_stop_the_server() {
    let pki = Pki::new();
    let temp = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(temp.path().join("data"))
        .args(["--tls-cert", &pki.path("server.pem"), "--tls-key"])
        .arg(Path::new(&pki.path("absent.key")))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot read TLS key"), "{stderr}");
}

#[test]
fn sigterm_stops_a_tls_server_that_holds_an_idle_connection() {
    let pki = Pki::new();
    let temp = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(temp.path().join("data"))
        .args(["--tls-cert", &pki.path("server.pem")])
        .args(["--tls-key", &pki.path("server.key")])
        .env("TREATY_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
    let address = line.trim().strip_prefix("treaty listening on ").unwrap();
    let agent = pki.agent(false);
    let url = format!("https://{address}/subjects");
    assert_eq!(send(&agent, "GET", &url, None), Ok((200, json!([]))));
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("treaty did not stop within 10 s of SIGTERM");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}
