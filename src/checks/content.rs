//! Wording and Japanese text: lure phrases (`lists/lure_phrases_{en,ja}.txt`), alone and together
//! with something to act on; Japanese text written with characters Japanese does not use; Chinese
//! charsets and fonts in mail that is otherwise Japanese.

use crate::checks::Context;
use crate::checks::text::{all_text, body_text};
use crate::finding::Finding;
use crate::text::html_text::cut;
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

/// Bytes of text under which one lure phrase is enough (a lure is a few lines long).
const SHORT_TEXT: usize = 3000;

/// Lure phrases anywhere in the subject or the text.
///
/// Single business words (請求書, 議事録, invoice) fill ordinary mail, so a phrase alone is
/// nothing. What lures say is pressure about the reader's account (credential, suspension), a
/// court or fine notice (legal), or
/// money, a parcel or a prize together with urgency, or the fortune of advance-fee fraud; that is `CONTENT_LURE_PHRASE`, and with a
/// link to click or a file to open, `CONTENT_LURE_WITH_ACTION`.
pub fn lure_phrases(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // Lines are wrapped and HTML is indented anywhere, so a phrase may span a line break.
    let text = lowered_all_text(ctx.msg);
    let hits = ctx.signatures.lists.lure_phrases.find_all(text);
    false_reassurance(&hits, out);
    let has = |cats: &[&str]| {
        hits.iter()
            .any(|h| cats.contains(&h.phrase.category.as_str()))
    };
    let account = has(&["credential", "suspension", "advance_fee", "crypto", "legal"]);
    let pressure = has(&["urgency"]);
    let business = has(&["payment", "bank_details", "delivery", "prize"]);
    if !(account || business && pressure) {
        payment_details(&hits, out);
        bait_lures(ctx, &hits, text, out);
        return;
    }
    let counted: Vec<_> = hits
        .iter()
        .filter(|h| !matches!(h.phrase.category.as_str(), "theme" | "reassurance"))
        .collect();
    let phrases: BTreeSet<&str> = counted.iter().map(|h| h.phrase.text.as_str()).collect();
    // One phrase somewhere in a long text is an article about fraud, not a lure; a lure is
    // short, or says it in the subject, or says more than one thing.
    let subject_len = ctx
        .msg
        .subject
        .as_deref()
        .map_or(0, |s| lower_collapsed(s).len() + 1);
    let in_subject = counted.iter().any(|h| h.start < subject_len);
    if phrases.len() < 2 && !in_subject && text.len() > SHORT_TEXT {
        return;
    }
    let categories: BTreeSet<&str> = counted.iter().map(|h| h.phrase.category.as_str()).collect();
    let shown: Vec<&str> = phrases.iter().take(5).copied().collect();
    let first = counted.first().map_or("", |h| h.phrase.text.as_str());
    out.push(
        Finding::new("CONTENT_LURE_PHRASE", "text")
            .with("phrase", first)
            .with("phrases", shown.join(", "))
            .with("count", phrases.len().to_string()),
    );
    if let Some(action) = something_to_act_on(ctx) {
        out.push(
            Finding::new("CONTENT_LURE_WITH_ACTION", "text")
                .with("phrases", shown.join(", "))
                .with(
                    "categories",
                    categories.into_iter().collect::<Vec<_>>().join(", "),
                )
                .with("action", action),
        );
    }
}

/// The text speaks of a change of bank or payment details (振込先 with 変更, a new account,
/// changed bank details) without the pressure that makes it `CONTENT_LURE_PHRASE`. Invoices and
/// remittance advice say so every day, so this is context: it weighs only beside evidence that the
/// sender is not who it claims — above all a DMARC failure seen by a trusted server, the forged
/// partner of business email compromise.
fn payment_details(hits: &[crate::signatures::phrases::Hit<'_>], out: &mut Vec<Finding>) {
    // Only the phrases that name a change of where to pay (口座を変更, change of bank, new bank
    // account): an invoice that names its account, or says it is unchanged, is the everyday case.
    const CHANGE: &[&str] = &["変更", "change", "new ", "update"];
    let phrases: BTreeSet<&str> = hits
        .iter()
        .filter(|h| h.phrase.category == "bank_details")
        .map(|h| h.phrase.text.as_str())
        .filter(|p| CHANGE.iter().any(|w| p.contains(w)))
        .collect();
    if phrases.is_empty() {
        return;
    }
    let shown: Vec<&str> = phrases.iter().take(5).copied().collect();
    out.push(Finding::new("CONTENT_PAYMENT_DETAILS", "text").with("phrases", shown.join(", ")));
}

/// The message vouches for itself (`reassurance` phrases: "This message is from a trusted
/// sender", "Dit bericht is afkomstig van een vertrouwde afzender"): the wording of a mail
/// program's or a filter's safety banner, written into the message's own text. Real banners are
/// shown by the mail program outside the text, or added by the organisation's own gateway; a
/// sender who writes one is imitating them to lower the reader's guard.
fn false_reassurance(hits: &[crate::signatures::phrases::Hit<'_>], out: &mut Vec<Finding>) {
    if let Some(h) = hits.iter().find(|h| h.phrase.category == "reassurance") {
        out.push(
            Finding::new("CONTENT_FALSE_REASSURANCE", "text")
                .with("phrase", h.phrase.text.as_str()),
        );
    }
}

/// Bait without pressure, when there is no urgency phrase for `CONTENT_LURE_WITH_ACTION`: a
/// gift, reward or casino bonus (`prize` phrases: free spins, loyalty gift, Freispiele,
/// cadeaukaart, giros grátis) is `CONTENT_PRIZE_LURE`; an adult-dating or "brides" offer
/// (`dating` phrases) is `CONTENT_DATING_LURE`. Two different phrases of the kind, or one in the
/// subject or the sender's display name (for prizes, also one phrase of several words in a short text), together with a link elsewhere (an attachment or a
/// form): the offer is the bait, the link the hook. A real prize notice (a sweepstakes sponsor's
/// form to print and post) has nothing to click.
fn bait_lures(
    ctx: &Context<'_>,
    hits: &[crate::signatures::phrases::Hit<'_>],
    text: &str,
    out: &mut Vec<Finding>,
) {
    let subject_len = ctx
        .msg
        .subject
        .as_deref()
        .map_or(0, |s| lower_collapsed(s).len() + 1)
        .min(text.len());
    let names: String = ctx
        .msg
        .from
        .iter()
        .filter_map(|m| m.name.as_deref())
        .map(|n| lower_collapsed(cut(n, 300)))
        .collect::<Vec<_>>()
        .join(" ");
    let name_hits = ctx.signatures.lists.lure_phrases.find_all(&names);
    let mut action: Option<Option<String>> = None;
    for (category, rule) in [
        ("prize", "CONTENT_PRIZE_LURE"),
        ("dating", "CONTENT_DATING_LURE"),
    ] {
        let found: Vec<&str> = hits
            .iter()
            .chain(&name_hits)
            .filter(|h| h.phrase.category == category)
            .map(|h| h.phrase.text.as_str())
            .collect();
        // `claim your` inside `claim your prize` is one phrase, not two.
        let distinct: BTreeSet<&str> = found
            .iter()
            .copied()
            .filter(|p| !found.iter().any(|q| q.len() > p.len() && q.contains(p)))
            .collect();
        if distinct.is_empty() {
            continue;
        }
        let up_front = name_hits.iter().any(|h| h.phrase.category == category)
            || hits
                .iter()
                .any(|h| h.phrase.category == category && h.start < subject_len);
        // A prize is bait in a few lines too, when said in a phrase (`you have been chosen`):
        // single words (Prämie, Gutschein, parabéns) are ordinary in business mail, and dating
        // words in a long discussion.
        let short = category == "prize"
            && text.len() <= SHORT_TEXT
            && distinct.iter().any(|p| p.contains(' '));
        if distinct.len() < 2 && !up_front && !short {
            continue;
        }
        let Some(act) = action
            .get_or_insert_with(|| something_to_act_on(ctx))
            .clone()
        else {
            return;
        };
        let shown: Vec<&str> = distinct.iter().take(5).copied().collect();
        out.push(
            Finding::new(rule, "text")
                .with("phrases", shown.join(", "))
                .with("action", act),
        );
    }
}

/// Text longer than this is a newsletter or a thread, not a business email compromise note.
const BEC_TEXT: usize = 6000;

/// Bank details asked for or announced (`bank_details` lure phrases: 口座情報, 振込先, bank
/// details, wire transfer) in a message whose replies go to another organisation than the sender's
/// (a free mail mailbox, or another domain of a sender that is not authenticated): business email
/// compromise, where "the reply is the action". Services and lists with their own Reply-To are
/// left out by `reply_elsewhere` when the From domain is authenticated.
pub fn bank_details_by_reply(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some((_, reply_to, reply_domain)) = crate::checks::sender::reply::reply_elsewhere(ctx)
    else {
        return;
    };
    let text = lowered_all_text(ctx.msg);
    if text.len() > BEC_TEXT {
        return;
    }
    let hits = ctx.signatures.lists.lure_phrases.find_all(text);
    let phrases: BTreeSet<&str> = hits
        .iter()
        .filter(|h| h.phrase.category == "bank_details")
        .map(|h| h.phrase.text.as_str())
        .collect();
    if phrases.is_empty() {
        return;
    }
    let shown: Vec<&str> = phrases.iter().take(5).copied().collect();
    out.push(
        Finding::new("CONTENT_BANK_DETAILS_BY_REPLY", "text")
            .with("phrases", shown.join(", "))
            .with("reply_to", reply_to)
            .with("reply_domain", reply_domain),
    );
}

/// Bytes of body text under which a message is a short note (a few lines, not a newsletter).
const NOTE_TEXT: usize = 2500;
/// Words under which a message is a short note.
const NOTE_WORDS: usize = 250;

/// A short note with nothing to check but an answer to give: no attachment, at most one link,
/// not list mail, and replies go to a free mail mailbox other than the sender's. The "write to
/// me" letters of advance-fee, loan and investment fraud hide where the answers go this way, and
/// an answer is all they need. Newsletters and notifications that set a free mail Reply-To have
/// more to them (links, an unsubscribe footer, pictures).
pub fn note_by_reply(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    if msg.reply_to.is_empty()
        || !msg.attachments.is_empty()
        || msg.links.len() > 1
        || crate::checks::common::is_list_mail(msg)
    {
        return;
    }
    let Some(("SENDER_REPLY_TO_FREEMAIL", reply_to, reply_domain)) =
        crate::checks::sender::reply::reply_elsewhere(ctx)
    else {
        return;
    };
    let text = body_text(msg);
    if text.len() > NOTE_TEXT {
        return;
    }
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    if words == 0 || words > NOTE_WORDS {
        return;
    }
    out.push(
        Finding::new("CONTENT_NOTE_BY_REPLY", "text")
            .with("words", words.to_string())
            .with("reply_to", reply_to)
            .with("reply_domain", reply_domain),
    );
}

/// Billing words in a subject: an order, invoice, renewal or payment to dispute.
static BILLING_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:order|invoice|receipt|purchase|subscription|renewal|renew|payment|billing|charged|transaction|refund)\b|注文|請求|領収|購入|更新|支払",
    )
    .expect("valid billing regex")
});

/// A telephone number written the North American or international way: `+1 800-555-0100`,
/// `(800) 555-0100`, `800.555.0100`.
static PHONE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]{0,2}\d{3}[\s.-]\d{4}\b")
        .expect("valid phone regex")
});

/// Bytes of body text searched for a telephone number.
const CALLBACK_TEXT: usize = 20_000;
/// Bytes at the top of the text searched for the brand when the sender is on free mail.
const CALLBACK_TOP: usize = 1500;

/// A brand phishing impersonates (`lists/impersonated_brands.txt`, by name or by one of its
/// domain labels of five letters or more) named in the subject (or, from free mail, by name at
/// the top of the text) together with billing wording
/// (an order, invoice, renewal, payment), from a domain that is none of the brand's, and a
/// telephone number in the text: the fake antivirus renewal or shop order of callback phishing,
/// where the victim is meant to ring the number to "cancel" the charge. The number is the only
/// thing to act on: there is no link at all, and it is not list mail. Shops and resellers that
/// name a brand in an order subject and print a help line in the footer always link to the
/// order, their shop and an unsubscribe page.
pub fn brand_billing_callback(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    if !msg.links.is_empty() || crate::checks::common::is_list_mail(msg) {
        return;
    }
    let Some(subject) = msg.subject.as_deref() else {
        return;
    };
    let subject = cut(subject, 500).to_lowercase();
    if !BILLING_SUBJECT.is_match(&subject) {
        return;
    }
    let Some(domain) = msg.from.iter().find_map(|mb| mb.domain()) else {
        return;
    };
    if crate::checks::common::is_own_or_protected(ctx, &domain) {
        return;
    }
    let brands = &ctx.signatures.lists.impersonated_brands;
    // From free mail, the brand may be named only at the top of the text (a "receipt" whose
    // subject says just "payment processed"): no brand writes from a free mail mailbox.
    let top = || {
        crate::checks::common::is_freemail(ctx, &domain)
            .then(|| cut(body_text(msg), CALLBACK_TOP).to_lowercase())
    };
    let brand = brands
        .named_in(&subject)
        .or_else(|| {
            brands.into_iter().find(|(_, labels)| {
                labels
                    .iter()
                    .any(|l| l.len() >= 5 && crate::signatures::phrases::contains_word(&subject, l))
            })
        })
        .or_else(|| top().and_then(|t| brands.named_in(&t)));
    let Some((brand, labels)) = brand else {
        return;
    };
    let org = crate::text::domain::org_domain(&domain);
    let label = org.split('.').next().unwrap_or("");
    if labels.iter().any(|l| l == label) {
        return;
    }
    let Some(phone) = PHONE_NUMBER.find(cut(body_text(msg), CALLBACK_TEXT)) else {
        return;
    };
    out.push(
        Finding::new("CONTENT_BRAND_BILLING_CALLBACK", "subject")
            .with("brand", brand.clone())
            .with("domain", org)
            .with("phone", phone.as_str().to_string()),
    );
}

/// Bytes at the end of the text searched for a sign-off or copyright line.
const SIGNATURE_TEXT: usize = 6_000;

/// Bytes around each anchor word that a sign-off or copyright line can take.
const SIGN_OFF_REACH: usize = 120;

/// A sign-off in a brand's name (`The Spotify Team`, `the PayPal security team`) or its copyright
/// line (`© 2025 Microsoft Corporation`, `Copyright 2024 Ledger SAS`), matched in text with its
/// ASCII letters lower-cased: group 1 or 2 is the words that should be the brand.
static BRAND_SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)the ([^\n\r,;:!?|<>()\[\]]{2,40}?) (?:support |security |account |accounts |billing |customer service |customer care |service )?team(?-u:\b)|(?:©|\(c\)|copyright) ?(?:© ?)?(?:[0-9]{4}(?: ?[-–] ?[0-9]{4})?,? )?([^\n\r,;:!?|<>()\[\]]{2,40})",
    )
    .expect("valid sign-off regex")
});

/// Words that close a letter before the signature.
const SIGN_OFF_WORDS: &[&str] = &[
    "regards",
    "sincerely",
    "thanks",
    "thank you",
    "cheers",
    "best",
    "yours",
    "respectfully",
    "warmly",
    "cordially",
    "from",
];

/// The text signs in the name of a brand phishing impersonates (`lists/impersonated_brands.txt`):
/// a sign-off (`Best regards, The Spotify Team`: the team's name alone on its line or after a
/// closing word) or a copyright line (`© 2025 Microsoft`) whose words begin with the brand's name,
/// while the From address is on none of the brand's domains and no link goes to them. Real mail
/// from a brand comes from and links to the brand; a lure borrows its footer and sends the
/// reader elsewhere. Not list mail (a list may discuss a brand's notice), not mail from the
/// organisation's own or protected domains.
pub fn brand_signature(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    if crate::checks::common::is_list_mail(msg) {
        return;
    }
    let Some(domain) = msg.from.iter().find_map(|mb| mb.domain()) else {
        return;
    };
    if crate::checks::common::is_own_or_protected(ctx, &domain) {
        return;
    }
    // Sign-offs and copyright lines close a message: its last bytes are read.
    let body = body_text(msg);
    let mut start = body.len().saturating_sub(SIGNATURE_TEXT);
    while !body.is_char_boundary(start) {
        start += 1;
    }
    let text = body.get(start..).unwrap_or("");
    // The expression runs only around the words it needs (`team`, `©`, `copyright`, `(c)`).
    let folded = text.to_ascii_lowercase();
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for needle in [&b"team"[..], "©".as_bytes(), b"copyright", b"(c)"] {
        for at in memchr::memmem::find_iter(folded.as_bytes(), needle) {
            let mut a = at.saturating_sub(SIGN_OFF_REACH);
            while !text.is_char_boundary(a) {
                a += 1;
            }
            let mut b = (at + needle.len() + SIGN_OFF_REACH).min(text.len());
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            windows.push((a, b));
        }
    }
    if windows.is_empty() {
        return;
    }
    windows.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
    for (a, b) in windows {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let brands = &ctx.signatures.lists.impersonated_brands;
    let org = crate::text::domain::org_domain(&domain);
    let label = org.split('.').next().unwrap_or("");
    // Found with the text before each window in view, so `\b` reads the real word boundary.
    let mut found = Vec::new();
    for &(a, b) in &merged {
        let hay = folded.get(..b).unwrap_or("");
        let mut at = a;
        while let Some(caps) = BRAND_SIGN_OFF.captures_at(hay, at) {
            let Some(whole) = caps.get(0) else { break };
            at = whole.end().max(at + 1);
            found.push((
                whole.range(),
                caps.get(1).map(|m| m.range()),
                caps.get(2).map(|m| m.range()),
            ));
            while at < hay.len() && !hay.is_char_boundary(at) {
                at += 1;
            }
            if at >= hay.len() {
                break;
            }
        }
    }
    for (whole, team, owner) in found {
        let words = match (team, owner) {
            (Some(team), _) => {
                // A team named in passing (`we met the Amazon team`) is not a signature.
                let line = text
                    .get(..whole.start)
                    .unwrap_or("")
                    .rsplit('\n')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_lowercase();
                let closes = line.is_empty()
                    || line.ends_with([',', '-', '–', '—'])
                    || SIGN_OFF_WORDS.iter().any(|w| line.ends_with(w));
                if !closes {
                    continue;
                }
                text.get(team).unwrap_or("")
            }
            (None, Some(owner)) => text.get(owner).unwrap_or(""),
            (None, None) => continue,
        };
        let words = words.trim().to_lowercase();
        let Some((brand, labels)) = brands
            .named_in(&words)
            .filter(|(brand, _)| words.starts_with(brand.as_str()))
        else {
            continue;
        };
        // A domain whose name holds the brand's (`capitaloneshopping.com` for Capital One) does
        // not hide whom it claims to be; whether it is a lookalike is the lookalike rules' call.
        let names_brand = |label: &str| {
            labels
                .iter()
                .any(|l| l == label || (l.chars().count() >= 5 && label.contains(l.as_str())))
        };
        if names_brand(label) {
            return;
        }
        let links_home = msg.links.iter().filter_map(|l| l.host.as_deref()).any(|h| {
            let org = crate::text::domain::org_domain(h);
            names_brand(org.split('.').next().unwrap_or(""))
        });
        if links_home {
            return;
        }
        out.push(
            Finding::new("CONTENT_BRAND_SIGNATURE", "text")
                .with("brand", brand.clone())
                .with(
                    "line",
                    cut(text.get(whole).unwrap_or(""), 80).trim().to_string(),
                )
                .with("domain", org),
        );
        return;
    }
}

/// Text longer than this is a thread, a digest or an article, not a "419" letter.
const ADVANCE_FEE_TEXT: usize = 8000;

/// A sum of a million or more: `US$10,500,000.00`, `$4.500.000`, `€ 2 500 000`, `2.5 million`,
/// `2,5 milhões`, `2M USD`, `US$20.5M`, and sums spelled out (`five million dollars`,
/// `cinco milhões`). Matched in lower-cased text.
static BIG_SUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:us\s?\$|usd|\$|€|eur|£|gbp)\s?\d{1,3}(?:[.,\u{a0} ]\d{3}){2,}|\d+(?:[.,]\d+)?,?\s?(?:million|millions|milhões|milhoes|millones|millionen|miljoen|milioni)\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dois|três|tres|quatro|cinco|seis|sete|oito|nove|dez|cuatro|siete|ocho|nueve|diez|vinte|veinte)[ -](?:million|millions|milhões|milhoes|millones)\b|\b\d+(?:[.,]\d+)?\s?m\s?(?:usd|eur|dollars)\b|(?:us\$|usd|\$|€|£)\s?\d+(?:[.,]\d+)?\s?m\b",
    )
    .expect("valid sum regex")
});

/// What every `BIG_SUM` match also matches, searched first: the same pattern with ASCII word
/// boundaries (and none before a number), which the fast engine runs on any text, where Unicode
/// boundaries send it to a slower one as soon as the text has a non-ASCII letter. A boundary
/// beside an ASCII letter that holds in Unicode holds in ASCII too, so nothing `BIG_SUM` finds is
/// missed; most messages, which name no big sum, are settled by this search alone.
static BIG_SUM_MAYBE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:us\s?\$|usd|\$|€|eur|£|gbp)\s?\d{1,3}(?:[.,\u{a0} ]\d{3}){2,}|\d+(?:[.,]\d+)?,?\s?(?:million|millions|milhões|milhoes|millones|millionen|miljoen|milioni)(?-u:\b)|(?-u:\b)(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dois|três|tres|quatro|cinco|seis|sete|oito|nove|dez|cuatro|siete|ocho|nueve|diez|vinte|veinte)[ -](?:million|millions|milhões|milhoes|millones)(?-u:\b)|\d+(?:[.,]\d+)?\s?m\s?(?:usd|eur|dollars)(?-u:\b)|(?:us\$|usd|\$|€|£)\s?\d+(?:[.,]\d+)?\s?m(?-u:\b)",
    )
    .expect("valid sum prefilter regex")
});

/// Words one of which every `BIG_SUM` match has, unless it has a currency sign.
static SUM_WORDS: LazyLock<Vec<memchr::memmem::Finder<'static>>> = LazyLock::new(|| {
    [
        "usd", "eur", "gbp", "dollars", "million", "milhões", "milhoes", "millones", "milioni",
        "miljoen",
    ]
    .iter()
    .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
    .collect()
});

/// Whether `text` (lower-cased) has what every `BIG_SUM` match has, a currency or a word for a
/// million: a few vectorised substring searches, several times faster than the expression's
/// pass, let most messages skip it.
fn has_sum_marker(text: &str) -> bool {
    let bytes = text.as_bytes();
    // `$`, and the first bytes of `€` (E2 82 AC) and `£` (C2 A3).
    (memchr::memchr3(b'$', 0xE2, 0xC2, bytes).is_some()
        && (text.contains('$') || text.contains('€') || text.contains('£')))
        || SUM_WORDS.iter().any(|f| f.find(bytes).is_some())
}

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[a-z0-9][a-z0-9._%+-]*@([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\b")
        .expect("valid address regex")
});

/// Advance-fee fraud ("419"): a fortune of a million or more, a word of the story that goes
/// with it (inheritance, beneficiary, donation, lottery: `lists/fortune_words.txt`) and a
/// contact on a free mail service or another domain to answer to (Reply-To, the From address
/// itself, or an address written in the text). The answer is the action, so there need be no link.
pub fn advance_fee(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let text = lowered_all_text(ctx.msg);
    if text.len() > ADVANCE_FEE_TEXT || !has_sum_marker(text) {
        return;
    }
    if !BIG_SUM_MAYBE.is_match(text) {
        return;
    }
    let Some(sum) = BIG_SUM.find(text) else {
        return;
    };
    let Some(word) = ctx.signatures.lists.fortune_words.find_first(text) else {
        return;
    };
    let Some(contact) = contact_elsewhere(ctx, text) else {
        return;
    };
    out.push(
        Finding::new("CONTENT_ADVANCE_FEE", "text")
            .with("sum", sum.as_str().trim())
            .with("word", word.text.as_str())
            .with("contact", contact),
    );
}

/// A loan offered to a stranger: `we offer loans`, `do you need a loan`, `concedemos
/// empréstimos`. Matched in lower-cased text.
static LOAN_OFFER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:(?:we|i) (?:offer|give|grant|fund|provide|lend)\b.{0,80}\bloans?|offers? (?:a |you a )?(?:\w+ )?loans?|loans? (?:offer|deal)|(?:do you )?need (?:a |an urgent )?loan|(?:precisa|necessita) de (?:um )?empréstimo|(?:concedemos|oferecemos) empréstimos?|oferta de empréstimo|(?:necesita|necesitas) (?:un )?préstamo|(?:ofrecemos|otorgamos|concedemos) préstamos?|oferta de préstamo|besoin d'un prêt|offre de prêt|nous (?:offrons|accordons) des prêts|kreditangebot|wir (?:bieten|vergeben) (?:\w+ )?kredite)\b",
    )
    .expect("valid loan offer regex")
});

/// A low interest rate, the bait of the loan: `3% interest`, `@ 5% rates`, `taxa de juros de 3%`.
static LOAN_RATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b\d{1,2}(?:[.,]\d{1,2})?\s?%\s?(?:interest|rates?|annual|per annum|p\.a\.|de juros|de interés|d'intérêt|zinsen)|(?:interest rate|interest|taxa de juros|tasa de interés|taux d'intérêt|zinssatz) (?:of |de |del |von )?(?:only |apenas |solo |seulement |nur )?\d{1,2}(?:[.,]\d{1,2})?\s?%",
    )
    .expect("valid loan rate regex")
});

/// A loan offered to the reader at a low interest rate, with the answer going to a free mail
/// mailbox or another organisation (`contact_elsewhere`: Reply-To elsewhere, a free mail From, or
/// a free mail address in the text), in a short text: the loan variant of advance-fee fraud,
/// where the "processing fee" or "insurance" is what the sender collects. Banks and lenders
/// advertise from their own domains and answer there.
pub fn loan_offer(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let text = lowered_all_text(ctx.msg);
    if text.len() > ADVANCE_FEE_TEXT || memchr::memchr(b'%', text.as_bytes()).is_none() {
        return;
    }
    let Some(offer) = LOAN_OFFER.find(text) else {
        return;
    };
    let Some(rate) = LOAN_RATE.find(text) else {
        return;
    };
    let Some(contact) = contact_elsewhere(ctx, text) else {
        return;
    };
    out.push(
        Finding::new("CONTENT_LOAN_OFFER", "text")
            .with("offer", cut(offer.as_str(), 80))
            .with("rate", rate.as_str().trim())
            .with("contact", contact),
    );
}

/// Bytes of text searched for a Bitcoin address to pay into.
const WALLET_TEXT: usize = 20_000;
/// Bytes before an address searched for the words that ask for the payment.
const WALLET_WINDOW: usize = 300;

/// Words found before any Bitcoin address expression runs (one automaton pass).
static WALLET_HINTS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["bc1", "bitcoin", "btc", "wallet"])
        .expect("valid wallet hint automaton")
});

/// Something that may be a Bitcoin address: a legacy one (base58, starting 1 or 3) or a
/// segwit one (bech32, `bc1...`). Each candidate is then checked by its checksum.
static WALLET_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71})\b")
        .expect("valid wallet address regex")
});

/// Words that ask for money to be paid into the address that follows.
static PAY_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:send|pay|payment|transfer|donate|donation|deposit|contribute|wallet)")
        .expect("valid pay words regex")
});

/// Whether `s` is a Base58Check string of a Bitcoin address: 25 bytes whose last four are the
/// first four of the double SHA-256 of the rest.
fn is_base58check_address(s: &str) -> bool {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut bytes = [0u8; 25];
    for c in s.bytes() {
        let Some(mut carry) = ALPHABET.iter().position(|&a| a == c).map(|v| v as u32) else {
            return false;
        };
        for b in bytes.iter_mut().rev() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xFF) as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return false;
        }
    }
    let (body, check) = bytes.split_at(21);
    let digest = Sha256::digest(Sha256::digest(body));
    digest.get(..4) == Some(check)
}

/// Whether `s` (lower case, `bc1...`) is a bech32 or bech32m string with a valid checksum.
fn is_bech32_address(s: &str) -> bool {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let Some(data) = s.strip_prefix("bc1") else {
        return false;
    };
    let mut chk: u32 = 1;
    let mut step = |v: u32| {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ v;
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    };
    // The human-readable part `bc`, expanded as BIP 173 says.
    for c in b"bc" {
        step(u32::from(c >> 5));
    }
    step(0);
    for c in b"bc" {
        step(u32::from(c & 31));
    }
    for c in data.bytes() {
        let Some(v) = CHARSET.iter().position(|&a| a == c) else {
            return false;
        };
        step(v as u32);
    }
    chk == 1 || chk == 0x2bc8_30a3
}

/// A Bitcoin address (checked by its checksum, so no random token passes) in the subject or the
/// text, with words before it that ask for a payment, donation or transfer into it, and not
/// list mail: the payment point of sextortion, fake charity and "fee" demands. The address is
/// the only thing the sender needs; there need be no link. Ordinary business mail is not paid
/// into a personal wallet.
pub fn crypto_payment_address(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let subject = msg.subject.as_deref().map_or("", |s| cut(s, 500));
    let body = cut(body_text(msg), WALLET_TEXT);
    if !WALLET_HINTS.is_match(subject) && !WALLET_HINTS.is_match(body) {
        return;
    }
    if crate::checks::common::is_list_mail(msg) {
        return;
    }
    if msg
        .from
        .iter()
        .find_map(|mb| mb.domain())
        .is_some_and(|d| crate::checks::common::is_own_or_protected(ctx, &d))
    {
        return;
    }
    for text in [subject, body] {
        for m in WALLET_ADDRESS.find_iter(text).take(50) {
            let address = m.as_str();
            let valid = if address.starts_with("bc1") {
                is_bech32_address(address)
            } else {
                is_base58check_address(address)
            };
            if !valid {
                continue;
            }
            let from = text.floor_char_boundary(m.start().saturating_sub(WALLET_WINDOW));
            let Some(before) = text.get(from..m.start()) else {
                continue;
            };
            let Some(word) = PAY_WORDS.find(before) else {
                continue;
            };
            out.push(
                Finding::new("CONTENT_CRYPTO_PAYMENT_ADDRESS", "text")
                    .with("address", address)
                    .with("word", word.as_str().to_lowercase()),
            );
            return;
        }
    }
}

/// Bytes of body text searched for a crypto-currency amount: a credit is announced at the top.
const CRYPTO_TEXT: usize = 6000;
/// Bytes either side of an amount searched for a word that credits it to the reader.
const CRYPTO_WINDOW: usize = 120;

/// Coin tickers, found case-blind in one automaton pass before any expression runs: almost no
/// mail has one.
static CRYPTO_TICKERS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "btc", "eth", "usdt", "usdc", "bnb", "xrp", "ltc", "doge", "bitcoin",
        ])
        .expect("valid ticker automaton")
});

/// An amount of a coin: `0.947 BTC`, `42 BTC`, `1,250 USDT`, `0.75.Bitcoin`. Matched in
/// lower-cased text.
static CRYPTO_AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b\d{1,9}(?:[.,]\d{1,10})?[\s._-]?(?:btc|eth|usdt|usdc|bnb|xrp|ltc|doge|bitcoins?)\b",
    )
    .expect("valid crypto amount regex")
});

/// Words that put an amount into the reader's hands (or into the account name of a sign-up the
/// reader never made). Matched in lower-cased text.
static CREDIT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:deposited|credited|received|sent you|transferred|transfer|withdrawal|withdraw|payout|paid out|username|user name|login|usuário|usuario|nombre de usuario|benutzername|nom d'utilisateur|recebeu|recibido|reçu)\b",
    )
    .expect("valid credit words regex")
});

/// A crypto-currency amount said to be deposited, received or ready to withdraw for the reader
/// (`we have deposited 12 BTC as you requested`, `Payment received 0.9 BTC`), or written into the
/// user name of an account notice (`Username: 1.3 BTC ...`, a sign-up form abused to carry the
/// bait), in the subject or the top of the text, from a domain that is none of the crypto
/// brands' (`impersonated_brands.txt`), and not list mail. Coins sent to a stranger unasked are
/// the hook of recovery, "fake balance" and advance-fee frauds; an exchange's own receipts come
/// from the exchange's domain.
pub fn crypto_credited(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let subject = msg.subject.as_deref().map_or("", |s| cut(s, 500));
    let body = cut(body_text(msg), CRYPTO_TEXT);
    let has_ticker = |t: &str| CRYPTO_TICKERS.is_match(t);
    if !has_ticker(subject) && !has_ticker(body) {
        return;
    }
    if crate::checks::common::is_list_mail(msg) {
        return;
    }
    let text = format!("{subject}\n{body}").to_lowercase();
    let mut found = None;
    for m in CRYPTO_AMOUNT.find_iter(&text).take(20) {
        let from = text.floor_char_boundary(m.start().saturating_sub(CRYPTO_WINDOW));
        let to = text.ceil_char_boundary((m.end() + CRYPTO_WINDOW).min(text.len()));
        let Some(window) = text.get(from..to) else {
            continue;
        };
        if let Some(word) = CREDIT_WORDS.find(window) {
            found = Some((m.as_str().to_string(), word.as_str().to_string()));
            break;
        }
    }
    let Some((amount, word)) = found else {
        return;
    };
    let Some(domain) = msg.from.iter().find_map(|mb| mb.domain()) else {
        return;
    };
    if crate::checks::common::is_own_or_protected(ctx, &domain) {
        return;
    }
    let org = crate::text::domain::org_domain(&domain);
    let label = org.split('.').next().unwrap_or("");
    // Free mail is on the list as a brand (gmail, outlook) but sends no exchange's receipts.
    if !crate::checks::common::is_freemail(ctx, &domain)
        && ctx.signatures.lists.impersonated_brands.has_label(label)
    {
        return;
    }
    out.push(
        Finding::new("CONTENT_CRYPTO_CREDITED", "text")
            .with("amount", amount)
            .with("word", word)
            .with("domain", org),
    );
}

/// Where the reader is asked to answer, when that is a mailbox anyone can open or another
/// organisation: Reply-To elsewhere, a free mail From, or a free mail address in the text.
fn contact_elsewhere(ctx: &Context<'_>, text: &str) -> Option<String> {
    use crate::checks::common::is_freemail;
    if let Some((_, reply_to, _)) = crate::checks::sender::reply::reply_elsewhere(ctx) {
        return Some(reply_to);
    }
    let from = ctx.msg.from.first();
    if let Some(address) = from.and_then(|m| m.address.clone())
        && from
            .and_then(|m| m.domain())
            .is_some_and(|d| is_freemail(ctx, &d))
    {
        return Some(address);
    }
    ADDRESS
        .captures_iter(text)
        .take(50)
        .find(|c| c.get(1).is_some_and(|d| is_freemail(ctx, d.as_str())))
        .and_then(|c| c.get(0))
        .map(|m| m.as_str().to_string())
}

/// Words under which an HTML message says nothing in text (`Click here` and a logo line).
const IMAGE_ONLY_WORDS: usize = 15;
/// Words a plain-text alternative may hold and still say nothing (`View this in a browser`).
const IMAGE_ONLY_PLAIN_WORDS: usize = 20;

/// An HTML message whose reader sees pictures and next to no words, with a link to another
/// organisation than the sender's: the message is written in images so that word filters and
/// the reader's mail program see nothing to judge, and the picture (a bank's page, a "claim
/// your prize" banner) carries the lure. Ordinary newsletters have text around their pictures
/// (at least an address and an unsubscribe line).
pub fn image_only_with_link(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    if msg.htmls.is_empty()
        || !msg
            .htmls
            .iter()
            .any(|h| h.text.to_ascii_lowercase().contains("<img"))
    {
        return;
    }
    let plain: usize = msg
        .texts
        .iter()
        .map(|t| crate::text::words::count(&t.text))
        .sum();
    if plain > IMAGE_ONLY_PLAIN_WORDS {
        return;
    }
    let seen: usize = msg.htmls.iter().map(|h| visible_words(&h.text)).sum();
    if seen >= IMAGE_ONLY_WORDS {
        return;
    }
    let from_org = msg
        .from
        .first()
        .and_then(|m| m.domain())
        .map(|d| crate::text::domain::org_domain(&d));
    let Some(host) = msg
        .links
        .iter()
        .filter_map(|l| l.host.as_deref())
        .find(|host| from_org.as_deref() != Some(crate::text::domain::org_domain(host).as_str()))
    else {
        return;
    };
    out.push(
        Finding::new("CONTENT_IMAGE_ONLY_LINK", "html")
            .with("words", seen.to_string())
            .with("host", host),
    );
}

/// Hidden words from which a message is padding, not a preheader line.
const HIDDEN_WORDS: usize = 50;
/// Bytes of one HTML part searched for hidden elements.
const HIDDEN_SCAN_BYTES: usize = 400_000;
/// Styled elements looked at per part.
const HIDDEN_ELEMENTS: usize = 2000;

/// An opening tag of an element that can hold text, with a style attribute.
static STYLED_TAG: LazyLock<Regex> = LazyLock::new(|| {
    // ASCII word boundaries: tag and attribute names are ASCII, and Unicode boundaries make the
    // search leave the fast engine on any HTML with Japanese text.
    Regex::new(r#"(?i)<(div|span|p|td|font|table)(?-u:\b)[^>]*?(?-u:\b)style\s*=\s*("[^"]*"|'[^']*')[^>]*>"#)
        .expect("valid styled-tag regex")
});

/// The style attribute of a tag `STYLED_TAG` found: its first `style=` with a quoted value.
static STYLE_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?-u:\b)style\s*=\s*("[^"]*"|'[^']*')"#).expect("valid style regex")
});

/// A style that keeps an element's text from being seen.
static HIDING_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|!|$)|max-height\s*:\s*0(?:px)?\s*(?:;|!|$)|opacity\s*:\s*0\s*(?:;|!|$)")
        .expect("valid hiding-style regex")
});

/// Text hidden from the reader by style (`display:none`, `font-size:0`, `visibility:hidden`)
/// that outweighs the text shown: padding that makes word filters read something else (a news
/// article, random words) than the lure the reader sees. A newsletter's hidden preview line is a
/// few words, far fewer than its visible text.
///
/// Also (`CONTENT_HIDDEN_TOKENS`) hidden elements that each hold one made-up string of letters
/// and digits (`<span style="opacity:0">k3xqpw71</span>`) set between the words shown: salt that
/// makes every copy of a bulk message differ for filters that compare messages. A preview line
/// hides words, not codes.
pub fn hidden_text(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut salt: Option<(String, Vec<String>)> = None;
    for part in &ctx.msg.htmls {
        let html = cut(&part.text, HIDDEN_SCAN_BYTES);
        let (hidden, tokens) = hidden_words(html);
        if tokens.len() >= HIDDEN_TOKENS && salt.is_none() {
            salt = Some((part.location.clone(), tokens));
        }
        if hidden < HIDDEN_WORDS {
            continue;
        }
        let shown = visible_words(html).saturating_sub(hidden);
        if hidden > shown {
            out.push(
                Finding::new("CONTENT_HIDDEN_TEXT", part.location.clone())
                    .with("hidden", hidden.to_string())
                    .with("shown", shown.to_string()),
            );
            return;
        }
    }
    if let Some((location, tokens)) = salt {
        let count = tokens.len();
        let mut examples = tokens;
        examples.dedup();
        examples.truncate(3);
        out.push(
            Finding::new("CONTENT_HIDDEN_TOKENS", location)
                .with("count", count.to_string())
                .with("tokens", examples.join(", ")),
        );
    }
}

/// Hidden elements holding a made-up code from which the hidden text is salt.
const HIDDEN_TOKENS: usize = 2;

/// Whether the text of a hidden element is one made-up code: 5 to 24 ASCII letters and digits,
/// both present (`k3xqpw71`, `5513KWPDYRmtqzhvaxle`). Words and bare numbers (a date, a
/// counter) are not.
fn salt_token(text: &str) -> bool {
    let t = text.trim();
    (5..=24).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_alphanumeric())
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Words inside elements hidden by their style attribute (nested ones counted once), and the
/// hidden elements whose whole text is one made-up code (`salt_token`).
fn hidden_words(html: &str) -> (usize, Vec<String>) {
    let lower = html.to_ascii_lowercase();
    let mut words = 0;
    let mut tokens = Vec::new();
    let mut pos = 0;
    for _ in 0..HIDDEN_ELEMENTS {
        // `find` and two slices give what `captures` would (the tag name is the ASCII word after
        // `<`; the style value is the first `style=` quoted in the tag, as the lazy regex takes
        // it) without the capture engine, which cost more than the rest of the check.
        let Some(whole) = lower.get(pos..).and_then(|rest| STYLED_TAG.find(rest)) else {
            break;
        };
        let tag = whole.as_str();
        let name_len = tag
            .bytes()
            .skip(1)
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let name = tag.get(1..1 + name_len).unwrap_or("");
        let Some(style) = STYLE_ATTRIBUTE.find(tag).and_then(|m| {
            let attribute = m.as_str();
            attribute.find(['"', '\'']).map(|q| &attribute[q..])
        }) else {
            break;
        };
        let start = pos + whole.end();
        if !HIDING_STYLE.is_match(style.trim_matches(['"', '\''])) {
            pos = start;
            continue;
        }
        let end = closing_tag(&lower, start, name).unwrap_or(lower.len());
        let inner = html.get(start..end).unwrap_or("");
        let n = visible_words(inner);
        words += n;
        if n == 1 && tokens.len() < 20 {
            let text = text_of(inner);
            if salt_token(&text) {
                tokens.push(text.trim().to_string());
            }
        }
        pos = end.max(start);
    }
    (words, tokens)
}

/// The text of a short piece of HTML: what is outside its tags (no entity decoding: a code
/// written with entities is not one `salt_token` takes).
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars().take(200) {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Where the element opened just before `from` closes: the `</name` that balances nested
/// `<name` tags (by position in `lower`).
fn closing_tag(lower: &str, from: usize, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let close = format!("</{name}");
    let mut depth = 1usize;
    let mut pos = from;
    loop {
        let rest = lower.get(pos..)?;
        let next_close = find_tag(rest, &close)?;
        match find_tag(rest.get(..next_close).unwrap_or(""), &open) {
            Some(o) => {
                depth += 1;
                pos += o + open.len();
            }
            None => {
                depth -= 1;
                if depth == 0 {
                    return Some(pos + next_close);
                }
                pos += next_close + close.len();
            }
        }
    }
}

/// The first `<name` or `</name` in `hay` that is that very tag (`<p ` or `<p>`, not `<pre`).
fn find_tag(hay: &str, tag: &str) -> Option<usize> {
    hay.match_indices(tag).map(|(i, _)| i).find(|&i| {
        hay.get(i + tag.len()..)
            .and_then(|r| r.chars().next())
            .is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Words of text outside tags, scripts and styles in an HTML part (entities decoded). Counted
/// on its own rather than through `html_to_text`, which drops everything after a stray `<head>`
/// in the body: here every word shown must count.
fn visible_words(html: &str) -> usize {
    let count = |text: &str| crate::text::words::count(&html_escape::decode_html_entities(text));
    let html = cut(html, crate::text::html_text::MAX_PART_CHARS * 4);
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` hold in `html`.
    let lower = html.to_ascii_lowercase();
    let mut words = 0;
    let mut pos = 0;
    while let Some(lt) = lower.get(pos..).and_then(|s| s.find('<')).map(|i| pos + i) {
        words += count(html.get(pos..lt).unwrap_or(""));
        let tag = lower.get(lt..).unwrap_or("");
        let mut next = tag.find('>').map_or(lower.len(), |gt| lt + gt + 1);
        for name in ["script", "style"] {
            if tag.get(1..).is_some_and(|t| t.starts_with(name)) {
                let end = format!("</{name}");
                next = lower
                    .get(next..)
                    .and_then(|rest| rest.find(&end))
                    .map_or(lower.len(), |i| next + i);
            }
        }
        pos = next;
    }
    words + count(html.get(pos..).unwrap_or(""))
}

/// The message's text (`all_text`) lower-cased and collapsed, made once per message for the
/// wording checks that read it.
fn lowered_all_text(msg: &crate::message::Message) -> &str {
    msg.derived
        .all_text_lowered
        .get_or_init(|| lower_collapsed(all_text(msg)))
}

/// `text` lower-cased, every run of white space one space, in one pass. ASCII prose (printable
/// characters and single spaces, most of any mail) goes eight bytes at a time; anything else
/// (other white space, runs of spaces, other scripts) a character at a time.
fn lower_collapsed(text: &str) -> String {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut out: Vec<u8> = Vec::with_capacity(text.len() + 8);
    let mut in_space = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(chunk) = bytes
            .get(i..i + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
        {
            let x = u64::from_le_bytes(chunk);
            if x & HIGH == 0 {
                // Bytes under 0x21 (controls and space), and bytes that are a space. Both tests
                // can also mark the byte just above a marked one (a borrow), never miss one:
                // asking for the same marks, none adjacent, accepts only real single spaces.
                let below = x.wrapping_sub(ONES * 0x21) & !x & HIGH;
                let y = x ^ (ONES * 0x20);
                let space = y.wrapping_sub(ONES) & !y & HIGH;
                let prose =
                    below == space && space & (space << 8) == 0 && !(in_space && space & 0x80 != 0);
                if prose {
                    // `A`..=`Z` get 0x20 added (no borrow crosses bytes with the high bits set).
                    let at_least_a = (x | HIGH).wrapping_sub(ONES * 0x41) & HIGH;
                    let past_z = (x | HIGH).wrapping_sub(ONES * 0x5B) & HIGH;
                    let lowered = x | ((at_least_a & !past_z) >> 2);
                    out.extend_from_slice(&lowered.to_le_bytes());
                    in_space = x >> 56 == 0x20;
                    i += 8;
                    continue;
                }
            }
        }
        if b.is_ascii() {
            i += 1;
            if matches!(b, b' ' | b'\t'..=b'\r') {
                if !in_space {
                    out.push(b' ');
                }
                in_space = true;
            } else {
                out.push(b.to_ascii_lowercase());
                in_space = false;
            }
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        let start = i;
        i += c.len_utf8();
        if ('\u{3001}'..='\u{9fff}').contains(&c) {
            // Kana, CJK punctuation and ideographs: no case, no spaces (tested on every one).
            in_space = false;
            out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        } else if c.is_whitespace() {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            in_space = false;
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    // Only whole characters were copied: the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// The recipient's own address in the subject (`taro@example.co.jp: your password expires`), the
/// way bulk phishing makes a message look personal.
pub fn recipient_in_subject(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(subject) = &ctx.msg.subject else {
        return;
    };
    let subject = subject.to_lowercase();
    let recipients = ctx
        .msg
        .to
        .iter()
        .chain(&ctx.msg.cc)
        .filter_map(|m| m.address.as_deref())
        .map(str::to_string)
        .chain(ctx.msg.envelope.rcpt_to.iter().cloned());
    for address in recipients {
        let address = address.trim().trim_matches(['<', '>']).to_lowercase();
        if address.contains('@') && address.len() >= 6 && subject.contains(&address) {
            out.push(
                Finding::new("CONTENT_RECIPIENT_IN_SUBJECT", "Subject").with("address", address),
            );
            return;
        }
    }
}

/// An attachment (not a picture) or a web link to another organisation than the sender's,
/// described for the reason: what the lure wants opened. Links only to the sender's own site are
/// nothing to fear from the sender's point of view (a spoofed sender is the sender checks' job).
fn something_to_act_on(ctx: &Context<'_>) -> Option<String> {
    let msg = ctx.msg;
    if let Some(a) = msg
        .attachments
        .iter()
        .find(|a| a.depth == 0 && !a.content_type.starts_with("image/"))
    {
        return Some(format!(
            "attachment {}",
            a.name.as_deref().unwrap_or(a.location.as_str())
        ));
    }
    let from_org = msg
        .from
        .first()
        .and_then(|m| m.domain())
        .map(|d| crate::text::domain::org_domain(&d));
    // A form in the message itself is something to fill in and send.
    if msg
        .htmls
        .iter()
        .any(|h| h.text.to_ascii_lowercase().contains("<form"))
    {
        return Some("form in the message".into());
    }
    msg.links
        .iter()
        .filter_map(|l| l.host.clone())
        .find(|host| from_org.as_deref() != Some(crate::text::domain::org_domain(host).as_str()))
        .map(|host| format!("link to {host}"))
}

/// Words written with letters of two alphabets that look alike (Latin `a`, `o`, `e` swapped for
/// Cyrillic or Greek ones: `Vеrіfy Yоur Wаllеt`), or with "styled" letters from the mathematical
/// and small-capital blocks (`𝐨𝐩𝐞𝐧 𝐧𝐨𝐰`, `ᴏᴢᴇᴍᴘɪᴄ`): text made to read normally to a person while
/// word filters see something else. No alphabet mixes so inside words in ordinary writing, so a
/// few such words are enough; one stray letter (a keyboard-layout slip) is not.
pub fn lookalike_letters(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let mut header = String::new();
    if let Some(s) = &msg.subject {
        header.push_str(cut(s, 2000));
        header.push(' ');
    }
    for m in &msg.from {
        if let Some(n) = &m.name {
            header.push_str(cut(n, 500));
            header.push(' ');
        }
    }
    let head = letter_counts(&header);
    let body = letter_counts(cut(body_text(msg), 50_000));
    let mixed = head.mixed_words + body.mixed_words;
    // Look-alike-only letters standing alone between Latin ones (`~ᑕ.loud ᗩ-ccount`) in a subject
    // or sender name that is written in Latin letters.
    let latin_head = header.bytes().filter(u8::is_ascii_alphabetic).count() >= 3;
    let dotted =
        head.dotted + body.dotted > DOTTED_WORDS && dotted_english(cut(body_text(msg), 50_000));
    let fires = dotted
        || mixed >= 3
        || head.mixed_words >= 2
        || head.styled >= 3
        || body.styled >= 8
        || latin_head && head.lookalike_only >= 2;
    if !fires {
        return;
    }
    let mut examples = head.examples;
    for e in body.examples {
        if examples.len() < 4 && !examples.contains(&e) {
            examples.push(e);
        }
    }
    out.push(
        Finding::new("CONTENT_LOOKALIKE_LETTERS", "text")
            .with("words", examples.join(", "))
            .with("mixed", mixed.to_string())
            .with("styled", (head.styled + body.styled).to_string()),
    );
}

/// Words cut by invisible characters (`H\u{200C}el\u{200C}lo`, `P\u{200F}\u{200E}ayment`): zero-width
/// spaces, joiners and non-joiners, direction marks, the word joiner, the byte-order mark and the
/// combining grapheme joiner between two Latin letters. A reader sees whole words, a word filter
/// sees fragments. Newsletters pad their preview line with such characters between spaces, and
/// Persian and Indic writing join their own letters with them, so only Latin letters on both
/// sides count, and several words must be cut (three cuts in the subject and the sender's name,
/// which are short). Variation selectors and tag characters (`T\u{E0139}r\u{E0139}ust`) count too:
/// after a Latin letter they change nothing on screen.
pub fn split_words(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let mut cuts = 0usize;
    let mut words: Vec<String> = Vec::new();
    let mut distinct = 0usize;
    let mut scan = |text: &str| {
        let mut here = 0;
        if !has_invisible(text) {
            return here;
        }
        for word in text.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation()) {
            let n = cut_points(word);
            if n == 0 {
                continue;
            }
            cuts += n;
            here += n;
            distinct += 1;
            let shown: String = word
                .chars()
                .filter(|c| !is_invisible(*c))
                .take(40)
                .collect();
            if words.len() < 4 && !words.contains(&shown) {
                words.push(shown);
            }
        }
        here
    };
    // The subject and the sender's name are a few words: three cuts there are as telling as
    // five in a whole text.
    let mut header_cuts = 0;
    let headers = msg.subject.iter().map(|s| cut(s, 2000)).chain(
        msg.from
            .iter()
            .filter_map(|m| m.name.as_deref())
            .map(|n| cut(n, 500)),
    );
    for text in headers {
        header_cuts += scan(text);
    }
    scan(cut(body_text(msg), 50_000));
    if header_cuts < 3 && (cuts < 5 || distinct < 3) {
        return;
    }
    out.push(
        Finding::new("CONTENT_SPLIT_WORDS", "text")
            .with("words", words.join(", "))
            .with("count", distinct.to_string()),
    );
}

/// Words of the subject and the sender's name strung together with filler instead of spaces
/// (`Claim..your..reward..now`, `Send__to__your__wallet`): two dots, or two or more
/// underscores, between two letters, at two places or more. A reader takes them for spaces; a filter that
/// looks for the words does not find them. One such join can be a version range
/// (`HEAD..main`); two in a subject are not written by accident.
pub fn filler_joined_words(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let mut joins = 0usize;
    let mut examples: Vec<String> = Vec::new();
    let mut scan = |text: &str| {
        let chars: Vec<char> = text.chars().take(500).collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars.get(i).copied().unwrap_or(' ');
            if c != '.' && c != '_' {
                i += 1;
                continue;
            }
            let start = i;
            while chars.get(i) == Some(&c) {
                i += 1;
            }
            let letter_before =
                start > 0 && chars.get(start - 1).is_some_and(|p| p.is_alphabetic());
            let letter_after = chars.get(i).is_some_and(|n| n.is_alphabetic());
            // Exactly two dots: three are an ellipsis (`water...glub`), written without spaces
            // by hurried writers.
            let filler = if c == '.' {
                i - start == 2
            } else {
                i - start >= 2
            };
            if filler && letter_before && letter_after {
                joins += 1;
                if examples.len() < 3 {
                    let from = chars
                        .get(..start)
                        .unwrap_or(&[])
                        .iter()
                        .rev()
                        .take_while(|p| p.is_alphanumeric())
                        .count();
                    let to = chars
                        .get(i..)
                        .unwrap_or(&[])
                        .iter()
                        .take_while(|n| n.is_alphanumeric())
                        .count();
                    let piece: String = chars
                        .get(start - from..i + to)
                        .unwrap_or(&[])
                        .iter()
                        .take(40)
                        .collect();
                    examples.push(piece);
                }
            }
        }
    };
    if let Some(s) = &msg.subject {
        scan(s);
    }
    for m in &msg.from {
        if let Some(n) = &m.name {
            scan(n);
        }
    }
    if joins < 2 {
        return;
    }
    out.push(
        Finding::new("CONTENT_FILLER_JOINED_WORDS", "Subject")
            .with("count", joins.to_string())
            .with("words", examples.join(", ")),
    );
}

/// Invisible characters that can sit inside a word without showing.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{034F}'
            | '\u{180E}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0000}'..='\u{E01EF}'
    )
}

/// Whether `text` has any `is_invisible` character, found a byte at a time at memchr speed (the
/// word split is the slow part, and almost no mail has these characters). Their UTF-8 forms start
/// CD 8F (U+034F), E1 A0 8E (U+180E), E2 80 8B–8F (U+200B–U+200F), E2 81 A0–A4 (U+2060–U+2064),
/// EF BB BF (U+FEFF), EF B8 80–8F (U+FE00–U+FE0F) and F3 A0 80 80 – F3 A0 87 AF (U+E0000–U+E01EF).
fn has_invisible(text: &str) -> bool {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    memchr::memchr3_iter(0xCD, 0xE1, 0xE2, b).any(|i| match at(i) {
        0xCD => at(i + 1) == 0x8F,
        0xE1 => at(i + 1) == 0xA0 && at(i + 2) == 0x8E,
        _ => match at(i + 1) {
            0x80 => (0x8B..=0x8F).contains(&at(i + 2)),
            0x81 => (0xA0..=0xA4).contains(&at(i + 2)),
            _ => false,
        },
    }) || memchr::memchr2_iter(0xEF, 0xF3, b).any(|i| match at(i) {
        0xEF => match at(i + 1) {
            0xBB => at(i + 2) == 0xBF,
            0xB8 => (0x80..=0x8F).contains(&at(i + 2)),
            _ => false,
        },
        _ => {
            at(i + 1) == 0xA0
                && ((0x80..=0x86).contains(&at(i + 2)) || at(i + 2) == 0x87 && at(i + 3) <= 0xAF)
        }
    })
}

/// How many runs of invisible characters in `word` stand between two ASCII letters.
fn cut_points(word: &str) -> usize {
    let mut n = 0;
    let mut prev_letter = false;
    let mut in_run = false;
    for c in word.chars() {
        if is_invisible(c) {
            in_run = prev_letter || in_run;
            prev_letter = false;
            continue;
        }
        let letter = c.is_ascii_alphabetic();
        if letter && in_run {
            n += 1;
        }
        in_run = false;
        prev_letter = letter;
    }
    n
}

#[derive(Debug, Default, PartialEq)]
struct LetterCounts {
    /// Words mixing Latin letters with Cyrillic or Greek ones.
    mixed_words: usize,
    /// Letters from the mathematical alphanumeric, small-capital and enclosed-letter blocks.
    styled: usize,
    /// Letters of the scripts used only as Latin look-alikes (`Alphabet::LookalikeOnly`).
    lookalike_only: usize,
    /// English-looking words with one letter swapped for a rare accented Latin one (`ḟeel`,
    /// `ąbout` is not counted: Latin Extended-A is everyday Polish, Czech or Turkish).
    dotted: usize,
    /// Up to four words that show it.
    examples: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Alphabet {
    Latin,
    CyrillicOrGreek,
    /// Scripts whose letters copy Latin shapes (Cherokee `Ꭺ`, Canadian syllabics `ᑕ` `ᗩ`,
    /// Lisu `ꓮ`) and that no one mixes into Latin text except to disguise it.
    LookalikeOnly,
    Other,
}

fn alphabet(c: char) -> Alphabet {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F => Alphabet::Latin,
        // Greek and Coptic, Cyrillic, Cyrillic Supplement.
        0x370..=0x52F => Alphabet::CyrillicOrGreek,
        // Cherokee, Unified Canadian Aboriginal Syllabics (and extended), Lisu, Cherokee
        // Supplement.
        0x13A0..=0x13FF | 0x1400..=0x167F | 0x18B0..=0x18FF | 0xA4D0..=0xA4FF | 0xAB70..=0xABBF => {
            Alphabet::LookalikeOnly
        }
        _ => Alphabet::Other,
    }
}

pub(crate) fn is_styled_letter(c: char) -> bool {
    matches!(c as u32,
        0x1D400..=0x1D7FF | 0x1D00..=0x1D2B | 0x1F130..=0x1F189 | 0x24B6..=0x24E9)
}

/// A capital `I` standing for a small `l` inside a lower-case word (`waIIet`, `BiIIing`,
/// `PaypaI`): two of them together, or one ending a word of four or more small letters. Names
/// such as `McIntyre` have one `I` followed by a small letter, which is not counted.
fn capital_i_for_l(word: &str) -> bool {
    if !word.as_bytes().contains(&b'I') {
        return false;
    }
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 || chars.iter().filter(|c| c.is_ascii_lowercase()).count() < 3 {
        return false;
    }
    let doubled = chars
        .windows(4)
        .any(|w| matches!(w, [a, 'I', 'I', b] if a.is_ascii_lowercase() && b.is_ascii_lowercase()));
    let at_end = match chars.split_last() {
        Some(('I', rest)) => {
            rest.len() >= 4 && rest.iter().rev().take(4).all(char::is_ascii_lowercase)
        }
        _ => false,
    };
    doubled || at_end
}

fn letter_counts(text: &str) -> LetterCounts {
    let mut counts = LetterCounts::default();
    for word in candidate_words(text) {
        // An ASCII word has neither Cyrillic, Greek nor styled letters: only the capital-I
        // trick can show in it.
        if word.is_ascii() && !capital_i_for_l(word) {
            continue;
        }
        // A token with digits is a measurement (`100μs`, `5Ω`) or an identifier (a tracking
        // token), not a word written to be read.
        if word.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        if is_dotted_word(word) {
            counts.dotted += 1;
            if counts.dotted > DOTTED_WORDS && counts.examples.len() < 4 {
                counts.examples.push(word.chars().take(40).collect());
            }
        }
        let mut latin = false;
        let mut other = false;
        let mut styled = 0;
        for c in word.chars() {
            match alphabet(c) {
                Alphabet::Latin => latin = true,
                Alphabet::CyrillicOrGreek => other = true,
                Alphabet::LookalikeOnly => {
                    other = true;
                    counts.lookalike_only += 1;
                }
                Alphabet::Other => {}
            }
            if is_styled_letter(c) {
                styled += 1;
            }
        }
        counts.styled += styled;
        let shows = if latin && other && word.chars().count() >= 3 || capital_i_for_l(word) {
            counts.mixed_words += 1;
            true
        } else {
            styled > 0
                || other && !latin && word.chars().any(|c| alphabet(c) == Alphabet::LookalikeOnly)
        };
        if shows && counts.examples.len() < 4 && !counts.examples.iter().any(|e| e == word) {
            counts.examples.push(word.chars().take(40).collect());
        }
    }
    counts
}

/// Words with one rare accented letter that make English text "dotted" (`I ḟeel sặd to ḁlert
/// you`): more than this many, in text that is otherwise English, count as look-alike writing.
const DOTTED_WORDS: usize = 8;

/// A word of three letters or more, all ASCII but one, which is from Latin Extended-B (U+0180 to
/// U+024F) or Latin Extended Additional (U+1E00 to U+1EFF): letters no European language
/// writes inside English words.
fn is_dotted_word(word: &str) -> bool {
    let mut rare = 0;
    let mut letters = 0;
    for c in word.chars() {
        if c.is_ascii_alphabetic() {
            letters += 1;
        } else if matches!(c as u32, 0x180..=0x24F | 0x1E00..=0x1EFF) {
            rare += 1;
            letters += 1;
        } else {
            return false;
        }
    }
    rare == 1 && letters >= 3
}

/// Whether text with dotted words is English otherwise: many English function words, and next
/// to none of the letters only Vietnamese uses (ă, đ, ơ, ư), since Vietnamese words also have
/// one accented letter among ASCII ones. Only run when a text has many dotted words.
fn dotted_english(text: &str) -> bool {
    const FUNCTION_WORDS: [&str; 10] = [
        "the", "and", "you", "your", "to", "of", "for", "is", "with", "this",
    ];
    let vietnamese = text
        .chars()
        .filter(|c| matches!(c, 'ă' | 'Ă' | 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư'))
        .take(3)
        .count();
    if vietnamese >= 3 {
        return false;
    }
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| FUNCTION_WORDS.iter().any(|f| w.eq_ignore_ascii_case(f)))
        .take(15)
        .count()
        >= 15
}

/// A letter of a word for the lookalike check: alphanumeric, but not kana, CJK ideographs or
/// Hangul. Those have no lookalike of a Latin letter, and Japanese text is a run of them: taken
/// as separators, they cost a range test each instead of a Unicode table look-up.
fn word_char(c: char) -> bool {
    !matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
        && c.is_alphanumeric()
}

/// The words (runs of `word_char`) that have a capital `I` or a non-ASCII character: the only
/// ones the lookalike check can count. Runs of plain ASCII text are skipped without splitting
/// them into words.
fn candidate_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        loop {
            let hit = pos
                + bytes
                    .get(pos..)?
                    .iter()
                    .position(|&b| b == b'I' || b >= 0x80)?;
            // `hit` is a char boundary: `I` is ASCII, and the first non-ASCII byte after an
            // ASCII byte (or after `pos`, a boundary) starts a character.
            let c = text.get(hit..)?.chars().next()?;
            if !word_char(c) {
                // A curly quote, a no-break space, kana or kanji: no word has it.
                pos = hit + c.len_utf8();
                continue;
            }
            let start = text
                .get(pos..hit)?
                .char_indices()
                .rev()
                .take_while(|(_, c)| word_char(*c))
                .last()
                .map_or(hit, |(i, _)| pos + i);
            let end = text
                .get(hit..)?
                .char_indices()
                .find(|(_, c)| !word_char(*c))
                .map_or(text.len(), |(i, _)| hit + i);
            pos = end;
            return text.get(start..end);
        }
    })
}

/// Kana and ideographs of a text, and the ideographs no Japanese character set has.
#[derive(Debug, Default, PartialEq)]
pub struct JapaneseCounts {
    pub kana: usize,
    pub ideographs: usize,
    pub foreign: usize,
    /// Distinct foreign ideographs, in order of appearance (at most 10 kept).
    pub examples: Vec<char>,
}

impl JapaneseCounts {
    /// Text that reads as Japanese: enough kana, and kana a good share of the Japanese letters
    /// (Chinese text decorated with a few `の` does not count).
    pub fn is_japanese(&self) -> bool {
        self.kana >= 20 && self.kana * 4 >= self.kana + self.ideographs
    }
}

/// Counts for `text` (bounded to the first 100,000 bytes).
pub fn japanese_counts(text: &str) -> JapaneseCounts {
    let mut counts = JapaneseCounts::default();
    // Kana and ideographs are never ASCII; most mail in other languages ends here.
    if text.is_ascii() {
        return counts;
    }
    let mut known: HashMap<char, bool> = HashMap::new();
    for c in cut(text, 100_000).chars() {
        if is_kana(c) {
            counts.kana += 1;
        } else if is_ideograph(c) {
            counts.ideographs += 1;
            let japanese = *known.entry(c).or_insert_with(|| in_japanese_charset(c));
            if !japanese {
                counts.foreign += 1;
                if counts.examples.len() < 10 && !counts.examples.contains(&c) {
                    counts.examples.push(c);
                }
            }
        }
    }
    counts
}

fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D)
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Whether a character is in JIS X 0208 or the Windows (CP932) extensions Japanese mail uses:
/// encodable as Shift_JIS or EUC-JP by encoding_rs (the WHATWG encoders).
fn in_japanese_charset(c: char) -> bool {
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let (_, _, sjis_errors) = encoding_rs::SHIFT_JIS.encode(s);
    if !sjis_errors {
        return true;
    }
    let (_, _, euc_errors) = encoding_rs::EUC_JP.encode(s);
    !euc_errors
}

/// Japanese text with ideographs no Japanese character set has — simplified or traditional
/// Chinese forms (请, 说, 这, 们, 发, 时) — often enough that a rare name kanji cannot explain
/// it: at least three of them, two distinct, and 3% of the ideographs.
pub fn chinese_forms_in_japanese(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let text = all_text(ctx.msg);
    let counts = japanese_counts(text);
    if !counts.is_japanese() || counts.ideographs == 0 {
        return;
    }
    let distinct = counts.examples.len();
    if counts.foreign >= 3 && distinct >= 2 && counts.foreign * 100 >= counts.ideographs * 3 {
        out.push(
            Finding::new("CONTENT_NON_JAPANESE_KANJI", "text")
                .with("chars", counts.examples.iter().collect::<String>())
                .with("count", counts.foreign.to_string())
                .with("ideographs", counts.ideographs.to_string()),
        );
    }
}

/// A Chinese charset or Chinese font names in mail whose text is Japanese.
pub fn chinese_charset_or_font(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    let lists = &ctx.signatures.lists;
    let parts = msg.texts.iter().chain(&msg.htmls);
    let mut japanese: Option<bool> = None;
    let mut is_japanese =
        || *japanese.get_or_insert_with(|| japanese_counts(body_text(msg)).is_japanese());
    for part in parts.clone() {
        let Some(charset) = &part.charset else {
            continue;
        };
        if lists.chinese_charsets.contains(charset) && is_japanese() {
            out.push(
                Finding::new("CONTENT_CHINESE_CHARSET", &part.location)
                    .with("charset", charset.as_str()),
            );
            break;
        }
    }
    // Only Japanese mail can show it: asked once, before lower-casing and searching each HTML.
    if msg.htmls.is_empty() || !is_japanese() {
        return;
    }
    for part in &msg.htmls {
        let lower = cut(&part.text, 400_000).to_lowercase();
        let Some(font) = lists
            .chinese_fonts
            .find_all(&lower)
            .into_iter()
            .find(|h| in_font_context(&lower, h.start))
        else {
            continue;
        };
        if is_japanese() {
            out.push(
                Finding::new("CONTENT_CHINESE_FONT", &part.location)
                    .with("font", font.phrase.text.as_str()),
            );
            return;
        }
    }
}

/// Whether the font name at `at` stands in a font setting (`font-family:`, `face=`), not in text.
fn in_font_context(lower: &str, at: usize) -> bool {
    let mut start = at.saturating_sub(80);
    while !lower.is_char_boundary(start) {
        start -= 1;
    }
    let before = lower.get(start..at).unwrap_or("");
    let near = before.rsplit([';', '>', '}']).next().unwrap_or(before);
    near.contains("font-family") || near.contains("face=") || near.contains("font:")
}

#[cfg(test)]
mod tests {
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
        // The same text from a company's own domain names the brand only in passing: nothing.
        let company = top.replace("desk.team.41@gmail.com", "billing@garden-club.example");
        assert!(callback(&company).is_empty());
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
    fn has_invisible_agrees_with_the_character_test_on_every_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("ab{c}cd");
            assert_eq!(has_invisible(&text), is_invisible(c), "U+{:04X}", c as u32);
        }
        assert!(!has_invisible("\u{2010}\u{2020}\u{E1}\u{CD}"));
        assert!(has_invisible("ends with\u{FEFF}"));
        assert!(!has_invisible("truncated \u{2080}"));
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
        assert!(
            rules("Subject: Lunch\n\nSee you at noon. The bank holiday is Monday.\n").is_empty()
        );
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
        let same =
            "From: a@corp.example\nReply-To: b@pay.corp.example\n\nOur bank details changed.\n";
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
        let head =
            "From: a@example.com\nSubject: Notice\nContent-Type: text/plain; charset=utf-8\n\n";
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
        let zh =
            "我们的产品质量很好，价格便宜，欢迎您来电咨询。の 这是我们的网站，请查看详细说明。";
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
    fn every_big_sum_has_a_marker_the_fast_search_finds() {
        for sum in [
            "$1,000,000",
            "us$ 5m",
            "€ 2.500.000",
            "gbp 1 000 000",
            "12 millones",
            "4,5 milhões",
            "4 milhoes",
            "10m usd",
            "10 m eur",
            "3 dollars m",
            "3 millionen",
            "7 miljoen",
            "2 milioni",
            "£3m",
            "five million",
        ] {
            let text = format!("you get {sum} today");
            if BIG_SUM.is_match(&text) {
                assert!(has_sum_marker(&text), "{sum}");
            }
        }
        assert!(!has_sum_marker("1,000,000 visitors – “quoted”"));
        assert!(!BIG_SUM.is_match("1,000,000 visitors"));
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
        // A news item with a spelled sum and no contact elsewhere: nothing.
        let article = "From: News <news@paper.example>\nSubject: Today\n\nThe charity says two million people need food aid.\n";
        assert!(rules_of(check, article).is_empty());
        // A charity's newsletter from its own domain, a small sum, or no story: nothing.
        let news = "From: Foundation <news@foundation.example>\nSubject: Thanks\n\n\
Thanks to your donation we raised $2,000,000 for charity this year. https://foundation.example/report\n";
        assert!(rules_of(check, news).is_empty());
        let small =
            "From: a.friend@gmail.com\nSubject: Charity run\n\nWe raised $5,000 for charity!\n";
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
        let padding =
            "the river runs past old mills and quiet farms where nobody hurries ".repeat(6);
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
    fn words_joined_by_filler_in_the_subject_and_name() {
        let check: crate::checks::Check = filler_joined_words;
        let raw = |from: &str, subject: &str| {
            format!(
                "From: {from}\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\nx\n"
            )
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
        // One range, ellipses, numbers and identifiers are ordinary.
        for subject in [
            "Re: diff HEAD..main",
            "Wait... what? And then...",
            "a virgin...a virgin...birth",
            "Pages 1..10 and 20..30",
            "Re: the __init__ method",
            "snake_case_names in config_file",
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
        // Cherokee or Cree text of its own is not a disguise of Latin words.
        let cherokee = "From: \u{13A0}\u{13A9}\u{13C2} <a@example.net>\nSubject: \u{13A3}\u{13B3}\u{13A9} \u{13A6}\u{13EC}\u{13C2}\nContent-Type: text/plain; charset=utf-8\n\nx\n";
        assert!(rules_of(ll, cherokee).is_empty());
    }
}
