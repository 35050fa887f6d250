//! The start of the body, as inert text.

use super::{EXCERPT_CHARS, EXCERPT_LINES};
use crate::message::Message;
use crate::text::defang::defang_text;
use crate::text::hidden::reveal_hidden;

/// The start of the body: the first text part, else the first HTML part as text; links defanged,
/// hidden characters made visible, at most `EXCERPT_LINES` lines of `EXCERPT_CHARS` in all.
pub(super) fn excerpt(msg: &Message) -> String {
    let text = match msg.texts.iter().find(|t| !t.text.trim().is_empty()) {
        Some(t) => t.text.chars().take(EXCERPT_CHARS * 4).collect::<String>(),
        None => match msg.htmls.first() {
            Some(h) => html_to_text(&h.text),
            None => return String::new(),
        },
    };
    let mut out = String::new();
    let mut lines = 0;
    let mut blank = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !blank && !out.is_empty() {
                out.push('\n');
                lines += 1;
            }
            blank = true;
            continue;
        }
        blank = false;
        if lines >= EXCERPT_LINES || out.chars().count() >= EXCERPT_CHARS {
            out.push('…');
            break;
        }
        let line: String = line.chars().take(160).collect();
        out.push_str(&reveal_hidden(&defang_text(&line)));
        out.push('\n');
        lines += 1;
    }
    out.trim_end().to_string()
}

/// Text of an HTML body: tags dropped (with the content of `script`, `style` and `head`),
/// block ends as line breaks, entities decoded. Bounded: reads at most 256 KiB.
fn html_to_text(html: &str) -> String {
    let mut cap = html.len().min(256 * 1024);
    while !html.is_char_boundary(cap) {
        cap -= 1;
    }
    let html = html.get(..cap).unwrap_or("");
    let mut out = String::new();
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(rest.get(..lt).unwrap_or(""));
        }
        let tag_and_after = rest.get(lt + 1..).unwrap_or("");
        let gt = tag_and_after.find('>').unwrap_or(tag_and_after.len());
        let tag = tag_and_after.get(..gt).unwrap_or("").to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match skip_until {
            Some(end) if tag.starts_with('/') && name == end => skip_until = None,
            Some(_) => {}
            None if !tag.starts_with('/')
                && matches!(name.as_str(), "script" | "style" | "head" | "title") =>
            {
                skip_until = Some(match name.as_str() {
                    "script" => "script",
                    "style" => "style",
                    "head" => "head",
                    _ => "title",
                });
            }
            None if matches!(
                name.as_str(),
                "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "table" | "blockquote"
            ) =>
            {
                out.push('\n')
            }
            None => {}
        }
        rest = tag_and_after.get(gt + 1..).unwrap_or("");
        if out.len() > EXCERPT_CHARS * 8 {
            break;
        }
    }
    if skip_until.is_none() {
        out.push_str(rest);
    }
    let decoded = html_escape::decode_html_entities(&out).into_owned();
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}
