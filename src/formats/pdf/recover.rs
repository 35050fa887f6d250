//! The recovery view of a damaged or disguised PDF, as readers rebuild it: the object table
//! taken from the `N G obj` headers in the bytes (not from the cross-reference table), the
//! streams that may hold scripts decoded (Flate, ASCIIHex, ASCII85, LZW, RunLength and chains
//! of them, by lopdf's bounded decoders), the objects packed in object streams unpacked, and
//! from all of it: which objects hold a trigger a reader runs on its own (`/OpenAction`, an
//! open or page-visible `/AA`, the document's `/Names /JavaScript` tree) and which hold
//! JavaScript. Exploit kits broke the cross-reference table on purpose so that an object model
//! cannot resolve `/OpenAction 5 0 R` → `5 0 obj << /S /JavaScript /JS 6 0 R >>`; this view joins
//! trigger and payload anyway and names both objects.
//!
//! It also reports structural anomalies benign generators do not produce: objects that overlap
//! (a header inside another object's body), a `startxref` that points outside the file, the same
//! object defined many times over.
//!
//! Bounded: at most `MAX_OBJECTS` headers, `MAX_STREAMS` streams decoded of at most
//! `MAX_STREAM_DECODE` bytes each, all charged to the message's decompression budget; one pass
//! over the bytes for the headers and one per decoded stream.

use super::raw::is_pdf_space;
use lopdf::{Dictionary, Object, Stream};
use std::collections::HashMap;

/// Object headers read, at most.
pub const MAX_OBJECTS: usize = 100_000;
/// Streams decoded, at most, and the size each may decode to.
const MAX_STREAMS: usize = 2_000;
const MAX_STREAM_DECODE: usize = 4 * 1024 * 1024;
/// Objects unpacked from one object stream, at most.
const MAX_PACKED: usize = 10_000;
/// Objects named in evidence, at most.
const MAX_NAMED: usize = 5;
/// Script text kept per script for judging.
const MAX_SCRIPT_CHARS: usize = 256 * 1024;
/// Definitions of one object from which on it counts as "many revisions": incremental updates
/// of an ordinary document rewrite the catalog or a page a few times, not this often.
pub const MANY_REVISIONS: usize = 10;

/// One object as found in the bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Header {
    num: u32,
    generation: u16,
    /// Offset of the header, and of the body after `obj`.
    at: usize,
    body: usize,
}

/// What the recovery view found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recovery {
    /// Object headers found.
    pub objects: usize,
    /// Objects holding an automatic trigger, with the trigger (`/OpenAction in 1 0 obj`).
    pub triggers: Vec<String>,
    /// Objects holding JavaScript (`7 0 obj`), packed ones as `12 0 obj (in object stream 9)`.
    pub script_objects: Vec<String>,
    /// The texts of scripts found: `/JS` strings and decoded script streams.
    pub scripts: Vec<String>,
    /// Structural anomalies, in English, for the report.
    pub anomalies: Vec<String>,
    /// What the recovery could not do (limits), in English.
    pub partial: Vec<String>,
}

impl Recovery {
    pub fn autorun(&self) -> bool {
        !self.triggers.is_empty() && !self.script_objects.is_empty()
    }
}

fn is_regular(b: u8) -> bool {
    !is_pdf_space(b)
        && !matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        )
}

/// The number written right before `end` (exclusive), skipping white space: (value, start).
fn number_before(data: &[u8], end: usize) -> Option<(u64, usize)> {
    let mut i = end;
    while i > 0 && data.get(i - 1).is_some_and(|&b| is_pdf_space(b)) {
        i -= 1;
    }
    let stop = i;
    while i > 0 && stop - i < 10 && data.get(i - 1).is_some_and(u8::is_ascii_digit) {
        i -= 1;
    }
    if i == stop || (i > 0 && data.get(i - 1).is_some_and(|&b| is_regular(b))) {
        return None;
    }
    let value = std::str::from_utf8(data.get(i..stop)?).ok()?.parse().ok()?;
    Some((value, i))
}

/// Every `N G obj` header, in file order.
fn headers(data: &[u8], partial: &mut Vec<String>) -> Vec<Header> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(data, b"obj") {
        // `endobj` and names such as `/ObjStm` are not headers.
        if at > 0 && data.get(at - 1).is_some_and(|&b| is_regular(b)) {
            continue;
        }
        if data.get(at + 3).is_some_and(|&b| is_regular(b)) {
            continue;
        }
        let Some((generation, gen_start)) = number_before(data, at) else {
            continue;
        };
        let Some((num, start)) = number_before(data, gen_start) else {
            continue;
        };
        let (Ok(num), Ok(generation)) = (u32::try_from(num), u16::try_from(generation)) else {
            continue;
        };
        if out.len() >= MAX_OBJECTS {
            partial.push(format!(
                "the file has more than {MAX_OBJECTS} object headers; the rest were not read"
            ));
            break;
        }
        out.push(Header {
            num,
            generation,
            at: start,
            body: at + 3,
        });
    }
    out
}

/// Recovers the objects of `data`, decoding streams against `bytes_left`.
pub fn recover(data: &[u8], bytes_left: &mut u64) -> Recovery {
    let mut out = Recovery::default();
    let headers = headers(data, &mut out.partial);
    out.objects = headers.len();
    let endobjs: Vec<usize> = memchr::memmem::find_iter(data, b"endobj").collect();
    let mut next_end = 0usize;
    let mut overlapping = 0usize;
    let mut first_overlap = None;
    let mut revisions: HashMap<(u32, u16), usize> = HashMap::new();
    let mut streams = 0usize;
    let mut packed: Vec<(String, Vec<u8>)> = Vec::new();
    let js_refs = script_references(data);
    for (i, h) in headers.iter().enumerate() {
        while endobjs.get(next_end).is_some_and(|&e| e < h.body) {
            next_end += 1;
        }
        let end_at = endobjs.get(next_end).copied().unwrap_or(data.len());
        let next_header = headers.get(i + 1).map_or(data.len(), |n| n.at);
        // A header that starts before the previous object's `endobj`, outside its stream
        // data, is an object inside another: readers disagree on which one counts.
        let end = end_at.min(next_header);
        let body = data.get(h.body..end).unwrap_or_default();
        let (dict_part, stream_data) = split_stream(data, h.body, end_at);
        let after_next = headers.get(i + 2).map_or(data.len(), |n| n.at);
        let ends_between = endobjs.partition_point(|&e| e < after_next)
            - endobjs.partition_point(|&e| e < next_header);
        if next_header < end_at && stream_data.is_none() && ends_between >= 2 {
            overlapping += 1;
            first_overlap.get_or_insert((h.num, h.generation, headers[i + 1].num));
        }
        *revisions.entry((h.num, h.generation)).or_default() += 1;
        let label = format!("{} {} obj", h.num, h.generation);
        let head = stream_data.map_or(body, |_| dict_part);
        look_at(head, &label, &mut out);
        if let Some(raw_stream) = stream_data
            && wants_decoding(head)
        {
            if streams >= MAX_STREAMS {
                if streams == MAX_STREAMS {
                    out.partial.push(format!(
                        "more than {MAX_STREAMS} streams; the rest were not decoded"
                    ));
                }
                streams += 1;
                continue;
            }
            streams += 1;
            let Some(decoded) = decode(head, raw_stream, bytes_left) else {
                continue;
            };
            if contains_name(head, b"ObjStm") {
                unpack(head, &decoded, &label, &mut packed);
            } else if looks_like_script(&decoded)
                || out.script_objects.contains(&label)
                || js_refs.contains(&(h.num, h.generation))
            {
                let text = script_text(&decoded);
                if !out.script_objects.contains(&label) {
                    push_named(&mut out.script_objects, label.clone());
                }
                if out.scripts.len() < 200 {
                    out.scripts.push(text);
                }
            } else if decoded.starts_with(b"<?xml")
                || memchr::memmem::find(&decoded, b"<xdp").is_some()
            {
                for script in super::model::xfa_scripts(&String::from_utf8_lossy(&decoded)) {
                    if out.scripts.len() < 200 {
                        out.scripts.push(script);
                    }
                }
            }
        }
    }
    for (label, body) in &packed {
        look_at(body, label, &mut out);
    }
    if let Some((num, generation, inner)) = first_overlap {
        out.anomalies.push(format!(
            "{overlapping} object(s) overlap another: {inner} … obj starts inside {num} {generation} obj"
        ));
    }
    if let Some((&(num, generation), &n)) = revisions
        .iter()
        .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)))
        && n >= MANY_REVISIONS
    {
        out.anomalies
            .push(format!("object {num} {generation} is defined {n} times"));
    }
    if let Some(offset) = startxref_outside(data) {
        out.anomalies.push(format!(
            "the trailer's startxref points to offset {offset}, outside the file of {} bytes",
            data.len()
        ));
    }
    out
}

/// Objects referenced as a script (`/JS 7 0 R`) anywhere in the bytes: their streams are
/// scripts whatever their text looks like (obfuscated code has few of the words
/// `looks_like_script` counts). At most `MAX_OBJECTS` references.
fn script_references(data: &[u8]) -> std::collections::HashSet<(u32, u16)> {
    let mut out = std::collections::HashSet::new();
    for at in memchr::memmem::find_iter(data, b"/JS") {
        if out.len() >= MAX_OBJECTS {
            break;
        }
        let rest = data
            .get(at + 3..(at + 40).min(data.len()))
            .unwrap_or_default();
        let mut words = rest
            .split(|&b| is_pdf_space(b))
            .filter(|w| !w.is_empty())
            .take(3);
        let (Some(num), Some(generation), Some(r)) = (words.next(), words.next(), words.next())
        else {
            continue;
        };
        if !r.starts_with(b"R") {
            continue;
        }
        let parse = |w: &[u8]| std::str::from_utf8(w).ok()?.parse::<u64>().ok();
        if let (Some(num), Some(generation)) = (parse(num), parse(generation))
            && let (Ok(num), Ok(generation)) = (u32::try_from(num), u16::try_from(generation))
        {
            out.insert((num, generation));
        }
    }
    out
}

/// The dictionary part and the stream data of an object whose body starts at `body` and ends at
/// `end` (its `endobj`): `(body, None)` when it is no stream.
fn split_stream(data: &[u8], body: usize, end: usize) -> (&[u8], Option<&[u8]>) {
    let whole = data.get(body..end).unwrap_or_default();
    let Some(kw) = memchr::memmem::find(whole, b"stream") else {
        return (whole, None);
    };
    // `endstream` before any `stream` means the keyword found was part of it.
    if kw >= 3 && whole.get(kw - 3..kw) == Some(b"end") {
        return (whole, None);
    }
    let dict = whole.get(..kw).unwrap_or_default();
    let mut start = kw + 6;
    if whole.get(start) == Some(&b'\r') {
        start += 1;
    }
    if whole.get(start) == Some(&b'\n') {
        start += 1;
    }
    let rest = whole.get(start..).unwrap_or_default();
    let stop = memchr::memmem::rfind(rest, b"endstream").unwrap_or(rest.len());
    let content = rest.get(..stop).unwrap_or_default();
    let content = content
        .strip_suffix(b"\r\n")
        .or_else(|| content.strip_suffix(b"\n"))
        .or_else(|| content.strip_suffix(b"\r"))
        .unwrap_or(content);
    (dict, Some(content))
}

/// Names in `bytes`, `#xx` escapes decoded, each with the byte offset after it.
fn names(bytes: &[u8]) -> impl Iterator<Item = (Vec<u8>, usize)> + '_ {
    memchr::memchr_iter(b'/', bytes).filter_map(move |slash| {
        let rest = bytes.get(slash + 1..)?;
        let len = rest
            .iter()
            .take(65)
            .position(|&b| !is_regular(b))
            .unwrap_or(rest.len().min(65));
        if len == 0 || len > 64 {
            return None;
        }
        let raw = rest.get(..len)?;
        let mut name = Vec::with_capacity(len);
        let mut i = 0;
        while let Some(&b) = raw.get(i) {
            let hex = |j: usize| raw.get(j).and_then(|&h| (h as char).to_digit(16));
            match (b, hex(i + 1), hex(i + 2)) {
                (b'#', Some(h), Some(l)) => {
                    name.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => {
                    name.push(b);
                    i += 1;
                }
            }
        }
        Some((name, slash + 1 + len))
    })
}

fn contains_name(bytes: &[u8], wanted: &[u8]) -> bool {
    names(bytes).any(|(n, _)| n == wanted)
}

fn push_named(list: &mut Vec<String>, label: String) {
    if list.len() < MAX_NAMED && !list.contains(&label) {
        list.push(label);
    }
}

/// Records the triggers and scripts the dictionary text of one object shows.
fn look_at(head: &[u8], label: &str, out: &mut Recovery) {
    let mut after_aa = false;
    let mut after_names = false;
    let mut has_js = false;
    let mut prev: Vec<u8> = Vec::new();
    for (name, end) in names(head) {
        let previous = std::mem::replace(&mut prev, name.clone());
        match name.as_slice() {
            // `/OpenAction [3 0 R /Fit]` is a view, not an action: an action is a dictionary
            // or a reference that is not followed by a view name.
            b"OpenAction" if open_action_is_action(head.get(end..).unwrap_or_default()) => {
                push_named(&mut out.triggers, format!("/OpenAction in {label}"));
            }
            b"AA" => after_aa = true,
            b"O" | b"PO" | b"PV" if after_aa => {
                push_named(
                    &mut out.triggers,
                    format!("/AA /{} in {label}", String::from_utf8_lossy(&name)),
                );
            }
            b"Names" => after_names = true,
            // `/JavaScript` as a key with a dictionary or reference for value is the document's
            // JavaScript name tree (its scripts run when the document opens), whether the
            // `/Names` that holds it is in this object or in the catalog; as the value of `/S`
            // it is an action's type.
            b"JavaScript"
                if after_names
                    || (previous.as_slice() != b"S"
                        && value_is_dict_or_reference(head.get(end..).unwrap_or_default())) =>
            {
                push_named(&mut out.triggers, format!("/Names /JavaScript in {label}"));
                after_names = false;
            }
            b"JS" => {
                has_js = true;
                if let Some(text) = inline_script(head.get(end..).unwrap_or_default())
                    && out.scripts.len() < 200
                {
                    out.scripts.push(text);
                }
            }
            b"Launch" | b"ImportData" | b"GoToE" => {}
            _ => {}
        }
    }
    if has_js {
        push_named(&mut out.script_objects, label.to_string());
    }
}

/// Whether the value after a key is a dictionary or an indirect reference (`<<` or a number).
fn value_is_dict_or_reference(rest: &[u8]) -> bool {
    let rest = rest
        .iter()
        .position(|&b| !is_pdf_space(b))
        .and_then(|i| rest.get(i..))
        .unwrap_or_default();
    rest.starts_with(b"<<") || rest.first().is_some_and(u8::is_ascii_digit)
}

/// After `/OpenAction`: whether what follows is an action (a dictionary, or a reference whose
/// target is not a page with a view) rather than a destination array.
fn open_action_is_action(rest: &[u8]) -> bool {
    value_is_dict_or_reference(rest)
}

/// A `/JS (...)` or `/JS <...>` string after the name, decoded.
fn inline_script(rest: &[u8]) -> Option<String> {
    let start = rest.iter().position(|&b| !is_pdf_space(b))?;
    let rest = rest.get(start..)?;
    let bytes = match rest.first()? {
        b'(' => super::raw::literal_string(rest)?,
        b'<' if rest.get(1) != Some(&b'<') => super::raw::hex_string(rest)?,
        _ => return None,
    };
    Some(script_text(&bytes))
}

fn script_text(bytes: &[u8]) -> String {
    let mut text = super::model::text_string(bytes);
    if let Some((cut, _)) = text.char_indices().nth(MAX_SCRIPT_CHARS) {
        text.truncate(cut);
    }
    text
}

/// Whether decoded stream bytes read as JavaScript: text with the calls and keywords scripts
/// are made of (page content and fonts do not have them).
fn looks_like_script(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(64 * 1024)).unwrap_or_default();
    if head.iter().filter(|&&b| b == 0).count() > head.len() / 100 {
        return false;
    }
    let hits = [
        &b"function"[..],
        b"var ",
        b"eval(",
        b"unescape(",
        b"app.",
        b"this.",
        b"String.fromCharCode",
        b"getAnnots",
        b"util.printf",
        b"Collab.",
    ]
    .iter()
    .filter(|k| memchr::memmem::find(head, k).is_some())
    .count();
    hits >= 2
}

/// Whether a stream is worth decoding: not an image or font program (the scripts, forms and
/// packed objects live in the other streams).
fn wants_decoding(head: &[u8]) -> bool {
    !names(head).any(|(n, _)| {
        matches!(
            n.as_slice(),
            b"Image"
                | b"DCTDecode"
                | b"JPXDecode"
                | b"CCITTFaxDecode"
                | b"JBIG2Decode"
                | b"FontFile"
                | b"FontFile2"
                | b"FontFile3"
                | b"Length1"
                | b"XRef"
                | b"Metadata"
        )
    })
}

/// The filters named after `/Filter`, in order.
fn filters(head: &[u8]) -> Vec<Object> {
    let mut out = Vec::new();
    let mut it = names(head).peekable();
    while let Some((name, end)) = it.next() {
        if name != b"Filter" {
            continue;
        }
        let rest = head.get(end..).unwrap_or_default();
        let rest = rest
            .iter()
            .position(|&b| !is_pdf_space(b))
            .and_then(|i| rest.get(i..))
            .unwrap_or_default();
        if rest.starts_with(b"[") {
            let close = rest.iter().position(|&b| b == b']').unwrap_or(rest.len());
            for (n, _) in names(rest.get(..close).unwrap_or_default()).take(8) {
                out.push(Object::Name(n));
            }
        } else if let Some((n, _)) = it.peek() {
            out.push(Object::Name(n.clone()));
        }
        break;
    }
    out
}

/// The stream decoded with lopdf's bounded decoders, charged to `bytes_left`.
fn decode(head: &[u8], content: &[u8], bytes_left: &mut u64) -> Option<Vec<u8>> {
    let limit = usize::try_from(*bytes_left)
        .unwrap_or(usize::MAX)
        .min(MAX_STREAM_DECODE);
    if limit == 0 {
        return None;
    }
    let filters = filters(head);
    let bytes = if filters.is_empty() {
        content.get(..content.len().min(limit))?.to_vec()
    } else {
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Array(filters));
        let stream = Stream::new(dict, content.to_vec());
        match stream.decompressed_content_with_limit(limit) {
            Ok(b) => b,
            // A damaged stream (cut short, bad checksum): what decoded before the damage is
            // what a lenient reader runs; lopdf gives nothing, so try plain zlib prefix.
            Err(_) => inflate_prefix(content, limit)?,
        }
    };
    *bytes_left = bytes_left.saturating_sub(bytes.len() as u64);
    Some(bytes)
}

/// As much of a zlib stream as inflates before it breaks off.
fn inflate_prefix(content: &[u8], limit: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut reader = flate2::read::ZlibDecoder::new(content).take(limit as u64);
    let mut buf = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(buf.get(..n)?),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The objects packed in a decoded object stream, each labelled with its number.
fn unpack(head: &[u8], decoded: &[u8], label: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let number_after = |key: &[u8]| {
        names(head).find(|(n, _)| n == key).and_then(|(_, end)| {
            let rest = head.get(end..)?;
            let start = rest.iter().position(|&b| !is_pdf_space(b))?;
            let digits = rest.get(start..)?;
            let len = digits
                .iter()
                .take(10)
                .position(|b| !b.is_ascii_digit())
                .unwrap_or(digits.len().min(10));
            std::str::from_utf8(digits.get(..len)?)
                .ok()?
                .parse::<usize>()
                .ok()
        })
    };
    let (Some(n), Some(first)) = (number_after(b"N"), number_after(b"First")) else {
        return;
    };
    let index = decoded.get(..first.min(decoded.len())).unwrap_or_default();
    let numbers: Vec<usize> = index
        .split(|&b| is_pdf_space(b))
        .filter(|w| !w.is_empty())
        .take(2 * n.min(MAX_PACKED))
        .filter_map(|w| std::str::from_utf8(w).ok()?.parse().ok())
        .collect();
    let pairs: Vec<(usize, usize)> = numbers.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    for (k, &(num, offset)) in pairs.iter().enumerate() {
        let start = first.saturating_add(offset);
        let end = pairs
            .get(k + 1)
            .map_or(decoded.len(), |&(_, o)| first.saturating_add(o))
            .min(decoded.len());
        if let Some(body) = decoded.get(start..end.max(start)) {
            out.push((
                format!("{num} 0 obj (in object stream {label})"),
                body.to_vec(),
            ));
        }
    }
}

/// The last `startxref` offset when it lies beyond the end of the file.
fn startxref_outside(data: &[u8]) -> Option<u64> {
    let at = memchr::memmem::rfind(data, b"startxref")?;
    let rest = data.get(at + 9..)?;
    let start = rest.iter().position(|&b| !is_pdf_space(b))?;
    let digits = rest.get(start..)?;
    let len = digits.iter().take(20).position(|b| !b.is_ascii_digit())?;
    let offset: u64 = std::str::from_utf8(digits.get(..len)?).ok()?.parse().ok()?;
    (offset > data.len() as u64).then_some(offset)
}
