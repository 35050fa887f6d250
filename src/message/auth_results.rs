//! Authentication-Results fields (RFC 8601) read into results, and which of them to believe:
//! those recorded by the receiving servers the site trusts.

use super::{Mailbox, Message};
use crate::text::domain::same_org;

/// One `method=result` of an Authentication-Results field, with its properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResult {
    /// `spf`, `dkim`, `dmarc`, ... (lower case, version dropped).
    pub method: String,
    /// `pass`, `fail`, `softfail`, `none`, ... (lower case).
    pub result: String,
    /// `header.d`, `header.from`, `smtp.mailfrom`, ... with their values (names lower case).
    pub props: Vec<(String, String)>,
}

impl AuthResult {
    pub fn prop(&self, name: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The results recorded by trusted receiving servers (`[auth] trusted_authserv_ids`).
pub fn trusted_results(msg: &Message, trusted_ids: &[String]) -> Vec<AuthResult> {
    if trusted_ids.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (name, value) in &msg.headers {
        if !name.eq_ignore_ascii_case("authentication-results") {
            continue;
        }
        let (id, results) = parse_authentication_results(value);
        if trusted_ids.iter().any(|t| t.eq_ignore_ascii_case(&id)) {
            out.extend(results);
        }
    }
    out
}

/// Whether a trusted server saw the From domain authenticated: a DKIM pass whose signing domain
/// is the From's registrable domain (relaxed alignment), or a DMARC pass. Such mail really comes
/// from the domain it names, so differing Reply-To, Return-Path or Sender are the service's own
/// arrangements, not spoofing.
pub fn from_authenticated(msg: &Message, trusted_ids: &[String]) -> bool {
    let Some(from) = msg.from.first().and_then(Mailbox::domain) else {
        return false;
    };
    trusted_results(msg, trusted_ids).iter().any(|r| {
        r.result == "pass"
            && match r.method.as_str() {
                "dkim" => r.prop("header.d").is_some_and(|d| same_org(d, &from)),
                "dmarc" => r.prop("header.from").is_none_or(|d| same_org(d, &from)),
                _ => false,
            }
    })
}

/// Splits an Authentication-Results value into its authserv-id and results (RFC 8601), comments
/// removed. Lenient: anything unreadable is skipped.
pub fn parse_authentication_results(value: &str) -> (String, Vec<AuthResult>) {
    let clean = strip_comments(value);
    let mut parts = clean.split(';');
    let id = parts
        .next()
        .and_then(|p| p.split_whitespace().next())
        .unwrap_or("")
        .to_lowercase();
    let mut results = Vec::new();
    for part in parts {
        let mut tokens = part.split_whitespace();
        let Some((method, result)) = tokens.next().and_then(|t| t.split_once('=')) else {
            continue;
        };
        let method = method.split('/').next().unwrap_or(method).to_lowercase();
        let props = tokens
            .filter_map(|t| t.split_once('='))
            .map(|(k, v)| {
                let v = v.trim_matches('"');
                let v = v.rsplit_once('@').map_or(v, |(_, d)| d);
                (k.to_lowercase(), v.to_lowercase())
            })
            .collect();
        results.push(AuthResult {
            method,
            result: result.to_lowercase(),
            props,
        });
    }
    (id, results)
}

/// The text without `(comments)`, nested ones included.
fn strip_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut depth = 0usize;
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}
