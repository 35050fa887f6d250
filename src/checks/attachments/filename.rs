//! File names that disguise what a file is: dangerous extensions, double extensions, bidi tricks.

use crate::checks::Context;
use crate::verdict::{Finding, is_hidden_char};

/// The extensions of a name, last first, lower-cased, each trimmed of the spaces and dots Windows
/// ignores at the end of a name.
pub(crate) fn extensions(name: &str) -> Vec<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = base.trim_end_matches([' ', '.', '\u{3000}']);
    let mut parts: Vec<String> = base
        .split('.')
        .skip(1)
        .map(|p| p.trim().to_lowercase())
        .collect();
    parts.reverse();
    parts
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let lists = &ctx.signatures.lists;
    for att in &ctx.msg.attachments {
        let Some(name) = att.name.as_deref() else {
            continue;
        };
        if let Some(c) = name.chars().find(|&c| is_bidi_control(c)) {
            out.push(
                Finding::new("ATTACH_BIDI_CONTROL", &att.location)
                    .with("name", name)
                    .with("char", format!("U+{:04X}", c as u32)),
            );
        }
        // Judge the name as Windows would run it: hidden characters removed.
        let cleaned: String = name.chars().filter(|&c| !is_hidden_char(c)).collect();
        let exts = extensions(&cleaned);
        let Some(last) = exts.first() else {
            continue;
        };
        if !lists.dangerous_extensions.contains(last) {
            continue;
        }
        out.push(
            Finding::new("ATTACH_DANGEROUS_EXTENSION", &att.location)
                .with("name", name)
                .with("ext", last.as_str()),
        );
        if let Some(shown) = exts
            .get(1)
            .filter(|e| lists.document_extensions.contains(*e))
        {
            out.push(
                Finding::new("ATTACH_DOUBLE_EXTENSION", &att.location)
                    .with("name", name)
                    .with("shown", shown.as_str())
                    .with("ext", last.as_str()),
            );
        }
    }
}

/// Characters that reorder how the rest of a name is displayed.
fn is_bidi_control(c: char) -> bool {
    matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::message::{Attachment, Message};
    use crate::signatures::Signatures;

    fn run(names: &[&str]) -> Vec<Finding> {
        let msg = Message {
            attachments: names
                .iter()
                .enumerate()
                .map(|(i, n)| Attachment {
                    location: format!("{}/{n}", i + 2),
                    name: Some(n.to_string()),
                    ..Attachment::default()
                })
                .collect(),
            ..Message::default()
        };
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let ctx = Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        };
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }

    fn rules(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn double_extension_with_japanese_name() {
        let f = run(&["請求書.pdf.exe"]);
        assert_eq!(
            rules(&f),
            ["ATTACH_DANGEROUS_EXTENSION", "ATTACH_DOUBLE_EXTENSION"]
        );
        assert_eq!(f[1].evidence[1], ("shown".to_string(), "pdf".to_string()));
        assert_eq!(f[1].location, "2/請求書.pdf.exe");
    }

    #[test]
    fn trailing_dots_and_spaces_and_case_do_not_hide_the_extension() {
        assert_eq!(rules(&run(&["Invoice.PDF.SCR. . "])).len(), 2);
        assert_eq!(rules(&run(&["setup.exe"])), ["ATTACH_DANGEROUS_EXTENSION"]);
    }

    #[test]
    fn rlo_name_is_caught_and_judged_by_its_real_extension() {
        // Displays as "報告書exe.doc", is really "報告書\u{202E}cod.exe".
        let f = run(&["報告書\u{202E}cod.exe"]);
        assert_eq!(
            rules(&f),
            ["ATTACH_BIDI_CONTROL", "ATTACH_DANGEROUS_EXTENSION"]
        );
    }

    #[test]
    fn documents_are_left_alone() {
        assert!(run(&["見積書.pdf", "report.v2.docx", "noext", ".exe.txt"]).is_empty());
    }
}
