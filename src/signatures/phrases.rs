//! Word and phrase lists compiled into one aho-corasick automaton each, matched case-insensitively,
//! with whole-word matching for phrases written in Latin letters.

use aho_corasick::dfa::DFA;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// One phrase of a list, with the category it was filed under (`credential: ...`), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub category: String,
    pub text: String,
}

/// The automaton of a phrase list: a DFA walked by `walk` for lists of the usual size, the
/// library's own (a contiguous NFA for most) for a site's large list, where a DFA would take
/// hundreds of megabytes and seconds to build.
#[derive(Debug, Clone)]
// A phrase set is built once per signature load; boxing the DFA would add a load per search.
#[allow(clippy::large_enum_variant)]
enum Matcher {
    Dfa(DFA),
    Large(AhoCorasick),
}

/// Lists with more phrase bytes than this get `Matcher::Large` (the shipped lists hold about
/// 40 KB; a DFA of 256 KB of phrases takes tens of megabytes).
const DFA_MAX_PHRASE_BYTES: usize = 256 * 1024;

/// How the automata of a signature set are built. Each is built on its first use, so a run
/// that never needs one never pays for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Build {
    /// For many messages (batch scans, the milter): DFAs, which take longer to build (a few
    /// tens of milliseconds for the shipped lists) and search several times faster.
    #[default]
    Many,
    /// For one message (`filter`, `explain`): NFAs, built in a fraction of the time, which is
    /// most of a short message's whole run. Searches find exactly what the DFAs find.
    One,
}

/// A compiled list of phrases.
#[derive(Debug, Clone, Default)]
pub struct PhraseSet {
    phrases: Vec<Phrase>,
    /// Built on first use (see `Build`).
    automaton: std::sync::OnceLock<Option<Matcher>>,
    /// Lists with more phrase bytes than this get `Matcher::Large`.
    dfa_max_phrase_bytes: usize,
    /// The longest phrase's length in bytes: how far the walks of `find_all` overlap.
    longest: usize,
}

/// Text bytes times phrases up to which a one-message search (`Build::One`) looks for each
/// phrase directly instead of building an automaton: building one for the shipped lure phrases
/// costs about as much as searching 16 KiB of text for every phrase in turn.
const DIRECT_SEARCH_BUDGET: usize = 16 << 20;

/// Every occurrence of every phrase in `text` (overlapping ones too) as (end, pattern), in the
/// order the automata report them: by end, and at one end the longer phrase first (an
/// automaton state's own phrase, then those of its failure states, each a shorter suffix).
fn direct_search(phrases: &[Phrase], text: &[u8]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (index, phrase) in phrases.iter().enumerate() {
        let needle = phrase.text.as_bytes();
        if needle.is_empty() || needle.len() > text.len() {
            continue;
        }
        let finder = memchr::memmem::Finder::new(needle);
        let mut from = 0;
        while let Some(at) = text.get(from..).and_then(|t| finder.find(t)) {
            found.push((from + at + needle.len(), index));
            from += at + 1;
        }
    }
    found.sort_by_key(|&(end, index)| {
        (
            end,
            std::cmp::Reverse(phrases.get(index).map_or(0, |p| p.text.len())),
        )
    });
    found
}

/// A phrase found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a> {
    pub phrase: &'a Phrase,
    /// Byte offset in the (lower-cased) text searched.
    pub start: usize,
}

impl PhraseSet {
    /// Builds from list lines; with `categories`, each line is `category: phrase`.
    pub fn new(lines: impl IntoIterator<Item = String>, categories: bool) -> Self {
        Self::build(lines, categories, DFA_MAX_PHRASE_BYTES)
    }

    /// As `new`, with automata built for `how` many messages.
    pub fn new_for(lines: impl IntoIterator<Item = String>, categories: bool, how: Build) -> Self {
        let dfa_max = match how {
            Build::Many => DFA_MAX_PHRASE_BYTES,
            Build::One => 0,
        };
        Self::build(lines, categories, dfa_max)
    }

    fn build(
        lines: impl IntoIterator<Item = String>,
        categories: bool,
        dfa_max_phrase_bytes: usize,
    ) -> Self {
        let mut phrases: Vec<Phrase> = Vec::new();
        // The first of equal phrases is kept (its category counts); linear in the list's size,
        // so a site list of a million lines loads in about a second.
        let mut seen = std::collections::HashSet::new();
        for line in lines {
            let (category, text) = match line.split_once(':') {
                Some((c, t)) if categories => (c.trim().to_string(), t.trim().to_string()),
                _ => (String::new(), line.trim().to_string()),
            };
            if text.is_empty() || !seen.insert(text.clone()) {
                continue;
            }
            phrases.push(Phrase { category, text });
        }
        drop(seen);
        phrases.sort_by(|a, b| a.text.cmp(&b.text));
        let longest = phrases.iter().map(|p| p.text.len()).max().unwrap_or(0);
        PhraseSet {
            phrases,
            automaton: std::sync::OnceLock::new(),
            dfa_max_phrase_bytes,
            longest,
        }
    }

    /// The automaton, built on the first call. The shipped lists are small; a DFA makes the
    /// per-message search several times faster than an NFA. `find_all` walks it itself.
    fn automaton(&self) -> Option<&Matcher> {
        self.automaton
            .get_or_init(|| {
                let phrases = &self.phrases;
                let bytes: usize = phrases.iter().map(|p| p.text.len()).sum();
                let texts = || phrases.iter().map(|p| p.text.as_str());
                if phrases.is_empty() {
                    return None;
                }
                if bytes <= self.dfa_max_phrase_bytes
                    && let Ok(dfa) = DFA::builder()
                        .match_kind(MatchKind::Standard)
                        .build(texts())
                {
                    return Some(Matcher::Dfa(dfa));
                }
                // For one message (no DFA wanted), the NFA as first built: turning it into the
                // faster contiguous form would cost more than the one search saves.
                let kind = if self.dfa_max_phrase_bytes == 0 {
                    AhoCorasickKind::NoncontiguousNFA
                } else {
                    AhoCorasickKind::ContiguousNFA
                };
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(kind))
                    .build(texts())
                    .or_else(|_| {
                        AhoCorasickBuilder::new()
                            .match_kind(MatchKind::Standard)
                            .build(texts())
                    })
                    .ok()
                    .map(Matcher::Large)
            })
            .as_ref()
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    pub fn phrases(&self) -> &[Phrase] {
        &self.phrases
    }

    /// Every phrase found in `lowered` (already lower-cased), overlapping ones included, in the
    /// order of aho-corasick's overlapping search (by end; at one end, in pattern order). A phrase
    /// that starts or ends with a Latin letter or digit must not be glued to another one (`bank`
    /// is not found in `embankment`).
    pub fn find_all<'a>(&'a self, lowered: &str) -> Vec<Hit<'a>> {
        let direct = self.dfa_max_phrase_bytes == 0
            && self.automaton.get().is_none()
            && lowered.len().saturating_mul(self.phrases.len()) <= DIRECT_SEARCH_BUDGET;
        let found = if direct {
            direct_search(&self.phrases, lowered.as_bytes())
        } else {
            self.automaton_search(lowered)
        };
        self.hits(found, lowered)
    }

    /// Every match of the automaton (built now if not yet) as (end, pattern).
    fn automaton_search(&self, lowered: &str) -> Vec<(usize, usize)> {
        match self.automaton() {
            None => Vec::new(),
            Some(Matcher::Dfa(dfa)) => {
                crate::text::dfa_walk::walk(dfa, lowered.as_bytes(), self.longest)
            }
            Some(Matcher::Large(ac)) => ac
                .find_overlapping_iter(lowered)
                .map(|m| (m.end(), m.pattern().as_usize()))
                .collect(),
        }
    }

    /// The matches that are whole words, as hits.
    fn hits<'a>(&'a self, found: Vec<(usize, usize)>, lowered: &str) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        for (end, pattern) in found {
            let Some(phrase) = self.phrases.get(pattern) else {
                continue;
            };
            let start = end.saturating_sub(phrase.text.len());
            if whole_word(lowered, start, end) {
                out.push(Hit { phrase, start });
            }
        }
        out
    }

    /// The first phrase found, if any.
    pub fn find_first(&self, lowered: &str) -> Option<&Phrase> {
        self.find_all(lowered).first().map(|h| h.phrase)
    }
}

/// `text` with the accents of Latin letters taken off (`ú` → `u`, `ç` → `c`); letters of
/// other scripts, and Latin letters that are no accented ASCII letter (`ß`, `ø`), unchanged.
pub fn without_latin_accents(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.chars()
        .map(|c| {
            if !('\u{C0}'..='\u{24F}').contains(&c) {
                return c;
            }
            let mut parts = std::iter::once(c).nfd();
            match parts.next() {
                Some(base)
                    if base.is_ascii_alphabetic()
                        && parts.all(|m| ('\u{300}'..='\u{36F}').contains(&m)) =>
                {
                    base
                }
                _ => c,
            }
        })
        .collect()
}

/// Whether `needle` occurs in `hay` (both lower-cased) as a whole word (see `PhraseSet::find_all`).
/// Brands phishing impersonates (`lists/impersonated_brands.txt`), each with the registrable
/// labels of its real domains, in list order; found in a display name with one automaton instead
/// of one substring search per brand.
#[derive(Debug, Clone, Default)]
pub struct Brands {
    list: Vec<(String, Vec<String>)>,
    /// Built on first use (see `Build`).
    names: std::sync::OnceLock<Option<AhoCorasick>>,
    how: Build,
    /// Every brand's domain labels, for `has_label`.
    labels: std::collections::HashSet<String>,
    /// Brands of two words or more written as one (`laposte`, 6 letters or more), to their index
    /// in `list` (the first brand so written); made on first use.
    joined: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// Indexes in `list` of the names that count only in capitals (`^ups`).
    acronyms: Vec<usize>,
}

impl Brands {
    pub fn new(list: Vec<(String, Vec<String>)>) -> Self {
        Self::new_for(list, Build::Many)
    }

    /// As `new`, with the automaton built for `how` many messages.
    pub fn new_for(list: Vec<(String, Vec<String>)>, how: Build) -> Self {
        // `^ups`: a short name that counts only written in capitals (see `acronym_in`).
        let list: Vec<(String, Vec<String>)> = list
            .into_iter()
            .map(|(brand, labels)| match brand.strip_prefix('^') {
                Some(caps) => (caps.to_uppercase(), labels),
                None => (brand, labels),
            })
            .collect();
        // A Latin brand name with accents is also looked for without them (`Itau` for Itaú,
        // `Societe Generale`): senders and ASCII-only mailers strip them.
        let list: Vec<(String, Vec<String>)> = list
            .into_iter()
            .flat_map(|(brand, labels)| {
                let plain = without_latin_accents(&brand);
                let alias = (plain != brand).then(|| (plain, labels.clone()));
                std::iter::once((brand, labels)).chain(alias)
            })
            .collect();
        let labels = list.iter().flat_map(|(_, ls)| ls.iter().cloned()).collect();
        let acronyms = list
            .iter()
            .enumerate()
            .filter(|(_, (brand, _))| brand.bytes().any(|b| b.is_ascii_uppercase()))
            .map(|(i, _)| i)
            .collect();
        Brands {
            list,
            names: std::sync::OnceLock::new(),
            how,
            labels,
            joined: std::sync::OnceLock::new(),
            acronyms,
        }
    }

    /// The first brand marked `^` in the list (`^ups`, `^irs`: names that are ordinary words in
    /// small letters) named in `name` as written, in capitals, as a whole word.
    pub fn acronym_in(&self, name: &str) -> Option<&(String, Vec<String>)> {
        if !name.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        self.acronyms
            .iter()
            .filter_map(|&i| self.list.get(i))
            .find(|(brand, _)| contains_word(name, brand))
    }

    /// The first brand of two words or more named in `lowered` written as one whole word
    /// (`laposte` for `la poste`).
    pub fn joined_in(&self, lowered: &str) -> Option<&(String, Vec<String>)> {
        let joined = self.joined.get_or_init(|| {
            let mut map = std::collections::HashMap::new();
            for (i, (brand, _)) in self.list.iter().enumerate() {
                let one: String = brand.chars().filter(|c| c.is_alphanumeric()).collect();
                if brand.contains(' ') && one.chars().count() >= 6 {
                    map.entry(one).or_insert(i);
                }
            }
            map
        });
        lowered
            .split(|c: char| !c.is_alphanumeric())
            .filter_map(|word| joined.get(word))
            .min()
            .and_then(|i| self.list.get(*i))
    }

    fn names(&self) -> Option<&AhoCorasick> {
        self.names
            .get_or_init(|| {
                let kind = match self.how {
                    Build::Many => AhoCorasickKind::DFA,
                    Build::One => AhoCorasickKind::NoncontiguousNFA,
                };
                (!self.list.is_empty())
                    .then(|| {
                        AhoCorasickBuilder::new()
                            .match_kind(MatchKind::Standard)
                            .kind(Some(kind))
                            .build(self.list.iter().map(|(brand, _)| brand.as_str()))
                            .ok()
                    })
                    .flatten()
            })
            .as_ref()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, (String, Vec<String>)> {
        self.list.iter()
    }

    /// Whether `label` is a registrable label of one of the brands' domains.
    pub fn has_label(&self, label: &str) -> bool {
        self.labels.contains(label)
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The first brand of the list named in `lowered` as whole words (as `contains_word`).
    pub fn named_in(&self, lowered: &str) -> Option<&(String, Vec<String>)> {
        if self.how == Build::One
            && self.names.get().is_none()
            && lowered.len().saturating_mul(self.list.len()) <= DIRECT_SEARCH_BUDGET
        {
            // One message: each brand looked for in turn (see `DIRECT_SEARCH_BUDGET`).
            return self.list.iter().find(|(brand, _)| {
                let needle = brand.as_bytes();
                if needle.is_empty() {
                    return true; // as the automaton matches an empty name anywhere
                }
                let finder = memchr::memmem::Finder::new(needle);
                let hay = lowered.as_bytes();
                let mut from = 0;
                while let Some(at) = hay.get(from..).and_then(|t| finder.find(t)) {
                    if whole_word(lowered, from + at, from + at + needle.len()) {
                        return true;
                    }
                    from += at + 1;
                }
                false
            });
        }
        let ac = self.names()?;
        ac.find_overlapping_iter(lowered)
            .filter(|m| whole_word(lowered, m.start(), m.end()))
            .map(|m| m.pattern().as_usize())
            .min()
            .and_then(|i| self.list.get(i))
    }
}

impl<'a> IntoIterator for &'a Brands {
    type Item = &'a (String, Vec<String>);
    type IntoIter = std::slice::Iter<'a, (String, Vec<String>)>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

pub fn contains_word(hay: &str, needle: &str) -> bool {
    !needle.is_empty()
        && hay
            .match_indices(needle)
            .any(|(i, m)| whole_word(hay, i, i + m.len()))
}

/// Whether `text[start..end]` is not glued to Latin letters or digits on a side where the match
/// itself has one.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let Some(matched) = text.get(start..end) else {
        return false;
    };
    let first = matched.chars().next();
    let last = matched.chars().next_back();
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    let left_ok = !(first.is_some_and(is_word) && before.is_some_and(is_word));
    let right_ok = !(last.is_some_and(is_word) && after.is_some_and(is_word));
    left_ok && right_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(lines: &[&str], categories: bool) -> PhraseSet {
        PhraseSet::new(lines.iter().map(|s| s.to_string()), categories)
    }

    /// A one-message search looks for each phrase (and brand) in turn instead of building an
    /// automaton; it must find what the automaton finds, in its order: overlapping and
    /// self-overlapping phrases, phrases that are suffixes of others, whole-word edges, CJK.
    #[test]
    fn the_direct_search_finds_what_the_automaton_finds_in_its_order() {
        let lines: Vec<String> = [
            "aa",
            "aaa",
            "abab",
            "ab",
            "b",
            "verify your account",
            "your account",
            "account",
            "count",
            "至急",
            "請求書",
            "請求書送付",
            "- -",
            "x-",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let direct = PhraseSet::new_for(lines.clone(), false, Build::One);
        let automaton = PhraseSet::build(lines.clone(), false, 0);
        // Built beforehand, so its searches use it.
        assert!(matches!(automaton.automaton(), Some(Matcher::Large(_))));
        let alphabet = [
            "a",
            "b",
            "ab",
            " ",
            "-",
            "x",
            "your ",
            "account",
            "至急",
            "請求書送付",
            "count",
        ];
        let mut generated = crate::text::generated::Generated::new(0x9e37_79b9_7f4a_7c15);
        let mut next = || generated.next();
        let brands = Brands::new_for(
            ["ab", "abab", "your account", "請求書", "- -"]
                .iter()
                .map(|b| (b.to_string(), Vec::new()))
                .collect(),
            Build::One,
        );
        let brands_ac = Brands::new_for(
            ["ab", "abab", "your account", "請求書", "- -"]
                .iter()
                .map(|b| (b.to_string(), Vec::new()))
                .collect(),
            Build::Many,
        );
        assert!(brands_ac.names().is_some());
        for round in 0..2000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let pick = |s: &PhraseSet| -> Vec<(String, usize)> {
                s.find_all(&text)
                    .iter()
                    .map(|h| (h.phrase.text.clone(), h.start))
                    .collect()
            };
            assert_eq!(pick(&direct), pick(&automaton), "round {round}: {text:?}");
            assert_eq!(
                brands.named_in(&text).map(|b| &b.0),
                brands_ac.named_in(&text).map(|b| &b.0),
                "round {round}: {text:?}"
            );
        }
        // It never built the automaton; a text past the budget does.
        assert!(direct.automaton.get().is_none());
        let long = "a".repeat(DIRECT_SEARCH_BUDGET / lines.len() + 1);
        assert_eq!(
            direct.find_all(&long).len(),
            automaton.find_all(&long).len()
        );
        assert!(direct.automaton.get().is_some());
    }

    /// `find_all`'s walk in stretches gives what aho-corasick's own overlapping search gives, on
    /// texts of every length around the stretch boundaries, with phrases across them.
    #[test]
    fn find_all_matches_the_library_search() {
        let lines: Vec<String> = [
            "verify your account",
            "your account",
            "account",
            "password",
            "pass",
            "至急",
            "パスワード",
            "アカウント",
            "click here",
            "here",
            "a",
            "suspended",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let set = PhraseSet::new(lines, false);
        let library = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(set.phrases().iter().map(|p| p.text.as_str()))
            .expect("automaton");
        let words = [
            "verify",
            "your",
            "account",
            "password",
            "至急",
            "パスワードを",
            "click",
            "here",
            "suspended",
            "x",
            "embankment",
            "ア",
            "pass",
            "word",
            "アカウント",
        ];
        let mut generated = crate::text::generated::Generated::new(0x9e37_79b9_7f4a_7c15);
        let mut next = || generated.next();
        for len in (0..1200).step_by(7).chain([2000, 5000, 20_000]) {
            for _ in 0..3 {
                let mut text = String::new();
                while text.len() < len {
                    let w = words[(next() % words.len() as u64) as usize];
                    text.push_str(w);
                    if next() % 3 != 0 {
                        text.push(' ');
                    }
                }
                let got: Vec<(usize, &str)> = set
                    .find_all(&text)
                    .iter()
                    .map(|h| (h.start, h.phrase.text.as_str()))
                    .collect();
                let want: Vec<(usize, &str)> = library
                    .find_overlapping_iter(&text)
                    .filter(|m| whole_word(&text, m.start(), m.end()))
                    .map(|m| {
                        (
                            m.start(),
                            set.phrases()[m.pattern().as_usize()].text.as_str(),
                        )
                    })
                    .collect();
                assert_eq!(got, want, "{text:?}");
            }
        }
    }

    #[test]
    fn whole_words_for_latin_substrings_for_japanese() {
        let s = set(&["bank", "銀行", "inc."], false);
        assert!(s.find_first("the embankment").is_none());
        assert_eq!(s.find_first("sakura bank").unwrap().text, "bank");
        assert_eq!(s.find_first("みずほ銀行本店").unwrap().text, "銀行");
        assert_eq!(s.find_first("acme inc.").unwrap().text, "inc.");
        assert!(s.find_first("bank2").is_none());
    }

    #[test]
    fn brands_named_in_a_display_name_in_list_order() {
        let list: Vec<(String, Vec<String>)> = [
            ("apple", "apple"),
            ("apple pay", "apple"),
            ("dhl", "dhl"),
            ("ups", "ups"),
        ]
        .iter()
        .map(|(b, l)| (b.to_string(), vec![l.to_string()]))
        .collect();
        let brands = Brands::new(list.clone());
        let one = Brands::new_for(list.clone(), Build::One);
        for name in [
            "apple pay support",
            "dhl express",
            "groups team",
            "ups & dhl",
            "pineapple",
            "",
            "the apple store",
        ] {
            let expected = list.iter().find(|(b, _)| contains_word(name, b));
            assert_eq!(brands.named_in(name), expected, "{name}");
            assert_eq!(
                one.named_in(name),
                expected,
                "{name}, built for one message"
            );
        }
        assert!(Brands::default().named_in("apple").is_none());
    }

    #[test]
    fn brands_with_accents_are_named_without_them_too() {
        let list: Vec<(String, Vec<String>)> = [("itaú", "itau"), ("ヤマト運輸", "yamato")]
            .iter()
            .map(|(b, l)| (b.to_string(), vec![l.to_string()]))
            .collect();
        for how in [Build::Many, Build::One] {
            let brands = Brands::new_for(list.clone(), how);
            for name in ["@itau digital", "banco itaú", "itaú"] {
                assert_eq!(brands.named_in(name).unwrap().1, vec!["itau"], "{name}");
            }
            assert!(brands.named_in("itaunas").is_none());
            assert!(brands.named_in("ヤマト運輸").is_some());
        }
        assert_eq!(
            without_latin_accents("Société Générale"),
            "Societe Generale"
        );
        assert_eq!(without_latin_accents("Straße Øst ヅ"), "Straße Øst ヅ");
    }

    #[test]
    fn categories_and_overlaps() {
        let s = set(
            &["urgency: 至急", "payment: 請求書", "theme: 請求書送付"],
            true,
        );
        let hits = s.find_all("至急：請求書送付の件");
        let cats: Vec<_> = hits.iter().map(|h| h.phrase.category.as_str()).collect();
        assert_eq!(cats, ["urgency", "payment", "theme"]);
        assert!(set(&[], true).find_all("x").is_empty());
    }

    /// Issue 20 item 8: a site list of 300,000 phrases (each twice) loads in linear time (the
    /// old de-duplication compared each line with every one before it) and, past the DFA's
    /// size, is searched with the library's automaton with the same results as the DFA gives.
    #[test]
    fn large_lists_load_in_linear_time_and_match_like_small_ones() {
        let lines = (0..300_000u32).flat_map(|i| {
            let p = format!("phrase{i:06} zz");
            [p.clone(), p]
        });
        let big = PhraseSet::new(lines, false);
        assert_eq!(big.len(), 300_000);
        assert!(matches!(big.automaton(), Some(Matcher::Large(_))));
        let text = "see phrase123456 zz and phrase000007 zz, not xphrase000008 zz";
        let hits: Vec<&str> = big
            .find_all(text)
            .iter()
            .map(|h| h.phrase.text.as_str())
            .collect();
        assert_eq!(hits, ["phrase123456 zz", "phrase000007 zz"]);

        let lines: Vec<String> = [
            "verify your account",
            "your account",
            "account",
            "至急",
            "a",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let one = PhraseSet::new_for(lines.clone(), false, Build::One);
        let dfa = PhraseSet::build(lines.clone(), false, usize::MAX);
        let large = PhraseSet::build(lines, false, 0);
        assert!(matches!(dfa.automaton(), Some(Matcher::Dfa(_))));
        assert!(matches!(large.automaton(), Some(Matcher::Large(_))));
        let text = "Please verify your account 至急 a account, embankment your accountant";
        let pick = |s: &PhraseSet| -> Vec<(String, usize)> {
            s.find_all(text)
                .iter()
                .map(|h| (h.phrase.text.clone(), h.start))
                .collect()
        };
        assert_eq!(pick(&dfa), pick(&large));
        assert_eq!(pick(&dfa), pick(&one), "built for one message");
        assert!(matches!(one.automaton(), Some(Matcher::Large(_))));
        assert_eq!(pick(&dfa).len(), 6, "{:?}", pick(&dfa));
    }
}
