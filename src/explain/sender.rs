//! The sender as it really is: the From mailbox, the other addresses that differ from it, and
//! what the organisation's own servers said about its authentication.

use super::{MAX_RECIPIENTS, SenderView};
use crate::message::auth_results::trusted_results;
use crate::message::{Mailbox, Message};
use crate::text::hidden::visible;

pub(super) fn sender_view(msg: &Message, trusted: &[String]) -> SenderView {
    let first = msg.from.first();
    let from_addr = first
        .and_then(|m| m.address.as_deref())
        .map(|a| a.to_lowercase());
    let differs = |a: &str| from_addr.as_deref() != Some(a.trim().to_lowercase().as_str());
    let authentication = trusted_results(msg, trusted)
        .iter()
        .take(10)
        .map(|r| {
            let props: Vec<String> = r
                .props
                .iter()
                .filter(|(k, _)| k.starts_with("header.") || k.starts_with("smtp."))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let text = if props.is_empty() {
                format!("{}={}", r.method, r.result)
            } else {
                format!("{}={} ({})", r.method, r.result, props.join(" "))
            };
            visible(&text)
        })
        .collect();
    SenderView {
        display_name: first.and_then(|m| m.name.as_deref()).map(visible),
        address: first.and_then(|m| m.address.as_deref()).map(visible),
        domain: first.and_then(Mailbox::domain).map(|d| visible(&d)),
        more_from: msg
            .from
            .iter()
            .skip(1)
            .take(MAX_RECIPIENTS)
            .map(|m| visible(&m.display()))
            .collect(),
        reply_to: msg
            .reply_to
            .iter()
            .filter(|m| m.address.as_deref().is_none_or(differs))
            .take(MAX_RECIPIENTS)
            .map(|m| visible(&m.display()))
            .collect(),
        return_path: msg
            .return_path
            .as_deref()
            .filter(|a| !a.trim().is_empty() && differs(a))
            .map(visible),
        sender: msg
            .sender
            .first()
            .filter(|m| m.address.as_deref().is_none_or(differs))
            .map(|m| visible(&m.display())),
        authentication,
        marks: Vec::new(),
    }
}
