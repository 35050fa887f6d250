//! RFC 2047 encoded-words left in a display name because they touch other text
//! (`David H=?ISO-8859-1?B?9g==?=hn`, `~..=?UTF-8?B?RW50cmVnYSBwZXJkaWRh?=..`).
//!
//! The standard lets an encoded-word stand only between spaces in a phrase, so a strict parser
//! (mail-parser reading an address field) leaves such words as they are. Mail programs decode
//! them anyway and show the reader `David Höhn` and `~..Entrega perdida..`; the checks must read
//! the name the reader reads.

use base64::Engine as _;
use std::borrow::Cow;

/// Encoded-words decoded in one name at most: a display name is short.
const MAX_WORDS: usize = 64;
/// Places that start like an encoded-word (`=?`) tried in one name at most, words or not.
const MAX_TRIES: usize = 256;
/// The longest encoded-word looked for, in bytes: each try reads no further.
const MAX_WORD_BYTES: usize = 1100;

/// `text` with every well-formed encoded-word decoded in place (space between two encoded-words
/// dropped, as RFC 2047 6.2 says); words with an unknown charset or bad encoding stay as written.
pub fn decode_in_text(text: &str) -> Cow<'_, str> {
    if !text.contains("=?") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut decoded_any = false;
    let mut last_was_word = false;
    let mut words = 0;
    let mut tries = 0;
    while let Some(at) = rest.find("=?") {
        let (before, from) = rest.split_at(at);
        tries += 1;
        let word = (words < MAX_WORDS && tries <= MAX_TRIES)
            .then(|| encoded_word(from))
            .flatten();
        let Some((decoded, len)) = word else {
            out.push_str(before);
            out.push_str("=?");
            rest = &from[2..];
            last_was_word = false;
            continue;
        };
        // Space between two encoded-words is not part of the text.
        if !(last_was_word && before.chars().all(char::is_whitespace)) {
            out.push_str(before);
        }
        out.push_str(&decoded);
        rest = &from[len..];
        decoded_any = true;
        last_was_word = true;
        words += 1;
    }
    if !decoded_any {
        return Cow::Borrowed(text);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The encoded-word at the start of `s` (`=?charset?B|Q?text?=`), decoded, and its length.
fn encoded_word(s: &str) -> Option<(String, usize)> {
    let mut cut = s.len().min(MAX_WORD_BYTES);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let s = &s[..cut];
    let body = s.strip_prefix("=?")?;
    let (charset, body) = body.split_once('?')?;
    let (kind, body) = body.split_once('?')?;
    let end = body.find("?=")?;
    let text = &body[..end];
    if charset.is_empty()
        || charset.len() > 40
        || text.len() > 1000
        || text.contains(|c: char| c.is_whitespace() || c == '?')
    {
        return None;
    }
    // `utf-8*en`: an RFC 2231 language after the charset.
    let charset = charset.split('*').next().unwrap_or(charset);
    let encoding = encoding_rs::Encoding::for_label(charset.trim().as_bytes())?;
    let bytes = match kind {
        "B" | "b" => base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        )
        .decode(text)
        .ok()?,
        "Q" | "q" => q_decode(text)?,
        _ => return None,
    };
    let (decoded, _) = encoding.decode_without_bom_handling(&bytes);
    let len = 2 + charset_len(s) + 1 + kind.len() + 1 + end + 2;
    Some((decoded.into_owned(), len))
}

/// The length of the charset as written (with any `*language`), between `=?` and `?`.
fn charset_len(s: &str) -> usize {
    s[2..].find('?').unwrap_or(0)
}

/// The `Q` encoding: `_` for a space, `=XX` for a byte.
fn q_decode(text: &str) -> Option<Vec<u8>> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'_' => out.push(b' '),
            b'=' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_touching_text_are_decoded_in_place() {
        assert_eq!(
            decode_in_text("David H=?ISO-8859-1?B?9g==?=hn"),
            "David Höhn"
        );
        assert_eq!(
            decode_in_text("~..=?UTF-8?B?RW50cmVnYSBwZXJkaWRh?=.."),
            "~..Entrega perdida.."
        );
        assert_eq!(
            decode_in_text("Conseil Sant=?UTF-8?B?w6k=?="),
            "Conseil Santé"
        );
        assert_eq!(
            decode_in_text("caf=?utf-8?q?=C3=A9_au_lait?="),
            "café au lait"
        );
        // Japanese in ISO-2022-JP, and two words: the space between them is dropped.
        assert_eq!(
            decode_in_text("=?ISO-2022-JP?B?GyRCJCokbBsoQg==?= =?UTF-8?B?44Gr?=x"),
            "おれにx"
        );
        // A language after the charset.
        assert_eq!(decode_in_text("=?utf-8*ja?Q?=E3=81=82?=!"), "あ!");
    }

    #[test]
    fn text_without_good_words_stays_as_it_is() {
        for s in [
            "Plain name",
            "a =? b ?= c",
            "=?nosuchcharset?B?QUJD?=x",
            "=?UTF-8?X?QUJD?=",
            "=?UTF-8?Q?=ZZ?=",
            "=?UTF-8?B?QUJD",
            "=?UTF-8?B?QU JD?=",
        ] {
            assert!(matches!(decode_in_text(s), Cow::Borrowed(_)), "{s}");
        }
        // Many words: only the first 64 are decoded.
        let many = "=?UTF-8?B?QQ==?=.".repeat(70);
        let d = decode_in_text(&many);
        assert_eq!(d.matches("?B?").count(), 6);
        // A long name of false starts is read once, not once per start.
        let starts = "=?".repeat(40_000);
        assert!(matches!(decode_in_text(&starts), Cow::Borrowed(_)));
        let word_after = format!("{}=?UTF-8?B?QQ==?=", "=?a".repeat(300));
        assert!(decode_in_text(&word_after).contains("?B?"));
    }
}
