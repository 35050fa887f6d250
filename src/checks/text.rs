//! The readable text of a message for the wording, signature and Japanese-text checks: plain
//! text parts as they are, HTML parts with tags, scripts and styles removed and entities decoded.

use crate::message::Message;
use crate::message::links::decode_entities;

/// Characters of text taken from one part; lures say what they want early.
pub const MAX_PART_CHARS: usize = 200_000;

/// The text a reader sees in an HTML part (roughly: block tags become line breaks).
pub fn html_to_text(html: &str) -> String {
    let html = cut(html, MAX_PART_CHARS * 4);
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let tag = &rest[lt..];
        let lower_start: String = tag
            .chars()
            .skip(1)
            .take(8)
            .collect::<String>()
            .to_ascii_lowercase();
        // Skip the contents of elements that are never shown.
        let skip_to = ["script", "style", "head", "title"]
            .iter()
            .find(|name| {
                lower_start.starts_with(*name)
                    && !lower_start[name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
            })
            .map(|name| format!("</{name}"));
        let after_tag = match tag.find('>') {
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
            let lower = rest.to_ascii_lowercase();
            match lower.find(&end) {
                Some(i) => {
                    let after = &rest[i..];
                    rest = after.find('>').map_or("", |gt| &after[gt + 1..]);
                }
                None => rest = "",
            }
        }
        if out.len() > MAX_PART_CHARS * 4 {
            break;
        }
    }
    out.push_str(&decode_entities(rest));
    out
}

/// The message's body text: the plain-text parts, or, when there are none, the HTML parts as
/// text. Bounded to `MAX_PART_CHARS` per part.
pub fn body_text(msg: &Message) -> &str {
    msg.derived.body_text.get_or_init(|| make_body_text(msg))
}

fn make_body_text(msg: &Message) -> String {
    let mut out = String::new();
    if msg.texts.iter().any(|t| !t.text.trim().is_empty()) {
        for t in &msg.texts {
            out.push_str(cut(&t.text, MAX_PART_CHARS));
            out.push('\n');
        }
    } else {
        for h in &msg.htmls {
            out.push_str(cut(&html_to_text(&h.text), MAX_PART_CHARS));
            out.push('\n');
        }
    }
    out
}

/// Every text part and every HTML part as text, plus the subject: what the wording checks read.
pub fn all_text(msg: &Message) -> &str {
    msg.derived.all_text.get_or_init(|| make_all_text(msg))
}

fn make_all_text(msg: &Message) -> String {
    let mut out = String::new();
    if let Some(s) = &msg.subject {
        out.push_str(cut(s, 2000));
        out.push('\n');
    }
    for t in &msg.texts {
        out.push_str(cut(&t.text, MAX_PART_CHARS));
        out.push('\n');
    }
    for h in &msg.htmls {
        out.push_str(cut(&html_to_text(&h.text), MAX_PART_CHARS));
        out.push('\n');
    }
    out
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
    fn cut_keeps_characters_whole() {
        assert_eq!(cut("日本語", 4), "日");
        assert_eq!(cut("abc", 10), "abc");
    }
}
