//! `[milter]`: the milter daemon.

use serde::{Deserialize, Serialize};

/// What the milter does when a message cannot be scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureAction {
    /// Accept the message with an `X-Lurescreen-Error` header.
    Accept,
    /// Answer 451 4.7.1: the sending server keeps the message and retries.
    Tempfail,
}

/// The milter daemon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Milter {
    /// `unix:/path/to/socket` or `inet:HOST:PORT` (`--listen` overrides it).
    pub listen: String,
    /// Mode of a `unix:` socket file, octal as a string ("660": the MTA's group must reach it).
    pub socket_mode: String,
    /// When a scan fails or runs past twice `limits.scan_time_ms`.
    pub failure_action: FailureAction,
    /// When a message is over `limits.max_message_bytes` (tempfail would defer it for ever).
    pub oversize_action: FailureAction,
    /// Put `quarantine` messages on hold (Postfix hold queue); false: deliver them with headers.
    pub quarantine: bool,
    /// SMTP text for rejected mail (550 5.7.1); `{reason}` is the main finding, in English.
    pub reject_text: String,
    /// Concurrent MTA connections: above the MTA's own process limit (Postfix: 100), so that
    /// sessions still closing never count against new ones.
    pub max_connections: usize,
    /// On SIGTERM, wait this long for messages in progress before closing connections.
    pub shutdown_grace_ms: u64,
    /// When `MAX_OVERDUE_SCANS` (8) scans have all been running past their deadline for this
    /// long, they are taken to be stuck for good (a scan cannot be stopped from outside): the
    /// daemon exits with status 70 so that the service manager restarts it. 0: never.
    pub stuck_restart_ms: u64,
    /// An MTA connection whose first command is not complete this long after it connected is
    /// closed (100 ms to 1 hour).
    pub connect_timeout_ms: u64,
    /// A command (milter packet) begun must be complete within this, however slowly its bytes
    /// trickle in; also the longest wait for the MTA to take an answer (100 ms to 1 hour).
    pub command_timeout_ms: u64,
    /// A connection silent this long between commands is closed (1 s to 1 day; Postfix waits up
    /// to `smtpd_timeout`, 300 s, for a client between SMTP commands).
    pub idle_timeout_ms: u64,
    /// Header and body bytes kept for messages in progress, over all connections together; a
    /// message that finds it used up gets `failure_action` (at least `limits.max_message_bytes`,
    /// at most 1 TiB).
    pub max_body_bytes_in_flight: usize,
    /// `IP:PORT` for Prometheus `/metrics` and `/healthz`; empty: off. A wildcard address is
    /// refused: write the one interface to serve on.
    pub metrics_listen: String,
}

impl Default for Milter {
    fn default() -> Self {
        Milter {
            listen: "unix:/run/lurescreen/milter.sock".into(),
            socket_mode: "660".into(),
            failure_action: FailureAction::Tempfail,
            oversize_action: FailureAction::Accept,
            quarantine: true,
            reject_text: "Message refused as a suspected targeted attack or phishing: {reason}"
                .into(),
            max_connections: 250,
            shutdown_grace_ms: 30_000,
            stuck_restart_ms: 300_000,
            connect_timeout_ms: 30_000,
            command_timeout_ms: 30_000,
            idle_timeout_ms: 300_000,
            max_body_bytes_in_flight: 256 * 1024 * 1024,
            metrics_listen: String::new(),
        }
    }
}

impl Milter {
    /// Socket, mode, timeouts, and a body budget that holds at least one largest message.
    pub fn validate(&self, limits: &super::Limits) -> Result<(), String> {
        let m = self;
        if !(m.listen.starts_with("unix:") || m.listen.starts_with("inet:")) {
            return Err(format!(
                "milter.listen `{}` must be unix:/path or inet:host:port",
                m.listen
            ));
        }
        if u32::from_str_radix(&m.socket_mode, 8).map_or(true, |v| v > 0o777) {
            return Err(format!(
                "milter.socket_mode `{}` must be an octal mode such as \"660\"",
                m.socket_mode
            ));
        }
        for (key, value, min, max) in [
            ("connect_timeout_ms", m.connect_timeout_ms, 100, 3_600_000),
            ("command_timeout_ms", m.command_timeout_ms, 100, 3_600_000),
            ("idle_timeout_ms", m.idle_timeout_ms, 1_000, 86_400_000),
        ] {
            if !(min..=max).contains(&value) {
                return Err(format!(
                    "milter.{key} = {value} must be between {min} and {max}"
                ));
            }
        }
        if m.max_body_bytes_in_flight < limits.max_message_bytes
            || m.max_body_bytes_in_flight > 1 << 40
        {
            return Err(format!(
                "milter.max_body_bytes_in_flight = {} must be between limits.max_message_bytes \
                 ({}) and 1099511627776 (1 TiB)",
                m.max_body_bytes_in_flight, limits.max_message_bytes
            ));
        }
        Ok(())
    }
}

/// Checks `milter.metrics_listen`: empty (off) or IP:PORT of a specific interface; a wildcard
/// address (0.0.0.0, ::) or a host name is refused so that metrics never go public by accident.
pub fn validate_listen(value: &str) -> Result<Option<std::net::SocketAddr>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let addr: std::net::SocketAddr = value.parse().map_err(|_| {
        format!(
            "milter.metrics_listen `{value}` must be IP:PORT, such as \"127.0.0.1:9898\" or \"[::1]:9898\""
        )
    })?;
    if addr.ip().is_unspecified() {
        return Err(format!(
            "milter.metrics_listen `{value}` would serve metrics on every interface: write the \
             address of the one interface to serve on (127.0.0.1 for this host only)"
        ));
    }
    Ok(Some(addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_values() {
        assert_eq!(validate_listen(""), Ok(None));
        assert!(validate_listen("127.0.0.1:9898").unwrap().is_some());
        assert!(validate_listen("[::1]:9898").unwrap().is_some());
        assert!(validate_listen("192.0.2.10:9898").unwrap().is_some());
        for bad in [
            "0.0.0.0:9898",
            "[::]:9898",
            "localhost:9898",
            "9898",
            "127.0.0.1",
        ] {
            assert!(validate_listen(bad).is_err(), "{bad}");
        }
    }
}
