//! Wording and Japanese text: lure phrases (`lists/lure_phrases_{en,ja}.txt`), alone and together
//! with something to act on; Japanese text written with characters Japanese does not use; Chinese
//! charsets and fonts in mail that is otherwise Japanese.

use crate::checks::Context;
use crate::checks::text::{all_text, body_text, cut};
use crate::verdict::Finding;
use std::collections::{BTreeSet, HashMap};

/// Bytes of text under which one lure phrase is enough (a lure is a few lines long).
const SHORT_TEXT: usize = 3000;

/// Lure phrases anywhere in the subject or the text.
///
/// Single business words (請求書, 議事録, invoice) fill ordinary mail, so a phrase alone is
/// nothing. What lures say is pressure about the reader's account (credential, suspension), or
/// money, a parcel or a prize together with urgency; that is `CONTENT_LURE_PHRASE`, and with a
/// link to click or a file to open, `CONTENT_LURE_WITH_ACTION`.
pub fn lure_phrases(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let text = all_text(ctx.msg).to_lowercase();
    let hits = ctx.signatures.lists.lure_phrases.find_all(&text);
    if hits.is_empty() {
        return;
    }
    let has = |cats: &[&str]| {
        hits.iter()
            .any(|h| cats.contains(&h.phrase.category.as_str()))
    };
    let account = has(&["credential", "suspension"]);
    let pressure = has(&["urgency"]);
    let business = has(&["payment", "delivery", "prize"]);
    if !(account || business && pressure) {
        return;
    }
    let counted: Vec<_> = hits
        .iter()
        .filter(|h| h.phrase.category != "theme")
        .collect();
    let phrases: BTreeSet<&str> = counted.iter().map(|h| h.phrase.text.as_str()).collect();
    // One phrase somewhere in a long text is an article about fraud, not a lure; a lure is
    // short, or says it in the subject, or says more than one thing.
    let subject_len = ctx.msg.subject.as_deref().map_or(0, |s| s.len() + 1);
    let in_subject = counted.iter().any(|h| h.start < subject_len);
    if phrases.len() < 2 && !in_subject && text.len() > SHORT_TEXT {
        return;
    }
    let categories: BTreeSet<&str> = counted.iter().map(|h| h.phrase.category.as_str()).collect();
    let shown: Vec<&str> = phrases.iter().take(5).copied().collect();
    let first = counted.first().map_or("", |h| h.phrase.text.as_str());
    out.push(
        Finding::new("CONTENT_LURE_PHRASE", "text")
            .with("phrase", first)
            .with("phrases", shown.join(", "))
            .with("count", phrases.len().to_string()),
    );
    if let Some(action) = something_to_act_on(ctx) {
        out.push(
            Finding::new("CONTENT_LURE_WITH_ACTION", "text")
                .with("phrases", shown.join(", "))
                .with(
                    "categories",
                    categories.into_iter().collect::<Vec<_>>().join(", "),
                )
                .with("action", action),
        );
    }
}

/// The recipient's own address in the subject (`taro@example.co.jp: your password expires`), the
/// way bulk phishing makes a message look personal.
pub fn recipient_in_subject(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(subject) = &ctx.msg.subject else {
        return;
    };
    let subject = subject.to_lowercase();
    let recipients = ctx
        .msg
        .to
        .iter()
        .chain(&ctx.msg.cc)
        .filter_map(|m| m.address.as_deref())
        .map(str::to_string)
        .chain(ctx.msg.envelope.rcpt_to.iter().cloned());
    for address in recipients {
        let address = address.trim().trim_matches(['<', '>']).to_lowercase();
        if address.contains('@') && address.len() >= 6 && subject.contains(&address) {
            out.push(
                Finding::new("CONTENT_RECIPIENT_IN_SUBJECT", "Subject").with("address", address),
            );
            return;
        }
    }
}

/// An attachment (not a picture) or a web link to another organisation than the sender's,
/// described for the reason: what the lure wants opened. Links only to the sender's own site are
/// nothing to fear from the sender's point of view (a spoofed sender is the sender checks' job).
fn something_to_act_on(ctx: &Context<'_>) -> Option<String> {
    let msg = ctx.msg;
    if let Some(a) = msg
        .attachments
        .iter()
        .find(|a| a.depth == 0 && !a.content_type.starts_with("image/"))
    {
        return Some(format!(
            "attachment {}",
            a.name.as_deref().unwrap_or(a.location.as_str())
        ));
    }
    let from_org = msg
        .from
        .first()
        .and_then(|m| m.domain())
        .map(|d| crate::domain::org_domain(&d));
    msg.links
        .iter()
        .filter_map(|l| l.host.clone())
        .find(|host| from_org.as_deref() != Some(crate::domain::org_domain(host).as_str()))
        .map(|host| format!("link to {host}"))
}

/// Kana and ideographs of a text, and the ideographs no Japanese character set has.
#[derive(Debug, Default, PartialEq)]
pub struct JapaneseCounts {
    pub kana: usize,
    pub ideographs: usize,
    pub foreign: usize,
    /// Distinct foreign ideographs, in order of appearance (at most 10 kept).
    pub examples: Vec<char>,
}

impl JapaneseCounts {
    /// Text that reads as Japanese: enough kana, and kana a good share of the Japanese letters
    /// (Chinese text decorated with a few `の` does not count).
    pub fn is_japanese(&self) -> bool {
        self.kana >= 20 && self.kana * 4 >= self.kana + self.ideographs
    }
}

/// Counts for `text` (bounded to the first 100,000 bytes).
pub fn japanese_counts(text: &str) -> JapaneseCounts {
    let mut counts = JapaneseCounts::default();
    // Kana and ideographs are never ASCII; most mail in other languages ends here.
    if text.is_ascii() {
        return counts;
    }
    let mut known: HashMap<char, bool> = HashMap::new();
    for c in cut(text, 100_000).chars() {
        if is_kana(c) {
            counts.kana += 1;
        } else if is_ideograph(c) {
            counts.ideographs += 1;
            let japanese = *known.entry(c).or_insert_with(|| in_japanese_charset(c));
            if !japanese {
                counts.foreign += 1;
                if counts.examples.len() < 10 && !counts.examples.contains(&c) {
                    counts.examples.push(c);
                }
            }
        }
    }
    counts
}

fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D)
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Whether a character is in JIS X 0208 or the Windows (CP932) extensions Japanese mail uses:
/// encodable as Shift_JIS or EUC-JP by encoding_rs (the WHATWG encoders).
fn in_japanese_charset(c: char) -> bool {
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let (_, _, sjis_errors) = encoding_rs::SHIFT_JIS.encode(s);
    if !sjis_errors {
        return true;
    }
    let (_, _, euc_errors) = encoding_rs::EUC_JP.encode(s);
    !euc_errors
}

/// Japanese text with ideographs no Japanese character set has — simplified or traditional
/// Chinese forms (请, 说, 这, 们, 发, 时) — often enough that a rare name kanji cannot explain
/// it: at least three of them, two distinct, and 3% of the ideographs.
pub fn chinese_forms_in_japanese(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let text = all_text(ctx.msg);
    let counts = japanese_counts(text);
    if !counts.is_japanese() || counts.ideographs == 0 {
        return;
    }
    let distinct = counts.examples.len();
    if counts.foreign >= 3 && distinct >= 2 && counts.foreign * 100 >= counts.ideographs * 3 {
        out.push(
            Finding::new("CONTENT_NON_JAPANESE_KANJI", "text")
                .with("chars", counts.examples.iter().collect::<String>())
                .with("count", counts.foreign.to_string())
                .with("ideographs", counts.ideographs.to_string()),
        );
    }
}

/// A Chinese charset or Chinese font names in mail whose text is Japanese.
pub fn chinese_charset_or_font(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let lists = &ctx.signatures.lists;
    let parts = msg.texts.iter().chain(&msg.htmls);
    let mut japanese: Option<bool> = None;
    let mut is_japanese =
        || *japanese.get_or_insert_with(|| japanese_counts(body_text(msg)).is_japanese());
    for part in parts.clone() {
        let Some(charset) = &part.charset else {
            continue;
        };
        if lists.chinese_charsets.contains(charset) && is_japanese() {
            out.push(
                Finding::new("CONTENT_CHINESE_CHARSET", &part.location)
                    .with("charset", charset.as_str()),
            );
            break;
        }
    }
    for part in &msg.htmls {
        let lower = cut(&part.text, 400_000).to_lowercase();
        let Some(font) = lists
            .chinese_fonts
            .find_all(&lower)
            .into_iter()
            .find(|h| in_font_context(&lower, h.start))
        else {
            continue;
        };
        if is_japanese() {
            out.push(
                Finding::new("CONTENT_CHINESE_FONT", &part.location)
                    .with("font", font.phrase.text.as_str()),
            );
            return;
        }
    }
}

/// Whether the font name at `at` stands in a font setting (`font-family:`, `face=`), not in text.
fn in_font_context(lower: &str, at: usize) -> bool {
    let mut start = at.saturating_sub(80);
    while !lower.is_char_boundary(start) {
        start -= 1;
    }
    let before = lower.get(start..at).unwrap_or("");
    let near = before.rsplit([';', '>', '}']).next().unwrap_or(before);
    near.contains("font-family") || near.contains("face=") || near.contains("font:")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::signatures::Signatures;

    fn run(raw: &str) -> Vec<Finding> {
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let ctx = Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        };
        let mut out = Vec::new();
        lure_phrases(&ctx, &mut out);
        chinese_forms_in_japanese(&ctx, &mut out);
        chinese_charset_or_font(&ctx, &mut out);
        out
    }

    fn rules(raw: &str) -> Vec<&'static str> {
        run(raw).into_iter().map(|f| f.rule).collect()
    }

    #[test]
    fn lure_phrases_alone_and_with_a_link() {
        assert_eq!(
            rules("Subject: Action required\n\nVerify your account.\n"),
            ["CONTENT_LURE_PHRASE"]
        );
        // One phrase deep in an article is not a lure.
        let article = format!(
            "Subject: Weekly news\n\n{}How to avoid identity theft: https://news.example.net/\n",
            "Lorem ipsum dolor sit amet. ".repeat(150)
        );
        assert!(rules(&article).is_empty());
        // Business words and urgency alone are ordinary mail.
        assert!(rules("Subject: 議事録送付\nContent-Type: text/plain; charset=utf-8\n\n請求書と議事録をお送りします。https://files.example.net/\n").is_empty());
        assert!(rules("Subject: Action required\n\nPlease read.\n").is_empty());
        let f = run(
            "Subject: Your account has been suspended\n\nVerify your account immediately: https://login.example.net/\n",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].rule, "CONTENT_LURE_WITH_ACTION");
        assert!(f[1].evidence[2].1.contains("login.example.net"));
        // Pressure but nothing to click or open.
        assert_eq!(
            rules("Subject: Your account has been suspended\n\nVerify your account immediately.\n"),
            ["CONTENT_LURE_PHRASE"]
        );
        // Links only to the sender's own site are nothing to act on elsewhere.
        assert_eq!(
            rules(
                "From: it@example.co.jp\nSubject: Your password will expire\n\nChange it at https://portal.example.co.jp/\n"
            ),
            ["CONTENT_LURE_PHRASE"]
        );
        assert_eq!(
            rules(
                "Subject: =?UTF-8?B?44CQ6Iez5oCl44CR6KuL5rGC5pu444Gu44GU56K66KqN?=\nContent-Type: text/plain; charset=utf-8\n\n添付をご確認ください。https://files.example.net/\n"
            ),
            ["CONTENT_LURE_PHRASE", "CONTENT_LURE_WITH_ACTION"]
        );
        assert!(
            rules("Subject: Lunch\n\nSee you at noon. The bank holiday is Monday.\n").is_empty()
        );
    }

    #[test]
    fn recipient_address_in_the_subject() {
        let msg = crate::message::parse(
            b"To: Taro <taro@example.co.jp>\nSubject: TARO@example.co.jp: your mailbox is full\n\nx\n",
            &Default::default(),
        )
        .unwrap();
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let mut out = Vec::new();
        let ctx = Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        };
        recipient_in_subject(&ctx, &mut out);
        assert_eq!(out[0].rule, "CONTENT_RECIPIENT_IN_SUBJECT");
        let msg = crate::message::parse(
            b"To: taro@example.co.jp\nSubject: Meeting with Taro\n\nx\n",
            &Default::default(),
        )
        .unwrap();
        let mut out = Vec::new();
        recipient_in_subject(
            &Context {
                msg: &msg,
                signatures: &sigs,
                config: &config,
            },
            &mut out,
        );
        assert!(out.is_empty());
    }

    #[test]
    fn simplified_chinese_in_japanese_text() {
        let ja = "お客様のアカウントは一時的に停止されました。以下のリンクから确认してください。\
请在24小时内完成操作，否则将无法使用。ご不明な点はお问い合わせください。";
        let raw = format!("Subject: s\nContent-Type: text/plain; charset=utf-8\n\n{ja}\n");
        let f = run(&raw);
        let k = f
            .iter()
            .find(|f| f.rule == "CONTENT_NON_JAPANESE_KANJI")
            .expect("fires");
        assert!(k.evidence[0].1.contains('请'), "{:?}", k.evidence);
    }

    #[test]
    fn ordinary_japanese_with_rare_kanji_is_fine() {
        // 髙 and 﨑 (CP932 extensions) and one JIS X 0213 kanji (𠮷) in ordinary business text.
        let ja = "髙橋様、﨑山様\n\nいつもお世話になっております。𠮷田です。先日の打ち合わせの議事録を\
お送りいたします。ご確認のほど、よろしくお願いいたします。来週の会議は水曜日の午後に変更となりました。";
        let raw = format!("Subject: s\nContent-Type: text/plain; charset=utf-8\n\n{ja}\n");
        assert!(!rules(&raw).contains(&"CONTENT_NON_JAPANESE_KANJI"));
        // Chinese text with a decorative の is not Japanese text.
        let zh =
            "我们的产品质量很好，价格便宜，欢迎您来电咨询。の 这是我们的网站，请查看详细说明。";
        let raw = format!("Subject: s\nContent-Type: text/plain; charset=utf-8\n\n{zh}\n");
        assert!(!rules(&raw).contains(&"CONTENT_NON_JAPANESE_KANJI"));
    }

    #[test]
    fn chinese_charset_and_fonts_in_japanese_mail() {
        let ja = "いつもご利用いただきありがとうございます。お客様のアカウント情報を確認させていただきます。";
        let (gb, _, _) = encoding_rs::GBK.encode(ja);
        let mut raw = b"Subject: s\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: 8bit\n\n".to_vec();
        raw.extend_from_slice(&gb);
        let msg = crate::message::parse(&raw, &Default::default()).unwrap();
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let mut out = Vec::new();
        chinese_charset_or_font(
            &Context {
                msg: &msg,
                signatures: &sigs,
                config: &config,
            },
            &mut out,
        );
        assert_eq!(out[0].rule, "CONTENT_CHINESE_CHARSET");
        let html = format!(
            "Subject: s\nContent-Type: text/html; charset=utf-8\n\n<p style=\"font-family: 'Microsoft YaHei', sans-serif\">{ja}</p>\n"
        );
        assert!(rules(&html).contains(&"CONTENT_CHINESE_FONT"));
        // The same font for Chinese text, or Japanese fonts for Japanese text, are fine.
        let zh = html.replace(ja, "我们的产品质量很好，价格便宜，欢迎您来电咨询。");
        assert!(!rules(&zh).contains(&"CONTENT_CHINESE_FONT"));
        let meiryo = html.replace("Microsoft YaHei", "Meiryo");
        assert!(!rules(&meiryo).contains(&"CONTENT_CHINESE_FONT"));
    }
}
