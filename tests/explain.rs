//! `lurescreen explain` and the quarantine notice of `filter`, end to end. Every message is built
//! here; the locale is pinned (`LANG=C`).

#[path = "support/chromium.rs"]
mod chromium;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lurescreen");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// An invoice lure: a free-mail sender, a link whose text names another site, and a program
/// with a double extension.
fn lure() -> Vec<u8> {
    b"From: \"Minato Logistics Accounts\" <minato.keiri@freemail-box.example>\r\n\
To: Hanako Sato <sato.hanako@example.co.jp>\r\n\
Subject: Invoice for November\r\n\
Date: Thu, 19 Nov 2026 10:00:00 +0900\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=XX\r\n\r\n\
--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<p>Please check the invoice today: <a href=\"http://203.0.113.45/inv\">https://www.minato-logi.example/invoice</a></p>\r\n\
--XX\r\nContent-Type: application/octet-stream; name=\"invoice.pdf.exe\"\r\n\
Content-Disposition: attachment; filename=\"invoice.pdf.exe\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--XX--\r\n"
        .to_vec()
}

fn clean() -> Vec<u8> {
    b"From: Taro <taro@example.co.jp>\r\nTo: a@example.co.jp\r\nSubject: lunch\r\n\r\nNoon?\r\n"
        .to_vec()
}

#[test]
fn explain_prints_the_points_and_exits_with_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lure.eml");
    std::fs::write(&file, lure()).unwrap();
    let out = run(&["explain", &s(&file)], b"");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("VERDICT: QUARANTINE"), "{text}");
    assert!(text.contains("real address: minato.keiri@freemail-box.example"));
    assert!(text.contains("-> hxxp://203[.]0[.]113[.]45/inv"), "{text}");
    assert!(text.contains("A1. invoice.pdf.exe"));
    assert!(text.contains("ATTACH_DOUBLE_EXTENSION"));
    assert!(text.contains("POINTS TO NOTICE"));
    assert!(!text.contains("http://"), "{text}");

    let out = run(&["explain", "--lang", "ja", "-"], &lure());
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("気付くべきポイント"), "{text}");
    assert!(text.contains("危険"));

    let out = run(&["explain", "-"], &clean());
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nothing suspicious"));
}

#[test]
fn explain_html_writes_the_page_and_a_one_line_summary() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("x.html");
    let out = run(&["explain", "--html", &s(&page), "-"], &lure());
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let line = String::from_utf8(out.stdout).unwrap();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.starts_with("-: QUARANTINE"), "{line}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("default-src 'none'"));
    assert!(html.contains("<span class=\"b\">1</span>"));
    assert!(!html.contains("href="));
}

#[test]
fn explain_errors_have_the_scan_exit_codes() {
    let out = run(&["explain", "-"], b"");
    assert_eq!(out.status.code(), Some(65));
    let out = run(&["explain", "/nonexistent/message.eml"], b"");
    assert_eq!(out.status.code(), Some(74));
    let out = run(
        &["explain", "--html", "/nonexistent/dir/x.html", "-"],
        &lure(),
    );
    assert_eq!(out.status.code(), Some(74));
    let out = run(&["explain"], b"");
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn filter_writes_a_notice_for_held_mail_and_none_for_clean_mail() {
    let dir = tempfile::tempdir().unwrap();
    let spool = dir.path().join("notices");
    let config = dir.path().join("lurescreen.toml");
    std::fs::write(
        &config,
        format!(
            "[notice]\nenabled = true\ndir = \"{}\"\nfrom = \"lurescreen@example.co.jp\"\n",
            s(&spool)
        ),
    )
    .unwrap();
    let out = run(&["--config", &s(&config), "filter"], &clean());
    assert_eq!(out.status.code(), Some(0));
    assert!(
        !spool.exists() || std::fs::read_dir(&spool).unwrap().count() == 0,
        "no notice for clean mail"
    );

    let out = run(&["--config", &s(&config), "filter"], &lure());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("X-Lurescreen-Verdict: quarantine"),
        "the message still goes out"
    );
    let files: Vec<PathBuf> = std::fs::read_dir(&spool)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(s(&files[0]).ends_with(".eml"));
    let raw = std::fs::read(&files[0]).unwrap();
    let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        m.to().and_then(|a| a.first()).and_then(|a| a.address()),
        Some("sato.hanako@example.co.jp")
    );
    assert_eq!(
        m.from().and_then(|a| a.first()).and_then(|a| a.address()),
        Some("lurescreen@example.co.jp")
    );
    assert!(m.subject().unwrap().contains("Invoice for November"));
    let body = m.body_text(0).unwrap();
    assert!(body.contains("ATTACH_DOUBLE_EXTENSION"), "{body}");

    // A spool that cannot be written is logged; the mail still goes out, exit 0.
    let blocked = dir.path().join("blocked.toml");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").unwrap();
    std::fs::write(
        &blocked,
        format!("[notice]\nenabled = true\ndir = \"{}/sub\"\n", s(&file)),
    )
    .unwrap();
    let out = run(&["--config", &s(&blocked), "filter"], &lure());
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("notice: cannot create"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("X-Lurescreen-Verdict: quarantine"));
}

#[test]
fn explanation_page_renders_in_headless_chromium() {
    let Some(chromium) = chromium::require() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "ja"] {
        let page = dir.path().join(format!("explain-{lang}.html"));
        let out = run(
            &["explain", "--lang", lang, "--html", &s(&page), "-"],
            &lure(),
        );
        assert_eq!(out.status.code(), Some(2));
        let url = format!("file://{}", s(&page));
        chromium::screenshot(
            chromium,
            &url,
            dir.path(),
            &format!("explain-{lang}"),
            "1200,1600",
            &["invoice.pdf.exe", "minato.keiri@freemail-box.example"],
        );
    }
}

/// Issue 18 item 6: a web page named like a PDF is shown as a web page, in the staff's
/// language, not as "plain text".
#[test]
fn an_attached_web_page_is_shown_as_one_in_japanese() {
    let mail = "From: a@bills-example.com\nTo: c@client.example.net\nSubject: 見積依頼\n\
MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\n\
ご確認ください\n--zz\nContent-Type: application/octet-stream; name=\"mitsumori.pdf.html\"\n\
Content-Disposition: attachment; filename=\"mitsumori.pdf.html\"\n\n\
<!DOCTYPE html><html><body><p>x</p></body></html>\n--zz--\n";
    let out = run(&["explain", "--lang", "ja", "-"], mail.as_bytes());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("実際の種類： ウェブページ（HTML）"), "{text}");
    assert!(!text.contains("plain text"), "{text}");
    let out = run(&["explain", "--lang", "en", "-"], mail.as_bytes());
    assert!(String::from_utf8_lossy(&out.stdout).contains("really: web page (HTML)"));
}

/// Issue 18 item 5: the points of `explain --lang ja` translate lurescreen's own wording in the
/// evidence as the report's reasons do (the explanation filled its templates with the English
/// values: 「link to … を開く」, 「（letters that look alike …）」).
#[test]
fn japanese_points_translate_the_evidence_wording() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = root.join("corpus/lurescreen.toml");
    for (lure, english, japanese) in [
        (
            "en-idn-homograph.eml",
            "letters that look alike",
            "形の似た別の文字",
        ),
        ("en-bank-display-name-spoof.eml", "link to ", "リンク先 "),
    ] {
        let mail = std::fs::read(root.join("corpus/lures").join(lure)).unwrap();
        let out = run(
            &["explain", "--lang", "ja", "--config", &s(&config), "-"],
            &mail,
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains(english), "{lure}: {text}");
        assert!(text.contains(japanese), "{lure}: {text}");
    }
}
