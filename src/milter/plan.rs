//! What the milter does with one message, decided from its report: a pure function, so every
//! action can be tested without an MTA.

use crate::config::{Config, FailureAction};
use crate::filter::{self, HeaderBlock};
use crate::render::headers::{self, PREFIX};
use crate::score::Report;
use crate::{Lang, Verdict};

/// The message as the MTA handed it over.
#[derive(Debug, Default, Clone)]
pub struct Received {
    /// Header fields in order: name and value as the MTA sent them.
    pub headers: Vec<(String, String)>,
    /// The body, up to the size limit.
    pub body: Vec<u8>,
    /// Body bytes the MTA sent in all (beyond the limit they are counted, not kept).
    pub body_size: usize,
    /// Header bytes the MTA sent that were not kept (beyond the limit).
    pub dropped_header_bytes: usize,
    /// More forged `X-Lurescreen-*` fields came past the limit than can be remembered for
    /// removal: the message is deferred whatever the failure action says.
    pub forged_overflow: bool,
    /// Forged fields past the limit remembered in `headers` (value empty).
    pub forged_past_limit: usize,
}

impl Received {
    /// The message rebuilt as bytes (CRLF line endings, as on the wire) for scanning.
    pub fn raw(&self) -> Vec<u8> {
        let mut raw = Vec::with_capacity(self.body.len() + 64 * self.headers.len() + 2);
        for (name, value) in &self.headers {
            raw.extend_from_slice(name.as_bytes());
            raw.extend_from_slice(b": ");
            // Folded values come with bare LF or CRLF before the continuation's whitespace.
            raw.extend_from_slice(value.replace("\r\n", "\n").replace('\n', "\r\n").as_bytes());
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"\r\n");
        raw.extend_from_slice(&self.body);
        raw
    }

    /// Whether the whole message was kept (it is not over the size limit).
    pub fn complete(&self) -> bool {
        self.body.len() == self.body_size && self.dropped_header_bytes == 0
    }

    /// Notes a header field that is not kept (over the limits). A forged `X-Lurescreen-*`
    /// field among them is remembered by name (with an empty value), so that it is removed
    /// even from a message passed unscanned.
    pub fn drop_field(&mut self, name: &str, size: usize) {
        /// Forged fields remembered past the limit, and the longest name remembered.
        const MAX_FORGED: usize = 1000;
        const MAX_NAME: usize = 256;
        self.dropped_header_bytes = self.dropped_header_bytes.saturating_add(size);
        if crate::filter::has_prefix(name, PREFIX) {
            if self.forged_past_limit < MAX_FORGED && name.len() <= MAX_NAME {
                self.forged_past_limit += 1;
                self.headers.push((name.to_string(), String::new()));
            } else {
                self.forged_overflow = true;
            }
        }
    }

    /// Header bytes as they count towards the size limit, kept or not.
    pub fn header_size(&self) -> usize {
        self.headers
            .iter()
            .take(self.headers.len() - self.forged_past_limit)
            .map(|(n, v)| n.len() + v.len() + 4)
            .fold(self.dropped_header_bytes, usize::saturating_add)
    }
}

/// The SMTP answer at the end of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Accept,
    /// 451 4.7.1 with this text.
    Tempfail(String),
    /// 550 5.7.1 with this text.
    Reject(String),
}

/// Everything to do at end of message, in the order it is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Header fields to delete: name and 1-based index among fields of that name, highest
    /// index first so earlier deletions do not shift later ones.
    pub remove: Vec<(String, i32)>,
    /// Header fields to insert at the top, in this order (values may be folded with `\n `).
    pub insert: Vec<(String, String)>,
    /// New value for the first Subject field, or a Subject field to add if there is none.
    pub subject: Option<(bool, String)>,
    /// A replacement body (banner added).
    pub body: Option<Vec<u8>>,
    /// Reason for putting the message on hold.
    pub quarantine: Option<String>,
    pub decision: Decision,
}

/// Why a message was not scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unscanned {
    /// Over `limits.max_message_bytes`.
    TooLarge(usize),
    /// The scan failed or timed out.
    Failed(String),
}

/// The plan for a message that was scanned.
pub fn for_report(received: &Received, report: &Report, config: &Config, lang: Lang) -> Plan {
    let mut plan = base(received);
    let verdict = report.verdict;
    if verdict == Verdict::Reject {
        plan.insert.clear();
        plan.remove.clear();
        plan.decision = Decision::Reject(reject_text(report, &config.milter.reject_text));
        return plan;
    }
    for (name, value) in headers::fields(report) {
        plan.insert
            .push((name.to_string(), fold_value(name, &value)));
    }
    let markup = &config.markup;
    if verdict >= markup.min_verdict && (markup.subject_tag || markup.banner) {
        let raw = received.raw();
        if markup.subject_tag {
            plan.subject = tagged_subject(received, markup.subject_tag(lang), report);
        }
        if markup.banner {
            let only_banner = crate::config::Markup {
                subject_tag: false,
                ..markup.clone()
            };
            let (out, marked) = filter::annotate(&raw, report, &only_banner, lang);
            if let Some(note) = marked.banner.header_note() {
                plan.insert
                    .push(("X-Lurescreen-Banner".into(), note.into()));
            }
            let block = HeaderBlock::scan(&out);
            let body = out
                .get(block.end..)
                .map(|rest| rest.strip_prefix(b"\r\n").unwrap_or(rest));
            if let Some(body) = body
                && body != received.body.as_slice()
            {
                plan.body = Some(body.to_vec());
            }
        }
    }
    if verdict == Verdict::Quarantine && config.milter.quarantine {
        let rules: Vec<&str> = report.rule_scores().into_iter().map(|(r, _)| r).collect();
        plan.quarantine = Some(format!(
            "lurescreen: score {:.1}: {}",
            report.score,
            rules.join(", ")
        ));
    }
    plan
}

/// The plan for a message that could not be scanned.
pub fn for_unscanned(received: &Received, why: &Unscanned, config: &Config) -> Plan {
    let mut plan = base(received);
    let (action, message) = match why {
        Unscanned::TooLarge(size) => (
            config.milter.oversize_action,
            format!(
                "message is {size} bytes, over the limit of {} bytes; not scanned",
                config.limits.max_message_bytes
            ),
        ),
        Unscanned::Failed(e) => (config.milter.failure_action, e.clone()),
    };
    // Forged fields that could not all be removed: nothing may pass.
    let action = if received.forged_overflow {
        FailureAction::Tempfail
    } else {
        action
    };
    match action {
        FailureAction::Accept => {
            plan.insert.push((
                "X-Lurescreen-Error".into(),
                fold_value("X-Lurescreen-Error", &message),
            ));
        }
        FailureAction::Tempfail => {
            plan.remove.clear();
            plan.decision =
                Decision::Tempfail("lurescreen could not scan the message, try again later".into());
        }
    }
    plan
}

/// Removal of any `X-Lurescreen-*` field the sender put there.
fn base(received: &Received) -> Plan {
    let mut seen: Vec<(String, i32)> = Vec::new();
    let mut remove = Vec::new();
    for (name, _) in &received.headers {
        let lower = name.to_ascii_lowercase();
        let index = match seen.iter_mut().find(|(n, _)| *n == lower) {
            Some((_, count)) => {
                *count += 1;
                *count
            }
            None => {
                seen.push((lower, 1));
                1
            }
        };
        if crate::filter::has_prefix(name, PREFIX) {
            remove.push((name.clone(), index));
        }
    }
    remove.reverse();
    Plan {
        remove,
        insert: Vec::new(),
        subject: None,
        body: None,
        quarantine: None,
        decision: Decision::Accept,
    }
}

/// A header value folded like our filter output (continuations `\n ` as milters pass them).
fn fold_value(name: &str, value: &str) -> String {
    let folded = headers::fold(name, value, "\n");
    folded
        .strip_prefix(name)
        .and_then(|v| v.strip_prefix(": "))
        .unwrap_or(value)
        .trim_end_matches('\n')
        .to_string()
}

/// `(exists, new value)` for the Subject with the tag in front, unless it already has it.
fn tagged_subject(received: &Received, tag: &str, report: &Report) -> Option<(bool, String)> {
    if filter::has_tag(report.summary.subject.as_deref(), tag) {
        return None;
    }
    match received
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("subject"))
    {
        Some((_, value)) => {
            let rest = value.trim_start();
            Some((
                true,
                format!("{}{rest}", filter::subject_prefix(rest.as_bytes(), tag)),
            ))
        }
        None => Some((false, filter::encode_word(tag, false))),
    }
}

/// The 550 text: the configured text with the main reason, in printable ASCII (SMTP).
fn reject_text(report: &Report, template: &str) -> String {
    let main = report
        .findings
        .iter()
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .map(|f| f.reason_en.as_str())
        .unwrap_or("score over the reject threshold");
    let text = template.replace("{reason}", main);
    text.chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .take(400)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Signatures};

    fn received(headers: &[(&str, &str)], body: &str) -> Received {
        Received {
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            body_size: body.len(),
            ..Received::default()
        }
    }

    fn plan_for(r: &Received, config: Config) -> Plan {
        let engine = Engine::new(config.clone(), Signatures::embedded().unwrap());
        let report = engine.scan(&r.raw()).unwrap();
        for_report(r, &report, &config, Lang::En)
    }

    const SPOOF: (&str, &str) = ("From", "\"info@bank.co.jp\" <x@evil.example.net>");

    #[test]
    fn clean_mail_gets_headers_and_forged_ones_go() {
        let r = received(
            &[
                ("X-Lurescreen-Verdict", "clean"),
                ("Subject", "hi"),
                ("x-lurescreen-verdict", "clean again"),
                ("X-LURESCREEN-Score", "0"),
            ],
            "hello\r\n",
        );
        let p = plan_for(&r, Config::default());
        assert_eq!(
            p.remove,
            [
                ("X-LURESCREEN-Score".to_string(), 1),
                ("x-lurescreen-verdict".to_string(), 2),
                ("X-Lurescreen-Verdict".to_string(), 1),
            ]
        );
        let names: Vec<_> = p.insert.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "X-Lurescreen-Verdict",
                "X-Lurescreen-Score",
                "X-Lurescreen-Reasons"
            ]
        );
        assert_eq!(p.insert[0].1, "clean");
        assert_eq!(p.decision, Decision::Accept);
        assert!(p.quarantine.is_none() && p.body.is_none() && p.subject.is_none());
    }

    #[test]
    fn warn_gets_tag_and_banner_when_configured() {
        let mut c = Config::default();
        c.markup.subject_tag = true;
        c.markup.banner = true;
        let r = received(&[SPOOF, ("Subject", "check")], "body line\r\n");
        let p = plan_for(&r, c);
        assert_eq!(p.insert[0].1, "warn");
        assert_eq!(p.subject, Some((true, "[SUSPICIOUS] check".to_string())));
        let body = String::from_utf8(p.body.unwrap()).unwrap();
        assert!(body.starts_with("WARNING: lurescreen"), "{body}");
        assert!(body.ends_with("\r\n\r\nbody line\r\n"));
        assert_eq!(p.decision, Decision::Accept);
    }

    #[test]
    fn quarantine_holds_with_the_rules_as_reason() {
        let r = received(
            &[
                ("Subject", "invoice"),
                ("Content-Type", "multipart/mixed; boundary=b"),
            ],
            "--b\r\nContent-Type: text/plain\r\n\r\nsee\r\n--b\r\nContent-Type: application/octet-stream; name=\"a.pdf.exe\"\r\n\r\nMZ\r\n--b--\r\n",
        );
        let p = plan_for(&r, Config::default());
        assert_eq!(p.insert[0].1, "quarantine");
        let reason = p.quarantine.expect("held");
        assert!(reason.contains("ATTACH_DOUBLE_EXTENSION"), "{reason}");
        let mut c = Config::default();
        c.milter.quarantine = false;
        assert!(plan_for(&r, c).quarantine.is_none());
    }

    #[test]
    fn reject_answers_550_with_the_main_reason_in_ascii() {
        let mut c = Config::default();
        c.thresholds.reject = Some(10.0);
        let r = received(
            &[
                ("Subject", "x"),
                (
                    "Content-Type",
                    "application/octet-stream; name=\"請求書.pdf.exe\"",
                ),
            ],
            "MZ\r\n",
        );
        let p = plan_for(&r, c);
        let Decision::Reject(text) = p.decision else {
            panic!("expected reject, got {:?}", p.decision)
        };
        assert!(text.starts_with("Message refused"), "{text}");
        assert!(
            text.contains("hides an executable") && text.is_ascii(),
            "{text}"
        );
        assert!(p.insert.is_empty());
    }

    #[test]
    fn failures_follow_the_configured_action() {
        let r = received(&[("X-Lurescreen-Verdict", "clean")], "x");
        let c = Config::default();
        let p = for_unscanned(&r, &Unscanned::Failed("boom".into()), &c);
        assert!(matches!(p.decision, Decision::Tempfail(_)));
        let p = for_unscanned(&r, &Unscanned::TooLarge(99), &c);
        assert_eq!(p.decision, Decision::Accept);
        assert_eq!(p.insert[0].0, "X-Lurescreen-Error");
        assert_eq!(p.remove.len(), 1);
        let mut accept = Config::default();
        accept.milter.failure_action = FailureAction::Accept;
        let p = for_unscanned(&r, &Unscanned::Failed("boom".into()), &accept);
        assert_eq!(p.decision, Decision::Accept);
        assert_eq!(
            p.insert,
            [("X-Lurescreen-Error".to_string(), "boom".to_string())]
        );
    }

    #[test]
    fn long_reasons_are_folded_for_the_mta() {
        let v = fold_value("X-Lurescreen-Reasons", &"RULE_NAME_LONG=5.0, ".repeat(10));
        assert!(v.contains("\n "));
        assert!(v.lines().all(|l| l.len() <= 78));
    }

    #[test]
    fn rebuilt_message_unfolds_nothing_and_uses_crlf() {
        let r = received(&[("Subject", "a\n\tb"), ("To", "x@y")], "body\r\n");
        assert_eq!(r.raw(), b"Subject: a\r\n\tb\r\nTo: x@y\r\n\r\nbody\r\n");
    }
}
