//! Predicates several checks share: free mail and free hosting, the organisation's own
//! domains, mailing lists, the bounce address.

use crate::checks::Context;
use crate::text::domain::suffix_in;

/// Whether `domain` is a free mail service's mailbox domain (`lists/freemail_domains.txt`).
/// Exact names only: `gmail.com` is personal mailboxes, `groups.yahoo.com` is a list server.
pub fn is_freemail(ctx: &Context<'_>, domain: &str) -> bool {
    ctx.signatures
        .lists
        .freemail_domains
        .contains(domain.trim().trim_end_matches('.').to_lowercase().as_str())
}

/// Whether the message came through a mailing list, which sets its own Reply-To, Sender,
/// Return-Path and footer.
pub fn is_list_mail(msg: &crate::message::Message) -> bool {
    msg.headers.iter().any(|(n, _)| {
        ["list-id", "list-post", "mailing-list", "x-mailing-list"]
            .iter()
            .any(|h| n.eq_ignore_ascii_case(h))
    })
}

/// The envelope's return path (MAIL FROM, else the Return-Path field), without angle brackets,
/// when it is an address.
pub fn bounce_address(msg: &crate::message::Message) -> Option<String> {
    msg.envelope
        .mail_from
        .as_deref()
        .or(msg.return_path.as_deref())
        .map(|a| a.trim().trim_matches(['<', '>']).to_string())
        .filter(|a| a.contains('@'))
}

/// Whether `domain` is one of the organisation's own or protected domains, or under one.
pub fn is_own_or_protected(ctx: &Context<'_>, domain: &str) -> bool {
    let org = &ctx.config.organisation;
    suffix_in(domain, &org.domains).is_some() || suffix_in(domain, &org.protected_domains).is_some()
}

/// Whether `domain` is a customer's name on a shared platform where anyone can get one in
/// minutes: a mail platform's tenant domain (`lists/tenant_domains.txt`: `acme.onmicrosoft.com`)
/// or a free hosting service (`lists/free_hosting.txt`: `acme.firebaseapp.com`). The platform's
/// signature on such mail vouches for the platform, not for the customer.
pub fn on_shared_platform(ctx: &Context<'_>, domain: &str) -> bool {
    let lists = &ctx.signatures.lists;
    tenant_platform(domain, lists).is_some()
        || free_hosting(
            &domain.trim().trim_end_matches('.').to_ascii_lowercase(),
            lists,
        )
        .is_some()
}

/// The mail platform or help desk whose tenant domain `domain` is under
/// (`lists/tenant_domains.txt`: `acme.onmicrosoft.com` is under `onmicrosoft.com`).
pub fn tenant_platform<'a>(domain: &str, lists: &'a crate::signatures::Lists) -> Option<&'a str> {
    let lowered = domain.trim().trim_end_matches('.').to_lowercase();
    lists
        .tenant_domains
        .iter()
        .find(|t| {
            lowered
                .strip_suffix(t.as_str())
                .is_some_and(|rest| rest.ends_with('.'))
        })
        .map(String::as_str)
}

/// The free hosting or cloud storage service `host` is on (`lists/free_hosting.txt`); Amazon S3
/// buckets also by their regional names (`bucket.s3.us-east-1.amazonaws.com`,
/// `bucket.s3-website-eu-west-1.amazonaws.com`), too many to list.
pub fn free_hosting<'a>(host: &str, lists: &'a crate::signatures::Lists) -> Option<&'a str> {
    if let Some(entry) = suffix_in(host, &lists.free_hosting) {
        return Some(entry);
    }
    let lower = host.trim_end_matches('.').to_ascii_lowercase();
    let under_aws = lower.strip_suffix(".amazonaws.com")?;
    under_aws
        .split('.')
        .any(|l| l == "s3" || l.starts_with("s3-") || l.starts_with("s3."))
        .then_some("s3.amazonaws.com")
}
