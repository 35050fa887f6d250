//! Header checks: the From field itself (missing, several, unparsable) and the
//! Authentication-Results of the organisation's own receiving servers.
//!
//! Only Authentication-Results fields whose `authserv-id` is listed in `[auth]
//! trusted_authserv_ids` are read; anything else a sender can write (results claimed by other
//! ids, X-Spam-Flag / X-Spam-Status verdicts) is never believed. The border MTA must remove
//! incoming fields that carry its own id (RFC 8601 §5), as OpenDKIM, OpenDMARC and Postfix's
//! milters do.

use crate::checks::Context;
use crate::finding::Finding;
use crate::message::{Mailbox, Message};
use crate::text::domain::same_org;

/// From missing, given more than once, naming several authors without a Sender, or naming no
/// usable address.
pub fn from_field(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    if msg.headers.is_empty() {
        return; // HEADER_NONE (or a bare file scanned as an attachment) says it already.
    }
    let fields: Vec<&str> = msg
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("from"))
        .map(|(_, v)| v.as_str())
        .collect();
    let Some(first) = fields.first() else {
        out.push(Finding::new("HEADER_FROM_MISSING", "header"));
        return;
    };
    let with_address: Vec<&Mailbox> = msg.from.iter().filter(|m| m.address.is_some()).collect();
    let has_sender = msg
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("sender"));
    if fields.len() > 1 {
        out.push(
            Finding::new("HEADER_FROM_MULTIPLE", "From")
                .with("count", fields.len().to_string())
                .with("from", fields.join(" | ")),
        );
    } else if with_address.len() > 1 && !has_sender {
        out.push(
            Finding::new("HEADER_FROM_MULTIPLE", "From")
                .with("count", with_address.len().to_string())
                .with("from", first.to_string()),
        );
    }
    // Mail submitted on this host (a cron job's `root@myhost`) has at most our own Received
    // field; from elsewhere, a bare host name is no address anyone can answer.
    let local = msg
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("received"))
        .count()
        < 2;
    let broken = msg.from.is_empty()
        || msg.from.iter().any(|m| match m.address.as_deref() {
            Some(a) => !(is_usable_address(a) || local && is_local_address(a)),
            None => true,
        });
    if broken && !crate::checks::standing::is_mail_system_notice(msg) {
        out.push(Finding::new("HEADER_FROM_INVALID", "From").with("from", first.to_string()));
    }
}

/// `local@domain` with a domain of at least two labels that a host name could have (or an
/// address literal).
pub fn is_usable_address(address: &str) -> bool {
    let Some((local, domain)) = address.trim().rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.contains(char::is_whitespace) {
        return false;
    }
    if domain.starts_with('[') && domain.ends_with(']') {
        return true;
    }
    let domain = domain.trim_end_matches('.');
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().any(|c| !c.is_ascii_digit()))
}

/// `user@host`: a bare host name, as local programs write.
fn is_local_address(address: &str) -> bool {
    address.rsplit_once('@').is_some_and(|(local, host)| {
        !local.is_empty()
            && !host.is_empty()
            && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

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

/// SPF, DKIM and DMARC failures recorded by a trusted receiving server.
pub fn authentication_results(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let results = trusted_results(ctx.msg, &ctx.config.auth.trusted_authserv_ids);
    let dkim_pass = results
        .iter()
        .any(|r| r.method == "dkim" && r.result == "pass");
    let mut seen: Vec<&str> = Vec::new();
    for r in &results {
        let rule = match (r.method.as_str(), r.result.as_str()) {
            ("spf", "fail") => "HEADER_SPF_FAIL",
            // One good signature is enough: forwarding often breaks another.
            ("dkim", "fail") if !dkim_pass => "HEADER_DKIM_FAIL",
            ("dmarc", "fail") => "HEADER_DMARC_FAIL",
            _ => continue,
        };
        if seen.contains(&rule) {
            continue;
        }
        seen.push(rule);
        let domain = r
            .prop("header.from")
            .or_else(|| r.prop("header.d"))
            .or_else(|| r.prop("smtp.mailfrom"))
            .or_else(|| r.prop("header.i"))
            .unwrap_or("?");
        out.push(
            Finding::new(rule, "Authentication-Results")
                .with("domain", domain)
                .with("result", format!("{}={}", r.method, r.result)),
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::signatures::Signatures;

    fn run(raw: &str, trusted: &[&str]) -> Vec<Finding> {
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let sigs = Signatures::embedded().unwrap();
        let mut config = Config::default();
        config.auth.trusted_authserv_ids = trusted.iter().map(|s| s.to_string()).collect();
        let ctx = Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        };
        let mut out = Vec::new();
        from_field(&ctx, &mut out);
        authentication_results(&ctx, &mut out);
        out
    }

    fn rules(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn from_missing_several_and_broken() {
        assert_eq!(
            rules(&run("To: a@b.example\nSubject: s\n\nx\n", &[])),
            ["HEADER_FROM_MISSING"]
        );
        assert_eq!(
            rules(&run(
                "From: a@b.example\nFrom: c@d.example\nSubject: s\n\nx\n",
                &[]
            )),
            ["HEADER_FROM_MULTIPLE"]
        );
        assert_eq!(
            rules(&run("From: a@b.example, c@d.example\n\nx\n", &[])),
            ["HEADER_FROM_MULTIPLE"]
        );
        assert!(
            run(
                "From: a@b.example, c@d.example\nSender: a@b.example\n\nx\n",
                &[]
            )
            .is_empty()
        );
        let remote = "Received: from a by b\nReceived: from c by d\n";
        assert_eq!(
            rules(&run(
                &format!("{remote}From: Aviso <alfandega587025@correios>\n\nx\n"),
                &[]
            )),
            ["HEADER_FROM_INVALID"]
        );
        // A local program's mail (no Received from elsewhere) may use a bare host name.
        assert!(run("Received: by myhost (Postfix, from userid 0)\nFrom: root@myhost (Cron Daemon)\n\nx\n", &[]).is_empty());
        assert_eq!(
            rules(&run(
                "From: Microsoft account team ,_<no-reply@access.example.com>\n\nx\n",
                &[]
            )),
            ["HEADER_FROM_INVALID"]
        );
        assert_eq!(
            rules(&run("From: undisclosed\n\nx\n", &[])),
            ["HEADER_FROM_INVALID"]
        );
    }

    #[test]
    fn ordinary_from_fields_pass() {
        for from in [
            "Taro Yamada <taro@example.co.jp>",
            "\"Yamada, Taro\" <taro@example.co.jp>",
            "=?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.co.jp>",
            "taro@example.co.jp (Taro)",
            "root@[192.0.2.1]",
        ] {
            let f = run(&format!("From: {from}\nSubject: s\n\nx\n"), &[]);
            assert!(f.is_empty(), "{from}: {f:?}");
        }
        assert!(run("\n\nbody only\n", &[]).is_empty());
    }

    #[test]
    fn authentication_results_from_trusted_ids_only() {
        let raw = "Authentication-Results: mx.example.co.jp; spf=fail (sender IP is 192.0.2.1) smtp.mailfrom=evil.example;\n dkim=fail header.d=bank.example; dmarc=fail (p=reject) header.from=bank.example\n\
Authentication-Results: mx.evil.example; spf=pass; dkim=pass header.d=bank.example; dmarc=pass\n\
X-Spam-Status: No, score=-5\nFrom: Bank <info@bank.example>\n\nx\n";
        assert!(run(raw, &[]).is_empty());
        assert!(run(raw, &["mx.other.example"]).is_empty());
        let f = run(raw, &["MX.example.co.jp"]);
        assert_eq!(
            rules(&f),
            ["HEADER_SPF_FAIL", "HEADER_DKIM_FAIL", "HEADER_DMARC_FAIL"]
        );
        assert_eq!(f[2].evidence[0].1, "bank.example");
        // The untrusted id's claimed pass does not count either way.
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        assert!(!from_authenticated(&msg, &["mx.example.co.jp".into()]));
    }

    #[test]
    fn aligned_dkim_pass_authenticates_the_from_domain() {
        let raw = "Authentication-Results: mx.example.co.jp;\n dkim=pass header.d=news.shop.example header.s=s1;\n dkim=fail header.d=esp.example\n\
From: Shop <news@shop.example>\n\nx\n";
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let trusted = vec!["mx.example.co.jp".to_string()];
        assert!(from_authenticated(&msg, &trusted));
        assert!(!from_authenticated(&msg, &[]));
        assert!(run(raw, &["mx.example.co.jp"]).is_empty());
        let other = raw.replace("header.d=news.shop.example", "header.d=esp.example");
        let msg = crate::message::parse(other.as_bytes(), &Default::default()).unwrap();
        assert!(!from_authenticated(&msg, &trusted));
    }

    #[test]
    fn authentication_results_parse_leniently() {
        let (id, r) = parse_authentication_results(
            "mx.example (v=1); dkim/1=pass (good) header.i=@Shop.Example; junk; spf=none",
        );
        assert_eq!(id, "mx.example");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].method, "dkim");
        assert_eq!(r[0].prop("header.i"), Some("shop.example"));
        assert_eq!(parse_authentication_results("").1, vec![]);
    }
}
