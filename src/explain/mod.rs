//! Staff-facing explanations: a message shown safely, with each finding marked where it occurs
//! and explained in the words of the rule's staff explanation, grouped by IPA point.
//!
//! Everything taken from the message is made visible (`text::hidden::visible`) and links are
//! defanged (`text::defang`) when the explanation is built, so every renderer starts from inert
//! text.

mod excerpt;
mod files;
mod html;
pub mod notice;
mod points;
mod sender;
mod text;
mod view;

pub use files::{ext_meaning, show_name};
pub use html::render_html;
pub use notice::quarantine_notice;
pub use text::render_text;
pub use view::*;

use excerpt::excerpt;
use files::attachments;
#[cfg(test)]
use files::{claimed_extension, on_screen};
use points::{point, target_of};
use sender::sender_view;

use crate::message::{self, Message};
use crate::score::{Report, ScoredFinding};
use crate::signatures::Signatures;
use crate::text::defang::{defang, defang_host, defang_text};
use crate::text::domain::{domain_in_text, same_org};
use crate::text::hidden::visible;
use crate::{Engine, Lang, ScanError};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Links shown, at most (those with a point to notice always are, up to this many).
const MAX_LINKS: usize = 40;
/// Attachments shown, at most.
const MAX_ATTACHMENTS: usize = 100;
/// Points to notice, at most.
const MAX_POINTS: usize = 100;
/// Recipients listed, at most.
const MAX_RECIPIENTS: usize = 20;
/// Characters and lines of the body excerpt.
const EXCERPT_CHARS: usize = 600;
const EXCERPT_LINES: usize = 12;

/// Scan `raw` and build the staff-facing explanation from the message as the engine parsed it.
/// Never panics on any input.
pub fn explain(engine: &Engine, raw: &[u8]) -> Result<Explanation, ScanError> {
    let (report, msg) = engine.scan_keeping_message(raw, None)?;
    Ok(from_message(engine, &msg, &report))
}

/// The explanation of a message as the scan parsed it and its report, with the engine's signatures and trusted
/// `authserv-id`s.
pub(crate) fn from_message(engine: &Engine, msg: &Message, report: &Report) -> Explanation {
    let trusted = &engine.config().auth.trusted_authserv_ids;
    let explained = catch_unwind(AssertUnwindSafe(|| {
        build(msg, report, engine.signatures(), trusted)
    }));
    // Building is plain bookkeeping; should it ever fail, the report alone still explains.
    explained.unwrap_or_else(|_| build(&Message::default(), report, engine.signatures(), &[]))
}

/// Builds the explanation from a parsed message and its report.
pub fn build(
    msg: &Message,
    report: &Report,
    signatures: &Signatures,
    trusted_authserv_ids: &[String],
) -> Explanation {
    let mut e = Explanation {
        verdict: report.verdict,
        score: report.score,
        sender: sender_view(msg, trusted_authserv_ids),
        subject: msg
            .subject
            .as_deref()
            .or(report.summary.subject.as_deref())
            .map(visible),
        subject_marks: Vec::new(),
        date: msg.date.clone().map(|d| visible(&d)),
        message_id: msg.message_id.as_deref().map(visible),
        to: msg
            .to
            .iter()
            .take(MAX_RECIPIENTS)
            .map(|m| visible(&m.display()))
            .collect(),
        cc: msg
            .cc
            .iter()
            .take(MAX_RECIPIENTS)
            .map(|m| visible(&m.display()))
            .collect(),
        recipients: msg
            .to
            .iter()
            .chain(&msg.cc)
            .filter_map(|m| m.address.clone())
            .take(notice::MAX_NOTICES)
            .collect(),
        links: Vec::new(),
        links_not_shown: 0,
        attachments: Vec::new(),
        attachments_not_shown: 0,
        excerpt: excerpt(msg),
        body_marks: Vec::new(),
        points: Vec::new(),
        points_not_shown: 0,
    };
    if msg.headers.is_empty()
        && let Some(from) = &report.summary.from
    {
        e.sender.address = Some(visible(from));
    }
    attachments(msg, &signatures.lists, &mut e);

    // Points: deduplicated, ordered by IPA point, then numbered.
    let mut findings: Vec<&ScoredFinding> = Vec::new();
    for f in &report.findings {
        let dup = findings
            .iter()
            .any(|g| g.rule == f.rule && g.location == f.location && g.reason_en == f.reason_en);
        if !dup {
            findings.push(f);
        }
    }
    let rank = |ipa: &str| {
        IPA_ORDER
            .iter()
            .position(|k| *k == ipa)
            .unwrap_or(IPA_ORDER.len())
    };
    findings.sort_by_key(|f| rank(&f.ipa));
    e.points_not_shown = findings.len().saturating_sub(MAX_POINTS);
    findings.truncate(MAX_POINTS);

    // Which links are shown: every link a point names, then the first others.
    let link_named = |l: &message::Link| findings.iter().any(|f| f.location == l.location);
    let mut shown: Vec<usize> = (0..msg.links.len())
        .filter(|&i| msg.links.get(i).is_some_and(link_named))
        .take(MAX_LINKS)
        .collect();
    // Others once each: a signature repeating the same mailto: link ten times shows it once.
    for (i, l) in msg.links.iter().enumerate() {
        if shown.len() >= MAX_LINKS {
            break;
        }
        let repeated = shown.iter().any(|&j| {
            msg.links
                .get(j)
                .is_some_and(|o| o.href == l.href && o.text == l.text)
        });
        if !shown.contains(&i) && !repeated {
            shown.push(i);
        }
    }
    shown.sort_unstable();
    e.links_not_shown = msg.links.len().saturating_sub(shown.len());
    e.links = shown
        .iter()
        .filter_map(|&i| Some((i, msg.links.get(i)?)))
        .map(|(i, l)| link_view(i + 1, l))
        .collect();

    for (k, f) in findings.iter().enumerate() {
        let n = k + 1;
        let target = target_of(&f.location, msg, &e);
        match &target {
            Target::Sender(_) => e.sender.marks.push(n),
            Target::Subject => e.subject_marks.push(n),
            Target::Link(i) => {
                if let Some(l) = e.links.get_mut(*i) {
                    l.marks.push(n)
                }
            }
            Target::Attachment(i) => {
                if let Some(a) = e.attachments.get_mut(*i) {
                    a.marks.push(n)
                }
            }
            Target::Body => e.body_marks.push(n),
            Target::Message => {}
        }
        e.points.push(point(n, f, target, signatures));
    }
    e
}

/// The message's date as staff read it: RFC 3339 in English (`2026-11-25T13:10:50+09:00`), and
/// `2026年11月25日 13:10:50（UTC+09:00）` in Japanese; anything else as it was written.
pub fn show_date(d: &str, lang: Lang) -> String {
    if lang != Lang::Ja {
        return d.to_string();
    }
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        d.get(r.clone())
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse::<u32>().ok())
    };
    let (Some(y), Some(mo), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return d.to_string();
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return d.to_string();
    }
    let Some(time) = d.get(11..19) else {
        return d.to_string();
    };
    let zone = match d.get(19..) {
        Some("Z") | Some("") => "UTC".to_string(),
        Some(z) => format!("UTC{z}"),
        None => return d.to_string(),
    };
    format!("{y}年{mo}月{day}日 {time}（{zone}）")
}

fn link_view(n: usize, link: &message::Link) -> LinkView {
    let host = link.host.clone();
    let text_differs = match (&link.text, &host) {
        (Some(text), Some(host)) => domain_in_text(text).is_some_and(|d| !same_org(&d, host)),
        _ => false,
    };
    LinkView {
        n,
        text: link.text.as_deref().map(|t| visible(&defang_text(t))),
        destination: visible(&defang(&link.href)),
        host: host.as_deref().map(defang_host),
        text_differs,
        location: link.location.clone(),
        marks: Vec::new(),
    }
}

/// Small words of the interface in both languages.
pub(crate) fn tr(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// How a target is named in a list of points.
pub(crate) fn target_label(e: &Explanation, t: &Target, lang: Lang) -> String {
    match t {
        Target::Sender(field) => format!("{} ({field})", tr(lang, "sender", "差出人")),
        Target::Subject => tr(lang, "subject", "件名").to_string(),
        Target::Link(i) => match e.links.get(*i) {
            Some(l) => format!("{} {}", tr(lang, "link", "リンク"), l.n),
            None => tr(lang, "a link", "リンク").to_string(),
        },
        Target::Attachment(i) => match e.attachments.get(*i) {
            Some(a) => format!("{} {}", tr(lang, "attachment", "添付ファイル"), a.name),
            None => tr(lang, "an attachment", "添付ファイル").to_string(),
        },
        Target::Body => tr(lang, "message text", "本文").to_string(),
        Target::Message => tr(lang, "the message as a whole", "メール全体").to_string(),
    }
}

/// Human-readable size.
pub(crate) fn size_label(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

#[cfg(test)]
mod tests;
