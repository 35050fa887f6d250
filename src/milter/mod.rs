//! The milter daemon: screens mail inside Postfix or Sendmail (indymilter on tokio).
//!
//! The protocol runs on the async reactor; each scan runs on tokio's blocking thread pool with a
//! deadline, so a slow or hostile message never stalls other connections. One log line per
//! message goes to stderr (journald picks it up).
//!
//! This file only declares and re-exports. The files, each importing only from those before it
//! (none from this one, so `tests/layers.rs` sees every edge between them): `log`, `activity`,
//! `metrics`, `reload`, `shared`, `plan`, `session`, `apply`, `scan_job`, `end_of_message`,
//! `callbacks`, `listen`, `watchdog`, `daemon`.

pub mod activity;
mod apply;
mod callbacks;
mod daemon;
mod end_of_message;
pub mod listen;
pub mod log;
pub mod metrics;
pub mod plan;
mod reload;
mod scan_job;
mod session;
mod shared;
pub mod watchdog;

pub use callbacks::callbacks;
pub use daemon::{run, run_until, serve, serve_on};
pub use log::{LogSink, log_error, log_line, log_value};
pub use reload::Sources;
pub use scan_job::MAX_OVERDUE_SCANS;
pub use session::Session;
pub use shared::{Scanner, Shared};
