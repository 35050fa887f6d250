//! How evidence classes and the sender's standing decide a verdict (README "How a verdict is
//! reached"): context alone never warns about mail someone stands behind, deception and payload
//! always count, and automatic mail is read for what it is. Messages are generated here.

use lurescreen::{Config, Engine, Signatures, Verdict};

fn engine(trusted: &[&str]) -> Engine {
    let mut config = Config::default();
    config.auth.trusted_authserv_ids = trusted.iter().map(|s| s.to_string()).collect();
    Engine::new(config, Signatures::embedded().unwrap())
}

/// A marketing-style HTML mail: a hidden preheader and "act now" wording (context only).
fn newsletter(headers: &str) -> Vec<u8> {
    format!(
        "{headers}To: reader@example.co.jp\nSubject: Your account has been suspended\n\
MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n\
<html><body><div style=\"display:none\">{}</div>\
<p>Verify your account within 24 hours: https://shop-example.com/account</p>\
<p><a href=\"https://shop-example.com/sale\">Shop the sale</a></p></body></html>\n",
        "quiet words about farms and rivers ".repeat(12)
    )
    .into_bytes()
}

fn rules(r: &lurescreen::Report) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn context_alone_does_not_warn_about_an_authenticated_sender() {
    let signed = "DKIM-Signature: v=1; a=rsa-sha256; d=mail.shop-example.com; s=k; bh=x; b=y\n\
From: Shop <news@shop-example.com>\n";
    let r = engine(&[]).scan(&newsletter(signed)).unwrap();
    assert!(
        r.weights.context >= 4.0,
        "the newsletter must carry context: {:?}",
        rules(&r)
    );
    assert_eq!(
        r.weights.deception + r.weights.payload,
        0.0,
        "{:?}",
        rules(&r)
    );
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", rules(&r));
    assert!(r.context_discounted);
    assert_eq!(
        r.standing.authenticated.as_deref(),
        Some("DKIM-Signature d=mail.shop-example.com")
    );

    // The same mail from nobody in particular is judged on all of it.
    let anonymous = "From: Shop <news@shop-example.com>\n";
    let r = engine(&[]).scan(&newsletter(anonymous)).unwrap();
    assert!(r.verdict >= Verdict::Warn, "{:?}", rules(&r));
    assert!(!r.context_discounted);

    // A free mail domain's signature vouches for no organisation.
    let freemail = "DKIM-Signature: v=1; d=gmail.com; s=k\nFrom: Shop <shop.sale2026@gmail.com>\n";
    let r = engine(&[]).scan(&newsletter(freemail)).unwrap();
    assert!(r.verdict >= Verdict::Warn, "{:?}", rules(&r));
}

#[test]
fn a_trusted_server_decides_whether_the_signature_counts() {
    let failed = "Authentication-Results: mx.example.co.jp; dkim=fail header.d=shop-example.com\n\
DKIM-Signature: v=1; d=shop-example.com; s=k\nFrom: Shop <news@shop-example.com>\n";
    let r = engine(&["mx.example.co.jp"])
        .scan(&newsletter(failed))
        .unwrap();
    assert!(r.verdict >= Verdict::Warn, "{:?}", rules(&r));
    let passed = "Authentication-Results: mx.example.co.jp; dkim=pass header.d=shop-example.com\n\
From: Shop <news@shop-example.com>\n";
    let r = engine(&["mx.example.co.jp"])
        .scan(&newsletter(passed))
        .unwrap();
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", rules(&r));
    assert_eq!(
        r.standing.authenticated.as_deref(),
        Some("dkim=pass shop-example.com")
    );
}

#[test]
fn deception_counts_whoever_signs() {
    // An authenticated sender whose link text names another site is still judged.
    let raw = "DKIM-Signature: v=1; d=shop-example.com; s=k\nFrom: Shop <news@shop-example.com>\n\
To: reader@example.co.jp\nSubject: Your invoice\nContent-Type: text/html\n\n\
<p>Verify your account now.</p><a href=\"https://login.evil-example.com/x\">https://www.bank-example.com/login</a>\n";
    let r = engine(&[]).scan(raw.as_bytes()).unwrap();
    assert!(
        rules(&r).contains(&"LINK_TEXT_DOMAIN_MISMATCH"),
        "{:?}",
        rules(&r)
    );
    assert!(r.verdict >= Verdict::Warn);
    assert!(r.weights.deception > 0.0);
}

#[test]
fn an_esp_tracking_link_showing_the_senders_own_site_is_not_a_mismatch() {
    let raw = |signer: &str| {
        format!(
            "Return-Path: <bounces+123@u123.wl.esp-mail-example.com>\n{signer}From: Clinic <noreply@clinic-example.com>\n\
To: reader@example.co.jp\nSubject: Your statement\nContent-Type: text/html\n\n\
<p>Questions? <a href=\"https://u123.ct.esp-mail-example.com/ls/click?upn=abc\">https://clinic-example.com/contact/</a></p>\n"
        )
        .into_bytes()
    };
    let signed = "DKIM-Signature: v=1; d=clinic-example.com; s=k\n";
    let r = engine(&[]).scan(&raw(signed)).unwrap();
    assert!(
        !rules(&r).contains(&"LINK_TEXT_DOMAIN_MISMATCH"),
        "{:?}",
        rules(&r)
    );
    // Unauthenticated, the same link is a mismatch.
    let r = engine(&[]).scan(&raw("")).unwrap();
    assert!(
        rules(&r).contains(&"LINK_TEXT_DOMAIN_MISMATCH"),
        "{:?}",
        rules(&r)
    );
}

fn bounce(inner_attachment: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut m = String::from(
        "Return-Path: <>\nFrom: MAILER-DAEMON\nTo: user@example.co.jp\n\
Subject: Undelivered Mail Returned to Sender: verify your account\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=R\n\n\
--R\nContent-Type: text/plain\n\nYour message could not be delivered. Action required: click here \
to verify your account now or it will be suspended.\n\
--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n\
Final-Recipient: rfc822; gone@example.net\nAction: failed\nStatus: 5.1.1\n\n\
--R\nContent-Type: message/rfc822\n\n",
    );
    match inner_attachment {
        None => m.push_str("From: user@example.co.jp\nSubject: hello\n\nhi\n"),
        Some((name, data)) => {
            use base64::Engine as _;
            let b64 = base64::engine::general_purpose::STANDARD.encode(data);
            m.push_str(&format!(
                "From: user@example.co.jp\nSubject: invoice\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=I\n\n--I\nContent-Type: text/plain\n\nsee attached\n\
--I\nContent-Type: application/octet-stream; name=\"{name}\"\nContent-Disposition: attachment; filename=\"{name}\"\n\
Content-Transfer-Encoding: base64\n\n{b64}\n--I--\n"
            ));
        }
    }
    m.push_str("--R--\n");
    m.into_bytes()
}

#[test]
fn a_bounce_is_read_as_a_bounce_and_what_it_carries_still_counts() {
    let r = engine(&[]).scan(&bounce(None)).unwrap();
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", rules(&r));
    assert!(
        !rules(&r).contains(&"HEADER_FROM_INVALID"),
        "{:?}",
        rules(&r)
    );
    assert_eq!(
        r.standing.machine.map(|m| m.as_str()),
        Some("delivery-status")
    );

    // A program in the returned message is a program.
    let mut pe = b"MZ".to_vec();
    pe.resize(256, 0);
    let r = engine(&[])
        .scan(&bounce(Some(("invoice.pdf.exe", &pe))))
        .unwrap();
    assert!(r.verdict >= Verdict::Quarantine, "{:?}", rules(&r));

    // A "MAILER-DAEMON" with a real return path is an ordinary sender with an odd name.
    let fake = String::from_utf8(bounce(None))
        .unwrap()
        .replace("Return-Path: <>", "Return-Path: <x@evil-example.com>");
    let r = engine(&[]).scan(fake.as_bytes()).unwrap();
    assert!(
        rules(&r).contains(&"HEADER_FROM_INVALID"),
        "{:?}",
        rules(&r)
    );
}

#[test]
fn ppap_password_mail_from_a_free_mail_company_warns() {
    let mail = |from: &str| {
        format!(
            "From: {from}\nTo: tanaka@example.co.jp\nSubject: パスワードのご連絡\n\
MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n\
いつもお世話になっております。\n先ほどお送りした請求書.zip の解凍パスワードをお知らせします。\n\
パスワード：Xk29pq71\nよろしくお願いいたします。\n"
        )
        .into_bytes()
    };
    let r = engine(&[])
        .scan(&mail(
            "株式会社みなと物流 経理部 <minato.keiri2026@gmail.com>",
        ))
        .unwrap();
    assert!(
        rules(&r).contains(&"CONTENT_SEPARATE_PASSWORD"),
        "{:?}",
        rules(&r)
    );
    assert!(
        rules(&r).contains(&"SENDER_FREEMAIL_ORGANISATION"),
        "{:?}",
        rules(&r)
    );
    assert!(r.verdict >= Verdict::Warn, "{:?}", rules(&r));
    // The same password mail from a company's own domain is ordinary Japanese business mail.
    let r = engine(&[])
        .scan(&mail(
            "株式会社みなと物流 経理部 <keiri@minato-butsuryu.co.jp>",
        ))
        .unwrap();
    assert!(
        rules(&r).contains(&"CONTENT_SEPARATE_PASSWORD"),
        "{:?}",
        rules(&r)
    );
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", rules(&r));
}

#[test]
fn chinese_forms_in_japanese_text_warn_alone() {
    let raw = "From: 営業部 <sales@trade.example.co.jp>\nTo: tanaka@example.co.jp\n\
Subject: ご確認のお願い\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: 8bit\n\n\
お世话になっております。请确认以下の内容について、ご说明いたします。这个件について、\
担当者から连络させていただきますので、よろしくお愿いいたします。\n";
    let r = engine(&[]).scan(raw.as_bytes()).unwrap();
    assert_eq!(rules(&r), ["CONTENT_NON_JAPANESE_KANJI"]);
    assert_eq!(r.verdict, Verdict::Warn);
}

#[test]
fn a_forged_partner_asking_to_pay_a_new_account_warns() {
    let mail = |dmarc: &str| {
        format!(
            "Authentication-Results: mx.example.co.jp; dmarc={dmarc} header.from=partner.example.co.jp\n\
From: 経理部 山田 <yamada@partner.example.co.jp>\nTo: tanaka@example.co.jp\n\
Subject: 振込先口座変更のお知らせ\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: 8bit\n\nいつもお世話になっております。\n\
弊社の振込先口座を変更いたしました。今月のお支払いから、下記の新しい口座へお振込みをお願いいたします。\n"
        )
        .into_bytes()
    };
    let e = engine(&["mx.example.co.jp"]);
    let r = e.scan(&mail("fail")).unwrap();
    assert_eq!(rules(&r), ["HEADER_DMARC_FAIL", "CONTENT_PAYMENT_DETAILS"]);
    assert_eq!(r.verdict, Verdict::Warn);
    // The same request from the partner's authenticated domain is an ordinary notice.
    let r = e.scan(&mail("pass")).unwrap();
    assert_eq!(rules(&r), ["CONTENT_PAYMENT_DETAILS"]);
    assert_eq!(r.verdict, Verdict::Clean);
}
