//! `lurescreen tune` end to end: labelled mail generated here (a folder of .eml files, an mbox and
//! a Maildir), a run of the real binary, and the overlay it writes loaded back through
//! `--config` and `--signatures`; bad overlays are refused with the line named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lurescreen(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .env("SOURCE_DATE_EPOCH", "1764547200")
        .output()
        .expect("run lurescreen")
}

#[track_caller]
fn expect(out: &Output, code: i32) -> String {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stderr:\n{}\nstdout:\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Ordinary correspondence: nothing fires.
fn letter(n: usize) -> String {
    format!(
        "From: \"Taro Yamada {n}\" <taro{n}@example.org>\r\nTo: staff@example.co.jp\r\n\
         Subject: Minutes of meeting {n}\r\nDate: Mon, 1 Dec 2025 10:00:00 +0000\r\n\
         Message-ID: <letter{n}@example.org>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n\
         Hello, here are the minutes of meeting {n}. See you next week.\r\n"
    )
}

/// A shop's newsletter through a click-tracking service: the link text names the shop, the link
/// goes to the tracker, so LINK_TEXT_DOMAIN_MISMATCH fires (and warns, with the shipped scores).
fn newsletter(n: usize) -> String {
    format!(
        "From: \"Shop News\" <news@shop.example.com>\r\nTo: staff@example.co.jp\r\n\
         Subject: Winter sale {n}\r\nDate: Mon, 1 Dec 2025 10:00:00 +0000\r\n\
         Message-ID: <news{n}@shop.example.com>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/html; charset=utf-8\r\n\r\n\
         <html><body><p>Winter sale number {n} is now on.</p>\r\n\
         <p><a href=\"https://click.esp.example.net/track?u={n}\">https://www.shop.example.com/sale</a></p>\r\n\
         </body></html>\r\n"
    )
}

/// A brand lure: a brand's name from a domain not the brand's, link text naming the brand's site
/// on a link elsewhere, lure wording.
fn lure(n: usize) -> String {
    format!(
        "From: \"PayPal Service\" <service@paypa1-secure{n}.example.net>\r\nTo: staff@example.co.jp\r\n\
         Subject: Your account is suspended - verify now ({n})\r\nDate: Mon, 1 Dec 2025 10:00:00 +0000\r\n\
         Message-ID: <lure{n}@paypa1-secure.example.net>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/html; charset=utf-8\r\n\r\n\
         <html><body><p>Dear customer, your account has been suspended. Verify your account within 24 hours.</p>\r\n\
         <p><a href=\"http://login.paypa1-secure{n}.example.net/verify\">https://www.paypal.com/signin</a></p>\r\n\
         </body></html>\r\n"
    )
}

/// Ham as a folder of .eml files and an mbox; phishing as a Maildir.
struct Data {
    dir: tempfile::TempDir,
}

impl Data {
    fn new() -> Data {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let letters = root.join("ham-letters");
        std::fs::create_dir(&letters).unwrap();
        for n in 0..40 {
            std::fs::write(letters.join(format!("{n:03}.eml")), letter(n)).unwrap();
        }
        // The same letter again under another name: a duplicate, skipped.
        std::fs::write(letters.join("copy.eml"), letter(0)).unwrap();
        let mut mbox = String::new();
        for n in 0..30 {
            mbox.push_str("From news@shop.example.com Mon Dec  1 10:00:00 2025\n");
            mbox.push_str(&newsletter(n).replace("\r\n", "\n"));
            mbox.push('\n');
        }
        std::fs::write(root.join("ham-news.mbox"), mbox).unwrap();
        let maildir = root.join("phish-maildir");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        for n in 0..50 {
            std::fs::write(maildir.join("cur").join(format!("{n}.lure:2,S")), lure(n)).unwrap();
        }
        Data { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn tune(&self, out: &str) -> Output {
        lurescreen(
            &[
                "tune",
                "--ham",
                "ham-letters",
                "ham-news.mbox",
                "--phish",
                "phish-maildir",
                "--out",
                out,
                "--folds",
                "3",
                "--jobs",
                "2",
            ],
            self.root(),
        )
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.root().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

/// `rules --format json` as (id → score).
fn scores(args: &[&str], dir: &Path) -> std::collections::BTreeMap<String, f64> {
    let mut all = vec!["rules", "--format", "json"];
    all.extend_from_slice(args);
    let out = expect(&lurescreen(&all, dir), 0);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).expect("rules json");
    list.iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn tune_fits_scores_that_load_and_move_the_right_way_and_reruns_identically() {
    let data = Data::new();
    let stdout = expect(&data.tune("scores.toml"), 0);
    assert!(stdout.contains("70 ham, 50 phishing"), "{stdout}");
    assert!(stdout.contains("1 duplicates"), "{stdout}");
    let overlay = std::fs::read_to_string(data.root().join("scores.toml")).unwrap();
    assert!(overlay.contains("on 2025-12-01"), "{overlay}");
    assert!(overlay.contains("ham-news.mbox (30 messages)"), "{overlay}");
    assert!(overlay.contains("phish-maildir (50 messages)"), "{overlay}");
    // The overlay loads through the configuration and changes the effective scores.
    let shipped = scores(&[], data.root());
    let was = format!(
        "# was {:.1}; fired on 30 ham / 50 phish",
        shipped["LINK_TEXT_DOMAIN_MISMATCH"]
    );
    assert!(overlay.contains(&was), "{was} in {overlay}");
    data.write("lurescreen.toml", "[scores]\nfile = \"scores.toml\"\n");
    expect(
        &lurescreen(&["config", "check", "lurescreen.toml"], data.root()),
        0,
    );
    let tuned = scores(&["--config", "lurescreen.toml"], data.root());
    let mismatch = "LINK_TEXT_DOMAIN_MISMATCH";
    assert!(
        tuned[mismatch] < shipped[mismatch] && tuned[mismatch] >= 0.5,
        "the rule on every newsletter falls: {} -> {}",
        shipped[mismatch],
        tuned[mismatch]
    );
    for phish_only in ["SENDER_IMPERSONATED_BRAND", "LINK_BRAND_ELSEWHERE"] {
        assert!(
            tuned[phish_only] >= shipped[phish_only],
            "{phish_only} fires on phishing only: {} -> {}",
            shipped[phish_only],
            tuned[phish_only]
        );
    }
    // Scanned with it, the newsletter is clean and the lure is still flagged.
    data.write("news.eml", &newsletter(99));
    data.write("lure.eml", &lure(99));
    expect(&lurescreen(&["scan", "news.eml"], data.root()), 1);
    expect(
        &lurescreen(
            &["--config", "lurescreen.toml", "scan", "news.eml"],
            data.root(),
        ),
        0,
    );
    let code = lurescreen(
        &["--config", "lurescreen.toml", "scan", "lure.eml"],
        data.root(),
    )
    .status
    .code();
    assert!(matches!(code, Some(1..=3)), "{code:?}");

    // The same input gives the same file, byte for byte.
    expect(&data.tune("again.toml"), 0);
    let again = std::fs::read(data.root().join("again.toml")).unwrap();
    assert!(
        again == overlay.as_bytes(),
        "a second run wrote something else"
    );

    // As scores.toml in a --signatures folder, it applies too.
    let sigs = data.root().join("sigs");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("signatures"),
        &sigs,
    );
    std::fs::copy(data.root().join("scores.toml"), sigs.join("scores.toml")).unwrap();
    let from_dir = scores(&["--signatures", "sigs"], data.root());
    assert_eq!(from_dir[mismatch], tuned[mismatch]);
}

#[test]
fn bad_overlays_are_refused_with_the_line_named() {
    let data = Data::new();
    data.write("lurescreen.toml", "[scores]\nfile = \"bad.toml\"\n");
    for (text, line, what) in [
        (
            "# c\nLINK_TEXT_DOMAIN_MISMATCH = 2.0\nLINK_NO_SUCH_RULE = 1.0\n",
            "line 3",
            "LINK_NO_SUCH_RULE",
        ),
        (
            "LINK_TEXT_DOMAIN_MISMATCH = -1.0\n",
            "line 1",
            "out of range",
        ),
        (
            "\nLINK_TEXT_DOMAIN_MISMATCH = nan\n",
            "line 2",
            "out of range",
        ),
        (
            "LINK_TEXT_DOMAIN_MISMATCH = 1e9\n",
            "line 1",
            "out of range",
        ),
        (
            "LINK_TEXT_DOMAIN_MISMATCH = \"high\"\n",
            "line 1",
            "must be a number",
        ),
        ("LINK_TEXT_DOMAIN_MISMATCH = \n", "line 1", "bad.toml"),
    ] {
        data.write("bad.toml", text);
        for args in [
            vec!["config", "check", "lurescreen.toml"],
            vec!["--config", "lurescreen.toml", "rules"],
        ] {
            let out = lurescreen(&args, data.root());
            assert_eq!(out.status.code(), Some(64), "{text:?} {args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains(line) && err.contains(what) && err.contains("bad.toml"),
                "{text:?}: {err}"
            );
        }
    }
    // A missing file is refused too, naming it.
    data.write("lurescreen.toml", "[scores]\nfile = \"missing.toml\"\n");
    let out = lurescreen(&["config", "check", "lurescreen.toml"], data.root());
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
    // And a bad scores.toml in a --signatures folder.
    let sigs = data.root().join("sigs");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("signatures"),
        &sigs,
    );
    std::fs::write(sigs.join("scores.toml"), "NOT_A_RULE = 1.0\n").unwrap();
    let out = lurescreen(&["--signatures", "sigs", "rules"], data.root());
    assert_eq!(out.status.code(), Some(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("scores.toml") && err.contains("NOT_A_RULE"),
        "{err}"
    );
}

#[test]
fn tune_refuses_too_little_data_and_bad_options() {
    let data = Data::new();
    let out = lurescreen(
        &[
            "tune",
            "--ham",
            "ham-letters",
            "--phish",
            "ham-news.mbox",
            "--out",
            "x.toml",
            "--folds",
            "40",
        ],
        data.root(),
    );
    // 40 letters (one a duplicate) cannot make 40 folds.
    assert_eq!(
        out.status.code(),
        Some(65),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!data.root().join("x.toml").exists());
    let out = lurescreen(
        &[
            "tune",
            "--ham",
            "ham-letters",
            "--phish",
            "phish-maildir",
            "--out",
            "x.toml",
            "--min-score",
            "-1",
        ],
        data.root(),
    );
    assert_eq!(out.status.code(), Some(64));
    let out = lurescreen(
        &["tune", "--ham", "ham-letters", "--out", "x.toml"],
        data.root(),
    );
    assert_eq!(out.status.code(), Some(64));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
