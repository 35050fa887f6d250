//! Words disguised: lookalike letters, split words, invisible fillers, styled letters.

use super::*;
use crate::text::hidden::{has_invisible_in_word, is_invisible_in_word};

/// Words written with letters of two alphabets that look alike (Latin `a`, `o`, `e` swapped for
/// Cyrillic or Greek ones: `Vеrіfy Yоur Wаllеt`), or with "styled" letters from the mathematical
/// and small-capital blocks (`𝐨𝐩𝐞𝐧 𝐧𝐨𝐰`, `ᴏᴢᴇᴍᴘɪᴄ`): text made to read normally to a person while
/// word filters see something else. No alphabet mixes so inside words in ordinary writing, so a
/// few such words are enough; one stray letter (a keyboard-layout slip) is not.
pub fn lookalike_letters(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let mut header = String::new();
    if let Some(s) = &msg.subject {
        header.push_str(cut(s, 2000));
        header.push(' ');
    }
    for m in &msg.from {
        if let Some(n) = &m.name {
            header.push_str(cut(n, 500));
            header.push(' ');
        }
    }
    let mut head = letter_counts(&header);
    // The mirror of the capital-I trick, in the short subject and sender name only: a small `l`
    // for a capital `I` inside a word written in capitals (`VlAGRA`, `WlN`).
    for word in header.split(|c: char| !c.is_ascii_alphabetic()) {
        if small_l_for_capital_i(word) {
            head.mixed_words += 1;
            head.note_example(word);
        }
    }
    // Combining marks that attach to no letter of the word they sit in (`Fa̷lha na e̷ntre̷ga`):
    // a stroke or a mark of another script laid over Latin letters.
    head.stray_marks = stray_marks(&header);
    let body = letter_counts(cut(body_text(msg), 50_000));
    let mixed = head.mixed_words + body.mixed_words;
    // Look-alike-only letters standing alone between Latin ones (`~ᑕ.loud ᗩ-ccount`) in a subject
    // or sender name that is written in Latin letters.
    let latin_head = header.bytes().filter(u8::is_ascii_alphabetic).count() >= 3;
    let dotted =
        head.dotted + body.dotted > DOTTED_WORDS && dotted_english(cut(body_text(msg), 50_000));
    let fires = dotted
        || mixed >= 3
        || head.mixed_words >= 2
        || head.strong_words >= 1
        || head.stray_marks >= 2
        || head.styled >= 3
        || body.styled >= 8
        || latin_head && head.lookalike_only >= 2;
    if !fires {
        return;
    }
    let mut examples = head.examples;
    for e in body.examples {
        if examples.len() < 4 && !examples.contains(&e) {
            examples.push(e);
        }
    }
    out.push(
        Finding::new("CONTENT_LOOKALIKE_LETTERS", "text")
            .with("words", examples.join(", "))
            .with("mixed", mixed.to_string())
            .with("styled", (head.styled + body.styled).to_string()),
    );
}

/// Words cut by invisible characters (`H\u{200C}el\u{200C}lo`, `P\u{200F}\u{200E}ayment`): zero-width
/// spaces, joiners and non-joiners, direction marks, the word joiner, the byte-order mark and the
/// combining grapheme joiner between two Latin letters. A reader sees whole words, a word filter
/// sees fragments. Newsletters pad their preview line with such characters between spaces, and
/// Persian and Indic writing join their own letters with them, so only Latin letters on both
/// sides count, and several words must be cut (three cuts in the subject and the sender's name,
/// which are short). Variation selectors and tag characters (`T\u{E0139}r\u{E0139}ust`) count too:
/// after a Latin letter they change nothing on screen.
pub fn split_words(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let mut cuts = 0usize;
    let mut words: Vec<String> = Vec::new();
    let mut distinct = 0usize;
    let mut scan = |text: &str| {
        let mut here = 0;
        if !has_invisible_in_word(text) {
            return here;
        }
        for word in text.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation()) {
            let n = cut_points(word);
            if n == 0 {
                continue;
            }
            cuts += n;
            here += n;
            distinct += 1;
            let shown: String = word
                .chars()
                .filter(|c| !is_invisible_in_word(*c))
                .take(40)
                .collect();
            if words.len() < 4 && !words.contains(&shown) {
                words.push(shown);
            }
        }
        here
    };
    // The subject and the sender's name are a few words: three cuts there are as telling as
    // five in a whole text.
    let mut header_cuts = 0;
    let headers = msg.subject.iter().map(|s| cut(s, 2000)).chain(
        msg.from
            .iter()
            .filter_map(|m| m.name.as_deref())
            .map(|n| cut(n, 500)),
    );
    for text in headers {
        header_cuts += scan(text);
    }
    scan(cut(body_text(msg), 50_000));
    if header_cuts < 3 && (cuts < 5 || distinct < 3) {
        return;
    }
    out.push(
        Finding::new("CONTENT_SPLIT_WORDS", "text")
            .with("words", words.join(", "))
            .with("count", distinct.to_string()),
    );
}

/// Words of the subject and the sender's name strung together with filler instead of spaces
/// (`Claim..your..reward..now`, `Send__to__your__wallet`): two dots, or two or more
/// underscores, between two letters, at two places or more. A reader takes them for spaces; a filter that
/// looks for the words does not find them. One such join can be a version range
/// (`HEAD..main`); two in a subject are not written by accident.
pub fn filler_joined_words(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let mut joins = 0usize;
    let mut examples: Vec<String> = Vec::new();
    let mut scan = |text: &str| {
        let chars: Vec<char> = text.chars().take(500).collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars.get(i).copied().unwrap_or(' ');
            if c != '.' && c != '_' {
                i += 1;
                continue;
            }
            let start = i;
            while chars.get(i) == Some(&c) {
                i += 1;
            }
            let letter_before =
                start > 0 && chars.get(start - 1).is_some_and(|p| p.is_alphabetic());
            let letter_after = chars.get(i).is_some_and(|n| n.is_alphabetic());
            // Exactly two dots: three are an ellipsis (`water...glub`), written without spaces
            // by hurried writers.
            let filler = if c == '.' {
                i - start == 2
            } else {
                i - start >= 2
            };
            if filler && letter_before && letter_after {
                joins += 1;
                if examples.len() < 3 {
                    let from = chars
                        .get(..start)
                        .unwrap_or(&[])
                        .iter()
                        .rev()
                        .take_while(|p| p.is_alphanumeric())
                        .count();
                    let to = chars
                        .get(i..)
                        .unwrap_or(&[])
                        .iter()
                        .take_while(|n| n.is_alphanumeric())
                        .count();
                    let piece: String = chars
                        .get(start - from..i + to)
                        .unwrap_or(&[])
                        .iter()
                        .take(40)
                        .collect();
                    examples.push(piece);
                }
            }
        }
    };
    if let Some(s) = &msg.subject {
        scan(s);
    }
    for m in &msg.from {
        if let Some(n) = &m.name {
            scan(n);
        }
    }
    let texts = msg
        .subject
        .iter()
        .chain(msg.from.iter().filter_map(|m| m.name.as_ref()));
    for piece in texts.flat_map(|t| glued_prose(cut(t, 500))) {
        joins += piece.matches('_').count();
        if examples.len() < 3 {
            examples.push(piece.chars().take(40).collect());
        }
    }
    if joins < 2 {
        return;
    }
    out.push(
        Finding::new("CONTENT_FILLER_JOINED_WORDS", "Subject")
            .with("count", joins.to_string())
            .with("words", examples.join(", ")),
    );
}

/// Prose strung together by single underscores (`A_New_Starbucks_Update_for_You`,
/// `Unusual_activity_on_your_Account`): three words or more of letters and digits joined by `_`,
/// one of them capitalised and one a small word of running English text (`for`, `your`, `on`).
/// An identifier (`snake_case_name`, `MAX_LINE_LEN`, `Build_Release_Notes`) has no such pair.
fn glued_prose(text: &str) -> impl Iterator<Item = &str> {
    const SMALL_WORDS: &[&str] = &[
        "a", "an", "the", "for", "to", "of", "on", "in", "is", "are", "and", "you", "your", "me",
        "my", "we", "our", "with", "from", "now", "has", "have", "it", "this", "at", "by",
    ];
    text.split(|c: char| c.is_whitespace() || "\"'()[]<>,;:!?".contains(c))
        .map(|t| t.trim_matches('_'))
        .filter(|t| {
            let parts: Vec<&str> = t.split('_').collect();
            parts.len() >= 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(char::is_alphanumeric))
                && parts.iter().any(|p| {
                    let mut cs = p.chars();
                    cs.next().is_some_and(char::is_uppercase)
                        && p.chars().count() >= 2
                        && cs.all(char::is_lowercase)
                })
                && parts
                    .iter()
                    .any(|p| SMALL_WORDS.iter().any(|w| p.eq_ignore_ascii_case(w)))
        })
}

/// A subject or sender name that ends in a made-up code set apart by padding
/// (`Win een cadeaukaart!     .....EK074`, `WinMetCenterParcs .GQME`, `het hele gezin Rlqe..Rlqe`):
/// bulk mail stamps each copy with a new code so that filters which compare messages, or count
/// copies, see every copy as new. The code comes after two dots or more, a space and a dot, a
/// tab or three spaces, at the very end, and is made up: letters and digits mixed (`EK074`), or
/// small and capital letters in no spelling's order (`MWfG`), or the same code stamped at the end
/// of both the subject and the name, or twice in the subject. Words (`...again`), years and
/// ticket numbers (`....2026`) are not codes.
pub fn padded_code(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let subject = msg.subject.as_deref().map(|s| cut(s, 2000)).unwrap_or("");
    let names: Vec<&str> = msg
        .from
        .iter()
        .filter_map(|m| m.name.as_deref())
        .map(|n| cut(n, 500))
        .collect();
    let mut code = padded_tail(subject).filter(|t| {
        made_up_code(t) || names.iter().any(|n| n.contains(t)) || subject.matches(t).count() >= 2
    });
    for name in &names {
        if code.is_none() {
            code = padded_tail(name).filter(|t| made_up_code(t) || subject.contains(t));
        }
    }
    let Some(code) = code else {
        return;
    };
    out.push(Finding::new("CONTENT_PADDED_CODE", "Subject").with("code", code));
}

/// The code at the end of `text` after padding (see `padded_code`): 3 to 12 ASCII letters and
/// digits, not all digits, preceded by two dots or more (not between two words with digits, a
/// range such as `abc123..def456`), white space and a dot, a tab, or three white spaces.
fn padded_tail(text: &str) -> Option<&str> {
    let t = text.trim_end();
    let len = t
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    let (head, code) = t.split_at(t.len() - len);
    if !(3..=12).contains(&len) || code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let pad = head.trim_end_matches([' ', '\t']);
    let spaces = &head[pad.len()..];
    let dots = pad.len() - pad.trim_end_matches('.').len();
    let before_dots = pad.trim_end_matches('.');
    // `abc123..def456`, `v1..v10`: a range of commits or versions, not padding.
    let word_before: &str = before_dots
        .rsplit(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    let range = spaces.is_empty() && word_before.bytes().any(|b| b.is_ascii_digit());
    let padded = dots >= 2 && !range
        || (dots == 1 && before_dots.ends_with(char::is_whitespace))
        || spaces.contains('\t')
        || (dots == 0 && spaces.len() >= 3);
    padded.then_some(code)
}

/// Whether `code` (ASCII letters and digits) is made up rather than a word, a number or an
/// abbreviation: letters and digits mixed (`EK074`), or small letters with two capitals or more
/// after the first letter (`MWfG`, `HRCb`), or six capitals or more without a vowel
/// (`LYPMFXTWMJ`: no word, and longer than any abbreviation). One capital inside (`PayPal`,
/// `eBay`, `McDonald`) is how brands and names are spelt.
fn made_up_code(code: &str) -> bool {
    let digits = code.bytes().any(|b| b.is_ascii_digit());
    let letters = code.bytes().any(|b| b.is_ascii_alphabetic());
    let smalls = code.bytes().any(|b| b.is_ascii_lowercase());
    let capitals_after_first = code.bytes().skip(1).filter(u8::is_ascii_uppercase).count();
    let vowelless_capitals = code.len() >= 6
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() && !b"AEIOU".contains(&b));
    digits && letters || smalls && capitals_after_first >= 2 || vowelless_capitals
}

/// How many runs of invisible characters in `word` stand between two ASCII letters.
pub(super) fn cut_points(word: &str) -> usize {
    let mut n = 0;
    let mut prev_letter = false;
    let mut in_run = false;
    for c in word.chars() {
        if is_invisible_in_word(c) {
            in_run = prev_letter || in_run;
            prev_letter = false;
            continue;
        }
        let letter = c.is_ascii_alphabetic();
        if letter && in_run {
            n += 1;
        }
        in_run = false;
        prev_letter = letter;
    }
    n
}

#[derive(Debug, Default, PartialEq)]
pub(super) struct LetterCounts {
    /// Words mixing Latin letters with Cyrillic or Greek ones.
    mixed_words: usize,
    /// Words that no slip of the keyboard writes: two letters or more of another alphabet in a
    /// Latin word (`Αviatiοn`), or a capital `I` for a small `l` (`pIan`).
    strong_words: usize,
    /// Combining marks after a Latin letter that compose with none (`e̷`); counted in the subject
    /// and sender name only.
    stray_marks: usize,
    /// Letters from the mathematical alphanumeric, small-capital and enclosed-letter blocks.
    styled: usize,
    /// Letters of the scripts used only as Latin look-alikes (`Alphabet::LookalikeOnly`).
    lookalike_only: usize,
    /// English-looking words with one letter swapped for a rare accented Latin one (`ḟeel`,
    /// `ąbout` is not counted: Latin Extended-A is everyday Polish, Czech or Turkish).
    dotted: usize,
    /// Up to four words that show it.
    examples: Vec<String>,
}

impl LetterCounts {
    /// Keeps up to four distinct example words (40 characters each) for the reason.
    fn note_example(&mut self, word: &str) {
        if self.examples.len() < 4 && !self.examples.iter().any(|e| e == word) {
            self.examples.push(word.chars().take(40).collect());
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Alphabet {
    Latin,
    CyrillicOrGreek,
    /// Scripts whose letters copy Latin shapes (Cherokee `Ꭺ`, Canadian syllabics `ᑕ` `ᗩ`,
    /// Lisu `ꓮ`) and that no one mixes into Latin text except to disguise it.
    LookalikeOnly,
    Other,
}

pub(super) fn alphabet(c: char) -> Alphabet {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F => Alphabet::Latin,
        // Greek and Coptic, Cyrillic, Cyrillic Supplement.
        0x370..=0x52F => Alphabet::CyrillicOrGreek,
        // Cherokee, Unified Canadian Aboriginal Syllabics (and extended), Lisu, Cherokee
        // Supplement.
        0x13A0..=0x13FF | 0x1400..=0x167F | 0x18B0..=0x18FF | 0xA4D0..=0xA4FF | 0xAB70..=0xABBF => {
            Alphabet::LookalikeOnly
        }
        _ => Alphabet::Other,
    }
}

pub(crate) fn is_styled_letter(c: char) -> bool {
    matches!(c as u32,
        0x1D400..=0x1D7FF | 0x1D00..=0x1D2B | 0x1F130..=0x1F189 | 0x24B6..=0x24E9)
}

/// A capital `I` standing for a small `l` inside a lower-case word (`waIIet`, `BiIIing`,
/// `PaypaI`): two of them together, one ending a word of four or more small letters, or one
/// followed by a small `a`, `e`, `i`, `u` or `y` (`pIan`, `PoIicy`, `BIue`, `Iedger`), where
/// `l` is common and a capital `I` begins no English word (`Ian`, a name, is three letters).
/// Names and joined words such as `McIntyre`, `LinkedIn` or `SignIt` have a capital `I` before
/// a consonant or an `o`, which is not counted.
pub(super) fn capital_i_for_l(word: &str) -> bool {
    if !word.as_bytes().contains(&b'I') {
        return false;
    }
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 || chars.iter().filter(|c| c.is_ascii_lowercase()).count() < 3 {
        return false;
    }
    let doubled = chars
        .windows(4)
        .any(|w| matches!(w, [a, 'I', 'I', b] if a.is_ascii_lowercase() && b.is_ascii_lowercase()));
    let at_end = match chars.split_last() {
        Some(('I', rest)) => {
            rest.len() >= 4 && rest.iter().rev().take(4).all(char::is_ascii_lowercase)
        }
        _ => false,
    };
    doubled || at_end || before_l_vowel(&chars)
}

/// A capital `I` followed by a small `a`, `e`, `i`, `u` or `y`, after a letter (`pIan`) or
/// starting a word of five or more letters (`Iedger`; `Iain` is a name), in a word of ASCII
/// letters with at most two other capitals (`BIueCross`; a token of random letters such as
/// `TIetNxsBj` has more), and none after the `I` but in `BIue…` (see `capital_i_for_l`).
fn before_l_vowel(chars: &[char]) -> bool {
    if !chars.iter().all(char::is_ascii_alphabetic)
        || chars
            .iter()
            .filter(|&&c| c.is_ascii_uppercase() && c != 'I')
            .count()
            > 2
    {
        return false;
    }
    chars.windows(2).enumerate().any(|(k, w)| {
        // A capital after the `I` makes a joined identifier (`getIamPolicy`, `SetIamRole`) unless
        // the `I` is the second letter after a capital (`BIueCross`).
        let capital_after = chars
            .get(k + 1..)
            .is_some_and(|rest| rest.iter().any(char::is_ascii_uppercase));
        let second_after_capital = k == 1 && chars.first().is_some_and(char::is_ascii_uppercase);
        matches!(w, ['I', v] if "aeiuy".contains(*v))
            && (k > 0 || chars.len() >= 5)
            && (!capital_after || second_after_capital)
    })
}

/// A small `l` standing for a capital `I` inside a word written in capitals (`VlAGRA`,
/// `ClALlS`, `WlN`): a word of ASCII letters that begins and ends with a capital, with a small `l`
/// and no other small letter. No spelling writes a lone small `l` between capitals; a unit or an
/// abbreviation with a small letter (`kWh`, `dB`, `mL`) has it at an end or has another one.
pub(super) fn small_l_for_capital_i(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 3
        && b[0].is_ascii_uppercase()
        && b[b.len() - 1].is_ascii_uppercase()
        && b.iter().all(|&c| c == b'l' || c.is_ascii_uppercase())
        && b.contains(&b'l')
}

pub(super) fn letter_counts(text: &str) -> LetterCounts {
    let mut counts = LetterCounts::default();
    for word in candidate_words(text) {
        // An ASCII word has neither Cyrillic, Greek nor styled letters: only the capital-I
        // trick can show in it.
        if word.is_ascii() && !capital_i_for_l(word) {
            continue;
        }
        // A token with digits is a measurement (`100μs`, `5Ω`) or an identifier (a tracking
        // token), not a word written to be read.
        if word.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        if is_dotted_word(word) {
            counts.dotted += 1;
            if counts.dotted > DOTTED_WORDS && counts.examples.len() < 4 {
                counts.examples.push(word.chars().take(40).collect());
            }
        }
        let mut latin = false;
        let mut other = false;
        let mut others = 0;
        let mut styled = 0;
        for c in word.chars() {
            match alphabet(c) {
                Alphabet::Latin => latin = true,
                Alphabet::CyrillicOrGreek => {
                    other = true;
                    others += 1;
                }
                Alphabet::LookalikeOnly => {
                    other = true;
                    counts.lookalike_only += 1;
                }
                Alphabet::Other => {}
            }
            if is_styled_letter(c) {
                styled += 1;
            }
        }
        counts.styled += styled;
        let capital_i = capital_i_for_l(word);
        let shows = if latin && other && word.chars().count() >= 3 || capital_i {
            counts.mixed_words += 1;
            if capital_i || others >= 2 {
                counts.strong_words += 1;
            }
            true
        } else {
            styled > 0
                || other && !latin && word.chars().any(|c| alphabet(c) == Alphabet::LookalikeOnly)
        };
        if shows {
            counts.note_example(word);
        }
    }
    counts
}

/// Combining marks (`Mn`) right after an ASCII letter that Unicode composes with it into no
/// letter (`e` + U+0337 `e̷`, a Syriac or Arabic mark over a Latin letter), and none before one
/// (`é` written as `e` + U+0301 is a letter of its own once composed).
pub(super) fn stray_marks(text: &str) -> usize {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut n = 0;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = prev
            && p.is_ascii_alphabetic()
            && is_combining_mark(c)
            && [p, c].into_iter().nfc().count() > 1
        {
            n += 1;
        }
        prev = Some(c);
    }
    n
}

/// Words with one rare accented letter that make English text "dotted" (`I ḟeel sặd to ḁlert
/// you`): more than this many, in text that is otherwise English, count as look-alike writing.
pub(super) const DOTTED_WORDS: usize = 8;

/// A word of three letters or more, all ASCII but one, which is from Latin Extended-B (U+0180 to
/// U+024F) or Latin Extended Additional (U+1E00 to U+1EFF): letters no European language
/// writes inside English words.
pub(super) fn is_dotted_word(word: &str) -> bool {
    let mut rare = 0;
    let mut letters = 0;
    for c in word.chars() {
        if c.is_ascii_alphabetic() {
            letters += 1;
        } else if matches!(c as u32, 0x180..=0x24F | 0x1E00..=0x1EFF) {
            rare += 1;
            letters += 1;
        } else {
            return false;
        }
    }
    rare == 1 && letters >= 3
}

/// Whether text with dotted words is English otherwise: many English function words, and next
/// to none of the letters only Vietnamese uses (ă, đ, ơ, ư), since Vietnamese words also have
/// one accented letter among ASCII ones. Only run when a text has many dotted words.
pub(super) fn dotted_english(text: &str) -> bool {
    const FUNCTION_WORDS: [&str; 10] = [
        "the", "and", "you", "your", "to", "of", "for", "is", "with", "this",
    ];
    let vietnamese = text
        .chars()
        .filter(|c| matches!(c, 'ă' | 'Ă' | 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư'))
        .take(3)
        .count();
    if vietnamese >= 3 {
        return false;
    }
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| FUNCTION_WORDS.iter().any(|f| w.eq_ignore_ascii_case(f)))
        .take(15)
        .count()
        >= 15
}

/// A letter of a word for the lookalike check: alphanumeric, but not kana, CJK ideographs or
/// Hangul. Those have no lookalike of a Latin letter, and Japanese text is a run of them: taken
/// as separators, they cost a range test each instead of a Unicode table look-up.
pub(super) fn word_char(c: char) -> bool {
    !matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
        && c.is_alphanumeric()
}

/// Where the first `I` or non-ASCII byte of `bytes` is. Blocks of 32 bytes with neither (most
/// of an English text) are passed over in one test each.
pub(super) fn first_candidate_byte(bytes: &[u8]) -> Option<usize> {
    let candidate = |b: u8| b == b'I' || b >= 0x80;
    let mut from = 0;
    for block in bytes.chunks_exact(32) {
        if block
            .iter()
            .fold(0u8, |m, &b| m | u8::from(b == b'I') | (b & 0x80))
            != 0
        {
            break;
        }
        from += 32;
    }
    bytes
        .get(from..)?
        .iter()
        .position(|&b| candidate(b))
        .map(|i| from + i)
}

/// The words (runs of `word_char`) that have a capital `I` or a non-ASCII character: the only
/// ones the lookalike check can count. Runs of plain ASCII text are skipped without splitting
/// them into words.
pub(super) fn candidate_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        loop {
            let hit = pos + first_candidate_byte(bytes.get(pos..)?)?;
            // `hit` is a char boundary: `I` is ASCII, and the first non-ASCII byte after an
            // ASCII byte (or after `pos`, a boundary) starts a character.
            let c = text.get(hit..)?.chars().next()?;
            if !word_char(c) {
                // A curly quote, a no-break space, kana or kanji: no word has it.
                pos = hit + c.len_utf8();
                continue;
            }
            let start = text
                .get(pos..hit)?
                .char_indices()
                .rev()
                .take_while(|(_, c)| word_char(*c))
                .last()
                .map_or(hit, |(i, _)| pos + i);
            let end = text
                .get(hit..)?
                .char_indices()
                .find(|(_, c)| !word_char(*c))
                .map_or(text.len(), |(i, _)| hit + i);
            pos = end;
            return text.get(start..end);
        }
    })
}
