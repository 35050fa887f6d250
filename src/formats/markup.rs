//! Whether text is markup a browser opens (an HTML page, an SVG picture), by its first tag.

/// Tags that make text an HTML (or SVG) document when it starts with one.
const LEADING_TAGS: &[&[u8]] = &[
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<meta",
    b"<form",
    b"<iframe",
    b"<svg",
    b"<title",
    b"<div",
    b"<table",
    b"<style",
    b"<link",
    b"<base",
];

/// Whether text is markup a browser opens, by its first tag: `svg` for an SVG picture, `html`
/// for a web page; `None` for other text.
pub fn markup_kind(data: &[u8]) -> Option<&'static str> {
    if first_tag(data).is_some_and(|t| t.starts_with(b"<svg")) {
        Some("svg")
    } else if starts_with_tag(data) {
        Some("html")
    } else {
        None
    }
}

/// The first tag of a text after a byte order mark, white space, an XML declaration, comments
/// and a doctype other than HTML's, lower-cased (at most 16 bytes).
pub fn first_tag(data: &[u8]) -> Option<Vec<u8>> {
    let head = data.get(..4096).unwrap_or(data);
    let mut rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    for _ in 0..16 {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<?") || rest.starts_with(b"<!--") || is_other_doctype(rest) {
            let close: &[u8] = if rest.starts_with(b"<!--") {
                b"-->"
            } else {
                b">"
            };
            let end = crate::formats::bytes::find(rest, close)?;
            rest = rest.get(end + close.len()..)?;
            continue;
        }
        break;
    }
    rest.starts_with(b"<")
        .then(|| rest.get(..16).unwrap_or(rest).to_ascii_lowercase())
}

fn is_other_doctype(s: &[u8]) -> bool {
    s.get(..9)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"<!doctype"))
        && !s
            .get(..14)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"<!doctype html"))
}

pub fn starts_with_tag(data: &[u8]) -> bool {
    first_tag(data).is_some_and(|t| {
        LEADING_TAGS
            .iter()
            .any(|tag| t.starts_with(tag) && !t.get(tag.len()).is_some_and(u8::is_ascii_alphabetic))
    })
}

/// Runs `settings`' handlers over `html` with lol_html, discarding the rewritten output. A
/// tokenizer error (its memory limit) ends the walk; what the handlers saw until then counts.
pub fn walk_html(settings: lol_html::Settings<'_, '_>, html: &str) {
    let mut rewriter = lol_html::HtmlRewriter::new(settings, |_: &[u8]| {});
    if rewriter.write(html.as_bytes()).is_ok() {
        let _ = rewriter.end();
    }
}
