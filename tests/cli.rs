//! End-to-end tests of the `lurescreen` binary: exit codes, report formats, the filter's
//! byte-exact pass-through, markup, `rules`, `config check`, and hostile inputs.
//!
//! Every fixture is generated here. The locale is pinned (`LANG=C`) so reports are English unless
//! a test asks for Japanese.

use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------

/// No single run may take longer than this; a hung binary fails the test instead of the suite.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// What one run of the binary produced.
struct Run {
    /// `None` when the process was killed by a signal (abort, stack overflow).
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    #[track_caller]
    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "exit code; stderr:\n{}\nstdout (start):\n{}",
            self.stderr,
            preview(&self.stdout)
        );
        self
    }

    /// Exited normally and said nothing about a panic or a stack overflow.
    #[track_caller]
    fn expect_no_crash(&self) -> &Self {
        assert!(
            self.code.is_some(),
            "killed by a signal; stderr:\n{}",
            self.stderr
        );
        for bad in ["panicked", "overflowed its stack"] {
            assert!(!self.stderr.contains(bad), "stderr: {}", self.stderr);
        }
        self
    }

    /// Every non-empty stdout line parsed as JSON (JSON Lines).
    fn json_lines(&self) -> Vec<Value> {
        self.stdout()
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// The binary with a neutral locale.
fn lurescreen() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lurescreen"));
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .env_remove("RUST_BACKTRACE");
    cmd
}

/// Runs the binary with `args`, nothing on stdin.
fn run(args: &[&str]) -> Run {
    run_cmd(lurescreen().args(args), None)
}

/// Runs the binary with `args` and `input` on stdin (written from a thread, so any size works).
fn run_stdin(args: &[&str], input: &[u8]) -> Run {
    run_stdin_shared(args, Arc::new(input.to_vec()))
}

/// `run_stdin` without copying the input: for inputs of a hundred megabytes.
fn run_stdin_shared(args: &[&str], input: Arc<Vec<u8>>) -> Run {
    run_cmd(lurescreen().args(args), Some(input))
}

fn run_cmd(cmd: &mut Command, input: Option<Arc<Vec<u8>>>) -> Run {
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start lurescreen");
    let writer = input.map(|bytes| {
        let mut stdin = child.stdin.take().expect("stdin");
        // The binary may stop reading early (usage errors, over-limit input): ignore EPIPE.
        thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        })
    });
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).map(|_| v)
    });
    let err_reader = thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).map(|_| v)
    });
    let deadline = Instant::now() + RUN_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for lurescreen") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("lurescreen ran longer than {RUN_TIMEOUT:?}: {cmd:?}");
        }
        thread::sleep(Duration::from_millis(5));
    };
    if let Some(w) = writer {
        w.join().expect("stdin writer");
    }
    Run {
        code: status.code(),
        stdout: out_reader.join().unwrap().expect("read stdout"),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap().expect("read stderr"))
            .into_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/// A temporary directory for fixtures.
struct Fixtures(tempfile::TempDir);

impl Fixtures {
    fn new() -> Self {
        Fixtures(tempfile::tempdir().expect("temp dir"))
    }

    /// Writes `bytes` to `name` and returns its path as a string (temp paths are UTF-8).
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.0.path().join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path_str(&path)
    }

    /// A path in the directory that does not exist.
    fn missing(&self, name: &str) -> String {
        path_str(&self.0.path().join(name))
    }
}

fn path_str(p: &Path) -> String {
    p.to_str().expect("UTF-8 temp path").to_string()
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

const CLEAN: &str = "From: Taro Yamada <taro@example.co.jp>\n\
To: hanako@example.co.jp\n\
Subject: lunch\n\
Date: Mon, 1 Jan 2024 12:00:00 +0900\n\
Message-ID: <lunch.1@example.co.jp>\n\
\n\
Shall we have lunch at noon?\n";

/// A display name that is an address on another domain: scores 4.7 (the shipped tuned score), verdict warn.
const SPOOF: &str = "From: \"support@bank.example.com\" <x@evil-example.net>\n\
To: a@example.co.jp\n\
Subject: account check\n\
\n\
Please check your account.\n";

/// `invoice.pdf.exe` attached: dangerous (6.0) and double extension (8.0), forced quarantine.
const EXE_ATTACHMENT: &str = "From: Billing <billing@example.com>\n\
To: a@example.co.jp\n\
Subject: invoice\n\
MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b1\"\n\
\n\
--b1\n\
Content-Type: text/plain; charset=us-ascii\n\
\n\
Please find the invoice enclosed.\n\
--b1\n\
Content-Type: application/octet-stream; name=\"invoice.pdf.exe\"\n\
Content-Disposition: attachment; filename=\"invoice.pdf.exe\"\n\
Content-Transfer-Encoding: base64\n\
\n\
TVqQAA==\n\
--b1--\n";

/// Seven different rules fire on this message with `MANY_FINDINGS_CONFIG`.
const MANY_FINDINGS: &str = "From: \"support@bank.example.com\" <x@evil-example.net>\n\
To: a@example.co.jp\n\
Subject: urgent invoice\n\
MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"outer\"\n\
\n\
--outer\n\
Content-Type: text/html; charset=utf-8\n\
\n\
<p>Sign in at <a href=\"http://203.0.113.9/login\">https://www.bank.example.com/login</a></p>\n\
--outer\n\
Content-Type: application/octet-stream; name=\"invoice.pdf.exe\"\n\
Content-Disposition: attachment; filename=\"invoice.pdf.exe\"\n\
Content-Transfer-Encoding: base64\n\
\n\
TVqQAA==\n\
--outer\n\
Content-Type: application/octet-stream\n\
Content-Disposition: attachment; filename*=UTF-8''report%E2%80%AEfdp.exe\n\
Content-Transfer-Encoding: base64\n\
\n\
TVqQAA==\n\
--outer\n\
Content-Type: message/rfc822\n\
\n\
From: a@b.example\n\
Subject: inner\n\
\n\
inner body\n\
--outer--\n";

const MANY_FINDINGS_CONFIG: &str =
    "[limits]\nmax_parts = 4\nmax_nested_messages = 0\n\n[thresholds]\nreject = 10.0\n";

const MANY_FINDINGS_RULES: [&str; 7] = [
    "SENDER_DISPLAY_NAME_ADDRESS",
    "LINK_TEXT_DOMAIN_MISMATCH",
    "ATTACH_DANGEROUS_EXTENSION",
    "ATTACH_DOUBLE_EXTENSION",
    "ATTACH_BIDI_CONTROL",
    "LIMIT_NESTED_MESSAGES",
    "LIMIT_PARTS",
];

fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

/// Deterministic pseudo-random bytes (xorshift), never starting with white space.
fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(len);
    while v.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        v.extend_from_slice(&seed.to_le_bytes());
    }
    v.truncate(len);
    v[0] = b'#';
    v
}

/// `depth` multiparts, each the only child of the one before, with a text part at the bottom.
fn nested_multiparts(depth: usize) -> Vec<u8> {
    let mut raw = b"From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n".to_vec();
    for i in 0..depth {
        raw.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\n").as_bytes(),
        );
    }
    raw.extend_from_slice(b"Content-Type: text/plain\n\nbottom\n");
    for i in (0..depth).rev() {
        raw.extend_from_slice(format!("--b{i}--\n").as_bytes());
    }
    raw
}

// ---------------------------------------------------------------------------------------------
// Filter output
// ---------------------------------------------------------------------------------------------

/// Filter output taken apart: our header fields at the top (unfolded) and everything else.
struct Filtered {
    /// `(name, value)` of each `X-Lurescreen-*` field at the top, unfolded and trimmed.
    ours: Vec<(String, String)>,
    /// The raw lines of our fields, line endings included.
    our_lines: Vec<Vec<u8>>,
    /// The output without them: must be the input.
    rest: Vec<u8>,
}

impl Filtered {
    fn field(&self, name: &str) -> Option<&str> {
        self.ours
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[track_caller]
    fn verdict(&self) -> &str {
        self.field("X-Lurescreen-Verdict")
            .expect("an X-Lurescreen-Verdict field")
    }
}

fn line_end(raw: &[u8], pos: usize) -> usize {
    raw[pos..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(raw.len(), |i| pos + i + 1)
}

/// Strips the `X-Lurescreen-` lines and their continuation lines at the top of the output (after
/// an mbox `From ` line if there is one).
fn split_ours(out: &[u8]) -> Filtered {
    let mut rest = Vec::with_capacity(out.len());
    let mut pos = 0;
    if out.starts_with(b"From ") {
        pos = line_end(out, 0);
        rest.extend_from_slice(&out[..pos]);
    }
    let mut ours = Vec::new();
    let mut our_lines = Vec::new();
    while out.len() - pos >= 13 && out[pos..pos + 13].eq_ignore_ascii_case(b"X-Lurescreen-") {
        let mut end = line_end(out, pos);
        our_lines.push(out[pos..end].to_vec());
        while end < out.len() && matches!(out[end], b' ' | b'\t') {
            let next = line_end(out, end);
            our_lines.push(out[end..next].to_vec());
            end = next;
        }
        let text = String::from_utf8_lossy(&out[pos..end]);
        let unfolded = text.replace("\r\n", "").replace('\n', "");
        let (name, value) = unfolded.split_once(':').expect("a colon in our field");
        ours.push((name.to_string(), value.trim().to_string()));
        pos = end;
    }
    rest.extend_from_slice(&out[pos..]);
    Filtered {
        ours,
        our_lines,
        rest,
    }
}

/// Runs `filter` with extra global arguments and returns the output taken apart.
#[track_caller]
fn filter_ok(global: &[&str], input: &[u8]) -> Filtered {
    let mut args = global.to_vec();
    args.push("filter");
    let r = run_stdin(&args, input);
    r.expect_no_crash().expect_code(0);
    split_ours(&r.stdout)
}

/// Byte slices printably, shortened.
fn preview(b: &[u8]) -> String {
    let shown: String = b
        .iter()
        .take(300)
        .flat_map(|&c| c.escape_ascii())
        .map(char::from)
        .collect();
    if b.len() > 300 {
        format!("{shown}… ({} bytes)", b.len())
    } else {
        shown
    }
}

/// `assert_eq!` for byte strings that reports the first difference instead of dumping megabytes.
#[track_caller]
fn assert_same_bytes(actual: &[u8], expected: &[u8], what: &str) {
    if actual == expected {
        return;
    }
    let at = actual
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(actual.len().min(expected.len()));
    let from = at.saturating_sub(40);
    panic!(
        "{what}: differs at byte {at} (lengths {} vs {} expected)\n  actual:   {}\n  expected: {}",
        actual.len(),
        expected.len(),
        preview(&actual[from..actual.len().min(at + 80)]),
        preview(&expected[from..expected.len().min(at + 80)]),
    );
}

fn has_japanese(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

fn parse_mail(bytes: &[u8]) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(bytes)
        .expect("mail-parser reads the output")
}

// =============================================================================================
// scan: exit codes
// =============================================================================================

#[test]
fn scan_clean_message_exits_0() {
    let f = Fixtures::new();
    let r = run(&["scan", &f.file("clean.eml", CLEAN)]);
    r.expect_code(0);
    assert!(r.stdout().contains(": CLEAN (score 0.0;"), "{}", r.stdout());
}

#[test]
fn scan_display_name_spoof_exits_1_warn() {
    let f = Fixtures::new();
    let r = run(&["scan", &f.file("spoof.eml", SPOOF)]);
    r.expect_code(1);
    assert!(r.stdout().contains(": WARN (score 4.7;"), "{}", r.stdout());
}

#[test]
fn scan_double_extension_attachment_exits_2_quarantine() {
    let f = Fixtures::new();
    let r = run(&["scan", &f.file("exe.eml", EXE_ATTACHMENT)]);
    r.expect_code(2);
    let out = r.stdout();
    assert!(out.contains(": QUARANTINE (score 14.0;"), "{out}");
    assert!(out.contains("invoice.pdf.exe"), "{out}");
}

#[test]
fn scan_exits_3_only_with_a_reject_threshold() {
    let f = Fixtures::new();
    let msg = f.file("exe.eml", EXE_ATTACHMENT);
    // Without a reject threshold the worst verdict is quarantine, whatever the score.
    run(&["scan", &msg]).expect_code(2);
    let config = f.file("reject.toml", "[thresholds]\nreject = 10.0\n");
    let r = run(&["--config", &config, "scan", &msg]);
    r.expect_code(3);
    assert!(
        r.stdout()
            .contains(": REJECT (score 14.0; warn=4.0, quarantine=8.0, reject=10.0)"),
        "{}",
        r.stdout()
    );
    // Below the reject threshold: quarantine again.
    let high = f.file("high.toml", "[thresholds]\nreject = 20.0\n");
    run(&["--config", &high, "scan", &msg]).expect_code(2);
}

#[test]
fn usage_errors_exit_64() {
    let f = Fixtures::new();
    let msg = f.file("clean.eml", CLEAN);
    let r = run(&["scan", "--bogus", &msg]);
    r.expect_code(64);
    assert!(r.stderr.contains("--bogus"), "{}", r.stderr);
    run(&["scan"]).expect_code(64); // no input given
    run(&["scan", "--format", "xml", &msg]).expect_code(64);
    run(&["--lang", "fr", "scan", &msg]).expect_code(64);
    run(&["frobnicate"]).expect_code(64);
    run(&[]).expect_code(64);
    // Help and version are not errors.
    run(&["--help"]).expect_code(0);
    let v = run(&["--version"]);
    v.expect_code(0);
    assert!(v.stdout().starts_with("lurescreen "), "{}", v.stdout());
}

#[test]
fn bad_config_file_exits_64_and_names_file_and_key() {
    let f = Fixtures::new();
    let msg = f.file("clean.eml", CLEAN);
    let config = f.file("typo.toml", "[thresholds]\nwran = 1\n");
    for args in [
        vec!["--config", &config, "scan", &msg],
        vec!["--config", &config, "rules"],
    ] {
        let r = run(&args);
        r.expect_code(64);
        assert!(r.stderr.contains(&config), "{}", r.stderr);
        assert!(r.stderr.contains("wran"), "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    // Values that do not make sense together, and a config file that is not there.
    let order = f.file("order.toml", "[thresholds]\nwarn = 9.0\nquarantine = 8.0\n");
    let r = run(&["--config", &order, "scan", &msg]);
    r.expect_code(64);
    assert!(r.stderr.contains("must not be above"), "{}", r.stderr);
    let absent = f.missing("absent.toml");
    let r = run(&["--config", &absent, "scan", &msg]);
    r.expect_code(64);
    assert!(r.stderr.contains(&absent), "{}", r.stderr);
}

#[test]
fn unscannable_inputs_exit_65() {
    let f = Fixtures::new();
    let empty = f.file("empty.eml", "");
    let r = run(&["scan", &empty]);
    r.expect_code(65);
    assert!(r.stderr.contains(&empty), "{}", r.stderr);
    assert!(r.stderr.contains("empty input"), "{}", r.stderr);
    run(&["scan", &f.file("blank.eml", " \r\n\n\t\n")]).expect_code(65);

    let config = f.file("small.toml", "[limits]\nmax_message_bytes = 100\n");
    let big = f.file("big.eml", format!("{SPOOF}{}", "padding line\n".repeat(20)));
    let r = run(&["--config", &config, "scan", &big]);
    r.expect_code(65);
    assert!(
        r.stderr.contains("over the limit of 100 bytes"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("max_message_bytes"), "{}", r.stderr);
    // Exactly at the limit is fine.
    let exact = f.file(
        "exact.eml",
        format!("Subject: x\n\n{}\n", "y".repeat(100 - 13)),
    );
    assert_eq!(std::fs::metadata(&exact).unwrap().len(), 100);
    run(&["--config", &config, "scan", &exact]).expect_code(0);
}

#[test]
fn missing_file_exits_74() {
    let f = Fixtures::new();
    let missing = f.missing("nope.eml");
    let r = run(&["scan", &missing]);
    r.expect_code(74);
    assert!(r.stderr.contains(&missing), "{}", r.stderr);
    // A directory is not a message either.
    let dir = path_str(f.0.path());
    run(&["scan", &dir]).expect_code(74);
}

#[test]
fn several_files_exit_with_the_highest_code() {
    let f = Fixtures::new();
    let clean = f.file("clean.eml", CLEAN);
    let spoof = f.file("spoof.eml", SPOOF);
    let exe = f.file("exe.eml", EXE_ATTACHMENT);
    let empty = f.file("empty.eml", "");
    let missing = f.missing("missing.eml");

    let r = run(&["scan", &exe, &clean, &spoof]);
    r.expect_code(2);
    // One report per file, in order.
    let out = r.stdout();
    let heads: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(heads.len(), 3, "{out}");
    assert!(heads[0].starts_with(&format!("{exe}: QUARANTINE")));
    assert!(heads[1].starts_with(&format!("{clean}: CLEAN")));
    assert!(heads[2].starts_with(&format!("{spoof}: WARN")));

    run(&["scan", &clean, &spoof]).expect_code(1);
    run(&["scan", &clean, &clean]).expect_code(0);
    // Errors rank above verdicts; the other files are still reported.
    let r = run(&["scan", &empty, &exe]);
    r.expect_code(65);
    assert!(r.stdout().contains("QUARANTINE"));
    let r = run(&["scan", &clean, &missing, &empty, &spoof]);
    r.expect_code(74);
    assert!(r.stdout().contains("WARN"));
}

#[test]
fn scan_reads_stdin_for_dash() {
    let r = run_stdin(&["scan", "-"], SPOOF.as_bytes());
    r.expect_code(1);
    assert!(r.stdout().starts_with("-: WARN"), "{}", r.stdout());
    run_stdin(&["scan", "-"], b"").expect_code(65);
}

// =============================================================================================
// scan: report formats
// =============================================================================================

#[test]
fn text_report_shows_rule_ids_score_and_thresholds() {
    let f = Fixtures::new();
    let r = run(&["scan", &f.file("spoof.eml", SPOOF)]);
    let out = r.stdout();
    let first = out.lines().next().unwrap();
    assert!(
        first.ends_with("WARN (score 4.7; warn=4.0, quarantine=8.0, reject=off)"),
        "{first}"
    );
    assert!(
        out.contains("From: support@bank.example.com <x@evil-example.net>"),
        "{out}"
    );
    assert!(out.contains("Subject: account check"), "{out}");
    let finding = out
        .lines()
        .find(|l| l.contains("SENDER_DISPLAY_NAME_ADDRESS"))
        .unwrap_or_else(|| panic!("no rule id in {out}"));
    assert!(finding.contains("+4.7"), "{finding}");
    assert!(finding.contains("[From]"), "{finding}");
    assert!(finding.contains("x@evil-example.net"), "{finding}");

    // Every finding of a complex message gets its rule id.
    let config = f.file("many.toml", MANY_FINDINGS_CONFIG);
    let r = run(&[
        "--config",
        &config,
        "scan",
        &f.file("many.eml", MANY_FINDINGS),
    ]);
    r.expect_code(3);
    for rule in MANY_FINDINGS_RULES {
        assert!(r.stdout().contains(rule), "{rule} missing:\n{}", r.stdout());
    }
    assert!(r.stdout().contains("reject=10.0"), "{}", r.stdout());
}

#[test]
fn lang_ja_gives_japanese_reasons() {
    let f = Fixtures::new();
    let msg = f.file("spoof.eml", SPOOF);
    let r = run(&["--lang", "ja", "scan", &msg]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(out.contains("要注意（warn）"), "{out}");
    let finding = out
        .lines()
        .find(|l| l.contains("SENDER_DISPLAY_NAME_ADDRESS"))
        .unwrap();
    assert!(finding.contains("差出人の表示名"), "{finding}");

    let r = run(&["--lang", "ja", "scan", "--format", "json", &msg]);
    let v = &r.json_lines()[0];
    assert_eq!(v["lang"], "ja");
    assert!(has_japanese(v["findings"][0]["reason"].as_str().unwrap()));

    // Without --lang: the locale, then the config file's `lang`.
    let r = run_cmd(
        lurescreen().env("LANG", "ja_JP.UTF-8").args(["scan", &msg]),
        None,
    );
    assert!(r.stdout().contains("差出人の表示名"), "{}", r.stdout());
    let config = f.file("ja.toml", "lang = \"ja\"\n");
    let r = run(&["--config", &config, "scan", &msg]);
    assert!(r.stdout().contains("差出人の表示名"), "{}", r.stdout());
    // --lang wins over both.
    let r = run(&["--config", &config, "--lang", "en", "scan", &msg]);
    assert!(!has_japanese(&r.stdout()), "{}", r.stdout());
}

/// Checks one JSON report object against the documented schema.
#[track_caller]
fn check_report_schema(v: &Value) {
    assert_eq!(v["schema"], 1, "{v}");
    assert!(v["source"].is_string(), "{v}");
    let verdict = v["verdict"].as_str().expect("verdict");
    assert!(
        ["clean", "warn", "quarantine", "reject"].contains(&verdict),
        "{v}"
    );
    assert!(v["score"].is_f64(), "{v}");
    let t = &v["thresholds"];
    assert!(t["warn"].is_f64() && t["quarantine"].is_f64(), "{v}");
    assert!(t["reject"].is_null() || t["reject"].is_f64(), "{v}");
    for f in v["findings"].as_array().expect("findings array") {
        assert!(f["rule"].is_string(), "{f}");
        assert!(f["score"].is_f64(), "{f}");
        assert!(!f["reason"].as_str().expect("reason").is_empty(), "{f}");
        let evidence = f["evidence"].as_object().expect("evidence object");
        assert!(evidence.values().all(Value::is_string), "{f}");
        assert!(f["location"].is_string(), "{f}");
    }
}

#[test]
fn json_is_one_object_per_line_per_input() {
    let f = Fixtures::new();
    let clean = f.file("clean.eml", CLEAN);
    let spoof = f.file("spoof.eml", SPOOF);
    let exe = f.file("exe.eml", EXE_ATTACHMENT);
    let empty = f.file("empty.eml", "");
    let missing = f.missing("missing.eml");
    let r = run(&[
        "scan", "--format", "json", &clean, &spoof, &exe, &empty, &missing,
    ]);
    r.expect_code(74);
    assert!(r.stdout().ends_with('\n'));
    let lines = r.json_lines();
    assert_eq!(lines.len(), 5, "{}", r.stdout());
    assert_eq!(
        r.stdout().lines().count(),
        5,
        "pretty-printed? {}",
        r.stdout()
    );

    for v in &lines[..3] {
        check_report_schema(v);
    }
    let (c, s, e) = (&lines[0], &lines[1], &lines[2]);
    assert_eq!(c["source"], clean.as_str());
    assert_eq!(c["verdict"], "clean");
    assert_eq!(c["score"], 0.0);
    assert_eq!(c["findings"], serde_json::json!([]));
    assert_eq!(c["subject"], "lunch");
    assert_eq!(c["thresholds"]["warn"], 4.0);
    assert_eq!(c["thresholds"]["quarantine"], 8.0);
    assert!(c["thresholds"]["reject"].is_null());

    assert_eq!(s["verdict"], "warn");
    assert_eq!(s["score"], 4.7);
    let finding = &s["findings"][0];
    assert_eq!(finding["rule"], "SENDER_DISPLAY_NAME_ADDRESS");
    assert_eq!(finding["score"], 4.7);
    assert_eq!(finding["location"], "From");
    assert_eq!(finding["evidence"]["shown"], "support@bank.example.com");
    assert_eq!(finding["evidence"]["address"], "x@evil-example.net");

    assert_eq!(e["verdict"], "quarantine");
    let rules: Vec<&str> = e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["ATTACH_DANGEROUS_EXTENSION", "ATTACH_DOUBLE_EXTENSION"]
    );
    assert_eq!(e["findings"][1]["evidence"]["name"], "invoice.pdf.exe");
    assert_eq!(e["findings"][1]["location"], "2/invoice.pdf.exe");

    for (v, path) in [(&lines[3], &empty), (&lines[4], &missing)] {
        assert_eq!(v["source"], path.as_str(), "{v}");
        assert!(!v["error"].as_str().expect("error").is_empty(), "{v}");
        assert!(v.get("verdict").is_none(), "{v}");
    }
}

#[test]
fn json_reports_the_reject_threshold_and_raw_evidence() {
    let f = Fixtures::new();
    let config = f.file("many.toml", MANY_FINDINGS_CONFIG);
    let r = run(&[
        "--config",
        &config,
        "scan",
        "--format",
        "json",
        &f.file("many.eml", MANY_FINDINGS),
    ]);
    r.expect_code(3);
    let v = &r.json_lines()[0];
    check_report_schema(v);
    assert_eq!(v["verdict"], "reject");
    assert_eq!(v["thresholds"]["reject"], 10.0);
    // JSON keeps the real name (with its RLO); only text shows it as <U+202E>.
    let bidi = finding(v, "ATTACH_BIDI_CONTROL");
    assert_eq!(bidi["evidence"]["name"], "report\u{202e}fdp.exe");
    assert!(!bidi["reason"].as_str().unwrap().contains('\u{202e}'));
}

#[test]
fn headers_format_prints_the_three_fields() {
    let f = Fixtures::new();
    let r = run(&["scan", "--format", "headers", &f.file("spoof.eml", SPOOF)]);
    r.expect_code(1);
    assert_eq!(
        r.stdout(),
        "X-Lurescreen-Verdict: warn\n\
         X-Lurescreen-Score: 4.7 (warn=4.0, quarantine=8.0, reject=off)\n\
         X-Lurescreen-Reasons: SENDER_DISPLAY_NAME_ADDRESS=4.7\n"
    );
    let r = run(&["scan", "--format", "headers", &f.file("clean.eml", CLEAN)]);
    assert!(r.stdout().contains("X-Lurescreen-Reasons: none\n"));
    // An input that cannot be scanned gets the error field.
    let r = run(&["scan", "--format", "headers", &f.file("empty.eml", "")]);
    r.expect_code(65);
    assert!(
        r.stdout().starts_with("X-Lurescreen-Error: "),
        "{}",
        r.stdout()
    );
}

/// Our folded fields: each line at most 78 characters, continuations start with a space.
#[track_caller]
fn check_folding(lines: &[Vec<u8>], nl: &str) {
    assert!(!lines.is_empty());
    for (i, line) in lines.iter().enumerate() {
        let text = std::str::from_utf8(line).expect("ASCII header");
        let content = text
            .strip_suffix(nl)
            .unwrap_or_else(|| panic!("line ending: {text:?}"));
        assert!(!content.contains(['\r', '\n']), "{text:?}");
        assert!(content.len() <= 78, "{} chars: {content:?}", content.len());
        if i == 0 {
            assert!(content.starts_with("X-Lurescreen-"), "{content:?}");
        } else {
            assert!(
                content.starts_with("X-Lurescreen-") || content.starts_with(' '),
                "{content:?}"
            );
        }
    }
}

#[test]
fn headers_with_many_findings_are_folded_at_78() {
    let f = Fixtures::new();
    let config = f.file("many.toml", MANY_FINDINGS_CONFIG);
    let r = run(&[
        "--config",
        &config,
        "scan",
        "--format",
        "headers",
        &f.file("many.eml", MANY_FINDINGS),
    ]);
    r.expect_code(3);
    let parsed = split_ours(&r.stdout);
    assert!(parsed.rest.is_empty(), "{}", r.stdout());
    check_folding(&parsed.our_lines, "\n");
    assert_eq!(parsed.ours.len(), 3, "{}", r.stdout());
    assert!(
        parsed.our_lines.len() > 4,
        "expected folding:\n{}",
        r.stdout()
    );
    assert_eq!(parsed.verdict(), "reject");
    let reasons = parsed.field("X-Lurescreen-Reasons").unwrap();
    for rule in MANY_FINDINGS_RULES {
        assert!(reasons.contains(&format!("{rule}=")), "{reasons}");
    }

    // The same through the filter, with CRLF line endings.
    let input = crlf(MANY_FINDINGS);
    let out = filter_ok(&["--config", &config], &input);
    check_folding(&out.our_lines, "\r\n");
    assert_eq!(out.verdict(), "reject");
    assert_same_bytes(&out.rest, &input, "filter output without our fields");
}

// =============================================================================================
// filter: byte-exact pass-through
// =============================================================================================

/// Awkward inputs, each of which must come out unchanged but for our header fields.
fn awkward_messages() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&str, Vec<u8>)> = vec![
        ("crlf", crlf(SPOOF)),
        ("lf", SPOOF.as_bytes().to_vec()),
        ("crlf clean", crlf(CLEAN)),
        (
            "mixed line endings",
            b"From: a@example.com\r\nTo: b@example.com\nSubject: mixed\r\n\nline one\r\nline two\nline three\r\n".to_vec(),
        ),
        (
            "no final newline",
            b"From: a@example.com\nSubject: eof\n\nthe last line has no newline".to_vec(),
        ),
        (
            "crlf, no final newline",
            b"From: a@example.com\r\nSubject: eof\r\n\r\nno newline\r".to_vec(),
        ),
        (
            "8-bit header and body",
            b"From: \xe5\xb1\xb1\xe7\x94\xb0 <yamada@example.jp>\nSubject: \xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8 \xff\xfe\x80\n\nbody \x80\x81\xfe\xff latin1 caf\xe9\n".to_vec(),
        ),
        (
            "ISO-2022-JP",
            b"From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>\n\
Subject: =?ISO-2022-JP?B?GyRCQEE1YT1xGyhC?=\n\
MIME-Version: 1.0\n\
Content-Type: text/plain; charset=ISO-2022-JP\n\
Content-Transfer-Encoding: 7bit\n\
\n\
\x1b$B@A5a=q$r$*Aw$j$7$^$9\x1b(B\n\
\x1b$B$h$m$7$/$*4j$$$7$^$9\x1b(B\n"
                .to_vec(),
        ),
        (
            "NUL bytes",
            b"From: a@example.com\nSubject: nul\x00here\n\nbody\x00\x00with NULs\x00\n".to_vec(),
        ),
        (
            "bare CRs",
            b"From: a@example.com\rX-Odd: yes\nSubject: bare\rcr\n\nline\rline\r\rend\r".to_vec(),
        ),
        (
            "only headers",
            b"From: a@example.com\nTo: b@example.com\nSubject: no body".to_vec(),
        ),
        (
            "only headers with final newline",
            b"From: a@example.com\r\nSubject: no body\r\n".to_vec(),
        ),
        (
            "mbox From line",
            format!("From x@evil-example.net Mon Jan  1 00:00:00 2024\n{SPOOF}>From the body\n")
                .into_bytes(),
        ),
        (
            "mbox From line, crlf",
            crlf(&format!("From someone Mon Jan  1 00:00:00 2024\n{CLEAN}")),
        ),
        ("binary blob", random_bytes(4096, 0x9e37_79b9_7f4a_7c15)),
        (
            "binary with a colon line",
            b"\x00\x01binary: \xff\xfe\n\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(),
        ),
        (
            "broken MIME boundaries",
            b"From: a@example.com\n\
Subject: broken\n\
MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"declared\"\n\
\n\
--other\n\
Content-Type: text/plain\n\
\n\
never closed\n\
--declared\n\
Content-Type: multipart/alternative; boundary=\n\
\n\
--\n\
--declared\n\
Content-Type: application/octet-stream; name=\"a.pdf.exe\"\n\
Content-Transfer-Encoding: base64\n\
\n\
TVqQ!!!not base64\n"
                .to_vec(),
        ),
        (
            "folded headers and tabs",
            b"From: a@example.com\nSubject: a\n\tfolded\n  subject\nX-Long:\n value\n\nbody\n"
                .to_vec(),
        ),
    ];
    v.push(("exe attachment crlf", crlf(EXE_ATTACHMENT)));
    v
}

#[test]
fn filter_round_trips_awkward_messages_byte_for_byte() {
    for (name, input) in awkward_messages() {
        let r = run_stdin(&["filter"], &input);
        r.expect_no_crash();
        assert_eq!(r.code, Some(0), "{name}: {}", r.stderr);
        let out = split_ours(&r.stdout);
        assert_same_bytes(&out.rest, &input, name);
        let names: Vec<&str> = out.ours.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "X-Lurescreen-Verdict",
                "X-Lurescreen-Score",
                "X-Lurescreen-Reasons"
            ],
            "{name}: {}",
            preview(&r.stdout)
        );
        // Our fields use the message's own line ending.
        let nl = if input
            .iter()
            .position(|&b| b == b'\n')
            .is_some_and(|i| i > 0 && input[i - 1] == b'\r')
        {
            "\r\n"
        } else {
            "\n"
        };
        check_folding(&out.our_lines, nl);
    }
}

#[test]
fn filter_verdicts_match_scan() {
    for (input, verdict) in [
        (CLEAN, "clean"),
        (SPOOF, "warn"),
        (EXE_ATTACHMENT, "quarantine"),
    ] {
        let out = filter_ok(&[], input.as_bytes());
        assert_eq!(out.verdict(), verdict);
        assert_same_bytes(&out.rest, input.as_bytes(), verdict);
    }
    let out = filter_ok(&[], SPOOF.as_bytes());
    assert_eq!(
        out.field("X-Lurescreen-Score"),
        Some("4.7 (warn=4.0, quarantine=8.0, reject=off)")
    );
    assert_eq!(
        out.field("X-Lurescreen-Reasons"),
        Some("SENDER_DISPLAY_NAME_ADDRESS=4.7")
    );
}

#[test]
fn filter_puts_fields_after_the_mbox_from_line() {
    let input = format!("From x@evil-example.net Mon Jan  1 00:00:00 2024\n{SPOOF}");
    let r = run_stdin(&["filter"], input.as_bytes());
    r.expect_code(0);
    let out = r.stdout();
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("From x@evil-example.net Mon Jan  1 00:00:00 2024")
    );
    assert_eq!(lines.next(), Some("X-Lurescreen-Verdict: warn"));
}

#[test]
fn forged_lurescreen_fields_are_replaced_by_the_real_verdict() {
    let forged_top = "X-Lurescreen-Verdict: clean\n";
    let forged_middle = "x-lurescreen-score: 0.0\n  (folded, forged)\n";
    let forged_reasons = "X-LURESCREEN-REASONS: none\n";
    let input = format!(
        "{forged_top}From: \"support@bank.example.com\" <x@evil-example.net>\n{forged_middle}\
         Subject: account check\n{forged_reasons}\nbody with X-Lurescreen-Verdict: clean in it\n"
    );
    let expected = input
        .replace(forged_top, "")
        .replace(forged_middle, "")
        .replace(forged_reasons, "");
    let r = run_stdin(&["filter"], input.as_bytes());
    r.expect_code(0);
    let out = split_ours(&r.stdout);
    assert_eq!(out.verdict(), "warn");
    assert_eq!(out.ours.len(), 3);
    assert_same_bytes(&out.rest, expected.as_bytes(), "forged fields removed");
    assert!(!r.stdout().contains("forged"));
    // The body is not the header: text there is left alone.
    assert!(
        r.stdout()
            .ends_with("body with X-Lurescreen-Verdict: clean in it\n")
    );

    // Forged fields after an mbox line, and forged error and banner fields, go too.
    let input = format!(
        "From x Mon Jan  1 00:00:00 2024\nX-Lurescreen-Error: none\nX-Lurescreen-Banner: ok\n{SPOOF}"
    );
    let out = filter_ok(&[], input.as_bytes());
    assert_eq!(out.ours.len(), 3, "{:?}", out.ours);
    assert!(out.field("X-Lurescreen-Error").is_none());
    let expected = input.replace("X-Lurescreen-Error: none\nX-Lurescreen-Banner: ok\n", "");
    assert_same_bytes(&out.rest, expected.as_bytes(), "after mbox line");
}

// =============================================================================================
// filter: failures
// =============================================================================================

#[test]
fn filter_empty_input_is_just_an_error_field() {
    let r = run_stdin(&["filter"], b"");
    r.expect_code(0);
    let out = r.stdout();
    assert!(out.starts_with("X-Lurescreen-Error: "), "{out}");
    assert!(out.contains("empty"), "{out}");
    assert_eq!(out.matches('\n').count(), 1, "{out:?}");
    assert!(out.ends_with('\n'));
    assert!(r.stderr.contains("empty"), "{}", r.stderr);

    let r = run_stdin(&["filter", "--fail-closed"], b"");
    r.expect_code(75);
    assert!(r.stdout.is_empty());
}

/// A 5,000-byte message, its header complete in the first 200 bytes.
fn five_thousand_bytes(nl: &str) -> Vec<u8> {
    let mut raw = format!("From: a@example.com{nl}Subject: long{nl}{nl}").into_bytes();
    let mut n = 0;
    while raw.len() < 5000 {
        raw.extend_from_slice(format!("line {n:05} of the body{nl}").as_bytes());
        n += 1;
    }
    raw.truncate(5000);
    raw
}

#[test]
fn filter_over_limit_passes_the_original_with_an_error_field() {
    let f = Fixtures::new();
    let config = f.file("small.toml", "[limits]\nmax_message_bytes = 200\n");
    for nl in ["\n", "\r\n"] {
        let input = five_thousand_bytes(nl);
        let r = run_stdin(&["--config", &config, "filter"], &input);
        r.expect_code(0);
        let header =
            format!("X-Lurescreen-Error: message is over the limit of 200 bytes; not scanned{nl}");
        assert!(
            r.stdout.starts_with(header.as_bytes()),
            "{}",
            preview(&r.stdout)
        );
        assert_same_bytes(
            &r.stdout[header.len()..],
            &input,
            "original after the error field",
        );
        assert!(r.stderr.contains("over the limit"), "{}", r.stderr);

        let r = run_stdin(&["--config", &config, "filter", "--fail-closed"], &input);
        r.expect_code(75);
        assert!(r.stdout.is_empty(), "{}", preview(&r.stdout));
    }
}

/// Issue 20, item 1: `max_message_bytes = u64::MAX` once passed validation and wrapped to 0 where
/// one was added to it, so `filter` wrote only its error field and exited 0: the body was lost.
/// Every numeric key is now range-checked at load time.
#[test]
fn out_of_range_numbers_are_refused_before_any_mail_is_read() {
    let f = Fixtures::new();
    let mail = b"From: a@b.example\nSubject: hi\n\nimportant body\n";
    for (key, toml) in [
        (
            "limits.max_message_bytes",
            "[limits]\nmax_message_bytes = 18446744073709551615\n",
        ),
        (
            "limits.max_message_bytes",
            "[limits]\nmax_message_bytes = 0\n",
        ),
        (
            "limits.max_header_bytes",
            "[limits]\nmax_header_bytes = 9223372036854775807\n",
        ),
        (
            "milter.max_connections",
            "[milter]\nmax_connections = 2305843009213693952\n",
        ),
        ("dns.max_lookups", "[dns]\nmax_lookups = 4294967296\n"),
    ] {
        let config = f.file("big.toml", toml);
        let r = run(&["config", "check", &config]);
        r.expect_code(64);
        assert!(
            r.stderr.contains(key) && r.stderr.contains("out of range"),
            "{key}: {}",
            r.stderr
        );
        let r = run_stdin(&["--config", &config, "filter"], mail);
        r.expect_code(64);
        assert!(r.stderr.contains(key), "{key}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{key}: {}", preview(&r.stdout));
        let r = run(&["--config", &config, "milter", "--check"]);
        r.expect_code(64);
    }
    // The largest values in range still pass the mail through whole.
    let config = f.file(
        "max.toml",
        "[limits]\nmax_message_bytes = 1073741824\nmax_header_bytes = 16777216\n\
[milter]\nmax_body_bytes_in_flight = 1073741824\n",
    );
    let r = run_stdin(&["--config", &config, "filter"], mail);
    r.expect_code(0);
    assert!(
        r.stdout.ends_with(b"\n\nimportant body\n"),
        "{}",
        preview(&r.stdout)
    );
}

#[test]
fn filter_over_limit_removes_forged_fields_from_a_complete_header() {
    let f = Fixtures::new();
    let config = f.file("small.toml", "[limits]\nmax_message_bytes = 200\n");
    let forged = b"X-Lurescreen-Verdict: clean\n";
    let mut input = forged.to_vec();
    input.extend_from_slice(&five_thousand_bytes("\n"));
    let r = run_stdin(&["--config", &config, "filter"], &input);
    r.expect_code(0);
    let out = split_ours(&r.stdout);
    assert_eq!(out.ours.len(), 1, "{:?}", out.ours);
    assert!(out.field("X-Lurescreen-Error").is_some());
    assert_same_bytes(&out.rest, &input[forged.len()..], "forged field removed");
}

#[test]
fn filter_over_limit_removes_forged_fields_from_a_long_header() {
    let f = Fixtures::new();
    let config = f.file("small.toml", "[limits]\nmax_message_bytes = 200\n");
    let mut input = b"X-Lurescreen-Verdict: clean\n".to_vec();
    for i in 0..30 {
        input.extend_from_slice(format!("X-Pad-{i}: padding padding\n").as_bytes());
    }
    input.extend_from_slice(b"Subject: x\n\nbody\n");
    let r = run_stdin(&["--config", &config, "filter"], &input);
    r.expect_code(0);
    let out = split_ours(&r.stdout);
    assert!(out.field("X-Lurescreen-Error").is_some());
    assert!(
        out.field("X-Lurescreen-Verdict").is_none(),
        "forged verdict delivered: {}",
        preview(&r.stdout)
    );
}

#[test]
fn filter_that_runs_out_of_time_still_delivers_the_mail() {
    // With a 1 ms budget the filter gives up on the scan (after 2 ms) or the scan skips checks;
    // either way the message goes out intact.
    let f = Fixtures::new();
    let config = f.file("fast.toml", "[limits]\nscan_time_ms = 1\n");
    let mut input = b"From: a@example.com\nContent-Type: text/html\n\n".to_vec();
    for _ in 0..100_000 {
        input.extend_from_slice(b"<a href=x>y</a>");
    }
    let out = filter_ok(&["--config", &config], &input);
    assert_same_bytes(&out.rest, &input, "timed-out message");
    let error = out.field("X-Lurescreen-Error");
    let reasons = out.field("X-Lurescreen-Reasons").unwrap_or("");
    assert!(
        error.is_some_and(|e| e.contains("did not finish"))
            || reasons.contains("LIMIT_TIME_BUDGET"),
        "{:?}",
        out.ours
    );
}

// =============================================================================================
// filter: markup
// =============================================================================================

#[test]
fn subject_tag_in_japanese_is_an_encoded_word() {
    let f = Fixtures::new();
    let config = f.file("tag.toml", "[markup]\nsubject_tag = true\n");
    let r = run_stdin(
        &["--config", &config, "--lang", "ja", "filter"],
        SPOOF.as_bytes(),
    );
    r.expect_code(0);
    let out = split_ours(&r.stdout);
    assert_eq!(out.verdict(), "warn");
    let subject_line = out
        .rest
        .split(|&b| b == b'\n')
        .find(|l| l.starts_with(b"Subject:"))
        .expect("a Subject line");
    assert!(subject_line.is_ascii(), "{}", preview(subject_line));
    assert!(
        subject_line.windows(2).any(|w| w == b"=?"),
        "{}",
        preview(subject_line)
    );
    assert_eq!(
        parse_mail(&r.stdout).subject(),
        Some("[要注意] account check")
    );
    // Only the Subject line changed.
    let expected = SPOOF.replace(
        "Subject: account check",
        std::str::from_utf8(subject_line).unwrap(),
    );
    assert_same_bytes(&out.rest, expected.as_bytes(), "only the subject changes");

    let r = run_stdin(
        &["--config", &config, "--lang", "en", "filter"],
        SPOOF.as_bytes(),
    );
    assert_eq!(
        parse_mail(&r.stdout).subject(),
        Some("[SUSPICIOUS] account check")
    );
}

#[test]
fn subject_tag_on_an_encoded_japanese_subject() {
    let f = Fixtures::new();
    let config = f.file("tag.toml", "[markup]\nsubject_tag = true\n");
    let input = SPOOF.replace("account check", "=?ISO-2022-JP?B?GyRCQEE1YT1xGyhC?=");
    let r = run_stdin(
        &["--config", &config, "--lang", "ja", "filter"],
        input.as_bytes(),
    );
    r.expect_code(0);
    assert_eq!(parse_mail(&r.stdout).subject(), Some("[要注意] 請求書"));
}

#[test]
fn banner_is_added_to_a_text_plain_body() {
    let f = Fixtures::new();
    let config = f.file(
        "markup.toml",
        "[markup]\nsubject_tag = true\nbanner = true\n",
    );
    let head = "From: \"support@bank.example.com\" <x@evil-example.net>\n\
                Subject: account check\n\
                MIME-Version: 1.0\n\
                Content-Type: text/plain; charset=utf-8\n\
                Content-Transfer-Encoding: 8bit\n\n";
    let body = "Please confirm your account.\n";
    let input = format!("{head}{body}");
    for (lang, start) in [("en", "WARNING: lurescreen"), ("ja", "【注意】")] {
        let r = run_stdin(
            &["--config", &config, "--lang", lang, "filter"],
            input.as_bytes(),
        );
        r.expect_code(0);
        let out = split_ours(&r.stdout);
        assert!(out.field("X-Lurescreen-Banner").is_none(), "{:?}", out.ours);
        let parsed = parse_mail(&r.stdout);
        let text = parsed.body_text(0).expect("a text body");
        assert!(text.starts_with(start), "{lang}: {text}");
        assert!(text.ends_with(body), "{lang}: {text}");
        // The reasons are listed, with the addresses defanged.
        assert!(text.contains("x@evil-example[.]net"), "{lang}: {text}");
        assert!(r.stdout.ends_with(body.as_bytes()));
    }
    // A 7bit ASCII body keeps 7bit: the Japanese banner falls back to English there.
    let ascii = input
        .replace("charset=utf-8", "charset=us-ascii")
        .replace("8bit", "7bit");
    let r = run_stdin(
        &["--config", &config, "--lang", "ja", "filter"],
        ascii.as_bytes(),
    );
    let parsed = parse_mail(&r.stdout);
    assert!(
        parsed
            .body_text(0)
            .unwrap()
            .starts_with("WARNING: lurescreen")
    );
    assert_eq!(parsed.subject(), Some("[要注意] account check"));
}

#[test]
fn banner_that_cannot_be_added_is_noted_in_a_header() {
    let f = Fixtures::new();
    let config = f.file("banner.toml", "[markup]\nbanner = true\n");
    let signed = "From: \"support@bank.example.com\" <x@evil-example.net>\n\
                  Subject: signed\n\
                  MIME-Version: 1.0\n\
                  Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=\"s\"\n\
                  \n\
                  --s\n\
                  Content-Type: text/plain\n\
                  \n\
                  signed text\n\
                  --s\n\
                  Content-Type: application/pgp-signature\n\
                  \n\
                  -----BEGIN PGP SIGNATURE-----\n\
                  x\n\
                  -----END PGP SIGNATURE-----\n\
                  --s--\n";
    let headers_only =
        "From: \"support@bank.example.com\" <x@evil-example.net>\nSubject: no body\n";
    for (input, note) in [(signed, "signed"), (headers_only, "no text part")] {
        let out = filter_ok(&["--config", &config], input.as_bytes());
        assert_eq!(out.verdict(), "warn");
        let banner = out.field("X-Lurescreen-Banner").expect("banner note");
        assert!(banner.starts_with("not added"), "{banner}");
        assert!(banner.contains(note), "{banner}");
        assert_same_bytes(&out.rest, input.as_bytes(), note);
    }
}

#[test]
fn markup_leaves_clean_and_below_threshold_mail_alone() {
    let f = Fixtures::new();
    let all = f.file("all.toml", "[markup]\nsubject_tag = true\nbanner = true\n");
    let input = crlf(CLEAN);
    for lang in ["en", "ja"] {
        let out = filter_ok(&["--config", &all, "--lang", lang], &input);
        assert_eq!(out.verdict(), "clean");
        assert_eq!(out.ours.len(), 3, "{:?}", out.ours);
        assert_same_bytes(&out.rest, &input, "clean message with markup on");
    }
    // A warn message under `min_verdict = "quarantine"` is not marked either.
    let high = f.file(
        "high.toml",
        "[markup]\nsubject_tag = true\nbanner = true\nmin_verdict = \"quarantine\"\n",
    );
    let out = filter_ok(&["--config", &high], SPOOF.as_bytes());
    assert_eq!(out.verdict(), "warn");
    assert_same_bytes(&out.rest, SPOOF.as_bytes(), "warn below min_verdict");
}

// =============================================================================================
// rules and config check
// =============================================================================================

#[test]
fn rules_lists_every_rule() {
    let r = run(&["rules", "--format", "json"]);
    r.expect_code(0);
    let rules: Value = serde_json::from_slice(&r.stdout).expect("one JSON array");
    let rules = rules.as_array().expect("array");
    assert!(!rules.is_empty());
    let mut ids = Vec::new();
    for rule in rules {
        let id = rule["id"].as_str().expect("id");
        assert!(
            id.contains('_')
                && id
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "{id}"
        );
        assert!(rule["score"].as_f64().expect("score").is_finite(), "{rule}");
        assert!(!rule["reason_en"].as_str().expect("reason_en").is_empty());
        assert!(
            has_japanese(rule["reason_ja"].as_str().expect("reason_ja")),
            "{rule}"
        );
        ids.push(id.to_string());
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "ids unique and ordered");
    // Every rule the scan tests rely on exists.
    for rule in MANY_FINDINGS_RULES
        .iter()
        .chain(&["HEADER_NONE", "LIMIT_TIME_BUDGET"])
    {
        assert!(ids.iter().any(|i| i == rule), "{rule}");
    }

    // The text listing has one line per rule, starting with its id.
    for (lang, japanese) in [("en", false), ("ja", true)] {
        let r = run(&["--lang", lang, "rules"]);
        r.expect_code(0);
        let out = r.stdout();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), ids.len(), "{out}");
        for (line, id) in lines.iter().zip(&ids) {
            assert_eq!(line.split_whitespace().next(), Some(id.as_str()), "{line}");
        }
        assert_eq!(has_japanese(&out), japanese, "{out}");
    }
}

#[test]
fn config_check_prints_the_effective_config() {
    let f = Fixtures::new();
    let path = f.file(
        "good.toml",
        "lang = \"ja\"\n[thresholds]\nwarn = 3.5\nreject = 12.0\n[markup]\nbanner = true\n",
    );
    let r = run(&["config", "check", &path]);
    r.expect_code(0);
    let out = r.stdout();
    assert!(out.starts_with(&format!("# {path}: valid\n")), "{out}");
    let table: toml::Table = toml::from_str(&out).expect("printed config is TOML");
    let t = table["thresholds"].as_table().expect("[thresholds]");
    assert_eq!(t["warn"].as_float(), Some(3.5));
    assert_eq!(t["quarantine"].as_float(), Some(8.0));
    assert_eq!(t["reject"].as_float(), Some(12.0));
    assert_eq!(table["lang"].as_str(), Some("ja"));
    assert_eq!(table["markup"]["banner"].as_bool(), Some(true));
    assert_eq!(
        table["limits"]["max_message_bytes"].as_integer(),
        Some(64 * 1024 * 1024)
    );

    // The same through --config, and the built-in defaults without any file.
    let r = run(&["--config", &path, "config", "check"]);
    r.expect_code(0);
    assert_eq!(r.stdout(), out);
    let r = run(&["config", "check"]);
    r.expect_code(0);
    let defaults: toml::Table = toml::from_str(&r.stdout()).expect("TOML");
    assert_eq!(defaults["thresholds"]["warn"].as_float(), Some(4.0));
    assert!(defaults["thresholds"].get("reject").is_none());
    // What config check prints is itself a valid config file.
    let again = f.file("again.toml", &out);
    run(&["config", "check", &again]).expect_code(0);
}

#[test]
fn dns_flag_turns_the_dns_stage_on() {
    let f = Fixtures::new();
    // A resolver that only listens: any query the stage sends lands here.
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_nonblocking(true).unwrap();
    let config = f.file(
        "dns.toml",
        format!(
            "[dns]\nservers = [\"{}\"]\ntimeout_ms = 100\nbudget_ms = 200\n",
            sock.local_addr().unwrap()
        ),
    );
    let mail = f.file("m.eml", "From: a@missing-sender.com\nSubject: s\n\nx\n");
    let mut buf = [0u8; 512];
    // Off in the config and no flag: nothing is asked.
    run(&["--config", &config, "scan", &mail]).expect_code(0);
    assert!(sock.recv_from(&mut buf).is_err(), "a query was sent");
    // The flag turns it on.
    run(&["--config", &config, "--dns", "scan", &mail]);
    sock.set_nonblocking(false).unwrap();
    sock.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    assert!(sock.recv_from(&mut buf).is_ok(), "no query with --dns");
    // config check shows the effective setting.
    let r = run(&["--dns", "config", "check"]);
    r.expect_code(0);
    let table: toml::Table = toml::from_str(&r.stdout()).expect("TOML");
    assert_eq!(table["dns"]["enabled"].as_bool(), Some(true));
}

#[test]
fn config_check_rejects_invalid_files() {
    let f = Fixtures::new();
    let path = f.file("bad.toml", "[thresholds]\nwran = 1\n");
    let r = run(&["config", "check", &path]);
    r.expect_code(64);
    assert!(r.stderr.contains(&path), "{}", r.stderr);
    assert!(r.stderr.contains("wran"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    for (name, text, needle) in [
        ("section.toml", "[tresholds]\nwarn = 1\n", "tresholds"),
        ("syntax.toml", "[thresholds\n", "syntax.toml"),
        ("lang.toml", "lang = \"fr\"\n", "fr"),
        (
            "zero.toml",
            "[limits]\nmax_message_bytes = 0\n",
            "max_message_bytes",
        ),
        ("reject.toml", "[thresholds]\nreject = 5.0\n", "reject"),
        (
            "verdict.toml",
            "[markup]\nmin_verdict = \"clean\"\n",
            "min_verdict",
        ),
    ] {
        let path = f.file(name, text);
        let r = run(&["config", "check", &path]);
        r.expect_code(64);
        assert!(r.stderr.contains(&path), "{name}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{name}: {}", r.stderr);
    }
    let missing = f.missing("missing.toml");
    let r = run(&["config", "check", &missing]);
    r.expect_code(64);
    assert!(r.stderr.contains(&missing), "{}", r.stderr);
}

// =============================================================================================
// hostile inputs: never a panic, never a crash
// =============================================================================================

/// Scans `input` from a file: exit 0–3, no crash, a JSON report. Returns the report.
#[track_caller]
fn scan_survives(name: &str, input: &[u8]) -> Value {
    let f = Fixtures::new();
    let path = f.file("hostile.eml", input);
    let started = Instant::now();
    let scan = run(&["scan", "--format", "json", &path]);
    scan.expect_no_crash();
    assert!(
        matches!(scan.code, Some(0..=3)),
        "{name}: scan exit {:?}: {}",
        scan.code,
        scan.stderr
    );
    let report = scan.json_lines().remove(0);
    check_report_schema(&report);
    eprintln!(
        "{name}: {} bytes, scan {:?}",
        input.len(),
        started.elapsed()
    );
    report
}

/// Filters `input`: exit 0, no crash, the input unchanged behind a verdict.
#[track_caller]
fn filter_survives(name: &str, input: &[u8]) -> Filtered {
    let started = Instant::now();
    let out = filter_ok(&[], input);
    assert!(
        out.field("X-Lurescreen-Verdict").is_some(),
        "{name}: {:?}",
        out.ours
    );
    assert_same_bytes(&out.rest, input, name);
    eprintln!(
        "{name}: {} bytes, filter {:?}",
        input.len(),
        started.elapsed()
    );
    out
}

/// The first finding of `rule` in a JSON report.
#[track_caller]
fn finding<'a>(report: &'a Value, rule: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {report}"))
}

fn rules_of(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

fn random_megabyte() -> Vec<u8> {
    random_bytes(1 << 20, 0x2545_f491_4f6c_dd1d)
}

#[test]
fn hostile_random_megabyte_scan() {
    let report = scan_survives("1 MB random", &random_megabyte());
    assert!(rules_of(&report).contains(&"HEADER_NONE".to_string()));
}

#[test]
fn hostile_random_megabyte_filter() {
    filter_survives("1 MB random", &random_megabyte());
}

#[test]
fn filter_handles_non_ascii_header_names() {
    // 15-byte field name: byte 13 is inside the fifth character.
    let input = format!("X-Lurescreen-Verdict: clean\nあああああ: x\n{EXE_ATTACHMENT}");
    let r = run_stdin(&["filter"], input.as_bytes());
    r.expect_no_crash().expect_code(0);
    let out = split_ours(&r.stdout);
    assert_eq!(out.field("X-Lurescreen-Error"), None, "{:?}", out.ours);
    assert_eq!(out.verdict(), "quarantine");
    let expected = input.replace("X-Lurescreen-Verdict: clean\n", "");
    assert_same_bytes(&out.rest, expected.as_bytes(), "non-ASCII field name");
}

#[test]
fn filter_handles_short_non_ascii_header_names() {
    // Names whose multi-byte characters do not straddle byte 13 are fine.
    let input = format!("件名: x\nX-\u{e9}t\u{e9}: y\n{SPOOF}");
    let out = filter_ok(&[], input.as_bytes());
    assert_eq!(out.verdict(), "warn");
    assert_same_bytes(&out.rest, input.as_bytes(), "short non-ASCII field names");
}

#[test]
fn hostile_ten_thousand_nested_multiparts_scan() {
    let report = scan_survives("10,000 nested multiparts", &nested_multiparts(10_000));
    assert!(rules_of(&report).contains(&"LIMIT_PARTS".to_string()));
}

#[test]
fn hostile_ten_thousand_nested_multiparts_filter() {
    // `filter` scans on a thread with a large stack; the scan-side check is the ignored test above.
    let out = filter_survives("10,000 nested multiparts", &nested_multiparts(10_000));
    assert!(
        out.field("X-Lurescreen-Reasons")
            .unwrap()
            .contains("LIMIT_PARTS"),
        "{:?}",
        out.ours
    );
}

#[test]
fn hostile_very_deep_multiparts_filter() {
    filter_survives("300,000 nested multiparts", &nested_multiparts(300_000));
}

#[test]
fn hostile_ten_thousand_sibling_parts() {
    let mut input = b"From: a@example.com\nContent-Type: multipart/mixed; boundary=x\n\n".to_vec();
    for i in 0..10_000 {
        input.extend_from_slice(format!("--x\nContent-Type: text/plain\n\npart {i}\n").as_bytes());
    }
    input.extend_from_slice(b"--x--\n");
    let report = scan_survives("10,000 sibling parts", &input);
    let limit = finding(&report, "LIMIT_PARTS");
    assert_eq!(limit["evidence"]["count"], "10001");
    assert_eq!(limit["evidence"]["limit"], "1000");
    filter_survives("10,000 sibling parts", &input);
}

#[test]
fn hostile_fifty_thousand_header_lines() {
    let mut input = Vec::new();
    for i in 0..50_000 {
        input.extend_from_slice(format!("X-Header-{i}: value {i}\n").as_bytes());
    }
    input.extend_from_slice(b"Subject: many headers\n\nbody\n");
    let report = scan_survives("50,000 header lines", &input);
    assert_eq!(report["subject"], "many headers");
    // Over limits.max_header_fields (LIMIT_HEADER, 1.0) with no From (HEADER_FROM_MISSING,
    // 2.5): both context, 3.5 in all, under warn.
    let limit = finding(&report, "LIMIT_HEADER");
    assert!(
        limit["evidence"]["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("50001 fields")),
        "{limit}"
    );
    assert!(finding(&report, "HEADER_FROM_MISSING").is_object());
    assert_eq!(report["score"], 3.5);
    assert_eq!(report["verdict"], "clean");
    filter_survives("50,000 header lines", &input);
}

#[test]
fn hostile_twenty_thousand_nested_rfc822() {
    let mut input = Vec::new();
    for _ in 0..20_000 {
        input.extend_from_slice(b"Content-Type: message/rfc822\n\n");
    }
    input.extend_from_slice(b"Subject: inner\n\nbody\n");
    let report = scan_survives("20,000-deep message/rfc822", &input);
    let limit = finding(&report, "LIMIT_NESTED_MESSAGES");
    assert_eq!(limit["evidence"]["count"], "20000");
    assert_eq!(limit["evidence"]["limit"], "32");
    let out = filter_survives("20,000-deep message/rfc822", &input);
    assert!(
        out.field("X-Lurescreen-Reasons")
            .unwrap()
            .contains("LIMIT_NESTED_MESSAGES")
    );
}

#[test]
fn hostile_hundred_megabyte_message() {
    const SIZE: usize = 100 * 1024 * 1024;
    let started = Instant::now();
    let mut input = b"Subject: big\n\n".to_vec();
    input.extend_from_slice(&b"a\n".repeat(SIZE / 2));
    let input = Arc::new(input);
    let f = Fixtures::new();
    let path = f.file("big.eml", input.as_slice());

    // scan: not scanned, exit 65, and says why.
    let r = run(&["scan", &path]);
    r.expect_no_crash().expect_code(65);
    assert!(r.stderr.contains(&path), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{} bytes", input.len()))
            && r.stderr.contains("over the limit of 67108864 bytes"),
        "{}",
        r.stderr
    );
    let scanned = started.elapsed();

    // filter on stdin: the whole message, unchanged, behind the error field.
    let r = run_stdin_shared(&["filter"], Arc::clone(&input));
    r.expect_no_crash().expect_code(0);
    let header = b"X-Lurescreen-Error: message is over the limit of 67108864 bytes; not scanned\n";
    assert!(r.stdout.starts_with(header), "{}", preview(&r.stdout));
    assert_eq!(r.stdout.len(), header.len() + input.len());
    let tail = 1 << 20;
    assert_same_bytes(
        &r.stdout[r.stdout.len() - tail..],
        &input[input.len() - tail..],
        "last MiB",
    );
    assert_same_bytes(&r.stdout[header.len()..], &input, "whole message");
    eprintln!(
        "100 MB: scan {scanned:?}, scan+filter {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// `scan --attachment`: bare files analysed as the one attachment of a message
// ---------------------------------------------------------------------------------------------

/// A small valid PE32+ console program for x86-64.
fn tiny_pe64() -> Vec<u8> {
    let mut d = vec![0u8; 0x400];
    let mut put = |at: usize, bytes: &[u8]| d[at..at + bytes.len()].copy_from_slice(bytes);
    put(0, b"MZ");
    put(0x3C, &0x80u32.to_le_bytes());
    put(0x80, b"PE\0\0");
    put(0x84, &0x8664u16.to_le_bytes());
    put(0x86, &1u16.to_le_bytes());
    put(0x94, &240u16.to_le_bytes());
    put(0x96, &0x0022u16.to_le_bytes());
    put(0x98, &0x20bu16.to_le_bytes());
    put(0x98 + 32, &0x1000u32.to_le_bytes());
    put(0x98 + 36, &0x200u32.to_le_bytes());
    put(0x98 + 68, &3u16.to_le_bytes());
    put(0x98 + 108, &16u32.to_le_bytes());
    let sect = 0x98 + 240;
    put(sect, b".text");
    put(sect + 16, &0x200u32.to_le_bytes());
    put(sect + 20, &0x200u32.to_le_bytes());
    d
}

#[test]
fn scan_attachment_reports_a_renamed_program_like_an_attached_one() {
    let f = Fixtures::new();
    let path = f.file("見積書.pdf", tiny_pe64());
    let r = run(&["scan", "--attachment", "--format", "json", &path]);
    r.expect_no_crash().expect_code(2);
    let v = &r.json_lines()[0];
    check_report_schema(v);
    assert_eq!(v["source"], path.as_str());
    assert_eq!(v["verdict"], "quarantine");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["ATTACH_DISGUISED_EXECUTABLE", "EXE_PROGRAM"]);
    let exe = &v["findings"][1];
    assert_eq!(exe["location"], "見積書.pdf");
    assert_eq!(
        exe["evidence"]["what"],
        "PE32+ Windows console program, x86-64"
    );

    // The same bytes mailed as an attachment give the same findings.
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(tiny_pe64())
    };
    let mail = format!(
        "From: a@example.co.jp\nSubject: quote\nContent-Type: multipart/mixed; boundary=b\n\n\
--b\nContent-Type: text/plain\n\nsee attached\n--b\nContent-Type: application/octet-stream\n\
Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf\n\n{b64}\n--b--\n"
    );
    let m = run(&["scan", "--format", "json", &f.file("quote.eml", mail)]);
    m.expect_code(2);
    let mv = &m.json_lines()[0];
    assert_eq!(mv["score"], v["score"]);
    assert_eq!(mv["findings"][1]["evidence"], exe["evidence"]);
}

#[test]
fn scan_attachment_text_and_headers_formats_and_exit_codes() {
    let f = Fixtures::new();
    let clean = f.file(
        "minutes.txt",
        "Minutes of the meeting: nothing to report.\n",
    );
    let script = f.file(
        "readme.txt",
        "Dim sh\r\nSet sh = CreateObject(\"WScript.Shell\")\r\nsh.Run \"calc\"\r\n",
    );
    let r = run(&["scan", "--attachment", &clean]);
    r.expect_code(0);
    assert!(r.stdout().contains(": CLEAN (score 0.0;"), "{}", r.stdout());
    // Several files: one report each, the exit code is the worst verdict.
    let r = run(&["scan", "--attachment", &clean, &script]);
    r.expect_code(2);
    let out = r.stdout();
    assert!(
        out.contains("EXE_SCRIPT") && out.contains("[readme.txt]"),
        "{out}"
    );
    assert!(
        out.contains("is a VBScript (found: CreateObject, WScript.Shell)"),
        "{out}"
    );
    let r = run(&["scan", "--attachment", "--format", "headers", &script]);
    r.expect_code(2);
    assert!(
        r.stdout().contains("X-Lurescreen-Verdict: quarantine"),
        "{}",
        r.stdout()
    );
    // Japanese reasons work the same.
    let r = run(&["--lang", "ja", "scan", "--attachment", &script]);
    assert!(has_japanese(&r.stdout()), "{}", r.stdout());
}

#[test]
fn scan_attachment_errors_use_the_usual_codes() {
    let f = Fixtures::new();
    let empty = f.file("empty.bin", b"");
    run(&["scan", "--attachment", &empty]).expect_code(65);
    run(&["scan", "--attachment", &f.missing("nope.pdf")]).expect_code(74);
    // Stdin as a bare file.
    let r = run_stdin(&["scan", "--attachment", "-"], &tiny_pe64());
    r.expect_code(2);
    assert!(r.stdout().contains("[stdin]"), "{}", r.stdout());
}

#[test]
fn known_bad_hashes_and_patterns_from_the_config_are_loaded_relative_to_it() {
    let f = Fixtures::new();
    let sample = b"a file our CSIRT has seen before\n";
    let sha256 = {
        use sha2::Digest as _;
        sha2::Sha256::digest(sample)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    f.file(
        "local.txt",
        format!("# ours\nsha256:{sha256}  CSIRT-2026-042\n"),
    );
    f.file("local.ndb", "Local.Marker:0:*:4353495254{-10}7365656e\n");
    let config = f.file(
        "lurescreen.toml",
        "[iocs]\nfiles = [\"local.txt\", \"local.ndb\"]\n",
    );
    let file = f.file("notes.txt", sample);
    let r = run(&[
        "--config",
        &config,
        "scan",
        "--attachment",
        "--format",
        "json",
        &file,
    ]);
    r.expect_code(2);
    let v = &r.json_lines()[0];
    let iocs: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "ATTACH_KNOWN_BAD")
        .map(|f| f["evidence"]["ioc"].as_str().unwrap())
        .collect();
    assert_eq!(iocs, ["CSIRT-2026-042", "Local.Marker"]);
    // Without the config the file is clean.
    run(&["scan", "--attachment", &file]).expect_code(0);

    // A broken IOC file stops the program with its name and line.
    f.file("bad.ndb", "# header\nBad:0:*:41(42|43)4445\n");
    let bad = f.file("bad.toml", "[iocs]\nfiles = [\"bad.ndb\"]\n");
    let r = run(&["--config", &bad, "scan", "--attachment", &file]);
    r.expect_code(64);
    assert!(
        r.stderr.contains("bad.ndb, line 2") && r.stderr.contains("not supported"),
        "{}",
        r.stderr
    );
    let missing = f.file("missing.toml", "[iocs]\nfiles = [\"nowhere.txt\"]\n");
    let r = run(&["--config", &missing, "scan", &file]);
    r.expect_code(64);
    assert!(r.stderr.contains("nowhere.txt"), "{}", r.stderr);
}

/// An Outlook item (MS-OXMSG: a compound file of MAPI property streams) with this subject and
/// body and these attachments, written with the `cfb` crate.
fn outlook_msg(subject: &str, body: &str, attachments: &[(&str, &[u8])]) -> Vec<u8> {
    outlook_msg_from(None, subject, body, attachments)
}

/// An Outlook item as Outlook saves it; `sender` (display name, SMTP address) as the
/// PR_SENT_REPRESENTING_* properties of a received item.
fn outlook_msg_from(
    sender: Option<(&str, &str)>,
    subject: &str,
    body: &str,
    attachments: &[(&str, &[u8])],
) -> Vec<u8> {
    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    let put = |cf: &mut cfb::CompoundFile<_>, path: &str, data: &[u8]| {
        cf.create_stream(path).unwrap().write_all(data).unwrap();
    };
    // The fixed-size properties: PR_CLIENT_SUBMIT_TIME, 2026-12-04 01:00 UTC as a FILETIME.
    let mut props = vec![0u8; 32];
    props.extend_from_slice(&0x0039_0040u32.to_le_bytes());
    props.extend_from_slice(&[0u8; 4]);
    props.extend_from_slice(&((1_796_346_000u64 + 11_644_473_600) * 10_000_000).to_le_bytes());
    put(&mut cf, "/__properties_version1.0", &props);
    if let Some((name, address)) = sender {
        put(&mut cf, "/__substg1.0_0042001F", &utf16(name));
        put(&mut cf, "/__substg1.0_5D02001F", &utf16(address));
    }
    put(&mut cf, "/__substg1.0_0037001F", &utf16(subject));
    put(&mut cf, "/__substg1.0_1000001F", &utf16(body));
    for (i, (name, data)) in attachments.iter().enumerate() {
        let dir = format!("/__attach_version1.0_#{i:08X}");
        cf.create_storage(&dir).unwrap();
        put(
            &mut cf,
            &format!("{dir}/__properties_version1.0"),
            &[0u8; 8],
        );
        put(
            &mut cf,
            &format!("{dir}/__substg1.0_3707001F"),
            &utf16(name),
        );
        put(&mut cf, &format!("{dir}/__substg1.0_37010102"), data);
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

/// Issue 21: a program inside an Outlook item attached to a mail (Outlook's "forward as
/// attachment") scanned CLEAN, score 0.0; the item is opened and its attachment judged.
#[test]
fn a_program_inside_an_attached_outlook_item_is_quarantined() {
    use base64::Engine as _;
    let f = Fixtures::new();
    let msg = outlook_msg(
        "請求書送付のご案内",
        "請求書を添付いたします。ご確認ください。",
        &[("請求書.pdf.exe", &tiny_pe64())],
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(&msg);
    let mail = format!(
        "From: =?UTF-8?B?5qCq5byP5Lya56S+44Ki44Kv44Oh?= <akme.keiri@gmail.com>\n\
To: staff@example.co.jp\nSubject: FW: invoice\nDate: Fri, 4 Dec 2026 10:00:00 +0900\n\
Message-ID: <fw1@gmail.com>\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=b\n\n\
--b\nContent-Type: text/plain; charset=utf-8\n\nsee the forwarded message\n\
--b\nContent-Type: application/vnd.ms-outlook; name=\"FW.msg\"\n\
Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"FW.msg\"\n\n\
{b64}\n--b--\n"
    );
    let r = run(&["scan", "--format", "json", &f.file("fw.eml", mail)]);
    r.expect_no_crash().expect_code(2);
    let v = &r.json_lines()[0];
    assert_eq!(v["verdict"], "quarantine", "{v}");
    let inner: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["location"].as_str().unwrap()))
        .filter(|(_, loc)| *loc == "2/FW.msg!/請求書.pdf.exe")
        .collect();
    for rule in ["ATTACH_DANGEROUS_EXTENSION", "ATTACH_DOUBLE_EXTENSION"] {
        assert!(inner.iter().any(|(r, _)| *r == rule), "{rule}: {v}");
    }

    // The item on its own, as staff would save it from Outlook.
    let r = run(&["scan", "--attachment", &f.file("FW.msg", &msg)]);
    r.expect_no_crash().expect_code(2);
    assert!(r.stdout().contains("請求書.pdf.exe"), "{}", r.stdout());
}

/// Issue 21: the body of an attached Outlook item is read as an attached message's body is:
/// its links and words count (here a link to a bare IP address).
#[test]
fn the_body_of_an_attached_outlook_item_is_read_as_message_text() {
    use base64::Engine as _;
    let f = Fixtures::new();
    let msg = outlook_msg(
        "Password expiry",
        "Your password expires today. Keep it at http://198.51.100.7/owa/login",
        &[],
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(&msg);
    let mail = format!(
        "From: Help Desk <help@client.example.net>\nTo: staff@example.co.jp\nSubject: FW: expiry\n\
Date: Fri, 4 Dec 2026 10:00:00 +0900\nMessage-ID: <fw2@client.example.net>\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=b\n\n\
--b\nContent-Type: text/plain; charset=utf-8\n\nsee below\n\
--b\nContent-Type: application/vnd.ms-outlook; name=\"FW.msg\"\n\
Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"FW.msg\"\n\n\
{b64}\n--b--\n"
    );
    let r = run(&["scan", "--format", "json", &f.file("fw2.eml", mail)]);
    r.expect_no_crash();
    let v = &r.json_lines()[0];
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "LINK_IP_HOST"
                && f["location"]
                    .as_str()
                    .unwrap()
                    .ends_with("2/FW.msg!/message.txt")),
        "{v}"
    );
}

/// Issue 21: staff save a suspicious mail from Outlook as .msg and hand it to IT; `scan` and
/// `explain` read it as the message it stands for (sender, date, body, attachments).
#[test]
fn a_saved_outlook_item_is_scanned_and_explained_as_a_message() {
    let f = Fixtures::new();
    let msg = outlook_msg_from(
        Some(("株式会社アクメ 経理部", "akme.keiri@gmail.com")),
        "請求書送付のご案内",
        "請求書を添付いたします。ご確認ください。",
        &[("請求書.pdf.exe", &tiny_pe64())],
    );
    let path = f.file("saved.msg", &msg);
    let r = run(&["scan", "--format", "json", &path]);
    r.expect_no_crash().expect_code(2);
    let v = &r.json_lines()[0];
    assert_eq!(v["verdict"], "quarantine", "{v}");
    assert_eq!(v["subject"], "請求書送付のご案内", "{v}");
    assert!(
        v["from"].as_str().unwrap().contains("akme.keiri@gmail.com"),
        "{v}"
    );
    assert!(v["date"].as_str().unwrap().starts_with("2026-12-04"), "{v}");
    let rules: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    for rule in ["ATTACH_DOUBLE_EXTENSION", "SENDER_FREEMAIL_ORGANISATION"] {
        assert!(rules.contains(&rule), "{rule}: {v}");
    }
    let r = run(&["explain", "--lang", "ja", &path]);
    r.expect_no_crash();
    let out = r.stdout();
    assert!(
        out.contains("請求書.pdf.exe") && out.contains("akme.keiri@gmail.com"),
        "{out}"
    );
}

/// A winmail.dat (TNEF) with one attachment whose long name is in its MAPI properties, as
/// Exchange writes it (the 8.3 title says something else).
fn winmail_dat(long_name: &str, data: &[u8]) -> Vec<u8> {
    fn attr(out: &mut Vec<u8>, level: u8, id: u32, value: &[u8]) {
        out.push(level);
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(value.len() as u32).to_le_bytes());
        out.extend_from_slice(value);
        let sum = value
            .iter()
            .fold(0u16, |s, &b| s.wrapping_add(u16::from(b)));
        out.extend_from_slice(&sum.to_le_bytes());
    }
    let mut t = vec![0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00];
    attr(&mut t, 1, 0x0001_8004, b"invoice\0");
    attr(&mut t, 2, 0x0006_9002, &[0; 14]);
    attr(&mut t, 2, 0x0001_8010, b"INVOIC~1.EXE\0");
    attr(&mut t, 2, 0x0006_800F, data);
    let mut name: Vec<u8> = long_name
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    name.extend_from_slice(&[0, 0]);
    let mut props = 1u32.to_le_bytes().to_vec();
    props.extend_from_slice(&0x001Fu16.to_le_bytes());
    props.extend_from_slice(&0x3707u16.to_le_bytes());
    props.extend_from_slice(&1u32.to_le_bytes());
    props.extend_from_slice(&(name.len() as u32).to_le_bytes());
    props.extend_from_slice(&name);
    props.resize(props.len().div_ceil(4) * 4, 0);
    attr(&mut t, 2, 0x0006_9005, &props);
    t
}

/// Issue 21: a program inside an Exchange winmail.dat was unseen; it is listed under the
/// winmail.dat with its long name and judged like any attachment.
#[test]
fn a_program_inside_a_winmail_dat_is_quarantined() {
    use base64::Engine as _;
    let f = Fixtures::new();
    let tnef = winmail_dat("請求書.pdf.exe", &tiny_pe64());
    let b64 = base64::engine::general_purpose::STANDARD.encode(&tnef);
    let mail = format!(
        "From: Accounts <accounts@bills-example.com>\nTo: staff@example.co.jp\nSubject: invoice\n\
Date: Fri, 4 Dec 2026 10:00:00 +0900\nMessage-ID: <w1@bills-example.com>\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=b\n\n\
--b\nContent-Type: text/plain; charset=utf-8\n\nsee attached\n\
--b\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\n\
Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"winmail.dat\"\n\n\
{b64}\n--b--\n"
    );
    let r = run(&["scan", "--format", "json", &f.file("w.eml", mail)]);
    r.expect_no_crash().expect_code(2);
    let v = &r.json_lines()[0];
    assert_eq!(v["verdict"], "quarantine", "{v}");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "ATTACH_DOUBLE_EXTENSION"
                && f["location"] == "2/winmail.dat!/請求書.pdf.exe"),
        "{v}"
    );
}

/// Issue 21: an Outlook data file is walked folder by folder; one with no mail says so (the
/// store is Microsoft's empty one, see tests/outlook/README.md).
#[test]
fn an_outlook_data_file_is_read_and_an_empty_one_says_so() {
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/outlook/empty.pst");
    let r = run(&["scan", store.to_str().unwrap()]);
    r.expect_no_crash().expect_code(74);
    let why = &r.stderr;
    assert!(
        why.contains("no mail items found in this Outlook data file"),
        "{why}"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Issue 20 item 6: a signature directory that lacks rules the code emits (made before they
/// existed, or with rules deleted) must not turn their findings into +0.0: the built-in
/// definitions are used, and every check names them. A list file it lacks is taken the same way.
#[test]
fn a_signature_directory_missing_rules_uses_the_built_in_ones_and_says_so() {
    let f = Fixtures::new();
    let sigs = f.0.path().join("sigs");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("signatures"),
        &sigs,
    );
    std::fs::remove_file(sigs.join("rules/attachments.toml")).unwrap();
    std::fs::remove_file(sigs.join("rules/executables.toml")).unwrap();
    // A list added after the directory was made.
    std::fs::remove_file(sigs.join("lists/us_zip_zones.txt")).unwrap();
    let sigs = path_str(&sigs);
    let mail = f.file("exe.eml", EXE_ATTACHMENT);

    let full = run(&["scan", "--format", "json", &mail]);
    let partial = run(&["--signatures", &sigs, "scan", "--format", "json", &mail]);
    full.expect_code(2);
    partial.expect_code(2);
    let (a, b) = (&full.json_lines()[0], &partial.json_lines()[0]);
    assert_eq!(a["verdict"], b["verdict"]);
    assert_eq!(a["score"], b["score"], "scores differ: {b}");

    for args in [
        vec!["--signatures", sigs.as_str(), "milter", "--check"],
        vec!["--signatures", sigs.as_str(), "config", "check"],
    ] {
        let r = run(&args);
        r.expect_code(0);
        assert!(
            r.stderr.contains("built-in definitions of:")
                && r.stderr.contains("ATTACH_DOUBLE_EXTENSION")
                && r.stderr.contains("ATTACH_DANGEROUS_EXTENSION")
                && r.stderr
                    .contains("using the built-in ones: lists/us_zip_zones.txt"),
            "{args:?}: {}",
            r.stderr
        );
    }
    // The complete set needs nothing from the built-in one.
    let r = run(&[
        "--signatures",
        &path_str(&Path::new(env!("CARGO_MANIFEST_DIR")).join("signatures")),
        "milter",
        "--check",
    ]);
    r.expect_code(0);
    assert!(!r.stderr.contains("built-in definitions"), "{}", r.stderr);
}

/// Issue 19: lure wording is data (`signatures/wording/`); an expression in a signature
/// directory that does not compile stops `config check` and start-up with its file, section and
/// line named, never a panic while scanning.
#[test]
fn a_wording_expression_that_does_not_compile_is_named_at_load_time() {
    let f = Fixtures::new();
    let sigs = f.0.path().join("sigs");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("signatures"),
        &sigs,
    );
    std::fs::write(
        sigs.join("wording/fraud.txt"),
        "[loan_offer]\n# English\nwe offer loans\n[loan_rate]\n\\d%\n(?:interest (unclosed\n",
    )
    .unwrap();
    let sigs = path_str(&sigs);
    let mail = f.file(
        "m.eml",
        "From: a@b.example\nSubject: hi\n\nwe offer loans at 3% interest\n",
    );
    for args in [
        vec!["--signatures", sigs.as_str(), "config", "check"],
        vec!["--signatures", sigs.as_str(), "scan", mail.as_str()],
    ] {
        let r = run(&args);
        r.expect_code(64);
        assert!(
            r.stderr.contains("wording/fraud.txt")
                && r.stderr.contains("section `loan_rate`, line 6")
                && !r.stderr.contains("panic"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

/// Issue 20 item 7: configured text that goes into a header field or the SMTP reply cannot
/// carry a line break (a subject tag with CR/LF injected fields into filter's output).
#[test]
fn configured_header_text_with_line_breaks_is_refused() {
    let f = Fixtures::new();
    let mail = b"From: a@b.example\nSubject: hi\n\nimportant body\n";
    for (key, toml) in [
        (
            "markup.subject_tag_en",
            "[markup]\nsubject_tag_en = \"[X]\\r\\nBcc: victim@example.net\"\n",
        ),
        (
            "markup.subject_tag_ja",
            "[markup]\nsubject_tag_ja = \"[X]\\nX-Spam: no\"\n",
        ),
        (
            "milter.reject_text",
            "[milter]\nreject_text = \"no\\r\\n250 ok\"\n",
        ),
        (
            "markup.banner_en",
            "[markup]\nbanner_en = \"look\\u0000here\"\n",
        ),
    ] {
        let config = f.file("bad.toml", toml);
        let r = run(&["config", "check", &config]);
        r.expect_code(64);
        assert!(
            r.stderr.contains(key) && r.stderr.contains("control characters"),
            "{key}: {}",
            r.stderr
        );
        let r = run_stdin(&["--config", &config, "filter"], mail);
        r.expect_code(64);
        assert!(r.stdout.is_empty(), "{key}: {}", preview(&r.stdout));
        run(&["--config", &config, "milter", "--check"]).expect_code(64);
    }
    // A banner may have several lines.
    let config = f.file("ok.toml", "[markup]\nbanner_en = \"line one\\nline two\"\n");
    run(&["config", "check", &config]).expect_code(0);
}

/// Issue 20 item 9: a file name is attacker-chosen; a line break in it must not forge a verdict
/// line in `scan`'s text output (or its error lines, or batch's).
#[test]
fn file_names_with_line_breaks_cannot_forge_report_lines() {
    let f = Fixtures::new();
    let name = "x.eml: CLEAN (score 0.0; warn at 5.0)\nreal";
    let mail = f.file(name, EXE_ATTACHMENT);
    let r = run(&["scan", &mail]);
    r.expect_code(2);
    let out = r.stdout();
    let verdict_lines: Vec<&str> = out.lines().filter(|l| l.contains("(score")).collect();
    assert!(
        verdict_lines.len() == 1 && verdict_lines[0].ends_with("reject=off)"),
        "a forged line: {out}"
    );
    assert!(!out.lines().any(|l| l.starts_with("real")), "{out}");
    assert!(
        out.contains("CLEAN (score 0.0; warn at 5.0)<U+000A>real: QUARANTINE"),
        "{out}"
    );
    // An unreadable input's error line, and the batch scan of the folder.
    let empty = f.file("y.eml: CLEAN\nz", b"");
    let r = run(&["scan", &empty]);
    assert!(
        !r.stderr.lines().any(|l| l.starts_with("z")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("<U+000A>z"), "{}", r.stderr);
    let r = run(&["scan", &path_str(f.0.path())]);
    let out = r.stdout();
    assert!(
        !out.lines()
            .chain(r.stderr.lines())
            .any(|l| l.starts_with("real") || l.starts_with("z")),
        "{out}\n{}",
        r.stderr
    );
}
