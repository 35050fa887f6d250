//! VBA macros: MS-OVBA decompression, the `dir` stream's module list, and a classification of
//! the source the way mraptor does it (auto-run AND (write OR execute) is the mark of a lure).
//!
//! The decompressor and the `dir` reader are written here rather than taken from the `ovba`
//! crate: `ovba` 0.7.1 panics on truncated chunks (`split_at`), on copy tokens pointing before
//! the start of the output (subtraction overflow) and on unknown code pages (`expect`), and it
//! has no bound on the output. Both are small and bounded here: every output is capped.

use crate::formats::bytes::find;
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Source bytes kept per module, at most.
pub const MAX_MODULE_SOURCE: usize = 4 << 20;
/// Source bytes kept per VBA project, at most (summed over its modules).
pub const MAX_PROJECT_SOURCE: usize = 16 << 20;
/// A `dir` stream larger than this once decompressed is not a real one.
pub const MAX_DIR_BYTES: usize = 1 << 20;
/// Modules read per project, at most.
pub const MAX_MODULES: usize = 1_000;
/// Characters of a source line shown in a reason.
const EXCERPT_CHARS: usize = 100;

/// Decompresses an MS-OVBA `CompressedContainer` (signature byte 1, then chunks), keeping at
/// most `max_out` bytes. `None` when `data` is not a container; a damaged container yields what
/// came out before the damage.
pub fn decompress(data: &[u8], max_out: usize) -> Option<Vec<u8>> {
    if data.first() != Some(&1) {
        return None;
    }
    let mut out: Vec<u8> = Vec::new();
    let mut pos = 1usize;
    while out.len() < max_out {
        let Some(header) = le16(data, pos) else {
            break;
        };
        pos += 2;
        // The chunk signature (0b011 in bits 12-14) must be there; anything else is not VBA.
        if (header >> 12) & 0b111 != 0b011 {
            break;
        }
        let end = pos
            .saturating_add((header & 0x0FFF) as usize + 1)
            .min(data.len());
        if header & 0x8000 == 0 {
            // An uncompressed chunk: 4096 raw bytes.
            let raw_end = pos.saturating_add(4096).min(data.len());
            out.extend_from_slice(data.get(pos..raw_end).unwrap_or_default());
            pos = raw_end;
            continue;
        }
        let chunk_start = out.len();
        while pos < end {
            let Some(&flags) = data.get(pos) else {
                break;
            };
            pos += 1;
            for bit in 0..8 {
                if pos >= end {
                    break;
                }
                if (flags >> bit) & 1 == 0 {
                    if let Some(&b) = data.get(pos) {
                        out.push(b);
                    }
                    pos += 1;
                    continue;
                }
                let Some(token) = le16(data, pos).filter(|_| pos + 1 < end) else {
                    pos = end;
                    break;
                };
                pos += 2;
                let decompressed = out.len() - chunk_start;
                let mut bits = 4usize;
                while bits < 12 && (1usize << bits) < decompressed {
                    bits += 1;
                }
                let length = (token & (0xFFFFu16 >> bits)) as usize + 3;
                let offset = (token >> (16 - bits)) as usize + 1;
                if offset > decompressed {
                    // Points before the chunk: damaged. Keep what came out so far.
                    out.truncate(max_out);
                    return Some(out);
                }
                let from = out.len() - offset;
                for k in 0..length {
                    let Some(&b) = out.get(from + k) else {
                        break;
                    };
                    out.push(b);
                }
            }
            if out.len() >= max_out {
                break;
            }
        }
        pos = pos.max(end);
        if pos >= data.len() {
            break;
        }
    }
    out.truncate(max_out);
    Some(out)
}

pub(crate) fn le16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        d.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn le32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        d.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// A module as the `dir` stream lists it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleRef {
    pub name: String,
    /// The stream in the VBA storage that holds it.
    pub stream: String,
    /// Where the compressed source starts in that stream.
    pub offset: usize,
}

/// What the decompressed `dir` stream says: the code page of the source and the modules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dir {
    pub code_page: u16,
    pub modules: Vec<ModuleRef>,
}

/// Reads the records of a decompressed `dir` stream (id, size, data), tolerant of the records
/// it does not know. `PROJECTVERSION` (0x0009) is the one record whose size field lies.
pub fn parse_dir(d: &[u8]) -> Dir {
    let mut dir = Dir {
        code_page: 1252,
        modules: Vec::new(),
    };
    #[derive(Default)]
    struct Current {
        name: Option<String>,
        name_unicode: Option<String>,
        stream: Option<Vec<u8>>,
        stream_unicode: Option<String>,
        offset: usize,
    }
    let mut current: Option<Current> = None;
    let mut pos = 0usize;
    while let (Some(id), Some(size)) = (le16(d, pos), le32(d, pos + 2)) {
        pos += 6;
        let size = if id == 0x0009 { 6 } else { size as usize };
        let Some(data) = pos.checked_add(size).and_then(|end| d.get(pos..end)) else {
            break;
        };
        pos += size;
        match id {
            0x0003 => dir.code_page = le16(data, 0).unwrap_or(1252),
            0x0019 => {
                current = Some(Current {
                    name: Some(decode_cp(data, dir.code_page)),
                    ..Current::default()
                });
            }
            0x0047 => {
                if let Some(c) = current.as_mut() {
                    c.name_unicode = Some(utf16(data));
                }
            }
            0x001A => {
                if let Some(c) = current.as_mut() {
                    c.stream = Some(data.to_vec());
                }
            }
            0x0032 => {
                if let Some(c) = current.as_mut() {
                    c.stream_unicode = Some(utf16(data));
                }
            }
            0x0031 => {
                if let Some(c) = current.as_mut() {
                    c.offset = le32(data, 0).unwrap_or(0) as usize;
                }
            }
            0x002B => {
                if let Some(c) = current.take() {
                    let stream = c
                        .stream_unicode
                        .filter(|s| !s.is_empty())
                        .or_else(|| c.stream.map(|s| decode_cp(&s, dir.code_page)))
                        .unwrap_or_default();
                    let name = c
                        .name_unicode
                        .filter(|s| !s.is_empty())
                        .or(c.name)
                        .unwrap_or_else(|| stream.clone());
                    if !stream.is_empty() && dir.modules.len() < MAX_MODULES {
                        dir.modules.push(ModuleRef {
                            name,
                            stream,
                            offset: c.offset,
                        });
                    }
                }
            }
            0x0010 => break,
            _ => {}
        }
    }
    dir
}

fn utf16(data: &[u8]) -> String {
    let units: Vec<u16> = data
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// Text in a Windows code page, as VBA stores it.
pub fn decode_cp(data: &[u8], code_page: u16) -> String {
    use encoding_rs as e;
    let enc = match code_page {
        932 => e::SHIFT_JIS,
        936 => e::GBK,
        949 => e::EUC_KR,
        950 => e::BIG5,
        874 => e::WINDOWS_874,
        1250 => e::WINDOWS_1250,
        1251 => e::WINDOWS_1251,
        1253 => e::WINDOWS_1253,
        1254 => e::WINDOWS_1254,
        1255 => e::WINDOWS_1255,
        1256 => e::WINDOWS_1256,
        1257 => e::WINDOWS_1257,
        1258 => e::WINDOWS_1258,
        10000 => e::MACINTOSH,
        65001 => e::UTF_8,
        _ => e::WINDOWS_1252,
    };
    enc.decode_without_bom_handling(data).0.into_owned()
}

/// Where compressed source starts in a module stream whose offset is unknown: VBA source
/// always begins with `Attribute VB_Name`, and the first eight bytes of a chunk are literals
/// behind a zero flag byte (olevba looks for the same).
pub fn find_source_start(stream: &[u8]) -> Option<usize> {
    let at = find(stream, b"\x00Attribut")?;
    let start = at.checked_sub(3)?;
    (stream.get(start) == Some(&1)).then_some(start)
}

/// One module's source.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub name: String,
    pub source: String,
}

/// The word lists a classification needs (from `signatures/lists/vba_*.txt`).
#[derive(Debug, Clone, Copy)]
pub struct VbaLists<'a> {
    pub autoexec: &'a HashSet<String>,
    pub write: &'a HashSet<String>,
    pub execute: &'a HashSet<String>,
    pub download: &'a HashSet<String>,
    pub obfuscation: &'a HashSet<String>,
}

/// What the source of a module or a project does, as mraptor sees it. Each list holds the
/// keywords as written in the source, first occurrence, without repeats.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Classified {
    pub autoexec: Vec<String>,
    pub write: Vec<String>,
    pub execute: Vec<String>,
    pub download: Vec<String>,
    pub obfuscation: Vec<String>,
    /// The first line that runs or writes something, shortened.
    pub excerpt: Option<String>,
}

impl Classified {
    /// Runs on its own and then runs programs or writes/downloads files.
    pub fn is_suspicious(&self) -> bool {
        !self.autoexec.is_empty()
            && (!self.write.is_empty() || !self.execute.is_empty() || !self.download.is_empty())
    }

    /// Write and download keywords and execute keywords, for a reason.
    pub fn actions(&self) -> Vec<String> {
        let mut all = self.execute.clone();
        all.extend(self.download.iter().cloned());
        all.extend(self.write.iter().cloned());
        all
    }
}

/// `Open … For Output|Append|Binary|Random` writes a file; `Declare … Lib` calls Windows itself.
static OPEN_FOR_WRITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bOpen\b.+\bFor\s+(?:Output|Append|Binary|Random)\b").expect("valid regex")
});
static DECLARE_LIB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bDeclare\b.+\bLib\b").expect("valid regex"));

/// Classifies VBA source: comments and `Attribute` lines are skipped, identifiers (dotted names
/// whole and by part, strings included: `CreateObject("WScript.Shell")`) are looked up in the
/// lists. A list entry `*_suffix` matches any `Name_suffix` event handler.
pub fn classify(source: &str, lists: VbaLists<'_>) -> Classified {
    let mut c = Classified::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut excerpt_rank = 0u8;
    for raw_line in source.lines() {
        let line = strip_comment(raw_line).trim();
        if line.is_empty() || starts_with_word(line, "attribute") || starts_with_word(line, "rem") {
            continue;
        }
        let mut line_rank = 0u8;
        let mut push = |list: &mut Vec<String>, word: &str, rank: u8, line_rank: &mut u8| {
            *line_rank = (*line_rank).max(rank);
            if seen.insert(word.to_ascii_lowercase()) {
                list.push(word.to_string());
            }
        };
        for token in line.split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.'))
        {
            let token = token.trim_matches('.');
            if token.is_empty() {
                continue;
            }
            let mut candidates = vec![token];
            if token.contains('.') {
                candidates.extend(token.split('.').filter(|p| !p.is_empty()));
            }
            for word in candidates {
                let lower = word.to_ascii_lowercase();
                if matches(lists.autoexec, &lower) {
                    push(&mut c.autoexec, word, 0, &mut line_rank);
                } else if matches(lists.execute, &lower) {
                    push(&mut c.execute, word, 3, &mut line_rank);
                } else if matches(lists.download, &lower) {
                    push(&mut c.download, word, 2, &mut line_rank);
                } else if matches(lists.write, &lower) {
                    push(&mut c.write, word, 1, &mut line_rank);
                } else if matches(lists.obfuscation, &lower) {
                    push(&mut c.obfuscation, word, 0, &mut line_rank);
                }
            }
        }
        if OPEN_FOR_WRITE.is_match(line) {
            push(&mut c.write, "Open … For Output", 1, &mut line_rank);
        }
        if DECLARE_LIB.is_match(line) {
            push(&mut c.execute, "Declare … Lib", 3, &mut line_rank);
        }
        if line_rank > excerpt_rank {
            excerpt_rank = line_rank;
            c.excerpt = Some(shorten(line, EXCERPT_CHARS));
        }
    }
    c
}

/// Joins the classifications of several modules (each keyword once).
pub fn merge(into: &mut Classified, other: &Classified) {
    fn add(to: &mut Vec<String>, from: &[String]) {
        for w in from {
            if !to.iter().any(|x| x.eq_ignore_ascii_case(w)) {
                to.push(w.clone());
            }
        }
    }
    add(&mut into.autoexec, &other.autoexec);
    add(&mut into.write, &other.write);
    add(&mut into.execute, &other.execute);
    add(&mut into.download, &other.download);
    add(&mut into.obfuscation, &other.obfuscation);
    if into.excerpt.is_none() {
        into.excerpt.clone_from(&other.excerpt);
    }
}

fn matches(list: &HashSet<String>, lower: &str) -> bool {
    if list.contains(lower) {
        return true;
    }
    // Event handlers of controls: `InkPicture1_Painted`.
    lower.rfind('_').is_some_and(|i| {
        i > 0
            && lower
                .get(i..)
                .is_some_and(|suffix| list.contains(&format!("*{suffix}")))
    })
}

fn starts_with_word(line: &str, word: &str) -> bool {
    line.get(..word.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(word))
        && line
            .get(word.len()..)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// The line without its `'` comment (a quote inside a string literal is not a comment).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    for (i, ch) in line.char_indices() {
        match ch {
            '"' => in_string = !in_string,
            '\'' if !in_string => return &line[..i],
            _ => {}
        }
    }
    line
}

/// At most `max` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// MS-OVBA compression with literal tokens only (valid, just not smaller): what tests use to
    /// write VBA projects.
    pub(crate) fn compress_literal(data: &[u8]) -> Vec<u8> {
        let mut out = vec![1u8];
        // 3,640 literals (455 groups of 8 plus flag bytes) fit the 4,098-byte chunk limit.
        for chunk in data.chunks(3640) {
            let mut body = Vec::new();
            for group in chunk.chunks(8) {
                body.push(0u8);
                body.extend_from_slice(group);
            }
            let header = 0xB000u16 | (body.len() as u16 + 2 - 3);
            out.extend_from_slice(&header.to_le_bytes());
            out.extend_from_slice(&body);
        }
        out
    }

    #[test]
    fn literal_compression_round_trips() {
        let text: Vec<u8> = (0..10_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let c = compress_literal(&text);
        assert_eq!(decompress(&c, usize::MAX).unwrap(), text);
        assert_eq!(decompress(&c, 100).unwrap().len(), 100);
    }

    #[test]
    fn copy_tokens_from_the_spec_example() {
        // MS-OVBA 3.2.3: "#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
        let compressed: [u8; 57] = [
            0x01, 0x2F, 0xB0, 0x00, 0x23, 0x61, 0x61, 0x61, 0x62, 0x63, 0x64, 0x65, 0x82, 0x66,
            0x00, 0x70, 0x61, 0x67, 0x68, 0x69, 0x6A, 0x01, 0x38, 0x08, 0x61, 0x6B, 0x6C, 0x00,
            0x30, 0x6D, 0x6E, 0x6F, 0x70, 0x06, 0x71, 0x02, 0x70, 0x04, 0x10, 0x72, 0x73, 0x74,
            0x75, 0x76, 0x10, 0x77, 0x78, 0x79, 0x7A, 0x00, 0x3C, 0, 0, 0, 0, 0, 0,
        ];
        let out = decompress(&compressed[..53], usize::MAX).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
        );
    }

    #[test]
    fn broken_containers_do_not_panic() {
        assert_eq!(decompress(b"", 10), None);
        assert_eq!(decompress(b"\x02abc", 10), None);
        for data in [
            &b"\x01"[..],
            b"\x01\xff",
            b"\x01\xff\xbf\xff\xff\xff",
            b"\x01\x05\xb0\x01\xff\xff",
            b"\x01\x05\x30abc",
        ] {
            let _ = decompress(data, 1000);
        }
        // A copy token pointing before the chunk start.
        let out = decompress(b"\x01\x04\xb0\x02a\xff\xff", 1000).unwrap();
        assert_eq!(out, b"a");
    }

    fn lists() -> crate::signatures::Lists {
        crate::signatures::Signatures::embedded().unwrap().lists
    }

    fn run(source: &str) -> Classified {
        let l = lists();
        classify(source, l.vba())
    }

    #[test]
    fn autoexec_and_execute_is_suspicious() {
        let c = run(
            "Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\n  \
            Set s = CreateObject(\"WScript.Shell\")\r\n  s.Run \"powershell -w hidden\"\r\nEnd Sub\r\n",
        );
        assert_eq!(c.autoexec, ["AutoOpen"]);
        assert!(c.execute.contains(&"CreateObject".to_string()), "{c:?}");
        assert!(c.is_suspicious());
        assert!(c.excerpt.unwrap().contains("CreateObject"));
    }

    #[test]
    fn benign_macros_are_not_suspicious() {
        // Auto-run that only formats; a button that runs a program.
        let c = run(
            "Sub Workbook_Open()\n  Range(\"A1\").Value = Now ' Shell is not called\nEnd Sub\n",
        );
        assert_eq!(c.autoexec, ["Workbook_Open"]);
        assert!(!c.is_suspicious(), "{c:?}");
        let c = run("Sub Button1_Click()\n  Shell \"notepad.exe\"\nEnd Sub\n");
        assert!(c.autoexec.is_empty(), "{c:?}");
        assert!(!c.is_suspicious());
    }

    #[test]
    fn writes_downloads_and_event_handlers() {
        let c = run("Private Sub InkPicture1_Painted(ByVal h As Long)\n\
            Open Environ(\"TEMP\") & \"\\a.exe\" For Binary As #1\n\
            URLDownloadToFileA 0, u, p, 0, 0\nx = StrReverse(Chr(65))\nEnd Sub\n\
            Private Declare PtrSafe Function X Lib \"kernel32\" () As Long\n");
        assert_eq!(c.autoexec, ["InkPicture1_Painted"]);
        assert!(c.write.contains(&"Open … For Output".to_string()), "{c:?}");
        assert_eq!(c.download, ["URLDownloadToFileA"]);
        assert!(c.execute.contains(&"Declare … Lib".to_string()));
        assert_eq!(c.obfuscation, ["StrReverse", "Chr"]);
        assert!(c.is_suspicious());
    }

    /// A `dir` stream with the records `parse_dir` reads, for tests and fixtures.
    pub(crate) fn dir_stream(modules: &[(&str, u32)]) -> Vec<u8> {
        fn rec(d: &mut Vec<u8>, id: u16, data: &[u8]) {
            d.extend_from_slice(&id.to_le_bytes());
            d.extend_from_slice(&(data.len() as u32).to_le_bytes());
            d.extend_from_slice(data);
        }
        let mut d = Vec::new();
        rec(&mut d, 0x0001, &1u32.to_le_bytes());
        rec(&mut d, 0x0003, &1252u16.to_le_bytes());
        rec(&mut d, 0x0004, b"VBAProject");
        // PROJECTVERSION: its size field says 4, six bytes follow.
        d.extend_from_slice(&0x0009u16.to_le_bytes());
        d.extend_from_slice(&4u32.to_le_bytes());
        d.extend_from_slice(&[1, 0, 0, 0, 2, 0]);
        rec(&mut d, 0x000F, &(modules.len() as u16).to_le_bytes());
        rec(&mut d, 0x0013, &0xFFFFu16.to_le_bytes());
        for (name, offset) in modules {
            rec(&mut d, 0x0019, name.as_bytes());
            rec(&mut d, 0x001A, name.as_bytes());
            let unicode: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            rec(&mut d, 0x0032, &unicode);
            rec(&mut d, 0x0031, &offset.to_le_bytes());
            rec(&mut d, 0x0021, &[]);
            rec(&mut d, 0x002B, &[]);
        }
        rec(&mut d, 0x0010, &[]);
        d
    }

    #[test]
    fn dir_records_list_the_modules() {
        let d = parse_dir(&dir_stream(&[("ThisDocument", 0), ("Module1", 12)]));
        assert_eq!(d.code_page, 1252);
        assert_eq!(d.modules.len(), 2);
        assert_eq!(d.modules[1].name, "Module1");
        assert_eq!(d.modules[1].stream, "Module1");
        assert_eq!(d.modules[1].offset, 12);
        // Truncated anywhere: no panic, fewer modules.
        let full = dir_stream(&[("A", 0)]);
        for cut in 0..full.len() {
            let _ = parse_dir(&full[..cut]);
        }
    }

    #[test]
    fn source_start_is_found_without_the_dir() {
        let mut stream = vec![0xAAu8; 50];
        stream.extend(compress_literal(
            b"Attribute VB_Name = \"M\"\r\nSub X()\r\nEnd Sub\r\n",
        ));
        let at = find_source_start(&stream).unwrap();
        assert_eq!(at, 50);
        let src = decompress(&stream[at..], 1000).unwrap();
        assert!(src.starts_with(b"Attribute VB_Name"));
    }
}
