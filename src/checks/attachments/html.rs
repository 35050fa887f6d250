//! HTML (and SVG) attachments: the "document viewer" lure (password forms, redirects, HTML
//! smuggling, scripts in pictures). The reader (`formats::html`) gives the facts; this module
//! judges them. The analysis runs in the container stage (`open`, registered in
//! `engine::openers::ALL`), which also hands smuggled payloads and large `data:` URLs on as
//! attachments of their own (`2/view.html!/invoice.zip`) and redirect and form targets on as
//! links; HTML files nested deeper than expansion goes are analysed by `check` (findings only).

use super::display_name;
use crate::checks::Context;
use crate::finding::Finding;
use crate::formats::html::{Analysis, MAX_HTML_BYTES, analyse, shorten};
use crate::message::opener::{Budget, Child, Opened};
use crate::message::{Attachment, Link};
use std::collections::HashSet;

/// Whether an attachment is a web page or an SVG picture (`formats::html::is_html`).
pub fn is_html(att: &Attachment) -> bool {
    crate::formats::html::is_html(att.name.as_deref(), &att.content_type, &att.data)
}

/// An SVG picture rather than a page.
fn is_svg(att: &Attachment) -> bool {
    crate::formats::html::is_svg(att.name.as_deref(), &att.content_type, &att.data)
}

/// The container stage's opener: analyses an HTML file, reports its findings, hands on the files
/// it carries as children and its redirect and form targets as links. The names of smuggled
/// files are judged by the scan's `lists/smuggled_extensions.txt` (`Budget::lists`).
pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    if !is_html(att) {
        return false;
    }
    let none = HashSet::new();
    let smuggled = budget.lists.map_or(&none, |l| &l.smuggled_extensions);
    let mut analysis = analyse(&att.data, is_svg(att), smuggled, &mut budget.bytes_left);
    out.findings.extend(findings(att, &analysis));
    out.findings.extend(over_size(att));
    for payload in std::mem::take(&mut analysis.payloads) {
        if budget.entries_left == 0 {
            break;
        }
        budget.entries_left -= 1;
        out.children.push(Child {
            name: payload.name,
            data: payload.data,
            content_type: None,
        });
    }
    let targets = [
        analysis.redirect.as_ref().map(|r| r.url.clone()),
        analysis.password_form.as_ref().and_then(|f| f.url.clone()),
    ];
    for href in targets.into_iter().flatten() {
        out.links.push(Link::new(href, None, String::new()));
    }
    true
}

/// HTML files that the container stage did not reach (nested deeper than
/// `limits.max_container_depth`): findings only.
pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let max_depth = ctx.config.limits.max_container_depth;
    for att in &ctx.msg.attachments {
        if att.depth < max_depth || !is_html(att) {
            continue;
        }
        if ctx.out_of_time("attachments.html", &att.location, out) {
            break;
        }
        let mut bytes_left = ctx.config.limits.max_expanded_bytes.min(64 * 1024 * 1024);
        let smuggled = &ctx.signatures.lists.smuggled_extensions;
        let analysis = analyse(&att.data, is_svg(att), smuggled, &mut bytes_left);
        out.extend(findings(att, &analysis));
        out.extend(over_size(att));
    }
}

/// LIMIT_TEXT for a file longer than `MAX_HTML_BYTES`: a form or script past the padding was
/// not read.
fn over_size(att: &Attachment) -> Option<Finding> {
    (att.data.len() > MAX_HTML_BYTES).then(|| {
        Finding::new("LIMIT_TEXT", &att.location)
            .with("part", display_name(att))
            .with("kind", "HTML attachment")
            .with("bytes", att.data.len().to_string())
            .with("limit", MAX_HTML_BYTES.to_string())
    })
}

/// The findings for one analysed HTML file.
pub fn findings(att: &Attachment, a: &Analysis) -> Vec<Finding> {
    let file = display_name(att);
    let new = |rule: &'static str| Finding::new(rule, &att.location).with("file", file.clone());
    let mut out = Vec::new();
    if let Some(form) = &a.password_form {
        let (en, ja) = match (&form.target, form.by_script) {
            (Some(t), false) => (
                format!("sends what is typed to {t}"),
                format!("入力内容を {t} へ送信します"),
            ),
            (Some(t), true) => (
                format!("has a script send what is typed to {t}"),
                format!("入力内容をスクリプトで {t} へ送信します"),
            ),
            (None, _) => (
                "names no address: a script sends what is typed".to_string(),
                "送信先は書かれておらず、スクリプトが入力内容を送信します".to_string(),
            ),
        };
        out.push(
            new("ATTACH_HTML_PASSWORD_FORM")
                .with("target", form.target.clone().unwrap_or_else(|| "-".into()))
                .with("sends_en", en)
                .with("sends_ja", ja),
        );
    }
    if let Some(s) = &a.smuggling {
        out.push(
            new("ATTACH_HTML_SMUGGLING")
                .with("signs", s.signs.join(", "))
                .with(
                    "saved_as",
                    s.saved_as
                        .clone()
                        .unwrap_or_else(|| "(no name given)".into()),
                ),
        );
    }
    if let Some(r) = &a.redirect {
        out.push(
            new("ATTACH_HTML_REDIRECT")
                .with("url", shorten(&r.url))
                .with("how", r.how.clone()),
        );
    }
    if let Some(d) = a.data_urls.first() {
        out.push(
            new("ATTACH_HTML_DATA_URL")
                .with("count", a.data_urls.len().to_string())
                .with("mime", d.mime.clone())
                .with("bytes", d.bytes.to_string())
                .with("real", d.real.clone()),
        );
    }
    if !a.svg_script.is_empty() {
        out.push(new("ATTACH_HTML_SVG_SCRIPT").with("signs", a.svg_script.join(", ")));
    }
    if !a.hidden_markup.is_empty() {
        out.push(new("ATTACH_HTML_OBFUSCATED").with("how", a.hidden_markup.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests;
