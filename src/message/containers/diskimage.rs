//! Disk images: Windows mounts ISO, IMG, VHD and VHDX files with a double-click, and the files
//! inside do not carry the Mark-of-the-Web of the download, so attackers ship their programs and
//! shortcuts in them. Every disk image is reported; ISO 9660 and FAT volumes (raw, or in an
//! MBR-partitioned raw disk or a fixed VHD) are listed.

use super::{Lister, be32, display_name, fat, iso, le32};
use crate::finding::Finding;
use crate::message::Attachment;
use crate::message::expand::{Budget, Opened};

/// Which kind of disk image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Iso9660,
    /// UDF with no ISO 9660 volume beside it: detected, not listed.
    Udf,
    /// A FAT volume, alone or in an MBR partition.
    Fat,
    /// Virtual Hard Disk; `fixed` ones are a raw disk followed by the footer.
    Vhd {
        fixed: bool,
    },
    Vhdx,
}

impl Kind {
    pub fn format(self) -> &'static str {
        match self {
            Kind::Iso9660 => "ISO 9660",
            Kind::Udf => "UDF",
            Kind::Fat => "FAT",
            Kind::Vhd { .. } => "VHD",
            Kind::Vhdx => "VHDX",
        }
    }
}

const VHD_FOOTER: usize = 512;

/// The kind of disk image `data` is, from its signatures.
pub fn kind(data: &[u8]) -> Option<Kind> {
    if data.starts_with(b"vhdxfile") {
        return Some(Kind::Vhdx);
    }
    if let Some(footer) = vhd_footer(data) {
        // Disk type: 2 fixed, 3 dynamic, 4 differencing.
        return Some(Kind::Vhd {
            fixed: be32(footer, 60) == Some(2),
        });
    }
    if iso::is_iso9660(data) {
        return Some(Kind::Iso9660);
    }
    if iso::is_udf(data) {
        return Some(Kind::Udf);
    }
    if !fat_volumes(data).is_empty() {
        return Some(Kind::Fat);
    }
    None
}

/// The VHD footer (`conectix`): at the end (511 bytes in old images), or its copy at the start.
fn vhd_footer(data: &[u8]) -> Option<&[u8]> {
    let at = |off: usize| {
        data.get(off..)
            .filter(|f| f.starts_with(b"conectix") && f.len() >= 64)
    };
    data.len()
        .checked_sub(VHD_FOOTER)
        .and_then(at)
        .or_else(|| data.len().checked_sub(VHD_FOOTER - 1).and_then(at))
        .or_else(|| at(0))
}

/// FAT volumes of a raw disk: the disk itself, or the partitions of its MBR.
fn fat_volumes(disk: &[u8]) -> Vec<&[u8]> {
    if fat::is_fat(disk) {
        return vec![disk];
    }
    if disk.get(510..512) != Some(&[0x55, 0xAA]) {
        return Vec::new();
    }
    (0..4)
        .filter_map(|i| {
            let entry = 446 + 16 * i;
            let kind = *disk.get(entry + 4)?;
            if kind == 0 || kind == 0xEE {
                return None;
            }
            let start = (le32(disk, entry + 8)? as usize).checked_mul(512)?;
            let len = (le32(disk, entry + 12)? as usize).checked_mul(512)?;
            let end = start.saturating_add(len).min(disk.len());
            let volume = disk.get(start..end)?;
            fat::is_fat(volume).then_some(volume)
        })
        .collect()
}

pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    let Some(kind) = kind(&att.data) else {
        return false;
    };
    out.findings.push(
        Finding::new("ARCHIVE_DISK_IMAGE", &att.location)
            .with("name", display_name(att))
            .with("format", kind.format()),
    );
    let mut list = Lister::new(att, budget, out, kind.format());
    match kind {
        Kind::Iso9660 => iso::list(&att.data, &mut list),
        Kind::Fat => {
            for volume in fat_volumes(&att.data) {
                fat::list(volume, &mut list);
            }
        }
        Kind::Vhd { fixed: true } => {
            let disk = att.data.get(..att.data.len().saturating_sub(VHD_FOOTER));
            for volume in fat_volumes(disk.unwrap_or_default()) {
                fat::list(volume, &mut list);
            }
        }
        Kind::Udf | Kind::Vhd { fixed: false } | Kind::Vhdx => {}
    }
    list.finish();
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::containers::fat::tests::fat12_of;
    use crate::message::containers::iso::tests::{iso_of, record};

    fn open_image(name: &str, data: Vec<u8>) -> Opened {
        let att = Attachment {
            location: format!("2/{name}"),
            name: Some(name.into()),
            data,
            ..Attachment::default()
        };
        let mut out = Opened::default();
        let mut budget = Budget::new(&crate::config::Limits::default());
        assert!(open(&att, &mut budget, &mut out));
        out
    }

    fn names(o: &Opened) -> Vec<&str> {
        o.children
            .iter()
            .map(|c| c.name.as_deref().unwrap())
            .collect()
    }

    #[test]
    fn iso_files_are_listed_with_their_data() {
        let img = iso_of(
            &[("INVOICE.LNK", b"L\0\0\0"), ("README.", b"hello")],
            &[("PAYLOAD.DLL", b"MZ\x90\0")],
            false,
        );
        let o = open_image("invoice.iso", img);
        assert_eq!(o.findings[0].rule, "ARCHIVE_DISK_IMAGE");
        assert_eq!(o.findings[0].evidence[1].1, "ISO 9660");
        assert_eq!(names(&o), ["INVOICE.LNK", "README", "SUB/PAYLOAD.DLL"]);
        assert_eq!(o.children[0].data, b"L\0\0\0");
        assert_eq!(o.children[2].data, b"MZ\x90\0");
    }

    #[test]
    fn joliet_names_are_preferred() {
        let img = iso_of(&[("請求書.pdf.lnk", b"L\0\0\0")], &[], true);
        let o = open_image("a.img", img);
        assert_eq!(names(&o), ["請求書.pdf.lnk"]);
    }

    #[test]
    fn a_directory_loop_is_walked_once() {
        let mut img = iso_of(&[("A.TXT", b"a")], &[], false);
        // SUB's "." record is replaced by a subdirectory pointing back at the root.
        let rec = record(18, 2048, 2, b"X");
        img[19 * 2048..19 * 2048 + 34].copy_from_slice(&rec);
        let o = open_image("loop.iso", img);
        assert_eq!(names(&o), ["A.TXT"]);
    }

    #[test]
    fn udf_only_is_detected() {
        let mut img = vec![0u8; 20 * 2048];
        img[16 * 2048 + 1..16 * 2048 + 6].copy_from_slice(b"BEA01");
        img[17 * 2048 + 1..17 * 2048 + 6].copy_from_slice(b"NSR02");
        let o = open_image("x.iso", img);
        assert_eq!(o.findings[0].evidence[1].1, "UDF");
        assert!(o.children.is_empty());
    }

    #[test]
    fn fat_image_root_with_long_names() {
        let img = fat12_of(&[
            ("INVOIC~1.EXE", Some("請求書.pdf.exe"), b"MZ\x90\0"),
            ("NOTES.TXT", None, &[b'x'; 1500]),
        ]);
        let o = open_image("disk.img", img);
        assert_eq!(o.findings[0].evidence[1].1, "FAT");
        assert_eq!(names(&o), ["請求書.pdf.exe", "NOTES.TXT"]);
        assert_eq!(o.children[0].data, b"MZ\x90\0");
        assert_eq!(o.children[1].data.len(), 1500);
    }

    #[test]
    fn fixed_vhd_with_an_mbr_partition_is_listed() {
        let volume = fat12_of(&[("RUN.BAT", None, b"@echo off")]);
        let mut disk = vec![0u8; 2048 * 512];
        disk[510] = 0x55;
        disk[511] = 0xAA;
        disk[446 + 4] = 0x01;
        disk[446 + 8..446 + 12].copy_from_slice(&2048u32.to_le_bytes());
        disk[446 + 12..446 + 16].copy_from_slice(&((volume.len() / 512) as u32).to_le_bytes());
        disk.extend_from_slice(&volume);
        let mut footer = vec![0u8; 512];
        footer[..8].copy_from_slice(b"conectix");
        footer[60..64].copy_from_slice(&2u32.to_be_bytes());
        disk.extend_from_slice(&footer);
        let o = open_image("disk.vhd", disk);
        assert_eq!(o.findings[0].evidence[1].1, "VHD");
        assert_eq!(names(&o), ["RUN.BAT"]);
    }

    #[test]
    fn vhdx_and_dynamic_vhd_are_detected_only() {
        let mut x = b"vhdxfile".to_vec();
        x.extend_from_slice(&[0; 100]);
        assert_eq!(kind(&x), Some(Kind::Vhdx));
        let mut d = vec![0u8; 512];
        d[..8].copy_from_slice(b"conectix");
        d[60..64].copy_from_slice(&3u32.to_be_bytes());
        d.extend_from_slice(&[0; 4096]);
        assert_eq!(kind(&d), Some(Kind::Vhd { fixed: false }));
        let o = open_image("d.vhd", d);
        assert_eq!(o.findings.len(), 1);
    }

    #[test]
    fn ordinary_files_are_not_images() {
        assert_eq!(kind(b"%PDF-1.7\n"), None);
        assert_eq!(kind(&[0u8; 70000]), None);
    }

    #[test]
    fn truncated_and_garbled_images_do_not_panic() {
        let img = iso_of(&[("A.EXE", &[1u8; 5000])], &[("B.TXT", b"b")], true);
        for cut in [16 * 2048 + 10, 18 * 2048 + 40, 19 * 2048, img.len() - 100] {
            open_image("t.iso", img[..cut].to_vec());
        }
        let mut g = img.clone();
        for i in (18 * 2048..20 * 2048).step_by(7) {
            g[i] = 0xFF;
        }
        open_image("g.iso", g);
        let f = fat12_of(&[("A.TXT", Some("long name.txt"), &[7u8; 3000])]);
        for cut in [512, 600, 10_000, 20_000] {
            open_image("t.img", f[..cut].to_vec());
        }
        let mut g = f.clone();
        for i in (512..20_000).step_by(5) {
            g[i] = 0xFF;
        }
        open_image("g.img", g);
    }
}
