//! Windows shortcuts (`.lnk`, MS-SHLLINK) read: what they start, with which arguments, under
//! which icon, every path they record. The shortcut check (`checks::attachments::lnk`) judges it.
//!
//! The parser is our own and reads every field through bounds-checked slices: the `lnk` crate
//! (0.6) only opens files by path and panics on some malformed blocks.

use crate::formats::bytes::decode_name;

/// `LinkFlags` bits (MS-SHLLINK 2.1.1).
pub(crate) mod flag {
    pub const HAS_TARGET_ID_LIST: u32 = 0x1;
    pub const HAS_LINK_INFO: u32 = 0x2;
    pub const HAS_NAME: u32 = 0x4;
    pub const HAS_RELATIVE_PATH: u32 = 0x8;
    pub const HAS_WORKING_DIR: u32 = 0x10;
    pub const HAS_ARGUMENTS: u32 = 0x20;
    pub const HAS_ICON_LOCATION: u32 = 0x40;
    pub const IS_UNICODE: u32 = 0x80;
}

/// `ShowCommand` value that starts the program minimised without focus: a window the user
/// does not see.
pub const SW_SHOWMINNOACTIVE: u32 = 7;
/// Extra data blocks read, at most (a real shortcut has a handful).
const MAX_BLOCKS: usize = 64;
/// Shell items in a target ID list, at most.
const MAX_ID_ITEMS: usize = 64;

/// What a shortcut says, every string decoded. Paths come from several structures that Windows
/// consults in turn; an attacker may make them disagree, so all are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shortcut {
    pub flags: u32,
    pub show_command: u32,
    pub icon_index: i32,
    /// The target ID list turned into a path (`C:\Windows\System32\cmd.exe`).
    pub id_list_path: Option<String>,
    /// LinkInfo: local base path and common path suffix.
    pub local_path: Option<String>,
    /// LinkInfo: network share and common path suffix (`\\server\share\file`).
    pub network_path: Option<String>,
    pub name: Option<String>,
    pub relative_path: Option<String>,
    pub working_dir: Option<String>,
    pub arguments: Option<String>,
    pub icon_location: Option<String>,
    /// EnvironmentVariableDataBlock: the target with environment variables (`%windir%\…`).
    pub env_target: Option<String>,
    /// IconEnvironmentDataBlock: the icon path with environment variables.
    pub env_icon: Option<String>,
    /// Offset just past the last structure (the terminal extra data block).
    pub end: usize,
    /// A structure ran past the end of the file.
    pub truncated: bool,
}

impl Shortcut {
    /// The path Windows would start, from the most to the least authoritative structure.
    pub fn target(&self) -> Option<&str> {
        [
            &self.local_path,
            &self.network_path,
            &self.env_target,
            &self.id_list_path,
            &self.relative_path,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .find(|s| !s.trim().is_empty())
    }

    /// Every target path the shortcut records (they may disagree).
    pub fn targets(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for p in [
            &self.local_path,
            &self.network_path,
            &self.env_target,
            &self.id_list_path,
            &self.relative_path,
        ]
        .into_iter()
        .flatten()
        {
            if !p.trim().is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(p)) {
                out.push(p);
            }
        }
        out
    }

    /// Every icon path it records.
    pub fn icons(&self) -> Vec<&str> {
        [&self.icon_location, &self.env_icon]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
            .collect()
    }

    pub fn arguments(&self) -> &str {
        self.arguments.as_deref().unwrap_or("")
    }
}

/// `ShellLinkHeader` size and the shortcut class id, `{00021401-0000-0000-C000-000000000046}`.
pub fn is_lnk(data: &[u8]) -> bool {
    data.starts_with(&crate::formats::sniff::LNK_HEADER)
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        d.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        d.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// A NUL-terminated string of single bytes in the system code page (not recorded in the file:
/// Shift_JIS is tried after UTF-8, since Japanese Windows writes CP932).
fn ansi_z(d: &[u8], at: usize) -> Option<String> {
    let rest = d.get(at..)?;
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let s = decode_name(rest.get(..end)?);
    (!s.is_empty()).then_some(s)
}

/// A NUL-terminated UTF-16LE string.
fn utf16_z(d: &[u8], at: usize) -> Option<String> {
    let rest = d.get(at..)?;
    let units: Vec<u16> = rest
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    let s = String::from_utf16_lossy(&units);
    (!s.is_empty()).then_some(s)
}

/// Parses a shortcut. `None` if `data` is not one (wrong header); a damaged one yields what
/// could be read, with `truncated` set.
pub fn parse(data: &[u8]) -> Option<Shortcut> {
    if !is_lnk(data) {
        return None;
    }
    let flags = u32_at(data, 0x14)?;
    let mut lnk = Shortcut {
        flags,
        show_command: u32_at(data, 0x3C).unwrap_or(1),
        icon_index: u32_at(data, 0x38).unwrap_or(0) as i32,
        ..Shortcut::default()
    };
    let mut at = 0x4C;
    if flags & flag::HAS_TARGET_ID_LIST != 0 {
        let Some(size) = u16_at(data, at) else {
            lnk.truncated = true;
            return Some(lnk);
        };
        let list = data.get(at + 2..at + 2 + size as usize);
        lnk.truncated |= list.is_none();
        lnk.id_list_path = list.and_then(id_list_path);
        at += 2 + size as usize;
    }
    if flags & flag::HAS_LINK_INFO != 0 {
        let Some(size) = u32_at(data, at) else {
            lnk.truncated = true;
            return Some(lnk);
        };
        let info = data.get(at..at.saturating_add(size as usize));
        lnk.truncated |= info.is_none();
        if let Some(info) = info {
            read_link_info(info, &mut lnk);
        }
        at = at.saturating_add(size as usize);
    }
    let unicode = flags & flag::IS_UNICODE != 0;
    let mut strings: [Option<String>; 5] = Default::default();
    let bits = [
        flag::HAS_NAME,
        flag::HAS_RELATIVE_PATH,
        flag::HAS_WORKING_DIR,
        flag::HAS_ARGUMENTS,
        flag::HAS_ICON_LOCATION,
    ];
    let mut complete = true;
    for (bit, slot) in bits.into_iter().zip(strings.iter_mut()) {
        if flags & bit == 0 {
            continue;
        }
        let Some(count) = u16_at(data, at) else {
            complete = false;
            break;
        };
        let bytes = count as usize * if unicode { 2 } else { 1 };
        let raw = data.get(at + 2..at + 2 + bytes);
        complete &= raw.is_some();
        // What is there of a cut string is still worth showing.
        let raw = raw.unwrap_or_else(|| data.get(at + 2..).unwrap_or_default());
        *slot = Some(if unicode {
            let units: Vec<u16> = raw
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            decode_name(raw)
        });
        at += 2 + bytes;
    }
    let [name, relative_path, working_dir, arguments, icon_location] = strings;
    lnk.name = name;
    lnk.relative_path = relative_path;
    lnk.working_dir = working_dir;
    lnk.arguments = arguments;
    lnk.icon_location = icon_location;
    if !complete {
        lnk.truncated = true;
        lnk.end = data.len();
        return Some(lnk);
    }
    read_extra_data(data, at, &mut lnk);
    Some(lnk)
}

/// LinkInfo (MS-SHLLINK 2.3): the local path or the network share of the target.
fn read_link_info(info: &[u8], lnk: &mut Shortcut) {
    let header_size = u32_at(info, 4).unwrap_or(0) as usize;
    let info_flags = u32_at(info, 8).unwrap_or(0);
    let offset = |at: usize| u32_at(info, at).map(|o| o as usize).filter(|&o| o > 0);
    let unicode_offsets = header_size >= 0x24;
    let suffix = if unicode_offsets {
        offset(32).and_then(|o| utf16_z(info, o))
    } else {
        None
    }
    .or_else(|| offset(24).and_then(|o| ansi_z(info, o)))
    .unwrap_or_default();
    if info_flags & 1 != 0 {
        let base = if unicode_offsets {
            offset(28).and_then(|o| utf16_z(info, o))
        } else {
            None
        }
        .or_else(|| offset(16).and_then(|o| ansi_z(info, o)));
        lnk.local_path = base.map(|b| join_path(&b, &suffix));
    }
    if info_flags & 2 != 0
        && let Some(link_at) = offset(20)
        && let Some(link) = info.get(link_at..)
    {
        let name_offset = u32_at(link, 8).unwrap_or(0) as usize;
        let net = if name_offset > 0x14 {
            u32_at(link, 20).and_then(|o| utf16_z(link, o as usize))
        } else {
            None
        }
        .or_else(|| {
            (name_offset > 0)
                .then(|| ansi_z(link, name_offset))
                .flatten()
        });
        lnk.network_path = net.map(|n| join_path(&n, &suffix));
    }
}

fn join_path(base: &str, suffix: &str) -> String {
    if suffix.is_empty() {
        base.to_string()
    } else if base.ends_with('\\') {
        format!("{base}{suffix}")
    } else {
        format!("{base}\\{suffix}")
    }
}

/// ExtraData blocks: the environment-variable target and icon; finds where the shortcut ends.
fn read_extra_data(data: &[u8], mut at: usize, lnk: &mut Shortcut) {
    for _ in 0..MAX_BLOCKS {
        let Some(size) = u32_at(data, at) else {
            lnk.truncated = true;
            lnk.end = data.len();
            return;
        };
        if size < 8 {
            // TerminalBlock.
            lnk.end = at + 4;
            return;
        }
        let Some(block) = data.get(at..at.saturating_add(size as usize)) else {
            lnk.truncated = true;
            lnk.end = data.len();
            return;
        };
        // Environment variable (0xA0000001) and icon environment (0xA0000007) blocks: 260
        // bytes of ANSI, then 520 of UTF-16.
        let env = || utf16_z(block, 8 + 260).or_else(|| ansi_z(block.get(..8 + 260)?, 8));
        match u32_at(block, 4) {
            Some(0xA000_0001) => lnk.env_target = env(),
            Some(0xA000_0007) => lnk.env_icon = env(),
            _ => {}
        }
        at += size as usize;
    }
    lnk.end = at.min(data.len());
}

/// `{20D04FE0-3AEA-1069-A2D8-08002B30309D}`: "This PC" (My Computer); drives follow.
pub(crate) const MY_COMPUTER: [u8; 16] = [
    0xE0, 0x4F, 0xD0, 0x20, 0xEA, 0x3A, 0x69, 0x10, 0xA2, 0xD8, 0x08, 0x00, 0x2B, 0x30, 0x30, 0x9D,
];

/// The path a LinkTargetIDList names, from its shell items: root folder, volume, network
/// location and file entries (with the long name of their 0xBEEF0004 extension block).
fn id_list_path(list: &[u8]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut at = 0;
    for _ in 0..MAX_ID_ITEMS {
        let size = u16_at(list, at)? as usize;
        if size < 2 {
            break;
        }
        let item = list.get(at + 2..at + size)?;
        at += size;
        let Some(&kind) = item.first() else {
            continue;
        };
        match kind & 0x70 {
            // Root folder: a class id.
            0x10 => {
                let guid = item.get(2..18);
                if guid.is_some_and(|g| g != MY_COMPUTER) {
                    parts.push(format!("::{{{}}}", guid_string(guid.unwrap_or_default())));
                }
            }
            0x20 => {
                if let Some(drive) = ansi_z(item, 1) {
                    parts.push(drive.trim_end_matches('\\').to_string());
                }
            }
            0x30 => {
                if let Some(name) = file_entry_name(item, kind) {
                    parts.push(name);
                }
            }
            0x40 => {
                if let Some(location) = ansi_z(item, 2) {
                    parts.push(location);
                }
            }
            _ => {}
        }
    }
    (!parts.is_empty()).then(|| parts.join("\\"))
}

/// A file entry shell item's name: the long name from its 0xBEEF0004 extension block, else the
/// primary (8.3) name.
fn file_entry_name(item: &[u8], kind: u8) -> Option<String> {
    let unicode = kind & 0x04 != 0;
    let primary = if unicode {
        utf16_z(item, 12)
    } else {
        ansi_z(item, 12)
    };
    let sig = [0x04, 0x00, 0xEF, 0xBE];
    let long = item
        .windows(4)
        .position(|w| w == sig)
        .and_then(|s| s.checked_sub(4))
        .and_then(|block_at| {
            let block = item.get(block_at..)?;
            let size = u16_at(block, 0)? as usize;
            let block = block.get(..size).unwrap_or(block);
            let version = u16_at(block, 2)?;
            // Fixed fields before the long name grow with the block's version.
            let name_at = match version {
                0..=2 => return None,
                3..=6 => 20,
                7 => 38,
                8 => 42,
                _ => 46,
            };
            utf16_z(block, name_at).filter(|n| !n.chars().any(char::is_control))
        });
    long.or(primary)
}

fn guid_string(g: &[u8]) -> String {
    let b = |i: usize| g.get(i).copied().unwrap_or(0);
    format!(
        "{:02X}{:02X}{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}",
        b(3),
        b(2),
        b(1),
        b(0),
        b(5),
        b(4),
        b(7),
        b(6),
        b(8),
        b(9),
        b(10),
        b(11),
        b(12),
        b(13),
        b(14),
        b(15)
    )
}
