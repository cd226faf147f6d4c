//! "The limit": an axum server on the same runtime as treaty that answers
//! the benchmarked paths with fixed bytes (captured from treaty by
//! `bench/run.sh`) and no registry logic. It reads request bodies in full,
//! as treaty must, and routes on the same path patterns.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use axum::extract::Path as UrlPath;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "127.0.0.1:18082")]
    listen: SocketAddr,
    /// Directory of captured response bodies: root.json, schema_by_id.json,
    /// lookup.json, register.json, subjects.json, versions.json.
    #[arg(long)]
    responses: PathBuf,
}

const CONTENT: &str = "application/vnd.schemaregistry.v1+json";

fn fixed(dir: &Path, name: &str) -> Bytes {
    let path = dir.join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Bytes::from(bytes)
}

fn answer(bytes: Bytes) -> Response {
    ([(CONTENT_TYPE, CONTENT)], bytes).into_response()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let dir = &args.responses;
    let root = fixed(dir, "root.json");
    let by_id = fixed(dir, "schema_by_id.json");
    let lookup = fixed(dir, "lookup.json");
    let register = fixed(dir, "register.json");
    let subjects = fixed(dir, "subjects.json");
    let versions = fixed(dir, "versions.json");
    let app = Router::new()
        .route("/", get(move || async move { answer(root) }))
        .route(
            "/schemas/ids/{id}",
            get(move |UrlPath(_id): UrlPath<String>| async move { answer(by_id) }),
        )
        .route("/subjects", get(move || async move { answer(subjects) }))
        .route(
            "/subjects/{subject}",
            post(move |UrlPath(_s): UrlPath<String>, _body: Bytes| async move { answer(lookup) }),
        )
        .route(
            "/subjects/{subject}/versions",
            get(move |UrlPath(_s): UrlPath<String>| async move { answer(versions) }).post(
                move |UrlPath(_s): UrlPath<String>, _body: Bytes| async move { answer(register) },
            ),
        );
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen).await?;
        println!("baseline listening on {}", listener.local_addr()?);
        axum::serve(listener, app).await
    })?;
    Ok(())
}
