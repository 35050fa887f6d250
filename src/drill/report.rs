//! `drill report`: the campaign's results from the manifest, the send log and the click
//! database: sent, clicked, click rate, time to click, reported to IT, report rate, time to
//! report, per scenario and per department. As text, as a self-contained HTML page with inline
//! SVG bars, and one row per lure as CSV or JSON ([`lures`]).

use super::Generated;
use super::store::{Click, QuizAnswers, Report};
use crate::lang::Lang;
use std::collections::{BTreeMap, HashMap};

/// Time-to-click buckets: upper bound in seconds and label.
pub const BUCKETS: [(i64, &str); 6] = [
    (5 * 60, "< 5 min"),
    (30 * 60, "5-30 min"),
    (60 * 60, "30-60 min"),
    (4 * 3600, "1-4 h"),
    (24 * 3600, "4-24 h"),
    (i64::MAX, "> 1 day"),
];

/// Sent and clicked lures of one group (a scenario, a department, or everything).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub key: String,
    pub sent: usize,
    pub clicked: usize,
    /// Seconds from sending to the first click, one per clicked lure.
    pub times: Vec<i64>,
    /// Lures reported to IT, and the seconds from sending to the first report of each.
    pub reported: usize,
    pub report_times: Vec<i64>,
    /// Lures reported without a human click before the report.
    pub reported_first: usize,
    /// A scenario row's titles (English, Japanese).
    pub titles: Option<(String, String)>,
    /// Follow-up quiz ([`add_quiz`]): lures whose debrief a person saw (a human click, or quiz
    /// answers), lures whose quiz was answered, and the right answers of the questions answered.
    pub quiz_due: usize,
    pub quiz_answered: usize,
    pub quiz_correct: usize,
    pub quiz_questions: usize,
    /// Open tracking ([`add_opens`]): lures whose body image was loaded (not automated), lures
    /// sent with an attachment beacon, and those whose beacon was loaded.
    pub opened: usize,
    pub beacon_sent: usize,
    pub attachment_opened: usize,
}

impl Row {
    pub fn rate(&self) -> f64 {
        if self.sent == 0 {
            0.0
        } else {
            self.clicked as f64 / self.sent as f64
        }
    }

    pub fn median(&self) -> Option<i64> {
        median(&self.times)
    }

    /// Reported lures of the lures sent.
    pub fn report_rate(&self) -> f64 {
        if self.sent == 0 {
            0.0
        } else {
            self.reported as f64 / self.sent as f64
        }
    }

    pub fn report_median(&self) -> Option<i64> {
        median(&self.report_times)
    }

    /// Quizzes answered of the debriefs seen.
    pub fn quiz_completion(&self) -> f64 {
        if self.quiz_due == 0 {
            0.0
        } else {
            self.quiz_answered as f64 / self.quiz_due as f64
        }
    }

    /// Opened lures of the lures sent (an unreliable figure: see [`add_opens`]).
    pub fn open_rate(&self) -> f64 {
        if self.sent == 0 {
            0.0
        } else {
            self.opened as f64 / self.sent as f64
        }
    }

    /// Lures whose attachment was opened of those sent with an attachment beacon.
    pub fn attachment_open_rate(&self) -> f64 {
        if self.beacon_sent == 0 {
            0.0
        } else {
            self.attachment_opened as f64 / self.beacon_sent as f64
        }
    }

    /// Right answers of the questions answered; none when no quiz was answered.
    pub fn quiz_score(&self) -> Option<f64> {
        (self.quiz_questions > 0).then(|| self.quiz_correct as f64 / self.quiz_questions as f64)
    }
}

/// The middle value (the upper one of the two middle values of an even count).
fn median(times: &[i64]) -> Option<i64> {
    let mut t = times.to_vec();
    t.sort_unstable();
    t.get(t.len() / 2).copied()
}

#[derive(Debug, Clone)]
pub struct Results {
    pub campaign: String,
    pub organisation: String,
    /// Whether send times come from `sent.csv` (else from the lures' date).
    pub sent_log: bool,
    pub total: Row,
    /// People who got at least one lure / clicked at least one.
    pub people: usize,
    pub people_clicked: usize,
    pub per_scenario: Vec<Row>,
    pub per_department: Vec<Row>,
    /// Clicked lures per `BUCKETS` entry.
    pub buckets: [usize; 6],
    /// First clicks earlier than the recorded send time (clock skew, or sent without `send`).
    pub before_send: usize,
    /// Clicks on tokens the manifest does not know (another generation of the campaign).
    pub unknown_clicks: usize,
    /// `HEAD` requests (link checkers and previews; a person's click is a `GET`): not clicks.
    pub head_requests: u64,
    /// Requests judged automated (see [`automated`]), `HEAD` included, and the lures they hit.
    pub automated_requests: u64,
    pub automated_lures: usize,
    /// Clicks read from the spill file (the database could not store them when they came);
    /// counted in the results like the others. Set by the caller.
    pub unstored: usize,
    /// The campaign's report address, when it has one.
    pub report_address: Option<String>,
    /// Reports stored for tokens this manifest does not know, or for lures not sent.
    pub unknown_reports: usize,
    /// First reports dated before the lure was sent (left out of the times).
    pub reported_before_send: usize,
    /// Lures first reported by someone other than their recipient (a colleague forwarding it).
    pub reported_by_others: usize,
    /// Whether the follow-up quiz figures are shown: a scenario of the campaign has a quiz, or
    /// answers were stored. Set by [`add_quiz`].
    pub quiz_shown: bool,
    /// Quiz answers stored for tokens this manifest does not know, or for lures not sent.
    pub unknown_quiz: usize,
    /// Whether the open-tracking figures are shown (the campaign has `track_opens`). Set by
    /// [`add_opens`], like the three below.
    pub opens_shown: bool,
    /// Image requests judged automated (not counted as opens), with their repeats.
    pub automated_opens: u64,
    /// Lures counted as opened only through a mail provider's image proxy.
    pub proxied_opens: usize,
    /// Image requests read from the spill file, like [`Results::unstored`]. Set by the caller.
    pub unstored_opens: usize,
}

impl Results {
    /// Whether the report-to-IT figures are shown: the campaign has a report address, or
    /// reports were read.
    pub fn reports_shown(&self) -> bool {
        self.report_address.is_some() || self.total.reported > 0 || self.unknown_reports > 0
    }
}

/// Requests this soon after delivery are a machine's: a mail gateway or Safe-Links-style scanner
/// fetching every link as the mail arrives.
pub const AUTOMATED_WITHIN_SECS: i64 = 10;

/// User-agent fragments of link scanners, previews and scripts (lower case).
const SCANNER_AGENTS: &[&str] = &[
    "bot",
    "crawler",
    "spider",
    "scan",
    "preview",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "curl/",
    "wget/",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "httpclient",
    "headlesschrome",
    "phantomjs",
    "safelinks",
    "proofpoint",
    "mimecast",
    "barracuda",
    "urldefense",
    "fireeye",
    "trendmicro",
    "symantec",
    "forcepoint",
    "ms-office",
    "microsoft office",
    "skypeuripreview",
    "facebookexternalhit",
    "slack",
    "whatsapp",
];

/// Whether a request looks automated: `HEAD`, no or a scanner's user agent, or within
/// [`AUTOMATED_WITHIN_SECS`] of the lure's delivery (`sent_at`, when known).
pub fn automated(c: &Click, sent_at: Option<i64>) -> bool {
    let ua = c.user_agent.to_ascii_lowercase();
    c.method.eq_ignore_ascii_case("HEAD")
        || ua.trim().is_empty()
        || SCANNER_AGENTS.iter().any(|s| ua.contains(s))
        || sent_at.is_some_and(|t| (0..AUTOMATED_WITHIN_SECS).contains(&(c.clicked_at - t)))
}

/// Computes the results. A lure counts as sent when `sent.csv` lists it, or, when there is no
/// send log at all, every lure counts as sent at the lures' date. Only human clicks count as
/// clicks; automated requests ([`automated`]) are counted apart.
pub fn compute(
    generated: &Generated,
    sent_times: &HashMap<String, i64>,
    clicks: &[Click],
) -> Results {
    compute_with(generated, sent_times, clicks, &[])
}

/// The first report of each lure (the earliest; ties: the first stored).
pub fn first_reports(reports: &[Report]) -> HashMap<&str, &Report> {
    let mut first: HashMap<&str, &Report> = HashMap::new();
    for r in reports {
        first
            .entry(r.token.as_str())
            .and_modify(|f| {
                if r.reported_at < f.reported_at {
                    *f = r;
                }
            })
            .or_insert(r);
    }
    first
}

/// [`compute`] with the lures reported to IT (`drill reports`): a lure counts as reported by its
/// first report; "reported first" when no human click came before that report.
pub fn compute_with(
    generated: &Generated,
    sent_times: &HashMap<String, i64>,
    clicks: &[Click],
    reports: &[Report],
) -> Results {
    let m = &generated.manifest;
    let first_report = first_reports(reports);
    let mut reports_counted = 0;
    let mut reported_before_send = 0;
    let mut reported_by_others = 0;
    let sent_log = !sent_times.is_empty();
    let mut first: HashMap<&str, i64> = HashMap::new();
    let mut unknown_clicks = 0;
    let mut head_requests = 0u64;
    let mut automated_requests = 0u64;
    let mut automated_tokens: std::collections::HashSet<&str> = Default::default();
    for c in clicks {
        if c.method.eq_ignore_ascii_case("HEAD") {
            head_requests += u64::from(c.repeats);
        }
        if generated.entry(&c.token).is_none() {
            unknown_clicks += 1;
            continue;
        }
        let sent_at = if sent_log {
            sent_times.get(&c.token).copied()
        } else {
            Some(m.date)
        };
        if automated(c, sent_at) {
            automated_requests += u64::from(c.repeats);
            automated_tokens.insert(c.token.as_str());
            continue;
        }
        first
            .entry(c.token.as_str())
            .and_modify(|t| *t = (*t).min(c.clicked_at))
            .or_insert(c.clicked_at);
    }
    let mut total = Row {
        key: "all".into(),
        ..Row::default()
    };
    let mut scen: BTreeMap<String, Row> = BTreeMap::new();
    let mut dept: BTreeMap<String, Row> = BTreeMap::new();
    let mut people: BTreeMap<&str, bool> = BTreeMap::new();
    let mut buckets = [0usize; 6];
    let mut before_send = 0;
    // Scenario rows in the order the manifest first uses them.
    let mut scen_order: Vec<String> = Vec::new();
    for e in &m.entries {
        let sent_at = if sent_log {
            match sent_times.get(&e.token) {
                Some(t) => *t,
                None => continue,
            }
        } else {
            m.date
        };
        if !scen_order.contains(&e.scenario) {
            scen_order.push(e.scenario.clone());
        }
        let department = if e.department.is_empty() {
            "(none)".to_string()
        } else {
            e.department.clone()
        };
        let clicked = first.get(e.token.as_str()).map(|t| t - sent_at);
        let report = first_report.get(e.token.as_str());
        let reported = report.map(|r| r.reported_at - sent_at);
        let reported_first = report.is_some_and(|r| {
            first
                .get(e.token.as_str())
                .is_none_or(|c| r.reported_at < *c)
        });
        if let Some(r) = report {
            reports_counted += 1;
            if r.reported_at < sent_at {
                reported_before_send += 1;
            }
            if !r.reporter.is_empty() && !r.reporter.eq_ignore_ascii_case(e.email.trim()) {
                reported_by_others += 1;
            }
        }
        let person = people.entry(e.email.as_str()).or_insert(false);
        *person |= clicked.is_some();
        if let Some(dt) = clicked {
            if dt < 0 {
                before_send += 1;
            } else if let Some(n) = BUCKETS.iter().position(|(max, _)| dt < *max)
                && let Some(b) = buckets.get_mut(n)
            {
                *b += 1;
            }
        }
        for row in [
            &mut total,
            scen.entry(e.scenario.clone()).or_insert_with(|| Row {
                key: e.scenario.clone(),
                titles: generated
                    .scenario(&e.scenario)
                    .map(|s| (s.title_en, s.title_ja)),
                ..Row::default()
            }),
            dept.entry(department.clone()).or_insert_with(|| Row {
                key: department.clone(),
                ..Row::default()
            }),
        ] {
            row.sent += 1;
            if let Some(dt) = clicked {
                row.clicked += 1;
                if dt >= 0 {
                    row.times.push(dt);
                }
            }
            if let Some(dt) = reported {
                row.reported += 1;
                if dt >= 0 {
                    row.report_times.push(dt);
                }
                if reported_first {
                    row.reported_first += 1;
                }
            }
        }
    }
    Results {
        campaign: m.campaign.clone(),
        organisation: m.organisation.clone(),
        sent_log,
        total,
        people: people.len(),
        people_clicked: people.values().filter(|c| **c).count(),
        per_scenario: scen_order.iter().filter_map(|s| scen.remove(s)).collect(),
        per_department: dept.into_values().collect(),
        buckets,
        before_send,
        unknown_clicks,
        head_requests,
        automated_requests,
        automated_lures: automated_tokens.len(),
        unstored: 0,
        report_address: m.report.as_ref().map(|r| r.address.clone()),
        unknown_reports: first_report.len() - reports_counted,
        reported_before_send,
        reported_by_others,
        quiz_shown: false,
        unknown_quiz: 0,
        opens_shown: false,
        automated_opens: 0,
        proxied_opens: 0,
        unstored_opens: 0,
    }
}

/// User-agent fragments (lower case) of mail providers' image proxies: Gmail and Yahoo load a
/// mail's images through them when the reader opens it, so the request is the reader's open, but
/// the address and user agent are the proxy's.
const IMAGE_PROXIES: &[&str] = &["googleimageproxy", "ggpht.com", "yahoomailproxy"];

/// Where an open-tracking image request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenFrom {
    /// A mail program or browser that loaded the image itself.
    Reader,
    /// A mail provider's image proxy, on the reader's behalf ([`IMAGE_PROXIES`]).
    Proxy,
    /// A machine, not counted as an open: what [`automated`] says of clicks (`HEAD`, a
    /// scanner's or no user agent, within seconds of delivery), and the bare `Mozilla/5.0` of
    /// Apple Mail Privacy Protection, which loads every mail's images in advance, read or not.
    Automated,
}

/// Classifies one image request (`sent_at`: the lure's delivery, when known).
pub fn open_from(c: &Click, sent_at: Option<i64>) -> OpenFrom {
    let ua = c.user_agent.trim().to_ascii_lowercase();
    if automated(c, sent_at) || ua == "mozilla/5.0" {
        OpenFrom::Automated
    } else if IMAGE_PROXIES.iter().any(|p| ua.contains(p)) {
        OpenFrom::Proxy
    } else {
        OpenFrom::Reader
    }
}

/// Adds the open-tracking figures to `r` (computed with the same `sent_times`) from the image
/// requests `opens` (body images and attachment beacons): per scenario, department and in
/// total, the lures opened (an image request not judged automated, see [`open_from`]), the lures
/// sent with an attachment beacon and those whose beacon was loaded. Opens are an unreliable
/// figure: a mail program that blocks images shows no open, and a prefetch not recognised as
/// one shows an open nobody made.
pub fn add_opens(
    r: &mut Results,
    generated: &Generated,
    sent_times: &HashMap<String, i64>,
    opens: &[Click],
) {
    use super::store::Kind;
    let m = &generated.manifest;
    r.opens_shown = m.track_opens;
    let sent_log = !sent_times.is_empty();
    for e in &m.entries {
        let sent_at = if sent_log {
            match sent_times.get(&e.token) {
                Some(t) => *t,
                None => continue,
            }
        } else {
            m.date
        };
        let mut from = |kind: Kind| {
            let mut reader = false;
            let mut proxy = false;
            for c in opens
                .iter()
                .filter(|c| c.token == e.token && c.kind == kind)
            {
                match open_from(c, Some(sent_at)) {
                    OpenFrom::Reader => reader = true,
                    OpenFrom::Proxy => proxy = true,
                    OpenFrom::Automated => r.automated_opens += u64::from(c.repeats),
                }
            }
            (reader, proxy)
        };
        let (reader, proxy) = from(Kind::Open);
        let (att_reader, att_proxy) = from(Kind::Attachment);
        let opened = reader || proxy;
        if proxy && !reader {
            r.proxied_opens += 1;
        }
        let department = if e.department.is_empty() {
            "(none)"
        } else {
            e.department.as_str()
        };
        let rows = [
            Some(&mut r.total),
            r.per_scenario.iter_mut().find(|row| row.key == e.scenario),
            r.per_department
                .iter_mut()
                .find(|row| row.key == department),
        ];
        for row in rows.into_iter().flatten() {
            row.opened += usize::from(opened);
            row.beacon_sent += usize::from(e.attachment_beacon);
            row.attachment_opened += usize::from(e.attachment_beacon && (att_reader || att_proxy));
        }
    }
}

/// What the reader of the open figures must know, in `lang`.
fn opens_caveat(r: &Results, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "開封の数値は参考値で、信頼できる指標ではありません。画像を表示しないメールソフトでは開封されても記録されず、Apple Mail のプライバシー保護やメールゲートウェイは読まれていないメールの画像も先に読み込みます（見分けられたもの {} 件は自動として除外）。Gmail・Yahoo は画像を自社のプロキシ経由で読み込みます（プロキシ経由の開封のみの訓練メール {} 通）。判断にはクリック率と報告率を使ってください。",
            r.automated_opens, r.proxied_opens
        ),
        Lang::En => format!(
            "Opens are an unreliable indicator: mail programs that block images record no open, and Apple Mail Privacy Protection and mail gateways load images of mails nobody read ({} such request(s) recognised and left out as automated); Gmail and Yahoo load images through their own proxies ({} lure(s) opened only that way). Judge the drill by clicks and reports.",
            r.automated_opens, r.proxied_opens
        ),
    }
}

/// Adds the follow-up quiz figures to `r` (computed with the same `sent_times` and `clicks`):
/// per scenario, department and in total, the debriefs seen (lures with a human click, or with
/// quiz answers, which only a person on the page can send), the quizzes answered, and the right
/// answers of the questions answered.
pub fn add_quiz(
    r: &mut Results,
    generated: &Generated,
    sent_times: &HashMap<String, i64>,
    clicks: &[Click],
    answers: &[QuizAnswers],
) {
    let m = &generated.manifest;
    let sent_log = !sent_times.is_empty();
    let answered: HashMap<&str, &QuizAnswers> =
        answers.iter().map(|a| (a.token.as_str(), a)).collect();
    let mut counted = 0;
    r.quiz_shown = !answers.is_empty();
    for e in &m.entries {
        let sent_at = if sent_log {
            match sent_times.get(&e.token) {
                Some(t) => *t,
                None => continue,
            }
        } else {
            m.date
        };
        if generated
            .scenario(&e.scenario)
            .is_some_and(|s| !s.quiz.is_empty())
        {
            r.quiz_shown = true;
        }
        let clicked = clicks
            .iter()
            .any(|c| c.token == e.token && !automated(c, Some(sent_at)));
        let answer = answered.get(e.token.as_str());
        counted += usize::from(answer.is_some());
        if !clicked && answer.is_none() {
            continue;
        }
        let department = if e.department.is_empty() {
            "(none)"
        } else {
            e.department.as_str()
        };
        let rows = [
            Some(&mut r.total),
            r.per_scenario.iter_mut().find(|row| row.key == e.scenario),
            r.per_department
                .iter_mut()
                .find(|row| row.key == department),
        ];
        for row in rows.into_iter().flatten() {
            row.quiz_due += 1;
            if let Some(a) = answer {
                row.quiz_answered += 1;
                row.quiz_correct += a.correct;
                row.quiz_questions += a.questions;
            }
        }
    }
    r.unknown_quiz = answered.len() - counted;
}

/// `1 h 05 min`, `12 min`, `45 s`.
pub fn duration(secs: i64) -> String {
    if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{} min", secs / 60)
    } else if secs < 86_400 {
        format!("{} h {:02} min", secs / 3600, secs % 3600 / 60)
    } else {
        format!("{} d {} h", secs / 86_400, secs % 86_400 / 3600)
    }
}

pub(super) fn pct(r: f64) -> String {
    format!("{:.1}%", r * 100.0)
}

/// Bucket labels in Japanese, in `BUCKETS` order.
const BUCKETS_JA: [&str; 6] = [
    "5 分未満",
    "5〜30 分",
    "30〜60 分",
    "1〜4 時間",
    "4〜24 時間",
    "1 日超",
];

/// [`duration`] in Japanese: `1 時間 05 分`, `12 分`, `45 秒`.
pub fn duration_ja(secs: i64) -> String {
    if secs < 60 {
        format!("{secs} 秒")
    } else if secs < 3600 {
        format!("{} 分", secs / 60)
    } else if secs < 86_400 {
        format!("{} 時間 {:02} 分", secs / 3600, secs % 3600 / 60)
    } else {
        format!("{} 日 {} 時間", secs / 86_400, secs % 86_400 / 3600)
    }
}

pub(super) fn duration_in(secs: i64, lang: Lang) -> String {
    match lang {
        Lang::Ja => duration_ja(secs),
        Lang::En => duration(secs),
    }
}

/// `text` padded with spaces to `width` terminal columns (CJK characters take two), on the left
/// or the right.
pub(super) fn pad(text: &str, width: usize, right: bool) -> String {
    use unicode_width::UnicodeWidthStr;
    let fill = " ".repeat(width.saturating_sub(text.width()));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

/// What the reader of the results should know besides the figures, one sentence each.
fn notes(r: &Results, lang: Lang) -> Vec<String> {
    let ja = lang == Lang::Ja;
    let mut out = Vec::new();
    if r.before_send > 0 {
        out.push(if ja {
            format!(
                "記録された送信時刻より前の最初のクリック {} 件は、時間の集計から除いています",
                r.before_send
            )
        } else {
            format!(
                "{} first click(s) before the recorded send time, left out of the times",
                r.before_send
            )
        });
    }
    if r.unknown_clicks > 0 {
        out.push(if ja {
            format!(
                "このマニフェストにないトークンへのクリック {} 件",
                r.unknown_clicks
            )
        } else {
            format!(
                "{} click(s) on tokens this manifest does not know",
                r.unknown_clicks
            )
        });
    }
    if r.automated_requests > 0 {
        out.push(if ja {
            format!(
                "自動アクセス {} 件（訓練メール {} 通）はクリックに数えていません：HEAD {} 件、リンク検査ツールの User-Agent、または配信後 {AUTOMATED_WITHIN_SECS} 秒以内",
                r.automated_requests, r.automated_lures, r.head_requests
            )
        } else {
            format!(
                "{} automated request(s) on {} lure(s), not counted as clicks: HEAD ({}), link scanners' user agents, or within {AUTOMATED_WITHIN_SECS} s of delivery",
                r.automated_requests, r.automated_lures, r.head_requests
            )
        });
    }
    if r.unknown_reports > 0 {
        out.push(if ja {
            format!(
                "このマニフェストにない、または送信していない訓練メールの報告 {} 件",
                r.unknown_reports
            )
        } else {
            format!(
                "{} report(s) of lures this manifest does not know or that were not sent",
                r.unknown_reports
            )
        });
    }
    if r.reported_before_send > 0 {
        out.push(if ja {
            format!(
                "記録された送信時刻より前の日時の報告 {} 件は、時間の集計から除いています",
                r.reported_before_send
            )
        } else {
            format!(
                "{} report(s) dated before the recorded send time, left out of the times",
                r.reported_before_send
            )
        });
    }
    if r.reported_by_others > 0 {
        out.push(if ja {
            format!(
                "{} 通の訓練メールは、受信者本人以外（同僚など）が最初に報告しました",
                r.reported_by_others
            )
        } else {
            format!(
                "{} lure(s) first reported by someone other than their recipient",
                r.reported_by_others
            )
        });
    }
    if r.unknown_quiz > 0 {
        out.push(if ja {
            format!(
                "このマニフェストにない、または送信していない訓練メールのクイズ回答 {} 件",
                r.unknown_quiz
            )
        } else {
            format!(
                "{} quiz answer(s) for lures this manifest does not know or that were not sent",
                r.unknown_quiz
            )
        });
    }
    if r.unstored > 0 {
        out.push(if ja {
            format!(
                "{} 件のクリックは退避ファイルから読みました：記録時にデータベースへ保存できなかったものです",
                r.unstored
            )
        } else {
            format!(
                "{} click(s) read from the spill file: the database could not store them when they came",
                r.unstored
            )
        });
    }
    if r.unstored_opens > 0 {
        out.push(if ja {
            format!(
                "{} 件の開封（画像の読み込み）は退避ファイルから読みました：記録時にデータベースへ保存できなかったものです",
                r.unstored_opens
            )
        } else {
            format!(
                "{} open(s) (image requests) read from the spill file: the database could not store them when they came",
                r.unstored_opens
            )
        });
    }
    out
}

/// Writes a text table per scenario and per department: a title row (`title`, then each column's
/// name right-aligned in its width) and one row per group with the cells `cells` gives, every
/// column padded by display width.
fn text_tables(
    out: &mut String,
    r: &Results,
    lang: Lang,
    columns: &[(&str, usize)],
    cells: &dyn Fn(&Row) -> Vec<String>,
) {
    let (scenario, department) = match lang {
        Lang::Ja => ("シナリオ", "部署"),
        Lang::En => ("scenario", "department"),
    };
    for (title, rows) in [(scenario, &r.per_scenario), (department, &r.per_department)] {
        out.push('\n');
        out.push_str(&pad(title, 26, false));
        for (name, width) in columns {
            out.push(' ');
            out.push_str(&pad(name, *width, true));
        }
        out.push('\n');
        for row in rows.iter() {
            out.push_str(&pad(&row.key, 26, false));
            for ((_, width), cell) in columns.iter().zip(cells(row)) {
                out.push(' ');
                out.push_str(&pad(&cell, *width, true));
            }
            out.push('\n');
        }
    }
}

/// The results as text for the terminal, in English.
pub fn text(r: &Results) -> String {
    text_in(r, Lang::En)
}

/// The results as text for the terminal, in `lang`; columns aligned by display width.
pub fn text_in(r: &Results, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let t = |en: &'static str, jp: &'static str| if ja { jp } else { en };
    let mut out = if ja {
        format!(
            "訓練キャンペーン {}（{}）\n\n送信 {}  クリック {}  クリック率 {}  クリックした人 {} / {} 人\n",
            r.campaign,
            r.organisation,
            r.total.sent,
            r.total.clicked,
            pct(r.total.rate()),
            r.people_clicked,
            r.people
        )
    } else {
        format!(
            "Drill campaign {} ({})\n\nsent {}  clicked {}  click rate {}  people who clicked {} of {}\n",
            r.campaign,
            r.organisation,
            r.total.sent,
            r.total.clicked,
            pct(r.total.rate()),
            r.people_clicked,
            r.people
        )
    };
    if r.reports_shown() {
        let median = r
            .total
            .report_median()
            .map_or("-".into(), |d| duration_in(d, lang));
        out.push_str(&if ja {
            format!(
                "報告 {}  報告率 {}  報告まで(中央値) {median}  クリック前に報告 {}\n",
                r.total.reported,
                pct(r.total.report_rate()),
                r.total.reported_first
            )
        } else {
            format!(
                "reported {}  report rate {}  median to report {median}  reported before clicking {}\n",
                r.total.reported,
                pct(r.total.report_rate()),
                r.total.reported_first
            )
        });
        if let Some(a) = &r.report_address {
            out.push_str(&if ja {
                format!("（報告先 {a}）\n")
            } else {
                format!("(report address {a})\n")
            });
        }
    }
    if !r.sent_log {
        out.push_str(t(
            "(no sent.csv: every lure counts as sent at its Date)\n",
            "（sent.csv がないため、すべての訓練メールを Date の時刻に送信したものとして数えています）\n",
        ));
    }
    let median = |d: Option<i64>| d.map_or("-".into(), |d| duration_in(d, lang));
    text_tables(
        &mut out,
        r,
        lang,
        &[
            (t("sent", "送信"), 6),
            (t("clicked", "クリック"), 8),
            (t("rate", "率"), 8),
            (t("median to click", "クリックまで(中央値)"), 20),
        ],
        &|row| {
            vec![
                row.sent.to_string(),
                row.clicked.to_string(),
                pct(row.rate()),
                median(row.median()),
            ]
        },
    );
    if r.reports_shown() {
        out.push_str(t("\nreported to IT\n", "\n情報システム部門への報告\n"));
        text_tables(
            &mut out,
            r,
            lang,
            &[
                (t("sent", "送信"), 6),
                (t("reported", "報告"), 8),
                (t("rate", "報告率"), 8),
                (t("median to report", "報告まで(中央値)"), 20),
                (t("before click", "クリック前に報告"), 16),
            ],
            &|row| {
                vec![
                    row.sent.to_string(),
                    row.reported.to_string(),
                    pct(row.report_rate()),
                    median(row.report_median()),
                    row.reported_first.to_string(),
                ]
            },
        );
    }
    if r.quiz_shown {
        out.push_str(&if ja {
            format!(
                "\n確認クイズ（訓練の解説ページ）：閲覧 {}  回答 {}  回答率 {}  正答率 {}\n",
                r.total.quiz_due,
                r.total.quiz_answered,
                pct(r.total.quiz_completion()),
                r.total.quiz_score().map_or("-".into(), pct)
            )
        } else {
            format!(
                "\nfollow-up quiz (on the debrief page): seen {}  answered {}  completion {}  score {}\n",
                r.total.quiz_due,
                r.total.quiz_answered,
                pct(r.total.quiz_completion()),
                r.total.quiz_score().map_or("-".into(), pct)
            )
        });
        out.push_str(t(
            "(seen: lures whose debrief a person opened; completion: answered of seen; score: right answers of the questions answered)\n",
            "（閲覧：人が解説ページを開いた訓練メール、回答率：閲覧のうち回答した割合、正答率：回答した問題のうち正解の割合）\n",
        ));
        text_tables(
            &mut out,
            r,
            lang,
            &[
                (t("seen", "閲覧"), 6),
                (t("answered", "回答"), 8),
                (t("completion", "回答率"), 10),
                (t("score", "正答率"), 8),
            ],
            &|row| {
                vec![
                    row.quiz_due.to_string(),
                    row.quiz_answered.to_string(),
                    pct(row.quiz_completion()),
                    row.quiz_score().map_or("-".into(), pct),
                ]
            },
        );
    }
    if r.opens_shown {
        out.push_str(&if ja {
            format!(
                "\n開封（参考値・信頼性は低い）：本文の画像 {} / {} 通（{}）  添付ファイル {} / {} 通（{}）\n",
                r.total.opened,
                r.total.sent,
                pct(r.total.open_rate()),
                r.total.attachment_opened,
                r.total.beacon_sent,
                pct(r.total.attachment_open_rate())
            )
        } else {
            format!(
                "\nopens (unreliable indicator): body image {} of {} ({})  attachment {} of {} ({})\n",
                r.total.opened,
                r.total.sent,
                pct(r.total.open_rate()),
                r.total.attachment_opened,
                r.total.beacon_sent,
                pct(r.total.attachment_open_rate())
            )
        });
        out.push_str(&if ja {
            format!("（{}）\n", opens_caveat(r, lang))
        } else {
            format!("({})\n", opens_caveat(r, lang))
        });
        text_tables(
            &mut out,
            r,
            lang,
            &[
                (t("sent", "送信"), 6),
                (t("opened", "開封"), 8),
                (t("rate", "開封率"), 8),
                (t("attached", "添付あり"), 8),
                (t("att. opened", "添付の開封"), 12),
                (t("rate", "開封率"), 8),
            ],
            &|row| {
                vec![
                    row.sent.to_string(),
                    row.opened.to_string(),
                    pct(row.open_rate()),
                    row.beacon_sent.to_string(),
                    row.attachment_opened.to_string(),
                    if row.beacon_sent == 0 {
                        "-".to_string()
                    } else {
                        pct(row.attachment_open_rate())
                    },
                ]
            },
        );
    }
    out.push_str(t("\ntime to first click\n", "\n最初のクリックまでの時間\n"));
    let clicked: usize = r.buckets.iter().sum();
    for (((_, label), label_ja), n) in BUCKETS.iter().zip(BUCKETS_JA).zip(r.buckets) {
        out.push_str(&format!(
            "  {} {n:>5}  {}\n",
            pad(if ja { label_ja } else { label }, 10, false),
            "#".repeat((n * 40).checked_div(clicked).unwrap_or(0))
        ));
    }
    for note in notes(r, lang) {
        out.push_str(&if ja {
            format!("  （{note}）\n")
        } else {
            format!("  ({note})\n")
        });
    }
    out
}

pub(super) fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// Horizontal bars: one per row, `value` of `max`, with a label and a text on the right; red
/// (clicks: fewer is better).
fn bars(rows: &[(String, f64, String)], max: f64) -> String {
    bars_in(rows, max, "#dc2626")
}

/// [`bars`] in `color`.
fn bars_in(rows: &[(String, f64, String)], max: f64, color: &str) -> String {
    const W: f64 = 420.0;
    const LABEL: f64 = 250.0;
    const H: usize = 26;
    let height = rows.len() * H + 6;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" font-size=\"13\">",
        LABEL + W + 110.0
    );
    for (n, (label, value, text)) in rows.iter().enumerate() {
        let y = n * H + 3;
        let w = if max > 0.0 { value / max * W } else { 0.0 };
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#374151\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{W}\" height=\"18\" fill=\"#f3f4f6\"/>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"{color}\"/>\
             <text x=\"{}\" y=\"{}\" fill=\"#111827\">{}</text>",
            LABEL - 8.0,
            y + 14,
            esc(label),
            LABEL + W + 8.0,
            y + 14,
            esc(text)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The results as one self-contained HTML page (inline CSS and SVG, no script, no external
/// asset), in English.
pub fn html(r: &Results) -> String {
    html_in(r, Lang::En)
}

/// The results as one self-contained HTML page in `lang`.
pub fn html_in(r: &Results, lang: Lang) -> String {
    html_page(r, &Page::default(), lang)
}

/// What the HTML page shows besides the campaign's own figures, each section as HTML.
#[derive(Debug, Clone, Copy, Default)]
pub struct Page<'a> {
    /// The comparison with an earlier campaign (`drill report --compare`, `compare::html`).
    pub comparison: Option<&'a str>,
    /// Each person's events (`timeline::html`).
    pub timeline: Option<&'a str>,
}

/// The results as one self-contained HTML page in `lang`, with the extra sections of `page`.
pub fn html_page(r: &Results, page: &Page, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let compare_html = page.comparison.unwrap_or_default();
    let timeline_html = page.timeline.unwrap_or_default();
    let t = |en: &'static str, jp: &'static str| if ja { jp } else { en };
    let rate_rows = |rows: &[Row]| -> Vec<(String, f64, String)> {
        rows.iter()
            .map(|row| {
                (
                    row.key.clone(),
                    row.rate(),
                    format!("{} ({}/{})", pct(row.rate()), row.clicked, row.sent),
                )
            })
            .collect()
    };
    let table = |rows: &[Row], scen: bool| -> String {
        let mut t = format!(
            "<table><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            t("sent", "送信"),
            t("clicked", "クリック"),
            t("rate", "率"),
            t("median time to click", "クリックまでの時間（中央値）")
        );
        for row in rows {
            let title = if scen {
                row.titles
                    .as_ref()
                    .map(|(en, ja)| format!("<br><small>{} / {}</small>", esc(en), esc(ja)))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            t.push_str(&format!(
                "<tr><td><code>{}</code>{title}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.key),
                row.sent,
                row.clicked,
                pct(row.rate()),
                row.median().map_or("-".into(), |d| duration_in(d, lang))
            ));
        }
        t.push_str("</table>");
        t
    };
    let clicked: usize = r.buckets.iter().sum();
    let bucket_rows: Vec<(String, f64, String)> = BUCKETS
        .iter()
        .zip(BUCKETS_JA)
        .zip(r.buckets)
        .map(|(((_, label), label_ja), n)| {
            (
                (if ja { label_ja } else { label }).to_string(),
                n as f64,
                n.to_string(),
            )
        })
        .collect();
    let max_bucket = r.buckets.iter().copied().max().unwrap_or(0) as f64;
    let mut notes_html = String::new();
    if !r.sent_log {
        notes_html.push_str(t("<p class=\"note\">No send log (sent.csv): every lure counts as sent at its Date header.</p>", "<p class=\"note\">送信記録（sent.csv）がないため、すべての訓練メールを Date の時刻に送信したものとして数えています。</p>"));
    }
    for note in notes(r, lang) {
        notes_html.push_str(&format!(
            "<p class=\"note\">{}{}</p>",
            esc(&note),
            t(".", "。")
        ));
    }
    let within_30 = r.buckets.iter().take(2).sum::<usize>();
    let reports_html = if r.reports_shown() {
        let report_rows = |rows: &[Row]| -> Vec<(String, f64, String)> {
            rows.iter()
                .map(|row| {
                    (
                        row.key.clone(),
                        row.report_rate(),
                        format!("{} ({}/{})", pct(row.report_rate()), row.reported, row.sent),
                    )
                })
                .collect()
        };
        let mut table = format!(
            "<table><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            t("sent", "送信"),
            t("reported", "報告"),
            t("report rate", "報告率"),
            t("median time to report", "報告までの時間（中央値）"),
            t("reported before clicking", "クリック前に報告")
        );
        for row in &r.per_department {
            table.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.key),
                row.sent,
                row.reported,
                pct(row.report_rate()),
                row.report_median()
                    .map_or("-".into(), |d| duration_in(d, lang)),
                row.reported_first
            ));
        }
        table.push_str("</table>");
        let address = r.report_address.as_deref().map_or(String::new(), |a| {
            format!(
                "<p>{} <code>{}</code></p>",
                t("Report address:", "報告先："),
                esc(a)
            )
        });
        format!(
            "<section><h2>{}</h2>\n<div class=\"cards\">\
             <div class=\"card\">{}<b>{}</b></div>\
             <div class=\"card\">{}<b>{}</b></div>\
             <div class=\"card\">{}<b>{}</b></div>\
             <div class=\"card\">{}<b>{}</b></div></div>\n{address}{}{table}</section>",
            t(
                "Reported to IT per department",
                "部署別の報告率（情報システム部門への報告）"
            ),
            t("reported", "報告された訓練メール"),
            r.total.reported,
            t("report rate", "報告率"),
            pct(r.total.report_rate()),
            t("median time to report", "報告までの時間（中央値）"),
            r.total
                .report_median()
                .map_or("-".into(), |d| duration_in(d, lang)),
            t("reported before clicking", "クリック前に報告"),
            r.total.reported_first,
            // Green: more reports are better.
            bars_in(&report_rows(&r.per_department), 1.0, "#16a34a"),
        )
    } else {
        String::new()
    };
    let quiz_html = if r.quiz_shown {
        let table = |rows: &[Row], scen: bool| -> String {
            let mut table = format!(
                "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                if scen {
                    t("scenario", "シナリオ")
                } else {
                    t("department", "部署")
                },
                t("debrief seen", "解説ページの閲覧"),
                t("quiz answered", "クイズに回答"),
                t("completion", "回答率"),
                t("score", "正答率"),
            );
            for row in rows {
                let key = if scen {
                    format!("<code>{}</code>", esc(&row.key))
                } else {
                    esc(&row.key)
                };
                table.push_str(&format!(
                    "<tr><td>{key}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    row.quiz_due,
                    row.quiz_answered,
                    pct(row.quiz_completion()),
                    row.quiz_score().map_or("-".into(), pct)
                ));
            }
            table.push_str("</table>");
            table
        };
        format!(
            "<section class=\"quiz\"><h2>{}</h2>\n<div class=\"cards\">\
             <div class=\"card\">{}<b>{}</b></div>\
             <div class=\"card\">{}<b>{}</b></div>\
             <div class=\"card\">{}<b>{}</b></div>\
             <div class=\"card\">{}<b>{}</b></div></div>\n<p><small>{}</small></p>{}{}</section>",
            t(
                "Follow-up quiz on the debrief page",
                "解説ページの確認クイズ"
            ),
            t("debrief seen", "解説ページの閲覧"),
            r.total.quiz_due,
            t("quiz answered", "クイズに回答"),
            r.total.quiz_answered,
            t("completion", "回答率"),
            pct(r.total.quiz_completion()),
            t("score", "正答率"),
            r.total.quiz_score().map_or("-".into(), pct),
            t(
                "Debrief seen: lures whose debrief page a person opened (a click that is not automated, or quiz answers). Completion: quizzes answered of the debriefs seen. Score: right answers of the questions answered (first answers only).",
                "解説ページの閲覧：人が解説ページを開いた訓練メール（自動アクセスでないクリック、またはクイズの回答があったもの）。回答率：閲覧のうちクイズに回答した割合。正答率：回答した問題のうち正解の割合（最初の回答のみ）。"
            ),
            table(&r.per_department, false),
            table(&r.per_scenario, true),
        )
    } else {
        String::new()
    };
    let opens_html = if r.opens_shown {
        let mut table = format!(
            "<table><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            t("sent", "送信"),
            t("opened (body image)", "開封（本文の画像）"),
            t("open rate", "開封率"),
            t("sent with a tracked attachment", "追跡付きの添付あり"),
            t("attachment opened", "添付ファイルの開封"),
            t("attachment-open rate", "添付ファイル開封率"),
        );
        for row in &r.per_department {
            table.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.key),
                row.sent,
                row.opened,
                pct(row.open_rate()),
                row.beacon_sent,
                row.attachment_opened,
                if row.beacon_sent == 0 {
                    "-".to_string()
                } else {
                    pct(row.attachment_open_rate())
                }
            ));
        }
        table.push_str("</table>");
        format!(
            "<section class=\"opens\"><h2>{}</h2>\n<p class=\"note\">{}</p>\n<div class=\"cards\">\
             <div class=\"card\">{}<b>{}</b></div>\
             <div class=\"card\">{}<b>{}</b></div></div>\n{table}</section>",
            t(
                "Opens per department (unreliable indicator)",
                "部署別の開封率（参考値・信頼性は低い）"
            ),
            esc(&opens_caveat(r, lang)),
            t("open rate (body image)", "開封率（本文の画像）"),
            pct(r.total.open_rate()),
            t("attachment-open rate", "添付ファイル開封率"),
            if r.total.beacon_sent == 0 {
                "-".to_string()
            } else {
                pct(r.total.attachment_open_rate())
            },
        )
    } else {
        String::new()
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{results}: {campaign}</title>
<style>
body {{ margin: 0; background: #f3f4f6; color: #1f2937; line-height: 1.5;
  font-family: "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic", Meiryo, system-ui, sans-serif; }}
main {{ max-width: 980px; margin: 24px auto; padding: 0 16px; }}
h1 {{ font-size: 1.5rem; margin: 0 0 4px; }}
section {{ background: #fff; border-radius: 10px; padding: 16px 20px; margin-top: 16px;
  box-shadow: 0 1px 3px rgba(0,0,0,.08); overflow-x: auto; }}
h2 {{ font-size: 1.1rem; margin: 0 0 10px; }}
.cards {{ display: flex; gap: 12px; flex-wrap: wrap; }}
.card {{ flex: 1 1 150px; background: #fff; border-radius: 10px; padding: 12px 16px;
  box-shadow: 0 1px 3px rgba(0,0,0,.08); }}
.card b {{ display: block; font-size: 1.6rem; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 12px; }}
th, td {{ text-align: left; padding: 5px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }}
td:not(:first-child), th:not(:first-child) {{ text-align: right; white-space: nowrap; }}
small {{ color: #6b7280; }}
.note {{ color: #92400e; }}
.compare th.group {{ text-align: center; border-left: 1px solid #e5e7eb; }}
.compare tr.total td {{ background: #f9fafb; }}
.better {{ color: #15803d; font-weight: 600; }}
.worse {{ color: #b91c1c; font-weight: 600; }}
.timeline td, .timeline th {{ text-align: left !important; white-space: normal !important; }}
ol.tl {{ list-style: none; padding: 0; margin: 0; }}
ol.tl li {{ display: inline-block; margin: 2px 6px 2px 0; padding: 1px 8px; border-radius: 6px;
  font-size: .85rem; background: #f3f4f6; border: 1px solid #e5e7eb; }}
ol.tl li.ev-sent {{ background: #eff6ff; border-color: #bfdbfe; }}
ol.tl li.ev-click {{ background: #fef2f2; border-color: #fecaca; color: #991b1b; }}
ol.tl li.ev-report {{ background: #f0fdf4; border-color: #bbf7d0; color: #166534; }}
ol.tl li.ev-fail {{ background: #fffbeb; border-color: #fde68a; color: #92400e; }}
ol.tl li.ev-quiz {{ background: #f5f3ff; border-color: #ddd6fe; color: #5b21b6; }}
ol.tl li.ev-auto, ol.tl li.ev-more, ol.tl li.ev-open {{ color: #6b7280; }}
ol.tl time {{ font-variant-numeric: tabular-nums; white-space: nowrap; }}
.compare td, .compare th {{ padding: 5px 6px; }}
</style>
</head>
<body>
<main>
<h1>{results}: {campaign}</h1>
<div>{organisation}</div>
<section class="cards" style="background:none;box-shadow:none;padding:0">
<div class="card">{l_sent}<b>{sent}</b></div>
<div class="card">{l_clicked}<b>{clicked_lures}</b></div>
<div class="card">{l_rate}<b>{rate}</b></div>
<div class="card">{l_people}<b>{people_clicked} / {people}</b></div>
<div class="card">{l_within}<b>{within_30} / {clicked}</b></div>
</section>
{notes_html}
<section><h2>{h_scen}</h2>{scen_bars}{scen_table}</section>
<section><h2>{h_dept}</h2>{dept_bars}{dept_table}</section>
{reports_html}
{quiz_html}
{opens_html}
{compare_html}
<section><h2>{h_ttc}</h2>{ttc_bars}</section>
{timeline_html}
</main>
</body>
</html>
"#,
        lang = lang.as_str(),
        results = t("Drill results", "訓練結果"),
        l_sent = t("sent", "送信"),
        l_clicked = t("clicked", "クリックされた訓練メール"),
        l_rate = t("click rate", "クリック率"),
        l_people = t("people who clicked", "クリックした人"),
        l_within = t("first clicks within 30 min", "30 分以内の最初のクリック"),
        h_scen = t("Click rate per scenario", "シナリオ別クリック率"),
        h_dept = t("Click rate per department", "部署別クリック率"),
        h_ttc = t(
            "Time from sending to the first click",
            "送信から最初のクリックまでの時間"
        ),
        campaign = esc(&r.campaign),
        organisation = esc(&r.organisation),
        sent = r.total.sent,
        clicked_lures = r.total.clicked,
        rate = pct(r.total.rate()),
        people_clicked = r.people_clicked,
        people = r.people,
        scen_bars = bars(&rate_rows(&r.per_scenario), 1.0),
        scen_table = table(&r.per_scenario, true),
        dept_bars = bars(&rate_rows(&r.per_department), 1.0),
        dept_table = table(&r.per_department, false),
        ttc_bars = bars(&bucket_rows, max_bucket),
    )
}

/// One lure as `drill report --format csv|json` gives it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LureRow {
    pub email: String,
    pub name: String,
    pub department: String,
    pub scenario: String,
    /// The debrief's language for this person (`ja`, `en`): the recipient list's, else the
    /// scenario's.
    pub lang: String,
    /// `sent`, `refused`, `deferred` (the relay's answer in `sent.csv`), `not sent`, or
    /// `no log` (no `sent.csv`: counted as sent at the lures' Date).
    pub status: String,
    /// RFC 3339 times in UTC; `None` (empty in CSV, `null` in JSON) when it did not happen.
    pub sent_at: Option<String>,
    pub first_click_at: Option<String>,
    /// Requests from people (each repeat counted) and automated ones (see [`automated`]).
    pub human_clicks: u64,
    pub automated_clicks: u64,
    pub reported_at: Option<String>,
    pub reported_by: Option<String>,
    /// Reported, with no human click before the report.
    pub reported_before_click: bool,
    /// When the follow-up quiz was answered (the first answers), and how many of its questions
    /// were answered right; `None` when it was not answered.
    pub quiz_answered_at: Option<String>,
    pub quiz_correct: Option<usize>,
    pub quiz_questions: Option<usize>,
    /// Open tracking: the first open of the body image and of the attachment's beacon not
    /// judged automated ([`open_from`]); `None` when none (or the campaign tracks no opens).
    pub first_open_at: Option<String>,
    pub attachment_opened_at: Option<String>,
}

fn rfc3339(t: i64) -> String {
    mail_parser::DateTime::from_timestamp(t).to_rfc3339()
}

/// One row per lure of the manifest, in its order: who, what, when sent, clicked and reported.
pub fn lures(
    generated: &Generated,
    log: &HashMap<String, super::send::Logged>,
    clicks: &[Click],
    reports: &[Report],
) -> Vec<LureRow> {
    lures_with(generated, log, clicks, reports, &[])
}

/// [`lures`] with the follow-up quiz answers.
pub fn lures_with(
    generated: &Generated,
    log: &HashMap<String, super::send::Logged>,
    clicks: &[Click],
    reports: &[Report],
    answers: &[QuizAnswers],
) -> Vec<LureRow> {
    lures_full(generated, log, clicks, reports, answers, &[])
}

/// [`lures_with`] with the open-tracking requests.
pub fn lures_full(
    generated: &Generated,
    log: &HashMap<String, super::send::Logged>,
    clicks: &[Click],
    reports: &[Report],
    answers: &[QuizAnswers],
    opens: &[Click],
) -> Vec<LureRow> {
    let m = &generated.manifest;
    let first_report = first_reports(reports);
    m.entries
        .iter()
        .map(|e| {
            let logged = log.get(&e.token);
            let (status, sent_at) = match logged {
                Some(l) => (
                    l.status.as_str().to_string(),
                    (l.status == super::send::Status::Sent).then_some(l.at),
                ),
                None if log.is_empty() => ("no log".to_string(), Some(m.date)),
                None => ("not sent".to_string(), None),
            };
            let mut first_click: Option<i64> = None;
            let (mut human, mut machine) = (0u64, 0u64);
            for c in clicks.iter().filter(|c| c.token == e.token) {
                if automated(c, sent_at) {
                    machine += u64::from(c.repeats);
                } else {
                    human += u64::from(c.repeats);
                    first_click = Some(first_click.map_or(c.clicked_at, |f| f.min(c.clicked_at)));
                }
            }
            let report = first_report.get(e.token.as_str());
            let quiz = answers.iter().find(|a| a.token == e.token);
            let first_open = |kind: super::store::Kind| {
                opens
                    .iter()
                    .filter(|c| {
                        c.token == e.token
                            && c.kind == kind
                            && open_from(c, sent_at) != OpenFrom::Automated
                    })
                    .map(|c| c.clicked_at)
                    .min()
                    .map(rfc3339)
            };
            let lang = if e.lang.is_empty() {
                generated
                    .scenario(&e.scenario)
                    .map_or(String::new(), |s| s.lang)
            } else {
                e.lang.clone()
            };
            LureRow {
                email: e.email.clone(),
                name: e.name.clone(),
                department: e.department.clone(),
                scenario: e.scenario.clone(),
                lang,
                status,
                sent_at: sent_at.map(rfc3339),
                first_click_at: first_click.map(rfc3339),
                human_clicks: human,
                automated_clicks: machine,
                reported_at: report.map(|r| rfc3339(r.reported_at)),
                reported_by: report.map(|r| r.reporter.clone()).filter(|r| !r.is_empty()),
                reported_before_click: report
                    .is_some_and(|r| first_click.is_none_or(|c| r.reported_at < c)),
                quiz_answered_at: quiz.map(|q| rfc3339(q.answered_at)),
                quiz_correct: quiz.map(|q| q.correct),
                quiz_questions: quiz.map(|q| q.questions),
                first_open_at: first_open(super::store::Kind::Open),
                attachment_opened_at: first_open(super::store::Kind::Attachment),
            }
        })
        .collect()
}

/// Column titles of the CSV, in English and in Japanese.
const CSV_COLUMNS: [(&str, &str); 18] = [
    ("email", "メールアドレス"),
    ("name", "氏名"),
    ("department", "部署"),
    ("scenario", "シナリオ"),
    ("lang", "言語"),
    ("status", "送信状況"),
    ("sent_at", "送信日時"),
    ("first_click_at", "最初のクリック日時"),
    ("human_clicks", "クリック回数"),
    ("automated_clicks", "自動アクセス回数"),
    ("reported_at", "報告日時"),
    ("reported_by", "報告者"),
    ("reported_before_click", "クリック前に報告"),
    ("quiz_answered_at", "クイズ回答日時"),
    ("quiz_correct", "クイズ正解数"),
    ("quiz_questions", "クイズ問題数"),
    ("first_open_at", "最初の開封日時（参考値）"),
    ("attachment_opened_at", "添付ファイルの開封日時（参考値）"),
];

/// A cell made safe for spreadsheet programs: one that starts with `=`, `+`, `-`, `@` (or a tab
/// or carriage return) would be read as a formula, so it gets a leading `'` (OWASP's advice for
/// CSV injection). The CSV writer quotes what needs quoting.
pub fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A CSV writer into memory that has written the title row of `columns` (en, ja): Japanese
/// titles after a UTF-8 byte order mark, which Excel needs to read UTF-8, for `ja`.
pub(super) fn csv_writer(
    columns: &[(&str, &str)],
    lang: Lang,
) -> Result<csv::Writer<Vec<u8>>, String> {
    let ja = lang == Lang::Ja;
    let mut out = Vec::new();
    if ja {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    w.write_record(columns.iter().map(|(en, jp)| if ja { *jp } else { *en }))
        .map_err(|e| e.to_string())?;
    Ok(w)
}

/// The rows as CSV with a title row (Japanese titles and a UTF-8 byte order mark, which Excel
/// needs to read UTF-8, for `ja`); every field quoted where needed and safe from formula
/// injection ([`csv_cell`]).
pub fn csv(rows: &[LureRow], lang: Lang) -> Result<Vec<u8>, String> {
    let ja = lang == Lang::Ja;
    let mut w = csv_writer(&CSV_COLUMNS, lang)?;
    let err = |e: csv::Error| e.to_string();
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let status = |s: &str| -> String {
        if !ja {
            return s.to_string();
        }
        match s {
            "sent" => "送信済み",
            "refused" => "拒否された",
            "deferred" => "保留（再送待ち）",
            "not sent" => "未送信",
            "no log" => "送信記録なし",
            other => other,
        }
        .to_string()
    };
    let yes_no = |b: bool| match (b, ja) {
        (true, false) => "yes",
        (false, false) => "no",
        (true, true) => "はい",
        (false, true) => "いいえ",
    };
    for r in rows {
        let fields = [
            r.email.clone(),
            r.name.clone(),
            r.department.clone(),
            r.scenario.clone(),
            r.lang.clone(),
            status(&r.status),
            opt(&r.sent_at),
            opt(&r.first_click_at),
            r.human_clicks.to_string(),
            r.automated_clicks.to_string(),
            opt(&r.reported_at),
            opt(&r.reported_by),
            yes_no(r.reported_before_click).to_string(),
            opt(&r.quiz_answered_at),
            r.quiz_correct.map_or(String::new(), |n| n.to_string()),
            r.quiz_questions.map_or(String::new(), |n| n.to_string()),
            opt(&r.first_open_at),
            opt(&r.attachment_opened_at),
        ];
        w.write_record(fields.iter().map(|f| csv_cell(f)))
            .map_err(err)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The rows as one JSON array of objects (keys as in [`LureRow`]), pretty-printed.
pub fn json(rows: &[LureRow]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanners_previews_and_instant_fetches_are_automated() {
        let entry = crate::drill::Entry {
            token: "t".into(),
            email: "a@example.co.jp".into(),
            name: String::new(),
            department: String::new(),
            scenario: "s".into(),
            subject: String::new(),
            from: String::new(),
            file: String::new(),
            offset: 0,
            length: 0,
            lang: String::new(),
            planned: None,
            attachment_beacon: false,
        };
        let browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        let c = |method: &str, ua: &str, at: i64| Click::new(&entry, at, method, "192.0.2.1", ua);
        assert!(!automated(&c("GET", browser, 1000), Some(0)));
        assert!(!automated(&c("GET", browser, 1000), None));
        assert!(automated(&c("HEAD", browser, 1000), Some(0)));
        assert!(
            automated(&c("GET", browser, 3), Some(0)),
            "3 s after delivery"
        );
        assert!(!automated(&c("GET", browser, 10), Some(0)));
        assert!(automated(&c("GET", "", 1000), Some(0)));
        assert!(automated(&c("GET", "python-requests/2.31", 1000), Some(0)));
        assert!(automated(
            &c("GET", "Mozilla/5.0 (compatible; Googlebot/2.1)", 1000),
            Some(0)
        ));
    }

    #[test]
    fn japanese_text_lines_up_by_display_width() {
        let row = |key: &str| Row {
            key: key.into(),
            sent: 10,
            clicked: 3,
            times: vec![90],
            ..Row::default()
        };
        let r = Results {
            campaign: "c".into(),
            organisation: "o".into(),
            sent_log: true,
            total: row("all"),
            people: 5,
            people_clicked: 2,
            per_scenario: vec![row("invoice-pdf-ja")],
            per_department: vec![row("営業部"), row("IT"), row("経理・財務部")],
            buckets: [1, 1, 1, 0, 0, 0],
            before_send: 0,
            unknown_clicks: 0,
            head_requests: 0,
            automated_requests: 0,
            automated_lures: 0,
            unstored: 0,
            quiz_shown: false,
            unknown_quiz: 0,
            opens_shown: false,
            automated_opens: 0,
            proxied_opens: 0,
            unstored_opens: 0,
            report_address: None,
            unknown_reports: 0,
            reported_before_send: 0,
            reported_by_others: 0,
        };
        let text = text_in(&r, Lang::Ja);
        assert!(
            text.contains("送信 10  クリック 3  クリック率 30.0%"),
            "{text}"
        );
        assert!(text.contains("1 分"), "{text}");
        use unicode_width::UnicodeWidthStr;
        let widths: Vec<usize> = text
            .lines()
            .filter(|l| {
                ["営業部", "IT ", "経理・財務部", "部署"]
                    .iter()
                    .any(|d| l.starts_with(d))
            })
            .map(UnicodeWidthStr::width)
            .collect();
        assert_eq!(widths.len(), 4, "{text}");
        assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}\n{text}");
        // No English words in the Japanese text but the keys themselves.
        for word in ["sent", "clicked", "rate", "median", "department", "time to"] {
            assert!(!text.contains(word), "{word}: {text}");
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(12 * 60 + 5), "12 min");
        assert_eq!(duration(3900), "1 h 05 min");
        assert_eq!(duration(2 * 86_400 + 3 * 3600), "2 d 3 h");
    }

    #[test]
    fn medians_and_rates() {
        let r = Row {
            key: "x".into(),
            sent: 4,
            clicked: 3,
            times: vec![30, 10, 20],
            ..Row::default()
        };
        assert_eq!(r.median(), Some(20));
        assert!((r.rate() - 0.75).abs() < 1e-9);
        assert_eq!(Row::default().rate(), 0.0);
        assert_eq!(Row::default().median(), None);
    }
}
