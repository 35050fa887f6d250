//! Ichitaro documents (`.jtd`, `.jtdc`, `.jtt`) read: the Japanese word processor whose
//! vulnerabilities targeted attacks on Japanese organisations exploited for years
//! (CVE-2013-3644, CVE-2013-5990, CVE-2016-4204 and others). The files are OLE2 compound files;
//! the exploit documents carried a Windows program, plain or after shellcode, inside their
//! streams.
//!
//! A file is Ichitaro by its streams (`DocumentText`, `JSRV_*`), or by its name when it has none of
//! Word's, Excel's or PowerPoint's (those are left to the Office analysis). Every stream is read
//! (cfb, bounded) and searched for a Windows program; streams that hold embedded objects (OLE
//! `Ole10Native` packages, nested compound files, zips, PDFs, RTF) are listed with the files they
//! hold, as is any program found. The Ichitaro opener (`checks::attachments::ichitaro`) hands them
//! on and reports.

use crate::formats::bytes::decode_name;
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

/// One stream or storage of the compound file.
#[derive(Debug, Clone)]
struct Entry {
    path: String,
    name: String,
    is_stream: bool,
}

/// Whether `data` (named `name`) is an Ichitaro document, and its entries if so.
fn ichitaro_entries(data: &[u8], name: Option<&str>) -> Option<Vec<Entry>> {
    if !data.starts_with(&crate::formats::sniff::OLE2_MAGIC) {
        return None;
    }
    let cf = cfb::CompoundFile::open(std::io::Cursor::new(data)).ok()?;
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
    let by_name = name
        .and_then(crate::formats::sniff::last_extension)
        .is_some_and(|e| ICHITARO_EXTENSIONS.contains(&e.as_str()));
    let office = entries
        .iter()
        .any(|e| OFFICE_STREAMS.contains(&e.name.as_str()));
    (by_streams || (by_name && !office)).then_some(entries)
}

/// Offset of the first Windows program in `data`: `MZ` whose header points at `PE\0\0`.
pub fn find_pe(data: &[u8]) -> Option<usize> {
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
pub fn ole10native(d: &[u8]) -> Option<(Option<String>, &[u8])> {
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

/// What an Ichitaro document holds.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Embedded objects, each described (`ObjectPool (object storage)`, `path (package
    /// `label`: kind)`), in the order of the streams.
    pub objects: Vec<String>,
    /// Windows programs found: the stream, the offset in it, what the program is.
    pub programs: Vec<(String, usize, String)>,
    /// The files it carries, to hand on: a name and the bytes.
    pub children: Vec<(String, Vec<u8>)>,
}

/// Reads an Ichitaro document (`name`, its file name, counts when it has no stream only Ichitaro
/// writes); `None` for any other file.
pub fn read(file: &[u8], name: Option<&str>) -> Option<Document> {
    let entries = ichitaro_entries(file, name)?;
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(file)).ok()?;
    // A valid compound file holds no more stream data than its own size; this also bounds a
    // forged sector chain.
    let mut read_left = file.len().saturating_mul(2) as u64 + (1 << 20);
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
        let max = read_left.min(file.len() as u64);
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
    Some(Document {
        objects,
        programs,
        children,
    })
}

fn describe(data: Option<&[u8]>) -> String {
    crate::formats::executable::describe(data.unwrap_or_default())
        .map(|p| p.description)
        .unwrap_or_else(|| "Windows executable (PE)".into())
}
