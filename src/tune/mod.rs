//! `lurescreen tune`: rule scores calibrated from a site's own labelled mail, cross-validated,
//! and written as a scores overlay an administrator can read, diff and load.

pub mod collect;
pub mod fit;

use crate::finding::Verdict;
use crate::signatures::{Rule, Signatures};
use collect::{Collected, Input};
use fit::{Counts, Decision, Fit, RuleInfo, Sample, Settings};
use std::fmt::Write as _;

/// The fit's view of every rule, in id order (the order of `Signatures::rules`).
pub fn rule_table(signatures: &Signatures) -> Vec<RuleInfo> {
    signatures
        .rules()
        .map(|r| RuleInfo {
            id: r.id.clone(),
            current: r.score,
            context: is_context(r),
            forces_verdict: r.min_verdict.is_some_and(|v| v >= Verdict::Warn),
            forces_quarantine: r.min_verdict.is_some_and(|v| v >= Verdict::Quarantine),
        })
        .collect()
}

/// Whether a rule is context evidence, which adds to a verdict but cannot carry one alone.
fn is_context(rule: &Rule) -> bool {
    !rule.class.is_strong()
}

/// Whether context alone may carry this message's verdict, as `score::score` decides it: only
/// when no accountable sender or automatic process stands behind the message.
pub fn context_counts(report: &crate::Report) -> bool {
    !report.standing.accountable()
}

/// Ham flagged and phishing caught in one held-out fold, with the current and the tuned scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FoldResult {
    pub current: Counts,
    pub tuned: Counts,
}

/// Cross-validation: per fold and pooled over the folds.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidation {
    pub folds: Vec<FoldResult>,
    pub current: Counts,
    pub tuned: Counts,
    pub seed: u64,
    /// Per message: flagged on its held-out fold with the current scores, and with the tuned.
    pub held_out: Vec<(bool, bool)>,
}

/// Fits on all folds but one and measures on that one, for each of `k` folds.
pub fn cross_validate(
    rules: &[RuleInfo],
    samples: &[Sample],
    k: usize,
    seed: u64,
    settings: &Settings,
) -> CrossValidation {
    let fold_of = fit::folds(samples, k, seed);
    let current: Vec<f64> = rules.iter().map(|r| r.current).collect();
    let mut cv = CrossValidation {
        folds: Vec::with_capacity(k),
        current: Counts::default(),
        tuned: Counts::default(),
        seed,
        held_out: vec![(false, false); samples.len()],
    };
    for fold in 0..k {
        let train: Vec<&Sample> = samples
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f != fold)
            .map(|(s, _)| s)
            .collect();
        let test: Vec<&Sample> = samples
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f == fold)
            .map(|(s, _)| s)
            .collect();
        let fitted = fit::fit(rules, &train, settings);
        for (i, s) in samples.iter().enumerate() {
            if fold_of[i] == fold {
                cv.held_out[i] = (
                    fit::is_flagged(s, rules, &current, settings.warn),
                    fit::is_flagged(s, rules, &fitted.scores, settings.warn),
                );
            }
        }
        let r = FoldResult {
            current: Counts::of(test.iter().copied(), rules, &current, settings),
            tuned: Counts::of(test.iter().copied(), rules, &fitted.scores, settings),
        };
        cv.current.add(r.current);
        cv.tuned.add(r.tuned);
        cv.folds.push(r);
    }
    cv
}

/// The cross-validation as a table, one line per fold and one for all.
pub fn table(cv: &CrossValidation) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{:<5} {:>6} {:>6}   {:>19} {:>4} {:>13} {:>5}   {:>17} {:>4} {:>13} {:>5}",
        "fold",
        "ham",
        "phish",
        "current: ham warned",
        "held",
        "phish caught",
        "held",
        "tuned: ham warned",
        "held",
        "phish caught",
        "held"
    );
    let line = |t: &mut String, name: &str, r: &FoldResult| {
        let _ = writeln!(
            t,
            "{:<5} {:>6} {:>6}   {:>19} {:>4} {:>13} {:>5}   {:>17} {:>4} {:>13} {:>5}",
            name,
            r.current.ham,
            r.current.phish,
            rate(r.current.ham_flagged, r.current.ham),
            r.current.ham_held,
            format!("{:.1}% ({})", r.current.recall(), r.current.phish_flagged),
            r.current.phish_held,
            rate(r.tuned.ham_flagged, r.tuned.ham),
            r.tuned.ham_held,
            format!("{:.1}% ({})", r.tuned.recall(), r.tuned.phish_flagged),
            r.tuned.phish_held,
        );
    };
    for (i, f) in cv.folds.iter().enumerate() {
        line(&mut t, &(i + 1).to_string(), f);
    }
    line(
        &mut t,
        "all",
        &FoldResult {
            current: cv.current,
            tuned: cv.tuned,
        },
    );
    t
}

/// The cross-validated figures per input: for ham the share warned, for phishing the share
/// caught, each message judged by the scores fitted without its fold.
pub fn input_table(cv: &CrossValidation, collected: &Collected) -> String {
    let mut per: Vec<(u64, u64, u64)> = vec![(0, 0, 0); collected.inputs.len()];
    for (i, &(current, tuned)) in cv.held_out.iter().enumerate() {
        let Some(&input) = collected.sample_inputs.get(i) else {
            continue;
        };
        let p = &mut per[input];
        p.0 += 1;
        p.1 += u64::from(current);
        p.2 += u64::from(tuned);
    }
    // Inputs given one by one from one folder are summed, as in the header.
    let mut rows: Vec<(String, bool, (u64, u64, u64))> = Vec::new();
    for (line, members) in input_runs(collected.inputs.iter().enumerate()) {
        let phish = collected.inputs[members[0]].phish;
        let mut sum = (0, 0, 0);
        for m in members {
            sum.0 += per[m].0;
            sum.1 += per[m].1;
            sum.2 += per[m].2;
        }
        rows.push((line, phish, sum));
    }
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{:<6} {:>6}  {:>19}  {:>19}  input",
        "", "msgs", "current", "tuned"
    );
    for (line, phish, (n, current, tuned)) in rows {
        let _ = writeln!(
            t,
            "{:<6} {:>6}  {:>19}  {:>19}  {line}",
            if phish { "phish" } else { "ham" },
            n,
            rate(current, n),
            rate(tuned, n),
        );
    }
    t
}

/// `0.4% (3)`
fn rate(n: u64, of: u64) -> String {
    let pct = if of == 0 {
        0.0
    } else {
        100.0 * n as f64 / of as f64
    };
    format!("{pct:.2}% ({n})")
}

/// Everything the overlay's header reports.
pub struct Provenance<'a> {
    pub collected: &'a Collected,
    pub signatures: &'a Signatures,
    pub settings: &'a Settings,
    pub cv: &'a CrossValidation,
    pub fit: &'a Fit,
    /// `YYYY-MM-DD`
    pub date: String,
}

/// The overlay: a header saying how it was made, then one line per rule in id order, active for
/// the scores that change, a comment for the rest.
pub fn overlay_text(rules: &[RuleInfo], p: &Provenance<'_>) -> String {
    let s = p.settings;
    let c = p.collected;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Scores overlay written by `lurescreen tune` (lurescreen {}) on {}.",
        env!("CARGO_PKG_VERSION"),
        p.date
    );
    t.push_str(
        "# Load it with `[scores] file = \"THIS FILE\"` in the configuration, or as scores.toml in a\n\
         # --signatures folder. It changes scores only; the rules themselves come from the signatures.\n#\n",
    );
    let _ = writeln!(
        t,
        "# Signatures: {} ({} rules). Threshold: warn = {}.",
        comment_safe(&p.signatures.origin),
        rules.len(),
        number(s.warn)
    );
    for (phish, name) in [(false, "Ham"), (true, "Phishing")] {
        let total: u64 = c
            .inputs
            .iter()
            .filter(|i| i.phish == phish)
            .map(|i| i.messages)
            .sum();
        let _ = writeln!(t, "# {name}: {total} messages from");
        for line in input_lines(c.inputs.iter().filter(|i| i.phish == phish)) {
            let _ = writeln!(t, "#   {line}");
        }
    }
    let _ = writeln!(
        t,
        "# Skipped: {} duplicate message(s) ({} with the other label), {} that could not be read or scanned.",
        c.duplicates,
        c.conflicting,
        c.failures.len()
    );
    t.push_str("#\n");
    let _ = writeln!(
        t,
        "# Fit: hinge loss on which rules fired (phishing below warn + {m}, ham above warn - {m}), scores\n\
         # within {:.1}..{:.1} (context rules up to {:.1}, or their current score if higher), pulled\n\
         # toward the current scores (l2 = {}); ham weighted x{:.2} so that at most {}% of the training\n\
         # ham reaches warn{}{}.\n\
         # Rules seen fewer than {} times and rules that force a verdict keep their scores.",
        s.min_score,
        s.max_score,
        s.max_context_score,
        s.l2,
        p.fit.ham_weight,
        s.max_ham_flagged * 100.0,
        if s.at_most_current {
            ", and no more than with the current scores"
        } else {
            ""
        },
        if p.fit.target_met {
            ""
        } else {
            " (NOT MET: see the rules that force a verdict)"
        },
        s.min_count,
        m = number(fit::MARGIN)
    );
    t.push_str("#\n");
    let _ = writeln!(
        t,
        "# Cross-validated, {} folds (seed {}); warned = warn or above, on the held-out fold:",
        p.cv.folds.len(),
        p.cv.seed
    );
    for line in table(p.cv).lines() {
        let _ = writeln!(t, "# {line}");
    }
    t.push_str("#\n# The same, per input (ham: share warned; phishing: share caught):\n");
    for line in input_table(p.cv, c).lines() {
        let _ = writeln!(t, "# {line}");
    }
    t.push_str("#\n");
    let counts = fit::fired_counts(rules, &c.samples);
    for (i, rule) in rules.iter().enumerate() {
        let (ham, phish) = counts[i];
        let new = p.fit.scores[i];
        let fired = format!("fired on {ham} ham / {phish} phish");
        match p.fit.decisions[i] {
            Decision::Fitted if new != rule.current => {
                let _ = writeln!(
                    t,
                    "{} = {new:.1}  # was {}; {fired}",
                    rule.id,
                    number(rule.current)
                );
            }
            Decision::Fitted => {
                let _ = writeln!(t, "# {} = {new:.1}  # unchanged; {fired}", rule.id);
            }
            Decision::Rare => {
                let _ = writeln!(
                    t,
                    "# {} = {}  # kept: {fired}, fewer than {} times",
                    rule.id,
                    number(rule.current),
                    s.min_count
                );
            }
            Decision::Forces => {
                let _ = writeln!(
                    t,
                    "# {} = {}  # kept: forces a verdict; {fired}",
                    rule.id,
                    number(rule.current)
                );
            }
        }
    }
    t
}

/// A score as TOML writes it: `5.0`, `2.5`.
fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

/// The inputs, one line each; files of one folder given one by one are one line.
fn input_lines<'a>(inputs: impl Iterator<Item = &'a Input>) -> Vec<String> {
    input_runs(inputs.enumerate())
        .into_iter()
        .map(|(line, _)| line)
        .collect()
}

/// Runs of inputs for display: each a line (`path (N messages)`, or `folder/* (F files, N
/// messages)` for files of one folder given one by one) and the indexes of its inputs.
fn input_runs<'a>(inputs: impl Iterator<Item = (usize, &'a Input)>) -> Vec<(String, Vec<usize>)> {
    /// The folder of a run of files (none for a folder or mbox input) and its inputs.
    type Run<'a> = (Option<std::path::PathBuf>, Vec<(usize, &'a Input)>);
    let mut runs: Vec<Run<'_>> = Vec::new();
    for (i, input) in inputs {
        let folder = input
            .path
            .is_file()
            .then(|| input.path.parent().map(|p| p.to_path_buf()))
            .flatten()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    std::path::PathBuf::from(".")
                } else {
                    p
                }
            });
        match runs.last_mut() {
            Some((Some(last), run))
                if folder.as_ref() == Some(last) && run[0].1.phish == input.phish =>
            {
                run.push((i, input))
            }
            _ => runs.push((folder, vec![(i, input)])),
        }
    }
    runs.into_iter()
        .map(|(folder, run)| {
            let line = match folder {
                Some(folder) if run.len() > 1 => format!(
                    "{}/* ({} files, {} messages)",
                    comment_safe(&folder.display().to_string()),
                    run.len(),
                    run.iter().map(|(_, i)| i.messages).sum::<u64>()
                ),
                _ => format!(
                    "{} ({} messages)",
                    comment_safe(&run[0].1.path.display().to_string()),
                    run[0].1.messages
                ),
            };
            (line, run.iter().map(|(i, _)| *i).collect())
        })
        .collect()
}

/// Text for a `#` comment line: control characters (a newline would end the comment) as `?`.
fn comment_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// Today (UTC) as `YYYY-MM-DD`, or the day of `SOURCE_DATE_EPOCH` when set (reproducible runs).
pub fn date_today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    let (y, m, d) = crate::batch::clock::civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// Mail where the current scores miss a kind of lure by a little and warn on a kind of
    /// ham, beside much mail far from the threshold either way.
    fn near_the_threshold() -> (Vec<RuleInfo>, Vec<Sample>) {
        let rule = |id: &str, current: f64, context: bool| RuleInfo {
            id: id.into(),
            current,
            context,
            forces_verdict: false,
            forces_quarantine: false,
        };
        let rules = vec![
            rule("LINK_A", 2.0, false),
            rule("CONTENT_B", 1.5, true),
            rule("SENDER_C", 4.5, false),
            rule("LINK_D", 5.0, false),
        ];
        let mut samples = Vec::new();
        let mut add = |n: usize, rules: &[u32], phish: bool| {
            for _ in 0..n {
                samples.push(Sample {
                    rules: rules.to_vec(),
                    phish,
                    context_counts: true,
                });
            }
        };
        add(300, &[0, 1], true); // missed at 3.5
        add(200, &[0, 2], true); // caught
        add(500, &[3], true); // caught, far above
        add(200, &[], true); // nothing fired: no score catches it
        add(400, &[1], false); // clean at 1.5
        add(20, &[2], false); // warned at 4.5
        add(1000, &[], false);
        (rules, samples)
    }

    #[test]
    fn the_fit_beats_the_current_scores_on_every_held_out_fold() {
        let (rules, samples) = near_the_threshold();
        let settings = fit::Settings::default();
        let cv = cross_validate(&rules, &samples, 5, 3, &settings);
        for (i, f) in cv.folds.iter().enumerate() {
            assert!(
                f.tuned.ham_flagged <= f.current.ham_flagged,
                "fold {i}: {f:?}"
            );
            assert!(
                f.tuned.phish_flagged >= f.current.phish_flagged,
                "fold {i}: {f:?}"
            );
        }
        assert_eq!(cv.current.ham_flagged, 20);
        assert_eq!(cv.current.phish_flagged, 700);
        assert_eq!(cv.tuned.ham_flagged, 0, "{cv:?}");
        assert_eq!(cv.tuned.phish_flagged, 1000, "{cv:?}");
        // The same data and seed give the same folds and scores.
        assert_eq!(cv, cross_validate(&rules, &samples, 5, 3, &settings));
    }

    #[test]
    fn files_of_one_folder_given_one_by_one_are_one_line() {
        let dir =
            std::env::temp_dir().join(format!("lurescreen-tune-lines-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut inputs = Vec::new();
        for n in 0..3 {
            let p = dir.join(format!("m{n}.eml"));
            std::fs::write(&p, "x").unwrap();
            inputs.push(Input {
                path: p,
                phish: false,
                messages: 1,
            });
        }
        inputs.push(Input {
            path: PathBuf::from("/nonexistent/box.mbox"),
            phish: false,
            messages: 0,
        });
        let lines = input_lines(inputs.iter());
        assert_eq!(
            lines,
            vec![
                format!("{}/* (3 files, 3 messages)", dir.display()),
                "/nonexistent/box.mbox (0 messages)".to_string()
            ]
        );
        assert_eq!(input_lines(inputs[..1].iter()).len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
