//! Prometheus metrics of the milter, and `/metrics` and `/healthz` on `milter.metrics_listen`
//! (off unless configured).
//!
//! Counters are kept always (a few atomics per message); the HTTP endpoint exists only when the
//! administrator asks for it. Exposition is OpenMetrics text from `prometheus-client`.

use super::activity::Activity;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

type Labels = Vec<(&'static str, String)>;

/// Every metric the milter exports.
pub struct Metrics {
    registry: Registry,
    messages: Family<Labels, Counter>,
    findings: Family<Labels, Counter>,
    unscanned: Family<Labels, Counter>,
    scan_seconds: Histogram,
    connections_closed: Family<Labels, Counter>,
    pub(super) connections_refused: Counter,
    pub(super) connections_open: Gauge,
    transactions_in_flight: Gauge,
    scans_past_deadline: Gauge,
    body_bytes_in_flight: Gauge,
    config_generation: Gauge,
    config_reload_time: Gauge<f64, AtomicU64>,
    config_reload_failed: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("lurescreen_milter");
        let m = Metrics {
            registry: Registry::default(),
            messages: Family::default(),
            findings: Family::default(),
            unscanned: Family::default(),
            scan_seconds: Histogram::new(exponential_buckets(0.001, 2.0, 16)),
            connections_closed: Family::default(),
            connections_refused: Counter::default(),
            connections_open: Gauge::default(),
            transactions_in_flight: Gauge::default(),
            scans_past_deadline: Gauge::default(),
            body_bytes_in_flight: Gauge::default(),
            config_generation: Gauge::default(),
            config_reload_time: Gauge::default(),
            config_reload_failed: Gauge::default(),
        };
        registry.register(
            "messages",
            "Messages answered at end of message, by verdict (unscanned: not scanned) and action taken",
            m.messages.clone(),
        );
        registry.register(
            "findings",
            "Findings in scanned messages, by rule id",
            m.findings.clone(),
        );
        registry.register(
            "unscanned",
            "Messages given the failure or oversize action without a verdict, by reason",
            m.unscanned.clone(),
        );
        registry.register(
            "scan_duration_seconds",
            "Time from end of message to the answer (scan and actions)",
            m.scan_seconds.clone(),
        );
        registry.register(
            "connections_closed",
            "MTA connections closed by a time limit or to make room for a new one, by reason",
            m.connections_closed.clone(),
        );
        registry.register(
            "connections_refused",
            "MTA connections closed unserved because every slot was busy",
            m.connections_refused.clone(),
        );
        registry.register(
            "connections_open",
            "MTA connections open",
            m.connections_open.clone(),
        );
        registry.register(
            "transactions_in_flight",
            "Messages between MAIL FROM and end of message",
            m.transactions_in_flight.clone(),
        );
        registry.register(
            "scans_past_deadline",
            "Scans still running past their deadline",
            m.scans_past_deadline.clone(),
        );
        registry.register(
            "body_bytes_in_flight",
            "Header and body bytes kept for messages in progress",
            m.body_bytes_in_flight.clone(),
        );
        registry.register(
            "config_generation",
            "Configurations loaded: 1 at start, +1 per successful reload",
            m.config_generation.clone(),
        );
        registry.register(
            "config_last_reload_timestamp_seconds",
            "When the configuration was last loaded or a reload was tried (Unix time)",
            m.config_reload_time.clone(),
        );
        registry.register(
            "config_last_reload_failed",
            "1 if the last reload failed (the running configuration stayed), else 0",
            m.config_reload_failed.clone(),
        );
        let mut m = m;
        m.registry = registry;
        m.config_generation.set(1);
        m.config_reload_time.set(unix_now());
        m
    }

    /// One message answered: its verdict (None: not scanned, with why), the action, its rules
    /// and how long the answer took.
    pub(super) fn message(
        &self,
        verdict: Option<crate::Verdict>,
        unscanned: Option<&'static str>,
        action: &'static str,
        rules: &[&str],
        seconds: f64,
    ) {
        let verdict = verdict.map_or("unscanned".to_string(), |v| v.to_string());
        self.messages
            .get_or_create(&vec![("verdict", verdict), ("action", action.to_string())])
            .inc();
        for rule in rules {
            self.findings
                .get_or_create(&vec![("rule", rule.to_string())])
                .inc();
        }
        if let Some(reason) = unscanned {
            self.unscanned
                .get_or_create(&vec![("reason", reason.to_string())])
                .inc();
        }
        self.scan_seconds.observe(seconds);
    }

    pub(super) fn closed(&self, reason: &'static str) {
        self.connections_closed
            .get_or_create(&vec![("reason", reason.to_string())])
            .inc();
    }

    pub(super) fn reloaded(&self, ok: bool) {
        if ok {
            self.config_generation.inc();
        }
        self.config_reload_failed.set(i64::from(!ok));
        self.config_reload_time.set(unix_now());
    }

    /// The exposition, with the gauges read from the daemon's state first.
    pub fn render(&self, activity: &Activity) -> String {
        let as_i64 = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        self.transactions_in_flight
            .set(as_i64(activity.in_flight.load(Ordering::SeqCst)));
        self.scans_past_deadline
            .set(as_i64(activity.overdue.load(Ordering::Acquire)));
        self.body_bytes_in_flight
            .set(as_i64(activity.budget.used()));
        let mut out = String::new();
        if let Err(e) = encode(&mut out, &self.registry) {
            out = format!("# cannot encode the metrics: {e}\n");
        }
        out
    }
}

/// The OpenMetrics exposition in the Prometheus text format (0.0.4), for scrapers and tools
/// that do not ask for OpenMetrics (`curl`, `promtool check metrics`): a counter family is
/// named with its `_total` suffix in `# HELP` and `# TYPE`, and `# UNIT` and `# EOF` go.
pub fn to_prometheus_text(openmetrics: &str) -> String {
    let mut out = String::with_capacity(openmetrics.len());
    let mut help: Option<&str> = None;
    for line in openmetrics.lines() {
        if line.starts_with("# HELP ") {
            help = Some(line);
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap_or((rest, "untyped"));
            let suffix = if kind == "counter" && !name.ends_with("_total") {
                "_total"
            } else {
                ""
            };
            if let Some(h) = help.take() {
                let text = h
                    .strip_prefix("# HELP ")
                    .and_then(|r| r.split_once(' '))
                    .map_or("", |(_, t)| t);
                out.push_str(&format!("# HELP {name}{suffix} {text}\n"));
            }
            out.push_str(&format!("# TYPE {name}{suffix} {kind}\n"));
            continue;
        }
        if line.starts_with("# UNIT ") || line == "# EOF" {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Serves `/metrics` and `/healthz` on `addr` until the runtime ends.
pub async fn serve(
    addr: std::net::SocketAddr,
    metrics: Arc<Metrics>,
    activity: Arc<Activity>,
) -> Result<(), String> {
    use axum::http::{StatusCode, header};
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot serve metrics on {addr}: {e}"))?;
    let metrics_state = Arc::clone(&activity);
    let health_state = activity;
    let app = axum::Router::new()
        .route(
            "/metrics",
            get(move |headers: axum::http::HeaderMap| {
                let (metrics, activity) = (Arc::clone(&metrics), Arc::clone(&metrics_state));
                async move {
                    // OpenMetrics for a scraper that asks for it (Prometheus does), else the
                    // classic text format.
                    let openmetrics = headers
                        .get(header::ACCEPT)
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|v| v.contains("application/openmetrics-text"));
                    let text = metrics.render(&activity);
                    if openmetrics {
                        (
                            [(
                                header::CONTENT_TYPE,
                                "application/openmetrics-text; version=1.0.0; charset=utf-8",
                            )],
                            text,
                        )
                    } else {
                        (
                            [(
                                header::CONTENT_TYPE,
                                "text/plain; version=0.0.4; charset=utf-8",
                            )],
                            to_prometheus_text(&text),
                        )
                    }
                }
            }),
        )
        .route(
            "/healthz",
            get(move || {
                let activity = Arc::clone(&health_state);
                async move {
                    if activity.draining.load(Ordering::SeqCst) {
                        (StatusCode::SERVICE_UNAVAILABLE, "draining\n")
                    } else {
                        (StatusCode::OK, "ok\n")
                    }
                }
            }),
        );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_move_and_render() {
        let m = Metrics::new();
        m.message(
            Some(crate::Verdict::Quarantine),
            None,
            "hold",
            &["ATTACH_DOUBLE_EXTENSION"],
            0.01,
        );
        m.message(None, Some("too_large"), "accept", &[], 0.001);
        let mut out = String::new();
        encode(&mut out, &m.registry).unwrap();
        assert!(
            out.contains(
                "lurescreen_milter_messages_total{verdict=\"quarantine\",action=\"hold\"} 1"
            ),
            "{out}"
        );
        assert!(
            out.contains("lurescreen_milter_findings_total{rule=\"ATTACH_DOUBLE_EXTENSION\"} 1"),
            "{out}"
        );
        assert!(
            out.contains("lurescreen_milter_unscanned_total{reason=\"too_large\"} 1"),
            "{out}"
        );
        assert!(
            out.contains("lurescreen_milter_scan_duration_seconds_count 2"),
            "{out}"
        );
        assert!(out.ends_with("# EOF\n"));
        let text = to_prometheus_text(&out);
        assert!(
            text.contains("# TYPE lurescreen_milter_messages_total counter\n"),
            "{text}"
        );
        assert!(text.contains("# HELP lurescreen_milter_messages_total Messages answered"));
        assert!(text.contains("# TYPE lurescreen_milter_connections_open gauge\n"));
        assert!(!text.contains("# EOF") && !text.contains("# UNIT"));
        assert_eq!(
            text.lines().filter(|l| !l.starts_with('#')).count(),
            out.lines().filter(|l| !l.starts_with('#')).count()
        );
    }
}
