//! Link checks: what the reader sees versus where a link goes.

use crate::checks::Context;
use crate::domain::{domain_in_text, registrable, url_host};
use crate::verdict::Finding;

/// Visible link text naming one domain while the href goes to another registrable domain.
///
/// Two cases are not deceptions and are skipped: the href is a redirect whose query names the
/// shown domain (security gateways and shops rewrite links so: `?u=https://shown.example/`), and
/// a bare name (`Dilbert.com`, `www.shop.example`, no `https://`) linked through the sender's own
/// domain, the way newsletters track clicks. A full URL shown is always judged.
pub fn text_domain_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let sender_domain = ctx
        .msg
        .from
        .first()
        .and_then(|m| m.domain())
        .map(|d| registrable(&d).unwrap_or(d));
    for link in &ctx.msg.links {
        let Some(text) = link.text.as_deref() else {
            continue;
        };
        let Some(text_host) = domain_in_text(text) else {
            continue;
        };
        let Some(href_host) = url_host(&link.href) else {
            continue;
        };
        let text_domain = registrable(&text_host).unwrap_or_else(|| text_host.clone());
        let href_domain = registrable(&href_host).unwrap_or_else(|| href_host.clone());
        if text_domain == href_domain || query_names(&link.href, &text_domain) {
            continue;
        }
        let shown = text.trim_start().to_ascii_lowercase();
        let shows_full_url = shown.starts_with("http://") || shown.starts_with("https://");
        if !shows_full_url && sender_domain.as_deref() == Some(href_domain.as_str()) {
            continue;
        }
        out.push(
            Finding::new("LINK_TEXT_DOMAIN_MISMATCH", &link.location)
                .with("text", text)
                .with("href", link.href.as_str())
                .with("text_domain", text_domain)
                .with("href_domain", href_domain),
        );
    }
}

/// Whether a decoded query parameter of `href` names `domain` (a redirect to the shown site).
fn query_names(href: &str, domain: &str) -> bool {
    let Ok(url) = url::Url::parse(href.trim()) else {
        return false;
    };
    url.query_pairs()
        .any(|(_, v)| v.to_ascii_lowercase().contains(domain))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::message::{Link, Message};
    use crate::signatures::Signatures;

    fn run(links: &[(&str, Option<&str>)]) -> Vec<Finding> {
        run_from("Someone <someone@sender.example.com>", links)
    }

    fn run_from(from: &str, links: &[(&str, Option<&str>)]) -> Vec<Finding> {
        let (name, address) = from.split_once(" <").unwrap();
        let msg = Message {
            from: vec![crate::message::Mailbox {
                name: Some(name.into()),
                address: Some(address.trim_end_matches('>').into()),
            }],
            links: links
                .iter()
                .map(|(h, t)| Link {
                    href: h.to_string(),
                    text: t.map(str::to_string),
                    location: "1 link 1".into(),
                })
                .collect(),
            ..Message::default()
        };
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let mut out = Vec::new();
        text_domain_mismatch(
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
    fn shown_bank_goes_elsewhere() {
        let f = run(&[("http://203.0.113.9/login", Some("https://www.smbc.co.jp/"))]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[3].1, "203.0.113.9");
        assert_eq!(
            run(&[("https://bank-login.example/", Some("bank.co.jp"))]).len(),
            1
        );
    }

    #[test]
    fn same_site_plain_words_and_text_links_are_fine() {
        assert!(
            run(&[
                ("https://www.example.co.jp/a", Some("example.co.jp")),
                ("https://shop.example.com/", Some("https://example.com")),
                ("https://evil.example/", Some("Click here")),
                ("https://evil.example/", None),
                ("mailto:a@b.example", Some("c.example")),
            ])
            .is_empty()
        );
    }
}
