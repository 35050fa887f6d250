//! Business e-mail compromise: bank details or a note to be answered by reply.

use super::*;

/// Text longer than this is a newsletter or a thread, not a business email compromise note.
pub(super) const BEC_TEXT: usize = 6000;

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
pub(super) const NOTE_TEXT: usize = 2500;
/// Words under which a message is a short note.
pub(super) const NOTE_WORDS: usize = 250;

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
