//! The readable text of a message for the wording, signature and Japanese-text checks: plain
//! text parts as they are, HTML parts made text (`text::html_text`), each cut at `MAX_PART_CHARS`.

use crate::message::Message;
use crate::text::html_text::{MAX_PART_CHARS, cut, html_to_text};

/// Characters of plain text under which a plain-text part that sits beside a much longer HTML
/// part is a stub (`normal`, `View this message in a browser`), not the message.
const PLAIN_STUB_CHARS: usize = 120;

/// The message's body text: the plain-text parts, or, when there are none or they are a stub
/// beside HTML that says much more, the HTML parts as text (after the stub). Bounded to
/// `MAX_PART_CHARS` per part.
pub fn body_text(msg: &Message) -> &str {
    msg.derived.body_text.get_or_init(|| make_body_text(msg))
}

/// `body_text` with its ASCII letters lower-cased: byte for byte as long, so an offset or a cut
/// in one is the same in the other. A search of it for lower-case words is a search of
/// `body_text` with ASCII case ignored (what `ascii_case_insensitive` automata do), and can use
/// the fast literal searches that a search with case ignored cannot.
pub fn body_text_ascii_lower(msg: &Message) -> &str {
    msg.derived
        .body_text_ascii_lower
        .get_or_init(|| body_text(msg).to_ascii_lowercase())
}

fn make_body_text(msg: &Message) -> String {
    let mut out = String::new();
    let plain: usize = msg.texts.iter().map(|t| t.text.trim().len()).sum();
    if plain > 0 {
        for t in &msg.texts {
            out.push_str(cut(&t.text, MAX_PART_CHARS));
            out.push('\n');
        }
    }
    // A stub is short next to what the HTML says; only then are the HTML parts made into text.
    let stub = plain > 0
        && plain < PLAIN_STUB_CHARS
        && msg
            .htmls
            .iter()
            .any(|h| h.text.len() > 10 * PLAIN_STUB_CHARS);
    if plain == 0 || stub {
        for text in html_texts(msg) {
            out.push_str(cut(text, MAX_PART_CHARS));
            out.push('\n');
        }
    }
    out
}

/// Each HTML part as text (`html_to_text`), made once per message for both texts below.
fn html_texts(msg: &Message) -> &[String] {
    msg.derived
        .html_texts
        .get_or_init(|| msg.htmls.iter().map(|h| html_to_text(&h.text)).collect())
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
    for text in html_texts(msg) {
        out.push_str(cut(text, MAX_PART_CHARS));
        out.push('\n');
    }
    out
}
