//! The analysis view of a message: owned, decoded, flat, built from mail-parser.

pub mod auth_results;
pub mod containers;
pub mod expand;
pub mod links;
pub mod mapi;
pub mod opener;
mod params;

use crate::config::Limits;
use crate::finding::Finding;
pub use links::Link;
use mail_parser::{HeaderName, HeaderValue, MessageParser, MimeHeaders, PartType};
use serde::Serialize;
use std::borrow::Cow;
use std::time::{Duration, Instant};

/// Addresses kept per address field (From, To, Cc...): real mail names a few, at most a few
/// hundred; the sender checks look at each.
pub const MAX_ADDRESSES: usize = 1000;

/// A mailbox as written in a header: display name and address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: Option<String>,
}

impl Mailbox {
    /// The lower-cased domain of the address, if it has one.
    pub fn domain(&self) -> Option<String> {
        let addr = self.address.as_deref()?;
        let (_, domain) = addr.rsplit_once('@')?;
        let domain = domain.trim().trim_end_matches('.').to_lowercase();
        (!domain.is_empty()).then_some(domain)
    }

    /// The address as reports count it, its domain lower-cased (`Taro@example.jp`); a mailbox
    /// with no address counts by the address written in its name, else by its name.
    pub fn counted_address(&self) -> String {
        let addr = match &self.address {
            Some(a) => a.trim(),
            None => written_address(self.name.as_deref().unwrap_or("")).trim(),
        };
        match addr.rsplit_once('@') {
            Some((user, domain)) => format!("{user}@{}", domain.to_lowercase()),
            None => addr.to_string(),
        }
    }

    /// The lower-cased domain reports count the mailbox under: its address's, or for a mailbox
    /// with no address, that of an address written in its name.
    pub fn counted_domain(&self) -> Option<String> {
        if self.address.is_some() {
            return self.domain();
        }
        let addr = written_address(self.name.as_deref()?);
        let (_, domain) = addr.rsplit_once('@')?;
        let domain = domain.trim().trim_end_matches('.').to_lowercase();
        (!domain.is_empty()).then_some(domain)
    }

    /// `Name <address>` or whichever of the two exists.
    pub fn display(&self) -> String {
        match (&self.name, &self.address) {
            (Some(n), Some(a)) => format!("{n} <{a}>"),
            (None, Some(a)) => a.clone(),
            (Some(n), None) => n.clone(),
            (None, None) => String::new(),
        }
    }
}

/// The part of `text` in its last `<>`, else all of it.
fn written_address(text: &str) -> &str {
    match (text.rfind('<'), text.rfind('>')) {
        (Some(a), Some(b)) if a < b => text.get(a + 1..b).unwrap_or(text),
        _ => text,
    }
}

/// The SMTP envelope, when a front end knows it (milter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope {
    pub mail_from: Option<String>,
    pub rcpt_to: Vec<String>,
    pub client_addr: Option<String>,
    pub helo: Option<String>,
    pub auth_user: Option<String>,
}

/// A decoded text or HTML body part.
#[derive(Debug, Clone)]
pub struct TextPart {
    pub location: String,
    pub text: String,
    /// The charset the part declared (lower case), if any.
    pub charset: Option<String>,
}

/// A file carried by the message, attached or inline, or found inside another attachment.
#[derive(Debug, Clone, Default)]
pub struct Attachment {
    /// MIME path and name: `2/請求書.pdf.exe`; inside a container `2/a.zip!/b.exe`.
    pub location: String,
    /// The decoded file name, if the sender gave one.
    pub name: Option<String>,
    /// Declared `type/subtype`, lower-cased.
    pub content_type: String,
    pub data: Vec<u8>,
    /// How many containers it is inside: 0 for a MIME part.
    pub depth: usize,
    /// Index in `Message::attachments` of the container it came from.
    pub parent: Option<usize>,
    /// A container some or all of whose contents are password-protected.
    pub encrypted: bool,
    /// What the Office reader found when the container stage opened this file (an OLE2 or RTF
    /// document), so the Office check judges it without reading it again. `None` for other
    /// files and for documents the stage did not open (nested too deep, out of time).
    pub office: Option<std::sync::Arc<crate::formats::office::Document>>,
}

/// What reports say about the message itself.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub message_id: Option<String>,
    pub date: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub subject: Option<String>,
    /// The domain the first From mailbox counts under (`Mailbox::counted_domain`).
    #[serde(skip)]
    pub from_domain: Option<String>,
    /// The To addresses as counted (`Mailbox::counted_address`), in order.
    #[serde(skip)]
    pub to_addresses: Vec<String>,
}

/// The message as the checks see it.
#[derive(Debug, Clone, Default)]
pub struct Message {
    /// Top-level header fields in order: name and unfolded raw value.
    pub headers: Vec<(String, String)>,
    pub from: Vec<Mailbox>,
    pub sender: Vec<Mailbox>,
    pub reply_to: Vec<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub return_path: Option<String>,
    pub subject: Option<String>,
    pub date: Option<String>,
    pub message_id: Option<String>,
    pub envelope: Envelope,
    pub texts: Vec<TextPart>,
    pub htmls: Vec<TextPart>,
    pub links: Vec<Link>,
    pub attachments: Vec<Attachment>,
    /// What parsing itself found: limits hit, no header at all.
    pub structural: Vec<Finding>,
    /// Text several checks read, made once on first use (see `checks::text`).
    pub derived: Derived,
    /// When the scan's time budget (`limits.scan_time_ms`) runs out: container expansion and the
    /// costly attachment checks stop there (LIMIT_TIME_BUDGET). `None`: no deadline.
    pub deadline: Option<Instant>,
}

impl Message {
    /// Whether the scan's time budget is spent: the costly checks look before each attachment.
    pub fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Text and file types derived from the parts, made once per message on first use. The checks
/// only read a message, so it cannot go stale once they run.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub(crate) all_text: std::sync::OnceLock<String>,
    pub(crate) body_text: std::sync::OnceLock<String>,
    /// `body_text` with its ASCII letters lower-cased (same length, same offsets), for the
    /// checks that look for ASCII words with case ignored.
    pub(crate) body_text_ascii_lower: std::sync::OnceLock<String>,
    /// `all_text` lower-cased with white space collapsed, for the wording checks.
    pub(crate) all_text_lowered: std::sync::OnceLock<String>,
    /// Each of `Message::htmls` as text, in order.
    pub(crate) html_texts: std::sync::OnceLock<Vec<String>>,
    /// The real type of each of `Message::attachments`, in order (several checks ask).
    pub(crate) sniffed: std::sync::OnceLock<Vec<crate::formats::sniff::Sniffed>>,
}

impl Message {
    pub fn summary(&self) -> Summary {
        Summary {
            message_id: self.message_id.clone(),
            date: self.date.clone(),
            from: self.from.first().map(Mailbox::display),
            to: self.to.iter().map(Mailbox::display).collect(),
            subject: self.subject.clone(),
            from_domain: self.from.first().and_then(Mailbox::counted_domain),
            to_addresses: self.to.iter().map(Mailbox::counted_address).collect(),
        }
    }
}

/// Parses raw bytes into a `Message`. `None` only for empty input: anything else, however
/// broken, becomes a message plus structural findings. The time budget starts now. Opens the
/// containers this layer reads (`expand::CONTAINERS`); `parse_with` takes the table of openers
/// to use (the engine's has the document readers too).
pub fn parse(raw: &[u8], limits: &Limits) -> Option<Message> {
    parse_with(raw, limits, &expand::CONTAINERS)
}

/// `parse` opening the containers `openers` reads.
pub fn parse_with(raw: &[u8], limits: &Limits, openers: &expand::Openers) -> Option<Message> {
    parse_until(raw, limits, deadline_from_now(limits), openers)
}

/// The deadline of a scan that starts now.
pub fn deadline_from_now(limits: &Limits) -> Option<Instant> {
    Instant::now().checked_add(Duration::from_millis(limits.scan_time_ms))
}

/// `parse` with the scan's deadline: container expansion stops opening containers past it.
pub fn parse_until(
    raw: &[u8],
    limits: &Limits,
    deadline: Option<Instant>,
    openers: &expand::Openers,
) -> Option<Message> {
    if raw.is_empty() {
        return None;
    }
    // An Outlook item saved from Outlook (`.msg`, what staff hand to IT) is read as the
    // Internet message it stands for; the conversion cannot nest (its output is MIME).
    if raw.starts_with(&crate::formats::sniff::OLE2_MAGIC)
        && let Some(mime) = containers::outlook::to_mime(raw)
    {
        return parse_until(&mime, limits, deadline, openers);
    }
    let (bytes, nested) = bound_nested_messages(raw, limits.max_nested_messages);
    let (bytes, header_fields) = bound_header_fields(bytes.as_ref(), limits.max_header_fields);
    let part_cap = limits.max_header_fields.saturating_mul(PART_FIELDS_FACTOR);
    let (bytes, field_lines) = bound_field_lines(bytes, part_cap);
    let Some(parsed) = MessageParser::default().parse(bytes.as_ref()) else {
        return Some(not_a_message(raw, limits, deadline, openers));
    };
    let mut msg = Message {
        deadline,
        ..Message::default()
    };
    if nested > limits.max_nested_messages {
        msg.structural.push(
            Finding::new("LIMIT_NESTED_MESSAGES", "message")
                .with("count", nested.to_string())
                .with("limit", limits.max_nested_messages.to_string()),
        );
    }
    read_headers(&parsed, &mut msg, limits, header_fields);
    if field_lines > part_cap {
        msg.structural.push(
            Finding::new("LIMIT_HEADER", "message")
                .with(
                    "detail",
                    format!(
                        "{field_lines} lines shaped like header fields, over {PART_FIELDS_FACTOR} \
                         × limits.max_header_fields = {part_cap}; those past it were read as text"
                    ),
                )
                .with(
                    "detail_ja",
                    format!(
                        "ヘッダーフィールドの形の行が {field_lines} 行あり、limits.max_header_fields の \
                         {PART_FIELDS_FACTOR} 倍（{part_cap}）を超えています。超えた分は本文として読みました"
                    ),
                ),
        );
    }
    if msg.headers.is_empty() {
        return Some(not_a_message(raw, limits, deadline, openers));
    }
    let mut walk = Walk {
        msg: &mut msg,
        parts_seen: 0,
        max_parts: limits.max_parts,
        parsed_links: links::Parsed::default(),
    };
    walk.all(&parsed);
    let seen = walk.parts_seen;
    if seen > limits.max_parts {
        msg.structural.push(
            Finding::new("LIMIT_PARTS", "message")
                .with("count", seen.to_string())
                .with("limit", limits.max_parts.to_string()),
        );
    }
    // `parsed` borrows `bytes`; both are dropped here, with nesting bounded above.
    drop(parsed);
    expand::expand(&mut msg, limits, openers);
    if msg.links.len() >= links::MAX_LINKS {
        msg.structural.push(
            Finding::new("LIMIT_LINKS", "message").with("limit", links::MAX_LINKS.to_string()),
        );
    }
    Some(msg)
}

/// A message that carries one file and nothing else, for analysing bare files (`scan
/// --attachment`) exactly as if they had been attached to a mail: the attachment's location and
/// name are `name`, its declared type `application/octet-stream`, and containers in it are opened
/// as usual.
pub fn from_file(name: &str, data: &[u8], limits: &Limits) -> Message {
    from_file_until(
        name,
        data,
        limits,
        deadline_from_now(limits),
        &expand::CONTAINERS,
    )
}

/// `from_file` with the scan's deadline.
pub fn from_file_until(
    name: &str,
    data: &[u8],
    limits: &Limits,
    deadline: Option<Instant>,
    openers: &expand::Openers,
) -> Message {
    let mut msg = Message {
        deadline,
        ..Message::default()
    };
    msg.attachments.push(Attachment {
        location: name.to_string(),
        name: (!name.is_empty()).then(|| name.to_string()),
        content_type: "application/octet-stream".into(),
        data: data.to_vec(),
        ..Attachment::default()
    });
    expand::expand(&mut msg, limits, openers);
    msg
}

/// Input with no header fields (a PDF, a program, a text file): not a message, but its bytes are
/// still judged, as the one file it holds (location `1`).
fn not_a_message(
    raw: &[u8],
    limits: &Limits,
    deadline: Option<Instant>,
    openers: &expand::Openers,
) -> Message {
    let mut msg = from_file_until("", raw, limits, deadline, openers);
    if let Some(att) = msg.attachments.first_mut() {
        att.location = "1".into();
    }
    for att in msg.attachments.iter_mut().skip(1) {
        if let Some(rest) = att.location.strip_prefix("!/") {
            att.location = format!("1!/{rest}");
        }
    }
    msg.structural
        .insert(0, Finding::new("HEADER_NONE", "header"));
    msg
}

/// mail-parser drops nested `message/*` parts recursively, so tens of thousands of them overflow
/// the stack (CRATES.md). Past `limit`, `message/` content types are renamed to an unknown type of
/// the same length, which mail-parser keeps as an opaque attachment. Returns the bytes to parse and
/// how many nested-message content types there were.
pub(crate) fn bound_nested_messages(raw: &[u8], limit: usize) -> (Cow<'_, [u8]>, usize) {
    const NEEDLE: &[u8] = b"message/";
    // The slash is the one byte of `message/rfc822` and `message/global` that has no case; it
    // is found with the `e` before it (either case) by memchr's two-byte search, and only then
    // are its neighbours compared, ignoring case. A slash alone stopped the search every 64
    // bytes of base64.
    let mut slashes: Vec<usize> = memchr::memmem::find_iter(raw, b"e/")
        .chain(memchr::memmem::find_iter(raw, b"E/"))
        .map(|at| at + 1)
        .collect();
    slashes.sort_unstable();
    let mut positions = Vec::new();
    for slash in slashes {
        let (Some(before), Some(after)) = (
            slash.checked_sub(7).and_then(|s| raw.get(s..slash)),
            raw.get(slash + 1..slash + 7),
        ) else {
            continue;
        };
        if before.eq_ignore_ascii_case(b"message")
            && (after.eq_ignore_ascii_case(b"rfc822") || after.eq_ignore_ascii_case(b"global"))
        {
            positions.push(slash - 7);
        }
    }
    let count = positions.len();
    if count <= limit {
        return (Cow::Borrowed(raw), count);
    }
    let mut owned = raw.to_vec();
    for &at in &positions[limit..] {
        owned[at..at + NEEDLE.len()].copy_from_slice(b"xnested/");
    }
    (Cow::Owned(owned), count)
}

/// Adds a field's addresses to `out`, at most `MAX_ADDRESSES` in all; returns how many there
/// were past that.
/// Field names kept past `max` fields when the header is trimmed before parsing: they shape the
/// MIME structure or are what the sender checks read.
const KEPT_FIELDS: &[&str] = &[
    "content-",
    "mime-version",
    "from",
    "sender",
    "reply-to",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "return-path",
];

/// mail-parser builds a structure per header field (a `Received` takes hundreds of bytes), so two
/// million fields took 1 GB. Past `max` fields, the top-level header is trimmed before parsing to
/// the first `max` fields plus at most `max` later ones named in `KEPT_FIELDS`. Returns the bytes
/// to parse and how many fields the header had.
pub(crate) fn bound_header_fields(raw: &[u8], max: usize) -> (Cow<'_, [u8]>, usize) {
    // Two passes without storing positions: a file of short lines would otherwise make a list
    // as large as itself.
    let count = HeaderFields::new(raw).count();
    if count <= max {
        return (Cow::Borrowed(raw), count);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut extra = 0;
    let mut fields = HeaderFields::new(raw);
    for (n, field) in fields.by_ref().enumerate() {
        let keep = n < max
            || (extra < max && {
                let name = field.split(|&b| b == b':').next().unwrap_or_default();
                let name = String::from_utf8_lossy(name).trim().to_ascii_lowercase();
                KEPT_FIELDS
                    .iter()
                    .any(|k| name == *k || (k.ends_with('-') && name.starts_with(k)))
            });
        if keep {
            if n >= max {
                extra += 1;
            }
            out.extend_from_slice(field);
        }
    }
    out.extend_from_slice(raw.get(fields.at..).unwrap_or_default());
    (Cow::Owned(out), count)
}

/// Lines shaped like header fields (`Name: value`) a message may have in all, as a multiple of
/// `limits.max_header_fields`: far above any real message, even one quoting long logs.
pub(crate) const PART_FIELDS_FACTOR: usize = 100;

/// The lines of `bytes`, each with its line feed.
fn lines_of(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = bytes.get(at..).filter(|r| !r.is_empty())?;
        let len = memchr::memchr(b'\n', rest).map_or(rest.len(), |n| n + 1);
        at += len;
        rest.get(..len)
    })
}

/// Whether `line` starts with a header field name and its colon.
fn field_like(line: &[u8]) -> bool {
    let name_len = line
        .iter()
        .take_while(|&&b| b.is_ascii_graphic() && b != b':')
        .count();
    name_len > 0 && line.get(name_len) == Some(&b':')
}

/// The top-level header is bounded by `bound_header_fields`, but the headers of MIME parts and
/// nested messages are not: two million fields in one part made mail-parser take 856 MB. Past
/// `max` lines shaped like header fields in the whole message, each further one is indented by
/// a space before parsing, so it reads as a continuation or as text instead of a field of its
/// own. Returns the bytes to parse and how many such lines there were when that is over `max`
/// (otherwise a number no larger than `max`, counted only as far as needed).
pub(crate) fn bound_field_lines(raw: Cow<'_, [u8]>, max: usize) -> (Cow<'_, [u8]>, usize) {
    // A field-like line takes three bytes at least (`a:` and its line feed) and there are no
    // more of them than lines: most messages are too short or have too few lines to reach `max`,
    // and need no look at each line (a pass byte by byte over every attachment's base64).
    if raw.len() / 3 < max || memchr::memchr_iter(b'\n', raw.as_ref()).take(max).count() < max {
        return (raw, 0);
    }
    let count = lines_of(raw.as_ref()).filter(|l| field_like(l)).count();
    if count <= max {
        return (raw, count);
    }
    let mut out = Vec::with_capacity(raw.len() + (count - max));
    let mut seen = 0usize;
    for line in lines_of(raw.as_ref()) {
        if field_like(line) {
            seen += 1;
            if seen > max {
                out.push(b' ');
            }
        }
        out.extend_from_slice(line);
    }
    (Cow::Owned(out), count)
}

/// The fields of a top-level header in raw bytes, each with its continuation lines; afterwards
/// `at` is where the blank line before the body starts (or the end).
struct HeaderFields<'a> {
    raw: &'a [u8],
    at: usize,
}

impl<'a> HeaderFields<'a> {
    fn new(raw: &'a [u8]) -> Self {
        HeaderFields { raw, at: 0 }
    }

    /// The end of the line starting at `at` (after its newline).
    fn line_end(&self, at: usize) -> usize {
        memchr::memchr(b'\n', self.raw.get(at..).unwrap_or_default())
            .map_or(self.raw.len(), |n| at + n + 1)
    }
}

impl<'a> Iterator for HeaderFields<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        let first = self.raw.get(start..self.line_end(start))?;
        if first.is_empty() || first == b"\n" || first == b"\r\n" {
            return None;
        }
        let mut end = start + first.len();
        while let Some(b' ' | b'\t') = self.raw.get(end) {
            end = self.line_end(end);
        }
        self.at = end;
        self.raw.get(start..end)
    }
}

fn mailboxes(value: &HeaderValue<'_>, out: &mut Vec<Mailbox>) -> usize {
    let mut over = 0;
    if let HeaderValue::Address(addr) = value {
        for a in addr.iter() {
            if out.len() >= MAX_ADDRESSES {
                over += 1;
                continue;
            }
            out.push(Mailbox {
                // Encoded-words touching other text are left by the parser; mail programs
                // decode them, so the checks read them decoded too.
                name: a
                    .name()
                    .map(|s| crate::text::encoded_words::decode_in_text(s.trim()).into_owned())
                    .filter(|s| !s.is_empty()),
                address: a.address().map(|s| s.trim().to_string()),
            });
        }
    }
    over
}

/// Reads the top-level header: the fields the checks see are bounded by
/// `limits.max_header_fields` and `limits.max_header_bytes` (each value cut there), address
/// fields by `MAX_ADDRESSES`; past any of these, a LIMIT_HEADER finding says what was cut.
fn read_headers(
    parsed: &mail_parser::Message<'_>,
    msg: &mut Message,
    limits: &Limits,
    raw_fields: usize,
) {
    let mut fields = 0usize;
    let mut longest: Option<(String, usize)> = None;
    // mail-parser reads a line of junk as a header name; only RFC 5322 field names count.
    for (name, value) in parsed.headers_raw().filter(|(n, _)| is_field_name(n)) {
        fields += 1;
        if fields > limits.max_header_fields {
            continue;
        }
        let mut value = unfold(value);
        if value.len() > limits.max_header_bytes {
            if longest.as_ref().is_none_or(|(_, len)| value.len() > *len) {
                longest = Some((name.to_string(), value.len()));
            }
            value.truncate(floor_char_boundary(&value, limits.max_header_bytes));
        }
        msg.headers.push((name.to_string(), value));
    }
    // What was cut, in English and Japanese.
    let mut cut = Vec::new();
    let mut cut_ja = Vec::new();
    let fields = fields.max(raw_fields);
    if fields > limits.max_header_fields {
        let max = limits.max_header_fields;
        cut.push(format!(
            "{fields} fields, over limits.max_header_fields = {max}; only the first were read"
        ));
        cut_ja.push(format!(
            "フィールドが {fields} 個あり、limits.max_header_fields = {max} を超えています。最初の分だけを読みました"
        ));
    }
    if let Some((name, len)) = longest {
        let max = limits.max_header_bytes;
        cut.push(format!(
            "the {name} field is {len} bytes long, over limits.max_header_bytes = {max}; \
             only its start was read"
        ));
        cut_ja.push(format!(
            "{name} フィールドが {len} バイトあり、limits.max_header_bytes = {max} を超えています。先頭だけを読みました"
        ));
    }
    let mut addresses_over = 0;
    for h in parsed.headers() {
        let list = match h.name {
            HeaderName::From => &mut msg.from,
            HeaderName::Sender => &mut msg.sender,
            HeaderName::ReplyTo => &mut msg.reply_to,
            HeaderName::To => &mut msg.to,
            HeaderName::Cc => &mut msg.cc,
            _ => continue,
        };
        addresses_over += mailboxes(&h.value, list);
    }
    if addresses_over > 0 {
        cut.push(format!(
            "{addresses_over} addresses past the {MAX_ADDRESSES} read per field"
        ));
        cut_ja.push(format!(
            "1 フィールドあたり {MAX_ADDRESSES} 件を超えるアドレス {addresses_over} 件は読んでいません"
        ));
    }
    if !cut.is_empty() {
        msg.structural.push(
            Finding::new("LIMIT_HEADER", "header")
                .with("detail", cut.join("; "))
                .with("detail_ja", cut_ja.join("。")),
        );
    }
    msg.return_path = parsed.return_address().map(str::to_string);
    msg.subject = parsed.subject().map(|s| {
        let mut s = s.to_string();
        s.truncate(floor_char_boundary(&s, limits.max_header_bytes));
        s
    });
    msg.date = parsed.date().map(|d| d.to_rfc3339());
    msg.message_id = parsed.message_id().map(str::to_string);
}

/// The largest character boundary of `s` at or below `max`.
fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// RFC 5322 `field-name`: printable ASCII except the colon.
fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| (33..=126).contains(&b) && b != b':')
}

/// A header value without its line breaks, trimmed.
fn unfold(value: &str) -> String {
    if memchr::memchr2(b'\r', b'\n', value.as_bytes()).is_none() {
        return value.trim().to_string();
    }
    // The pieces between the breaks found with memchr: splitting on a pattern of characters
    // decoded every character of every header (a tenth of the parse outside mail-parser).
    let mut joined = String::with_capacity(value.len());
    let mut from = 0;
    for at in memchr::memchr2_iter(b'\r', b'\n', value.as_bytes()) {
        joined.push_str(value.get(from..at).unwrap_or_default());
        from = at + 1;
    }
    joined.push_str(value.get(from..).unwrap_or_default());
    joined.trim().to_string()
}

struct Walk<'m> {
    msg: &'m mut Message,
    parts_seen: usize,
    max_parts: usize,
    /// Link destinations parsed so far.
    parsed_links: links::Parsed,
}

impl<'m> Walk<'m> {
    /// Visits every part under part 0 of `root` in document order, with its MIME path (IMAP
    /// numbering). Iterative: nesting depth costs heap, not stack (10,000 nested multiparts
    /// would overflow a thread's stack).
    fn all<'p>(&mut self, root: &'p mail_parser::Message<'p>) {
        // Counting goes on past `max_parts`, but not for ever.
        let count_cap = self.max_parts.saturating_mul(100);
        let mut stack: Vec<(&'p mail_parser::Message<'p>, u32, String, bool)> =
            vec![(root, 0, String::new(), true)];
        // mail-parser can leave a multipart listing itself or an ancestor among its children
        // (found by fuzzing: a nested message whose header runs into the outer boundary); each
        // part is visited once, or the walk goes round until the count cap with ever longer
        // paths (a 30 KB message took 20 s and 6 GB).
        let mut visited: std::collections::HashSet<(usize, u32)> = std::collections::HashSet::new();
        while let Some((parsed, id, path, is_root)) = stack.pop() {
            if !visited.insert((std::ptr::from_ref(parsed) as usize, id)) {
                continue;
            }
            let Some(part) = parsed.part(id) else {
                continue;
            };
            self.parts_seen += 1;
            if self.parts_seen >= count_cap {
                return;
            }
            let analyse = self.parts_seen <= self.max_parts;
            let here = if is_root && !matches!(part.body, PartType::Multipart(_)) {
                child_path(&path, 1)
            } else {
                path.clone()
            };
            match &part.body {
                PartType::Multipart(children) => {
                    for (n, &child) in children.iter().enumerate().rev() {
                        stack.push((parsed, child, child_path(&path, n + 1), false));
                    }
                }
                PartType::Message(nested) => stack.push((nested, 0, here, true)),
                _ if analyse => self.leaf(parsed, id, part, here),
                _ => {}
            }
        }
    }

    /// A part that is not a container: a body text or a file.
    fn leaf(
        &mut self,
        parsed: &mail_parser::Message<'_>,
        id: u32,
        part: &mail_parser::MessagePart<'_>,
        here: String,
    ) {
        let is_attachment = parsed.attachments.contains(&id);
        match &part.body {
            PartType::Text(text) => {
                links::from_text(text, &here, &mut self.msg.links, &mut self.parsed_links);
                if is_attachment {
                    self.attachment(parsed, part, &here, text.as_bytes());
                } else {
                    self.text_limit(
                        &here,
                        "text",
                        text.len(),
                        crate::text::html_text::MAX_PART_CHARS,
                    );
                    self.msg.texts.push(TextPart {
                        location: here,
                        text: text.to_string(),
                        charset: declared_charset(part),
                    });
                }
            }
            PartType::Html(html) => {
                links::from_html(html, &here, &mut self.msg.links, &mut self.parsed_links);
                if is_attachment {
                    self.attachment(parsed, part, &here, html.as_bytes());
                } else {
                    self.text_limit(
                        &here,
                        "HTML",
                        html.len(),
                        crate::text::html_text::MAX_HTML_BYTES,
                    );
                    self.msg.htmls.push(TextPart {
                        location: here,
                        text: html.to_string(),
                        charset: declared_charset(part),
                    });
                }
            }
            PartType::Binary(data) | PartType::InlineBinary(data) => {
                self.attachment(parsed, part, &here, data);
            }
            PartType::Multipart(_) | PartType::Message(_) => {}
        }
    }

    /// A body part longer than the wording checks read says so (a lure padded past the limit
    /// would otherwise go unread).
    fn text_limit(&mut self, here: &str, kind: &str, len: usize, limit: usize) {
        if len > limit {
            self.msg.structural.push(
                Finding::new("LIMIT_TEXT", here)
                    .with("part", here)
                    .with("kind", kind)
                    .with("kind_ja", if kind == "text" { "テキスト" } else { kind })
                    .with("bytes", len.to_string())
                    .with("limit", limit.to_string()),
            );
        }
    }

    fn attachment(
        &mut self,
        parsed: &mail_parser::Message<'_>,
        part: &mail_parser::MessagePart<'_>,
        path: &str,
        data: &[u8],
    ) {
        let name = rfc2231_name(parsed, part).or_else(|| part.attachment_name().map(fix_name));
        let content_type = part
            .content_type()
            .map(|ct| match ct.subtype() {
                Some(sub) => format!("{}/{}", ct.ctype(), sub),
                None => ct.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into())
            .to_lowercase();
        self.msg.attachments.push(Attachment {
            location: format!("{path}/{}", name.as_deref().unwrap_or("")),
            name,
            content_type,
            data: data.to_vec(),
            ..Attachment::default()
        });
    }
}

/// The `charset` parameter of a part's Content-Type, lower-cased.
fn declared_charset(part: &mail_parser::MessagePart<'_>) -> Option<String> {
    part.content_type()
        .and_then(|ct| ct.attribute("charset"))
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
}

fn child_path(parent: &str, n: usize) -> String {
    if parent.is_empty() {
        n.to_string()
    } else {
        format!("{parent}.{n}")
    }
}

/// The file name from the raw Content-Disposition (`filename`) or Content-Type (`name`)
/// parameters when they use RFC 2231 encoding, decoded whole (see `params`).
fn rfc2231_name(
    parsed: &mail_parser::Message<'_>,
    part: &mail_parser::MessagePart<'_>,
) -> Option<String> {
    let raw = parsed.raw_message();
    let header = |name: HeaderName<'_>, param: &str| {
        let h = part.headers.iter().find(|h| h.name == name)?;
        let value = raw.get(h.offset_start as usize..h.offset_end as usize)?;
        params::rfc2231(&String::from_utf8_lossy(value), param)
    };
    header(HeaderName::ContentDisposition, "filename")
        .or_else(|| header(HeaderName::ContentType, "name"))
        .filter(|n| !n.trim().is_empty())
}

/// mail-parser 0.11 gives only the first RFC 2231 section its charset, so long ISO-2022-JP names
/// keep raw escape sequences (CRATES.md): decode those.
fn fix_name(name: &str) -> String {
    if name.contains('\x1b') {
        let (decoded, _, _) = encoding_rs::ISO_2022_JP.decode(name.as_bytes());
        decoded.into_owned()
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {

    /// A display name with encoded-words touching its text is read as mail programs show it.
    #[test]
    fn encoded_words_glued_into_a_display_name_are_decoded() {
        let raw = "From: \" \"~..=?UTF-8?B?RW50cmVnYSBwZXJkaWRh?=..\" \" <263368@mail.example>\n\
To: David H=?ISO-8859-1?B?9g==?=hn <dh@uptime.example>\nSubject: s\n\nx\n";
        let msg = parse(raw.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(
            msg.from[0].name.as_deref().map(str::trim),
            Some("~..Entrega perdida..")
        );
        assert_eq!(msg.to[0].name.as_deref(), Some("David Höhn"));
    }

    /// Reports count a mailbox by its address, domain lower-cased; one with no address by the
    /// address written in its name.
    #[test]
    fn mailboxes_are_counted_by_their_address() {
        let m = |name: Option<&str>, address: Option<&str>| Mailbox {
            name: name.map(str::to_string),
            address: address.map(str::to_string),
        };
        let bank = m(Some("Bank"), Some("Alerts@Bank.Example."));
        assert_eq!(bank.counted_domain().as_deref(), Some("bank.example"));
        assert_eq!(bank.counted_address(), "Alerts@bank.example.");
        let written = m(Some("Taro <Taro@Example.JP>"), None);
        assert_eq!(written.counted_address(), "Taro@example.jp");
        assert_eq!(written.counted_domain().as_deref(), Some("example.jp"));
        assert_eq!(m(Some("no address"), None).counted_domain(), None);
        assert_eq!(m(Some("no address"), None).counted_address(), "no address");
        assert_eq!(m(Some("x@y.example"), Some("")).counted_domain(), None);
        assert_eq!(m(None, None).counted_address(), "");
    }

    /// Header floods inside a MIME part are bounded too: past 100 × `max_header_fields` lines
    /// shaped like fields, the rest are read as text, and LIMIT_HEADER says so.
    #[test]
    fn header_fields_flooding_a_part_are_read_as_text() {
        let mut raw = b"From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\
Content-Type: text/plain\n"
            .to_vec();
        for n in 0..300 {
            raw.extend_from_slice(format!("X-Flood-{n}: v\n").as_bytes());
        }
        raw.extend_from_slice(b"\nVerify your account\n--b--\n");
        let limits = Limits {
            max_header_fields: 2,
            ..Limits::default()
        };
        let msg = parse(&raw, &limits).unwrap();
        let f = msg
            .structural
            .iter()
            .find(|f| f.rule == "LIMIT_HEADER" && f.location == "message")
            .expect("LIMIT_HEADER");
        assert!(f.evidence[0].1.starts_with("303 lines"), "{:?}", f.evidence);
        // The text after the flood is still read.
        assert!(
            msg.texts
                .iter()
                .any(|t| t.text.contains("Verify your account"))
        );
        // Under the cap nothing changes.
        let (same, count) = bound_field_lines(Cow::Borrowed(&raw[..]), 1000);
        assert!(matches!(same, Cow::Borrowed(_)) && count <= 1000);
        // Exactly at the cap nothing changes either; one line more is indented.
        let at_cap = b"A: 1\n".repeat(5);
        let (same, count) = bound_field_lines(Cow::Borrowed(&at_cap[..]), 5);
        assert!(matches!(same, Cow::Borrowed(_)) && count <= 5);
        let over = b"A: 1\n".repeat(6);
        let (cut, count) = bound_field_lines(Cow::Borrowed(&over[..]), 5);
        assert_eq!(count, 6);
        assert!(cut.ends_with(b"A: 1\n A: 1\n"));
        // Without a final line feed the last line still counts.
        let (_, count) = bound_field_lines(Cow::Borrowed(&b"A:\nB:\nC:"[..]), 2);
        assert_eq!(count, 3);
        let (cut, _) = bound_field_lines(Cow::Borrowed(&b"A: 1\nB: 2\nbody\nC: 3\n"[..]), 2);
        assert_eq!(&cut[..], b"A: 1\nB: 2\nbody\n C: 3\n");
    }

    /// Found by `cargo fuzz run scan` (an OOM): a nested message whose only header field is
    /// another `message/rfc822` type, its header running into the outer boundary. mail-parser
    /// leaves a cycle among the parts; walked naively it took 20 s and 6 GB for 14 lines.
    #[test]
    fn fuzz_part_cycle_is_walked_once() {
        let raw: &[u8] = b"Content-Type: multipart/mixed;\n boundary=\"=_b\"\n\n--=_b\n\
Content-Type: message/rfc822;\n\nContent-Type: message/rfc822;\n\r\n   \r\n--=_b\n\
Content-Type: message/rfc822;\n\n\n--=_b--";
        let msg = parse_default(raw);
        assert!(
            !msg.structural.iter().any(|f| f.rule == "LIMIT_PARTS"),
            "{:?}",
            msg.structural
        );
    }

    use super::*;

    fn parse_default(raw: &[u8]) -> Message {
        parse(raw, &Limits::default()).expect("non-empty input parses")
    }

    #[test]
    fn nested_message_types_are_counted_in_any_case_and_bounded() {
        let raw = b"Content-Type: MESSAGE/RFC822\n/x message/ rfc822 Message/Global\n\
mEsSaGe/rFc822 message/rfc82 /message/global/";
        let (out, count) = bound_nested_messages(raw, 2);
        assert_eq!(count, 4);
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("MESSAGE/RFC822") && text.contains("Message/Global"));
        assert!(text.contains("xnested/rFc822") && text.contains("/xnested/global/"));
        assert!(text.contains("message/rfc82 "), "{text}");
        let (kept, n) = bound_nested_messages(b"/rfc822 message/", 0);
        assert_eq!((n, kept.as_ref()), (0, &b"/rfc822 message/"[..]));
    }

    #[test]
    fn empty_input_is_none() {
        assert!(parse(b"", &Limits::default()).is_none());
    }

    #[test]
    fn multipart_paths_names_and_links() {
        let raw = b"From: \"Bank\" <a@b.example>\r\nTo: x@y.example\r\nSubject: hi\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n\
--XX\r\nContent-Type: multipart/alternative; boundary=YY\r\n\r\n\
--YY\r\nContent-Type: text/plain\r\n\r\nsee https://a.example/x\r\n\
--YY\r\nContent-Type: text/html\r\n\r\n<a href=\"https://evil.example/\">https://bank.example/</a>\r\n\
--YY--\r\n\
--XX\r\nContent-Type: application/octet-stream; name=\"a.pdf.exe\"\r\n\
Content-Disposition: attachment; filename=\"a.pdf.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAA==\r\n\
--XX--\r\n";
        let m = parse_default(raw);
        assert_eq!(m.from[0].name.as_deref(), Some("Bank"));
        assert_eq!(m.from[0].domain().as_deref(), Some("b.example"));
        assert_eq!(m.texts[0].location, "1.1");
        assert_eq!(m.htmls[0].location, "1.2");
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].location, "2/a.pdf.exe");
        assert_eq!(m.attachments[0].data, b"MZ\x90\x00");
        assert_eq!(m.links.len(), 2);
        assert_eq!(m.links[1].text.as_deref(), Some("https://bank.example/"));
    }

    #[test]
    fn single_part_body_is_part_one() {
        let m = parse_default(b"Subject: x\n\nhello\n");
        assert_eq!(m.texts[0].location, "1");
        assert!(m.structural.is_empty());
    }

    #[test]
    fn binary_blob_has_no_headers() {
        let m = parse_default(&[0u8, 159, 146, 150, 255, 0, 1, 2]);
        assert!(m.structural.iter().any(|f| f.rule == "HEADER_NONE"));
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].location, "1");
    }

    #[test]
    fn a_bare_document_is_judged_as_the_file_it_is() {
        // mail-parser finds no message at all in a PDF.
        let pdf =
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        let m = parse_default(pdf);
        assert_eq!(m.structural[0].rule, "HEADER_NONE");
        assert_eq!(m.attachments[0].data, pdf);
    }

    #[test]
    fn deep_nested_messages_are_bounded_without_overflowing_the_stack() {
        // 20,000 nested message/rfc822 parts: mail-parser alone would overflow on drop.
        let mut raw = Vec::new();
        for _ in 0..20_000 {
            raw.extend_from_slice(b"Content-Type: message/rfc822\n\n");
        }
        raw.extend_from_slice(b"Subject: inner\n\nbody\n");
        let m = parse_default(&raw);
        let f = m
            .structural
            .iter()
            .find(|f| f.rule == "LIMIT_NESTED_MESSAGES")
            .expect("limit finding");
        assert_eq!(f.evidence[0].1, "20000");
    }

    #[test]
    fn deep_multipart_nesting_does_not_use_the_stack() {
        let mut raw = b"Subject: deep\n".to_vec();
        for i in 0..20_000 {
            raw.extend_from_slice(
                format!("Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n").as_bytes(),
            );
        }
        raw.extend_from_slice(b"Content-Type: text/plain\n\ninner\n");
        // A small stack, as a milter worker might have.
        let m = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || parse(&raw, &Limits::default()).unwrap())
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert!(m.structural.iter().any(|f| f.rule == "LIMIT_PARTS"));
    }

    #[test]
    fn too_many_parts_are_counted_not_analysed() {
        let mut raw = b"Content-Type: multipart/mixed; boundary=b\n\n".to_vec();
        for i in 0..50 {
            raw.extend_from_slice(
                format!("--b\nContent-Type: application/octet-stream; name=f{i}.bin\n\nx\n")
                    .as_bytes(),
            );
        }
        raw.extend_from_slice(b"--b--\n");
        let limits = Limits {
            max_parts: 10,
            ..Limits::default()
        };
        let m = parse(&raw, &limits).unwrap();
        assert!(m.attachments.len() < 10);
        assert!(m.structural.iter().any(|f| f.rule == "LIMIT_PARTS"));
    }

    fn limit<'a>(m: &'a Message, rule: &str) -> Option<&'a Finding> {
        m.structural.iter().find(|f| f.rule == rule)
    }

    #[test]
    fn header_fields_past_the_limit_are_counted_not_read() {
        let mut raw = b"From: a@example.com\nSubject: s\n".to_vec();
        for i in 0..50 {
            raw.extend_from_slice(format!("X-F{i}: v\n").as_bytes());
        }
        raw.extend_from_slice(b"\nbody\n");
        let limits = Limits {
            max_header_fields: 10,
            ..Limits::default()
        };
        let m = parse(&raw, &limits).unwrap();
        assert_eq!(m.headers.len(), 10);
        assert_eq!(m.from[0].address.as_deref(), Some("a@example.com"));
        let f = limit(&m, "LIMIT_HEADER").expect("header limit");
        assert!(f.evidence[0].1.starts_with("52 fields"), "{:?}", f.evidence);
        assert!(limit(&parse_default(&raw), "LIMIT_HEADER").is_none());
    }

    #[test]
    fn a_huge_header_is_trimmed_before_parsing_keeping_the_mime_structure() {
        let mut raw = b"From: a@example.com\n".to_vec();
        for i in 0..100 {
            raw.extend_from_slice(format!("Received: from x{i}\n\tby y\n").as_bytes());
        }
        raw.extend_from_slice(b"Content-Type: multipart/mixed;\n boundary=B\nSubject: late\n\n");
        raw.extend_from_slice(
            b"--B\nContent-Type: application/octet-stream; name=a.exe\n\nMZ\n--B--\n",
        );
        let (trimmed, count) = bound_header_fields(&raw, 10);
        assert_eq!(count, 103);
        let text = String::from_utf8_lossy(&trimmed);
        assert_eq!(text.matches("Received:").count(), 9);
        assert!(text.contains("Content-Type: multipart/mixed;\n boundary=B\nSubject: late\n\n--B"));
        let limits = Limits {
            max_header_fields: 10,
            ..Limits::default()
        };
        let m = parse(&raw, &limits).unwrap();
        assert_eq!(m.subject.as_deref(), Some("late"));
        assert_eq!(m.attachments[0].name.as_deref(), Some("a.exe"));
        let f = limit(&m, "LIMIT_HEADER").expect("header limit");
        assert!(
            f.evidence[0].1.starts_with("103 fields"),
            "{:?}",
            f.evidence
        );
        let (same, n) = bound_header_fields(b"A: b\n\nbody", 1);
        assert_eq!((n, same.as_ref()), (1, &b"A: b\n\nbody"[..]));
    }

    #[test]
    fn a_long_header_field_is_cut_and_reported() {
        let mut raw = b"From: a@example.com\nSubject: ".to_vec();
        raw.extend("請求".repeat(20_000).as_bytes());
        raw.extend_from_slice(b"\nX-Long: ");
        raw.extend(std::iter::repeat_n(b'a', 200_000));
        raw.extend_from_slice(b"\n\nbody\n");
        let m = parse_default(&raw);
        let max = Limits::default().max_header_bytes;
        assert!(m.headers.iter().all(|(_, v)| v.len() <= max));
        assert!(m.subject.as_ref().is_some_and(|s| s.len() <= max));
        let f = limit(&m, "LIMIT_HEADER").expect("header limit");
        assert!(
            f.evidence[0].1.contains("X-Long field is 200000 bytes"),
            "{:?}",
            f.evidence
        );
    }

    #[test]
    fn address_fields_keep_a_bounded_number_of_addresses() {
        // A From naming 50,000 addresses made the sender checks quadratic (minutes).
        let list: Vec<String> = (0..50_000)
            .map(|i| format!("n{i} <a{i}@b{i}.example>"))
            .collect();
        let raw = format!("From: {}\nSubject: x\n\nbody\n", list.join(", "));
        let m = parse_default(raw.as_bytes());
        assert_eq!(m.from.len(), MAX_ADDRESSES);
        let f = limit(&m, "LIMIT_HEADER").expect("header limit");
        assert!(
            f.evidence[0].1.contains("49000 addresses"),
            "{:?}",
            f.evidence
        );
    }

    #[test]
    fn body_text_past_what_the_checks_read_is_reported() {
        let mut raw = b"Subject: x\n\n".to_vec();
        raw.extend(std::iter::repeat_n(
            b'a',
            crate::text::html_text::MAX_PART_CHARS + 10,
        ));
        let f = limit(&parse_default(&raw), "LIMIT_TEXT")
            .expect("text limit")
            .clone();
        assert_eq!(f.location, "1");
        let mut html = b"Subject: x\nContent-Type: text/html\n\n".to_vec();
        html.extend(std::iter::repeat_n(
            b'a',
            crate::text::html_text::MAX_PART_CHARS + 10,
        ));
        assert!(limit(&parse_default(&html), "LIMIT_TEXT").is_none());
        html.extend(std::iter::repeat_n(
            b'a',
            crate::text::html_text::MAX_HTML_BYTES,
        ));
        assert!(limit(&parse_default(&html), "LIMIT_TEXT").is_some());
        assert!(limit(&parse_default(b"Subject: x\n\nshort\n"), "LIMIT_TEXT").is_none());
    }

    #[test]
    fn links_past_the_limit_are_reported() {
        let mut raw = b"Subject: x\n\n".to_vec();
        for i in 0..links::MAX_LINKS + 1 {
            raw.extend_from_slice(format!("https://a{i}.example/\n").as_bytes());
        }
        let m = parse_default(&raw);
        assert_eq!(m.links.len(), links::MAX_LINKS);
        assert!(limit(&m, "LIMIT_LINKS").is_some());
        assert!(
            limit(
                &parse_default(b"Subject: x\n\nhttps://a.example/\n"),
                "LIMIT_LINKS"
            )
            .is_none()
        );
    }

    #[test]
    fn iso_2022_jp_rfc2231_name_is_decoded() {
        let raw = "Content-Type: application/octet-stream\n\
Content-Disposition: attachment;\n filename*0*=iso-2022-jp''%1B%24B%40A5a%3Dq%1B%28B;\n filename*1*=%2Epdf%2Eexe\n\nx\n";
        let m = parse_default(raw.as_bytes());
        assert_eq!(m.attachments[0].name.as_deref(), Some("請求書.pdf.exe"));
    }
}
