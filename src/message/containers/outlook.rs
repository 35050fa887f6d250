//! Outlook items (`.msg`, MS-OXMSG): a compound file (CFB) of MAPI property streams. Outlook's
//! "forward as attachment" and many "report phishing" buttons attach them, and a lure carried in
//! one is as dangerous as in a zip: the item's own attachments are listed as children
//! (`2/FW.msg!/請求書.pdf.exe`) and judged like any attachment.
//!
//! Each attachment is a storage `__attach_version1.0_#XXXXXXXX` at the root; its file name is the
//! stream `__substg1.0_3707001F` (PR_ATTACH_LONG_FILENAME, UTF-16LE) or `..._3704001F`
//! (PR_ATTACH_FILENAME), or their 8-bit `...001E` forms; its bytes are `__substg1.0_37010102`
//! (PR_ATTACH_DATA_BIN). An attached Outlook item (`__substg1.0_3701000D`, a storage) is listed by
//! name with its own attachments under it (`FW.msg!/inner.msg!/a.exe`). The item's subject, plain
//! body and transport headers become one text child (`message.txt`), so its words and links are
//! read too. Every stream read is bounded by the file's own size and spends the message's budget.

use super::Lister;
use crate::formats::sniff::OLE2_MAGIC;
use crate::message::Attachment;
use crate::message::expand::{Budget, Opened};
use crate::message::mapi::{self, Item, Part, tag};
use cfb::CompoundFile;
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};

/// Longest file name read, in bytes of the stream.
const MAX_NAME_BYTES: u64 = 2048;
/// Characters of a body read as the message's text (the text checks read no more of a part).
const MAX_BODY_CHARS: usize = crate::text::html_text::MAX_PART_CHARS;
/// Text read from each of the subject, body and header streams, at most.
const MAX_TEXT_BYTES: u64 = 1 << 20;
/// Attached Outlook items opened inside one another, at most (the message's container depth
/// also applies to what comes out).
const MAX_EMBEDDED_DEPTH: usize = 4;
/// Storages looked at in one item, at most.
const MAX_STORAGES: usize = 4096;

/// The storage prefix of an attachment.
const ATTACH_PREFIX: &str = "__attach_version1.0_#";
/// PR_ATTACH_DATA_OBJ as a storage: an attached Outlook item.
const EMBEDDED_MSG: &str = "__substg1.0_3701000D";

/// Whether `data` looks like an Outlook item: a compound file whose directory names MAPI
/// property streams. Cheap (a byte search), for telling the format before opening it.
pub fn is_msg(data: &[u8]) -> bool {
    data.starts_with(&OLE2_MAGIC)
        && (contains_utf16(data, "__properties_version1.0") || contains_utf16(data, "__substg1.0_"))
}

fn contains_utf16(data: &[u8], s: &str) -> bool {
    let needle: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
    memchr::memmem::find(data, &needle).is_some()
}

/// Whether the attachment says it is an Outlook item (by name or declared type).
fn declared_msg(att: &Attachment) -> bool {
    att.name
        .as_deref()
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".msg"))
        || att
            .content_type
            .eq_ignore_ascii_case("application/vnd.ms-outlook")
}

/// The container stage's opener for Outlook items.
pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    let data = att.data.as_slice();
    if !data.starts_with(&OLE2_MAGIC) || !(is_msg(data) || declared_msg(att)) {
        return false;
    }
    let item = match read(data) {
        Ok(item) => item,
        Err(e) => {
            if is_msg(data) {
                Lister::new(att, budget, out, "msg").unreadable(e);
                return true;
            }
            return false;
        }
    };
    let mut list = Lister::new(att, budget, out, "msg");
    list_item(&item, "", &mut list);
    list.finish();
    true
}

/// An Outlook item file as an Internet message (see `mapi`), for `scan` and `explain` of a
/// saved `.msg`; `None` when it is not a readable Outlook item.
pub fn to_mime(data: &[u8]) -> Option<Vec<u8>> {
    if !is_msg(data) {
        return None;
    }
    read(data).ok().map(|item| mapi::to_mime(&item))
}

/// Reads the item in `data`, its attachments and attached items.
pub fn read(data: &[u8]) -> Result<Item, std::io::Error> {
    let mut cf = CompoundFile::open(Cursor::new(data))?;
    let mut reader = Reader {
        cf: &mut cf,
        // A valid compound file holds no more stream data than its own size; a forged one
        // could name the same sectors from many entries, so the total read is bounded too.
        stream_max: data.len() as u64,
        total_left: (data.len() as u64).saturating_mul(2) + 2 * MAX_TEXT_BYTES,
        storages_left: MAX_STORAGES,
    };
    Ok(reader.item("", 0))
}

/// Lists an item's text, HTML and attachments as children, attached items' under
/// `prefix` + their name + `!/`.
pub(crate) fn list_item(item: &Item, prefix: &str, list: &mut Lister) {
    let mut text = String::new();
    if let Some(h) = &item.headers {
        text.push_str(h.trim_end());
        text.push_str("\r\n\r\n");
    }
    if let Some(s) = &item.subject {
        text.push_str("Subject: ");
        text.push_str(s);
        text.push_str("\r\n\r\n");
    }
    if let Some(b) = &item.text {
        text.push_str(b);
    }
    // The bodies are read as the attached message's text too, as an attached message/rfc822's
    // are (the sender's words and links count: `expand` adds them to the message).
    for (name, body, html) in [
        ("message.txt", item.text.as_deref(), false),
        ("message.html", item.html.as_deref(), true),
    ] {
        if let Some(body) = body.filter(|b| !b.trim().is_empty()) {
            list.body(
                format!("{prefix}{name}"),
                body.chars().take(MAX_BODY_CHARS).collect(),
                html,
            );
        }
    }
    for (name, body) in [
        ("message.txt", Some(text.as_str())),
        ("message.html", item.html.as_deref()),
    ] {
        if let Some(body) = body.filter(|b| !b.is_empty())
            && list.room()
        {
            let i = list.add(format!("{prefix}{name}"), Vec::new());
            let data = list.extract(name, &mut body.as_bytes(), &|| 0, false);
            list.set_data(i, data);
        }
    }
    for (n, part) in item.attachments.iter().enumerate() {
        if !list.room() {
            return;
        }
        let name = part
            .name
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map_or_else(|| format!("attachment{}", n + 1), |s| s.replace('\0', ""));
        let name = format!("{prefix}{name}");
        if let Some(inner) = &part.item {
            let name = if name.to_ascii_lowercase().ends_with(".msg") {
                name
            } else {
                format!("{name}.msg")
            };
            list.add(name.clone(), Vec::new());
            list_item(inner, &format!("{name}!/"), list);
            continue;
        }
        let i = list.add(name.clone(), Vec::new());
        let data = list.extract(&name, &mut part.data.as_slice(), &|| 0, false);
        list.set_data(i, data);
    }
}

struct Reader<'c, F> {
    cf: &'c mut CompoundFile<F>,
    stream_max: u64,
    total_left: u64,
    storages_left: usize,
}

impl<F: Read + Seek> Reader<'_, F> {
    /// The item stored at `storage` (`""` for the root).
    fn item(&mut self, storage: &str, depth: usize) -> Item {
        let fixed = self.fixed(storage, if storage.is_empty() { 32 } else { 24 });
        let mut item = mapi::item_from(&mut View {
            reader: self,
            storage,
            fixed,
        });
        let dir = if storage.is_empty() { "/" } else { storage };
        let Ok(entries) = self.cf.read_storage(dir) else {
            return item;
        };
        let mut attachments: Vec<String> = entries
            .take(MAX_STORAGES)
            .filter(|e| e.is_storage() && e.name().starts_with(ATTACH_PREFIX))
            .map(|e| e.name().to_string())
            .collect();
        attachments.sort();
        for a in attachments {
            if self.storages_left == 0 || self.total_left == 0 {
                break;
            }
            self.storages_left -= 1;
            let path = format!("{storage}/{a}");
            let name = [
                tag::ATTACH_LONG_FILENAME,
                tag::ATTACH_FILENAME,
                tag::DISPLAY_NAME,
            ]
            .into_iter()
            .find_map(|t| self.string(&path, t, MAX_NAME_BYTES));
            let mime_type = self.string(&path, tag::ATTACH_MIME_TAG, MAX_NAME_BYTES);
            let embedded = format!("{path}/{EMBEDDED_MSG}");
            if self.cf.is_storage(&embedded) {
                let inner =
                    (depth + 1 < MAX_EMBEDDED_DEPTH).then(|| self.item(&embedded, depth + 1));
                item.attachments.push(Part {
                    name,
                    mime_type,
                    data: Vec::new(),
                    item: Some(Box::new(inner.unwrap_or_default())),
                });
                continue;
            }
            let data = self
                .read(&prop(&path, tag::ATTACH_DATA, "0102"), self.stream_max)
                .unwrap_or_default();
            item.attachments.push(Part {
                name,
                mime_type,
                data,
                item: None,
            });
        }
        item
    }

    /// A stream's bytes, at most `max`; `None` when it is missing or unreadable.
    fn read(&mut self, path: &str, max: u64) -> Option<Vec<u8>> {
        let stream = self.cf.open_stream(path).ok()?;
        let mut data = Vec::new();
        stream
            .take(max.min(self.stream_max).min(self.total_left))
            .read_to_end(&mut data)
            .ok()?;
        self.total_left = self.total_left.saturating_sub(data.len() as u64);
        Some(data)
    }

    /// A string property of the item at `storage`: the Unicode form, else the 8-bit one.
    fn string(&mut self, storage: &str, id: u16, max: u64) -> Option<String> {
        if let Some(raw) = self.read(&prop(storage, id, "001F"), max) {
            return Some(mapi::utf16(&raw));
        }
        let raw = self.read(&prop(storage, id, "001E"), max)?;
        Some(super::decode_name(&raw).trim_end_matches('\0').to_string())
    }

    /// The fixed-size properties of the item at `storage` (`__properties_version1.0`: a header
    /// of `header` bytes, then 16-byte entries of tag, flags and an 8-byte value).
    fn fixed(&mut self, storage: &str, header: usize) -> HashMap<u32, [u8; 8]> {
        let raw = self
            .read(&format!("{storage}/__properties_version1.0"), 16 * 4096)
            .unwrap_or_default();
        raw.get(header..)
            .unwrap_or_default()
            .chunks_exact(16)
            .map(|e| {
                let tag = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
                let mut value = [0u8; 8];
                value.copy_from_slice(&e[8..16]);
                (tag, value)
            })
            .collect()
    }
}

/// One item's properties in an Outlook item file: streams under `storage`, and the fixed-size
/// ones read from its property stream.
struct View<'r, 'c, F> {
    reader: &'r mut Reader<'c, F>,
    storage: &'r str,
    fixed: HashMap<u32, [u8; 8]>,
}

impl<F: Read + Seek> mapi::Props for View<'_, '_, F> {
    fn text(&mut self, id: u16) -> Option<String> {
        self.reader.string(self.storage, id, MAX_TEXT_BYTES)
    }

    fn binary(&mut self, id: u16, max: usize) -> Option<Vec<u8>> {
        self.reader
            .read(&prop(self.storage, id, "0102"), max as u64)
    }

    fn time(&mut self, id: u16) -> Option<i64> {
        let v = self.fixed.get(&(u32::from(id) << 16 | 0x0040))?;
        mapi::filetime_to_unix(u64::from_le_bytes(*v))
    }

    fn long(&mut self, id: u16) -> Option<u32> {
        let v = self.fixed.get(&(u32::from(id) << 16 | 0x0003))?;
        Some(u32::from_le_bytes([v[0], v[1], v[2], v[3]]))
    }
}

/// The stream path of property `id` of type `kind` (`001F`, `0102`...) under `storage`.
fn prop(storage: &str, id: u16, kind: &str) -> String {
    format!("{storage}/__substg1.0_{id:04X}{kind}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Limits;
    use std::io::Write;

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// An Outlook item with this subject and body and these attachments (name, bytes).
    pub(crate) fn msg_of(subject: &str, body: &str, attachments: &[(&str, &[u8])]) -> Vec<u8> {
        let mut cf = CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        let put = |cf: &mut CompoundFile<_>, path: &str, data: &[u8]| {
            cf.create_stream(path).unwrap().write_all(data).unwrap();
        };
        put(&mut cf, "/__properties_version1.0", &[0u8; 32]);
        put(&mut cf, "/__substg1.0_0037001F", &utf16(subject));
        put(&mut cf, "/__substg1.0_1000001F", &utf16(body));
        for (i, (name, data)) in attachments.iter().enumerate() {
            let dir = format!("/__attach_version1.0_#{i:08X}");
            cf.create_storage(&dir).unwrap();
            put(
                &mut cf,
                &format!("{dir}/__properties_version1.0"),
                &[0u8; 8],
            );
            put(
                &mut cf,
                &format!("{dir}/__substg1.0_3707001F"),
                &utf16(name),
            );
            put(&mut cf, &format!("{dir}/__substg1.0_37010102"), data);
        }
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    /// A saved item whose body is compressed RTF holding HTML, with an attached item that holds
    /// a program: read as a message, the link, the nested item and its program are all there.
    #[test]
    fn a_saved_item_with_an_rtf_body_and_an_attached_item_reads_as_a_message() {
        let mut cf = CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        let put = |cf: &mut CompoundFile<_>, path: &str, data: &[u8]| {
            cf.create_stream(path).unwrap().write_all(data).unwrap();
        };
        put(&mut cf, "/__properties_version1.0", &[0u8; 32]);
        put(&mut cf, "/__substg1.0_0037001F", &utf16("Invoice"));
        put(&mut cf, "/__substg1.0_0C1A001F", &utf16("Billing"));
        put(
            &mut cf,
            "/__substg1.0_5D01001F",
            &utf16("billing@bills-example.com"),
        );
        let rtf = r#"{\rtf1\ansi\fromhtml1 {\*\htmltag64 <a href="http://198.51.100.7/pay">}pay now{\*\htmltag72 </a>}}"#;
        put(
            &mut cf,
            "/__substg1.0_10090102",
            &compressed_rtf::compress_rtf(rtf).unwrap(),
        );
        let dir = "/__attach_version1.0_#00000000";
        cf.create_storage(dir).unwrap();
        put(
            &mut cf,
            &format!("{dir}/__substg1.0_3707001F"),
            &utf16("FW.msg"),
        );
        let inner = format!("{dir}/{EMBEDDED_MSG}");
        cf.create_storage(&inner).unwrap();
        put(
            &mut cf,
            &format!("{inner}/__substg1.0_0037001F"),
            &utf16("inner"),
        );
        let att = format!("{inner}/__attach_version1.0_#00000000");
        cf.create_storage(&att).unwrap();
        put(
            &mut cf,
            &format!("{att}/__substg1.0_3707001F"),
            &utf16("a.exe"),
        );
        put(&mut cf, &format!("{att}/__substg1.0_37010102"), b"MZ\x90\0");
        cf.flush().unwrap();
        let data = cf.into_inner().into_inner();

        let msg = crate::message::parse(&data, &Limits::default()).unwrap();
        assert_eq!(msg.subject.as_deref(), Some("Invoice"));
        assert_eq!(
            msg.from[0].address.as_deref(),
            Some("billing@bills-example.com")
        );
        assert!(
            msg.links.iter().any(|l| l.href.contains("198.51.100.7")),
            "{:?}",
            msg.links
        );
        assert!(
            msg.attachments
                .iter()
                .any(|a| a.name.as_deref() == Some("a.exe") && a.data.starts_with(b"MZ")),
            "{:?}",
            msg.attachments.iter().map(|a| &a.name).collect::<Vec<_>>()
        );

        // Attached to a mail, the same item lists its body, nested item and program.
        let att = Attachment {
            location: "2/x.msg".into(),
            data,
            ..Attachment::default()
        };
        let mut budget = Budget::new(&Limits::default());
        let (_, out) = open_all(&att, &mut budget);
        let names: Vec<&str> = out
            .children
            .iter()
            .map(|c| c.name.as_deref().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "message.txt",
                "message.html",
                "FW.msg",
                "FW.msg!/message.txt",
                "FW.msg!/a.exe"
            ]
        );
    }

    fn open_all(att: &Attachment, budget: &mut Budget) -> (bool, Opened) {
        let mut out = Opened::default();
        let claimed = open(att, budget, &mut out);
        (claimed, out)
    }

    #[test]
    fn attachments_and_text_of_an_outlook_item_are_listed() {
        let exe: &[u8] = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0";
        let data = msg_of(
            "請求書の件",
            "添付をご確認ください http://example.test/x",
            &[("請求書.pdf.exe", exe), ("memo.txt", b"hello")],
        );
        assert!(is_msg(&data));
        let att = Attachment {
            location: "2/FW.msg".into(),
            name: Some("FW.msg".into()),
            data,
            ..Attachment::default()
        };
        let mut budget = Budget::new(&Limits::default());
        let (claimed, out) = open_all(&att, &mut budget);
        assert!(claimed);
        let names: Vec<&str> = out
            .children
            .iter()
            .map(|c| c.name.as_deref().unwrap())
            .collect();
        assert_eq!(names, ["message.txt", "請求書.pdf.exe", "memo.txt"]);
        assert_eq!(out.children[1].data, exe);
        // The body also goes to the message's texts.
        assert_eq!(out.bodies.len(), 1);
        assert_eq!(out.bodies[0].name, "message.txt");
        assert!(out.bodies[0].text.contains("http://example.test/x") && !out.bodies[0].html);
        let text = String::from_utf8(out.children[0].data.clone()).unwrap();
        assert!(text.contains("請求書の件") && text.contains("http://example.test/x"));
        assert!(out.findings.is_empty(), "{:?}", out.findings);
    }

    #[test]
    fn other_compound_files_are_left_to_other_openers() {
        let doc = crate::checks::attachments::ichitaro::tests::cfb_of(&[("WordDocument", b"x")]);
        assert!(!is_msg(&doc));
        let att = Attachment {
            location: "2/a.doc".into(),
            name: Some("a.doc".into()),
            data: doc,
            ..Attachment::default()
        };
        let mut budget = Budget::new(&Limits::default());
        assert!(!open_all(&att, &mut budget).0);
    }

    #[test]
    fn the_budget_bounds_what_is_extracted() {
        let big = vec![b'A'; 300_000];
        let data = msg_of("s", "b", &[("a.bin", &big), ("b.exe", b"MZ")]);
        let att = Attachment {
            location: "2/FW.msg".into(),
            data,
            ..Attachment::default()
        };
        let mut budget = Budget {
            bytes_left: 100_000,
            entries_left: 100,
            ..Budget::new(&Limits::default())
        };
        let (_, out) = open_all(&att, &mut budget);
        let total: usize = out.children.iter().map(|c| c.data.len()).sum();
        assert!(total <= 100_000);
        assert!(out.findings.iter().any(|f| f.rule == "ARCHIVE_LIMIT"));
        assert_eq!(out.children.len(), 3, "names are still listed");
    }

    /// Truncated, garbled and forged items: no panic, bounded output.
    #[test]
    fn hostile_items_never_panic() {
        let exe: &[u8] = b"MZ\x90\0\x03\0\0\0";
        let sample = msg_of("s", "body", &[("a.exe", exe), ("b.txt", b"hi")]);
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for cut in [
            8,
            100,
            511,
            512,
            600,
            1024,
            sample.len() / 2,
            sample.len() - 1,
        ] {
            inputs.push(sample[..cut].to_vec());
        }
        // Huge declared stream sizes: every 64-bit size field of every directory entry.
        let mut huge = sample.clone();
        for at in (0..huge.len().saturating_sub(8)).step_by(128) {
            if let Some(w) = huge.get_mut(at + 120..at + 128) {
                w.copy_from_slice(&u64::MAX.to_le_bytes());
            }
        }
        inputs.push(huge);
        for _ in 0..400 {
            let mut data = sample.clone();
            for _ in 0..1 + rand() % 16 {
                let at = (rand() as usize) % data.len();
                data[at] = rand() as u8;
            }
            if rand() % 4 == 0 {
                let cut = (rand() as usize) % data.len();
                data.truncate(cut.max(9));
            }
            inputs.push(data);
        }
        for data in inputs {
            let len = data.len();
            let att = Attachment {
                location: "2/x.msg".into(),
                name: Some("x.msg".into()),
                data,
                ..Attachment::default()
            };
            let mut budget = Budget {
                bytes_left: 1 << 20,
                entries_left: 100,
                ..Budget::new(&Limits::default())
            };
            let (_, out) = open_all(&att, &mut budget);
            let total: usize = out.children.iter().map(|c| c.data.len()).sum();
            assert!(total <= 1 << 20);
            for c in &out.children {
                assert!(c.data.len() <= len + MAX_TEXT_BYTES as usize * 3);
            }
        }
    }
}
