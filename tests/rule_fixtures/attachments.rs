//! Fixtures for the attachment-content rules: real types, programs, scripts, name tricks, IOCs.

use super::Fixture;
use base64::Engine as _;
use lurescreen::Config;

/// A message with one base64 attachment of this name (RFC 2231 UTF-8), type and content.
pub fn with_attachment(name: &str, content_type: &str, data: &[u8]) -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(data);
    let wrapped: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    format!(
        "From: a@example.co.jp\nSubject: files\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n\
--b\nContent-Type: {content_type}\nContent-Transfer-Encoding: base64\n\
Content-Disposition: attachment; filename*=UTF-8''{}\n\n{}\n--b--\n",
        name.bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>(),
        wrapped.join("\n")
    )
    .into_bytes()
}

/// A small valid PE32 GUI program for x86: DOS header, PE header, optional header, one section.
pub fn tiny_pe() -> Vec<u8> {
    let mut d = vec![0u8; 0x400];
    let mut put = |at: usize, bytes: &[u8]| d[at..at + bytes.len()].copy_from_slice(bytes);
    put(0, b"MZ");
    put(0x3C, &0x80u32.to_le_bytes());
    put(0x80, b"PE\0\0");
    put(0x84, &0x14cu16.to_le_bytes());
    put(0x86, &1u16.to_le_bytes());
    put(0x94, &224u16.to_le_bytes());
    put(0x96, &0x0102u16.to_le_bytes());
    put(0x98, &0x10bu16.to_le_bytes());
    put(0x98 + 32, &0x1000u32.to_le_bytes());
    put(0x98 + 36, &0x200u32.to_le_bytes());
    put(0x98 + 68, &2u16.to_le_bytes());
    put(0x98 + 92, &16u32.to_le_bytes());
    let sect = 0x98 + 224;
    put(sect, b".text");
    put(sect + 16, &0x200u32.to_le_bytes());
    put(sect + 20, &0x200u32.to_le_bytes());
    d
}

/// The EICAR anti-virus test file, put together at run time.
pub fn eicar() -> Vec<u8> {
    [
        "X5O!P%@AP[4\\PZX54(P^)7CC)7}$",
        "EICAR-STANDARD-",
        "ANTIVIRUS-TEST-FILE!$H+H*",
    ]
    .concat()
    .into_bytes()
}

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let vbs = b"Dim sh\r\nSet sh = CreateObject(\"WScript.Shell\")\r\nsh.Run \"calc\"\r\n";
    vec![
        (
            "ATTACH_HTML_DISGUISED",
            d(),
            with_attachment(
                "見積依頼書.pdf.html",
                "text/html",
                b"<html><body><p>Loading document...</p></body></html>",
            ),
        ),
        (
            "ATTACH_NAME_PADDING",
            d(),
            with_attachment(
                "請求書.pdf                    .exe",
                "application/octet-stream",
                b"x",
            ),
        ),
        (
            "ATTACH_INVISIBLE_CHARS",
            d(),
            with_attachment("請求\u{200B}書.pdf", "application/pdf", b"%PDF-1.4\n"),
        ),
        (
            "ATTACH_DISGUISED_EXECUTABLE",
            d(),
            with_attachment("見積書.pdf", "application/pdf", &tiny_pe()),
        ),
        (
            "ATTACH_TYPE_MISMATCH",
            d(),
            with_attachment(
                "invoice.pdf",
                "application/pdf",
                b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
            ),
        ),
        (
            "ATTACH_KNOWN_BAD",
            d(),
            with_attachment("test.txt", "text/plain", &eicar()),
        ),
        (
            "EXE_PROGRAM",
            d(),
            with_attachment("tool.bin", "application/octet-stream", &tiny_pe()),
        ),
        (
            "EXE_SCRIPT",
            d(),
            with_attachment("readme.txt", "text/plain", vbs),
        ),
    ]
}
