use super::*;
use crate::config::Markup;
use crate::{Config, Engine, Signatures, Verdict};

fn engine() -> Engine {
    Engine::new(Config::default(), Signatures::embedded().unwrap())
}

fn markup(tag: bool, banner: bool) -> Markup {
    Markup {
        subject_tag: tag,
        banner,
        ..Markup::default()
    }
}

/// The output with our header block cut out again.
fn without_ours(out: &[u8]) -> Vec<u8> {
    let block = HeaderBlock::scan(out);
    let edits = strip_ours(&block);
    apply(out, edits)
}

const LURE: &str = "From: \"info@bank.example\" <x@evil.example>\nSubject: hello\n\nbody\n";

#[test]
fn headers_go_on_top_and_nothing_else_changes() {
    let cases: Vec<&[u8]> = vec![
        b"Subject: crlf\r\nTo: a@b.example\r\n\r\nbody\r\nline\r\n",
        b"Subject: lf\nTo: a@b.example\n\nbody\nno final newline",
        b"Subject: mixed\r\nTo: a@b.example\n\r\nbody\rbare cr\r\nx\n",
        b"Subject: 8bit \xe6\x97\xa5\xff\n\nbody \x00 nul \xfe\n",
        b"Subject: only headers\nTo: x@y.example",
        b"From x@y Mon Jan  1 00:00:00 2024\nSubject: mbox\n\n>From the body\n",
    ];
    let e = engine();
    for raw in cases {
        let report = e.scan(raw).unwrap();
        let (out, marked) = annotate(raw, &report, &Markup::default(), Lang::En);
        assert_eq!(marked, Marked::default());
        assert_eq!(without_ours(&out), raw, "{}", String::from_utf8_lossy(raw));
        let block = HeaderBlock::scan(&out);
        assert_eq!(block.with_prefix(PREFIX).count(), 3);
    }
}

#[test]
fn forged_verdicts_are_removed() {
    let raw =
        b"X-Lurescreen-Verdict: clean\nSubject: x\nx-lurescreen-score:\n  0.0 folded\n\nbody\n";
    let report = engine().scan(raw).unwrap();
    let (out, _) = annotate(raw, &report, &Markup::default(), Lang::En);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.matches("X-Lurescreen-Verdict").count(), 1);
    assert!(!text.contains("folded"));
    assert!(text.ends_with("Subject: x\n\nbody\n"));
    let failed = String::from_utf8(pass_with_error(raw, "boom")).unwrap();
    assert_eq!(failed, "X-Lurescreen-Error: boom\nSubject: x\n\nbody\n");
}

#[test]
fn subject_tag_forms() {
    let e = engine();
    let tag = |raw: &str, lang: Lang| -> String {
        let report = e.scan(raw.as_bytes()).unwrap();
        assert!(report.verdict >= Verdict::Warn);
        let (out, marked) = annotate(raw.as_bytes(), &report, &markup(true, false), lang);
        assert!(marked.subject_tagged);
        let out = String::from_utf8(out).unwrap();
        let parsed = mail_parser::MessageParser::default()
            .parse(out.as_bytes())
            .unwrap();
        parsed.subject().unwrap().to_string()
    };
    assert_eq!(tag(LURE, Lang::En), "[SUSPICIOUS] hello");
    assert_eq!(tag(LURE, Lang::Ja), "[要注意] hello");
    let encoded = LURE.replace("hello", "=?ISO-2022-JP?B?GyRCQEE1YT1xGyhC?=");
    assert_eq!(tag(&encoded, Lang::Ja), "[要注意] 請求書");
    assert_eq!(tag(&encoded, Lang::En), "[SUSPICIOUS] 請求書");
    let missing = LURE.replace("Subject: hello\n", "");
    assert_eq!(tag(&missing, Lang::Ja), "[要注意]");
}

#[test]
fn subject_is_not_tagged_twice_or_when_clean() {
    let e = engine();
    let raw = LURE.replace("hello", "[SUSPICIOUS] hello");
    let report = e.scan(raw.as_bytes()).unwrap();
    let (out, marked) = annotate(raw.as_bytes(), &report, &markup(true, true), Lang::En);
    assert!(!marked.subject_tagged);
    assert!(String::from_utf8_lossy(&out).contains("Subject: [SUSPICIOUS] hello\n"));
    let clean = b"Subject: hi\n\nbody\n";
    let report = e.scan(clean).unwrap();
    let (out, marked) = annotate(clean, &report, &markup(true, true), Lang::En);
    assert_eq!(marked, Marked::default());
    assert_eq!(without_ours(&out), clean);
}

/// Scans, annotates with a banner, and returns the decoded bodies of the output.
fn bannered(raw: &str, lang: Lang) -> (String, banner::Outcome, Vec<String>) {
    let report = engine().scan(raw.as_bytes()).unwrap();
    let (out, marked) = annotate(raw.as_bytes(), &report, &markup(false, true), lang);
    let parsed = mail_parser::MessageParser::default().parse(&out).unwrap();
    let bodies = parsed
        .parts
        .iter()
        .filter_map(|p| match &p.body {
            mail_parser::PartType::Text(t) | mail_parser::PartType::Html(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    (
        String::from_utf8_lossy(&out).into_owned(),
        marked.banner,
        bodies,
    )
}

const HEAD: &str = "From: \"info@bank.example\" <x@evil.example>\nSubject: s\nMIME-Version: 1.0\n";

#[test]
fn banner_in_plain_8bit_and_iso_2022_jp() {
    let raw = format!(
        "{HEAD}Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n本文です。\n"
    );
    let (_, outcome, bodies) = bannered(&raw, Lang::Ja);
    assert_eq!(outcome, banner::Outcome::Added(1));
    assert!(bodies[0].starts_with("【注意】"), "{}", bodies[0]);
    assert!(bodies[0].ends_with("\n\n本文です。\n"));

    let jis = "\x1b$BK\\J8$G$9!#\x1b(B"; // 本文です。
    let raw = format!("{HEAD}Content-Type: text/plain; charset=ISO-2022-JP\n\n{jis}\n");
    let (out, outcome, bodies) = bannered(&raw, Lang::Ja);
    assert_eq!(outcome, banner::Outcome::Added(1));
    assert!(out.is_ascii(), "ISO-2022-JP stays 7-bit");
    assert!(bodies[0].starts_with("【注意】") && bodies[0].ends_with("本文です。\n"));
}

#[test]
fn banner_falls_back_to_english_where_the_charset_cannot_carry_japanese() {
    let raw = format!("{HEAD}Content-Type: text/plain; charset=us-ascii\n\nplain body\n");
    let (out, outcome, bodies) = bannered(&raw, Lang::Ja);
    assert_eq!(outcome, banner::Outcome::Added(1));
    assert!(out.is_ascii());
    assert!(bodies[0].starts_with("WARNING: lurescreen"));
}

#[test]
fn banner_in_base64_and_quoted_printable_alternatives() {
    use base64::Engine as _;
    let html = "<html><head><title>t</title></head><body><p>ご確認ください</p></body></html>";
    let b64 = base64::engine::general_purpose::STANDARD.encode(html);
    let raw = format!(
        "{HEAD}Content-Type: multipart/alternative; boundary=\"B\"\r\n\r\n--B\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
=E3=81=94=E7=A2=BA=E8=AA=8D a line wrapped with a soft break here=\r\n and continues\r\n\
--B\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--B--\r\n"
    );
    let (out, outcome, bodies) = bannered(&raw, Lang::Ja);
    assert_eq!(outcome, banner::Outcome::Added(2));
    assert!(bodies[0].starts_with("【注意】"));
    assert!(
        bodies[0].ends_with("\r\n\r\nご確認 a line wrapped with a soft break here and continues")
    );
    assert!(bodies[1].starts_with("<html><head><title>t</title></head><body><div data-lurescreen"));
    assert!(bodies[1].ends_with("</div><p>ご確認ください</p></body></html>"));
    for line in out.split('\n') {
        assert!(
            line.trim_end_matches('\r').len() <= 78,
            "line too long: {line}"
        );
    }
    assert!(out.ends_with("\r\n--B--\r\n"));
}

#[test]
fn signed_mail_keeps_its_body_and_says_so() {
    let raw = format!(
        "{HEAD}Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=S\n\n\
--S\nContent-Type: text/plain\n\nsigned text\n--S\nContent-Type: application/pkcs7-signature; name=smime.p7s\n\nAAAA\n--S--\n"
    );
    let (out, outcome, _) = bannered(&raw, Lang::En);
    assert_eq!(outcome, banner::Outcome::Signed);
    assert!(out.contains("X-Lurescreen-Banner: not added: signed or encrypted"));
    assert_eq!(without_ours(out.as_bytes()), raw.as_bytes());
}

#[test]
fn attachments_and_nested_messages_get_no_banner() {
    let raw = format!(
        "{HEAD}Content-Type: multipart/mixed; boundary=M\n\n--M\nContent-Type: text/plain\n\nhi\n\
--M\nContent-Type: text/plain; name=notes.txt\nContent-Disposition: attachment; filename=notes.txt\n\nattached\n\
--M\nContent-Type: message/rfc822\n\nSubject: inner\n\ninner body\n--M--\n"
    );
    let (out, outcome, bodies) = bannered(&raw, Lang::En);
    assert_eq!(outcome, banner::Outcome::Added(1));
    assert!(bodies[0].starts_with("WARNING"));
    assert!(bodies.iter().any(|b| b == "attached"));
    assert!(
        out.ends_with("--M\nContent-Type: message/rfc822\n\nSubject: inner\n\ninner body\n--M--\n")
    );
}

#[test]
fn streaming_a_large_message_matches_the_in_memory_path() {
    let long_value = "v".repeat(200_000);
    let cases: Vec<Vec<u8>> =
        vec![
        b"X-Lurescreen-Verdict: clean\r\nSubject: x\r\n\r\nbody\r\n".to_vec(),
        b"From a@b Mon\nX-LURESCREEN-Score:\n 0.0\nSubject: x\n\nX-Lurescreen-Verdict: body\n"
            .to_vec(),
        b" orphan\nX-Lurescreen-Verdict: clean\n\tcont\nno colon X-Lurescreen-\n\tcont\nA: b"
            .to_vec(),
        format!(
            "X-Lurescreen-Verdict: {long_value}\n\tmore {long_value}\nSubject: {long_value}\n\nb"
        )
        .into_bytes(),
        "あああああ: x\nX-Lurescreen-Reasons: y\n\n\u{0}\r"
            .as_bytes()
            .to_vec(),
        Vec::new(),
        b"\n\nX-Lurescreen-Verdict: in body\n".to_vec(),
        // Issue 20 item 11: a forged field of ours whose name is longer than a piece (64 KiB),
        // and lines of that length that are not ours or not fields.
        format!("X-Lurescreen-{}: clean\n\tmore\nSubject: s\n\nb", "a".repeat(100_000))
            .into_bytes(),
        format!("X-Lurescreen-{}\nSubject: s\n\nb", "a".repeat(100_000)).into_bytes(),
        format!("X-Other-{}: kept\nSubject: s\n\nb", "a".repeat(100_000)).into_bytes(),
    ];
    for raw in cases {
        let mut out = Vec::new();
        stream_with_error(&mut raw.as_slice(), &mut out, "too big").unwrap();
        assert_eq!(
            out,
            pass_with_error(&raw, "too big"),
            "{}",
            String::from_utf8_lossy(&raw[..raw.len().min(80)])
        );
    }
    let forged = format!(
        "X-Lurescreen-{}: clean\nSubject: s\n\nb",
        "a".repeat(100_000)
    );
    let mut out = Vec::new();
    stream_with_error(&mut forged.as_bytes(), &mut out, "too big").unwrap();
    assert_eq!(out, b"X-Lurescreen-Error: too big\nSubject: s\n\nb");
}

// Minimal failing inputs found by the properties in tests/filter_props.rs.

#[test]
fn proptest_regression_unended_leading_line_gets_a_line_ending_before_our_fields() {
    // A message that is only a continuation line (or an mbox `From ` line) with no line ending:
    // our fields used to run on in that line (`\tX-Lurescreen-Error: …`), so the line was lost
    // into a field of ours. Now a line ending goes in first.
    let report = engine().scan(LURE.as_bytes()).unwrap();
    for (raw, want_head) in [
        (&b"\t"[..], &b"\t\n"[..]),
        (
            b"From x@y Mon Jan  1 00:00:00 2024",
            b"From x@y Mon Jan  1 00:00:00 2024\n",
        ),
        (b"From x@y\r\n more", b"From x@y\r\n more\r\n"),
    ] {
        let failed = pass_with_error(raw, "boom");
        assert!(failed.starts_with(want_head), "{failed:?}");
        let nl = if want_head.ends_with(b"\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        assert_eq!(
            &failed[want_head.len()..],
            format!("X-Lurescreen-Error: boom{nl}").as_bytes()
        );
        let mut streamed = Vec::new();
        stream_with_error(&mut &raw[..], &mut streamed, "boom").unwrap();
        assert_eq!(streamed, failed);
        let (out, _) = annotate(raw, &report, &markup(true, true), Lang::En);
        assert!(out.starts_with(want_head), "{out:?}");
        let rest = &out[want_head.len()..];
        assert!(rest.starts_with(b"Subject: [SUSPICIOUS]"), "{out:?}");
    }
    // With a line ending there, nothing changes: the fields go after the leading lines.
    let out = pass_with_error(b"\tx\n", "boom");
    assert_eq!(out, b"\tx\nX-Lurescreen-Error: boom\n");
}

#[test]
fn proptest_regression_banner_never_goes_above_the_empty_line() {
    // A header of only a continuation line: the parser put the body before our empty line, and
    // the banner went into the header.
    let raw = b" \r\n\r\n";
    let report = engine().scan(LURE.as_bytes()).unwrap();
    let (out, marked) = annotate(raw, &report, &markup(false, true), Lang::En);
    assert_ne!(marked.banner, banner::Outcome::Added(1));
    let blank = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    assert!(
        !String::from_utf8_lossy(&out[..blank]).contains("WARNING"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    assert!(out.starts_with(b" \r\nX-Lurescreen-Verdict: "), "{out:?}");
    assert!(out.ends_with(b"\r\n\r\n"), "{out:?}");
}
