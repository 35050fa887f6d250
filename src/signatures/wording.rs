//! Lure wording written as regular expressions (`signatures/wording/*.txt`), each compiled once.
//!
//! A file holds `[name]` sections; each line under a section is one alternative, tried in the
//! order written, as if the lines were joined with `|` (every line is put in its own group, so
//! flags such as `(?i)` stay on their line). `#` at the start of a line is a comment; an entry is
//! trimmed, so a space at either end is written `[ ]` or `\x20`.

use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The wording files every signature set has, each with the expressions it must define.
pub const WORDING_FILES: &[(&str, &[&str])] = &[
    ("wording/callback.txt", &["billing_subject"]),
    ("wording/fraud.txt", &["loan_offer", "loan_rate"]),
    ("wording/crypto.txt", &["pay_words", "credit_words"]),
    (
        "wording/brand_signature.txt",
        &["sign_off", "sign_off_line"],
    ),
    ("wording/advance_fee.txt", &["big_sum"]),
];

/// One named expression: its entries joined as alternatives, compiled on first use (an embedded
/// set's expressions are checked by the tests; a directory's when it loads).
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    compiled: OnceLock<Regex>,
    /// The expression without its word-boundary assertions, `find_gated`'s first pass, compiled
    /// on first use.
    loose: OnceLock<Regex>,
}

impl Pattern {
    /// The entries `(line number, text)` as one expression, not yet compiled.
    fn new(entries: &[(usize, String)]) -> Pattern {
        let source = entries
            .iter()
            .map(|(_, e)| format!("(?:{e})"))
            .collect::<Vec<_>>()
            .join("|");
        Pattern {
            source,
            compiled: OnceLock::new(),
            loose: OnceLock::new(),
        }
    }

    /// The expression as compiled from its entries.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The compiled expression. One that cannot compile (which loading a directory reports, and
    /// the tests rule out for the embedded set) matches nothing rather than stopping a scan.
    pub fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            Regex::new(&self.source).unwrap_or_else(|_| {
                Regex::new(r"[a&&b]").expect("an empty class is a valid expression")
            })
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.regex().is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<regex::Match<'h>> {
        self.regex().find(haystack)
    }

    /// As `find`, after a first pass of the expression without its word boundaries, which
    /// settles a text holding no match fast: Unicode word boundaries (`\b`) send the regex
    /// crate's fast engine to a slower one as soon as the text has a non-ASCII letter; without
    /// them it runs on any text. Taking an assertion out only lets more texts match, so the first
    /// pass says no only where `find` would: the result is always `find`'s. Every match of the
    /// expression is one of the loose pass too, so none begins before the loose pass's first,
    /// and the expression is searched from there (with the text before it still seen by its
    /// assertions): the slow engine reads only what follows. (A search for the literals every
    /// match begins or ends with, tried first, cost more than it saved.)
    pub fn find_gated<'h>(&self, haystack: &'h str) -> Option<regex::Match<'h>> {
        let loose = self.loose.get_or_init(|| {
            regex_syntax::Parser::new()
                .parse(&self.source)
                .ok()
                .and_then(|h| Regex::new(&strip_word_boundaries(&h).to_string()).ok())
                .unwrap_or_else(|| self.regex().clone())
        });
        let start = loose.find(haystack)?.start();
        self.regex().find_at(haystack, start)
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> regex::Matches<'r, 'h> {
        self.regex().find_iter(haystack)
    }

    pub fn captures_at<'h>(&self, haystack: &'h str, start: usize) -> Option<regex::Captures<'h>> {
        self.regex().captures_at(haystack, start)
    }

    /// Compiles now, naming the entry that does not compile: `Err((line, message))`.
    fn compile(&self, entries: &[(usize, String)]) -> Result<(), (usize, String)> {
        match Regex::new(&self.source) {
            Ok(re) => {
                let _ = self.compiled.set(re);
                Ok(())
            }
            Err(whole) => {
                for (line, entry) in entries {
                    if let Err(e) = Regex::new(entry) {
                        return Err((*line, e.to_string()));
                    }
                }
                let first = entries.first().map_or(0, |(l, _)| *l);
                Err((first, whole.to_string()))
            }
        }
    }
}

/// `hir` with every word-boundary assertion (`\b`, `\B`, `\<`, `\>` and their ASCII forms)
/// taken out: an expression matching wherever `hir` matches, and elsewhere too. Line and text
/// anchors stay.
fn strip_word_boundaries(h: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};
    match h.kind() {
        HirKind::Look(look) => match look {
            Look::Start
            | Look::End
            | Look::StartLF
            | Look::EndLF
            | Look::StartCRLF
            | Look::EndCRLF => h.clone(),
            _ => Hir::empty(),
        },
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(strip_word_boundaries(&r.sub)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(strip_word_boundaries(&c.sub)),
            ..c.clone()
        }),
        HirKind::Concat(v) => Hir::concat(v.iter().map(strip_word_boundaries).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.iter().map(strip_word_boundaries).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => h.clone(),
    }
}

/// The entries of a section: `(line number, entry)`.
type Entries = Vec<(usize, String)>;

/// The sections of a wording file, in order: `(name, entries)`.
fn parse(text: &str) -> Result<Vec<(String, Entries)>, String> {
    let mut sections: Vec<(String, Entries)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let entry = line.trim();
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        if let Some(name) = entry.strip_prefix('[').and_then(|e| e.strip_suffix(']'))
            && !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            if sections.iter().any(|(s, _)| s == name) {
                return Err(format!("line {line_no}: section `{name}` is given twice"));
            }
            sections.push((name.to_string(), Vec::new()));
            continue;
        }
        let Some((_, entries)) = sections.last_mut() else {
            return Err(format!(
                "line {line_no}: an entry before any `[name]` section"
            ));
        };
        entries.push((line_no, entry.to_string()));
    }
    Ok(sections)
}

/// The expressions of one wording file by section name.
type Sections = BTreeMap<String, Pattern>;

/// An expression that matches nothing, for one a file does not define (loading refuses such a
/// directory; the tests rule it out for the embedded set).
static NEVER: std::sync::LazyLock<Pattern> = std::sync::LazyLock::new(|| Pattern {
    source: r"[a&&b]".into(),
    compiled: OnceLock::new(),
    loose: OnceLock::new(),
});

/// The lure wording expressions the content checks use, one file per family of checks
/// (`WORDING_FILES`). An embedded file is read on the first use of one of its expressions, so
/// `filter`'s start pays nothing for wording a message never reaches.
#[derive(Debug, Clone, Default)]
pub struct Wording {
    /// Each of `WORDING_FILES` in order: its text and, once read, its expressions.
    files: Vec<(String, OnceLock<Sections>)>,
}

impl Wording {
    /// Takes the wording files `(path, text)`; with `compile` (a directory), reads and compiles
    /// every expression now, so that a bad entry is an error naming its file, section and line.
    pub fn load<'a>(
        files: impl Iterator<Item = (&'a str, &'a str)>,
        compile: bool,
    ) -> Result<Wording, (String, String)> {
        let mut texts: BTreeMap<&str, &str> = files.collect();
        let mut out = Vec::with_capacity(WORDING_FILES.len());
        for (file, names) in WORDING_FILES {
            // Other files (notes, an editor's backups) are not read, as in `lists/`.
            let Some(text) = texts.remove(file) else {
                return Err((file.to_string(), "is missing".into()));
            };
            let read = OnceLock::new();
            if compile {
                let _ = read.set(validate(file, names, text)?);
            }
            out.push((text.to_string(), read));
        }
        Ok(Wording { files: out })
    }

    /// Expression `name` of the `index`th wording file.
    fn pattern(&self, index: usize, name: &str) -> &Pattern {
        let Some((text, read)) = self.files.get(index) else {
            return &NEVER;
        };
        let sections = read.get_or_init(|| {
            parse(text)
                .unwrap_or_default()
                .into_iter()
                .map(|(name, entries)| (name, Pattern::new(&entries)))
                .collect()
        });
        sections.get(name).unwrap_or(&NEVER)
    }

    /// Billing words in a subject (`callback.txt`, CONTENT_BRAND_BILLING_CALLBACK).
    pub fn billing_subject(&self) -> &Pattern {
        self.pattern(0, "billing_subject")
    }

    /// A loan offered to a stranger (`fraud.txt`, CONTENT_LOAN_OFFER).
    pub fn loan_offer(&self) -> &Pattern {
        self.pattern(1, "loan_offer")
    }

    /// A low interest rate, the bait of the loan (`fraud.txt`, CONTENT_LOAN_OFFER).
    pub fn loan_rate(&self) -> &Pattern {
        self.pattern(1, "loan_rate")
    }

    /// Words that ask for a payment into a Bitcoin address (`crypto.txt`,
    /// CONTENT_CRYPTO_PAYMENT_ADDRESS).
    pub fn pay_words(&self) -> &Pattern {
        self.pattern(2, "pay_words")
    }

    /// Words that credit a coin amount to the reader (`crypto.txt`, CONTENT_CRYPTO_CREDITED).
    pub fn credit_words(&self) -> &Pattern {
        self.pattern(2, "credit_words")
    }

    /// A brand's sign-off or copyright line, group 1 or 2 the brand (`brand_signature.txt`,
    /// CONTENT_BRAND_SIGNATURE).
    pub fn sign_off(&self) -> &Pattern {
        self.pattern(3, "sign_off")
    }

    /// A brand's team or department alone on a line, group 1 the brand (`brand_signature.txt`,
    /// CONTENT_BRAND_SIGNATURE).
    pub fn sign_off_line(&self) -> &Pattern {
        self.pattern(3, "sign_off_line")
    }

    /// A large sum of money (`advance_fee.txt`, CONTENT_ADVANCE_FEE).
    pub fn big_sum(&self) -> &Pattern {
        self.pattern(4, "big_sum")
    }
}

/// Reads wording file `file`, which must define exactly the expressions `names`, and compiles
/// each: an error names the file and, for an entry, its section and line.
fn validate(file: &str, names: &[&str], text: &str) -> Result<Sections, (String, String)> {
    let err = |message: String| (file.to_string(), message);
    let mut sections = Sections::new();
    for (name, entries) in parse(text).map_err(err)? {
        if !names.contains(&name.as_str()) {
            return Err(err(format!(
                "unknown section `{name}` (expected: {})",
                names.join(", ")
            )));
        }
        if entries.is_empty() {
            return Err(err(format!("section `{name}` has no entry")));
        }
        let pattern = Pattern::new(&entries);
        pattern
            .compile(&entries)
            .map_err(|(line, message)| err(format!("section `{name}`, line {line}: {message}")))?;
        sections.insert(name, pattern);
    }
    if let Some(name) = names.iter().find(|n| !sections.contains_key(**n)) {
        return Err(err(format!("section `{name}` is missing")));
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_alternatives_in_order_with_their_own_flags() {
        let sections = parse("# c\n[a]\n(?i)ab\n# d\ncd \n").unwrap();
        let p = Pattern::new(&sections[0].1);
        assert_eq!(p.source(), "(?:(?i)ab)|(?:cd)");
        assert!(p.is_match("AB") && p.is_match("cd") && !p.is_match("CD"));
        assert!(parse("x\n[a]\n").is_err());
        assert!(parse("[a]\nx\n[a]\ny\n").is_err());
    }

    #[test]
    fn the_accessors_name_the_sections_of_their_files() {
        let files = [
            ("wording/callback.txt", "[billing_subject]\nb\n"),
            ("wording/fraud.txt", "[loan_offer]\no\n[loan_rate]\nr\n"),
            ("wording/crypto.txt", "[pay_words]\np\n[credit_words]\nc\n"),
            (
                "wording/brand_signature.txt",
                "[sign_off]\ns\n[sign_off_line]\nl\n",
            ),
            ("wording/advance_fee.txt", "[big_sum]\nm\n"),
        ];
        for compile in [false, true] {
            let w = Wording::load(files.iter().copied(), compile).unwrap();
            for (p, source) in [
                (w.billing_subject(), "(?:b)"),
                (w.loan_offer(), "(?:o)"),
                (w.loan_rate(), "(?:r)"),
                (w.pay_words(), "(?:p)"),
                (w.credit_words(), "(?:c)"),
                (w.sign_off(), "(?:s)"),
                (w.sign_off_line(), "(?:l)"),
                (w.big_sum(), "(?:m)"),
            ] {
                assert_eq!(p.source(), source);
            }
        }
        assert!(!NEVER.is_match("") && !NEVER.is_match("abc"));
    }

    /// Taking the word boundaries out never loses a match: on texts made of the pieces where
    /// boundaries matter (letters of several scripts, digits, spaces, currency signs), the gated
    /// search finds what the full one finds, for every expression of the embedded set.
    #[test]
    fn the_loose_first_pass_never_loses_a_match() {
        let l = |s: &str| {
            let hir = regex_syntax::Parser::new().parse(s).unwrap();
            Regex::new(&strip_word_boundaries(&hir).to_string()).unwrap()
        };
        assert!(
            l(r"\bcat\b").is_match("concatenate")
                && !Regex::new(r"\bcat\b").unwrap().is_match("concatenate")
        );
        assert!(l(r"a\B(?-u:\b)\<b\>").is_match("ab"));
        assert!(l(r"^\bcat$").is_match("cat") && !l(r"^\bcat$").is_match("a cat"));
        let files: Vec<(&str, &str)> = crate::signatures::embedded::EMBEDDED
            .iter()
            .filter_map(|(p, t)| match t {
                crate::signatures::Text::Plain(t) if p.starts_with("wording/") => Some((*p, *t)),
                _ => None,
            })
            .collect();
        let mut patterns = Vec::new();
        for (file, names) in WORDING_FILES {
            let text = files.iter().find(|(p, _)| p == file).unwrap().1;
            let sections = validate(file, names, text).unwrap();
            patterns.extend(sections.into_values());
        }
        assert!(patterns.len() >= 7);
        let pieces = [
            "é",
            "a",
            "z",
            "ö",
            "ж",
            "1",
            "0",
            "5",
            " ",
            ",",
            ".",
            "-",
            "$",
            "€",
            "£",
            "m",
            "usd",
            "eur",
            "million",
            "milhões",
            "millones",
            "five",
            "três",
            "cinco",
            "3,000,000",
            "250.000",
            "interest",
            "loan",
            "% ",
            "12",
            "we offer",
            "loans",
            "bitcoin",
            "btc",
            "wallet",
            "send",
            "credited",
            "amazon",
            "paypal",
            "invoice",
            "team",
            "©",
            "the ",
        ];
        let mut g = crate::text::generated::Generated::new(0x5eed_1e55);
        let mut gated_hits = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..1 + g.next() % 14 {
                text.push_str(g.pick(&pieces));
            }
            for p in &patterns {
                let full = p.find(&text).map(|m| m.range());
                assert_eq!(p.find_gated(&text).map(|m| m.range()), full, "{text:?}");
                gated_hits += usize::from(full.is_some());
            }
        }
        assert!(
            gated_hits > 100,
            "the texts exercise the expressions: {gated_hits}"
        );
    }

    #[test]
    fn a_bad_entry_is_named_by_line() {
        let sections = parse("[a]\nok\n(unclosed\n").unwrap();
        let p = Pattern::new(&sections[0].1);
        let (line, message) = p.compile(&sections[0].1).unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("unclosed"), "{message}");
    }
}
