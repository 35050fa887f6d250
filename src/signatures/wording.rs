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
];

/// One named expression: its entries joined as alternatives, compiled on first use (an embedded
/// set's expressions are checked by the tests; a directory's when it loads).
#[derive(Debug, Clone, Default)]
pub struct Pattern {
    source: String,
    compiled: OnceLock<Regex>,
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

/// The lure wording expressions the content checks use.
#[derive(Debug, Clone, Default)]
pub struct Wording {
    /// Billing words in a subject (CONTENT_BRAND_BILLING_CALLBACK).
    pub billing_subject: Pattern,
    /// A loan offered to a stranger (CONTENT_LOAN_OFFER).
    pub loan_offer: Pattern,
    /// A low interest rate, the bait of the loan (CONTENT_LOAN_OFFER).
    pub loan_rate: Pattern,
}

impl Wording {
    /// Reads the wording files `(path, text)`; with `compile`, compiles every expression now so
    /// that a bad entry is an error naming its file, section and line.
    pub fn load<'a>(
        files: impl Iterator<Item = (&'a str, &'a str)>,
        compile: bool,
    ) -> Result<Wording, (String, String)> {
        let mut found: BTreeMap<&str, Vec<(String, Entries)>> = BTreeMap::new();
        for (path, text) in files {
            // Other files (notes, an editor's backups) are not read, as in `lists/`.
            let Some((file, _)) = WORDING_FILES.iter().find(|(f, _)| *f == path) else {
                continue;
            };
            let sections = parse(text).map_err(|m| (path.to_string(), m))?;
            found.insert(file, sections);
        }
        let mut patterns: BTreeMap<&str, Pattern> = BTreeMap::new();
        for (file, names) in WORDING_FILES {
            let Some(sections) = found.remove(file) else {
                return Err((file.to_string(), "is missing".into()));
            };
            for (name, entries) in &sections {
                let Some(known) = names.iter().find(|n| *n == name) else {
                    return Err((
                        file.to_string(),
                        format!("unknown section `{name}` (expected: {})", names.join(", ")),
                    ));
                };
                if entries.is_empty() {
                    return Err((file.to_string(), format!("section `{name}` has no entry")));
                }
                let pattern = Pattern::new(entries);
                if compile {
                    pattern.compile(entries).map_err(|(line, message)| {
                        (
                            file.to_string(),
                            format!("section `{name}`, line {line}: {message}"),
                        )
                    })?;
                }
                patterns.insert(known, pattern);
            }
            for name in *names {
                if !patterns.contains_key(name) {
                    return Err((file.to_string(), format!("section `{name}` is missing")));
                }
            }
        }
        let mut take = |name: &str| patterns.remove(name).unwrap_or_default();
        Ok(Wording {
            billing_subject: take("billing_subject"),
            loan_offer: take("loan_offer"),
            loan_rate: take("loan_rate"),
        })
    }
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
    fn a_bad_entry_is_named_by_line() {
        let sections = parse("[a]\nok\n(unclosed\n").unwrap();
        let p = Pattern::new(&sections[0].1);
        let (line, message) = p.compile(&sections[0].1).unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("unclosed"), "{message}");
    }
}
