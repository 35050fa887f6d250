//! Rules and word lists loaded from `signatures/` (embedded at build time, or a directory).

pub mod iocs;
pub mod overlay;
pub mod phrases;
pub mod wording;

use crate::finding::Verdict;
use crate::lang::Lang;
use iocs::{IocError, Iocs};
pub use phrases::Build;
use phrases::PhraseSet;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use wording::Wording;

mod embedded {
    use super::Text;
    include!(concat!(env!("OUT_DIR"), "/embedded_signatures.rs"));
}

/// An embedded signatures file: as written, or (rule files and IPA points) turned from TOML
/// into JSON at build time, which reads several times faster into the same structures.
#[derive(Debug, Clone, Copy)]
enum Text {
    Plain(&'static str),
    Json(&'static str),
}

/// A rule file or the IPA points read into `T`: JSON for the embedded set, TOML otherwise.
fn parse_data<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    json: bool,
) -> Result<T, SignatureError> {
    let syntax = |message: String| SignatureError::Syntax {
        file: file.to_string(),
        message,
    };
    if json {
        serde_json::from_str(text).map_err(|e| syntax(e.to_string()))
    } else {
        toml::from_str(text).map_err(|e| syntax(e.to_string()))
    }
}

/// Why signatures could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    #[error("cannot read signatures from {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("signature file {file}: {message}")]
    Syntax { file: String, message: String },
    #[error("signature file {file}: rule {id}: {message}")]
    Rule {
        file: String,
        id: String,
        message: String,
    },
    #[error("signatures: {0}")]
    Missing(String),
    #[error("IOC file {0}")]
    Ioc(#[from] IocError),
    #[error("cannot read IOC file {path}: {source}")]
    IocIo {
        path: String,
        source: std::io::Error,
    },
}

/// One rule: what it means, how much it weighs, how to explain it.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub score: f64,
    #[serde(default)]
    pub min_verdict: Option<Verdict>,
    /// What kind of evidence the rule is (see `EvidenceClass`).
    pub class: EvidenceClass,
    pub ipa: String,
    pub reason_en: String,
    pub reason_ja: String,
    pub explain_en: String,
    pub explain_ja: String,
}

/// What kind of evidence a rule is. A verdict needs something that lies or carries a payload:
/// context describes how a message is written and only adds weight to such evidence, or to mail
/// from a sender that stands behind nothing (see `score::score`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceClass {
    /// Something lies about who sent the mail, where a link goes or what a file is, or hides
    /// itself from the filter (split words, lookalike letters, a malformed From).
    Deception,
    /// Active content: a program, a macro or script that runs, a document that acts on open.
    Payload,
    /// How the message is written: wording, urgency, hidden text, image-only links, tracking
    /// links, free mail envelopes. Common in honest marketing; never enough alone.
    Context,
}

impl EvidenceClass {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceClass::Deception => "deception",
            EvidenceClass::Payload => "payload",
            EvidenceClass::Context => "context",
        }
    }

    /// Deception and payload can carry a verdict; context only adds to one.
    pub fn is_strong(self) -> bool {
        self != EvidenceClass::Context
    }
}

impl Rule {
    pub fn reason_template(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.reason_en,
            Lang::Ja => &self.reason_ja,
        }
    }

    pub fn explain_template(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.explain_en.trim(),
            Lang::Ja => self.explain_ja.trim(),
        }
    }
}

/// An IPA "point to notice".
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct IpaPoint {
    pub en: String,
    pub ja: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<Rule>,
}

/// The lists the checks need, each lower-cased.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub dangerous_extensions: HashSet<String>,
    pub document_extensions: HashSet<String>,
    /// Words that introduce a password in a message body (ARCHIVE_PASSWORD_IN_BODY).
    pub password_words: HashSet<String>,
    /// VBA keywords by what they do (OFFICE_MACRO*, see `formats::office::vba`).
    pub vba_autoexec: HashSet<String>,
    pub vba_write: HashSet<String>,
    pub vba_execute: HashSet<String>,
    pub vba_download: HashSet<String>,
    pub vba_obfuscation: HashSet<String>,
    /// Text in a DDE field that starts a program (OFFICE_DDE_EXECUTE).
    pub dde_commands: HashSet<String>,
    /// Programs a mailed shortcut should not start (ATTACH_LNK_COMMAND), without `.exe`.
    pub shortcut_programs: HashSet<String>,
    /// Icon files that make a shortcut look like a document (ATTACH_LNK_DOCUMENT_ICON).
    pub document_icons: HashSet<String>,
    /// Extensions of icon files that make a shortcut look like a document
    /// (`lists/document_icon_extensions.txt`, ATTACH_LNK_DOCUMENT_ICON).
    pub document_icon_extensions: HashSet<String>,
    /// Extensions of files Windows runs as programs or scripts: a shortcut's target with one
    /// starts a program (`lists/program_extensions.txt`, ATTACH_LNK_*).
    pub program_extensions: HashSet<String>,
    /// Extensions of a saved name that give HTML smuggling away (`lists/smuggled_extensions.txt`,
    /// ATTACH_HTML_SMUGGLING; the HTML opener reads them through `message::opener::Budget`).
    pub smuggled_extensions: HashSet<String>,
    /// Extensions Windows hides by default (`lists/hidden_extensions.txt`): `explain` shows the
    /// one before them as the extension a file claims.
    pub hidden_extensions: HashSet<String>,
    /// Free mail services (`lists/freemail_domains.txt`); a domain matches with its subdomains.
    pub freemail_domains: HashSet<String>,
    /// Words that claim an organisation in a display name, English and Japanese.
    pub institution_words: PhraseSet,
    /// Brand names to protect (`lists/protected_brands.txt`, merged with the configuration's).
    pub protected_brands: HashSet<String>,
    pub url_shorteners: HashSet<String>,
    /// Click-tracking and redirect hosts of legitimate mailing services and gateways.
    pub redirectors: HashSet<String>,
    /// Lure phrases, English and Japanese, each with its category.
    pub lure_phrases: PhraseSet,
    /// Known-bad domains (with subdomains) and URL prefixes, shipped and from `[iocs] files`.
    pub ioc_domains: HashSet<String>,
    pub ioc_urls: Vec<String>,
    pub chinese_fonts: PhraseSet,
    pub chinese_charsets: HashSet<String>,
    pub archive_extensions: HashSet<String>,
    pub free_hosting: HashSet<String>,
    /// Last labels of internal and test names (`local`, `localdomain`, `lan`, ...).
    pub internal_tlds: HashSet<String>,
    /// Default domains mail platforms give each customer tenant (`onmicrosoft.com`).
    pub tenant_domains: HashSet<String>,
    /// Address-masking and forwarding services that write the original sender into the display
    /// name (`mozmail.com`, `simplelogin.co`).
    pub forwarding_relays: HashSet<String>,
    /// Brands phishing impersonates, each with the registrable labels of its real domains.
    pub impersonated_brands: crate::signatures::phrases::Brands,
    /// Words by which a display name claims to be a bank (LINK_BRAND_ELSEWHERE).
    pub financial_words: PhraseSet,
    /// Words of advance-fee fraud: inheritance, beneficiary, donation (CONTENT_ADVANCE_FEE).
    pub fortune_words: PhraseSet,
    /// Extensions opened as a web page (ATTACH_HTML_DISGUISED).
    pub web_page_extensions: HashSet<String>,
    /// US state and territory postal codes (lower case), each with the first digits of its ZIP
    /// codes (`lists/us_zip_zones.txt`, CONTENT_INVENTED_POSTAL_ADDRESS).
    pub us_zip_zones: HashMap<String, Vec<u8>>,
    /// Japanese for the English wording lurescreen itself puts in evidence values
    /// (`lists/evidence_ja.txt`), used in Japanese reasons.
    pub evidence_ja: EvidenceJa,
}

/// Japanese for the fixed English fragments of evidence values that lurescreen writes itself
/// (`how`, `what`, `summary`...: "letters that look alike", "Windows GUI program"), so a Japanese
/// reason does not carry English prose. Longest fragment first; text in backticks is data from
/// the message and is never changed.
#[derive(Debug, Clone, Default)]
pub struct EvidenceJa {
    /// Built on the first translation (most runs render no Japanese reason).
    automaton: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    english: Vec<String>,
    japanese: Vec<String>,
}

/// Evidence keys whose values are lurescreen's own wording (plus data in backticks or after a
/// colon), translated for Japanese reasons. Other keys hold data from the message: names,
/// phrases, hosts, scripts, which stay as they were written.
pub const PROSE_KEYS: &[&str] = &[
    "action",
    "anomalies",
    "classes",
    "detail",
    "functions",
    "how",
    "kind",
    "real",
    "skipped",
    "summary",
    "what",
    "why",
];

impl EvidenceJa {
    /// Parses `english = japanese` lines; `#` starts a comment line.
    pub fn parse(text: &str) -> Result<EvidenceJa, String> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut seen = HashSet::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((en, ja)) = line.split_once(" = ") else {
                return Err(format!("line {}: expected `english = japanese`", n + 1));
            };
            let (en, ja) = (en.trim(), ja.trim());
            if en.is_empty() || ja.is_empty() {
                return Err(format!("line {}: empty side", n + 1));
            }
            if !seen.insert(en.to_string()) {
                return Err(format!("line {}: `{en}` is given twice", n + 1));
            }
            pairs.push((en.to_string(), ja.to_string()));
        }
        let (english, japanese) = pairs.into_iter().unzip();
        Ok(EvidenceJa {
            automaton: std::sync::OnceLock::new(),
            english,
            japanese,
        })
    }

    /// `value` with every known English fragment outside backticks in Japanese.
    pub fn translate(&self, value: &str) -> String {
        let automaton = self.automaton.get_or_init(|| {
            (!self.english.is_empty())
                .then(|| {
                    aho_corasick::AhoCorasick::builder()
                        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                        .build(&self.english)
                        .ok()
                })
                .flatten()
        });
        let Some(ac) = automaton else {
            return value.to_string();
        };
        let mut out = String::with_capacity(value.len() + 16);
        for (i, segment) in value.split('`').enumerate() {
            if i > 0 {
                out.push('`');
            }
            if i % 2 == 1 {
                out.push_str(segment);
            } else {
                // Whole words only: `uses` is not translated inside `causes`.
                let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                let mut last = 0;
                for m in ac.find_iter(segment) {
                    let (start, end) = (m.start(), m.end());
                    let inner_first = segment[start..end].chars().next();
                    let inner_last = segment[start..end].chars().next_back();
                    let before = segment[..start].chars().next_back();
                    let after = segment[end..].chars().next();
                    if (word(inner_first) && word(before)) || (word(inner_last) && word(after)) {
                        continue;
                    }
                    let Some(ja) = self.japanese.get(m.pattern().as_usize()) else {
                        continue;
                    };
                    out.push_str(&segment[last..start]);
                    out.push_str(ja);
                    last = end;
                }
                out.push_str(&segment[last..]);
            }
        }
        out
    }

    /// The value of evidence `key` for a Japanese reason: the finding's own `KEY_ja` when it has
    /// one, the translated wording for a prose key, else the value as it is.
    pub fn value<'a>(
        &self,
        key: &str,
        value: &'a str,
        evidence: &'a [(String, String)],
    ) -> std::borrow::Cow<'a, str> {
        let own = evidence
            .iter()
            .find(|(k, _)| k.strip_suffix("_ja") == Some(key))
            .map(|(_, v)| v.as_str());
        match own {
            Some(v) => std::borrow::Cow::Borrowed(v),
            None if PROSE_KEYS.contains(&key) => std::borrow::Cow::Owned(self.translate(value)),
            None => std::borrow::Cow::Borrowed(value),
        }
    }
}

/// Every rule and list, validated.
#[derive(Debug, Clone)]
pub struct Signatures {
    rules: BTreeMap<String, Rule>,
    pub ipa_points: BTreeMap<String, IpaPoint>,
    pub lists: Lists,
    /// Known-bad hashes and byte patterns (`iocs/`), compiled.
    pub iocs: Iocs,
    /// Lure wording written as expressions (`wording/`).
    pub wording: Wording,
    /// Where they came from: `embedded` or a directory.
    pub origin: String,
    /// Rules the code emits that a signature directory did not define, taken from the built-in
    /// set so that none fires with no score (issue: a site directory made before a rule existed,
    /// or with rules deleted). Empty for the embedded set. `config check` and `milter --check`
    /// name them.
    pub builtin_rules_used: Vec<String>,
    /// List files a signature directory lacked, taken from the built-in set (empty for the
    /// embedded set).
    pub builtin_lists_used: Vec<String>,
}

/// The optional scores overlay of a signature set (`signatures/scores.toml`, or in `--signatures
/// DIR`): scores that replace the rules' own, written by `lurescreen tune`.
pub const SCORES_FILE: &str = "scores.toml";

/// The IOC files every signature set has (they may hold no entries).
const IOC_FILES: &[&str] = &["iocs/hashes.txt", "iocs/patterns.ndb"];

const LIST_FILES: &[&str] = &[
    "lists/dangerous_extensions.txt",
    "lists/document_extensions.txt",
    "lists/password_words.txt",
    "lists/shortcut_programs.txt",
    "lists/document_icons.txt",
    "lists/freemail_domains.txt",
    "lists/institution_words_en.txt",
    "lists/institution_words_ja.txt",
    "lists/protected_brands.txt",
    "lists/url_shorteners.txt",
    "lists/redirectors.txt",
    "lists/lure_phrases_en.txt",
    "lists/lure_phrases_ja.txt",
    "lists/ioc_domains.txt",
    "lists/ioc_urls.txt",
    "lists/chinese_fonts.txt",
    "lists/chinese_charsets.txt",
    "lists/archive_extensions.txt",
    "lists/free_hosting.txt",
    "lists/internal_tlds.txt",
    "lists/tenant_domains.txt",
    "lists/forwarding_relays.txt",
    "lists/lure_phrases_intl.txt",
    "lists/impersonated_brands.txt",
    "lists/financial_words.txt",
    "lists/web_page_extensions.txt",
    "lists/evidence_ja.txt",
    "lists/fortune_words.txt",
    "lists/us_zip_zones.txt",
    "lists/document_icon_extensions.txt",
    "lists/program_extensions.txt",
    "lists/smuggled_extensions.txt",
    "lists/hidden_extensions.txt",
    "lists/vba_autoexec.txt",
    "lists/vba_write.txt",
    "lists/vba_execute.txt",
    "lists/vba_download.txt",
    "lists/vba_obfuscation.txt",
    "lists/dde_commands.txt",
];

impl Signatures {
    /// The signatures compiled into the binary.
    pub fn embedded() -> Result<Self, SignatureError> {
        Self::embedded_for(Build::Many)
    }

    /// The signatures compiled into the binary, their automata built for `how` many messages.
    pub fn embedded_for(how: Build) -> Result<Self, SignatureError> {
        Self::from_files(
            embedded::EMBEDDED.iter().map(|(p, c)| match c {
                Text::Plain(t) => (p.to_string(), t.to_string(), false),
                Text::Json(t) => (p.to_string(), t.to_string(), true),
            }),
            "embedded".into(),
            false,
            how,
        )
    }

    /// Signatures from a directory with the layout of `signatures/`.
    pub fn from_dir(dir: &Path) -> Result<Self, SignatureError> {
        Self::from_dir_for(dir, Build::Many)
    }

    /// As `from_dir`, their automata built for `how` many messages.
    pub fn from_dir_for(dir: &Path, how: Build) -> Result<Self, SignatureError> {
        let mut files = Vec::new();
        let io = |path: &Path, source| SignatureError::Io {
            path: path.display().to_string(),
            source,
        };
        for sub in ["rules", "lists", "iocs", "wording"] {
            let d = dir.join(sub);
            // A directory made before the wording files existed takes them from the built-in set.
            if sub == "wording" && !d.exists() {
                continue;
            }
            let mut entries: Vec<_> = std::fs::read_dir(&d)
                .map_err(|e| io(&d, e))?
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .collect();
            entries.sort();
            for p in entries {
                if p.is_file() {
                    let text = std::fs::read_to_string(&p).map_err(|e| io(&p, e))?;
                    let name = p.file_name().unwrap_or_default().to_string_lossy();
                    files.push((format!("{sub}/{name}"), text));
                }
            }
        }
        let ipa = dir.join("ipa_points.toml");
        let text = std::fs::read_to_string(&ipa).map_err(|e| io(&ipa, e))?;
        files.push(("ipa_points.toml".into(), text));
        let scores = dir.join(SCORES_FILE);
        if scores.is_file() {
            let text = std::fs::read_to_string(&scores).map_err(|e| io(&scores, e))?;
            files.push((SCORES_FILE.into(), text));
        }
        Self::from_files(
            files.into_iter().map(|(p, t)| (p, t, false)),
            dir.display().to_string(),
            true,
            how,
        )
    }

    /// The rules (and the IPA points they name) of the built-in set.
    fn embedded_rules() -> Result<(Vec<Rule>, BTreeMap<String, IpaPoint>), SignatureError> {
        let mut rules = Vec::new();
        let mut points = BTreeMap::new();
        for (path, text) in embedded::EMBEDDED {
            let (text, json) = match text {
                Text::Plain(t) => (*t, false),
                Text::Json(t) => (*t, true),
            };
            let file = format!("embedded {path}");
            if *path == "ipa_points.toml" {
                points = parse_data(&file, text, json)?;
            } else if path.starts_with("rules/") && path.ends_with(".toml") {
                let file: RuleFile = parse_data(&file, text, json)?;
                rules.extend(file.rule);
            }
        }
        Ok((rules, points))
    }

    fn from_files(
        files: impl Iterator<Item = (String, String, bool)>,
        origin: String,
        fill_from_builtin: bool,
        how: Build,
    ) -> Result<Self, SignatureError> {
        let mut rules = BTreeMap::new();
        let mut ipa_points = None;
        let mut list_texts: BTreeMap<String, String> = BTreeMap::new();
        let mut ioc_texts: BTreeMap<String, String> = BTreeMap::new();
        let mut wording_texts: BTreeMap<String, String> = BTreeMap::new();
        let mut scores_text = None;
        for (path, text, json) in files {
            if path == SCORES_FILE {
                scores_text = Some(text);
            } else if path == "ipa_points.toml" {
                let points: BTreeMap<String, IpaPoint> = parse_data(&path, &text, json)?;
                ipa_points = Some(points);
            } else if path.starts_with("rules/") && path.ends_with(".toml") {
                let file: RuleFile = parse_data(&path, &text, json)?;
                for rule in file.rule {
                    let err = |message: String| SignatureError::Rule {
                        file: path.clone(),
                        id: rule.id.clone(),
                        message,
                    };
                    if !is_rule_id(&rule.id) {
                        return Err(err(
                            "id must be SCREAMING_SNAKE_CASE with a family prefix".into()
                        ));
                    }
                    if !rule.score.is_finite() {
                        return Err(err("score must be a finite number".into()));
                    }
                    if rules.contains_key(&rule.id) {
                        return Err(err("defined twice".into()));
                    }
                    rules.insert(rule.id.clone(), rule);
                }
            } else if path.starts_with("lists/") {
                list_texts.insert(path, text);
            } else if path.starts_with("iocs/") {
                ioc_texts.insert(path, text);
            } else if path.starts_with("wording/") {
                wording_texts.insert(path, text);
            }
        }
        let mut ipa_points = ipa_points
            .ok_or_else(|| SignatureError::Missing("ipa_points.toml is missing".into()))?;
        // Every rule the code emits must have a definition, or its findings would count +0.0 and
        // force no verdict: a directory that lacks some takes them from the built-in set.
        let mut builtin_rules_used = Vec::new();
        if fill_from_builtin {
            let (builtin, builtin_points) = Self::embedded_rules()?;
            for rule in builtin {
                if rules.contains_key(&rule.id) {
                    continue;
                }
                if !ipa_points.contains_key(&rule.ipa)
                    && let Some(point) = builtin_points.get(&rule.ipa)
                {
                    ipa_points.insert(rule.ipa.clone(), point.clone());
                }
                builtin_rules_used.push(rule.id.clone());
                rules.insert(rule.id.clone(), rule);
            }
        }
        for rule in rules.values() {
            if !ipa_points.contains_key(&rule.ipa) {
                return Err(SignatureError::Rule {
                    file: "rules".into(),
                    id: rule.id.clone(),
                    message: format!("ipa point `{}` is not in ipa_points.toml", rule.ipa),
                });
            }
        }
        // A list the directory lacks (made before the list existed) is taken from the built-in
        // set, as rules and wording are, and named by `builtin_rules_note`: failing to load would
        // stop a milter over a new word list.
        let mut builtin_lists_used = Vec::new();
        if fill_from_builtin {
            for file in LIST_FILES {
                if !list_texts.contains_key(*file)
                    && let Some((_, Text::Plain(text))) =
                        embedded::EMBEDDED.iter().find(|(p, _)| p == file)
                {
                    list_texts.insert(file.to_string(), text.to_string());
                    builtin_lists_used.push(file.to_string());
                }
            }
        }
        let evidence_ja =
            EvidenceJa::parse(&list_texts.remove("lists/evidence_ja.txt").ok_or_else(|| {
                SignatureError::Missing("lists/evidence_ja.txt is missing".into())
            })?)
            .map_err(|message| SignatureError::Syntax {
                file: "lists/evidence_ja.txt".into(),
                message,
            })?;
        let mut lines = |name: &str| -> Result<Vec<String>, SignatureError> {
            let text = list_texts
                .remove(name)
                .ok_or_else(|| SignatureError::Missing(format!("{name} is missing")))?;
            Ok(list_lines(&text))
        };
        let mut institution_words = lines("lists/institution_words_en.txt")?;
        institution_words.extend(lines("lists/institution_words_ja.txt")?);
        let mut lure_phrases = lines("lists/lure_phrases_en.txt")?;
        lure_phrases.extend(lines("lists/lure_phrases_ja.txt")?);
        lure_phrases.extend(lines("lists/lure_phrases_intl.txt")?);
        let set = |v: Vec<String>| v.into_iter().collect::<HashSet<String>>();
        let lists = Lists {
            dangerous_extensions: set(lines(LIST_FILES[0])?),
            document_extensions: set(lines(LIST_FILES[1])?),
            freemail_domains: set(lines("lists/freemail_domains.txt")?),
            institution_words: PhraseSet::new_for(institution_words, false, how),
            protected_brands: set(lines("lists/protected_brands.txt")?),
            url_shorteners: set(lines("lists/url_shorteners.txt")?),
            redirectors: set(lines("lists/redirectors.txt")?),
            lure_phrases: PhraseSet::new_for(lure_phrases, true, how),
            ioc_domains: set(lines("lists/ioc_domains.txt")?)
                .into_iter()
                .map(|d| d.trim_end_matches('.').to_string())
                .collect(),
            ioc_urls: lines("lists/ioc_urls.txt")?,
            chinese_fonts: PhraseSet::new_for(lines("lists/chinese_fonts.txt")?, false, how),
            chinese_charsets: set(lines("lists/chinese_charsets.txt")?),
            archive_extensions: set(lines("lists/archive_extensions.txt")?),
            free_hosting: set(lines("lists/free_hosting.txt")?),
            internal_tlds: set(lines("lists/internal_tlds.txt")?),
            tenant_domains: set(lines("lists/tenant_domains.txt")?),
            forwarding_relays: set(lines("lists/forwarding_relays.txt")?),
            financial_words: PhraseSet::new_for(lines("lists/financial_words.txt")?, false, how),
            web_page_extensions: set(lines("lists/web_page_extensions.txt")?),
            fortune_words: PhraseSet::new_for(lines("lists/fortune_words.txt")?, false, how),
            us_zip_zones: zip_zones(&lines("lists/us_zip_zones.txt")?)?,
            evidence_ja,
            impersonated_brands: crate::signatures::phrases::Brands::new_for(
                lines("lists/impersonated_brands.txt")?
                    .into_iter()
                    .filter_map(|l| {
                        let (brand, labels) = l.split_once(':')?;
                        let labels: Vec<String> =
                            labels.split_whitespace().map(str::to_string).collect();
                        (!brand.trim().is_empty() && !labels.is_empty())
                            .then(|| (brand.trim().to_string(), labels))
                    })
                    .collect(),
                how,
            ),
            password_words: set(lines("lists/password_words.txt")?),
            vba_autoexec: set(lines("lists/vba_autoexec.txt")?),
            vba_write: set(lines("lists/vba_write.txt")?),
            vba_execute: set(lines("lists/vba_execute.txt")?),
            vba_download: set(lines("lists/vba_download.txt")?),
            vba_obfuscation: set(lines("lists/vba_obfuscation.txt")?),
            dde_commands: set(lines("lists/dde_commands.txt")?),
            shortcut_programs: set(lines("lists/shortcut_programs.txt")?),
            document_icons: set(lines("lists/document_icons.txt")?),
            document_icon_extensions: set(lines("lists/document_icon_extensions.txt")?),
            program_extensions: set(lines("lists/program_extensions.txt")?),
            smuggled_extensions: set(lines("lists/smuggled_extensions.txt")?),
            hidden_extensions: set(lines("lists/hidden_extensions.txt")?),
        };
        let mut iocs = Iocs::default();
        for name in IOC_FILES {
            let text = ioc_texts
                .get(*name)
                .ok_or_else(|| SignatureError::Missing(format!("{name} is missing")))?;
            if name.ends_with(".ndb") {
                iocs.add_ndb(text, name)?;
            } else {
                iocs.add_hashes(text, name)?;
            }
        }
        // A directory's expressions are compiled now, so that a bad one is named at load time;
        // the embedded ones (checked by the tests) on first use, keeping `filter`'s start cheap.
        if fill_from_builtin {
            for (file, _) in wording::WORDING_FILES {
                if !wording_texts.contains_key(*file)
                    && let Some((_, Text::Plain(text))) =
                        embedded::EMBEDDED.iter().find(|(p, _)| p == file)
                {
                    wording_texts.insert(file.to_string(), text.to_string());
                }
            }
        }
        let wording = Wording::load(
            wording_texts.iter().map(|(p, t)| (p.as_str(), t.as_str())),
            fill_from_builtin,
        )
        .map_err(|(file, message)| SignatureError::Syntax { file, message })?;
        let mut signatures = Signatures {
            rules,
            ipa_points,
            lists,
            iocs,
            wording,
            origin,
            builtin_rules_used,
            builtin_lists_used,
        };
        if let Some(text) = scores_text {
            crate::signatures::overlay::apply(&mut signatures, &text).map_err(|message| {
                SignatureError::Syntax {
                    file: SCORES_FILE.into(),
                    message,
                }
            })?;
        }
        Ok(signatures)
    }

    /// A sentence naming the rules taken from the built-in set, when there are any.
    pub fn builtin_rules_note(&self) -> Option<String> {
        let rules = (!self.builtin_rules_used.is_empty()).then(|| {
            format!(
                "signatures {} lack {} rule(s) the code emits; using the built-in definitions of: {}",
                self.origin,
                self.builtin_rules_used.len(),
                self.builtin_rules_used.join(", ")
            )
        });
        let lists = (!self.builtin_lists_used.is_empty()).then(|| {
            format!(
                "signatures {} lack {} list file(s); using the built-in ones: {}",
                self.origin,
                self.builtin_lists_used.len(),
                self.builtin_lists_used.join(", ")
            )
        });
        match (rules, lists) {
            (Some(r), Some(l)) => Some(format!("{r}; {l}")),
            (r, l) => r.or(l),
        }
    }

    /// Gives rule `id` a new score (a scores overlay: see `tune::overlay`); false when there is
    /// no such rule.
    pub fn set_score(&mut self, id: &str, score: f64) -> bool {
        match self.rules.get_mut(id) {
            Some(rule) => {
                rule.score = score;
                true
            }
            None => false,
        }
    }

    /// Adds an IOC file of the organisation's own (`[iocs] files` in the config): `.ndb` files
    /// hold byte patterns, any other file hashes (see `checks::attachments::iocs`).
    pub fn add_ioc_file(&mut self, path: &Path) -> Result<(), SignatureError> {
        let text = std::fs::read_to_string(path).map_err(|source| SignatureError::IocIo {
            path: path.display().to_string(),
            source,
        })?;
        let name = path.display().to_string();
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ndb"))
        {
            self.iocs.add_ndb(&text, &name)?;
        } else {
            let rest = self.add_link_iocs(&text);
            self.iocs.add_hashes(&rest, &name)?;
        }
        Ok(())
    }

    /// Takes the `domain:NAME` and `url:URL` lines of an IOC file into the link IOC lists and
    /// returns the text with those lines blanked (so hash-line errors keep their line numbers).
    fn add_link_iocs(&mut self, text: &str) -> String {
        let mut rest = String::with_capacity(text.len());
        for line in text.lines() {
            let entry = line.split('#').next().unwrap_or("").trim();
            let lower = entry.to_lowercase();
            if let Some(domain) = lower.strip_prefix("domain:") {
                let domain = domain.trim().trim_end_matches('.');
                if !domain.is_empty() {
                    self.lists.ioc_domains.insert(domain.to_string());
                }
            } else if let Some(url) = lower.strip_prefix("url:") {
                if !url.trim().is_empty() {
                    self.lists.ioc_urls.push(url.trim().to_string());
                }
            } else {
                rest.push_str(line);
            }
            rest.push('\n');
        }
        rest
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.get(id)
    }

    /// Every rule, ordered by id.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.values()
    }
}

/// The entries of a list file in order: lower-cased, `#` comments and blank lines skipped.
/// `lists/us_zip_zones.txt` read into state → the first digits of its ZIP codes: each line is a
/// digit, a colon and the postal codes of the states under it.
fn zip_zones(lines: &[String]) -> Result<HashMap<String, Vec<u8>>, SignatureError> {
    let mut zones: HashMap<String, Vec<u8>> = HashMap::new();
    for line in lines {
        let bad = || SignatureError::Syntax {
            file: "lists/us_zip_zones.txt".into(),
            message: format!("`{line}` is not `digit: state state ...`"),
        };
        let (digit, states) = line.split_once(':').ok_or_else(bad)?;
        let digit = match digit.trim().as_bytes() {
            [d] if d.is_ascii_digit() => *d,
            _ => return Err(bad()),
        };
        for state in states.split_whitespace() {
            if state.len() != 2 || !state.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(bad());
            }
            zones.entry(state.to_string()).or_default().push(digit);
        }
    }
    Ok(zones)
}

pub fn list_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect()
}

/// `FAMILY_NAME`: upper-case ASCII letters, digits and underscores, at least one underscore.
pub fn is_rule_id(id: &str) -> bool {
    id.contains('_')
        && id.starts_with(|c: char| c.is_ascii_uppercase())
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Fills `{key}` placeholders from `evidence`; unknown placeholders stay as written.
pub fn fill_template(template: &str, evidence: &[(String, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                match evidence.iter().find(|(k, _)| k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn evidence_is_translated_by_whole_words_outside_backticks() {
        let t = EvidenceJa::parse(
            "# comment\nuses = 使う命令：\nlink to = リンク先\nlink = リンク\nobject class = クラス\n",
        )
        .unwrap();
        assert_eq!(t.translate("uses Shell"), "使う命令： Shell");
        assert_eq!(t.translate("causes Shell"), "causes Shell");
        assert_eq!(t.translate("link to a.example"), "リンク先 a.example");
        assert_eq!(
            t.translate("object class `link to object class`"),
            "クラス `link to object class`"
        );
        let evidence = vec![
            ("how".to_string(), "link".to_string()),
            ("how_ja".to_string(), "自前の訳".to_string()),
            ("name".to_string(), "link".to_string()),
        ];
        assert_eq!(t.value("how", "link", &evidence), "自前の訳");
        assert_eq!(t.value("name", "link", &evidence), "link");
        assert_eq!(t.value("what", "link", &evidence), "リンク");
        assert!(EvidenceJa::parse("no separator").is_err());
        assert!(EvidenceJa::parse("a = b\na = c").is_err());
    }

    use super::*;

    #[test]
    fn embedded_signatures_load_and_are_complete() {
        let s = Signatures::embedded().expect("embedded signatures are valid");
        assert!(s.rules().count() >= 5);
        for r in s.rules() {
            assert!(
                !r.reason_en.trim().is_empty() && !r.reason_ja.trim().is_empty(),
                "{}",
                r.id
            );
            assert!(
                !r.explain_en.trim().is_empty() && !r.explain_ja.trim().is_empty(),
                "{}",
                r.id
            );
            assert!(
                !r.reason_en.contains('\n'),
                "{}: reason must be one line",
                r.id
            );
        }
        assert!(s.lists.dangerous_extensions.contains("exe"));
        assert!(s.lists.document_extensions.contains("pdf"));
    }

    #[test]
    fn template_fills_known_and_keeps_unknown() {
        let ev = vec![("name".to_string(), "a.exe".to_string())];
        assert_eq!(
            fill_template("x `{name}` {other} {", &ev),
            "x `a.exe` {other} {"
        );
    }

    #[test]
    fn rule_ids_are_checked() {
        assert!(is_rule_id("ATTACH_DOUBLE_EXTENSION"));
        assert!(!is_rule_id("attach_x"));
        assert!(!is_rule_id("NOPREFIX"));
    }

    #[test]
    fn embedded_wording_compiles() {
        let files = embedded::EMBEDDED.iter().filter_map(|(p, t)| match t {
            Text::Plain(t) if p.starts_with("wording/") => Some((*p, *t)),
            _ => None,
        });
        Wording::load(files, true).expect("every embedded wording expression compiles");
    }

    /// A copy of the repository's `signatures/` without `wording/`: rules, lists, IOCs and IPA
    /// points.
    fn copy_without_wording() -> tempfile::TempDir {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("signatures");
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        for sub in ["rules", "lists", "iocs"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
            for e in std::fs::read_dir(repo.join(sub)).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), dir.join(sub).join(e.file_name())).unwrap();
            }
        }
        std::fs::copy(repo.join("ipa_points.toml"), dir.join("ipa_points.toml")).unwrap();
        tmp
    }

    /// A directory whose wording does not compile is refused when it loads, naming the file, the
    /// expression and the line; one without `wording/` takes the built-in files.
    #[test]
    fn a_bad_wording_entry_is_named_when_a_directory_loads() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("signatures");
        let tmp = copy_without_wording();
        let dir = tmp.path();
        let without = Signatures::from_dir(dir).expect("no wording/: the built-in files");
        assert!(without.wording.loan_offer().is_match("we offer loans"));

        std::fs::create_dir_all(dir.join("wording")).unwrap();
        std::fs::copy(
            repo.join("wording/callback.txt"),
            dir.join("wording/callback.txt"),
        )
        .unwrap();
        std::fs::write(
            dir.join("wording/fraud.txt"),
            "# loans\n[loan_offer]\nwe offer loans\n\n[loan_rate]\n\\d+%\n(?:interest (unclosed\n",
        )
        .unwrap();
        let message = Signatures::from_dir(dir).unwrap_err().to_string();
        assert!(
            message.contains("wording/fraud.txt")
                && message.contains("`loan_rate`")
                && message.contains("line 7"),
            "{message}"
        );

        std::fs::write(dir.join("wording/fraud.txt"), "[loan_offer]\nloans\n").unwrap();
        let message = Signatures::from_dir(dir).unwrap_err().to_string();
        assert!(
            message.contains("section `loan_rate` is missing"),
            "{message}"
        );
    }

    /// The extension lists that were constants in the code (issue 19) load as every list does:
    /// from a directory that has them, else from the built-in set, named by the note.
    #[test]
    fn extension_lists_load_from_a_directory_or_the_built_in_set() {
        let tmp = copy_without_wording();
        let dir = tmp.path();
        let new = [
            "lists/document_icon_extensions.txt",
            "lists/program_extensions.txt",
            "lists/smuggled_extensions.txt",
            "lists/hidden_extensions.txt",
        ];
        for file in new {
            std::fs::remove_file(dir.join(file)).unwrap();
        }
        let s = Signatures::from_dir(dir).expect("lists missing: the built-in ones");
        assert_eq!(s.builtin_lists_used, new);
        let note = s.builtin_rules_note().unwrap();
        assert!(note.contains("lack 4 list file(s)"), "{note}");
        let embedded = Signatures::embedded().unwrap().lists;
        assert_eq!(
            s.lists.document_icon_extensions,
            embedded.document_icon_extensions
        );
        assert_eq!(s.lists.program_extensions, embedded.program_extensions);
        assert_eq!(s.lists.smuggled_extensions, embedded.smuggled_extensions);
        assert_eq!(s.lists.hidden_extensions, embedded.hidden_extensions);
        assert!(embedded.smuggled_extensions.contains("hta"));
        assert!(embedded.hidden_extensions.contains("exe"));

        std::fs::write(
            dir.join("lists/program_extensions.txt"),
            "# ours\nEXE\nps1\n",
        )
        .unwrap();
        let s = Signatures::from_dir(dir).unwrap();
        assert_eq!(
            s.lists.program_extensions,
            HashSet::from(["exe".to_string(), "ps1".to_string()])
        );
        assert!(!s.builtin_lists_used.iter().any(|f| f.contains("program")));
    }

    /// Every list file of the built-in set may be missing from a directory (made before the list
    /// existed): it is then taken from the built-in set, not refused.
    #[test]
    fn every_list_file_can_be_taken_from_the_built_in_set() {
        for (path, _) in embedded::EMBEDDED {
            assert!(
                !path.starts_with("lists/") || LIST_FILES.contains(path),
                "{path} is not in LIST_FILES"
            );
        }
        let tmp = copy_without_wording();
        let dir = tmp.path();
        std::fs::remove_dir_all(dir.join("lists")).unwrap();
        std::fs::create_dir(dir.join("lists")).unwrap();
        let s = Signatures::from_dir(dir).expect("an empty lists/: the built-in lists");
        assert_eq!(s.builtin_lists_used.len(), LIST_FILES.len());
        assert!(s.lists.vba_autoexec.contains("autoopen"));
        assert!(s.lists.dde_commands.contains("powershell"));
    }

    #[test]
    fn a_directory_loads_like_the_embedded_set() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("signatures");
        let s = Signatures::from_dir(&dir).expect("repo signatures load");
        assert_eq!(
            s.rules().count(),
            Signatures::embedded().unwrap().rules().count()
        );
    }
}
