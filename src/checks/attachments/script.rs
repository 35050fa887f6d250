//! `EXE_SCRIPT`: an attachment whose content is a script (`formats::script`), whatever its name.

use super::{display_name, sniff};
use crate::checks::Context;
use crate::finding::Finding;

/// `EXE_SCRIPT`: an attachment whose content is a script, whatever its name.
pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, att) in ctx.msg.attachments.iter().enumerate() {
        if let crate::formats::sniff::Kind::Script(hit) = &sniff::of(ctx.msg, i).kind {
            out.push(
                Finding::new("EXE_SCRIPT", &att.location)
                    .with("name", display_name(att))
                    .with("kind", hit.kind.label())
                    .with("indicators", hit.indicators.join(", ")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::attachments::testing::{run_check, with_type};

    #[test]
    fn a_text_file_that_is_vbscript_is_reported_with_its_kind() {
        let vbs = b"Dim sh\r\nSet sh = CreateObject(\"WScript.Shell\")\r\nsh.Run \"cmd\"\r\n";
        let f = run_check(check, vec![with_type("readme.txt", "text/plain", vbs)]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, "EXE_SCRIPT");
        assert_eq!(f[0].evidence[1].1, "VBScript");
        assert_eq!(f[0].evidence[2].1, "CreateObject, WScript.Shell");
    }
}
