//! Link checks: what the reader sees versus where a link goes, and addresses built to deceive
//! (IP literals, user@host, script and file URLs, shorteners, downloads, known-bad sites, forms).

use crate::checks::Context;
use crate::checks::common::free_hosting;
use crate::finding::Finding;
use crate::message::Link;
use crate::text::domain::{domain_in_text, org_domain, registrable, suffix_in, url_host};
use lol_html::{MemorySettings, Settings, element};
use std::cell::RefCell;
use url::{Host, Url};

/// Visible link text naming one domain while the href goes to another registrable domain.
///
/// Two cases are not deceptions and are skipped: the href is a redirect whose query names the
/// shown domain (security gateways and shops rewrite links so: `?u=https://shown.example/`), and
/// a bare name (`Dilbert.com`, `www.shop.example`, no `https://`) linked through the sender's own
/// domain, the way newsletters track clicks. A full URL shown is judged, except one case: the
/// sender's domain is authenticated (`checks::standing`), the text shows that same domain and the
/// link goes through the infrastructure that sent the message (a DKIM signer's or the return
/// path's domain: the sender's email service tracking clicks). The text then tells the truth about
/// who is behind the link; showing anyone else's domain is still judged. Nor is a full URL that
/// links to the From address's own domain (`https://torrid.cashstar.com/` in mail from
/// torrid.com, `britishairways.com` through ba.com), unless the domain shown is one a lure borrows
/// (`names_someone_borrowed`: a listed brand's, the organisation's, a recipient's).
pub fn text_domain_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut sending: Option<Option<Vec<String>>> = None;
    // Mail a forwarding service relayed is judged as from the author it names (the service's
    // own address says nothing about whose links these are).
    let sender_domain = crate::checks::sender::relayed_author_domain(ctx)
        .or_else(|| ctx.msg.from.first().and_then(|m| m.domain()))
        .map(|d| registrable(&d).unwrap_or(d));
    for link in &ctx.msg.links {
        let Some(text) = link.text.as_deref() else {
            continue;
        };
        let Some(text_host) = domain_in_text(text) else {
            continue;
        };
        let Some(href_host) = link.host.clone() else {
            continue;
        };
        let text_domain = registrable(&text_host).unwrap_or_else(|| text_host.clone());
        let href_domain = registrable(&href_host).unwrap_or_else(|| href_host.clone());
        if text_domain == href_domain || query_names(&link.href, &text_domain) {
            continue;
        }
        let shown = text.trim_start().to_ascii_lowercase();
        let shows_full_url = shown.starts_with("http://") || shown.starts_with("https://");
        if !shows_full_url
            && (sender_domain.as_deref() == Some(href_domain.as_str())
                || suffix_in(&href_host, &ctx.signatures.lists.redirectors).is_some())
        {
            continue;
        }
        if shows_full_url
            && sender_domain.as_deref() == Some(href_domain.as_str())
            && !names_someone_borrowed(ctx, &text_domain)
        {
            // The link goes to the domain the mail says it is from, and the text shows a site
            // of nobody a lure borrows (a partner's shop, the sender's other domain): the reader
            // ends up where the sender says it is.
            continue;
        }
        if sender_domain.as_deref() == Some(text_domain.as_str()) {
            let infrastructure = sending.get_or_insert_with(|| {
                crate::checks::standing::authenticated_from(ctx)
                    .map(|_| crate::checks::standing::sending_domains(ctx.msg))
            });
            if infrastructure
                .as_ref()
                .is_some_and(|domains| domains.contains(&org_domain(&href_domain)))
            {
                continue;
            }
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

/// Whether `domain` (registrable) is one a lure shows to borrow its trust: a brand's of
/// `lists/impersonated_brands.txt`, the organisation's own or protected ones, or a recipient's
/// own domain (with no organisation configured, the staff portal a lure shows is on the
/// recipients' domain).
fn names_someone_borrowed(ctx: &Context<'_>, domain: &str) -> bool {
    let label = org_domain(domain)
        .split('.')
        .next()
        .unwrap_or("")
        .to_string();
    let msg = ctx.msg;
    ctx.signatures.lists.impersonated_brands.has_label(&label)
        || crate::checks::common::is_own_or_protected(ctx, domain)
        || msg
            .to
            .iter()
            .chain(&msg.cc)
            .filter_map(|m| m.domain())
            .chain(msg.envelope.rcpt_to.iter().filter_map(|r| {
                r.rsplit_once('@')
                    .map(|(_, d)| d.trim_end_matches('>').to_lowercase())
            }))
            .any(|d| registrable(&d).unwrap_or(d) == domain)
}

/// Schemes that run or open something instead of a web page.
const SCRIPT_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:", "file:"];

/// How links are written: IP literals (obfuscated ones apart), `user@host` tricks, script, data
/// and file URLs (and Windows `\\server\share` paths).
pub fn url_tricks(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut seen: Vec<&'static str> = Vec::new();
    for link in &ctx.msg.links {
        // Most links are printable ASCII with nothing to take out: those are read as they are.
        let href: std::borrow::Cow<'_, str> = if link.href.bytes().all(|b| b.is_ascii_graphic()) {
            std::borrow::Cow::Borrowed(&link.href)
        } else {
            link.href
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .into()
        };
        // Only the start is compared: the schemes, lower-cased.
        let lower = href.get(..16).unwrap_or(&href).to_ascii_lowercase();
        let finding = if let Some(scheme) = SCRIPT_SCHEMES.iter().find(|s| lower.starts_with(**s)) {
            Some(
                Finding::new("LINK_SCRIPT_URL", &link.location)
                    .with("scheme", scheme.trim_end_matches(':')),
            )
        } else if lower.starts_with("\\\\") {
            Some(
                Finding::new("LINK_SCRIPT_URL", &link.location)
                    .with("scheme", "\\\\ (network share)"),
            )
        } else {
            web_trick(&href, link, &link.location)
        };
        let Some(f) = finding else { continue };
        if seen.contains(&f.rule) {
            continue;
        }
        seen.push(f.rule);
        out.push(f.with("href", link.href.as_str()));
    }
}

/// IP literal and userinfo tricks in an http(s) URL.
/// `href` is the link's target with white space and control characters taken out; the link's
/// own parsed URL is used when that changed nothing.
fn web_trick(href: &str, link: &Link, location: &str) -> Option<Finding> {
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let parsed;
    let url = match link.http_url() {
        Some(url) if href == link.href.trim() => url,
        _ => {
            parsed = Url::parse(href).ok()?;
            &parsed
        }
    };
    if !url.username().is_empty() || url.password().is_some() {
        let shown = raw_authority(href)
            .and_then(|a| a.rsplit_once('@').map(|(u, _)| u.to_string()))
            .unwrap_or_default();
        return Some(
            Finding::new("LINK_USERINFO", location)
                .with("shown", shown)
                .with("host", url.host_str().unwrap_or("")),
        );
    }
    let (ip, addr) = match url.host()? {
        Host::Ipv4(ip) => (ip.to_string(), std::net::IpAddr::V4(ip)),
        Host::Ipv6(ip) => (format!("[{ip}]"), std::net::IpAddr::V6(ip)),
        Host::Domain(_) => return None,
    };
    let written = raw_authority(href)
        .map(|a| a.rsplit_once('@').map_or(a, |(_, h)| h))
        .map(strip_port)
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !written.starts_with('[') && written.trim_end_matches('.') != ip {
        return Some(
            Finding::new("LINK_IP_OBFUSCATED", location)
                .with("written", written)
                .with("ip", ip),
        );
    }
    // A plainly written address that no one on the internet can serve (a lab machine at
    // 192.168.10.2, a local port on 0.0.0.0 in a developer's mail) cannot take the reader to an
    // attacker's site; an obfuscated one above is a disguise whatever it points to.
    if !is_internet_address(addr) {
        return None;
    }
    Some(Finding::new("LINK_IP_HOST", location).with("ip", ip))
}

/// Whether `ip` can be reached across the internet: not private (RFC 1918, RFC 4193), shared
/// (RFC 6598), loopback, link-local, unspecified or broadcast. Documentation ranges (RFC 5737,
/// RFC 3849) count as internet addresses: they stand in for real ones in examples and tests.
pub fn is_internet_address(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (a == 100 && (64..128).contains(&b)))
        }
        std::net::IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
                && v6
                    .to_ipv4_mapped()
                    .is_none_or(|v4| is_internet_address(std::net::IpAddr::V4(v4)))
        }
    }
}

/// The authority of a URL as written (`user@host:port`), before any normalisation.
fn raw_authority(href: &str) -> Option<&str> {
    let (_, rest) = href.split_once("://")?;
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    rest.get(..end)
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host
            .split(']')
            .next()
            .map_or(host, |h| h.get(..h.len() + 1).unwrap_or(host));
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

/// Where links go: URL shorteners, direct downloads of programs and archives, known-bad domains
/// and URLs (`lists/ioc_*.txt`, `[iocs] files`).
pub fn destinations(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let lists = &ctx.signatures.lists;
    let mut seen: Vec<&'static str> = Vec::new();
    // A program or archive on the From address's own site is the sender offering its own file
    // (a release, a disk image on a staff page): a forged From only sends the reader to the real
    // owner's download. Not for free mail or free hosting domains, where anyone has an address
    // and a page.
    let from_org = single_from_org(ctx);
    for link in &ctx.msg.links {
        let Some(host) = link.host.clone() else {
            continue;
        };
        let own_site = from_org
            .as_deref()
            .is_some_and(|o| org_domain(&host) == o && free_hosting(&host, lists).is_none());
        let lower_href = link.href.trim().to_lowercase();
        let mut found: Vec<Finding> = Vec::new();
        if let Some(entry) = suffix_in(&host, &lists.ioc_domains) {
            found.push(Finding::new("LINK_KNOWN_BAD", &link.location).with("entry", entry));
        } else if let Some(entry) = lists
            .ioc_urls
            .iter()
            .find(|u| lower_href.starts_with(u.as_str()))
        {
            found
                .push(Finding::new("LINK_KNOWN_BAD", &link.location).with("entry", entry.as_str()));
        }
        if let Some(entry) = suffix_in(&host, &lists.url_shorteners) {
            found.push(Finding::new("LINK_SHORTENER", &link.location).with("service", entry));
        } else if let Some(entry) = free_hosting(&host, lists) {
            found.push(Finding::new("LINK_FREE_HOSTING", &link.location).with("service", entry));
        }
        if let Some(ext) = path_extension(link).filter(|_| !own_site) {
            if !SERVER_PAGES.contains(&ext.as_str()) && lists.dangerous_extensions.contains(&ext) {
                found.push(
                    Finding::new("LINK_EXECUTABLE_DOWNLOAD", &link.location).with("ext", ext),
                );
            } else if lists.archive_extensions.contains(&ext) {
                found.push(Finding::new("LINK_ARCHIVE_DOWNLOAD", &link.location).with("ext", ext));
            }
        }
        for f in found {
            if !seen.contains(&f.rule) {
                seen.push(f.rule);
                out.push(
                    f.with("href", link.href.as_str())
                        .with("host", host.as_str()),
                );
            }
        }
    }
}

/// The registrable domain of the message's one From address, unless it is a free mail domain.
fn single_from_org(ctx: &Context<'_>) -> Option<String> {
    let [from] = ctx.msg.from.as_slice() else {
        return None;
    };
    let domain = from.domain()?;
    (!crate::checks::common::is_freemail(ctx, &domain)).then(|| org_domain(&domain))
}

/// Extensions that are web pages run on the server when they end a URL (`eBayISAPI.dll?ViewItem`,
/// AOLserver `.adp`), not files handed to the reader.
const SERVER_PAGES: &[&str] = &["dll", "adp", "com"];

/// The lower-cased extension of the last path segment of an http(s) URL.
fn path_extension(link: &Link) -> Option<String> {
    let url = link.http_url()?;
    let last = url.path_segments()?.next_back()?;
    let (_, ext) = last.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    (!ext.is_empty() && ext.len() <= 12).then_some(ext)
}

/// A link to another organisation whose path carries the sender's own domain
/// (`http://203.0.113.5/www.bank.example/login`, `http://host.example/bank.example/`): a copy of
/// the sender's site hosted elsewhere.
pub fn sender_domain_in_path(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(from) = ctx.msg.from.first().and_then(|m| m.domain()) else {
        return;
    };
    let from_org = org_domain(&from);
    if !from_org.contains('.') {
        return;
    }
    for link in &ctx.msg.links {
        let Some(host) = link.host.clone() else {
            continue;
        };
        // A host under no known suffix is a broken URL (`http://www.a.comhttp://...`), not a site.
        if org_domain(&host) == from_org
            || (registrable(&host).is_none() && host.parse::<std::net::IpAddr>().is_err())
        {
            continue;
        }
        // Cheap test first: most links do not name the sender's domain anywhere.
        if !link.href.to_ascii_lowercase().contains(from_org.as_str()) {
            continue;
        }
        let parsed;
        let url = match &link.url {
            Some(url) => url,
            None => match Url::parse(link.href.trim()) {
                Ok(url) => {
                    parsed = url;
                    &parsed
                }
                Err(_) => continue,
            },
        };
        let path = url.path().to_ascii_lowercase();
        // The segment must be a host name: a Message-ID or address in a path (a list archive's
        // `/msgid/20210107.GD11882%40alpha.example.de`) names a mail, not a copied site.
        let named = path.split('/').any(|seg| {
            (seg == from_org || seg.ends_with(&format!(".{from_org}")))
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        });
        if named {
            out.push(
                Finding::new("LINK_SENDER_DOMAIN_IN_PATH", &link.location)
                    .with("domain", from_org)
                    .with("host", host)
                    .with("href", link.href.as_str()),
            );
            return;
        }
    }
}

/// A link host that begins with a known brand's whole domain and goes on under another one
/// (`www.paypal.com.secure-login.example`, `login.microsoftonline.com.xyz.ru`): the address bar
/// shows the brand's domain first and the real owner last, where few readers look. Brands are
/// those of `lists/impersonated_brands.txt` (their domains' registrable labels); the domain
/// inside must be a label followed by a known public suffix (`paypal.com`, `amazon.co.jp`).
pub fn brand_domain_in_host(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let brands = &ctx.signatures.lists.impersonated_brands;
    // A newsletter links to the same few hosts again and again: each is looked at once.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for link in &ctx.msg.links {
        let Some(host) = link.host.as_deref() else {
            continue;
        };
        if !seen.insert(host) {
            continue;
        }
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let Some(reg) = registrable(&host) else {
            continue;
        };
        let Some(prefix) = host.strip_suffix(reg.as_str()) else {
            continue;
        };
        let labels: Vec<&str> = prefix.trim_end_matches('.').split('.').collect();
        for (i, label) in labels.iter().enumerate() {
            if !brands.has_label(label) {
                continue;
            }
            // `paypal.com`, `amazon.co.jp`: the label and one or two more that are a suffix.
            let embedded = (i + 1..labels.len().min(i + 3))
                .filter_map(|j| labels.get(i..=j).map(|ls| ls.join(".")))
                .find(|d| registrable(d).as_deref() == Some(d.as_str()));
            if let Some(embedded) = embedded {
                out.push(
                    Finding::new("LINK_BRAND_DOMAIN_IN_HOST", &link.location)
                        .with("host", host.as_str())
                        .with("shown", embedded)
                        .with("domain", reg.as_str()),
                );
                return;
            }
        }
    }
}

/// Every web link of the message leads to an address that hides where it goes or whose it is
/// (an IP address, a URL shortener, free hosting or cloud storage), and at least one of them sits
/// behind words or a picture rather than showing the address.
///
/// Real senders link to their own site, even when they also use a shortener or a storage
/// bucket; a message whose only destinations are disguised, behind a "Claim now" button, is
/// built not to show the reader (or a filter) where it leads. A URL written out in plain text
/// (someone sharing a shortened link) does not count as hidden.
pub fn hidden_destinations(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let lists = &ctx.signatures.lists;
    let mut hosts: Vec<String> = Vec::new();
    let mut behind_words: Option<&str> = None;
    for link in &ctx.msg.links {
        let Some(host) = link.host.clone() else {
            continue;
        };
        // An address on the local network is no disguise of an internet destination.
        let is_ip = host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(is_internet_address);
        let hidden = is_ip
            || suffix_in(&host, &lists.url_shorteners).is_some()
            || free_hosting(&host, lists).is_some();
        if !hidden {
            return;
        }
        if let Some(text) = &link.text {
            let shown = text.trim_start().to_ascii_lowercase();
            if !(shown.starts_with("http://")
                || shown.starts_with("https://")
                || shown.starts_with("www."))
            {
                behind_words.get_or_insert(link.location.as_str());
            }
        }
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    let Some(location) = behind_words else {
        return;
    };
    out.push(
        Finding::new("LINK_ONLY_HIDDEN_DESTINATIONS", location)
            .with(
                "hosts",
                hosts.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
            )
            .with("count", hosts.len().to_string()),
    );
}

/// The brand a message claims to come from: the From display name names one of
/// `lists/impersonated_brands.txt` (whole words), or the From address is on one of the brand's own
/// domains (a personal free-mail box is no claim). With the brand's registrable labels and
/// whether the address is on one of them.
fn claimed_brand<'a>(ctx: &'a Context<'_>) -> Option<(&'a str, &'a [String], bool)> {
    let from = ctx.msg.from.first()?;
    let domain = from.domain()?;
    if crate::checks::common::is_own_or_protected(ctx, &domain) {
        return None;
    }
    let org = org_domain(&domain);
    let label = org.split('.').next().unwrap_or("");
    let brands = &ctx.signatures.lists.impersonated_brands;
    let shown = from.name.as_deref().unwrap_or("");
    let name = shown.to_lowercase();
    let by_name = brands.named_in(&name).or_else(|| brands.acronym_in(shown));
    if let Some((brand, labels)) = by_name {
        let own = labels.iter().any(|l| l == label);
        if !own && crate::checks::sender::named_by_own_domain(ctx, shown, brand, label) {
            return None;
        }
        return Some((brand.as_str(), labels.as_slice(), own));
    }
    if crate::checks::common::is_freemail(ctx, &domain) {
        return None;
    }
    brands
        .iter()
        .find(|(_, labels)| labels.iter().any(|l| l == label))
        .map(|(brand, labels)| (brand.as_str(), labels.as_slice(), true))
}

/// A message that claims to come from a brand phishing borrows, with a link that leads away from
/// the brand's sites.
///
/// Real mail from a brand links to the brand's own domains, or through the click-tracking of a
/// mailing service (`lists/redirectors.txt`, skipped here). When the display name names the brand
/// but the address is elsewhere, any such link counts. When the address is on the brand's own
/// domain (which a forger can write too), brands link to partners and shops, so only a link whose
/// kind no brand would use counts: an IP address, free hosting or a URL shortener, or a host that
/// wears the brand's name on another domain (`paypal.secure-login.example`).
///
/// A display name that claims a bank without naming a listed brand (`Commercial Federal Bank`,
/// `lists/financial_words.txt`) claims the sender's own domain: then the message counts
/// (`LINK_BANK_ELSEWHERE`) when it has links and none of them goes to that domain.
pub fn brand_elsewhere(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some((brand, labels, own_domain)) = claimed_brand(ctx) else {
        bank_elsewhere(ctx, out);
        return;
    };
    let lists = &ctx.signatures.lists;
    for link in &ctx.msg.links {
        let Some(host) = link.host.clone() else {
            continue;
        };
        let is_ip = host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok();
        let org = org_domain(&host);
        let label = org.split('.').next().unwrap_or("");
        if !is_ip
            && (labels.iter().any(|l| l == label) || suffix_in(&host, &lists.redirectors).is_some())
        {
            continue;
        }
        let wears_name = labels
            .iter()
            .any(|l| l.chars().count() >= 4 && host.contains(l.as_str()));
        let odd_kind = is_ip
            || wears_name
            || free_hosting(&host, lists).is_some()
            || suffix_in(&host, &lists.url_shorteners).is_some();
        if own_domain && !odd_kind {
            continue;
        }
        out.push(
            Finding::new("LINK_BRAND_ELSEWHERE", &link.location)
                .with("brand", brand)
                .with("host", host)
                .with("href", link.href.as_str()),
        );
        return;
    }
    if own_domain {
        brand_without_own_link(ctx, brand, labels, out);
    }
}

/// The display name names a brand, the address is on the brand's own domain, and yet not one
/// link goes to the brand's sites (mailing-service redirectors apart): a brand's real mail always
/// links home somewhere (sign-in, help, privacy policy), a forged one sends every click to the
/// forger's page. Mail through a list, and mail whose From domain a trusted server authenticated,
/// do not count.
fn brand_without_own_link(
    ctx: &Context<'_>,
    brand: &str,
    labels: &[String],
    out: &mut Vec<Finding>,
) {
    let msg = ctx.msg;
    let Some(from) = msg.from.first() else {
        return;
    };
    let (Some(name), Some(domain)) = (from.name.as_deref(), from.domain()) else {
        return;
    };
    if !crate::signatures::phrases::contains_word(&name.to_lowercase(), brand)
        || crate::checks::common::is_list_mail(msg)
        || crate::message::auth_results::from_authenticated(
            msg,
            &ctx.config.auth.trusted_authserv_ids,
        )
    {
        return;
    }
    let lists = &ctx.signatures.lists;
    let mut elsewhere: Option<&crate::message::Link> = None;
    for link in &msg.links {
        let Some(host) = link.host.as_deref() else {
            continue;
        };
        let org = org_domain(host);
        let label = org.split('.').next().unwrap_or("");
        if labels.iter().any(|l| l == label) {
            return;
        }
        if elsewhere.is_none() && suffix_in(host, &lists.redirectors).is_none() {
            elsewhere = Some(link);
        }
    }
    let Some(link) = elsewhere else {
        return;
    };
    out.push(
        Finding::new("LINK_BRAND_NO_OWN_LINK", &link.location)
            .with("brand", brand)
            .with("domain", org_domain(&domain))
            .with("host", link.host.as_deref().unwrap_or(""))
            .with("href", link.href.as_str()),
    );
}

/// The bank case of `brand_elsewhere`: a display name with a word of `lists/financial_words.txt`,
/// an address off free mail, and links none of which go to the address's domain. A bank's own
/// mail links to the bank's own site; every link of "the bank's" message leading elsewhere is the
/// copied-page-and-foreign-login pattern of bank phishing. A link to a bare IP address counts
/// even beside links home: no bank sends its customers to one.
fn bank_elsewhere(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(from) = ctx.msg.from.first() else {
        return;
    };
    let (Some(name), Some(domain)) = (from.name.as_deref(), from.domain()) else {
        return;
    };
    if crate::checks::common::is_freemail(ctx, &domain)
        || crate::checks::common::is_own_or_protected(ctx, &domain)
    {
        return;
    }
    let lists = &ctx.signatures.lists;
    if lists
        .financial_words
        .find_first(&name.to_lowercase())
        .is_none()
    {
        return;
    }
    let from_org = org_domain(&domain);
    let mut elsewhere: Option<(&str, String)> = None;
    // No bank sends its customers to a bare IP address, whatever else the message links to.
    let ip_link = ctx.msg.links.iter().find(|l| {
        l.host.as_deref().is_some_and(|h| {
            h.trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok()
        })
    });
    if let Some(link) = ip_link {
        elsewhere = Some((
            link.location.as_str(),
            link.host.clone().unwrap_or_default(),
        ));
    }
    for link in &ctx.msg.links {
        let Some(host) = link.host.clone() else {
            continue;
        };
        if org_domain(&host) == from_org && ip_link.is_none() {
            return;
        }
        if elsewhere.is_none() && suffix_in(&host, &lists.redirectors).is_none() {
            elsewhere = Some((link.location.as_str(), host));
        }
    }
    let Some((location, host)) = elsewhere else {
        return;
    };
    let href = ctx
        .msg
        .links
        .iter()
        .find(|l| l.location == location)
        .map_or("", |l| l.href.as_str());
    out.push(
        Finding::new("LINK_BANK_ELSEWHERE", location)
            .with("name", name)
            .with("host", host)
            .with("domain", from_org)
            .with("href", href),
    );
}

/// HTML forms: one asking for a password, or one that sends what is typed to a web site.
pub fn forms(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let from_org = ctx
        .msg
        .from
        .first()
        .and_then(|m| m.domain())
        .map(|d| org_domain(&d));
    for part in &ctx.msg.htmls {
        let seen = scan_forms(&part.text);
        if let Some(action) = seen.password_action {
            out.push(
                Finding::new("LINK_FORM_PASSWORD", &part.location)
                    .with("action", action.unwrap_or_else(|| "(none)".into())),
            );
            return;
        }
        for action in seen.actions {
            let Some(host) = url_host(&action) else {
                continue;
            };
            if from_org.as_deref() != Some(org_domain(&host).as_str()) {
                out.push(
                    Finding::new("LINK_FORM_OFFSITE", &part.location)
                        .with("action", action.as_str())
                        .with("host", host),
                );
                return;
            }
        }
    }
}

#[derive(Default)]
struct Forms {
    /// Set when a password field was seen: the action of the form around it, if any.
    password_action: Option<Option<String>>,
    actions: Vec<String>,
}

/// Reads the forms of an HTML part with a bounded tokenizer.
fn scan_forms(html: &str) -> Forms {
    let lower = html.to_ascii_lowercase();
    if !lower.contains("<form") && !lower.contains("password") {
        return Forms::default();
    }
    let found = RefCell::new(Forms::default());
    let current: RefCell<Option<String>> = RefCell::new(None);
    let settings = Settings::new()
        .append_element_content_handler(element!("form", |el| {
            let action = el
                .get_attribute("action")
                .map(|a| crate::message::links::decode_entities(a.trim()));
            *current.borrow_mut() = action.clone();
            if let Some(a) = action
                && found.borrow().actions.len() < 100
            {
                found.borrow_mut().actions.push(a);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("input", |el| {
            let kind = el
                .get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            if kind.trim() == "password" && found.borrow().password_action.is_none() {
                found.borrow_mut().password_action = Some(current.borrow().clone());
            }
            Ok(())
        }))
        .with_strict(false)
        .with_memory_settings(MemorySettings::new().with_max_allowed_memory_usage(8 * 1024 * 1024));
    crate::formats::markup::walk_html(settings, html);
    found.into_inner()
}

/// Whether `href` is a redirect to the shown site: a decoded query parameter names `domain`
/// (`?u=https://shown.example/`), or the path carries a whole address on it, as click trackers
/// write their destination (`/Clickthrough/2331/*http://www.shown.example`).
fn query_names(href: &str, domain: &str) -> bool {
    let Ok(url) = url::Url::parse(href.trim()) else {
        return false;
    };
    url.query_pairs()
        .any(|(_, v)| v.to_ascii_lowercase().contains(domain))
        || path_carries_address_on(url.path(), domain)
}

/// Whether `path` (its `%3A` and `%2F` read as `:` and `/`) holds an `http://` or `https://`
/// address whose host is on `domain` (registrable).
fn path_carries_address_on(path: &str, domain: &str) -> bool {
    let lowered = path
        .to_ascii_lowercase()
        .replace("%3a", ":")
        .replace("%2f", "/");
    lowered.match_indices("http").take(8).any(|(at, _)| {
        // `http:/` or `https:/` (trackers may fold `//` into one slash), then the host.
        let rest = &lowered[at..];
        let Some(rest) = rest
            .strip_prefix("https:/")
            .or_else(|| rest.strip_prefix("http:/"))
        else {
            return false;
        };
        let host: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
            .collect();
        registrable(&host).is_some_and(|r| r == domain)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::message::{Link, Message};
    use crate::signatures::Signatures;

    #[test]
    fn a_click_tracker_carrying_the_shown_address_in_its_path() {
        let mismatches = |text: &str, href: &str| {
            run_check(
                text_domain_mismatch,
                "News <news@letters.example.org>",
                &[(href, Some(text))],
            )
            .len()
        };
        let tracker = "https://t.tracker.example/mm/Clickthrough/2331/*http://www.shop.example.ie";
        assert_eq!(mismatches("www.shop.example.ie", tracker), 0);
        assert_eq!(
            mismatches(
                "https://tinyurl.com/22ejaltx",
                "https://x.r.us-east-1.awstrack.me/L0/https:%2F%2Ftinyurl.com%2F22ejaltx/1/0100"
            ),
            0
        );
        // The shown domain only as a word of the path, or the path's address on another site.
        assert_eq!(
            mismatches(
                "www.shop.example.ie",
                "https://t.tracker.example/shop.example.ie/login"
            ),
            1
        );
        assert_eq!(
            mismatches(
                "www.shop.example.ie",
                "https://t.tracker.example/r/https://shop.example.ie.evil.example/"
            ),
            1
        );
    }

    #[test]
    fn brand_name_and_domain_but_no_link_home() {
        let check = |from: &str, links: &[(&str, Option<&str>)]| {
            run_check(brand_elsewhere, from, links)
                .into_iter()
                .map(|f| f.rule)
                .collect::<Vec<_>>()
        };
        let forged = "Deutsche Postbank AG <konto@postbank.de>";
        assert_eq!(
            check(
                forged,
                &[("http://encrypted-channel.example/login", Some("Login"))]
            ),
            ["LINK_BRAND_NO_OWN_LINK"]
        );
        // One link home is enough; a person on the brand's domain names no brand.
        assert!(
            check(
                forged,
                &[
                    ("http://partner.example/", Some("Partner")),
                    ("https://www.postbank.de/privat", Some("Datenschutz"))
                ]
            )
            .is_empty()
        );
        assert!(
            check(
                "Hans Meier <hans@postbank.de>",
                &[("http://x.example/", None)]
            )
            .is_empty()
        );
        assert!(check(forged, &[]).is_empty());
    }

    #[test]
    fn brand_domain_at_the_start_of_another_host() {
        let f = run_check(
            brand_domain_in_host,
            "PayPal <service@mail.example>",
            &[("https://www.paypal.com.secure-login.example.com/x", None)],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[1].1, "paypal.com");
        assert_eq!(f[0].evidence[2].1, "example.com");
        let f = run_check(
            brand_domain_in_host,
            "A <a@b.example>",
            &[("http://login.microsoftonline.com.xyz.ru/", None)],
        );
        assert_eq!(f[0].evidence[1].1, "microsoftonline.com");
        // The brand's own hosts, a brand word that is not followed by a suffix, a brand on its
        // own registrable domain with a country suffix: nothing.
        for href in [
            "https://www.paypal.com/signin",
            "https://paypal.secure-login.example.com/",
            "https://www.amazon.co.jp/gp/",
            "https://bradesco.com.br/",
            "https://www.example.com.edgekey.net/",
        ] {
            let f = run_check(brand_domain_in_host, "A <a@b.example>", &[(href, None)]);
            assert!(f.is_empty(), "{href}: {f:?}");
        }
    }

    #[test]
    fn a_partner_page_under_the_senders_name_linked_through_the_senders_domain() {
        let shop = "Torrid <info@mktg.torrid.com>";
        let gift = [(
            "https://e.mktg.torrid.com/c2/2012:6944",
            Some("https://torrid.cashstar.com/"),
        )];
        assert!(run_from(shop, &gift).is_empty());
        // A brand's domain shown is judged whatever host it is under, and so is a page under the
        // sender's name reached through someone else's domain.
        let brand = [(
            "https://e.mktg.torrid.com/c/1",
            Some("https://torrid.paypal.com/login"),
        )];
        assert_eq!(run_from(shop, &brand).len(), 1);
        let elsewhere = [(
            "https://track.other.example/c/1",
            Some("https://torrid.cashstar.com/"),
        )];
        assert_eq!(run_from(shop, &elsewhere).len(), 1);
        // The sender's other site or a partner's, reached through the sender's own domain.
        let partner = [(
            "https://e.mktg.torrid.com/c/2",
            Some("https://www.cashstar.com/"),
        )];
        assert!(run_from(shop, &partner).is_empty());
        // A lookalike sender showing the recipients' own portal is judged.
        let portal = [(
            "https://it-support.client-portal.example/l",
            Some("https://portal.client.example/"),
        )];
        let mut msg = message_with("IT Support <it@it-support.client-portal.com>", &portal);
        msg.to = vec![crate::message::Mailbox {
            name: None,
            address: Some("staff@client.co.jp".into()),
        }];
        assert_eq!(check_msg(text_domain_mismatch, &msg).len(), 1);
    }

    fn run(links: &[(&str, Option<&str>)]) -> Vec<Finding> {
        run_from("Someone <someone@sender.example.com>", links)
    }

    fn run_from(from: &str, links: &[(&str, Option<&str>)]) -> Vec<Finding> {
        run_check(text_domain_mismatch, from, links)
    }

    fn run_check(
        check: crate::checks::Check,
        from: &str,
        links: &[(&str, Option<&str>)],
    ) -> Vec<Finding> {
        check_msg(check, &message_with(from, links))
    }

    fn message_with(from: &str, links: &[(&str, Option<&str>)]) -> Message {
        let (name, address) = from.split_once(" <").unwrap();
        Message {
            from: vec![crate::message::Mailbox {
                name: Some(name.into()),
                address: Some(address.trim_end_matches('>').into()),
            }],
            links: links
                .iter()
                .map(|(h, t)| Link::new(h.to_string(), t.map(str::to_string), "1 link 1".into()))
                .collect(),
            ..Message::default()
        }
    }

    fn check_msg(check: crate::checks::Check, msg: &Message) -> Vec<Finding> {
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let mut out = Vec::new();
        check(
            &Context {
                msg,
                signatures: &sigs,
                config: &config,
            },
            &mut out,
        );
        out
    }

    #[test]
    fn only_disguised_destinations_behind_words() {
        let hidden = |links: &[(&str, Option<&str>)]| {
            run_check(hidden_destinations, "Shop <news@shop.example.com>", links)
        };
        let f = hidden(&[
            ("https://bit.ly/3xYz", Some("Claim your reward")),
            ("https://x.storage.googleapis.com/p.html", Some("")),
        ]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[1].1, "2");
        assert_eq!(
            hidden(&[("http://203.0.113.5/login", Some("Log in"))]).len(),
            1
        );
        // The sender's own site beside the shortener; a shortened URL written out; no links.
        assert!(
            hidden(&[
                ("https://bit.ly/3xYz", Some("Read more")),
                ("https://www.shop.example.com/", Some("Shop"))
            ])
            .is_empty()
        );
        assert!(hidden(&[("https://bit.ly/3xYz", None)]).is_empty());
        assert!(hidden(&[("https://bit.ly/3xYz", Some("https://bit.ly/3xYz"))]).is_empty());
        assert!(hidden(&[]).is_empty());
    }

    #[test]
    fn brand_named_but_links_lead_elsewhere() {
        let brand = |from: &str, links: &[(&str, Option<&str>)]| {
            run_check(brand_elsewhere, from, links)
                .into_iter()
                .map(|f| f.evidence[1].1.clone())
                .collect::<Vec<_>>()
        };
        // Display name names the brand, address and link elsewhere.
        assert_eq!(
            brand(
                "PayPal Service <notice@mailer.example.net>",
                &[
                    ("https://www.paypal.com/", None),
                    ("https://verify.example.org/x", Some("Log in"))
                ]
            ),
            ["verify.example.org"]
        );
        // The brand's own (possibly forged) address: an IP, free hosting, or the name on another domain.
        assert_eq!(
            brand(
                "eBay <aw-confirm@ebay.com>",
                &[("http://203.0.113.7/ebay/", None)]
            ),
            ["203.0.113.7"]
        );
        assert_eq!(
            brand(
                "Service <service@paypal.com>",
                &[("https://paypal.account-check.example.com/", None)]
            ),
            ["paypal.account-check.example.com"]
        );
        assert_eq!(
            brand(
                "Amazon <ship@amazon.co.jp>",
                &[("https://x.storage.googleapis.com/a.html", None)]
            )
            .len(),
            1
        );
        // Real brand mail: its own sites, a mailing service's click tracking, partners.
        assert!(
            brand(
                "PayPal <service@paypal.com>",
                &[("https://www.paypal.com/signin", None)]
            )
            .is_empty()
        );
        assert!(
            brand(
                "PayPal <paypal@mail.paypal.co.uk>",
                &[("https://click.exacttarget.com/?qs=1", None)]
            )
            .is_empty()
        );
        // A partner link beside a link home is fine; with no link home at all, the message is
        // LINK_BRAND_NO_OWN_LINK's (see `brand_name_and_domain_but_no_link_home`).
        assert!(
            brand(
                "Amazon.co.jp <store-news@amazon.co.jp>",
                &[
                    ("https://www.partner-shop.example/", None),
                    ("https://www.amazon.co.jp/gp/help", None)
                ]
            )
            .is_empty()
        );
        // A bank linking home and to a bare IP address: the IP link counts.
        assert_eq!(
            brand(
                "SouthTrust Bank <support@southtrust.example>",
                &[
                    ("http://www.southtrust.example/", None),
                    ("http://203.0.113.9/signin/", Some("Sign in"))
                ]
            ),
            ["203.0.113.9"]
        );
        // A bank named in the display name, links only elsewhere; a bank linking home is fine.
        assert_eq!(
            brand(
                "Commercial Federal Bank <services@bank.example.com>",
                &[("http://login.update.example.net/", Some("Renew Now"))]
            ),
            ["login.update.example.net"]
        );
        assert_eq!(
            run_check(
                brand_elsewhere,
                "Commercial Federal Bank <services@bank.example.com>",
                &[("http://login.update.example.net/", Some("Renew Now"))]
            )[0]
            .rule,
            "LINK_BANK_ELSEWHERE"
        );
        assert!(
            brand(
                "Example Bank <news@bank.example.com>",
                &[
                    ("https://www.bank.example.com/", None),
                    ("https://partner.example.net/", None)
                ]
            )
            .is_empty()
        );
        assert!(brand("Example Bank <news@bank.example.com>", &[]).is_empty());
        // No brand claimed: a person on free mail, an unrelated company.
        assert!(brand("Taro <taro@hotmail.com>", &[("http://203.0.113.7/", None)]).is_empty());
        assert!(brand("Shop <news@shop.example>", &[("https://bit.ly/x", None)]).is_empty());
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

    fn scan(raw: &str) -> Vec<(&'static str, Vec<(String, String)>)> {
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let ctx = Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        };
        let mut out = Vec::new();
        for check in [url_tricks, destinations, sender_domain_in_path, forms] {
            check(&ctx, &mut out);
        }
        out.into_iter().map(|f| (f.rule, f.evidence)).collect()
    }

    fn html(body: &str) -> String {
        format!("From: Bank <info@bank.example.com>\nContent-Type: text/html\n\n{body}\n")
    }

    fn rules(raw: &str) -> Vec<&'static str> {
        scan(raw).into_iter().map(|(r, _)| r).collect()
    }

    #[test]
    fn ip_literals_plain_and_disguised() {
        assert_eq!(
            rules(&html("<a href=\"http://203.0.113.9/login\">x</a>")),
            ["LINK_IP_HOST"]
        );
        for (href, written) in [
            ("http://3405803785/", "3405803785"),
            ("http://0xcb.0x0.0x71.0x9/", "0xcb.0x0.0x71.0x9"),
            ("http://0313.0.0161.011/a", "0313.0.0161.011"),
            ("http://user@0xCB007109:8080/", "0xcb007109"),
        ] {
            let f = scan(&html(&format!("<a href=\"{href}\">x</a>")));
            let found = f
                .iter()
                .find(|(r, _)| *r == "LINK_IP_OBFUSCATED" || *r == "LINK_USERINFO");
            assert!(found.is_some(), "{href}: {f:?}");
            if found.unwrap().0 == "LINK_IP_OBFUSCATED" {
                assert_eq!(found.unwrap().1[0].1, written);
                assert_eq!(found.unwrap().1[1].1, "203.0.113.9");
            }
        }
        assert_eq!(
            rules(&html("<a href=\"http://[2001:db8::1]/\">x</a>")),
            ["LINK_IP_HOST"]
        );
        // Addresses no one on the internet can serve are no link to an attacker's site, unless
        // written to disguise them.
        for href in [
            "http://192.168.10.2/24",
            "http://10.1.2.3/x",
            "http://172.20.0.1/",
            "http://0.0.0.0:50001",
            "http://127.0.0.1:8080/",
            "http://169.254.1.1/",
            "http://100.64.0.1/",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
        ] {
            assert!(
                rules(&html(&format!("<a href=\"{href}\">{href}</a>"))).is_empty(),
                "{href}"
            );
        }
        assert_eq!(
            rules(&html("<a href=\"http://0xc0.0xa8.0.1/\">x</a>")),
            ["LINK_IP_OBFUSCATED"]
        );
    }

    #[test]
    fn userinfo_script_and_share_links() {
        let f = scan(&html(
            "<a href=\"https://www.bank.co.jp@evil.example.net/\">x</a>",
        ));
        assert_eq!(f[0].0, "LINK_USERINFO");
        assert_eq!(f[0].1[0].1, "www.bank.co.jp");
        assert_eq!(f[0].1[1].1, "evil.example.net");
        assert_eq!(
            rules(&html("<a href=\" java\tscript:alert(1)\">x</a>")),
            ["LINK_SCRIPT_URL"]
        );
        assert_eq!(
            rules(&html("<a href=\"data:text/html;base64,PGgxPg==\">x</a>")),
            ["LINK_SCRIPT_URL"]
        );
        assert_eq!(
            rules(&html("<a href=\"file://evil.example/share/a.pdf\">x</a>")),
            ["LINK_SCRIPT_URL"]
        );
        assert_eq!(
            rules(&html("<a href=\"\\\\203.0.113.9\\share\">x</a>")),
            ["LINK_SCRIPT_URL"]
        );
    }

    #[test]
    fn shorteners_downloads_and_known_bad() {
        assert_eq!(
            rules(&html("<a href=\"https://bit.ly/3abc\">x</a>")),
            ["LINK_SHORTENER"]
        );
        assert_eq!(
            rules(&html(
                "<a href=\"https://files.example.net/invoice.PDF.exe\">x</a>"
            )),
            ["LINK_EXECUTABLE_DOWNLOAD"]
        );
        assert_eq!(
            rules(&html(
                "<a href=\"https://files.example.net/docs.zip?dl=1\">x</a>"
            )),
            ["LINK_ARCHIVE_DOWNLOAD"]
        );
        // The sender's own download page: its own file, whoever forged the From.
        assert!(
            rules(&html(
                "<a href=\"https://people.bank.example.com/~a/tool-1.2.iso\">x</a>\
             <a href=\"https://ftp.example.com/pub/src.tar.gz\">y</a>"
            ))
            .is_empty()
        );
        assert_eq!(
            rules(
                "From: A <a@gmail.com>\nContent-Type: text/html\n\n\
                 <a href=\"https://gmail.com/x.exe\">x</a>\n"
            ),
            ["LINK_EXECUTABLE_DOWNLOAD"]
        );
        assert_eq!(
            rules(&html(
                "<a href=\"http://www.lurescreen-ioc-test.invalid/x\">x</a>"
            )),
            ["LINK_KNOWN_BAD"]
        );
        assert_eq!(
            rules(&html(
                "<a href=\"http://lurescreen-ioc-test.invalid/bad-url-test?a\">x</a>"
            )),
            ["LINK_KNOWN_BAD"]
        );
    }

    #[test]
    fn ordinary_links_raise_nothing() {
        let raw = html(
            "<a href=\"https://www.bank.example.com/news\">news</a>\
             <a href=\"mailto:help@bank.example.com\">mail us</a>\
             <a href=\"https://www.example.org/page.html\">page</a>\
             <a href=\"https://shop.example.org/item.aspx?id=1\">item</a>\
             <a href=\"https://archive.example.org/bank.example.com/x?u=bank.example.com\">?</a>\
             <a href=\"#top\">top</a>",
        );
        assert_eq!(rules(&raw), ["LINK_SENDER_DOMAIN_IN_PATH"]);
        let raw = raw.replace("/bank.example.com/x", "/x");
        assert!(scan(&raw).is_empty(), "{:?}", scan(&raw));
    }

    #[test]
    fn message_id_in_a_list_archive_path_is_not_a_copied_site() {
        let archive = html(
            "<a href=\"https://groups.example.net/d/msgid/list/20210107162718.GD11882%40alpha.bank.example.com\">archive</a>",
        );
        assert!(scan(&archive).is_empty(), "{:?}", scan(&archive));
        let copied = archive.replace("20210107162718.GD11882%40alpha.", "www.");
        assert_eq!(rules(&copied), ["LINK_SENDER_DOMAIN_IN_PATH"]);
    }

    #[test]
    fn sender_domain_in_another_host_path() {
        let f = scan(&html(
            "<a href=\"http://expo.example.net/~green/www.bank.example.com/index.php\">x</a>",
        ));
        assert_eq!(f[0].0, "LINK_SENDER_DOMAIN_IN_PATH");
        assert_eq!(f[0].1[0].1, "example.com");
    }

    #[test]
    fn forms_asking_for_passwords_or_posting_elsewhere() {
        let f = scan(&html(
            "<form action=\"http://collect.example.net/p.php\" method=post>User <input name=u> \
             Password <input type=\"Password\" name=p></form>",
        ));
        assert_eq!(f[0].0, "LINK_FORM_PASSWORD");
        assert_eq!(f[0].1[0].1, "http://collect.example.net/p.php");
        let f = scan(&html(
            "<form action=\"https://survey.example.net/s\"><input name=q></form>",
        ));
        assert_eq!(f[0].0, "LINK_FORM_OFFSITE");
        assert!(
            scan(&html(
                "<form action=\"https://www.bank.example.com/search\"><input name=q></form>"
            ))
            .is_empty()
        );
        assert!(scan(&html("<p>Never share your password.</p>")).is_empty());
    }
}
