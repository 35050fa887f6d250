//! The complete table of container openers the engine passes to the parse: the containers the
//! message layer reads itself, and the document openers of the checks (PDF, Office, Ichitaro,
//! HTML: each reads with its reader in `formats/` and reports what it found), each in its place
//! in the order they are tried.

use crate::checks::attachments::{html, ichitaro, office, pdf};
use crate::message::Attachment;
use crate::message::containers;
use crate::message::expand::{Openers, is_ole_or_rtf};
use crate::signatures::Lists;

/// Every container format lurescreen opens, tried in order, with no signature lists (a parse
/// that needs no findings: drill's reading of report mails; tests). A scan uses `with_lists`.
pub const ALL: Openers<'static> = Openers {
    list: &[
        ("pdf", pdf::open),
        ("zip", containers::zip::open),
        // Before the Office opener, which takes any other OLE2 file: these claim only Outlook
        // items and Ichitaro documents.
        ("outlook", containers::outlook::open),
        ("ichitaro", ichitaro::open),
        ("tnef", containers::tnef::open),
        ("office", office::open),
        ("gzip", containers::gzip::open),
        ("tar", containers::tar::open),
        ("7z", containers::sevenz::open),
        ("rar", containers::rar::open),
        ("disk image", containers::diskimage::open),
        ("onenote", containers::onenote::open),
        ("html", html::open),
    ],
    is_document,
    lists: None,
};

/// Every container format lurescreen opens, judging by the scan's signature lists (the HTML
/// opener's names of smuggled files).
pub fn with_lists(lists: &Lists) -> Openers<'_> {
    Openers {
        lists: Some(lists),
        ..ALL
    }
}

/// A document some opener reads (PDF, Office, HTML): worth naming when time ran out before it.
fn is_document(att: &Attachment) -> bool {
    pdf::is_pdf(&att.data) || html::is_html(att) || is_ole_or_rtf(att)
}
