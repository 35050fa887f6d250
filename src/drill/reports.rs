//! `drill reports`: reads the report-to-IT mailbox (mbox, Maildir, folders of `.eml`/`.msg`,
//! single files; through the batch module's readers) and stores which lures staff reported, by
//! whom and when.
//!
//! A reported lure arrives forwarded inline (its links in the report's body), as an attached
//! `message/rfc822`, or as an attached Outlook item (`.msg`, what Outlook's "forward as
//! attachment" and many "report phishing" buttons send). The lure is found by its token, the
//! 24 hex digits of its links (`<landing_url>/t/<token>`), wherever they are: in the raw mail, in
//! every decoded body (quoted-printable and base64 undone), in attached messages and Outlook items
//! (read as `scan` reads them, within the same limits), also inside rewritten links (Safe Links,
//! URL Defense) that keep the token's digits.
//!
//! The report mailbox is untrusted mail: every message is bounded by `limits.max_message_bytes`,
//! parsed as `scan` parses it (every limit of the configuration applies), and a mail that names no
//! lure is counted as unmatched, never an error. Bounces and auto-replies (`Auto-Submitted`,
//! `multipart/report`) that quote a lure are not reports and are counted apart.

use super::store::{Report, Store};
use super::{DrillError, Generated};
use crate::batch::inputs::{InputKind, Location, Payload, Walker};
use crate::config::Limits;
use crate::message;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashSet};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// Hex digits in a token (see `generate::token`).
pub const TOKEN_LEN: usize = 24;
/// Attached messages and Outlook items looked into, levels deep at most (below what `scan`
/// already opens).
const MAX_DEPTH: usize = 3;
/// Attached messages and Outlook items parsed again on their own, per report mail at most (each
/// parse has the configuration's limits; this bounds how many there are).
const MAX_NESTED_PARSES: usize = 16;
/// A `Date:` more than this far ahead of the time the mailbox is read is not believed (the file's
/// time is used instead).
const FUTURE_SLACK_SECS: i64 = 24 * 3600;
/// Hex runs longer than this are only tried at their ends (a token sits at the end of a link
/// path, maybe after an encoded `/`: `%2F` + token).
const LONG_RUN: usize = 128;
const RUN_ENDS: usize = 8;

/// What `drill reports` found in the mailbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Messages read.
    pub mails: usize,
    /// Mails that named at least one lure of the campaign.
    pub matched: usize,
    /// Lure and report mail pairs stored now, and those stored by an earlier run.
    pub new: usize,
    pub already: usize,
    /// Mails naming no lure of the campaign (not an error).
    pub unmatched: usize,
    /// Among the unmatched: mails carrying this campaign's `X-Lurescreen-Drill` header but no
    /// token the manifest knows (links removed, or another generation of the campaign).
    pub drill_without_token: usize,
    /// Bounces and auto-replies, not counted as reports.
    pub automatic: usize,
    /// Over `limits.max_message_bytes`, and files or folders that could not be read.
    pub too_large: usize,
    pub unreadable: usize,
}

/// What one report mail holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Tokens of the campaign's lures, sorted.
    pub tokens: Vec<String>,
    /// Whether the mail (or a message in it) carries the campaign's `X-Lurescreen-Drill` header.
    pub drill_header: bool,
    /// The report mail's sender address, lower-cased.
    pub reporter: String,
    /// Its `Date:` as a Unix time.
    pub date: Option<i64>,
    pub message_id: Option<String>,
    /// A bounce or auto-reply.
    pub automatic: bool,
}

/// Looks for the campaign's tokens (`known`) in one report mail.
pub fn find(raw: &[u8], known: &HashSet<String>, campaign: &str, limits: &Limits) -> Found {
    let mut found = Found::default();
    let mut tokens = BTreeSet::new();
    let Some(msg) = message::parse(raw, limits) else {
        return found;
    };
    found.reporter = msg
        .from
        .iter()
        .find_map(|m| m.address.clone())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    found.date = msg
        .date
        .as_deref()
        .and_then(|d| mail_parser::DateTime::parse_rfc3339(d.trim()))
        .filter(|d| d.is_valid())
        .map(|d| d.to_timestamp());
    found.message_id = msg
        .message_id
        .as_deref()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty());
    found.automatic = msg.headers.iter().any(|(name, value)| {
        let v = value.trim().to_ascii_lowercase();
        (name.eq_ignore_ascii_case("auto-submitted") && !v.is_empty() && v != "no")
            || (name.eq_ignore_ascii_case("content-type") && v.starts_with("multipart/report"))
    });
    let mut parses_left = MAX_NESTED_PARSES;
    look(
        raw,
        &msg,
        known,
        campaign,
        limits,
        0,
        &mut parses_left,
        &mut tokens,
        &mut found,
    );
    found.tokens = tokens.into_iter().collect();
    found
}

/// Looks through one parsed message and what it carries.
#[allow(clippy::too_many_arguments)]
fn look(
    raw: &[u8],
    msg: &message::Message,
    known: &HashSet<String>,
    campaign: &str,
    limits: &Limits,
    depth: usize,
    parses_left: &mut usize,
    tokens: &mut BTreeSet<String>,
    found: &mut Found,
) {
    // The raw mail: headers and bodies sent as they are (an attached message/rfc822 too).
    hex_tokens(raw, known, tokens);
    found.drill_header |= drill_header(raw, campaign);
    for (_, value) in &msg.headers {
        hex_tokens(value.as_bytes(), known, tokens);
    }
    // Decoded bodies (quoted-printable or base64 undone; attached messages' and Outlook items'
    // bodies are among them) and their links.
    for part in msg.texts.iter().chain(&msg.htmls) {
        hex_tokens(part.text.as_bytes(), known, tokens);
    }
    for link in &msg.links {
        hex_tokens(link.href.as_bytes(), known, tokens);
    }
    if depth >= MAX_DEPTH {
        return;
    }
    // Attached messages whose bytes the parse above kept as a file (a base64 message/rfc822, a
    // `.eml`) and Outlook items: read as messages of their own, for their headers too.
    for att in &msg.attachments {
        if *parses_left == 0 {
            return;
        }
        let name = att.name.as_deref().unwrap_or("").to_ascii_lowercase();
        let nested = if message::containers::outlook::is_msg(&att.data) {
            message::containers::outlook::to_mime(&att.data)
        } else if att.content_type.starts_with("message/")
            || (name.ends_with(".eml") && att.depth == 0)
        {
            Some(att.data.clone())
        } else {
            None
        };
        let Some(bytes) = nested else {
            continue;
        };
        *parses_left -= 1;
        if let Some(inner) = message::parse(&bytes, limits) {
            look(
                &bytes,
                &inner,
                known,
                campaign,
                limits,
                depth + 1,
                parses_left,
                tokens,
                found,
            );
        }
    }
}

/// Whether a header line `X-Lurescreen-Drill: <campaign>` is in `raw` (at any nesting: the
/// header of an attached message is a line like any other).
fn drill_header(raw: &[u8], campaign: &str) -> bool {
    let name = super::generate::DRILL_HEADER.as_bytes();
    raw.split(|b| *b == b'\n').any(|line| {
        line.len() > name.len()
            && line[..name.len()].eq_ignore_ascii_case(name)
            && line[name.len()] == b':'
            && String::from_utf8_lossy(&line[name.len() + 1..]).trim() == campaign
    })
}

/// Adds to `out` every token of `known` that `text` holds: each run of hex digits of at least
/// [`TOKEN_LEN`] is tried at every offset (only at its ends when longer than [`LONG_RUN`]), so
/// a token right after an encoded `/` (`%2F`) is found too. Case does not matter.
pub fn hex_tokens(text: &[u8], known: &HashSet<String>, out: &mut BTreeSet<String>) {
    let mut i = 0;
    let mut window = [0u8; TOKEN_LEN];
    let mut try_at = |run: &[u8], at: usize, out: &mut BTreeSet<String>| {
        if let Some(w) = run.get(at..at + TOKEN_LEN) {
            for (d, s) in window.iter_mut().zip(w) {
                *d = s.to_ascii_lowercase();
            }
            if let Ok(s) = std::str::from_utf8(&window)
                && known.contains(s)
            {
                out.insert(s.to_string());
            }
        }
    };
    while i < text.len() {
        if !text[i].is_ascii_hexdigit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && text[i].is_ascii_hexdigit() {
            i += 1;
        }
        let run = &text[start..i];
        if run.len() < TOKEN_LEN {
            continue;
        }
        let last = run.len() - TOKEN_LEN;
        if run.len() <= LONG_RUN {
            for at in 0..=last {
                try_at(run, at, out);
            }
        } else {
            for at in (0..RUN_ENDS).chain(last.saturating_sub(RUN_ENDS - 1)..=last) {
                try_at(run, at, out);
            }
        }
    }
}

/// A key for a report mail that is the same however often the mailbox is read, in whichever
/// format: its Message-ID, else a hash of its bytes (line ends made CRLF).
pub fn report_key(found: &Found, raw: &[u8]) -> String {
    match &found.message_id {
        Some(id) => format!("message-id:{id}"),
        None => {
            let digest = Sha256::digest(super::to_crlf(raw));
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            format!("sha256:{hex}")
        }
    }
}

/// The modification time of the file a message was read from (an mbox's, a Maildir file's).
fn file_time(loc: &Location) -> Option<i64> {
    let modified = std::fs::metadata(Path::new(&loc.source))
        .ok()?
        .modified()
        .ok()?;
    modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64)
}

/// Reads the report mailboxes at `paths` and stores every lure reported in them. `warn` hears
/// about inputs that could not be read. Stops at the first database error.
pub fn read(
    generated: &Generated,
    store: &mut Store,
    paths: &[PathBuf],
    limits: &Limits,
    warn: &mut dyn FnMut(String),
) -> Result<Tally, DrillError> {
    let campaign = generated.manifest.campaign.as_str();
    let known: HashSet<String> = generated
        .manifest
        .entries
        .iter()
        .map(|e| e.token.to_ascii_lowercase())
        .collect();
    let mut tally = Tally::default();
    let mut failed: Option<DrillError> = None;
    let mut emit = |loc: Location, payload: Payload| -> ControlFlow<()> {
        let raw = match payload {
            Payload::Bytes(b) => b,
            Payload::TooLarge(n) => {
                tally.too_large += 1;
                warn(format!(
                    "{}: {n} bytes, over limits.max_message_bytes ({}): not read",
                    loc.display(),
                    limits.max_message_bytes
                ));
                return ControlFlow::Continue(());
            }
            // An empty folder (nobody has reported yet) is no error (the walker's words for it).
            Payload::Unreadable(e) if e == "no messages found in this folder" => {
                return ControlFlow::Continue(());
            }
            Payload::Unreadable(e) => {
                tally.unreadable += 1;
                warn(format!("{}: {e}", loc.display()));
                return ControlFlow::Continue(());
            }
        };
        tally.mails += 1;
        let found = find(&raw, &known, campaign, limits);
        if found.automatic {
            tally.automatic += 1;
            return ControlFlow::Continue(());
        }
        if found.tokens.is_empty() {
            tally.unmatched += 1;
            if found.drill_header {
                tally.drill_without_token += 1;
            }
            return ControlFlow::Continue(());
        }
        tally.matched += 1;
        let believable = |t: &i64| *t <= super::unix_now().saturating_add(FUTURE_SLACK_SECS);
        let (reported_at, time_from) = match found.date.filter(believable) {
            Some(t) => (t, "date"),
            None => (file_time(&loc).unwrap_or_else(super::unix_now), "file"),
        };
        let key = report_key(&found, &raw);
        for token in &found.tokens {
            let report = Report {
                token: token.clone(),
                report_key: key.clone(),
                reporter: found.reporter.clone(),
                reported_at,
                time_from: time_from.to_string(),
                source: loc.display(),
            };
            match store.record_report(campaign, &report) {
                Ok(true) => tally.new += 1,
                Ok(false) => tally.already += 1,
                Err(e) => {
                    failed = Some(e);
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    };
    let mut walker = Walker {
        kind: InputKind::Auto,
        max_message_bytes: limits.max_message_bytes,
        bytes_read: Default::default(),
        emit: &mut emit,
    };
    let _ = walker.walk(paths);
    match failed {
        Some(e) => Err(e),
        None => Ok(tally),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T1: &str = "0123456789abcdef01234567";
    const T2: &str = "fedcba9876543210fedcba98";

    fn known() -> HashSet<String> {
        [T1, T2].iter().map(|s| s.to_string()).collect()
    }

    fn tokens(text: &str) -> Vec<String> {
        let mut out = BTreeSet::new();
        hex_tokens(text.as_bytes(), &known(), &mut out);
        out.into_iter().collect()
    }

    #[test]
    fn tokens_are_found_in_links_as_written_encoded_and_rewritten() {
        assert_eq!(tokens(&format!("http://drill.example/t/{T1}")), [T1]);
        // Safe Links: the link percent-encoded, the token after `%2F`.
        assert_eq!(
            tokens(&format!(
                "https://apc01.safelinks.protection.outlook.com/?url=http%3A%2F%2Fdrill.example%2Ft%2F{T1}&data=05%7C02"
            )),
            [T1]
        );
        // Upper case (a rewriter that shouts), and both tokens in one text.
        assert_eq!(
            tokens(&format!("{} and /t/{T2}", T1.to_ascii_uppercase())),
            [T1, T2]
        );
        // Not a token: one digit short, or another token.
        assert!(tokens(&T1[1..]).is_empty());
        assert!(tokens("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").is_empty());
        // A long hex run is tried at its ends only, and still finds a token there.
        let long = format!("{}{T2}", "0".repeat(5000));
        assert_eq!(tokens(&long), [T2]);
    }

    #[test]
    fn hostile_report_mails_give_nothing_and_do_not_panic() {
        let limits = Limits::default();
        for raw in [
            &b""[..],
            b"\xff\xfe\x00garbage",
            b"Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\n",
            &crate::formats::sniff::OLE2_MAGIC[..],
        ] {
            let f = find(raw, &known(), "c", &limits);
            assert!(f.tokens.is_empty(), "{f:?}");
        }
        let deep = "Content-Type: message/rfc822\n\n".repeat(20_000);
        let f = find(deep.as_bytes(), &known(), "c", &limits);
        assert!(f.tokens.is_empty());
    }

    #[test]
    fn a_quoted_printable_body_and_the_drill_header_are_read() {
        // Quoted-printable splits the link over two lines: only the decoded body has the token.
        let raw = format!(
            "From: Reporter <R@Example.co.jp>\r\nDate: Fri, 4 Dec 2026 10:00:00 +0900\r\n\
             Message-ID: <r1@example.co.jp>\r\nContent-Type: text/plain\r\n\
             Content-Transfer-Encoding: quoted-printable\r\n\r\n\
             > X-Lurescreen-Drill: c\r\n> see http://drill.example/t/{}=\r\n{}\r\n",
            &T1[..10],
            &T1[10..]
        );
        let f = find(raw.as_bytes(), &known(), "c", &Limits::default());
        assert_eq!(f.tokens, [T1]);
        assert_eq!(f.reporter, "r@example.co.jp");
        assert_eq!(f.date, Some(1_796_346_000));
        assert_eq!(report_key(&f, b""), "message-id:r1@example.co.jp");
        assert!(!f.drill_header, "a quoted header line is not a header");
        let raw = "X-Lurescreen-Drill: c\r\nSubject: x\r\n\r\nno link\r\n";
        let f = find(raw.as_bytes(), &known(), "c", &Limits::default());
        assert!(f.drill_header && f.tokens.is_empty());
    }
}
