//! The `X-Lurescreen-*` header fields added to a message.

use crate::score::Report;

/// Prefix of every header field we add; any already present is removed first.
pub const PREFIX: &str = "X-Lurescreen-";
/// RFC 5322 recommends lines of at most 78 characters.
const LINE: usize = 78;

/// The header fields for a report, as (name, unfolded value).
pub fn fields(report: &Report) -> Vec<(&'static str, String)> {
    let reasons: Vec<String> = report
        .rule_scores()
        .into_iter()
        .map(|(rule, score)| format!("{rule}={score:.1}"))
        .collect();
    vec![
        ("X-Lurescreen-Verdict", report.verdict.as_str().to_string()),
        (
            "X-Lurescreen-Score",
            format!("{:.1} ({})", report.score, report.thresholds.describe()),
        ),
        (
            "X-Lurescreen-Reasons",
            if reasons.is_empty() {
                "none".into()
            } else {
                reasons.join(", ")
            },
        ),
    ]
}

/// `Name: value` folded at spaces so no line passes 78 characters where that can be helped,
/// continuation lines starting with a space, every line ended by `nl`.
pub fn fold(name: &str, value: &str, nl: &str) -> String {
    let mut out = format!("{name}:");
    let mut line_len = out.len();
    for word in value.split(' ').filter(|w| !w.is_empty()) {
        if line_len + 1 + word.len() > LINE && line_len > name.len() + 1 {
            out.push_str(nl);
            line_len = 0;
        }
        out.push(' ');
        out.push_str(word);
        line_len += 1 + word.len();
    }
    out.push_str(nl);
    out
}

/// All our header fields for a report, folded, as one block.
pub fn block(report: &Report, nl: &str) -> String {
    fields(report).iter().map(|(n, v)| fold(n, v, nl)).collect()
}

/// The header field added when a message could not be scanned.
pub fn error_block(message: &str, nl: &str) -> String {
    let clean: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    fold("X-Lurescreen-Error", &clean, nl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_78_with_the_given_line_ending() {
        let value: Vec<String> = (0..12).map(|i| format!("RULE_NUMBER_{i}=1.0,")).collect();
        let folded = fold("X-Lurescreen-Reasons", &value.join(" "), "\r\n");
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 78, "{line}");
        }
        assert!(folded.lines().skip(1).all(|l| l.starts_with(' ')));
        assert!(folded.ends_with("\r\n"));
        assert!(!folded.replace("\r\n", "").contains('\n'));
        // Unfolding gives back the value.
        let unfolded = folded.replace("\r\n ", " ");
        assert_eq!(
            unfolded,
            format!("X-Lurescreen-Reasons: {}\r\n", value.join(" "))
        );
    }

    #[test]
    fn error_header_has_no_line_breaks_inside() {
        let b = error_block("bad\nthing\r\nhere", "\n");
        assert_eq!(b.matches('\n').count(), 1);
    }
}
