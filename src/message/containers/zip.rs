//! Zip archives, and the Office Open XML / OpenDocument files that are zips inside: every entry
//! becomes a child (so `word/vbaProject.bin` is there for the Office checks), encrypted entries
//! (ZipCrypto, AES) are listed by name only.

use super::{Counting, Lister, decode_name};
use crate::message::Attachment;
use crate::message::opener::{Budget, Opened};
use zip::{CompressionMethod, ZipArchive};

/// General purpose flag bits: encrypted, strong encryption.
const FLAG_ENCRYPTED: u16 = 0x0001;
const FLAG_STRONG_ENCRYPTION: u16 = 0x0040;

/// A local file header, an empty archive, or a spanned archive's marker at the start.
pub fn is_zip(data: &[u8]) -> bool {
    data.starts_with(b"PK\x03\x04")
        || data.starts_with(b"PK\x05\x06")
        || data.starts_with(b"PK\x07\x08PK\x03\x04")
}

pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    if !is_zip(&att.data) {
        return false;
    }
    let mut list = Lister::new(att, budget, out, "zip");
    let reader = Counting::new(&att.data);
    let counter = reader.counter();
    let mut archive = match ZipArchive::new(reader) {
        Ok(a) => a,
        Err(e) => {
            list.unreadable(e);
            list.finish();
            return true;
        }
    };
    let meta = archive.metadata();
    for i in 0..meta.len() {
        let Ok(entry) = meta.entry(i) else {
            continue;
        };
        let name = decode_name(entry.name_raw());
        if entry.is_dir() {
            list.directory(&name);
            continue;
        }
        if !list.room() {
            break;
        }
        let flags = entry.flags().as_u16();
        let method = entry.compression();
        if flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0
            || method == CompressionMethod::AES
        {
            list.add_encrypted(name);
            continue;
        }
        let inflates = match method {
            CompressionMethod::Stored => false,
            CompressionMethod::Deflated | CompressionMethod::Deflate64 => true,
            // bzip2, LZMA, zstd, ...: listed by name; their contents are not read.
            _ => {
                list.add(name, Vec::new());
                continue;
            }
        };
        if !list.can_extract() {
            list.add(name, Vec::new());
            continue;
        }
        let start = counter.get();
        let data = match archive.by_index(i) {
            Ok(mut file) => {
                let consumed = || counter.get().saturating_sub(start);
                list.extract(&name, &mut file, &consumed, inflates)
            }
            Err(_) => Vec::new(),
        };
        list.add(name, data);
    }
    list.finish();
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// A zip of `(name, data)` entries, deflated.
    pub(crate) fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, data) in files {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// One entry written by hand, for what the zip crate will not write: encryption flags, AES,
    /// raw names, a forged deflate stream.
    pub(crate) struct RawEntry<'a> {
        pub name: &'a [u8],
        pub flags: u16,
        pub method: u16,
        pub data: &'a [u8],
        pub size: u64,
        pub extra: Vec<u8>,
    }

    /// A zip built from raw entries, with Zip64 sizes when an entry is over 4 GiB.
    pub(crate) fn raw_zip(entries: &[RawEntry<'_>]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for e in entries {
            let offset = out.len() as u32;
            let zip64 = e.size >= u32::MAX as u64;
            let mut extra = e.extra.clone();
            if zip64 {
                extra.extend_from_slice(&1u16.to_le_bytes());
                extra.extend_from_slice(&16u16.to_le_bytes());
                extra.extend_from_slice(&e.size.to_le_bytes());
                extra.extend_from_slice(&(e.data.len() as u64).to_le_bytes());
            }
            let (csize, usize_) = if zip64 {
                (u32::MAX, u32::MAX)
            } else {
                (e.data.len() as u32, e.size as u32)
            };
            let common = |v: &mut Vec<u8>| {
                v.extend_from_slice(&(if zip64 { 45u16 } else { 20u16 }).to_le_bytes());
                v.extend_from_slice(&e.flags.to_le_bytes());
                v.extend_from_slice(&e.method.to_le_bytes());
                v.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
                v.extend_from_slice(&0u32.to_le_bytes()); // crc (not checked before the end)
                v.extend_from_slice(&csize.to_le_bytes());
                v.extend_from_slice(&usize_.to_le_bytes());
                v.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
                v.extend_from_slice(&(extra.len() as u16).to_le_bytes());
            };
            out.extend_from_slice(b"PK\x03\x04");
            common(&mut out);
            out.extend_from_slice(e.name);
            out.extend_from_slice(&extra);
            out.extend_from_slice(e.data);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&20u16.to_le_bytes());
            common(&mut central);
            central.extend_from_slice(&[0; 6]); // comment len, disk, internal attrs
            central.extend_from_slice(&0u32.to_le_bytes()); // external attrs
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(e.name);
            central.extend_from_slice(&extra);
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    /// A raw deflate stream of `size` zero bytes, built from one repeated full-flushed block so
    /// that gigabytes cost a few megabytes and milliseconds.
    pub(crate) fn deflated_zeros(size: u64) -> Vec<u8> {
        use flate2::{Compress, Compression, FlushCompress};
        const BLOCK: usize = 1 << 20;
        let zeros = vec![0u8; BLOCK];
        let mut c = Compress::new(Compression::best(), false);
        let mut chunk = |flush| {
            let mut out = Vec::with_capacity(BLOCK / 500 + 64);
            let input: &[u8] = if flush == FlushCompress::Finish {
                &[]
            } else {
                &zeros
            };
            let before = c.total_in();
            loop {
                out.reserve(4096);
                c.compress_vec(&input[(c.total_in() - before) as usize..], &mut out, flush)
                    .unwrap();
                if (c.total_in() - before) as usize == input.len() && out.capacity() > out.len() {
                    break;
                }
            }
            out
        };
        let first = chunk(FlushCompress::Full);
        let steady = chunk(FlushCompress::Full);
        let blocks = size / BLOCK as u64;
        let mut out = first;
        for _ in 1..blocks {
            out.extend_from_slice(&steady);
        }
        out.extend_from_slice(&chunk(FlushCompress::Finish));
        out
    }

    fn att(data: Vec<u8>) -> Attachment {
        Attachment {
            location: "2/a.zip".into(),
            name: Some("a.zip".into()),
            data,
            ..Attachment::default()
        }
    }

    pub(crate) fn open_with(data: Vec<u8>, budget: &mut Budget) -> Opened {
        let mut out = Opened::default();
        assert!(open(&att(data), budget, &mut out));
        out
    }

    fn budget() -> Budget<'static> {
        Budget::new(&crate::config::Limits::default())
    }

    fn rules(o: &Opened) -> Vec<&str> {
        o.findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn entries_become_children_with_their_data() {
        let z = zip_of(&[
            ("請求書.pdf.exe", b"MZ\x90\0"),
            ("dir/readme.txt", b"hello"),
        ]);
        let o = open_with(z, &mut budget());
        assert!(o.findings.is_empty());
        assert!(!o.encrypted);
        assert_eq!(o.children.len(), 2);
        assert_eq!(o.children[0].name.as_deref(), Some("請求書.pdf.exe"));
        assert_eq!(o.children[0].data, b"MZ\x90\0");
        assert_eq!(o.children[1].data, b"hello");
    }

    #[test]
    fn shift_jis_names_without_the_utf8_flag_are_decoded() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("見積書.pdf.lnk");
        let z = raw_zip(&[RawEntry {
            name: &sjis,
            flags: 0,
            method: 0,
            data: b"L\0\0\0",
            size: 4,
            extra: Vec::new(),
        }]);
        let o = open_with(z, &mut budget());
        assert_eq!(o.children[0].name.as_deref(), Some("見積書.pdf.lnk"));
        assert_eq!(o.children[0].data, b"L\0\0\0");
    }

    #[test]
    fn zipcrypto_and_aes_entries_are_encrypted() {
        let mut aes_extra = 0x9901u16.to_le_bytes().to_vec();
        aes_extra.extend_from_slice(&7u16.to_le_bytes());
        aes_extra.extend_from_slice(&[2, 0, b'A', b'E', 3, 8, 0]);
        let z = raw_zip(&[
            RawEntry {
                name: b"a.exe",
                flags: 1,
                method: 8,
                data: &[0x55; 40],
                size: 100,
                extra: Vec::new(),
            },
            RawEntry {
                name: b"b.doc",
                flags: 1,
                method: 99,
                data: &[0x66; 40],
                size: 100,
                extra: aes_extra,
            },
            RawEntry {
                name: b"c.txt",
                flags: 0,
                method: 0,
                data: b"plain",
                size: 5,
                extra: Vec::new(),
            },
        ]);
        let o = open_with(z, &mut budget());
        assert!(o.encrypted);
        assert_eq!(rules(&o), ["ARCHIVE_ENCRYPTED"]);
        let f = &o.findings[0];
        assert_eq!(f.evidence[2], ("count".into(), "2".into()));
        assert_eq!(f.evidence[3], ("total".into(), "3".into()));
        assert!(o.children[0].data.is_empty());
        assert_eq!(o.children[2].data, b"plain");
    }

    #[test]
    fn traversal_names_are_reported() {
        let z = zip_of(&[(
            "../../AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/x.bat",
            b"@echo off",
        )]);
        let o = open_with(z, &mut budget());
        assert_eq!(rules(&o), ["ARCHIVE_PATH_TRAVERSAL"]);
    }

    #[test]
    fn a_ten_gigabyte_entry_of_zeros_stops_at_the_ratio() {
        let size = 10 * (1u64 << 30);
        let deflated = deflated_zeros(size);
        assert!(deflated.len() < 12 << 20, "{}", deflated.len());
        let z = raw_zip(&[RawEntry {
            name: b"zeros.bin",
            flags: 0,
            method: 8,
            data: &deflated,
            size,
            extra: Vec::new(),
        }]);
        let mut b = budget();
        let before = b.bytes_left;
        let o = open_with(z, &mut b);
        assert_eq!(rules(&o), ["ARCHIVE_LIMIT"]);
        let spent = before - b.bytes_left;
        assert!(spent < super::super::RATIO_FREE_BYTES * 2, "{spent}");
        // The head of the file stays for the other checks.
        assert_eq!(o.children[0].data.len() as u64, spent);
    }

    #[test]
    fn the_message_budget_caps_what_is_extracted() {
        let big = vec![7u8; 300_000];
        let z = zip_of(&[("a.bin", &big), ("b.bin", &big), ("c.exe", b"MZ")]);
        let mut b = Budget {
            bytes_left: 400_000,
            entries_left: 100,
            ..Budget::new(&crate::config::Limits::default())
        };
        let o = open_with(z, &mut b);
        assert_eq!(rules(&o), ["ARCHIVE_LIMIT"]);
        assert_eq!(o.children.len(), 3, "names are still listed");
        assert_eq!(o.children[1].data.len(), 100_000);
        assert!(o.children[2].data.is_empty());
        assert_eq!(b.bytes_left, 0);
    }

    #[test]
    fn broken_zip_is_unreadable_not_a_panic() {
        let mut z = zip_of(&[("a.txt", b"hello hello hello")]);
        let cut = z.len() - 10;
        z.truncate(cut);
        let o = open_with(z, &mut budget());
        assert_eq!(rules(&o), ["ARCHIVE_UNREADABLE"]);
        // Garbage after the signature.
        let mut g = b"PK\x03\x04".to_vec();
        g.extend_from_slice(&[0xff; 300]);
        let o = open_with(g, &mut budget());
        assert_eq!(rules(&o), ["ARCHIVE_UNREADABLE"]);
    }

    #[test]
    fn other_formats_are_not_zip() {
        let mut out = Opened::default();
        assert!(!open(&att(b"%PDF-1.7".to_vec()), &mut budget(), &mut out));
    }
}
