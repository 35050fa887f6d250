//! Sender checks: who the message claims to be from versus where it comes from. The display name
//! here; Reply-To, Sender and Return-Path in `reply`; the signature block in `signature`.

pub mod address_form;
pub mod reply;
pub mod signature;

use crate::checks::Context;
use crate::checks::common::{is_freemail, is_own_or_protected};
use crate::finding::Finding;
use crate::signatures::phrases::contains_word;
use crate::text::domain::{registrable, suffix_in};

/// The protected brand names, lower-cased: the shipped list and the configuration's.
pub fn protected_brands(ctx: &Context<'_>) -> Vec<String> {
    let mut brands: Vec<String> = ctx
        .signatures
        .lists
        .protected_brands
        .iter()
        .cloned()
        .chain(
            ctx.config
                .organisation
                .protected_brands
                .iter()
                .map(|b| b.trim().to_lowercase()),
        )
        .filter(|b| b.chars().count() >= 3)
        .collect();
    brands.sort();
    brands.dedup();
    brands
}

/// From, Reply-To, Sender or Return-Path on a known-bad domain (`lists/ioc_domains.txt`,
/// `[iocs] files`), subdomains included.
pub fn known_bad(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let return_path = msg.return_path.iter().map(|a| ("Return-Path", a.clone()));
    let fields = msg
        .from
        .iter()
        .map(|m| ("From", m))
        .chain(msg.reply_to.iter().map(|m| ("Reply-To", m)))
        .chain(msg.sender.iter().map(|m| ("Sender", m)))
        .filter_map(|(f, m)| Some((f, m.address.clone()?)))
        .chain(return_path);
    for (field, address) in fields {
        let Some((_, domain)) = address.rsplit_once('@') else {
            continue;
        };
        if let Some(entry) = suffix_in(domain, &ctx.signatures.lists.ioc_domains) {
            out.push(
                Finding::new("SENDER_KNOWN_BAD_DOMAIN", field)
                    .with("field", field)
                    .with("address", address.clone())
                    .with("entry", entry),
            );
            return;
        }
    }
}

/// Each From mailbox with a display name, an address and a domain: (name, address, domain).
pub(super) fn named_senders<'a>(
    ctx: &'a Context<'_>,
) -> impl Iterator<Item = (&'a String, &'a String, String)> + 'a {
    ctx.msg.from.iter().filter_map(|mb| {
        let (Some(name), Some(address), Some(domain)) = (&mb.name, &mb.address, mb.domain()) else {
            return None;
        };
        Some((name, address, domain))
    })
}

/// `named_senders` whose domain is neither the organisation's own nor a protected one.
pub(super) fn named_outside_senders<'a>(
    ctx: &'a Context<'_>,
) -> impl Iterator<Item = (&'a String, &'a String, String)> + 'a {
    named_senders(ctx).filter(move |(_, _, domain)| !is_own_or_protected(ctx, domain))
}

/// The first From address and its domain, unless the domain is the organisation's own or a
/// protected one (which the sender-domain checks never flag).
fn outside_sender<'a>(ctx: &'a Context<'_>) -> Option<(&'a String, String)> {
    let mb = ctx.msg.from.first()?;
    let (Some(address), Some(domain)) = (&mb.address, mb.domain()) else {
        return None;
    };
    (!is_own_or_protected(ctx, &domain)).then_some((address, domain))
}

/// A From address on the domain of a free hosting or app platform (`noreply@app-3f7a2.firebaseapp.com`,
/// `lists/free_hosting.txt`) in a message that links somewhere else. The platform's mail
/// templates (password resets, invitations) send for whoever signs up, and their real uses link
/// back to the same project (`app-3f7a2.firebaseapp.com/__/auth/...`); a platform address that
/// sends the reader to another site is someone using the platform's good name as a mail relay.
pub fn free_hosting_domain(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some((address, domain)) = outside_sender(ctx) else {
        return;
    };
    let lists = &ctx.signatures.lists;
    let Some(service) = crate::checks::common::free_hosting(&domain, lists) else {
        return;
    };
    let elsewhere = ctx.msg.links.iter().find_map(|l| {
        let host = l.host.as_deref()?.to_lowercase();
        let own = host == domain || host.ends_with(&format!(".{domain}"));
        (!own && suffix_in(&host, &lists.redirectors).is_none()).then_some(host)
    });
    let Some(host) = elsewhere else {
        return;
    };
    out.push(
        Finding::new("SENDER_FREE_HOSTING_DOMAIN", "From")
            .with("address", address.clone())
            .with("service", service)
            .with("host", host),
    );
}

/// A From address on the default domain a mail platform gives each tenant
/// (`x@school-name.onmicrosoft.com`, `lists/tenant_domains.txt`). Organisations write to others
/// from their own domain once they have set the platform up; the default name is what a tenant
/// opened for a campaign (trials cost nothing), or taken over, sends with. Weak alone: small
/// organisations do sometimes write from it. Own and protected domains never count.
pub fn tenant_domain(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some((address, domain)) = outside_sender(ctx) else {
        return;
    };
    let Some(platform) = crate::checks::common::tenant_platform(&domain, &ctx.signatures.lists)
    else {
        return;
    };
    out.push(
        Finding::new("SENDER_TENANT_DOMAIN", "From")
            .with("address", address.clone())
            .with("platform", platform),
    );
}

/// A display name written as a domain name (`ethereum.org`, `Shop.example.co.uk`): ASCII letters,
/// digits and hyphens in two labels or more, ending in a known public suffix; its registrable
/// domain. People's names with dots (`J.Smith`) end in no suffix.
fn name_as_domain(name: &str) -> Option<String> {
    let name = name.trim().trim_matches(|c| c == '"' || c == '\'');
    let shaped = name.contains('.')
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..")
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !shaped {
        return None;
    }
    registrable(name)
}

/// A display name that names an organisation (an institution word such as 銀行, 省, University,
/// a protected brand, a brand phishing impersonates, or a domain name) while the address is on a
/// free mail service.
pub fn freemail_organisation(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let brands = protected_brands(ctx);
    for (name, address, domain) in named_senders(ctx) {
        if !is_freemail(ctx, &domain) {
            continue;
        }
        let service = domain.clone();
        let lowered = name.to_lowercase();
        let word = brands
            .iter()
            .find(|b| contains_word(&lowered, b))
            .cloned()
            .or_else(|| {
                ctx.signatures
                    .lists
                    .institution_words
                    .find_first(&lowered)
                    .map(|p| p.text.clone())
            })
            // A bank, wallet or carrier phishing names (`Norton LifeLock Billing`): none of them
            // writes from a free mail mailbox, unless the mailbox service is the brand's own
            // (`i.softbank.jp` for SoftBank).
            .or_else(|| {
                let org = crate::text::domain::org_domain(&domain);
                let label = org.split('.').next().unwrap_or("");
                let brands = &ctx.signatures.lists.impersonated_brands;
                brands
                    .named_in(&lowered)
                    .or_else(|| brands.acronym_in(name))
                    .filter(|(_, labels)| !labels.iter().any(|l| l == label))
                    .map(|(brand, _)| brand.clone())
            })
            // A name that is a domain (`ethereum.org`) names the organisation that owns it; a
            // free mail mailbox is not that organisation's, unless the name is the service's
            // own domain.
            .or_else(|| name_as_domain(name).filter(|d| Some(d) != registrable(&domain).as_ref()));
        if let Some(word) = word {
            out.push(
                Finding::new("SENDER_FREEMAIL_ORGANISATION", "From")
                    .with("name", name.clone())
                    .with("word", word)
                    .with("address", address.clone())
                    .with("service", service),
            );
        }
    }
}

/// A display name naming a brand phishing often impersonates (`lists/impersonated_brands.txt`)
/// while the address's registrable label is none of the brand's (free mail included: a bank's
/// name in front of a gmail.com address is exactly this). Own and protected domains never count.
pub fn impersonated_brand(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (name, address, domain) in named_outside_senders(ctx) {
        if relayed_author_domain(ctx).is_some() {
            continue;
        }
        let lowered = name.to_lowercase();
        let org = crate::text::domain::org_domain(&domain);
        let label = org.split('.').next().unwrap_or("");
        let brands = &ctx.signatures.lists.impersonated_brands;
        let hit = brands
            .named_in(&lowered)
            .or_else(|| brands.acronym_in(name));
        if let Some((brand, labels)) = hit
            && !labels.iter().any(|l| l == label)
            && !named_by_own_domain(ctx, name, brand, label)
        {
            out.push(
                Finding::new("SENDER_IMPERSONATED_BRAND", "From")
                    .with("name", name.clone())
                    .with("brand", brand.clone())
                    .with("address", address.clone())
                    .with("domain", org),
            );
            return;
        }
    }
}

/// A From address on a domain named after a brand phishing impersonates
/// (`lists/impersonated_brands.txt`: `service@paypal.com`, `no-reply@microsoft.com`) with nothing in the message that the brand's
/// domain answers for: the From domain is not authenticated (no trusted DKIM or DMARC pass for it,
/// or without trusted results no DKIM-Signature of it), and the return path is on another
/// organisation's domain, so SPF cannot align either; or a trusted server recorded `dmarc=fail`
/// for it. This is what DMARC rejects, seen from the message itself: such brands sign their mail or send it from their own return paths (through
/// an email service too), so someone else wrote the brand's address into From. Free mail
/// (`hotmail.com` is a user's address, not Microsoft speaking), shared platforms, list mail
/// (lists resend their members' mail), automatic mail and the organisation's own domains do not
/// count; nor does mail without a return path to compare.
pub fn unaligned_brand_domain(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let [from] = msg.from.as_slice() else {
        return;
    };
    let (Some(address), Some(domain)) = (&from.address, from.domain()) else {
        return;
    };
    if is_freemail(ctx, &domain)
        || crate::checks::common::on_shared_platform(ctx, &domain)
        || is_own_or_protected(ctx, &domain)
        || crate::checks::common::is_list_mail(msg)
        || crate::checks::standing::machine_kind(msg).is_some()
    {
        return;
    }
    let org = crate::text::domain::org_domain(&domain);
    let label = org.split('.').next().unwrap_or("");
    let brands = &ctx.signatures.lists.impersonated_brands;
    // The domain named after the brand itself (`paypal`, `wellsfargo`, `disneyplus` for
    // Disney+): a brand's other labels may be words or other organisations' names too (`canada`
    // for the revenue agency, `live`).
    let fold = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let Some((brand, _)) = brands.into_iter().find(|(name, labels)| {
        labels.iter().any(|l| l == label) && fold(label).starts_with(&fold(name))
    }) else {
        return;
    };
    let Some(path_domain) = crate::checks::common::bounce_address(msg)
        .and_then(|rp| rp.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()))
        .filter(|d| !d.is_empty())
    else {
        return;
    };
    // A trusted server's DMARC verdict for the From domain settles it (an aligned SPF pass
    // included, which the message alone cannot show). Without one, a return path on the brand's
    // domain aligns only if no trusted server saw its SPF check fail (a forged return path).
    let trusted = &ctx.config.auth.trusted_authserv_ids;
    let results = crate::message::auth_results::trusted_results(msg, trusted);
    let dmarc = results.iter().find(|r| {
        r.method == "dmarc"
            && r.prop("header.from")
                .is_none_or(|d| crate::text::domain::same_org(d, &domain))
    });
    let spf_failed = results
        .iter()
        .any(|r| r.method == "spf" && matches!(r.result.as_str(), "fail" | "softfail"));
    let forged = match dmarc {
        Some(r) => r.result == "fail",
        None => {
            (!crate::text::domain::same_org(&path_domain, &domain) || spf_failed)
                && crate::checks::standing::authenticated_from(ctx).is_none()
        }
    };
    if !forged {
        return;
    }
    out.push(
        Finding::new("SENDER_UNALIGNED_BRAND_DOMAIN", "From")
            .with("address", address.clone())
            .with("brand", brand.clone())
            .with("return_path", crate::text::domain::org_domain(&path_domain)),
    );
}

/// Whether a sender that names a brand is named after its own domain and stands behind its mail:
/// the display name, letters and digits only, spells the From's registrable label (`Capital One
/// Shopping` at capitaloneshopping.com), says more than the brand's name alone, and the sender is
/// authenticated and established (`standing::established_sender`). Such a name claims no one
/// else's address: the reader sees the domain it is named after, and judging a domain that
/// contains a brand is the lookalike checks' work. A lure that copies this must put its page on
/// the very domain it signs with and names itself by.
pub(crate) fn named_by_own_domain(ctx: &Context<'_>, name: &str, brand: &str, label: &str) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let folded = fold(name);
    folded.len() > fold(brand).len()
        && folded == fold(label)
        && crate::checks::standing::established_sender(ctx)
}

/// A display name naming a protected brand while the address is on none of the organisation's
/// own or protected domains (free mail is `SENDER_FREEMAIL_ORGANISATION`'s case).
pub fn brand_display_name(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let brands = protected_brands(ctx);
    if brands.is_empty() {
        return;
    }
    for (name, address, domain) in named_senders(ctx) {
        if is_own_or_protected(ctx, &domain)
            || is_freemail(ctx, &domain)
            || relayed_author_domain(ctx).is_some()
        {
            continue;
        }
        let lowered = name.to_lowercase();
        if let Some(brand) = brands.iter().find(|b| contains_word(&lowered, b)) {
            out.push(
                Finding::new("SENDER_BRAND_DISPLAY_NAME", "From")
                    .with("name", name.clone())
                    .with("brand", brand.clone())
                    .with("address", address.clone()),
            );
        }
    }
}

/// A display name that is itself an address on another domain: `"support@bank.example" <x@evil>`.
pub fn display_name_address(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (name, address, domain) in named_senders(ctx) {
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
        if !same
            && !list_names_its_author(ctx.msg, address, &shown)
            && relayed_author_domain(ctx).is_none()
        {
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

/// Whether a mailing list wrote its author into the From's display name: the mail comes from
/// the list's own posting address (`List-Post: <mailto:…>`) and replies go to the address the
/// name shows. Lists that rewrite From for DMARC (Mailman's "X via List", Google Groups) do
/// exactly that; a spoofer who did it would send every reply to the address being spoofed.
fn list_names_its_author(msg: &crate::message::Message, address: &str, shown: &str) -> bool {
    let posting = format!("mailto:{}", address.to_ascii_lowercase());
    let from_list = msg.headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("list-post") && v.to_ascii_lowercase().contains(&posting)
    });
    let shown = shown.to_ascii_lowercase();
    from_list
        && msg.reply_to.iter().any(|m| {
            m.address
                .as_deref()
                .or(m.name.as_deref())
                .is_some_and(|a| a.trim().eq_ignore_ascii_case(&shown))
        })
}

/// The domain of the author (lower-cased) when an address-masking or forwarding service
/// (`lists/forwarding_relays.txt`: Firefox Relay, SimpleLogin, DuckDuckGo, Sneakemail, ...)
/// wrote the author's address into the From display name of a message it forwarded to its user:
/// the message has one From, its address and the return path are both on the same service, and
/// the name shows an address. A trusted server's results, when there are any, must authenticate
/// the From domain. The name is then the service telling its user who wrote, not a sender posing
/// as another. (Someone who sends from an account of such a service can write any address into
/// the name: the links, text and files are still judged.)
pub(crate) fn relayed_author_domain(ctx: &Context<'_>) -> Option<String> {
    let relays = &ctx.signatures.lists.forwarding_relays;
    let msg = ctx.msg;
    let [from] = msg.from.as_slice() else {
        return None;
    };
    let relay = suffix_in(&from.domain()?, relays)?;
    let bounce_on_relay = crate::checks::common::bounce_address(msg)
        .and_then(|a| a.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()))
        .is_some_and(|d| suffix_in(&d, relays) == Some(relay));
    let trusted = &ctx.config.auth.trusted_authserv_ids;
    let verified = crate::message::auth_results::trusted_results(msg, trusted).is_empty()
        || crate::checks::standing::authenticated_from(ctx).is_some();
    if !(bounce_on_relay && verified) {
        return None;
    }
    let shown = address_in(from.name.as_deref()?)?;
    let (_, domain) = shown.rsplit_once('@')?;
    Some(domain.trim_end_matches('.').to_ascii_lowercase())
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

    /// What `check` finds in a message from `name <address>`, with `config`.
    fn run_with(
        check: fn(&Context<'_>, &mut Vec<Finding>),
        config: &Config,
        name: &str,
        address: &str,
    ) -> Vec<Finding> {
        let msg = Message {
            from: vec![Mailbox {
                name: Some(name.into()),
                address: Some(address.into()),
            }],
            ..Message::default()
        };
        let sigs = Signatures::embedded().unwrap();
        let mut out = Vec::new();
        check(
            &Context {
                msg: &msg,
                signatures: &sigs,
                config,
            },
            &mut out,
        );
        out
    }

    fn run(name: &str, address: &str) -> Vec<Finding> {
        run_with(display_name_address, &Config::default(), name, address)
    }

    #[test]
    fn sender_on_a_free_hosting_platform() {
        let run_links = |address: &str, href: &str| {
            let msg = Message {
                from: vec![Mailbox {
                    name: Some("Support".into()),
                    address: Some(address.into()),
                }],
                links: vec![crate::message::Link::new(
                    href.into(),
                    Some("Open".into()),
                    "1 link 1".into(),
                )],
                ..Message::default()
            };
            let sigs = Signatures::embedded().unwrap();
            let mut config = Config::default();
            config.organisation.domains = vec!["ourapp.web.app".into()];
            let mut out = Vec::new();
            free_hosting_domain(
                &Context {
                    msg: &msg,
                    signatures: &sigs,
                    config: &config,
                },
                &mut out,
            );
            out
        };
        let run_fh = |address: &str| run_links(address, "https://casino.example.net/join");
        let f = run_fh("noreply@promo-3f7a2.firebaseapp.com");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[1].1, "firebaseapp.com");
        assert_eq!(f[0].evidence[2].1, "casino.example.net");
        assert_eq!(run_fh("x@bucket.s3.us-east-1.amazonaws.com").len(), 1);
        // A company's own domain, Amazon SES, and an own app on a platform are fine.
        assert!(run_fh("info@shop.example.co.jp").is_empty());
        assert!(run_fh("bounce@us-west-2.amazonses.com").is_empty());
        assert!(run_fh("noreply@ourapp.web.app").is_empty());
        // The platform's own password-reset mail links back to the same project.
        assert!(
            run_links(
                "noreply@promo-3f7a2.firebaseapp.com",
                "https://promo-3f7a2.firebaseapp.com/__/auth/action?mode=resetPassword"
            )
            .is_empty()
        );
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

    /// `with` applied to the context of the raw message `raw`, with `trusted` as the trusted
    /// authserv-ids.
    fn in_parsed<T>(raw: &str, trusted: &[&str], with: impl FnOnce(&Context<'_>) -> T) -> T {
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let sigs = Signatures::embedded().unwrap();
        let mut config = Config::default();
        config.auth.trusted_authserv_ids = trusted.iter().map(|s| s.to_string()).collect();
        with(&Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        })
    }

    #[test]
    fn a_list_naming_its_author_is_no_display_name_spoof() {
        let scan = |raw: &str| {
            in_parsed(raw, &[], |ctx| {
                let mut out = Vec::new();
                display_name_address(ctx, &mut out);
                out.len()
            })
        };
        let munged = "From: a.author@gmail.com via Users <users@lists.example.org>\n\
                      List-Post: <mailto:users@lists.example.org>\n\
                      Reply-To: =?UTF-8?B?YS5hdXRob3JAZ21haWwuY29t?=\n\nhi\n";
        assert_eq!(scan(munged), 0);
        // Replies going elsewhere, or a From that is not the list's posting address: a spoof.
        assert_eq!(
            scan(&munged.replace("YS5hdXRob3JAZ21haWwuY29t", "bWVAZXZpbC5leGFtcGxl")),
            1
        );
        assert_eq!(scan(&munged.replace("<mailto:users@", "<mailto:other@")), 1);
        assert_eq!(
            scan(
                "From: security@bank.example via Alerts <a@evil.example>\n\
                  Reply-To: security@bank.example\n\nhi\n"
            ),
            1
        );
    }

    #[test]
    fn a_forwarding_service_naming_the_author_is_no_display_name_spoof() {
        let scan = |raw: &str, trusted: &[&str]| {
            in_parsed(raw, trusted, |ctx| {
                let mut out = Vec::new();
                display_name_address(ctx, &mut out);
                impersonated_brand(ctx, &mut out);
                let author = relayed_author_domain(ctx);
                (out.into_iter().map(|f| f.rule).collect::<Vec<_>>(), author)
            })
        };
        let relayed = "Return-Path: <bounce-7f3a@mozmail.com>\n\
                       From: \"service@paypal.com [via Relay]\" <k2x9q7@mozmail.com>\n\
                       To: k2x9q7@mozmail.com\n\nhi\n";
        assert_eq!(scan(relayed, &[]), (vec![], Some("paypal.com".to_string())));
        // The return path elsewhere: someone else wrote the relay's address into From.
        let forged = relayed.replace("bounce-7f3a@mozmail.com", "x@evil.example");
        let (rules, author) = scan(&forged, &[]);
        assert_eq!(
            rules,
            vec!["SENDER_DISPLAY_NAME_ADDRESS", "SENDER_IMPERSONATED_BRAND"]
        );
        assert_eq!(author, None);
        // A trusted server that could not authenticate the relay's domain.
        let unverified = format!(
            "Authentication-Results: mx.example.net; dkim=fail header.d=mozmail.com\n{relayed}"
        );
        assert_eq!(scan(&unverified, &["mx.example.net"]).0.len(), 2);
        let verified = unverified.replace("dkim=fail", "dkim=pass");
        assert!(scan(&verified, &["mx.example.net"]).0.is_empty());
        // A name with no address in it is judged as any: a brand's name from a relay account.
        let named = relayed.replace("service@paypal.com [via Relay]", "PayPal Service");
        assert_eq!(scan(&named, &[]).0, vec!["SENDER_IMPERSONATED_BRAND"]);
    }

    fn brand(name: &str, address: &str) -> Vec<Finding> {
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
        impersonated_brand(
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
    fn a_business_named_after_its_own_domain_impersonates_no_brand() {
        let scan = |name: &str, domain: &str, one_click: bool| {
            let raw = format!(
                "From: {name} <hello@{domain}>\n\
                 DKIM-Signature: v=1; a=rsa-sha256; d={domain}; s=s1; b=abc\n\
                 List-Unsubscribe: <https://{domain}/u>\n{}\
                 Subject: offer\n\nhi\n",
                if one_click {
                    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
                } else {
                    ""
                }
            );
            let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
            let sigs = Signatures::embedded().unwrap();
            let config = Config::default();
            let mut out = Vec::new();
            let ctx = Context {
                msg: &msg,
                signatures: &sigs,
                config: &config,
            };
            impersonated_brand(&ctx, &mut out);
            out.len()
        };
        assert_eq!(
            scan("Capital One Shopping", "capitaloneshopping.com", true),
            0
        );
        // Not established, the brand's name alone, or a name other than the domain's: as before.
        assert_eq!(
            scan("Capital One Shopping", "capitaloneshopping.com", false),
            1
        );
        assert_eq!(scan("Capital One", "capital-one.com", true), 1);
        assert_eq!(
            scan("Capital One Support", "capitaloneshopping.com", true),
            1
        );
    }

    #[test]
    fn well_known_brands_from_other_domains() {
        assert_eq!(
            brand("Microsoft account team", "no-reply@access-accsecurity.com")[0].evidence[1].1,
            "microsoft"
        );
        assert_eq!(
            brand("PayPal Service", "service@paypal-help.example.com").len(),
            1
        );
        assert_eq!(
            brand("三井住友銀行", "info@smbc-security.example.com").len(),
            1
        );
        assert!(
            brand(
                "Microsoft",
                "account-security-noreply@accountprotection.microsoft.com"
            )
            .is_empty()
        );
        assert!(brand("Amazon.co.jp", "shipment@amazon.co.jp").is_empty());
        assert!(brand("PayPal", "service@paypal.de").is_empty());
        assert!(brand("三井住友銀行", "info@smbc.co.jp").is_empty());
        assert!(brand("Weekly Outlook", "news@markets.example.com").is_empty());
        assert!(brand("Taro Yamada", "taro@example.co.jp").is_empty());
    }

    #[test]
    fn tenant_default_domains() {
        let mut config = Config::default();
        config.organisation.domains = vec!["ourschool.onmicrosoft.com".into()];
        let run_t = |address: &str| run_with(tenant_domain, &config, "Parcel Service", address);
        let f = run_t("notice-n123@school.onmicrosoft.com");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[1].1, "onmicrosoft.com");
        assert_eq!(run_t("x@tenant.mail.onmicrosoft.com").len(), 1);
        // The organisation's own tenant, Microsoft's own domains and look-alike names are fine.
        assert!(run_t("office@ourschool.onmicrosoft.com").is_empty());
        assert!(run_t("no-reply@microsoft.com").is_empty());
        assert!(run_t("x@notonmicrosoft.com").is_empty());
    }

    #[test]
    fn impersonated_brands_from_free_mail() {
        let run_fo = |name: &str, address: &str| {
            run_with(freemail_organisation, &Config::default(), name, address)
        };
        let f = run_fo("Norton LifeLock Billing", "billing.desk77@gmail.com");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[1].1, "lifelock");
        // The brand's own mailbox service, and people's names, are fine.
        assert!(run_fo("jis@i.softbank.jp", "jis@i.softbank.jp").is_empty());
        assert!(run_fo("Taro Yamada", "taro@gmail.com").is_empty());
        assert!(run_fo("Weekly Outlook", "writer@gmail.com").is_empty());
        // Short names written in capitals count only so written.
        assert_eq!(run_fo("IRS e-File", "efile.notice@gmail.com").len(), 1);
        assert!(run_fo("Ups and downs", "club@gmail.com").is_empty());
    }

    #[test]
    fn institutions_named_in_other_languages_from_free_mail() {
        let run_fo = |name: &str, address: &str| {
            run_with(freemail_organisation, &Config::default(), name, address)
        };
        for (name, word) in [
            ("TRIBUNAL REGIONAL", "tribunal"),
            ("Polícia Federal", "polícia"),
            ("Finanzamt München", "finanzamt"),
            ("Service Client Banque", "service client"),
            ("United Nations Liaison Office", "united nations"),
        ] {
            let f = run_fo(name, "office.desk2026@gmail.com");
            assert_eq!(f.len(), 1, "{name}");
            assert_eq!(f[0].evidence[1].1, word, "{name}");
        }
        // Whole words only, and people's names are fine.
        for name in ["Tribunalista Silva", "Maria Justino", "Zollner Hans"] {
            assert!(run_fo(name, "someone@gmail.com").is_empty(), "{name}");
        }
        // The same names from an organisation's own domain are not this rule's case.
        assert!(run_fo("Polícia Federal", "contato@pf.gov.example").is_empty());
    }

    #[test]
    fn a_domain_name_as_the_name_of_a_free_mail_sender() {
        let run_fo = |name: &str, address: &str| {
            run_with(freemail_organisation, &Config::default(), name, address)
        };
        for (name, domain) in [
            ("wallet-foundation.org", "wallet-foundation.org"),
            ("Support.Shop.co.uk", "shop.co.uk"),
        ] {
            let f = run_fo(name, "k2lmz.wallet88@icloud.com");
            assert_eq!(f.len(), 1, "{name}");
            assert_eq!(f[0].evidence[1].1, domain, "{name}");
        }
        // People's names with dots, and the service's own domain, are not.
        for name in ["J.Smith", "Ann.Lee", "icloud.com", "Mary Ann", "st.louis"] {
            assert!(run_fo(name, "someone@icloud.com").is_empty(), "{name}");
        }
    }

    #[test]
    fn short_brand_names_count_in_capitals_only() {
        let run_ib = |name: &str, address: &str| {
            run_with(impersonated_brand, &Config::default(), name, address)
        };
        let f = run_ib("UPS", "collie@757772922452171shop.example");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].evidence[1].1, "UPS");
        assert_eq!(run_ib("AAA Rewards", "news@rewards.example").len(), 1);
        for (name, address) in [
            ("UPS", "pkinfo@ups.com"),
            ("Ups and Downs Club", "club@club.example"),
            ("Aaa Bbb", "aaa@people.example"),
            ("POPUPS Weekly", "news@popups.example"),
        ] {
            assert!(run_ib(name, address).is_empty(), "{name}");
        }
    }

    #[test]
    fn same_organisation_is_not_a_mismatch() {
        assert!(run("info@example.co.jp", "info@mail.example.co.jp").is_empty());
        assert!(run("Taro Yamada", "taro@example.co.jp").is_empty());
        assert!(run("TARO@EXAMPLE.COM", "taro@example.com").is_empty());
    }

    /// What `unaligned_brand_domain` finds in `raw`, trusting the servers `trusted`.
    fn unaligned(raw: &str, trusted: &[&str]) -> Vec<Finding> {
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let mut config = Config::default();
        config.auth.trusted_authserv_ids = trusted.iter().map(|s| s.to_string()).collect();
        let sigs = Signatures::embedded().unwrap();
        let mut out = Vec::new();
        unaligned_brand_domain(
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
    fn a_brand_domain_in_from_with_nothing_aligned_is_forged() {
        let forged = "Return-Path: <bounce@mailer-7731.example>\n\
From: Microsoft account team <no-reply@microsoft.com>\nSubject: Unusual sign-in activity\n\nx\n";
        let f = unaligned(forged, &[]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, "SENDER_UNALIGNED_BRAND_DOMAIN");
        assert!(
            f[0].evidence
                .iter()
                .any(|(k, v)| k == "return_path" && v == "mailer-7731.example")
        );
        // The brand's own signature, or its own return path through an email service: fine.
        let signed =
            format!("DKIM-Signature: v=1; a=rsa-sha256; d=microsoft.com; s=s1; b=x\n{forged}");
        assert!(unaligned(&signed, &[]).is_empty());
        let own_path = forged.replace(
            "bounce@mailer-7731.example",
            "bounces+77@email.microsoft.com",
        );
        assert!(unaligned(&own_path, &[]).is_empty());
        // No return path to compare, list mail, free mail (a user's address, not the brand
        // speaking) and a domain only one of the brand's other labels names: nothing.
        let no_path = forged.replace("Return-Path: <bounce@mailer-7731.example>\n", "");
        assert!(unaligned(&no_path, &[]).is_empty());
        let list = format!("List-Id: <dev.lists.example>\n{forged}");
        assert!(unaligned(&list, &[]).is_empty());
        let free = forged.replace("no-reply@microsoft.com", "someone@hotmail.com");
        assert!(unaligned(&free, &[]).is_empty());
        let plus = forged.replace("no-reply@microsoft.com", "support@disneyplus.com");
        assert_eq!(unaligned(&plus, &[]).len(), 1);
        let other_label = forged.replace("no-reply@microsoft.com", "news@canada.com");
        assert!(unaligned(&other_label, &[]).is_empty());
        // A trusted server's DMARC verdict decides when there is one.
        let pass = format!(
            "Authentication-Results: mx.site.example; dmarc=pass header.from=microsoft.com\n{forged}"
        );
        assert!(unaligned(&pass, &["mx.site.example"]).is_empty());
        let fail = format!(
            "Authentication-Results: mx.site.example; dmarc=fail header.from=microsoft.com\n{own_path}"
        );
        assert_eq!(unaligned(&fail, &["mx.site.example"]).len(), 1);
        // The return path written on the brand's domain, its SPF check failed at a trusted server.
        let spf = format!(
            "Authentication-Results: mx.site.example; spf=fail smtp.mailfrom=microsoft.com\n{}",
            forged.replace("bounce@mailer-7731.example", "no-reply@microsoft.com")
        );
        assert_eq!(unaligned(&spf, &["mx.site.example"]).len(), 1);
        assert!(unaligned(&spf, &[]).is_empty());
        assert!(unaligned(&spf.replace("spf=fail", "spf=pass"), &["mx.site.example"]).is_empty());
    }
}
