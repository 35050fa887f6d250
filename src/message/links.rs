//! Links from HTML (href with its visible text) and from plain text.

use lol_html::html_content::{Element, TextChunk};
use lol_html::{ElementContentHandlers, MemorySettings, Selector, Settings};
use regex::Regex;
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::LazyLock;

/// A link a reader can click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written (entities decoded, whitespace trimmed).
    pub href: String,
    /// What the reader sees: the element's text for HTML links; `None` for plain-text URLs.
    pub text: Option<String>,
    /// MIME part path and position: `1.2 link 3`.
    pub location: String,
    /// The destination's host (`crate::text::domain::url_host` of `href`), found once here for every
    /// check that needs it.
    pub host: Option<String>,
    /// `href` parsed (`crate::text::domain::web_url`: http, https or `www.`), once for every check.
    pub url: Option<url::Url>,
}

impl Link {
    pub fn new(href: String, text: Option<String>, location: String) -> Link {
        let url = crate::text::domain::web_url(&href);
        let host = url.as_ref().and_then(crate::text::domain::host_of);
        Link {
            href,
            text,
            location,
            host,
            url,
        }
    }

    /// The parsed URL when `href` itself is written as http(s) (not `www.` alone).
    pub fn http_url(&self) -> Option<&url::Url> {
        let lower = self.href.trim_start();
        let lower = lower.get(..8).unwrap_or(lower).to_ascii_lowercase();
        (lower.starts_with("http://") || lower.starts_with("https://"))
            .then_some(self.url.as_ref())
            .flatten()
    }
}

/// Destinations already parsed in this message: newsletters repeat the same tracking link many
/// times, and a plain-text part usually repeats the HTML part's links. Parsing a URL is most of
/// the cost of a link.
#[derive(Default)]
pub struct Parsed(std::collections::HashMap<String, (Option<url::Url>, Option<String>)>);

impl Parsed {
    /// A link to `href`, its URL parsed once per message.
    fn link(&mut self, href: String, text: Option<String>, location: String) -> Link {
        if let Some((url, host)) = self.0.get(&href) {
            return Link {
                url: url.clone(),
                host: host.clone(),
                href,
                text,
                location,
            };
        }
        let link = Link::new(href, text, location);
        self.0
            .insert(link.href.clone(), (link.url.clone(), link.host.clone()));
        link
    }
}

/// Links per message we keep; beyond this a message is not made more suspicious by more links.
pub const MAX_LINKS: usize = 5000;
/// Characters of visible text kept per link.
const MAX_TEXT: usize = 1000;
/// Memory one HTML tokenizer may use.
const HTML_MEMORY: usize = 8 * 1024 * 1024;

/// The elements `from_html` reads (parsed once: parsing them was a tenth of its cost).
static LINKS: LazyLock<Selector> =
    LazyLock::new(|| "a[href], area[href]".parse().expect("valid selector"));
/// The elements whose text is a link's text.
static LINK_TEXTS: LazyLock<Selector> =
    LazyLock::new(|| "a[href]".parse().expect("valid selector"));

/// `<a href>` and `<area href>` with their visible text, in document order.
pub fn from_html(html: &str, part: &str, out: &mut Vec<Link>, parsed: &mut Parsed) {
    let room = MAX_LINKS.saturating_sub(out.len());
    // The hand reading where it is sure to find what the walk finds, the walk elsewhere.
    let found = match crate::formats::anchors::anchors(html, room, MAX_TEXT) {
        Some(anchors) => anchors
            .into_iter()
            .map(|(href, text)| (decode_entities(href.trim()), text))
            .collect(),
        None => walk_links(html, room),
    };
    for (href, text) in found {
        let n = out.len() + 1;
        out.push(parsed.link(
            href,
            text.map(|t| collapse_space(&decode_entities(&t))),
            format!("link {n} in {part}"),
        ));
    }
}

/// The links of `html` as lol_html's walk finds them, at most `room`: each `href` trimmed and
/// decoded, and for `<a>` its raw text (at least `MAX_TEXT` bytes of it, in the walk's pieces).
fn walk_links(html: &str, room: usize) -> Vec<(String, Option<String>)> {
    let found: RefCell<Vec<(String, Option<String>)>> = RefCell::new(Vec::new());
    let settings = Settings::new()
        .append_element_content_handler((
            Cow::Borrowed(&*LINKS),
            ElementContentHandlers::default().element(|el: &mut Element<'_, '_>| {
                let mut found = found.borrow_mut();
                if found.len() < room {
                    let href = el.get_attribute("href").unwrap_or_default();
                    let text = (el.tag_name() == "a").then(String::new);
                    found.push((decode_entities(href.trim()), text));
                }
                Ok(())
            }),
        ))
        .append_element_content_handler((
            Cow::Borrowed(&*LINK_TEXTS),
            ElementContentHandlers::default().text(|chunk: &mut TextChunk<'_>| {
                let mut found = found.borrow_mut();
                if let Some((_, Some(text))) = found.last_mut()
                    && text.len() < MAX_TEXT
                {
                    text.push_str(chunk.as_str());
                }
                Ok(())
            }),
        ))
        .with_strict(false)
        .with_memory_settings(MemorySettings::new().with_max_allowed_memory_usage(HTML_MEMORY));
    crate::formats::markup::walk_html(settings, html);
    found.into_inner()
}

static TEXT_URL: LazyLock<Regex> = LazyLock::new(|| {
    // Stops at whitespace, quotes, angle brackets and Japanese/full-width text, which in
    // Japanese mail often follows a URL with no space. The word boundary before it is ASCII's:
    // with Unicode's, a URL right after Japanese text (`こちらhttps://...`, kana and kanji being
    // word characters) was not found, and the search fell back from the fast DFA to a slow
    // engine on every non-ASCII text (12x slower on Japanese mail).
    Regex::new(
        r#"(?i)(?-u:\b)(?:https?://|www\.)[^\s<>"'\\\x{3000}-\x{30FF}\x{3400}-\x{9FFF}\x{FF00}-\x{FFEF}]+"#,
    )
    .expect("valid URL regex")
});

/// URLs written in plain text.
pub fn from_text(text: &str, part: &str, out: &mut Vec<Link>, parsed: &mut Parsed) {
    for m in TEXT_URL.find_iter(text) {
        if out.len() >= MAX_LINKS {
            break;
        }
        let url = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '>', '*']);
        let n = out.len() + 1;
        out.push(parsed.link(url.to_string(), None, format!("link {n} in {part}")));
    }
}

fn collapse_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes HTML character references, named (all of HTML5's: `&colon;`, `&period;`, ...) and
/// numeric, as a mail program would before showing the text.
pub fn decode_entities(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_links_keep_their_visible_text_across_nested_tags() {
        let mut out = Vec::new();
        from_html(
            r#"<p>Hi <a href="https://evil.example/x?a=1&amp;b=2"><b>www.</b>bank.co.jp</a> and
               <a href='mailto:x@y'>mail</a><area href="http://map.example/"></p>"#,
            "1",
            &mut out,
            &mut Parsed::default(),
        );
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].href, "https://evil.example/x?a=1&b=2");
        assert_eq!(out[0].text.as_deref(), Some("www.bank.co.jp"));
        assert_eq!(out[1].text.as_deref(), Some("mail"));
        assert_eq!(out[2].text, None);
        assert_eq!(out[2].location, "link 3 in 1");
    }

    #[test]
    fn entities_in_text_are_decoded() {
        let mut out = Vec::new();
        from_html(
            r#"<a href="h">&#x77;ww.bank&#46;com&nbsp;</a>"#,
            "1",
            &mut out,
            &mut Parsed::default(),
        );
        assert_eq!(out[0].text.as_deref(), Some("www.bank.com"));
        assert_eq!(
            decode_entities("a & b &bogus; &#xZZ;"),
            "a & b &bogus; &#xZZ;"
        );
    }

    #[test]
    fn text_urls_stop_at_japanese_and_punctuation() {
        let mut out = Vec::new();
        from_text(
            "詳細は https://example.co.jp/a?b=c をご覧ください。また(www.example.com).",
            "1",
            &mut out,
            &mut Parsed::default(),
        );
        let hrefs: Vec<_> = out.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(hrefs, ["https://example.co.jp/a?b=c", "www.example.com"]);
        // Right after Japanese text, with no space; but not inside a Latin word.
        let mut out = Vec::new();
        from_text(
            "詳細はこちらhttps://login.example.net/verify をご確認ください。xhttp://no.example/ éwww.example.org",
            "1",
            &mut out,
            &mut Parsed::default(),
        );
        let hrefs: Vec<_> = out.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(
            hrefs,
            ["https://login.example.net/verify", "www.example.org"]
        );
    }

    #[test]
    fn repeated_links_are_parsed_once_and_equal_to_a_fresh_parse() {
        let mut out = Vec::new();
        let mut parsed = Parsed::default();
        let html = r#"<a href="https://News.Example.COM/a?x=1">one</a>
            <a href="https://News.Example.COM/a?x=1">two</a><a href="www.other.example">3</a>"#;
        from_html(html, "1.2", &mut out, &mut parsed);
        from_text(
            "see https://News.Example.COM/a?x=1 or www.other.example",
            "1.1",
            &mut out,
            &mut parsed,
        );
        assert_eq!(out.len(), 5);
        assert_eq!(parsed.0.len(), 2);
        for link in &out {
            let fresh = Link::new(link.href.clone(), None, String::new());
            assert_eq!(link.url, fresh.url, "{}", link.href);
            assert_eq!(link.host, fresh.host, "{}", link.href);
        }
        assert_eq!(out[1].text.as_deref(), Some("two"));
        assert_eq!(out[1].location, "link 2 in 1.2");
        assert_eq!(out[3].location, "link 4 in 1.1");
        assert_eq!(out[3].text, None);
    }

    #[test]
    fn broken_html_still_yields_links() {
        let mut out = Vec::new();
        from_html(
            "<a href=x>one<a href=y>two<div><<<>>",
            "1",
            &mut out,
            &mut Parsed::default(),
        );
        let t: Vec<_> = out.iter().map(|l| l.text.clone().unwrap()).collect();
        assert_eq!(t, ["one", "two<<<>>"]);
    }

    /// The hand reading of links finds what lol_html's walk finds, wherever it does not give up,
    /// on many texts made of the pieces HTML mail is made of and of the markup that trips
    /// tokenizers; and it gives up on few of them.
    #[test]
    fn hand_reading_of_links_equals_the_walk() {
        let pieces: &[&str] = &[
            r#"<a href="https://x.example/1">"#,
            "<a HREF=http://y.example/2 >",
            "<A href='z&amp;1'>",
            "<a href>",
            "<a href=>",
            "<a name=x href=1 href=2>",
            "<a\nhref=\"q\"/>",
            "<a/href=w>",
            r#"<a x="a>b" href=c>"#,
            "<area href=m>",
            "<AREA href=\"n\"/>",
            "<a>",
            "</a>",
            "</A >",
            r#"</a x=">">"#,
            "<b>",
            "</b>",
            "<p>",
            "</p>",
            r#"<div class="x">"#,
            "</div>",
            "<br>",
            "<br/>",
            "</br>",
            "<img src=x>",
            "<span>",
            "</span>",
            "</title x>",
            "</style>",
            "</STYLE>",
            "</styles>",
            "</script>",
            "<!-- c -->",
            "<!-->",
            "<!--->",
            "<!-- a --!>",
            "<!---->",
            "<!-- <!-- -->",
            "<!-- x --->",
            "<!-- -- -!> -->",
            "--",
            "->",
            "<!DOCTYPE html>",
            r#"<!doctype html PUBLIC "a>b">"#,
            "<![CDATA[x]]>",
            "<?xml x?>",
            "</>",
            "</ x>",
            "</3>",
            "< ",
            "<3",
            "<<",
            ">",
            "&amp;",
            "&#x41;",
            " ",
            "\n",
            "\r",
            "text",
            "Click here",
            "日本語",
            "</svg>",
            "</textarea>",
            "</noscript>",
            "</iframe>",
            "</xmp>",
            "<a1>",
            "</a1>",
            "<h1>",
            "</h1>",
            "<a href=x =y>",
            "<a =href=z>",
            r#"<a href = "sp">"#,
            "<a\thref\t=\tt>",
            r#"<a href="x"href="y">"#,
            "<a href=\r>",
            "<td>",
            "</td>",
            "<table>",
            "</table>",
            "<font color=red>",
            "</font>",
            "<u>",
            "</u>",
            "'",
            "\"",
            "=",
            "/",
            "<title>T<a href=t>x</a></title>",
            "<style>a{} </style >",
            "<script>var a='<b>'; </b></script>",
            "<textarea>x<a href=in>y</TEXTAREA>",
            "<noscript><a href=n>ns</a></noscript/>",
            "<iframe src=x><a href=i>f</a></iframe>",
            "<xmp><!-- </xmp>",
            "<title/>T</title>",
            "<script>a</scripts></script>",
        ];
        // Pieces on which the reading may give up, now and then.
        let long = "word ".repeat(60);
        let longer = format!("<a href=L>{}< y", "x".repeat(MAX_TEXT));
        let rare: &[&str] = &[
            &longer,
            &"x".repeat(MAX_TEXT - 1),
            "<title>x<a href=t>",
            "<script>a<b",
            "<svg>",
            "<math>",
            "<plaintext>",
            "<!",
            "<!--x",
            "<abcdefghijklmn>",
            "</abcdefghijklmn>",
            "<style x=>",
            &long,
            "<",
            "<title>",
            "<style>",
            "<script>",
            "<textarea>",
            "<noscript>",
            "<iframe src=x>",
            "<xmp>",
            "<script><!--</script>",
            "<a href=\"",
            "</a",
            "<abcdefghijkl>",
            "</abcdefghijkl>",
        ];
        let mut g = crate::text::generated::Generated::new(0x5eed_0a11_c0de);
        let (mut read, mut total) = (0, 0);
        for _ in 0..20_000 {
            let mut html = String::new();
            for _ in 0..1 + g.next() % 40 {
                let from = if g.next().is_multiple_of(32) {
                    rare
                } else {
                    pieces
                };
                html.push_str(g.pick(from));
            }
            if g.next().is_multiple_of(4) {
                // Mostly well-formed: a page around the pieces.
                html = format!(
                    "<!DOCTYPE html><html><head><style>p{{}}</style></head><body>{html}</body></html>"
                );
            }
            let room = [0, 1, 3, MAX_LINKS][(g.next() % 4) as usize];
            total += 1;
            let Some(anchors) = crate::formats::anchors::anchors(&html, room, MAX_TEXT) else {
                continue;
            };
            read += 1;
            let hand: Vec<(String, Option<String>)> = anchors
                .into_iter()
                .map(|(href, text)| (decode_entities(href.trim()), text))
                .collect();
            assert_eq!(hand, walk_links(&html, room), "{html:?} room {room}");
        }
        assert!(read * 2 > total, "read by hand: {read} of {total}");
    }
}
