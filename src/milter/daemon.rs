//! The daemon's life: a runtime of its own, the socket, the metrics endpoint, reloads on
//! SIGHUP, and a drained shutdown on SIGTERM or SIGINT, or when scans are stuck for good.

use super::callbacks::callbacks;
use super::listen;
use super::metrics;
use super::scan_job::stuck_scans;
use super::shared::Shared;
use super::watchdog;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

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
        shared.log.clone(),
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
