//! Where answers and bounces go: Reply-To, Sender and Return-Path (or the envelope's MAIL FROM)
//! on another registrable domain than From, and Reply-To on a free mail service.
//!
//! Mailing services, lists and newsletters routinely use other domains for bounces and replies,
//! so these weigh little, and nothing at all when a trusted server saw a DKIM signature (or a
//! DMARC pass) of the From domain: then the mail really comes from there, and the other
//! addresses are the service's own arrangement. A free mail Reply-To still counts: answers then
//! go to an address anyone could have opened.

use super::{is_freemail, is_list_mail};
use crate::checks::Context;
use crate::checks::headers::from_authenticated;
use crate::finding::Finding;
use crate::message::Mailbox;
use crate::text::domain::org_domain;

/// Where replies would go when that is another organisation than the sender's: the first
/// Reply-To on another registrable domain, as (rule, address, its registrable domain). A free
/// mail mailbox always counts; another organisation's domain only when the From domain is not
/// authenticated and the message did not come through a list (services and lists set their own
/// Reply-To).
pub fn reply_elsewhere(ctx: &Context<'_>) -> Option<(&'static str, String, String)> {
    let msg = ctx.msg;
    let from_domain = msg.from.iter().find_map(|m| {
        m.address.as_ref()?;
        m.domain()
    })?;
    let from_org = org_domain(&from_domain);
    let authenticated = from_authenticated(msg, &ctx.config.auth.trusted_authserv_ids);
    for rt in &msg.reply_to {
        let (Some(address), Some(domain)) = (&rt.address, rt.domain()) else {
            continue;
        };
        let org = org_domain(&domain);
        // On one free mail service, another mailbox is another person's (`ken@gmail.com`
        // writing, `office.ken@gmail.com` answering): the writer's own address is hidden.
        if org == from_org {
            let from_address = msg.from.iter().find_map(|m| m.address.as_deref());
            let other_mailbox =
                from_address.is_some_and(|f| !f.trim().eq_ignore_ascii_case(address.trim()));
            if other_mailbox && is_freemail(ctx, &domain) {
                return Some(("SENDER_REPLY_TO_FREEMAIL", address.clone(), org));
            }
            continue;
        }
        // Both on free mail but different services: still someone else's mailbox.
        if is_freemail(ctx, &domain) {
            return Some(("SENDER_REPLY_TO_FREEMAIL", address.clone(), org));
        }
        if authenticated || is_list_mail(msg) {
            continue;
        }
        return Some(("SENDER_REPLY_TO_OTHER_DOMAIN", address.clone(), org));
    }
    None
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let Some((from_address, from_domain)) = msg
        .from
        .iter()
        .find_map(|m| Some((m.address.clone()?, m.domain()?)))
    else {
        return;
    };
    let from_org = org_domain(&from_domain);
    let authenticated = from_authenticated(msg, &ctx.config.auth.trusted_authserv_ids);
    if let Some((rule, address, org)) = reply_elsewhere(ctx) {
        out.push(
            Finding::new(rule, "Reply-To")
                .with("reply_to", address)
                .with("from", from_address.clone())
                .with("reply_domain", org)
                .with("from_domain", from_org.clone()),
        );
    }
    if authenticated {
        return;
    }
    // Sender and Return-Path on another domain are everyday practice of lists and sending
    // services (over half of ordinary mail); on a free mail mailbox, for mail claiming an
    // organisation's domain, they show who really sent it.
    if is_freemail(ctx, &from_domain) {
        return;
    }
    let bounce = super::bounce_address(msg);
    let candidates = msg
        .sender
        .iter()
        .filter_map(|m| Some(("Sender", m.address.clone()?)))
        .chain(bounce.map(|b| ("Return-Path", b)));
    for (field, address) in candidates {
        let mb = Mailbox {
            name: None,
            address: Some(address.clone()),
        };
        if let Some(domain) = mb.domain()
            && is_freemail(ctx, &domain)
        {
            out.push(
                Finding::new("SENDER_ENVELOPE_FREEMAIL", field)
                    .with("field", field)
                    .with("address", address)
                    .with("from", from_address)
                    .with("from_domain", from_org),
            );
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::signatures::Signatures;

    fn run_with(raw: &str, trusted: &[&str]) -> Vec<(&'static str, String)> {
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let sigs = Signatures::embedded().unwrap();
        let mut config = Config::default();
        config.auth.trusted_authserv_ids = trusted.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        check(
            &Context {
                msg: &msg,
                signatures: &sigs,
                config: &config,
            },
            &mut out,
        );
        out.into_iter()
            .map(|f| (f.rule, f.evidence[0].1.clone()))
            .collect()
    }

    fn run(raw: &str) -> Vec<(&'static str, String)> {
        run_with(raw, &[])
    }

    #[test]
    fn replies_to_free_mail_or_elsewhere() {
        let f = run("From: Bank <info@bank.example>\nReply-To: bank.help@gmail.com\n\nx\n");
        assert_eq!(
            f,
            [("SENDER_REPLY_TO_FREEMAIL", "bank.help@gmail.com".into())]
        );
        let f = run("From: Bank <info@bank.example>\nReply-To: help@other.example\n\nx\n");
        assert_eq!(f[0].0, "SENDER_REPLY_TO_OTHER_DOMAIN");
        let f = run("From: a@yahoo.co.jp\nReply-To: b@gmail.com\n\nx\n");
        assert_eq!(f[0].0, "SENDER_REPLY_TO_FREEMAIL");
    }

    #[test]
    fn another_mailbox_on_the_same_free_mail_service() {
        let f = run("From: ken.sato88@gmail.com\nReply-To: k.sato.office@gmail.com\n\nx\n");
        assert_eq!(
            f,
            [("SENDER_REPLY_TO_FREEMAIL", "k.sato.office@gmail.com".into())]
        );
    }

    #[test]
    fn same_organisation_is_fine() {
        assert!(
            run("From: info@bank.example\nReply-To: help@support.bank.example\nSender: x@mail.bank.example\nReturn-Path: <b@bounce.bank.example>\n\nx\n")
                .is_empty()
        );
        assert!(run("From: taro@gmail.com\nReply-To: taro@gmail.com\n\nx\n").is_empty());
        assert!(run("From: Taro@Gmail.com\nReply-To: taro@gmail.com\n\nx\n").is_empty());
        // A company's own domain: another mailbox there is a colleague's.
        assert!(run("From: sales@shop.example\nReply-To: orders@shop.example\n\nx\n").is_empty());
        assert!(run("Reply-To: x@gmail.com\n\nno from\n").is_empty());
        assert!(run("From: a@b.example\nReturn-Path: <>\n\nx\n").is_empty());
    }

    #[test]
    fn return_path_and_sender() {
        assert!(run("From: a@shop.example\nSender: list@lists.other.example\nReturn-Path: <bounce-1@esp.example>\n\nx\n").is_empty());
        let f = run("From: Bank <a@bank.example>\nReturn-Path: <x@gmail.com>\n\nx\n");
        assert_eq!(f, [("SENDER_ENVELOPE_FREEMAIL", "Return-Path".into())]);
        let f = run("From: Bank <a@bank.example>\nSender: x@yahoo.co.jp\n\nx\n");
        assert_eq!(f, [("SENDER_ENVELOPE_FREEMAIL", "Sender".into())]);
        // Yahoo Groups' bounce addresses are a list server, not a mailbox.
        assert!(
            run("From: a@b.example\nReturn-Path: <sentto-1@returns.groups.yahoo.com>\n\nx\n")
                .is_empty()
        );
        assert!(
            run("From: a@b.example\nReply-To: list@lists.other.example\nList-Id: <x>\n\nx\n")
                .is_empty()
        );
    }

    #[test]
    fn aligned_dkim_pass_damps_all_but_free_mail() {
        let raw = "Authentication-Results: mx.example.co.jp; dkim=pass header.d=shop.example\n\
From: Shop <news@shop.example>\nReply-To: support@helpdesk-vendor.example\n\
Sender: x@gmail.com\nReturn-Path: <b@esp.example>\n\nx\n";
        assert_eq!(run(raw).len(), 2);
        assert!(run_with(raw, &["mx.example.co.jp"]).is_empty());
        let free = raw.replace("support@helpdesk-vendor.example", "shop.help@gmail.com");
        assert_eq!(
            run_with(&free, &["mx.example.co.jp"]),
            [("SENDER_REPLY_TO_FREEMAIL", "shop.help@gmail.com".into())]
        );
    }
}
