//! Marks up a message for delivery: our headers, an optional subject tag and staff banner.
//!
//! Every change is an edit of a byte range of the original; all other bytes go out as they came
//! in (line endings, 8-bit bytes, NULs, a missing final newline).

pub mod banner;
mod rawheader;
pub mod transfer;

use crate::Lang;
use crate::config::Markup;
use crate::render::headers::{self, PREFIX};
use crate::verdict::Report;
use base64::Engine as _;
pub use rawheader::HeaderBlock;

/// A replacement of `raw[start..end]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub bytes: Vec<u8>,
}

/// Applies non-overlapping edits (inserts at equal offsets keep their order).
pub fn apply(raw: &[u8], mut edits: Vec<Edit>) -> Vec<u8> {
    edits.sort_by_key(|e| (e.start, e.end));
    let extra: usize = edits.iter().map(|e| e.bytes.len()).sum();
    let mut out = Vec::with_capacity(raw.len() + extra);
    let mut pos = 0;
    for e in edits {
        let start = e.start.clamp(pos, raw.len());
        out.extend_from_slice(&raw[pos..start]);
        out.extend_from_slice(&e.bytes);
        pos = e.end.clamp(start, raw.len());
    }
    out.extend_from_slice(&raw[pos..]);
    out
}

/// Edits removing every `X-Lurescreen-*` field already present: a sender must not forge ours.
fn strip_ours(block: &HeaderBlock) -> Vec<Edit> {
    block
        .with_prefix(PREFIX)
        .map(|f| Edit {
            start: f.start,
            end: f.end,
            bytes: Vec::new(),
        })
        .collect()
}

/// What `annotate` did beyond the headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marked {
    pub subject_tagged: bool,
    pub banner: banner::Outcome,
}

/// The message with our headers and, if the verdict calls for it, tag and banner.
pub fn annotate(raw: &[u8], report: &Report, markup: &Markup, lang: Lang) -> (Vec<u8>, Marked) {
    let block = HeaderBlock::scan(raw);
    let nl = block.nl;
    let mut edits = strip_ours(&block);
    let mut ours = headers::block(report, nl);
    let mut marked = Marked::default();
    let mark = report.verdict >= markup.min_verdict;
    if mark && markup.banner {
        let text = banner::Text::new(report, markup, lang);
        marked.banner = banner::edits(raw, &block, &text, &mut edits);
        if let Some(note) = marked.banner.header_note() {
            ours.push_str(&headers::fold("X-Lurescreen-Banner", note, nl));
        }
    }
    if mark && markup.subject_tag {
        let tag = markup.subject_tag(lang);
        if let Some(edit) = subject_tag(raw, &block, tag, report.summary.subject.as_deref()) {
            edits.push(edit);
            marked.subject_tagged = true;
        }
    }
    edits.push(Edit {
        start: block.start,
        end: block.start,
        bytes: ours.into_bytes(),
    });
    (apply(raw, edits), marked)
}

/// The message unchanged but for an `X-Lurescreen-Error` field (and forged fields removed).
pub fn pass_with_error(raw: &[u8], error: &str) -> Vec<u8> {
    let block = HeaderBlock::scan(raw);
    let mut edits = strip_ours(&block);
    edits.push(Edit {
        start: block.start,
        end: block.start,
        bytes: headers::error_block(error, block.nl).into_bytes(),
    });
    apply(raw, edits)
}

/// The edit that puts `tag` in front of the subject (or adds a Subject field with it).
fn subject_tag(
    raw: &[u8],
    block: &HeaderBlock,
    tag: &str,
    decoded_subject: Option<&str>,
) -> Option<Edit> {
    if tag.is_empty() || decoded_subject.is_some_and(|s| s.trim_start().starts_with(tag)) {
        return None;
    }
    let Some(field) = block.first("subject") else {
        let bytes = format!("Subject: {}{}", encode_word(tag, false), block.nl).into_bytes();
        return Some(Edit {
            start: block.start,
            end: block.start,
            bytes,
        });
    };
    let value = &raw[field.value_start..field.value_end];
    let leading = value
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let rest = &value[leading..];
    // Whitespace between two encoded words is dropped when decoding, so the space after the
    // tag goes inside its encoded word when the subject starts with one.
    let rest_is_encoded = rest.starts_with(b"=?");
    let mut bytes = b" ".to_vec();
    if tag.is_ascii() {
        bytes.extend_from_slice(tag.as_bytes());
        bytes.push(b' ');
    } else {
        bytes.extend_from_slice(encode_word(tag, rest_is_encoded).as_bytes());
        bytes.push(b' ');
    }
    Some(Edit {
        start: field.value_start,
        end: field.value_start + leading,
        bytes,
    })
}

/// An RFC 2047 encoded word for `text` (UTF-8, base64), plain if `text` is printable ASCII.
fn encode_word(text: &str, with_trailing_space: bool) -> String {
    let text = if with_trailing_space {
        format!("{text} ")
    } else {
        text.to_string()
    };
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text;
    }
    format!(
        "=?UTF-8?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
    )
}

#[cfg(test)]
mod tests;
