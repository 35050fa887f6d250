//! PDF attachments: scripts that run on open, launch actions, embedded files, links, lures,
//! obfuscation and damage. A file is a PDF by its bytes (`%PDF-` in the first 1024), whatever
//! its name, unless it starts as an archive, disk image or OLE file: those are opened as what they
//! start as, and a PDF stored near their start is analysed as the file inside them it is.
//!
//! The reader (`formats::pdf`) gives the facts: a raw byte scan, lopdf's object model and, for
//! damaged files, the recovery view; this module judges them. The analysis runs once, in the
//! container expansion stage (`open`, registered in `engine::openers::ALL`), which reports the
//! findings, hands the embedded files on as attachments of their own (`2/a.pdf!/payload.exe`)
//! and the link targets on as the message's links. PDFs nested deeper than expansion goes are
//! analysed by the check `check` instead (findings only). Which files are PDFs (`is_pdf`) is
//! decided here: it depends on the container formats the message layer opens first.

use crate::checks::Context;
use crate::finding::Finding;
use crate::formats::pdf::{Analysis, MAX_MODEL_BYTES, MAX_MODEL_OBJECTS, analyse};
use crate::formats::pdf::{javascript, model, raw, recover};
use crate::message::opener::{Budget, Child, Opened};
use crate::message::{Attachment, Link};
use model::Model;
use raw::RawScan;
use recover::Recovery;

/// What the check (for PDFs expansion did not reach) may decompress per file.
const CHECK_DECODE_BYTES: u64 = 64 * 1024 * 1024;
/// Characters of a script shown in a reason.
const SNIPPET_CHARS: usize = 80;
/// Trailing bytes after `%%EOF` that count as data (a few stray bytes are common).
const AFTER_EOF_MIN: usize = 32;

/// Whether `data` is a PDF: `%PDF-` within its first 1024 bytes, in a file that does not start as
/// an archive, disk image or OLE file. Without that exception a zip, RAR, 7z, tar or OLE file whose
/// first stored member is a PDF was taken for that PDF, and the rest of it (an `.exe` beside the
/// PDF) was never opened.
pub fn is_pdf(data: &[u8]) -> bool {
    match raw::header_offset(data) {
        Some(0) => true,
        Some(_) => {
            crate::message::containers::format_of(data).is_none()
                && !crate::formats::office::ole::is_ole(data)
        }
        None => false,
    }
}

/// The expansion stage's opener: analyses a PDF, reports its findings, lists its embedded files
/// as children and its link targets as links.
pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    if !is_pdf(&att.data) {
        return false;
    }
    let mut analysis = analyse(&att.data, &mut budget.bytes_left, true);
    out.findings.extend(findings(att, &analysis));
    if let Ok(model) = &mut analysis.model {
        for file in std::mem::take(&mut model.embedded) {
            if budget.entries_left == 0 {
                out.findings.push(
                    Finding::new("PDF_PARTLY_ANALYSED", &att.location)
                        .with("file", file_label(att))
                        .with(
                            "detail",
                            "the message's limit on files inside containers was reached; \
                             further embedded files were not extracted",
                        ),
                );
                break;
            }
            budget.entries_left -= 1;
            out.children.push(Child {
                name: file.name,
                data: file.data,
                content_type: None,
            });
        }
        out.links.extend(
            std::mem::take(&mut model.uris)
                .into_iter()
                .map(|href| Link::new(href, None, String::new())),
        );
    }
    true
}

/// The check: PDFs that the expansion stage did not open (nested deeper than
/// `limits.max_container_depth`) are analysed here, findings only.
pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let max_depth = ctx.config.limits.max_container_depth;
    for att in &ctx.msg.attachments {
        if att.depth < max_depth || !is_pdf(&att.data) {
            continue;
        }
        if ctx.out_of_time("attachments.pdf", &att.location, out) {
            break;
        }
        let mut bytes_left = ctx.config.limits.max_expanded_bytes.min(CHECK_DECODE_BYTES);
        let analysis = analyse(&att.data, &mut bytes_left, false);
        out.extend(findings(att, &analysis));
    }
}

fn file_label(att: &Attachment) -> String {
    att.name.clone().unwrap_or_else(|| att.location.clone())
}

/// What a script run on open is shown as in a reason: its first characters in backticks, or,
/// when its object holds no readable text (empty, undecodable, a string left open, or the file
/// too damaged to find it), a sentence saying so, not an empty quote. The Japanese goes in
/// `script_ja`.
const NO_SCRIPT_TEXT: (&str, &str) = (
    "the script object is empty or unreadable",
    "スクリプトのオブジェクトは空か、読み取れません",
);

fn with_script(finding: Finding, text: Option<&str>) -> Finding {
    match text.map(snippet).filter(|s| !s.is_empty()) {
        Some(s) => finding.with("script", format!("`{}`", s.replace('`', "'"))),
        None => finding
            .with("script", NO_SCRIPT_TEXT.0)
            .with("script_ja", NO_SCRIPT_TEXT.1),
    }
}

/// A script's first characters on one line, for a reason.
fn snippet(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// The findings for one analysed PDF.
pub fn findings(att: &Attachment, a: &Analysis) -> Vec<Finding> {
    let file = file_label(att);
    let at = att.location.as_str();
    let mut out = Vec::new();
    let raw = &a.raw;
    let keywords = Some(raw.summary())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "-".into());
    let new = |rule: &'static str| Finding::new(rule, at).with("file", file.clone());

    if raw.obfuscated_total() > 0 {
        out.push(
            new("PDF_NAME_OBFUSCATION")
                .with("count", raw.obfuscated_total().to_string())
                .with("examples", raw.obfuscated_examples.join(" ")),
        );
    }
    if let Some(offset) = raw.header_offset.filter(|&o| o > 0) {
        out.push(new("PDF_HEADER_OFFSET").with("offset", offset.to_string()));
    }
    if raw.after_eof >= AFTER_EOF_MIN {
        out.push(new("PDF_DATA_AFTER_EOF").with("bytes", raw.after_eof.to_string()));
    }

    match &a.model {
        Ok(model) => model_findings(model, raw, &keywords, &new, &mut out),
        Err(why) => {
            out.push(new("PDF_PARTLY_ANALYSED").with("detail", why.as_str()));
            // What the bytes alone can tell.
            if raw.count("Encrypt") > 0 {
                out.push(new("PDF_ENCRYPTED"));
            }
            let js = raw.count("JS") + raw.count("JavaScript");
            // /AA alone is every form field's format script; /OpenAction with a script is the
            // mark of a crafted file. The recovery view, when it joined them, says better.
            let joined = a.recovery.as_ref().is_some_and(Recovery::autorun);
            if js > 0 && raw.count("OpenAction") > 0 && !joined {
                out.push(with_script(
                    new("PDF_AUTORUN_JAVASCRIPT")
                        .with("trigger", "/OpenAction (seen in the raw bytes)")
                        .with("keywords", keywords.clone()),
                    None,
                ));
            } else if js > 0 {
                out.push(
                    new("PDF_JAVASCRIPT")
                        .with("count", js.to_string())
                        .with("keywords", keywords.clone()),
                );
            }
            if raw.count("Launch") > 0 {
                out.push(
                    new("PDF_LAUNCH")
                        .with("target", "(unreadable)")
                        .with("params", ""),
                );
            }
            if raw.count("EmbeddedFile") > 0 {
                out.push(
                    new("PDF_EMBEDDED_FILE")
                        .with("count", raw.count("EmbeddedFile").to_string())
                        .with("names", "(unreadable)"),
                );
            }
        }
    }
    if let Some(rec) = &a.recovery {
        recovery_findings(a, rec, &keywords, &new, &mut out);
    }
    settle_autorun(&att.data, a, &mut out);
    out
}

/// The signs, besides running on open, that a PDF's script attacks: each a fixed English
/// phrase for the evidence `why` (translated in `lists/evidence_ja.txt`).
fn attack_signs(data: &[u8], a: &Analysis, out: &[Finding]) -> Vec<String> {
    let has = |rule: &str| out.iter().any(|f| f.rule == rule);
    let mut signs = Vec::new();
    if has("PDF_JAVASCRIPT_SUSPICIOUS") {
        signs.push("its script shows signs of an exploit".to_string());
    }
    if a.raw.obfuscated_total() > 0 {
        signs.push("its keywords are disguised with hex escapes".to_string());
    }
    if let Some(why) = raw::xref_damage(data) {
        signs.push(format!("its cross-reference table cannot be found ({why})"));
    }
    let within_limits = data.len() <= MAX_MODEL_BYTES && a.raw.endobj <= MAX_MODEL_OBJECTS;
    if a.model.is_err() && within_limits {
        signs.push("the PDF library could not read its structure".to_string());
    }
    if a.recovery.as_ref().is_some_and(|r| !r.anomalies.is_empty()) {
        signs.push("its objects overlap, repeat many times or lie outside the file".to_string());
    }
    if a.recovery
        .as_ref()
        .is_some_and(|r| r.autorun() && r.scripts.is_empty())
    {
        signs.push(
            "its script cannot be read (a stream that cannot be decoded, or a string left open)"
                .to_string(),
        );
    }
    if has("PDF_LAUNCH") {
        signs.push("it also launches a program".to_string());
    }
    signs
}

/// Issue 17: a PDF is judged by whether something in it lies or attacks, not by having a
/// script. A script that runs on open is an attack (`PDF_AUTORUN_JAVASCRIPT`, at least
/// quarantine) together with any sign of one: exploit marks or obfuscation in a script, names
/// disguised with hex escapes, a cross-reference table that cannot be found, a file the PDF
/// library cannot read, overlapping or repeated objects, a launched program. A plain script
/// in an intact file (a form filling in its fields, a message, going to a page, printing) is
/// context (`PDF_AUTORUN_PLAIN_SCRIPT`): explained, not warned about on its own.
fn settle_autorun(data: &[u8], a: &Analysis, out: &mut [Finding]) {
    let Some(at) = out.iter().position(|f| f.rule == "PDF_AUTORUN_JAVASCRIPT") else {
        return;
    };
    let signs = attack_signs(data, a, out);
    let finding = &mut out[at];
    if signs.is_empty() {
        finding.rule = "PDF_AUTORUN_PLAIN_SCRIPT";
    } else {
        finding.evidence.push(("why".to_string(), signs.join("; ")));
    }
}

/// What the recovery view adds to the object model's findings: the trigger and the script
/// joined in a damaged or disguised file, exploit signs in scripts the model did not reach,
/// scripts the model did not see at all, and the structural anomalies.
fn recovery_findings(
    a: &Analysis,
    rec: &Recovery,
    keywords: &str,
    new: &dyn Fn(&'static str) -> Finding,
    out: &mut Vec<Finding>,
) {
    let has = |out: &Vec<Finding>, rule: &str| out.iter().any(|f| f.rule == rule);
    let damaged = match &a.model {
        Err(_) => true,
        Ok(m) => m.repaired.is_some(),
    } || a.raw.obfuscated_total() > 0
        || !rec.anomalies.is_empty();
    // Structural anomalies (overlapping objects, a startxref outside the file, one object
    // defined many times) only mark the file as damaged here: alone they fired on 4 of 220
    // exploit PDFs, never deciding a verdict, and on a benign test file.
    if damaged && rec.autorun() && !has(out, "PDF_AUTORUN_JAVASCRIPT") {
        out.retain(|f| f.rule != "PDF_JAVASCRIPT");
        let script = rec.scripts.iter().find(|s| !s.trim().is_empty());
        out.push(with_script(
            new("PDF_AUTORUN_JAVASCRIPT")
                .with(
                    "trigger",
                    format!(
                        "{} → JavaScript in {}, joined from the objects found in the damaged file",
                        rec.triggers.join(", "),
                        rec.script_objects.join(", ")
                    ),
                )
                .with("keywords", keywords),
            script.map(String::as_str),
        ));
    }
    if !has(out, "PDF_JAVASCRIPT_SUSPICIOUS")
        && let Some((signs, script)) = suspicious_scripts(rec.scripts.iter().map(String::as_str))
    {
        out.push(
            new("PDF_JAVASCRIPT_SUSPICIOUS")
                .with("signs", signs)
                .with("script", snippet(script)),
        );
    }
    if !has(out, "PDF_JAVASCRIPT")
        && !has(out, "PDF_AUTORUN_JAVASCRIPT")
        && !rec.script_objects.is_empty()
    {
        out.push(
            new("PDF_JAVASCRIPT")
                .with("count", rec.script_objects.len().to_string())
                .with("keywords", keywords),
        );
    }
}

fn model_findings(
    model: &Model,
    raw: &RawScan,
    keywords: &str,
    new: &dyn Fn(&'static str) -> Finding,
    out: &mut Vec<Finding>,
) {
    if let Some(how) = model.repaired {
        out.push(new("PDF_MALFORMED").with("repair", how));
    }
    for why in &model.partial {
        out.push(new("PDF_PARTLY_ANALYSED").with("detail", why.as_str()));
    }
    if model.needs_password {
        out.push(new("PDF_ENCRYPTED"));
        // The objects are unreadable; the raw bytes still show the encryption dictionary and
        // any plain-text active content.
        if raw.count("JS") + raw.count("JavaScript") > 0 {
            out.push(
                new("PDF_JAVASCRIPT")
                    .with(
                        "count",
                        (raw.count("JS") + raw.count("JavaScript")).to_string(),
                    )
                    .with("keywords", keywords),
            );
        }
    }
    if let Some(script) = model.scripts.iter().find(|s| s.autorun.is_some()) {
        out.push(with_script(
            new("PDF_AUTORUN_JAVASCRIPT")
                .with("trigger", script.autorun.clone().unwrap_or_default())
                .with("keywords", keywords),
            Some(&script.text),
        ));
    } else if !model.scripts.is_empty() {
        out.push(
            new("PDF_JAVASCRIPT")
                .with("count", model.scripts.len().to_string())
                .with("keywords", keywords),
        );
    }
    if let Some((signs, script)) = suspicious_scripts(model.scripts.iter().map(|s| s.text.as_str()))
    {
        out.push(
            new("PDF_JAVASCRIPT_SUSPICIOUS")
                .with("signs", signs)
                .with("script", snippet(script)),
        );
    }
    for launch in &model.launches {
        let target = if launch.target.is_empty() {
            "(unreadable)"
        } else {
            launch.target.as_str()
        };
        out.push(
            new("PDF_LAUNCH")
                .with("target", target)
                .with("params", launch.params.as_str()),
        );
    }
    if !model.embedded.is_empty() {
        let names: Vec<&str> = model
            .embedded
            .iter()
            .map(|e| e.name.as_deref().unwrap_or("(no name)"))
            .collect();
        out.push(
            new("PDF_EMBEDDED_FILE")
                .with("count", model.embedded.len().to_string())
                .with("names", names.join(", ")),
        );
    }
    if let Some(url) = &model.lure {
        out.push(new("PDF_SINGLE_LINK_LURE").with("url", url.as_str()));
    }
    if let Some((trigger, url, why)) = auto_open_lure(model) {
        out.push(
            new("PDF_AUTO_OPEN_URL")
                .with("url", url)
                .with("trigger", trigger)
                .with("why", why),
        );
    }
}

/// A web address the document opens by itself that no link in it shows: on a bare IP address,
/// or on a site none of the document's other links is on. A document that opens its own
/// publisher's site, which its links also point to, is not a lure; one that sends the reader
/// somewhere it never shows is. `why` is a short English phrase for the report.
fn auto_open_lure(model: &model::Model) -> Option<(&str, &str, &'static str)> {
    let auto: Vec<&str> = model.auto_uris.iter().map(|(_, u)| u.as_str()).collect();
    let shown: Vec<String> = model
        .uris
        .iter()
        .filter(|u| !auto.contains(&u.as_str()))
        .filter_map(|u| crate::text::domain::url_host(u))
        .collect();
    for (trigger, url) in &model.auto_uris {
        let Some(host) = crate::text::domain::url_host(url) else {
            continue;
        };
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if bare.parse::<std::net::IpAddr>().is_ok() {
            return Some((trigger, url, "a bare IP address"));
        }
        if !shown
            .iter()
            .any(|s| crate::text::domain::same_org(s, &host))
        {
            return Some((trigger, url, "a site no link in the document shows"));
        }
    }
    None
}

#[cfg(test)]
mod tests;

/// The signs of every suspicious script among `scripts` (each once, in order of appearance) and
/// the first suspicious script, if any is.
fn suspicious_scripts<'a>(scripts: impl Iterator<Item = &'a str>) -> Option<(String, &'a str)> {
    let mut suspicious: Vec<&str> = Vec::new();
    let mut worst = None;
    for script in scripts {
        let signs = javascript::signs(script);
        if javascript::is_suspicious(&signs) {
            worst.get_or_insert(script);
            for s in signs {
                if !suspicious.contains(&s) {
                    suspicious.push(s);
                }
            }
        }
    }
    worst.map(|script| (suspicious.join(", "), script))
}
