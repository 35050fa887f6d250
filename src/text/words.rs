//! Words as a reader counts them: space-separated words in scripts that separate them, and about
//! one word per two characters in Chinese, Japanese and Korean, which write no spaces.

/// Words in `text`: each space-separated token with a letter or digit is one word, and its
/// CJK characters count one word per two (a Japanese sentence is one token however long).
pub fn count(text: &str) -> usize {
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
}
