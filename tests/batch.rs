//! End-to-end tests of batch scanning: mbox (separator rule, `>From`, gzip, CRLF, a truncated
//! last message), Maildir++ trees, folders, stdin, input order, CSV, the summary, `--only`,
//! `--extract`, `--max-errors`, and the HTML report (parsed, and rendered in headless Chromium
//! when it is installed). Every fixture is generated here.

#[path = "support/chromium.rs"]
mod chromium;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    #[track_caller]
    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "stderr:\n{}\nstdout:\n{}",
            self.stderr,
            self.stdout
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }

    fn json(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

fn run_with(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lurescreen"));
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start lurescreen");
    if let Some(input) = stdin {
        let mut w = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = w.write_all(&input);
        });
    }
    let out = child.wait_with_output().expect("run lurescreen");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(args: &[&str]) -> Run {
    run_with(args, None)
}

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn clean(n: usize) -> String {
    format!(
        "From: Taro Yamada <taro@example.co.jp>\nTo: hanako@example.co.jp\nSubject: minutes {n}\n\
         Date: Mon, 1 Jan 2024 12:00:00 +0900\nMessage-ID: <m{n}@example.co.jp>\n\n\
         The minutes of meeting {n} are below.\n"
    )
}

/// Warn (5.0): a display name that is an address on another domain.
fn spoof(n: usize) -> String {
    format!(
        "From: \"support@bank.example.com\" <x{n}@evil-example.net>\nTo: Sato <sato@example.co.jp>\n\
         Subject: account check {n}\nDate: Tue, 2 Jan 2024 09:00:00 +0000\nMessage-ID: <s{n}@evil-example.net>\n\n\
         Please confirm your account.\n"
    )
}

/// Quarantine: `invoice.pdf.exe`.
fn exe(n: usize) -> String {
    format!(
        "From: Billing <billing@bills-example.com>\nTo: sato@example.co.jp, suzuki@example.co.jp\n\
         Subject: =HYPERLINK(\"x\") invoice, \"urgent\" {n}\nDate: Wed, 3 Jan 2024 10:00:00 +0000\n\
         MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\n\
         Content-Type: text/plain\n\nSee attached.\n--b1\nContent-Type: application/octet-stream\n\
         Content-Disposition: attachment; filename=\"invoice.pdf.exe\"\nContent-Transfer-Encoding: base64\n\n\
         TVqQAA==\n--b1--\n"
    )
}

const SEP: &str = "From sender@example.net  Tue Jun 14 19:52:09 2005\n";

/// An mbox of the given messages, each `From `-escaped as mboxrd would.
fn mbox(messages: &[String]) -> Vec<u8> {
    let mut out = String::new();
    for m in messages {
        out.push_str(SEP);
        out.push_str(m);
        if !m.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    out.into_bytes()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn verdicts(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .map(|v| v["verdict"].as_str().unwrap_or("error").to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// mbox
// ---------------------------------------------------------------------------------------------

#[test]
fn mbox_body_lines_starting_with_from_do_not_split() {
    let dir = tempfile::tempdir().unwrap();
    // "From here on" after an empty line, and a quoted From_ line not after an empty line.
    let tricky = format!(
        "{}\nFrom here on, the agenda changes.\nquoted:\n{SEP}is not a separator\n",
        clean(1).trim_end()
    );
    let data = mbox(&[tricky, spoof(2), exe(3)]);
    let path = dir.path().join("box.mbox");
    std::fs::write(&path, &data).unwrap();
    let r = run(&["scan", "--format", "json", &s(&path)]);
    r.expect_code(2);
    let lines = r.json();
    assert_eq!(verdicts(&lines), ["clean", "warn", "quarantine"]);
    assert_eq!(lines[0]["location"], format!("{}:0", s(&path)));
    assert_eq!(lines[0]["source"], s(&path));
    assert_eq!(lines[0]["subject"], "minutes 1");
    // Offsets point at each message's From_ line.
    for v in &lines {
        let loc = v["location"].as_str().unwrap();
        let off: usize = loc.rsplit(':').next().unwrap().parse().unwrap();
        assert!(data[off..].starts_with(SEP.as_bytes()), "{loc}");
    }
    // The second message is judged on its own (its spoofed sender), not cut at `From here`.
    let rules = lines[1]["rules"].as_array().unwrap();
    assert!(
        rules.contains(&serde_json::json!("SENDER_DISPLAY_NAME_ADDRESS")),
        "{rules:?}"
    );
}

#[test]
fn mboxrd_from_escaping_is_undone_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let msg = format!(
        "{}\n>From the desk of the chair.\n>>From a quote.\n",
        clean(1).trim_end()
    );
    let path = dir.path().join("rd.mbox");
    std::fs::write(&path, mbox(&[msg, spoof(2)])).unwrap();
    let out = dir.path().join("out-rd");
    run(&[
        "scan",
        "--input",
        "mboxrd",
        "--only",
        "warn",
        "--extract",
        &s(&out),
        &s(&path),
    ])
    .expect_code(1);
    // Only the warn message is extracted; un-escape with a clean one to see both behaviours.
    let out_all = dir.path().join("all");
    for (input, expect) in [
        ("mbox", ">From the desk"),
        ("mboxrd", "\nFrom the desk of the chair.\n>From a quote."),
    ] {
        let lowered = dir.path().join(format!("{input}.mbox"));
        // Make the first message flagged too, so it gets extracted.
        let flagged = format!(
            "{}\n>From the desk of the chair.\n>>From a quote.\n",
            spoof(1).trim_end()
        );
        std::fs::write(&lowered, mbox(&[flagged])).unwrap();
        let dest = out_all.join(input);
        run(&[
            "scan",
            "--input",
            input,
            "--extract",
            &s(&dest),
            &s(&lowered),
        ])
        .expect_code(1);
        let files: Vec<PathBuf> = std::fs::read_dir(&dest)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.contains(expect), "{input}: {text}");
        assert!(
            !text.starts_with("From "),
            "the From_ line is not part of the .eml"
        );
    }
}

#[test]
fn gzip_crlf_and_truncated_mboxes() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("export.mbox.gz");
    std::fs::write(&gz, gzip(&mbox(&[clean(1), spoof(2), exe(3)]))).unwrap();
    let crlf = dir.path().join("crlf.mbox");
    let crlf_data = String::from_utf8(mbox(&[spoof(4), clean(5)]))
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&crlf, crlf_data).unwrap();
    let cut = dir.path().join("cut.mbox");
    let mut data = mbox(&[clean(6), exe(7)]);
    data.truncate(data.len() - 40); // the attachment's part is cut short
    std::fs::write(&cut, &data).unwrap();
    // A gzip stream cut in the middle: the messages before the cut are scanned, then an error.
    let badgz = dir.path().join("bad.mbox.gz");
    let mut z = gzip(&mbox(&[clean(8), spoof(9)]));
    z.truncate(z.len() - 10);
    std::fs::write(&badgz, z).unwrap();

    let r = run(&[
        "scan",
        "--format",
        "json",
        &s(&gz),
        &s(&crlf),
        &s(&cut),
        &s(&badgz),
    ]);
    r.expect_code(74);
    let lines = r.json();
    let v = verdicts(&lines);
    assert_eq!(&v[..3], ["clean", "warn", "quarantine"], "gzip");
    assert_eq!(&v[3..5], ["warn", "clean"], "CRLF");
    assert_eq!(lines[3]["subject"], "account check 4");
    assert_eq!(lines[4]["subject"], "minutes 5", "CRLF separators found");
    assert_eq!(v[5], "clean");
    assert_eq!(
        lines[6]["subject"],
        "=HYPERLINK(\"x\") invoice, \"urgent\" 7"
    );
    assert!(lines.last().unwrap()["error"].is_string(), "{}", r.stdout);
    assert!(r.stderr.contains("bad.mbox.gz"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// Maildir, folders, stdin
// ---------------------------------------------------------------------------------------------

#[test]
fn maildir_plus_plus_tree_is_walked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("Maildir");
    let put = |folder: &str, sub: &str, name: &str, body: String| {
        let d = root.join(folder).join(sub);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), body).unwrap();
    };
    put("", "cur", "1700000001.M1P1.host:2,S", clean(1));
    put("", "new", "1700000002.M2P1.host", spoof(2));
    put("", "tmp", "1700000003.M3P1.host", exe(99)); // being delivered: not read
    put(".Archive.2024", "cur", "1700000004.M4P1.host:2,S", exe(4));
    put(".Sent", "new", "1700000005.M5P1.host", clean(5));
    std::fs::create_dir_all(root.join(".Sent").join("tmp")).unwrap();
    std::fs::write(root.join("dovecot-uidlist"), "3 V1 N1\n").unwrap();
    std::fs::write(root.join("subscriptions"), "Sent\n").unwrap();

    let r = run(&["scan", "--format", "json", &s(&root)]);
    r.expect_code(2);
    let lines = r.json();
    let subjects: Vec<&str> = lines
        .iter()
        .map(|v| v["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "minutes 1",
            "account check 2",
            "=HYPERLINK(\"x\") invoice, \"urgent\" 4",
            "minutes 5"
        ]
    );
    assert!(
        lines[2]["location"]
            .as_str()
            .unwrap()
            .ends_with(".Archive.2024/cur/1700000004.M4P1.host:2,S")
    );
    // Forced: the same folder as a Maildir gives the same messages.
    let forced = run(&["scan", "--input", "maildir", "--format", "json", &s(&root)]);
    assert_eq!(forced.json().len(), 4);
}

#[test]
fn folders_mix_eml_files_and_mboxes_and_stdin_takes_an_mbox() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("export");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(d.join("a.eml"), clean(1)).unwrap();
    std::fs::write(d.join("b.mbox"), mbox(&[spoof(2), clean(3)])).unwrap();
    std::fs::write(d.join("sub").join("c.eml.gz"), gzip(exe(4).as_bytes())).unwrap();
    std::fs::write(d.join(".DS_Store"), [0u8, 1, 2]).unwrap();
    let r = run(&["scan", "--format", "json", &s(&d)]);
    r.expect_code(2);
    assert_eq!(
        verdicts(&r.json()),
        ["clean", "warn", "clean", "quarantine"]
    );

    let r = run_with(
        &["scan", "--format", "json", "-"],
        Some(&mbox(&[spoof(1), exe(2)])),
    );
    r.expect_code(2);
    let lines = r.json();
    assert_eq!(verdicts(&lines), ["warn", "quarantine"]);
    assert_eq!(lines[0]["source"], "-");
    assert_eq!(lines[0]["location"], "-:0");
    // A single message on stdin is still one message.
    let r = run_with(
        &["scan", "--format", "json", "-"],
        Some(spoof(1).as_bytes()),
    );
    r.expect_code(1);
    assert_eq!(r.json()[0]["location"], "-");
}

#[test]
fn many_messages_come_out_in_input_order_on_many_threads() {
    let dir = tempfile::tempdir().unwrap();
    let msgs: Vec<String> = (0..600)
        .map(|i| match i % 3 {
            0 => clean(i),
            1 => spoof(i),
            _ => exe(i),
        })
        .collect();
    let path = dir.path().join("big.mbox");
    std::fs::write(&path, mbox(&msgs)).unwrap();
    // One job: the reader fills the window of messages in flight (64 per job) and must hand over
    // the batch it holds before it waits for room.
    for jobs in ["4", "1"] {
        check_order(&run(&[
            "scan",
            "--jobs",
            jobs,
            "--format",
            "json",
            &s(&path),
        ]));
    }
}

fn check_order(r: &Run) {
    r.expect_code(2);
    let lines = r.json();
    assert_eq!(lines.len(), 600);
    let mut last = -1i64;
    for (i, v) in lines.iter().enumerate() {
        let off: i64 = v["location"]
            .as_str()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(off > last, "order at {i}");
        last = off;
        let subject = v["subject"].as_str().unwrap();
        assert!(subject.ends_with(&format!(" {i}")), "{i}: {subject}");
    }
}

// ---------------------------------------------------------------------------------------------
// Formats and options
// ---------------------------------------------------------------------------------------------

#[test]
fn csv_has_a_header_and_quotes_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("box.mbox");
    std::fs::write(&path, mbox(&[clean(1), exe(2)])).unwrap();
    let r = run(&[
        "scan",
        "--format",
        "csv",
        &s(&path),
        &s(&dir.path().join("missing.eml")),
    ]);
    r.expect_code(74);
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..3], ["location", "source", "message_id"]);
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][7], "clean");
    assert_eq!(&rows[1][7], "quarantine");
    assert_eq!(&rows[1][5], "sato@example.co.jp; suzuki@example.co.jp");
    // Commas and quotes survive; a formula is defused.
    assert_eq!(&rows[1][6], "'=HYPERLINK(\"x\") invoice, \"urgent\" 2");
    assert_eq!(
        &rows[1][9],
        "ATTACH_DANGEROUS_EXTENSION ATTACH_DOUBLE_EXTENSION"
    );
    assert!(rows[2][10].contains("No such file"), "{:?}", &rows[2]);
}

#[test]
fn summary_only_and_max_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("box.mbox");
    std::fs::write(&path, mbox(&[clean(1), spoof(2), exe(3), exe(4)])).unwrap();
    let r = run(&["scan", "--format", "summary", &s(&path)]);
    r.expect_code(2);
    assert!(
        r.stdout.contains("clean 1, warn 1, quarantine 2, reject 0"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("ATTACH_DOUBLE_EXTENSION"), "{}", r.stdout);
    assert!(r.stdout.contains("bills-example.com"), "{}", r.stdout);
    assert!(r.stdout.contains("sato@example.co.jp"), "{}", r.stdout);
    let ja = run(&["--lang", "ja", "scan", "--format", "summary", &s(&path)]);
    assert!(ja.stdout.contains("隔離 2"), "{}", ja.stdout);

    let r = run(&[
        "scan",
        "--only",
        "quarantine",
        "--format",
        "json",
        &s(&path),
    ]);
    r.expect_code(2);
    assert_eq!(verdicts(&r.json()), ["quarantine", "quarantine"]);

    // Errors: empty files. Without a limit every input is reported.
    let e1 = dir.path().join("e1.eml");
    let e2 = dir.path().join("e2.eml");
    std::fs::write(&e1, "").unwrap();
    std::fs::write(&e2, "").unwrap();
    let all = [&s(&e1), &s(&e2), &s(&path)];
    let r = run(&["scan", "--format", "json", all[0], all[1], all[2]]);
    r.expect_code(65);
    assert_eq!(r.json().len(), 6);
    let r = run(&[
        "scan",
        "--fail-fast",
        "--format",
        "json",
        all[0],
        all[1],
        all[2],
    ]);
    r.expect_code(65);
    assert_eq!(r.json().len(), 1, "{}", r.stdout);
    assert!(r.stderr.contains("stopping after 1 error"), "{}", r.stderr);
    let r = run(&[
        "scan",
        "--max-errors",
        "2",
        "--format",
        "json",
        all[0],
        all[1],
        all[2],
    ]);
    assert_eq!(r.json().len(), 2, "{}", r.stdout);
    run(&["scan", "--max-errors", "0", all[2]]).expect_code(64);
}

#[test]
fn extract_writes_flagged_messages_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("box.mbox");
    std::fs::write(&path, mbox(&[clean(1), spoof(2), exe(3)])).unwrap();
    let out = dir.path().join("flagged");
    let r = run(&[
        "scan",
        "--format",
        "summary",
        "--extract",
        &s(&out),
        &s(&path),
    ]);
    r.expect_code(2);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("0000002-warn-box_mbox-"), "{names:?}");
    assert!(
        names[1].starts_with("0000003-quarantine-box_mbox-"),
        "{names:?}"
    );
    let first = std::fs::read_to_string(out.join(&names[0])).unwrap();
    assert_eq!(first, spoof(2));
    // Running again does not overwrite: each existing file is an error, the run goes on.
    let r = run(&[
        "scan",
        "--format",
        "summary",
        "--extract",
        &s(&out),
        &s(&path),
    ]);
    r.expect_code(74);
    assert!(r.stderr.contains("cannot extract"), "{}", r.stderr);
}

#[test]
fn extract_never_writes_outside_the_folder_whatever_the_names() {
    // Hostile Message-IDs and subjects, in files whose own names are hostile too: extracted
    // names are made by lurescreen, one plain component inside DIR.
    let hostile = [
        "../../etc/x",
        "a/b",
        "..",
        "/etc/passwd",
        "a\0b",
        "..\\..\\windows\\x",
        "C:",
        "C:\\x.eml",
        ".hidden",
    ];
    let messages: Vec<String> = hostile
        .iter()
        .enumerate()
        .map(|(n, h)| {
            spoof(n)
                .replace(&format!("<s{n}@evil-example.net>"), &format!("<{h}>"))
                .replace(&format!("account check {n}"), h)
        })
        .collect();
    let root = tempfile::tempdir().unwrap();
    let inputs = root.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let mut files = Vec::new();
    for name in ["..mbox", "C:evil.mbox", "a\\b.mbox", ".x .. y.mbox"] {
        let path = inputs.join(name);
        std::fs::write(&path, mbox(&messages)).unwrap();
        files.push(s(&path));
    }
    let out = root.path().join("out");
    let mut args = vec!["scan", "--format", "summary", "--extract", s(&out).leak()];
    args.extend(files.iter().map(String::as_str));
    // All warn (exit 1): every message is flagged, so every one is extracted.
    run(&args).expect_code(1);
    // Nothing new beside the input and output folders, nothing below the output folder but
    // plain files with names of our making.
    let mut top: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    top.sort();
    assert_eq!(top, ["in", "out"]);
    assert_eq!(std::fs::read_dir(&inputs).unwrap().count(), 4);
    let mut names = Vec::new();
    for e in std::fs::read_dir(&out).unwrap() {
        let e = e.unwrap();
        assert!(e.file_type().unwrap().is_file(), "{e:?}");
        let name = e.file_name().into_string().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')),
            "{name}"
        );
        assert!(!name.starts_with('.') && !name.contains(".."), "{name}");
        names.push(name);
    }
    assert_eq!(names.len(), hostile.len() * 4, "{names:?}");
    // Each holds its message unchanged.
    let some = names.iter().find(|n| n.starts_with("0000001-")).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join(some)).unwrap(),
        messages[0]
    );
}

// ---------------------------------------------------------------------------------------------
// HTML report
// ---------------------------------------------------------------------------------------------

/// Texts of the cells of each row of the table with this id, read with an HTML parser.
fn table_rows(html: &str, id: &str) -> Vec<Vec<String>> {
    use lol_html::{HtmlRewriter, Settings, element, text};
    use std::cell::RefCell;
    use std::rc::Rc;
    let rows: Rc<RefCell<Vec<Vec<String>>>> = Rc::default();
    let (r1, r2, r3) = (rows.clone(), rows.clone(), rows.clone());
    let tr = format!("table#{id} tbody tr");
    let td = format!("table#{id} tbody td");
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!(tr, move |_| {
                r1.borrow_mut().push(Vec::new());
                Ok(())
            }))
            .append_element_content_handler(element!(td, move |_| {
                if let Some(row) = r2.borrow_mut().last_mut() {
                    row.push(String::new());
                }
                Ok(())
            }))
            .append_element_content_handler(text!(td, move |t| {
                if let Some(cell) = r3.borrow_mut().last_mut().and_then(|r| r.last_mut()) {
                    cell.push_str(t.as_str());
                }
                Ok(())
            })),
        |_: &[u8]| {},
    );
    rewriter.write(html.as_bytes()).unwrap();
    rewriter.end().unwrap();
    // Text chunks come as written: decode the entities.
    rows.take()
        .into_iter()
        .map(|r| {
            r.iter()
                .map(|c| html_escape::decode_html_entities(c).into_owned())
                .collect()
        })
        .collect()
}

fn report_fixture(dir: &Path, lang: &str) -> (PathBuf, Run) {
    let path = dir.join("box.mbox");
    let mut hostile = spoof(9);
    hostile = hostile.replace(
        "Subject: account check 9",
        "Subject: <script>document.title='pwned'</script> \u{202E}fdp.exe",
    );
    std::fs::write(&path, mbox(&[clean(1), spoof(2), exe(3), hostile, exe(4)])).unwrap();
    let missing = dir.join("missing.eml");
    let html = dir.join(format!("report-{lang}.html"));
    let r = run(&[
        "--lang",
        lang,
        "scan",
        "--format",
        "summary",
        "--report",
        &s(&html),
        &s(&path),
        &s(&missing),
    ]);
    (html, r)
}

#[test]
fn html_report_holds_the_counts_and_the_flagged_table() {
    let dir = tempfile::tempdir().unwrap();
    let (html, r) = report_fixture(dir.path(), "en");
    r.expect_code(74);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    // Self-contained: no external reference of any kind.
    for bad in ["src=", "href=", "@import", "url(", "http://", "https://"] {
        assert!(!page.contains(bad), "{bad}");
    }
    assert!(page.contains("<svg id=\"verdict-chart\""));
    assert!(page.contains("<svg id=\"rules-chart\""));
    assert!(page.contains("<svg id=\"timeline-chart\""));
    let counts = table_rows(&page, "verdicts");
    let count = |label: &str| -> String {
        counts
            .iter()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("{label}: {counts:?}"))[1]
            .clone()
    };
    assert_eq!(count("clean"), "1");
    assert_eq!(count("warn"), "2");
    assert_eq!(count("quarantine"), "2");
    assert_eq!(count("reject"), "0");
    assert_eq!(count("Could not be scanned"), "1");
    let flagged = table_rows(&page, "flagged");
    assert_eq!(flagged.len(), 4, "{flagged:?}");
    assert_eq!(flagged[0][0], "warn");
    let score: f64 = flagged[0][1].parse().unwrap();
    assert!((4.0..8.0).contains(&score), "{:?}", flagged[0]);
    assert!(
        flagged[0][3].contains("x2@evil-example.net"),
        "{:?}",
        flagged[0]
    );
    assert!(
        flagged[1][6].contains("ATTACH_DOUBLE_EXTENSION"),
        "{:?}",
        flagged[1]
    );
    assert!(
        flagged[1][6].contains("invoice.pdf.exe"),
        "{:?}",
        flagged[1]
    );
    // The hostile subject is text, with its RLO shown.
    assert!(!page.contains("<script>document"));
    assert_eq!(
        flagged[2][5],
        "<script>document.title='pwned'</script> <U+202E>fdp.exe"
    );
    let domains = table_rows(&page, "domains");
    assert_eq!(domains[0], ["bills-example.com", "2"], "ties in name order");
    assert_eq!(domains[1], ["evil-example.net", "2"]);

    let (html, _) = report_fixture(dir.path(), "ja");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("判定の内訳") && page.contains("要注意メール一覧"));
    let counts = table_rows(&page, "verdicts");
    assert!(
        counts.iter().any(|r| r[0] == "隔離" && r[1] == "2"),
        "{counts:?}"
    );
}

/// Renders the report in headless Chromium and checks a screenshot was taken. Skipped, saying
/// why, when Chromium is not installed. `LURESCREEN_SCREENSHOT_DIR` keeps the screenshots.
#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(chromium) = chromium::require() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "ja"] {
        let (html, _) = report_fixture(dir.path(), lang);
        let url = format!("file://{}", s(&html));
        chromium::screenshot(
            chromium,
            &url,
            dir.path(),
            &format!("report-{lang}"),
            "1280,2000",
            &[
                "ATTACH_DOUBLE_EXTENSION",
                "x2@evil-example.net",
                "verdict-chart",
            ],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// --summary-json
// ---------------------------------------------------------------------------------------------

fn summary_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The totals agree with the per-message JSON lines of the same run, input by input.
#[test]
fn summary_json_counts_by_verdict_rule_and_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mbox_path = d.join("export.mbox");
    std::fs::write(&mbox_path, mbox(&[clean(1), spoof(2), exe(3), exe(4)])).unwrap();
    let folder = d.join("folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.eml"), exe(5)).unwrap();
    std::fs::write(folder.join("b.eml"), clean(6)).unwrap();
    std::fs::write(folder.join("empty.eml"), "").unwrap();
    let missing = d.join("missing.eml");
    let out = d.join("out").join("summary.json");
    std::fs::create_dir(d.join("out")).unwrap();
    let inputs = [s(&mbox_path), s(&folder), s(&missing)];
    let mut args = vec!["scan", "--format", "json", "--summary-json"];
    let out_arg = s(&out);
    args.push(&out_arg);
    args.extend(inputs.iter().map(String::as_str));
    let run = run(&args);
    // The missing file is an I/O error (74), above the verdicts.
    run.expect_code(74);
    let lines = run.json();
    let j = summary_json(&out);
    assert_eq!(j["version"], 1);
    assert_eq!(j["exit_code"], 74);
    assert_eq!(j["stopped_early"], false);
    assert!(j["duration_seconds"].as_f64().unwrap() >= 0.0);
    assert!(j["finished"].as_str().unwrap().ends_with('Z'));

    let scanned: Vec<&Value> = lines.iter().filter(|l| l["verdict"].is_string()).collect();
    assert_eq!(scanned.len(), 6);
    assert_eq!(j["messages"], 6);
    let vs = verdicts(&lines);
    for verdict in ["clean", "warn", "quarantine", "reject"] {
        let n = vs.iter().filter(|v| *v == verdict).count();
        assert_eq!(j["verdicts"][verdict], n, "{verdict}: {j}");
    }
    assert_eq!(j["verdicts"]["clean"], 2);
    assert_eq!(j["verdicts"]["quarantine"], 3);
    assert_eq!(j["flagged"], 4);

    // Messages per rule, as the lines have them.
    let mut per_rule: std::collections::BTreeMap<String, u64> = Default::default();
    for l in &scanned {
        for r in l["rules"].as_array().unwrap() {
            *per_rule.entry(r.as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    assert!(
        per_rule.contains_key("ATTACH_DOUBLE_EXTENSION"),
        "{per_rule:?}"
    );
    let rules = j["rules"].as_object().unwrap();
    assert_eq!(rules.len(), per_rule.len(), "{rules:?} vs {per_rule:?}");
    for (rule, n) in &per_rule {
        assert_eq!(rules[rule], *n, "{rule}");
    }
    assert_eq!(j["sending_domains"]["bills-example.com"], 3);
    assert_eq!(j["recipients"]["suzuki@example.co.jp"], 3);

    // Errors: the empty file (cannot be scanned) and the missing one (cannot be read).
    assert_eq!(j["errors"], 2);
    let details = j["error_details"].as_array().unwrap();
    let locations: Vec<&str> = details
        .iter()
        .map(|e| e["location"].as_str().unwrap())
        .collect();
    assert!(locations.contains(&s(&missing).as_str()), "{details:?}");
    assert!(
        locations.iter().any(|l| l.ends_with("empty.eml")),
        "{details:?}"
    );
    assert!(
        details
            .iter()
            .all(|e| !e["error"].as_str().unwrap().is_empty())
    );

    // Per path on the command line, in order.
    let per_input = j["inputs"].as_array().unwrap();
    assert_eq!(per_input.len(), 3);
    for (entry, path) in per_input.iter().zip(&inputs) {
        assert_eq!(entry["path"], path.as_str());
    }
    let (m, f, x) = (&per_input[0], &per_input[1], &per_input[2]);
    assert_eq!(
        (m["messages"].as_u64(), m["errors"].as_u64()),
        (Some(4), Some(0))
    );
    assert_eq!(m["verdicts"]["quarantine"], 2);
    assert_eq!(m["verdicts"]["warn"], 1);
    assert_eq!(
        (f["messages"].as_u64(), f["errors"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(f["verdicts"]["quarantine"], 1);
    assert_eq!(f["bytes"], (exe(5).len() + clean(6).len()) as u64);
    assert_eq!(
        (x["messages"].as_u64(), x["errors"].as_u64()),
        (Some(0), Some(1))
    );
    // Written whole: nothing but the file itself in its folder.
    let names: Vec<_> = std::fs::read_dir(d.join("out")).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn summary_json_says_when_the_run_stopped_early() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("summary.json");
    let a = d.join("a.eml");
    std::fs::write(&a, clean(1)).unwrap();
    let stopped = run(&[
        "scan",
        "--format",
        "summary",
        "--jobs",
        "1",
        "--fail-fast",
        "--summary-json",
        &s(&out),
        &s(&d.join("missing.eml")),
        &s(&a),
    ]);
    stopped.expect_code(74);
    let j = summary_json(&out);
    assert_eq!(j["stopped_early"], true);
    assert_eq!(j["errors"], 1);
    assert_eq!(j["messages"], 0);
    assert_eq!(j["exit_code"], 74);
    // Without --fail-fast, the same inputs run to the end.
    run(&[
        "scan",
        "--format",
        "summary",
        "--summary-json",
        &s(&out),
        &s(&d.join("missing.eml")),
        &s(&a),
    ])
    .expect_code(74);
    let j = summary_json(&out);
    assert_eq!(j["stopped_early"], false);
    assert_eq!(j["messages"], 1);
    assert_eq!(j["verdicts"]["clean"], 1);
}

#[test]
fn summary_json_to_a_folder_that_does_not_exist_fails_before_scanning() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.eml");
    std::fs::write(&a, exe(1)).unwrap();
    let out = dir.path().join("no-such-folder").join("s.json");
    let run = run(&["scan", "--summary-json", &s(&out), &s(&a)]);
    run.expect_code(74);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("--summary-json"), "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    // ... and with --attachment, which has no batch totals, it is refused.
    run_with(
        &["scan", "--attachment", "--summary-json", "x.json", &s(&a)],
        None,
    )
    .expect_code(64);
}
