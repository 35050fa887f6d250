//! `drill send`: delivers the generated lures through an SMTP relay (lettre), a dry run unless
//! confirmed, at a bounded rate, only those whose planned time has come, and never to an address
//! outside the campaign's domains.

use super::campaign::{domain_of, within};
use super::{DrillError, Generated};
use lettre::Transport;
use lettre::address::{Address, Envelope};
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::extension::ClientId;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// File beside the manifest where `send` records when each lure went out (`token,unix_time`).
pub const SENT_LOG: &str = "sent.csv";

#[derive(Debug, Clone)]
pub struct Options {
    /// Really send; without it only print what would be sent.
    pub yes: bool,
    pub host: String,
    pub port: u16,
    pub helo: String,
    pub envelope_from: String,
    /// Messages per minute, at least 1.
    pub rate_per_minute: u32,
    /// Recipients must be at one of these domains (or their subdomains).
    pub domains: Vec<String>,
    /// The time that lures' planned send times are compared with (Unix time); none: the system
    /// clock when the run starts. Injected by tests.
    pub now: Option<i64>,
    /// UTC offset (seconds) in which planned times are shown: the schedule's.
    pub offset: i64,
}

/// Checks every recipient and the envelope sender before anything is sent.
pub fn check(generated: &Generated, opts: &Options) -> Result<Address, DrillError> {
    let outside: Vec<&str> = generated
        .manifest
        .entries
        .iter()
        .filter(|e| domain_of(&e.email).is_none_or(|d| !within(&d, &opts.domains)))
        .map(|e| e.email.as_str())
        .collect();
    if !outside.is_empty() {
        let mut unique = outside.clone();
        unique.sort_unstable();
        unique.dedup();
        return Err(DrillError::Refused(format!(
            "{} recipient address(es) outside the campaign's domains ({}): {}",
            unique.len(),
            opts.domains.join(", "),
            unique.join(", ")
        )));
    }
    if opts.rate_per_minute == 0 {
        return Err(DrillError::Refused(
            "the rate must be at least 1 per minute".into(),
        ));
    }
    opts.envelope_from.parse::<Address>().map_err(|e| {
        DrillError::Refused(format!(
            "smtp.envelope_from `{}` is not an address: {e}",
            opts.envelope_from
        ))
    })
}

/// What became of one lure, as `sent.csv` records it.
#[cfg(test)]
mod tests {
    #[test]
    fn stamping_sets_date_and_message_id_and_nothing_else() {
        let raw = b"From: a@b.example\r\nDate: Tue, 1 Dec 2026 09:30:00 +0900\r\nMessage-ID: <old@b.example>\r\nSubject: s\r\n\r\nDate: in the body\r\n";
        let out = super::stamp(raw, &1_800_000_000, "<new@b.example>");
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "From: a@b.example\r\nDate: Fri, 15 Jan 2027 08:00:00 +0000\r\nMessage-ID: <new@b.example>\r\nSubject: s\r\n\r\nDate: in the body\r\n"
        );
        let a = super::message_id("x@examp1e.co.jp");
        assert!(a.ends_with("@examp1e.co.jp>") && a.len() > 30, "{a}");
        assert_ne!(a, super::message_id("x@examp1e.co.jp"));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The relay accepted it: never sent again.
    Sent,
    /// The relay refused it for good (5xx, e.g. an address that no longer exists): not retried.
    Refused,
    /// A temporary failure (4xx, connection or time-out): retried by the next `send --yes`.
    Deferred,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Sent => "sent",
            Status::Refused => "refused",
            Status::Deferred => "deferred",
        }
    }

    fn parse(s: &str) -> Option<Status> {
        match s {
            "sent" => Some(Status::Sent),
            "refused" => Some(Status::Refused),
            "deferred" => Some(Status::Deferred),
            _ => None,
        }
    }
}

/// The latest line of `sent.csv` for one token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub at: i64,
    pub status: Status,
    /// The relay's reply or the error (empty when sent).
    pub reply: String,
}

/// Reads `sent.csv` (`token,unix_time[,status[,reply]]`; a line without status is `sent`, as
/// older versions wrote): the latest line per token.
pub fn read_log(dir: &Path) -> std::collections::HashMap<String, Logged> {
    let mut out = std::collections::HashMap::new();
    let Ok(data) = std::fs::read(dir.join(SENT_LOG)) else {
        return out;
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&data[..]);
    for rec in reader.records().flatten() {
        let (Some(token), Some(at)) = (rec.get(0), rec.get(1).and_then(|t| t.trim().parse().ok()))
        else {
            continue;
        };
        let status = match rec.get(2) {
            None => Status::Sent,
            Some(s) => match Status::parse(s.trim()) {
                Some(s) => s,
                None => continue,
            },
        };
        out.insert(
            token.trim().to_string(),
            Logged {
                at,
                status,
                reply: rec.get(3).unwrap_or("").to_string(),
            },
        );
    }
    out
}

/// What one `run` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub sent: usize,
    pub refused: usize,
    pub deferred: usize,
    /// Skipped: already sent or refused by an earlier run.
    pub skipped: usize,
    /// Not due yet: planned later than now (a later run sends them).
    pub later: usize,
}

/// Sends (or, without `yes`, lists) every lure of the manifest not yet sent whose planned time (if
/// it has one) has come; lures planned later are left for a later run. Each lure's outcome
/// is appended to `sent.csv` as soon as the relay answers: a lure the relay accepted is never sent
/// again (a rerun skips it), one it refused for good (5xx) is skipped too, and one that failed
/// for a while (4xx, connection lost) is tried again by the next run. A refusal does not stop the
/// run.
pub fn run(
    generated: &Generated,
    opts: &Options,
    out: &mut dyn Write,
) -> Result<Outcome, DrillError> {
    let from = check(generated, opts)?;
    let entries = &generated.manifest.entries;
    let io = |e: std::io::Error| DrillError::Io(e.to_string());
    let interval = Duration::from_secs_f64(60.0 / f64::from(opts.rate_per_minute));
    let logged = read_log(&generated.dir);
    let done = |token: &str| {
        logged
            .get(token)
            .is_some_and(|l| matches!(l.status, Status::Sent | Status::Refused))
    };
    let now = opts.now.unwrap_or_else(unix_now);
    let (todo, later): (Vec<&super::Entry>, Vec<&super::Entry>) = entries
        .iter()
        .filter(|e| !done(&e.token))
        .partition(|e| e.planned.is_none_or(|p| p <= now));
    let mut outcome = Outcome {
        skipped: entries.len() - todo.len() - later.len(),
        later: later.len(),
        ..Outcome::default()
    };
    let show = |t: i64| super::plan::show(t, opts.offset);
    let later_note = match (
        later.iter().filter_map(|e| e.planned).min(),
        later.iter().filter_map(|e| e.planned).max(),
    ) {
        (Some(first), Some(last)) => format!(
            "; {} planned later, from {} to {} (run `drill send` again then, e.g. from cron)",
            later.len(),
            show(first),
            show(last)
        ),
        _ => String::new(),
    };
    writeln!(
        out,
        "{} {} lure(s) of campaign {} via {}:{} at most {} per minute (envelope sender {from}){}{later_note}",
        if opts.yes {
            "sending"
        } else {
            "dry run: would send"
        },
        todo.len(),
        generated.manifest.campaign,
        opts.host,
        opts.port,
        opts.rate_per_minute,
        if outcome.skipped > 0 {
            format!(
                "; {} already sent or refused by an earlier run",
                outcome.skipped
            )
        } else {
            String::new()
        }
    )
    .map_err(io)?;
    if !opts.yes {
        for e in &todo {
            let planned = e.planned.map(|p| format!("  (planned {})", show(p)));
            writeln!(
                out,
                "  {}  {:<24}  {}{}",
                e.email,
                e.scenario,
                e.subject,
                planned.unwrap_or_default()
            )
            .map_err(io)?;
        }
        writeln!(out, "nothing sent; add --yes to send").map_err(io)?;
        return Ok(outcome);
    }
    let transport = SmtpTransport::builder_dangerous(&opts.host)
        .port(opts.port)
        .hello_name(ClientId::Domain(opts.helo.clone()))
        .timeout(Some(Duration::from_secs(30)))
        .build();
    let log_path = generated.dir.join(SENT_LOG);
    let mut log = super::private_file(&log_path, true)
        .map_err(|e| DrillError::Io(format!("{}: {e}", log_path.display())))?;
    let mut next = Instant::now();
    for e in todo {
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        }
        next = Instant::now() + interval;
        let (status, reply) = match send_one(&transport, &from, generated, e) {
            Ok(()) => (Status::Sent, String::new()),
            Err(Failure::Permanent(r)) => (Status::Refused, r),
            Err(Failure::Temporary(r)) => (Status::Deferred, r),
        };
        let mut line = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        line.write_record([
            e.token.as_str(),
            &unix_now().to_string(),
            status.as_str(),
            &reply,
        ])
        .map_err(|err| DrillError::Io(err.to_string()))?;
        let line = line
            .into_inner()
            .map_err(|err| DrillError::Io(err.to_string()))?;
        log.write_all(&line)
            .and_then(|()| log.flush())
            .map_err(io)?;
        match status {
            Status::Sent => outcome.sent += 1,
            Status::Refused => outcome.refused += 1,
            Status::Deferred => outcome.deferred += 1,
        }
        writeln!(
            out,
            "  {:<8} {}  {}{}",
            status.as_str(),
            e.email,
            e.scenario,
            if reply.is_empty() {
                String::new()
            } else {
                format!("  ({reply})")
            }
        )
        .map_err(io)?;
    }
    writeln!(
        out,
        "{} sent, {} refused by the relay (not retried), {} deferred{}{}",
        outcome.sent,
        outcome.refused,
        outcome.deferred,
        if outcome.deferred > 0 {
            " (run `drill send --yes` again to retry them)"
        } else {
            ""
        },
        if outcome.later > 0 {
            format!(", {} not due yet", outcome.later)
        } else {
            String::new()
        }
    )
    .map_err(io)?;
    Ok(outcome)
}

enum Failure {
    Permanent(String),
    Temporary(String),
}

fn send_one(
    transport: &SmtpTransport,
    from: &Address,
    generated: &Generated,
    e: &super::Entry,
) -> Result<(), Failure> {
    let one_line = |s: String| s.replace(['\r', '\n'], " ");
    let to: Address = e
        .email
        .parse()
        .map_err(|err| Failure::Permanent(format!("`{}`: {err}", e.email)))?;
    let envelope = Envelope::new(Some(from.clone()), vec![to])
        .map_err(|err| Failure::Permanent(err.to_string()))?;
    // The manifest or lure file unreadable: nothing was sent, try again next run.
    let raw = generated
        .raw(e)
        .map_err(|err| Failure::Temporary(err.to_string()))?;
    let raw = stamp(&raw, &super::unix_now(), &message_id(&e.from));
    transport.send_raw(&envelope, &raw).map_err(|err| {
        if err.is_permanent() {
            Failure::Permanent(one_line(err.to_string()))
        } else {
            Failure::Temporary(one_line(err.to_string()))
        }
    })?;
    Ok(())
}

fn unix_now() -> i64 {
    super::unix_now()
}

/// A fresh Message-ID at the sender's domain, like any mail program makes.
fn message_id(from: &str) -> String {
    let domain = super::campaign::domain_of(from).unwrap_or_else(|| "localhost".into());
    let random = super::campaign::random_seed()
        .unwrap_or_else(|_| format!("{:x}{:x}", super::unix_now(), std::process::id()));
    format!("<{}@{domain}>", &random[..random.len().min(24)])
}

/// The lure as it goes out: its `Date:` set to the sending time and its `Message-ID:` new (the
/// generated ones are placeholders: every lure of a campaign would otherwise carry the same date,
/// days old by the time it is sent).
pub fn stamp(raw: &[u8], now: &i64, message_id: &str) -> Vec<u8> {
    let end = memchr::memmem::find(raw, b"\r\n\r\n").map_or(raw.len(), |p| p + 2);
    let (head, body) = raw.split_at(end);
    let date = mail_parser::DateTime::from_timestamp(*now).to_rfc822();
    let mut out = Vec::with_capacity(raw.len() + 64);
    for line in head.split_inclusive(|&b| b == b'\n') {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with(b"date:") {
            out.extend_from_slice(format!("Date: {date}\r\n").as_bytes());
        } else if lower.starts_with(b"message-id:") {
            out.extend_from_slice(format!("Message-ID: {message_id}\r\n").as_bytes());
        } else {
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(body);
    out
}

/// When each token's lure was sent, from `sent.csv` beside the manifest (lures the relay
/// refused or deferred are not in it).
pub fn sent_times(dir: &Path) -> std::collections::HashMap<String, i64> {
    read_log(dir)
        .into_iter()
        .filter(|(_, l)| l.status == Status::Sent)
        .map(|(t, l)| (t, l.at))
        .collect()
}
