//! Lure phrases alone and with something to act on, payment details, false reassurance, bait.

use super::*;

/// Bytes of text under which one lure phrase is enough (a lure is a few lines long).
pub(super) const SHORT_TEXT: usize = 3000;

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
pub(super) fn payment_details(
    hits: &[crate::signatures::phrases::Hit<'_>],
    out: &mut Vec<Finding>,
) {
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
pub(super) fn false_reassurance(
    hits: &[crate::signatures::phrases::Hit<'_>],
    out: &mut Vec<Finding>,
) {
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
pub(super) fn bait_lures(
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
