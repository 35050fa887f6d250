//! The report as text for a terminal.

use crate::Lang;
use crate::verdict::{Report, visible};
use std::fmt::Write;

pub fn report(report: &Report, source: &str, lang: Lang) -> String {
    let mut out = String::new();
    let t = report.thresholds.describe();
    match lang {
        Lang::En => {
            let _ = writeln!(
                out,
                "{source}: {} (score {:.1}; {t})",
                report.verdict.as_str().to_uppercase(),
                report.score
            );
        }
        Lang::Ja => {
            let _ = writeln!(
                out,
                "{source}: {}（{}）スコア {:.1}（{t}）",
                report.verdict.label(lang),
                report.verdict.as_str(),
                report.score
            );
        }
    }
    let s = &report.summary;
    let (from, subject) = match lang {
        Lang::En => ("From", "Subject"),
        Lang::Ja => ("差出人", "件名"),
    };
    if let Some(f) = &s.from {
        let _ = writeln!(out, "  {from}: {}", visible(f));
    }
    if let Some(sub) = &s.subject {
        let _ = writeln!(out, "  {subject}: {}", visible(sub));
    }
    let width = report
        .findings
        .iter()
        .map(|f| f.rule.len())
        .max()
        .unwrap_or(0);
    for f in &report.findings {
        let _ = writeln!(
            out,
            "  {:<width$} {:>+5.1}  [{}] {}",
            f.rule,
            f.score,
            visible(&f.location),
            f.reason(lang)
        );
    }
    out
}
