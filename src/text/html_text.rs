//! The text a reader sees in an HTML part: tags, scripts and styles removed, entities decoded;
//! and the bounds on how much text is taken from one part.

/// Characters of text taken from one part; lures say what they want early.
pub const MAX_PART_CHARS: usize = 200_000;
/// Bytes of an HTML part made into text; its text is then cut at `MAX_PART_CHARS`.
pub const MAX_HTML_BYTES: usize = MAX_PART_CHARS * 4;

/// The text a reader sees in an HTML part (roughly: block tags become line breaks).
pub fn html_to_text(html: &str) -> String {
    let html = cut(html, MAX_HTML_BYTES);
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // A `<head>` start tag after the body has begun is ignored by browsers: what follows it is
    // shown, so it must not hide text from the checks.
    let mut in_body = false;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        out.push_str(&html_escape::decode_html_entities(&rest[..lt]));
        let tag = &rest[lt..];
        // The tag's first eight bytes, lower-cased, without allocating: a tag is read for every
        // `<` of every HTML part. Names are ASCII and at most six letters, so a name and the
        // byte after it are always among them.
        let mut head = [0u8; 8];
        let head_len = (tag.len() - 1).min(8);
        head[..head_len].copy_from_slice(&tag.as_bytes()[1..1 + head_len]);
        head[..head_len].make_ascii_lowercase();
        let lower_start = &head[..head_len];
        // Whether the tag is `name`, not a longer name beginning with it.
        let is = |name: &str| {
            lower_start.starts_with(name.as_bytes())
                && !lower_start
                    .get(name.len())
                    .is_some_and(u8::is_ascii_alphanumeric)
        };
        // Skip the contents of elements that are never shown.
        let skip_to = ["script", "style", "head", "title"]
            .iter()
            .find(|name| is(name))
            .filter(|name| **name != "head" || !in_body)
            .map(|name| format!("</{name}"));
        if is("body") {
            in_body = true;
        }
        let after_tag = match memchr::memchr(b'>', tag.as_bytes()) {
            Some(gt) => gt + 1,
            None => tag.len(),
        };
        if [
            &b"br"[..],
            b"p",
            b"/p",
            b"div",
            b"/div",
            b"tr",
            b"li",
            b"/h",
        ]
        .iter()
        .any(|block| lower_start.starts_with(block))
        {
            out.push('\n');
        } else {
            out.push(' ');
        }
        rest = &tag[after_tag..];
        if let Some(end) = skip_to {
            rest = past_skipped(rest, &end);
        }
        if out.len() > MAX_PART_CHARS * 4 {
            break;
        }
    }
    out.push_str(&html_escape::decode_html_entities(rest));
    out
}

/// `rest` after the element whose closing tag is `end` (`</script`, `</style`, `</title`,
/// `</head`): past the closing tag's `>`, or empty when it is never closed. Searched in place:
/// lower-casing the rest for every such tag was quadratic (60,000 `<title>` tags in 900 KB took
/// 4 s). The head ends at `</head>` or, without one, where the body starts; with neither, nothing
/// is skipped (a stray `<head>` hides nothing).
fn past_skipped<'a>(rest: &'a str, end: &str) -> &'a str {
    let past_close = |i: usize| {
        let after = &rest[i..];
        after.find('>').map_or("", |gt| &after[gt + 1..])
    };
    let closed = find_ascii_ci(rest, end);
    if end == "</head" {
        match (closed, find_ascii_ci(rest, "<body")) {
            (Some(i), Some(b)) if b < i => &rest[b..],
            (Some(i), _) => past_close(i),
            (None, Some(b)) => &rest[b..],
            (None, None) => rest,
        }
    } else {
        closed.map_or("", past_close)
    }
}

/// Where `needle` (ASCII, lower case) first occurs in `hay`, ignoring ASCII case.
pub fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    let first = *needle.first()?;
    let hay = hay.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memchr2(first, first.to_ascii_uppercase(), hay.get(from..)?) {
        let start = from + at;
        if hay
            .get(start..start + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(start);
        }
        from = start + 1;
    }
    None
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {

    /// A `<head>` tag inside the body (newsletters have them; so can a lure that wants its
    /// wording unread) hides nothing, and a head without `</head>` ends where the body starts.
    #[test]
    fn a_stray_head_tag_hides_no_text() {
        let text = html_to_text("<html><body><head><p>Verify your account now</p></body></html>");
        assert!(text.contains("Verify your account now"), "{text:?}");
        let text = html_to_text("<html><body><p>one</p><head><title>x</title></head><p>two</p>");
        assert!(text.contains("one") && text.contains("two"), "{text:?}");
        let text = html_to_text("<html><head><title>T</title><meta x><body><p>shown</p>");
        assert!(text.contains("shown") && !text.contains('T'), "{text:?}");
        let text = html_to_text("<head><style>p{}</style></head><p>after</p>");
        assert!(text.contains("after") && !text.contains("p{}"), "{text:?}");
    }

    use super::*;

    #[test]
    fn html_becomes_visible_text() {
        let t = html_to_text(
            "<html><head><title>T</title><style>p{x}</style></head><body><p>Your&nbsp;account\
<script>var a='<b>';</script> is <b>locked</b><br>now</p></body></html>",
        );
        let words: Vec<&str> = t.split_whitespace().collect();
        assert_eq!(words, ["Your", "account", "is", "locked", "now"]);
        assert!(html_to_text("<p>unclosed <b").contains("unclosed"));
        assert_eq!(
            html_to_text("a <scriptx>b</scriptx> c")
                .split_whitespace()
                .count(),
            3
        );
    }

    #[test]
    fn closing_tags_are_found_in_any_case_in_linear_time() {
        assert_eq!(find_ascii_ci("ab</TiTlE>", "</title"), Some(2));
        assert_eq!(find_ascii_ci("<</scrip", "</script"), None);
        // 40,000 hidden elements: each closing tag is found from where the last one ended.
        let html = "<title>x</TITLE>".repeat(40_000) + "<p>visible";
        let t = html_to_text(&html);
        assert!(t.contains("visible"), "{}", t.len());
    }

    #[test]
    fn cut_keeps_characters_whole() {
        assert_eq!(cut("日本語", 4), "日");
        assert_eq!(cut("abc", 10), "abc");
    }

    /// The reading of a tag's first bytes gives what the reading of its first eight characters
    /// it replaced gave (kept here as the reference), on texts of tags, names that begin like the
    /// ones that count, other scripts and text cut short.
    #[test]
    fn tag_heads_read_as_bytes_give_the_same_text() {
        fn reference_html_to_text(html: &str) -> String {
            let html = cut(html, MAX_HTML_BYTES);
            let mut out = String::with_capacity(html.len() / 2);
            let mut rest = html;
            // A `<head>` start tag after the body has begun is ignored by browsers: what follows it is
            // shown, so it must not hide text from the checks.
            let mut in_body = false;
            while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
                out.push_str(&html_escape::decode_html_entities(&rest[..lt]));
                let tag = &rest[lt..];
                // The tag's first eight characters, lower-cased, without allocating: a tag is read for
                // every `<` of every HTML part.
                let mut head = [0u8; 32];
                let head_len = tag
                    .char_indices()
                    .skip(1)
                    .take(8)
                    .last()
                    .map_or(1, |(i, c)| i + c.len_utf8())
                    - 1;
                head[..head_len].copy_from_slice(&tag.as_bytes()[1..1 + head_len]);
                head[..head_len].make_ascii_lowercase();
                let lower_start = std::str::from_utf8(&head[..head_len]).unwrap_or("");
                // Skip the contents of elements that are never shown.
                let skip_to = ["script", "style", "head", "title"]
                    .iter()
                    .find(|name| {
                        lower_start.starts_with(*name)
                            && !lower_start[name.len()..]
                                .starts_with(|c: char| c.is_ascii_alphanumeric())
                    })
                    .filter(|name| **name != "head" || !in_body)
                    .map(|name| format!("</{name}"));
                if lower_start.starts_with("body")
                    && !lower_start[4..].starts_with(|c: char| c.is_ascii_alphanumeric())
                {
                    in_body = true;
                }
                let after_tag = match memchr::memchr(b'>', tag.as_bytes()) {
                    Some(gt) => gt + 1,
                    None => tag.len(),
                };
                if lower_start.starts_with("br")
                    || lower_start.starts_with("p")
                    || lower_start.starts_with("/p")
                    || lower_start.starts_with("div")
                    || lower_start.starts_with("/div")
                    || lower_start.starts_with("tr")
                    || lower_start.starts_with("li")
                    || lower_start.starts_with("/h")
                {
                    out.push('\n');
                } else {
                    out.push(' ');
                }
                rest = &tag[after_tag..];
                if let Some(end) = skip_to {
                    rest = super::past_skipped(rest, &end);
                }
                if out.len() > MAX_PART_CHARS * 4 {
                    break;
                }
            }
            out.push_str(&html_escape::decode_html_entities(rest));
            out
        }

        let pieces = [
            "<",
            ">",
            "<script>",
            "</script>",
            "<scripts>",
            "<style>",
            "</STYLE >",
            "<head>",
            "</head>",
            "<header>",
            "<body>",
            "<bodyx>",
            "<title>",
            "</title>",
            "<br>",
            "<p>",
            "</p>",
            "<pre>",
            "<div>",
            "</div>",
            "<tr>",
            "<li>",
            "</h1>",
            "<b>",
            "<s日>",
            "<p日本>",
            "<scrip",
            "<ｓcript>",
            "日本語",
            "é",
            "text ",
            "&amp;",
            "&nbsp;",
            " ",
            "\n",
            "<br",
            "<!-- x -->",
            "</",
            "<title日本>",
        ];
        let mut g = crate::text::generated::Generated::new(0x0007_ead5);
        for _ in 0..20_000 {
            let mut html = String::new();
            for _ in 0..g.next() % 16 {
                html.push_str(g.pick(&pieces));
            }
            assert_eq!(
                html_to_text(&html),
                reference_html_to_text(&html),
                "{html:?}"
            );
        }
    }
}
