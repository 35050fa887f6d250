//! Fixtures for the wording and Japanese-text rules.

use super::Fixture;
use lurescreen::Config;

fn text(subject: &str, body: &str) -> Vec<u8> {
    format!("From: a@example.com\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")
        .into_bytes()
}

const JA: &str =
    "いつもご利用いただきありがとうございます。お客様のアカウント情報を確認させていただきます。";

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let mut gb = b"From: a@example.com\nSubject: s\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: 8bit\n\n".to_vec();
    gb.extend_from_slice(&encoding_rs::GBK.encode(JA).0);
    vec![
        ("CONTENT_LURE_PHRASE", d(), text("Action required", "Verify your account.")),
        (
            "CONTENT_LURE_WITH_ACTION",
            d(),
            text(
                "Your account has been suspended",
                "Verify your account within 24 hours: https://login.example.net/",
            ),
        ),
        (
            "CONTENT_PRIZE_LURE",
            d(),
            text(
                "Your loyalty gift awaits",
                "Claim your reward: https://claim.example.net/",
            ),
        ),
        (
            "CONTENT_DATING_LURE",
            d(),
            text(
                "Hot singles near you",
                "Lonely women are looking for a lover: https://meet.example.net/",
            ),
        ),
        (
            "CONTENT_FALSE_REASSURANCE",
            d(),
            text("Your parcel", "This message is from a trusted sender. Track it online."),
        ),
        (
            "CONTENT_BANK_DETAILS_BY_REPLY",
            d(),
            "From: Yoshida <yoshida@customer.example>\nReply-To: y.customer@outlook.jp\n\
Subject: =?UTF-8?B?44GK6KaL56mN44KK44Gu44GK6aGY44GE?=\nMIME-Version: 1.0\n\
Content-Type: text/plain; charset=UTF-8\n\n\
お見積書と貴社の口座情報を本メールへのご返信にてお送りください。\n"
                .as_bytes()
                .to_vec(),
        ),
        (
            "CONTENT_NOTE_BY_REPLY",
            d(),
            "From: Director Lee <office@trading.example>\nReply-To: director.lee.desk@gmail.com\n\
Subject: Proposal\n\nGood day, I have an offer for you. Please reply for details.\n"
                .as_bytes()
                .to_vec(),
        ),
        (
            "CONTENT_BRAND_BILLING_CALLBACK",
            d(),
            "From: Billing Desk <billing@receipts-center.example>\n\
Subject: Your PayPal payment of $499.99 is complete\n\n\
Thank you for your purchase. If you did not make it, call +1 (800) 555-0199 to cancel.\n"
                .as_bytes()
                .to_vec(),
        ),
        (
            "CONTENT_BRAND_SIGNATURE",
            d(),
            "From: Account Support <service@billing-notice.example>\n\
Subject: We need to confirm your billing details\n\
Content-Type: text/html\n\n\
<p>We were unable to process your recent payment.</p>\
<p><a href=\"https://retry.example.net/pay\">Retry payment</a></p>\
<p>Best regards, The Spotify Team</p>\n"
                .as_bytes()
                .to_vec(),
        ),
        (
            "CONTENT_NON_JAPANESE_KANJI",
            d(),
            text(
                "s",
                "お客様のアカウントは一時的に停止されました。以下のリンクから确认してください。\
请在24小时内完成操作。ご不明な点はお问い合わせください。",
            ),
        ),
        ("CONTENT_CHINESE_CHARSET", d(), gb),
        (
            "CONTENT_LOOKALIKE_LETTERS",
            d(),
            text("Notice", "Vеrіfy Yоur Wаllеt before the deadline."),
        ),
        (
            "CONTENT_SPLIT_WORDS",
            d(),
            text(
                "Notice",
                "H\u{200C}ello, this is the St\u{200C}udent L\u{200C}oan De\u{200C}part\u{200C}ment.",
            ),
        ),
        (
            "CONTENT_RECIPIENT_IN_SUBJECT",
            d(),
            b"From: a@example.com\nTo: taro@example.co.jp\nSubject: taro@example.co.jp: mailbox notice\n\nb\n".to_vec(),
        ),
        (
            "CONTENT_CHINESE_FONT",
            d(),
            format!("From: a@example.com\nSubject: s\nContent-Type: text/html; charset=utf-8\n\n<p style=\"font-family: SimSun\">{JA}</p>\n").into_bytes(),
        ),
        (
            "CONTENT_ADVANCE_FEE",
            d(),
            text(
                "Attn: Beneficiary",
                "Your inheritance of US$10,500,000.00 is approved. Write to claims.office@gmail.com.",
            ),
        ),
        (
            "CONTENT_LOAN_OFFER",
            d(),
            text(
                "Loan offer",
                "We offer business loans at 3% interest rate. Apply to loan.desk.office@gmail.com.",
            ),
        ),
        (
            "CONTENT_CRYPTO_PAYMENT_ADDRESS",
            d(),
            text(
                "Your secret",
                "Send the payment to my bitcoin wallet: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            ),
        ),
        (
            "CONTENT_CRYPTO_CREDITED",
            d(),
            text(
                "Deposit confirmed",
                "We have deposited 2.5 BTC into your portfolio as you requested.",
            ),
        ),
        (
            "CONTENT_HIDDEN_TEXT",
            d(),
            format!(
                "From: a@example.com\nSubject: s\nContent-Type: text/html\n\n<p>Your parcel is held.</p><div style=\"display:none\">{}</div>\n",
                "quiet words about farms and rivers ".repeat(12)
            )
            .into_bytes(),
        ),
        (
            "CONTENT_HIDDEN_TOKENS",
            d(),
            b"From: a@example.com\nSubject: s\nContent-Type: text/html\n\n<p><span style=\"opacity:0\">k3xqpw71</span> Get a loan today <span style=\"opacity:0\">zt9mbrd4</span></p>\n".to_vec(),
        ),
        (
            "CONTENT_FILLER_JOINED_WORDS",
            d(),
            text("Claim..your..reward..today", "b"),
        ),
        (
            "CONTENT_PADDED_CODE",
            d(),
            text("Win a gift card worth 250 euro!     .....EK074", "b"),
        ),
        (
            "CONTENT_INVENTED_POSTAL_ADDRESS",
            d(),
            text("Offer", "Try it. 7 Oak Lane, Jonesville, VA 68196. Unsubscribe: reply STOP."),
        ),
        (
            "CONTENT_OBFUSCATED_BRAND",
            d(),
            text("Pay.Pal. Your account has been credited", "b"),
        ),
        (
            "CONTENT_IMAGE_ONLY_LINK",
            d(),
            b"From: a@example.com\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://claim.example.net/\"><img src=\"https://claim.example.net/b.png\"></a>\n".to_vec(),
        ),
    ]
}
