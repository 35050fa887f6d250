//! HTML (and SVG) files read: the "document viewer" lure. Opened from a mail, such a file runs in
//! the browser with scripts on, so it can ask for a password and send it away, send the browser to
//! a fake site, or build a program in memory and save it (HTML smuggling, which gets archives and
//! disk images past mail gateways).
//!
//! The markup is walked with lol_html (forms, password fields, meta refresh, download links, SVG
//! scripts); scripts are read with regular expressions on the text. Strings a page decodes at run
//! time (`unescape('%3C…')`, `atob('PGZvcm0…')`) are decoded once and read the same way. `analyse`
//! gives the facts, and the files the page carries; the HTML check
//! (`checks::attachments::html`) judges them.

use crate::formats::markup::{first_tag, starts_with_tag};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use base64::Engine as _;
use lol_html::{MemorySettings, Settings, element};
use regex::Regex;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Bytes of a file read as HTML; past this, the rest is not analysed.
pub const MAX_HTML_BYTES: usize = 32 * 1024 * 1024;
/// Memory the HTML tokenizer may use.
const HTML_MEMORY: usize = 8 * 1024 * 1024;
/// A base64 run this long (characters) in a page that makes file objects is decoded and its type
/// judged.
const PAYLOAD_MIN_CHARS: usize = 100;
/// A base64 run this long counts as a payload even when it does not decode to a known type.
const BIG_PAYLOAD_CHARS: usize = 64 * 1024;
/// A `data:` URL decoding to at least this many bytes is reported (an archive, a program or a
/// document whatever its size).
const DATA_URL_MIN_BYTES: usize = 1024;
/// `data:` URLs decoded per page, at most.
const MAX_DATA_URLS: usize = 256;
/// Text revealed by decoding a page's encoded strings, at most.
const MAX_REVEALED: usize = 4 * 1024 * 1024;
/// Encoded strings decoded per page, at most.
const MAX_ENCODED_STRINGS: usize = 64;
/// Files handed on as attachments per page, at most.
const MAX_PAYLOADS: usize = 4;
/// Characters of a URL or name kept in evidence.
const SHOWN: usize = 160;

/// A form that asks for a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordForm {
    /// Where it sends what is typed: the form's action or an address a script posts to; `None`
    /// when the page names neither (a script sends it somewhere built at run time).
    pub target: Option<String>,
    /// A script, not the form itself, sends the data.
    pub by_script: bool,
    /// The target when it is an absolute URL, for the link checks.
    pub url: Option<String>,
    /// Found only after decoding the page's encoded strings.
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub url: String,
    /// `meta refresh` or the script construct.
    pub how: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smuggling {
    pub signs: Vec<String>,
    /// The name the file is saved under, if the page names it.
    pub saved_as: Option<String>,
}

/// A `data:` URL that carries a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataUrl {
    pub mime: String,
    pub bytes: usize,
    /// The decoded file's real type.
    pub real: String,
    /// The decoded file is an archive, a program or a document, not text or unknown bytes.
    pub risky: bool,
}

/// A file found encoded inside the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    pub name: Option<String>,
    pub data: Vec<u8>,
}

/// Everything the analysis of one HTML file found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    pub password_form: Option<PasswordForm>,
    pub redirect: Option<Redirect>,
    pub smuggling: Option<Smuggling>,
    pub data_urls: Vec<DataUrl>,
    /// What makes an SVG picture run code (`<script>`, `onload=`).
    pub svg_script: Vec<String>,
    /// How the page hides markup it writes at run time (`unescape()`, `atob()`).
    pub hidden_markup: Vec<String>,
    pub payloads: Vec<Payload>,
}

/// Extensions of web pages and SVG pictures, opened in a browser.
const HTML_EXTENSIONS: &[&str] = &["htm", "html", "shtml", "shtm", "xhtml", "xht", "svg"];

/// Whether a file is a web page or an SVG picture: by its name, its declared type, or its first
/// tag. Programs and other binary types never are.
pub fn is_html(name: Option<&str>, content_type: &str, data: &[u8]) -> bool {
    let by_name = name
        .and_then(crate::formats::sniff::last_extension)
        .is_some_and(|e| HTML_EXTENSIONS.contains(&e.as_str()));
    let by_type = matches!(
        content_type,
        "text/html" | "application/xhtml+xml" | "image/svg+xml"
    );
    (by_name || by_type || starts_with_tag(data))
        && matches!(
            crate::formats::sniff::sniff(data).kind,
            crate::formats::sniff::Kind::Text
                | crate::formats::sniff::Kind::Markup(_)
                | crate::formats::sniff::Kind::Script(_)
        )
}

/// An SVG picture rather than a page.
pub fn is_svg(name: Option<&str>, content_type: &str, data: &[u8]) -> bool {
    content_type == "image/svg+xml"
        || name
            .and_then(crate::formats::sniff::last_extension)
            .is_some_and(|e| e == "svg")
        || first_tag(data).is_some_and(|t| t.starts_with(b"<svg"))
}

/// The text of a file: UTF-16 with a byte order mark decoded, anything else read as UTF-8 (the
/// markup and scripts that matter are ASCII in every encoding pages use).
fn text_of(data: &[u8]) -> String {
    let data = data.get(..MAX_HTML_BYTES).unwrap_or(data);
    if let Some(rest) = data.strip_prefix(&[0xFF, 0xFE]) {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    if let Some(rest) = data.strip_prefix(&[0xFE, 0xFF]) {
        return encoding_rs::UTF_16BE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    String::from_utf8_lossy(data).into_owned()
}

/// What the markup walk sees.
#[derive(Debug, Default)]
struct Markup {
    /// Each form's action attribute, in document order.
    forms: Vec<Option<String>>,
    /// For each password field, the form it follows (the last form opened before it).
    password_fields: Vec<Option<usize>>,
    meta_refresh: Option<String>,
    /// `download` attributes of links, with the link's href.
    downloads: Vec<(String, String)>,
    scripts: usize,
    event_handlers: Vec<String>,
    javascript_links: usize,
}

fn walk_markup(html: &str) -> Markup {
    let found = RefCell::new(Markup::default());
    let settings = Settings::new()
        .append_element_content_handler(element!("form", |el| {
            found.borrow_mut().forms.push(el.get_attribute("action"));
            Ok(())
        }))
        .append_element_content_handler(element!("input", |el| {
            let is_password = el
                .get_attribute("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("password"));
            if is_password {
                let mut m = found.borrow_mut();
                let form = m.forms.len().checked_sub(1);
                m.password_fields.push(form);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("meta", |el| {
            let refresh = el
                .get_attribute("http-equiv")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
            if refresh && let Some(content) = el.get_attribute("content") {
                found.borrow_mut().meta_refresh.get_or_insert(content);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[download], area[download]", |el| {
            let name = el.get_attribute("download").unwrap_or_default();
            let href = el.get_attribute("href").unwrap_or_default();
            let mut m = found.borrow_mut();
            if m.downloads.len() < 16 {
                m.downloads.push((name, href));
            }
            Ok(())
        }))
        .append_element_content_handler(element!("*", |el| {
            let mut m = found.borrow_mut();
            if el.tag_name() == "script" {
                m.scripts += 1;
            }
            for attr in el.attributes() {
                let name = attr.name();
                if name.starts_with("on") && name.len() > 2 && m.event_handlers.len() < 8 {
                    if !m.event_handlers.contains(&name) {
                        m.event_handlers.push(name);
                    }
                } else if matches!(name.as_str(), "href" | "xlink:href" | "src")
                    && attr
                        .value()
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:")
                {
                    m.javascript_links += 1;
                }
            }
            Ok(())
        }))
        .with_strict(false)
        .with_memory_settings(MemorySettings::new().with_max_allowed_memory_usage(HTML_MEMORY));
    crate::formats::markup::walk_html(settings, html);
    found.into_inner()
}

/// A script sending the reader elsewhere. The target is read up to `REDIRECT_TARGET_CHARS`
/// characters after the match (a counted repetition of a Unicode class as long as that would
/// compile into an automaton of thousands of states: 50 ms at start, measured).
static JS_REDIRECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\blocation(?:\s*\.\s*href)?\s*=\s*["'`]([^"'`\s]{4,})|\blocation\s*\.\s*(replace|assign)\s*\(\s*["'`]([^"'`\s]{4,})"#,
    )
    .expect("valid redirect regex")
});

/// How much of a script redirect's target is read.
const REDIRECT_TARGET_CHARS: usize = 2000;

/// The first `max` characters of `s`.
fn first_chars(s: &str, max: usize) -> &str {
    s.char_indices().nth(max).map_or(s, |(i, _)| &s[..i])
}

static META_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)url\s*=\s*['"]?([^'"\s>]+)"#).expect("valid meta refresh regex")
});

/// Addresses a script posts typed data to.
static SEND_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:\bfetch\s*\(|\burl\s*:|\.open\s*\(\s*["']post["']\s*,|\$\.post\s*\(|\.ajax\s*\()\s*["'`](https?://[^"'`\s]{4,})"#,
    )
    .expect("valid send-target regex")
});

/// A password field written by a script (`'<input type="password"'` in a string).
static PASSWORD_IN_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)type\s*=\s*\\?["']?password\b"#).expect("valid password regex")
});

static DOWNLOAD_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\.download\s*=\s*["'`]([^"'`]{1,200})["'`]|mssave(?:oropen)?blob\s*\([^,()]{1,200},\s*["'`]([^"'`]{1,200})["'`]|setattribute\(\s*["']download["']\s*,\s*["'`]([^"'`]{1,200})["'`]"#,
    )
    .expect("valid download regex")
});

static ENCODED_STRING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\b(unescape|decodeuricomponent|atob)\s*\(\s*(?:"([^"]{16,})"|'([^']{16,})'|`([^`]{16,})`)"#,
    )
    .expect("valid encoded-string regex")
});

static DATA_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)data:([a-z0-9.+-]+/[a-z0-9.+-]+)?((?:;[a-z0-9_.+-]+(?:=[a-z0-9_.+-]+)?)*);base64,"#,
    )
    .expect("valid data URL regex")
});

/// Script calls that build a file in the browser and hand it to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    /// Makes a file object (`new Blob`, `createObjectURL`, `msSaveOrOpenBlob`).
    Blob,
    /// Turns text into bytes.
    Decode,
    /// Saves under a name.
    Download,
}

const SMUGGLING_SIGNS: &[(&str, &str, Sign)] = &[
    ("new blob(", "new Blob()", Sign::Blob),
    ("createobjecturl(", "URL.createObjectURL()", Sign::Blob),
    ("mssaveoropenblob(", "msSaveOrOpenBlob()", Sign::Blob),
    ("mssaveblob(", "msSaveBlob()", Sign::Blob),
    ("atob(", "atob()", Sign::Decode),
    ("uint8array(", "Uint8Array", Sign::Decode),
    ("charcodeat(", "charCodeAt()", Sign::Decode),
    (".download", ".download", Sign::Download),
    (
        "setattribute(\"download\"",
        "setAttribute(\"download\")",
        Sign::Download,
    ),
    (
        "setattribute('download'",
        "setAttribute(\"download\")",
        Sign::Download,
    ),
];

static SMUGGLING_AUTOMATON: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(SMUGGLING_SIGNS.iter().map(|(p, _, _)| p))
        .expect("the smuggling patterns are plain literals")
});

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Base64 runs of at least `min` characters: start, end (exclusive) and the characters, with
/// string pieces joined by `"+"` (how scripts split long literals) read as one run.
fn base64_runs(text: &[u8], min: usize) -> Vec<(usize, usize, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if !text.get(i).copied().is_some_and(is_b64) {
            i += 1;
            continue;
        }
        let start = i;
        let mut chars = Vec::new();
        loop {
            while let Some(&b) = text.get(i)
                && is_b64(b)
            {
                chars.push(b);
                i += 1;
            }
            // `…AAA" + "BBB…`: a literal split in pieces.
            let mut j = i;
            if text.get(j).is_some_and(|&q| q == b'"' || q == b'\'') {
                j += 1;
                while text.get(j).is_some_and(|b| b.is_ascii_whitespace()) {
                    j += 1;
                }
                if text.get(j) == Some(&b'+') {
                    j += 1;
                    while text.get(j).is_some_and(|b| b.is_ascii_whitespace()) {
                        j += 1;
                    }
                    if text.get(j).is_some_and(|&q| q == b'"' || q == b'\'')
                        && text.get(j + 1).copied().is_some_and(is_b64)
                    {
                        i = j + 1;
                        continue;
                    }
                }
            }
            break;
        }
        while text.get(i) == Some(&b'=') {
            i += 1;
        }
        if chars.len() >= min {
            out.push((start, i, chars));
        }
    }
    out
}

/// Decodes base64 characters, forgiving missing padding; at most `max` output bytes.
fn decode_base64(chars: &[u8], max: usize) -> Option<Vec<u8>> {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let clean: Vec<u8> = chars.iter().copied().filter(|&b| is_b64(b)).collect();
    let room = (max / 3).saturating_mul(4);
    // A last group of two or three characters decodes to one or two bytes; one alone is noise.
    let keep = if clean.len() <= room {
        clean.len() - usize::from(clean.len() % 4 == 1)
    } else {
        room
    };
    engine.decode(clean.get(..keep)?).ok()
}

/// `%XX` and `%uXXXX` escapes decoded, as JavaScript's `unescape` does.
pub(crate) fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let hex = |b: &[u8]| {
        std::str::from_utf8(b)
            .ok()
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            if bytes.get(i + 1).is_some_and(|&c| c == b'u' || c == b'U')
                && let Some(v) = bytes.get(i + 2..i + 6).and_then(hex)
            {
                units.push(v);
                i += 6;
                continue;
            }
            if let Some(v) = bytes.get(i + 1..i + 3).and_then(hex) {
                units.push(v);
                i += 3;
                continue;
            }
        }
        // Other characters pass through (as UTF-16 code units of the text).
        let ch = s
            .get(i..)
            .and_then(|r| r.chars().next())
            .unwrap_or('\u{FFFD}');
        let mut buf = [0u16; 2];
        units.extend_from_slice(ch.encode_utf16(&mut buf));
        i += ch.len_utf8().max(1);
    }
    String::from_utf16_lossy(&units)
}

/// Markup a page writes at run time from encoded strings: the decoded text and the decoders.
fn reveal(text: &str) -> (String, Vec<String>) {
    let mut revealed = String::new();
    let mut how: Vec<String> = Vec::new();
    for cap in ENCODED_STRING.captures_iter(text).take(MAX_ENCODED_STRINGS) {
        if revealed.len() >= MAX_REVEALED {
            break;
        }
        let func = cap.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
        let Some(arg) = cap.get(2).or(cap.get(3)).or(cap.get(4)) else {
            continue;
        };
        let arg = arg.as_str();
        let decoded = match func.as_str() {
            "atob" => {
                let room = MAX_REVEALED - revealed.len();
                match decode_base64(arg.as_bytes(), room) {
                    Some(bytes) if crate::formats::bytes::looks_like_text(&bytes) => {
                        String::from_utf8_lossy(&bytes).into_owned()
                    }
                    _ => continue,
                }
            }
            _ => unescape(arg),
        };
        if !looks_like_markup(&decoded) {
            continue;
        }
        let name = match func.as_str() {
            "atob" => "atob()",
            "unescape" => "unescape()",
            _ => "decodeURIComponent()",
        };
        if !how.iter().any(|h| h == name) {
            how.push(name.to_string());
        }
        let room = MAX_REVEALED - revealed.len();
        let cut = (0..=room.min(decoded.len()))
            .rev()
            .find(|&i| decoded.is_char_boundary(i))
            .unwrap_or(0);
        revealed.push_str(decoded.get(..cut).unwrap_or_default());
        revealed.push('\n');
    }
    (revealed, how)
}

/// Decoded text that is markup or script, not a word or an address.
fn looks_like_markup(s: &str) -> bool {
    let lower = s
        .get(..s.len().min(64 * 1024))
        .unwrap_or(s)
        .to_ascii_lowercase();
    [
        "<form",
        "<input",
        "<script",
        "<iframe",
        "<meta",
        "<html",
        "<body",
        "<div",
        "location.",
        "location=",
        "location =",
    ]
    .iter()
    .any(|t| lower.contains(t))
}

/// `s` trimmed and cut to `SHOWN` characters, for evidence.
pub fn shorten(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", s.get(..cut).unwrap_or_default()),
        None => s.to_string(),
    }
}

/// An absolute web address (`https://…`, `//host/…`), the form the link checks take.
fn absolute_url(s: &str) -> Option<String> {
    let t = s.trim().trim_matches(['"', '\'']);
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Some(t.to_string())
    } else {
        t.strip_prefix("//").map(|rest| format!("https://{rest}"))
    }
}

fn redirect_in(text: &str, markup: &Markup) -> Option<Redirect> {
    if let Some(content) = &markup.meta_refresh
        && let Some(url) = META_URL
            .captures(content)
            .and_then(|c| c.get(1))
            .and_then(|m| absolute_url(m.as_str()))
    {
        let delay = content
            .split([';', ','])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let how = if delay.is_empty() {
            "<meta http-equiv=refresh>".to_string()
        } else {
            format!("<meta http-equiv=refresh> ({delay} s)")
        };
        return Some(Redirect { url, how });
    }
    for cap in JS_REDIRECT.captures_iter(text) {
        let (target, how) = match (cap.get(1), cap.get(2), cap.get(3)) {
            (Some(t), _, _) => (
                first_chars(t.as_str(), REDIRECT_TARGET_CHARS),
                "script: location =".to_string(),
            ),
            (None, Some(f), Some(t)) => (
                first_chars(t.as_str(), REDIRECT_TARGET_CHARS),
                format!("script: location.{}()", f.as_str().to_ascii_lowercase()),
            ),
            _ => continue,
        };
        if let Some(url) = absolute_url(target) {
            return Some(Redirect { url, how });
        }
    }
    None
}

fn password_form(text: &str, markup: &Markup, hidden: bool) -> Option<PasswordForm> {
    let field_form = if let Some(&form) = markup.password_fields.first() {
        form
    } else if PASSWORD_IN_SCRIPT.is_match(text) {
        markup.forms.len().checked_sub(1)
    } else {
        return None;
    };
    let action = field_form
        .and_then(|i| markup.forms.get(i).cloned().flatten())
        .filter(|a| !a.trim().is_empty());
    if let Some(action) = &action
        && let Some(url) = absolute_url(action)
    {
        return Some(PasswordForm {
            target: Some(shorten(&url)),
            by_script: false,
            url: Some(url),
            hidden,
        });
    }
    // The address up to 500 characters after its scheme (not counted in the regex: see
    // `JS_REDIRECT`).
    let sent = SEND_TARGET.captures(text).and_then(|c| c.get(1)).map(|m| {
        let url = m.as_str();
        let scheme = url.find("://").map_or(0, |i| i + 3);
        let kept = scheme + first_chars(&url[scheme..], 500).len();
        url[..kept].to_string()
    });
    Some(match (sent, action) {
        (Some(url), _) => PasswordForm {
            target: Some(shorten(&url)),
            by_script: true,
            url: Some(url),
            hidden,
        },
        (None, action) => PasswordForm {
            target: action.map(|a| shorten(&a)),
            by_script: false,
            url: None,
            hidden,
        },
    })
}

/// Whether a data: URL's declared type is media a page shows inline (pictures, fonts, sound).
fn is_media_type(mime: &str) -> bool {
    let m = mime.to_ascii_lowercase();
    m.starts_with("image/")
        || m.starts_with("font/")
        || m.starts_with("audio/")
        || m.starts_with("video/")
        || m.contains("font")
        || m == "text/css"
}

/// The extension of a name, lower-cased.
fn extension_of(name: &str) -> Option<String> {
    crate::formats::sniff::last_extension(name)
}

/// Analyses an HTML or SVG file. Decoded payloads are taken from `bytes_left`. A page that makes
/// a file object and saves it under a name with one of `smuggled_extensions` (lower case, no
/// dot: `lists/smuggled_extensions.txt`) is smuggling, whatever its payload.
pub fn analyse(
    data: &[u8],
    svg: bool,
    smuggled_extensions: &HashSet<String>,
    bytes_left: &mut u64,
) -> Analysis {
    let text = text_of(data);
    let markup = walk_markup(&text);
    let (revealed, how) = reveal(&text);
    let hidden_markup = if revealed.is_empty() {
        Markup::default()
    } else {
        walk_markup(&revealed)
    };
    let mut a = Analysis {
        hidden_markup: how,
        ..Analysis::default()
    };
    a.password_form = password_form(&text, &markup, false).or_else(|| {
        (!revealed.is_empty())
            .then(|| password_form(&revealed, &hidden_markup, true))
            .flatten()
    });
    a.redirect = redirect_in(&text, &markup).or_else(|| {
        redirect_in(&revealed, &hidden_markup).map(|mut r| {
            r.how.push_str(" (encoded)");
            r
        })
    });
    if svg {
        if markup.scripts > 0 {
            a.svg_script.push("<script>".into());
        }
        for h in &markup.event_handlers {
            a.svg_script.push(format!("{h}="));
        }
        if markup.javascript_links > 0 {
            a.svg_script.push("javascript:".into());
        }
    }

    // Files carried inside the page: data: URLs and long base64 strings.
    let bytes = text.as_bytes();
    let mut in_data_urls: Vec<(usize, usize)> = Vec::new();
    for cap in DATA_URL.captures_iter(&text) {
        let Some(whole) = cap.get(0) else { continue };
        let mime = cap.get(1).map_or("text/plain", |m| m.as_str()).to_string();
        let run_at = whole.end();
        let run_len = bytes
            .get(run_at..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| is_b64(b) || b == b'=')
            .count();
        in_data_urls.push((whole.start(), run_at + run_len));
        if is_media_type(&mime) || in_data_urls.len() > MAX_DATA_URLS {
            continue;
        }
        let room = (*bytes_left).min(usize::MAX as u64) as usize;
        let Some(decoded) = decode_base64(
            bytes.get(run_at..run_at + run_len).unwrap_or_default(),
            room,
        ) else {
            continue;
        };
        *bytes_left = bytes_left.saturating_sub(decoded.len() as u64);
        let real = crate::formats::sniff::sniff(&decoded);
        let risky = real.risk() >= crate::formats::sniff::Risk::Document;
        if matches!(real.kind, crate::formats::sniff::Kind::Media(_))
            || (decoded.len() < DATA_URL_MIN_BYTES && !risky)
        {
            continue;
        }
        a.data_urls.push(DataUrl {
            mime,
            bytes: decoded.len(),
            real: real.label(),
            risky,
        });
        if a.payloads.len() < MAX_PAYLOADS {
            let name = markup
                .downloads
                .iter()
                .find(|(_, href)| {
                    href.trim_start()
                        .get(..5)
                        .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
                })
                .map(|(n, _)| n.clone())
                .filter(|n| !n.trim().is_empty());
            a.payloads.push(Payload {
                name,
                data: decoded,
            });
        }
    }

    // HTML smuggling: a script that makes a file object, and a file to put in it.
    let mut found: Vec<usize> = Vec::new();
    for m in SMUGGLING_AUTOMATON.find_overlapping_iter(bytes) {
        let i = m.pattern().as_usize();
        if !found.contains(&i) {
            found.push(i);
        }
    }
    found.sort_unstable();
    let has = |sign: Sign| {
        found
            .iter()
            .any(|&i| SMUGGLING_SIGNS.get(i).is_some_and(|(_, _, s)| *s == sign))
    };
    let mut signs: Vec<String> = Vec::new();
    for &i in &found {
        if let Some((_, shown, _)) = SMUGGLING_SIGNS.get(i)
            && !signs.iter().any(|s| s == shown)
        {
            signs.push(shown.to_string());
        }
    }
    let data_url_download = markup.downloads.iter().any(|(_, href)| {
        href.trim_start()
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
    });
    if !markup.downloads.is_empty() {
        signs.push("<a download>".into());
    }
    let saved_as = DOWNLOAD_NAME
        .captures(&text)
        .and_then(|c| c.get(1).or(c.get(2)).or(c.get(3)))
        .map(|m| m.as_str().to_string())
        .or_else(|| {
            markup
                .downloads
                .iter()
                .map(|(n, _)| n.clone())
                .find(|n| !n.trim().is_empty())
        });
    let downloads = has(Sign::Download) || !markup.downloads.is_empty();
    if has(Sign::Blob) || data_url_download {
        let runs: Vec<_> = base64_runs(bytes, PAYLOAD_MIN_CHARS)
            .into_iter()
            .filter(|(start, end, _)| {
                !in_data_urls
                    .iter()
                    .any(|(ds, de)| *ds <= *start && *end <= *de)
            })
            .collect();
        let biggest = runs.into_iter().max_by_key(|(_, _, c)| c.len());
        let mut risky_payload = false;
        let mut big = false;
        if let Some((_, _, chars)) = biggest {
            big = chars.len() >= BIG_PAYLOAD_CHARS;
            let room = (*bytes_left).min(usize::MAX as u64) as usize;
            if let Some(decoded) = decode_base64(&chars, room) {
                *bytes_left = bytes_left.saturating_sub(decoded.len() as u64);
                let real = crate::formats::sniff::sniff(&decoded);
                // A document saved by the page is smuggled; one it only shows (an invoice
                // viewer) is not.
                risky_payload = real.risk() >= crate::formats::sniff::Risk::Container
                    || (real.risk() == crate::formats::sniff::Risk::Document && downloads);
                signs.push(format!("base64 {} bytes: {}", decoded.len(), real.label()));
                if (risky_payload || big) && a.payloads.len() < MAX_PAYLOADS {
                    a.payloads.push(Payload {
                        name: saved_as.clone().filter(|n| !n.trim().is_empty()),
                        data: decoded,
                    });
                }
            }
        }
        let risky_data_url = data_url_download && a.data_urls.iter().any(|d| d.risky);
        let risky_name = saved_as
            .as_deref()
            .and_then(extension_of)
            .is_some_and(|e| smuggled_extensions.contains(&e));
        if risky_payload || risky_data_url || risky_name || (big && has(Sign::Decode) && downloads)
        {
            a.smuggling = Some(Smuggling {
                signs,
                saved_as: saved_as.map(|n| shorten(&n)),
            });
        }
    }
    a
}
