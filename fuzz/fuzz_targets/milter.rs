//! The milter's decisions. The packet decoding itself is indymilter's (a dependency we do not
//! fuzz here); ours is what follows it: the message rebuilt from the header fields and body the
//! MTA sent (`Received::raw`), scanned, and turned into a `Plan` — for every verdict (so the
//! subject-tag, banner and quarantine paths run on arbitrary input), in both languages, and for
//! an unscanned message. Input: `name: value` lines up to an empty line, then the body; the
//! first byte picks the verdict, the language and the configuration's failure action.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lurescreen::config::FailureAction;
use lurescreen::milter::plan::{self, Decision, Received, Unscanned};
use lurescreen::{Config, Lang, Verdict};
use std::sync::OnceLock;
mod common;

fn received(data: &[u8]) -> Received {
    let mut headers = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (line, after) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        if line.is_empty() || line == b"\r" {
            rest = after;
            break;
        }
        let line = String::from_utf8_lossy(line);
        let (name, value) = line.split_once(':').unwrap_or((&line, ""));
        // A value's `\t` stands for a folded continuation, as the MTA passes them.
        headers.push((name.to_string(), value.trim_start().replace('\t', "\n\t")));
        rest = after;
    }
    Received {
        headers,
        body: rest.to_vec(),
        body_size: rest.len(),
        ..Received::default()
    }
}

fn config(action: FailureAction) -> &'static Config {
    static ACCEPT: OnceLock<Config> = OnceLock::new();
    static TEMPFAIL: OnceLock<Config> = OnceLock::new();
    let cell = match action {
        FailureAction::Accept => &ACCEPT,
        FailureAction::Tempfail => &TEMPFAIL,
    };
    cell.get_or_init(|| {
        let mut c = Config::default();
        c.milter.failure_action = action;
        c.milter.oversize_action = action;
        c.markup.subject_tag = true;
        c.markup.banner = true;
        c.milter.quarantine = true;
        c
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let received = received(rest);
    let lang = if pick & 1 == 0 { Lang::En } else { Lang::Ja };
    let action = if pick & 2 == 0 {
        FailureAction::Accept
    } else {
        FailureAction::Tempfail
    };
    let config = config(action);
    let raw = received.raw();
    if let Some(mut report) = common::crash_on_internal(common::engine().scan(&raw)) {
        report.verdict = match (pick >> 2) % 5 {
            0 => report.verdict,
            1 => Verdict::Clean,
            2 => Verdict::Warn,
            3 => Verdict::Quarantine,
            _ => Verdict::Reject,
        };
        let p = plan::for_report(&received, &report, config, lang);
        if report.verdict == Verdict::Reject {
            assert!(matches!(p.decision, Decision::Reject(_)));
        } else {
            assert_eq!(
                p.decision,
                Decision::Accept,
                "only Reject refuses a scanned message"
            );
        }
    }
    for why in [
        Unscanned::Failed(String::from_utf8_lossy(rest).into_owned()),
        Unscanned::TooLarge(rest.len()),
    ] {
        let p = plan::for_unscanned(&received, &why, config);
        match action {
            FailureAction::Accept => assert_eq!(p.decision, Decision::Accept),
            FailureAction::Tempfail => assert!(matches!(p.decision, Decision::Tempfail(_))),
        }
        assert!(p.body.is_none(), "an unscanned message keeps its body");
    }
});
