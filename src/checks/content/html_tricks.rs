//! HTML tricks: a picture in place of text, hidden padding.

use super::*;

/// Words under which an HTML message says nothing in text (`Click here` and a logo line).
pub(super) const IMAGE_ONLY_WORDS: usize = 15;
/// Words a plain-text alternative may hold and still say nothing (`View this in a browser`).
pub(super) const IMAGE_ONLY_PLAIN_WORDS: usize = 20;

/// An HTML message whose reader sees pictures and next to no words, with a link to another
/// organisation than the sender's: the message is written in images so that word filters and
/// the reader's mail program see nothing to judge, and the picture (a bank's page, a "claim
/// your prize" banner) carries the lure. Ordinary newsletters have text around their pictures
/// (at least an address and an unsubscribe line).
pub fn image_only_with_link(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    if msg.htmls.is_empty() || !msg.htmls.iter().any(|h| has_ascii_ci(&h.text, "<img")) {
        return;
    }
    let plain: usize = msg
        .texts
        .iter()
        .map(|t| crate::text::words::count(&t.text))
        .sum();
    if plain > IMAGE_ONLY_PLAIN_WORDS {
        return;
    }
    // Counted up to the limit only: past it the message has words and the count is not shown.
    let mut seen = 0;
    for h in &msg.htmls {
        seen += visible_words_up_to(&h.text, IMAGE_ONLY_WORDS - seen);
        if seen >= IMAGE_ONLY_WORDS {
            return;
        }
    }
    let from_org = msg
        .from
        .first()
        .and_then(|m| m.domain())
        .map(|d| crate::text::domain::org_domain(&d));
    let Some(host) = msg
        .links
        .iter()
        .filter_map(|l| l.host.as_deref())
        .find(|host| from_org.as_deref() != Some(crate::text::domain::org_domain(host).as_str()))
    else {
        return;
    };
    out.push(
        Finding::new("CONTENT_IMAGE_ONLY_LINK", "html")
            .with("words", seen.to_string())
            .with("host", host),
    );
}

/// Hidden words from which a message is padding, not a preheader line.
pub(super) const HIDDEN_WORDS: usize = 50;
/// Bytes of one HTML part searched for hidden elements.
pub(super) const HIDDEN_SCAN_BYTES: usize = 400_000;
/// Styled elements looked at per part.
pub(super) const HIDDEN_ELEMENTS: usize = 2000;

/// Text hidden from the reader by style (`display:none`, `font-size:0`, `visibility:hidden`)
/// that outweighs the text shown: padding that makes word filters read something else (a news
/// article, random words) than the lure the reader sees. A newsletter's hidden preview line is a
/// few words, far fewer than its visible text.
///
/// Also (`CONTENT_HIDDEN_TOKENS`) hidden elements that each hold one made-up string of letters
/// and digits (`<span style="opacity:0">k3xqpw71</span>`) set between the words shown: salt that
/// makes every copy of a bulk message differ for filters that compare messages. A preview line
/// hides words, not codes.
pub fn hidden_text(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut salt: Option<(String, Vec<String>)> = None;
    for part in &ctx.msg.htmls {
        let html = cut(&part.text, HIDDEN_SCAN_BYTES);
        let (hidden, tokens) = hidden_words(html);
        if tokens.len() >= HIDDEN_TOKENS && salt.is_none() {
            salt = Some((part.location.clone(), tokens));
        }
        if hidden < HIDDEN_WORDS {
            continue;
        }
        let shown = visible_words(html).saturating_sub(hidden);
        if hidden > shown {
            out.push(
                Finding::new("CONTENT_HIDDEN_TEXT", part.location.clone())
                    .with("hidden", hidden.to_string())
                    .with("shown", shown.to_string()),
            );
            return;
        }
    }
    if let Some((location, tokens)) = salt {
        let count = tokens.len();
        let mut examples = tokens;
        examples.dedup();
        examples.truncate(3);
        out.push(
            Finding::new("CONTENT_HIDDEN_TOKENS", location)
                .with("count", count.to_string())
                .with("tokens", examples.join(", ")),
        );
    }
}

/// Hidden elements holding a made-up code from which the hidden text is salt.
pub(super) const HIDDEN_TOKENS: usize = 2;

/// Whether the text of a hidden element is one made-up code: 5 to 24 ASCII letters and digits,
/// both present (`k3xqpw71`, `5513KWPDYRmtqzhvaxle`). Words and bare numbers (a date, a
/// counter) are not.
pub(super) fn salt_token(text: &str) -> bool {
    let t = text.trim();
    (5..=24).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_alphanumeric())
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Words inside elements hidden by their style attribute (nested ones counted once), and the
/// hidden elements whose whole text is one made-up code (`salt_token`).
pub(super) fn hidden_words(html: &str) -> (usize, Vec<String>) {
    // Tags are read in `html` itself with ASCII case ignored (a lower-cased copy of each part
    // cost more than the reading).
    let mut words = 0;
    let mut tokens = Vec::new();
    let mut pos = 0;
    for _ in 0..HIDDEN_ELEMENTS {
        // The tag name is the ASCII word after `<`; the style value is the first `style=` quoted
        // in the tag, as the lazy regex takes it.
        let Some((at, tag, value)) = next_styled_tag(html, pos) else {
            break;
        };
        let name_len = tag
            .bytes()
            .skip(1)
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let name = tag.get(1..1 + name_len).unwrap_or("");
        let style = tag.get(value).unwrap_or("");
        let start = at + tag.len();
        if !hiding_style(style.trim_matches(['"', '\''])) {
            pos = start;
            continue;
        }
        let end = closing_tag(html, start, name).unwrap_or(html.len());
        let inner = html.get(start..end).unwrap_or("");
        let n = visible_words(inner);
        words += n;
        if n == 1 && tokens.len() < 20 {
            let text = text_of(inner);
            if salt_token(&text) {
                tokens.push(text.trim().to_string());
            }
        }
        pos = end.max(start);
    }
    (words, tokens)
}

/// The text of a short piece of HTML: what is outside its tags (no entity decoding: a code
/// written with entities is not one `salt_token` takes).
pub(super) fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars().take(200) {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Where the element opened just before `from` closes: the `</name` that balances nested
/// `<name` tags, ASCII case ignored.
pub(super) fn closing_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let close = format!("</{name}");
    let mut depth = 1usize;
    let mut pos = from;
    loop {
        let rest = html.get(pos..)?;
        let next_close = find_tag(rest, &close)?;
        match find_tag(rest.get(..next_close).unwrap_or(""), &open) {
            Some(o) => {
                depth += 1;
                pos += o + open.len();
            }
            None => {
                depth -= 1;
                if depth == 0 {
                    return Some(pos + next_close);
                }
                pos += next_close + close.len();
            }
        }
    }
}

/// The first `<name` or `</name` in `hay` that is that very tag (`<p ` or `<p>`, not `<pre`),
/// ASCII case ignored. A tag holds one `<`, its first byte, so each `<` is a place to try.
pub(super) fn find_tag(hay: &str, tag: &str) -> Option<usize> {
    let (hay, tag) = (hay.as_bytes(), tag.as_bytes());
    memchr::memchr_iter(b'<', hay).find(|&i| {
        hay.get(i..i + tag.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(tag))
            && hay
                .get(i + tag.len())
                .is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Words of text outside tags, scripts and styles in an HTML part (entities decoded). Counted
/// on its own rather than through `html_to_text`, which drops everything after a stray `<head>`
/// in the body: here every word shown must count.
pub(super) fn visible_words(html: &str) -> usize {
    visible_words_up_to(html, usize::MAX)
}

/// `visible_words`, stopping once `limit` words are counted (it then returns at least `limit`).
/// Tags are found in the bytes with ASCII case ignored, as in a lower-cased copy.
pub(super) fn visible_words_up_to(html: &str, limit: usize) -> usize {
    let count = |text: &str| crate::text::words::count(&html_escape::decode_html_entities(text));
    let html = cut(html, crate::text::html_text::MAX_PART_CHARS * 4);
    let bytes = html.as_bytes();
    let mut words = 0;
    let mut pos = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[pos..]).map(|i| pos + i) {
        words += count(html.get(pos..lt).unwrap_or(""));
        if words >= limit {
            return words;
        }
        let mut next = memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |gt| lt + gt + 1);
        for name in ["script", "style"] {
            if starts_with_ascii_ci(&bytes[lt + 1..], name) {
                next = crate::text::html_text::find_ascii_ci(&html[next..], &format!("</{name}"))
                    .map_or(bytes.len(), |i| next + i);
            }
        }
        pos = next;
    }
    words + count(html.get(pos..).unwrap_or(""))
}

/// Whether `hay` begins with `prefix` (ASCII lower case), ASCII case ignored.
fn starts_with_ascii_ci(hay: &[u8], prefix: &str) -> bool {
    hay.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether `hay` holds `needle` (ASCII lower case), ASCII case ignored.
fn has_ascii_ci(hay: &str, needle: &str) -> bool {
    crate::text::html_text::find_ascii_ci(hay, needle).is_some()
}

/// Whether a style value hides its element: where `HIDING_STYLE` matches, read by hand (the
/// regex with its prefilter was a third of the check's cost, as most tags carry a style). Each
/// place a property's name begins (ASCII case ignored, `ſ` for `s` as `(?i)` has it) is tried
/// with the value the regex asks for after it.
fn hiding_style(style: &str) -> bool {
    let b = style.as_bytes();
    (0..b.len()).any(|at| {
        // Every name begins with an ASCII letter, so a place where one begins is a character's.
        if !NAME_STARTS[usize::from(b[at])] {
            return false;
        }
        let rest = &style[at..];
        let after = |name: &str| word_ci_at(rest.as_bytes(), name).map(|n| colon_value(rest, n));
        match b[at].to_ascii_lowercase() {
            b'd' => after("display")
                .flatten()
                .is_some_and(|v| word_ci_at(v.as_bytes(), "none").is_some()),
            b'v' => after("visibility")
                .flatten()
                .is_some_and(|v| word_ci_at(v.as_bytes(), "hidden").is_some()),
            b'f' => after("font-size")
                .flatten()
                .is_some_and(|v| zero_ends(v, &["px", "pt", "em"])),
            b'm' => after("max-height")
                .flatten()
                .is_some_and(|v| zero_ends(v, &["px"])),
            b'o' => after("opacity")
                .flatten()
                .is_some_and(|v| zero_ends(v, &[])),
            _ => false,
        }
    })
}

/// The bytes a hiding property's name begins with (`d`, `v`, `f`, `m`, `o`, either case).
const NAME_STARTS: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 5 {
        let b = b"dvfmo"[i];
        table[b as usize] = true;
        table[b.to_ascii_uppercase() as usize] = true;
        i += 1;
    }
    table
};

/// After a property's name (`name_len` bytes into `text`): `\s*:\s*`, then the rest.
fn colon_value(text: &str, name_len: usize) -> Option<&str> {
    let at = skip_space(text, name_len);
    (text.as_bytes().get(at) == Some(&b':')).then(|| &text[skip_space(text, at + 1)..])
}

/// Whether `value` is `0`, one of `units` or none (ASCII case ignored), white space, then `;`,
/// `!` or the end: `0(?:px|pt|em)?\s*(?:;|!|$)`.
fn zero_ends(value: &str, units: &[&str]) -> bool {
    let Some(rest) = value.strip_prefix('0') else {
        return false;
    };
    let unit = units
        .iter()
        .find_map(|u| word_ci_at(rest.as_bytes(), u))
        .unwrap_or(0);
    let end = skip_space(rest, unit);
    matches!(rest.as_bytes().get(end), None | Some(b';' | b'!'))
}

/// Whether `b` is a word byte for an ASCII word boundary (`(?-u:\b)`).
fn ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The length of `word` (ASCII lower case) at the start of `text` when it is there with case
/// ignored as `(?i)` ignores it: ASCII case, and `ſ` (U+017F) for `s`.
fn word_ci_at(text: &[u8], word: &str) -> Option<usize> {
    let mut at = 0;
    for w in word.bytes() {
        match text.get(at) {
            Some(c) if c.eq_ignore_ascii_case(&w) => at += 1,
            Some(0xC5) if w == b's' && text.get(at + 1) == Some(&0xBF) => at += 2,
            _ => return None,
        }
    }
    Some(at)
}

/// Past the Unicode white space (`\s*`) at `at` in `text`.
fn skip_space(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.char_indices().find(|(_, c)| !c.is_whitespace()))
        .map_or(text.len(), |(i, _)| at + i)
}

/// `STYLED_TAG` held at the start of `text` (which begins with `<`), as the regex matches it:
/// the length of the tag and where its style value (quotes included) lies. The regex's lazy
/// `[^>]*?` takes the first `style` at a word boundary before the tag's first `>` that the rest
/// (`\s*=\s*`, a quoted value, `[^>]*>`) follows.
fn styled_tag_at(text: &str) -> Option<(usize, std::ops::Range<usize>)> {
    let b = text.as_bytes();
    let name = ["div", "span", "p", "td", "font", "table"]
        .iter()
        .find_map(|n| word_ci_at(b.get(1..)?, n))?;
    let after_name = 1 + name;
    if b.get(after_name).is_some_and(|&c| ascii_word(c)) {
        return None;
    }
    let first_gt = memchr::memchr(b'>', &b[after_name..]).map_or(b.len(), |i| after_name + i);
    // `style` begins with `s`, `S` or the first byte of `ſ`: only those places are tried.
    let starts = memchr::memchr3_iter(b's', b'S', 0xC5, &b[after_name..first_gt]);
    starts.map(|i| after_name + i).find_map(|j| {
        let style = word_ci_at(&b[j..], "style")?;
        if ascii_word(b[j - 1]) == ascii_word(b[j]) {
            return None;
        }
        let eq = skip_space(text, j + style);
        if b.get(eq) != Some(&b'=') {
            return None;
        }
        let open = skip_space(text, eq + 1);
        let quote = *b.get(open).filter(|q| matches!(q, b'"' | b'\''))?;
        let close = memchr::memchr(quote, &b[open + 1..])? + open + 1;
        let gt = memchr::memchr(b'>', &b[close + 1..])? + close + 1;
        Some((gt + 1, open..close + 1))
    })
}

/// The first match of `STYLED_TAG` in `html` from `pos`: where it begins, its text, and where
/// in that text its style value (quotes included) lies. Each `<` from `pos` is tried in turn, so
/// the first that begins one is the search's leftmost match.
fn next_styled_tag(html: &str, pos: usize) -> Option<(usize, &str, std::ops::Range<usize>)> {
    let bytes = html.as_bytes();
    memchr::memchr_iter(b'<', bytes.get(pos..)?).find_map(|i| {
        let at = pos + i;
        let (len, value) = styled_tag_at(&html[at..])?;
        Some((at, &html[at..at + len], value))
    })
}

#[cfg(test)]
mod styled_tag_tests {
    use super::*;

    // The regular expressions the hand-written reading replaced (a search over the whole part
    // with them was the check's main cost): the specification it is tested against.

    /// A style that keeps an element's text from being seen.
    static HIDING_STYLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|!|$)|max-height\s*:\s*0(?:px)?\s*(?:;|!|$)|opacity\s*:\s*0\s*(?:;|!|$)")
        .expect("valid hiding-style regex")
    });

    /// An opening tag of an element that can hold text, with a style attribute.
    static STYLED_TAG: LazyLock<Regex> = LazyLock::new(|| {
        // ASCII word boundaries: tag and attribute names are ASCII, and Unicode boundaries make the
        // search leave the fast engine on any HTML with Japanese text.
        Regex::new(r#"(?i)<(div|span|p|td|font|table)(?-u:\b)[^>]*?(?-u:\b)style\s*=\s*("[^"]*"|'[^']*')[^>]*>"#)
        .expect("valid styled-tag regex")
    });

    /// The style attribute of a tag `STYLED_TAG` found: its first `style=` with a quoted value.
    static STYLE_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)(?-u:\b)style\s*=\s*("[^"]*"|'[^']*')"#).expect("valid style regex")
    });

    /// The hand-written reading of a styled tag finds what the regexes find (the match of
    /// `STYLED_TAG` and the value of `STYLE_ATTRIBUTE` in it), on texts made of the pieces
    /// that matter: tag names, `style` with its look-alikes and boundaries, white space of
    /// several kinds, quotes and `>` in and out of values.
    #[test]
    fn styled_tags_are_found_as_the_regex_finds_them() {
        const PIECES: &[&str] = &[
            "<div",
            "<span",
            "<ſpan",
            "<p",
            "<pre",
            "<td",
            "<font",
            "<table",
            "<tr",
            "<",
            ">",
            " ",
            "\u{3000}",
            "\n",
            "style",
            "ſtyle",
            "data-style",
            "xstyle",
            "_style",
            "=",
            "\"",
            "'",
            "display:none",
            "color:red",
            "a",
            "é",
            "-",
            "/",
        ];
        let mut generated = crate::text::generated::Generated::new(0x2545_f491_4f6c_dd1d);
        // Slots of a tag, each filled with a right or a wrong piece, between random pieces.
        const SLOTS: &[&[&str]] = &[
            &[
                "<div", "<span", "<ſpan", "<p", "<pre", "<td", "<font", "<table", "<tr",
            ],
            &[" ", "\n", "-", "x", " title='a>b' ", " id=\"style\" "],
            &["style", "ſtyle", "data-style", "xstyle", "_style", "STYLE"],
            &["", " ", "\u{3000}"],
            &["=", "", ":"],
            &["", " ", "\t"],
            &["\"", "'", ""],
            &["display:none", "color:red", "a>b", "x'y"],
            &["\"", "'", ""],
            &["", " x", "/"],
            &[">", "", " >"],
        ];
        let mut found = 0;
        for _ in 0..20_000 {
            let text = generated.slots(PIECES, SLOTS, 3);
            let expected = STYLED_TAG.find(&text).map(|m| {
                let tag = m.as_str();
                let attribute = STYLE_ATTRIBUTE.find(tag).expect("a style in a styled tag");
                let q = attribute
                    .as_str()
                    .find(['"', '\''])
                    .expect("a quoted value");
                let value = attribute.start() + q..attribute.end();
                (m.start(), tag.to_string(), value)
            });
            let got =
                next_styled_tag(&text, 0).map(|(at, tag, value)| (at, tag.to_string(), value));
            assert_eq!(got, expected, "{text:?}");
            found += usize::from(expected.is_some());
        }
        assert!(found > 500, "too few texts hold a styled tag: {found}");
    }

    /// `hiding_style` decides as `HIDING_STYLE` does, on styles made of property names (and
    /// near misses), white space of several kinds, colons, values with and without units and
    /// what may follow them.
    #[test]
    fn hiding_styles_are_read_as_the_regex_reads_them() {
        const PIECES: &[&str] = &[
            "display",
            "DISPLAY",
            "diſplay",
            "visibility",
            "viſibility",
            "font-size",
            "font-ſize",
            "max-height",
            "opacity",
            "opacit",
            "x",
            " ",
            "\t",
            "\u{3000}",
            ":",
            ":",
            ";",
            "!",
            "none",
            "NONE",
            "non",
            "hidden",
            "0",
            "0",
            "00",
            "1",
            ".5",
            "px",
            "PX",
            "pt",
            "em",
            "e",
            "important",
            "block",
        ];
        let mut generated = crate::text::generated::Generated::new(0x1234_5678_9abc_def1);
        const SLOTS: &[&[&str]] = &[
            &[
                "display",
                "diſplay",
                "visibility",
                "font-size",
                "max-height",
                "opacity",
                "color",
            ],
            &["", " ", "\u{3000}"],
            &[":", "", "="],
            &["", "\t"],
            &["none", "hidden", "0", "1", "00"],
            &["", "px", "pt", "em", "PX", "x"],
            &["", " "],
            &[";", "!", "", "x", " block"],
        ];
        let mut hidden = 0;
        for _ in 0..50_000 {
            let text = generated.slots(PIECES, SLOTS, 2);
            let expected = HIDING_STYLE.is_match(&text);
            assert_eq!(hiding_style(&text), expected, "{text:?}");
            hidden += usize::from(expected);
        }
        assert!(hidden > 2000, "too few hiding styles: {hidden}");
    }
}
