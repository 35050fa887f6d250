//! Outlook's message model (MAPI properties) read into one plain form, [`Item`], whatever store
//! it came from: an Outlook item file (`.msg`, see `containers::outlook`), a `winmail.dat`
//! (`containers::tnef`) or a `.pst` store (`batch::pst`). An item becomes an Internet message
//! ([`to_mime`]) so that every check, `explain` and the batch report read it as they read any
//! mail: the transport headers Exchange kept when there are any, else From, To, Cc, Subject, Date
//! and Message-ID made from the item's properties; the plain, HTML or compressed-RTF body; each
//! attachment with its long name; attached items as `message/rfc822` parts.

use std::fmt::Write as _;

/// PR_SUBJECT and the other properties read, by their 16-bit MAPI id.
pub mod tag {
    pub const SUBJECT: u16 = 0x0037;
    pub const CLIENT_SUBMIT_TIME: u16 = 0x0039;
    pub const SENT_REPRESENTING_NAME: u16 = 0x0042;
    pub const SENT_REPRESENTING_EMAIL: u16 = 0x0065;
    pub const TRANSPORT_HEADERS: u16 = 0x007D;
    pub const SENDER_NAME: u16 = 0x0C1A;
    pub const SENDER_EMAIL: u16 = 0x0C1F;
    pub const DISPLAY_CC: u16 = 0x0E03;
    pub const DISPLAY_TO: u16 = 0x0E04;
    pub const DELIVERY_TIME: u16 = 0x0E06;
    pub const BODY: u16 = 0x1000;
    pub const RTF_COMPRESSED: u16 = 0x1009;
    pub const BODY_HTML: u16 = 0x1013;
    pub const INTERNET_MESSAGE_ID: u16 = 0x1035;
    pub const DISPLAY_NAME: u16 = 0x3001;
    pub const ATTACH_DATA: u16 = 0x3701;
    pub const ATTACH_FILENAME: u16 = 0x3704;
    pub const ATTACH_METHOD: u16 = 0x3705;
    pub const ATTACH_LONG_FILENAME: u16 = 0x3707;
    pub const ATTACH_MIME_TAG: u16 = 0x370E;
    pub const INTERNET_CPID: u16 = 0x3FDE;
    pub const SENDER_SMTP: u16 = 0x5D01;
    pub const SENT_REPRESENTING_SMTP: u16 = 0x5D02;
}

/// Compressed RTF bodies larger than this are not decompressed (MS-OXRTFCP expands at most
/// about 8:1, so the text stays under 8 MiB).
pub const MAX_RTF_COMPRESSED: usize = 1 << 20;

/// One Outlook item, as read from any store. Every field is optional: stores leave many out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    /// PR_TRANSPORT_MESSAGE_HEADERS: the Internet header as received, when Exchange kept it.
    pub headers: Option<String>,
    pub subject: Option<String>,
    /// The sender as the item names it (display name, address).
    pub from_name: Option<String>,
    pub from_address: Option<String>,
    /// PR_DISPLAY_TO / PR_DISPLAY_CC: display names joined by `;`.
    pub to: Option<String>,
    pub cc: Option<String>,
    /// Seconds since 1970 (from a FILETIME).
    pub date: Option<i64>,
    pub message_id: Option<String>,
    pub text: Option<String>,
    /// The HTML body; a store that has only compressed RTF gives its text or HTML here and in
    /// `text` (see [`rtf_body`]).
    pub html: Option<String>,
    pub attachments: Vec<Part>,
}

/// An attachment of an item: a file, or another item (`item`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    pub name: Option<String>,
    pub mime_type: Option<String>,
    pub data: Vec<u8>,
    pub item: Option<Box<Item>>,
}

/// An item's own properties as a store gives them: the store-specific part of reading an item.
pub trait Props {
    /// A string property (Unicode or 8-bit), without trailing NULs.
    fn text(&mut self, id: u16) -> Option<String>;
    /// A binary property, bounded by the store.
    fn binary(&mut self, id: u16, max: usize) -> Option<Vec<u8>>;
    /// A time property (PT_SYSTIME), as seconds since 1970.
    fn time(&mut self, id: u16) -> Option<i64>;
    /// A 32-bit integer property.
    fn long(&mut self, id: u16) -> Option<u32>;
}

/// Bytes of an HTML body read, at most.
const MAX_HTML_BYTES: usize = 1 << 20;

/// An item's headers, sender, recipients, date and body from its properties (attachments are
/// the store's to add): the sender as the item represents it (PR_SENT_REPRESENTING_*) before the
/// account that sent it, SMTP addresses before Exchange ones; the HTML body in its code page
/// (PR_INTERNET_CPID); compressed RTF only when there is neither a plain nor an HTML body.
pub fn item_from(p: &mut dyn Props) -> Item {
    let mut item = Item {
        headers: p.text(tag::TRANSPORT_HEADERS),
        subject: p.text(tag::SUBJECT),
        from_name: p
            .text(tag::SENT_REPRESENTING_NAME)
            .or_else(|| p.text(tag::SENDER_NAME)),
        from_address: [
            tag::SENT_REPRESENTING_SMTP,
            tag::SENDER_SMTP,
            tag::SENT_REPRESENTING_EMAIL,
            tag::SENDER_EMAIL,
        ]
        .into_iter()
        .filter_map(|t| p.text(t))
        .find(|a| a.contains('@')),
        to: p.text(tag::DISPLAY_TO),
        cc: p.text(tag::DISPLAY_CC),
        date: p
            .time(tag::CLIENT_SUBMIT_TIME)
            .or_else(|| p.time(tag::DELIVERY_TIME)),
        message_id: p.text(tag::INTERNET_MESSAGE_ID),
        text: p.text(tag::BODY),
        html: p.text(tag::BODY_HTML).or_else(|| {
            let raw = p.binary(tag::BODY_HTML, MAX_HTML_BYTES)?;
            Some(decode_codepage(&raw, p.long(tag::INTERNET_CPID)))
        }),
        attachments: Vec::new(),
    };
    if item.text.is_none()
        && item.html.is_none()
        && let Some(raw) = p.binary(tag::RTF_COMPRESSED, MAX_RTF_COMPRESSED)
        && let Some((body, html)) = rtf_body(&raw)
    {
        if html {
            item.html = Some(body);
        } else {
            item.text = Some(body);
        }
    }
    item
}

/// A FILETIME (100 ns ticks since 1601) as seconds since 1970; `None` for 0 and for times no
/// message has (before 1970 or after 9999).
pub fn filetime_to_unix(ticks: u64) -> Option<i64> {
    let secs = i64::try_from(ticks / 10_000_000).ok()? - 11_644_473_600;
    (0..253_402_300_800).contains(&secs).then_some(secs)
}

/// UTF-16LE bytes as a string, up to the first NUL.
pub fn utf16(raw: &[u8]) -> String {
    let units: Vec<u16> = raw
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

/// Bytes in a Windows code page (PR_INTERNET_CPID, RTF's `\ansicpg`) as text; UTF-8 when the
/// code page is unknown and the bytes are valid UTF-8, else Windows-1252.
pub fn decode_codepage(raw: &[u8], codepage: Option<u32>) -> String {
    let enc = codepage.and_then(encoding_of);
    if let Some(enc) = enc {
        return enc.decode_without_bom_handling(raw).0.into_owned();
    }
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}

fn encoding_of(codepage: u32) -> Option<&'static encoding_rs::Encoding> {
    use encoding_rs as e;
    Some(match codepage {
        65001 => e::UTF_8,
        932 => e::SHIFT_JIS,
        50220..=50222 => e::ISO_2022_JP,
        51932 | 20932 => e::EUC_JP,
        936 => e::GBK,
        54936 => e::GB18030,
        949 | 51949 => e::EUC_KR,
        950 => e::BIG5,
        874 => e::WINDOWS_874,
        1250 => e::WINDOWS_1250,
        1251 => e::WINDOWS_1251,
        1252 | 20127 | 28591 => e::WINDOWS_1252,
        1253 => e::WINDOWS_1253,
        1254 => e::WINDOWS_1254,
        1255 => e::WINDOWS_1255,
        1256 => e::WINDOWS_1256,
        1257 => e::WINDOWS_1257,
        1258 => e::WINDOWS_1258,
        20866 => e::KOI8_R,
        28592 => e::ISO_8859_2,
        28595 => e::ISO_8859_5,
        28597 => e::ISO_8859_7,
        28605 => e::ISO_8859_15,
        _ => return None,
    })
}

/// PR_RTF_COMPRESSED decompressed (MS-OXRTFCP) and read as a body: the HTML it encapsulates
/// (`\fromhtml1`, what Outlook stores for HTML mail) or its text; `None` when it is not valid
/// compressed RTF. The header is checked before Microsoft's decoder runs, which trusts it.
pub fn rtf_body(compressed: &[u8]) -> Option<(String, bool)> {
    if compressed.len() < 16 || compressed.len() > MAX_RTF_COMPRESSED {
        return None;
    }
    let word = |i: usize| u32::from_le_bytes(compressed[i..i + 4].try_into().unwrap_or([0; 4]));
    let (comp_size, raw_size, kind) = (word(0) as usize, word(4) as usize, word(8));
    if comp_size.checked_add(4) != Some(compressed.len()) {
        return None;
    }
    // "MELA": stored uncompressed; the decoder slices `raw_size` bytes without a check.
    if kind == 0x414C_454D && raw_size > compressed.len() - 16 {
        return None;
    }
    // "LZFu" output never exceeds 17 bytes per 2 read; a forged size would only be a capacity.
    if kind == 0x7546_5A4C && raw_size > (compressed.len() - 16).saturating_mul(9) {
        return None;
    }
    let rtf = compressed_rtf::decompress_rtf(compressed).ok()?;
    Some(rtf_to_text(&rtf))
}

/// Reads RTF as text: the HTML of `\fromhtml1` de-encapsulated (MS-OXRTFEX: `\*\htmltag`
/// groups give the markup, text in `\htmlrtf` runs is left out), else the document's text with
/// field instructions kept (a `HYPERLINK "url"` stays visible to the link checks). Returns the
/// text and whether it is HTML.
pub fn rtf_to_text(rtf: &str) -> (String, bool) {
    let from_html = rtf.contains("\\fromhtml1");
    let mut out = String::new();
    // Pending bytes of `\'hh` escapes, decoded together (a Shift_JIS character is two).
    let mut pending: Vec<u8> = Vec::new();
    let mut codepage: Option<u32> = None;
    // Per group: skipped (an ignorable destination or a table), inside an htmltag, \htmlrtf.
    #[derive(Clone, Copy, Default)]
    struct State {
        skip: bool,
        htmltag: bool,
        htmlrtf: bool,
        uc: usize,
    }
    let mut stack: Vec<State> = Vec::new();
    let mut st = State {
        uc: 1,
        ..State::default()
    };
    // Characters to skip after a `\uN` (its fallback).
    let mut fallback = 0usize;
    let bytes = rtf.as_bytes();
    let mut i = 0;
    let emit = |st: &State| !st.skip && (!from_html || st.htmltag || !st.htmlrtf);
    let flush = |pending: &mut Vec<u8>, out: &mut String, cp: Option<u32>| {
        if !pending.is_empty() {
            out.push_str(&decode_codepage(pending, cp.or(Some(1252))));
            pending.clear();
        }
    };
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'{' => {
                flush(&mut pending, &mut out, codepage);
                if stack.len() < 256 {
                    stack.push(st);
                }
                i += 1;
                // `{\*\dest`: an ignorable destination, skipped unless it is one we read.
                if bytes[i..].starts_with(b"\\*\\") {
                    let name: String = bytes[i + 3..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphabetic())
                        .map(|&b| b as char)
                        .collect();
                    match name.as_str() {
                        "htmltag" if from_html => st.htmltag = true,
                        "fldinst" => {}
                        _ => st.skip = true,
                    }
                    i += 3 + name.len();
                    // Its parameter and the space that ends the control word.
                    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'-') {
                        i += 1;
                    }
                    if i < bytes.len() && bytes[i] == b' ' {
                        i += 1;
                    }
                }
            }
            b'}' => {
                flush(&mut pending, &mut out, codepage);
                st = stack.pop().unwrap_or_default();
                i += 1;
            }
            b'\\' => {
                i += 1;
                let Some(&n) = bytes.get(i) else { break };
                if n == b'\'' {
                    let hex = bytes
                        .get(i + 1..i + 3)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    i += 1 + if hex.is_some() { 2 } else { 0 };
                    if fallback > 0 {
                        fallback -= 1;
                    } else if let Some(b) = hex
                        && emit(&st)
                    {
                        pending.push(b);
                    }
                    continue;
                }
                if !n.is_ascii_alphabetic() {
                    // A control symbol: `\\`, `\{`, `\}`, `\~` (no-break space), `\-`...
                    // (a backslash before a non-ASCII byte only escapes that byte).
                    i += 1;
                    flush(&mut pending, &mut out, codepage);
                    if emit(&st) {
                        match n {
                            b'\\' | b'{' | b'}' => out.push(n as char),
                            b'~' => out.push(' '),
                            _ => {}
                        }
                    }
                    continue;
                }
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let word = std::str::from_utf8(&bytes[start..i]).unwrap_or("");
                let num_start = i;
                if i < bytes.len() && bytes[i] == b'-' {
                    i += 1;
                }
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let param: Option<i64> = std::str::from_utf8(&bytes[num_start..i])
                    .ok()
                    .and_then(|p| p.parse().ok());
                if i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
                flush(&mut pending, &mut out, codepage);
                match word {
                    "fonttbl" | "colortbl" | "stylesheet" | "info" | "pict" | "object"
                    | "header" | "footer" | "themedata" | "datastore" | "latentstyles" => {
                        st.skip = true;
                    }
                    "ansicpg" => codepage = param.and_then(|p| u32::try_from(p).ok()),
                    "htmlrtf" => st.htmlrtf = param != Some(0),
                    "uc" => st.uc = param.and_then(|p| usize::try_from(p).ok()).unwrap_or(1),
                    "u" => {
                        if emit(&st)
                            && let Some(p) = param
                        {
                            // Negative values are the upper half of the 16-bit range.
                            let unit = if p < 0 { p + 65_536 } else { p };
                            if let Some(ch) = u32::try_from(unit).ok().and_then(char::from_u32) {
                                out.push(ch);
                            }
                        }
                        fallback = st.uc;
                    }
                    "par" | "line" | "row" if emit(&st) && !st.htmltag => out.push('\n'),
                    "tab" | "cell" if emit(&st) && !st.htmltag => out.push('\t'),
                    _ => {}
                }
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                // Plain text up to the next special byte.
                let end = bytes[i..]
                    .iter()
                    .position(|b| matches!(b, b'{' | b'}' | b'\\' | b'\r' | b'\n'))
                    .map_or(bytes.len(), |p| i + p);
                let whole = String::from_utf8_lossy(&bytes[i..end]);
                let mut chunk = whole.as_ref();
                while fallback > 0 && !chunk.is_empty() {
                    let len = chunk.chars().next().map_or(1, char::len_utf8);
                    chunk = &chunk[len..];
                    fallback -= 1;
                }
                flush(&mut pending, &mut out, codepage);
                if emit(&st) {
                    out.push_str(chunk);
                }
                i = end;
            }
        }
    }
    flush(&mut pending, &mut out, codepage);
    (out, from_html)
}

/// The item as an Internet message (RFC 5322, MIME): see the module's documentation.
pub fn to_mime(item: &Item) -> Vec<u8> {
    let mut out = Vec::new();
    write_item(item, &mut out, 0);
    out
}

/// Nested items written, at most (stores bound their own depth; this bounds the output).
const MAX_MIME_DEPTH: usize = 8;

fn write_item(item: &Item, out: &mut Vec<u8>, depth: usize) {
    match item.headers.as_deref().filter(|h| h.contains(':')) {
        Some(h) => out.extend_from_slice(&transport_headers(h)),
        None => {
            let mut h = String::new();
            let from = match (&item.from_name, &item.from_address) {
                (Some(n), Some(a)) if !n.is_empty() && a.contains('@') => {
                    format!("{} <{a}>", encode_word(n))
                }
                (_, Some(a)) if a.contains('@') => a.clone(),
                (Some(n), _) if !n.is_empty() => format!("{} <>", encode_word(n)),
                _ => String::new(),
            };
            if !from.is_empty() {
                let _ = write!(h, "From: {}\r\n", one_line(&from));
            }
            for (name, value) in [("To", &item.to), ("Cc", &item.cc)] {
                if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                    let list: Vec<String> = v
                        .split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| {
                            if s.contains('@') && !s.contains(' ') {
                                s.to_string()
                            } else {
                                format!("{} <>", encode_word(s))
                            }
                        })
                        .collect();
                    let _ = write!(h, "{name}: {}\r\n", one_line(&list.join(", ")));
                }
            }
            if let Some(s) = &item.subject {
                let _ = write!(h, "Subject: {}\r\n", encode_word(&one_line(s)));
            }
            if let Some(d) = item.date {
                let date = mail_parser::DateTime::from_timestamp(d).to_rfc822();
                let _ = write!(h, "Date: {date}\r\n");
            }
            if let Some(id) = &item.message_id {
                let _ = write!(h, "Message-ID: {}\r\n", one_line(id));
            }
            out.extend_from_slice(h.as_bytes());
        }
    }
    let boundary = format!("=_mapi_{depth}_{:016x}", fingerprint(item));
    let _ = write!(
        Bytes(out),
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
    );
    for (kind, body) in [("plain", &item.text), ("html", &item.html)] {
        if let Some(body) = body.as_deref().filter(|b| !b.trim().is_empty()) {
            let _ = write!(
                Bytes(out),
                "--{boundary}\r\nContent-Type: text/{kind}; charset=utf-8\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n"
            );
            base64_lines(body.as_bytes(), out);
        }
    }
    for (n, part) in item.attachments.iter().enumerate() {
        let name = part
            .name
            .as_deref()
            .map(one_line)
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| format!("attachment{}", n + 1));
        let disposition = format!("attachment; filename*=UTF-8''{}", percent_encode(&name));
        match &part.item {
            Some(inner) if depth + 1 < MAX_MIME_DEPTH => {
                let _ = write!(
                    Bytes(out),
                    "--{boundary}\r\nContent-Type: message/rfc822\r\n\
                     Content-Disposition: {disposition}\r\n\r\n"
                );
                write_item(inner, out, depth + 1);
            }
            _ => {
                let mime = part
                    .mime_type
                    .as_deref()
                    .map(one_line)
                    .filter(|m| {
                        m.contains('/')
                            && m.bytes().all(|b| b.is_ascii_graphic())
                            && !m.to_ascii_lowercase().starts_with("message/")
                            && !m.to_ascii_lowercase().starts_with("multipart/")
                    })
                    .unwrap_or_else(|| "application/octet-stream".into());
                let _ = write!(
                    Bytes(out),
                    "--{boundary}\r\nContent-Type: {mime}\r\nContent-Disposition: {disposition}\r\n\
                     Content-Transfer-Encoding: base64\r\n\r\n"
                );
                base64_lines(&part.data, out);
            }
        }
    }
    let _ = write!(Bytes(out), "--{boundary}--\r\n");
}

/// `write!` into a byte vector.
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// The transport headers without the fields that describe the body (ours replace them), each
/// line ending in CRLF.
fn transport_headers(h: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(h.len() + 2);
    let mut dropping = false;
    for line in h.lines() {
        if line.trim().is_empty() {
            // The header ends at the first empty line; anything after is not header.
            break;
        }
        let continuation = line.starts_with([' ', '\t']);
        if !continuation {
            let name = line
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            dropping =
                name.starts_with("content-") || name == "mime-version" || !line.contains(':');
        }
        if !dropping {
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

/// A value on one line: line breaks and other controls become spaces (a property cannot add
/// header fields).
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Text as RFC 2047 encoded words when it is not plain ASCII.
fn encode_word(s: &str) -> String {
    use base64::Engine as _;
    let s = one_line(s);
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s;
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    words.push(chunk);
    words
        .iter()
        .map(|w| {
            format!(
                "=?UTF-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(w)
            )
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// RFC 2231 percent-encoding of a parameter value.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn base64_lines(data: &[u8], out: &mut Vec<u8>) {
    use base64::Engine as _;
    for chunk in data.chunks(57) {
        out.extend_from_slice(
            base64::engine::general_purpose::STANDARD
                .encode(chunk)
                .as_bytes(),
        );
        out.extend_from_slice(b"\r\n");
    }
}

/// A hash of the item's content, so that no boundary can be written into it on purpose.
fn fingerprint(item: &Item) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    item.hash(&mut h);
    h.finish()
}

impl std::hash::Hash for Item {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (&self.headers, &self.subject, &self.text, &self.html).hash(h);
        for p in &self.attachments {
            (&p.name, &p.data).hash(h);
            if let Some(i) = &p.item {
                i.hash(h);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default().parse(raw).unwrap()
    }

    #[test]
    fn an_item_without_transport_headers_gets_them_from_its_properties() {
        let item = Item {
            subject: Some("【至急】請求書の件".into()),
            from_name: Some("株式会社サンプル 経理部".into()),
            from_address: Some("keiri.sample@gmail.com".into()),
            to: Some("山田 太郎; b@client.example.net".into()),
            date: Some(1_764_900_000),
            message_id: Some("<x@y>\r\nBcc: injected@evil.example".into()),
            text: Some("http://login.example.org/ をご確認ください".into()),
            attachments: vec![Part {
                name: Some("請求書.pdf.exe".into()),
                data: b"MZ\x90\0".to_vec(),
                ..Part::default()
            }],
            ..Item::default()
        };
        let mime = to_mime(&item);
        let m = parse(&mime);
        assert_eq!(m.subject(), Some("【至急】請求書の件"));
        let from = m.from().unwrap().first().unwrap();
        assert_eq!(from.address(), Some("keiri.sample@gmail.com"));
        assert_eq!(from.name(), Some("株式会社サンプル 経理部"));
        assert_eq!(m.to().unwrap().iter().count(), 2);
        assert!(m.date().is_some());
        // A property cannot add a header field.
        assert!(m.header("Bcc").is_none());
        assert!(m.body_text(0).unwrap().contains("login.example.org"));
        let att = m.attachment(0).unwrap();
        assert_eq!(
            mail_parser::MimeHeaders::attachment_name(att),
            Some("請求書.pdf.exe")
        );
        assert_eq!(att.contents(), b"MZ\x90\0");
    }

    #[test]
    fn transport_headers_are_kept_without_their_body_fields() {
        let item = Item {
            headers: Some(
                "Received: from a\r\n\tby b\r\nFrom: Bank <alerts@bank-example.com>\r\n\
                 Content-Type: multipart/alternative;\r\n\tboundary=\"zz\"\r\nSubject: hi\r\n\r\n"
                    .into(),
            ),
            subject: Some("ignored".into()),
            html: Some("<a href=\"http://192.0.2.1/\">bank-example.com</a>".into()),
            ..Item::default()
        };
        let mime = String::from_utf8(to_mime(&item)).unwrap();
        assert!(!mime.contains("zz"), "{mime}");
        let m = parse(mime.as_bytes());
        assert_eq!(m.subject(), Some("hi"));
        assert!(m.body_html(0).unwrap().contains("192.0.2.1"));
        assert_eq!(m.header_values("Received").count(), 1);
    }

    #[test]
    fn attached_items_nest_as_messages() {
        let inner = Item {
            subject: Some("inner".into()),
            attachments: vec![Part {
                name: Some("a.exe".into()),
                data: b"MZ".to_vec(),
                ..Part::default()
            }],
            ..Item::default()
        };
        let outer = Item {
            subject: Some("outer".into()),
            attachments: vec![Part {
                name: Some("FW.msg".into()),
                item: Some(Box::new(inner)),
                ..Part::default()
            }],
            ..Item::default()
        };
        let mime = to_mime(&outer);
        let m = parse(&mime);
        let nested = m.attachment(0).unwrap().message().unwrap();
        assert_eq!(nested.subject(), Some("inner"));
        assert_eq!(nested.attachment(0).unwrap().contents(), b"MZ");
    }

    #[test]
    fn rtf_bodies_give_their_html_or_text() {
        let html = r#"{\rtf1\ansi\ansicpg932\fromhtml1 {\fonttbl{\f0 MS Gothic;}}{\*\htmltag64 <a href="http://198.51.100.7/login">}\htmlrtf {\field{\*\fldinst HYPERLINK "x"}}\htmlrtf0 \'8a\'6d\'94\'46{\*\htmltag72 </a>}}"#;
        let (text, is_html) = rtf_to_text(html);
        assert!(is_html);
        assert_eq!(text, r#"<a href="http://198.51.100.7/login">確認</a>"#);
        let plain = r#"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\uc1 Pay here\u12354?\par {\field{\*\fldinst HYPERLINK "http://203.0.113.9/"}{\fldrslt click}}}"#;
        let (text, is_html) = rtf_to_text(plain);
        assert!(!is_html);
        assert!(text.starts_with("Pay hereあ\n"), "{text}");
        assert!(text.contains("HYPERLINK \"http://203.0.113.9/\"") && text.contains("click"));
    }

    #[test]
    fn compressed_rtf_is_checked_before_it_is_decoded() {
        let rtf = r"{\rtf1\ansi Hello\par}";
        let packed = compressed_rtf::compress_rtf(rtf).unwrap();
        assert_eq!(rtf_body(&packed), Some(("Hello\n".to_string(), false)));
        // Short, truncated, lying about its size, a forged huge raw size: refused, no panic.
        assert_eq!(rtf_body(&packed[..10]), None);
        assert_eq!(rtf_body(&packed[..packed.len() - 1]), None);
        let mut forged = packed.clone();
        forged[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(rtf_body(&forged), None);
        let mut mela = vec![0u8; 20];
        mela[0..4].copy_from_slice(&16u32.to_le_bytes());
        mela[4..8].copy_from_slice(&1000u32.to_le_bytes());
        mela[8..12].copy_from_slice(&0x414C_454Du32.to_le_bytes());
        assert_eq!(rtf_body(&mela), None);
    }

    #[test]
    fn hostile_rtf_never_panics() {
        for rtf in [
            "{",
            "}}}}",
            "\\",
            "\\'",
            "\\'zz",
            "\\u-99999999999999999999",
            "\\u",
            "{\\*\\",
            "{\\*\\htmltag",
            "\\uc999999999999999999 \\u65 abc",
            "\\'\u{e9}\\\u{e9}x\\u65\u{3042}\u{3042}",
            &"{".repeat(100_000),
        ] {
            let _ = rtf_to_text(rtf);
            let _ = rtf_to_text(&format!("\\fromhtml1 {rtf}"));
        }
    }

    #[test]
    fn filetimes() {
        assert_eq!(filetime_to_unix(116_444_736_000_000_000), Some(0));
        assert_eq!(filetime_to_unix(0), None);
        assert_eq!(filetime_to_unix(u64::MAX), None);
    }
}
