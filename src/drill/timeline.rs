//! The per-person timeline of the HTML report: each person's lures sent, clicks by people and
//! reports to IT in time order, with the automated requests (link scanners, previews) apart.

use super::Generated;
use super::report::{OpenFrom, automated, esc, first_reports, open_from};
use super::send::{Logged, Status};
use super::store::{Click, QuizAnswers, Report};
use crate::lang::Lang;
use std::collections::HashMap;

/// Events kept per list and person: a bot hammering one link must not blow up the page; the
/// rest is counted.
pub const MAX_EVENTS: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The relay took the lure (or, with no `sent.csv`, the lures' Date).
    Sent,
    /// The relay refused it for good / deferred it (the latest line of `sent.csv`).
    Refused,
    Deferred,
    /// Requests from a person (`repeats` alike ones folded by the server).
    Clicked {
        repeats: u32,
    },
    /// Requests judged automated (see [`automated`]); `head` when the method was `HEAD`.
    Automated {
        repeats: u32,
        head: bool,
    },
    /// The lure's first report to IT; `by` the reporter when not the recipient.
    Reported {
        by: Option<String>,
    },
    /// The debrief's quiz answered (the first answers): right answers of how many.
    Quiz {
        correct: usize,
        questions: usize,
    },
    /// Open tracking: the body's image (`attachment` false) or the attachment's beacon loaded,
    /// not judged automated (an unreliable sign, see `report::open_from`).
    Opened {
        attachment: bool,
        repeats: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: i64,
    pub scenario: String,
    pub kind: Kind,
    /// Seconds since the lure was sent, when it was.
    pub since_sent: Option<i64>,
}

/// One person's events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    pub email: String,
    pub name: String,
    pub department: String,
    /// Sent, clicked and reported, in time order (at most [`MAX_EVENTS`]).
    pub events: Vec<Event>,
    /// Automated requests, in time order (at most [`MAX_EVENTS`]).
    pub automated: Vec<Event>,
    /// Events left out over [`MAX_EVENTS`], in `events` and in `automated`.
    pub more_events: usize,
    pub more_automated: usize,
}

/// The timeline of every person of the manifest, in the order they first appear in it.
pub fn build(
    generated: &Generated,
    log: &HashMap<String, Logged>,
    clicks: &[Click],
    reports: &[Report],
) -> Vec<Person> {
    build_with(generated, log, clicks, reports, &[], &[])
}

/// [`build`] with the quiz answers and the open-tracking requests (opens not judged automated
/// among the events, the others with the automated requests).
pub fn build_with(
    generated: &Generated,
    log: &HashMap<String, Logged>,
    clicks: &[Click],
    reports: &[Report],
    answers: &[QuizAnswers],
    opens: &[Click],
) -> Vec<Person> {
    let m = &generated.manifest;
    let first_report = first_reports(reports);
    let mut by_token: HashMap<&str, Vec<&Click>> = HashMap::new();
    for c in clicks {
        by_token.entry(c.token.as_str()).or_default().push(c);
    }
    let mut people: Vec<Person> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for e in &m.entries {
        let key = e.email.trim().to_ascii_lowercase();
        let n = *index.entry(key).or_insert_with(|| {
            people.push(Person {
                email: e.email.clone(),
                name: e.name.clone(),
                department: e.department.clone(),
                ..Person::default()
            });
            people.len() - 1
        });
        let person = &mut people[n];
        let event = |at: i64, kind: Kind, sent_at: Option<i64>| Event {
            at,
            scenario: e.scenario.clone(),
            kind,
            since_sent: sent_at.map(|s| at - s),
        };
        let sent_at = match log.get(&e.token) {
            Some(l) => {
                let (kind, sent) = match l.status {
                    Status::Sent => (Kind::Sent, Some(l.at)),
                    Status::Refused => (Kind::Refused, None),
                    Status::Deferred => (Kind::Deferred, None),
                };
                person.events.push(event(l.at, kind, None));
                sent
            }
            None if log.is_empty() => {
                person.events.push(event(m.date, Kind::Sent, None));
                Some(m.date)
            }
            None => None,
        };
        // Clicks and (with open tracking) image requests: a person's among the events, the
        // automated ones apart.
        let clicks_here = by_token
            .get(e.token.as_str())
            .into_iter()
            .flatten()
            .copied();
        let opens_here = opens.iter().filter(|o| o.token == e.token);
        for c in clicks_here.chain(opens_here) {
            let kind = match c.kind {
                super::store::Kind::Click if !automated(c, sent_at) => {
                    Kind::Clicked { repeats: c.repeats }
                }
                super::store::Kind::Open | super::store::Kind::Attachment
                    if open_from(c, sent_at) != OpenFrom::Automated =>
                {
                    Kind::Opened {
                        attachment: c.kind == super::store::Kind::Attachment,
                        repeats: c.repeats,
                    }
                }
                _ => {
                    person.automated.push(event(
                        c.clicked_at,
                        Kind::Automated {
                            repeats: c.repeats,
                            head: c.method.eq_ignore_ascii_case("HEAD"),
                        },
                        sent_at,
                    ));
                    continue;
                }
            };
            person.events.push(event(c.clicked_at, kind, sent_at));
        }
        if let Some(a) = answers.iter().find(|a| a.token == e.token) {
            person.events.push(event(
                a.answered_at,
                Kind::Quiz {
                    correct: a.correct,
                    questions: a.questions,
                },
                sent_at,
            ));
        }
        if let Some(r) = first_report.get(e.token.as_str()) {
            let by = (!r.reporter.is_empty() && !r.reporter.eq_ignore_ascii_case(e.email.trim()))
                .then(|| r.reporter.clone());
            person
                .events
                .push(event(r.reported_at, Kind::Reported { by }, sent_at));
        }
    }
    for p in &mut people {
        // Stable: at the same second, sent before clicked before reported, as pushed.
        p.events.sort_by_key(|e| e.at);
        p.automated.sort_by_key(|e| e.at);
        p.more_events = p.events.len().saturating_sub(MAX_EVENTS);
        p.more_automated = p.automated.len().saturating_sub(MAX_EVENTS);
        p.events.truncate(MAX_EVENTS);
        p.automated.truncate(MAX_EVENTS);
    }
    people
}

/// `2026-12-01 00:30` (UTC).
fn when(t: i64) -> String {
    let d = mail_parser::DateTime::from_timestamp(t);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        d.year, d.month, d.day, d.hour, d.minute
    )
}

fn what(e: &Event, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let times = |n: u32| {
        if n > 1 {
            format!(" ×{n}")
        } else {
            String::new()
        }
    };
    match &e.kind {
        Kind::Sent => (if ja { "送信" } else { "sent" }).to_string(),
        Kind::Refused => (if ja {
            "送信できず（宛先が拒否）"
        } else {
            "refused by the relay"
        })
        .to_string(),
        Kind::Deferred => (if ja {
            "送信保留（再送待ち）"
        } else {
            "deferred (to be retried)"
        })
        .to_string(),
        Kind::Clicked { repeats } => {
            format!(
                "{}{}",
                if ja { "クリック" } else { "clicked" },
                times(*repeats)
            )
        }
        Kind::Automated { repeats, head } => format!(
            "{}{}",
            match (ja, head) {
                (true, true) => "自動アクセス（HEAD）",
                (true, false) => "自動アクセス",
                (false, true) => "automated (HEAD)",
                (false, false) => "automated",
            },
            times(*repeats)
        ),
        Kind::Reported { by: None } => (if ja { "報告" } else { "reported" }).to_string(),
        Kind::Reported { by: Some(b) } => {
            if ja {
                format!("報告（{b} から）")
            } else {
                format!("reported by {b}")
            }
        }
        Kind::Quiz { correct, questions } => {
            if ja {
                format!("確認クイズ {questions} 問中 {correct} 問正解")
            } else {
                format!("quiz: {correct} of {questions} right")
            }
        }
        Kind::Opened {
            attachment,
            repeats,
        } => format!(
            "{}{}",
            match (ja, attachment) {
                (true, false) => "開封（画像・参考値）",
                (true, true) => "添付ファイルを開封（参考値）",
                (false, false) => "opened (image, unreliable)",
                (false, true) => "opened the attachment (unreliable)",
            },
            times(*repeats)
        ),
    }
}

fn class(k: &Kind) -> &'static str {
    match k {
        Kind::Sent => "ev-sent",
        Kind::Refused | Kind::Deferred => "ev-fail",
        Kind::Clicked { .. } => "ev-click",
        Kind::Automated { .. } => "ev-auto",
        Kind::Reported { .. } => "ev-report",
        Kind::Quiz { .. } => "ev-quiz",
        Kind::Opened { .. } => "ev-open",
    }
}

fn list(events: &[Event], more: usize, lang: Lang) -> String {
    if events.is_empty() {
        return "-".into();
    }
    let mut s = String::from("<ol class=\"tl\">");
    for e in events {
        let after = match e.since_sent {
            Some(d) if !matches!(e.kind, Kind::Sent) && d >= 0 => {
                let d = super::report::duration_in(d, lang);
                if lang == Lang::Ja {
                    format!(" <small>（+{d}）</small>")
                } else {
                    format!(" <small>(+{d})</small>")
                }
            }
            _ => String::new(),
        };
        s.push_str(&format!(
            "<li class=\"{}\"><time>{}</time> {}{after} <code>{}</code></li>",
            class(&e.kind),
            when(e.at),
            esc(&what(e, lang)),
            esc(&e.scenario)
        ));
    }
    if more > 0 {
        s.push_str(&format!(
            "<li class=\"ev-more\">{}</li>",
            if lang == Lang::Ja {
                format!("ほか {more} 件")
            } else {
                format!("and {more} more")
            }
        ));
    }
    s.push_str("</ol>");
    s
}

/// The timelines as an HTML section: one row per person.
pub fn html(people: &[Person], lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let t = |en: &'static str, jp: &'static str| if ja { jp } else { en };
    let mut s = format!(
        "<section class=\"timeline\"><h2>{}</h2><p><small>{}</small></p><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("Timeline per person", "個人別の経過"),
        t(
            "Times in UTC; (+…) is the time since that lure was sent. Automated requests (link scanners, previews, HEAD) are not clicks and are listed apart.",
            "時刻は UTC、（+…）はその訓練メールの送信からの時間です。自動アクセス（リンク検査ツール、プレビュー、HEAD）はクリックではないため、別の列に示します。"
        ),
        t("person", "氏名"),
        t(
            "sent, clicked and reported, in time order",
            "送信・クリック・報告（時刻順）"
        ),
        t("automated requests", "自動アクセス")
    );
    for p in people {
        let name = if p.name.is_empty() { &p.email } else { &p.name };
        let department = if p.department.is_empty() {
            String::new()
        } else {
            format!(" · {}", esc(&p.department))
        };
        s.push_str(&format!(
            "<tr><td>{}<br><small>{}{department}</small></td><td>{}</td><td>{}</td></tr>",
            esc(name),
            esc(&p.email),
            list(&p.events, p.more_events, lang),
            list(&p.automated, p.more_automated, lang)
        ));
    }
    s.push_str("</table></section>");
    s
}
