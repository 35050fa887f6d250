//! The state every connection shares: the engine in use, the scanning step, the log, what is in
//! progress and the metrics.

use super::activity::Activity;
use super::log::{Log, LogSink};
use super::metrics::Metrics;
use super::reload::{Loaded, Sources};
use crate::message::{Envelope, Message};
use crate::{Engine, Lang, Report, ScanError};
use std::sync::Arc;

/// The scanning step: the engine's scan by default, handing back the parsed message beside the
/// report (a held message's notice is explained from it). Tests put in one that panics, hangs or
/// fails (`Shared::with_scanner`); nothing in a message or the configuration can choose it.
pub type Scanner =
    Arc<dyn Fn(&Engine, &[u8], Envelope) -> Result<(Report, Message), ScanError> + Send + Sync>;

/// State shared by every connection.
pub struct Shared {
    /// The engine and language, swapped on reload.
    pub(super) loaded: Loaded,
    pub(super) scanner: Scanner,
    pub(super) log: Log,
    pub(super) activity: Arc<Activity>,
    /// Counters for `/metrics` (kept whether or not they are served).
    pub(super) metrics: Arc<Metrics>,
}

impl Shared {
    pub fn new(engine: Engine, sources: Sources) -> Shared {
        Shared::with_engine(Arc::new(engine), sources)
    }

    /// The same with an engine shared with others (the fuzz target builds one for all runs).
    pub fn with_engine(engine: Arc<Engine>, sources: Sources) -> Shared {
        let budget = engine.config().milter.max_body_bytes_in_flight;
        Shared {
            loaded: Loaded::new(engine, sources),
            scanner: Arc::new(|engine: &Engine, raw: &[u8], envelope: Envelope| {
                engine.scan_keeping_message(raw, Some(envelope))
            }),
            log: Log::default(),
            activity: Arc::new(Activity::new(budget)),
            metrics: Arc::new(Metrics::new()),
        }
    }

    /// The same state with another scanning step (for tests: a scan that panics or hangs).
    pub fn with_scanner(mut self, scanner: Scanner) -> Shared {
        self.scanner = scanner;
        self
    }

    /// The same state with log lines going to `log` instead of stderr.
    pub fn with_log(mut self, log: LogSink) -> Shared {
        self.log.set_sink(log);
        self
    }

    /// The same state writing its log lines as JSON objects (`--log-format json`).
    pub fn with_json_log(mut self, json: bool) -> Shared {
        self.log.set_json(json);
        self
    }

    pub(super) fn engine(&self) -> Arc<Engine> {
        self.loaded.engine()
    }

    pub(super) fn lang(&self) -> Lang {
        self.loaded.lang()
    }

    /// Loads configuration and signatures again; on any error the running ones stay.
    pub fn reload(&self) -> Result<(), String> {
        self.loaded.reload()
    }
}
