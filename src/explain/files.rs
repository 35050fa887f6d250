//! Attachments as staff should see them: the name with its tricks written out, how it looks on
//! screen, the extension it claims and the real type of its bytes.

use super::{AttachmentView, Explanation, MAX_ATTACHMENTS};
use crate::formats::sniff::{self, Risk};
use crate::lang::Lang;
use crate::message::{Attachment, Message};
use crate::signatures::Lists;
use crate::text::hidden::{is_blank, is_hidden_char, visible};
use std::collections::HashSet;

pub(super) fn attachments(msg: &Message, lists: &Lists, e: &mut Explanation) {
    e.attachments_not_shown = msg.attachments.len().saturating_sub(MAX_ATTACHMENTS);
    for att in msg.attachments.iter().take(MAX_ATTACHMENTS) {
        e.attachments
            .push(attachment_view(att, msg, &lists.hidden_extensions));
    }
}

/// `hidden`: the extensions Windows hides (`lists/hidden_extensions.txt`).
fn attachment_view(att: &Attachment, msg: &Message, hidden: &HashSet<String>) -> AttachmentView {
    let raw_name = att
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            att.location
                .rsplit(['/', '!'])
                .next()
                .unwrap_or("")
                .to_string()
        });
    let name = show_name(&raw_name);
    let on_screen = on_screen(&raw_name);
    let real_ext = extensions(&raw_name).first().cloned();
    let claimed_ext = claimed_extension(&raw_name, &on_screen, hidden);
    let mut looks_like = (on_screen != name && !on_screen.is_empty()).then(|| on_screen.clone());
    // Windows hides the extension of programs: `請求書.pdf.exe` shows as `請求書.pdf`.
    if looks_like.is_none()
        && let (Some(real), Some(claimed)) = (&real_ext, &claimed_ext)
        && real != claimed
        && let Some(stem) = on_screen.strip_suffix(&format!(".{real}"))
    {
        looks_like = Some(stem.to_string());
    }
    let sniffed = sniff::sniff(&att.data);
    let mut inside = Vec::new();
    let mut parent = att.parent;
    let mut guard = 0;
    while let Some(p) = parent
        && guard < 16
    {
        guard += 1;
        let Some(container) = msg.attachments.get(p) else {
            break;
        };
        inside.push(show_name(
            container
                .name
                .as_deref()
                .unwrap_or(container.location.as_str()),
        ));
        parent = container.parent;
    }
    inside.reverse();
    AttachmentView {
        name,
        looks_like,
        claimed_ext,
        real_ext,
        real_type: sniffed.label(),
        real_type_ja: sniffed.label_ja(),
        active: sniffed.risk() == Risk::Active,
        declared_type: visible(&att.content_type),
        size: att.data.len(),
        location: att.location.clone(),
        inside,
        encrypted: att.encrypted,
        marks: Vec::new(),
    }
}

/// A file name with hidden characters written as `<U+XXXX>` and runs of three or more blanks
/// as `<U+0020 ×20>`, so padding that pushes the extension out of sight is seen.
pub fn show_name(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().take(300).collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let run = chars
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&d| d == c)
            .count();
        if is_blank(c) && run >= 3 {
            out.push_str(&format!("<U+{:04X} ×{run}>", c as u32));
            i += run;
            continue;
        }
        if c != ' ' && (is_blank(c) || is_hidden_char(c)) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
        i += 1;
    }
    if name.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// Roughly how a name appears in a file listing: a right-to-left override reverses what follows
/// it, and a long run of blanks hides whatever comes after it.
pub(super) fn on_screen(name: &str) -> String {
    let mut shown = String::new();
    let mut rest = name;
    while let Some(at) = rest.find(['\u{202E}', '\u{202D}']) {
        shown.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 3..).unwrap_or("");
        let end = after.find('\u{202C}').unwrap_or(after.len());
        let span = after.get(..end).unwrap_or("");
        if rest.get(at..at + 3) == Some("\u{202E}") {
            shown.extend(span.chars().rev());
        } else {
            shown.push_str(span);
        }
        rest = after.get(end..).unwrap_or("");
        rest = rest.strip_prefix('\u{202C}').unwrap_or(rest);
    }
    shown.push_str(rest);
    // Padding: what a listing shows before the run of blanks (the extension scrolls away).
    let chars: Vec<char> = shown.chars().collect();
    let mut cut = None;
    let mut i = 0;
    while i < chars.len() {
        let run = chars
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&c| is_blank(c))
            .count();
        if run >= 5 && i > 0 {
            cut = Some(i);
            break;
        }
        i += run.max(1);
    }
    let shown: String = match cut {
        Some(i) => chars.iter().take(i).collect(),
        None => shown,
    };
    let visible_only: String = shown.chars().filter(|&c| !is_hidden_char(c)).collect();
    show_name(&visible_only)
}

/// Extensions of a name worth showing, last first, lower-cased (`a.pdf.exe` → `exe`, `pdf`):
/// hidden characters ignored, at most three, each short and made of letters and digits.
fn extensions(name: &str) -> Vec<String> {
    let cleaned: String = name.chars().filter(|&c| !is_hidden_char(c)).collect();
    crate::text::file_name::extensions(&cleaned)
        .into_iter()
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_alphanumeric()))
        .take(3)
        .collect()
}

/// The extension the reader is led to believe in: the one before the last when the last is one
/// Windows hides by default (`hidden`, `lists/hidden_extensions.txt`), so the one before it is
/// what the reader sees.
pub(super) fn claimed_extension(
    raw: &str,
    on_screen: &str,
    hidden: &HashSet<String>,
) -> Option<String> {
    let seen = extensions(on_screen);
    let first = seen.first()?;
    let real = extensions(raw);
    if real.first() == Some(first)
        && hidden.contains(first)
        && let Some(before) = seen.get(1)
    {
        return Some(before.clone());
    }
    Some(first.clone())
}

/// What a claimed extension says the file is.
pub fn ext_meaning(ext: &str, lang: Lang) -> Option<&'static str> {
    let (en, ja) = match ext {
        "pdf" => ("PDF document", "PDF文書"),
        "doc" | "docx" | "docm" | "rtf" => ("Word document", "Word文書"),
        "xls" | "xlsx" | "xlsm" | "csv" => ("Excel spreadsheet", "Excelファイル"),
        "ppt" | "pptx" | "pptm" => ("PowerPoint presentation", "PowerPointファイル"),
        "jtd" => ("Ichitaro document", "一太郎文書"),
        "txt" => ("text file", "テキストファイル"),
        "jpg" | "jpeg" | "png" | "gif" | "bmp" => ("picture", "画像"),
        "zip" | "lzh" | "rar" | "7z" => ("archive", "圧縮ファイル"),
        "exe" | "scr" | "com" | "pif" | "cpl" | "msi" => ("program", "プログラム"),
        "js" | "jse" | "vbs" | "vbe" | "wsf" | "hta" | "bat" | "cmd" | "ps1" => {
            ("script (a program)", "スクリプト（プログラム）")
        }
        "lnk" => (
            "shortcut that runs a command",
            "コマンドを実行するショートカット",
        ),
        "iso" | "img" | "vhd" | "vhdx" => ("disk image", "ディスクイメージ"),
        "html" | "htm" => ("web page", "Webページ"),
        _ => return None,
    };
    Some(match lang {
        Lang::En => en,
        Lang::Ja => ja,
    })
}
