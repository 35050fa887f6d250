//! What a container opener is given and gives back: the message's budget for opening
//! containers, and the files, links, bodies and findings it found in one container.

use super::{Attachment, Link};
use crate::config::Limits;
use crate::finding::Finding;
use crate::signatures::Lists;
use std::time::Instant;

/// A file found inside a container.
#[derive(Debug, Clone, Default)]
pub struct Child {
    /// Its name inside the container (path separators kept as the container wrote them).
    pub name: Option<String>,
    /// Its bytes; empty when they could not be extracted (encrypted, over budget).
    pub data: Vec<u8>,
    /// A MIME type, when the container says (most do not).
    pub content_type: Option<String>,
}

/// What an opener found in one container.
#[derive(Debug, Default)]
pub struct Opened {
    pub children: Vec<Child>,
    pub findings: Vec<Finding>,
    /// Links the container's content points to (a PDF's link annotations). `expand` sets
    /// their location (`link 7 in 2/a.pdf`) and adds them to the message's links.
    pub links: Vec<Link>,
    /// Some or all of the container is password-protected (copied to `Attachment::encrypted`).
    pub encrypted: bool,
    /// What the Office reader found in the container (copied to `Attachment::office`).
    pub office: Option<std::sync::Arc<crate::formats::office::Document>>,
    /// Message bodies the container carries (an attached Outlook item's or winmail.dat's plain
    /// and HTML body): `expand` adds them to the message's texts and their links to its links,
    /// as the body of an attached `message/rfc822` is, located under the container
    /// (`2/FW.msg!/message.txt`).
    pub bodies: Vec<Body>,
}

/// A message body found in a container.
#[derive(Debug)]
pub struct Body {
    /// Its name under the container (`message.txt`, `FW.msg!/message.html`).
    pub name: String,
    pub text: String,
    pub html: bool,
}

/// What is left to spend on opening containers in one message, and the signature lists the
/// openers judge by. Openers must check it before inflating anything and stop (with a finding)
/// when it runs out.
#[derive(Debug, Clone)]
pub struct Budget<'a> {
    /// Bytes that may still be extracted, summed over every container in the message.
    pub bytes_left: u64,
    /// Files that may still be listed, summed over every container in the message.
    pub entries_left: usize,
    /// Running out of `entries_left` has been reported (once per message).
    pub entries_reported: bool,
    /// When the message's time budget (`limits.scan_time_ms`) runs out: expansion stops opening
    /// containers past it, and openers stop listing (with a LIMIT_TIME_BUDGET finding). `None`:
    /// no deadline (unit tests of single openers).
    pub deadline: Option<Instant>,
    /// `limits.scan_time_ms`, for the findings.
    pub time_budget_ms: u64,
    /// The signature lists of the scan (`expand::Openers::lists`), which the document openers
    /// judge by (the HTML opener: the names a smuggled file is saved under). `None` where a parse
    /// has no signatures (the containers of the message layer, unit tests of single openers):
    /// openers then judge by no list.
    pub lists: Option<&'a Lists>,
}

impl<'a> Budget<'a> {
    pub fn new(limits: &Limits) -> Budget<'a> {
        Budget {
            bytes_left: limits.max_expanded_bytes,
            entries_left: limits.max_expanded_entries,
            entries_reported: false,
            deadline: None,
            time_budget_ms: limits.scan_time_ms,
            lists: None,
        }
    }

    /// A budget whose time runs out at `deadline`.
    pub fn until(limits: &Limits, deadline: Option<Instant>) -> Budget<'a> {
        Budget {
            deadline,
            ..Budget::new(limits)
        }
    }

    /// Whether the message's time budget is spent. Cheap (one clock read): openers call it
    /// between entries and objects.
    pub fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// The LIMIT_TIME_BUDGET finding for work at `location` that the time budget cut short;
    /// `skipped` says what was not done.
    pub fn time_finding(&self, location: &str, skipped: impl Into<String>) -> Finding {
        time_budget_finding(location, self.time_budget_ms, skipped)
    }
}

/// LIMIT_TIME_BUDGET at `location`: what the spent time budget of `budget_ms` left undone.
pub fn time_budget_finding(location: &str, budget_ms: u64, skipped: impl Into<String>) -> Finding {
    Finding::new("LIMIT_TIME_BUDGET", location)
        .with("budget_ms", budget_ms.to_string())
        .with("skipped", skipped)
}

/// An opener: returns `false` if `att` is not its format (then the next opener is tried).
pub type Opener = fn(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool;
