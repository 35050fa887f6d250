//! Host names, URLs and registrable domains (public suffix list).

use url::{Host, Url};

/// The registrable domain ("organisational domain") of a host name: `mail.example.co.jp` →
/// `example.co.jp`. IP literals and hosts under no known suffix give `None`.
pub fn registrable(host: &str) -> Option<String> {
    // A message asks for the same few hosts many times (every check that looks at links asks
    // for each link's), so answers are remembered per thread; the cache is emptied when full.
    const CACHED: usize = 4096;
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<String, Option<String>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(hit) = KNOWN.with(|k| k.borrow().get(host).cloned()) {
        return hit;
    }
    let answer = registrable_uncached(host);
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        if k.len() >= CACHED {
            k.clear();
        }
        k.insert(host.to_string(), answer.clone());
    });
    answer
}

fn registrable_uncached(host: &str) -> Option<String> {
    let host = lower_trimmed(host);
    if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    let ascii = to_ascii(&host)?;
    let domain = psl::domain(ascii.as_bytes())?;
    if !domain.suffix().is_known() {
        return None;
    }
    std::str::from_utf8(domain.as_bytes())
        .ok()
        .map(str::to_string)
}

/// `host` trimmed of spaces and trailing dots, in lower case; borrowed when it already is (link
/// hosts from the URL parser are), so the many look-ups per link allocate nothing.
fn lower_trimmed(host: &str) -> std::borrow::Cow<'_, str> {
    let host = host.trim().trim_end_matches('.');
    if host
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        std::borrow::Cow::Owned(host.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(host)
    }
}

/// `host` (lower case) in its ASCII form (IDNA). Plain lower-case ASCII names without a punycode
/// label are their own ASCII form, checked against idna in the tests; only the others go through
/// idna (most link hosts, each looked up by several checks).
fn to_ascii(host: &str) -> Option<std::borrow::Cow<'_, str>> {
    let plain = host
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !host.contains("xn--")
        && !host.split('.').any(str::is_empty);
    if plain {
        return Some(std::borrow::Cow::Borrowed(host));
    }
    idna::domain_to_ascii(host)
        .ok()
        .map(std::borrow::Cow::Owned)
}

/// The registrable domain of `host`; under a suffix the public suffix list does not know
/// (`.example`, `.local`), its last two labels; an IP literal or a single label as it is.
/// Lower-cased, without a final dot: what "the same organisation" is compared by.
pub fn org_domain(host: &str) -> String {
    if let Some(r) = registrable(host) {
        return r;
    }
    let host = host.trim().trim_end_matches('.').to_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host;
    }
    let labels: Vec<&str> = host.split('.').collect();
    match labels.len() {
        0..=2 => host,
        n => labels[n - 2..].join("."),
    }
}

/// Whether two hosts belong to the same registrable domain.
pub fn same_org(a: &str, b: &str) -> bool {
    org_domain(a) == org_domain(b)
}

/// The entry of `set` that `host` is or is a subdomain of (`mail.gmail.com` → `gmail.com`).
/// Entries are lower-case; `host` may be any case and may end with a dot.
pub fn suffix_in<'a, S>(host: &str, set: &'a S) -> Option<&'a str>
where
    S: DomainSet,
{
    let host = lower_trimmed(host);
    let mut rest = &*host;
    loop {
        if let Some(hit) = set.get_entry(rest) {
            return Some(hit);
        }
        match rest.split_once('.') {
            Some((_, tail)) if !tail.is_empty() => rest = tail,
            _ => return None,
        }
    }
}

/// A set of lower-cased domain names that `suffix_in` can look up.
pub trait DomainSet {
    fn get_entry(&self, name: &str) -> Option<&str>;
}

impl DomainSet for std::collections::HashSet<String> {
    fn get_entry(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl DomainSet for Vec<String> {
    fn get_entry(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|d| d.trim_end_matches('.').eq_ignore_ascii_case(name))
            .map(String::as_str)
    }
}

/// The host of an http(s) URL, lower-cased and in ASCII (punycode) form; `www.x` counts as http.
pub fn url_host(href: &str) -> Option<String> {
    host_of(&web_url(href)?)
}

/// `href` parsed, when it is an http(s) URL or starts with `www.` (read as http).
pub fn web_url(href: &str) -> Option<Url> {
    let href = href.trim();
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Url::parse(href).ok()
    } else if lower.starts_with("www.") {
        Url::parse(&format!("http://{href}")).ok()
    } else {
        None
    }
}

/// The host of a parsed URL as `url_host` gives it.
pub fn host_of(url: &Url) -> Option<String> {
    match url.host()? {
        Host::Domain(d) => Some(d.trim_end_matches('.').to_string()),
        Host::Ipv4(ip) => Some(ip.to_string()),
        Host::Ipv6(ip) => Some(format!("[{ip}]")),
    }
}

/// The domain a piece of visible link text names, if the whole text is a URL or a bare host name
/// (`https://bank.example/login`, `www.bank.example`, `bank.co.jp`).
pub fn domain_in_text(text: &str) -> Option<String> {
    let mut text = text.trim();
    // A shown URL followed by more words ("http://bank.example/verify &id=123") still shows the URL.
    let lower_start = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    if lower_start.starts_with("http://")
        || lower_start.starts_with("https://")
        || lower_start.starts_with("www.")
    {
        text = text.split(char::is_whitespace).next().unwrap_or(text);
    }
    let text = text.trim_end_matches(['.', '/', ',']);
    if text.is_empty() || text.contains(char::is_whitespace) || text.contains('@') {
        return None;
    }
    if let Some(host) = url_host(text) {
        return Some(host);
    }
    // A bare host: labels of letters, digits and hyphens, ending in a known suffix, with an
    // optional path. Anything else ("Click here", "v1.2") is not a domain.
    let host_part = text.split(['/', '?', '#']).next()?;
    let host_part = host_part.split(':').next()?;
    if !host_part.contains('.')
        || !host_part
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return None;
    }
    let ascii = idna::domain_to_ascii(host_part).ok()?;
    let reg = registrable(&ascii)?;
    // "v1.2" or "file.pdf" have no known suffix; "example.com" does.
    (reg.contains('.')).then_some(ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_registrable_domains_equal_fresh_ones() {
        let hosts = [
            "mail.example.co.jp",
            "MAIL.Example.CO.JP.",
            " www.bank.example ",
            "192.0.2.1",
            "[2001:db8::1]",
            "xn--bcher-kva.example.com",
            "bücher.example.com",
            "ÉXAMPLE.fr",
            "localhost",
            "a..b.com",
            "",
            "sub.nosuchtld",
        ];
        for round in 0..3 {
            for h in hosts {
                assert_eq!(
                    registrable(h),
                    registrable_uncached(h),
                    "{h:?} round {round}"
                );
            }
        }
        // Past the cache's size it starts again, with the same answers.
        for n in 0..5000 {
            let h = format!("h{n}.example.org");
            assert_eq!(registrable(&h).as_deref(), Some("example.org"));
        }
        assert_eq!(
            registrable("MAIL.Example.CO.JP."),
            registrable_uncached("mail.example.co.jp")
        );
    }

    /// The shortcut of `to_ascii` gives what idna gives, on every name of up to five characters
    /// from an alphabet with the troublesome ones (hyphens, dots, `xn--`) and on real names.
    #[test]
    fn plain_names_are_their_own_ascii_form() {
        let alphabet = ['a', 'x', 'n', '-', '.', '0', 'z'];
        let mut names: Vec<String> = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
                .collect();
            names.extend(longer);
        }
        names.extend(
            [
                "mail.example.co.jp",
                "xn--80ak6aa92e.com",
                "a-.b",
                "-a.b",
                "a--b.com",
                "ab--cd.example",
                "123.456",
                "www.e-tax.nta.go.jp",
            ]
            .map(String::from),
        );
        names.sort();
        names.dedup();
        for name in &names {
            let want = idna::domain_to_ascii(name).ok();
            let got = to_ascii(name).map(|c| c.into_owned());
            assert_eq!(got, want, "{name:?}");
        }
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(
            registrable("mail.example.co.jp").as_deref(),
            Some("example.co.jp")
        );
        assert_eq!(
            registrable("WWW.Example.COM.").as_deref(),
            Some("example.com")
        );
        assert_eq!(registrable("192.0.2.1"), None);
        assert_eq!(registrable("localhost"), None);
        assert_eq!(registrable("a.b.unknowntld"), None);
        assert_eq!(registrable("例え.jp").as_deref(), Some("xn--r8jz45g.jp"));
    }

    #[test]
    fn suffixes_and_organisations() {
        let set: std::collections::HashSet<String> =
            ["gmail.com".to_string(), "yahoo.co.jp".to_string()].into();
        assert_eq!(suffix_in("Mail.GMAIL.com.", &set), Some("gmail.com"));
        assert_eq!(suffix_in("yahoo.co.jp", &set), Some("yahoo.co.jp"));
        assert_eq!(suffix_in("notgmail.com", &set), None);
        assert_eq!(suffix_in("co.jp", &set), None);
        assert!(same_org("a.example.co.jp", "example.co.jp"));
        assert!(!same_org("example.co.jp", "example.jp"));
        assert_eq!(org_domain("192.0.2.1"), "192.0.2.1");
        assert_eq!(org_domain("mail.bank.example"), "bank.example");
        assert_eq!(org_domain("correios"), "correios");
    }

    #[test]
    fn hosts_of_urls() {
        assert_eq!(
            url_host("https://User@Bank.Example:8443/x").as_deref(),
            Some("bank.example")
        );
        assert_eq!(
            url_host("www.a.example/path").as_deref(),
            Some("www.a.example")
        );
        assert_eq!(url_host("http://0x7f.1/").as_deref(), Some("127.0.0.1"));
        assert_eq!(url_host("mailto:x@y"), None);
        assert_eq!(url_host("javascript:alert(1)"), None);
    }

    #[test]
    fn domains_named_by_link_text() {
        assert_eq!(
            domain_in_text("https://www.bank.co.jp/login").as_deref(),
            Some("www.bank.co.jp")
        );
        assert_eq!(domain_in_text("bank.co.jp").as_deref(), Some("bank.co.jp"));
        assert_eq!(
            domain_in_text(" smbc.co.jp/ ").as_deref(),
            Some("smbc.co.jp")
        );
        assert_eq!(domain_in_text("Click here"), None);
        assert_eq!(
            domain_in_text("http://scgi.bank.example.com/verify_id=1 \n&fraud alert id=9")
                .as_deref(),
            Some("scgi.bank.example.com")
        );
        assert_eq!(domain_in_text("Visit bank.co.jp today"), None);
        assert_eq!(domain_in_text("v1.2"), None);
        assert_eq!(domain_in_text("report.pdf"), None);
        assert_eq!(domain_in_text("support@bank.example"), None);
    }
}
