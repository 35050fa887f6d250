//! Attachment checks: names, real types, archives and documents.

pub mod executable;
pub mod filename;
pub mod html;
pub mod ichitaro;
pub mod iocs;
pub mod lnk;
pub mod office;
pub mod pdf;
pub mod script;
pub mod sniff;

/// The name to show for an attachment in evidence: its file name, else its location (one
/// function with the containers' evidence).
pub(crate) use crate::message::containers::display_name;

#[cfg(test)]
pub(crate) mod testing {
    use crate::checks::{Check, Context};
    use crate::config::Config;
    use crate::finding::Finding;
    use crate::message::{Attachment, Message};
    use crate::signatures::Signatures;

    /// An attachment at MIME part 2 with this name, type and content.
    pub fn with_type(name: &str, content_type: &str, data: &[u8]) -> Attachment {
        Attachment {
            location: format!("2/{name}"),
            name: (!name.is_empty()).then(|| name.to_string()),
            content_type: content_type.to_string(),
            data: data.to_vec(),
            ..Attachment::default()
        }
    }

    /// Runs one check over a message holding these attachments, with the embedded signatures.
    pub fn run_check(check: Check, attachments: Vec<Attachment>) -> Vec<Finding> {
        run_check_with(check, attachments, &Signatures::embedded().unwrap())
    }

    pub fn run_check_with(
        check: Check,
        attachments: Vec<Attachment>,
        signatures: &Signatures,
    ) -> Vec<Finding> {
        let msg = Message {
            attachments,
            ..Message::default()
        };
        let config = Config::default();
        let ctx = Context {
            msg: &msg,
            signatures,
            config: &config,
        };
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }
}
