//! File names that disguise what a file is: dangerous extensions, double extensions, bidi tricks,
//! padding that pushes the real extension out of sight, invisible characters.

use crate::checks::Context;
use crate::finding::Finding;
use crate::text::file_name::extensions;
use crate::text::hidden::{is_bidi_control, is_blank, is_hidden_char, is_invisible_in_name};

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
        let invisible = invisible_chars(name);
        if !invisible.is_empty() {
            out.push(
                Finding::new("ATTACH_INVISIBLE_CHARS", &att.location)
                    .with("name", name)
                    .with("chars", invisible.join(", ")),
            );
        }
        // Judge the name as Windows would run it: hidden characters removed.
        let cleaned: String = name.chars().filter(|&c| !is_hidden_char(c)).collect();
        let exts = extensions(&cleaned);
        let Some(last) = exts.first() else {
            continue;
        };
        // A web page named as a document: opened, it is a login page in the browser.
        if lists.web_page_extensions.contains(last) {
            if let Some(shown) = exts.get(1).filter(|e| {
                lists.document_extensions.contains(*e) && !lists.web_page_extensions.contains(*e)
            }) {
                out.push(
                    Finding::new("ATTACH_HTML_DISGUISED", &att.location)
                        .with("name", name)
                        .with("shown", shown.as_str())
                        .with("ext", last.as_str()),
                );
            }
            continue;
        }
        if !lists.dangerous_extensions.contains(last) {
            continue;
        }
        if let Some(shown) = padded_before_extension(&cleaned) {
            out.push(
                Finding::new("ATTACH_NAME_PADDING", &att.location)
                    .with("name", name)
                    .with("shown", shown)
                    .with("ext", last.as_str()),
            );
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

/// A run this long of blanks or underscores right before the extension pushes it out of sight.
const PADDING_RUN: usize = 5;

/// Characters that look like nothing or like a space in a file name listing.
fn is_padding(c: char) -> bool {
    c == '_' || is_blank(c)
}

/// If a run of at least `PADDING_RUN` padding characters stands right before the last extension,
/// the name with that run written out (`請求書.pdf<U+0020 ×20>.exe`).
fn padded_before_extension(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = base.trim_end_matches([' ', '.', '\u{3000}']);
    let dot = base.rfind('.')?;
    let stem = base.get(..dot)?;
    let run: Vec<char> = stem.chars().rev().take_while(|&c| is_padding(c)).collect();
    if run.len() < PADDING_RUN || run.len() == stem.chars().count() {
        return None;
    }
    let kept: String = stem
        .chars()
        .take(stem.chars().count() - run.len())
        .collect();
    let mut runs: Vec<(char, usize)> = Vec::new();
    for c in run.into_iter().rev() {
        match runs.last_mut() {
            Some((last, n)) if *last == c => *n += 1,
            _ => runs.push((c, 1)),
        }
    }
    let written: String = runs
        .iter()
        .map(|(c, n)| format!("<U+{:04X} ×{n}>", *c as u32))
        .collect();
    Some(format!("{kept}{written}{}", base.get(dot..).unwrap_or("")))
}

/// Zero-width and other invisible characters in a name, as `U+XXXX`. Bidi controls have a rule of
/// their own; a joiner between letters of scripts that need one (Persian, Indic, emoji sequences)
/// and a byte order mark at the very start (a sloppy encoder) are not counted.
fn invisible_chars(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut found: Vec<String> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let counted = is_invisible_in_name(c)
            && match c as u32 {
                0x200C | 0x200D => {
                    let ok_neighbour = |n: Option<&char>| {
                        n.is_some_and(|&n| {
                            !n.is_ascii() && !is_cjk(n) && !is_padding(n) && n != '.'
                        })
                    };
                    !(i > 0 && ok_neighbour(chars.get(i - 1)) && ok_neighbour(chars.get(i + 1)))
                }
                0xFEFF => i > 0,
                _ => true,
            };
        let code = format!("U+{:04X}", c as u32);
        if counted && !found.contains(&code) {
            found.push(code);
        }
    }
    found
}

/// Han, kana and full-width forms: scripts that never need a zero-width joiner.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
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
    fn web_page_named_as_a_document() {
        for name in [
            "見積依頼書.pdf.html",
            "invoice.PDF.htm",
            "scan.docx.shtml ",
            "a.xlsx.svg",
        ] {
            assert_eq!(rules(&run(&[name])), ["ATTACH_HTML_DISGUISED"], "{name}");
        }
        let f = run(&["見積依頼書.pdf.html"]);
        assert_eq!(f[0].evidence[1].1, "pdf");
        // A lone web page, or a dotted name that is not a document, is ordinary.
        for name in [
            "receipt.html",
            "newsletter.htm",
            "v1.2.html",
            "index.en.html",
            "logo.svg",
            "page.htm.html",
        ] {
            assert!(run(&[name]).is_empty(), "{name}");
        }
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
    fn padding_before_the_real_extension_is_written_out() {
        let f = run(&["請求書.pdf                    .exe"]);
        assert_eq!(
            rules(&f),
            [
                "ATTACH_NAME_PADDING",
                "ATTACH_DANGEROUS_EXTENSION",
                "ATTACH_DOUBLE_EXTENSION"
            ]
        );
        assert_eq!(f[0].evidence[1].1, "請求書.pdf<U+0020 ×20>.exe");
        let f = run(&["invoice.pdf\u{3000}\u{3000}\u{3000}______.scr"]);
        assert_eq!(f[0].evidence[1].1, "invoice.pdf<U+3000 ×3><U+005F ×6>.scr");
        // Short runs, padding before a harmless extension, and names that are all padding.
        assert!(rules(&run(&["a    .exe"])) == ["ATTACH_DANGEROUS_EXTENSION"]);
        assert!(run(&["report          .pdf"]).is_empty());
        assert_eq!(rules(&run(&["      .exe"])), ["ATTACH_DANGEROUS_EXTENSION"]);
    }

    #[test]
    fn invisible_characters_are_named() {
        let f = run(&["請求\u{200B}書.pdf", "a\u{00AD}b\u{2060}.docx"]);
        assert_eq!(
            rules(&f),
            ["ATTACH_INVISIBLE_CHARS", "ATTACH_INVISIBLE_CHARS"]
        );
        assert_eq!(f[0].evidence[1].1, "U+200B");
        assert_eq!(f[1].evidence[1].1, "U+00AD, U+2060");
        // A joiner inside Persian words or emoji sequences, a leading BOM: not a trick.
        assert!(
            run(&[
                "نامه\u{200C}ای.pdf",
                "家族👨\u{200D}👩.jpg",
                "\u{FEFF}memo.txt"
            ])
            .is_empty()
        );
        // A joiner next to ASCII is.
        assert_eq!(
            rules(&run(&["in\u{200D}voice.pdf"])),
            ["ATTACH_INVISIBLE_CHARS"]
        );
    }

    #[test]
    fn documents_are_left_alone() {
        assert!(run(&["見積書.pdf", "report.v2.docx", "noext", ".exe.txt"]).is_empty());
    }
}
