//! Japanese text: characters Japanese does not use, Chinese charsets and fonts.

use super::*;

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
    let text = cut(text, 100_000);
    // Kana and ideographs are U+3041 and above: in UTF-8 their first byte is 0xE3 or more, and
    // every other byte (ASCII, the rest of a sequence, the first of a lower character) is less.
    // A block of 32 bytes with none that high (most of any text but Chinese or Japanese) is
    // passed over in one test.
    let bytes = text.as_bytes();
    let high = bytes.chunks(32).enumerate().flat_map(|(n, block)| {
        let any = block.iter().fold(0u8, |m, &b| m.max(b)) >= 0xE3;
        let from = n * 32;
        block
            .iter()
            .enumerate()
            .filter(move |&(_, &b)| any && b >= 0xE3)
            .map(move |(i, _)| from + i)
    });
    for at in high {
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            continue;
        };
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

pub(super) fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D)
}

pub(super) fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Whether a character is in JIS X 0208 or the Windows (CP932) extensions Japanese mail uses:
/// encodable as Shift_JIS or EUC-JP by encoding_rs (the WHATWG encoders).
pub(super) fn in_japanese_charset(c: char) -> bool {
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
    // Only Japanese mail can show it: asked once, before lower-casing and searching each HTML.
    if msg.htmls.is_empty() || !is_japanese() {
        return;
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
pub(super) fn in_font_context(lower: &str, at: usize) -> bool {
    let mut start = at.saturating_sub(80);
    while !lower.is_char_boundary(start) {
        start -= 1;
    }
    let before = lower.get(start..at).unwrap_or("");
    let near = before.rsplit([';', '>', '}']).next().unwrap_or(before);
    near.contains("font-family") || near.contains("face=") || near.contains("font:")
}
