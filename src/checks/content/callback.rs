//! Callback phishing: a brand's bill with a phone number to call.

use super::*;

/// A telephone number written the North American or international way: `+1 800-555-0100`,
/// `(800) 555-0100`, `800.555.0100`.
pub(super) static PHONE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]{0,2}\d{3}[\s.-]\d{4}\b")
        .expect("valid phone regex")
});

/// Bytes of body text searched for a telephone number.
pub(super) const CALLBACK_TEXT: usize = 20_000;
/// Bytes at the top of the text searched for the brand when the sender is on free mail.
pub(super) const CALLBACK_TOP: usize = 1500;

/// A brand phishing impersonates (`lists/impersonated_brands.txt`, by name or by one of its
/// domain labels of five letters or more) named in the subject (or, from free mail or in a fresh
/// message from a From domain that is not authenticated, by name at the top of the text) together with billing wording
/// (`wording/callback.txt`: an order, invoice, renewal, payment), from a domain that is none of the brand's, and a
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
    if !ctx.signatures.wording.billing_subject().is_match(&subject) {
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
    // Nor does a brand send its receipts unsigned: a fresh message (not a reply in a thread)
    // from a From domain that is not authenticated may name the brand only at the top of the
    // text too (a "renewal" of a made-up product code, sent as a calendar invitation).
    let top = || {
        (crate::checks::common::is_freemail(ctx, &domain)
            || !is_reply(msg) && crate::checks::standing::authenticated_from(ctx).is_none())
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

/// Whether the message answers another: it names one in `In-Reply-To` or `References`.
fn is_reply(msg: &crate::message::Message) -> bool {
    msg.headers.iter().any(|(n, v)| {
        (n.eq_ignore_ascii_case("in-reply-to") || n.eq_ignore_ascii_case("references"))
            && !v.trim().is_empty()
    })
}
