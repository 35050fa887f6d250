//! `winmail.dat` (`application/ms-tnef`, MS-OXTNEF): Exchange's wrapper for rich-text mail. It
//! carries the message's attachments, with their long names, inside one stream of attributes,
//! so a program sent that way is unseen unless the stream is opened. Read into the shared
//! Outlook item model (`mapi::Item`) and listed like an attached Outlook item: the body
//! (`message.txt`, `message.html`), each attachment (`winmail.dat!/請求書.pdf.exe`) and attached
//! items (`winmail.dat!/FW.msg!/a.exe`).
//!
//! The stream: a signature, a key, then attributes of (level, id, length, data, checksum).
//! Attachment attributes follow an `attAttachRendData` each; MAPI properties come in
//! `attMsgProps` and `attAttachment` blocks. Checksums are checked but a wrong one is not a
//! reason to stop (Exchange's own files have them); every length is checked against the bytes
//! that are there, so a forged one ends the reading instead of allocating.

use super::Lister;
use crate::message::Attachment;
use crate::message::mapi::{self, Item, Part, tag};
use crate::message::opener::{Budget, Opened};

/// The stream's first four bytes.
pub const SIGNATURE: [u8; 4] = [0x78, 0x9f, 0x3e, 0x22];
/// Attributes read from one stream, at most.
const MAX_ATTRIBUTES: usize = 65_536;
/// MAPI properties read from one block, at most.
const MAX_PROPERTIES: usize = 65_536;
/// Attached items inside attached items, at most.
const MAX_DEPTH: usize = 4;

const LVL_ATTACHMENT: u8 = 0x02;
const ATT_FROM: u32 = 0x0000_8000;
const ATT_SUBJECT: u32 = 0x0001_8004;
const ATT_DATE_SENT: u32 = 0x0003_8005;
const ATT_MESSAGE_ID: u32 = 0x0001_8009;
const ATT_BODY: u32 = 0x0002_800C;
const ATT_ATTACH_DATA: u32 = 0x0006_800F;
const ATT_ATTACH_TITLE: u32 = 0x0001_8010;
const ATT_ATTACH_REND_DATA: u32 = 0x0006_9002;
const ATT_MSG_PROPS: u32 = 0x0006_9003;
const ATT_ATTACHMENT: u32 = 0x0006_9005;
const ATT_OEM_CODEPAGE: u32 = 0x0006_9007;

/// Whether `data` is a TNEF stream.
pub fn is_tnef(data: &[u8]) -> bool {
    data.starts_with(&SIGNATURE)
}

/// The container stage's opener for TNEF streams.
pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    if !is_tnef(&att.data) {
        return false;
    }
    let read = read(&att.data);
    let mut list = Lister::new(att, budget, out, "tnef");
    if read.attributes == 0 {
        list.unreadable("no attribute could be read");
    } else {
        super::outlook::list_item(&read.item, "", &mut list);
    }
    list.finish();
    true
}

/// What was read from a stream.
#[derive(Debug, Default)]
pub struct Read {
    pub item: Item,
    /// Attributes read.
    pub attributes: usize,
    /// Attributes whose checksum was wrong (read all the same).
    pub bad_checksums: usize,
}

/// Reads a TNEF stream.
pub fn read(data: &[u8]) -> Read {
    read_at(data, 0)
}

fn read_at(data: &[u8], depth: usize) -> Read {
    let mut r = Read::default();
    if !is_tnef(data) || data.len() < 6 {
        return r;
    }
    let mut codepage: Option<u32> = None;
    // Attributes come in order; the 8-bit ones are decoded once the code page is known, so
    // they are kept as bytes until the end.
    let mut subject8: Option<Vec<u8>> = None;
    let mut body8: Option<Vec<u8>> = None;
    let mut titles: Vec<Option<Vec<u8>>> = Vec::new();
    let mut at = 6;
    while at < data.len() && r.attributes < MAX_ATTRIBUTES {
        let Some(head) = data.get(at..at + 9) else {
            break;
        };
        let level = head[0];
        let id = u32::from_le_bytes([head[1], head[2], head[3], head[4]]);
        let len = u32::from_le_bytes([head[5], head[6], head[7], head[8]]) as usize;
        let start = at + 9;
        let Some(value) = start.checked_add(len).and_then(|end| data.get(start..end)) else {
            break;
        };
        let Some(sum) = data.get(start + len..start + len + 2) else {
            break;
        };
        let expected = value
            .iter()
            .fold(0u16, |s, &b| s.wrapping_add(u16::from(b)));
        if u16::from_le_bytes([sum[0], sum[1]]) != expected {
            r.bad_checksums += 1;
        }
        at = start + len + 2;
        r.attributes += 1;
        if level == LVL_ATTACHMENT {
            if id == ATT_ATTACH_REND_DATA || r.item.attachments.is_empty() {
                r.item.attachments.push(Part::default());
                titles.push(None);
            }
            let (Some(part), Some(title)) = (r.item.attachments.last_mut(), titles.last_mut())
            else {
                continue;
            };
            match id {
                ATT_ATTACH_TITLE => *title = Some(trim_nul(value).to_vec()),
                ATT_ATTACH_DATA => part.data = value.to_vec(),
                ATT_ATTACHMENT => attachment_props(value, part, depth),
                _ => {}
            }
            continue;
        }
        match id {
            ATT_OEM_CODEPAGE if value.len() >= 4 => {
                codepage = Some(u32::from_le_bytes([value[0], value[1], value[2], value[3]]));
            }
            ATT_SUBJECT => subject8 = Some(trim_nul(value).to_vec()),
            ATT_BODY => body8 = Some(trim_nul(value).to_vec()),
            ATT_MESSAGE_ID => {
                r.item.message_id = r
                    .item
                    .message_id
                    .take()
                    .or_else(|| Some(String::from_utf8_lossy(trim_nul(value)).into_owned()));
            }
            ATT_DATE_SENT if value.len() >= 12 => {
                r.item.date = r.item.date.or_else(|| dtr(value));
            }
            // A TRP: type, size of both strings, size of the name, then name and address.
            ATT_FROM if value.len() >= 8 => {
                let name_len = u16::from_le_bytes([value[4], value[5]]) as usize;
                if let Some(name) = value[8..].get(..name_len) {
                    let addr = String::from_utf8_lossy(trim_nul(&value[8 + name_len..]));
                    let addr = addr.split('\0').next().unwrap_or("");
                    let addr = addr.strip_prefix("SMTP:").unwrap_or(addr);
                    r.item.from_name = Some(String::from_utf8_lossy(trim_nul(name)).into());
                    if addr.contains('@') {
                        r.item.from_address = Some(addr.to_string());
                    }
                }
            }
            ATT_MSG_PROPS => message_props(value, &mut r.item),
            _ => {}
        }
    }
    let text = |raw: &[u8]| mapi::decode_codepage(raw, codepage);
    if r.item.subject.is_none() {
        r.item.subject = subject8.as_deref().map(text);
    }
    if r.item.text.is_none() {
        r.item.text = body8.as_deref().map(text);
    }
    for (part, title) in r.item.attachments.iter_mut().zip(titles) {
        if part.name.is_none() {
            part.name = title.as_deref().map(text);
        }
    }
    r
}

fn trim_nul(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
    &b[..end]
}

/// A TNEF date (seven 16-bit fields: year, month, day, hour, minute, second, weekday) as
/// seconds since 1970.
fn dtr(v: &[u8]) -> Option<i64> {
    let f = |i: usize| i64::from(u16::from_le_bytes([v[2 * i], v[2 * i + 1]]));
    let (y, mo, d, h, mi, s) = (f(0), f(1), f(2), f(3), f(4), f(5));
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (H. Hinnant), the inverse of batch::html::civil_from_days.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h.min(23) * 3600 + mi.min(59) * 60 + s.min(59))
}

/// One MAPI property of a block.
struct Prop<'a> {
    id: u16,
    kind: u16,
    /// The value's bytes (the first value of a multi-valued property).
    value: &'a [u8],
}

/// Reads a block of MAPI properties (MS-OXTNEF 2.1.3.4); stops at the first that runs past
/// the block.
fn props(block: &[u8]) -> Vec<Prop<'_>> {
    let mut out = Vec::new();
    let Some(count) = block.get(..4) else {
        return out;
    };
    let count = u32::from_le_bytes([count[0], count[1], count[2], count[3]]) as usize;
    let mut at = 4;
    let u32_at = |at: usize| {
        block
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let pad4 = |n: usize| n.div_ceil(4) * 4;
    for _ in 0..count.min(MAX_PROPERTIES) {
        let Some(head) = block.get(at..at + 4) else {
            break;
        };
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let id = u16::from_le_bytes([head[2], head[3]]);
        at += 4;
        if id >= 0x8000 {
            // A named property: a GUID, then a number or a length-prefixed name.
            at += 16;
            let Some(named_kind) = u32_at(at) else { break };
            at += 4;
            if named_kind == 0 {
                at += 4;
            } else {
                let Some(len) = u32_at(at) else { break };
                at = at.saturating_add(4).saturating_add(pad4(len));
            }
        }
        let multi = kind & 0x1000 != 0;
        let base = kind & !0x1000;
        let fixed = match base {
            0x0002 | 0x0003 | 0x0004 | 0x000A | 0x000B => Some(4),
            0x0005..=0x0007 | 0x0014 | 0x0040 => Some(8),
            0x0048 => Some(16),
            0x0001 => Some(0),
            _ => None,
        };
        let values = match (multi, fixed) {
            (false, Some(_)) => 1,
            _ => {
                let Some(n) = u32_at(at) else { break };
                at += 4;
                n
            }
        };
        let mut first: Option<&[u8]> = None;
        for _ in 0..values {
            if at > block.len() {
                break;
            }
            let len = match fixed {
                Some(n) => n,
                None => {
                    let Some(n) = u32_at(at) else { break };
                    at += 4;
                    n
                }
            };
            let Some(value) = at.checked_add(len).and_then(|end| block.get(at..end)) else {
                at = usize::MAX;
                break;
            };
            first.get_or_insert(value);
            at += pad4(len);
        }
        if at > block.len() {
            break;
        }
        out.push(Prop {
            id,
            kind: base,
            value: first.unwrap_or_default(),
        });
    }
    out
}

fn string_of(p: &Prop<'_>, codepage: Option<u32>) -> Option<String> {
    match p.kind {
        0x001F => Some(mapi::utf16(p.value)),
        0x001E => Some(mapi::decode_codepage(trim_nul(p.value), codepage)),
        _ => None,
    }
}

/// A block's properties as an item's.
struct View<'p, 'b>(&'p [Prop<'b>]);

impl View<'_, '_> {
    fn get(&self, id: u16) -> Option<&Prop<'_>> {
        self.0.iter().find(|p| p.id == id)
    }
}

impl mapi::Props for View<'_, '_> {
    fn text(&mut self, id: u16) -> Option<String> {
        string_of(self.get(id)?, None)
    }

    fn binary(&mut self, id: u16, max: usize) -> Option<Vec<u8>> {
        let p = self
            .get(id)
            .filter(|p| p.kind == 0x0102 && p.value.len() <= max)?;
        Some(p.value.to_vec())
    }

    fn time(&mut self, id: u16) -> Option<i64> {
        let p = self.get(id).filter(|p| p.kind == 0x0040)?;
        mapi::filetime_to_unix(u64::from_le_bytes(p.value.try_into().ok()?))
    }

    fn long(&mut self, id: u16) -> Option<u32> {
        let p = self.get(id).filter(|p| p.kind == 0x0003)?;
        Some(u32::from_le_bytes(p.value.get(..4)?.try_into().ok()?))
    }
}

/// The message's MAPI properties: what they give replaces what the attributes gave.
fn message_props(block: &[u8], item: &mut Item) {
    let props = props(block);
    let from = mapi::item_from(&mut View(&props));
    let keep = |new: Option<String>, old: &mut Option<String>| {
        if new.is_some() {
            *old = new;
        }
    };
    keep(from.headers, &mut item.headers);
    keep(from.subject, &mut item.subject);
    keep(from.from_name, &mut item.from_name);
    keep(from.from_address, &mut item.from_address);
    keep(from.to, &mut item.to);
    keep(from.cc, &mut item.cc);
    keep(from.message_id, &mut item.message_id);
    keep(from.text, &mut item.text);
    keep(from.html, &mut item.html);
    item.date = from.date.or(item.date);
}

/// The GUID an attached item's data starts with (IID_IMessage), before its own TNEF stream.
const IID_IMESSAGE_LEN: usize = 16;

fn attachment_props(block: &[u8], part: &mut Part, depth: usize) {
    for p in props(block) {
        match p.id {
            tag::ATTACH_LONG_FILENAME => {
                if let Some(s) = string_of(&p, None).filter(|s| !s.trim().is_empty()) {
                    part.name = Some(s);
                }
            }
            tag::DISPLAY_NAME | tag::ATTACH_FILENAME if part.name.is_none() => {
                part.name = string_of(&p, None).filter(|s| !s.trim().is_empty());
            }
            tag::ATTACH_MIME_TAG => part.mime_type = string_of(&p, None),
            tag::ATTACH_DATA if p.kind == 0x000D => {
                let inner = p.value.get(IID_IMESSAGE_LEN..).unwrap_or_default();
                if is_tnef(inner) && depth + 1 < MAX_DEPTH {
                    let read = read_at(inner, depth + 1);
                    part.item = Some(Box::new(read.item));
                } else if part.data.is_empty() {
                    part.data = inner.to_vec();
                }
            }
            tag::ATTACH_DATA if part.data.is_empty() => part.data = p.value.to_vec(),
            _ => {}
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Limits;

    fn attr(out: &mut Vec<u8>, level: u8, id: u32, value: &[u8]) {
        out.push(level);
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(value.len() as u32).to_le_bytes());
        out.extend_from_slice(value);
        let sum = value
            .iter()
            .fold(0u16, |s, &b| s.wrapping_add(u16::from(b)));
        out.extend_from_slice(&sum.to_le_bytes());
    }

    fn utf16z(s: &str) -> Vec<u8> {
        let mut v: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        v.extend_from_slice(&[0, 0]);
        v
    }

    /// A MAPI property block of variable-size (string or binary) properties.
    fn block(props: &[(u16, u16, &[u8])]) -> Vec<u8> {
        let mut b = (props.len() as u32).to_le_bytes().to_vec();
        for (kind, id, value) in props {
            b.extend_from_slice(&kind.to_le_bytes());
            b.extend_from_slice(&id.to_le_bytes());
            b.extend_from_slice(&1u32.to_le_bytes());
            b.extend_from_slice(&(value.len() as u32).to_le_bytes());
            b.extend_from_slice(value);
            b.resize(b.len().div_ceil(4) * 4, 0);
        }
        b
    }

    /// A winmail.dat as Exchange writes it: subject and body as attributes, then per attachment
    /// its short title, data and a property block with the long name; `inner` an attached item.
    pub(crate) fn tnef_of(
        subject: &str,
        body: &str,
        attachments: &[(&str, &[u8])],
        inner: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut t = SIGNATURE.to_vec();
        t.extend_from_slice(&0x1234u16.to_le_bytes());
        // Shift_JIS, as Japanese Exchange writes the 8-bit attributes.
        attr(&mut t, 1, ATT_OEM_CODEPAGE, &[0xa4, 0x03, 0, 0, 0, 0, 0, 0]);
        let mut subject = encoding_rs::SHIFT_JIS.encode(subject).0.into_owned();
        subject.push(0);
        attr(&mut t, 1, ATT_SUBJECT, &subject);
        attr(
            &mut t,
            1,
            ATT_MSG_PROPS,
            &block(&[(0x001F, tag::BODY, &utf16z(body))]),
        );
        for (name, data) in attachments {
            attr(&mut t, 2, ATT_ATTACH_REND_DATA, &[0; 14]);
            attr(&mut t, 2, ATT_ATTACH_TITLE, b"ATTACH~1.EXE\0");
            attr(&mut t, 2, ATT_ATTACH_DATA, data);
            attr(
                &mut t,
                2,
                ATT_ATTACHMENT,
                &block(&[(0x001F, tag::ATTACH_LONG_FILENAME, &utf16z(name))]),
            );
        }
        if let Some(inner) = inner {
            let mut obj = vec![0u8; IID_IMESSAGE_LEN];
            obj.extend_from_slice(inner);
            attr(&mut t, 2, ATT_ATTACH_REND_DATA, &[0; 14]);
            attr(
                &mut t,
                2,
                ATT_ATTACHMENT,
                &block(&[
                    (0x001F, tag::DISPLAY_NAME, &utf16z("FW: 至急")),
                    (0x000D, tag::ATTACH_DATA, &obj),
                ]),
            );
        }
        t
    }

    fn open_all(data: Vec<u8>, budget: &mut Budget) -> Opened {
        let att = Attachment {
            location: "2/winmail.dat".into(),
            name: Some("winmail.dat".into()),
            data,
            ..Attachment::default()
        };
        let mut out = Opened::default();
        assert!(open(&att, budget, &mut out));
        out
    }

    #[test]
    fn attachments_long_names_body_and_attached_items_are_listed() {
        let inner = tnef_of("inner", "open the file", &[("a.exe", b"MZ\x90\0")], None);
        let data = tnef_of(
            "請求書",
            "添付をご確認ください http://198.51.100.7/",
            &[("請求書.pdf.exe", b"MZ\x90\0\x03")],
            Some(&inner),
        );
        let read = read(&data);
        assert_eq!(read.bad_checksums, 0);
        assert_eq!(read.item.subject.as_deref(), Some("請求書"));
        let mut budget = Budget::new(&Limits::default());
        let out = open_all(data, &mut budget);
        let names: Vec<&str> = out
            .children
            .iter()
            .map(|c| c.name.as_deref().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "message.txt",
                "請求書.pdf.exe",
                "FW: 至急.msg",
                "FW: 至急.msg!/message.txt",
                "FW: 至急.msg!/a.exe"
            ]
        );
        assert_eq!(out.children[1].data, b"MZ\x90\0\x03");
        assert!(String::from_utf8_lossy(&out.children[0].data).contains("198.51.100.7"));
        assert!(out.findings.is_empty(), "{:?}", out.findings);
    }

    #[test]
    fn wrong_checksums_are_counted_not_fatal() {
        let mut data = tnef_of("s", "b", &[("a.exe", b"MZ")], None);
        let n = data.len();
        data[n - 1] ^= 0xff;
        let read = read(&data);
        assert_eq!(read.bad_checksums, 1);
        assert_eq!(read.item.attachments[0].name.as_deref(), Some("a.exe"));
    }

    #[test]
    fn a_stream_with_no_attribute_is_unreadable() {
        let mut budget = Budget::new(&Limits::default());
        let out = open_all(SIGNATURE.to_vec(), &mut budget);
        assert!(out.findings.iter().any(|f| f.rule == "ARCHIVE_UNREADABLE"));
    }

    /// Truncated, garbled and forged streams (lengths and counts past the end): no panic,
    /// output bounded by the input.
    #[test]
    fn hostile_streams_never_panic() {
        let inner = tnef_of("i", "b", &[("x.exe", b"MZ")], None);
        let sample = tnef_of(
            "s",
            "body",
            &[("a.exe", b"MZ\x90\0"), ("b.txt", b"hi")],
            Some(&inner),
        );
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut inputs: Vec<Vec<u8>> = (4..sample.len()).map(|n| sample[..n].to_vec()).collect();
        for _ in 0..2000 {
            let mut data = sample.clone();
            for _ in 0..1 + rand() % 8 {
                let at = 4 + (rand() as usize) % (data.len() - 4);
                data[at] = if rand() % 2 == 0 { rand() as u8 } else { 0xff };
            }
            inputs.push(data);
        }
        for data in inputs {
            let len = data.len();
            let mut budget = Budget::new(&Limits::default());
            let out = open_all(data, &mut budget);
            for c in &out.children {
                assert!(c.data.len() <= len);
            }
        }
    }
}
