//! `EXE_PROGRAM`: programs among the attachments (`formats::executable`), whatever their names.

use super::display_name;
use crate::checks::Context;
use crate::finding::Finding;
use crate::formats::executable::describe;

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for att in &ctx.msg.attachments {
        if let Some(p) = describe(&att.data) {
            out.push(
                Finding::new("EXE_PROGRAM", &att.location)
                    .with("name", display_name(att))
                    .with("what", p.description)
                    .with("format", p.format),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::attachments::testing::{run_check, with_type};
    use crate::formats::executable::tests::minimal_pe;

    #[test]
    fn renamed_programs_are_found() {
        let f = run_check(
            check,
            vec![with_type(
                "見積書.pdf",
                "application/pdf",
                &minimal_pe(false, 2),
            )],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, "EXE_PROGRAM");
        assert_eq!(f[0].evidence[0].1, "見積書.pdf");
        assert_eq!(f[0].evidence[1].1, "PE32 Windows GUI program, x86");
    }
}
