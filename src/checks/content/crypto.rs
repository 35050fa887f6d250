//! Cryptocurrency: payment addresses and credited amounts.

use super::*;

/// Bytes of text searched for a Bitcoin address to pay into.
pub(super) const WALLET_TEXT: usize = 20_000;
/// Bytes before an address searched for the words that ask for the payment.
pub(super) const WALLET_WINDOW: usize = 300;

/// Words found before any Bitcoin address expression runs (one automaton pass).
pub(super) static WALLET_HINTS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(WALLET_WORDS)
        .expect("valid wallet hint automaton")
});

const WALLET_WORDS: [&str; 4] = ["bc1", "bitcoin", "btc", "wallet"];

/// `WALLET_HINTS` for text whose ASCII letters are lower-cased (`body_text_ascii_lower`): the
/// same matches, found with the fast literal search an automaton ignoring case cannot use.
static WALLET_HINTS_LOWER: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(WALLET_WORDS).expect("valid wallet hint automaton")
});

/// Something that may be a Bitcoin address: a legacy one (base58, starting 1 or 3) or a
/// segwit one (bech32, `bc1...`). Each candidate is then checked by its checksum.
pub(super) static WALLET_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71})\b")
        .expect("valid wallet address regex")
});

/// Whether `s` is a Base58Check string of a Bitcoin address: 25 bytes whose last four are the
/// first four of the double SHA-256 of the rest.
pub(super) fn is_base58check_address(s: &str) -> bool {
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
pub(super) fn is_bech32_address(s: &str) -> bool {
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
    let body_lower = cut(body_text_ascii_lower(msg), WALLET_TEXT);
    if !WALLET_HINTS.is_match(subject) && !WALLET_HINTS_LOWER.is_match(body_lower) {
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
            let Some(word) = ctx.signatures.wording.pay_words().find(before) else {
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
pub(super) const CRYPTO_TEXT: usize = 6000;
/// Bytes either side of an amount searched for a word that credits it to the reader.
pub(super) const CRYPTO_WINDOW: usize = 120;

/// Coin tickers, found case-blind in one automaton pass before any expression runs: almost no
/// mail has one.
pub(super) static CRYPTO_TICKERS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(TICKERS)
        .expect("valid ticker automaton")
});

const TICKERS: [&str; 9] = [
    "btc", "eth", "usdt", "usdc", "bnb", "xrp", "ltc", "doge", "bitcoin",
];

/// `CRYPTO_TICKERS` for text whose ASCII letters are lower-cased (see `WALLET_HINTS_LOWER`).
static CRYPTO_TICKERS_LOWER: LazyLock<aho_corasick::AhoCorasick> =
    LazyLock::new(|| aho_corasick::AhoCorasick::new(TICKERS).expect("valid ticker automaton"));

/// An amount of a coin: `0.947 BTC`, `42 BTC`, `1,250 USDT`, `0.75.Bitcoin`. Matched in
/// lower-cased text.
pub(super) static CRYPTO_AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b\d{1,9}(?:[.,]\d{1,10})?[\s._-]?(?:btc|eth|usdt|usdc|bnb|xrp|ltc|doge|bitcoins?)\b",
    )
    .expect("valid crypto amount regex")
});

/// `CRYPTO_AMOUNT` without its word boundaries, which send the regex crate's fast engine to a
/// slow one on any text that is not ASCII. Every match of `CRYPTO_AMOUNT` is one of this, so
/// none begins before this one's first, and where there is none there is no amount.
static CRYPTO_AMOUNT_LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,9}(?:[.,]\d{1,10})?[\s._-]?(?:btc|eth|usdt|usdc|bnb|xrp|ltc|doge|bitcoins?)")
        .expect("valid loose crypto amount regex")
});

/// The matches of `CRYPTO_AMOUNT` in `text`, as `find_iter` gives them: each searched from the
/// next match of `CRYPTO_AMOUNT_LOOSE` on (the text before it still seen by the word
/// boundaries). An amount is never empty, so each search goes on from where the last ended.
pub(super) fn crypto_amounts(text: &str) -> impl Iterator<Item = regex::Match<'_>> {
    let from = |at: usize| {
        CRYPTO_AMOUNT_LOOSE
            .find_at(text, at)
            .and_then(|m| CRYPTO_AMOUNT.find_at(text, m.start()))
    };
    std::iter::successors(from(0), move |m| from(m.end()))
}

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
    let body_lower = cut(body_text_ascii_lower(msg), CRYPTO_TEXT);
    if !CRYPTO_TICKERS.is_match(subject) && !CRYPTO_TICKERS_LOWER.is_match(body_lower) {
        return;
    }
    if crate::checks::common::is_list_mail(msg) {
        return;
    }
    let text = format!("{subject}\n{body}").to_lowercase();
    let mut found = None;
    for m in crypto_amounts(&text).take(20) {
        let from = text.floor_char_boundary(m.start().saturating_sub(CRYPTO_WINDOW));
        let to = text.ceil_char_boundary((m.end() + CRYPTO_WINDOW).min(text.len()));
        let Some(window) = text.get(from..to) else {
            continue;
        };
        if let Some(word) = ctx.signatures.wording.credit_words().find(window) {
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
pub(super) fn contact_elsewhere(ctx: &Context<'_>, text: &str) -> Option<String> {
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
