//! OneNote sections (`.one`, MS-ONESTORE): the files embedded in them. In 2023 Qakbot and others
//! mailed OneNote files with a "double-click to view" button over an embedded `.hta`, `.cmd` or
//! `.exe`; OneNote runs it on a double click.
//!
//! Each embedded file (and picture) is stored whole in a `FileDataStoreObject`: a header GUID
//! `{BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC}`, the length as 64 bits, 12 reserved bytes, the data.
//! Those are found by a bounded search for the GUID, as onedump and one-extract do, without
//! parsing the revision store. The files' names live elsewhere (an `EmbeddedFileName` property: a
//! 32-bit byte count and UTF-16 text); names of that shape are gathered outside the file data and
//! given to files whose content fits their extension, in order. A file with no fitting name is
//! listed as `embedded-N`.

use super::{Lister, le32};
use crate::finding::Finding;
use crate::formats::sniff;
use crate::formats::sniff::Kind;
use crate::message::Attachment;
use crate::message::expand::{Budget, Opened};

/// `{BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC}` as stored (little-endian fields).
const FILE_DATA_GUID: [u8; 16] = [
    0xE7, 0x16, 0xE3, 0xBD, 0x65, 0x26, 0x11, 0x45, 0xA4, 0xC4, 0x8D, 0x4D, 0x0B, 0x7A, 0x9E, 0xAC,
];
/// GUID, 64-bit length, 4 unused and 8 reserved bytes.
const HEADER_LEN: usize = 36;
/// Names gathered per file, at most.
const MAX_NAMES: usize = 1024;
/// Longest name kept, in UTF-16 units.
const MAX_NAME_UNITS: usize = 255;
/// Files named in a finding, at most.
const MAX_LISTED: usize = 8;

pub fn is_onenote(data: &[u8]) -> bool {
    data.starts_with(&sniff::ONENOTE_GUID)
}

/// An embedded file's place in the section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stored {
    /// Offset of its data.
    start: usize,
    /// Offset past its data (clipped to the file).
    end: usize,
    /// The declared length ran past the end of the file.
    cut: bool,
}

/// Every `FileDataStoreObject` in the file, in order. The search resumes after each object's
/// data, so a OneNote file embedded in another is opened as a child, not searched through here.
fn stored_files(data: &[u8], max: usize) -> Vec<Stored> {
    let finder = memchr::memmem::Finder::new(&FILE_DATA_GUID);
    let mut out = Vec::new();
    let mut from = 0;
    while out.len() < max {
        let Some(i) = data.get(from..).and_then(|rest| finder.find(rest)) else {
            break;
        };
        let at = from + i;
        let len = data
            .get(at + 16..at + 24)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes);
        let start = at + HEADER_LEN;
        let (Some(len), true) = (len, start <= data.len()) else {
            break;
        };
        let want = start as u64 + len;
        let end = want.min(data.len() as u64) as usize;
        out.push(Stored {
            start,
            end,
            cut: want > data.len() as u64,
        });
        from = end.max(at + 16);
    }
    out
}

/// Strings shaped like an `EmbeddedFileName` property value outside the files' data: a 32-bit
/// byte count, then that many bytes of UTF-16 naming a file with an extension. Paths are cut to
/// their last component. In file order, without repeats.
fn file_names(data: &[u8], skip: &[Stored]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut at = 0;
    let mut regions = skip.iter().peekable();
    while at + 4 <= data.len() && names.len() < MAX_NAMES {
        if let Some(r) = regions.peek() {
            if at >= r.start && at < r.end {
                at = r.end;
                regions.next();
                continue;
            }
            if at >= r.end {
                regions.next();
                continue;
            }
        }
        let len = le32(data, at).unwrap_or(0) as usize;
        if len >= 6
            && len.is_multiple_of(2)
            && len <= MAX_NAME_UNITS * 2
            && let Some(name) = data.get(at + 4..at + 4 + len).and_then(name_from_utf16)
        {
            if !names.contains(&name) {
                names.push(name);
            }
            at += 4 + len;
            continue;
        }
        at += 1;
    }
    names
}

/// A file name from UTF-16LE bytes (a trailing NUL allowed): printable, with a stem and an
/// extension of 1 to 8 letters and digits, at least one a letter.
fn name_from_utf16(bytes: &[u8]) -> Option<String> {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let units = units.strip_suffix(&[0]).unwrap_or(&units);
    let text = String::from_utf16(units).ok()?;
    if text.chars().any(|c| c.is_control() || c == '\u{FFFD}') {
        return None;
    }
    let base = text.rsplit(['\\', '/']).next()?.trim();
    let (stem, ext) = base.rsplit_once('.')?;
    let ext_ok = (1..=8).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
        && ext.chars().any(|c| c.is_ascii_alphabetic());
    let stem_ok = !stem.trim().is_empty() && !stem.contains(['<', '>', '"', '|', '?', '*', ':']);
    (ext_ok && stem_ok).then(|| base.to_string())
}

/// Broad families of file types, to tell whether a name fits a file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Media,
    Pdf,
    Office,
    Archive,
    /// Programs, scripts, text and anything else.
    Other,
}

fn family_of_extension(ext: &str) -> Family {
    match ext {
        "jpg" | "jpeg" | "jpe" | "png" | "gif" | "bmp" | "tif" | "tiff" | "emf" | "wmf" | "ico"
        | "webp" | "heic" | "mp3" | "mp4" | "m4a" | "wav" | "wma" | "wmv" | "avi" | "mov"
        | "mpg" | "mpeg" => Family::Media,
        "pdf" => Family::Pdf,
        "doc" | "dot" | "docx" | "docm" | "xls" | "xlt" | "xlsx" | "xlsm" | "xlsb" | "ppt"
        | "pps" | "pptx" | "pptm" | "ppsx" | "msg" | "odt" | "ods" | "odp" => Family::Office,
        "zip" | "rar" | "7z" | "gz" | "tgz" | "tar" | "iso" | "img" | "vhd" | "vhdx" | "cab"
        | "lzh" => Family::Archive,
        _ => Family::Other,
    }
}

fn family_of_kind(kind: &Kind) -> Family {
    match kind {
        Kind::Media(_) => Family::Media,
        Kind::Pdf => Family::Pdf,
        Kind::Ole2 | Kind::ZipDocument(_) | Kind::Rtf => Family::Office,
        Kind::Zip | Kind::Archive(_) => Family::Archive,
        _ => Family::Other,
    }
}

/// Names for the files: the first unused gathered name whose extension fits each file's content.
fn pair_names(kinds: &[Kind], names: &[String]) -> Vec<Option<String>> {
    let mut used = vec![false; names.len()];
    kinds
        .iter()
        .map(|kind| {
            let family = family_of_kind(kind);
            let pick = names.iter().enumerate().find(|(i, n)| {
                !used.get(*i).copied().unwrap_or(true)
                    && sniff::last_extension(n).is_some_and(|e| family_of_extension(&e) == family)
            });
            pick.map(|(i, n)| {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                n.clone()
            })
        })
        .collect()
}

/// The opener: lists a OneNote section's embedded files as children and reports them.
pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    if !is_onenote(&att.data) {
        return false;
    }
    let data = &att.data;
    let stored = stored_files(data, super::MAX_ENTRIES_PER_CONTAINER);
    let kinds: Vec<Kind> = stored
        .iter()
        .map(|s| sniff::sniff(data.get(s.start..s.end).unwrap_or_default()).kind)
        .collect();
    let names = pair_names(&kinds, &file_names(data, &stored));
    let mut list = Lister::new(att, budget, out, "onenote");
    let mut listed: Vec<String> = Vec::new();
    for (n, (s, kind)) in stored.iter().zip(&kinds).enumerate() {
        if !list.room() {
            break;
        }
        let name = names
            .get(n)
            .cloned()
            .flatten()
            .unwrap_or_else(|| format!("embedded-{}", n + 1));
        let mut bytes = data.get(s.start..s.end).unwrap_or_default();
        let content = list.extract(&name, &mut bytes, &|| 0, false);
        let label = sniff::Sniffed { kind: kind.clone() }.label();
        let cut = if s.cut { ", cut short" } else { "" };
        listed.push(format!(
            "`{name}` ({label}, {} bytes{cut})",
            s.end - s.start
        ));
        list.add(name, content);
    }
    list.finish();
    if !listed.is_empty() {
        let total = listed.len();
        let mut shown = listed
            .into_iter()
            .take(MAX_LISTED)
            .collect::<Vec<_>>()
            .join(", ");
        if total > MAX_LISTED {
            shown.push_str(&format!(", … (+{})", total - MAX_LISTED));
        }
        out.findings.push(
            Finding::new("ATTACH_ONENOTE_EMBEDDED_FILE", &att.location)
                .with("name", super::display_name(att))
                .with("count", total.to_string())
                .with("files", shown),
        );
    }
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Limits;

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// A property value as OneNote stores a name: byte count, UTF-16.
    pub(crate) fn name_property(name: &str) -> Vec<u8> {
        let text = utf16(name);
        let mut out = (text.len() as u32).to_le_bytes().to_vec();
        out.extend(text);
        out
    }

    /// One `FileDataStoreObject`: header, data, padding to 8 bytes, footer GUID.
    pub(crate) fn file_data_object(data: &[u8]) -> Vec<u8> {
        let mut out = FILE_DATA_GUID.to_vec();
        out.extend((data.len() as u64).to_le_bytes());
        out.extend([0u8; 12]);
        out.extend_from_slice(data);
        while !out.len().is_multiple_of(8) {
            out.push(0);
        }
        // guidFooter {71FBA722-0F79-4A0B-BB13-899256426B24}
        out.extend([
            0x22, 0xA7, 0xFB, 0x71, 0x79, 0x0F, 0x0B, 0x4A, 0xBB, 0x13, 0x89, 0x92, 0x56, 0x42,
            0x6B, 0x24,
        ]);
        out
    }

    /// A section: the file format GUID and some header bytes, name properties, then the files.
    pub(crate) fn onenote_of(names: &[&str], files: &[&[u8]]) -> Vec<u8> {
        let mut out = sniff::ONENOTE_GUID.to_vec();
        out.extend([0u8; 0x400 - 16]);
        out.extend([0x09, 0x04, 0x00, 0x00]);
        for n in names {
            out.extend(name_property(n));
            out.extend([0u8; 6]);
        }
        for f in files {
            out.extend(file_data_object(f));
        }
        out
    }

    fn open_one(data: Vec<u8>) -> Opened {
        let att = Attachment {
            location: "2/notes.one".into(),
            name: Some("notes.one".into()),
            data,
            ..Attachment::default()
        };
        let mut out = Opened::default();
        let mut budget = Budget::new(&Limits::default());
        assert!(open(&att, &mut budget, &mut out));
        out
    }

    const HTA: &[u8] = b"<html><head><HTA:APPLICATION id=x></head><script language=\"VBScript\">\
CreateObject(\"WScript.Shell\").Run \"cmd /c calc\"</script></html>";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

    #[test]
    fn embedded_files_are_children_named_by_fitting_names() {
        let o = open_one(onenote_of(
            &["button.png", "C:\\Users\\a\\open.hta"],
            &[PNG, HTA],
        ));
        let names: Vec<_> = o.children.iter().map(|c| c.name.clone().unwrap()).collect();
        assert_eq!(names, ["button.png", "open.hta"]);
        assert_eq!(o.children[1].data, HTA);
        let f = &o.findings[0];
        assert_eq!(f.rule, "ATTACH_ONENOTE_EMBEDDED_FILE");
        assert_eq!(f.evidence[1].1, "2");
        assert!(
            f.evidence[2]
                .1
                .contains("`open.hta` (HTML application (HTA)"),
            "{:?}",
            f
        );
    }

    #[test]
    fn a_name_that_does_not_fit_the_content_is_not_given() {
        // The only name is a picture's; the script gets a neutral name.
        let o = open_one(onenote_of(&["photo.jpg"], &[HTA]));
        assert_eq!(o.children[0].name.as_deref(), Some("embedded-1"));
    }

    #[test]
    fn a_section_without_files_has_no_finding() {
        let o = open_one(onenote_of(&["Meeting notes.txt"], &[]));
        assert!(o.children.is_empty());
        assert!(o.findings.is_empty());
    }

    #[test]
    fn a_length_past_the_end_keeps_what_is_there() {
        let mut one = onenote_of(&[], &[b"MZ\x90\0 program"]);
        // Declare 1 GB: the length field follows the object's GUID, after the 0x400-byte
        // header and the 4 bytes before the (absent) names.
        let at = 0x404 + 16;
        one[at..at + 8].copy_from_slice(&(1u64 << 30).to_le_bytes());
        one.truncate(one.len() - 16);
        let o = open_one(one);
        assert_eq!(o.children.len(), 1);
        assert!(o.children[0].data.starts_with(b"MZ\x90\0 program"));
        assert!(o.findings[0].evidence[2].1.contains("cut short"));
    }

    #[test]
    fn other_files_are_not_opened() {
        let att = Attachment {
            data: b"MZ\x90\0".to_vec(),
            ..Attachment::default()
        };
        let mut budget = Budget::new(&Limits::default());
        assert!(!open(&att, &mut budget, &mut Opened::default()));
    }
}
