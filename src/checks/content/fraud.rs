//! Advance-fee fraud and loan offers with a contact elsewhere.

use super::*;

/// Text longer than this is a thread, a digest or an article, not a "419" letter.
pub(super) const ADVANCE_FEE_TEXT: usize = 8000;

/// A sum of a hundred thousand or more written with a currency (`$650,000.00`, `$ 150.500,00`,
/// `US$10,500,000.00`, `$4.500.000`, `€ 2 500 000`), or a million or more in words: `2.5 million`,
/// `2,5 milhões`, `2M USD`, `US$20.5M`, and sums spelled out (`five million dollars`,
/// `cinco milhões`). Matched in lower-cased text.
pub(super) static BIG_SUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:us\s?\$|usd|\$|€|eur|£|gbp)\s?(?:\d{1,3}(?:[.,\u{a0} ]\d{3}){2,}|[1-9]\d{2}[.,\u{a0} ]\d{3})|\d+(?:[.,]\d+)?,?\s?(?:million|millions|milhões|milhoes|millones|millionen|miljoen|milioni)\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dois|três|tres|quatro|cinco|seis|sete|oito|nove|dez|cuatro|siete|ocho|nueve|diez|vinte|veinte)[ -](?:million|millions|milhões|milhoes|millones)\b|\b\d+(?:[.,]\d+)?\s?m\s?(?:usd|eur|dollars)\b|(?:us\$|usd|\$|€|£)\s?\d+(?:[.,]\d+)?\s?m\b",
    )
    .expect("valid sum regex")
});

/// What every `BIG_SUM` match also matches, searched first: the same pattern with ASCII word
/// boundaries (and none before a number), which the fast engine runs on any text, where Unicode
/// boundaries send it to a slower one as soon as the text has a non-ASCII letter. A boundary
/// beside an ASCII letter that holds in Unicode holds in ASCII too, so nothing `BIG_SUM` finds is
/// missed; most messages, which name no big sum, are settled by this search alone.
pub(super) static BIG_SUM_MAYBE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:us\s?\$|usd|\$|€|eur|£|gbp)\s?(?:\d{1,3}(?:[.,\u{a0} ]\d{3}){2,}|[1-9]\d{2}[.,\u{a0} ]\d{3})|\d+(?:[.,]\d+)?,?\s?(?:million|millions|milhões|milhoes|millones|millionen|miljoen|milioni)(?-u:\b)|(?-u:\b)(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dois|três|tres|quatro|cinco|seis|sete|oito|nove|dez|cuatro|siete|ocho|nueve|diez|vinte|veinte)[ -](?:million|millions|milhões|milhoes|millones)(?-u:\b)|\d+(?:[.,]\d+)?\s?m\s?(?:usd|eur|dollars)(?-u:\b)|(?:us\$|usd|\$|€|£)\s?\d+(?:[.,]\d+)?\s?m(?-u:\b)",
    )
    .expect("valid sum prefilter regex")
});

/// Words one of which every `BIG_SUM` match has, unless it has a currency sign.
pub(super) static SUM_WORDS: LazyLock<Vec<memchr::memmem::Finder<'static>>> = LazyLock::new(|| {
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
pub(super) fn has_sum_marker(text: &str) -> bool {
    let bytes = text.as_bytes();
    // `$`, and the first bytes of `€` (E2 82 AC) and `£` (C2 A3).
    (memchr::memchr3(b'$', 0xE2, 0xC2, bytes).is_some()
        && (text.contains('$') || text.contains('€') || text.contains('£')))
        || SUM_WORDS.iter().any(|f| f.find(bytes).is_some())
}

pub(super) static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[a-z0-9][a-z0-9._%+-]*@([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\b")
        .expect("valid address regex")
});

/// Advance-fee fraud ("419"): a fortune (`BIG_SUM`), a word of the story that goes with it
/// (inheritance, beneficiary, donation, lottery: `lists/fortune_words.txt`) and a
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

/// A loan offered to the reader at a low interest rate (`wording/fraud.txt`), with the answer going to a free mail
/// mailbox or another organisation (`contact_elsewhere`: Reply-To elsewhere, a free mail From, or
/// a free mail address in the text), in a short text: the loan variant of advance-fee fraud,
/// where the "processing fee" or "insurance" is what the sender collects. Banks and lenders
/// advertise from their own domains and answer there.
pub fn loan_offer(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let text = lowered_all_text(ctx.msg);
    if text.len() > ADVANCE_FEE_TEXT || memchr::memchr(b'%', text.as_bytes()).is_none() {
        return;
    }
    let Some(offer) = ctx.signatures.wording.loan_offer().find(text) else {
        return;
    };
    let Some(rate) = ctx.signatures.wording.loan_rate().find(text) else {
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
