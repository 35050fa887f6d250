//! `lurescreen tune`: scans labelled ham and phishing, fits the rule scores, cross-validates,
//! and writes a scores overlay.

use crate::Engine;
use crate::exit;
use crate::tune::{self, collect, fit};
use std::io::Write;
use std::path::PathBuf;

/// A scan of one message may take this long during `tune` (at least), so that which rules fire
/// does not depend on how busy the machine is.
const TUNE_SCAN_TIME_MS: u64 = 120_000;
/// Failures listed one by one on stderr; the rest are counted.
const FAILURES_SHOWN: usize = 20;

/// What `tune` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub ham: Vec<PathBuf>,
    pub phish: Vec<PathBuf>,
    pub out: PathBuf,
    pub folds: usize,
    pub seed: u64,
    /// Scanning threads; 0: one per core.
    pub jobs: usize,
    /// Bounds and targets; `warn` is taken from the configuration.
    pub settings: fit::Settings,
}

/// `--max-ham-flagged`: `0.5%` or `0.5` (percent), as a fraction.
pub fn parse_percent(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a percentage (for example 0.5%)"))?;
    if !(0.0..=100.0).contains(&v) {
        return Err(format!("`{s}` must be between 0% and 100%"));
    }
    Ok(v / 100.0)
}

/// Runs `tune`: progress and problems on `err`, the cross-validation on `out`, the overlay to
/// `opts.out`. Returns the exit code.
pub fn run(engine: &Engine, opts: &Options, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let s = &opts.settings;
    if !(s.min_score.is_finite()
        && s.max_score.is_finite()
        && s.max_context_score.is_finite()
        && s.l2.is_finite()
        && 0.0 <= s.min_score
        && s.min_score <= s.max_context_score.min(s.max_score)
        && s.max_score <= crate::signatures::overlay::MAX_SCORE
        && s.l2 >= 0.0)
    {
        let _ = writeln!(
            err,
            "lurescreen: tune needs 0 <= --min-score <= --max-context-score, --min-score <= \
             --max-score <= {}, and --l2 >= 0",
            crate::signatures::overlay::MAX_SCORE
        );
        return exit::USAGE;
    }
    let mut config = engine.config().clone();
    config.limits.scan_time_ms = config.limits.scan_time_ms.max(TUNE_SCAN_TIME_MS);
    let mut settings = opts.settings.clone();
    settings.warn = config.thresholds.warn;
    settings.quarantine = config.thresholds.quarantine;
    let engine = Engine::new(config, engine.signatures().clone());
    let _ = writeln!(
        err,
        "lurescreen: tune: scanning {} ham and {} phishing input(s)...",
        opts.ham.len(),
        opts.phish.len()
    );
    let collected = match collect::collect(
        &engine,
        &opts.ham,
        &opts.phish,
        opts.jobs,
        &tune::context_counts,
    ) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            return exit::SOFTWARE;
        }
    };
    for f in collected.failures.iter().take(FAILURES_SHOWN) {
        let _ = writeln!(err, "lurescreen: skipped {f}");
    }
    if collected.failures.len() > FAILURES_SHOWN {
        let _ = writeln!(
            err,
            "lurescreen: skipped {} more that could not be read or scanned",
            collected.failures.len() - FAILURES_SHOWN
        );
    }
    let n_phish = collected.samples.iter().filter(|s| s.phish).count();
    let n_ham = collected.samples.len() - n_phish;
    if n_ham < opts.folds || n_phish < opts.folds {
        let _ = writeln!(
            err,
            "lurescreen: tune needs at least {} ham and {} phishing messages for {} folds; found {n_ham} ham and {n_phish} phishing",
            opts.folds, opts.folds, opts.folds
        );
        return exit::DATA;
    }
    if collected.model_mismatches > 0 {
        let _ = writeln!(
            err,
            "lurescreen: warning: on {} message(s) the engine's verdict differs from the fit's model of it; \
             the figures below may be off",
            collected.model_mismatches
        );
    }
    let rules = tune::rule_table(engine.signatures());
    let cv = tune::cross_validate(&rules, &collected.samples, opts.folds, opts.seed, &settings);
    let all: Vec<&fit::Sample> = collected.samples.iter().collect();
    let fitted = fit::fit(&rules, &all, &settings);
    let text = tune::overlay_text(
        &rules,
        &tune::Provenance {
            collected: &collected,
            signatures: engine.signatures(),
            settings: &settings,
            cv: &cv,
            fit: &fitted,
            date: tune::date_today(),
        },
    );
    let changed = rules
        .iter()
        .zip(&fitted.scores)
        .filter(|(r, s)| r.current != **s)
        .count();
    let written = writeln!(
        out,
        "{n_ham} ham, {n_phish} phishing messages ({} duplicates, {} unreadable skipped); warn = {:.1}\n\
         cross-validated, {} folds (seed {}), on each held-out fold:\n{}\nper input:\n{}",
        collected.duplicates,
        collected.failures.len(),
        settings.warn,
        opts.folds,
        opts.seed,
        tune::table(&cv),
        tune::input_table(&cv, &collected)
    );
    if written.is_err() {
        return exit::IO;
    }
    if let Err(e) = write_atomically(&opts.out, &text) {
        let _ = writeln!(err, "lurescreen: --out {}: {e}", opts.out.display());
        return exit::IO;
    }
    if !fitted.target_met {
        let _ = writeln!(
            err,
            "lurescreen: warning: more than {}% of the ham is flagged whatever the scores (rules that force a verdict)",
            settings.max_ham_flagged * 100.0
        );
    }
    if writeln!(
        out,
        "wrote {}: {changed} score(s) changed, {} kept",
        opts.out.display(),
        rules.len() - changed
    )
    .is_err()
    {
        return exit::IO;
    }
    0
}

/// Writes `text` to a temporary file beside `path` and renames it over `path`.
fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("0.5%").unwrap(), 0.005);
        assert_eq!(parse_percent("2").unwrap(), 0.02);
        assert!(parse_percent("-1%").is_err());
        assert!(parse_percent("lots").is_err());
    }
}
