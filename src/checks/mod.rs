//! Checks: plain functions of the message that push findings. No I/O, no state.

pub mod archives;
pub mod attachments;
pub mod links;
pub mod sender;

use crate::config::Config;
use crate::message::Message;
use crate::signatures::Signatures;
use crate::verdict::Finding;

/// What every check gets.
pub struct Context<'a> {
    pub msg: &'a Message,
    pub signatures: &'a Signatures,
    pub config: &'a Config,
}

/// A check: reads the context, pushes findings.
pub type Check = fn(&Context<'_>, &mut Vec<Finding>);

/// Every check, in the order they run (cheap ones first, so a time budget cuts the costly).
pub const CHECKS: &[(&str, Check)] = &[
    ("sender.display_name_address", sender::display_name_address),
    ("links.text_domain_mismatch", links::text_domain_mismatch),
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
];
