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
    if msg.htmls.is_empty()
        || !msg
            .htmls
            .iter()
            .any(|h| h.text.to_ascii_lowercase().contains("<img"))
    {
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
    let seen: usize = msg.htmls.iter().map(|h| visible_words(&h.text)).sum();
    if seen >= IMAGE_ONLY_WORDS {
        return;
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

/// An opening tag of an element that can hold text, with a style attribute.
pub(super) static STYLED_TAG: LazyLock<Regex> = LazyLock::new(|| {
    // ASCII word boundaries: tag and attribute names are ASCII, and Unicode boundaries make the
    // search leave the fast engine on any HTML with Japanese text.
    Regex::new(r#"(?i)<(div|span|p|td|font|table)(?-u:\b)[^>]*?(?-u:\b)style\s*=\s*("[^"]*"|'[^']*')[^>]*>"#)
        .expect("valid styled-tag regex")
});

/// The style attribute of a tag `STYLED_TAG` found: its first `style=` with a quoted value.
pub(super) static STYLE_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?-u:\b)style\s*=\s*("[^"]*"|'[^']*')"#).expect("valid style regex")
});

/// A style that keeps an element's text from being seen.
pub(super) static HIDING_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|!|$)|max-height\s*:\s*0(?:px)?\s*(?:;|!|$)|opacity\s*:\s*0\s*(?:;|!|$)")
        .expect("valid hiding-style regex")
});

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
    let lower = html.to_ascii_lowercase();
    let mut words = 0;
    let mut tokens = Vec::new();
    let mut pos = 0;
    for _ in 0..HIDDEN_ELEMENTS {
        // `find` and two slices give what `captures` would (the tag name is the ASCII word after
        // `<`; the style value is the first `style=` quoted in the tag, as the lazy regex takes
        // it) without the capture engine, which cost more than the rest of the check.
        let Some(whole) = lower.get(pos..).and_then(|rest| STYLED_TAG.find(rest)) else {
            break;
        };
        let tag = whole.as_str();
        let name_len = tag
            .bytes()
            .skip(1)
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let name = tag.get(1..1 + name_len).unwrap_or("");
        let Some(style) = STYLE_ATTRIBUTE.find(tag).and_then(|m| {
            let attribute = m.as_str();
            attribute.find(['"', '\'']).map(|q| &attribute[q..])
        }) else {
            break;
        };
        let start = pos + whole.end();
        if !HIDING_STYLE.is_match(style.trim_matches(['"', '\''])) {
            pos = start;
            continue;
        }
        let end = closing_tag(&lower, start, name).unwrap_or(lower.len());
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
/// `<name` tags (by position in `lower`).
pub(super) fn closing_tag(lower: &str, from: usize, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let close = format!("</{name}");
    let mut depth = 1usize;
    let mut pos = from;
    loop {
        let rest = lower.get(pos..)?;
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

/// The first `<name` or `</name` in `hay` that is that very tag (`<p ` or `<p>`, not `<pre`).
pub(super) fn find_tag(hay: &str, tag: &str) -> Option<usize> {
    hay.match_indices(tag).map(|(i, _)| i).find(|&i| {
        hay.get(i + tag.len()..)
            .and_then(|r| r.chars().next())
            .is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Words of text outside tags, scripts and styles in an HTML part (entities decoded). Counted
/// on its own rather than through `html_to_text`, which drops everything after a stray `<head>`
/// in the body: here every word shown must count.
pub(super) fn visible_words(html: &str) -> usize {
    let count = |text: &str| crate::text::words::count(&html_escape::decode_html_entities(text));
    let html = cut(html, crate::text::html_text::MAX_PART_CHARS * 4);
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` hold in `html`.
    let lower = html.to_ascii_lowercase();
    let mut words = 0;
    let mut pos = 0;
    while let Some(lt) = lower.get(pos..).and_then(|s| s.find('<')).map(|i| pos + i) {
        words += count(html.get(pos..lt).unwrap_or(""));
        let tag = lower.get(lt..).unwrap_or("");
        let mut next = tag.find('>').map_or(lower.len(), |gt| lt + gt + 1);
        for name in ["script", "style"] {
            if tag.get(1..).is_some_and(|t| t.starts_with(name)) {
                let end = format!("</{name}");
                next = lower
                    .get(next..)
                    .and_then(|rest| rest.find(&end))
                    .map_or(lower.len(), |i| next + i);
            }
        }
        pos = next;
    }
    words + count(html.get(pos..).unwrap_or(""))
}
