//! Findings, their scores, and the verdict they add up to.

use crate::Lang;
use crate::checks::standing::Standing;
use crate::config::Thresholds;
use crate::signatures::{EvidenceClass, Signatures, fill_template};
use serde::{Deserialize, Serialize};

/// What should happen to a message, in rising order of severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Clean,
    Warn,
    Quarantine,
    Reject,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Warn => "warn",
            Verdict::Quarantine => "quarantine",
            Verdict::Reject => "reject",
        }
    }

    /// Exit code of `scan` for a message with this verdict.
    pub fn exit_code(self) -> i32 {
        self as i32
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, v) => v.as_str(),
            (Lang::Ja, Verdict::Clean) => "問題なし",
            (Lang::Ja, Verdict::Warn) => "要注意",
            (Lang::Ja, Verdict::Quarantine) => "隔離",
            (Lang::Ja, Verdict::Reject) => "拒否",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "clean" => Ok(Verdict::Clean),
            "warn" => Ok(Verdict::Warn),
            "quarantine" => Ok(Verdict::Quarantine),
            "reject" => Ok(Verdict::Reject),
            _ => Err(format!(
                "unknown verdict `{s}` (expected clean, warn, quarantine or reject)"
            )),
        }
    }
}

/// What a check saw: a rule id, the concrete evidence, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    /// Placeholder values for the rule's reason, in the order the check gave them.
    pub evidence: Vec<(String, String)>,
    /// Where in the message: `From`, `1.2` (MIME part), `1.2/name.zip`, `link 3 in 1.2`.
    pub location: String,
}

impl Finding {
    pub fn new(rule: &'static str, location: impl Into<String>) -> Self {
        Finding {
            rule,
            evidence: Vec::new(),
            location: location.into(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.evidence.push((key.to_string(), value.into()));
        self
    }
}

/// A finding with its score and reason filled in from the signatures.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredFinding {
    pub rule: String,
    pub score: f64,
    /// The minimum verdict this rule forces, if any.
    pub min_verdict: Option<Verdict>,
    /// The rule's evidence class; context for a finding with no signature.
    pub class: EvidenceClass,
    pub reason_en: String,
    pub reason_ja: String,
    pub ipa: String,
    pub evidence: Vec<(String, String)>,
    pub location: String,
}

impl ScoredFinding {
    pub fn reason(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.reason_en,
            Lang::Ja => &self.reason_ja,
        }
    }
}

/// The outcome of scanning one message.
#[derive(Debug, Clone)]
pub struct Report {
    pub verdict: Verdict,
    pub score: f64,
    pub thresholds: Thresholds,
    pub findings: Vec<ScoredFinding>,
    pub summary: crate::message::Summary,
    /// Who stands behind the message (see `checks::standing`).
    pub standing: Standing,
    /// The score split by evidence class, each rule counted once.
    pub weights: Weights,
    /// Context alone reached a threshold but an accountable sender or an automatic process
    /// stands behind the message, so it stayed below warn.
    pub context_discounted: bool,
}

/// A score split by evidence class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Weights {
    pub deception: f64,
    pub payload: f64,
    pub context: f64,
}

impl Weights {
    fn add(&mut self, class: EvidenceClass, score: f64) {
        match class {
            EvidenceClass::Deception => self.deception += score,
            EvidenceClass::Payload => self.payload += score,
            EvidenceClass::Context => self.context += score,
        }
    }

    fn rounded(self) -> Self {
        let r = |x: f64| (x * 100.0).round() / 100.0;
        Weights {
            deception: r(self.deception),
            payload: r(self.payload),
            context: r(self.context),
        }
    }
}

impl Report {
    /// Each rule once, with its score, in the order first seen (for headers and summaries).
    pub fn rule_scores(&self) -> Vec<(&str, f64)> {
        let mut out: Vec<(&str, f64)> = Vec::new();
        for f in &self.findings {
            if !out.iter().any(|(r, _)| *r == f.rule) {
                out.push((&f.rule, f.score));
            }
        }
        out
    }
}

/// Makes evidence safe to show: control, bidi and invisible characters become `<U+XXXX>`, so an
/// RLO in a file name cannot reorder our own report, and long values are shortened.
pub fn visible(value: &str) -> String {
    const MAX: usize = 200;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", reveal_hidden(&value[..cut])),
        None => reveal_hidden(value),
    }
}

/// Control, bidi and invisible characters written as `<U+XXXX>`; a run of the same one as one
/// marker with its count (`<U+200B ×57>`, as attachment names show padding). An invisible
/// character (not a control character) strewn through the text in more than `STREWN` places,
/// such as a zero-width space after every letter, is taken out of it and named once in front
/// with its count (`<U+200B ×7>Invoice`), so the text stays readable.
pub fn reveal_hidden(value: &str) -> String {
    const STREWN: usize = 3;
    let mut strewn: Vec<(char, usize, usize)> = Vec::new();
    let mut prev = None;
    for c in value.chars() {
        if is_hidden_char(c) && !c.is_control() {
            if let Some((_, runs, total)) = strewn.iter_mut().find(|(k, _, _)| *k == c) {
                *total += 1;
                if prev != Some(c) {
                    *runs += 1;
                }
            } else if strewn.len() < 16 {
                strewn.push((c, 1, 1));
            }
        }
        prev = Some(c);
    }
    strewn.retain(|(_, runs, _)| *runs > STREWN);
    let mut out = String::with_capacity(value.len());
    for (c, _, total) in &strewn {
        out.push_str(&format!("<U+{:04X} ×{total}>", *c as u32));
    }
    let mut chars = value
        .chars()
        .filter(|c| !strewn.iter().any(|(k, _, _)| k == c))
        .peekable();
    while let Some(c) = chars.next() {
        if is_hidden_char(c) {
            let mut n = 1;
            while chars.next_if_eq(&c).is_some() {
                n += 1;
            }
            if n == 1 {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            } else {
                out.push_str(&format!("<U+{:04X} ×{n}>", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that change or hide how text around them is displayed.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x061C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x180E | 0x00AD)
}

/// Scores findings against the signatures and maps the total to a verdict.
///
/// A verdict needs evidence that something lies or carries a payload. Context (wording, layout,
/// tracking) adds its weight to such evidence; alone, it reaches a verdict only when nobody
/// stands behind the message: an authenticated sender's newsletter or a bounce is not warned
/// about for how it is written, an anonymous sender's "verify your account now" still is.
pub fn score(
    findings: Vec<Finding>,
    signatures: &Signatures,
    thresholds: &Thresholds,
    summary: crate::message::Summary,
    standing: Standing,
) -> Report {
    let mut weights = Weights::default();
    let mut scored = Vec::with_capacity(findings.len());
    let mut counted: Vec<&'static str> = Vec::new();
    let mut total = 0.0;
    let mut forced = Verdict::Clean;
    for f in findings {
        let Some(rule) = signatures.rule(f.rule) else {
            // A rule id with no signature: keep the finding visible, weigh nothing.
            scored.push(ScoredFinding {
                rule: f.rule.to_string(),
                score: 0.0,
                min_verdict: None,
                class: EvidenceClass::Context,
                reason_en: format!("{} (no signature loaded for this rule)", f.rule),
                reason_ja: format!("{}（このルールのシグネチャがありません）", f.rule),
                ipa: String::new(),
                evidence: f.evidence,
                location: f.location,
            });
            continue;
        };
        if !counted.contains(&f.rule) {
            counted.push(f.rule);
            total += rule.score;
            weights.add(rule.class, rule.score);
            if let Some(v) = rule.min_verdict {
                forced = forced.max(v);
            }
        }
        let shown: Vec<(String, String)> = f
            .evidence
            .iter()
            .map(|(k, v)| (k.clone(), visible(v)))
            .collect();
        let translate = &signatures.lists.evidence_ja;
        let shown_ja: Vec<(String, String)> = shown
            .iter()
            .map(|(k, v)| (k.clone(), translate.value(k, v, &shown).into_owned()))
            .collect();
        scored.push(ScoredFinding {
            rule: rule.id.clone(),
            score: rule.score,
            min_verdict: rule.min_verdict,
            class: rule.class,
            reason_en: fill_template(&rule.reason_en, &shown),
            reason_ja: fill_template(&rule.reason_ja, &shown_ja),
            ipa: rule.ipa.clone(),
            evidence: f.evidence,
            location: f.location,
        });
    }
    let total = (total * 100.0_f64).round() / 100.0;
    let weights = weights.rounded();
    let strong = weights.deception > 0.0 || weights.payload > 0.0;
    let by_score = thresholds.verdict_for(total);
    let context_discounted = !strong && standing.accountable() && by_score > Verdict::Clean;
    let verdict = if context_discounted {
        Verdict::Clean
    } else {
        by_score
    }
    .max(forced);
    let verdict = if verdict == Verdict::Reject && thresholds.reject.is_none() {
        Verdict::Quarantine
    } else {
        verdict
    };
    Report {
        verdict,
        score: total,
        thresholds: thresholds.clone(),
        findings: scored,
        summary,
        standing,
        weights,
        context_discounted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sigs() -> Signatures {
        Signatures::embedded().unwrap()
    }

    #[test]
    fn each_rule_counts_once_and_forces_its_minimum() {
        let t = Thresholds::default();
        let f = |name: &str| {
            Finding::new("ATTACH_DANGEROUS_EXTENSION", "2/x")
                .with("name", name)
                .with("ext", "exe")
        };
        let r = score(
            vec![f("a.exe"), f("b.exe")],
            &sigs(),
            &t,
            Default::default(),
            Default::default(),
        );
        let one = sigs().rule("ATTACH_DANGEROUS_EXTENSION").unwrap().score;
        assert_eq!(r.score, one);
        assert_eq!(r.findings.len(), 2);
        assert_eq!(r.verdict, Verdict::Quarantine);
    }

    #[test]
    fn reject_needs_a_reject_threshold() {
        let mut t = Thresholds::default();
        assert_eq!(t.verdict_for(1000.0), Verdict::Quarantine);
        t.reject = Some(15.0);
        assert_eq!(t.verdict_for(15.0), Verdict::Reject);
        assert_eq!(t.verdict_for(t.warn - 0.1), Verdict::Clean);
        assert_eq!(t.verdict_for(t.warn), Verdict::Warn);
    }

    #[test]
    fn evidence_is_made_visible_in_reasons() {
        let t = Thresholds::default();
        let f = Finding::new("ATTACH_BIDI_CONTROL", "2")
            .with("name", "a\u{202E}fdp.exe")
            .with("char", "U+202E");
        let r = score(vec![f], &sigs(), &t, Default::default(), Default::default());
        assert!(r.findings[0].reason_en.contains("a<U+202E>fdp.exe"));
        assert!(!r.findings[0].reason_en.contains('\u{202E}'));
        // The raw evidence is kept for JSON consumers.
        assert_eq!(r.findings[0].evidence[0].1, "a\u{202E}fdp.exe");
    }

    #[test]
    fn unknown_rule_is_shown_but_weighs_nothing() {
        let r = score(
            vec![Finding::new("TEST_UNKNOWN", "x")],
            &sigs(),
            &Thresholds::default(),
            Default::default(),
            Default::default(),
        );
        assert_eq!(r.score, 0.0);
        assert_eq!(r.verdict, Verdict::Clean);
        assert_eq!(r.findings.len(), 1);
    }

    #[test]
    fn runs_of_one_hidden_character_are_one_marker_with_a_count() {
        let subject: String = "Invoice".chars().flat_map(|c| [c, '\u{200B}']).collect();
        assert_eq!(reveal_hidden(&subject), "<U+200B ×7>Invoice");
        // A few stay where they are; control characters always do.
        assert_eq!(reveal_hidden("a\u{200B}b\u{200B}c"), "a<U+200B>b<U+200B>c");
        assert_eq!(
            reveal_hidden("a\nb\nc\nd\ne"),
            "a<U+000A>b<U+000A>c<U+000A>d<U+000A>e"
        );
        let padded = format!("a{}b\u{202E}\u{202E}c\r\n", "\u{200B}".repeat(57));
        assert_eq!(
            reveal_hidden(&padded),
            "a<U+200B ×57>b<U+202E ×2>c<U+000D><U+000A>"
        );
        assert_eq!(reveal_hidden("plain text"), "plain text");
    }
}
