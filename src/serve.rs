//! `treaty serve`: open the store, load the registry, serve HTTP until
//! SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::ServiceExt as _;
use clap::Args;

use crate::audit::{Audit, Retention};
use crate::cluster::http::ClusterApi;
use crate::cluster::Node;
use crate::kafka::KafkaConfig;
use crate::log::{KafkaLog, LocalLog, Log};
use crate::registry::Registry;
use crate::store::Store;
use crate::usage::{Usage, UsageSettings};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TREATY_LISTEN", default_value = "127.0.0.1:8081")]
    listen: SocketAddr,
    /// Directory of the RocksDB store.
    #[arg(long, env = "TREATY_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "TREATY_MAX_BODY_BYTES", default_value_t = 4 * 1024 * 1024)]
    max_body_bytes: usize,
    /// Refuse new Avro schemas whose field defaults do not fit their types
    /// (Confluent's `avro.validate.defaults`; off in Confluent 7.9, where only
    /// `normalize` checks them).
    #[arg(long, env = "TREATY_AVRO_VALIDATE_DEFAULTS")]
    avro_validate_defaults: bool,
    /// Credentials file (JSON, see README): turns on authentication and
    /// authorization. Without it every request is allowed.
    #[arg(long, env = "TREATY_AUTH_FILE")]
    auth_file: Option<PathBuf>,
    /// With `--auth-file`: let every authenticated principal list every
    /// subject and read every schema by id, whatever its grants (by
    /// default listings show, and ids answer, only what it may read).
    #[arg(long, env = "TREATY_AUTH_OPEN_READS")]
    auth_open_reads: bool,
    /// Do not serve the web UI (`/ui/` and its `/ui/api/` endpoints).
    #[arg(long, env = "TREATY_NO_UI")]
    no_ui: bool,
    /// Do not count or time requests in `GET /metrics`
    /// (`treaty_http_requests_total`, `treaty_http_request_duration_seconds`);
    /// every other metric stays.
    #[arg(long, env = "TREATY_NO_REQUEST_METRICS")]
    no_request_metrics: bool,
    #[command(flatten)]
    usage: UsageArgs,
    #[command(flatten)]
    audit: AuditArgs,
    #[command(flatten)]
    tls: crate::tls::TlsArgs,
    /// How log lines are written on standard error: `text`, or `json`
    /// (one object a line). `TREATY_LOG` filters them (default `info`).
    #[arg(long, env = "TREATY_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: crate::logging::LogFormat,
    /// TOML file of these settings, keys named as the flags with
    /// underscores (`data_dir = "/var/lib/treaty"`). Flags, then
    /// environment variables, override it; unknown keys are an error.
    #[arg(long, env = "TREATY_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    cluster: ClusterArgs,
}

/// Who used which schema (`/v1/usage`, README "Retire schemas safely").
#[derive(Args, Debug)]
struct UsageArgs {
    /// Record who fetches, looks up and registers which schema
    /// (`/v1/usage`). Off by default: it keeps figures in memory for every
    /// schema used and writes them in the background (BENCHMARKS.md, row
    /// 1c); what was recorded before still answers when off.
    #[arg(long, env = "TREATY_USAGE_RECORDING")]
    usage_recording: bool,
    /// How often usage figures are written to the data dir; a crash loses
    /// at most this much of them (never a schema).
    #[arg(long, env = "TREATY_USAGE_FLUSH_INTERVAL", default_value = "5s", value_parser = humantime::parse_duration)]
    usage_flush_interval: std::time::Duration,
    /// Refuse deletes of versions used (or whose id was used) within this
    /// long, as `7d`, unless the request says `force=true`. Off by default,
    /// as in Confluent.
    #[arg(long, env = "TREATY_USAGE_DELETE_GUARD", value_parser = humantime::parse_duration)]
    usage_delete_guard: Option<std::time::Duration>,
    /// What the `treaty_usage_unused_versions` gauge counts: live versions
    /// unused for this long.
    #[arg(long, env = "TREATY_USAGE_UNUSED_AFTER", default_value = "30d", value_parser = humantime::parse_duration)]
    usage_unused_after: std::time::Duration,
}

impl UsageArgs {
    fn settings(&self) -> UsageSettings {
        UsageSettings {
            recording: self.usage_recording,
            delete_guard: self.usage_delete_guard,
            unused_after: self.usage_unused_after,
        }
    }
}

/// The audit trail's retention (`GET /v1/audit`): entries older than the
/// age, or beyond the count, are trimmed at start and every minute.
#[derive(Args, Debug)]
struct AuditArgs {
    /// Keep audit entries this long (`90d`, `12h`, `30m`).
    #[arg(long, env = "TREATY_AUDIT_MAX_AGE", default_value = "90d", value_parser = humantime::parse_duration)]
    audit_max_age: std::time::Duration,
    /// Keep at most this many audit entries, the newest; 0 records none.
    #[arg(long, env = "TREATY_AUDIT_MAX_ENTRIES", default_value_t = 100_000)]
    audit_max_entries: usize,
}

/// Cluster mode: without `--kafka-bootstrap` treaty runs on its own.
#[derive(Args, Debug)]
struct ClusterArgs {
    /// Kafka bootstrap servers (HOST:PORT[,...]): the registry lives on the
    /// schemas topic there, shared with every other node.
    #[arg(long, env = "TREATY_KAFKA_BOOTSTRAP")]
    kafka_bootstrap: Option<String>,
    /// The schemas topic (Confluent's `kafkastore.topic`).
    #[arg(long, default_value = crate::kafka::config::DEFAULT_TOPIC)]
    kafka_topic: String,
    /// A librdkafka client setting, KEY=VALUE (TLS, SASL, timeouts); repeatable.
    #[arg(long = "kafka-config")]
    kafka_config: Vec<String>,
    /// The URL other nodes reach this one at (default: http://<listen address>).
    #[arg(long, env = "TREATY_ADVERTISED_URL")]
    advertised_url: Option<String>,
    /// Never write the topic: a read replica (beside a running Confluent,
    /// for one).
    #[arg(long, requires = "kafka_bootstrap")]
    follower_only: bool,
    /// With `--follower-only`: forward writes to this URL (the Confluent
    /// leader, say) instead of to the treaty node that writes.
    #[arg(long, requires = "follower_only")]
    forward_writes_to: Option<String>,
}

/// Longest a stopping node waits for the writer election to stop.
const LEAVE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Loading a large store builds hundreds of megabytes of index in a few
/// seconds. In transparent huge pages each fresh 2 MiB page is zeroed whole
/// on first touch, and on a VM whose host has taken free memory back that
/// costs several times what small pages do (a million versions loaded about
/// a second slower, BENCHMARKS.md). Reads, though, are faster on huge pages
/// (fewer TLB misses), so they are off only while loading: the copy of the
/// index made after it, which reads are then served from
/// ([`Registry::stage`]), gets them. A process started with them off
/// keeps them off.
fn without_transparent_huge_pages<T>(load: impl FnOnce() -> T) -> T {
    #[cfg(target_os = "linux")]
    {
        use rustix::thread::{disable_transparent_huge_pages, transparent_huge_pages_are_disabled};
        let switched = transparent_huge_pages_are_disabled() == Ok(false)
            && disable_transparent_huge_pages(true).is_ok();
        let loaded = load();
        if switched {
            let _ = disable_transparent_huge_pages(false);
        }
        loaded
    }
    #[cfg(not(target_os = "linux"))]
    load()
}

pub fn run(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let auth = match &args.auth_file {
        Some(path) => Some(Arc::new(
            crate::auth::Auth::load(path)?.with_open_reads(args.auth_open_reads),
        )),
        None => None,
    };
    let tls = args.tls.server_config()?;
    let store = Store::open(&args.data_dir)
        .map_err(|e| format!("cannot open data dir {}: {e}", args.data_dir.display()))?;
    let store = Arc::new(store);
    let kafka = match &args.cluster.kafka_bootstrap {
        Some(bootstrap) => Some((
            KafkaConfig::new(
                bootstrap,
                Some(&args.cluster.kafka_topic),
                &args.cluster.kafka_config,
            )?,
            Arc::new(KafkaLog::new(Arc::clone(&store))),
        )),
        None => None,
    };
    let log: Arc<dyn Log> = match &kafka {
        Some((_, log)) => Arc::clone(log) as Arc<dyn Log>,
        None => Arc::new(LocalLog::new(Arc::clone(&store))?),
    };
    let loading = std::time::Instant::now();
    let metrics = Arc::new(crate::metrics::Metrics::new(!args.no_request_metrics));
    metrics.watch_store(Arc::clone(&store));
    let counting = Arc::clone(&metrics);
    let retention = Retention {
        max_age: args.audit.audit_max_age,
        max_entries: args.audit.audit_max_entries,
    };
    let audit = Arc::new(Audit::open(Arc::clone(&store), retention)?);
    audit.trim(std::time::SystemTime::now())?;
    let mut registry = without_transparent_huge_pages(|| Registry::open(&store, log))
        .map_err(|e| format!("cannot load the registry: {e}"))?
        .validating_avro_defaults(args.avro_validate_defaults)
        .observing_commits(move |writes| counting.committed(writes));
    if retention.max_entries > 0 {
        let recording = Arc::clone(&audit);
        registry = registry.observing_changes(move |changes| recording.record(changes));
    }
    metrics.loaded_in(loading.elapsed());
    let usage = Usage::open(Arc::clone(&store), args.usage.settings());
    usage.flush_every(Arc::clone(&store), args.usage.usage_flush_interval);
    metrics.watch_usage(Arc::clone(&usage));
    let registry = Arc::new(registry);
    let staging = Arc::clone(&registry);
    std::thread::spawn(move || {
        staging.stage();
        tracing::info!(since_start = ?loading.elapsed(), "ready for writes");
    });
    let app = crate::api::app(
        Arc::clone(&registry),
        args.max_body_bytes,
        auth,
        Arc::clone(&metrics),
        Arc::clone(&usage),
        Arc::clone(&audit),
        !args.no_ui,
    );
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        audit.keep_trimming();
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let address = listener.local_addr()?;
        let loaded_in = loading.elapsed();
        match kafka {
            None => {
                announce(address, &args.data_dir, loaded_in);
                serve_http(listener, tls, app).await?
            }
            Some((config, log)) => {
                let advertised = args.cluster.advertised_url.clone();
                let advertised = advertised.unwrap_or_else(|| format!("http://{address}"));
                let node = Node::new(
                    advertised,
                    args.cluster.forward_writes_to.clone(),
                    config,
                    Arc::clone(&store),
                    Arc::clone(&registry),
                    log,
                );
                metrics.watch_cluster(Arc::clone(&node));
                announce(address, &args.data_dir, loaded_in);
                // Serving starts before the catch-up, so probes see it.
                let serving = serve_http(listener, tls, ClusterApi::new(app, Arc::clone(&node)));
                tokio::pin!(serving);
                // Serving ends (a signal) before or after the catch-up.
                let joined = tokio::select! {
                    started = node.start() => { started?; true }
                    served = &mut serving => { served?; false }
                };
                if joined && !args.cluster.follower_only {
                    let (leave, leaving) = tokio::sync::oneshot::channel();
                    let electing = Arc::clone(&node);
                    let election = tokio::spawn(async move {
                        if let Err(error) = crate::cluster::elect::run(electing, leaving).await {
                            tracing::error!(
                                "this node cannot take part in the writer election: {error}"
                            );
                        }
                    });
                    serving.await?;
                    let _ = leave.send(());
                    // A broker that does not answer must not keep the node
                    // from stopping.
                    if tokio::time::timeout(LEAVE_WAIT, election).await.is_err() {
                        tracing::warn!("stopped before the writer election did");
                    }
                } else if joined {
                    serving.await?
                }
            }
        }
        usage.loaded().await;
        if let Err(error) = usage.flush(&store) {
            tracing::warn!(?error, "could not write the usage figures at shutdown");
        }
        if let Err(error) = store.flush() {
            tracing::warn!(?error, "could not flush the store at shutdown");
        }
        tracing::info!("treaty stopped");
        Ok(())
    })
}

fn announce(address: SocketAddr, data_dir: &std::path::Path, loaded_in: std::time::Duration) {
    tracing::info!(%address, data_dir = %data_dir.display(), ?loaded_in, "treaty is serving");
    // On stdout for scripts and tests that start treaty on port 0.
    println!("treaty listening on {address}");
}

/// Serves `app` over HTTP, or HTTPS with `tls`, until SIGINT or SIGTERM.
async fn serve_http<S>(
    listener: tokio::net::TcpListener,
    tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
    app: S,
) -> Result<(), Box<dyn std::error::Error>>
where
    S: tower::Service<
            axum::extract::Request,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send,
{
    match tls {
        None => {
            axum::serve(listener, app.into_make_service())
                .with_graceful_shutdown(shutdown_signal())
                .await?
        }
        Some(config) => {
            let listener = crate::tls::TlsListener::new(listener, config)?;
            let app = app.into_make_service_with_connect_info::<crate::tls::Peer>();
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await?
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler installs");
    tokio::select! {
        _ = interrupt => {}
        _ = terminate.recv() => {}
    }
}
