//! What an explanation holds: the message's parts as shown, and the points to notice.

use crate::finding::Verdict;
use crate::lang::Lang;
use serde::Serialize;

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
