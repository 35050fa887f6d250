//! Fixtures for the core rules.

use super::Fixture;
use lurescreen::Config;

/// Messages for the rules of the core checks: sender, links, attachment names, structure, limits.
pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let mut nested = Vec::new();
    for _ in 0..40 {
        nested.extend_from_slice(b"Content-Type: message/rfc822\n\n");
    }
    nested.extend_from_slice(b"Subject: inner\n\nhi\n");
    let mut parts = b"Subject: parts\nContent-Type: multipart/mixed; boundary=b\n\n".to_vec();
    for _ in 0..1100 {
        parts.extend_from_slice(b"--b\nContent-Type: text/plain\n\nx\n");
    }
    parts.extend_from_slice(b"--b--\n");
    let mut slow = d();
    slow.limits.scan_time_ms = 1;
    let mut big_html = b"Subject: slow\nContent-Type: text/html\n\n".to_vec();
    for _ in 0..300_000 {
        big_html.extend_from_slice(b"<a href=\"https://a.example/\">a.example</a>");
    }
    let attach = |name: &str| {
        format!(
            "Subject: a\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n\
--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename*=UTF-8''{}\n\nAAAA\n--b--\n",
            name.bytes().map(|b| format!("%{b:02X}")).collect::<String>()
        )
        .into_bytes()
    };
    vec![
        ("ATTACH_DANGEROUS_EXTENSION", d(), attach("setup.exe")),
        ("ATTACH_DOUBLE_EXTENSION", d(), attach("請求書.pdf.exe")),
        ("ATTACH_BIDI_CONTROL", d(), attach("報告書\u{202E}cod.scr")),
        (
            "SENDER_DISPLAY_NAME_ADDRESS",
            d(),
            b"From: \"info@bank.co.jp\" <x@evil.example.net>\nSubject: s\n\nb\n".to_vec(),
        ),
        (
            "LINK_TEXT_DOMAIN_MISMATCH",
            d(),
            b"Subject: s\nContent-Type: text/html\n\n<a href=\"http://198.51.100.7/\">https://bank.co.jp/</a>\n"
                .to_vec(),
        ),
        ("HEADER_NONE", d(), b"\x00\x01binary junk\xff\xfe".to_vec()),
        ("LIMIT_NESTED_MESSAGES", d(), nested),
        ("LIMIT_PARTS", d(), parts),
        ("LIMIT_TIME_BUDGET", slow, big_html),
    ]
}
