//! One message (and configuration) per rule, made to trigger it. Each family of checks has a file
//! of its own; `all()` joins them. `tests/rules.rs` requires a fixture for every rule.

mod archives;
mod attachments;
mod content;
mod core;
mod dns;
mod html;
mod limits;
mod links;
mod office;
mod onenote_ichitaro;
mod pdf;
mod sender;
mod shortcuts;

use lurescreen::Config;

/// Rule id, the configuration to scan with, the message.
pub type Fixture = (&'static str, Config, Vec<u8>);

pub fn all() -> Vec<Fixture> {
    let mut all = Vec::new();
    all.extend(core::fixtures());
    all.extend(attachments::fixtures());
    all.extend(pdf::fixtures());
    all.extend(archives::fixtures());
    all.extend(office::fixtures());
    all.extend(shortcuts::fixtures());
    all.extend(html::fixtures());
    all.extend(onenote_ichitaro::fixtures());
    all.extend(sender::fixtures());
    all.extend(links::fixtures());
    all.extend(content::fixtures());
    all.extend(dns::fixtures());
    all.extend(limits::fixtures());
    all
}
