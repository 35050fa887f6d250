//! The recipient's address in the subject.

use super::*;

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
pub(super) fn something_to_act_on(ctx: &Context<'_>) -> Option<String> {
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
        .any(|h| crate::text::html_text::find_ascii_ci(&h.text, "<form").is_some())
    {
        return Some("form in the message".into());
    }
    msg.links
        .iter()
        .filter_map(|l| l.host.clone())
        .find(|host| from_org.as_deref() != Some(crate::text::domain::org_domain(host).as_str()))
        .map(|host| format!("link to {host}"))
}
