//! Addresses written so that no mail program or browser turns them back into links:
//! `hxxps://bank[.]example/login`.

/// Evidence keys that hold a host, a domain or an IP address a link leads to.
const HOST_KEYS: &[&str] = &["host", "ip", "href_domain", "named_domain", "text_domain"];
/// Keys that hold a host only in link rules.
const LINK_HOST_KEYS: &[&str] = &["domain", "target", "imitates"];

/// A URL written so that no program turns it back into a link: `hxxps://bank[.]example/x`.
pub fn defang(url: &str) -> String {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) if !scheme.is_empty() && !scheme.contains(['/', ' ']) => {
            let s = scheme.to_ascii_lowercase();
            let s = match s.as_str() {
                "http" => "hxxp".to_string(),
                "https" => "hxxps".to_string(),
                "ftp" => "fxp".to_string(),
                _ => s,
            };
            (Some(s), rest)
        }
        _ if lower.starts_with("www.") => (None, url),
        _ => {
            // mailto:, javascript:, data: ... : dots and `:` made inert all the same.
            return url
                .replace("[.]", ".")
                .replace('.', "[.]")
                .replacen(':', "[:]", 1);
        }
    };
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    // Idempotent: text defanged once is left as it is.
    let authority = authority.replace("[.]", ".").replace('.', "[.]");
    match scheme {
        Some(s) => format!("{s}://{authority}{path}"),
        None => format!("{authority}{path}"),
    }
}

/// A host name with its dots made inert: `bank[.]example`.
pub fn defang_host(host: &str) -> String {
    host.replace('.', "[.]")
}

/// URLs in free text: a scheme and `://`, or `www.`, up to white space, `<`, `>` or a quote.
fn url_regex() -> &'static regex::Regex {
    static URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(?:[a-z][a-z0-9+.-]{1,15}://|www\.)[^\s<>\x22']+")
            .expect("valid URL regex")
    });
    &URL
}

/// URLs anywhere in free text, defanged.
pub fn defang_text(text: &str) -> String {
    url_regex()
        .replace_all(text, |c: &regex::Captures<'_>| defang(&c[0]))
        .into_owned()
}

/// URLs defanged as `defang_text` does, and outside them every dot between two ASCII letters or
/// digits made inert (`x@evil-example[.]net`, `1[.]5`): for text where any dotted word may be an
/// address a mail program would make a link of, with nothing to tell which (the banner's reasons).
pub fn defang_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for m in url_regex().find_iter(text) {
        out.push_str(&inert_dots(text.get(last..m.start()).unwrap_or("")));
        out.push_str(&defang(m.as_str()));
        last = m.end();
    }
    out.push_str(&inert_dots(text.get(last..).unwrap_or("")));
    out
}

/// Each dot between two ASCII letters or digits written `[.]`.
fn inert_dots(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let between = i > 0
            && chars.get(i - 1).is_some_and(char::is_ascii_alphanumeric)
            && chars.get(i + 1).is_some_and(char::is_ascii_alphanumeric);
        if c == '.' && between {
            out.push_str("[.]");
        } else {
            out.push(c);
        }
    }
    out
}

/// One value of a finding's evidence as staff may be shown it: a host, domain or IP address a
/// link leads to with its dots made inert (idempotently), any URL in other values defanged.
/// `link_rule`: the finding is about a link, where `domain`, `target` and `imitates` name hosts.
pub fn defang_evidence(key: &str, value: &str, link_rule: bool) -> String {
    let host = HOST_KEYS.contains(&key) || (link_rule && LINK_HOST_KEYS.contains(&key));
    if host && !value.contains("://") {
        value.replace("[.]", ".").replace('.', "[.]")
    } else {
        defang_text(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_hosts_and_evidence_are_made_inert() {
        assert_eq!(
            defang("https://bank.example/a.php?x=1.2"),
            "hxxps://bank[.]example/a.php?x=1.2"
        );
        assert_eq!(defang("HTTP://a.b/"), "hxxp://a[.]b/");
        assert_eq!(defang("www.a.example/x"), "www[.]a[.]example/x");
        assert_eq!(defang("javascript:alert(1)"), "javascript[:]alert(1)");
        assert_eq!(defang("mailto:a@b.example"), "mailto[:]a@b[.]example");
        // Defanging twice changes nothing.
        let once = defang("https://a.b.example/x.php");
        assert_eq!(defang(&once), once);
        assert_eq!(
            defang_text(&defang_text("see https://a.example/")),
            "see hxxps://a[.]example/"
        );
        assert_eq!(defang_host("a.b.example"), "a[.]b[.]example");
        assert_eq!(
            defang_evidence("host", "a.b[.]example", false),
            "a[.]b[.]example"
        );
        assert_eq!(defang_evidence("domain", "a.example", false), "a.example");
        assert_eq!(defang_evidence("domain", "a.example", true), "a[.]example");
        assert_eq!(
            defang_evidence("url", "at http://a.example/x", false),
            "at hxxp://a[.]example/x"
        );
    }

    #[test]
    fn every_dotted_word_is_made_inert_and_urls_as_everywhere() {
        assert_eq!(
            defang_all("goes to `203.0.113.5` (http://evil.example/x.html), see 1.5 (.exe)"),
            "goes to `203[.]0[.]113[.]5` (hxxp://evil[.]example/x.html), see 1[.]5 (.exe)"
        );
        assert_eq!(
            defang_all("from x@evil-example.net via HTTPS://A.example/ and www.b.example/p.php"),
            "from x@evil-example[.]net via hxxps://A[.]example/ and www[.]b[.]example/p.php"
        );
        assert_eq!(defang_all("請求書.pdf.exe"), "請求書.pdf[.]exe");
    }
}
