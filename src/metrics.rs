//! What `GET /metrics` exposes, in Prometheus's text format: HTTP requests
//! by route template (never the raw path, which carries subject names),
//! registrations and compatibility rejections by schema format, group
//! commit sizes, how long loading took, and, read when scraped, the
//! registry's size per context, RocksDB's size and write stalls, and in
//! cluster mode how far this node has read the schemas topic and whether
//! it writes it, and how many versions nobody used lately.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use prometheus::{
    Counter, Encoder as _, Gauge, Histogram, HistogramOpts, HistogramVec, IntCounter,
    IntCounterVec, IntGauge, IntGaugeVec, Opts, TextEncoder,
};

use crate::cluster::Node;
use crate::registry::Registry;
use crate::store::Store;
use crate::usage::Usage;

/// The values a request's `method` label may take: any method not listed
/// is `other`, so a client cannot grow the label set.
const METHOD_LABELS: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "other",
];

/// The route label of a request no route answers.
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Every collector, registered in one Prometheus registry.
pub struct Metrics {
    registry: prometheus::Registry,
    /// Whether answered requests are counted and timed.
    counts_requests: bool,
    requests: IntCounterVec,
    durations: HistogramVec,
    registrations: IntCounterVec,
    rejections: IntCounterVec,
    commit_batches: Histogram,
    load_seconds: Gauge,
    census: Census,
    store: OnceLock<(Arc<Store>, StoreGauges)>,
    cluster: OnceLock<(Arc<Node>, ClusterGauges)>,
    usage: OnceLock<(Arc<Usage>, UsageGauges)>,
}

/// Usage ([`Usage`]), read at each scrape.
struct UsageGauges {
    unused_versions: IntGauge,
    flushes: IntCounter,
}

/// One route's request collectors. Prometheus finds a labelled series by
/// hashing every label value under a lock, which twice a request cost more
/// than the rest of counting; here each series is found once, when the
/// route first answers with that method and status (so, as before, a series
/// appears only once it has counted something).
pub struct RouteMetrics {
    route: String,
    /// Whether answered requests are counted and timed.
    counts_requests: bool,
    requests: IntCounterVec,
    durations: HistogramVec,
    duration: OnceLock<Histogram>,
    /// By [`METHOD_LABELS`] index, then [`STATUS_LABELS`] index.
    counts: Box<[OnceLock<IntCounter>]>,
}

impl RouteMetrics {
    /// The route's template as metrics and logs name it.
    pub fn route(&self) -> &str {
        &self.route
    }

    /// One answered request.
    pub fn observe(&self, method: &str, status: u16, elapsed: Duration) {
        if !self.counts_requests {
            return;
        }
        let method = METHOD_LABELS
            .iter()
            .position(|known| *known == method)
            .unwrap_or(METHOD_LABELS.len() - 1);
        let status = status_index(status);
        self.counts[method * STATUS_LABELS.len() + status]
            .get_or_init(|| {
                self.requests.with_label_values(&[
                    &self.route,
                    METHOD_LABELS[method],
                    STATUS_LABELS[status],
                ])
            })
            .inc();
        self.duration
            .get_or_init(|| self.durations.with_label_values(&[&self.route]))
            .observe(elapsed.as_secs_f64());
    }
}

/// RocksDB's figures ([`Store::figures`]), read at each scrape.
struct StoreGauges {
    bytes: IntGaugeVec,
    writes_stopped: IntGauge,
    delayed_write_rate: IntGauge,
    stalled: Counter,
}

/// How far a cluster node has read the topic, read at each scrape.
struct ClusterGauges {
    applied_offset: IntGauge,
    lag: IntGauge,
    writer: IntGauge,
}

/// The registry's size per context, set from it at each scrape; the lock
/// keeps two scrapes from interleaving their resets.
struct Census {
    schemas: IntGaugeVec,
    subjects: IntGaugeVec,
    versions: IntGaugeVec,
    counting: Mutex<()>,
}

impl Metrics {
    /// `counts_requests`: whether to count and time every answered
    /// request, by route (`treaty serve --no-request-metrics` turns it off).
    pub fn new(counts_requests: bool) -> Self {
        let registry = prometheus::Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("treaty_http_requests_total", "HTTP requests answered."),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let durations = HistogramVec::new(
            HistogramOpts::new(
                "treaty_http_request_duration_seconds",
                "Time from receiving a request to its response, by route.",
            )
            .buckets(vec![
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                1.0, 2.5,
            ]),
            &["route"],
        )
        .expect("valid metric");
        let registrations = IntCounterVec::new(
            Opts::new(
                "treaty_schema_registrations_total",
                "Registrations answered with an id (new or already registered), by format.",
            ),
            &["format"],
        )
        .expect("valid metric");
        let rejections = IntCounterVec::new(
            Opts::new(
                "treaty_compatibility_rejections_total",
                "Registrations refused as incompatible, by format.",
            ),
            &["format"],
        )
        .expect("valid metric");
        let commit_batches = Histogram::with_opts(
            HistogramOpts::new(
                "treaty_commit_batch_writes",
                "Writes made durable together by one group commit.",
            )
            .buckets(vec![1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0]),
        )
        .expect("valid metric");
        let load_seconds = Gauge::new(
            "treaty_startup_load_seconds",
            "Time taken at startup to replay the store into the registry.",
        )
        .expect("valid metric");
        let census = Census {
            schemas: gauge("treaty_schemas", "Schema ids per context.", &["context"]),
            subjects: gauge(
                "treaty_subjects",
                "Subjects per context; `deleted` counts soft-deleted subjects.",
                &["context", "state"],
            ),
            versions: gauge(
                "treaty_versions",
                "Subject versions per context, live or soft-deleted.",
                &["context", "state"],
            ),
            counting: Mutex::new(()),
        };
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(durations.clone()),
            Box::new(registrations.clone()),
            Box::new(rejections.clone()),
            Box::new(commit_batches.clone()),
            Box::new(load_seconds.clone()),
            Box::new(census.schemas.clone()),
            Box::new(census.subjects.clone()),
            Box::new(census.versions.clone()),
        ] {
            registry.register(collector).expect("distinct metric names");
        }
        Self {
            registry,
            counts_requests,
            requests,
            durations,
            registrations,
            rejections,
            commit_batches,
            load_seconds,
            census,
            store: OnceLock::new(),
            cluster: OnceLock::new(),
            usage: OnceLock::new(),
        }
    }

    /// Reports `store`'s size and write stalls from now on.
    pub fn watch_store(&self, store: Arc<Store>) {
        let gauges = StoreGauges {
            bytes: gauge(
                "treaty_rocksdb_bytes",
                "RocksDB's size: `tables` on disk, `memtables` not yet in a table.",
                &["part"],
            ),
            writes_stopped: int_gauge(
                "treaty_rocksdb_writes_stopped",
                "1 while RocksDB stops writes until compaction catches up.",
            ),
            delayed_write_rate: int_gauge(
                "treaty_rocksdb_delayed_write_rate_bytes",
                "The rate RocksDB slows writes to, in bytes a second; 0 when not slowed.",
            ),
            stalled: Counter::new(
                "treaty_rocksdb_write_stall_seconds_total",
                "Time writes have spent slowed or stopped by RocksDB since the store was opened.",
            )
            .expect("valid metric"),
        };
        self.register(&gauges.bytes);
        self.register(&gauges.writes_stopped);
        self.register(&gauges.delayed_write_rate);
        self.register(&gauges.stalled);
        let _ = self.store.set((store, gauges));
    }

    /// Reports `node`'s progress on the schemas topic and its role from now on.
    pub fn watch_cluster(&self, node: Arc<Node>) {
        let gauges = ClusterGauges {
            applied_offset: int_gauge(
                "treaty_cluster_applied_offset",
                "Offset of the last schemas topic record applied; -1 before the first.",
            ),
            lag: int_gauge(
                "treaty_cluster_lag_records",
                "Records of the schemas topic beyond those this node has applied.",
            ),
            writer: int_gauge(
                "treaty_cluster_writer",
                "1 while this node writes the schemas topic, 0 while it follows.",
            ),
        };
        self.register(&gauges.applied_offset);
        self.register(&gauges.lag);
        self.register(&gauges.writer);
        let _ = self.cluster.set((node, gauges));
    }

    /// Reports `usage`'s unused versions and flushes from now on.
    pub fn watch_usage(&self, usage: Arc<Usage>) {
        let unused_after = humantime::format_duration(usage.settings().unused_after);
        let gauges = UsageGauges {
            unused_versions: int_gauge(
                "treaty_usage_unused_versions",
                &format!("Live versions neither they nor their id were used for {unused_after} (--usage-unused-after), or ever since usage was recorded."),
            ),
            flushes: IntCounter::new(
                "treaty_usage_flushes_total",
                "Times the usage figures were written to the data dir.",
            )
            .expect("valid metric"),
        };
        self.register(&gauges.unused_versions);
        self.register(&gauges.flushes);
        let _ = self.usage.set((usage, gauges));
    }

    fn register(&self, collector: &(impl prometheus::core::Collector + Clone + 'static)) {
        self.registry
            .register(Box::new(collector.clone()))
            .expect("distinct metric names");
    }

    /// The request collectors of `route` (a route's template, or
    /// [`UNMATCHED_ROUTE`]), resolved once for every request it answers.
    pub fn route(&self, route: &str) -> RouteMetrics {
        RouteMetrics {
            route: route.to_owned(),
            counts_requests: self.counts_requests,
            requests: self.requests.clone(),
            durations: self.durations.clone(),
            duration: OnceLock::new(),
            counts: (0..METHOD_LABELS.len() * STATUS_LABELS.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    pub fn registered(&self, format: &str) {
        self.registrations.with_label_values(&[format]).inc();
    }

    pub fn rejected_as_incompatible(&self, format: &str) {
        self.rejections.with_label_values(&[format]).inc();
    }

    /// One group commit of `writes` planned writes.
    pub fn committed(&self, writes: usize) {
        self.commit_batches.observe(writes as f64);
    }

    pub fn loaded_in(&self, elapsed: Duration) {
        self.load_seconds.set(elapsed.as_secs_f64());
    }

    /// The text exposition of every metric, the registry counted now.
    pub fn render(&self, registry: &Registry) -> String {
        let counting = self
            .census
            .counting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let census = &self.census;
        census.schemas.reset();
        census.subjects.reset();
        census.versions.reset();
        for (context, counts) in registry.census() {
            let context = context.as_str();
            census
                .schemas
                .with_label_values(&[context])
                .set(counts.schemas as i64);
            for (state, subjects, versions) in [
                ("live", counts.live_subjects, counts.live_versions),
                ("deleted", counts.deleted_subjects, counts.deleted_versions),
            ] {
                census
                    .subjects
                    .with_label_values(&[context, state])
                    .set(subjects as i64);
                census
                    .versions
                    .with_label_values(&[context, state])
                    .set(versions as i64);
            }
        }
        if let Some((store, gauges)) = self.store.get() {
            let figures = store.figures();
            let bytes = [
                ("tables", figures.table_bytes),
                ("memtables", figures.memtable_bytes),
            ];
            for (part, size) in bytes {
                gauges.bytes.with_label_values(&[part]).set(size as i64);
            }
            gauges.writes_stopped.set(i64::from(figures.writes_stopped));
            gauges
                .delayed_write_rate
                .set(figures.delayed_write_rate as i64);
            // RocksDB counts; a Prometheus counter only moves forward by
            // what was added since the last scrape.
            let stalled = figures.stalled.as_secs_f64();
            gauges
                .stalled
                .inc_by((stalled - gauges.stalled.get()).max(0.0));
        }
        if let Some((node, gauges)) = self.cluster.get() {
            gauges
                .applied_offset
                .set(node.applied_offset().unwrap_or(-1));
            gauges.lag.set(node.lag());
            gauges.writer.set(i64::from(node.is_writer()));
        }
        if let Some((usage, gauges)) = self.usage.get() {
            let unused = usage.count_unused(registry, usage.settings().unused_after);
            gauges.unused_versions.set(unused as i64);
            gauges
                .flushes
                .inc_by(usage.flushes().saturating_sub(gauges.flushes.get()));
        }
        let families = self.registry.gather();
        drop(counting);
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&families, &mut text)
            .expect("the text encoder writes to memory");
        String::from_utf8(text).expect("the exposition is UTF-8")
    }
}

fn gauge(name: &str, help: &str, labels: &[&str]) -> IntGaugeVec {
    IntGaugeVec::new(Opts::new(name, help), labels).expect("valid metric")
}

fn int_gauge(name: &str, help: &str) -> IntGauge {
    IntGauge::new(name, help).expect("valid metric")
}

/// The values a request's `status` label may take: the codes the API
/// answers, else the code's class.
const STATUS_LABELS: [&str; 21] = [
    "200", "201", "204", "400", "401", "403", "404", "405", "406", "409", "413", "415", "422",
    "429", "500", "503", "1xx", "2xx", "3xx", "4xx", "5xx",
];

/// `status`'s index in [`STATUS_LABELS`].
fn status_index(status: u16) -> usize {
    match status {
        200 => 0,
        201 => 1,
        204 => 2,
        400 => 3,
        401 => 4,
        403 => 5,
        404 => 6,
        405 => 7,
        406 => 8,
        409 => 9,
        413 => 10,
        415 => 11,
        422 => 12,
        429 => 13,
        500 => 14,
        503 => 15,
        _ => match status / 100 {
            1 => 16,
            2 => 17,
            3 => 18,
            4 => 19,
            _ => 20,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{status_index, STATUS_LABELS};

    #[test]
    fn a_listed_status_is_its_own_label_and_any_other_its_class() {
        for label in &STATUS_LABELS[..16] {
            let status: u16 = label.parse().expect("a code");
            assert_eq!(STATUS_LABELS[status_index(status)], *label);
        }
        for (status, class) in [
            (101, "1xx"),
            (202, "2xx"),
            (304, "3xx"),
            (418, "4xx"),
            (502, "5xx"),
        ] {
            assert_eq!(STATUS_LABELS[status_index(status)], class);
        }
    }
}
