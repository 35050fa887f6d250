//! The report as text for a terminal.

use crate::lang::Lang;
use crate::score::Report;
use crate::text::hidden::visible;
use std::fmt::Write;

pub fn report(report: &Report, source: &str, lang: Lang) -> String {
    let mut out = String::new();
    // A file name is attacker-chosen too: a line break in it must not forge a verdict line.
    let source = crate::text::hidden::reveal_hidden(source);
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
    if report.context_discounted {
        let _ = match lang {
            Lang::En => writeln!(
                out,
                "  (only context: wording and layout are not enough for a warning when {})",
                standing_en(report)
            ),
            Lang::Ja => writeln!(
                out,
                "  （文面・体裁の特徴のみ：{}ため、これだけでは警告しません）",
                standing_ja(report)
            ),
        };
    }
    out
}

/// Who stands behind a message whose context was discounted, in a few words.
pub fn standing_en(report: &Report) -> String {
    let st = &report.standing;
    match (
        st.authenticated.as_ref().zip(st.established.as_ref()),
        st.machine,
    ) {
        (Some((how, marks)), _) => format!(
            "the sender's domain is authenticated ({}) and it sends as an established sender does ({})",
            visible(how),
            visible(marks)
        ),
        (None, Some(kind)) => format!("it is automatic mail ({})", kind.as_str()),
        (None, None) => "someone stands behind it".into(),
    }
}

pub fn standing_ja(report: &Report) -> String {
    use crate::checks::standing::MachineKind;
    let st = &report.standing;
    match (
        st.authenticated.as_ref().zip(st.established.as_ref()),
        st.machine,
    ) {
        (Some((how, _)), _) => format!(
            "送信元ドメインが認証され（{}）、継続的な送信者の特徴（配信停止の仕組み、自社ドメインへのリンク）がある",
            visible(how)
        ),
        (None, Some(kind)) => match kind {
            MachineKind::DeliveryStatus => "配送状況通知（エラーメール）である".into(),
            MachineKind::Disposition => "開封確認の通知である".into(),
            MachineKind::Report => "自動送信のレポートである".into(),
            MachineKind::AutoReply => "自動応答である".into(),
        },
        (None, None) => "送信者が明らかである".into(),
    }
}
