//! Drill scenarios as data: each scenario is one TOML file (what it teaches, who it claims to be
//! from, subject, body templates in text and HTML, an optional mock attachment, debrief points and
//! an optional follow-up quiz). The built-in ones
//! are such files embedded in the binary (`src/drill/scenarios/*.toml`); a campaign's scenario
//! folder (`scenarios/` beside the campaign file, or `scenarios_dir`) adds scenarios or replaces a
//! built-in one with the same id.
//!
//! Scenario files are untrusted input: sizes are bounded, unknown keys and unknown placeholders
//! are errors naming the file and line, control characters are refused where they would reach a
//! header, HTML templates are checked for active content, and only inert attachments (a PDF with
//! one link, a web page, a zip of those) can be asked for.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use toml::Spanned;

/// Largest scenario file, and largest file a scenario reads beside it.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;
/// Largest body or page template, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 64 * 1024;
/// Longest one-line text (title, subject, display name, link text, attachment name or line).
pub const MAX_LINE_CHARS: usize = 300;
/// Most scenario files read from one folder.
pub const MAX_FILES: usize = 200;
/// Most lines of a mock PDF or page.
pub const MAX_ATTACHMENT_LINES: usize = 40;
/// Most files in a mock zip.
pub const MAX_ZIP_ENTRIES: usize = 8;
/// Most debrief points per language, and the longest one.
pub const MAX_DEBRIEF_POINTS: usize = 10;
pub const MAX_DEBRIEF_CHARS: usize = 1000;
/// Most rules one scenario teaches.
pub const MAX_TEACHES: usize = 20;
/// Questions of a scenario's follow-up quiz (`[[quiz]]`): none, or this many.
pub const MIN_QUESTIONS: usize = 2;
pub const MAX_QUESTIONS: usize = 3;
/// Choices of one quiz question.
pub const MIN_CHOICES: usize = 2;
pub const MAX_CHOICES: usize = 6;

/// Where a scenario comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Embedded in the binary (the file name under `src/drill/scenarios/`).
    BuiltIn(&'static str),
    /// A file in the campaign's scenario folder.
    File(PathBuf),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::BuiltIn(name) => write!(f, "built-in ({name})"),
            Source::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Who a lure claims to be from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SenderKind {
    /// The campaign's `sender.freemail` address.
    Freemail,
    /// `local_part@` the campaign's `sender.lookalike_domain`.
    Lookalike(String),
}

/// A placeholder in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Name,
    Email,
    Department,
    Org,
    Domain,
    Date,
    Month,
    /// Body and page templates only: the link (an anchor in HTML, the URL in text).
    Link,
    /// Body and page templates only: the bare URL.
    Url,
}

impl Var {
    const ALL: [(&'static str, Var); 9] = [
        ("name", Var::Name),
        ("email", Var::Email),
        ("department", Var::Department),
        ("org", Var::Org),
        ("domain", Var::Domain),
        ("date", Var::Date),
        ("month", Var::Month),
        ("link", Var::Link),
        ("url", Var::Url),
    ];
}

/// Where a template is used, which decides the placeholders it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// One line: no `{link}` or `{url}`.
    Line,
    /// A body or a page: every placeholder.
    Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Var(Var),
}

/// A parsed template: text and placeholders. `{{` and `}}` stand for `{` and `}`; a `{` not
/// followed by a name and `}` is itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    parts: Vec<Part>,
}

/// The values placed into a lure's templates (raw; each use escapes them as its context needs).
#[derive(Debug, Clone, Default)]
pub struct Values<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub department: &'a str,
    pub org: &'a str,
    pub domain: &'a str,
    pub date: &'a str,
    pub month: &'a str,
}

impl Template {
    /// Parses `text`; an unknown placeholder, or one not allowed in `place`, is an error naming it
    /// and its byte offset in `text`.
    fn parse(text: &str, place: Place) -> Result<Template, (usize, String)> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        let mut at = 0usize;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("{{") || rest.starts_with("}}") {
                lit.push(c);
                rest = &rest[2..];
                at += 2;
                continue;
            }
            if c == '{' {
                let name_len = rest[1..]
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .unwrap_or(rest.len() - 1);
                if name_len > 0 && rest[1 + name_len..].starts_with('}') {
                    let name = &rest[1..1 + name_len];
                    let Some((_, var)) = Var::ALL.iter().find(|(n, _)| *n == name) else {
                        return Err((
                            at,
                            format!(
                                "unknown placeholder `{{{name}}}` (known: {}; write `{{{{` for a literal `{{`)",
                                Var::ALL
                                    .iter()
                                    .map(|(n, _)| format!("{{{n}}}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    };
                    if place == Place::Line && matches!(var, Var::Link | Var::Url) {
                        return Err((
                            at,
                            format!(
                                "`{{{name}}}` is only for the body (message.text, message.html) and pages (attachment.html)"
                            ),
                        ));
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Var(*var));
                    let len = name_len + 2;
                    rest = &rest[len..];
                    at += len;
                    continue;
                }
            }
            lit.push(c);
            rest = &rest[c.len_utf8()..];
            at += c.len_utf8();
        }
        if !lit.is_empty() {
            parts.push(Part::Text(lit));
        }
        Ok(Template { parts })
    }

    /// The text with each value passed through `clean` (the template's own text as it is), `link`
    /// for `{link}` and `url` for `{url}` (given ready for the context).
    pub fn render(
        &self,
        v: &Values<'_>,
        link: &str,
        url: &str,
        clean: &dyn Fn(&str) -> String,
    ) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Var(var) => {
                    let value = match var {
                        Var::Name => v.name,
                        Var::Email => v.email,
                        Var::Department => v.department,
                        Var::Org => v.org,
                        Var::Domain => v.domain,
                        Var::Date => v.date,
                        Var::Month => v.month,
                        Var::Link => {
                            out.push_str(link);
                            continue;
                        }
                        Var::Url => {
                            out.push_str(url);
                            continue;
                        }
                    };
                    out.push_str(&clean(value));
                }
            }
        }
        out
    }

    /// Whether the template uses `var`.
    pub fn uses(&self, var: Var) -> bool {
        self.parts.contains(&Part::Var(var))
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// Kinds of mock attachment: all inert by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    /// A one-page PDF: lines of text and one link.
    Pdf,
    /// A web page: lines of text and one link, or a page template.
    Html,
    /// A zip of PDFs and pages.
    Zip,
}

impl AttachmentKind {
    fn extensions(self) -> &'static [&'static str] {
        match self {
            AttachmentKind::Pdf => &[".pdf"],
            AttachmentKind::Html => &[".html", ".htm"],
            AttachmentKind::Zip => &[".zip"],
        }
    }
}

/// A mock attachment (or one file of a mock zip).
#[derive(Debug, Clone)]
pub struct Attachment {
    pub kind: AttachmentKind,
    pub name: Template,
    /// Text lines (the first is the heading).
    pub lines: Vec<Template>,
    pub link_text: Template,
    /// A page template (`kind = "html"` only), in place of `lines`.
    pub page: Option<Template>,
    /// The files of a zip.
    pub entries: Vec<Attachment>,
}

/// One scenario, checked.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub id: String,
    /// `ja` or `en`: the language of the lure.
    pub lang: String,
    pub title_en: String,
    pub title_ja: String,
    /// Rule ids lurescreen raises on this lure: what it teaches.
    pub teaches: Vec<String>,
    /// Line of `teaches` in the file (for errors about the rules).
    pub teaches_line: usize,
    pub from: SenderKind,
    pub display_name: Template,
    pub subject: Template,
    pub link_text: Template,
    /// The text body.
    pub text: Template,
    /// The HTML body; none: made from the text (paragraphs, `{link}` as an anchor).
    pub html: Option<Template>,
    pub attachment: Option<Attachment>,
    /// Points shown on the debrief page, per language.
    pub debrief_en: Vec<String>,
    pub debrief_ja: Vec<String>,
    /// The follow-up quiz at the end of the debrief (none, or 2 to 3 questions).
    pub quiz: Vec<Question>,
    pub source: Source,
}

/// One question of a scenario's follow-up quiz, in both languages: the choices are numbered from
/// 1 in the same order in each, and `answer` is the number of the one correct choice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Question {
    pub question_en: String,
    pub question_ja: String,
    pub choices_en: Vec<String>,
    pub choices_ja: Vec<String>,
    /// The correct choice, from 1.
    pub answer: usize,
    /// One line on why that answer, shown after the quiz is answered.
    pub explain_en: String,
    pub explain_ja: String,
}

impl Question {
    pub fn question(&self, lang: crate::lang::Lang) -> &str {
        match lang {
            crate::lang::Lang::Ja => &self.question_ja,
            crate::lang::Lang::En => &self.question_en,
        }
    }

    pub fn choices(&self, lang: crate::lang::Lang) -> &[String] {
        match lang {
            crate::lang::Lang::Ja => &self.choices_ja,
            crate::lang::Lang::En => &self.choices_en,
        }
    }

    pub fn explain(&self, lang: crate::lang::Lang) -> &str {
        match lang {
            crate::lang::Lang::Ja => &self.explain_ja,
            crate::lang::Lang::En => &self.explain_en,
        }
    }
}

impl Scenario {
    pub fn is_ja(&self) -> bool {
        self.lang == "ja"
    }

    pub fn title(&self, lang: crate::lang::Lang) -> &str {
        match lang {
            crate::lang::Lang::Ja => &self.title_ja,
            crate::lang::Lang::En => &self.title_en,
        }
    }

    pub fn is_built_in(&self) -> bool {
        matches!(self.source, Source::BuiltIn(_))
    }

    /// What `serve` and `report` need of the scenario, kept in the manifest.
    pub fn info(&self) -> Info {
        Info {
            id: self.id.clone(),
            lang: self.lang.clone(),
            title_en: self.title_en.clone(),
            title_ja: self.title_ja.clone(),
            teaches: self.teaches.clone(),
            debrief_en: self.debrief_en.clone(),
            debrief_ja: self.debrief_ja.clone(),
            quiz: self.quiz.clone(),
            source: self.source.to_string(),
        }
    }
}

/// What the landing page and the report know of a scenario: `manifest.json` holds it for the
/// scenarios that come from files; the built-in ones are looked up by id.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Info {
    pub id: String,
    pub lang: String,
    pub title_en: String,
    pub title_ja: String,
    pub teaches: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub debrief_en: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub debrief_ja: Vec<String>,
    /// The follow-up quiz (`[[quiz]]`), none when the scenario has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quiz: Vec<Question>,
    #[serde(default)]
    pub source: String,
}

impl Info {
    pub fn is_ja(&self) -> bool {
        self.lang == "ja"
    }

    pub fn title(&self, lang: crate::lang::Lang) -> &str {
        match lang {
            crate::lang::Lang::Ja => &self.title_ja,
            crate::lang::Lang::En => &self.title_en,
        }
    }

    /// The debrief points in `lang`, else in the other language.
    pub fn debrief(&self, lang: crate::lang::Lang) -> &[String] {
        let (first, other) = match lang {
            crate::lang::Lang::Ja => (&self.debrief_ja, &self.debrief_en),
            crate::lang::Lang::En => (&self.debrief_en, &self.debrief_ja),
        };
        if first.is_empty() { other } else { first }
    }
}

/// A scenario file that cannot be used: the file, the line when known, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

// --- the file format -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: Spanned<String>,
    lang: Spanned<String>,
    title_en: Spanned<String>,
    title_ja: Spanned<String>,
    teaches: Spanned<Vec<String>>,
    sender: SenderSpec,
    message: MessageSpec,
    #[serde(default)]
    attachment: Option<Spanned<AttachmentSpec>>,
    #[serde(default)]
    debrief: Option<Spanned<DebriefSpec>>,
    #[serde(default)]
    quiz: Vec<Spanned<QuizSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizSpec {
    question_en: Spanned<String>,
    question_ja: Spanned<String>,
    choices_en: Spanned<Vec<String>>,
    choices_ja: Spanned<Vec<String>>,
    answer: Spanned<i64>,
    explain_en: Spanned<String>,
    explain_ja: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SenderSpec {
    address: Spanned<String>,
    display_name: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageSpec {
    subject: Spanned<String>,
    #[serde(default)]
    link_text: Option<Spanned<String>>,
    #[serde(default)]
    text: Option<Spanned<String>>,
    #[serde(default)]
    text_file: Option<Spanned<String>>,
    #[serde(default)]
    html: Option<Spanned<String>>,
    #[serde(default)]
    html_file: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachmentSpec {
    kind: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    lines: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    link_text: Option<Spanned<String>>,
    #[serde(default)]
    html: Option<Spanned<String>>,
    #[serde(default)]
    html_file: Option<Spanned<String>>,
    #[serde(default)]
    entries: Vec<Spanned<AttachmentSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DebriefSpec {
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    ja: Vec<String>,
}

/// 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset.min(text.len()))
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads one scenario file: its text, the folder its sibling files are read from (none for the
/// built-in ones, which have none), and where it came from.
struct Reader<'a> {
    text: &'a str,
    file: String,
    dir: Option<&'a Path>,
}

/// Attachment kinds asked for that drills never build, with the reason given.
const NEVER: &[&str] = &[
    "exe",
    "dll",
    "scr",
    "com",
    "pif",
    "bat",
    "cmd",
    "ps1",
    "vbs",
    "vbe",
    "js",
    "jse",
    "wsf",
    "wsh",
    "hta",
    "msi",
    "lnk",
    "iso",
    "img",
    "vhd",
    "jar",
    "sh",
    "elf",
    "macho",
    "doc",
    "docm",
    "dotm",
    "xls",
    "xlsm",
    "xltm",
    "xlam",
    "ppt",
    "pptm",
    "potm",
    "ppam",
    "one",
    "chm",
    "rtf",
    "macro",
    "vba",
    "executable",
    "script",
    "docx",
    "xlsx",
    "pptx",
    "office",
    "7z",
    "rar",
];

impl Reader<'_> {
    fn err(&self, line: Option<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            file: self.file.clone(),
            line,
            message: message.into(),
        }
    }

    fn at<T>(&self, s: &Spanned<T>, message: impl Into<String>) -> ScenarioError {
        self.err(Some(line_at(self.text, s.span().start)), message)
    }

    /// A one-line text: not empty (unless `may_be_empty`), not too long, no control character.
    fn one_line(
        &self,
        key: &str,
        s: &Spanned<String>,
        may_be_empty: bool,
    ) -> Result<(), ScenarioError> {
        let v = s.get_ref();
        if v.trim().is_empty() && !may_be_empty {
            return Err(self.at(s, format!("{key} is empty")));
        }
        if v.chars().count() > MAX_LINE_CHARS {
            return Err(self.at(
                s,
                format!("{key} is longer than {MAX_LINE_CHARS} characters"),
            ));
        }
        if let Some(c) = v.chars().find(|c| c.is_control()) {
            return Err(self.at(
                s,
                format!(
                    "{key} holds the control character U+{:04X}: one line of text only (it could break the mail's header)",
                    c as u32
                ),
            ));
        }
        Ok(())
    }

    /// Parses a template given in this file, errors at the placeholder's own line.
    fn template(
        &self,
        key: &str,
        s: &Spanned<String>,
        place: Place,
        trim: bool,
    ) -> Result<Template, ScenarioError> {
        let v = if trim {
            s.get_ref().trim()
        } else {
            s.get_ref()
        };
        if v.len() > MAX_TEMPLATE_BYTES {
            return Err(self.at(
                s,
                format!("{key} is larger than {MAX_TEMPLATE_BYTES} bytes"),
            ));
        }
        Template::parse(v, place).map_err(|(at, msg)| {
            // The placeholder as written in the file (escapes in a TOML string are rare in
            // placeholders): its own line, else the value's.
            let span = s.span();
            let token_end = v[at..].find('}').map_or(v.len(), |e| at + e + 1);
            let token = &v[at..token_end];
            let raw = self.text.get(span.clone()).unwrap_or("");
            let line = raw.find(token).map_or(line_at(self.text, span.start), |o| {
                line_at(self.text, span.start + o)
            });
            self.err(Some(line), format!("{key}: {msg}"))
        })
    }

    /// A template given inline (`key`) or in a file beside the scenario (`key_file`).
    fn inline_or_file(
        &self,
        key: &str,
        inline: &Option<Spanned<String>>,
        file: &Option<Spanned<String>>,
        place: Place,
    ) -> Result<Option<Template>, ScenarioError> {
        match (inline, file) {
            (Some(a), Some(_)) => Err(self.at(a, format!("give {key} or {key}_file, not both"))),
            (Some(s), None) => self.template(key, s, place, true).map(Some),
            (None, Some(f)) => {
                let (path, text) = self.sibling(&format!("{key}_file"), f)?;
                if text.len() > MAX_TEMPLATE_BYTES {
                    return Err(ScenarioError {
                        file: path.display().to_string(),
                        line: None,
                        message: format!("larger than {MAX_TEMPLATE_BYTES} bytes"),
                    });
                }
                Template::parse(text.trim(), place)
                    .map(Some)
                    .map_err(|(at, msg)| {
                        let lead = text.len() - text.trim_start().len();
                        ScenarioError {
                            file: path.display().to_string(),
                            line: Some(line_at(&text, lead + at)),
                            message: msg,
                        }
                    })
            }
            (None, None) => Ok(None),
        }
    }

    /// Reads a file named in the scenario: a plain relative name inside the scenario's folder, a
    /// regular file (not a link), UTF-8, at most [`MAX_FILE_BYTES`].
    fn sibling(
        &self,
        key: &str,
        name: &Spanned<String>,
    ) -> Result<(PathBuf, String), ScenarioError> {
        let Some(dir) = self.dir else {
            return Err(self.at(name, format!("{key}: built-in scenarios cannot read files")));
        };
        let rel = Path::new(name.get_ref());
        // One plain name: no folder (which could be a link out), no `..`, no absolute path.
        let mut parts = rel.components();
        let plain =
            matches!(parts.next(), Some(std::path::Component::Normal(_))) && parts.next().is_none();
        if !plain {
            return Err(self.at(
                name,
                format!(
                    "{key} `{}`: give a file name inside the scenario's folder (no folder, no `..`, no absolute path)",
                    name.get_ref()
                ),
            ));
        }
        let path = dir.join(rel);
        let meta = std::fs::symlink_metadata(&path)
            .map_err(|e| self.at(name, format!("{key}: {}: {e}", path.display())))?;
        if !meta.file_type().is_file() {
            return Err(self.at(
                name,
                format!(
                    "{key}: {} is not a regular file (links are not followed)",
                    path.display()
                ),
            ));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(self.at(
                name,
                format!(
                    "{key}: {} is larger than {MAX_FILE_BYTES} bytes",
                    path.display()
                ),
            ));
        }
        let data = std::fs::read(&path)
            .map_err(|e| self.at(name, format!("{key}: {}: {e}", path.display())))?;
        let text = String::from_utf8(data).map_err(|e| ScenarioError {
            file: path.display().to_string(),
            line: None,
            message: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        })?;
        Ok((path, text))
    }

    fn attachment(
        &self,
        spec: &Spanned<AttachmentSpec>,
        in_zip: bool,
    ) -> Result<Attachment, ScenarioError> {
        let a = spec.get_ref();
        let kind_text = a.kind.get_ref().trim().to_ascii_lowercase();
        let kind = match kind_text.as_str() {
            "pdf" => AttachmentKind::Pdf,
            "html" => AttachmentKind::Html,
            "zip" if !in_zip => AttachmentKind::Zip,
            "zip" => {
                return Err(self.at(
                    &a.kind,
                    "a zip inside a zip: put the PDFs and pages in the outer zip",
                ));
            }
            k if NEVER.contains(&k.trim_start_matches('.')) => {
                return Err(self.at(
                    &a.kind,
                    format!(
                        "attachment kind `{k}`: drills never send executables, scripts or documents that can carry macros; use \"pdf\", \"html\" or \"zip\" (of PDFs and pages)"
                    ),
                ));
            }
            k => {
                return Err(self.at(
                    &a.kind,
                    format!("attachment kind `{k}`: use \"pdf\", \"html\" or \"zip\""),
                ));
            }
        };
        self.one_line("attachment.name", &a.name, false)?;
        let lower = a.name.get_ref().to_lowercase();
        if !kind.extensions().iter().any(|e| lower.ends_with(e)) {
            return Err(self.at(
                &a.name,
                format!(
                    "attachment.name `{}`: a {kind_text} attachment's name ends in {}",
                    a.name.get_ref(),
                    kind.extensions().join(" or ")
                ),
            ));
        }
        if a.name.get_ref().contains(['/', '\\', '"']) {
            return Err(self.at(&a.name, "attachment.name: no `/`, `\\` or `\"`"));
        }
        let name = self.template("attachment.name", &a.name, Place::Line, false)?;
        let link_text = match &a.link_text {
            Some(t) => {
                self.one_line("attachment.link_text", t, false)?;
                self.template("attachment.link_text", t, Place::Line, false)?
            }
            None => Template::default(),
        };
        let mut lines = Vec::new();
        if let Some(ls) = &a.lines {
            if ls.get_ref().len() > MAX_ATTACHMENT_LINES {
                return Err(self.at(
                    ls,
                    format!("attachment.lines: more than {MAX_ATTACHMENT_LINES} lines"),
                ));
            }
            for l in ls.get_ref() {
                let s = Spanned::new(ls.span(), l.clone());
                self.one_line("attachment.lines", &s, true)?;
                lines.push(self.template("attachment.lines", &s, Place::Line, false)?);
            }
        }
        let page = self.inline_or_file("attachment.html", &a.html, &a.html_file, Place::Body)?;
        let mut entries = Vec::new();
        match kind {
            AttachmentKind::Pdf => {
                if page.is_some() {
                    return Err(self.at(
                        spec,
                        "attachment.html is for kind = \"html\"; a PDF has lines and link_text",
                    ));
                }
                if lines.is_empty() || link_text.is_empty() {
                    return Err(self.at(
                        spec,
                        "a PDF attachment needs lines and link_text (its one link)",
                    ));
                }
            }
            AttachmentKind::Html => match &page {
                Some(p) => {
                    if !lines.is_empty() {
                        return Err(
                            self.at(spec, "give attachment.lines or attachment.html, not both")
                        );
                    }
                    if !(p.uses(Var::Link) || p.uses(Var::Url)) {
                        return Err(self.at(spec, "attachment.html has no {link} or {url}: the page must lead to the landing page"));
                    }
                    if p.uses(Var::Link) && link_text.is_empty() {
                        return Err(self.at(
                            spec,
                            "attachment.html uses {link}: give attachment.link_text",
                        ));
                    }
                    self.inert_page("attachment.html", spec, p)?;
                }
                None => {
                    if lines.is_empty() || link_text.is_empty() {
                        return Err(self.at(spec, "an HTML attachment needs lines and link_text, or a page template (html or html_file)"));
                    }
                }
            },
            AttachmentKind::Zip => {
                if a.entries.is_empty() || a.entries.len() > MAX_ZIP_ENTRIES {
                    return Err(self.at(spec, format!("a zip attachment holds 1 to {MAX_ZIP_ENTRIES} entries ([[attachment.entries]])")));
                }
                if !lines.is_empty() || page.is_some() || !link_text.is_empty() {
                    return Err(self.at(spec, "a zip attachment has only kind, name and entries"));
                }
                for e in &a.entries {
                    entries.push(self.attachment(e, true)?);
                }
            }
        }
        if kind != AttachmentKind::Zip && !a.entries.is_empty() {
            return Err(self.at(spec, "attachment.entries is for kind = \"zip\""));
        }
        Ok(Attachment {
            kind,
            name,
            lines,
            link_text,
            page,
            entries,
        })
    }

    /// Refuses a page or body template with active content (script, form, frame, event handler,
    /// `javascript:` or `data:` URL...), checked on the template filled with sample values.
    fn inert_page<T>(&self, key: &str, at: &Spanned<T>, t: &Template) -> Result<(), ScenarioError> {
        let sample = Values {
            name: "name",
            email: "a@example.com",
            department: "dept",
            org: "org",
            domain: "example.com",
            date: "2026-01-01",
            month: "January",
        };
        let page = t.render(
            &sample,
            "<a href=\"https://landing.example/t/0\">link</a>",
            "https://landing.example/t/0",
            &|s| s.to_string(),
        );
        if let Some(why) = super::payload::active_content(page.as_bytes()) {
            return Err(self.at(
                at,
                format!("{key} holds active content ({why}): drill pages are inert, text and one link only"),
            ));
        }
        Ok(())
    }

    fn scenario(&self, source: Source) -> Result<Scenario, ScenarioError> {
        let spec: Spec = toml::from_str(self.text).map_err(|e| {
            self.err(
                e.span().map(|s| line_at(self.text, s.start)),
                e.message().trim().to_string(),
            )
        })?;
        let id = spec.id.get_ref();
        if id.is_empty()
            || id.len() > 64
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(self.at(
                &spec.id,
                format!("id `{id}`: 1 to 64 letters, digits, `-`, `_` and `.`"),
            ));
        }
        let lang = spec.lang.get_ref();
        if !matches!(lang.as_str(), "ja" | "en") {
            return Err(self.at(&spec.lang, format!("lang `{lang}`: use \"ja\" or \"en\"")));
        }
        self.one_line("title_en", &spec.title_en, false)?;
        self.one_line("title_ja", &spec.title_ja, false)?;
        let teaches = spec.teaches.get_ref();
        if teaches.is_empty() || teaches.len() > MAX_TEACHES {
            return Err(self.at(
                &spec.teaches,
                format!(
                    "teaches: list 1 to {MAX_TEACHES} rule ids the lure makes the filter raise"
                ),
            ));
        }
        if let Some(r) = teaches.iter().find(|r| {
            r.is_empty()
                || !r
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        }) {
            return Err(self.at(
                &spec.teaches,
                format!("teaches: `{r}` is not a rule id (RULE_NAME)"),
            ));
        }
        // The sender: only addresses the drill team controls.
        let addr = spec.sender.address.get_ref().trim();
        let from = if addr == "{freemail}" {
            SenderKind::Freemail
        } else if let Some(local) = addr.strip_suffix("@{lookalike_domain}") {
            let ok = !local.is_empty()
                && local.len() <= 64
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !local.contains("..")
                && local
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c));
            if !ok {
                return Err(self.at(
                    &spec.sender.address,
                    format!("sender.address `{addr}`: the local part before @{{lookalike_domain}} takes letters, digits, `.`, `_`, `-` and `+`"),
                ));
            }
            SenderKind::Lookalike(local.to_string())
        } else {
            return Err(self.at(
                &spec.sender.address,
                format!(
                    "sender.address `{addr}`: use \"{{freemail}}\" (the campaign's sender.freemail) or \"LOCAL@{{lookalike_domain}}\" (the campaign's sender.lookalike_domain): a drill sends only from addresses the drill team controls"
                ),
            ));
        };
        self.one_line("sender.display_name", &spec.sender.display_name, false)?;
        let display_name = self.template(
            "sender.display_name",
            &spec.sender.display_name,
            Place::Line,
            false,
        )?;
        let m = &spec.message;
        self.one_line("message.subject", &m.subject, false)?;
        let subject = self.template("message.subject", &m.subject, Place::Line, false)?;
        let link_text = match &m.link_text {
            Some(t) => {
                self.one_line("message.link_text", t, true)?;
                self.template("message.link_text", t, Place::Line, false)?
            }
            None => Template::default(),
        };
        let text = self
            .inline_or_file("message.text", &m.text, &m.text_file, Place::Body)?
            .ok_or_else(|| {
                self.err(
                    None,
                    "message: give text (or text_file), the plain-text body",
                )
            })?;
        let html = self.inline_or_file("message.html", &m.html, &m.html_file, Place::Body)?;
        if let (Some(h), Some(s)) = (&html, m.html.as_ref().or(m.html_file.as_ref())) {
            self.inert_page("message.html", s, h)?;
        }
        let attachment = spec
            .attachment
            .as_ref()
            .map(|a| self.attachment(a, false))
            .transpose()?;
        let body_links = text.uses(Var::Link)
            || text.uses(Var::Url)
            || html
                .as_ref()
                .is_some_and(|h| h.uses(Var::Link) || h.uses(Var::Url));
        if !body_links && attachment.is_none() {
            return Err(self.at(
                &m.subject,
                "no link anywhere: put {link} in message.text (or message.html), or give an attachment",
            ));
        }
        let (mut debrief_en, mut debrief_ja) = (Vec::new(), Vec::new());
        if let Some(d) = &spec.debrief {
            for (key, points, out) in [
                ("debrief.en", &d.get_ref().en, &mut debrief_en),
                ("debrief.ja", &d.get_ref().ja, &mut debrief_ja),
            ] {
                if points.len() > MAX_DEBRIEF_POINTS {
                    return Err(self.at(d, format!("{key}: at most {MAX_DEBRIEF_POINTS} points")));
                }
                for p in points {
                    if p.trim().is_empty() || p.chars().count() > MAX_DEBRIEF_CHARS {
                        return Err(self.at(
                            d,
                            format!("{key}: each point is 1 to {MAX_DEBRIEF_CHARS} characters"),
                        ));
                    }
                    out.push(p.trim().to_string());
                }
            }
        }
        let quiz = self.quiz(&spec.quiz)?;
        Ok(Scenario {
            id: id.clone(),
            lang: lang.clone(),
            title_en: spec.title_en.get_ref().clone(),
            title_ja: spec.title_ja.get_ref().clone(),
            teaches: teaches.clone(),
            teaches_line: line_at(self.text, spec.teaches.span().start),
            from,
            display_name,
            subject,
            link_text,
            text,
            html,
            attachment,
            debrief_en,
            debrief_ja,
            quiz,
            source,
        })
    }

    /// The `[[quiz]]` tables: none, or 2 to 3 questions, each with 2 to 6 choices in both
    /// languages (as many in each), one correct answer, an explanation; lengths bounded.
    fn quiz(&self, specs: &[Spanned<QuizSpec>]) -> Result<Vec<Question>, ScenarioError> {
        if specs.is_empty() {
            return Ok(Vec::new());
        }
        if !(MIN_QUESTIONS..=MAX_QUESTIONS).contains(&specs.len()) {
            let at = specs.get(MAX_QUESTIONS).unwrap_or(&specs[0]);
            return Err(self.at(
                at,
                format!(
                    "quiz: {MIN_QUESTIONS} to {MAX_QUESTIONS} questions ([[quiz]] tables), or none; this file has {}",
                    specs.len()
                ),
            ));
        }
        let mut out = Vec::new();
        for (n, spec) in specs.iter().enumerate() {
            let q = spec.get_ref();
            let key = |k: &str| format!("quiz {}: {k}", n + 1);
            self.one_line(&key("question_en"), &q.question_en, false)?;
            self.one_line(&key("question_ja"), &q.question_ja, false)?;
            let mut choices = Vec::new();
            for (name, list) in [("choices_en", &q.choices_en), ("choices_ja", &q.choices_ja)] {
                let c = list.get_ref();
                if !(MIN_CHOICES..=MAX_CHOICES).contains(&c.len()) {
                    return Err(self.at(
                        list,
                        format!(
                            "{}: {MIN_CHOICES} to {MAX_CHOICES} choices, not {}",
                            key(name),
                            c.len()
                        ),
                    ));
                }
                for (i, choice) in c.iter().enumerate() {
                    self.one_line(
                        &key(name),
                        &Spanned::new(list.span(), choice.clone()),
                        false,
                    )?;
                    if c[..i].iter().any(|o| o.trim() == choice.trim()) {
                        return Err(self.at(
                            list,
                            format!("{}: `{}` is there twice", key(name), choice.trim()),
                        ));
                    }
                }
                choices.push(c.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>());
            }
            if choices[0].len() != choices[1].len() {
                return Err(self.at(
                    &q.choices_ja,
                    format!(
                        "{}: {} choices in English and {} in Japanese: give the same choices, in the same order, in both",
                        key("choices_ja"),
                        choices[0].len(),
                        choices[1].len()
                    ),
                ));
            }
            let answer = *q.answer.get_ref();
            let answer = usize::try_from(answer)
                .ok()
                .filter(|a| (1..=choices[0].len()).contains(a))
                .ok_or_else(|| {
                    self.at(
                        &q.answer,
                        format!(
                            "{}: the number of the one correct choice, 1 to {} (not {answer})",
                            key("answer"),
                            choices[0].len()
                        ),
                    )
                })?;
            for (name, s) in [("explain_en", &q.explain_en), ("explain_ja", &q.explain_ja)] {
                let v = s.get_ref().trim();
                if v.is_empty() || v.chars().count() > MAX_DEBRIEF_CHARS {
                    return Err(self.at(
                        s,
                        format!("{}: 1 to {MAX_DEBRIEF_CHARS} characters", key(name)),
                    ));
                }
            }
            let [choices_en, choices_ja]: [Vec<String>; 2] = choices.try_into().unwrap_or_default();
            out.push(Question {
                question_en: q.question_en.get_ref().trim().to_string(),
                question_ja: q.question_ja.get_ref().trim().to_string(),
                choices_en,
                choices_ja,
                answer,
                explain_en: q.explain_en.get_ref().trim().to_string(),
                explain_ja: q.explain_ja.get_ref().trim().to_string(),
            });
        }
        Ok(out)
    }
}

/// Parses one scenario file's text. `dir` is the folder its `*_file` keys are read from (none:
/// they are refused).
pub fn parse(
    text: &str,
    file: &str,
    dir: Option<&Path>,
    source: Source,
) -> Result<Scenario, ScenarioError> {
    Reader {
        text,
        file: file.to_string(),
        dir,
    }
    .scenario(source)
}

/// The built-in scenario files, in the order campaigns list them.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "freemail-it-password-ja.toml",
        include_str!("scenarios/freemail-it-password-ja.toml"),
    ),
    (
        "display-url-en.toml",
        include_str!("scenarios/display-url-en.toml"),
    ),
    (
        "lookalike-hr-ja.toml",
        include_str!("scenarios/lookalike-hr-ja.toml"),
    ),
    (
        "account-verify-en.toml",
        include_str!("scenarios/account-verify-en.toml"),
    ),
    (
        "delivery-failure-ja.toml",
        include_str!("scenarios/delivery-failure-ja.toml"),
    ),
    (
        "invoice-pdf-ja.toml",
        include_str!("scenarios/invoice-pdf-ja.toml"),
    ),
    (
        "quote-request-html-ja.toml",
        include_str!("scenarios/quote-request-html-ja.toml"),
    ),
    (
        "press-interview-ja.toml",
        include_str!("scenarios/press-interview-ja.toml"),
    ),
    ("resume-ja.toml", include_str!("scenarios/resume-ja.toml")),
];

/// Every built-in scenario, in order.
pub fn all() -> &'static [Arc<Scenario>] {
    static ALL: OnceLock<Vec<Arc<Scenario>>> = OnceLock::new();
    ALL.get_or_init(|| {
        BUILT_IN
            .iter()
            // Embedded data, checked by the tests below: an error is never reached in a
            // released binary.
            .filter_map(|(name, text)| parse(text, name, None, Source::BuiltIn(name)).ok())
            .map(Arc::new)
            .collect()
    })
}

/// A built-in scenario by id.
pub fn find(id: &str) -> Option<&'static Scenario> {
    all().iter().find(|s| s.id == id).map(|s| &**s)
}

/// The scenarios a campaign can use: the built-in ones, with those of a folder added or put in
/// place of a built-in one with the same id.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub scenarios: Vec<Arc<Scenario>>,
}

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue::built_in()
    }
}

impl Catalogue {
    pub fn built_in() -> Catalogue {
        Catalogue {
            scenarios: all().to_vec(),
        }
    }

    /// The built-in scenarios and every `*.toml` of `dir` (in name order; other files are the
    /// templates they name). A file whose id is a built-in one's replaces it in place; two files
    /// with the same id are an error.
    pub fn with_folder(dir: &Path) -> Result<Catalogue, ScenarioError> {
        let folder_err = |m: String| ScenarioError {
            file: dir.display().to_string(),
            line: None,
            message: m,
        };
        let mut files = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| folder_err(e.to_string()))?;
        for e in entries {
            let e = e.map_err(|e| folder_err(e.to_string()))?;
            let path = e.path();
            if path.extension().is_some_and(|x| x == "toml") {
                files.push(path);
                if files.len() > MAX_FILES {
                    return Err(folder_err(format!("more than {MAX_FILES} scenario files")));
                }
            }
        }
        files.sort();
        let mut cat = Catalogue::built_in();
        let mut from_files: Vec<(String, PathBuf)> = Vec::new();
        for path in files {
            let file = path.display().to_string();
            let meta = std::fs::symlink_metadata(&path).map_err(|e| ScenarioError {
                file: file.clone(),
                line: None,
                message: e.to_string(),
            })?;
            if !meta.file_type().is_file() {
                return Err(ScenarioError {
                    file,
                    line: None,
                    message: "not a regular file (links are not followed)".into(),
                });
            }
            if meta.len() > MAX_FILE_BYTES {
                return Err(ScenarioError {
                    file,
                    line: None,
                    message: format!("larger than {MAX_FILE_BYTES} bytes"),
                });
            }
            let data = std::fs::read(&path).map_err(|e| ScenarioError {
                file: file.clone(),
                line: None,
                message: e.to_string(),
            })?;
            let text = String::from_utf8(data).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                let line = line_at(&String::from_utf8_lossy(&e.as_bytes()[..at]), at);
                ScenarioError {
                    file: file.clone(),
                    line: Some(line),
                    message: "not UTF-8".into(),
                }
            })?;
            let s = parse(&text, &file, Some(dir), Source::File(path.clone()))?;
            if let Some((_, other)) = from_files.iter().find(|(id, _)| *id == s.id) {
                return Err(ScenarioError {
                    file,
                    line: Some(1),
                    message: format!("id `{}` is also the id of {}", s.id, other.display()),
                });
            }
            from_files.push((s.id.clone(), path));
            let s = Arc::new(s);
            match cat.scenarios.iter_mut().find(|b| b.id == s.id) {
                Some(slot) => *slot = s,
                None => cat.scenarios.push(s),
            }
        }
        Ok(cat)
    }

    pub fn find(&self, id: &str) -> Option<&Arc<Scenario>> {
        self.scenarios.iter().find(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_scenarios_parse_and_are_unique() {
        for (name, text) in BUILT_IN {
            if let Err(e) = parse(text, name, None, Source::BuiltIn(name)) {
                panic!("{e}");
            }
        }
        assert_eq!(all().len(), BUILT_IN.len());
        let mut ids: Vec<&str> = all().iter().map(|s| s.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all().len());
        for (s, (name, _)) in all().iter().zip(BUILT_IN) {
            assert_eq!(format!("{}.toml", s.id), *name, "file named after its id");
            assert!(
                !s.debrief_ja.is_empty() && !s.debrief_en.is_empty(),
                "{}: debrief points in both languages",
                s.id
            );
            assert!(
                (MIN_QUESTIONS..=MAX_QUESTIONS).contains(&s.quiz.len()),
                "{}: a follow-up quiz of 2 to 3 questions",
                s.id
            );
            for q in &s.quiz {
                // Japanese questions, choices and explanations are written in Japanese.
                let ja = |t: &str| t.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c));
                assert!(ja(&q.question_ja) && ja(&q.explain_ja), "{}: {q:?}", s.id);
                assert!(!ja(&q.question_en) && !ja(&q.explain_en), "{}: {q:?}", s.id);
            }
        }
    }

    #[test]
    fn every_taught_rule_exists() {
        let sigs = crate::Signatures::embedded().unwrap();
        for s in all() {
            for r in &s.teaches {
                assert!(sigs.rule(r).is_some(), "{}: unknown rule {r}", s.id);
            }
        }
    }

    #[test]
    fn templates_parse_placeholders_and_braces() {
        let t = Template::parse("{{x}} {name}{ name } {org}}}", Place::Line).unwrap();
        let v = Values {
            name: "<N>",
            org: "O",
            ..Values::default()
        };
        assert_eq!(
            t.render(&v, "", "", &|s| s.replace('<', "&lt;")),
            "{x} &lt;N>{ name } O}"
        );
        let (at, msg) = Template::parse("ab {nmae}", Place::Body).unwrap_err();
        assert_eq!(at, 3);
        assert!(msg.contains("unknown placeholder `{nmae}`"), "{msg}");
        let (_, msg) = Template::parse("see {link}", Place::Line).unwrap_err();
        assert!(msg.contains("only for the body"), "{msg}");
        assert!(
            Template::parse("{link}", Place::Body)
                .unwrap()
                .uses(Var::Link)
        );
    }
}
