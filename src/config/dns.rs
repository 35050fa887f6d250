//! `[dns]`: the optional DNS stage.

use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};

/// The optional DNS stage: look-ups about the domains a message names. Off by default; with it
/// off no look-up is ever made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dns {
    pub enabled: bool,
    /// Resolvers as `IP` or `IP:PORT`; empty: the system's (`/etc/resolv.conf`).
    pub servers: Vec<String>,
    /// Time for all the look-ups of one message together.
    pub budget_ms: u64,
    /// Time for one look-up.
    pub timeout_ms: u64,
    /// DNSBL/URIBL zones for link and sender domains (`dbl.example.org`); none is queried unless
    /// listed here.
    pub dnsbl_zones: Vec<String>,
    /// Look-ups per message, at most.
    pub max_lookups: usize,
}

impl Default for Dns {
    fn default() -> Self {
        Dns {
            enabled: false,
            servers: Vec::new(),
            budget_ms: 2000,
            timeout_ms: 800,
            dnsbl_zones: Vec::new(),
            max_lookups: 20,
        }
    }
}

/// `IP` or `IP:PORT` (`[v6]:PORT`), port 53 by default.
pub fn parse_server(s: &str) -> Result<SocketAddr, String> {
    let s = s.trim();
    if let Ok(addr) = s.parse::<SocketAddr>() {
        return Ok(addr);
    }
    s.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| format!("dns.servers: `{s}` is not an IP address or IP:PORT"))
}

/// Checks a `[dns]` section: servers that parse, non-zero budget and timeout, zone names.
pub fn validate(config: &Dns) -> Result<(), String> {
    for s in &config.servers {
        parse_server(s)?;
    }
    if config.budget_ms == 0 || config.timeout_ms == 0 {
        return Err("dns.budget_ms and dns.timeout_ms must be above 0".into());
    }
    for z in &config.dnsbl_zones {
        if z.trim().is_empty() || z.contains(char::is_whitespace) {
            return Err(format!("dns.dnsbl_zones: `{z}` is not a zone name"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_parse() {
        assert_eq!(
            parse_server("192.0.2.53").unwrap(),
            "192.0.2.53:53".parse().unwrap()
        );
        assert_eq!(
            parse_server("[2001:db8::53]:5353").unwrap(),
            "[2001:db8::53]:5353".parse().unwrap()
        );
        assert!(parse_server("dns.example").is_err());
        let bad = Dns {
            servers: vec!["nope".into()],
            ..Default::default()
        };
        assert!(validate(&bad).is_err());
        assert!(validate(&Dns::default()).is_ok());
    }
}
