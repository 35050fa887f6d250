//! Keeps code and `signatures/` in step: every rule id the code emits is defined, every defined
//! rule is emitted by some code path, and every rule fires on a message written here for it.

use lurescreen::{Config, Engine, Signatures};
use regex::Regex;
use std::collections::BTreeSet;
use std::path::Path;

const FAMILIES: &str = "SENDER|LINK|CONTENT|HEADER|ATTACH|PDF|OFFICE|ARCHIVE|EXE|DNS|LIMIT";

fn defined() -> BTreeSet<String> {
    Signatures::embedded()
        .expect("embedded signatures load")
        .rules()
        .map(|r| r.id.clone())
        .collect()
}

/// Rule ids written as string literals in non-test library code.
fn emitted_by_code() -> BTreeSet<String> {
    let re = Regex::new(&format!(r#""((?:{FAMILIES})_[A-Z0-9_]+)""#)).unwrap();
    let mut ids = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                // Unit tests sit at the end of a file, after `#[cfg(test)]`.
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                ids.extend(re.captures_iter(code).map(|c| c[1].to_string()));
            }
        }
    }
    ids
}

#[test]
fn code_and_signatures_name_the_same_rules() {
    let defined = defined();
    let emitted = emitted_by_code();
    let undefined: Vec<_> = emitted.difference(&defined).collect();
    let unused: Vec<_> = defined.difference(&emitted).collect();
    assert!(
        undefined.is_empty(),
        "emitted by code but not in signatures/: {undefined:?}"
    );
    assert!(
        unused.is_empty(),
        "in signatures/ but emitted by no code: {unused:?}"
    );
}

/// A message (and configuration) made to trigger each rule.
fn fixtures() -> Vec<(&'static str, Config, Vec<u8>)> {
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

#[test]
fn every_rule_fires_on_its_fixture() {
    let fixtures = fixtures();
    let covered: BTreeSet<String> = fixtures.iter().map(|(id, _, _)| id.to_string()).collect();
    assert_eq!(covered, defined(), "every rule needs a fixture here");
    let mut failures = Vec::new();
    for (id, config, raw) in fixtures {
        let engine = Engine::new(config, Signatures::embedded().unwrap());
        match engine.scan(&raw) {
            Ok(report) if report.findings.iter().any(|f| f.rule == id) => {}
            Ok(report) => failures.push(format!(
                "{id}: not found; got {:?}",
                report.findings.iter().map(|f| &f.rule).collect::<Vec<_>>()
            )),
            Err(e) => failures.push(format!("{id}: scan failed: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
