//! `drill generate`: personalised mock lures (one per recipient, or one per recipient and
//! scenario with `assign = "all"`), each with its own token in every link, written as .eml files
//! or one mbox, and a manifest mapping tokens to recipients, scenarios and planned send times.
//!
//! Everything is derived from the campaign (seed, date, recipients): the same campaign gives
//! byte-identical output.

use super::campaign::{Loaded, OutputFormat, Recipient};
use super::scenario::{Attachment, AttachmentKind, Scenario, SenderKind, Template, Values};
use super::{DrillError, Entry, Manifest, payload};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// The header every drill mail carries, naming its campaign, so administrators can recognise and
/// allow it.
pub const DRILL_HEADER: &str = "X-Lurescreen-Drill";

/// One generated lure.
#[derive(Debug, Clone)]
pub struct Lure {
    pub token: String,
    pub recipient: Recipient,
    pub scenario: Arc<Scenario>,
    pub from: String,
    pub subject: String,
    /// The message, CRLF line ends.
    pub raw: Vec<u8>,
    /// The attachment as built (name, bytes), if the scenario has one.
    pub attachment: Option<(String, Vec<u8>)>,
    /// Whether the attachment holds a page with the "attachment opened" beacon
    /// (`track_opens`).
    pub attachment_beacon: bool,
}

/// The token of one recipient and scenario: unguessable without the seed, stable with it.
pub fn token(seed: &str, campaign: &str, email: &str, scenario: &str) -> String {
    keyed_hex(
        &[seed, campaign, &email.trim().to_ascii_lowercase(), scenario],
        12,
    )
}

/// The first `bytes` bytes, in hex, of SHA-256 over `parts` (each length-prefixed, so no two
/// lists of parts give the same input).
fn keyed_hex(parts: &[&str], bytes: usize) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize()
        .iter()
        .take(bytes)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The link a token's lure points to.
pub fn link(landing_url: &str, token: &str) -> String {
    format!("{}/t/{token}", landing_url.trim_end_matches('/'))
}

/// The 1×1 image of a lure's HTML body (`track_opens`): loaded when the mail is shown with its
/// images.
pub fn open_image(landing_url: &str, token: &str) -> String {
    format!("{}/o/{token}.gif", landing_url.trim_end_matches('/'))
}

/// The beacon image of a lure's mock HTML attachment (`track_opens`): loaded when the page is
/// opened in a browser.
pub fn attachment_beacon(landing_url: &str, token: &str) -> String {
    format!("{}/a/{token}.gif", landing_url.trim_end_matches('/'))
}

/// `page` with a 1×1 image of `src` placed just before its `</body>` (at its end when it has
/// none). An image is no active content: it only asks the landing server for 43 bytes.
fn with_image(page: &str, src: &str) -> String {
    let img = format!(
        "<img src=\"{}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;height:1px;border:0\">\n",
        html_escape::encode_double_quoted_attribute(src)
    );
    match page.to_ascii_lowercase().rfind("</body>") {
        Some(at) => format!("{}{img}{}", &page[..at], &page[at..]),
        None => format!("{page}\n{img}"),
    }
}

/// Builds every lure of the campaign ([`Loaded::assignments`]: one per recipient by default,
/// every scenario for each with `assign = "all"`), recipients in file order.
pub fn build(loaded: &Loaded) -> Vec<Lure> {
    loaded
        .assignments()
        .into_iter()
        .map(|(r, s)| build_one(loaded, &loaded.recipients[r], &s))
        .collect()
}

fn build_one(loaded: &Loaded, r: &Recipient, s: &Arc<Scenario>) -> Lure {
    let c = &loaded.campaign;
    let ja = s.is_ja();
    let token = token(&loaded.seed, &c.id, &r.email, &s.id);
    let url = link(&c.landing_url, &token);
    let domain = c.organisation.domains.first().cloned().unwrap_or_default();
    let (date, month) = local_date(&c.date, ja);
    let values = Values {
        name: r.name_for(ja),
        email: &r.email,
        department: &r.department,
        org: if ja {
            &c.organisation.name_ja
        } else {
            &c.organisation.name
        },
        domain: &domain,
        date: &date,
        month: &month,
    };
    // Values from the recipient list are data, never markup or header syntax: in headers and
    // one-line texts control characters become spaces; in file names also `"`, `\` and `/`.
    let line = |t: &Template| t.render(&values, "", "", &one_line);
    let attachment_name = |t: &Template| t.render(&values, "", "", &file_name_part);
    let from_addr = match &s.from {
        SenderKind::Freemail => c.sender.freemail.clone(),
        SenderKind::Lookalike(local) => format!("{local}@{}", c.sender.lookalike_domain),
    };
    let sender_domain = super::campaign::domain_of(&from_addr).unwrap_or_default();
    let display = line(&s.display_name);
    let subject = line(&s.subject);
    let link_text = line(&s.link_text);
    let text = s.text.render(&values, &url, &url, &|v| v.to_string());
    let html = match &s.html {
        // The text body's paragraphs, `{link}` an anchor (values escaped there).
        None => html_body(
            &s.text
                .render(&values, LINK_MARK, &url, &|v| v.replace(LINK_MARK, "")),
            &url,
            &link_text,
            ja,
        ),
        Some(t) => html_page(t, &values, &url, &link_text, &s.lang),
    };
    let html = if c.track_opens {
        with_image(&html, &open_image(&c.landing_url, &token))
    } else {
        html
    };
    let beacon = c
        .track_opens
        .then(|| attachment_beacon(&c.landing_url, &token));
    let attachment_beacon = beacon.is_some()
        && s.attachment.as_ref().is_some_and(|a| {
            a.kind == AttachmentKind::Html
                || a.entries.iter().any(|e| e.kind == AttachmentKind::Html)
        });
    let attachment = s.attachment.as_ref().map(|a| {
        let data = mock(a, &values, &url, beacon.as_deref(), &line, &attachment_name);
        (attachment_name(&a.name), data, a.kind)
    });
    // Boundaries and Message-ID look like any mail's: only the X-Lurescreen-Drill header (which
    // administrators need) says this is a drill; the token appears only in the links.
    let opaque = |what: &str| keyed_hex(&[loaded.seed.as_str(), token.as_str(), what], 10);
    let boundary_tag = opaque("boundary");
    let boundary = |n: u8| format!("----=_Part_{n}_{boundary_tag}");
    let mut m = String::new();
    let mut header = |name: &str, value: &str| {
        m.push_str(name);
        m.push_str(": ");
        m.push_str(value);
        m.push_str("\r\n");
    };
    header("From", &address_value("From", &display, &from_addr));
    header("To", &address_value("To", r.name_for(ja), &r.email));
    header("Subject", &unstructured_value("Subject", &subject));
    header("Date", &loaded.date_header);
    header(
        "Message-ID",
        &format!("<{}@{sender_domain}>", opaque("message-id")),
    );
    header("MIME-Version", "1.0");
    header(DRILL_HEADER, &c.id);
    let alternative = {
        let b = boundary(1);
        let mut a = format!("Content-Type: multipart/alternative;\r\n boundary=\"{b}\"\r\n\r\n");
        a.push_str(&format!("--{b}\r\n"));
        a.push_str(&text_part("text/plain", &text));
        a.push_str(&format!("--{b}\r\n"));
        a.push_str(&text_part("text/html", &html));
        a.push_str(&format!("--{b}--\r\n"));
        a
    };
    match &attachment {
        None => m.push_str(&alternative),
        Some((name, data, kind)) => {
            let b = boundary(0);
            m.push_str(&format!(
                "Content-Type: multipart/mixed;\r\n boundary=\"{b}\"\r\n\r\n"
            ));
            m.push_str(&format!("--{b}\r\n"));
            m.push_str(&alternative);
            m.push_str(&format!("--{b}\r\n"));
            let ctype = match kind {
                AttachmentKind::Pdf => "application/pdf",
                AttachmentKind::Html => "text/html; charset=utf-8",
                AttachmentKind::Zip => "application/zip",
            };
            let encoded_name = encode_word(name);
            m.push_str(&format!(
                "Content-Type: {ctype};\r\n name=\"{encoded_name}\"\r\nContent-Disposition: attachment;\r\n {}\r\nContent-Transfer-Encoding: base64\r\n\r\n",
                filename_parameter(name)
            ));
            m.push_str(&base64_lines(data));
            m.push_str(&format!("--{b}--\r\n"));
        }
    }
    Lure {
        token,
        recipient: r.clone(),
        scenario: Arc::clone(s),
        from: from_addr,
        subject,
        raw: m.into_bytes(),
        attachment: attachment.map(|(n, d, _)| (n, d)),
        attachment_beacon,
    }
}

/// Stands for `{link}` while the text body is made into HTML paragraphs (a private-use
/// character, removed from every value first).
const LINK_MARK: &str = "\u{E000}";

/// A value placed into a header or a one-line text: control characters become spaces.
fn one_line(v: &str) -> String {
    v.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A value placed into an attachment's file name: also no `"`, `\\` or `/`.
fn file_name_part(v: &str) -> String {
    v.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '\\' | '/') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The campaign's date in the lure's language, for `{date}` and `{month}`: `2026年12月1日` and
/// `12月`, or `1 December 2026` and `December` (the date as written, in its own UTC offset).
fn local_date(rfc3339: &str, ja: bool) -> (String, String) {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let Some(d) = mail_parser::DateTime::parse_rfc3339(rfc3339) else {
        return (String::new(), String::new());
    };
    if ja {
        (
            format!("{}年{}月{}日", d.year, d.month, d.day),
            format!("{}月", d.month),
        )
    } else {
        let m = MONTHS
            .get((d.month as usize).saturating_sub(1))
            .copied()
            .unwrap_or("");
        (format!("{} {m} {}", d.day, d.year), m.to_string())
    }
}

/// A page template filled in: every value HTML-escaped (quotes too, so a value is safe inside an
/// attribute), `{link}` an anchor showing `link_text`, `{url}` the URL escaped for an attribute.
/// A template without its own `<html` element is put in one.
fn html_page(t: &Template, values: &Values<'_>, url: &str, link_text: &str, lang: &str) -> String {
    let href = html_escape::encode_double_quoted_attribute(url).into_owned();
    let anchor = format!(
        "<a href=\"{href}\">{}</a>",
        html_escape::encode_text(if link_text.is_empty() { url } else { link_text })
    );
    let page = t.render(values, &anchor, &href, &|v| {
        html_escape::encode_quoted_attribute(v).into_owned()
    });
    if page.to_ascii_lowercase().contains("<html") {
        return page + "\n";
    }
    format!(
        "<html lang=\"{lang}\"><head><meta charset=\"utf-8\"></head><body>\n{page}\n</body></html>\n"
    )
}

/// Builds a mock attachment: a PDF or a page (from lines or a page template), or a zip of them.
/// Inert by construction: the kinds are these three, page templates were checked for active
/// content when the scenario was read, and every value is escaped. With `beacon` (open
/// tracking) each page gets a 1×1 image of that URL; a PDF gets nothing (a PDF can report being
/// opened only by a script, and drill PDFs have none).
fn mock(
    a: &Attachment,
    values: &Values<'_>,
    url: &str,
    beacon: Option<&str>,
    line: &dyn Fn(&Template) -> String,
    name: &dyn Fn(&Template) -> String,
) -> Vec<u8> {
    let lines: Vec<String> = a.lines.iter().map(line).collect();
    let text = line(&a.link_text);
    let tracked = |page: Vec<u8>| match beacon {
        Some(src) => with_image(&String::from_utf8_lossy(&page), src).into_bytes(),
        None => page,
    };
    match a.kind {
        AttachmentKind::Pdf => payload::pdf(&lines, &text, url),
        AttachmentKind::Html => tracked(match &a.page {
            Some(t) => {
                let page = html_page(t, values, url, &text, "ja");
                if page.starts_with("<html") {
                    format!("<!DOCTYPE html>\n{page}").into_bytes()
                } else {
                    page.into_bytes()
                }
            }
            None => payload::html(&lines, &text, url),
        }),
        AttachmentKind::Zip => {
            let mut files: Vec<(String, Vec<u8>)> = Vec::new();
            for e in &a.entries {
                let mut n = name(&e.name);
                if files.iter().any(|(f, _)| *f == n) {
                    n = format!("{}_{n}", files.len() + 1);
                }
                let data = mock(e, values, url, beacon, line, name);
                files.push((n, data));
            }
            payload::zip(&files)
        }
    }
}

/// Longest header line written where the text allows it (RFC 5322 2.1.1: "SHOULD be no more
/// than 78 characters, excluding the CRLF").
const MAX_LINE: usize = 78;

/// UTF-8 bytes in one encoded-word: 39 bytes make 52 characters of base64, so with `=?UTF-8?B?`
/// and `?=` a word is 64 characters (RFC 2047 allows 75), short enough to follow any header name
/// we write (`Subject: `) or sit in a folded parameter (` filename="…"`) within 78.
const WORD_BYTES: usize = 39;

/// The value of an address header (`From`, `To`): the display name (encoded-words when not
/// ASCII, else a quoted string) and the address, folded to lines of at most 78 characters where
/// the words allow.
fn address_value(name: &str, display: &str, address: &str) -> String {
    let mut atoms = if display.is_ascii() {
        vec![format!(
            "\"{}\"",
            display.replace('\\', "\\\\").replace('"', "\\\"")
        )]
    } else {
        encoded_words(display)
    };
    atoms.push(format!("<{address}>"));
    fold(name, &atoms)
}

/// The value of an unstructured header (`Subject`): ASCII text as it is, folded at spaces when
/// long; other text as encoded-words, folded between them.
fn unstructured_value(name: &str, text: &str) -> String {
    if text.is_ascii() {
        let atoms: Vec<String> = text.split(' ').map(str::to_string).collect();
        return fold(name, &atoms);
    }
    fold(name, &encoded_words(text))
}

/// Joins `atoms` with single spaces after `name: `, folding (CRLF + space, in place of the
/// space) before an atom that would take the line past [`MAX_LINE`]. Unfolding gives the atoms
/// joined by spaces back; between encoded-words that space is not part of the text (RFC 2047 6.2).
fn fold(name: &str, atoms: &[String]) -> String {
    let mut out = String::new();
    let mut line = name.len() + 2;
    for (n, atom) in atoms.iter().enumerate() {
        if n > 0 {
            if line + 1 + atom.len() > MAX_LINE {
                out.push_str("\r\n");
                line = 0;
            }
            out.push(' ');
            line += 1;
        }
        // A name or address from the recipient list never breaks the header: control
        // characters (a line break in a quoted CSV field) become spaces.
        out.extend(atom.chars().map(|c| if c.is_control() { ' ' } else { c }));
        line += atom.len();
    }
    out
}

/// RFC 2047 `B` encoded-words (UTF-8) for `text`, never splitting a character between two words.
fn encoded_words(text: &str) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut chunk = String::new();
    for ch in text.chars() {
        if chunk.len() + ch.len_utf8() > WORD_BYTES {
            chunks.push(std::mem::take(&mut chunk));
        }
        chunk.push(ch);
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    chunks
        .iter()
        .map(|w| {
            format!(
                "=?UTF-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(w.as_bytes())
            )
        })
        .collect()
}

/// RFC 2047 encoded-words for non-ASCII text (ASCII text as it is), folded between words: for
/// values that follow their own start of line, such as an attachment's `filename="…"`.
pub fn encode_word(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    encoded_words(text).join("\r\n ")
}

/// The `filename` parameter of Content-Disposition: quoted when ASCII, else RFC 2231 (UTF-8,
/// percent-encoded, in numbered continuations of whole characters, each line within 78), as
/// mail programs write it; the Content-Type `name` beside it keeps RFC 2047 for older readers.
fn filename_parameter(name: &str) -> String {
    if name.is_ascii() {
        return format!(
            "filename=\"{}\"",
            name.replace('\\', "\\\\").replace('"', "\\\"")
        );
    }
    let mut pieces: Vec<String> = vec![String::from("UTF-8''")];
    for c in name.chars() {
        let mut buf = [0u8; 4];
        let encoded: String = c
            .encode_utf8(&mut buf)
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        // " filename*NN*=" and ";" around each piece: 16 characters at most.
        let last = pieces.last_mut().expect("one piece at least");
        if last.len() + encoded.len() > MAX_LINE - 16 {
            pieces.push(encoded);
        } else {
            last.push_str(&encoded);
        }
    }
    pieces
        .iter()
        .enumerate()
        .map(|(i, p)| format!("filename*{i}*={p}"))
        .collect::<Vec<_>>()
        .join(";\r\n ")
}

fn base64_lines(data: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 38);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push_str("\r\n");
    }
    out
}

fn text_part(ctype: &str, text: &str) -> String {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "Content-Type: {ctype}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
        base64_lines(crlf.as_bytes())
    )
}

/// The HTML alternative: paragraphs of the body, `{link}` as an anchor showing `link_text`.
fn html_body(body: &str, url: &str, link_text: &str, ja: bool) -> String {
    let esc = |s: &str| html_escape::encode_text(s).into_owned();
    let anchor = format!(
        "<a href=\"{}\">{}</a>",
        html_escape::encode_double_quoted_attribute(url),
        esc(if link_text.is_empty() { url } else { link_text })
    );
    let mut html = format!(
        "<html lang=\"{}\"><head><meta charset=\"utf-8\"></head><body>\n",
        if ja { "ja" } else { "en" }
    );
    for para in body.split("\n\n") {
        let lines: Vec<String> = para
            .lines()
            .map(|l| {
                l.split(LINK_MARK)
                    .map(&esc)
                    .collect::<Vec<_>>()
                    .join(&anchor)
            })
            .collect();
        html.push_str(&format!("<p>{}</p>\n", lines.join("<br>\n")));
    }
    html.push_str("</body></html>\n");
    html
}

/// File name of a lure inside the output folder: recipient's local part, index and scenario.
fn file_name(n: usize, lure: &Lure) -> String {
    let local: String = lure
        .recipient
        .email
        .split('@')
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{:04}-{local}-{}.eml", n + 1, lure.scenario.id)
}

/// Writes the lures (and `manifest.json`) into `dir`, creating it. Returns the manifest. Every
/// file is mode 0600 (they hold the tokens) and written without following a link planted at its
/// name (see [`super::write_private`]).
pub fn write(loaded: &Loaded, lures: &[Lure], dir: &Path) -> Result<Manifest, DrillError> {
    let io = |p: &Path, e: std::io::Error| DrillError::Io(format!("{}: {e}", p.display()));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let c = &loaded.campaign;
    let mut entries = Vec::with_capacity(lures.len());
    let mut mbox = Vec::new();
    let planned: Vec<Option<i64>> = match &loaded.window {
        Some(w) => {
            let tokens: Vec<&str> = lures.iter().map(|l| l.token.as_str()).collect();
            w.plan(&loaded.seed, &tokens)
                .into_iter()
                .map(Some)
                .collect()
        }
        None => vec![None; lures.len()],
    };
    for (n, (lure, planned)) in lures.iter().zip(planned).enumerate() {
        let (file, offset, length) = match c.format {
            OutputFormat::Eml => {
                let name = file_name(n, lure);
                let path = dir.join(&name);
                super::write_private(&path, &lure.raw).map_err(|e| io(&path, e))?;
                (name, 0, lure.raw.len())
            }
            OutputFormat::Mbox => {
                mbox.extend_from_slice(
                    format!("From {} {}\n", lure.from, mbox_date(loaded.timestamp)).as_bytes(),
                );
                let start = mbox.len();
                let lf = String::from_utf8_lossy(&lure.raw).replace("\r\n", "\n");
                for line in lf.split_inclusive('\n') {
                    // mboxrd: a body line starting with (>*)From gets one more `>`.
                    if line.trim_start_matches('>').starts_with("From ") {
                        mbox.push(b'>');
                    }
                    mbox.extend_from_slice(line.as_bytes());
                }
                let len = mbox.len() - start;
                mbox.push(b'\n');
                ("lures.mbox".to_string(), start, len)
            }
        };
        entries.push(Entry {
            token: lure.token.clone(),
            email: lure.recipient.email.clone(),
            name: lure.recipient.name.clone(),
            department: lure.recipient.department.clone(),
            scenario: lure.scenario.id.clone(),
            subject: lure.subject.clone(),
            from: lure.from.clone(),
            file,
            offset: offset as u64,
            length: length as u64,
            lang: loaded.lang_of(&lure.recipient),
            planned,
            attachment_beacon: lure.attachment_beacon,
        });
    }
    if c.format == OutputFormat::Mbox {
        let path = dir.join("lures.mbox");
        super::write_private(&path, &mbox).map_err(|e| io(&path, e))?;
    }
    let manifest = Manifest {
        campaign: c.id.clone(),
        organisation: c.organisation.name.clone(),
        domains: c.organisation.domains.clone(),
        landing_url: c.landing_url.clone(),
        date: loaded.timestamp,
        report: c.report.clone(),
        track_opens: c.track_opens,
        entries,
        scenarios: {
            let mut used: Vec<super::scenario::Info> = Vec::new();
            for l in lures {
                if !l.scenario.is_built_in() && !used.iter().any(|u| u.id == l.scenario.id) {
                    used.push(l.scenario.info());
                }
            }
            used
        },
    };
    let path = dir.join(super::MANIFEST);
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| DrillError::Io(format!("manifest: {e}")))?;
    super::write_private(&path, (json + "\n").as_bytes()).map_err(|e| io(&path, e))?;
    Ok(manifest)
}

/// `Thu Dec  1 09:30:00 2026` (UTC) for mbox `From ` lines.
fn mbox_date(ts: i64) -> String {
    let d = mail_parser::DateTime::from_timestamp(ts);
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let dow = DAYS
        .get(((ts.div_euclid(86_400) + 4).rem_euclid(7)) as usize)
        .unwrap_or(&"Mon");
    let month = MONTHS
        .get((d.month as usize).saturating_sub(1))
        .unwrap_or(&"Jan");
    format!(
        "{dow} {month} {:>2} {:02}:{:02}:{:02} {}",
        d.day, d.hour, d.minute, d.second, d.year
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_attachment_names_are_written_in_rfc_2231_continuations_within_78_columns() {
        for name in [
            "見積依頼書.pdf.html",
            "【重要】２０２６年度　取引先各位への請求書および支払条件変更のお知らせ（経理部）.pdf",
            "plain \"quoted\" name.pdf",
        ] {
            let field = format!(
                "Content-Disposition: attachment;\r\n {}\r\n",
                filename_parameter(name)
            );
            for line in field.split("\r\n") {
                assert!(line.len() <= MAX_LINE, "{line}");
            }
            let raw = format!(
                "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
                 --b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/pdf\r\n{field}\
                 Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--b--\r\n"
            );
            let parsed = mail_parser::MessageParser::default()
                .parse(raw.as_bytes())
                .unwrap();
            let read = parsed
                .attachments()
                .next()
                .and_then(|a| mail_parser::MimeHeaders::attachment_name(a).map(str::to_string));
            assert_eq!(read.as_deref(), Some(name));
        }
    }

    #[test]
    fn tokens_are_stable_and_distinct() {
        let a = token("seed-0001", "c1", "a@example.co.jp", "s1");
        assert_eq!(a, token("seed-0001", "c1", "A@Example.co.jp ", "s1"));
        assert_eq!(a.len(), 24);
        assert_ne!(a, token("seed-0001", "c1", "a@example.co.jp", "s2"));
        assert_ne!(a, token("seed-0002", "c1", "a@example.co.jp", "s1"));
        assert_ne!(a, token("seed-0001", "c2", "a@example.co.jp", "s1"));
    }

    #[test]
    fn encoded_words_round_trip_and_stay_short() {
        let subject = "【重要】パスワードの有効期限が近づいています（本日中に更新してください）";
        let enc = encode_word(subject);
        for line in enc.split("\r\n") {
            assert!(line.len() < 78, "{line}");
        }
        let raw = format!("Subject: {enc}\r\n\r\nx");
        let msg = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .unwrap();
        assert_eq!(msg.subject(), Some(subject));
        assert_eq!(encode_word("plain"), "plain");
    }

    #[test]
    fn long_ascii_subjects_fold_at_spaces_and_unfold_to_the_same_text() {
        let subject = "Action required: your mailbox has reached its quota and will stop receiving new messages unless you act";
        let value = unstructured_value("Subject", subject);
        let raw = format!("Subject: {value}\r\n\r\nx");
        for line in raw.split("\r\n") {
            assert!(line.len() <= 78, "{line}");
        }
        assert!(value.contains("\r\n "));
        let msg = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .unwrap();
        assert_eq!(msg.subject(), Some(subject));
        assert_eq!(unstructured_value("Subject", "short"), "short");
    }

    #[test]
    fn dates_are_the_campaigns_own_day_in_the_lures_language() {
        // 05:00 in Tokyo is still 30 November in UTC: the date as written counts.
        let (date, month) = local_date("2026-12-01T05:00:00+09:00", true);
        assert_eq!((date.as_str(), month.as_str()), ("2026年12月1日", "12月"));
        let (date, month) = local_date("2026-12-01T05:00:00+09:00", false);
        assert_eq!(
            (date.as_str(), month.as_str()),
            ("1 December 2026", "December")
        );
        assert_eq!(
            local_date("yesterday", true),
            (String::new(), String::new())
        );
    }

    #[test]
    fn mbox_dates_read_like_ctime() {
        // 2026-12-01T00:30:00Z was a Tuesday.
        assert_eq!(mbox_date(1_796_085_000), "Tue Dec  1 00:30:00 2026");
    }
}
