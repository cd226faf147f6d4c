//! The web UI's static files at `/ui/`, compiled into the binary so that
//! an air-gapped registry serves them with nothing else installed. They
//! are plain HTML, CSS and ES modules, listed here by name (no build step,
//! no embedding crate); each is answered with a `Content-Security-Policy`
//! that admits only this origin, which holds because no script or style
//! is inline. The pages themselves hold no data, so they are open to all;
//! the data comes from the REST API and `ui_api.rs`, with the caller's
//! credentials.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::path::PathParams;
use super::routes::Routes;
use crate::auth::policy::Rule::Open;

/// The route of the page, and the prefix of every file.
pub const ROOT: &str = "/ui";
const FILE: &str = "/ui/{file}";
/// [`FILE`] as metrics and logs name it ([`super::routes::route_label`]),
/// compared with on every request.
const FILE_LABEL: &str = "/ui/:file";

const POLICY: &str =
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Every file of `ui/`: its name, content type and bytes.
const FILES: [(&str, &str, &[u8]); 12] = [
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("../../ui/index.html"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../ui/style.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../ui/favicon.svg"),
    ),
    ("app.js", JS, include_bytes!("../../ui/app.js")),
    ("http.js", JS, include_bytes!("../../ui/http.js")),
    ("dom.js", JS, include_bytes!("../../ui/dom.js")),
    ("subjects.js", JS, include_bytes!("../../ui/subjects.js")),
    ("subject.js", JS, include_bytes!("../../ui/subject.js")),
    ("delete.js", JS, include_bytes!("../../ui/delete.js")),
    ("compare.js", JS, include_bytes!("../../ui/compare.js")),
    ("register.js", JS, include_bytes!("../../ui/register.js")),
    ("settings.js", JS, include_bytes!("../../ui/settings.js")),
];

const JS: &str = "text/javascript; charset=utf-8";

pub fn routes() -> Routes {
    Routes::new().get(ROOT, Open, index).get(FILE, Open, file)
}

/// Whether `route` serves a file, which has its own content type and so
/// skips the Schema Registry content negotiation.
pub fn is_static(route: &str) -> bool {
    route == ROOT || route == FILE_LABEL
}

/// `/ui` and `/ui/` (the API routes both alike) answer the page. Relative
/// links would resolve differently under the two, so the page names its
/// files by absolute path.
async fn index() -> Response {
    served(FILES[0].1, FILES[0].2)
}

async fn file(PathParams(name): PathParams<String>) -> Response {
    match FILES.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, bytes)) => served(content_type, bytes),
        None => ApiError::not_found().into_response(),
    }
}

fn served(content_type: &'static str, bytes: &'static [u8]) -> Response {
    (
        StatusCode::OK,
        [
            (CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                HeaderName::from_static("content-security-policy"),
                HeaderValue::from_static(POLICY),
            ),
            (
                HeaderName::from_static("x-content-type-options"),
                HeaderValue::from_static("nosniff"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::{FILE, FILES, FILE_LABEL};

    #[test]
    fn the_file_label_is_the_file_route_as_metrics_name_it() {
        assert_eq!(super::super::routes::route_label(FILE), FILE_LABEL);
    }

    /// A file added to `ui/` but not to [`FILES`] would be missing from
    /// the binary; one listed but deleted would not compile.
    #[test]
    fn every_file_of_the_ui_directory_is_served() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/ui");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("ui/ exists")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .into_string()
                    .expect("utf-8")
            })
            .collect();
        on_disk.sort();
        let mut served: Vec<String> = FILES.iter().map(|(name, _, _)| name.to_string()).collect();
        served.sort();
        assert_eq!(on_disk, served);
    }
}
