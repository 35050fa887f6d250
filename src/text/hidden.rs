//! Characters that hide or reorder text, and how evidence is shown so they cannot. Each set of
//! such characters is defined here once; they differ on purpose, each for what it is asked:
//! - `is_hidden_char`: what must not reach a report as it is (controls, bidi, invisibles);
//! - `is_bidi_control`: what reorders the display of the text after it;
//! - `is_invisible_in_word` (and `has_invisible_in_word`): what can sit inside a word unseen;
//! - `is_invisible_in_name`: what hides in a file name (the check adds the joiner and
//!   byte-order-mark exceptions);
//! - `is_blank`: what looks like a blank in a file name listing.

/// Makes evidence safe to show: control, bidi and invisible characters become `<U+XXXX>`, so an
/// RLO in a file name cannot reorder our own report, and long values are shortened.
pub fn visible(value: &str) -> String {
    const MAX: usize = 200;
    // A value of at most `MAX` bytes has at most `MAX` characters.
    if value.len() <= MAX {
        return reveal_hidden(value);
    }
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", reveal_hidden(&value[..cut])),
        None => reveal_hidden(value),
    }
}

/// Control, bidi and invisible characters written as `<U+XXXX>`; a run of the same one as one
/// marker with its count (`<U+200B ×57>`, as attachment names show padding). An invisible
/// character (not a control character) strewn through the text in more than `STREWN` places,
/// such as a zero-width space after every letter, is taken out of it and named once in front
/// with its count (`<U+200B ×7>Invoice`), so the text stays readable.
pub fn reveal_hidden(value: &str) -> String {
    const STREWN: usize = 3;
    // Printable ASCII (most evidence) holds no hidden character.
    if value.bytes().all(|b| matches!(b, b' '..=b'~')) {
        return value.to_string();
    }
    let mut strewn: Vec<(char, usize, usize)> = Vec::new();
    let mut prev = None;
    for c in value.chars() {
        if is_hidden_char(c) && !c.is_control() {
            if let Some((_, runs, total)) = strewn.iter_mut().find(|(k, _, _)| *k == c) {
                *total += 1;
                if prev != Some(c) {
                    *runs += 1;
                }
            } else if strewn.len() < 16 {
                strewn.push((c, 1, 1));
            }
        }
        prev = Some(c);
    }
    strewn.retain(|(_, runs, _)| *runs > STREWN);
    let mut out = String::with_capacity(value.len());
    for (c, _, total) in &strewn {
        out.push_str(&format!("<U+{:04X} ×{total}>", *c as u32));
    }
    let mut chars = value
        .chars()
        .filter(|c| !strewn.iter().any(|(k, _, _)| k == c))
        .peekable();
    while let Some(c) = chars.next() {
        if is_hidden_char(c) {
            let mut n = 1;
            while chars.next_if_eq(&c).is_some() {
                n += 1;
            }
            if n == 1 {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            } else {
                out.push_str(&format!("<U+{:04X} ×{n}>", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that change or hide how text around them is displayed.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x061C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x180E | 0x00AD)
}

/// Characters that reorder how the rest of a text (a file name) is displayed.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C)
}

/// Invisible characters that can sit inside a word without showing.
pub fn is_invisible_in_word(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{034F}'
            | '\u{180E}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0000}'..='\u{E01EF}'
    )
}

/// Whether `text` has any `is_invisible_in_word` character, found a byte at a time at memchr
/// speed (splitting text into words is the slow part, and almost no mail has these characters).
/// Their UTF-8 forms start CD 8F (U+034F), E1 A0 8E (U+180E), E2 80 8B–8F (U+200B–U+200F),
/// E2 81 A0–A4 (U+2060–U+2064), EF BB BF (U+FEFF), EF B8 80–8F (U+FE00–U+FE0F) and
/// F3 A0 80 80 – F3 A0 87 AF (U+E0000–U+E01EF).
pub fn has_invisible_in_word(text: &str) -> bool {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    memchr::memchr3_iter(0xCD, 0xE1, 0xE2, b).any(|i| match at(i) {
        0xCD => at(i + 1) == 0x8F,
        0xE1 => at(i + 1) == 0xA0 && at(i + 2) == 0x8E,
        _ => match at(i + 1) {
            0x80 => (0x8B..=0x8F).contains(&at(i + 2)),
            0x81 => (0xA0..=0xA4).contains(&at(i + 2)),
            _ => false,
        },
    }) || memchr::memchr2_iter(0xEF, 0xF3, b).any(|i| match at(i) {
        0xEF => match at(i + 1) {
            0xBB => at(i + 2) == 0xBF,
            0xB8 => (0x80..=0x8F).contains(&at(i + 2)),
            _ => false,
        },
        _ => {
            at(i + 1) == 0xA0
                && ((0x80..=0x86).contains(&at(i + 2)) || at(i + 2) == 0x87 && at(i + 3) <= 0xAF)
        }
    })
}

/// Zero-width and other invisible characters that hide in a file name: zero-width space and
/// joiners, word joiner and invisible operators, soft hyphen, Mongolian vowel separator,
/// combining grapheme joiner, Khmer inherent vowels, byte order mark. Bidi controls are a set of
/// their own (`is_bidi_control`).
pub fn is_invisible_in_name(c: char) -> bool {
    matches!(c as u32,
        0x200B..=0x200D | 0xFEFF | 0x2060..=0x2064 | 0x00AD | 0x180E | 0x034F | 0x17B4 | 0x17B5)
}

/// Characters that look like a blank in a file name listing: spaces of every width, tab, the
/// Hangul and Braille blanks.
pub fn is_blank(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{00A0}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{3164}'
                | '\u{2800}'
                | '\u{FFA0}'
                | '\u{115F}'
                | '\u{1160}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_one_hidden_character_are_one_marker_with_a_count() {
        let subject: String = "Invoice".chars().flat_map(|c| [c, '\u{200B}']).collect();
        assert_eq!(reveal_hidden(&subject), "<U+200B ×7>Invoice");
        // A few stay where they are; control characters always do.
        assert_eq!(reveal_hidden("a\u{200B}b\u{200B}c"), "a<U+200B>b<U+200B>c");
        assert_eq!(
            reveal_hidden("a\nb\nc\nd\ne"),
            "a<U+000A>b<U+000A>c<U+000A>d<U+000A>e"
        );
        let padded = format!("a{}b\u{202E}\u{202E}c\r\n", "\u{200B}".repeat(57));
        assert_eq!(
            reveal_hidden(&padded),
            "a<U+200B ×57>b<U+202E ×2>c<U+000D><U+000A>"
        );
        assert_eq!(reveal_hidden("plain text"), "plain text");
    }

    #[test]
    fn has_invisible_in_word_agrees_with_the_character_test_on_every_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("ab{c}cd");
            assert_eq!(
                has_invisible_in_word(&text),
                is_invisible_in_word(c),
                "U+{:04X}",
                c as u32
            );
        }
        assert!(!has_invisible_in_word("\u{2010}\u{2020}\u{E1}\u{CD}"));
        assert!(has_invisible_in_word("ends with\u{FEFF}"));
        assert!(!has_invisible_in_word("truncated \u{2080}"));
    }
}
