//! Records clicks off the request path: the landing page hands each click to a bounded queue and
//! answers at once; one writer thread stores them, retrying with backoff while the database is
//! busy or locked. A click that cannot be stored (queue full, retries used up, the database
//! failing) goes to the spill file beside the database and is counted and logged; only when even
//! that fails is it lost, and that too is counted and logged.

use super::store::{self, Click, Store};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the writer retries.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Clicks waiting for the writer at most; further ones are spilled.
    pub queue: usize,
    /// How long one click is retried while the database is busy, before it is spilled.
    pub busy_for: Duration,
    /// First wait between tries (doubling up to one second).
    pub first_wait: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            queue: 4096,
            busy_for: Duration::from_secs(120),
            first_wait: Duration::from_millis(10),
        }
    }
}

/// Counters, readable at any time.
#[derive(Debug, Default)]
pub struct Stats {
    pub received: AtomicU64,
    pub stored: AtomicU64,
    /// Written to the spill file instead of the database.
    pub spilled: AtomicU64,
    /// Neither stored nor spilled.
    pub lost: AtomicU64,
}

impl Stats {
    pub fn summary(&self) -> String {
        format!(
            "{} click(s) received, {} stored, {} not stored in the database but kept in the spill file, {} lost",
            self.received.load(Ordering::Relaxed),
            self.stored.load(Ordering::Relaxed),
            self.spilled.load(Ordering::Relaxed),
            self.lost.load(Ordering::Relaxed)
        )
    }
}

struct Shared {
    db: PathBuf,
    campaign: String,
    stats: Stats,
    stopping: AtomicBool,
}

impl Shared {
    fn spill(&self, click: &Click, why: &str) {
        match store::spill(&self.db, &self.campaign, click) {
            Ok(()) => {
                self.stats.spilled.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "lurescreen: drill serve: click on {} not stored in the database ({why}); kept in {}",
                    click.token,
                    store::spill_path(&self.db).display()
                );
            }
            Err(e) => {
                self.stats.lost.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "lurescreen: drill serve: click on {} by {} at {} LOST: not stored ({why}) and the spill file failed: {e}",
                    click.token, click.email, click.clicked_at
                );
            }
        }
    }
}

pub struct Recorder {
    tx: Mutex<Option<SyncSender<Click>>>,
    shared: Arc<Shared>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Recorder {
    /// Starts the writer on an opened store.
    pub fn start(store: Store, db: PathBuf, campaign: String, retry: Retry) -> Recorder {
        let (tx, rx) = std::sync::mpsc::sync_channel(retry.queue.max(1));
        let shared = Arc::new(Shared {
            db,
            campaign,
            stats: Stats::default(),
            stopping: AtomicBool::new(false),
        });
        let s = shared.clone();
        let writer = std::thread::Builder::new()
            .name("drill-clicks".into())
            .spawn(move || write_loop(store, rx, &s, retry))
            .ok();
        Recorder {
            tx: Mutex::new(Some(tx)),
            shared,
            writer: Mutex::new(writer),
        }
    }

    /// Hands a click to the writer without waiting.
    pub fn submit(&self, click: Click) {
        self.shared.stats.received.fetch_add(1, Ordering::Relaxed);
        let sent = match self.tx.lock() {
            Ok(tx) => match tx.as_ref() {
                Some(tx) => tx.try_send(click),
                None => Err(TrySendError::Disconnected(click)),
            },
            Err(_) => Err(TrySendError::Disconnected(click)),
        };
        match sent {
            Ok(()) => {}
            Err(TrySendError::Full(c)) => self.shared.spill(&c, "the writer's queue is full"),
            Err(TrySendError::Disconnected(c)) => self.shared.spill(&c, "the writer has stopped"),
        }
    }

    /// The database the clicks go to.
    pub fn db(&self) -> &std::path::Path {
        &self.shared.db
    }

    /// The campaign the clicks are recorded for.
    pub fn campaign(&self) -> &str {
        &self.shared.campaign
    }

    pub fn stats(&self) -> &Stats {
        &self.shared.stats
    }

    /// Stops taking clicks, stores (or spills) those queued, and waits for the writer.
    pub fn finish(&self) {
        self.shared.stopping.store(true, Ordering::Relaxed);
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        if let Some(w) = self.writer.lock().ok().and_then(|mut w| w.take()) {
            let _ = w.join();
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.finish();
    }
}

fn write_loop(mut store: Store, rx: Receiver<Click>, shared: &Shared, retry: Retry) {
    while let Ok(click) = rx.recv() {
        let started = Instant::now();
        let mut wait = retry.first_wait;
        loop {
            match store.record(&shared.campaign, &click) {
                Ok(()) => {
                    shared.stats.stored.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Err(e) => {
                    let busy = store::is_busy(&e);
                    // Busy: the lock holder will let go; retry for `busy_for`. Other errors
                    // (read-only, disk full, corrupt) rarely heal: a few tries, then spill.
                    // While shutting down, a locked database gets two more seconds at most.
                    let mut limit = if busy {
                        retry.busy_for
                    } else {
                        retry.first_wait * 20
                    };
                    if shared.stopping.load(Ordering::Relaxed) {
                        limit = limit.min(Duration::from_secs(2));
                    }
                    if started.elapsed() >= limit {
                        shared.spill(&click, &e.to_string());
                        break;
                    }
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_secs(1));
                }
            }
        }
    }
}
