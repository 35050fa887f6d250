//! `drill send`: delivers the generated lures through an SMTP relay (lettre), a dry run unless
//! confirmed, at a bounded rate, and never to an address outside the campaign's domains.

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

/// Sends (or, without `yes`, lists) every lure of the manifest. Returns how many were sent.
pub fn run(
    generated: &Generated,
    opts: &Options,
    out: &mut dyn Write,
) -> Result<usize, DrillError> {
    let from = check(generated, opts)?;
    let entries = &generated.manifest.entries;
    let io = |e: std::io::Error| DrillError::Io(e.to_string());
    let interval = Duration::from_secs_f64(60.0 / f64::from(opts.rate_per_minute));
    writeln!(
        out,
        "{} {} lure(s) of campaign {} via {}:{} at most {} per minute (envelope sender {from})",
        if opts.yes {
            "sending"
        } else {
            "dry run: would send"
        },
        entries.len(),
        generated.manifest.campaign,
        opts.host,
        opts.port,
        opts.rate_per_minute
    )
    .map_err(io)?;
    if !opts.yes {
        for e in entries {
            writeln!(out, "  {}  {:<24}  {}", e.email, e.scenario, e.subject).map_err(io)?;
        }
        writeln!(out, "nothing sent; add --yes to send").map_err(io)?;
        return Ok(0);
    }
    let transport = SmtpTransport::builder_dangerous(&opts.host)
        .port(opts.port)
        .hello_name(ClientId::Domain(opts.helo.clone()))
        .timeout(Some(Duration::from_secs(30)))
        .build();
    let log_path = generated.dir.join(SENT_LOG);
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .map_err(|e| DrillError::Io(format!("{}: {e}", log_path.display())))?;
    let mut sent = 0;
    let mut next = Instant::now();
    for e in entries {
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        }
        next = Instant::now() + interval;
        let to: Address = e
            .email
            .parse()
            .map_err(|err| DrillError::Refused(format!("`{}`: {err}", e.email)))?;
        let envelope = Envelope::new(Some(from.clone()), vec![to])
            .map_err(|err| DrillError::Smtp(err.to_string()))?;
        let raw = generated.raw(e)?;
        transport
            .send_raw(&envelope, &raw)
            .map_err(|err| DrillError::Smtp(format!("{} (after {sent} sent): {err}", e.email)))?;
        sent += 1;
        writeln!(log, "{},{}", e.token, unix_now()).map_err(io)?;
        writeln!(out, "  sent {}  {}", e.email, e.scenario).map_err(io)?;
    }
    Ok(sent)
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// When each token's lure was sent, from `sent.csv` beside the manifest (the latest send wins).
pub fn sent_times(dir: &Path) -> std::collections::HashMap<String, i64> {
    let mut out = std::collections::HashMap::new();
    if let Ok(text) = std::fs::read_to_string(dir.join(SENT_LOG)) {
        for line in text.lines() {
            if let Some((token, t)) = line.split_once(',')
                && let Ok(t) = t.trim().parse::<i64>()
            {
                out.insert(token.trim().to_string(), t);
            }
        }
    }
    out
}
