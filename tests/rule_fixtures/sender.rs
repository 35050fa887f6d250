//! Fixtures for the sender and header rules.

use super::Fixture;
use lurescreen::Config;

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let mut brands = d();
    brands.organisation.protected_brands = vec!["Sakura Bank".into()];
    brands.organisation.protected_domains = vec!["sakura-bank.co.jp".into()];
    let mut trusted = d();
    trusted.auth.trusted_authserv_ids = vec!["mx.example.co.jp".into()];
    let auth = |results: &str| {
        format!(
            "Authentication-Results: mx.example.co.jp; {results}\nFrom: Bank <info@bank.example.com>\nSubject: s\n\nb\n"
        )
        .into_bytes()
    };
    let m = |s: &str| s.as_bytes().to_vec();
    let mut own = d();
    own.organisation.domains = vec!["examplecorp.co.jp".into()];
    vec![
        (
            "SENDER_LOOKALIKE_DOMAIN",
            own,
            m("From: 総務部 <soumu@example-corp.co.jp>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_CONFUSABLE_DOMAIN",
            d(),
            // Cyrillic а, р, ӏ: displays as "apple.com".
            m("From: Support <support@xn--80ak6aa92e.com>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_IMPERSONATED_BRAND",
            d(),
            m(
                "From: Microsoft account team <no-reply@access-security.example.com>\nSubject: s\n\nb\n",
            ),
        ),
        (
            "SENDER_UNALIGNED_BRAND_DOMAIN",
            d(),
            m(
                "Return-Path: <bounce@mailer-7731.example>\nFrom: PayPal <service@paypal.com>\nSubject: s\n\nb\n",
            ),
        ),
        (
            "SENDER_STYLED_ADDRESS",
            d(),
            m(
                "From: AOK <noreply@\u{1d41a}\u{1d428}\u{1d424}.\u{1d41d}\u{1d41e}>\nSubject: s\n\nb\n",
            ),
        ),
        (
            "SENDER_RANDOM_LOCAL_PART",
            d(),
            m("From: Home Offers <xunIqVya@deck.example.net>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_TENANT_DOMAIN",
            d(),
            m("From: Parcel Service <notice@school.onmicrosoft.com>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_NUMBER_IN_NAME",
            d(),
            m("From: Statement-48210937 <info@billing.example.net>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_EMOJI_NAME",
            d(),
            m(
                "From: =?UTF-8?Q?Lucky_Draw_=F0=9F=8E=81?= <draw@prizes.example.net>\nSubject: s\n\nb\n",
            ),
        ),
        (
            "SENDER_OBFUSCATED_BRAND",
            d(),
            m("From: C o i n b a s e <support@wallet-help.example.net>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_UNKNOWN_TLD",
            d(),
            m("From: Mr. Werfel <correo@protege.cll>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_FREE_HOSTING_DOMAIN",
            d(),
            m(
                "From: Support <noreply@promo-3f7a2.firebaseapp.com>\nSubject: s\n\nhttps://casino.example.net/join\n",
            ),
        ),
        (
            "SENDER_KNOWN_BAD_DOMAIN",
            d(),
            m("From: x <x@mail.lurescreen-ioc-test.invalid>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_FREEMAIL_ORGANISATION",
            d(),
            m("From: 三井住友銀行 <smbc.support2026@gmail.com>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_BRAND_DISPLAY_NAME",
            brands,
            m("From: Sakura Bank Support <notice@secure-mailer.example.com>\nSubject: s\n\nb\n"),
        ),
        (
            "SENDER_REPLY_TO_FREEMAIL",
            d(),
            m(
                "From: Bank <info@bank.example.com>\nReply-To: bank.help@gmail.com\nSubject: s\n\nb\n",
            ),
        ),
        (
            "SENDER_REPLY_TO_OTHER_DOMAIN",
            d(),
            m(
                "From: Bank <info@bank.example.com>\nReply-To: help@elsewhere.example.net\nSubject: s\n\nb\n",
            ),
        ),
        (
            "SENDER_ENVELOPE_FREEMAIL",
            d(),
            m(
                "Return-Path: <someone@gmail.com>\nFrom: Bank <info@bank.example.com>\nSubject: s\n\nb\n",
            ),
        ),
        (
            "SENDER_SIGNATURE_MISMATCH",
            d(),
            m(
                "From: 山田 <yamada.minato@gmail.com>\nSubject: s\n\n資料をお送りします。\n\n--\n株式会社みなと物流 山田\nyamada@minato-butsuryu.co.jp\n",
            ),
        ),
        (
            "HEADER_FROM_MISSING",
            d(),
            m("To: a@example.co.jp\nSubject: s\n\nb\n"),
        ),
        (
            "HEADER_FROM_MULTIPLE",
            d(),
            m("From: a@example.co.jp\nFrom: b@evil.example.com\nSubject: s\n\nb\n"),
        ),
        (
            "HEADER_FROM_INVALID",
            d(),
            m("From: Microsoft account team ,_<no-reply@access.example.com>\nSubject: s\n\nb\n"),
        ),
        (
            "HEADER_SPF_FAIL",
            trusted.clone(),
            auth("spf=fail smtp.mailfrom=evil.example.com"),
        ),
        (
            "HEADER_DKIM_FAIL",
            trusted.clone(),
            auth("dkim=fail header.d=bank.example.com"),
        ),
        (
            "HEADER_DMARC_FAIL",
            trusted,
            auth("dmarc=fail header.from=bank.example.com"),
        ),
    ]
}
