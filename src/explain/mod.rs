//! Staff-facing explanations: a message shown safely, with each finding marked where it occurs
//! and explained in the words of the rule's staff explanation, grouped by IPA point.
//!
//! Everything taken from the message is made visible (`verdict::visible`) and links are defanged
//! when the explanation is built, so every renderer starts from inert text.

mod html;
pub mod notice;
mod text;

pub use html::render_html;
pub use notice::quarantine_notice;
pub use text::render_text;

use crate::formats::sniff;

use crate::finding::Verdict;
use crate::formats::sniff::Risk;
use crate::message::auth_results::trusted_results;
use crate::message::{self, Attachment, Mailbox, Message};
use crate::score::{Report, ScoredFinding};
use crate::signatures::{Signatures, fill_template};
use crate::text::defang::{defang, defang_evidence, defang_host, defang_text};
use crate::text::domain::{domain_in_text, same_org};
use crate::text::hidden::{is_blank, is_hidden_char, reveal_hidden, visible};
use crate::{Engine, Lang, ScanError};
use serde::Serialize;
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

/// Everything a person needs to see about one message, owned and already made safe to show.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub verdict: Verdict,
    pub score: f64,
    pub sender: SenderView,
    pub subject: Option<String>,
    /// Point numbers marked on the subject.
    pub subject_marks: Vec<usize>,
    pub date: Option<String>,
    pub message_id: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// The To and Cc addresses as written (for notices to the recipients).
    pub recipients: Vec<String>,
    pub links: Vec<LinkView>,
    /// Links in the message that are not listed (repeats of a listed link, or over
    /// `MAX_LINKS`; none with a point).
    pub links_not_shown: usize,
    pub attachments: Vec<AttachmentView>,
    pub attachments_not_shown: usize,
    /// The start of the body text, links defanged, hidden characters made visible.
    pub excerpt: String,
    /// Point numbers marked on the body text.
    pub body_marks: Vec<usize>,
    /// Points to notice, numbered from 1, ordered by IPA point (see `IPA_ORDER`).
    pub points: Vec<Point>,
    pub points_not_shown: usize,
}

/// The sender as it really is.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SenderView {
    pub display_name: Option<String>,
    pub address: Option<String>,
    pub domain: Option<String>,
    /// Further From mailboxes (rare, and itself a warning sign).
    pub more_from: Vec<String>,
    /// Reply-To addresses that differ from the From address.
    pub reply_to: Vec<String>,
    /// The bounce address, when it differs from the From address.
    pub return_path: Option<String>,
    /// The Sender field, when it differs from the From address.
    pub sender: Option<String>,
    /// SPF/DKIM/DMARC results from the organisation's own (trusted) servers only.
    pub authentication: Vec<String>,
    /// Point numbers marked on the sender.
    pub marks: Vec<usize>,
}

/// One link: what the reader sees and where it really goes.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// 1-based number among all links of the message.
    pub n: usize,
    /// The visible text (HTML links); `None` for a URL written in plain text.
    pub text: Option<String>,
    /// The real destination, defanged (`hxxps://bank[.]example/login`).
    pub destination: String,
    /// The destination's host, defanged.
    pub host: Option<String>,
    /// The visible text names another domain than the one the link goes to.
    pub text_differs: bool,
    pub location: String,
    pub marks: Vec<usize>,
}

/// One attachment, or a file found inside one.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    /// The file name with hidden characters and padding written out (`a<U+202E>fdp.exe`).
    pub name: String,
    /// How the name appears on screen, when that differs from `name` (RLO reversal, padding
    /// pushing the extension out of sight).
    pub looks_like: Option<String>,
    /// The extension the name shows the reader (`pdf` for `請求書.pdf.exe`).
    pub claimed_ext: Option<String>,
    /// The real extension at the end of the name.
    pub real_ext: Option<String>,
    /// The real type, from the file's bytes.
    pub real_type: String,
    /// `real_type` in Japanese.
    pub real_type_ja: String,
    /// The real type runs code when opened.
    pub active: bool,
    pub declared_type: String,
    pub size: usize,
    /// MIME path, and inside containers the path through them (`2/a.zip!/b.exe`).
    pub location: String,
    /// Names of the containers it is inside, outermost first.
    pub inside: Vec<String>,
    pub encrypted: bool,
    pub marks: Vec<usize>,
}

/// Where in the message a point to notice occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "at")]
pub enum Target {
    /// A sender field: `From`, `Reply-To`, `Return-Path`, `Sender`, `Authentication-Results`.
    Sender(String),
    Subject,
    /// Index in `Explanation::links`.
    Link(usize),
    /// Index in `Explanation::attachments`.
    Attachment(usize),
    Body,
    Message,
}

/// A point to notice: one finding, explained.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub n: usize,
    pub rule: String,
    /// The IPA point key (`sender`, `link`, `attachment`, `content`, `structure`).
    pub ipa: String,
    pub ipa_en: String,
    pub ipa_ja: String,
    pub reason_en: String,
    pub reason_ja: String,
    pub explain_en: String,
    pub explain_ja: String,
    /// Evidence, made visible.
    pub evidence: Vec<(String, String)>,
    pub location: String,
    pub target: Target,
    pub score: f64,
}

impl Point {
    pub fn reason(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.reason_en,
            Lang::Ja => &self.reason_ja,
        }
    }

    pub fn explanation(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.explain_en,
            Lang::Ja => &self.explain_ja,
        }
    }

    pub fn ipa_title(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.ipa_en,
            Lang::Ja => &self.ipa_ja,
        }
    }
}

/// The order IPA points are listed in: who sent it, where it leads, what it carries, what it
/// says, how it is built.
pub const IPA_ORDER: &[&str] = &["sender", "link", "attachment", "content", "structure"];

impl Explanation {
    /// The points grouped by IPA point, in `IPA_ORDER` (others after, in the order met).
    pub fn groups(&self) -> Vec<(&str, Vec<&Point>)> {
        let mut groups: Vec<(&str, Vec<&Point>)> = Vec::new();
        for p in &self.points {
            match groups.iter_mut().find(|(k, _)| *k == p.ipa) {
                Some((_, list)) => list.push(p),
                None => groups.push((&p.ipa, vec![p])),
            }
        }
        groups
    }

    /// Point numbers to mark on one row of the sender: `From`, `Reply-To`, `Return-Path`,
    /// `Sender` or `Authentication-Results`. Points on a field whose row is not shown (it does
    /// not differ from From) are marked on the From row.
    pub fn sender_marks(&self, row: &str) -> Vec<usize> {
        let s = &self.sender;
        let shown = |field: &str| match field {
            "Reply-To" => !s.reply_to.is_empty(),
            "Return-Path" => s.return_path.is_some(),
            "Sender" => s.sender.is_some(),
            "Authentication-Results" => !s.authentication.is_empty(),
            _ => false,
        };
        self.points
            .iter()
            .filter(|p| match &p.target {
                Target::Sender(field) if row == "From" => !shown(field),
                Target::Sender(field) => field == row && shown(field),
                _ => false,
            })
            .map(|p| p.n)
            .collect()
    }

    /// The verdict in plain words, for someone who does not know the jargon.
    pub fn summary(&self, lang: Lang) -> String {
        let n = self.points.len() + self.points_not_shown;
        match (lang, self.verdict) {
            (Lang::En, Verdict::Clean) if n == 0 => {
                "Nothing suspicious was found in this message.".into()
            }
            (Lang::En, Verdict::Clean) => format!(
                "This message looks normal. {n} small detail{} worth knowing {} listed below.",
                plural(n),
                if n == 1 { "is" } else { "are" }
            ),
            (Lang::En, Verdict::Warn) => format!(
                "Be careful: this message shows signs of a fake or phishing mail. Before you click a \
                 link or open an attachment, look at the {n} point{} to notice below.",
                plural(n)
            ),
            (Lang::En, _) => format!(
                "Danger: this message is very likely an attack (a fake mail made to trick you). It \
                 was held back from your mailbox. Do not open its attachments or links; see the {n} \
                 point{} to notice below, and tell your IT team if you have already opened it.",
                plural(n)
            ),
            (Lang::Ja, Verdict::Clean) if n == 0 => {
                "このメールに不審な点は見つかりませんでした。".into()
            }
            (Lang::Ja, Verdict::Clean) => format!(
                "このメールは通常のメールと判断されました。参考までに、気付いた点を{n}件下に示します。"
            ),
            (Lang::Ja, Verdict::Warn) => format!(
                "注意：このメールには、なりすましやフィッシングメールの特徴があります。リンクを\
                 クリックしたり添付ファイルを開いたりする前に、下の「気付くべきポイント」{n}件を\
                 確認してください。"
            ),
            (Lang::Ja, _) => format!(
                "危険：このメールは攻撃メール（あなたをだますために作られた偽のメール）である可能性が\
                 非常に高く、受信箱に届かないよう隔離されました。添付ファイルやリンクは開かないで\
                 ください。下の「気付くべきポイント」{n}件を確認し、すでに開いてしまった場合は\
                 システム管理者に連絡してください。"
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Scan `raw` and build the staff-facing explanation from the message as the engine parsed it.
/// Never panics on any input.
pub fn explain(engine: &Engine, raw: &[u8]) -> Result<Explanation, ScanError> {
    let (report, msg) = engine.scan_keeping_message(raw, None)?;
    Ok(from_message(engine, &msg, &report))
}

/// The explanation of a message already scanned into `report`, for a front end that kept only
/// the report (the filter and the milter write notices after the scan): the message is parsed
/// again for what the report does not hold (links, attachments, body text).
pub fn from_report(engine: &Engine, raw: &[u8], report: &Report) -> Explanation {
    let limits = &engine.config().limits;
    let msg = if raw.len() > limits.max_message_bytes {
        None
    } else {
        catch_unwind(AssertUnwindSafe(|| {
            message::parse_with(raw, limits, &crate::engine::openers::ALL)
        }))
        .ok()
        .flatten()
    };
    from_message(engine, &msg.unwrap_or_default(), report)
}

/// The explanation of a parsed message and its report, with the engine's signatures and trusted
/// `authserv-id`s.
fn from_message(engine: &Engine, msg: &Message, report: &Report) -> Explanation {
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
    attachments(msg, &mut e);

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

fn point(n: usize, f: &ScoredFinding, target: Target, signatures: &Signatures) -> Point {
    // Evidence as shown: hidden characters made visible, and every URL and link host defanged,
    // so that no mail program turns a reason in a notice back into a link.
    let link_rule = f.ipa == "link";
    let shown: Vec<(String, String)> = f
        .evidence
        .iter()
        .map(|(k, v)| (k.clone(), defang_evidence(k, &visible(v), link_rule)))
        .collect();
    // For Japanese, lurescreen's own wording in the evidence is translated as in the report's
    // reasons (`signatures::PROSE_KEYS`); data from the message stays as written.
    let shown_ja: Vec<(String, String)> = shown
        .iter()
        .map(|(k, v)| {
            let t = signatures.lists.evidence_ja.value(k, v, &shown);
            (k.clone(), t.into_owned())
        })
        .collect();
    let rule = signatures.rule(&f.rule);
    let evidence_for = |lang: Lang| match lang {
        Lang::En => &shown,
        Lang::Ja => &shown_ja,
    };
    let fill = |lang: Lang, explain: bool| match rule {
        Some(r) if explain => unwrap_lines(
            &defang_text(&fill_template(r.explain_template(lang), evidence_for(lang))),
            lang,
        ),
        Some(r) => defang_text(&fill_template(r.reason_template(lang), evidence_for(lang))),
        None if explain => String::new(),
        None => defang_text(match lang {
            Lang::En => &f.reason_en,
            Lang::Ja => &f.reason_ja,
        }),
    };
    let (ipa_en, ipa_ja) = match signatures.ipa_points.get(&f.ipa) {
        Some(p) => (p.en.clone(), p.ja.clone()),
        None => ("Other signs".into(), "その他の兆候".into()),
    };
    Point {
        n,
        rule: f.rule.clone(),
        ipa: f.ipa.clone(),
        ipa_en,
        ipa_ja,
        reason_en: fill(Lang::En, false),
        reason_ja: fill(Lang::Ja, false),
        explain_en: fill(Lang::En, true),
        explain_ja: fill(Lang::Ja, true),
        evidence: shown,
        location: visible(&f.location),
        target,
        score: f.score,
    }
}

/// Rule explanations are wrapped for the TOML file; joins the lines again (with a space in
/// English, without in Japanese), keeping blank lines as paragraph breaks.
fn unwrap_lines(text: &str, lang: Lang) -> String {
    let joiner = match lang {
        Lang::En => " ",
        Lang::Ja => "",
    };
    text.split("\n\n")
        .map(|para| {
            para.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(joiner)
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a finding's location points to in the explanation.
fn target_of(location: &str, msg: &Message, e: &Explanation) -> Target {
    match location {
        "From" | "Reply-To" | "Return-Path" | "Sender" | "Authentication-Results" | "signature" => {
            return Target::Sender(location.to_string());
        }
        "Subject" => return Target::Subject,
        "text" => return Target::Body,
        _ => {}
    }
    if location.starts_with("link ")
        && let Some(i) = e.links.iter().position(|l| l.location == location)
    {
        return Target::Link(i);
    }
    // The attachment whose location is the longest prefix of the finding's location (checks of
    // documents may name a stream inside the file).
    let best = e
        .attachments
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            location == a.location
                || location
                    .strip_prefix(a.location.as_str())
                    .is_some_and(|rest| rest.starts_with(['!', '/', ' ', ':', '#']))
        })
        .max_by_key(|(_, a)| a.location.len());
    if let Some((i, _)) = best {
        return Target::Attachment(i);
    }
    if msg
        .texts
        .iter()
        .chain(&msg.htmls)
        .any(|p| p.location == location)
    {
        return Target::Body;
    }
    Target::Message
}

fn sender_view(msg: &Message, trusted: &[String]) -> SenderView {
    let first = msg.from.first();
    let from_addr = first
        .and_then(|m| m.address.as_deref())
        .map(|a| a.to_lowercase());
    let differs = |a: &str| from_addr.as_deref() != Some(a.trim().to_lowercase().as_str());
    let authentication = trusted_results(msg, trusted)
        .iter()
        .take(10)
        .map(|r| {
            let props: Vec<String> = r
                .props
                .iter()
                .filter(|(k, _)| k.starts_with("header.") || k.starts_with("smtp."))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let text = if props.is_empty() {
                format!("{}={}", r.method, r.result)
            } else {
                format!("{}={} ({})", r.method, r.result, props.join(" "))
            };
            visible(&text)
        })
        .collect();
    SenderView {
        display_name: first.and_then(|m| m.name.as_deref()).map(visible),
        address: first.and_then(|m| m.address.as_deref()).map(visible),
        domain: first.and_then(Mailbox::domain).map(|d| visible(&d)),
        more_from: msg
            .from
            .iter()
            .skip(1)
            .take(MAX_RECIPIENTS)
            .map(|m| visible(&m.display()))
            .collect(),
        reply_to: msg
            .reply_to
            .iter()
            .filter(|m| m.address.as_deref().is_none_or(differs))
            .take(MAX_RECIPIENTS)
            .map(|m| visible(&m.display()))
            .collect(),
        return_path: msg
            .return_path
            .as_deref()
            .filter(|a| !a.trim().is_empty() && differs(a))
            .map(visible),
        sender: msg
            .sender
            .first()
            .filter(|m| m.address.as_deref().is_none_or(differs))
            .map(|m| visible(&m.display())),
        authentication,
        marks: Vec::new(),
    }
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

fn attachments(msg: &Message, e: &mut Explanation) {
    e.attachments_not_shown = msg.attachments.len().saturating_sub(MAX_ATTACHMENTS);
    for att in msg.attachments.iter().take(MAX_ATTACHMENTS) {
        e.attachments.push(attachment_view(att, msg));
    }
}

fn attachment_view(att: &Attachment, msg: &Message) -> AttachmentView {
    let raw_name = att
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            att.location
                .rsplit(['/', '!'])
                .next()
                .unwrap_or("")
                .to_string()
        });
    let name = show_name(&raw_name);
    let on_screen = on_screen(&raw_name);
    let real_ext = extensions(&raw_name).first().cloned();
    let claimed_ext = claimed_extension(&raw_name, &on_screen);
    let mut looks_like = (on_screen != name && !on_screen.is_empty()).then(|| on_screen.clone());
    // Windows hides the extension of programs: `請求書.pdf.exe` shows as `請求書.pdf`.
    if looks_like.is_none()
        && let (Some(real), Some(claimed)) = (&real_ext, &claimed_ext)
        && real != claimed
        && let Some(stem) = on_screen.strip_suffix(&format!(".{real}"))
    {
        looks_like = Some(stem.to_string());
    }
    let sniffed = sniff::sniff(&att.data);
    let mut inside = Vec::new();
    let mut parent = att.parent;
    let mut guard = 0;
    while let Some(p) = parent
        && guard < 16
    {
        guard += 1;
        let Some(container) = msg.attachments.get(p) else {
            break;
        };
        inside.push(show_name(
            container
                .name
                .as_deref()
                .unwrap_or(container.location.as_str()),
        ));
        parent = container.parent;
    }
    inside.reverse();
    AttachmentView {
        name,
        looks_like,
        claimed_ext,
        real_ext,
        real_type: sniffed.label(),
        real_type_ja: sniffed.label_ja(),
        active: sniffed.risk() == Risk::Active,
        declared_type: visible(&att.content_type),
        size: att.data.len(),
        location: att.location.clone(),
        inside,
        encrypted: att.encrypted,
        marks: Vec::new(),
    }
}

/// A file name with hidden characters written as `<U+XXXX>` and runs of three or more blanks
/// as `<U+0020 ×20>`, so padding that pushes the extension out of sight is seen.
pub fn show_name(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().take(300).collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let run = chars
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&d| d == c)
            .count();
        if is_blank(c) && run >= 3 {
            out.push_str(&format!("<U+{:04X} ×{run}>", c as u32));
            i += run;
            continue;
        }
        if c != ' ' && (is_blank(c) || is_hidden_char(c)) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
        i += 1;
    }
    if name.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// Roughly how a name appears in a file listing: a right-to-left override reverses what follows
/// it, and a long run of blanks hides whatever comes after it.
fn on_screen(name: &str) -> String {
    let mut shown = String::new();
    let mut rest = name;
    while let Some(at) = rest.find(['\u{202E}', '\u{202D}']) {
        shown.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 3..).unwrap_or("");
        let end = after.find('\u{202C}').unwrap_or(after.len());
        let span = after.get(..end).unwrap_or("");
        if rest.get(at..at + 3) == Some("\u{202E}") {
            shown.extend(span.chars().rev());
        } else {
            shown.push_str(span);
        }
        rest = after.get(end..).unwrap_or("");
        rest = rest.strip_prefix('\u{202C}').unwrap_or(rest);
    }
    shown.push_str(rest);
    // Padding: what a listing shows before the run of blanks (the extension scrolls away).
    let chars: Vec<char> = shown.chars().collect();
    let mut cut = None;
    let mut i = 0;
    while i < chars.len() {
        let run = chars
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&c| is_blank(c))
            .count();
        if run >= 5 && i > 0 {
            cut = Some(i);
            break;
        }
        i += run.max(1);
    }
    let shown: String = match cut {
        Some(i) => chars.iter().take(i).collect(),
        None => shown,
    };
    let visible_only: String = shown.chars().filter(|&c| !is_hidden_char(c)).collect();
    show_name(&visible_only)
}

/// Extensions of a name worth showing, last first, lower-cased (`a.pdf.exe` → `exe`, `pdf`):
/// hidden characters ignored, at most three, each short and made of letters and digits.
fn extensions(name: &str) -> Vec<String> {
    let cleaned: String = name.chars().filter(|&c| !is_hidden_char(c)).collect();
    crate::text::file_name::extensions(&cleaned)
        .into_iter()
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_alphanumeric()))
        .take(3)
        .collect()
}

/// Extensions Windows hides by default, so the one before them is what the reader sees.
const HIDDEN_EXTENSIONS: &[&str] = &[
    "exe", "scr", "com", "pif", "bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "hta", "lnk",
    "msi", "cpl", "iso", "img",
];

/// The extension the reader is led to believe in.
fn claimed_extension(raw: &str, on_screen: &str) -> Option<String> {
    let seen = extensions(on_screen);
    let first = seen.first()?;
    let real = extensions(raw);
    if real.first() == Some(first)
        && HIDDEN_EXTENSIONS.contains(&first.as_str())
        && let Some(before) = seen.get(1)
    {
        return Some(before.clone());
    }
    Some(first.clone())
}

/// What a claimed extension says the file is.
pub fn ext_meaning(ext: &str, lang: Lang) -> Option<&'static str> {
    let (en, ja) = match ext {
        "pdf" => ("PDF document", "PDF文書"),
        "doc" | "docx" | "docm" | "rtf" => ("Word document", "Word文書"),
        "xls" | "xlsx" | "xlsm" | "csv" => ("Excel spreadsheet", "Excelファイル"),
        "ppt" | "pptx" | "pptm" => ("PowerPoint presentation", "PowerPointファイル"),
        "jtd" => ("Ichitaro document", "一太郎文書"),
        "txt" => ("text file", "テキストファイル"),
        "jpg" | "jpeg" | "png" | "gif" | "bmp" => ("picture", "画像"),
        "zip" | "lzh" | "rar" | "7z" => ("archive", "圧縮ファイル"),
        "exe" | "scr" | "com" | "pif" | "cpl" | "msi" => ("program", "プログラム"),
        "js" | "jse" | "vbs" | "vbe" | "wsf" | "hta" | "bat" | "cmd" | "ps1" => {
            ("script (a program)", "スクリプト（プログラム）")
        }
        "lnk" => (
            "shortcut that runs a command",
            "コマンドを実行するショートカット",
        ),
        "iso" | "img" | "vhd" | "vhdx" => ("disk image", "ディスクイメージ"),
        "html" | "htm" => ("web page", "Webページ"),
        _ => return None,
    };
    Some(match lang {
        Lang::En => en,
        Lang::Ja => ja,
    })
}

/// The start of the body: the first text part, else the first HTML part as text; links defanged,
/// hidden characters made visible, at most `EXCERPT_LINES` lines of `EXCERPT_CHARS` in all.
fn excerpt(msg: &Message) -> String {
    let text = match msg.texts.iter().find(|t| !t.text.trim().is_empty()) {
        Some(t) => t.text.chars().take(EXCERPT_CHARS * 4).collect::<String>(),
        None => match msg.htmls.first() {
            Some(h) => html_to_text(&h.text),
            None => return String::new(),
        },
    };
    let mut out = String::new();
    let mut lines = 0;
    let mut blank = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !blank && !out.is_empty() {
                out.push('\n');
                lines += 1;
            }
            blank = true;
            continue;
        }
        blank = false;
        if lines >= EXCERPT_LINES || out.chars().count() >= EXCERPT_CHARS {
            out.push('…');
            break;
        }
        let line: String = line.chars().take(160).collect();
        out.push_str(&reveal_hidden(&defang_text(&line)));
        out.push('\n');
        lines += 1;
    }
    out.trim_end().to_string()
}

/// Text of an HTML body: tags dropped (with the content of `script`, `style` and `head`),
/// block ends as line breaks, entities decoded. Bounded: reads at most 256 KiB.
fn html_to_text(html: &str) -> String {
    let mut cap = html.len().min(256 * 1024);
    while !html.is_char_boundary(cap) {
        cap -= 1;
    }
    let html = html.get(..cap).unwrap_or("");
    let mut out = String::new();
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(rest.get(..lt).unwrap_or(""));
        }
        let tag_and_after = rest.get(lt + 1..).unwrap_or("");
        let gt = tag_and_after.find('>').unwrap_or(tag_and_after.len());
        let tag = tag_and_after.get(..gt).unwrap_or("").to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match skip_until {
            Some(end) if tag.starts_with('/') && name == end => skip_until = None,
            Some(_) => {}
            None if !tag.starts_with('/')
                && matches!(name.as_str(), "script" | "style" | "head" | "title") =>
            {
                skip_until = Some(match name.as_str() {
                    "script" => "script",
                    "style" => "style",
                    "head" => "head",
                    _ => "title",
                });
            }
            None if matches!(
                name.as_str(),
                "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "table" | "blockquote"
            ) =>
            {
                out.push('\n')
            }
            None => {}
        }
        rest = tag_and_after.get(gt + 1..).unwrap_or("");
        if out.len() > EXCERPT_CHARS * 8 {
            break;
        }
    }
    if skip_until.is_none() {
        out.push_str(rest);
    }
    let decoded = html_escape::decode_html_entities(&out).into_owned();
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
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
