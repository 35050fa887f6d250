//! A message's scan as a job on tokio's blocking thread pool, with a deadline, so a slow or
//! hostile message never stalls other connections. A scan cannot be cancelled: one past its
//! deadline is counted until it ends; while `MAX_OVERDUE_SCANS` of them run, messages are not
//! scanned (`end_of_message`), and if that lasts `milter.stuck_restart_ms` the daemon stops so
//! that the service manager restarts it (`stuck_scans`).

use super::activity::{Activity, Reservation};
use super::log::{Log, log_error};
use super::plan::{self, Plan, Received};
use super::shared::Shared;
use crate::message::{Envelope, Message};
use crate::{Engine, Lang, Report};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Scans past their deadline that may still hold threads; past this, messages are not scanned
/// (the failure action applies) until some finish, so hostile mail cannot pile up threads.
pub const MAX_OVERDUE_SCANS: usize = 8;

/// A scan job's state, shared by the job and the task waiting for it.
const RUNNING: u8 = 0;
const FINISHED: u8 = 1;
const ABANDONED: u8 = 2;

/// Marks a scan job finished when dropped (a panicking scan too); a job its waiter gave up on
/// leaves the overdue count.
struct JobDone {
    state: Arc<AtomicU8>,
    overdue: Arc<AtomicUsize>,
}

impl Drop for JobDone {
    fn drop(&mut self) {
        if self
            .state
            .compare_exchange(RUNNING, FINISHED, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            self.overdue.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// Why a scan gave no report: the reason for the metrics and the log, and the error.
pub(super) type Failed = (&'static str, String);

/// Scans `received` with `engine` and plans what to do with it, within twice
/// `limits.scan_time_ms`. The job holds `reservation` (the message's bytes) until it ends,
/// past the deadline too.
pub(super) async fn scan(
    shared: &Shared,
    engine: &Arc<Engine>,
    lang: Lang,
    received: &Arc<Received>,
    envelope: &Envelope,
    reservation: Reservation,
    queue_id: &str,
) -> Result<(Plan, Report), Failed> {
    let deadline = Duration::from_millis(engine.config().limits.scan_time_ms.saturating_mul(2));
    let (r, e, env) = (Arc::clone(received), Arc::clone(engine), envelope.clone());
    let (scanner, log) = (Arc::clone(&shared.scanner), shared.log.clone());
    let qid = queue_id.to_string();
    let state = Arc::new(AtomicU8::new(RUNNING));
    let done = JobDone {
        state: Arc::clone(&state),
        overdue: Arc::clone(&shared.activity.overdue),
    };
    let job = tokio::task::spawn_blocking(move || {
        let _done = done;
        let _reservation = reservation;
        let raw = r.raw();
        let scanned = scanner(&e, &raw, env.clone());
        drop(raw);
        scanned.map(|(report, msg)| {
            let plan = plan::for_report(&r, &report, e.config(), lang);
            // The parsed message is kept for a held message's notice only, until it is written.
            if crate::explain::notice::wanted(&e, &report) {
                write_notice(Arc::clone(&e), msg, report.clone(), lang, env, qid, log);
            }
            (plan, report)
        })
    });
    match tokio::time::timeout(deadline, job).await {
        Ok(Ok(Ok(scanned))) => Ok(scanned),
        Ok(Ok(Err(e))) => Err(("scan_failed", e.to_string())),
        Ok(Err(join)) => Err(("scan_failed", format!("internal error: {join}"))),
        Err(_) => {
            // The job runs on; count it until it ends (`JobDone`). Counted before it is
            // marked, so the job's own decrement can never come first.
            let overdue = &shared.activity.overdue;
            overdue.fetch_add(1, Ordering::AcqRel);
            if state
                .compare_exchange(RUNNING, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
            {
                // It ended just now.
                overdue.fetch_sub(1, Ordering::AcqRel);
            }
            Err((
                "scan_timeout",
                format!("scan did not finish within {} ms", deadline.as_millis()),
            ))
        }
    }
}

/// Held mail may get a notice (`[notice]`), written on a task of its own so it never delays
/// the answer to the MTA; failing to write one is only logged.
fn write_notice(
    engine: Arc<Engine>,
    msg: Message,
    report: Report,
    lang: Lang,
    envelope: Envelope,
    qid: String,
    log: Log,
) {
    tokio::task::spawn_blocking(move || {
        let written = crate::explain::notice::write_for_held(
            &engine,
            &msg,
            &report,
            lang,
            &envelope.rcpt_to,
            &qid,
        );
        if let Err(err) = written {
            let error = log_error(&err.to_string());
            log.message(
                &format!("qid={qid} error=\"{error}\""),
                serde_json::json!({ "qid": qid, "error": error }),
            );
        }
    });
}

/// Completes once `MAX_OVERDUE_SCANS` scans have all been past their deadline for `patience`
/// (never if it is zero), with what to log.
pub(super) async fn stuck_scans(activity: Arc<Activity>, patience: Duration) -> String {
    if patience.is_zero() {
        std::future::pending::<()>().await;
    }
    let tick = (patience / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    let mut since: Option<Instant> = None;
    loop {
        tokio::time::sleep(tick).await;
        let overdue = activity.overdue.load(Ordering::Acquire);
        if overdue < MAX_OVERDUE_SCANS {
            since = None;
            continue;
        }
        let start = *since.get_or_insert_with(Instant::now);
        if start.elapsed() >= patience {
            return format!(
                "{overdue} scans have run past their deadline for {} ms and cannot be stopped: \
                 exiting so that the service manager restarts the daemon",
                patience.as_millis()
            );
        }
    }
}
