//! One SMTP connection's state between the callbacks, and the values the MTA sends as C strings.

use super::activity::{Activity, Reservation};
use super::plan::Received;
use crate::message::Envelope;
use indymilter::{ProtoOpts, Status};
use std::ffi::{CStr, CString};
use std::sync::atomic::Ordering;

/// The answer to a transaction while the daemon shuts down.
pub(super) const SHUTTING_DOWN: &str = "lurescreen is shutting down, try again later";

/// One SMTP connection's state.
#[derive(Default)]
pub struct Session {
    pub(super) client_addr: Option<String>,
    pub(super) helo: Option<String>,
    /// The message in progress.
    pub(super) envelope: Envelope,
    pub(super) received: Received,
    pub(super) in_transaction: bool,
    /// The stages the MTA agreed need no answer.
    pub(super) noreply: ProtoOpts,
    /// Header bytes kept so far (a running sum: messages may have 100,000 header lines).
    pub(super) header_bytes: usize,
    /// The transaction began while the daemon was shutting down and the MTA wanted no answer
    /// at MAIL FROM: it is deferred at end of message instead.
    pub(super) deferred: bool,
    /// This message's share of the in-flight budget.
    pub(super) reservation: Reservation,
    /// Bytes of this message were not kept because the in-flight budget was used up.
    pub(super) over_budget: bool,
}

impl Session {
    /// What a callback that just continues answers at `stage`.
    pub(super) fn go_on(&self, stage: ProtoOpts) -> Status {
        if self.noreply.contains(stage) {
            Status::Noreply
        } else {
            Status::Continue
        }
    }

    pub(super) fn start_message(&mut self) {
        self.envelope = Envelope {
            client_addr: self.client_addr.clone(),
            helo: self.helo.clone(),
            ..Envelope::default()
        };
        self.received = Received::default();
        self.header_bytes = 0;
        self.deferred = false;
        self.reservation = Reservation::default();
        self.over_budget = false;
    }

    /// Ends the transaction bookkeeping, if a transaction was open.
    pub(super) fn end_transaction(&mut self, activity: &Activity) {
        if self.in_transaction {
            self.in_transaction = false;
            activity.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

pub(super) fn text(s: &CStr) -> String {
    String::from_utf8_lossy(s.to_bytes()).into_owned()
}

pub(super) fn macro_value(macros: &indymilter::Macros, name: &str) -> Option<String> {
    let name = CString::new(name).ok()?;
    macros.get(&name).map(text).filter(|v| !v.is_empty())
}
