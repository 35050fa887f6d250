//! Advance-fee fraud and loan offers with a contact elsewhere.

use super::*;

/// Text longer than this is a thread, a digest or an article, not a "419" letter.
pub(super) const ADVANCE_FEE_TEXT: usize = 8000;

pub(super) static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[a-z0-9][a-z0-9._%+-]*@([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\b")
        .expect("valid address regex")
});

/// Advance-fee fraud ("419"): a fortune (`wording/advance_fee.txt`), a word of the story that goes with it
/// (inheritance, beneficiary, donation, lottery: `lists/fortune_words.txt`) and a
/// contact on a free mail service or another domain to answer to (Reply-To, the From address
/// itself, or an address written in the text). The answer is the action, so there need be no link.
pub fn advance_fee(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let text = lowered_all_text(ctx.msg);
    if text.len() > ADVANCE_FEE_TEXT {
        return;
    }
    let Some(sum) = ctx.signatures.wording.big_sum().find_gated(text) else {
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
