//! ISO 9660 (with Joliet names when present): a bounded walk of the directory tree of our own.
//! Every directory is visited once, to a fixed depth and count, and every extent is clipped to
//! the image, so a crafted image cannot loop or read outside itself.

use super::{Lister, le16, le32};

const SECTOR: usize = 2048;
/// Volume descriptors start at sector 16; a real image has a handful.
const FIRST_DESCRIPTOR: usize = 16;
const MAX_DESCRIPTORS: usize = 64;
const MAX_DEPTH: usize = 16;
const MAX_DIRECTORIES: usize = 4096;
/// Directory records read over the whole image, at most.
const MAX_RECORDS: usize = 200_000;

/// A primary volume descriptor (`CD001`) at sector 16.
pub fn is_iso9660(data: &[u8]) -> bool {
    data.get(FIRST_DESCRIPTOR * SECTOR + 1..FIRST_DESCRIPTOR * SECTOR + 6) == Some(b"CD001")
}

/// A UDF volume recognition sequence (`BEA01`, `NSR02`/`NSR03`) in the descriptor area.
pub fn is_udf(data: &[u8]) -> bool {
    (FIRST_DESCRIPTOR..FIRST_DESCRIPTOR + MAX_DESCRIPTORS).any(|s| {
        let id = data.get(s * SECTOR + 1..s * SECTOR + 6);
        id == Some(b"NSR02") || id == Some(b"NSR03")
    })
}

/// The root directory record to start from: Joliet's when there is one (long Unicode names),
/// else the primary volume's; and the logical block size.
fn root(data: &[u8]) -> Option<(&[u8], bool, usize)> {
    let mut primary = None;
    let mut joliet = None;
    for s in FIRST_DESCRIPTOR..FIRST_DESCRIPTOR + MAX_DESCRIPTORS {
        let vd = data.get(s * SECTOR..(s + 1) * SECTOR)?;
        if vd.get(1..6) != Some(b"CD001") {
            break;
        }
        match vd.first() {
            Some(1) => primary = primary.or(Some(vd)),
            Some(2) if matches!(vd.get(88..91), Some(b"%/@" | b"%/C" | b"%/E")) => {
                joliet = joliet.or(Some(vd))
            }
            Some(255) => break,
            _ => {}
        }
    }
    let (vd, is_joliet) = match (joliet, primary) {
        (Some(j), _) => (j, true),
        (None, Some(p)) => (p, false),
        (None, None) => return None,
    };
    let block = match le16(vd, 128)? {
        b @ (512 | 1024 | 2048) => usize::from(b),
        _ => SECTOR,
    };
    Some((vd.get(156..190)?, is_joliet, block))
}

/// Lists every file of the image.
pub fn list(data: &[u8], list: &mut Lister<'_, '_>) {
    let Some((root_record, joliet, block)) = root(data) else {
        list.unreadable("no ISO 9660 primary volume descriptor");
        return;
    };
    let Some(root) = Record::parse(root_record) else {
        list.unreadable("bad ISO 9660 root directory record");
        return;
    };
    let mut queue = std::collections::VecDeque::from([(root.extent, root.size, String::new(), 0)]);
    let mut visited = std::collections::HashSet::new();
    let mut records = 0;
    while let Some((extent, size, path, depth)) = queue.pop_front() {
        if !visited.insert(extent) || visited.len() > MAX_DIRECTORIES {
            continue;
        }
        let dir = clip(data, extent, size, block);
        let mut pos = 0;
        while pos < dir.len() {
            records += 1;
            if records > MAX_RECORDS {
                return;
            }
            let len = usize::from(dir.get(pos).copied().unwrap_or(0));
            if len == 0 {
                // Records do not cross sectors: the rest of this one is padding.
                pos = (pos / SECTOR + 1) * SECTOR;
                continue;
            }
            let Some(rec) = dir.get(pos..pos + len).and_then(Record::parse) else {
                break;
            };
            pos += len;
            if rec.name == [0] || rec.name == [1] {
                continue; // "." and ".."
            }
            let name = format!("{path}{}", decode(rec.name, joliet));
            if rec.flags & 0x02 != 0 {
                if depth + 1 < MAX_DEPTH {
                    queue.push_back((rec.extent, rec.size, format!("{name}/"), depth + 1));
                }
                continue;
            }
            if !list.room() {
                return;
            }
            let mut file = clip(data, rec.extent, rec.size, block);
            let bytes = list.extract(&name, &mut file, &|| 0, false);
            list.add(name, bytes);
        }
    }
}

/// The bytes of an extent, clipped to the image.
fn clip(data: &[u8], extent: u32, size: u32, block: usize) -> &[u8] {
    let start = (extent as usize).saturating_mul(block).min(data.len());
    let end = start.saturating_add(size as usize).min(data.len());
    data.get(start..end).unwrap_or_default()
}

/// A directory record.
struct Record<'d> {
    extent: u32,
    size: u32,
    flags: u8,
    name: &'d [u8],
}

impl<'d> Record<'d> {
    fn parse(r: &'d [u8]) -> Option<Record<'d>> {
        let name_len = usize::from(*r.get(32)?);
        Some(Record {
            extent: le32(r, 2)?,
            size: le32(r, 10)?,
            flags: *r.get(25)?,
            name: r.get(33..33 + name_len)?,
        })
    }
}

/// A file identifier without its `;1` version: UCS-2 big-endian under Joliet, else d-characters.
fn decode(raw: &[u8], joliet: bool) -> String {
    let name = if joliet {
        let units: Vec<u16> = raw
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        super::decode_name(raw)
    };
    let name = match name.rsplit_once(';') {
        Some((base, version)) if version.bytes().all(|b| b.is_ascii_digit()) => base.to_string(),
        _ => name,
    };
    // "README." is how ISO 9660 writes a name with no extension.
    match name.strip_suffix('.') {
        Some(base) if !base.is_empty() => base.to_string(),
        _ => name,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn record(extent: u32, size: u32, flags: u8, name: &[u8]) -> Vec<u8> {
        let len = 33 + name.len() + (name.len() + 1) % 2;
        let mut r = vec![0u8; len];
        r[0] = len as u8;
        r[2..6].copy_from_slice(&extent.to_le_bytes());
        r[6..10].copy_from_slice(&extent.to_be_bytes());
        r[10..14].copy_from_slice(&size.to_le_bytes());
        r[14..18].copy_from_slice(&size.to_be_bytes());
        r[25] = flags;
        r[32] = name.len() as u8;
        r[33..33 + name.len()].copy_from_slice(name);
        r
    }

    fn joliet_name(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
    }

    /// An image with a root holding `files` and one subdirectory `SUB` holding `sub_files`;
    /// names as given (ISO 9660 d-characters), or Joliet when `joliet`.
    pub(crate) fn iso_of(
        files: &[(&str, &[u8])],
        sub_files: &[(&str, &[u8])],
        joliet: bool,
    ) -> Vec<u8> {
        // Sectors: 16 PVD, 17 terminator, 18 root, 19 SUB, 20.. file data.
        let mut img = vec![0u8; 20 * SECTOR];
        let mut data_sector = 20u32;
        let mut place = |img: &mut Vec<u8>, data: &[u8]| {
            let at = data_sector;
            img.extend_from_slice(data);
            let pad = (SECTOR - data.len() % SECTOR) % SECTOR;
            img.extend(std::iter::repeat_n(0, pad));
            data_sector += data.len().div_ceil(SECTOR).max(1) as u32;
            if data.is_empty() {
                img.extend(std::iter::repeat_n(0, SECTOR));
            }
            at
        };
        let name = |n: &str| {
            if joliet {
                joliet_name(n)
            } else {
                n.as_bytes().to_vec()
            }
        };
        let mut sub = record(19, SECTOR as u32, 2, &[0]);
        sub.extend(record(18, SECTOR as u32, 2, &[1]));
        for (n, d) in sub_files {
            let at = place(&mut img, d);
            sub.extend(record(at, d.len() as u32, 0, &name(&format!("{n};1"))));
        }
        let mut root = record(18, SECTOR as u32, 2, &[0]);
        root.extend(record(18, SECTOR as u32, 2, &[1]));
        for (n, d) in files {
            let at = place(&mut img, d);
            root.extend(record(at, d.len() as u32, 0, &name(&format!("{n};1"))));
        }
        root.extend(record(19, SECTOR as u32, 2, &name("SUB")));
        img[18 * SECTOR..18 * SECTOR + root.len()].copy_from_slice(&root);
        img[19 * SECTOR..19 * SECTOR + sub.len()].copy_from_slice(&sub);
        let vd = 16 * SECTOR;
        img[vd] = if joliet { 2 } else { 1 };
        img[vd + 1..vd + 6].copy_from_slice(b"CD001");
        img[vd + 6] = 1;
        if joliet {
            img[vd + 88..vd + 91].copy_from_slice(b"%/E");
        }
        img[vd + 128..vd + 130].copy_from_slice(&(SECTOR as u16).to_le_bytes());
        let root_rec = record(18, SECTOR as u32, 2, &[0]);
        img[vd + 156..vd + 156 + 34].copy_from_slice(&root_rec);
        let term = 17 * SECTOR;
        img[term] = 255;
        img[term + 1..term + 6].copy_from_slice(b"CD001");
        img
    }

    #[test]
    fn names_decode() {
        assert_eq!(decode(b"README.;1", false), "README");
        assert_eq!(decode(b"SETUP.EXE;1", false), "SETUP.EXE");
        assert_eq!(
            decode(&joliet_name("請求書.pdf.lnk;1"), true),
            "請求書.pdf.lnk"
        );
    }

    #[test]
    fn self_referencing_directories_end() {
        // The root lists itself as a subdirectory under another name.
        let mut img = iso_of(&[("A.TXT", b"a")], &[], false);
        let loop_rec = record(18, SECTOR as u32, 2, b"LOOP");
        let at = 18 * SECTOR + 200;
        img[at..at + loop_rec.len()].copy_from_slice(&loop_rec);
        let (root_rec, joliet, block) = root(&img).unwrap();
        assert!(!joliet);
        assert_eq!(block, SECTOR);
        assert!(Record::parse(root_rec).is_some());
    }
}
