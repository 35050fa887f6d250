//! `lurescreen filter`: one message on stdin, the same message with our headers on stdout.
//!
//! Whatever fails, the mail is not lost: it goes out unchanged with an `X-Lurescreen-Error`
//! header (fail-open, exit 0), or nothing is written and the exit code asks the MTA to try again
//! later (fail-closed, exit 75).

use crate::exit;
use crate::filter::{annotate, pass_with_error, stream_with_error};
use crate::{Engine, Lang, Message, Report, ScanError};
use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::time::Duration;

pub struct Options {
    pub fail_closed: bool,
    pub lang: Lang,
}

/// Stack for the scanning thread: deep structures must not abort the process.
const SCAN_STACK: usize = 64 * 1024 * 1024;

/// The scanning step: the engine's scan in the binary, handing back the parsed message beside the
/// report (a held message's notice is explained from it); tests put in one that panics or hangs.
pub type Scanner =
    Arc<dyn Fn(&Engine, &[u8]) -> Result<(Report, Message), ScanError> + Send + Sync>;

pub fn run(
    engine: Arc<Engine>,
    input: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
    opts: &Options,
) -> i32 {
    let scanner: Scanner =
        Arc::new(|engine: &Engine, raw: &[u8]| engine.scan_keeping_message(raw, None));
    run_with(engine, scanner, input, out, err, opts)
}

/// `run` with another scanning step.
pub fn run_with(
    engine: Arc<Engine>,
    scanner: Scanner,
    input: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
    opts: &Options,
) -> i32 {
    let limit = engine.config().limits.max_message_bytes;
    let mut raw = Vec::new();
    if let Err(e) = input
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut raw)
    {
        // Part of the message may be unread: delivering the rest would lose mail.
        let _ = writeln!(err, "lurescreen: filter: cannot read the message: {e}");
        return exit::TEMPFAIL;
    }
    if raw.len() > limit {
        let message = format!("message is over the limit of {limit} bytes; not scanned");
        return fail(&raw, Some(input), &message, out, err, opts);
    }
    let raw = Arc::new(raw);
    let report = scan_with_deadline(&engine, scanner, &raw);
    let (report, msg) = match report {
        Ok(scanned) => scanned,
        Err(message) => return fail(&raw, None, &message, out, err, opts),
    };
    // The parsed message is kept for a held message's notice only, until it is written.
    let msg = crate::explain::notice::wanted(&engine, &report).then_some(msg);
    let config = engine.config();
    let annotated = catch_unwind(AssertUnwindSafe(|| {
        annotate(&raw, &report, &config.markup, opts.lang).0
    }));
    match annotated {
        Ok(bytes) => {
            let code = write_out(&bytes, out, err);
            // After the message is out: a notice never holds up or fails the mail.
            if let Some(msg) = msg
                && let Err(e) = crate::explain::notice::write_for_held(
                    &engine,
                    &msg,
                    &report,
                    opts.lang,
                    &[],
                    "",
                )
            {
                let _ = writeln!(err, "lurescreen: filter: {e}");
            }
            code
        }
        Err(_) => fail(
            &raw,
            None,
            "internal error while adding headers",
            out,
            err,
            opts,
        ),
    }
}

/// Scans on a thread of its own so a runaway scan cannot hold the mail: past twice the time
/// budget the filter gives up on it.
fn scan_with_deadline(
    engine: &Arc<Engine>,
    scanner: Scanner,
    raw: &Arc<Vec<u8>>,
) -> Result<(Report, Message), String> {
    let budget = Duration::from_millis(engine.config().limits.scan_time_ms.saturating_mul(2));
    let (tx, rx) = mpsc::channel();
    let (engine, raw) = (Arc::clone(engine), Arc::clone(raw));
    let spawned = std::thread::Builder::new()
        .name("scan".into())
        .stack_size(SCAN_STACK)
        .spawn(move || {
            let _ = tx.send(scanner(&engine, &raw).map_err(|e| e.to_string()));
        });
    if let Err(e) = spawned {
        return Err(format!("cannot start the scan: {e}"));
    }
    match rx.recv_timeout(budget) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "scan did not finish within {} ms",
            budget.as_millis()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("internal error while scanning".into()),
    }
}

/// The failure path: the original, unchanged but for the error header, or nothing (fail-closed).
fn fail(
    raw: &[u8],
    rest: Option<&mut dyn Read>,
    message: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
    opts: &Options,
) -> i32 {
    let _ = writeln!(err, "lurescreen: filter: {message}");
    if opts.fail_closed {
        return exit::TEMPFAIL;
    }
    let written = match rest {
        // Only the start of an over-long message is in memory: stream the rest.
        Some(rest) => stream_with_error(&mut std::io::Cursor::new(raw).chain(rest), out, message),
        None => {
            let marked = catch_unwind(|| pass_with_error(raw, message)).unwrap_or_else(|_| {
                let mut b = crate::render::headers::error_block(message, "\n").into_bytes();
                b.extend_from_slice(raw);
                b
            });
            return write_out(&marked, out, err);
        }
    };
    written_or_tempfail(written, err)
}

fn write_out(bytes: &[u8], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    written_or_tempfail(out.write_all(bytes).and_then(|_| out.flush()), err)
}

fn written_or_tempfail(result: std::io::Result<()>, err: &mut dyn Write) -> i32 {
    if let Err(e) = result {
        // The MTA got a partial message at most; ask it to try again.
        let _ = writeln!(err, "lurescreen: filter: cannot write the message: {e}");
        return exit::TEMPFAIL;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Signatures};
    use std::sync::{Condvar, Mutex};

    fn engine(scan_time_ms: u64) -> Arc<Engine> {
        let mut config = Config::default();
        config.limits.scan_time_ms = scan_time_ms;
        Arc::new(Engine::new(config, Signatures::embedded().unwrap()))
    }

    const RAW: &[u8] = b"X-Lurescreen-Verdict: clean\r\nSubject: hi\r\n\r\nbody\r\n";

    fn filter(scanner: Scanner, scan_time_ms: u64, fail_closed: bool) -> (i32, Vec<u8>, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let opts = Options {
            fail_closed,
            lang: Lang::En,
        };
        let code = run_with(
            engine(scan_time_ms),
            scanner,
            &mut &RAW[..],
            &mut out,
            &mut err,
            &opts,
        );
        (code, out, String::from_utf8_lossy(&err).into_owned())
    }

    #[test]
    fn a_scan_that_panics_passes_the_message_or_fails_closed() {
        let panics: Scanner = Arc::new(|_: &Engine, _: &[u8]| panic!("injected scan panic"));
        let (code, out, err) = filter(Arc::clone(&panics), 10_000, false);
        assert_eq!(code, 0);
        assert_eq!(out, pass_with_error(RAW, "internal error while scanning"));
        assert!(err.contains("internal error while scanning"), "{err}");
        let (code, out, _) = filter(panics, 10_000, true);
        assert_eq!(code, exit::TEMPFAIL);
        assert!(out.is_empty());
    }

    #[test]
    fn a_scan_that_hangs_passes_the_message_or_fails_closed() {
        // Blocks until released at the end (the deadline is 2 × 50 ms).
        let gate = Arc::new((Mutex::new(false), Condvar::new()));
        let held = Arc::clone(&gate);
        let hangs: Scanner = Arc::new(move |e: &Engine, raw: &[u8]| {
            let (lock, cv) = &*held;
            let guard = lock.lock().unwrap_or_else(|p| p.into_inner());
            let _ = cv.wait_timeout_while(guard, Duration::from_secs(120), |go| !*go);
            e.scan_keeping_message(raw, None)
        });
        let (code, out, err) = filter(Arc::clone(&hangs), 50, false);
        assert_eq!(code, 0);
        assert_eq!(
            out,
            pass_with_error(RAW, "scan did not finish within 100 ms")
        );
        assert!(err.contains("scan did not finish within 100 ms"), "{err}");
        let (code, out, _) = filter(hangs, 50, true);
        assert_eq!(code, exit::TEMPFAIL);
        assert!(out.is_empty());
        *gate.0.lock().unwrap() = true;
        gate.1.notify_all();
    }

    #[test]
    fn a_scan_error_passes_the_message_or_fails_closed() {
        let fails: Scanner = Arc::new(|_: &Engine, _: &[u8]| {
            Err(ScanError::Internal {
                stage: "test".into(),
                message: "injected".into(),
            })
        });
        let (code, out, _) = filter(Arc::clone(&fails), 10_000, false);
        assert_eq!(code, 0);
        assert_eq!(
            out,
            pass_with_error(RAW, "internal error while scanning (test): injected")
        );
        assert_eq!(filter(fails, 10_000, true).0, exit::TEMPFAIL);
    }
}
