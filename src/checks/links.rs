//! Link checks: what the reader sees versus where a link goes, and addresses built to deceive
//! (IP literals, user@host, script and file URLs, shorteners, downloads, known-bad sites, forms).

use crate::checks::Context;
use crate::domain::{domain_in_text, org_domain, registrable, suffix_in, url_host};
use crate::verdict::Finding;
use lol_html::{HtmlRewriter, MemorySettings, Settings, element};
use std::cell::RefCell;
use url::{Host, Url};

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
        out.push(
            Finding::new("LINK_TEXT_DOMAIN_MISMATCH", &link.location)
                .with("text", text)
                .with("href", link.href.as_str())
                .with("text_domain", text_domain)
                .with("href_domain", href_domain),
        );
    }
}

/// Schemes that run or open something instead of a web page.
const SCRIPT_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:", "file:"];

/// How links are written: IP literals (obfuscated ones apart), `user@host` tricks, script, data
/// and file URLs (and Windows `\\server\share` paths).
pub fn url_tricks(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut seen: Vec<&'static str> = Vec::new();
    for link in &ctx.msg.links {
        let href: String = link
            .href
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect();
        let lower = href.to_ascii_lowercase();
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
            web_trick(&href, &link.location)
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
fn web_trick(href: &str, location: &str) -> Option<Finding> {
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let url = Url::parse(href).ok()?;
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
    let ip = match url.host()? {
        Host::Ipv4(ip) => ip.to_string(),
        Host::Ipv6(ip) => format!("[{ip}]"),
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
    Some(Finding::new("LINK_IP_HOST", location).with("ip", ip))
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
    for link in &ctx.msg.links {
        let Some(host) = link.host.clone() else {
            continue;
        };
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
        } else if let Some(entry) = suffix_in(&host, &lists.free_hosting) {
            found.push(Finding::new("LINK_FREE_HOSTING", &link.location).with("service", entry));
        }
        if let Some(ext) = path_extension(&link.href) {
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

/// Extensions that are web pages run on the server when they end a URL (`eBayISAPI.dll?ViewItem`,
/// AOLserver `.adp`), not files handed to the reader.
const SERVER_PAGES: &[&str] = &["dll", "adp", "com"];

/// The lower-cased extension of the last path segment of an http(s) URL.
fn path_extension(href: &str) -> Option<String> {
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    let url = if lower.starts_with("http://") || lower.starts_with("https://") {
        Url::parse(href.trim()).ok()?
    } else {
        return None;
    };
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
        let Ok(url) = Url::parse(link.href.trim()) else {
            continue;
        };
        let path = url.path().to_ascii_lowercase();
        let named = path
            .split('/')
            .any(|seg| seg == from_org || seg.ends_with(&format!(".{from_org}")));
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
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    if rewriter.write(html.as_bytes()).is_ok() {
        let _ = rewriter.end();
    } else {
        drop(rewriter);
    }
    found.into_inner()
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
                .map(|(h, t)| Link::new(h.to_string(), t.map(str::to_string), "1 link 1".into()))
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
