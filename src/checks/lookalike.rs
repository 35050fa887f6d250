//! Lookalike domains: sender and link domains made to pass for the organisation's own or
//! protected domains (`[organisation]` in the config), and internationalised host names built
//! to look like something else.
//!
//! A domain is compared by its registrable label (`example` of `mail.example.co.jp`) with each
//! protected one: Unicode confusables (TR39 skeletons, so `rn` reads as `m` and Cyrillic `аррӏе`
//! as `apple`), edit distance (1 for labels of 4–5 characters, 2 from 6), hyphen games
//! (`example-corp` ↔ `examplecorp`), the same label under another suffix (`.co.jp` → `.jp`,
//! `.com`), the protected domain written as subdomains of another (`meti.go.jp.evil.example`),
//! and a protected name inside another label (`sakurabank-login.example`). Mail and links really on
//! an own or protected domain (or under one) are never lookalikes.

use crate::checks::Context;
use crate::finding::Finding;
use crate::text::domain::{registrable, suffix_in};
use unicode_security::{MixedScript, skeleton};

/// A protected domain, split for comparison.
#[derive(Debug, Clone)]
struct Target {
    /// Registrable domain, ASCII: `example.co.jp`.
    domain: String,
    /// The label left of the public suffix, ASCII: `example`.
    label: String,
    /// Its Unicode form's skeleton.
    skeleton: String,
}

/// What the comparisons need from the configuration, computed once per message.
pub struct Protected {
    own: Vec<String>,
    targets: Vec<Target>,
    /// Brand names reduced to ASCII letters and digits, at least 4 long.
    brands: Vec<(String, String)>,
}

impl Protected {
    pub fn from_context(ctx: &Context<'_>) -> Self {
        let org = &ctx.config.organisation;
        let own: Vec<String> = org
            .domains
            .iter()
            .chain(&org.protected_domains)
            .map(|d| ascii_host(d))
            .filter(|d| !d.is_empty())
            .collect();
        let mut targets: Vec<Target> = Vec::new();
        for d in &own {
            let Some(reg) = registrable(d) else { continue };
            let label = registrable_label(&reg);
            if label.chars().count() < 3 || targets.iter().any(|t| t.domain == reg) {
                continue;
            }
            targets.push(Target {
                skeleton: skeleton_of(&unicode_label(&label)),
                domain: reg,
                label,
            });
        }
        let brands = super::sender::protected_brands(ctx)
            .into_iter()
            .filter_map(|b| {
                let squashed = squash(&b);
                (squashed.len() >= 4).then_some((b, squashed))
            })
            .collect();
        Protected {
            own,
            targets,
            brands,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty() && self.brands.is_empty()
    }

    /// The protected domain or brand `host` imitates, and how.
    pub fn imitated_by(&self, host: &str) -> Option<(String, &'static str)> {
        let host = ascii_host(host);
        if host.is_empty()
            || host.parse::<std::net::IpAddr>().is_ok()
            || suffix_in(&host, &self.own).is_some()
        {
            return None;
        }
        let reg = registrable(&host)?;
        let label = registrable_label(&reg);
        let squashed = squash(&label);
        // Only the protected domains are compared by skeleton: none configured, none made.
        let label_skeleton = if self.targets.is_empty() {
            String::new()
        } else {
            skeleton_of(&unicode_label(&label))
        };
        for t in &self.targets {
            if host.starts_with(&format!("{}.", t.domain))
                || host.contains(&format!(".{}.", t.domain))
            {
                return Some((t.domain.clone(), "subdomain"));
            }
            if label == t.label {
                return Some((t.domain.clone(), "suffix"));
            }
            if label_skeleton == t.skeleton {
                return Some((t.domain.clone(), "confusable"));
            }
            if squashed == squash(&t.label) {
                return Some((t.domain.clone(), "hyphen"));
            }
            let len = t.label.chars().count();
            let limit = match len {
                0..=3 => 0,
                4..=5 => 1,
                _ => 2,
            };
            if limit > 0 && strsim::osa_distance(&label, &t.label) <= limit {
                return Some((t.domain.clone(), "edit"));
            }
            let target_squashed = squash(&t.label);
            if target_squashed.len() >= 4 && squashed.contains(&target_squashed) {
                return Some((t.domain.clone(), "contains"));
            }
        }
        let whole = squash(host.trim_end_matches(&format!(".{reg}")));
        for (brand, squashed_brand) in &self.brands {
            if squashed.contains(squashed_brand.as_str())
                || (host != reg && whole.contains(squashed_brand.as_str()))
            {
                return Some((brand.clone(), "brand"));
            }
        }
        None
    }
}

/// How a host name is confusable on its own, whatever the configuration: an internationalised
/// label mixing scripts (Latin with Cyrillic), or one written in another script that reads as
/// plain ASCII (`аррӏе`). Gives the Unicode form and the kind.
pub fn confusable_idn(host: &str) -> Option<(String, &'static str)> {
    let host = ascii_host(host);
    if !host.split('.').any(|l| l.starts_with("xn--")) {
        return None;
    }
    let (unicode, result) = idna::domain_to_unicode(&host);
    if result.is_err() {
        return Some((host, "invalid"));
    }
    for label in unicode.split('.') {
        if label.is_ascii() {
            continue;
        }
        if !label.is_single_script() {
            return Some((unicode.clone(), "mixed"));
        }
        let sk = skeleton_of(label);
        if sk.is_ascii() && sk.chars().any(|c| c.is_ascii_alphabetic()) {
            return Some((unicode.clone(), "ascii"));
        }
    }
    None
}

/// From, Reply-To and Sender domains that imitate a protected domain or are confusable.
pub fn sender(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let protected = Protected::from_context(ctx);
    let msg = ctx.msg;
    let fields = msg
        .from
        .iter()
        .map(|m| ("From", m))
        .chain(msg.reply_to.iter().map(|m| ("Reply-To", m)))
        .chain(msg.sender.iter().map(|m| ("Sender", m)));
    // A set: a From with a million addresses made a list quadratic.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (field, mb) in fields {
        let (Some(address), Some(domain)) = (&mb.address, mb.domain()) else {
            continue;
        };
        if !seen.insert(domain.clone()) {
            continue;
        }
        if let Some((target, how)) = protected.imitated_by(&domain) {
            out.push(
                Finding::new("SENDER_LOOKALIKE_DOMAIN", field)
                    .with("address", address.clone())
                    .with("domain", domain.clone())
                    .with("imitates", target)
                    .with("how", describe(how)),
            );
        } else if let Some((unicode, how)) = confusable_idn(&domain) {
            out.push(
                Finding::new("SENDER_CONFUSABLE_DOMAIN", field)
                    .with("address", address.clone())
                    .with("domain", domain.clone())
                    .with("shown", unicode)
                    .with("how", describe(how)),
            );
        }
    }
}

/// Link hosts that imitate a protected domain or are confusable.
pub fn links(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let protected = Protected::from_context(ctx);
    // A set: a From with a million addresses made a list quadratic.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for link in &ctx.msg.links {
        let Some(host) = link.host.clone() else {
            continue;
        };
        if !seen.insert(host.clone()) {
            continue;
        }
        if let Some((target, how)) = protected.imitated_by(&host) {
            out.push(
                Finding::new("LINK_LOOKALIKE_DOMAIN", &link.location)
                    .with("host", host.clone())
                    .with("href", link.href.as_str())
                    .with("imitates", target)
                    .with("how", describe(how)),
            );
        } else if let Some((unicode, how)) = confusable_idn(&host) {
            out.push(
                Finding::new("LINK_CONFUSABLE_HOST", &link.location)
                    .with("host", host.clone())
                    .with("href", link.href.as_str())
                    .with("shown", unicode)
                    .with("how", describe(how)),
            );
        }
    }
}

fn describe(how: &str) -> &'static str {
    match how {
        "subdomain" => "the protected domain is written as subdomains of another domain",
        "suffix" => "same name under another ending (TLD swap)",
        "confusable" => "letters that look alike (Unicode confusables)",
        "hyphen" => "the same name with hyphens added or removed",
        "edit" => "one or two letters changed, added, removed or swapped",
        "contains" => "contains the protected name inside another domain",
        "brand" => "contains a protected brand name inside another domain",
        "mixed" => "mixes letters of several scripts (e.g. Latin with Cyrillic)",
        "ascii" => "non-Latin letters that read as a Latin name",
        _ => "an internationalised name that does not decode",
    }
}

/// Lower-case ASCII (punycode) form of a host name, without a final dot.
fn ascii_host(host: &str) -> String {
    let host = host.trim().trim_end_matches('.').to_lowercase();
    idna::domain_to_ascii(&host).unwrap_or(host)
}

/// `example` of `example.co.jp`.
fn registrable_label(registrable: &str) -> String {
    registrable
        .split('.')
        .next()
        .unwrap_or(registrable)
        .to_string()
}

fn unicode_label(label: &str) -> String {
    if label.starts_with("xn--") {
        idna::domain_to_unicode(label).0
    } else {
        label.to_string()
    }
}

fn skeleton_of(s: &str) -> String {
    skeleton(s).collect::<String>().to_lowercase()
}

/// Letters and digits only: `sakura-bank` → `sakurabank`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::signatures::Signatures;

    fn protected(domains: &[&str], brands: &[&str]) -> Protected {
        let sigs = Signatures::embedded().unwrap();
        let mut config = Config::default();
        config.organisation.domains = domains.iter().map(|s| s.to_string()).collect();
        config.organisation.protected_brands = brands.iter().map(|s| s.to_string()).collect();
        let msg = crate::message::Message::default();
        Protected::from_context(&Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        })
    }

    #[test]
    fn lookalikes_of_own_domains() {
        let p = protected(&["examplecorp.co.jp", "meti.go.jp"], &["Sakura Bank"]);
        let how = |h: &str| p.imitated_by(h).map(|(_, how)| how);
        assert_eq!(how("examplecorp.jp"), Some("suffix"));
        assert_eq!(how("examplecorp.com"), Some("suffix"));
        assert_eq!(how("example-corp.co.jp"), Some("hyphen"));
        assert_eq!(how("exampelcorp.co.jp"), Some("edit"));
        assert_eq!(how("examp1ecorp.co.jp"), Some("confusable"));
        assert_eq!(how("meti.go.jp.evil.example.com"), Some("subdomain"));
        assert_eq!(how("login-examplecorp.net"), Some("contains"));
        assert_eq!(how("www.sakurabank-secure.com"), Some("brand"));
        assert_eq!(how("sakura-bank.evil.example.com"), Some("brand"));
        // Cyrillic а in the middle.
        let idn = idna::domain_to_ascii("exаmplecorp.co.jp").unwrap();
        assert_eq!(how(&idn), Some("confusable"));
    }

    #[test]
    fn own_domains_and_strangers_are_not_lookalikes() {
        let p = protected(&["examplecorp.co.jp", "meti.go.jp"], &[]);
        for host in [
            "examplecorp.co.jp",
            "mail.examplecorp.co.jp",
            "MAIL.ExampleCorp.CO.JP.",
            "meti.go.jp",
            "www.meti.go.jp",
            "google.com",
            "example.com",
            "mext.go.jp",
            "192.0.2.1",
        ] {
            assert_eq!(p.imitated_by(host), None, "{host}");
        }
        assert!(protected(&[], &[]).is_empty());
    }

    #[test]
    fn confusable_internationalised_names() {
        // Cyrillic а, р, ӏ: reads as "apple".
        let cyr = idna::domain_to_ascii("аррӏе.com").unwrap();
        assert_eq!(confusable_idn(&cyr).unwrap().1, "ascii");
        // Latin with one Cyrillic о.
        let mixed = idna::domain_to_ascii("paypal-lоgin.com").unwrap();
        assert_eq!(confusable_idn(&mixed).unwrap().1, "mixed");
        // Japanese names mix Han, Hiragana and Katakana legitimately.
        let ja = idna::domain_to_ascii("日本語ドメイン.jp").unwrap();
        assert_eq!(confusable_idn(&ja), None);
        assert_eq!(confusable_idn("example.com"), None);
    }
}
