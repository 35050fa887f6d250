//! Programs among the attachments, whatever their names: Windows PE (and DOS/16-bit MZ), ELF and
//! Mach-O, described from their headers (goblin), and still reported from the magic bytes alone
//! when truncated or malformed.

use goblin::pe::characteristic::IMAGE_FILE_DLL;
use goblin::pe::subsystem;

/// A program found in an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// `PE`, `MZ`, `ELF` or `Mach-O`.
    pub format: &'static str,
    /// What it is, for people: `PE32+ Windows GUI program, x86-64, .NET (CLR header)`.
    pub description: String,
}

/// Describes `data` if it is a program; `None` otherwise.
pub fn describe(data: &[u8]) -> Option<Program> {
    if let Some(p) = describe_mz(data) {
        return Some(p);
    }
    if data.starts_with(b"\x7fELF") {
        return Some(describe_elf(data));
    }
    if is_macho(data) {
        return Some(describe_macho(data));
    }
    None
}

fn u32_at(data: &[u8], at: usize, big_endian: bool) -> Option<u32> {
    let b: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
    Some(if big_endian {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    })
}

/// Where the DOS header says the PE header is, if that is a plausible offset.
fn pe_offset(data: &[u8]) -> Option<usize> {
    let at = u32_at(data, 0x3C, false)? as usize;
    (0x40..=0x10_0000).contains(&at).then_some(at)
}

/// `MZ` with a whole, binary DOS header (64 bytes). Text that happens to start with "MZ" has no
/// NUL bytes there; a file shorter than a DOS header cannot be loaded by Windows at all.
fn is_mz(data: &[u8]) -> bool {
    data.starts_with(b"MZ") && data.get(2..0x40).is_some_and(|h| h.contains(&0))
}

/// A Windows program or DOS executable: `MZ` and a binary DOS header. What follows (a `PE\0\0`
/// header where the DOS header points, or nothing because the file is cut short) only changes the
/// description.
pub fn is_pe(data: &[u8]) -> bool {
    is_mz(data)
}

const DOS: &str = "DOS executable (MZ, no PE header)";
const NE: &str = "16-bit Windows executable (NE)";
const LE: &str = "OS/2 or VxD executable (LE/LX)";
const PE: &str = "Windows executable (PE)";

/// The kind of an `MZ` program in a few words, the same wherever a file's real kind is shown
/// (the attachment list, the file-type rules, `EXE_PROGRAM`'s description of a non-PE program).
pub fn mz_label(data: &[u8]) -> &'static str {
    let Some(at) = pe_offset(data) else {
        return DOS;
    };
    match data.get(at..at + 4) {
        None | Some(b"PE\0\0") => PE,
        Some([b'N', b'E', ..]) => NE,
        Some([b'L', b'E' | b'X', ..]) => LE,
        Some(_) => DOS,
    }
}

fn describe_mz(data: &[u8]) -> Option<Program> {
    if !is_pe(data) {
        return None;
    }
    let mz = |description: String| Program {
        format: "MZ",
        description,
    };
    let Some(at) = pe_offset(data) else {
        return Some(mz(DOS.into()));
    };
    let Some(sig) = data.get(at..at + 4) else {
        return Some(Program {
            format: "PE",
            description: format!(
                "truncated PE: the header at offset {at:#x} is past the end of the {}-byte file",
                data.len()
            ),
        });
    };
    match sig {
        b"PE\0\0" => {}
        [b'N', b'E', ..] => return Some(mz(NE.into())),
        [b'L', b'E' | b'X', ..] => return Some(mz(LE.into())),
        _ => return Some(mz(DOS.into())),
    }
    let header = match goblin::pe::header::Header::parse(data) {
        Ok(h) => h,
        Err(e) => {
            return Some(Program {
                format: "PE",
                description: format!("malformed PE: headers unreadable ({})", short(&e)),
            });
        }
    };
    let coff = header.coff_header;
    let is_dll = coff.characteristics & IMAGE_FILE_DLL != 0;
    let mut parts: Vec<String> = Vec::new();
    match &header.optional_header {
        Some(opt) => {
            let bits = if opt.standard_fields.magic == 0x20b {
                "PE32+"
            } else {
                "PE32"
            };
            let what = if is_dll { "DLL" } else { "program" };
            let sub = match opt.windows_fields.subsystem {
                subsystem::IMAGE_SUBSYSTEM_WINDOWS_GUI => "Windows GUI ".to_string(),
                subsystem::IMAGE_SUBSYSTEM_WINDOWS_CUI => "Windows console ".to_string(),
                subsystem::IMAGE_SUBSYSTEM_NATIVE => "native (driver) ".to_string(),
                subsystem::IMAGE_SUBSYSTEM_WINDOWS_CE_GUI => "Windows CE ".to_string(),
                10..=13 => "EFI ".to_string(),
                other => format!("subsystem {other} "),
            };
            let sub = if is_dll { String::new() } else { sub };
            parts.push(format!("{bits} {sub}{what}"));
            parts.push(machine(coff.machine));
            if opt
                .data_directories
                .get_clr_runtime_header()
                .is_some_and(|d| d.virtual_address != 0 && d.size != 0)
            {
                parts.push(".NET (CLR header)".into());
            }
        }
        None => {
            parts.push("PE without an optional header".into());
            parts.push(machine(coff.machine));
        }
    }
    if let Some(note) = pe_truncation(data, at, &coff) {
        parts.push(note);
    }
    Some(Program {
        format: "PE",
        description: parts.join(", "),
    })
}

/// Says so when the section table or a section's raw data lies past the end of the file.
fn pe_truncation(data: &[u8], at: usize, coff: &goblin::pe::header::CoffHeader) -> Option<String> {
    let mut offset = at + 4 + 20 + coff.size_of_optional_header as usize;
    let Ok(sections) = coff.sections(data, &mut offset) else {
        return Some("truncated or malformed (section table unreadable)".into());
    };
    let end = sections
        .iter()
        .filter(|s| s.size_of_raw_data > 0)
        .map(|s| s.pointer_to_raw_data as u64 + s.size_of_raw_data as u64)
        .max()
        .unwrap_or(0);
    (end > data.len() as u64).then(|| {
        format!(
            "truncated: sections end at byte {end}, the file has {}",
            data.len()
        )
    })
}

fn machine(m: u16) -> String {
    match goblin::pe::header::machine_to_str(m) {
        "X86" => "x86".into(),
        "X86_64" => "x86-64".into(),
        "UNKNOWN" | "COFF_UNKNOWN" => format!("unknown machine {m:#06x}"),
        other => other.to_string(),
    }
}

fn short(e: &goblin::error::Error) -> String {
    let s = e.to_string();
    match s.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s,
    }
}

fn describe_elf(data: &[u8]) -> Program {
    let program = |description: String| Program {
        format: "ELF",
        description,
    };
    let header = match goblin::elf::Elf::parse_header(data) {
        Ok(h) => h,
        Err(_) => {
            return program(format!(
                "truncated or malformed ELF ({} bytes, header unreadable)",
                data.len()
            ));
        }
    };
    use goblin::elf::header::{ET_CORE, ET_DYN, ET_EXEC, ET_REL};
    let bits = match header.e_ident.get(4) {
        Some(1) => "32-bit",
        Some(2) => "64-bit",
        _ => "unknown-class",
    };
    let kind = match header.e_type {
        ET_EXEC => "executable",
        ET_DYN => "shared object or PIE executable",
        ET_REL => "relocatable object",
        ET_CORE => "core dump",
        _ => "file of unknown type",
    };
    let arch = match goblin::elf::header::machine_to_str(header.e_machine) {
        "X86_64" => "x86-64".to_string(),
        "386" => "x86".to_string(),
        "AARCH64" => "ARM64".to_string(),
        other => other.to_string(),
    };
    let mut description = format!("ELF {bits} {kind}, {arch}");
    let ph_end = header.e_phoff + header.e_phnum as u64 * header.e_phentsize as u64;
    let sh_end = header.e_shoff + header.e_shnum as u64 * header.e_shentsize as u64;
    let end = ph_end.max(sh_end);
    if end > data.len() as u64 {
        description.push_str(&format!(
            ", truncated: headers end at byte {end}, the file has {}",
            data.len()
        ));
    }
    program(description)
}

const MH_MAGIC: u32 = 0xFEED_FACE;
const MH_MAGIC_64: u32 = 0xFEED_FACF;
const FAT_MAGIC: u32 = 0xCAFE_BABE;

/// Mach-O in either byte order, or a universal ("fat") binary. Java class files share the fat
/// magic; their next word is a class-file version (45 and up), a fat header's an arch count.
pub fn is_macho(data: &[u8]) -> bool {
    match u32_at(data, 0, true) {
        Some(MH_MAGIC | MH_MAGIC_64) => true,
        Some(m) if m.swap_bytes() == MH_MAGIC || m.swap_bytes() == MH_MAGIC_64 => true,
        Some(FAT_MAGIC) => u32_at(data, 4, true).is_some_and(|n| (1..30).contains(&n)),
        _ => false,
    }
}

fn describe_macho(data: &[u8]) -> Program {
    use goblin::mach::constants::cputype::get_arch_name_from_types;
    let program = |description: String| Program {
        format: "Mach-O",
        description,
    };
    let Some(magic) = u32_at(data, 0, true) else {
        return program("truncated Mach-O".into());
    };
    if magic == FAT_MAGIC {
        let n = u32_at(data, 4, true).unwrap_or(0);
        let mut arches = Vec::new();
        for i in 0..n.min(30) as usize {
            let at = 8 + i * 20;
            match (u32_at(data, at, true), u32_at(data, at + 4, true)) {
                (Some(cpu), Some(sub)) => {
                    arches.push(get_arch_name_from_types(cpu, sub).unwrap_or("unknown"))
                }
                _ => {
                    return program(format!(
                        "truncated Mach-O universal binary ({n} architectures)"
                    ));
                }
            }
        }
        return program(format!("Mach-O universal binary ({})", arches.join(", ")));
    }
    let big = magic == MH_MAGIC || magic == MH_MAGIC_64;
    let bits = if magic == MH_MAGIC_64 || magic.swap_bytes() == MH_MAGIC_64 {
        "64-bit"
    } else {
        "32-bit"
    };
    let (Some(cpu), Some(sub), Some(filetype)) = (
        u32_at(data, 4, big),
        u32_at(data, 8, big),
        u32_at(data, 12, big),
    ) else {
        return program(format!("truncated Mach-O ({} bytes)", data.len()));
    };
    use goblin::mach::header::{MH_BUNDLE, MH_DYLIB, MH_EXECUTE, MH_OBJECT};
    let kind = match filetype {
        MH_EXECUTE => "executable",
        MH_DYLIB => "dynamic library",
        MH_BUNDLE => "bundle (plug-in)",
        MH_OBJECT => "object file",
        _ => "file",
    };
    let arch = get_arch_name_from_types(cpu, sub & 0x00FF_FFFF).unwrap_or("unknown CPU");
    let mut description = format!("Mach-O {bits} {kind}, {arch}");
    if goblin::mach::MachO::parse(data, 0).is_err() {
        description.push_str(", truncated or malformed load commands");
    }
    program(description)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small, valid PE image: DOS header, PE header, optional header, one section.
    pub(crate) fn minimal_pe(pe64: bool, subsystem: u16) -> Vec<u8> {
        let mut d = vec![0u8; 0x400];
        d[0..2].copy_from_slice(b"MZ");
        d[0x3C..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        d[0x80..0x84].copy_from_slice(b"PE\0\0");
        let machine: u16 = if pe64 { 0x8664 } else { 0x14c };
        let opt_size: u16 = if pe64 { 240 } else { 224 };
        let coff = 0x84;
        d[coff..coff + 2].copy_from_slice(&machine.to_le_bytes());
        d[coff + 2..coff + 4].copy_from_slice(&1u16.to_le_bytes()); // sections
        d[coff + 16..coff + 18].copy_from_slice(&opt_size.to_le_bytes());
        d[coff + 18..coff + 20].copy_from_slice(&0x0102u16.to_le_bytes()); // executable
        let opt = coff + 20;
        let magic: u16 = if pe64 { 0x20b } else { 0x10b };
        d[opt..opt + 2].copy_from_slice(&magic.to_le_bytes());
        // section/file alignment, subsystem, number of data directories
        let (sect_align, subsys, ndirs) = if pe64 { (32, 68, 108) } else { (32, 68, 92) };
        d[opt + sect_align..opt + sect_align + 4].copy_from_slice(&0x1000u32.to_le_bytes());
        d[opt + sect_align + 4..opt + sect_align + 8].copy_from_slice(&0x200u32.to_le_bytes());
        d[opt + subsys..opt + subsys + 2].copy_from_slice(&subsystem.to_le_bytes());
        d[opt + ndirs..opt + ndirs + 4].copy_from_slice(&16u32.to_le_bytes());
        let sect = opt + opt_size as usize;
        d[sect..sect + 5].copy_from_slice(b".text");
        d[sect + 16..sect + 20].copy_from_slice(&0x200u32.to_le_bytes()); // raw size
        d[sect + 20..sect + 24].copy_from_slice(&0x200u32.to_le_bytes()); // raw pointer
        d
    }

    /// Sets the CLR runtime header data directory (index 14) of a `minimal_pe`.
    fn with_clr(mut d: Vec<u8>, pe64: bool) -> Vec<u8> {
        let dirs = 0x84 + 20 + if pe64 { 112 } else { 96 };
        let clr = dirs + 14 * 8;
        d[clr..clr + 4].copy_from_slice(&0x2000u32.to_le_bytes());
        d[clr + 4..clr + 8].copy_from_slice(&0x48u32.to_le_bytes());
        d
    }

    fn what(data: &[u8]) -> String {
        describe(data).expect("a program").description
    }

    #[test]
    fn pe_variants_are_described() {
        assert_eq!(what(&minimal_pe(false, 2)), "PE32 Windows GUI program, x86");
        assert_eq!(
            what(&minimal_pe(true, 3)),
            "PE32+ Windows console program, x86-64"
        );
        let mut dll = minimal_pe(true, 2);
        dll[0x84 + 18..0x84 + 20].copy_from_slice(&0x2102u16.to_le_bytes());
        assert_eq!(what(&dll), "PE32+ DLL, x86-64");
        assert_eq!(
            what(&with_clr(minimal_pe(false, 3), false)),
            "PE32 Windows console program, x86, .NET (CLR header)"
        );
    }

    #[test]
    fn truncated_and_malformed_pes_are_still_reported() {
        let pe = minimal_pe(false, 2);
        assert!(what(&pe[..0x300]).contains("truncated: sections end at byte 1024"));
        assert!(what(&pe[..0x60]).starts_with("truncated PE: the header at offset 0x80"));
        let mut bad = pe.clone();
        bad[0x80..0x84].copy_from_slice(b"PE\0\0");
        bad.truncate(0x90);
        assert!(what(&bad).starts_with("malformed PE"), "{}", what(&bad));
        let mut dos = pe.clone();
        dos[0x80..0x84].copy_from_slice(b"\0\0\0\0");
        assert_eq!(what(&dos), "DOS executable (MZ, no PE header)");
    }

    #[test]
    fn text_starting_with_mz_is_not_a_program() {
        assert!(describe(b"MZ, Mozambique, 2026-11-20, order 42\r\n").is_none());
        assert!(describe(b"").is_none());
        assert!(describe(b"M").is_none());
        // Shorter than a DOS header: Windows cannot load it.
        assert!(describe(b"MZ\x90\x00\x03\x00").is_none());
    }

    #[test]
    fn elf_and_macho() {
        let mut elf = vec![0u8; 64];
        elf[..4].copy_from_slice(b"\x7fELF");
        elf[4] = 2; // 64-bit
        elf[5] = 1; // little endian
        elf[6] = 1;
        elf[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
        elf[18..20].copy_from_slice(&62u16.to_le_bytes()); // x86-64
        elf[52..54].copy_from_slice(&64u16.to_le_bytes()); // e_ehsize
        assert_eq!(what(&elf), "ELF 64-bit executable, x86-64");
        assert!(what(&elf[..10]).starts_with("truncated or malformed ELF"));
        let mut macho = vec![0u8; 32];
        macho[..4].copy_from_slice(&MH_MAGIC_64.to_le_bytes());
        macho[4..8].copy_from_slice(&0x0100_000Cu32.to_le_bytes()); // arm64
        macho[12..16].copy_from_slice(&2u32.to_le_bytes()); // MH_EXECUTE
        assert!(
            what(&macho).starts_with("Mach-O 64-bit executable, arm64"),
            "{}",
            what(&macho)
        );
        assert!(what(&macho[..6]).starts_with("truncated Mach-O"));
        // A Java class file shares the fat magic but is not a Mach-O.
        assert!(describe(b"\xCA\xFE\xBA\xBE\x00\x00\x00\x34").is_none());
    }
}
