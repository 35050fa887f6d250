//! RAR 4 and RAR 5: no pure-Rust decompressor exists, so this walks the block headers itself
//! (bounded, every read checked) to list file names, see encryption (per file, and of the whole
//! header list), and copy out files that were stored uncompressed.

use super::{Lister, decode_name, le16, le32};
use crate::message::Attachment;
use crate::message::opener::{Budget, Opened};

const RAR4: &[u8] = b"Rar!\x1a\x07\x00";
const RAR5: &[u8] = b"Rar!\x1a\x07\x01\x00";
/// Longest name decoded from RAR 4's Unicode name encoding, in UTF-16 units.
const MAX_NAME_UNITS: usize = 2048;

/// 4 or 5, from the signature at the start.
pub fn version(data: &[u8]) -> Option<u8> {
    if data.starts_with(RAR5) {
        Some(5)
    } else if data.starts_with(RAR4) {
        Some(4)
    } else {
        None
    }
}

pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    let Some(v) = version(&att.data) else {
        return false;
    };
    let mut list = Lister::new(att, budget, out, "rar");
    if v == 5 {
        rar5(&att.data, &mut list);
    } else {
        rar4(&att.data, &mut list);
    }
    list.finish();
    true
}

/// A file found in the headers.
struct Entry<'d> {
    name: String,
    dir: bool,
    encrypted: bool,
    /// The file's bytes when it was stored uncompressed and whole in this volume.
    stored: Option<&'d [u8]>,
}

fn add(list: &mut Lister<'_, '_>, e: Entry<'_>) -> bool {
    if e.dir {
        list.directory(&e.name);
        return true;
    }
    if !list.room() {
        return false;
    }
    if e.encrypted {
        list.add_encrypted(e.name);
    } else if let Some(mut stored) = e.stored {
        let data = list.extract(&e.name, &mut stored, &|| 0, false);
        list.add(e.name, data);
    } else {
        list.add(e.name, Vec::new());
    }
    true
}

/// RAR 5 variable-length integer: 7 bits a byte, low first, at most 10 bytes.
fn vint(d: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    for shift in 0..10 {
        let b = *d.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f).checked_shl(shift * 7).unwrap_or(0);
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn rar5(d: &[u8], list: &mut Lister<'_, '_>) {
    let mut pos = RAR5.len();
    while pos < d.len() {
        let Some(next) = rar5_block(d, pos, list) else {
            return;
        };
        if next <= pos {
            return;
        }
        pos = next;
    }
}

/// Reads the block at `pos`; returns where the next one starts, `None` to stop.
fn rar5_block(d: &[u8], pos: usize, list: &mut Lister<'_, '_>) -> Option<usize> {
    let mut p = pos.checked_add(4)?; // CRC32
    let size = usize::try_from(vint(d, &mut p)?).ok()?;
    let header_start = p;
    let header_end = header_start.checked_add(size)?;
    let header = d.get(..header_end)?;
    let kind = vint(header, &mut p)?;
    let flags = vint(header, &mut p)?;
    let extra_size = if flags & 1 != 0 {
        usize::try_from(vint(header, &mut p)?).ok()?
    } else {
        0
    };
    let data_size = if flags & 2 != 0 {
        usize::try_from(vint(header, &mut p)?).ok()?
    } else {
        0
    };
    let next = header_end.checked_add(data_size)?;
    match kind {
        // Archive encryption header: every header after it is encrypted.
        4 => {
            list.names_encrypted();
            return None;
        }
        5 => return None,
        2 => {
            let file_flags = vint(header, &mut p)?;
            let _unpacked = vint(header, &mut p)?;
            let _attributes = vint(header, &mut p)?;
            if file_flags & 2 != 0 {
                p = p.checked_add(4)?;
            }
            if file_flags & 4 != 0 {
                p = p.checked_add(4)?;
            }
            let compression = vint(header, &mut p)?;
            let _host = vint(header, &mut p)?;
            let name_len = usize::try_from(vint(header, &mut p)?).ok()?;
            let name = header.get(p..p.checked_add(name_len)?)?;
            let extra_start = header_end.checked_sub(extra_size)?;
            let encrypted = rar5_has_record(header.get(extra_start..)?, 1);
            let method = (compression >> 7) & 7;
            let solid = compression & 0x40 != 0;
            // Split files (flags 0x08/0x10 on the block) continue in another volume.
            let split = flags & 0x18 != 0;
            let stored = (method == 0 && !solid && !split && !encrypted)
                .then(|| d.get(header_end..next))
                .flatten();
            let entry = Entry {
                name: String::from_utf8_lossy(name).into_owned(),
                dir: file_flags & 1 != 0,
                encrypted,
                stored,
            };
            if !add(list, entry) {
                return None;
            }
        }
        _ => {}
    }
    Some(next)
}

/// Whether an extra area holds a record of type `kind` (1 in a file header: encryption).
fn rar5_has_record(extra: &[u8], kind: u64) -> bool {
    let mut p = 0;
    while p < extra.len() {
        let Some(size) = vint(extra, &mut p).and_then(|s| usize::try_from(s).ok()) else {
            return false;
        };
        let start = p;
        if vint(extra, &mut p) == Some(kind) {
            return true;
        }
        match start.checked_add(size) {
            Some(n) if n > start => p = n,
            _ => return false,
        }
    }
    false
}

fn rar4(d: &[u8], list: &mut Lister<'_, '_>) {
    let mut pos = RAR4.len();
    while pos < d.len() {
        let Some(next) = rar4_block(d, pos, list) else {
            return;
        };
        if next <= pos {
            return;
        }
        pos = next;
    }
}

fn rar4_block(d: &[u8], pos: usize, list: &mut Lister<'_, '_>) -> Option<usize> {
    let kind = *d.get(pos.checked_add(2)?)?;
    let flags = le16(d, pos + 3)?;
    let head_size = usize::from(le16(d, pos + 5)?);
    if head_size < 7 {
        return None;
    }
    let header = d.get(pos..pos.checked_add(head_size)?)?;
    let mut add_size = if flags & 0x8000 != 0 {
        u64::from(le32(header, 7)?)
    } else {
        0
    };
    match kind {
        // Main header: MHD_PASSWORD means the block headers are encrypted.
        0x73 if flags & 0x0080 != 0 => {
            list.names_encrypted();
            return None;
        }
        0x7b => return None,
        0x74 => {
            let large = flags & 0x0100 != 0;
            let pack_low = u64::from(le32(header, 7)?);
            let method = *header.get(25)?;
            let name_size = usize::from(le16(header, 26)?);
            let (name_at, pack_high) = if large {
                (40usize, u64::from(le32(header, 32)?))
            } else {
                (32, 0)
            };
            add_size = pack_low | (pack_high << 32);
            let raw = header.get(name_at..name_at.checked_add(name_size)?)?;
            let name = if flags & 0x0200 != 0 {
                rar4_unicode_name(raw)
            } else {
                decode_name(raw)
            };
            let data_start = pos.checked_add(head_size)?;
            let data_end = data_start.checked_add(usize::try_from(add_size).ok()?)?;
            let encrypted = flags & 0x0004 != 0;
            // 0x30 is "store"; split files (0x01, 0x02) continue in other volumes.
            let stored = (method == 0x30 && !encrypted && flags & 0x0003 == 0)
                .then(|| d.get(data_start..data_end))
                .flatten();
            let entry = Entry {
                name,
                dir: flags & 0x00e0 == 0x00e0,
                encrypted,
                stored,
            };
            if !add(list, entry) {
                return None;
            }
        }
        _ => {}
    }
    pos.checked_add(head_size)?
        .checked_add(usize::try_from(add_size).ok()?)
}

/// RAR 4 names with the Unicode flag: an 8-bit name, a zero byte, then the UTF-16 name coded
/// against the 8-bit one (unrar's `DecodeFileName`).
fn rar4_unicode_name(raw: &[u8]) -> String {
    let Some(zero) = raw.iter().position(|&b| b == 0) else {
        // No encoded part: the name is UTF-8.
        return String::from_utf8_lossy(raw).into_owned();
    };
    let (name, enc) = (&raw[..zero], &raw[zero + 1..]);
    let mut out: Vec<u16> = Vec::new();
    let mut e = 0;
    let next = |e: &mut usize| -> Option<u16> {
        let b = *enc.get(*e)?;
        *e += 1;
        Some(u16::from(b))
    };
    let Some(high) = next(&mut e) else {
        return decode_name(name);
    };
    let (mut flags, mut bits) = (0u16, 0);
    while e < enc.len() && out.len() < MAX_NAME_UNITS {
        if bits == 0 {
            let Some(f) = next(&mut e) else { break };
            flags = f;
            bits = 8;
        }
        let step = match (flags >> 6) & 3 {
            0 => next(&mut e).map(|c| out.push(c)),
            1 => next(&mut e).map(|c| out.push(c + (high << 8))),
            2 => next(&mut e).and_then(|lo| next(&mut e).map(|hi| out.push(lo | (hi << 8)))),
            _ => next(&mut e).and_then(|len| {
                if len & 0x80 != 0 {
                    let correction = next(&mut e)?;
                    for _ in 0..(len & 0x7f) + 2 {
                        let base = u16::from(*name.get(out.len())?);
                        out.push(((base + correction) & 0xff) + (high << 8));
                    }
                } else {
                    for _ in 0..len + 2 {
                        out.push(u16::from(*name.get(out.len())?));
                    }
                }
                Some(())
            }),
        };
        if step.is_none() {
            break;
        }
        flags = (flags << 2) & 0xff;
        bits -= 2;
    }
    String::from_utf16_lossy(&out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn v(mut n: u64, out: &mut Vec<u8>) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    fn rar5_block(kind: u64, flags: u64, body: &[u8], extra: &[u8], data: &[u8]) -> Vec<u8> {
        let mut h = Vec::new();
        v(kind, &mut h);
        let mut flags = flags;
        if !extra.is_empty() {
            flags |= 1;
        }
        if !data.is_empty() {
            flags |= 2;
        }
        v(flags, &mut h);
        if !extra.is_empty() {
            v(extra.len() as u64, &mut h);
        }
        if !data.is_empty() {
            v(data.len() as u64, &mut h);
        }
        h.extend_from_slice(body);
        h.extend_from_slice(extra);
        let mut b = vec![0, 0, 0, 0];
        v(h.len() as u64, &mut b);
        b.extend_from_slice(&h);
        b.extend_from_slice(data);
        b
    }

    fn rar5_file(name: &str, dir: bool, method: u64, encrypted: bool, data: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        v(u64::from(dir), &mut body); // file flags
        v(data.len() as u64, &mut body);
        v(0x20, &mut body); // attributes
        v(method << 7, &mut body);
        v(0, &mut body); // Windows
        v(name.len() as u64, &mut body);
        body.extend_from_slice(name.as_bytes());
        let extra = if encrypted {
            let mut r = Vec::new();
            let rec = [1u8, 0, 0, 15, 0xAA, 0xBB];
            v(rec.len() as u64, &mut r);
            r.extend_from_slice(&rec);
            r
        } else {
            Vec::new()
        };
        rar5_block(2, 0, &body, &extra, data)
    }

    /// A RAR 5 archive of `(name, stored data, encrypted)`.
    pub(crate) fn rar5_of(files: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut r = RAR5.to_vec();
        r.extend(rar5_block(1, 0, &[0], &[], &[]));
        for (name, data, enc) in files {
            r.extend(rar5_file(name, false, if *enc { 3 } else { 0 }, *enc, data));
        }
        r.extend(rar5_block(5, 0, &[0], &[], &[]));
        r
    }

    fn rar4_file(name: &[u8], flags: u16, method: u8, data: &[u8]) -> Vec<u8> {
        let head = 32 + name.len();
        let mut b = vec![0, 0, 0x74];
        b.extend_from_slice(&(flags | 0x8000).to_le_bytes());
        b.extend_from_slice(&(head as u16).to_le_bytes());
        b.extend_from_slice(&(data.len() as u32).to_le_bytes());
        b.extend_from_slice(&(data.len() as u32).to_le_bytes());
        b.push(2); // Windows
        b.extend_from_slice(&[0; 4]); // crc
        b.extend_from_slice(&[0; 4]); // time
        b.push(29);
        b.push(method);
        b.extend_from_slice(&(name.len() as u16).to_le_bytes());
        b.extend_from_slice(&0x20u32.to_le_bytes());
        b.extend_from_slice(name);
        b.extend_from_slice(data);
        b
    }

    fn rar4_main(flags: u16) -> Vec<u8> {
        let mut b = vec![0, 0, 0x73];
        b.extend_from_slice(&flags.to_le_bytes());
        b.extend_from_slice(&13u16.to_le_bytes());
        b.extend_from_slice(&[0; 6]);
        b
    }

    fn open_rar(data: Vec<u8>) -> Opened {
        let att = Attachment {
            location: "2/a.rar".into(),
            name: Some("a.rar".into()),
            data,
            ..Attachment::default()
        };
        let mut out = Opened::default();
        let mut budget = Budget::new(&crate::config::Limits::default());
        assert!(open(&att, &mut budget, &mut out));
        out
    }

    fn rules(o: &Opened) -> Vec<&str> {
        o.findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn rar5_names_stored_data_and_encryption() {
        let mut r = RAR5.to_vec();
        r.extend(rar5_block(1, 0, &[0], &[], &[]));
        r.extend(rar5_file("docs", true, 0, false, &[]));
        r.extend(rar5_file(
            "docs/請求書.pdf.exe",
            false,
            0,
            false,
            b"MZ\x90\0",
        ));
        r.extend(rar5_file("secret.lnk", false, 3, true, &[1, 2, 3, 4]));
        r.extend(rar5_file("packed.txt", false, 3, false, &[9, 9, 9]));
        r.extend(rar5_block(5, 0, &[0], &[], &[]));
        let o = open_rar(r);
        assert_eq!(rules(&o), ["ARCHIVE_ENCRYPTED"]);
        let names: Vec<_> = o
            .children
            .iter()
            .map(|c| c.name.as_deref().unwrap())
            .collect();
        assert_eq!(names, ["docs/請求書.pdf.exe", "secret.lnk", "packed.txt"]);
        assert_eq!(o.children[0].data, b"MZ\x90\0");
        assert!(o.children[1].data.is_empty());
        assert!(
            o.children[2].data.is_empty(),
            "compressed data is not decoded"
        );
    }

    #[test]
    fn rar5_header_encryption_hides_the_names() {
        let mut r = RAR5.to_vec();
        r.extend(rar5_block(4, 0, &[0, 0, 15], &[], &[]));
        r.extend_from_slice(&[0xde; 64]);
        let o = open_rar(r);
        assert_eq!(rules(&o), ["ARCHIVE_ENCRYPTED_NAMES"]);
        assert!(o.encrypted);
    }

    #[test]
    fn rar4_names_in_shift_jis_and_unicode() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("見積書.exe");
        // Unicode name "ab": 8-bit "ab", zero, high byte 0, flags 0b11.. (copy 2 from 8-bit).
        let uni = b"ab\0\x00\xc0\x00".to_vec();
        let mut r = RAR4.to_vec();
        r.extend(rar4_main(0));
        r.extend(rar4_file(&sjis, 0, 0x30, b"MZ"));
        r.extend(rar4_file(&uni, 0x0200, 0x33, b"xx"));
        r.extend(rar4_file(b"locked.js", 0x0004, 0x33, b"yy"));
        r.extend_from_slice(&[0xc4, 0x3d, 0x7b, 0x00, 0x40, 0x07, 0x00]);
        let o = open_rar(r);
        let names: Vec<_> = o
            .children
            .iter()
            .map(|c| c.name.as_deref().unwrap())
            .collect();
        assert_eq!(names, ["見積書.exe", "ab", "locked.js"]);
        assert_eq!(o.children[0].data, b"MZ");
        assert_eq!(rules(&o), ["ARCHIVE_ENCRYPTED"]);
    }

    #[test]
    fn rar4_unicode_name_with_japanese() {
        // "請求" is U+8ACB U+6C42: two full 16-bit units (flag 2 each).
        let enc = [0x00, 0b1010_0000, 0xCB, 0x8A, 0x42, 0x6C];
        let mut raw = b"??".to_vec();
        raw.push(0);
        raw.extend_from_slice(&enc);
        assert_eq!(rar4_unicode_name(&raw), "請求");
    }

    #[test]
    fn rar4_encrypted_headers() {
        let mut r = RAR4.to_vec();
        r.extend(rar4_main(0x0080));
        r.extend_from_slice(&[0x55; 100]);
        let o = open_rar(r);
        assert_eq!(rules(&o), ["ARCHIVE_ENCRYPTED_NAMES"]);
    }

    #[test]
    fn hostile_headers_end_the_walk() {
        for cut in 0..60 {
            let mut r = rar5_of(&[("a.exe", b"MZ", false), ("b.txt", b"hi", true)]);
            r.truncate(RAR5.len() + cut);
            open_rar(r);
        }
        let mut r = RAR5.to_vec();
        r.extend_from_slice(&[
            0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ]);
        open_rar(r);
        let mut r = RAR4.to_vec();
        r.extend_from_slice(&[0, 0, 0x74, 0, 0x80, 0x07, 0x00, 0xff, 0xff, 0xff, 0xff]);
        open_rar(r);
    }
}
