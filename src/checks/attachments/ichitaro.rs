//! Ichitaro documents (`.jtd`, `.jtdc`, `.jtt`): the Japanese word processor whose vulnerabilities
//! targeted attacks on Japanese organisations exploited for years (CVE-2013-3644, CVE-2013-5990,
//! CVE-2016-4204 and others). The files are OLE2 compound files; the exploit documents carried a
//! Windows program, plain or after shellcode, inside their streams.
//!
//! A file is Ichitaro by its streams (`DocumentText`, `JSRV_*`), or by its name when it has none of
//! Word's, Excel's or PowerPoint's (those are left to the Office analysis). Every stream is read
//! (cfb, bounded) and searched for a Windows program; streams that hold embedded objects (OLE
//! `Ole10Native` packages, nested compound files, zips, PDFs, RTF) are listed and handed on as
//! attachments of their own (`2/a.jtd!/invoice.exe`), as is any program found.

use crate::finding::Finding;
use crate::formats::bytes::decode_name;
use crate::message::Attachment;
use crate::message::containers::{Lister, display_name};
use crate::message::opener::{Budget, Opened};
use std::io::Read;

const ICHITARO_EXTENSIONS: &[&str] = &["jtd", "jtdc", "jtt", "jttc"];
/// Streams only Ichitaro writes.
const ICHITARO_STREAMS: &[&str] = &["DocumentText", "JSRV_SegmentInfo"];
/// Streams of Microsoft Office documents: a file with these is not Ichitaro, whatever its name.
const OFFICE_STREAMS: &[&str] = &[
    "WordDocument",
    "Workbook",
    "Book",
    "PowerPoint Document",
    "_VBA_PROJECT_CUR",
    "Macros",
    "EncryptedPackage",
];
/// Entries of a compound file looked at, at most.
const MAX_ENTRIES: usize = 4096;
/// Objects named in a finding, at most.
const MAX_LISTED: usize = 8;

/// One stream or storage of the compound file.
#[derive(Debug, Clone)]
struct Entry {
    path: String,
    name: String,
    is_stream: bool,
}

/// Whether `att` is an Ichitaro document, and its entries if so.
fn ichitaro_entries(att: &Attachment) -> Option<Vec<Entry>> {
    if !att.data.starts_with(&crate::formats::sniff::OLE2_MAGIC) {
        return None;
    }
    let cf = cfb::CompoundFile::open(std::io::Cursor::new(att.data.as_slice())).ok()?;
    let entries: Vec<Entry> = cf
        .walk()
        .take(MAX_ENTRIES)
        .map(|e| Entry {
            path: e
                .path()
                .to_string_lossy()
                .trim_start_matches('/')
                .to_string(),
            name: e.name().to_string(),
            is_stream: e.is_stream(),
        })
        .collect();
    let by_streams = entries
        .iter()
        .any(|e| ICHITARO_STREAMS.contains(&e.name.as_str()) || e.name.starts_with("JSRV_"));
    let by_name = att
        .name
        .as_deref()
        .and_then(crate::formats::sniff::last_extension)
        .is_some_and(|e| ICHITARO_EXTENSIONS.contains(&e.as_str()));
    let office = entries
        .iter()
        .any(|e| OFFICE_STREAMS.contains(&e.name.as_str()));
    (by_streams || (by_name && !office)).then_some(entries)
}

/// Offset of the first Windows program in `data`: `MZ` whose header points at `PE\0\0`.
pub(crate) fn find_pe(data: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(data, b"MZ").find(|&i| {
        let h = data.get(i..).unwrap_or_default();
        h.get(0x3C..0x40)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
            .filter(|&o| (0x40..=0x1000).contains(&o))
            .and_then(|o| h.get(o as usize..o as usize + 4))
            .is_some_and(|pe| pe == b"PE\0\0")
    })
}

/// The file inside an OLE `Ole10Native` stream (a Packager object): its name and bytes, as
/// oletools reads it: size, a short, the label, the source path, two longs, the temporary path,
/// the data size, the data.
pub(crate) fn ole10native(d: &[u8]) -> Option<(Option<String>, &[u8])> {
    let cstr = |at: usize| -> Option<(String, usize)> {
        let rest = d.get(at..)?;
        let end = rest.iter().position(|&b| b == 0)?;
        Some((decode_name(rest.get(..end)?), at + end + 1))
    };
    let (label, at) = cstr(6)?;
    let (source, at) = cstr(at)?;
    let (temp, at) = cstr(at + 8)?;
    let size = d
        .get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes)? as usize;
    let body = d.get(at + 4..)?;
    let body = body.get(..size).unwrap_or(body);
    let base = |p: &str| p.rsplit(['\\', '/']).next().unwrap_or(p).trim().to_string();
    let name = [label, source, temp]
        .iter()
        .map(|p| base(p))
        .find(|n| !n.is_empty());
    Some((name, body))
}

/// What a stream holds when it holds a file of its own.
fn nested_kind(data: &[u8]) -> Option<String> {
    let s = crate::formats::sniff::sniff(data);
    match s.kind {
        crate::formats::sniff::Kind::Ole2
        | crate::formats::sniff::Kind::Zip
        | crate::formats::sniff::Kind::ZipDocument(_)
        | crate::formats::sniff::Kind::Pdf
        | crate::formats::sniff::Kind::Rtf
        | crate::formats::sniff::Kind::Pe(_)
        | crate::formats::sniff::Kind::Lnk
        | crate::formats::sniff::Kind::OneNote
        | crate::formats::sniff::Kind::Archive(_) => Some(s.label()),
        _ => None,
    }
}

/// The container stage's opener for Ichitaro documents.
pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    let Some(entries) = ichitaro_entries(att) else {
        return false;
    };
    let Ok(mut cf) = cfb::CompoundFile::open(std::io::Cursor::new(att.data.as_slice())) else {
        return false;
    };
    let file = display_name(att);
    // A valid compound file holds no more stream data than its own size; this also bounds a
    // forged sector chain.
    let mut read_left = att.data.len().saturating_mul(2) as u64 + (1 << 20);
    let mut objects: Vec<String> = Vec::new();
    let mut programs: Vec<(String, usize, String)> = Vec::new();
    let mut children: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in &entries {
        if !entry.is_stream {
            if entry.name == "ObjectPool" || entry.name.starts_with('\u{1}') {
                objects.push(format!("{} (object storage)", entry.path));
            }
            continue;
        }
        let Ok(stream) = cf.open_stream(&entry.path) else {
            continue;
        };
        let mut data = Vec::new();
        let max = read_left.min(att.data.len() as u64);
        if stream.take(max).read_to_end(&mut data).is_err() && data.is_empty() {
            continue;
        }
        read_left = read_left.saturating_sub(data.len() as u64);
        if entry.name == "\u{1}Ole10Native"
            && let Some((name, body)) = ole10native(&data)
        {
            let label = name.clone().unwrap_or_else(|| entry.name.clone());
            let kind = crate::formats::sniff::sniff(body).label();
            objects.push(format!("{} (package `{label}`: {kind})", entry.path));
            children.push((label, body.to_vec()));
            if let Some(at) = find_pe(body) {
                programs.push((entry.path.clone(), at, describe(body.get(at..))));
            }
            continue;
        }
        if let Some(kind) = nested_kind(&data) {
            objects.push(format!("{} ({kind})", entry.path));
            children.push((entry.name.clone(), data.clone()));
            if let Some(at) = find_pe(&data) {
                programs.push((entry.path.clone(), at, describe(data.get(at..))));
            }
            continue;
        }
        if let Some(at) = find_pe(&data) {
            programs.push((entry.path.clone(), at, describe(data.get(at..))));
            children.push((
                format!("{}@{at}", entry.name),
                data.get(at..).unwrap_or_default().to_vec(),
            ));
        }
        if read_left == 0 {
            break;
        }
    }

    let mut list = Lister::new(att, budget, out, "ichitaro");
    for (name, data) in children {
        if !list.room() {
            break;
        }
        let content = list.extract(&name, &mut data.as_slice(), &|| 0, false);
        list.add(name, content);
    }
    list.finish();
    if let Some((stream, at, what)) = programs.first() {
        out.findings.push(
            Finding::new("ATTACH_ICHITARO_EXECUTABLE", &att.location)
                .with("name", file.clone())
                .with("stream", stream.clone())
                .with("offset", at.to_string())
                .with("what", what.clone())
                .with("count", programs.len().to_string()),
        );
    }
    if !objects.is_empty() {
        let total = objects.len();
        let mut shown = objects
            .into_iter()
            .take(MAX_LISTED)
            .collect::<Vec<_>>()
            .join(", ");
        if total > MAX_LISTED {
            shown.push_str(&format!(", … (+{})", total - MAX_LISTED));
        }
        out.findings.push(
            Finding::new("ATTACH_ICHITARO_OBJECT", &att.location)
                .with("name", file)
                .with("count", total.to_string())
                .with("objects", shown),
        );
    }
    true
}

fn describe(data: Option<&[u8]>) -> String {
    crate::formats::executable::describe(data.unwrap_or_default())
        .map(|p| p.description)
        .unwrap_or_else(|| "Windows executable (PE)".into())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Limits;
    use std::io::{Cursor, Write};

    /// A compound file with these streams (`/`-separated paths; storages made as needed).
    pub(crate) fn cfb_of(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (path, data) in streams {
            if let Some((dir, _)) = path.rsplit_once('/') {
                cf.create_storage_all(dir).unwrap();
            }
            let mut s = cf.create_stream(path).unwrap();
            s.write_all(data).unwrap();
        }
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    /// An Ole10Native stream carrying `data` as `name`.
    pub(crate) fn package(name: &str, data: &[u8]) -> Vec<u8> {
        let mut body = vec![2, 0];
        body.extend(name.as_bytes());
        body.push(0);
        body.extend(format!("C:\\Users\\a\\{name}").as_bytes());
        body.push(0);
        body.extend([0, 0, 3, 0]);
        let temp = format!("C:\\Temp\\{name}");
        body.extend((temp.len() as u32 + 1).to_le_bytes());
        body.extend(temp.as_bytes());
        body.push(0);
        body.extend((data.len() as u32).to_le_bytes());
        body.extend(data);
        let mut out = (body.len() as u32).to_le_bytes().to_vec();
        out.extend(body);
        out
    }

    fn pe() -> Vec<u8> {
        crate::formats::executable::tests::minimal_pe(false, 2)
    }

    fn open_named(name: &str, data: Vec<u8>) -> Option<Opened> {
        let att = Attachment {
            location: format!("2/{name}"),
            name: Some(name.into()),
            data,
            ..Attachment::default()
        };
        let mut out = Opened::default();
        let mut budget = Budget::new(&Limits::default());
        open(&att, &mut budget, &mut out).then_some(out)
    }

    fn text() -> Vec<u8> {
        "本文のテキスト".repeat(100).into_bytes()
    }

    #[test]
    fn a_program_hidden_in_a_stream_is_found_and_handed_on() {
        let mut shell = vec![0x90u8; 300];
        shell.extend(pe());
        let doc = cfb_of(&[
            ("DocumentText", &text()),
            ("JSRV_SegmentInfo", b"\x01\x02"),
            ("JSRV_BlockData", &shell),
        ]);
        let o = open_named("報告書.jtd", doc).expect("Ichitaro");
        let f = o
            .findings
            .iter()
            .find(|f| f.rule == "ATTACH_ICHITARO_EXECUTABLE")
            .unwrap();
        assert_eq!(f.evidence[1].1, "JSRV_BlockData");
        assert_eq!(f.evidence[2].1, "300");
        assert_eq!(o.children.len(), 1);
        assert_eq!(o.children[0].name.as_deref(), Some("JSRV_BlockData@300"));
        assert!(o.children[0].data.starts_with(b"MZ"));
    }

    #[test]
    fn embedded_packages_are_listed_and_extracted() {
        let doc = cfb_of(&[
            ("DocumentText", &text()),
            (
                "Object1/\u{1}Ole10Native",
                &package("請求書.js", b"WScript.Echo(1)"),
            ),
        ]);
        let o = open_named("a.jtd", doc).unwrap();
        let f = o
            .findings
            .iter()
            .find(|f| f.rule == "ATTACH_ICHITARO_OBJECT")
            .unwrap();
        assert!(f.evidence[2].1.contains("package `請求書.js`"), "{f:?}");
        assert_eq!(o.children[0].name.as_deref(), Some("請求書.js"));
        assert_eq!(o.children[0].data, b"WScript.Echo(1)");
    }

    #[test]
    fn a_plain_ichitaro_document_has_no_finding() {
        let doc = cfb_of(&[("DocumentText", &text()), ("JSRV_SegmentInfo", b"\x01")]);
        let o = open_named("議事録.jtd", doc).unwrap();
        assert!(o.findings.is_empty());
        assert!(o.children.is_empty());
    }

    #[test]
    fn word_documents_are_left_to_the_office_analysis() {
        let doc = cfb_of(&[("WordDocument", &text())]);
        assert!(open_named("renamed.jtd", doc.clone()).is_none());
        assert!(open_named("a.doc", doc).is_none());
        // Ichitaro by name, no Office streams: claimed.
        assert!(open_named("a.jtd", cfb_of(&[("Contents", b"x")])).is_some());
        assert!(open_named("a.jtd", b"not an OLE file".to_vec()).is_none());
    }

    #[test]
    fn find_pe_needs_a_pe_header() {
        assert_eq!(find_pe(b"xxMZ no header here"), None);
        let mut d = b"junk".to_vec();
        d.extend(pe());
        assert_eq!(find_pe(&d), Some(4));
    }
}
