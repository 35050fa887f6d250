//! Archive and disk-image openers: one file per format, and the bounded extraction they share.
//!
//! Every opener lists what its container holds through a [`Lister`], which spends the message's
//! [`Budget`], stops inflating on a compression ratio no real file has, and turns what it saw
//! (encryption, limits, names that climb out of the extraction folder) into findings on the
//! container's location.

pub mod diskimage;
pub mod fat;
pub mod gzip;
pub mod iso;
pub mod onenote;
pub mod outlook;
pub mod rar;
pub mod sevenz;
pub mod tar;
pub mod tnef;
pub mod zip;

use super::Attachment;
use super::opener::{Budget, Child, Opened};
use crate::config::Limits;
use crate::finding::Finding;
use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;

/// An entry may always expand to this many bytes, whatever its compression ratio.
pub const RATIO_FREE_BYTES: u64 = 8 * 1024 * 1024;
/// Past `RATIO_FREE_BYTES`, an entry stops when it has expanded more than this many times the
/// compressed bytes read for it: ordinary files stay far below (text and XML 5–20:1), a run of
/// zeros deflates 1000:1.
pub const MAX_RATIO: u64 = 100;
/// Files in one container, at most, whatever the message's entry budget says: a bound on the
/// memory a forged central directory or header list can make a parser take.
pub const MAX_ENTRIES_PER_CONTAINER: usize = 65_536;
/// Bytes read at a time while extracting, so the limits are checked as data comes.
const CHUNK: usize = 64 * 1024;

/// The container format of `data`, from its signature, if lurescreen opens it; for reports and
/// for telling that nesting stopped at a container.
pub fn format_of(data: &[u8]) -> Option<&'static str> {
    if zip::is_zip(data) {
        Some("zip")
    } else if gzip::is_gzip(data) {
        Some("gzip")
    } else if tar::is_tar(data) {
        Some("tar")
    } else if sevenz::is_7z(data) {
        Some("7z")
    } else if rar::version(data).is_some() {
        Some("rar")
    } else if outlook::is_msg(data) {
        Some("msg")
    } else if tnef::is_tnef(data) {
        Some("tnef")
    } else {
        diskimage::kind(data).map(diskimage::Kind::format)
    }
}

/// Findings of one rule kept per message: past this, a report would drown in repeats (a 42.zip
/// has thousands of nested archives).
pub const MAX_SAME_FINDINGS: usize = 10;

/// Adds an opener's findings to the message's: ARCHIVE_LIMIT gets the message budget as
/// evidence, a damaged archive is not reported once a limit has cut archives short (it is then
/// expected), and each rule is kept at most `MAX_SAME_FINDINGS` times.
pub fn add_findings(structural: &mut Vec<Finding>, found: Vec<Finding>, limits: &Limits) {
    for mut f in found {
        let seen = structural.iter().filter(|s| s.rule == f.rule).count();
        if seen >= MAX_SAME_FINDINGS {
            continue;
        }
        match f.rule {
            "ARCHIVE_LIMIT" => {
                f = f.with("budget", limits.max_expanded_bytes.to_string());
            }
            "ARCHIVE_TOO_MANY_ENTRIES" if !f.evidence.iter().any(|(k, _)| k == "limit") => {
                f = f.with("limit", limits.max_expanded_entries.to_string());
            }
            "ARCHIVE_UNREADABLE" if structural.iter().any(|s| s.rule == "ARCHIVE_LIMIT") => {
                continue;
            }
            _ => {}
        }
        structural.push(f);
    }
}

/// The name to show for a container: its file name, or its location when it has none.
pub fn display_name(att: &Attachment) -> String {
    att.name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| att.location.clone())
}

/// File names stored as bytes: decoded by the readers' rule (`formats::bytes::decode_name`).
pub use crate::formats::bytes::decode_name;

/// Why a name in an archive would be written outside the folder it is extracted to.
pub fn escapes_folder(name: &str) -> Option<&'static str> {
    let unified = name.replace('\\', "/");
    let bytes = unified.as_bytes();
    if unified.starts_with('/') {
        Some("/")
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        Some("C:")
    } else if unified.split('/').any(|part| part.trim_end() == "..") {
        Some("..")
    } else {
        None
    }
}

/// Why extraction of an entry stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The message's budget of extracted bytes ran out.
    Budget,
    /// The entry expanded beyond `MAX_RATIO` past `RATIO_FREE_BYTES`.
    Ratio,
}

/// A reader over a byte slice that counts what was read through it, for the compression ratio.
/// Clones share the count.
#[derive(Debug, Clone)]
pub struct Counting<'a> {
    inner: io::Cursor<&'a [u8]>,
    read: Rc<Cell<u64>>,
}

impl<'a> Counting<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Counting {
            inner: io::Cursor::new(data),
            read: Rc::new(Cell::new(0)),
        }
    }

    /// A handle on the count that outlives moving the reader into a parser.
    pub fn counter(&self) -> Rc<Cell<u64>> {
        Rc::clone(&self.read)
    }
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get().saturating_add(n as u64));
        Ok(n)
    }
}

impl Seek for Counting<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Lists one container's files into `Opened`, spending the message's budget, and gathers the
/// findings about the container itself.
pub struct Lister<'a, 'l> {
    att: &'a Attachment,
    budget: &'a mut Budget<'l>,
    out: &'a mut Opened,
    format: &'static str,
    listed: usize,
    encrypted: usize,
    entries_stopped: bool,
    bytes_stopped: bool,
    last_stop: Option<Stop>,
}

impl<'a, 'l> Lister<'a, 'l> {
    pub fn new(
        att: &'a Attachment,
        budget: &'a mut Budget<'l>,
        out: &'a mut Opened,
        format: &'static str,
    ) -> Self {
        Lister {
            att,
            budget,
            out,
            format,
            listed: 0,
            encrypted: 0,
            entries_stopped: false,
            bytes_stopped: false,
            last_stop: None,
        }
    }

    pub fn format(&self) -> &'static str {
        self.format
    }

    /// Whether another file may be listed; the first refusal records a finding. Openers stop
    /// listing once this says no.
    pub fn room(&mut self) -> bool {
        if self.entries_stopped {
            return false;
        }
        if self.budget.out_of_time() {
            self.entries_stopped = true;
            let f = self
                .budget
                .time_finding(
                    &self.att.location,
                    format!(
                        "listing the {} {} after {} file(s)",
                        self.format,
                        display_name(self.att),
                        self.listed
                    ),
                )
                .with(
                    "skipped_ja",
                    format!(
                        "{} {} の {} 個目より後のファイルの一覧",
                        self.format,
                        display_name(self.att),
                        self.listed
                    ),
                );
            self.push(f);
            return false;
        }
        if self.budget.entries_left == 0 || self.listed >= MAX_ENTRIES_PER_CONTAINER {
            self.entries_stopped = true;
            let message_budget = self.budget.entries_left == 0;
            if message_budget {
                if self.budget.entries_reported {
                    return false;
                }
                self.budget.entries_reported = true;
            }
            let mut f = Finding::new("ARCHIVE_TOO_MANY_ENTRIES", &self.att.location)
                .with("name", display_name(self.att))
                .with("listed", self.listed.to_string());
            if !message_budget {
                // This archive alone is over the per-archive bound; else `add_findings` adds the
                // message's limit.
                f = f.with("limit", MAX_ENTRIES_PER_CONTAINER.to_string());
            }
            self.push(f);
            return false;
        }
        true
    }

    /// Whether bytes may still be extracted (the budget has not run out in this container).
    pub fn can_extract(&self) -> bool {
        !self.bytes_stopped && self.budget.bytes_left > 0
    }

    /// A directory: not listed as a file, but its name is judged.
    pub fn directory(&mut self, name: &str) {
        if let Some(how) = escapes_folder(name) {
            self.push(
                Finding::new("ARCHIVE_PATH_TRAVERSAL", &self.att.location)
                    .with("name", display_name(self.att))
                    .with("entry", name)
                    .with("how", how),
            );
        }
    }

    /// Adds a file and returns its index among the children. Call `room()` first.
    pub fn add(&mut self, name: String, data: Vec<u8>) -> usize {
        self.directory(&name);
        self.budget.entries_left = self.budget.entries_left.saturating_sub(1);
        self.listed += 1;
        self.out.children.push(Child {
            name: Some(name),
            data,
            content_type: None,
        });
        self.out.children.len() - 1
    }

    /// Adds a file whose contents are encrypted (listed by name, no data).
    pub fn add_encrypted(&mut self, name: String) -> usize {
        self.encrypted += 1;
        self.add(name, Vec::new())
    }

    /// Sets the data of a child listed before (formats that list first and extract after).
    /// A message body the container carries, for the message's texts (see `Opened::bodies`).
    pub fn body(&mut self, name: String, text: String, html: bool) {
        self.out
            .bodies
            .push(super::opener::Body { name, text, html });
    }

    pub fn set_data(&mut self, child: usize, data: Vec<u8>) {
        if let Some(c) = self.out.children.get_mut(child) {
            c.data = data;
        }
    }

    /// Why the last `extract` stopped early, if it did.
    pub fn stopped(&self) -> Option<Stop> {
        self.last_stop
    }

    /// Names of files whose contents cannot be read without a password (whole-archive
    /// encryption of the headers: not even the names are visible).
    pub fn names_encrypted(&mut self) {
        self.out.encrypted = true;
        self.push(
            Finding::new("ARCHIVE_ENCRYPTED_NAMES", &self.att.location)
                .with("name", display_name(self.att))
                .with("format", self.format),
        );
    }

    /// A container that could not be read past its signature.
    pub fn unreadable(&mut self, error: impl std::fmt::Display) {
        let error = error.to_string();
        self.push(
            Finding::new("ARCHIVE_UNREADABLE", &self.att.location)
                .with("name", display_name(self.att))
                .with("format", self.format)
                .with("error", error),
        );
    }

    /// Reads one entry's data from `reader`, at most what the budget and the ratio allow;
    /// `consumed` gives the compressed bytes read so far for this entry (for the ratio; pass a
    /// constant 0-returning closure and `ratio_applies = false` for stored data). Returns what
    /// was read; past a limit, the part read so far and a finding.
    pub fn extract(
        &mut self,
        entry: &str,
        reader: &mut dyn Read,
        consumed: &dyn Fn() -> u64,
        ratio_applies: bool,
    ) -> Vec<u8> {
        let mut data = Vec::new();
        self.last_stop = None;
        if !self.can_extract() {
            self.last_stop = Some(Stop::Budget);
            return data;
        }
        let mut buf = vec![0u8; CHUNK];
        let stop = loop {
            let room = self.budget.bytes_left.min(CHUNK as u64) as usize;
            if room == 0 {
                break Some(Stop::Budget);
            }
            let n = match reader.read(buf.get_mut(..room).unwrap_or_default()) {
                Ok(0) => break None,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // A broken stream or a wrong checksum: keep what came out before it.
                Err(_) => break None,
            };
            self.budget.bytes_left -= n as u64;
            data.extend_from_slice(buf.get(..n).unwrap_or_default());
            let out = data.len() as u64;
            if ratio_applies
                && out > RATIO_FREE_BYTES
                && out > MAX_RATIO.saturating_mul(consumed().max(1))
            {
                break Some(Stop::Ratio);
            }
        };
        if let Some(stop) = stop {
            self.last_stop = Some(stop);
            self.limit(entry, stop, data.len() as u64, consumed());
        }
        data
    }

    /// Records that extraction stopped at `entry`; once per container for the budget (later
    /// entries are listed by name only).
    pub fn limit(&mut self, entry: &str, stop: Stop, expanded: u64, compressed: u64) {
        if stop == Stop::Budget {
            if self.bytes_stopped {
                return;
            }
            self.bytes_stopped = true;
        }
        let ratio = expanded
            .checked_div(compressed)
            .map_or_else(|| "-".into(), |r| format!("{r}:1"));
        self.push(
            Finding::new("ARCHIVE_LIMIT", &self.att.location)
                .with("name", display_name(self.att))
                .with("entry", entry)
                .with("expanded", expanded.to_string())
                .with("ratio", ratio)
                .with("max_ratio", format!("{MAX_RATIO}:1"))
                .with("ratio_free", RATIO_FREE_BYTES.to_string()),
        );
    }

    fn push(&mut self, f: Finding) {
        self.out.findings.push(f);
    }

    /// Ends the listing: records encryption.
    pub fn finish(self) {
        if self.encrypted > 0 {
            self.out.encrypted = true;
            self.out.findings.push(
                Finding::new("ARCHIVE_ENCRYPTED", &self.att.location)
                    .with("name", display_name(self.att))
                    .with("format", self.format)
                    .with("count", self.encrypted.to_string())
                    .with("total", self.listed.to_string()),
            );
        }
    }
}

/// Little-endian integers from a slice, `None` past its end.
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

pub(crate) fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        d.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_legacy_encodings_are_decoded() {
        assert_eq!(decode_name("請求書.pdf.exe".as_bytes()), "請求書.pdf.exe");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("請求書.pdf.exe");
        assert_eq!(decode_name(&sjis), "請求書.pdf.exe");
        assert_eq!(decode_name(b"caf\xe9\xff\xff"), "caf\u{e9}\u{ff}\u{ff}");
    }

    #[test]
    fn names_that_leave_the_folder() {
        assert_eq!(escapes_folder("../../Startup/a.exe"), Some(".."));
        assert_eq!(escapes_folder("a\\..\\..\\b.exe"), Some(".."));
        assert_eq!(escapes_folder("/etc/passwd"), Some("/"));
        assert_eq!(escapes_folder("C:\\Users\\x.lnk"), Some("C:"));
        assert_eq!(escapes_folder("docs/..report.pdf"), None);
        assert_eq!(escapes_folder("a/b/c.txt"), None);
    }

    /// Found while seeding the archive fuzz target: an archive whose first member is a PDF
    /// stored uncompressed has `%PDF-` within its first 1024 bytes, and was taken for that PDF, so
    /// the program beside it was never listed.
    #[test]
    fn archive_with_a_stored_pdf_first_is_opened_as_the_archive() {
        let pdf: &[u8] =
            b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        let exe: &[u8] = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0";
        let stored = |name: &'static str, data: &'static [u8]| zip::tests::RawEntry {
            name: name.as_bytes(),
            flags: 0,
            method: 0,
            data,
            size: data.len() as u64,
            extra: Vec::new(),
        };
        let pdf: &'static [u8] = pdf;
        let exe: &'static [u8] = exe;
        let archives = [
            (
                "a.zip",
                zip::tests::raw_zip(&[stored("a.pdf", pdf), stored("invoice.pdf.exe", exe)]),
            ),
            (
                "a.rar",
                rar::tests::rar5_of(&[("a.pdf", pdf, false), ("invoice.pdf.exe", exe, false)]),
            ),
            (
                "a.tar",
                tar::tests::tar_of(&[("a.pdf", pdf), ("invoice.pdf.exe", exe)]),
            ),
        ];
        let engine = crate::Engine::new(
            crate::config::Config::default(),
            crate::Signatures::embedded().unwrap(),
        );
        for (name, data) in archives {
            assert!(
                crate::formats::pdf::raw::header_offset(&data).is_some(),
                "{name}: the fixture must have a PDF header in its first 1024 bytes"
            );
            let report = engine.scan_attachment(name, &data).unwrap();
            let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
            assert!(
                rules.contains(&"ATTACH_DANGEROUS_EXTENSION"),
                "{name}: {rules:?}"
            );
            assert!(!rules.contains(&"PDF_HEADER_OFFSET"), "{name}: {rules:?}");
        }
    }

    fn att() -> Attachment {
        Attachment {
            location: "2/a.zip".into(),
            name: Some("a.zip".into()),
            ..Attachment::default()
        }
    }

    #[test]
    fn extraction_stops_at_the_ratio_and_keeps_the_head() {
        let a = att();
        let mut budget = Budget {
            bytes_left: u64::MAX / 2,
            entries_left: 10,
            ..Budget::new(&Limits::default())
        };
        let mut out = Opened::default();
        let mut l = Lister::new(&a, &mut budget, &mut out, "zip");
        let mut zeros = io::repeat(0).take(1 << 40);
        let data = l.extract("z", &mut zeros, &|| 1000, true);
        assert!(data.len() as u64 > RATIO_FREE_BYTES);
        assert!((data.len() as u64) < RATIO_FREE_BYTES + 2 * CHUNK as u64);
        l.finish();
        assert_eq!(out.findings[0].rule, "ARCHIVE_LIMIT");
    }

    #[test]
    fn extraction_stops_at_the_budget_once() {
        let a = att();
        let mut budget = Budget {
            bytes_left: 100_000,
            entries_left: 10,
            ..Budget::new(&Limits::default())
        };
        let mut out = Opened::default();
        let mut l = Lister::new(&a, &mut budget, &mut out, "tar");
        let first = l.extract("a", &mut io::repeat(1).take(90_000), &|| 0, false);
        let second = l.extract("b", &mut io::repeat(1).take(90_000), &|| 0, false);
        let third = l.extract("c", &mut io::repeat(1).take(90_000), &|| 0, false);
        assert_eq!(first.len(), 90_000);
        assert_eq!(second.len(), 10_000);
        assert!(third.is_empty());
        assert_eq!(out.findings.len(), 1);
        assert_eq!(budget.bytes_left, 0);
    }

    #[test]
    fn findings_are_capped_and_follow_ons_of_a_limit_dropped() {
        let limits = Limits::default();
        let mut structural = Vec::new();
        let many = (0..50)
            .map(|i| Finding::new("ARCHIVE_ENCRYPTED", format!("2/{i}.zip")))
            .collect();
        add_findings(&mut structural, many, &limits);
        assert_eq!(structural.len(), MAX_SAME_FINDINGS);
        let f = vec![
            Finding::new("ARCHIVE_LIMIT", "3/a.zip"),
            Finding::new("ARCHIVE_UNREADABLE", "3/a.zip!/b.zip"),
        ];
        add_findings(&mut structural, f, &limits);
        let last = structural.last().unwrap();
        assert_eq!(last.rule, "ARCHIVE_LIMIT");
        assert_eq!(last.evidence[0].0, "budget");
    }

    #[test]
    fn a_budget_spent_before_a_container_is_not_reported_again() {
        let a = att();
        let mut budget = Budget {
            bytes_left: 0,
            entries_left: 0,
            entries_reported: true,
            ..Budget::new(&crate::config::Limits::default())
        };
        let mut out = Opened::default();
        let mut l = Lister::new(&a, &mut budget, &mut out, "zip");
        assert!(!l.room());
        l.finish();
        assert!(out.findings.is_empty());
    }

    #[test]
    fn entry_room_runs_out_with_one_finding() {
        let a = att();
        let mut budget = Budget {
            bytes_left: 0,
            entries_left: 2,
            ..Budget::new(&crate::config::Limits::default())
        };
        let mut out = Opened::default();
        let mut l = Lister::new(&a, &mut budget, &mut out, "zip");
        let mut n = 0;
        while l.room() && n < 10 {
            l.add(format!("f{n}"), Vec::new());
            n += 1;
        }
        assert!(!l.room());
        l.finish();
        assert_eq!(n, 2);
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].rule, "ARCHIVE_TOO_MANY_ENTRIES");
    }

    #[test]
    fn mutated_containers_never_panic() {
        let openers = crate::engine::openers::ALL.list;
        let samples = vec![
            zip::tests::zip_of(&[
                ("a.exe", b"MZ\x90\0 some data here"),
                ("b/c.txt", b"hello hello"),
            ]),
            gzip::tests::gzip_of(Some("x.tar"), &tar::tests::tar_of(&[("a.txt", b"abc")])),
            tar::tests::tar_of(&[("a.txt", b"abc"), ("d/e.exe", b"MZ")]),
            rar::tests::rar5_of(&[("a.exe", b"MZ", false), ("b.txt", b"hi", true)]),
            iso::tests::iso_of(&[("A.EXE", b"MZ")], &[("B.TXT", b"b")], true),
            fat::tests::fat12_of(&[("A.EXE", Some("long name.exe"), b"MZ")]),
            sevenz::tests::seven_z(&[("a.exe", b"MZ"), ("b.txt", b"hello")], None, false),
            sevenz::tests::seven_z(&[("a.exe", b"MZ")], Some("pw12"), false),
            onenote::tests::onenote_of(&["a.hta", "b.png"], &[b"<hta:application>", b"MZ\x90"]),
            outlook::tests::msg_of("s", "b", &[("a.exe", b"MZ\x90\0"), ("b.txt", b"hi")]),
            crate::checks::attachments::ichitaro::tests::cfb_of(&[
                ("DocumentText", b"text"),
                (
                    "O/\u{1}Ole10Native",
                    &crate::checks::attachments::ichitaro::tests::package("a.exe", b"MZ\x90\0"),
                ),
            ]),
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for sample in &samples {
            for _ in 0..150 {
                let mut data = sample.clone();
                for _ in 0..1 + rand() % 8 {
                    let at = (rand() as usize) % data.len();
                    data[at] = rand() as u8;
                }
                if rand() % 4 == 0 {
                    let cut = (rand() as usize) % data.len();
                    data.truncate(cut.max(1));
                }
                let a = Attachment {
                    location: "2/m".into(),
                    data,
                    ..Attachment::default()
                };
                let mut budget = Budget {
                    bytes_left: 1 << 20,
                    entries_left: 100,
                    ..Budget::new(&crate::config::Limits::default())
                };
                let mut out = Opened::default();
                for (_, open) in openers {
                    if open(&a, &mut budget, &mut out) {
                        break;
                    }
                }
            }
        }
    }
}
