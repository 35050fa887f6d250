//! `ATTACH_KNOWN_BAD`: an attachment that matches the known-bad hashes and byte patterns
//! (`signatures::iocs`).

use super::display_name;
use crate::checks::Context;
use crate::finding::Finding;

/// `ATTACH_KNOWN_BAD`: an attachment whose hash or bytes match a known-bad entry.
pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let iocs = &ctx.signatures.iocs;
    if iocs.is_empty() {
        return;
    }
    for att in &ctx.msg.attachments {
        if ctx.out_of_time("attachments.known_bad", &att.location, out) {
            break;
        }
        for m in iocs.matches(&att.data) {
            out.push(
                Finding::new("ATTACH_KNOWN_BAD", &att.location)
                    .with("name", display_name(att))
                    .with("ioc", m.name)
                    .with("how", m.how),
            );
        }
    }
}
