//! Words as a reader counts them: space-separated words in scripts that separate them, and about
//! one word per two characters in Chinese, Japanese and Korean, which write no spaces.

/// Words in `text`: each space-separated token with a letter or digit is one word, and its
/// CJK characters count one word per two (a Japanese sentence is one token however long).
pub fn count(text: &str) -> usize {
    if text.is_ascii() {
        return ascii_count(text.as_bytes());
    }
    // One pass: a token's CJK characters and whether it holds another letter or digit, counted
    // where white space ends it; ASCII bytes (most of any text) are taken as they are.
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut cjk = 0usize;
    let mut other = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            i += 1;
            if matches!(b, b'\t'..=b'\r' | b' ') {
                words += cjk.div_ceil(2) + usize::from(other);
                cjk = 0;
                other = false;
            } else if b.is_ascii_alphanumeric() {
                other = true;
            }
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c.is_whitespace() {
            words += cjk.div_ceil(2) + usize::from(other);
            cjk = 0;
            other = false;
        } else if is_cjk(c) {
            cjk += 1;
        } else if c.is_alphanumeric() {
            other = true;
        }
    }
    words + cjk.div_ceil(2) + usize::from(other)
}

/// `count` of ASCII text in one pass over its bytes: a token ends at ASCII white space (what
/// `split_whitespace` splits ASCII at) and counts when it holds a letter or digit.
fn ascii_count(text: &[u8]) -> usize {
    let mut words = 0;
    let mut counted = false;
    for &b in text {
        if matches!(b, b'\t'..=b'\r' | b' ') {
            words += usize::from(counted);
            counted = false;
        } else if b.is_ascii_alphanumeric() {
            counted = true;
        }
    }
    words + usize::from(counted)
}

/// Han, kana and Hangul: letters of scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // hiragana, katakana
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0xFF66..=0xFF9F   // half-width katakana
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0x20000..=0x2FA1F // CJK extensions B and on
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_and_unspaced_scripts_are_counted_alike() {
        assert_eq!(count("Your account is locked now"), 5);
        assert_eq!(count("— | 2026 —"), 1);
        // 「お支払い情報を更新してください」: 15 characters, one token, about eight words.
        assert_eq!(count("お支払い情報を更新してください"), 8);
        assert_eq!(count("日本語abc と English"), 2 + 1 + 1 + 1);
        assert_eq!(count("   "), 0);
        assert_eq!(count("Ünïcödé wörds"), 2);
    }

    /// The one-pass counts equal the count by `split_whitespace` they stand for.
    #[test]
    fn one_pass_count_equals_the_split_count() {
        let by_split = |text: &str| -> usize {
            text.split_whitespace()
                .map(|token| {
                    if token.is_ascii() {
                        return usize::from(token.bytes().any(|b| b.is_ascii_alphanumeric()));
                    }
                    let cjk = token.chars().filter(|&c| is_cjk(c)).count();
                    let other = token.chars().any(|c| c.is_alphanumeric() && !is_cjk(c));
                    cjk.div_ceil(2) + usize::from(other)
                })
                .sum()
        };
        let pieces = [
            " ", "\t", "\n", "\r", "\x0B", "\x0C", "\x1C", "\x1F", "\0", "a", "Z", "7", "_", "-",
            "|", "--", "word", "x1", ".", "\u{7F}", "  ", "\u{A0}", "\u{85}", "\u{3000}",
            "\u{2028}", "日", "本語", "ｶﾀ", "한", "é", "—", "①", "\u{200B}", "\u{FEFF}", "𠀋",
        ];
        let mut g = crate::text::generated::Generated::new(0x00c0_ffee);
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..g.next() % 12 {
                text.push_str(g.pick(&pieces));
            }
            if text.is_ascii() {
                assert_eq!(ascii_count(text.as_bytes()), by_split(&text), "{text:?}");
            }
            assert_eq!(count(&text), by_split(&text), "{text:?}");
        }
    }
}
