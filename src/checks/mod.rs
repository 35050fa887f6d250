//! Checks: plain functions of the message that push findings. No I/O, no state.

pub mod archives;
pub mod attachments;
pub mod common;
pub mod content;
pub mod headers;
pub mod links;
pub mod lookalike;
pub mod sender;
pub mod standing;
pub mod text;

use crate::config::Config;
use crate::finding::Finding;
use crate::message::Message;
use crate::signatures::Signatures;

/// What every check gets.
pub struct Context<'a> {
    pub msg: &'a Message,
    pub signatures: &'a Signatures,
    pub config: &'a Config,
}

impl Context<'_> {
    /// Whether the message's time budget is spent; if so, says so with a LIMIT_TIME_BUDGET
    /// finding at `location` naming what `check` left undone. Costly checks call it before each
    /// attachment, so one slow file cannot carry a scan far past `limits.scan_time_ms`.
    pub fn out_of_time(&self, check: &str, location: &str, out: &mut Vec<Finding>) -> bool {
        if !self.msg.out_of_time() {
            return false;
        }
        out.push(
            crate::message::opener::time_budget_finding(
                location,
                self.config.limits.scan_time_ms,
                format!("{check} on {location} and the attachments after it"),
            )
            .with(
                "skipped_ja",
                format!("{location} 以降の添付ファイルへの {check}"),
            ),
        );
        true
    }
}

/// A check: reads the context, pushes findings.
pub type Check = fn(&Context<'_>, &mut Vec<Finding>);

/// Every check, in the order they run (cheap ones first, so a time budget cuts the costly).
pub const CHECKS: &[(&str, Check)] = &[
    ("sender.display_name_address", sender::display_name_address),
    (
        "sender.freemail_organisation",
        sender::freemail_organisation,
    ),
    ("sender.brand_display_name", sender::brand_display_name),
    ("sender.impersonated_brand", sender::impersonated_brand),
    (
        "sender.unaligned_brand_domain",
        sender::unaligned_brand_domain,
    ),
    ("sender.reply_paths", sender::reply::check),
    ("sender.signature", sender::signature::check),
    ("sender.lookalike", lookalike::sender),
    ("sender.known_bad", sender::known_bad),
    (
        "sender.styled_address",
        sender::address_form::styled_address,
    ),
    (
        "sender.random_local_part",
        sender::address_form::random_local_part,
    ),
    (
        "sender.obfuscated_brand",
        sender::address_form::obfuscated_brand,
    ),
    (
        "content.subject_obfuscated_brand",
        sender::address_form::subject_obfuscated_brand,
    ),
    ("sender.unknown_tld", sender::address_form::unknown_tld),
    (
        "sender.number_in_name",
        sender::address_form::number_in_name,
    ),
    ("sender.emoji_in_name", sender::address_form::emoji_in_name),
    ("sender.free_hosting_domain", sender::free_hosting_domain),
    ("sender.tenant_domain", sender::tenant_domain),
    ("headers.from_field", headers::from_field),
    (
        "headers.authentication_results",
        headers::authentication_results,
    ),
    ("links.text_domain_mismatch", links::text_domain_mismatch),
    ("links.lookalike", lookalike::links),
    ("links.url_tricks", links::url_tricks),
    ("links.destinations", links::destinations),
    ("links.sender_domain_in_path", links::sender_domain_in_path),
    ("links.forms", links::forms),
    ("links.brand_elsewhere", links::brand_elsewhere),
    ("links.hidden_destinations", links::hidden_destinations),
    ("links.brand_domain_in_host", links::brand_domain_in_host),
    ("content.lure_phrases", content::lure_phrases),
    (
        "content.bank_details_by_reply",
        content::bank_details_by_reply,
    ),
    ("content.advance_fee", content::advance_fee),
    ("content.crypto_credited", content::crypto_credited),
    (
        "content.crypto_payment_address",
        content::crypto_payment_address,
    ),
    ("content.loan_offer", content::loan_offer),
    ("content.note_by_reply", content::note_by_reply),
    (
        "content.brand_billing_callback",
        content::brand_billing_callback,
    ),
    ("content.brand_signature", content::brand_signature),
    ("content.image_only_link", content::image_only_with_link),
    ("content.hidden_text", content::hidden_text),
    (
        "content.recipient_in_subject",
        content::recipient_in_subject,
    ),
    ("content.chinese_forms", content::chinese_forms_in_japanese),
    ("content.lookalike_letters", content::lookalike_letters),
    ("content.split_words", content::split_words),
    ("content.filler_joined_words", content::filler_joined_words),
    ("content.padded_code", content::padded_code),
    (
        "content.invented_postal_address",
        content::invented_postal_address,
    ),
    (
        "content.chinese_charset_or_font",
        content::chinese_charset_or_font,
    ),
    ("attachments.filename", attachments::filename::check),
    ("attachments.real_type", attachments::sniff::check),
    ("attachments.executable", attachments::executable::check),
    ("attachments.script", attachments::script::check),
    ("attachments.known_bad", attachments::iocs::check),
    ("attachments.pdf", attachments::pdf::check),
    ("attachments.office", attachments::office::check),
    ("attachments.lnk", attachments::lnk::check),
    ("attachments.html", attachments::html::check),
    ("archives.executable_inside", archives::executable_inside),
    ("archives.password_in_body", archives::password_in_body),
    ("archives.separate_password", archives::separate_password),
];
