//! FAT12/16/32 volumes (raw `.img` floppy and disk images, the inside of a fixed VHD): a bounded
//! walk of the directory tree with long file names, following cluster chains no further than
//! the volume has clusters.

use super::{Lister, decode_name, le16, le32};
use std::collections::HashSet;
use std::io::Read;

const MAX_DEPTH: usize = 8;
const MAX_DIRECTORIES: usize = 1024;
/// Directory entries read over the whole volume, at most.
const MAX_RECORDS: usize = 200_000;

/// A FAT boot sector: jump, sane geometry, the 0x55AA signature and a FAT type label.
pub fn is_fat(volume: &[u8]) -> bool {
    Fat::parse(volume).is_some()
        && matches!(volume.first(), Some(0xEB | 0xE9))
        && volume.get(510..512) == Some(&[0x55, 0xAA])
        && (volume.get(0x36..0x39) == Some(b"FAT") || volume.get(0x52..0x57) == Some(b"FAT32"))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Fat12,
    Fat16,
    Fat32,
}

struct Fat<'d> {
    volume: &'d [u8],
    kind: Kind,
    cluster_bytes: usize,
    fat_offset: usize,
    data_offset: usize,
    clusters: u32,
    root_offset: usize,
    root_bytes: usize,
    root_cluster: u32,
}

impl<'d> Fat<'d> {
    fn parse(v: &'d [u8]) -> Option<Fat<'d>> {
        let bps = usize::from(le16(v, 11)?);
        if !matches!(bps, 512 | 1024 | 2048 | 4096) {
            return None;
        }
        let spc = usize::from(*v.get(13)?);
        if spc == 0 || !spc.is_power_of_two() {
            return None;
        }
        let reserved = usize::from(le16(v, 14)?);
        let fats = usize::from(*v.get(16)?);
        if reserved == 0 || !(1..=4).contains(&fats) {
            return None;
        }
        let root_entries = usize::from(le16(v, 17)?);
        let total = match le16(v, 19)? {
            0 => le32(v, 32)? as usize,
            n => usize::from(n),
        };
        let fat_sectors = match le16(v, 22)? {
            0 => le32(v, 36)? as usize,
            n => usize::from(n),
        };
        let root_sectors = (root_entries * 32).div_ceil(bps);
        let first_data = reserved
            .checked_add(fats.checked_mul(fat_sectors)?)?
            .checked_add(root_sectors)?;
        let clusters = u32::try_from(total.checked_sub(first_data)? / spc).ok()?;
        let kind = if clusters < 4085 {
            Kind::Fat12
        } else if clusters < 65525 {
            Kind::Fat16
        } else {
            Kind::Fat32
        };
        Some(Fat {
            volume: v,
            kind,
            cluster_bytes: bps.checked_mul(spc)?,
            fat_offset: reserved.checked_mul(bps)?,
            data_offset: first_data.checked_mul(bps)?,
            clusters,
            root_offset: (reserved + fats * fat_sectors).checked_mul(bps)?,
            root_bytes: root_entries * 32,
            root_cluster: if kind == Kind::Fat32 { le32(v, 44)? } else { 0 },
        })
    }

    /// The cluster after `c` in its chain, `None` at the end or on a bad value.
    fn next(&self, c: u32) -> Option<u32> {
        let v = self.volume;
        let at = self.fat_offset;
        let n = match self.kind {
            Kind::Fat12 => {
                let off = at.checked_add(c as usize + c as usize / 2)?;
                let raw = u32::from(le16(v, off)?);
                if c % 2 == 1 { raw >> 4 } else { raw & 0xFFF }
            }
            Kind::Fat16 => u32::from(le16(v, at.checked_add(c as usize * 2)?)?),
            Kind::Fat32 => le32(v, at.checked_add(c as usize * 4)?)? & 0x0FFF_FFFF,
        };
        self.valid(n).then_some(n)
    }

    fn valid(&self, c: u32) -> bool {
        c >= 2 && c < self.clusters.saturating_add(2)
    }

    fn cluster(&self, c: u32) -> &'d [u8] {
        let start = (c as usize - 2)
            .saturating_mul(self.cluster_bytes)
            .saturating_add(self.data_offset)
            .min(self.volume.len());
        let end = start
            .saturating_add(self.cluster_bytes)
            .min(self.volume.len());
        self.volume.get(start..end).unwrap_or_default()
    }

    /// The bytes of a chain, `limit` at most; each cluster at most once.
    fn chain(&self, first: u32, limit: usize) -> Chain<'_, 'd> {
        Chain {
            fat: self,
            cluster: self.valid(first).then_some(first),
            offset: 0,
            left: limit,
            seen: HashSet::new(),
        }
    }
}

/// Reads a cluster chain as one stream.
struct Chain<'f, 'd> {
    fat: &'f Fat<'d>,
    cluster: Option<u32>,
    offset: usize,
    left: usize,
    seen: HashSet<u32>,
}

impl Read for Chain<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let Some(c) = self.cluster else { return Ok(0) };
            if self.left == 0 {
                return Ok(0);
            }
            if self.offset == 0 && !self.seen.insert(c) {
                self.cluster = None; // a loop in the chain
                return Ok(0);
            }
            let bytes = self.fat.cluster(c);
            let rest = bytes.get(self.offset..).unwrap_or_default();
            if rest.is_empty() {
                self.cluster = self.fat.next(c);
                self.offset = 0;
                if bytes.is_empty() {
                    self.cluster = None;
                }
                continue;
            }
            let n = rest.len().min(buf.len()).min(self.left);
            buf[..n].copy_from_slice(&rest[..n]);
            self.offset += n;
            self.left -= n;
            return Ok(n);
        }
    }
}

/// Lists every file of the volume.
pub fn list(volume: &[u8], list: &mut Lister<'_, '_>) {
    let Some(fat) = Fat::parse(volume) else {
        list.unreadable("bad FAT boot sector");
        return;
    };
    // Directories to read: their bytes, path, depth.
    let root: Vec<u8> = if fat.kind == Kind::Fat32 {
        let mut v = Vec::new();
        let _ = fat.chain(fat.root_cluster, 16 << 20).read_to_end(&mut v);
        v
    } else {
        let end = fat
            .root_offset
            .saturating_add(fat.root_bytes)
            .min(volume.len());
        volume
            .get(fat.root_offset.min(end)..end)
            .unwrap_or_default()
            .to_vec()
    };
    let mut queue = std::collections::VecDeque::from([(root, String::new(), 0usize)]);
    let mut dirs_seen = HashSet::new();
    let mut records = 0;
    while let Some((dir, path, depth)) = queue.pop_front() {
        let mut long: Vec<(u8, Vec<u16>)> = Vec::new();
        for e in dir.chunks_exact(32) {
            records += 1;
            if records > MAX_RECORDS {
                return;
            }
            let first = e[0];
            if first == 0 {
                break;
            }
            let attr = e[11];
            if first == 0xE5 {
                long.clear();
                continue;
            }
            if attr & 0x3F == 0x0F {
                let units = [1..11, 14..26, 28..32]
                    .into_iter()
                    .flat_map(|r| {
                        e[r].chunks_exact(2)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    })
                    .take_while(|&u| u != 0 && u != 0xFFFF)
                    .collect();
                long.push((first & 0x1F, units));
                continue;
            }
            if attr & 0x08 != 0 {
                long.clear();
                continue; // volume label
            }
            let name = if long.is_empty() {
                short_name(e)
            } else {
                long.sort_by_key(|(n, _)| *n);
                let units: Vec<u16> = long.drain(..).flat_map(|(_, u)| u).collect();
                String::from_utf16_lossy(&units)
            };
            if name == "." || name == ".." {
                continue;
            }
            let cluster =
                (u32::from(le16(e, 20).unwrap_or(0)) << 16) | u32::from(le16(e, 26).unwrap_or(0));
            let full = format!("{path}{name}");
            if attr & 0x10 != 0 {
                if depth + 1 < MAX_DEPTH
                    && dirs_seen.len() < MAX_DIRECTORIES
                    && dirs_seen.insert(cluster)
                {
                    let mut v = Vec::new();
                    let _ = fat.chain(cluster, 4 << 20).read_to_end(&mut v);
                    queue.push_back((v, format!("{full}/"), depth + 1));
                }
                continue;
            }
            if !list.room() {
                return;
            }
            let size = le32(e, 28).unwrap_or(0) as usize;
            let mut chain = fat.chain(cluster, size);
            let bytes = list.extract(&full, &mut chain, &|| 0, false);
            list.add(full, bytes);
        }
    }
}

/// An 8.3 name: `README  TXT` → `README.TXT`; 0x05 stands for a leading 0xE5 (a Shift_JIS lead
/// byte).
fn short_name(e: &[u8]) -> String {
    let mut base = e[..8].to_vec();
    if base[0] == 0x05 {
        base[0] = 0xE5;
    }
    let base = decode_name(trim_spaces(&base));
    let ext = decode_name(trim_spaces(&e[8..11]));
    if ext.is_empty() {
        base
    } else {
        format!("{base}.{ext}")
    }
}

fn trim_spaces(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|&c| c != b' ').map_or(0, |p| p + 1);
    &b[..end]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A FAT12 floppy-like volume holding `files` in the root (8.3 name, long name, data).
    pub(crate) fn fat12_of(files: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let bps = 512usize;
        let total = 2880usize;
        let mut v = vec![0u8; total * bps];
        v[0..3].copy_from_slice(&[0xEB, 0x3C, 0x90]);
        v[3..11].copy_from_slice(b"MSDOS5.0");
        v[11..13].copy_from_slice(&(bps as u16).to_le_bytes());
        v[13] = 1; // sectors per cluster
        v[14..16].copy_from_slice(&1u16.to_le_bytes()); // reserved
        v[16] = 2; // FATs
        v[17..19].copy_from_slice(&224u16.to_le_bytes());
        v[19..21].copy_from_slice(&(total as u16).to_le_bytes());
        v[21] = 0xF0;
        v[22..24].copy_from_slice(&9u16.to_le_bytes());
        v[0x36..0x3E].copy_from_slice(b"FAT12   ");
        v[510] = 0x55;
        v[511] = 0xAA;
        let fat = bps;
        let root = (1 + 2 * 9) * bps;
        let data = root + 224 * 32;
        let set_fat = |v: &mut Vec<u8>, c: usize, val: u16| {
            let off = fat + c + c / 2;
            let mut raw = u16::from_le_bytes([v[off], v[off + 1]]);
            if c % 2 == 1 {
                raw = (raw & 0x000F) | (val << 4);
            } else {
                raw = (raw & 0xF000) | (val & 0x0FFF);
            }
            v[off..off + 2].copy_from_slice(&raw.to_le_bytes());
        };
        let mut next_cluster = 2usize;
        let mut slot = root;
        for (short, long, content) in files {
            if let Some(long) = long {
                let units: Vec<u16> = long.encode_utf16().collect();
                let parts = units.len().div_ceil(13);
                for p in (0..parts).rev() {
                    let mut e = [0xFFu8; 32];
                    e[0] = (p as u8 + 1) | if p == parts - 1 { 0x40 } else { 0 };
                    e[11] = 0x0F;
                    e[12] = 0;
                    e[26] = 0;
                    e[27] = 0;
                    let chunk: Vec<u16> = units
                        .iter()
                        .skip(p * 13)
                        .take(13)
                        .copied()
                        .chain([0])
                        .collect();
                    let slots = (1..11)
                        .step_by(2)
                        .chain((14..26).step_by(2))
                        .chain((28..32).step_by(2));
                    for (i, at) in slots.enumerate() {
                        if let Some(u) = chunk.get(i) {
                            e[at..at + 2].copy_from_slice(&u.to_le_bytes());
                        }
                    }
                    v[slot..slot + 32].copy_from_slice(&e);
                    slot += 32;
                }
            }
            let (b, x) = short.split_once('.').unwrap_or((short, ""));
            let mut e = [b' '; 32];
            e[..b.len()].copy_from_slice(b.as_bytes());
            e[8..8 + x.len()].copy_from_slice(x.as_bytes());
            e[11..32].fill(0);
            e[11] = 0x20;
            let clusters = content.len().div_ceil(bps).max(1);
            e[26..28].copy_from_slice(&(next_cluster as u16).to_le_bytes());
            e[28..32].copy_from_slice(&(content.len() as u32).to_le_bytes());
            v[slot..slot + 32].copy_from_slice(&e);
            slot += 32;
            let off = data + (next_cluster - 2) * bps;
            v[off..off + content.len()].copy_from_slice(content);
            for k in 0..clusters {
                let c = next_cluster + k;
                set_fat(
                    &mut v,
                    c,
                    if k + 1 == clusters {
                        0xFFF
                    } else {
                        (c + 1) as u16
                    },
                );
            }
            next_cluster += clusters;
        }
        v
    }

    #[test]
    fn boot_sector_is_recognised() {
        let v = fat12_of(&[]);
        assert!(is_fat(&v));
        assert!(!is_fat(&v[..400]));
        let mut bad = v.clone();
        bad[11] = 3;
        assert!(!is_fat(&bad));
    }

    #[test]
    fn short_names() {
        let mut e = [b' '; 32];
        e[..6].copy_from_slice(b"README");
        e[8..11].copy_from_slice(b"TXT");
        assert_eq!(short_name(&e), "README.TXT");
        e[8..11].copy_from_slice(b"   ");
        assert_eq!(short_name(&e), "README");
    }
}
