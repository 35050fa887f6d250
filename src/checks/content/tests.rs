//! Tests of the wording and text checks.

use super::*;
use crate::config::Config;
use crate::signatures::Signatures;

fn note(raw: &str) -> Vec<Finding> {
    run_checks(&[note_by_reply], raw)
}

fn callback(raw: &str) -> Vec<Finding> {
    run_checks(&[brand_billing_callback], raw)
}

#[test]
fn brand_receipt_with_a_number_to_call() {
    let f = callback(
        "From: Order Desk <desk@invoice-mailer.example>\nSubject: Your Norton order #ZX-4411 is confirmed\n\n\
Amount charged: $389.00. To cancel, call our help line +1 888-555-0142 within 24 hours.\n",
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule, "CONTENT_BRAND_BILLING_CALLBACK");
    assert!(
        f[0].evidence
            .iter()
            .any(|(k, v)| k == "phone" && v.contains("555-0142"))
    );
    // A free mail sender naming a payment service, number in brackets.
    let f = callback(
        "From: helpdesk.user@gmail.com\nSubject: PayPal payment processed\n\n\
Questions? Call (877) 555-0100.\n",
    );
    assert_eq!(f.len(), 1);
    // From free mail, the brand named only at the top of the text.
    let top = "From: desk.team.41@gmail.com\nSubject: Your ticket 5521 payment is processed\n\n\
PayPal payment notification. Amount: $912.00. To dispute, call (877) 555-0100.\n";
    assert_eq!(callback(top).len(), 1);
    // The same text from a company's own domain that signs its mail, or answering a message,
    // names the brand only in passing: nothing.
    let signed = top.replace(
        "From: desk.team.41@gmail.com\n",
        "DKIM-Signature: v=1; a=rsa-sha256; d=garden-club.example; s=s1; b=AAAA\nFrom: billing@garden-club.example\n",
    );
    assert!(callback(&signed).is_empty());
    let reply = top.replace(
        "From: desk.team.41@gmail.com\n",
        "From: billing@garden-club.example\nIn-Reply-To: <q-77@customer.example>\n",
    );
    assert!(callback(&reply).is_empty());
    // A fresh message from a domain that does not sign it, the brand at the top of the text
    // and a made-up product in the subject: the callback receipt sent as a calendar invitation.
    let unsigned = "From: Kevin Moore <k.moore@dusk-garden.example>\nSubject: Confirmation: Your Recent Renewal for FUCOULB is Successful\n\n\
McAfee Purchase Entry. A payment of USD586.77 will be processed today. Client Assistance Channel: 1 865 555-0151.\n";
    assert_eq!(callback(unsigned).len(), 1);
}

#[test]
fn brand_news_and_own_receipts_are_not_callbacks() {
    // The brand's own receipt.
    assert!(
        callback(
            "From: PayPal <service@paypal.com>\nSubject: Receipt for your payment\n\n\
You sent a payment. Call 888-555-0100 with questions.\n"
        )
        .is_empty()
    );
    // A newsletter naming a brand, no billing words in the subject.
    assert!(
        callback(
            "From: Tech Weekly <news@techweekly.example>\nSubject: Amazon opens a new office\n\n\
Read more. Newsroom: +1 212-555-0100\n"
        )
        .is_empty()
    );
    // A shop order mentioning a brand but no phone number.
    assert!(
            callback(
                "From: Gadget Shop <orders@gadgetshop.example>\nSubject: Your order of a Netflix gift card\n\n\
Thanks for shopping with us. Order 2024-05-17, total 25.00.\n"
            )
            .is_empty()
        );
    // A reseller's order confirmation with a help line: it links to the order.
    assert!(
        callback(
            "From: Gadget Shop <orders@gadgetshop.example>\nSubject: Your order: Apple AirPods\n\n\
Track it at https://gadgetshop.example/orders/77. Help line +1 888-555-0100.\n"
        )
        .is_empty()
    );
    // Billing words and a phone number, but no brand.
    assert!(
        callback(
            "From: City Water <billing@citywater.example>\nSubject: Your invoice for May\n\n\
Call 555-123-4567 with questions.\n"
        )
        .is_empty()
    );
}

#[test]
fn short_note_answered_at_free_mail() {
    let f = note(
        "From: Director Lee <office@trading.example>\nReply-To: director.lee.private@gmail.com\n\
Subject: Proposal\n\nGood day, I have a business proposal for you. Reply for details.\n",
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule, "CONTENT_NOTE_BY_REPLY");
    // Another mailbox on the same free mail service counts too.
    let f = note(
        "From: Ana <ana.writer@gmail.com>\nReply-To: ana.private.desk@gmail.com\n\
Subject: Hello\n\nI wish to speak with you.\n",
    );
    assert_eq!(f.len(), 1);
}

#[test]
fn newsletters_and_other_replies_are_not_notes() {
    // A club newsletter with a free mail Reply-To: links and a footer.
    let news = format!(
        "From: Garden Club <news@club.example>\nReply-To: garden.club@gmail.com\n\
Subject: Spring news\nContent-Type: text/html\n\n<p>{}</p>\
<a href=\"https://club.example/events\">Events</a> <a href=\"https://club.example/unsubscribe\">Unsubscribe</a>\n",
        "Our spring fair is on Saturday. ".repeat(5)
    );
    assert!(note(&news).is_empty());
    // Replies to the organisation's own domain.
    assert!(
        note(
            "From: Shop <news@shop.example>\nReply-To: help@shop.example\n\
Subject: Hi\n\nThanks for your order.\n"
        )
        .is_empty()
    );
    // A list message.
    assert!(
            note(
                "From: Ken <ken@uni.example>\nReply-To: ken.home@gmail.com\nList-Id: <staff.uni.example>\n\
Subject: Away\n\nI am away this week.\n"
            )
            .is_empty()
        );
    // A long letter is not a note.
    let long = format!(
        "From: Ken <ken@uni.example>\nReply-To: ken.home@gmail.com\nSubject: Report\n\n{}\n",
        "The committee met on Monday and agreed the budget. ".repeat(40)
    );
    assert!(note(&long).is_empty());
}

#[test]
fn japanese_script_has_no_case_and_no_spaces() {
    // The premise of lower_collapsed's fast path for U+3001..=U+9FFF.
    for c in '\u{3001}'..='\u{9fff}' {
        assert!(c.to_lowercase().eq([c]), "{c:?}");
    }
    assert!(('\u{3001}'..='\u{9fff}').all(|c| !c.is_whitespace()));
}

#[test]
fn lower_collapsed_lowers_and_collapses_every_kind_of_space() {
    let reference = |text: &str| {
        let mut out = String::new();
        let mut in_space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                if !in_space {
                    out.push(' ');
                }
                in_space = true;
            } else {
                in_space = false;
                out.extend(c.to_lowercase());
            }
        }
        out
    };
    for text in [
        "Verify  YOUR\r\n\taccount\x0b\x0cNOW\u{a0}\u{3000}ÉTÉ İstanbul 口座\u{2028}x ",
        "",
        " ",
        "\x1c\x1fABC\u{85}D\u{1680}e",
        "ΣΊΣΥΦΟΣ Ǆ ß ＡＢＣ abc",
        "口座情報を確認してください。Please VERIFY your Account!!",
        "AAAAAAAA BBBBBBBB  CCCCCCCC\n\nDDDDDDDD@[`{ZzAa",
        "abcdefg \n       x !a b!c d !!e",
    ] {
        assert_eq!(lower_collapsed(text), reference(text), "{text:?}");
    }
    // Many strings of the characters at the edges of the eight-byte path.
    let alphabet = [
        " ", " ", "\t", "\n", "\x0b", "\x1f", "!", "@", "A", "Z", "[", "`", "a", "z", "{", "~",
        "\x7f", "É", "Σ", "\u{3000}", "\u{a0}", "x", "Q",
    ];
    let mut seed: u64 = 0x5eed;
    for _ in 0..5000 {
        let mut text = String::new();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        for _ in 0..(seed >> 58) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(alphabet[(seed >> 40) as usize % alphabet.len()]);
        }
        assert_eq!(lower_collapsed(&text), reference(&text), "{text:?}");
    }
    assert_eq!(lower_collapsed("A \n B"), "a b");
}

#[test]
fn candidate_words_are_the_words_with_a_capital_i_or_non_ascii() {
    let texts = [
        "",
        "I",
        "plain ascii words only",
        "Your waIIet: verify it. McIntyre’s “quote” — naïve café",
        "ＰａｙＰａｌ аррӏе 𝐨𝐩𝐞𝐧 𝐧𝐨𝐰 ᴏᴢᴇᴍᴘɪᴄ ⓐⓑ",
        "日本語のテキストIDとI.I.I",
        "PayPalの確認ｱｶｳﾝﾄ한국어Ｉ",
        "’’’I’I’ \u{a0}x\u{a0}Iy",
        "end with non-ascii é",
    ];
    for text in texts {
        let expected: Vec<&str> = text
            .split(|c: char| !word_char(c))
            .filter(|w| !w.is_empty() && (w.contains('I') || !w.is_ascii()))
            .collect();
        let got: Vec<&str> = candidate_words(text).collect();
        assert_eq!(got, expected, "{text:?}");
    }
}

/// The findings of `checks` on a message parsed with the default limits.
fn run_checks(checks: &[crate::checks::Check], raw: &str) -> Vec<Finding> {
    let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
    let sigs = Signatures::embedded().unwrap();
    let config = Config::default();
    let ctx = Context {
        msg: &msg,
        signatures: &sigs,
        config: &config,
    };
    let mut out = Vec::new();
    for check in checks {
        check(&ctx, &mut out);
    }
    out
}

fn run(raw: &str) -> Vec<Finding> {
    run_checks(
        &[
            lure_phrases,
            bank_details_by_reply,
            chinese_forms_in_japanese,
            chinese_charset_or_font,
        ],
        raw,
    )
}

fn rules(raw: &str) -> Vec<&'static str> {
    run(raw).into_iter().map(|f| f.rule).collect()
}

#[test]
fn lure_phrases_alone_and_with_a_link() {
    assert_eq!(
        rules("Subject: Action required\n\nVerify your account.\n"),
        ["CONTENT_LURE_PHRASE"]
    );
    // One phrase deep in an article is not a lure.
    let article = format!(
        "Subject: Weekly news\n\n{}How to avoid identity theft: https://news.example.net/\n",
        "Lorem ipsum dolor sit amet. ".repeat(150)
    );
    assert!(rules(&article).is_empty());
    // Business words and urgency alone are ordinary mail.
    assert!(rules("Subject: 議事録送付\nContent-Type: text/plain; charset=utf-8\n\n請求書と議事録をお送りします。https://files.example.net/\n").is_empty());
    assert!(rules("Subject: Action required\n\nPlease read.\n").is_empty());
    let f = run(
        "Subject: Your account has been suspended\n\nVerify your account immediately: https://login.example.net/\n",
    );
    assert_eq!(f.len(), 2);
    assert_eq!(f[1].rule, "CONTENT_LURE_WITH_ACTION");
    assert!(f[1].evidence[2].1.contains("login.example.net"));
    // Pressure but nothing to click or open.
    assert_eq!(
        rules("Subject: Your account has been suspended\n\nVerify your account immediately.\n"),
        ["CONTENT_LURE_PHRASE"]
    );
    // Links only to the sender's own site are nothing to act on elsewhere.
    assert_eq!(
        rules(
            "From: it@example.co.jp\nSubject: Your password will expire\n\nChange it at https://portal.example.co.jp/\n"
        ),
        ["CONTENT_LURE_PHRASE"]
    );
    assert_eq!(
        rules(
            "Subject: =?UTF-8?B?44CQ6Iez5oCl44CR6KuL5rGC5pu444Gu44GU56K66KqN?=\nContent-Type: text/plain; charset=utf-8\n\n添付をご確認ください。https://files.example.net/\n"
        ),
        ["CONTENT_LURE_PHRASE", "CONTENT_LURE_WITH_ACTION"]
    );
    assert!(rules("Subject: Lunch\n\nSee you at noon. The bank holiday is Monday.\n").is_empty());
}

#[test]
fn bank_details_asked_for_by_reply_elsewhere() {
    let bec = "From: Yoshida <yoshida@customer.example>\nReply-To: y.customer@outlook.jp\n\
Subject: お見積りのお願い\n\nお見積書と貴社の口座情報を本メールへのご返信にてお送りください。\n";
    assert!(rules(bec).contains(&"CONTENT_BANK_DETAILS_BY_REPLY"));
    let en = "From: CFO <cfo@corp.example>\nReply-To: cfo@corp-payments.example\n\
Subject: vendor\n\nPlease send the wire transfer today and reply with confirmation.\n";
    assert!(rules(en).contains(&"CONTENT_BANK_DETAILS_BY_REPLY"));
    // Replies to the sender itself, or no bank wording: nothing.
    let same = "From: a@corp.example\nReply-To: b@pay.corp.example\n\nOur bank details changed.\n";
    assert!(!rules(same).contains(&"CONTENT_BANK_DETAILS_BY_REPLY"));
    let plain = "From: a@corp.example\nReply-To: b@gmail.com\n\nSee you at lunch.\n";
    assert!(!rules(plain).contains(&"CONTENT_BANK_DETAILS_BY_REPLY"));
    // A service authenticated by a trusted server, replies to its helpdesk domain: nothing.
    let service = "Authentication-Results: mx.example.co.jp; dkim=pass header.d=shop.example\n\
From: Shop <billing@shop.example>\nReply-To: help@shop-support.example\n\n\
Your payment details were updated.\n";
    let msg = crate::message::parse(service.as_bytes(), &Default::default()).unwrap();
    let sigs = Signatures::embedded().unwrap();
    let mut config = Config::default();
    config.auth.trusted_authserv_ids = vec!["mx.example.co.jp".into()];
    let mut out = Vec::new();
    bank_details_by_reply(
        &Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        },
        &mut out,
    );
    assert!(out.is_empty());
}

#[test]
fn english_dotted_with_rare_accented_letters() {
    let check: crate::checks::Check = lookalike_letters;
    let mail = |body: &str| {
        format!(
            "From: a@example.com\nSubject: Notice\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
        )
    };
    let dotted = mail(
        "I ḟeel sorry to tell you this, but the ḁccount of your company is ƀlocked. To open it, you \
need to ṗay the fee and the ḟine for the delay. This is the last ṅotice for you and your \
team; ẏou have to act today, or the ḍata of your firm will be ṡold. Pay to the ḁddress \
below. This is for your own good and the good of your ṫeam.",
    );
    assert_eq!(rules_of(check, &dotted), ["CONTENT_LOOKALIKE_LETTERS"]);
    // Vietnamese has one accented letter in many words, Polish uses Latin Extended-A: nothing.
    let vi = mail(
        "Chúng tôi xin thông báo: đơn hàng của bạn đã được giao. Cảm ơn bạn đã mua sắm tại cửa \
hàng. Nếu có câu hỏi, hãy liên hệ với chúng tôi qua số điện thoại bên dưới. Chúc bạn một ngày \
tốt lành và hẹn gặp lại. Việt Nam, Hà Nội, Hồ Chí Minh, Đà Nẵng, Huế, Cần Thơ.",
    );
    assert!(rules_of(check, &vi).is_empty());
    let pl = mail(
        "Dziękujemy za zamówienie. Przesyłka zostanie wysłana jutro, a śledzenie będzie \
dostępne w panelu klienta. Życzymy miłego dnia i zapraszamy ponownie do naszego sklepu.",
    );
    assert!(rules_of(check, &pl).is_empty());
}

#[test]
fn words_cut_by_invisible_characters() {
    let check: crate::checks::Check = split_words;
    let lure = "From: a@example.com\nSubject: Notice\nContent-Type: text/plain; charset=utf-8\n\n\
H\u{200C}\u{200C}el\u{200C}lo th\u{200C}is is the St\u{200C}udent L\u{200C}oan De\u{200C}pt.\n";
    assert_eq!(rules_of(check, lure), ["CONTENT_SPLIT_WORDS"]);
    let f = run_checks(&[check], lure);
    assert_eq!(f[0].evidence[0].1, "Hello, this, Student, Loan");
    let marks = "From: a@example.com\nSubject: s\nContent-Type: text/plain; charset=utf-8\n\n\
P\u{200F}\u{200E}le\u{200F}ase up\u{200E}date yo\u{200F}ur pay\u{200E}ment\n";
    assert_eq!(rules_of(check, marks), ["CONTENT_SPLIT_WORDS"]);
    // The cut words in the HTML part, beside a plain-text part that is a one-word stub.
    let filler = "<p>Thank you for being a member.</p>".repeat(40);
    let stub = format!(
        "From: a@example.com\nSubject: s\nContent-Type: multipart/alternative; boundary=b\n\n\
--b\nContent-Type: text/plain; charset=utf-8\n\nnormal\n--b\nContent-Type: text/html; charset=utf-8\n\n\
<p>P\u{200F}\u{200E}le\u{200F}ase up\u{200E}date yo\u{200F}ur pay\u{200E}ment</p>{filler}\n--b--\n"
    );
    assert_eq!(rules_of(check, &stub), ["CONTENT_SPLIT_WORDS"]);
    // A real plain-text alternative is what is read; the same HTML beside it changes nothing.
    let full = stub.replace("\n\nnormal\n", "\n\nPlease update your payment details on our site today, thank you for being a member of our club for so many years. We look forward to seeing you.\n");
    assert!(rules_of(check, &full).is_empty());
    // A newsletter's preview padding: invisible characters between spaces.
    let pad = "\u{200C}&nbsp;\u{034F} \u{200C}".repeat(40);
    let news = format!(
        "From: news@shop.example\nSubject: Sale\nContent-Type: text/html; charset=utf-8\n\n<p>Our autumn sale</p><div>{pad}</div><p>Shop now and save on shoes, coats and bags.</p>\n"
    );
    assert!(rules_of(check, &news).is_empty());
    // Persian joins its own letters with a zero-width non-joiner; emoji sequences use joiners.
    let fa = "From: a@example.ir\nSubject: s\nContent-Type: text/plain; charset=utf-8\n\n\
می\u{200C}خواهم نامه\u{200C}ای بنویسم و کتاب\u{200C}ها را بخوانم می\u{200C}روم 👨\u{200D}👩\u{200D}👧\n";
    assert!(rules_of(check, fa).is_empty());
    // German, Dutch and Japanese business mail.
    for body in [
        "Sehr geehrte Damen und Herren, anbei die Rechnung für Oktober. Mit freundlichen Grüßen",
        "Beste collega, hierbij de offerte voor het onderhoud. Met vriendelijke groet",
        "いつもお世話になっております。来週の会議の資料を添付いたします。よろしくお願いいたします。",
    ] {
        let raw = format!(
            "From: a@example.de\nSubject: s\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
        );
        assert!(rules_of(check, &raw).is_empty(), "{body}");
    }
    // Two cut words are not enough.
    let two = "From: a@example.com\nSubject: s\nContent-Type: text/plain; charset=utf-8\n\nHe\u{200B}llo wo\u{200B}r\u{200B}l\u{200B}d\n";
    assert!(rules_of(check, two).is_empty());
}

#[test]
fn lookalike_letters_in_words() {
    let run_ll = |raw: &str| {
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).unwrap();
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let mut out = Vec::new();
        lookalike_letters(
            &Context {
                msg: &msg,
                signatures: &sigs,
                config: &config,
            },
            &mut out,
        );
        out
    };
    let head = "From: a@example.com\nSubject: Notice\nContent-Type: text/plain; charset=utf-8\n\n";
    // Cyrillic а, о, е, і inside English words.
    let f = run_ll(&format!("{head}Vеrіfy Yоur Wаllеt today.\n"));
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence[0].1.contains("Vеrіfy"));
    // Mathematical bold letters in the subject.
    assert_eq!(
        run_ll("From: a@example.com\nSubject: =?UTF-8?B?8J2QqPCdkKnwnZCe8J2Qpw==?= now\n\nx\n")
            .len(),
        1
    );
    // A capital I for a small l.
    assert_eq!(
        run_ll("From: Trust WaIIet <a@example.com>\nSubject: Verify your waIIet\n\nx\n").len(),
        1
    );
    assert!(
        run_ll(&format!(
            "{head}Mr McIntyre and Ms MacInnes of World War II. XII.\n"
        ))
        .is_empty()
    );
    // A capital I before a vowel where a small l belongs, inside a word or starting a long one.
    assert_eq!(
        run_ll("From: BIueCross Ins. PoIicy <a@example.com>\nSubject: Your pIan\n\nx\n").len(),
        1
    );
    assert_eq!(
        run_ll("From: Vault <a@example.com>\nSubject: Scan your Iedger and waIIet now\n\nx\n")
            .len(),
        1
    );
    // Names, joined words, random tokens and acronyms are not.
    assert!(
        run_ll(&format!(
            "{head}Ian and Iain signed in on LinkedIn; SignIt, AutoIt, iOS, IEEE, DiIorio.\n\
             Tokens TIetNxsBj KfrEflPUXBIyazT and IPv6.\n\
             Code: getIamPolicy(), SetIamPolicy, testIamPermissions, isIeBrowser.\n"
        ))
        .is_empty()
    );
    // Its mirror, a small l for a capital I in words written in capitals, in the sender name
    // and subject; units, abbreviations and capitals in the body are not it.
    let f = run_ll("From: VlAGRA&ClALlS <a@example.com>\nSubject: Order\n\nx\n");
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence[0].1.contains("VlAGRA, ClALlS"));
    assert_eq!(
        run_ll("From: Rituals <a@example.com>\nSubject: WlN een RlTUALS cadeaukaart\n\nx\n").len(),
        1
    );
    assert!(
        run_ll("From: Grid <a@example.com>\nSubject: 5 kWh, 3 dB, 2 mL: HTMl and XMl WlN\n\nx\n")
            .is_empty()
    );
    // Russian, Greek and English side by side, a Greek letter in a formula, one slip: fine.
    assert!(run_ll(&format!("{head}Привет, как дела? Καλημέρα. Hello there.\nThe angle θ is small. Windowsе crashed.\n")).is_empty());
    // Japanese with full-width letters is not styled text.
    assert!(run_ll(&format!("{head}ＡＢＣ株式会社のご案内です。\n")).is_empty());
    // Measurements with a Greek unit letter and identifiers with digits are not words.
    assert!(
        run_ll(&format!(
            "{head}The offset drifts by 100μs, then 500μs, then 900μs, over 2kΩ and 5μm. \
Token yoH9vn6wkqCMz3NSHwGdb2yUUgGDfCwfRCJueWL9 qI9xKw2IbLm\n"
        ))
        .is_empty()
    );
}

#[test]
fn recipient_address_in_the_subject() {
    let msg = crate::message::parse(
        b"To: Taro <taro@example.co.jp>\nSubject: TARO@example.co.jp: your mailbox is full\n\nx\n",
        &Default::default(),
    )
    .unwrap();
    let sigs = Signatures::embedded().unwrap();
    let config = Config::default();
    let mut out = Vec::new();
    let ctx = Context {
        msg: &msg,
        signatures: &sigs,
        config: &config,
    };
    recipient_in_subject(&ctx, &mut out);
    assert_eq!(out[0].rule, "CONTENT_RECIPIENT_IN_SUBJECT");
    let msg = crate::message::parse(
        b"To: taro@example.co.jp\nSubject: Meeting with Taro\n\nx\n",
        &Default::default(),
    )
    .unwrap();
    let mut out = Vec::new();
    recipient_in_subject(
        &Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        },
        &mut out,
    );
    assert!(out.is_empty());
}

#[test]
fn simplified_chinese_in_japanese_text() {
    let ja = "お客様のアカウントは一時的に停止されました。以下のリンクから确认してください。\
请在24小时内完成操作，否则将无法使用。ご不明な点はお问い合わせください。";
    let raw = format!("Subject: s\nContent-Type: text/plain; charset=utf-8\n\n{ja}\n");
    let f = run(&raw);
    let k = f
        .iter()
        .find(|f| f.rule == "CONTENT_NON_JAPANESE_KANJI")
        .expect("fires");
    assert!(k.evidence[0].1.contains('请'), "{:?}", k.evidence);
}

#[test]
fn ordinary_japanese_with_rare_kanji_is_fine() {
    // 髙 and 﨑 (CP932 extensions) and one JIS X 0213 kanji (𠮷) in ordinary business text.
    let ja = "髙橋様、﨑山様\n\nいつもお世話になっております。𠮷田です。先日の打ち合わせの議事録を\
お送りいたします。ご確認のほど、よろしくお願いいたします。来週の会議は水曜日の午後に変更となりました。";
    let raw = format!("Subject: s\nContent-Type: text/plain; charset=utf-8\n\n{ja}\n");
    assert!(!rules(&raw).contains(&"CONTENT_NON_JAPANESE_KANJI"));
    // Chinese text with a decorative の is not Japanese text.
    let zh = "我们的产品质量很好，价格便宜，欢迎您来电咨询。の 这是我们的网站，请查看详细说明。";
    let raw = format!("Subject: s\nContent-Type: text/plain; charset=utf-8\n\n{zh}\n");
    assert!(!rules(&raw).contains(&"CONTENT_NON_JAPANESE_KANJI"));
}

#[test]
fn chinese_charset_and_fonts_in_japanese_mail() {
    let ja = "いつもご利用いただきありがとうございます。お客様のアカウント情報を確認させていただきます。";
    let (gb, _, _) = encoding_rs::GBK.encode(ja);
    let mut raw = b"Subject: s\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: 8bit\n\n".to_vec();
    raw.extend_from_slice(&gb);
    let msg = crate::message::parse(&raw, &Default::default()).unwrap();
    let sigs = Signatures::embedded().unwrap();
    let config = Config::default();
    let mut out = Vec::new();
    chinese_charset_or_font(
        &Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        },
        &mut out,
    );
    assert_eq!(out[0].rule, "CONTENT_CHINESE_CHARSET");
    let html = format!(
        "Subject: s\nContent-Type: text/html; charset=utf-8\n\n<p style=\"font-family: 'Microsoft YaHei', sans-serif\">{ja}</p>\n"
    );
    assert!(rules(&html).contains(&"CONTENT_CHINESE_FONT"));
    // The same font for Chinese text, or Japanese fonts for Japanese text, are fine.
    let zh = html.replace(ja, "我们的产品质量很好，价格便宜，欢迎您来电咨询。");
    assert!(!rules(&zh).contains(&"CONTENT_CHINESE_FONT"));
    let meiryo = html.replace("Microsoft YaHei", "Meiryo");
    assert!(!rules(&meiryo).contains(&"CONTENT_CHINESE_FONT"));
}

fn rules_of(check: crate::checks::Check, raw: &str) -> Vec<&'static str> {
    run_checks(&[check], raw)
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn text_signed_in_a_brands_name_from_elsewhere() {
    let mail = |from: &str, body: &str| {
        format!(
            "From: {from}\nSubject: Billing notice\nContent-Type: text/html\n\n<p>Your payment failed.</p>\
<a href=\"https://retry.example.net/pay\">Retry payment</a>{body}\n"
        )
    };
    let check = |from: &str, body: &str| rules_of(brand_signature, &mail(from, body));
    let stranger = "Account Support <service@billing-notice.example>";
    assert_eq!(
        check(stranger, "<p>Best regards,<br>The Spotify Team</p>"),
        ["CONTENT_BRAND_SIGNATURE"]
    );
    assert_eq!(
        check(
            stranger,
            "<p>&copy; 2025 Microsoft Corporation. All rights reserved.</p>"
        ),
        ["CONTENT_BRAND_SIGNATURE"]
    );
    assert_eq!(
        check(stranger, "<p>Copyright 2024-2025 Ledger SAS</p>"),
        ["CONTENT_BRAND_SIGNATURE"]
    );
    // A team or department alone on its line, without "the", bold in plain text too.
    assert_eq!(
        check(
            stranger,
            "<p>Thank you,<br>Geek Squad Billing Department</p>"
        ),
        ["CONTENT_BRAND_SIGNATURE"]
    );
    let plain = "From: Account Support <service@billing-notice.example>\nSubject: Invoice\n\n\
Your card will be charged.\n\nThanks,\n*PayPal Support Team*\n\nThis e-mail is confidential.\n";
    assert_eq!(
        rules_of(brand_signature, plain),
        ["CONTENT_BRAND_SIGNATURE"]
    );
    // A line that only starts with a team's name is prose, not a signature.
    assert!(check(stranger, "<p>Amazon team members will call you.</p>").is_empty());
    assert!(check(stranger, "<p>Our billing department</p>").is_empty());
    // The brand's own domain, a link to the brand, another company's footer, ordinary teams.
    assert!(check("Spotify <no-reply@spotify.com>", "<p>The Spotify Team</p>").is_empty());
    let shopping = "Capital One Shopping <hello@capitaloneshopping.com>";
    assert!(check(shopping, "<p>&copy; 2025 Capital One Services</p>").is_empty());
    let home = "<p>The Spotify Team</p><a href=\"https://www.spotify.com/account\">Account</a>";
    assert!(check(stranger, home).is_empty());
    for body in [
        "<p>&copy; 2025 Contoso Ltd, a Microsoft partner</p>",
        "<p>The sales team</p>",
        "<p>Thanks, the Apple Valley PTA team</p>",
        "<p>We met the Amazon team at the fair.</p>",
    ] {
        assert!(check(stranger, body).is_empty(), "{body}");
    }
    // A list discussing a brand's notice.
    let list = format!(
        "List-Id: <users.lists.example.org>\n{}",
        mail(stranger, "<p>The Spotify Team</p>")
    );
    assert!(rules_of(brand_signature, &list).is_empty());
}

#[test]
fn lure_phrases_in_other_languages_and_crypto() {
    let pt = "Subject: Detectamos um novo acesso\nContent-Type: text/plain; charset=utf-8\n\n\
Detectamos um novo acesso à sua conta. Se não foi você, altere sua senha: https://conta.example.net/\n";
    assert_eq!(
        rules(pt),
        ["CONTENT_LURE_PHRASE", "CONTENT_LURE_WITH_ACTION"]
    );
    let it = "Subject: Avviso\nContent-Type: text/plain; charset=utf-8\n\n\
Il tuo account bloccato: conferma i tuoi dati su https://verifica.example.net/\n";
    assert!(rules(it).contains(&"CONTENT_LURE_WITH_ACTION"));
    let airdrop =
        "Subject: Airdrop round 5\n\nClaim your airdrop now: https://claim.example.net/\n";
    assert!(rules(airdrop).contains(&"CONTENT_LURE_WITH_ACTION"));
    // An ordinary Dutch parcel note names the parcel but puts no pressure.
    let nl = "Subject: Uw zending\nContent-Type: text/plain; charset=utf-8\n\n\
Uw zending is onderweg. Volg hem op https://track.example.net/\n";
    assert!(rules(nl).is_empty());
}

#[test]
fn big_sums_in_every_form_the_wording_names() {
    let signatures = crate::signatures::Signatures::embedded().unwrap();
    let big_sum = signatures.wording.big_sum();
    for sum in [
        "$1,000,000",
        "$650,000.00",
        "$ 150.500,00",
        "us$ 5m",
        "€ 2.500.000",
        "gbp 1 000 000",
        "12 millones",
        "4,5 milhões",
        "4 milhoes",
        "10m usd",
        "10 m eur",
        "3 millionen",
        "7 miljoen",
        "2 milioni",
        "£3m",
        "five million",
        "três milhões",
    ] {
        let text = format!("você recebe {sum} hoje – “já”");
        let found = big_sum.find_gated(&text).map(|m| m.as_str().to_string());
        assert_eq!(found, big_sum.find(&text).map(|m| m.as_str().to_string()));
        assert!(found.is_some(), "{sum}");
    }
    for text in [
        "1,000,000 visitors – “quoted”",
        "we raised $65,000.00",
        "3 dollars m",
        "cincomillones",
    ] {
        assert!(big_sum.find_gated(text).is_none(), "{text}");
    }
}

#[test]
fn prizes_with_a_link_elsewhere() {
    let check: crate::checks::Check = lure_phrases;
    let gift = "From: Rewards <loyalty@rewards-desk.example>\nSubject: Claim your appreciation gift\n\n\
As a valued member you have been chosen. https://claim.example.net/gift\n";
    assert_eq!(rules_of(check, gift), ["CONTENT_PRIZE_LURE"]);
    let de = "From: Casino <news@casino.example>\nSubject: Dein Weihnachtsbonus: 145 Freispiele\n\
Content-Type: text/plain; charset=utf-8\n\nJetzt spielen: https://spin.example.net/\n";
    assert_eq!(rules_of(check, de), ["CONTENT_PRIZE_LURE"]);
    let nl = "From: Winacties <news@acties.example>\nSubject: Geef je mening\n\
Content-Type: text/plain; charset=utf-8\n\nWin een cadeaukaart van 250 euro! https://mening.example.net/\n";
    assert_eq!(rules_of(check, nl), ["CONTENT_PRIZE_LURE"]);
    // A sponsor's prize notice with a form to post, not a link: nothing.
    let notice = "From: Game Security <sweeps@snacks.example>\nSubject: Sweepstakes prize notification\n\n\
Congratulations! Follow these instructions to claim your prize: print this form and mail it to us.\n";
    assert!(rules_of(check, notice).is_empty());
    // One gift card in a shop's newsletter body, links to its own site: nothing.
    let news = "From: Shop <news@shop.example>\nSubject: Autumn news\n\n\
New arrivals this week. Gift cards are in store. https://www.shop.example/new\n";
    assert!(rules_of(check, news).is_empty());
    let own = "From: Shop <news@shop.example>\nSubject: Your loyalty reward\n\n\
Thanks for shopping with us. https://www.shop.example/account\n";
    assert!(rules_of(check, own).is_empty());
    // An ordinary German business mail and a Japanese one.
    let de_biz = "From: Müller GmbH <info@mueller.example>\nSubject: Angebot\n\
Content-Type: text/plain; charset=utf-8\n\nAnbei unser Angebot, Details unter https://partner.example.net/\n";
    assert!(rules_of(check, de_biz).is_empty());
    // One phrase of several words in a short text is enough; one ordinary word is not.
    let short = "From: Rewards <x@rewards-desk.example>\nSubject: Good news\n\n\
You have been chosen for our survey. https://survey.example.net/\n";
    assert_eq!(rules_of(check, short), ["CONTENT_PRIZE_LURE"]);
    let premium = "From: Makler <info@makler.example>\nSubject: Ihre Versicherung\n\
Content-Type: text/plain; charset=utf-8\n\nDie Prämie für 2026 finden Sie im Portal: https://portal.versicherer.example/\n";
    assert!(rules_of(check, premium).is_empty());
    let ja = "From: 山田 <yamada@example.co.jp>\nSubject: 会議のご案内\n\
Content-Type: text/plain; charset=utf-8\n\n来週の会議の資料です。https://docs.example.net/\n";
    assert!(rules_of(check, ja).is_empty());
}

#[test]
fn action_required_and_balance_wording() {
    let nl = "Subject: Actie vereist: niet-geleverde pakket\nContent-Type: text/plain; charset=utf-8\n\n\
We konden uw pakket niet bezorgen: https://pakket.example.net/\n";
    assert!(rules(nl).contains(&"CONTENT_LURE_WITH_ACTION"));
    let balance = "Subject: You are now rich\n\nYour account has accumulated funds from bitcoin mining. \
https://cabinet.example.net/\n";
    assert!(rules(balance).contains(&"CONTENT_LURE_WITH_ACTION"));
    let storage = "Subject: Ihr Cloud-Speicher ist fast voll\nContent-Type: text/plain; charset=utf-8\n\n\
Jetzt upgraden: https://cloud.example.net/\n";
    assert!(rules(storage).contains(&"CONTENT_LURE_WITH_ACTION"));
}

#[test]
fn a_safety_banner_written_into_the_text() {
    let check: crate::checks::Check = lure_phrases;
    let fake = "From: Verzending <x@ship.example>\nSubject: Uw bestelling\n\n\
This message is from a trusted sender.\nUw pakket is onderweg: https://track.example.net/\n";
    assert_eq!(rules_of(check, fake), ["CONTENT_FALSE_REASSURANCE"]);
    let de = "Subject: Info\nContent-Type: text/plain; charset=utf-8\n\n\
Diese Nachricht stammt von einem vertrauenswürdigen Absender.\n";
    assert_eq!(rules_of(check, de), ["CONTENT_FALSE_REASSURANCE"]);
    // A newsletter asking to be added to the safe senders list is not a banner.
    let news = "From: News <news@shop.example>\nSubject: Weekly\n\n\
Add us to your trusted senders list so our mail reaches you. https://www.shop.example/\n";
    assert!(rules_of(check, news).is_empty());
}

#[test]
fn dating_offers_with_a_link_elsewhere() {
    let check: crate::checks::Check = lure_phrases;
    let en = "From: Sex Dating <x@dating-mail.example>\nSubject: I am 23 years old\n\n\
See my photos: https://meet.example.net/\n";
    assert_eq!(rules_of(check, en), ["CONTENT_DATING_LURE"]);
    let nl = "From: Singles <x@dating-mail.example>\nSubject: Zin in een spannende date?\n\
Content-Type: text/plain; charset=utf-8\n\nBekijk haar profiel: https://meet.example.net/\n";
    assert_eq!(rules_of(check, nl), ["CONTENT_DATING_LURE"]);
    // A newsletter article on dating apps with no link elsewhere, and ordinary mail: nothing.
    let article = "From: News <news@paper.example>\nSubject: Weekend reading\n\n\
Why hot singles apps fail: our columnist on dating. https://www.paper.example/column\n";
    assert!(rules_of(check, article).is_empty());
    let plain =
        "From: Taro <taro@example.co.jp>\nSubject: Dinner\n\nHave dinner with us tonight?\n";
    assert!(rules_of(check, plain).is_empty());
}

#[test]
fn advance_fee_needs_a_fortune_a_story_and_a_free_mail_contact() {
    let check: crate::checks::Check = advance_fee;
    let widow = "From: Mrs. Grace <grace.widow77@gmail.com>\nSubject: Good day\n\n\
I am a widow and my late husband left US$10,500,000.00. I want you to be the beneficiary.\n";
    assert_eq!(rules_of(check, widow), ["CONTENT_ADVANCE_FEE"]);
    let pt = "From: PNUD <info@undp-office.example>\nSubject: Oi\nContent-Type: text/plain; charset=utf-8\n\n\
Seu e-mail está entre os beneficiários e acaba de receber 2,5 milhões de dólares. \
Contate o gerente: (gerente.fundos@gmail.com)\n";
    assert_eq!(rules_of(check, pt), ["CONTENT_ADVANCE_FEE"]);
    let reply = "From: Bank <notice@bank-ng.example>\nReply-To: claims.desk@outlook.com\nSubject: Fund\n\n\
Your inheritance fund of $4.2 million is ready.\n";
    assert_eq!(rules_of(check, reply), ["CONTENT_ADVANCE_FEE"]);
    // The sum spelled out, in English or Portuguese.
    let spelled = "From: Office <office@relief.example>\nSubject: Donation\nContent-Type: text/plain; charset=utf-8\n\n\
A donation of three million dollars is waiting for you (doação de três milhões). Write to grants.desk@gmail.com\n";
    assert_eq!(rules_of(check, spelled), ["CONTENT_ADVANCE_FEE"]);
    // A sum of hundreds of thousands written with a currency counts too.
    let victims = "From: Liaison Office <liaison.office0@gmail.com>\nSubject: Payment\n\n\
Attention: Beneficiary, your fund valued at $650,000.00 is intact.\n";
    assert_eq!(rules_of(check, victims), ["CONTENT_ADVANCE_FEE"]);
    let cheque = "From: Jack <jack.j4@gmail.com>\nSubject: Oi\nContent-Type: text/plain; charset=utf-8\n\n\
Deixei uma quantia de $ 150.500,00 em cheque para você, como compensação (beneficiário).\n";
    assert_eq!(rules_of(check, cheque), ["CONTENT_ADVANCE_FEE"]);
    let tens =
        "From: Jack <jack.j4@gmail.com>\nSubject: Hi\n\nThe beneficiary gets $65,000.00 only.\n";
    assert!(rules_of(check, tens).is_empty());
    // A news item with a spelled sum and no contact elsewhere: nothing.
    let article = "From: News <news@paper.example>\nSubject: Today\n\nThe charity says two million people need food aid.\n";
    assert!(rules_of(check, article).is_empty());
    // A charity's newsletter from its own domain, a small sum, or no story: nothing.
    let news = "From: Foundation <news@foundation.example>\nSubject: Thanks\n\n\
Thanks to your donation we raised $2,000,000 for charity this year. https://foundation.example/report\n";
    assert!(rules_of(check, news).is_empty());
    let small = "From: a.friend@gmail.com\nSubject: Charity run\n\nWe raised $5,000 for charity!\n";
    assert!(rules_of(check, small).is_empty());
    let no_story = "From: a.friend@gmail.com\nSubject: House prices\n\nThe house next door sold for $1.2 million.\n";
    assert!(rules_of(check, no_story).is_empty());
}

#[test]
fn loan_offered_at_a_low_rate_with_a_free_mail_contact() {
    let check: crate::checks::Check = loan_offer;
    let en = "From: Lending Desk <lending.desk.2020@gmail.com>\nSubject: Funding\n\n\
Dear Friend, we offer personal and business loans at 2% interest rate. Reply for an application.\n";
    assert_eq!(rules_of(check, en), ["CONTENT_LOAN_OFFER"]);
    let pt = "From: Crédito Fácil <ofertas@credito.example>\nSubject: Oferta\nContent-Type: text/plain; charset=utf-8\n\n\
Você precisa de um empréstimo? Concedemos empréstimos a uma taxa de juros de 2%. Escreva para creditofacil.desk@outlook.com\n";
    assert_eq!(rules_of(check, pt), ["CONTENT_LOAN_OFFER"]);
    // A bank's own advert, or a friend writing about a mortgage rate without offering one:
    // nothing.
    let bank = "From: Bank <offers@bank.example>\nSubject: Rates\n\nWe offer personal loans at 6.9% APR interest. https://bank.example/loans\n";
    assert!(rules_of(check, bank).is_empty());
    let friend = "From: Ken <ken.m@gmail.com>\nSubject: House\n\nWe refinanced; the loan is now at 3% interest, which helps.\n";
    assert!(rules_of(check, friend).is_empty());
}

#[test]
fn bitcoin_address_to_pay_into_is_checked_by_its_checksum() {
    // The genesis block's address (legacy) and BIP 173's example (segwit): public examples.
    assert!(is_base58check_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
    assert!(!is_base58check_address(
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"
    ));
    assert!(is_bech32_address(
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    ));
    assert!(!is_bech32_address(
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"
    ));
    let check: crate::checks::Check = crypto_payment_address;
    let demand = "From: x <x@mail.example>\nSubject: Your secret\n\n\
Send the payment to my bitcoin wallet: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa within 48 hours.\n";
    assert_eq!(rules_of(check, demand), ["CONTENT_CRYPTO_PAYMENT_ADDRESS"]);
    let segwit = "From: Relief <help@relief.example>\nSubject: Help now\n\n\
Donate in BTC: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\n";
    assert_eq!(rules_of(check, segwit), ["CONTENT_CRYPTO_PAYMENT_ADDRESS"]);
    // A token that only looks like an address, list mail, or no payment asked: nothing.
    let token = demand.replace("DivfNa", "DivfNb");
    assert!(rules_of(check, &token).is_empty());
    let list = format!("List-Id: <l.lists.example>\n{demand}");
    assert!(rules_of(check, &list).is_empty());
    let quoted = "From: Dev <dev@lists.example>\nSubject: Genesis\n\nThe first block paid 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, as every bitcoin history says.\n";
    assert!(rules_of(check, quoted).is_empty());
}

#[test]
fn crypto_amount_credited_to_the_reader_from_a_domain_of_no_exchange() {
    let check: crate::checks::Check = crypto_credited;
    let deposit = "From: Wallet Desk <desk@portfolio-mail.example>\nSubject: Deposit done\n\n\
Hello, we have deposited 3.5 BTC as you requested into your portfolio. Sign in: https://portfolio.example.net/\n";
    assert_eq!(rules_of(check, deposit), ["CONTENT_CRYPTO_CREDITED"]);
    let subject = "From: Support <help@shop-mail.example>\nSubject: Payment Received 0.4172 ETH\n\nView the transaction.\n";
    assert_eq!(rules_of(check, subject), ["CONTENT_CRYPTO_CREDITED"]);
    let username = "From: Site <site@garden-club.example>\nSubject: [Garden Club] Login Details\n\n\
Username: 2.108 BTC waiting - claim now\nTo set your password, visit the following address: https://garden-club.example/wp-login.php\n";
    assert_eq!(rules_of(check, username), ["CONTENT_CRYPTO_CREDITED"]);
    // The exchange's own receipt, a price in a market newsletter, or list mail: nothing.
    let exchange = deposit.replace("portfolio-mail.example", "coinbase.com");
    assert!(rules_of(check, &exchange).is_empty());
    let prices = "From: Markets <news@markets.example>\nSubject: Weekly\n\nThe price of 1 BTC rose 4% this week; 100 ETH of volume moved on the main pairs.\n";
    assert!(rules_of(check, prices).is_empty());
    let free = "From: Helen <helen.w.1987@gmail.com>\nSubject: Money.transfer.0.5120.Bitcoin\n\nSee the file.\n";
    assert_eq!(rules_of(check, free), ["CONTENT_CRYPTO_CREDITED"]);
    let list = format!("List-Id: <coins.lists.example>\n{deposit}");
    assert!(rules_of(check, &list).is_empty());
}

#[test]
fn image_only_html_with_a_link_elsewhere() {
    let check: crate::checks::Check = image_only_with_link;
    let html = |body: &str| {
        format!(
            "From: Bank <info@bank.example>\nSubject: Notice\nContent-Type: text/html; charset=utf-8\n\n{body}\n"
        )
    };
    let lure = html(
        "<html><body><a href=\"https://claim.example.net/x\"><img src=\"https://cdn.example.net/b.png\"></a><p>Click here</p></body></html>",
    );
    assert_eq!(rules_of(check, &lure), ["CONTENT_IMAGE_ONLY_LINK"]);
    // Text around the picture, or links only to the sender's own site: nothing.
    let words = "Our autumn newsletter: what changed in the branch network, new opening hours, \
and how to reach us. You receive this because you subscribed; unsubscribe at any time. ";
    let newsletter = html(&format!(
        "<p>{words}</p><a href=\"https://shop.example.net/\"><img src=\"https://cdn.example.net/b.png\"></a>"
    ));
    assert!(rules_of(check, &newsletter).is_empty());
    let own = html(
        "<a href=\"https://www.bank.example/\"><img src=\"https://bank.example/logo.png\"></a>",
    );
    assert!(rules_of(check, &own).is_empty());
    // A stray <head> in the body hides no words from the count.
    let stray = html(&format!(
        "<body><head><title>t</title><img src=\"https://cdn.example.net/a.gif\"><p>{words}</p><a href=\"https://shop.example.net/\">more</a></body>"
    ));
    assert!(rules_of(check, &stray).is_empty());
    // Script and style text is not shown.
    assert_eq!(
        rules_of(
            check,
            &html(&format!(
                "<style>p {{ color: red }} {words}</style><script>var a = '{words}';</script><a href=\"https://claim.example.net/\"><img src=\"x.png\"></a>"
            ))
        ),
        ["CONTENT_IMAGE_ONLY_LINK"]
    );
    // A plain-text alternative that says something.
    let alt = format!(
        "From: Bank <info@bank.example>\nSubject: n\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n{words}\n--b\nContent-Type: text/html\n\n<a href=\"https://claim.example.net/\"><img src=\"x.png\"></a>\n--b--\n"
    );
    assert!(rules_of(check, &alt).is_empty());
    // Japanese writes no spaces: a notice of two sentences beside a logo is text, not a
    // picture alone (it was one "word" per sentence); a picture with one short line is not.
    let ja = html(
        "<img src=\"https://cdn.example.net/logo.png\"><p>いつもご利用いただきありがとうございます。\
11月分のご請求金額が確定しましたので、下記のリンクからご確認ください。</p>\
<a href=\"https://billing.example.net/\">ご請求額を確認する</a>",
    );
    assert!(rules_of(check, &ja).is_empty());
    let ja_lure = html(
        "<a href=\"https://claim.example.net/\"><img src=\"x.png\"></a><p>こちらをクリック</p>",
    );
    assert_eq!(rules_of(check, &ja_lure), ["CONTENT_IMAGE_ONLY_LINK"]);
}

#[test]
fn hidden_padding_that_outweighs_the_shown_text() {
    let check: crate::checks::Check = hidden_text;
    let html = |body: &str| {
        format!(
            "From: Bank <info@bank.example>\nSubject: Notice\nContent-Type: text/html; charset=utf-8\n\n{body}\n"
        )
    };
    let padding = "the river runs past old mills and quiet farms where nobody hurries ".repeat(6);
    let lure = html(&format!(
        "<p>Your parcel is waiting: <a href=\"https://x.example.net/\">pay the fee</a></p>\
<div style=\"display:none\">{padding}<div>{padding}</div></div>"
    ));
    assert_eq!(rules_of(check, &lure), ["CONTENT_HIDDEN_TEXT"]);
    let tiny = html(&format!(
        "<p>Claim now</p><span style='font-size:0px;color:#fff'>{padding}</span>"
    ));
    assert_eq!(rules_of(check, &tiny), ["CONTENT_HIDDEN_TEXT"]);
    // A newsletter's hidden preview line, and a hidden block smaller than the text shown.
    let preheader = html(&format!(
        "<div style=\"display:none;max-height:0\">This week: new opening hours</div><p>{padding}</p>"
    ));
    assert!(rules_of(check, &preheader).is_empty());
    let responsive = html(&format!(
        "<div style=\"display:none\">{padding}</div><div>{padding} and more words here</div>"
    ));
    assert!(rules_of(check, &responsive).is_empty());
    // Small but not zero fonts are shown; an unclosed hidden element still counts.
    let small = html(&format!(
        "<p>Hi</p><span style=\"font-size:0.8em\">{padding}</span>"
    ));
    assert!(rules_of(check, &small).is_empty());
    let unclosed = html(&format!(
        "<p>Hi</p><div style=\"visibility: hidden\">{padding}"
    ));
    assert_eq!(rules_of(check, &unclosed), ["CONTENT_HIDDEN_TEXT"]);
    // Nested tags of the same name close at the right place.
    assert_eq!(
        closing_tag("<div>a<div>b</div>c</div>d", 5, "div"),
        Some(19)
    );
    assert_eq!(closing_tag("<p><pre>x</pre></p>", 3, "p"), Some(15));
    assert_eq!(closing_tag("<div>never closed", 5, "div"), None);
    // Tags are read with ASCII case ignored, in the HTML as written.
    assert_eq!(
        closing_tag("<DIV>a<Div>b</dIv>c</DIV >d", 5, "DIV"),
        Some(19)
    );
    assert_eq!(closing_tag("<P><PRE>x</PRE></P>", 3, "p"), Some(15));
    let mixed = format!("<p>Hi</p><DIV Style=\"DISPLAY: None\">{padding}</Div><p>Bye</p>");
    assert_eq!(
        hidden_words(&mixed),
        hidden_words(&mixed.to_ascii_lowercase())
    );
    assert!(hidden_words(&mixed).0 >= HIDDEN_WORDS);
}

#[test]
fn made_up_codes_in_hidden_elements() {
    let check: crate::checks::Check = hidden_text;
    let html = |body: &str| {
        format!(
            "From: Loans <renew@offers.example>\nSubject: Loans\nContent-Type: text/html; charset=utf-8\n\n{body}\n"
        )
    };
    let salted = html(
        "<div><a href=\"https://x.example.net/a\"><span style=\"opacity: 0;\">k3xqpw71</span> Get a \
loan today <span style=\"opacity: 0;\">zt9mbrd4</span></a></div>",
    );
    assert_eq!(rules_of(check, &salted), ["CONTENT_HIDDEN_TOKENS"]);
    let f = run_checks(&[check], &salted);
    assert_eq!(f[0].evidence[0].1, "2");
    assert_eq!(f[0].evidence[1].1, "k3xqpw71, zt9mbrd4");
    // One hidden code, hidden words, hidden bare numbers and codes shown are not salt.
    for body in [
        "<p>Hi</p><span style=\"display:none\">a1b2c3d4</span><p>Sale</p>",
        "<span style=\"display:none\">Autumn</span><span style=\"display:none\">Sale</span><p>Shop</p>",
        "<span style=\"display:none\">20251130</span><span style=\"display:none\">1732900000</span><p>Hi</p>",
        "<p>Order <span style=\"font-weight:bold\">AB12345</span> and <span style=\"color:red\">XY98765</span></p>",
    ] {
        assert!(rules_of(check, &html(body)).is_empty(), "{body}");
    }
    assert!(salt_token("5513KWPDYRmtqzhvaxle"));
    assert!(!salt_token("newsletter"));
    assert!(!salt_token("12345678"));
    assert!(!salt_token("a1"));
}

#[test]
fn made_up_code_padded_onto_the_subject_or_name() {
    let check: crate::checks::Check = padded_code;
    let raw = |from: &str, subject: &str| {
        format!("From: {from}\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\nx\n")
    };
    for (from, subject, code) in [
        (
            "Team <a@example.net>",
            "Win a gift card worth 250 euro!     .....EK074",
            "EK074",
        ),
        (
            "Energie <a@example.net>",
            "Bespaar op uw energierekening..MWfG",
            "MWfG",
        ),
        ("Prijzen <a@example.net>", "Tarieven gedaald\t.HRCb", "HRCb"),
        // A code that is a word's shape, stamped on both the name and the subject, or twice.
        (
            "WinMetParcs .GQME <a@example.net>",
            "Doe nu mee en ontdek je prijs.GQME",
            "GQME",
        ),
        (
            "Spel <a@example.net>",
            "Win tickets voor het hele gezin Rlqe..Rlqe",
            "Rlqe",
        ),
        (
            "Comfort Team...Jvkr <a@example.net>",
            "Nu met 70% korting!..Jvkr",
            "Jvkr",
        ),
        // Capitals with no vowel, longer than an abbreviation.
        (
            "Loket <a@example.net>",
            "Reageer alstublieft!     QZPMFXTWMJ",
            "QZPMFXTWMJ",
        ),
    ] {
        let f = run_checks(&[check], &raw(from, subject));
        assert_eq!(f.len(), 1, "{subject}");
        assert_eq!(f[0].rule, "CONTENT_PADDED_CODE");
        assert_eq!(f[0].evidence[0].1, code, "{subject}");
    }
    // Words, years and ticket numbers after dots, brand spellings, codes without padding, and a
    // word-shaped code stamped once: nothing.
    for (from, subject) in [
        ("Ann <a@example.net>", "Apple Sauced...again"),
        ("Ann <a@example.net>", "Re: Price List....2026"),
        ("Ann <a@example.net>", "Your order   12345678"),
        ("Ann <a@example.net>", "Pay with ...PayPal"),
        ("Ann <a@example.net>", "Order EK074 shipped"),
        ("Ann <a@example.net>", "Ticket AB12"),
        ("Ann <a@example.net>", "Summer sale .....GQME"),
        ("Ann <a@example.net>", "Big news     STRENGTH"),
        ("Ann <a@example.net>", "Status update   HTTPS"),
        ("Ann <a@example.net>", "Invoice BGYSCLRRBHJ"),
        ("Ann <a@example.net>", "Version 2..v10"),
        ("Ann <a@example.net>", "Re: [PATCH] bisect abc123..def456"),
    ] {
        assert!(rules_of(check, &raw(from, subject)).is_empty(), "{subject}");
    }
}

#[test]
fn words_joined_by_filler_in_the_subject_and_name() {
    let check: crate::checks::Check = filler_joined_words;
    let raw = |from: &str, subject: &str| {
        format!("From: {from}\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\nx\n")
    };
    let f = run_checks(
        &[check],
        &raw("Prize..Desk <a@example.net>", "Claim..your..reward..today"),
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].evidence[0].1, "4");
    assert_eq!(
        f[0].evidence[1].1,
        "Claim..your, your..reward, reward..today"
    );
    assert_eq!(
        rules_of(
            check,
            &raw("a@example.net", "Send__to__your__wallet__0.75__BTC")
        ),
        ["CONTENT_FILLER_JOINED_WORDS"]
    );
    // Prose glued by single underscores: capitalised words and small words of running text.
    assert_eq!(
        rules_of(
            check,
            &raw(
                "Coffee Perks <a@example.net>",
                "A_New_Starbucks_Update_for_You"
            )
        ),
        ["CONTENT_FILLER_JOINED_WORDS"]
    );
    assert_eq!(
        rules_of(
            check,
            &raw("a@example.net", "Fw: Unusual_activity_on_your_Account")
        ),
        ["CONTENT_FILLER_JOINED_WORDS"]
    );
    // One range, ellipses, numbers and identifiers are ordinary.
    for subject in [
        "Re: diff HEAD..main",
        "Wait... what? And then...",
        "a virgin...a virgin...birth",
        "Pages 1..10 and 20..30",
        "Re: the __init__ method",
        "snake_case_names in config_file",
        "MAX_LINE_LEN and Get_Value",
        "Build_Release_Notes draft",
    ] {
        assert!(
            rules_of(check, &raw("Dev <d@example.org>", subject)).is_empty(),
            "{subject}"
        );
    }
}

#[test]
fn invisible_cuts_and_lookalike_scripts_in_the_sender_name() {
    let split: crate::checks::Check = split_words;
    // Tag characters after each letter, and direction marks: only the name and subject.
    let tags = "From: T\u{E0139}r\u{E0139}u\u{E0139}st W\u{E0139}al\u{E0139}let <a@example.net>\nSubject: Verify\nContent-Type: text/plain; charset=utf-8\n\nx\n";
    assert_eq!(rules_of(split, tags), ["CONTENT_SPLIT_WORDS"]);
    let marks = "From: P\u{200E}\u{200E}r\u{034F}\u{200E}i\u{200E}m\u{200E}e <a@example.net>\nSubject: Renewal\nContent-Type: text/plain; charset=utf-8\n\nx\n";
    assert_eq!(rules_of(split, marks), ["CONTENT_SPLIT_WORDS"]);
    // Emoji with a variation selector and one stray mark in a name are fine.
    let emoji = "From: Shop \u{2764}\u{FE0F} Sa\u{200B}le <a@example.net>\nSubject: Hearts \u{2764}\u{FE0F}\nContent-Type: text/plain; charset=utf-8\n\nx\n";
    assert!(rules_of(split, emoji).is_empty());

    let ll: crate::checks::Check = lookalike_letters;
    let syllabics = "From: ~\u{1455}.loud \u{15E9}-ccount <a@example.net>\nSubject: Storage\nContent-Type: text/plain; charset=utf-8\n\nx\n";
    assert_eq!(rules_of(ll, syllabics), ["CONTENT_LOOKALIKE_LETTERS"]);
    // One word is enough in the subject or name when no keyboard slip writes it: two Greek
    // letters in a Latin word, a capital I for a small l, or strokes laid over Latin letters.
    let one = |from: &str, subject: &str| {
        format!("From: {from}\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\nx\n")
    };
    for (from, subject) in [
        (
            "Dassault \u{391}viati\u{3BF}n <a@example.net>",
            "Payment pending",
        ),
        ("Benefits <a@example.net>", "Your pIan is changing for 2026"),
        (
            "Entre\u{337}ga <a@example.net>",
            "Fa\u{337}lha na e\u{337}ntrega",
        ),
    ] {
        assert_eq!(
            rules_of(ll, &one(from, subject)),
            ["CONTENT_LOOKALIKE_LETTERS"],
            "{from} {subject}"
        );
    }
    // One Cyrillic letter in one word is a slip of the keyboard layout; accents written as a
    // letter and a combining mark compose into letters (`Cafe\u{301}`, `Re\u{301}sume\u{301}`);
    // one stray mark is not enough.
    for (from, subject) in [
        ("Ivan <a@example.net>", "Hell\u{43E} team"),
        (
            "Cafe\u{301} Lumie\u{300}re <a@example.net>",
            "Re\u{301}sume\u{301} attached",
        ),
        ("Shop <a@example.net>", "Sale e\u{337}nds"),
        ("Ian McIntyre <a@example.net>", "LinkedIn and SignIt notes"),
    ] {
        assert!(
            rules_of(ll, &one(from, subject)).is_empty(),
            "{from} {subject}"
        );
    }
    // Cherokee or Cree text of its own is not a disguise of Latin words.
    let cherokee = "From: \u{13A0}\u{13A9}\u{13C2} <a@example.net>\nSubject: \u{13A3}\u{13B3}\u{13A9} \u{13A6}\u{13EC}\u{13C2}\nContent-Type: text/plain; charset=utf-8\n\nx\n";
    assert!(rules_of(ll, cherokee).is_empty());
}

#[test]
fn a_footer_address_whose_zip_code_belongs_to_other_states_is_invented() {
    let check: crate::checks::Check = invented_postal_address;
    let mail = |footer: &str| {
        format!(
            "From: Deals <deals@shop.example>\nSubject: Offer\nContent-Type: text/html\n\n\
             <p>Try it today.</p><p>{footer}</p>\n"
        )
    };
    // Virginia's ZIP codes start with 2, Missouri's with 6: a made-up footer, with ZIP+4 too.
    for footer in [
        "Apt. 7 100 Oak Lane, Jonesville, VA 68196<br><a href=\"https://shop.example/u\">Unsubscribe</a>",
        "To opt out, write to 12 Elm St, Smithfort, MO. 04837-1234",
        "Unsubscribe. 9 Bay Rd, Dover, DE 80331, USA",
    ] {
        let found = run_checks(&[check], &mail(footer));
        assert_eq!(found.len(), 1, "{footer}");
        assert_eq!(found[0].rule, "CONTENT_INVENTED_POSTAL_ADDRESS");
    }
    let found = run_checks(&[check], &mail("Jonesville, VA 68196. Unsubscribe here."));
    let evidence: Vec<(&str, &str)> = found[0]
        .evidence
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(
        evidence.contains(&("address", "Jonesville, VA 68196")),
        "{evidence:?}"
    );
    assert!(
        evidence.contains(&("states", "IL, KS, MO, NE")),
        "{evidence:?}"
    );
    // Real addresses, addresses far from any unsubscribe link (a delivery address), a footer
    // that also gives a real address, military and foreign codes, and prose are not.
    let far = format!(
        "Deliver to Anchorage, AK 12345.{}<a href=\"https://shop.example/u\">Unsubscribe</a>",
        " Thank you for shopping with us.".repeat(20)
    );
    for footer in [
        "1 Main St, Richmond, VA 23219 | Unsubscribe",
        "500 5th Ave, New York, NY 10110. Unsubscribe",
        "Fishers Island, NY 06390. Unsubscribe",
        "El Paso, TX 88510 - Unsubscribe",
        far.as_str(),
        "Unsubscribe. Offices: Richmond, VA 23219 and Jonesville, VA 68196",
        "Unit 2050, AE 09001. Unsubscribe",
        "München, DE-80331. Unsubscribe",
        "Munich, DE 80331 · Unsubscribe",
        "Jakarta, ID 12190 | Unsubscribe",
        "Sold in stores, IN 10000 cities, or online. Unsubscribe",
        "available now, in 10000 stores. Unsubscribe",
        "Richmond, VA 681960. Unsubscribe",
    ] {
        assert!(rules_of(check, &mail(footer)).is_empty(), "{footer}");
    }
}

/// `crypto_amounts` finds what `CRYPTO_AMOUNT.find_iter` finds, on texts of amounts, near
/// misses and letters of other scripts against them (where the word boundaries differ from
/// ASCII's).
#[test]
fn crypto_amounts_are_the_expression_s_matches() {
    const NOISE: &[&str] = &["we sent ", "あ", "é", " ", "x", "1", ".", "\u{a0}", "\n"];
    const SLOTS: &[&[&str]] = &[
        &["", " ", "あ", "é", "x", "_", "٣"],
        &["0", "12", "1234567890", "٣", "0.947", "1,250", "3."],
        &["", " ", ".", "-", "_", "\u{a0}", "\u{3000}"],
        &[
            "btc", "eth", "usdt", "bitcoin", "bitcoins", "bt", "ethereum",
        ],
        &["", " ", "あ", "é", "x", "s", ".", "1"],
    ];
    let mut generated = crate::text::generated::Generated::new(0x0dd_ba11_cafe_f00d);
    let mut found = 0;
    for _ in 0..20_000 {
        let text = generated.slots(NOISE, SLOTS, 3);
        let want: Vec<(usize, &str)> = CRYPTO_AMOUNT
            .find_iter(&text)
            .map(|m| (m.start(), m.as_str()))
            .collect();
        let got: Vec<(usize, &str)> = crypto_amounts(&text)
            .map(|m| (m.start(), m.as_str()))
            .collect();
        assert_eq!(got, want, "{text:?}");
        found += want.len();
    }
    assert!(found > 2000, "too few amounts: {found}");
}

/// `find_gated` finds what `find` finds (the same match, not only one of them), on texts of
/// sums, near misses and letters of other scripts beside them.
#[test]
fn gated_big_sums_are_the_expression_s_first_match() {
    let signatures = crate::signatures::Signatures::embedded().unwrap();
    let big_sum = signatures.wording.big_sum();
    const NOISE: &[&str] = &["você recebe ", "あ", "é", " ", "x", "1", "“já”", "\n", "m"];
    const SLOTS: &[&[&str]] = &[
        &["", " ", "あ", "é", "x", "$", "us"],
        &["$", "us$ ", "€", "usd", "gbp ", "", "five", "três"],
        &["", " ", "-"],
        &[
            "1,000,000",
            "650,000.00",
            "5",
            "12",
            "4,5",
            "150.500,00",
            "1 000 000",
        ],
        &["", " ", "m", "\u{a0}"],
        &[
            "", "million", "millones", "milhões", "usd", "eur", "dollars", "m",
        ],
        &["", " ", "あ", "é", "x", "s", "."],
    ];
    let mut generated = crate::text::generated::Generated::new(0x5ca1_ab1e_0ddb_a115);
    let mut found = 0;
    for _ in 0..20_000 {
        let text = generated.slots(NOISE, SLOTS, 3);
        let want = big_sum.find(&text).map(|m| (m.start(), m.as_str()));
        let got = big_sum.find_gated(&text).map(|m| (m.start(), m.as_str()));
        assert_eq!(got, want, "{text:?}");
        found += usize::from(want.is_some());
    }
    assert!(found > 2000, "too few sums: {found}");
}

/// The byte scans that pass over blocks of 32 bytes at once find what a scan byte by byte
/// finds, with the byte sought at every place around the blocks' edges.
#[test]
fn block_scans_miss_no_byte() {
    for piece in ["I", "é", "あ", "ア", "漢", "请", "\u{a0}", "x"] {
        for before in 0..80 {
            for after in [0, 1, 31, 32, 40] {
                let text = format!("{}{piece}{}", "a".repeat(before), "b".repeat(after));
                let naive = text.bytes().position(|b| b == b'I' || b >= 0x80);
                assert_eq!(first_candidate_byte(text.as_bytes()), naive, "{text:?}");
                let twice = format!("{text}{piece}{text}");
                let counts = japanese_counts(&twice);
                let kana = twice.chars().filter(|&c| is_kana(c)).count();
                let ideographs = twice.chars().filter(|&c| is_ideograph(c)).count();
                assert_eq!(
                    (counts.kana, counts.ideographs),
                    (kana, ideographs),
                    "{twice:?}"
                );
            }
        }
    }
}
