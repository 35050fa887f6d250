//! The explanation as text for a terminal or a plain-text mail.

use super::html::ipa_heading;
use super::{Explanation, ext_meaning, size_label, target_label, tr};
use crate::lang::Lang;
use std::fmt::Write;

fn marks(m: &[usize]) -> String {
    if m.is_empty() {
        return String::new();
    }
    let list: Vec<String> = m.iter().map(|n| n.to_string()).collect();
    format!("  [!{}]", list.join(","))
}

pub fn render_text(e: &Explanation, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({} {:.1})",
        tr(lang, "VERDICT:", "判定："),
        e.verdict.label(lang).to_uppercase(),
        tr(lang, "score", "スコア"),
        e.score
    );
    let _ = writeln!(out, "{}\n", e.summary(lang));
    message(&mut out, e, lang);
    if !e.links.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            tr(lang, "LINKS (defanged)", "リンク（無効化して表示）")
        );
        for l in &e.links {
            let text = match l.text.as_deref() {
                Some(t) => format!("\"{}\"", t.trim()),
                None => tr(lang, "(address in the text)", "（本文中のアドレス）").to_string(),
            };
            let _ = writeln!(out, "  {}. {}{}", l.n, text, marks(&l.marks));
            let _ = writeln!(
                out,
                "     -> {}{}",
                l.destination,
                if l.text_differs {
                    tr(
                        lang,
                        "   (not the address shown!)",
                        "   （表示とは別のアドレス！）",
                    )
                } else {
                    ""
                }
            );
        }
        if e.links_not_shown > 0 {
            let _ = writeln!(
                out,
                "  (+{} {})",
                e.links_not_shown,
                tr(lang, "more", "件省略")
            );
        }
    }
    if !e.attachments.is_empty() {
        let _ = writeln!(out, "\n{}", tr(lang, "ATTACHMENTS", "添付ファイル"));
        for (i, a) in e.attachments.iter().enumerate() {
            let _ = writeln!(out, "  A{}. {}{}", i + 1, a.name, marks(&a.marks));
            if !a.inside.is_empty() {
                let _ = writeln!(
                    out,
                    "      {} {}",
                    tr(lang, "inside:", "格納元："),
                    a.inside.join(" > ")
                );
            }
            if let Some(looks) = &a.looks_like {
                let _ = writeln!(
                    out,
                    "      {} {}",
                    tr(lang, "appears as:", "見え方："),
                    looks
                );
            }
            if let Some(ext) = &a.claimed_ext {
                let _ = writeln!(
                    out,
                    "      {} .{} {}",
                    tr(lang, "name suggests:", "名前から受ける印象："),
                    ext,
                    ext_meaning(ext, lang).unwrap_or("")
                );
            }
            if let Some(ext) = &a.real_ext
                && a.claimed_ext.as_ref() != Some(ext)
            {
                let _ = writeln!(
                    out,
                    "      {} .{ext}",
                    tr(lang, "real extension:", "本当の拡張子：")
                );
            }
            let _ = writeln!(
                out,
                "      {} {}{} ({}, {})",
                tr(lang, "really:", "実際の種類："),
                if lang == Lang::Ja {
                    &a.real_type_ja
                } else {
                    &a.real_type
                },
                if a.encrypted {
                    tr(lang, ", password-protected", "、パスワード付き")
                } else {
                    ""
                },
                a.declared_type,
                size_label(a.size)
            );
        }
    }
    if !e.excerpt.is_empty() {
        let _ = writeln!(
            out,
            "\n{}{}",
            tr(lang, "TEXT (start)", "本文（冒頭）"),
            marks(&e.body_marks)
        );
        for line in e.excerpt.lines() {
            let _ = writeln!(out, "  | {line}");
        }
    }
    points(&mut out, e, lang, true);
    out
}

fn message(out: &mut String, e: &Explanation, lang: Lang) {
    let s = &e.sender;
    let _ = writeln!(
        out,
        "{} {} | {} {}{}",
        tr(lang, "From:     name shown:", "差出人：  表示名："),
        s.display_name.as_deref().unwrap_or("-"),
        tr(lang, "real address:", "実際のアドレス："),
        s.address.as_deref().unwrap_or("-"),
        marks(&e.sender_marks("From"))
    );
    if let Some(d) = &s.domain {
        let _ = writeln!(out, "{} {d}", tr(lang, "Domain:  ", "ドメイン："));
    }
    for m in &s.more_from {
        let _ = writeln!(out, "{} {m}", tr(lang, "Also From:", "差出人（追加）："));
    }
    if let Some(x) = &s.sender {
        let _ = writeln!(out, "Sender:   {x}{}", marks(&e.sender_marks("Sender")));
    }
    for r in &s.reply_to {
        let _ = writeln!(
            out,
            "{} {r}{}",
            tr(lang, "Reply-To:", "返信先："),
            marks(&e.sender_marks("Reply-To"))
        );
    }
    if let Some(rp) = &s.return_path {
        let _ = writeln!(
            out,
            "Return-Path: {rp}{}",
            marks(&e.sender_marks("Return-Path"))
        );
    }
    let auth_marks = marks(&e.sender_marks("Authentication-Results"));
    for a in &s.authentication {
        let _ = writeln!(
            out,
            "{} {a}{auth_marks}",
            tr(lang, "Auth:    ", "認証結果：")
        );
    }
    if !e.to.is_empty() {
        let _ = writeln!(
            out,
            "{} {}",
            tr(lang, "To:      ", "宛先："),
            e.to.join(", ")
        );
    }
    if !e.cc.is_empty() {
        let _ = writeln!(out, "Cc:       {}", e.cc.join(", "));
    }
    if let Some(d) = &e.date {
        let _ = writeln!(
            out,
            "{} {}",
            tr(lang, "Date:    ", "日時："),
            super::show_date(d, lang)
        );
    }
    let _ = writeln!(
        out,
        "{} {}{}",
        tr(lang, "Subject: ", "件名："),
        e.subject.as_deref().unwrap_or("-"),
        marks(&e.subject_marks)
    );
}

/// The points to notice, grouped by IPA point; with `long`, each with its staff explanation.
pub(crate) fn points(out: &mut String, e: &Explanation, lang: Lang, long: bool) {
    let _ = writeln!(
        out,
        "\n{}",
        tr(lang, "POINTS TO NOTICE", "気付くべきポイント")
    );
    if e.points.is_empty() {
        let _ = writeln!(out, "  {}", tr(lang, "none", "なし"));
    }
    for (_, list) in e.groups() {
        let Some(first) = list.first() else {
            continue;
        };
        let _ = writeln!(
            out,
            "\n[{}] {}",
            ipa_heading(first, lang),
            first.ipa_title(lang)
        );
        for p in list {
            let _ = writeln!(out, "  {}. {}", p.n, quoted(p.reason(lang), lang));
            if long {
                for line in p.explanation(lang).lines() {
                    let _ = writeln!(out, "     {line}");
                }
            }
            let _ = writeln!(
                out,
                "     ({} {}; {})",
                tr(lang, "where:", "場所："),
                target_label(e, &p.target, lang),
                p.rule
            );
        }
    }
    if e.points_not_shown > 0 {
        let _ = writeln!(
            out,
            "  (+{} {})",
            e.points_not_shown,
            tr(lang, "more", "件省略")
        );
    }
}

/// Data from the message is marked with backticks in reasons; plain text in Japanese shows it
/// in 「」 as Japanese writing does (English keeps the backticks; HTML shows code).
fn quoted(reason: &str, lang: Lang) -> std::borrow::Cow<'_, str> {
    if lang != Lang::Ja || reason.matches('`').count() < 2 {
        return reason.into();
    }
    let mut out = String::with_capacity(reason.len() + 8);
    let pairs = reason.matches('`').count() / 2;
    let mut open = false;
    let mut seen = 0;
    let mut chars = reason.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '`' && (open || seen < pairs * 2) {
            if open {
                out.push('」');
                // 「…」 needs no space after it, as it needs none before.
                if chars.peek() == Some(&' ') {
                    chars.next();
                }
            } else {
                if out.ends_with(' ') {
                    out.pop();
                }
                out.push('「');
            }
            open = !open;
            seen += 1;
        } else {
            out.push(c);
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_reasons_quote_data_in_corner_brackets() {
        assert_eq!(
            quoted("添付ファイル `a b.pdf.exe` はプログラムです", Lang::Ja),
            "添付ファイル「a b.pdf.exe」はプログラムです"
        );
        assert_eq!(quoted("file `a.exe` is", Lang::En), "file `a.exe` is");
        // An odd backtick (inside the data) is left as it is.
        assert_eq!(quoted("`a` と ` b", Lang::Ja), "「a」と ` b");
    }

    #[test]
    fn japanese_dates_are_written_as_japanese_dates() {
        assert_eq!(
            super::super::show_date("2026-11-25T13:10:50+09:00", Lang::Ja),
            "2026年11月25日 13:10:50（UTC+09:00）"
        );
        assert_eq!(
            super::super::show_date("2026-11-25T04:10:50Z", Lang::Ja),
            "2026年11月25日 04:10:50（UTC）"
        );
        assert_eq!(super::super::show_date("yesterday", Lang::Ja), "yesterday");
        assert_eq!(
            super::super::show_date("2026-11-25T04:10:50Z", Lang::En),
            "2026-11-25T04:10:50Z"
        );
    }
}
