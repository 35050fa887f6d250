//! Scoring: findings weighed by their rules into a report and the verdict they add up to.

use crate::checks::standing::Standing;
use crate::config::Thresholds;
use crate::finding::{Finding, Verdict};
use crate::lang::Lang;
use crate::signatures::{EvidenceClass, Signatures, fill_template};
use crate::text::hidden::visible;
use serde::Serialize;

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
}
