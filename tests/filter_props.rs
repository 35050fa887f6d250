//! "No mail is lost" for the filter, as properties: for arbitrary bytes and for generated
//! message-like inputs, the output is the input plus our `X-Lurescreen-*` fields and nothing
//! else (the subject tag and banner aside, which only touch what they document).
//!
//! The removal of our fields is defined here, independently of `src/filter` (`strip_ours`):
//! line by line, a header line starting with `X-Lurescreen-` (any case) and holding a colon
//! starts one of ours, continuation lines (leading space or tab) follow the line before them,
//! the header ends at the first empty line.

use lurescreen::config::Markup;
use lurescreen::filter::banner::Outcome;
use lurescreen::filter::{annotate, pass_with_error, stream_with_error};
use lurescreen::{Config, Engine, Lang, Report, Signatures};
use proptest::prelude::*;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

const PREFIX: &[u8] = b"x-lurescreen-";

/// Lines with their `\n` (the last one may lack it).
fn lines(raw: &[u8]) -> Vec<&[u8]> {
    raw.split_inclusive(|&b| b == b'\n').collect()
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

fn is_continuation(line: &[u8]) -> bool {
    matches!(line.first(), Some(b' ' | b'\t'))
}

/// A header line that starts one of our fields.
fn starts_ours(line: &[u8]) -> bool {
    line.len() >= PREFIX.len()
        && line[..PREFIX.len()].eq_ignore_ascii_case(PREFIX)
        && line.contains(&b':')
}

/// A header line that starts a field named `name` (name as the filter reads it: up to the colon,
/// trailing whitespace removed).
fn starts_field(line: &[u8], name: &str) -> bool {
    !is_continuation(line)
        && line.iter().position(|&b| b == b':').is_some_and(|colon| {
            String::from_utf8_lossy(&line[..colon])
                .trim_end()
                .eq_ignore_ascii_case(name)
        })
}

/// What the oracle takes apart: header lines (with a flag "one of ours"), then the rest from
/// the empty line on (`None` if there is no empty line).
struct Parts<'a> {
    header: Vec<(&'a [u8], bool)>,
    body: Option<Vec<u8>>,
}

fn parts(raw: &[u8]) -> Parts<'_> {
    let all = lines(raw);
    let mut header = Vec::new();
    let mut dropping = false;
    for (i, line) in all.iter().enumerate() {
        if is_blank(line) {
            return Parts {
                header,
                body: Some(all[i..].concat()),
            };
        }
        if !is_continuation(line) {
            dropping = starts_ours(line);
        }
        header.push((*line, dropping));
    }
    Parts { header, body: None }
}

/// The message with every `X-Lurescreen-*` field removed from its header.
fn strip(raw: &[u8]) -> Vec<u8> {
    let p = parts(raw);
    let mut out: Vec<u8> = p
        .header
        .iter()
        .filter(|(_, ours)| !ours)
        .flat_map(|(l, _)| l.iter().copied())
        .collect();
    if let Some(body) = p.body {
        out.extend_from_slice(&body);
    }
    out
}

/// Our fields in `out`'s header, each as its lines; asserts they are one contiguous block of
/// well-formed header fields (printable ASCII, folded with a leading space, every line ended).
fn our_block(out: &[u8]) -> Vec<Vec<&[u8]>> {
    let p = parts(out);
    let flags: Vec<bool> = p.header.iter().map(|(_, o)| *o).collect();
    let first = flags.iter().position(|&o| o);
    let last = flags.iter().rposition(|&o| o);
    let mut fields: Vec<Vec<&[u8]>> = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        assert!(
            flags[first..=last].iter().all(|&o| o),
            "our fields are not one block: {}",
            show(out)
        );
        for (line, _) in &p.header[first..=last] {
            assert!(line.ends_with(b"\n"), "unended line {}", show(line));
            let content = line
                .strip_suffix(b"\r\n")
                .or_else(|| line.strip_suffix(b"\n"))
                .unwrap_or(line);
            assert!(
                content.iter().all(|&b| (0x20..0x7f).contains(&b)),
                "not printable ASCII: {}",
                show(line)
            );
            if is_continuation(line) {
                assert!(
                    !content.trim_ascii().is_empty(),
                    "empty continuation: {}",
                    show(out)
                );
                fields.last_mut().expect("a field first").push(line);
            } else {
                let colon = content.iter().position(|&b| b == b':').unwrap();
                let name = &content[..colon];
                assert!(
                    name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-'),
                    "bad field name {}",
                    show(name)
                );
                fields.push(vec![line]);
            }
        }
    }
    fields
}

/// The names of our fields in `out`, in order.
fn our_names(out: &[u8]) -> Vec<String> {
    our_block(out)
        .iter()
        .map(|f| {
            let line = String::from_utf8_lossy(f[0]);
            line.split(':').next().unwrap_or("").to_string()
        })
        .collect()
}

fn show(b: &[u8]) -> String {
    let s: String = b
        .iter()
        .take(600)
        .flat_map(|&c| c.escape_ascii())
        .map(char::from)
        .collect();
    format!("\"{s}\" ({} bytes)", b.len())
}

/// The one documented change besides our fields: a message that is nothing but an mbox `From `
/// line and/or continuation lines, with no line ending at its end, gets one before our fields
/// (they could go nowhere else without running on in that line or becoming its continuation).
fn added_line_ending(input: &[u8]) -> Option<&'static [u8]> {
    let all = lines(input);
    let leading = all
        .iter()
        .enumerate()
        .all(|(i, l)| is_continuation(l) || (i == 0 && l.starts_with(b"From ")));
    if all.is_empty() || !leading || input.ends_with(b"\n") {
        return None;
    }
    Some(if all[0].ends_with(b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    })
}

/// The input as the filter's output must be once our fields are removed from both.
fn expected(input: &[u8]) -> Vec<u8> {
    let mut want = strip(input);
    if let Some(nl) = added_line_ending(input) {
        want.extend_from_slice(nl);
    }
    want
}

/// The whole check for output that is the input plus our fields named `names`.
fn check_only_ours_added(input: &[u8], out: &[u8], names: &[&str]) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        show(&strip(out)),
        show(&expected(input)),
        "output without our fields differs from the input without them"
    );
    prop_assert_eq!(our_names(out), names.to_vec());
    // One header/body boundary where the input had one, and the same body after it.
    prop_assert_eq!(
        parts(out).body.map(|b| show(&b)),
        parts(&expected(input)).body.map(|b| show(&b))
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new(Config::default(), Signatures::embedded().unwrap()))
}

/// A report for clean mail and one that gets the subject tag and banner.
fn reports() -> &'static (Report, Report) {
    static R: OnceLock<(Report, Report)> = OnceLock::new();
    R.get_or_init(|| {
        let clean = engine()
            .scan(b"From: a@example.test\nSubject: hi\n\nhello\n")
            .unwrap();
        let lure = engine()
            .scan(b"From: \"info@bank.example\" <x@evil.example>\nSubject: hello\n\nbody\n")
            .unwrap();
        assert!(lure.verdict >= Markup::default().min_verdict);
        (clean, lure)
    })
}

fn ending() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![
        4 => Just(&b"\r\n"[..]),
        4 => Just(&b"\n"[..]),
        1 => Just(&b"\r"[..]),
    ]
}

fn field_name() -> impl Strategy<Value = Vec<u8>> {
    let fixed = prop::sample::select(vec![
        "From",
        "To",
        "Subject",
        "subject",
        "SUBJECT ",
        "Received",
        "X-Other",
        "X-Lurescreen-Verdict",
        "x-lurescreen-score",
        "X-LURESCREEN-Reasons",
        "X-LureScreen-Error",
        "X-Lurescreen-",
        "X-Lurescreen-Verdict\t",
        "X-Lurescreen",
        "X-Lure",
    ]);
    prop_oneof![
        8 => fixed.prop_map(|s| s.as_bytes().to_vec()),
        // Random case of our prefix, with some tail.
        2 => (prop::collection::vec(any::<bool>(), 13), "[A-Za-z]{0,6}").prop_map(|(up, tail)| {
            let mut name: Vec<u8> = PREFIX
                .iter()
                .zip(up)
                .map(|(&b, u)| if u { b.to_ascii_uppercase() } else { b })
                .collect();
            name.extend_from_slice(tail.as_bytes());
            name
        }),
        1 => prop::collection::vec(any::<u8>().prop_filter("no line end", |b| *b != b'\n' && *b != b':'), 1..12),
    ]
}

/// Bytes of a header value or body line: no `\n` (lines are made by `ending`).
fn value() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            &b"hello"[..],
            b" ",
            b"\t",
            b":",
            b"=?UTF-8?B?6KuL5rGC5pu4?=",
            b"=?ISO-2022-JP?B?GyRCQEE1YT1xGyhC?=",
            "請求書".as_bytes(),
            b"\x90\xbf\x8b\x81\x8f\x91",
            b"\xff\xfe",
            b"\0",
            b"X-Lurescreen-Verdict: clean",
        ])
        .prop_map(|b| b.to_vec()),
        1 => prop::collection::vec(any::<u8>().prop_filter("no LF", |b| *b != b'\n'), 0..10),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|v| v.concat())
}

/// One header line: a field with continuations, or (rarely) a line with no colon.
fn header_field() -> impl Strategy<Value = Vec<u8>> {
    let field = (
        field_name(),
        value(),
        ending(),
        prop::collection::vec(
            (
                prop::sample::select(vec![&b" "[..], b"\t", b"  "]),
                value(),
                ending(),
            ),
            0..3,
        ),
    )
        .prop_map(|(name, value, end, conts)| {
            let mut f = name;
            f.push(b':');
            f.extend_from_slice(&value);
            f.extend_from_slice(end);
            for (ws, v, e) in conts {
                f.extend_from_slice(ws);
                f.extend_from_slice(&v);
                f.extend_from_slice(e);
            }
            f
        });
    let junk = (value(), ending()).prop_map(|(v, e)| {
        let mut l: Vec<u8> = v.into_iter().filter(|&b| b != b':').collect();
        l.extend_from_slice(e);
        l
    });
    prop_oneof![12 => field, 1 => junk]
}

/// A message-like input: optional mbox `From ` line and orphan continuation lines, header
/// fields, an optional empty line and body, an optional final line ending.
fn message() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::option::weighted(0.1, ending()),
        prop::option::weighted(0.1, (value(), ending())),
        prop::collection::vec(header_field(), 0..8),
        prop::option::weighted(0.85, ending()),
        prop::collection::vec((value(), ending()), 0..6),
        any::<bool>(),
    )
        .prop_map(|(mbox, orphan, fields, blank, body, cut_last)| {
            let mut m = Vec::new();
            if let Some(e) = mbox {
                m.extend_from_slice(b"From sender@example.test Mon Jan  1 00:00:00 2024");
                m.extend_from_slice(e);
            }
            if let Some((v, e)) = orphan {
                m.push(b' ');
                m.extend_from_slice(&v);
                m.extend_from_slice(e);
            }
            for f in fields {
                m.extend_from_slice(&f);
            }
            if let Some(e) = blank {
                m.extend_from_slice(e);
                for (v, e) in body {
                    m.extend_from_slice(&v);
                    m.extend_from_slice(e);
                }
            }
            if cut_last {
                // No final line ending.
                while m.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                    m.pop();
                }
            }
            m
        })
}

/// Arbitrary bytes, or message-like inputs.
fn input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..400),
        3 => message(),
    ]
}

/// A reader that hands out 1 to 7 bytes per read.
struct Trickle<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    n: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self.sizes[self.n % self.sizes.len()];
        self.n += 1;
        let k = want.min(buf.len()).min(self.data.len());
        buf[..k].copy_from_slice(&self.data[..k]);
        self.data = &self.data[k..];
        Ok(k)
    }
}

/// An error text with control characters and enough words to fold.
const ERROR: &str = "scan failed:\r\n internal\0 error \x1b[31m while reading the message, \
which is long enough that the field has to be folded over more than one line";

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    // 300 cases each (a few seconds in debug); PROPTEST_CASES=N for a longer run. Failures are
    // kept as named regression tests in src/filter/tests.rs, not in a persistence file.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(300),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn annotate_adds_only_our_fields(raw in input(), lure in any::<bool>()) {
        let (clean, lure_report) = reports();
        let report = if lure { lure_report } else { clean };
        let (out, _) = annotate(&raw, report, &Markup::default(), Lang::En);
        check_only_ours_added(
            &raw,
            &out,
            &["X-Lurescreen-Verdict", "X-Lurescreen-Score", "X-Lurescreen-Reasons"],
        )?;
    }

    #[test]
    fn annotate_of_the_scanned_message_adds_only_our_fields(raw in message()) {
        // The report of the message itself, as the filter makes it.
        let Ok(report) = engine().scan(&raw) else { return Ok(()) };
        let (out, _) = annotate(&raw, &report, &Markup::default(), Lang::Ja);
        check_only_ours_added(
            &raw,
            &out,
            &["X-Lurescreen-Verdict", "X-Lurescreen-Score", "X-Lurescreen-Reasons"],
        )?;
    }

    #[test]
    fn pass_with_error_adds_only_the_error_field(raw in input()) {
        let out = pass_with_error(&raw, ERROR);
        check_only_ours_added(&raw, &out, &["X-Lurescreen-Error"])?;
    }

    #[test]
    fn stream_with_error_adds_only_the_error_field(
        raw in input(),
        sizes in prop::collection::vec(1usize..8, 1..6),
    ) {
        let mut reader = Trickle { data: &raw, sizes, n: 0 };
        let mut out = Vec::new();
        stream_with_error(&mut reader, &mut out, ERROR).unwrap();
        check_only_ours_added(&raw, &out, &["X-Lurescreen-Error"])?;
        // The streamed output is the one the in-memory path gives.
        prop_assert_eq!(show(&out), show(&pass_with_error(&raw, ERROR)));
    }

    #[test]
    fn tag_and_banner_change_only_the_subject_and_the_body_top(raw in input()) {
        let (_, report) = reports();
        let markup = Markup { subject_tag: true, banner: true, ..Markup::default() };
        let (out, marked) = annotate(&raw, report, &markup, Lang::En);
        prop_assert!(marked.subject_tagged);
        // Header: ours and the (first) Subject field aside, line for line the same.
        let others = |m: &[u8]| -> Vec<u8> {
            let p = parts(m);
            let mut seen = false;
            let mut in_subject = false;
            let mut kept = Vec::new();
            for (line, ours) in p.header {
                if !is_continuation(line) {
                    in_subject = !seen && starts_field(line, "subject");
                    seen |= in_subject;
                }
                if !ours && !in_subject {
                    kept.extend_from_slice(line);
                }
            }
            kept
        };
        let mut want = raw.clone();
        if let Some(nl) = added_line_ending(&raw) {
            want.extend_from_slice(nl);
        }
        prop_assert_eq!(show(&others(&out)), show(&others(&want)));
        // The Subject: the tag, then the old value without its leading blanks.
        let subject = |m: &[u8]| -> Option<Vec<u8>> {
            let p = parts(m);
            let i = p.header.iter().position(|(l, _)| starts_field(l, "subject"))?;
            let mut v = p.header[i].0.to_vec();
            for (l, _) in &p.header[i + 1..] {
                if !is_continuation(l) {
                    break;
                }
                v.extend_from_slice(l);
            }
            let colon = v.iter().position(|&b| b == b':')?;
            Some(v[colon + 1..].to_vec())
        };
        let new = subject(&out).expect("a Subject field");
        let mut want = b" [SUSPICIOUS] ".to_vec();
        match subject(&raw) {
            Some(old) => {
                let blanks = old.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
                want.extend_from_slice(&old[blanks..]);
            }
            None => {
                // Added, ended as the message's first line is.
                want.pop();
                let crlf = raw.iter().position(|&b| b == b'\n').is_some_and(|i| i > 0 && raw[i - 1] == b'\r');
                want.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
        }
        prop_assert_eq!(show(&new), show(&want));
        let names = our_names(&out);
        prop_assert_eq!(&names[..3], &["X-Lurescreen-Verdict", "X-Lurescreen-Score", "X-Lurescreen-Reasons"]);
        // Body: untouched unless the banner went in; our message-like inputs are plain text,
        // where it goes in front of the old body.
        let (old_body, new_body) = (parts(&raw).body, parts(&out).body);
        prop_assert_eq!(old_body.is_some(), new_body.is_some());
        match marked.banner {
            Outcome::Added(_) => {
                let (old, new) = (old_body.unwrap(), new_body.unwrap());
                prop_assert!(String::from_utf8_lossy(&new).contains("WARNING: lurescreen"));
                let is_message_like = !raw.windows(13).any(|w| w.eq_ignore_ascii_case(b"content-type:"));
                if is_message_like {
                    // The empty line, the banner, the old body after the empty line.
                    let blank = if old.starts_with(b"\r\n") { 2 } else { 1 };
                    prop_assert!(new.ends_with(&old[blank..]), "{} / {}", show(&old), show(&new));
                    prop_assert!(new.starts_with(&old[..blank]));
                }
                prop_assert_eq!(names.len(), 3);
            }
            _ => {
                prop_assert_eq!(old_body.map(|b| show(&b)), new_body.map(|b| show(&b)));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// End to end through `lurescreen filter`
// ---------------------------------------------------------------------------------------------

fn run_filter(args: &[&str], input: &[u8]) -> (Option<i32>, Vec<u8>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .args(args)
        .env("LANG", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let bytes = input.to_vec();
    // The binary may stop reading early (over-limit, fail-closed): ignore EPIPE.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Generated messages from a fixed seed, so the end-to-end runs stay few and repeatable.
fn some_messages(n: usize) -> Vec<Vec<u8>> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(RunnerConfig::default(), rng);
    (0..n)
        .map(|_| message().new_tree(&mut runner).unwrap().current())
        .filter(|m| !m.is_empty())
        .collect()
}

#[test]
fn binary_filter_adds_only_our_fields() {
    for raw in some_messages(10) {
        let (code, out, err) = run_filter(&["filter"], &raw);
        assert_eq!(code, Some(0), "{err}");
        check_only_ours_added(
            &raw,
            &out,
            &[
                "X-Lurescreen-Verdict",
                "X-Lurescreen-Score",
                "X-Lurescreen-Reasons",
            ],
        )
        .unwrap();
    }
}

#[test]
fn binary_filter_over_the_limit_streams_the_message_or_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "[limits]\nmax_message_bytes = 300\n").unwrap();
    let cfg = cfg.to_str().unwrap();
    // Forged fields before and after the limit, folded, mixed line endings, 8-bit and NUL.
    let mut raw = b"X-Lurescreen-Verdict: clean\r\nFrom: a@example.test\r\n".to_vec();
    for i in 0..40 {
        raw.extend_from_slice(format!("X-Filler-{i}: ").as_bytes());
        raw.extend_from_slice(b"\xff\0 value\n  folded\r\n");
    }
    raw.extend_from_slice(b"x-LURESCREEN-score: 0.0\r\n\tmore\r\nSubject: big\r\n\r\n");
    raw.extend_from_slice(&b"body \x00\xfe line\r\n".repeat(500));
    raw.extend_from_slice(b"no final newline");
    let (code, out, err) = run_filter(&["--config", cfg, "filter"], &raw);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("over the limit of 300 bytes"), "{err}");
    check_only_ours_added(&raw, &out, &["X-Lurescreen-Error"]).unwrap();

    let (code, out, err) = run_filter(&["--config", cfg, "filter", "--fail-closed"], &raw);
    assert_eq!(code, Some(75), "{err}");
    assert!(out.is_empty(), "fail-closed writes nothing: {}", show(&out));
}

#[test]
fn binary_filter_fail_closed_on_a_failed_scan_and_fail_open_otherwise() {
    // Empty input is the one scan failure reachable from outside: fail-closed asks the MTA to
    // try again (exit 75, no output), fail-open passes it with the error field.
    let (code, out, _) = run_filter(&["filter", "--fail-closed"], b"");
    assert_eq!(code, Some(75));
    assert!(out.is_empty());
    let (code, out, _) = run_filter(&["filter"], b"");
    assert_eq!(code, Some(0));
    check_only_ours_added(b"", &out, &["X-Lurescreen-Error"]).unwrap();
}

#[test]
fn generated_inputs_reach_the_cases_that_matter() {
    // The generator is only as good as what it reaches: count it on a fixed sample.
    let (_, lure) = reports();
    let markup = Markup {
        subject_tag: true,
        banner: true,
        ..Markup::default()
    };
    let sample = some_messages(400);
    let count = |f: &dyn Fn(&Vec<u8>) -> bool| sample.iter().filter(|m| f(m)).count();
    let banners = count(&|m| {
        matches!(
            annotate(m, lure, &markup, Lang::En).1.banner,
            Outcome::Added(_)
        )
    });
    let forged = count(&|m| parts(m).header.iter().any(|(_, ours)| *ours));
    let folded_forged = count(&|m| {
        let p = parts(m);
        p.header.iter().any(|(l, ours)| *ours && is_continuation(l))
    });
    let no_boundary = count(&|m| parts(m).body.is_none());
    let crlf = count(&|m| m.windows(2).any(|w| w == b"\r\n"));
    let bare_cr = count(&|m| m.windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n'));
    let unended = count(&|m| !m.ends_with(b"\n"));
    let eight_bit = count(&|m| m.iter().any(|&b| b >= 0x80));
    let nul = count(&|m| m.contains(&0));
    let encoded_subject = count(&|m| {
        parts(m)
            .header
            .iter()
            .any(|(l, _)| starts_field(l, "subject") && l.windows(2).any(|w| w == b"=?"))
    });
    let mbox = count(&|m| m.starts_with(b"From "));
    let figures = [
        ("banner added", banners),
        ("forged field", forged),
        ("folded forged field", folded_forged),
        ("no header/body boundary", no_boundary),
        ("CRLF", crlf),
        ("bare CR", bare_cr),
        ("no final newline", unended),
        ("8-bit", eight_bit),
        ("NUL", nul),
        ("encoded-word subject", encoded_subject),
        ("mbox From line", mbox),
    ];
    println!("{} generated messages: {figures:?}", sample.len());
    for (what, n) in figures {
        assert!(n > 0, "no generated message has: {what}");
    }
}
