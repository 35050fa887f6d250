//! The notice about a held message: a short RFC 5322 message to the recipient or the admin saying
//! what was held and why, and the spool writer the filter and the milter use for it.
//!
//! Notices are written, never sent: the administrator's own setup hands the files to the MTA.
//! Writing never holds up or fails the mail flow: errors come back as text to log.

use super::{Explanation, text, tr};
use crate::config::{Notice, NoticeTo};
use crate::finding::Verdict;
use crate::lang::Lang;
use base64::Engine as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Notices written for one message, at most (one per recipient).
pub const MAX_NOTICES: usize = 50;

/// A short RFC 5322 notice message (to the recipient or the admin) saying what was held and why.
pub fn quarantine_notice(e: &Explanation, lang: Lang, from: &str, to: &str) -> Vec<u8> {
    let held = match e.verdict {
        Verdict::Reject => tr(lang, "Message refused", "メールを受信拒否しました"),
        Verdict::Quarantine => tr(lang, "Message held", "メールを隔離しました"),
        _ => tr(lang, "Suspicious message", "不審なメール"),
    };
    let original: String = e
        .subject
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(80)
        .collect();
    let subject = format!("[lurescreen] {held}: {original}");
    let body = notice_body(e, lang);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let date = mail_parser::DateTime::from_timestamp(now.as_secs() as i64).to_rfc822();
    let mut out = String::new();
    out.push_str(&format!("From: {}\r\n", header_address(from)));
    out.push_str(&format!("To: {}\r\n", header_address(to)));
    out.push_str(&format!("Subject: {}\r\n", encode_word(&subject)));
    out.push_str(&format!("Date: {date}\r\n"));
    out.push_str(&format!(
        "Message-ID: <{}.{:09}.{}.{}@lurescreen.invalid>\r\n",
        now.as_secs(),
        now.subsec_nanos(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    out.push_str("Auto-Submitted: auto-generated\r\n");
    out.push_str("MIME-Version: 1.0\r\n");
    out.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    out.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
    let encoded = base64::engine::general_purpose::STANDARD.encode(body.replace('\n', "\r\n"));
    let mut rest = encoded.as_str();
    while !rest.is_empty() {
        let (line, more) = rest.split_at(rest.len().min(76));
        out.push_str(line);
        out.push_str("\r\n");
        rest = more;
    }
    out.into_bytes()
}

fn notice_body(e: &Explanation, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&e.summary(lang));
    out.push_str("\n\n");
    let s = &e.sender;
    let lines = [
        (
            tr(lang, "From (name shown)", "差出人（表示名）"),
            s.display_name.clone(),
        ),
        (
            tr(lang, "From (real address)", "差出人（実際のアドレス）"),
            s.address.clone(),
        ),
        (tr(lang, "Subject", "件名"), e.subject.clone()),
        (tr(lang, "Date", "日時"), e.date.clone()),
        (tr(lang, "Message-ID", "Message-ID"), e.message_id.clone()),
    ];
    for (label, value) in lines {
        if let Some(v) = value {
            out.push_str(&format!("{label}: {v}\n"));
        }
    }
    if !e.attachments.is_empty() {
        let names: Vec<&str> = e.attachments.iter().map(|a| a.name.as_str()).collect();
        out.push_str(&format!(
            "{}: {}\n",
            tr(lang, "Attachments", "添付ファイル"),
            names.join(", ")
        ));
    }
    text::points(&mut out, e, lang, false);
    out.push('\n');
    out.push_str(tr(
        lang,
        "Do not ask the sender about this message through links or addresses in it. If you were \
         expecting it, contact your IT team: they can check it and release it if it is safe.\n",
        "このメールに含まれるリンクや連絡先を使って差出人に問い合わせないでください。心当たりのある\
         メールであれば、システム管理者に連絡してください。安全を確認できれば配送されます。\n",
    ));
    out
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// An address for a header: line breaks and control characters removed.
fn header_address(a: &str) -> String {
    a.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

/// A header value as RFC 2047 encoded words when it is not plain ASCII.
fn encode_word(value: &str) -> String {
    let clean: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.is_ascii() {
        return clean;
    }
    // Encoded words of at most 45 bytes of UTF-8 each (60 base64 characters), whole characters.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in clean.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| {
            format!(
                "=?UTF-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(w)
            )
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// Whom the notices for a message go to.
pub fn recipients(n: &Notice, envelope: &[String], e: &Explanation) -> Vec<String> {
    let admin = || vec![n.admin.clone()];
    match n.to {
        NoticeTo::Admin => admin(),
        NoticeTo::Recipient => {
            let from_envelope: Vec<String> = envelope
                .iter()
                .map(|r| r.trim().trim_matches(['<', '>']).to_string())
                .collect();
            let list = if from_envelope.is_empty() {
                e.recipients.clone()
            } else {
                from_envelope
            };
            let mut out: Vec<String> = Vec::new();
            for r in list {
                if crate::config::notice::plain_address(&r)
                    && r.contains('@')
                    && !out.iter().any(|o| o.eq_ignore_ascii_case(&r))
                {
                    out.push(r);
                }
                if out.len() >= MAX_NOTICES {
                    break;
                }
            }
            if out.is_empty() { admin() } else { out }
        }
    }
}

/// Writes the notices for a held message into `n.dir`, one file per recipient, each whole
/// (written to a hidden temporary file, then renamed). `id` (a queue id) goes into the names.
/// Returns the files written, or what went wrong, for the caller to log.
pub fn write(
    n: &Notice,
    e: &Explanation,
    lang: Lang,
    envelope_recipients: &[String],
    id: &str,
) -> Result<Vec<PathBuf>, String> {
    let lang = n.lang.unwrap_or(lang);
    std::fs::create_dir_all(&n.dir)
        .map_err(|err| format!("notice: cannot create {}: {err}", n.dir.display()))?;
    let id: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(32)
        .collect();
    let mut written = Vec::new();
    for to in recipients(n, envelope_recipients, e) {
        let bytes = quarantine_notice(e, lang, &n.from, &to);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let name = format!(
            "{}.{:09}.{}.{}{}{}.eml",
            now.as_secs(),
            now.subsec_nanos(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            if id.is_empty() { "" } else { "." },
            id
        );
        let path = n.dir.join(&name);
        write_atomically(&n.dir, &name, &path, &bytes)
            .map_err(|err| format!("notice: cannot write {}: {err}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

fn write_atomically(dir: &Path, name: &str, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Whether `write_for_held` has a notice to write for this report (`[notice]` enabled, verdict
/// `quarantine` or `reject`): the front ends keep the scan's message for it only then.
pub fn wanted(engine: &crate::Engine, report: &crate::Report) -> bool {
    engine.config().notice.enabled && report.verdict >= Verdict::Quarantine
}

/// What the filter and the milter call after a scan: when `[notice]` is enabled and the verdict
/// is `quarantine` or `reject`, explains the message as the scan parsed it
/// (`Engine::scan_keeping_message`) and writes its notices. `Ok` with no files
/// when there is nothing to do. Never panics; errors are for the log.
pub fn write_for_held(
    engine: &crate::Engine,
    msg: &crate::Message,
    report: &crate::Report,
    lang: Lang,
    envelope_recipients: &[String],
    id: &str,
) -> Result<Vec<PathBuf>, String> {
    let n = &engine.config().notice;
    if !wanted(engine, report) {
        return Ok(Vec::new());
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let e = super::from_message(engine, msg, report);
        write(n, &e, lang, envelope_recipients, id)
    }))
    .unwrap_or_else(|_| Err("notice: internal error while writing the notice".into()))
}
