//! The explanation as one self-contained HTML page: inline CSS only, no scripts, no external
//! assets, and nothing from the message that a browser could act on (links are text, not
//! anchors; every value is escaped).

use super::{Explanation, Point, Target, ext_meaning, show_name, size_label, target_label, tr};
use crate::{Lang, Verdict};
use std::fmt::Write;

/// Escapes text for an HTML text node (values in an `Explanation` are already made visible).
fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// The Content-Security-Policy of the page: nothing may load or run but our inline style.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE: &str = r#"
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP","Noto Sans JP",Meiryo,sans-serif;margin:0;background:#f3f4f6;color:#1f2937;line-height:1.55}
main{max-width:980px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:1.35rem;margin:0 0 4px}
h2{font-size:1.1rem;margin:0 0 12px;padding-bottom:6px;border-bottom:1px solid #e5e7eb}
h3{font-size:1rem;margin:18px 0 8px;color:#374151}
.verdict{border-radius:10px;padding:18px 22px;margin-bottom:20px;color:#fff}
.verdict p{margin:6px 0 0;font-size:1.05rem}
.verdict .tech{font-size:.8rem;opacity:.85;margin-top:8px}
.v-clean{background:#15803d}.v-warn{background:#b45309}.v-quarantine,.v-reject{background:#b91c1c}
section{background:#fff;border-radius:10px;padding:18px 22px;margin-bottom:18px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #f0f0f0;overflow-wrap:anywhere;word-break:break-word}
th{color:#6b7280;font-weight:600;font-size:.85rem}
table.kv th{width:12.5em}
.m{width:6.5em}
.looks{display:block;font-size:1rem;background:#fef3c7;border-radius:4px;padding:1px 6px;margin:2px 0 6px;width:fit-content}
.b{display:inline-block;min-width:1.6em;padding:0 .45em;margin:0 2px 2px 0;border-radius:999px;background:#dc2626;color:#fff;font-size:.8rem;font-weight:700;text-align:center;line-height:1.6em}
.flag{background:#fef2f2}
.reason code,details.fold code{overflow-wrap:anywhere;word-break:break-all}
details.fold{display:block;margin:2px 0}details.fold summary{cursor:pointer;color:#1d4ed8;font-size:.88rem}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono CJK JP",monospace;font-size:.88rem}
.addr{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.addr>span:not(.b){background:#f3f4f6;border-radius:6px;padding:2px 8px}
.addr>.lbl:not(.b){background:none;color:#6b7280;padding:2px 0;font-size:.8rem}
.bad{color:#b91c1c;font-weight:600}
.muted{color:#6b7280;font-size:.85rem}
pre.excerpt{white-space:pre-wrap;overflow-wrap:anywhere;background:#f9fafb;border:1px solid #e5e7eb;border-radius:6px;padding:10px 12px;margin:0;font-family:inherit;font-size:.92rem}
ol.points{list-style:none;padding:0;margin:0}
ol.points li{border-left:4px solid #dc2626;background:#fffbfb;border-radius:6px;padding:10px 14px;margin:0 0 10px}
ol.points .reason{font-weight:600}
ol.points .explain{margin:6px 0 0}
ol.points .where{margin:6px 0 0}
.ipa{color:#374151;font-size:.9rem;margin:0 0 8px}
footer{color:#6b7280;font-size:.8rem;text-align:center}
"#;

/// One self-contained HTML page (inline CSS only; no scripts, no external assets).
pub fn render_html(e: &Explanation, lang: Lang) -> String {
    let mut h = String::with_capacity(16 * 1024);
    let title = tr(
        lang,
        "What to notice in this message",
        "このメールで気付くべきポイント",
    );
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\
<meta name=\"referrer\" content=\"no-referrer\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body><main>",
        lang.as_str(),
        esc(title)
    );
    verdict_box(&mut h, e, lang, title);
    message_section(&mut h, e, lang);
    if !e.links.is_empty() {
        links_section(&mut h, e, lang);
    }
    if !e.attachments.is_empty() {
        attachments_section(&mut h, e, lang);
    }
    if !e.excerpt.is_empty() {
        let _ = writeln!(
            h,
            "<section><h2>{} {}</h2><pre class=\"excerpt\">{}</pre></section>",
            esc(tr(
                lang,
                "The start of the text (links disabled)",
                "本文の冒頭（リンクは無効化済み）"
            )),
            badges(&e.body_marks),
            esc(&e.excerpt)
        );
    }
    points_section(&mut h, e, lang);
    let _ = writeln!(
        h,
        "<footer>{}</footer></main></body></html>",
        esc(tr(
            lang,
            "Made by lurescreen. Addresses are written as hxxp:// and [.] so that nothing here can be clicked.",
            "lurescreen が作成しました。ここに表示したアドレスは、クリックできないよう hxxp:// や [.] に書き換えてあります。"
        ))
    );
    h
}

fn badges(marks: &[usize]) -> String {
    marks
        .iter()
        .map(|n| format!("<span class=\"b\">{n}</span>"))
        .collect()
}

fn verdict_box(h: &mut String, e: &Explanation, lang: Lang, title: &str) {
    let class = match e.verdict {
        Verdict::Clean => "v-clean",
        Verdict::Warn => "v-warn",
        Verdict::Quarantine => "v-quarantine",
        Verdict::Reject => "v-reject",
    };
    let _ = writeln!(
        h,
        "<div class=\"verdict {class}\"><h1>{}</h1><p>{}</p><div class=\"tech\">{} {} · {} {:.1}</div></div>",
        esc(title),
        esc(&e.summary(lang)),
        esc(tr(lang, "Verdict:", "判定：")),
        esc(e.verdict.label(lang)),
        esc(tr(lang, "score", "スコア")),
        e.score
    );
}

fn row(h: &mut String, label: &str, value_html: &str, marks: &[usize]) {
    let flag = if marks.is_empty() {
        ""
    } else {
        " class=\"flag\""
    };
    let _ = writeln!(
        h,
        "<tr{flag}><th>{}</th><td>{} {value_html}</td></tr>",
        esc(label),
        badges(marks)
    );
}

fn message_section(h: &mut String, e: &Explanation, lang: Lang) {
    let s = &e.sender;
    let _ = writeln!(
        h,
        "<section><h2>{}</h2><table class=\"kv\">",
        esc(tr(lang, "The message", "メールの内容"))
    );
    let mut from = format!("<div class=\"addr\">{}", badges(&e.sender_marks("From")));
    let _ = write!(
        from,
        "<span class=\"lbl\">{}</span><span>{}</span><span class=\"lbl\">{}</span><span class=\"mono\">{}</span>",
        esc(tr(lang, "name shown:", "表示名：")),
        esc(s.display_name.as_deref().unwrap_or("—")),
        esc(tr(lang, "real address:", "実際のアドレス：")),
        esc(s.address.as_deref().unwrap_or("—"))
    );
    from.push_str("</div>");
    row(h, tr(lang, "From", "差出人"), &from, &[]);
    if let Some(d) = &s.domain {
        row(
            h,
            tr(lang, "Sent from domain", "送信元ドメイン"),
            &format!("<span class=\"mono\">{}</span>", esc(d)),
            &[],
        );
    }
    for more in &s.more_from {
        row(
            h,
            tr(lang, "Also From", "差出人（追加）"),
            &format!("<span class=\"mono\">{}</span>", esc(more)),
            &[],
        );
    }
    if let Some(sender) = &s.sender {
        row(
            h,
            tr(lang, "Sender field", "Sender"),
            &format!("<span class=\"mono bad\">{}</span>", esc(sender)),
            &e.sender_marks("Sender"),
        );
    }
    for r in &s.reply_to {
        row(
            h,
            tr(lang, "Replies go to", "返信先 (Reply-To)"),
            &format!("<span class=\"mono bad\">{}</span>", esc(r)),
            &e.sender_marks("Reply-To"),
        );
    }
    if let Some(rp) = &s.return_path {
        row(
            h,
            tr(lang, "Bounces go to", "エラー返送先 (Return-Path)"),
            &format!("<span class=\"mono\">{}</span>", esc(rp)),
            &e.sender_marks("Return-Path"),
        );
    }
    if !s.authentication.is_empty() {
        let list: Vec<String> = s.authentication.iter().map(|a| esc(a)).collect();
        row(
            h,
            tr(lang, "Checked by our server", "自社サーバーの認証結果"),
            &format!("<span class=\"mono\">{}</span>", list.join("<br>")),
            &e.sender_marks("Authentication-Results"),
        );
    }
    if !e.to.is_empty() {
        row(h, tr(lang, "To", "宛先"), &esc(&e.to.join(", ")), &[]);
    }
    if !e.cc.is_empty() {
        row(h, "Cc", &esc(&e.cc.join(", ")), &[]);
    }
    if let Some(d) = &e.date {
        row(
            h,
            tr(lang, "Date", "日時"),
            &esc(&super::show_date(d, lang)),
            &[],
        );
    }
    row(
        h,
        tr(lang, "Subject", "件名"),
        &format!(
            "<strong>{}</strong>",
            esc(e.subject.as_deref().unwrap_or("—"))
        ),
        &e.subject_marks,
    );
    h.push_str("</table></section>\n");
}

fn links_section(h: &mut String, e: &Explanation, lang: Lang) {
    let _ = writeln!(
        h,
        "<section><h2>{}</h2><table><thead><tr><th class=\"m\">#</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(tr(
            lang,
            "Links (not clickable here)",
            "リンク（ここではクリックできません）"
        )),
        esc(tr(lang, "Text you see", "表示されている文字")),
        esc(tr(lang, "Where it really goes", "実際のリンク先")),
    );
    for l in &e.links {
        let flag = if l.marks.is_empty() {
            ""
        } else {
            " class=\"flag\""
        };
        let text = match &l.text {
            Some(t) if !t.trim().is_empty() => esc(t),
            Some(_) => format!(
                "<span class=\"muted\">{}</span>",
                esc(tr(
                    lang,
                    "(no text: an image or blank)",
                    "（文字なし：画像など）"
                ))
            ),
            None => format!(
                "<span class=\"muted\">{}</span>",
                esc(tr(
                    lang,
                    "(address written in the text)",
                    "（本文中のアドレス）"
                ))
            ),
        };
        let dest_class = if l.text_differs || !l.marks.is_empty() {
            "mono bad"
        } else {
            "mono"
        };
        let mut dest = format!(
            "<span class=\"{dest_class}\">{}</span>",
            esc(&l.destination)
        );
        if l.text_differs {
            let _ = write!(
                dest,
                "<br><span class=\"bad\">{}</span>",
                esc(tr(
                    lang,
                    "⚠ not the address shown in the text",
                    "⚠ 表示されているアドレスとは別の場所です"
                ))
            );
        }
        let _ = writeln!(
            h,
            "<tr{flag}><td class=\"m\">{}<br>{}</td><td>{text}</td><td>{dest}</td></tr>",
            l.n,
            badges(&l.marks)
        );
    }
    h.push_str("</tbody></table>");
    if e.links_not_shown > 0 {
        let _ = write!(
            h,
            "<p class=\"muted\">{} {}</p>",
            e.links_not_shown,
            esc(tr(
                lang,
                "more links not listed (repeats, or past the first 40).",
                "件のリンク（重複、または41件目以降）は省略しました。"
            ))
        );
    }
    h.push_str("</section>\n");
}

fn attachments_section(h: &mut String, e: &Explanation, lang: Lang) {
    let _ = writeln!(
        h,
        "<section><h2>{}</h2><table><thead><tr><th class=\"m\">#</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(tr(
            lang,
            "Attachments (not opened)",
            "添付ファイル（開いていません）"
        )),
        esc(tr(
            lang,
            "File name, written out",
            "ファイル名（隠し文字を表示）"
        )),
        esc(tr(lang, "What the name suggests", "名前から受ける印象")),
        esc(tr(lang, "What it really is", "実際の種類")),
    );
    for (i, a) in e.attachments.iter().enumerate() {
        let flag = if a.marks.is_empty() {
            ""
        } else {
            " class=\"flag\""
        };
        let mut name = format!("<span class=\"mono\">{}</span>", esc(&a.name));
        if !a.inside.is_empty() {
            let _ = write!(
                name,
                "<br><span class=\"muted\">{} {}</span>",
                esc(tr(lang, "inside", "格納元：")),
                esc(&a.inside.join(" › "))
            );
        }
        let _ = write!(
            name,
            "<br><span class=\"muted\">{} · {} · <span class=\"mono\">{}</span></span>",
            esc(&a.declared_type),
            size_label(a.size),
            esc(&show_name(&a.location))
        );
        if a.encrypted {
            let _ = write!(
                name,
                "<br><span class=\"bad\">{}</span>",
                esc(tr(lang, "password-protected", "パスワード付き"))
            );
        }
        let mut claim = String::new();
        if let Some(looks) = &a.looks_like {
            let _ = write!(
                claim,
                "<span class=\"muted\">{}</span><span class=\"mono looks\">{}</span>",
                esc(tr(lang, "appears on screen as", "画面上の見え方：")),
                esc(looks)
            );
        }
        if let Some(ext) = &a.claimed_ext {
            let meaning = ext_meaning(ext, lang).unwrap_or("");
            let _ = write!(
                claim,
                "<span class=\"mono\">.{}</span> {}",
                esc(ext),
                esc(meaning)
            );
        }
        let real_class = if a.active { "bad" } else { "" };
        let mut real = format!(
            "<span class=\"{real_class}\">{}</span>",
            esc(if lang == Lang::Ja {
                &a.real_type_ja
            } else {
                &a.real_type
            })
        );
        if let Some(ext) = &a.real_ext
            && a.claimed_ext.as_ref() != Some(ext)
        {
            let _ = write!(
                real,
                "<br>{} <span class=\"mono bad\">.{}</span>",
                esc(tr(lang, "real extension", "本当の拡張子")),
                esc(ext)
            );
        }
        let _ = writeln!(
            h,
            "<tr{flag}><td class=\"m\">A{}<br>{}</td><td>{name}</td><td>{claim}</td><td>{real}</td></tr>",
            i + 1,
            badges(&a.marks)
        );
    }
    h.push_str("</tbody></table>");
    if e.attachments_not_shown > 0 {
        let _ = write!(
            h,
            "<p class=\"muted\">{} {}</p>",
            e.attachments_not_shown,
            esc(tr(
                lang,
                "more files not listed.",
                "件のファイルは省略しました。"
            ))
        );
    }
    h.push_str("</section>\n");
}

fn points_section(h: &mut String, e: &Explanation, lang: Lang) {
    let _ = writeln!(
        h,
        "<section><h2>{}</h2>",
        esc(tr(lang, "Points to notice", "気付くべきポイント"))
    );
    if e.points.is_empty() {
        let _ = write!(
            h,
            "<p>{}</p>",
            esc(tr(
                lang,
                "None: nothing in this message looked like a lure.",
                "ありません：このメールに攻撃メールの特徴は見つかりませんでした。"
            ))
        );
    }
    for (_, points) in e.groups() {
        let Some(first) = points.first() else {
            continue;
        };
        let _ = writeln!(
            h,
            "<h3>{}</h3><p class=\"ipa\">{}</p><ol class=\"points\">",
            esc(ipa_heading(first, lang)),
            esc(first.ipa_title(lang))
        );
        for p in points {
            point(h, e, p, lang);
        }
        h.push_str("</ol>\n");
    }
    if e.points_not_shown > 0 {
        let _ = write!(
            h,
            "<p class=\"muted\">{} {}</p>",
            e.points_not_shown,
            esc(tr(
                lang,
                "more points not listed.",
                "件のポイントは省略しました。"
            ))
        );
    }
    h.push_str("</section>\n");
}

/// A short heading for an IPA point group.
pub(crate) fn ipa_heading(p: &Point, lang: Lang) -> &'static str {
    match p.ipa.as_str() {
        "sender" => tr(lang, "The sender", "差出人"),
        "link" => tr(lang, "Links", "リンク"),
        "attachment" => tr(lang, "Attachments", "添付ファイル"),
        "content" => tr(lang, "The text", "本文"),
        "structure" => tr(lang, "How the message is built", "メールの構造"),
        _ => tr(lang, "Other signs", "その他"),
    }
}

/// Quoted data longer than this many characters is shown folded, the whole of it one click away
/// (a shortcut's PowerShell command line with a base64 payload runs to thousands).
const FOLD_CHARS: usize = 120;

/// A reason as HTML: the data from the message that reasons quote in backticks shown as code,
/// wrapping anywhere, and folded past `FOLD_CHARS` into its first characters and a
/// `<details>` with the whole text.
fn reason_html(reason: &str, lang: Lang) -> String {
    let parts: Vec<&str> = reason.split('`').collect();
    if parts.len() < 3 {
        return esc(reason);
    }
    let mut out = String::with_capacity(reason.len() + 32);
    let last_quoted = if parts.len() % 2 == 1 {
        parts.len()
    } else {
        // An odd backtick: the text after it is shown as it is.
        parts.len() - 1
    };
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 || i >= last_quoted {
            if i >= last_quoted {
                out.push('`');
            }
            out.push_str(&esc(part));
        } else if part.chars().count() > FOLD_CHARS {
            let head: String = part.chars().take(FOLD_CHARS - 20).collect();
            let _ = write!(
                out,
                "<code>{}…</code><details class=\"fold\"><summary>{}</summary><code>{}</code></details>",
                esc(&head),
                esc(&match lang {
                    Lang::En => format!("show all {} characters", part.chars().count()),
                    Lang::Ja => format!("全文（{} 文字）を表示", part.chars().count()),
                }),
                esc(part)
            );
        } else {
            let _ = write!(out, "<code>{}</code>", esc(part));
        }
    }
    out
}

fn point(h: &mut String, e: &Explanation, p: &Point, lang: Lang) {
    let where_ = match &p.target {
        Target::Message => format!("{} ({})", target_label(e, &p.target, lang), p.location),
        t => target_label(e, t, lang),
    };
    let _ = write!(
        h,
        "<li><span class=\"b\">{}</span> <span class=\"reason\">{}</span>",
        p.n,
        reason_html(p.reason(lang), lang)
    );
    let explanation = p.explanation(lang);
    if !explanation.is_empty() {
        let paras: Vec<String> = explanation.lines().map(esc).collect();
        let _ = write!(h, "<p class=\"explain\">{}</p>", paras.join("<br>"));
    }
    let _ = writeln!(
        h,
        "<p class=\"where muted\">{} {} · <code>{}</code></p></li>",
        esc(tr(lang, "Where:", "場所：")),
        esc(&where_),
        esc(&p.rule)
    );
}

#[cfg(test)]
mod reason_tests {
    use super::*;

    /// Issue 18 item 10: a long evidence string (a shortcut's PowerShell line with a base64
    /// payload) no longer runs off the page: it wraps, folded, the whole of it one click away.
    #[test]
    fn long_quoted_data_is_folded_and_short_data_is_code() {
        let payload = "A".repeat(3000);
        let reason = format!("shortcut `a.lnk` runs `powershell -enc {payload}` on open");
        let html = reason_html(&reason, Lang::En);
        assert!(html.starts_with("shortcut <code>a.lnk</code> runs <code>powershell -enc AAA"));
        assert!(
            html.contains("<details class=\"fold\"><summary>show all 3016 characters</summary>")
        );
        assert!(html.contains(&payload), "the whole text is kept");
        let shown = &html[..html.find("<details").unwrap()];
        assert!(shown.len() < 200, "folded: {shown}");
        assert_eq!(
            reason_html("no quotes <b>", Lang::En),
            "no quotes &lt;b&gt;"
        );
        assert_eq!(
            reason_html("a `b` c ` d", Lang::Ja),
            "a <code>b</code> c ` d"
        );
    }
}
