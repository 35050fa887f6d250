//! Archive checks that need the whole message: a protected archive's password written in the
//! body, and archives or disk images that hold nothing but programs.

use crate::checks::Context;
use crate::finding::Finding;
use crate::message::containers::display_name;
use crate::text::file_name::extensions;
use crate::text::hidden::is_hidden_char;

/// Longest password taken from a body, in bytes.
const MAX_PASSWORD: usize = 64;
const MIN_PASSWORD: usize = 4;
/// Names listed in a finding, at most.
const MAX_LISTED: usize = 5;

/// ARCHIVE_PASSWORD_IN_BODY: a password-protected container, and its password in the text.
/// Once per message (the first protected container), since one password opens the lure.
pub fn password_in_body(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(archive) = ctx.msg.attachments.iter().find(|a| a.encrypted) else {
        return;
    };
    let words = &ctx.signatures.lists.password_words;
    let texts = ctx.msg.texts.iter().map(|t| (t.text.clone(), &t.location));
    let htmls = ctx
        .msg
        .htmls
        .iter()
        .map(|h| (html_text(&h.text), &h.location));
    for (text, _) in texts.chain(htmls) {
        if let Some((keyword, password)) = find_password(&text, words) {
            out.push(
                Finding::new("ARCHIVE_PASSWORD_IN_BODY", &archive.location)
                    .with("name", display_name(archive))
                    .with("password", password)
                    .with("keyword", keyword),
            );
            return;
        }
    }
}

/// Words that say a text is about a file (the one a separate password opens).
const FILE_WORDS: &[&str] = &[
    "添付",
    "ファイル",
    "zip",
    "ｚｉｐ",
    "解凍",
    "圧縮",
    "attachment",
    "attached",
    "file",
    "archive",
];

/// CONTENT_SEPARATE_PASSWORD: no protected container here, but the text gives a password for a
/// file — the second mail of a "PPAP" pair (a protected zip, then its password in another mail).
/// Context: Japanese companies still send such pairs; what makes the pair a lure is who sends it
/// (a free mail address posing as an organisation), which the sender rules judge.
pub fn separate_password(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    if msg.attachments.iter().any(|a| a.encrypted) {
        return; // ARCHIVE_PASSWORD_IN_BODY
    }
    // The body text other checks read too (made once per message).
    let text = crate::checks::text::body_text(msg);
    // Cheap test first: most mail speaks of no file. The file words with ASCII case ignored,
    // searched for as written in the text with its ASCII letters lower-cased (the same matches,
    // found with a fast literal search).
    static FILE_FINDER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(FILE_WORDS).ok());
    let lower = crate::checks::text::body_text_ascii_lower(msg);
    if !FILE_FINDER.as_ref().is_some_and(|f| f.is_match(lower)) {
        return;
    }
    // Short keywords (`pw`, `pass`) name too many other things without an archive beside them.
    let strong = |w: &str| !w.is_ascii() || w.len() >= 6;
    let Some((at, keyword, password)) =
        find_password_where(text, &ctx.signatures.lists.password_words, strong)
    else {
        return;
    };
    // A file word must come shortly before the password.
    let before = text[text.floor_char_boundary(at.saturating_sub(300))..at].to_lowercase();
    let Some(file_word) = FILE_WORDS.iter().find(|w| {
        before
            .match_indices(**w)
            .any(|(i, _)| !w.is_ascii() || whole_word(&before, i, i + w.len()))
    }) else {
        return;
    };
    out.push(
        Finding::new("CONTENT_SEPARATE_PASSWORD", "text")
            .with("password", password)
            .with("keyword", keyword)
            .with("file_word", *file_word),
    );
}

/// ARCHIVE_EXECUTABLE_INSIDE: a container whose files all have a dangerous extension.
pub fn executable_inside(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let atts = &ctx.msg.attachments;
    let dangerous = &ctx.signatures.lists.dangerous_extensions;
    for (i, container) in atts.iter().enumerate() {
        let mut names = Vec::new();
        let mut all_dangerous = true;
        for child in atts.iter().filter(|a| a.parent == Some(i)) {
            let name = child.name.as_deref().unwrap_or("");
            let cleaned: String = name.chars().filter(|&c| !is_hidden_char(c)).collect();
            let last = extensions(&cleaned).into_iter().next();
            if !last.is_some_and(|e| dangerous.contains(&e)) {
                all_dangerous = false;
                break;
            }
            names.push(name);
        }
        if all_dangerous && !names.is_empty() {
            let mut listed = names
                .iter()
                .take(MAX_LISTED)
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if names.len() > MAX_LISTED {
                listed.push_str(&format!(", … (+{})", names.len() - MAX_LISTED));
            }
            out.push(
                Finding::new("ARCHIVE_EXECUTABLE_INSIDE", &container.location)
                    .with("name", display_name(container))
                    .with("entries", listed),
            );
        }
    }
}

/// The first "keyword: password" in `text`: the keyword as written and the password.
///
/// After the keyword may come spaces, a parenthesis (`パスワード（半角）`), a separator (`:`, `：`,
/// `=`, `は`, `is`), and an opening quote or bracket. The password is a run of printable ASCII; it
/// must hold a digit or have been quoted, so that "password: sent separately" and "パスワードは
/// 別途お送りします" (the password follows in another mail) are not taken for passwords.
pub fn find_password(
    text: &str,
    words: &std::collections::HashSet<String>,
) -> Option<(String, String)> {
    find_password_where(text, words, |_| true).map(|(_, k, p)| (k, p))
}

/// `find_password` with the keywords `keep` accepts, also giving the keyword's byte offset.
fn find_password_where(
    text: &str,
    words: &std::collections::HashSet<String>,
    keep: impl Fn(&str) -> bool,
) -> Option<(usize, String, String)> {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` index `text`.
    let lower = text.to_ascii_lowercase();
    let mut best: Option<(usize, String, String)> = None;
    for word in words.iter().filter(|w| keep(w)) {
        for at in memchr::memmem::find_iter(lower.as_bytes(), word.as_bytes()) {
            if best.as_ref().is_some_and(|(b, _, _)| *b <= at) {
                break;
            }
            let end = at + word.len();
            if word.is_ascii() && !whole_word(&lower, at, end) {
                continue;
            }
            if let Some(password) = password_after(text.get(end..)?) {
                let keyword = text.get(at..end)?.to_string();
                best = Some((at, keyword, password));
                break;
            }
        }
    }
    best
}

/// Whether `lower[at..end]` is not part of a longer ASCII word.
fn whole_word(lower: &str, at: usize, end: usize) -> bool {
    let before = lower[..at].chars().next_back();
    let after = lower[end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphanumeric())
        && !after.is_some_and(|c| c.is_ascii_alphabetic())
}

fn password_after(rest: &str) -> Option<String> {
    let mut s = rest.trim_start_matches(is_space);
    // A parenthesised note: （半角）, (case-sensitive).
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(inner) = s.strip_prefix(open)
            && let Some(end) = inner.find(close)
            && end <= 40
        {
            s = inner[end + close.len_utf8()..].trim_start_matches(is_space);
        }
    }
    for sep in [":", "：", "=", "＝", "は", "is ", "-", "→"] {
        if let Some(after) = s.strip_prefix(sep) {
            s = after.trim_start_matches(is_space);
            break;
        }
    }
    let mut quoted = false;
    for open in ['「', '『', '"', '“', '\'', '【', '[', '(', '（', '<', '＜'] {
        if let Some(after) = s.strip_prefix(open) {
            s = after.trim_start_matches(is_space);
            quoted = true;
            break;
        }
    }
    let token: String = s
        .chars()
        .take_while(|c| c.is_ascii_graphic())
        .take(MAX_PASSWORD + 1)
        .collect();
    let token = token.trim_end_matches(['.', ',', ';', ')', ']', '"', '\'', '>', '」']);
    let lower = token.to_ascii_lowercase();
    let looks_like_password = (MIN_PASSWORD..=MAX_PASSWORD).contains(&token.len())
        && (quoted || token.bytes().any(|b| b.is_ascii_digit()))
        && !lower.starts_with("http")
        && !lower.starts_with("www.")
        && !lower.contains("://");
    looks_like_password.then(|| token.to_string())
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// The text of an HTML body, roughly: tags become spaces, a few entities are decoded.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::message::{Attachment, Message, TextPart};
    use crate::signatures::Signatures;

    fn words() -> std::collections::HashSet<String> {
        Signatures::embedded().unwrap().lists.password_words
    }

    fn pw(text: &str) -> Option<String> {
        find_password(text, &words()).map(|(_, p)| p)
    }

    #[test]
    fn passwords_in_japanese_and_english_bodies() {
        assert_eq!(
            pw("添付ファイルのパスワード：Ab12cd34 です").as_deref(),
            Some("Ab12cd34")
        );
        assert_eq!(
            pw("パスワードは「kx93mQ」です。").as_deref(),
            Some("kx93mQ")
        );
        assert_eq!(pw("解凍パスワード（半角）: 7781").as_deref(), Some("7781"));
        assert_eq!(pw("ＰＷ と書かず PW：z9y8x7").as_deref(), Some("z9y8x7"));
        assert_eq!(pw("Archive password: 4325").as_deref(), Some("4325"));
        assert_eq!(
            pw("The password is \"invoice\".").as_deref(),
            Some("invoice")
        );
        assert_eq!(
            pw(&html_text("<p>Password:&nbsp;<b>1234</b></p>")).as_deref(),
            Some("1234")
        );
    }

    #[test]
    fn no_password_where_there_is_none() {
        assert_eq!(pw("パスワードは別途お送りします。"), None);
        assert_eq!(pw("Password: sent in a separate mail"), None);
        assert_eq!(
            pw("Your password has expired, reset it at https://x.example/1"),
            None
        );
        assert_eq!(
            pw("Forgot your password? https://a.example/reset?id=123"),
            None
        );
        assert_eq!(pw("A passport number: 12345678"), None);
        assert_eq!(pw("compass: 360"), None);
    }

    fn ctx_run(msg: &Message, check: crate::checks::Check) -> Vec<Finding> {
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let ctx = Context {
            msg,
            signatures: &sigs,
            config: &config,
        };
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }

    fn att(location: &str, parent: Option<usize>, encrypted: bool) -> Attachment {
        Attachment {
            location: location.into(),
            name: Some(location.rsplit(['/', '!']).next().unwrap().into()),
            parent,
            depth: usize::from(parent.is_some()),
            encrypted,
            ..Attachment::default()
        }
    }

    #[test]
    fn password_finding_needs_an_encrypted_archive() {
        let mut msg = Message {
            texts: vec![TextPart {
                location: "1".into(),
                text: "請求書を送付します。パスワード：Qw12er34".into(),
                charset: None,
            }],
            attachments: vec![att("2/請求書.zip", None, false)],
            ..Message::default()
        };
        assert!(ctx_run(&msg, password_in_body).is_empty());
        msg.attachments[0].encrypted = true;
        let f = ctx_run(&msg, password_in_body);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location, "2/請求書.zip");
        assert_eq!(f[0].evidence[1].1, "Qw12er34");
        assert_eq!(f[0].evidence[2].1, "パスワード");
    }

    #[test]
    fn only_programs_inside() {
        let msg = Message {
            attachments: vec![
                att("2/a.zip", None, false),
                att("2/a.zip!/請求書.pdf.lnk", Some(0), false),
                att("3/b.zip", None, false),
                att("3/b.zip!/setup.exe", Some(2), false),
                att("3/b.zip!/readme.txt", Some(2), false),
                att("4/empty.zip", None, false),
            ],
            ..Message::default()
        };
        let f = ctx_run(&msg, executable_inside);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location, "2/a.zip");
        assert_eq!(f[0].evidence[1].1, "`請求書.pdf.lnk`");
    }
}
