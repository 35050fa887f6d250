//! What the daemon has in progress over every connection: open transactions, scans past their
//! deadline, the bytes kept for messages, and whether it is draining. The callbacks and scan
//! jobs keep it; the metrics, `/healthz` and the shutdown read it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Counters shared by every connection.
pub struct Activity {
    /// Messages between MAIL FROM and end of message.
    pub(super) in_flight: AtomicUsize,
    /// Set on SIGTERM: new transactions are deferred while in-flight ones finish.
    pub(super) draining: AtomicBool,
    /// Scans that ran past their deadline and still hold a thread (a scan cannot be cancelled).
    pub(super) overdue: Arc<AtomicUsize>,
    /// Header and body bytes kept for messages in progress, over every connection.
    pub(super) budget: Arc<Budget>,
}

impl Activity {
    /// Nothing in progress; `budget` bytes may be kept (`milter.max_body_bytes_in_flight`).
    pub fn new(budget: usize) -> Activity {
        Activity {
            in_flight: AtomicUsize::new(0),
            draining: AtomicBool::new(false),
            overdue: Arc::new(AtomicUsize::new(0)),
            budget: Arc::new(Budget {
                used: AtomicUsize::new(0),
                limit: budget,
            }),
        }
    }
}

/// The bytes all connections together may keep for messages in progress
/// (`milter.max_body_bytes_in_flight`, read at start).
pub struct Budget {
    used: AtomicUsize,
    limit: usize,
}

impl Budget {
    /// Bytes kept now (for the metrics).
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }

    /// Bytes that may be kept.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

/// Bytes one message holds of the budget, given back when it is dropped (after its scan).
#[derive(Default)]
pub(super) struct Reservation {
    budget: Option<Arc<Budget>>,
    bytes: usize,
}

impl Reservation {
    /// Takes `n` more bytes; false (and nothing taken) when that would pass the limit.
    pub(super) fn grow(&mut self, budget: &Arc<Budget>, n: usize) -> bool {
        let b = self.budget.get_or_insert_with(|| Arc::clone(budget));
        let taken = b
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(n).filter(|&total| total <= b.limit)
            })
            .is_ok();
        if taken {
            self.bytes += n;
        }
        taken
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if let Some(b) = &self.budget {
            b.used.fetch_sub(self.bytes, Ordering::AcqRel);
        }
    }
}
