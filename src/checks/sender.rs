//! Sender checks: who the message claims to be from versus where it comes from.

use crate::checks::Context;
use crate::domain::registrable;
use crate::verdict::Finding;

/// A display name that is itself an address on another domain: `"support@bank.example" <x@evil>`.
pub fn display_name_address(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for mb in &ctx.msg.from {
        let (Some(name), Some(address), Some(domain)) = (&mb.name, &mb.address, mb.domain()) else {
            continue;
        };
        let Some(shown) = address_in(name) else {
            continue;
        };
        let Some((_, shown_domain)) = shown.rsplit_once('@') else {
            continue;
        };
        let shown_domain = shown_domain.to_lowercase();
        let same = match (registrable(&shown_domain), registrable(&domain)) {
            (Some(a), Some(b)) => a == b,
            _ => shown_domain == domain,
        };
        if !same {
            out.push(
                Finding::new("SENDER_DISPLAY_NAME_ADDRESS", "From")
                    .with("shown", shown.clone())
                    .with("address", address.clone())
                    .with("shown_domain", shown_domain)
                    .with("address_domain", domain),
            );
        }
    }
}

/// The first thing in `text` shaped like an email address.
fn address_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || "<>()[]\"',;:：（）「」".contains(c))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '\''))
        .find(|w| {
            w.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
            })
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::message::{Mailbox, Message};
    use crate::signatures::Signatures;

    fn run(name: &str, address: &str) -> Vec<Finding> {
        let msg = Message {
            from: vec![Mailbox {
                name: Some(name.into()),
                address: Some(address.into()),
            }],
            ..Message::default()
        };
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let mut out = Vec::new();
        display_name_address(
            &Context {
                msg: &msg,
                signatures: &sigs,
                config: &config,
            },
            &mut out,
        );
        out
    }

    #[test]
    fn address_on_another_domain_in_the_display_name() {
        let f = run("support@bank.co.jp", "x@evil.example");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[0].1, "support@bank.co.jp");
        assert_eq!(
            run("三井住友銀行 (info@smbc.co.jp)", "a@b.example").len(),
            1
        );
    }

    #[test]
    fn same_organisation_is_not_a_mismatch() {
        assert!(run("info@example.co.jp", "info@mail.example.co.jp").is_empty());
        assert!(run("Taro Yamada", "taro@example.co.jp").is_empty());
        assert!(run("TARO@EXAMPLE.COM", "taro@example.com").is_empty());
    }
}
