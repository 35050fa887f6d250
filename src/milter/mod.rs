//! The milter daemon: screens mail inside Postfix or Sendmail (indymilter on tokio).
//!
//! The protocol runs on the async reactor; each scan runs on tokio's blocking thread pool with a
//! deadline, so a slow or hostile message never stalls other connections. One log line per
//! message goes to stderr (journald picks it up).

pub mod activity;
mod apply;
pub mod listen;
pub mod log;
pub mod metrics;
pub mod plan;
mod reload;
mod scan_job;
mod session;
mod shared;
pub mod watchdog;

use crate::config::Config;
use apply::apply;
use indymilter::{
    Actions, Callbacks, Context, EomContext, ProtoOpts, SetErrorReply, SocketInfo, Status,
};
use log::MessageLine;
pub use log::{LogSink, log_error, log_line, log_value};
use plan::{Decision, Plan, Received, Unscanned};
pub use reload::Sources;
pub use scan_job::MAX_OVERDUE_SCANS;
use scan_job::stuck_scans;
pub use session::Session;
use session::{SHUTTING_DOWN, macro_value, text};
pub use shared::{Scanner, Shared};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Stages whose callbacks always continue, so the MTA need not wait for their answer. MAIL FROM
/// is among them: while shutting down, a transaction is deferred at end of message instead
/// (an MTA that does not offer to skip the MAIL FROM answer gets the 421 there).
const NOREPLY: ProtoOpts = ProtoOpts::NOREPLY_CONNECT
    .union(ProtoOpts::NOREPLY_HELO)
    .union(ProtoOpts::NOREPLY_MAIL)
    .union(ProtoOpts::NOREPLY_RCPT)
    .union(ProtoOpts::NOREPLY_DATA)
    .union(ProtoOpts::NOREPLY_HEADER)
    .union(ProtoOpts::NOREPLY_EOH)
    .union(ProtoOpts::NOREPLY_BODY)
    .union(ProtoOpts::NOREPLY_UNKNOWN);

/// The milter callbacks, all sharing `shared`.
pub fn callbacks(shared: Arc<Shared>) -> Callbacks<Session> {
    let (s1, s2, s3, s4, s5, s6) = (
        Arc::clone(&shared),
        Arc::clone(&shared),
        Arc::clone(&shared),
        Arc::clone(&shared),
        Arc::clone(&shared),
        Arc::clone(&shared),
    );
    Callbacks::new()
        .on_connect(|cx, _hostname, socket| {
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(Session::default);
                session.client_addr = match socket {
                    SocketInfo::Inet(addr) => Some(addr.ip().to_string()),
                    _ => None,
                };
                session.go_on(ProtoOpts::NOREPLY_CONNECT)
            })
        })
        .on_helo(|cx, helo| {
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(Session::default);
                session.helo = Some(text(&helo));
                session.go_on(ProtoOpts::NOREPLY_HELO)
            })
        })
        .on_mail(move |cx: &mut Context<Session>, args| {
            let shared = Arc::clone(&s1);
            Box::pin(async move {
                let auth = macro_value(&cx.macros, "{auth_authen}");
                let mail_from = args.first().map(|a| text(a));
                let session = cx.data.get_or_insert_with(Session::default);
                let draining = shared.activity.draining.load(Ordering::SeqCst);
                if draining && !session.noreply.contains(ProtoOpts::NOREPLY_MAIL) {
                    let from =
                        log_value(mail_from.as_deref().unwrap_or("").trim_matches(['<', '>']));
                    shared.log.message(
                        &format!("qid=- not scanned: shutting down action=tempfail from=<{from}>"),
                        serde_json::json!({
                            "qid": "-",
                            "unscanned": "shutting_down",
                            "action": "tempfail",
                            "from": from,
                        }),
                    );
                    let _ = cx
                        .reply
                        .set_error_reply("421", Some("4.3.2"), [SHUTTING_DOWN]);
                    return Status::Tempfail;
                }
                session.end_transaction(&shared.activity);
                session.start_message();
                // Counted even when deferred, so the daemon stays to give its end of message
                // the 421 (within the shutdown grace).
                session.in_transaction = true;
                session.deferred = draining;
                shared.activity.in_flight.fetch_add(1, Ordering::SeqCst);
                session.envelope.mail_from = mail_from;
                session.envelope.auth_user = auth;
                session.go_on(ProtoOpts::NOREPLY_MAIL)
            })
        })
        .on_rcpt(|cx, args| {
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(Session::default);
                if let Some(rcpt) = args.first()
                    && session.envelope.rcpt_to.len() < 10_000
                {
                    session.envelope.rcpt_to.push(text(rcpt));
                }
                session.go_on(ProtoOpts::NOREPLY_RCPT)
            })
        })
        .on_header(move |cx, name, value| {
            let shared = Arc::clone(&s2);
            Box::pin(async move {
                let limit = shared.engine().config().limits.max_message_bytes;
                let session = cx.data.get_or_insert_with(Session::default);
                let size = name.to_bytes().len() + value.to_bytes().len() + 4;
                let kept = session.header_bytes < limit
                    && session.received.headers.len() < 100_000
                    && !session.over_budget
                    && session.reservation.grow(&shared.activity.budget, size);
                if kept {
                    session.header_bytes += size;
                    session.received.headers.push((text(&name), text(&value)));
                } else {
                    // Counted, so that the message is known to be incomplete and never scanned
                    // or passed as if it were whole.
                    let r = &mut session.received;
                    if session.header_bytes < limit && r.headers.len() < 100_000 {
                        session.over_budget = true;
                    }
                    r.drop_field(&text(&name), size);
                }
                session.go_on(ProtoOpts::NOREPLY_HEADER)
            })
        })
        .on_body(move |cx, chunk| {
            let shared = Arc::clone(&s3);
            Box::pin(async move {
                let limit = shared.engine().config().limits.max_message_bytes;
                let session = cx.data.get_or_insert_with(Session::default);
                let header_bytes = session.header_bytes;
                let r = &mut session.received;
                r.body_size = r.body_size.saturating_add(chunk.len());
                let room = limit.saturating_sub(header_bytes + r.body.len());
                let keep = chunk.len().min(room);
                if keep > 0 && !session.over_budget {
                    if session.reservation.grow(&shared.activity.budget, keep) {
                        r.body.extend_from_slice(&chunk[..keep]);
                    } else {
                        session.over_budget = true;
                    }
                }
                session.go_on(ProtoOpts::NOREPLY_BODY)
            })
        })
        .on_eom(move |cx| {
            let shared = Arc::clone(&s4);
            Box::pin(async move { end_of_message(&shared, cx).await })
        })
        .on_abort(move |cx| {
            let shared = Arc::clone(&s5);
            Box::pin(async move {
                if let Some(session) = cx.data.as_mut() {
                    session.end_transaction(&shared.activity);
                    session.start_message();
                }
                Status::Continue
            })
        })
        .on_close(move |cx| {
            let shared = Arc::clone(&s6);
            Box::pin(async move {
                if let Some(session) = cx.data.as_mut() {
                    session.end_transaction(&shared.activity);
                }
                Status::Continue
            })
        })
        .on_negotiate(|cx, mta_actions, mta_opts| {
            Box::pin(async move {
                // Assign, do not add to, what the MTA offers (CRATES.md). Only what it offers:
                // an MTA that does not allow one of them is still served, and a message that
                // needs the missing action gets 451 at end of message (`apply`).
                cx.requested_actions = (Actions::ADD_HEADER
                    | Actions::CHANGE_HEADER
                    | Actions::REPLACE_BODY
                    | Actions::QUARANTINE)
                    & mta_actions;
                // Every stage but end of message needs no answer: the MTA does not wait for one,
                // which saves a round trip per stage, header line and body chunk.
                cx.requested_opts |= mta_opts & NOREPLY;
                cx.data.get_or_insert_with(Session::default).noreply = cx.requested_opts & NOREPLY;
                Status::Continue
            })
        })
}

async fn end_of_message(shared: &Arc<Shared>, cx: &mut EomContext<Session>) -> Status {
    let started = Instant::now();
    // Escaped once here: the queue id goes into every log line about the message.
    let queue_id = log_value(&macro_value(&cx.macros, "i").unwrap_or_else(|| "-".into()));
    let Some(session) = cx.data.as_mut() else {
        return Status::Accept;
    };
    if session.deferred {
        session.end_transaction(&shared.activity);
        session.start_message();
        shared.log.message(
            &format!("qid={queue_id} not scanned: shutting down action=tempfail"),
            serde_json::json!({
                "qid": queue_id,
                "unscanned": "shutting_down",
                "action": "tempfail",
            }),
        );
        shared.metrics.message(
            None,
            Some("shutting_down"),
            "tempfail",
            &[],
            started.elapsed().as_secs_f64(),
        );
        let _ = cx
            .reply
            .set_error_reply("421", Some("4.3.2"), [SHUTTING_DOWN]);
        return Status::Tempfail;
    }
    let received = std::mem::take(&mut session.received);
    let envelope = std::mem::take(&mut session.envelope);
    // Held until the scan is over (the bytes stay in memory that long).
    let reservation = std::mem::take(&mut session.reservation);
    let over_budget = std::mem::take(&mut session.over_budget);
    session.end_transaction(&shared.activity);
    let engine = shared.engine();
    let lang = shared.lang();
    let config = engine.config();
    let size = received.header_size().saturating_add(received.body_size);

    let overdue = shared.activity.overdue.load(Ordering::Acquire);
    // For the metrics: the verdict, or why there is none; the rules found.
    let mut verdict = None;
    let mut unscanned: Option<&'static str> = None;
    let mut found: Vec<String> = Vec::new();
    let mut score = 0.0;
    let (plan, summary) = if over_budget {
        unscanned = Some("over_budget");
        let error = format!(
            "not scanned: messages in progress hold milter.max_body_bytes_in_flight ({} bytes)",
            shared.activity.budget.limit()
        );
        let (plan, _) = fail(&received, config, error.clone());
        (plan, error)
    } else if !received.complete() || size > config.limits.max_message_bytes {
        unscanned = Some("too_large");
        let why = Unscanned::TooLarge(size);
        (
            plan::for_unscanned(&received, &why, config),
            "not scanned: too large".to_string(),
        )
    } else if overdue >= MAX_OVERDUE_SCANS {
        unscanned = Some("scans_past_deadline");
        fail(
            &received,
            config,
            format!("not scanned: {overdue} earlier scans are still running past their deadline"),
        )
    } else {
        let received = Arc::new(received);
        let scanned = scan_job::scan(
            shared,
            &engine,
            lang,
            &received,
            &envelope,
            reservation,
            &queue_id,
        )
        .await;
        match scanned {
            Ok((plan, report)) => {
                let rules: Vec<&str> = report.rule_scores().into_iter().map(|(r, _)| r).collect();
                verdict = Some(report.verdict);
                score = (report.score * 10.0).round() / 10.0;
                found = rules.iter().map(|r| r.to_string()).collect();
                let summary = format!(
                    "verdict={} score={:.1} rules={}",
                    report.verdict,
                    report.score,
                    if rules.is_empty() {
                        "-".to_string()
                    } else {
                        rules.join(",")
                    }
                );
                (plan, summary)
            }
            Err((reason, error)) => {
                unscanned = Some(reason);
                fail(&received, config, error)
            }
        }
    };
    let status = apply(&shared.log, &plan, cx, &queue_id).await;
    let action = match (&plan.decision, &plan.quarantine, status) {
        (_, _, Status::Tempfail) => "tempfail",
        (Decision::Reject(_), _, _) => "reject",
        (_, Some(_), _) => "hold",
        _ => "accept",
    };
    MessageLine {
        queue_id: &queue_id,
        summary: &summary,
        scanned: verdict.map(|v| (v, score, found.as_slice())),
        unscanned,
        action,
        client: envelope.client_addr.as_deref(),
        mail_from: envelope.mail_from.as_deref(),
        rcpts: envelope.rcpt_to.len(),
        size,
        ms: started.elapsed().as_millis(),
    }
    .write(&shared.log);
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    shared.metrics.message(
        verdict,
        unscanned,
        action,
        &found,
        started.elapsed().as_secs_f64(),
    );
    status
}

fn fail(received: &Received, config: &Config, error: String) -> (Plan, String) {
    let plan = plan::for_unscanned(received, &Unscanned::Failed(error.clone()), config);
    (plan, format!("error=\"{}\"", log_error(&error)))
}

/// Runs the daemon until SIGTERM or SIGINT; SIGHUP reloads configuration and signatures.
pub fn run(listen: &str, shared: Arc<Shared>) -> Result<(), String> {
    let reloader = Arc::clone(&shared);
    run_until(listen, shared, async move {
        tokio::spawn(async move {
            let Ok(mut hup) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
            else {
                return;
            };
            while hup.recv().await.is_some() {
                reloader.loaded.on_hangup(&reloader.log, &reloader.metrics);
            }
        });
        wait_for_stop().await
    })
}

/// Runs the daemon on `listen` until `stop` completes (or scans are stuck for good, see
/// `milter.stuck_restart_ms`), on a runtime of its own.
pub fn run_until(
    listen: &str,
    shared: Arc<Shared>,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let config = shared.engine().config().clone();
    // One reactor thread runs the protocol of every connection (microseconds per message);
    // scans go to the blocking pool. A multi-threaded reactor costs more in thread wake-ups
    // (futex, eventfd) per message than the protocol work it would spread.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("lurescreen-milter")
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let result = runtime.block_on(async move {
        let listener = listen::bind(listen, &config.milter.socket_mode).await?;
        shared.log.event(&format!("listening on {listen}"));
        if let Some(note) = shared.engine().signatures().builtin_rules_note() {
            shared.log.event(&note);
        }
        serve(listener, shared, stop).await
    });
    // Dropping the runtime would wait for every scan thread, also one that never ends.
    runtime.shutdown_timeout(Duration::from_millis(100));
    result
}

/// Serves milter connections on `listener` until `stop` completes, then drains: new
/// transactions get a 421 (at end of message, or at MAIL FROM if the MTA wants an answer there)
/// while those in progress finish (up to `milter.shutdown_grace_ms`). It also stops, the same
/// way, when scans are stuck for good (`milter.stuck_restart_ms`), and then returns an error.
/// Runs on the caller's tokio runtime; `run` adds the signals around it.
pub async fn serve(
    listener: listen::Bound,
    shared: Arc<Shared>,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let config = shared.engine().config().clone();
    if let Some(addr) = crate::config::milter::validate_listen(&config.milter.metrics_listen)? {
        metrics::serve(
            addr,
            Arc::clone(&shared.metrics),
            Arc::clone(&shared.activity),
        )
        .await?;
        shared
            .log
            .event(&format!("metrics on http://{addr}/metrics"));
    }
    let grace = Duration::from_millis(config.milter.shutdown_grace_ms);
    let drainer = Arc::clone(&shared);
    let patience = Duration::from_millis(config.milter.stuck_restart_ms);
    let stuck = Arc::new(std::sync::Mutex::new(None::<String>));
    let stuck_set = Arc::clone(&stuck);
    let shutdown = async move {
        tokio::select! {
            () = stop => {}
            why = stuck_scans(Arc::clone(&drainer.activity), patience) => {
                drainer.log.event(&why);
                if let Ok(mut s) = stuck_set.lock() {
                    *s = Some(why);
                }
            }
        }
        drainer.activity.draining.store(true, Ordering::SeqCst);
        drainer.log.event(&format!(
            "stopping: new transactions get 421 while {} messages in progress finish",
            drainer.activity.in_flight.load(Ordering::SeqCst)
        ));
        let until = Instant::now() + grace;
        while drainer.activity.in_flight.load(Ordering::SeqCst) > 0 && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        drainer.log.event(&format!(
            "shutting down ({} messages still in progress)",
            drainer.activity.in_flight.load(Ordering::SeqCst)
        ));
    };
    let result = match listener {
        listen::Bound::Tcp(l) => serve_on(l, &shared, shutdown).await,
        listen::Bound::Unix(l, path) => {
            let r = serve_on(l, &shared, shutdown).await;
            let _ = std::fs::remove_file(path);
            r
        }
    };
    result?;
    match stuck.lock().ok().and_then(|mut s| s.take()) {
        Some(why) => Err(why),
        None => Ok(()),
    }
}

/// The protocol on any listener (connections watched, see `watchdog`) until `shutdown`
/// completes; no draining of its own (`serve` adds it). The fuzz target runs it on in-memory
/// streams.
pub async fn serve_on<L: indymilter::Listener>(
    listener: L,
    shared: &Arc<Shared>,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let config = shared.engine().config().clone();
    let timeouts = watchdog::Timeouts::from_config(&config.milter);
    // A bound far above any real MTA's connections; the semaphore under indymilter cannot take
    // more than usize::MAX >> 3 permits.
    let registry = watchdog::Registry::new(
        config.milter.max_connections.min(1 << 20),
        Arc::clone(shared.log.sink()),
        Arc::clone(&shared.metrics),
    );
    let milter_config = indymilter::Config {
        max_connections: registry.slots(),
        connection_timeout: timeouts.outer(),
        ..Default::default()
    };
    let listener = watchdog::Guarded::new(listener, registry, timeouts);
    indymilter::run(
        listener,
        callbacks(Arc::clone(shared)),
        milter_config,
        shutdown,
    )
    .await
    .map_err(|e| format!("milter stopped: {e}"))
}

async fn wait_for_stop() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        std::future::pending::<()>().await;
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}
