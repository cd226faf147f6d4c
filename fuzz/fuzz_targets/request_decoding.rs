#![no_main]
//! Requests through the real router (`treaty::api::app`), in process, on a
//! registry stored in a RocksDB under /dev/shm (or the temp dir): URL
//! rewriting (`/contexts/…`, trailing slashes), path and query parameters,
//! qualified subjects, content negotiation, Jackson-style JSON bodies, and
//! whatever the handlers do with what they decoded. A panic anywhere fails
//! the run; the response body is read to the end.
//!
//! Input: up to 8 requests separated by NUL bytes, each written like
//! HTTP/1.1 without the version: `METHOD TARGET\n`, header lines
//! `Name: value\n`, an empty line, the body. Bytes a URI cannot hold are
//! percent-encoded, as a client would send them. The registry is started
//! afresh every 256 inputs so its state stays small.

use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, Uri};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const MAX_BODY_BYTES: usize = 1024 * 1024;
const RESET_EVERY: u32 = 256;

struct Server {
    app: treaty::api::Api,
    inputs: u32,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Self {
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .expect("temp dir");
        let store = treaty::store::Store::open(&dir.path().join("data")).expect("store");
        let store = Arc::new(store);
        let log = treaty::log::LocalLog::new(Arc::clone(&store)).expect("log");
        let registry =
            treaty::registry::Registry::open(&store, Arc::new(log)).expect("registry");
        let app = treaty::api::app(Arc::new(registry), MAX_BODY_BYTES, None);
        Self {
            app,
            inputs: 0,
            _dir: dir,
        }
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    })
}

/// `FUZZ_TRACE=1`: print each request and its answer (to check seeds).
fn trace() -> bool {
    static TRACE: OnceLock<bool> = OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("FUZZ_TRACE").is_some())
}

fn server() -> &'static Mutex<Option<Server>> {
    static SERVER: Mutex<Option<Server>> = Mutex::new(None);
    &SERVER
}

fuzz_target!(|data: &[u8]| {
    let requests: Vec<Request<Body>> = data
        .split(|&b| b == 0)
        .take(8)
        .filter_map(request)
        .collect();
    if requests.is_empty() {
        return;
    }
    let mut guard = server().lock().unwrap_or_else(|p| p.into_inner());
    let server = match &mut *guard {
        Some(server) if server.inputs < RESET_EVERY => server,
        slot => slot.insert(Server::start()),
    };
    server.inputs += 1;
    let app = server.app.clone();
    runtime().block_on(async move {
        for request in requests {
            let line = trace().then(|| format!("{} {}", request.method(), request.uri()));
            let response = app.clone().oneshot(request).await.expect("infallible");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("response body");
            if let Some(line) = line {
                eprintln!("{line} -> {status} {}", String::from_utf8_lossy(&body));
            }
        }
    });
});

/// One request from its text; `None` where no request line can be made.
fn request(text: &[u8]) -> Option<Request<Body>> {
    let (head, body) = match find(text, b"\n\n") {
        Some(at) => (&text[..at], &text[at + 2..]),
        None => (text, &b""[..]),
    };
    let mut lines = head.split(|&b| b == b'\n');
    let line = lines.next()?;
    let (method, target) = match line.iter().position(|&b| b == b' ') {
        Some(at) => (&line[..at], &line[at + 1..]),
        None => (&b"GET"[..], line),
    };
    let method = Method::from_bytes(method).ok()?;
    let uri: Uri = encode_target(target).parse().ok()?;
    let mut builder = Request::builder().method(method).uri(uri);
    for header in lines {
        let Some(at) = header.iter().position(|&b| b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&header[..at]),
            HeaderValue::from_bytes(header[at + 1..].trim_ascii()),
        ) else {
            continue;
        };
        builder = builder.header(name, value);
    }
    builder.body(Body::from(body.to_vec())).ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The request target with every byte a URI cannot hold percent-encoded.
fn encode_target(target: &[u8]) -> String {
    let mut out = String::with_capacity(target.len() + 1);
    if target.first() != Some(&b'/') {
        out.push('/');
    }
    for &b in target {
        let plain = b.is_ascii_graphic() && !b"\"<>\\^`{|}#".contains(&b);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
