//! Fixtures for the link rules beyond the core mismatch.

use super::Fixture;
use lurescreen::Config;

fn html(body: &str) -> Vec<u8> {
    format!("From: Bank <info@bank.example.com>\nSubject: s\nContent-Type: text/html\n\n{body}\n")
        .into_bytes()
}

fn link(href: &str) -> Vec<u8> {
    html(&format!("<a href=\"{href}\">open</a>"))
}

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let mut own = d();
    own.organisation.domains = vec!["examplecorp.co.jp".into()];
    vec![
        (
            "LINK_LOOKALIKE_DOMAIN",
            own,
            link("https://examplecorp.jp/login"),
        ),
        (
            "LINK_CONFUSABLE_HOST",
            d(),
            link("https://xn--80ak6aa92e.com/"),
        ),
        ("LINK_IP_HOST", d(), link("http://203.0.113.9/login")),
        ("LINK_IP_OBFUSCATED", d(), link("http://3405803785/login")),
        (
            "LINK_USERINFO",
            d(),
            link("https://www.bank.co.jp@evil.example.net/"),
        ),
        ("LINK_SCRIPT_URL", d(), link("javascript:alert(1)")),
        ("LINK_SHORTENER", d(), link("https://bit.ly/3abcd")),
        (
            "LINK_BRAND_ELSEWHERE",
            d(),
            b"From: PayPal Service <notice@mailer.example.net>\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://verify.example.org/\">Log in</a>\n".to_vec(),
        ),
        (
            "LINK_BANK_ELSEWHERE",
            d(),
            b"From: Commercial Federal Bank <services@bank.example.com>\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://login.update.example.net/\">Renew now</a>\n".to_vec(),
        ),
        (
            "LINK_ONLY_HIDDEN_DESTINATIONS",
            d(),
            html("<a href=\"https://bit.ly/3abcd\">Claim your reward</a>"),
        ),
        (
            "LINK_FREE_HOSTING",
            d(),
            link("https://login-check-7f2.web.app/"),
        ),
        (
            "LINK_EXECUTABLE_DOWNLOAD",
            d(),
            link("https://files.example.net/invoice.pdf.exe"),
        ),
        (
            "LINK_ARCHIVE_DOWNLOAD",
            d(),
            link("https://files.example.net/invoice.zip"),
        ),
        (
            "LINK_KNOWN_BAD",
            d(),
            link("http://lurescreen-ioc-test.invalid/"),
        ),
        (
            "LINK_SENDER_DOMAIN_IN_PATH",
            d(),
            link("http://host.example.net/~u/www.bank.example.com/index.php"),
        ),
        (
            "LINK_BRAND_NO_OWN_LINK",
            d(),
            "From: PayPal Service <service@paypal.com>\nSubject: Account\nMIME-Version: 1.0\n\
Content-Type: text/html\n\n<p><a href=\"http://account-check.example.net/login\">Log in</a></p>\n"
                .as_bytes()
                .to_vec(),
        ),
        (
            "LINK_BRAND_DOMAIN_IN_HOST",
            d(),
            link("https://www.paypal.com.secure-login.example.net/signin"),
        ),
        (
            "LINK_FORM_PASSWORD",
            d(),
            html(
                "<form action=\"http://collect.example.net/p\">ID <input name=u> PW <input type=password name=p></form>",
            ),
        ),
        (
            "LINK_FORM_OFFSITE",
            d(),
            html("<form action=\"https://survey.example.net/s\"><input name=q></form>"),
        ),
    ]
}
