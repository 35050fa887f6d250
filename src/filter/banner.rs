//! The staff-warning banner at the top of the text and HTML bodies, MIME-aware: written in the
//! part's charset and transfer encoding, never into signed or encrypted mail.

use super::transfer::{base64_decode, base64_encode, qp_decode_mapped, qp_encode};
use super::{Edit, HeaderBlock};
use crate::config::Markup;
use crate::lang::Lang;
use crate::score::Report;
use crate::signatures::fill_template;
use crate::text::defang::defang_all;
use crate::text::hidden::reveal_hidden;
use mail_parser::{Encoding, MessageParser, MimeHeaders, PartType};

/// What happened to the banner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Outcome {
    /// Not asked for, or the verdict was below `markup.min_verdict`.
    #[default]
    NotRequested,
    /// Added to this many body parts.
    Added(usize),
    /// The message is signed or encrypted: the body was left untouched.
    Signed,
    /// No body part it could be added to safely (charset, encoding, no body).
    NoSuitablePart,
}

impl Outcome {
    /// The note for an `X-Lurescreen-Banner` header when the banner could not be added.
    pub fn header_note(&self) -> Option<&'static str> {
        match self {
            Outcome::Signed => Some("not added: signed or encrypted message, body left untouched"),
            Outcome::NoSuitablePart => Some("not added: no text part it could safely be added to"),
            Outcome::NotRequested | Outcome::Added(_) => None,
        }
    }
}

/// Banner lines in the chosen language, and in English for parts whose charset cannot carry it.
pub struct Text {
    local: Vec<String>,
    english: Vec<String>,
}

/// Reasons listed in the banner.
const MAX_REASONS: usize = 5;

impl Text {
    pub fn new(report: &Report, markup: &Markup, lang: Lang) -> Text {
        let lines = |lang: Lang| -> Vec<String> {
            let mut reasons = Vec::new();
            for f in report.findings.iter().take(MAX_REASONS) {
                reasons.push(format!("- {}", defang_all(f.reason(lang))));
            }
            let evidence = vec![
                (
                    "verdict".to_string(),
                    report.verdict.label(lang).to_string(),
                ),
                ("score".to_string(), format!("{:.1}", report.score)),
                ("reasons".to_string(), reasons.join("\n")),
            ];
            fill_template(markup.banner_text(lang), &evidence)
                .lines()
                .map(|l| reveal_hidden(l.trim_end()))
                .filter(|l| !l.is_empty())
                .collect()
        };
        Text {
            local: lines(lang),
            english: lines(Lang::En),
        }
    }

    fn variants(&self) -> [&[String]; 2] {
        [&self.local, &self.english]
    }
}

/// Pushes the edits that put the banner into the message's text and HTML bodies.
pub fn edits(raw: &[u8], block: &HeaderBlock, text: &Text, out: &mut Vec<Edit>) -> Outcome {
    if block.end >= raw.len() {
        // No empty line: the message has no body to put a banner in.
        return Outcome::NoSuitablePart;
    }
    let (bytes, _) = crate::message::bound_nested_messages(raw, 0);
    let Some(parsed) = MessageParser::default().parse(bytes.as_ref()) else {
        return Outcome::NoSuitablePart;
    };
    let signed = parsed.parts.iter().any(|p| {
        p.content_type().is_some_and(|ct| {
            let t = ct.ctype().to_ascii_lowercase();
            let s = ct.subtype().unwrap_or("").to_ascii_lowercase();
            (t == "multipart" && (s == "signed" || s == "encrypted"))
                || (t == "application" && (s == "pkcs7-mime" || s == "x-pkcs7-mime"))
        }) || match &p.body {
            PartType::Text(t) => t.contains("-----BEGIN PGP"),
            _ => false,
        }
    });
    if signed {
        return Outcome::Signed;
    }
    let mut plain_done = false;
    let mut html_done = false;
    let mut added = 0;
    for (id, part) in parsed.parts.iter().enumerate() {
        if parsed.attachments.contains(&(id as u32)) {
            continue;
        }
        let html = match &part.body {
            PartType::Html(_) if !html_done => true,
            PartType::Text(_) if !plain_done && is_text_plain(part) => false,
            _ => continue,
        };
        if let Some(edit) = part_edit(raw, block, part, html, text) {
            out.push(edit);
            added += 1;
            if html {
                html_done = true;
            } else {
                plain_done = true;
            }
        }
    }
    if added == 0 {
        Outcome::NoSuitablePart
    } else {
        Outcome::Added(added)
    }
}

fn is_text_plain(part: &mail_parser::MessagePart<'_>) -> bool {
    part.content_type().is_none_or(|ct| {
        ct.ctype().eq_ignore_ascii_case("text")
            && ct.subtype().is_none_or(|s| s.eq_ignore_ascii_case("plain"))
    })
}

/// The edit for one body part, or `None` if it cannot be done without risk.
fn part_edit(
    raw: &[u8],
    block: &HeaderBlock,
    part: &mail_parser::MessagePart<'_>,
    html: bool,
    text: &Text,
) -> Option<Edit> {
    let (start, end) = (part.offset_body as usize, part.offset_end as usize);
    // Never above the empty line that ends our view of the header (the parser may place a body
    // earlier, e.g. after a header of only continuation lines): the banner would become header.
    let blank = if raw.get(block.end..).is_some_and(|r| r.starts_with(b"\r\n")) {
        2
    } else {
        1
    };
    if start < block.end + blank || start > end || end > raw.len() {
        return None;
    }
    let body = &raw[start..end];
    let nl = match body.iter().position(|&b| b == b'\n') {
        Some(i) if i > 0 && body[i - 1] == b'\r' => "\r\n",
        Some(_) => "\n",
        None => block.nl,
    };
    let charset = part
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .unwrap_or("us-ascii")
        .trim()
        .to_ascii_lowercase();
    let cte = part
        .content_transfer_encoding()
        .unwrap_or("7bit")
        .trim()
        .to_ascii_lowercase();
    let seven_bit = cte == "7bit" || cte.is_empty();
    let banner = text.variants().into_iter().find_map(|lines| {
        let bytes = render(lines, html, nl, &charset)?;
        // Do not put 8-bit bytes into a 7bit part that has none.
        if seven_bit && !bytes.is_ascii() && body.is_ascii() {
            return None;
        }
        Some(bytes)
    })?;
    match part.encoding {
        Encoding::None => {
            if !(seven_bit || cte == "8bit" || cte == "binary") {
                return None;
            }
            let at = if html { html_insert_at(body) } else { 0 };
            Some(insert(start + at, banner))
        }
        Encoding::QuotedPrintable => {
            let (decoded, map) = qp_decode_mapped(body);
            let at = if html { html_insert_at(&decoded) } else { 0 };
            let raw_at = *map.get(at)?;
            let mut bytes = Vec::new();
            if raw_at > 0 && body[raw_at - 1] != b'\n' {
                bytes.push(b'=');
                bytes.extend_from_slice(nl.as_bytes());
            }
            bytes.extend_from_slice(&qp_encode(&banner, nl, html));
            Some(insert(start + raw_at, bytes))
        }
        Encoding::Base64 => {
            let content_len = body.len()
                - body
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
            let mut decoded = base64_decode(&body[..content_len])?;
            let at = if html { html_insert_at(&decoded) } else { 0 };
            decoded.splice(at..at, banner);
            Some(Edit {
                start,
                end: start + content_len,
                bytes: base64_encode(&decoded, nl),
            })
        }
    }
}

fn insert(at: usize, bytes: Vec<u8>) -> Edit {
    Edit {
        start: at,
        end: at,
        bytes,
    }
}

/// The banner in the part's charset; `None` if the charset cannot carry it.
fn render(lines: &[String], html: bool, nl: &str, charset: &str) -> Option<Vec<u8>> {
    let text = if html {
        let escaped: Vec<String> = lines.iter().map(|l| escape_html(l)).collect();
        format!(
            "<div data-lurescreen=\"banner\" style=\"border:2px solid #c00;background:#fff0f0;\
             color:#000;padding:8px 12px;margin:0 0 12px 0;font-family:sans-serif;\
             font-size:14px;line-height:1.5\">{}</div>",
            escaped.join("<br>")
        )
    } else {
        let mut t = String::new();
        for line in lines {
            for piece in wrap(line, WRAP_COLUMNS) {
                t.push_str(&piece);
                t.push_str(nl);
            }
        }
        t.push_str(nl);
        t
    };
    if matches!(charset, "us-ascii" | "ascii" | "ansi_x3.4-1968" | "") {
        return text.is_ascii().then(|| text.into_bytes());
    }
    let encoding = encoding_rs::Encoding::for_label(charset.as_bytes())?;
    let (bytes, used, unmappable) = encoding.encode(&text);
    // encode() falls back to UTF-8 for UTF-16 and replacement; unmappable characters become
    // numeric character references, which only HTML understands.
    if used != encoding || (unmappable && !html) {
        return None;
    }
    Some(bytes.into_owned())
}

/// Plain-text banner width, in columns (CJK characters count two).
const WRAP_COLUMNS: usize = 72;

/// Breaks a line into pieces of at most `width` columns: at a space when there is one in the
/// second half of the piece, anywhere otherwise (Japanese has no spaces).
fn wrap(line: &str, width: usize) -> Vec<String> {
    let cols = |c: char| if (c as u32) >= 0x1100 { 2 } else { 1 };
    let mut out = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    for c in line.chars() {
        if used + cols(c) > width {
            let split = current
                .rfind(' ')
                .filter(|&i| current[..i].chars().map(cols).sum::<usize>() > width / 2);
            match split {
                Some(i) => {
                    let rest = current[i + 1..].to_string();
                    current.truncate(i);
                    out.push(std::mem::replace(&mut current, rest));
                }
                None => out.push(std::mem::take(&mut current)),
            }
            used = current.chars().map(cols).sum();
        }
        current.push(c);
        used += cols(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Where the banner goes in an HTML document: after `<body ...>`, else after `</head>`, else after
/// `<html ...>`, else after a doctype, else at the start (a `div` before the doctype would switch
/// the page to quirks mode).
fn html_insert_at(html: &[u8]) -> usize {
    if let Some(at) = after_tag(html, b"<body") {
        return at;
    }
    if let Some(i) = find_ci(html, b"</head>") {
        return i + b"</head>".len();
    }
    after_tag(html, b"<html")
        .or_else(|| after_tag(html, b"<!doctype"))
        .unwrap_or(0)
}

/// Offset after the `>` closing the first tag that starts with `open` (followed by space or `>`).
fn after_tag(html: &[u8], open: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find_ci(&html[from..], open) {
        let at = from + i + open.len();
        match html.get(at) {
            Some(b'>') => return Some(at + 1),
            Some(c) if c.is_ascii_whitespace() || *c == b'/' => {
                return html[at..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map(|j| at + j + 1);
            }
            _ => from = at,
        }
    }
    None
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_banner_lines_are_wrapped() {
        let long = "word ".repeat(40);
        for piece in wrap(&long, 72) {
            assert!(piece.len() <= 72);
        }
        let ja = "注意".repeat(50);
        let pieces = wrap(&ja, 72);
        assert!(pieces.iter().all(|p| p.chars().count() <= 36));
        assert_eq!(pieces.concat(), ja);
    }

    #[test]
    fn html_insert_points() {
        fn at(s: &str) -> &str {
            &s[html_insert_at(s.as_bytes())..]
        }
        assert_eq!(at("<html><BODY class=x>hi</body>"), "hi</body>");
        assert_eq!(
            at("<!DOCTYPE html><html><head><title>t</title></head><p>x"),
            "<p>x"
        );
        assert_eq!(at("<!doctype html><p>x"), "<p>x");
        assert_eq!(at("<p>fragment"), "<p>fragment");
        assert_eq!(at("<bodyguard><body>x"), "x");
    }

    #[test]
    fn charsets_that_cannot_carry_the_text_are_refused() {
        let ja = vec!["注意".to_string()];
        assert!(render(&ja, false, "\n", "us-ascii").is_none());
        assert!(render(&ja, false, "\n", "iso-8859-1").is_none());
        assert!(render(&ja, false, "\n", "utf-16le").is_none());
        assert!(render(&ja, false, "\n", "x-unknown").is_none());
        let sjis = render(&ja, false, "\n", "shift_jis").unwrap();
        assert_eq!(sjis, b"\x92\x8d\x88\xd3\n\n");
        let jis = render(&ja, false, "\r\n", "iso-2022-jp").unwrap();
        assert!(jis.is_ascii() && jis.starts_with(b"\x1b$B") && jis.ends_with(b"\x1b(B\r\n\r\n"));
        // HTML can carry anything as character references.
        let html = render(&ja, true, "\n", "iso-8859-1").unwrap();
        assert!(String::from_utf8(html).unwrap().contains("&#27880;"));
    }
}
