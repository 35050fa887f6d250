//! The engine: built once, scans any number of messages on any number of threads.

pub mod load;
pub mod openers;

use crate::checks::{CHECKS, Context};
use crate::config::Config;
use crate::finding::Finding;
use crate::message::{self, Envelope};
use crate::score;
use crate::score::Report;
use crate::signatures::Signatures;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// Why a message could not be scanned. The front ends decide what that means for the mail.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScanError {
    #[error("empty input: there is no message to scan")]
    Empty,
    #[error("message is {size} bytes, over the limit of {limit} bytes (limits.max_message_bytes)")]
    TooLarge { size: usize, limit: usize },
    #[error("internal error while scanning ({stage}): {message}")]
    Internal { stage: String, message: String },
}

/// Signatures and configuration, ready to scan.
#[derive(Debug, Clone)]
pub struct Engine {
    signatures: Signatures,
    config: Config,
    /// The DNS stage when `dns.enabled`; the error that kept it from starting otherwise.
    dns: Option<Result<std::sync::Arc<crate::dns::DnsStage>, String>>,
}

impl Engine {
    pub fn new(config: Config, signatures: Signatures) -> Self {
        let dns = config
            .dns
            .enabled
            .then(|| crate::dns::DnsStage::new(&config.dns).map(std::sync::Arc::new));
        Engine {
            signatures,
            config,
            dns,
        }
    }

    /// Why the DNS stage could not start, when it is enabled but not running (scans then go on
    /// without it).
    pub fn dns_error(&self) -> Option<&str> {
        match &self.dns {
            Some(Err(e)) => Some(e),
            _ => None,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn signatures(&self) -> &Signatures {
        &self.signatures
    }

    /// The container openers of a scan, judging by this engine's signature lists.
    fn openers(&self) -> crate::message::expand::Openers<'_> {
        openers::with_lists(&self.signatures.lists)
    }

    /// Scans one message.
    pub fn scan(&self, raw: &[u8]) -> Result<Report, ScanError> {
        self.scan_with_envelope(raw, None)
    }

    /// Scans one message whose SMTP envelope is known.
    pub fn scan_with_envelope(
        &self,
        raw: &[u8],
        envelope: Option<Envelope>,
    ) -> Result<Report, ScanError> {
        self.scan_keeping_message(raw, envelope)
            .map(|(report, _)| report)
    }

    /// Scans one message and hands back the message as parsed beside its report, for what the
    /// report does not hold (an explanation shows the links, attachments and body text).
    pub fn scan_keeping_message(
        &self,
        raw: &[u8],
        envelope: Option<Envelope>,
    ) -> Result<(Report, message::Message), ScanError> {
        let limits = &self.config.limits;
        if raw.len() > limits.max_message_bytes {
            return Err(ScanError::TooLarge {
                size: raw.len(),
                limit: limits.max_message_bytes,
            });
        }
        if raw.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ScanError::Empty);
        }
        let started = Instant::now();
        let deadline = deadline(started, limits);
        let mut msg = guarded("parse", || {
            message::parse_until(raw, limits, deadline, &self.openers())
        })?
        .ok_or(ScanError::Empty)?;
        if let Some(env) = envelope {
            msg.envelope = env;
        }
        let report = self.check(&mut msg, started)?;
        Ok((report, msg))
    }

    /// Scans a bare file as if it were the one attachment of a message (`scan --attachment`):
    /// same checks, same container expansion, same report. `name` is the file name to judge and
    /// to show as the attachment's location.
    pub fn scan_attachment(&self, name: &str, data: &[u8]) -> Result<Report, ScanError> {
        let limits = &self.config.limits;
        if data.len() > limits.max_message_bytes {
            return Err(ScanError::TooLarge {
                size: data.len(),
                limit: limits.max_message_bytes,
            });
        }
        if data.is_empty() {
            return Err(ScanError::Empty);
        }
        let started = Instant::now();
        let deadline = deadline(started, limits);
        let mut msg = guarded("parse", || {
            message::from_file_until(name, data, limits, deadline, &self.openers())
        })?;
        self.check(&mut msg, started)
    }

    /// Runs every check on a parsed message and scores the findings.
    fn check(&self, msg: &mut message::Message, started: Instant) -> Result<Report, ScanError> {
        let limits = &self.config.limits;
        let budget = Duration::from_millis(limits.scan_time_ms);
        let mut findings: Vec<Finding> = std::mem::take(&mut msg.structural);
        let msg = &*msg;
        let ctx = Context {
            msg,
            signatures: &self.signatures,
            config: &self.config,
        };
        for (n, (name, check)) in CHECKS.iter().enumerate() {
            if started.elapsed() >= budget {
                let skipped: Vec<&str> = CHECKS[n..].iter().map(|(name, _)| *name).collect();
                findings.push(
                    Finding::new("LIMIT_TIME_BUDGET", "message")
                        .with("budget_ms", limits.scan_time_ms.to_string())
                        .with("skipped", skipped.join(", ")),
                );
                break;
            }
            let mut found = Vec::new();
            guarded(name, || check(&ctx, &mut found))?;
            findings.extend(found);
        }
        // Network look-ups last, with their own time budget (`dns.budget_ms`).
        if let Some(Ok(stage)) = &self.dns
            && started.elapsed() < budget
        {
            let trusted = &self.config.auth.trusted_authserv_ids;
            findings.extend(guarded("dns", || stage.check(msg, trusted))?);
        }
        let standing = crate::checks::standing::assess(&ctx);
        Ok(score::score(
            findings,
            &self.signatures,
            &self.config.thresholds,
            msg.summary(),
            standing,
        ))
    }
}

/// When a scan started at `started` must stop: parsing's container expansion and the costly
/// attachment checks stop there too, not only the loop over the checks.
fn deadline(started: Instant, limits: &crate::config::Limits) -> Option<Instant> {
    started.checked_add(Duration::from_millis(limits.scan_time_ms))
}

/// Runs `f`, turning a panic into a `ScanError` so one crafted message cannot take a daemon down.
fn guarded<T>(stage: &str, f: impl FnOnce() -> T) -> Result<T, ScanError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        ScanError::Internal {
            stage: stage.to_string(),
            message,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Verdict;

    fn engine(config: Config) -> Engine {
        Engine::new(config, Signatures::embedded().unwrap())
    }

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }

    #[test]
    fn empty_and_oversized_inputs_are_errors() {
        let e = engine(Config::default());
        assert_eq!(e.scan(b"").unwrap_err(), ScanError::Empty);
        assert_eq!(e.scan(b" \r\n").unwrap_err(), ScanError::Empty);
        let mut c = Config::default();
        c.limits.max_message_bytes = 10;
        let err = engine(c)
            .scan(b"Subject: long message\n\nbody")
            .unwrap_err();
        assert!(matches!(
            err,
            ScanError::TooLarge {
                size: 27,
                limit: 10
            }
        ));
    }

    #[test]
    fn clean_mail_is_clean() {
        let r = engine(Config::default())
            .scan(b"From: Taro <taro@example.co.jp>\nTo: a@example.co.jp\nSubject: hi\n\nhello\n")
            .unwrap();
        assert_eq!(r.verdict, Verdict::Clean);
        assert!(r.findings.is_empty());
        assert_eq!(r.summary.from.as_deref(), Some("Taro <taro@example.co.jp>"));
    }

    #[test]
    fn a_spent_time_budget_skips_checks_and_says_so() {
        let mut c = Config::default();
        c.limits.scan_time_ms = 1;
        let e = engine(c);
        let mut raw = b"From: a@b.example\nContent-Type: text/html\n\n".to_vec();
        // Enough HTML that parsing alone outlasts 1 ms.
        for _ in 0..200_000 {
            raw.extend_from_slice(b"<a href=x>y</a>");
        }
        let r = e.scan(&raw).unwrap();
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == "LIMIT_TIME_BUDGET")
            .expect("budget finding");
        assert!(
            f.reason_en.contains("sender.display_name_address"),
            "{}",
            f.reason_en
        );
    }

    #[test]
    fn a_spent_time_budget_stops_container_expansion_and_the_attachment_checks() {
        let mut c = Config::default();
        c.limits.scan_time_ms = 1;
        let mut raw = b"From: a@b.example\nContent-Type: multipart/mixed; boundary=B\n\n".to_vec();
        // Enough HTML that parsing alone outlasts 1 ms, then a zip.
        raw.extend_from_slice(b"--B\nContent-Type: text/html\n\n");
        for _ in 0..200_000 {
            raw.extend_from_slice(b"<a href=x>y</a>");
        }
        let zip = crate::message::containers::zip::tests::zip_of(&[("a.exe", b"MZ")]);
        use base64::Engine as _;
        raw.extend_from_slice(b"\n--B\nContent-Type: application/zip; name=a.zip\n");
        raw.extend_from_slice(b"Content-Transfer-Encoding: base64\n\n");
        raw.extend(
            base64::engine::general_purpose::STANDARD
                .encode(zip)
                .bytes(),
        );
        raw.extend_from_slice(b"\n--B--\n");
        let r = engine(c).scan(&raw).unwrap();
        let budget: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule == "LIMIT_TIME_BUDGET")
            .collect();
        assert!(budget.iter().any(|f| f.location == "2/a.zip"), "{budget:?}");
        assert!(!r.findings.iter().any(|f| f.location.contains("a.zip!/")));
    }

    #[test]
    fn thousands_of_nested_messages_scan_on_a_small_stack() {
        // CRATES.md: mail-parser drops nested messages recursively; 50,000 levels would overflow
        // a 2 MiB thread stack (an abort) if nesting were not bounded before parsing.
        let mut raw = Vec::new();
        for _ in 0..50_000 {
            raw.extend_from_slice(b"Content-Type: message/rfc822\n\n");
        }
        raw.extend_from_slice(b"Subject: inner\n\nbody\n");
        let r = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || engine(Config::default()).scan(&raw))
            .unwrap()
            .join()
            .expect("no stack overflow")
            .unwrap();
        assert!(r.findings.iter().any(|f| f.rule == "LIMIT_NESTED_MESSAGES"));
    }

    /// Found by `cargo fuzz run scan`: a multipart whose first part's boundary parameter never
    /// comes, then nested `message/rfc822` parts. mail-parser reaches a `debug_assert!` ("Invalid
    /// part ID, could not find multipart.") here; without debug assertions it recovers, and
    /// `[profile.dev.package.mail-parser]` in Cargo.toml makes debug builds parse like release.
    #[test]
    fn fuzz_scan_broken_nested_multipart_parses() {
        let raw: &[u8] = b"From: a@example.com\n\
Content-Type: multipart/mixed;\n boundary=\"=_b1\"\n\n\
Content-Type: multipart/alternative;\nboundary=\"b2\"\n--=_b1--\nx\n\
Content-Type: message/rfc822\n\nReceived: x; boundary=q\n--=_b1\n\
Content-Type: message/rfc822\n\nSubject: y\n\n--=_b1--\n";
        let r = engine(Config::default()).scan(raw);
        assert!(r.is_ok(), "{r:?}");
    }
}
