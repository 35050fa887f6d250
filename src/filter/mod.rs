//! Marks up a message for delivery: our headers, an optional subject tag and staff banner.
//!
//! Every change is an edit of a byte range of the original; all other bytes go out as they came
//! in (line endings, 8-bit bytes, NULs, a missing final newline).

pub mod banner;
mod rawheader;
pub mod transfer;

use crate::config::Markup;
use crate::lang::Lang;
use crate::render::headers::{self, PREFIX};
use crate::score::Report;
use base64::Engine as _;
pub use rawheader::{HeaderBlock, has_prefix};

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

/// The edits every marking starts with: a line ending where the lines before our fields lack
/// one (so nothing inserted runs on in them; it sorts before every other insert there), then
/// the removal of forged fields.
fn first_edits(block: &HeaderBlock) -> Vec<Edit> {
    let mut edits = Vec::new();
    if block.unended_start {
        edits.push(Edit {
            start: block.start,
            end: block.start,
            bytes: block.nl.as_bytes().to_vec(),
        });
    }
    edits.extend(strip_ours(block));
    edits
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
    let mut edits = first_edits(&block);
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
    let mut edits = first_edits(&block);
    edits.push(Edit {
        start: block.start,
        end: block.start,
        bytes: headers::error_block(error, block.nl).into_bytes(),
    });
    apply(raw, edits)
}

/// Copies a message too large to hold in memory from `input` to `out`, adding an
/// `X-Lurescreen-Error` field and removing forged `X-Lurescreen-*` fields on the way, in bounded
/// memory: the header is read line by line (long lines in chunks), the body is copied as is.
pub fn stream_with_error(
    input: &mut dyn std::io::Read,
    out: &mut dyn std::io::Write,
    error: &str,
) -> std::io::Result<()> {
    use std::io::{BufRead, Read};
    /// Longest piece of a line held at once.
    const CHUNK: u64 = 64 * 1024;
    let mut reader = std::io::BufReader::with_capacity(CHUNK as usize, input);
    // Reads up to the end of the line or CHUNK bytes; says whether the line ended.
    let mut piece = |buf: &mut Vec<u8>| -> std::io::Result<bool> {
        buf.clear();
        (&mut reader).take(CHUNK).read_until(b'\n', buf)?;
        Ok(buf.last() == Some(&b'\n') || buf.is_empty())
    };
    let mut line = Vec::new();
    let mut complete = piece(&mut line)?;
    let nl = if line.ends_with(b"\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    // Lines that go before our field, as in `HeaderBlock::scan`: an mbox `From ` line, then
    // continuation lines with no field before them.
    let mut first = true;
    // Whether the leading lines written so far end with a line ending.
    let mut ended = true;
    loop {
        let leading = (first && line.starts_with(b"From "))
            || line.starts_with(b" ")
            || line.starts_with(b"\t");
        if line.is_empty() || !leading {
            break;
        }
        first = false;
        out.write_all(&line)?;
        ended = complete;
        while !complete {
            complete = piece(&mut line)?;
            out.write_all(&line)?;
            ended = line.last() == Some(&b'\n') || (line.is_empty() && ended);
        }
        complete = piece(&mut line)?;
    }
    if !ended {
        // The input ended inside a leading line (as in `HeaderBlock::unended_start`).
        out.write_all(nl.as_bytes())?;
    }
    out.write_all(headers::error_block(error, nl).as_bytes())?;
    let mut dropping = false;
    loop {
        if line.is_empty() {
            return out.flush();
        }
        if line == b"\n" || line == b"\r\n" {
            out.write_all(&line)?;
            break;
        }
        if !line.starts_with(b" ") && !line.starts_with(b"\t") {
            // A field of ours is dropped with its continuations; a line with no colon is no
            // field at all and is kept (as `HeaderBlock::scan` does).
            let ours = |line: &[u8]| {
                line.iter().position(|&b| b == b':').is_some_and(|colon| {
                    rawheader::has_prefix(
                        String::from_utf8_lossy(&line[..colon]).trim_end(),
                        PREFIX,
                    )
                })
            };
            dropping = ours(&line);
            if !dropping
                && !complete
                && !line.contains(&b':')
                && rawheader::has_prefix(&String::from_utf8_lossy(&line), PREFIX)
            {
                // A name of ours longer than a piece: read on to its colon (up to
                // `LONG_NAME` bytes; a line of ours that long with no colon yet is dropped too,
                // so memory stays bounded).
                const LONG_NAME: usize = 1 << 20;
                let mut held = std::mem::take(&mut line);
                while !complete && !held.contains(&b':') && held.len() < LONG_NAME {
                    complete = piece(&mut line)?;
                    held.extend_from_slice(&line);
                }
                dropping = ours(&held) || (!complete && !held.contains(&b':'));
                if !dropping {
                    out.write_all(&held)?;
                }
                line = held;
                line.clear();
            } else if !dropping {
                out.write_all(&line)?;
            }
        } else if !dropping {
            out.write_all(&line)?;
        }
        while !complete {
            complete = piece(&mut line)?;
            if !dropping {
                out.write_all(&line)?;
            }
        }
        complete = piece(&mut line)?;
    }
    std::io::copy(&mut reader, out)?;
    out.flush()
}

/// The edit that puts `tag` in front of the subject (or adds a Subject field with it).
fn subject_tag(
    raw: &[u8],
    block: &HeaderBlock,
    tag: &str,
    decoded_subject: Option<&str>,
) -> Option<Edit> {
    if has_tag(decoded_subject, tag) {
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
    let mut bytes = b" ".to_vec();
    bytes.extend_from_slice(subject_prefix(&value[leading..], tag).as_bytes());
    Some(Edit {
        start: field.value_start,
        end: field.value_start + leading,
        bytes,
    })
}

/// What goes in front of a subject value `rest` (leading whitespace removed) to tag it: the tag
/// and a space, as an encoded word when the tag is not ASCII. Whitespace between two encoded
/// words is dropped when decoding, so the space after the tag goes inside its encoded word when
/// the subject starts with one.
pub fn subject_prefix(rest: &[u8], tag: &str) -> String {
    if tag.is_ascii() {
        format!("{tag} ")
    } else {
        format!("{} ", encode_word(tag, rest.starts_with(b"=?")))
    }
}

/// Whether a decoded subject already carries the tag.
pub fn has_tag(decoded_subject: Option<&str>, tag: &str) -> bool {
    tag.is_empty() || decoded_subject.is_some_and(|s| s.trim_start().starts_with(tag))
}

/// An RFC 2047 encoded word for `text` (UTF-8, base64), plain if `text` is printable ASCII.
pub fn encode_word(text: &str, with_trailing_space: bool) -> String {
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
