//! Scores overlays (`scores.toml`): one `RULE_ID = score` line per rule whose score an
//! administrator (or `lurescreen tune`) changed, kept apart from the rules' definitions.

use crate::signatures::Signatures;
use std::collections::BTreeMap;
use std::path::Path;

/// The highest score an overlay may give a rule (scores are never negative: no finding may lower
/// a message's score, since the sender controls what fires).
pub const MAX_SCORE: f64 = 100.0;

/// Reads an overlay: `(rule id, score)` in the order written. `known` says whether a rule id
/// exists. Errors name the line.
pub fn parse(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Vec<(String, f64)>, String> {
    let table: BTreeMap<String, toml::Spanned<toml::Value>> =
        toml::from_str(text).map_err(|e| e.to_string().trim_end().replace('\n', " "))?;
    let mut entries: Vec<(usize, String, &toml::Spanned<toml::Value>)> = table
        .iter()
        .map(|(k, v)| (line_of(text, v.span().start), k.clone(), v))
        .collect();
    entries.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut out = Vec::with_capacity(entries.len());
    for (line, id, value) in entries {
        if !known(&id) {
            return Err(format!("line {line}: no rule `{id}` in the signatures"));
        }
        let score = match value.get_ref() {
            toml::Value::Float(f) => *f,
            toml::Value::Integer(i) => *i as f64,
            _ => {
                return Err(format!(
                    "line {line}: `{id}` must be a number (expected `{id} = 4.5`)"
                ));
            }
        };
        if !score.is_finite() || !(0.0..=MAX_SCORE).contains(&score) {
            return Err(format!(
                "line {line}: `{id} = {score}` is out of range (0 to {MAX_SCORE})"
            ));
        }
        out.push((id, score));
    }
    Ok(out)
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Loads the overlay at `path` into `signatures`; the error names the file and the line.
pub fn apply_file(signatures: &mut Signatures, path: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("scores file {}: {e}", path.display()))?;
    apply(signatures, &text).map_err(|e| format!("scores file {}: {e}", path.display()))
}

/// Loads overlay `text` into `signatures`; returns how many scores it set.
pub fn apply(signatures: &mut Signatures, text: &str) -> Result<usize, String> {
    let entries = parse(text, &|id| signatures.rule(id).is_some())?;
    for (id, score) in &entries {
        signatures.set_score(id, *score);
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: &str) -> bool {
        id == "LINK_A" || id == "SENDER_B"
    }

    #[test]
    fn scores_are_read_with_their_lines_and_bad_ones_named() {
        let ok = parse("# header\nSENDER_B = 2  # was 3\nLINK_A = 4.5\n", &known).unwrap();
        assert_eq!(ok, vec![("SENDER_B".into(), 2.0), ("LINK_A".into(), 4.5)]);
        let e = parse("LINK_A = 1.0\n\nLINK_Z = 1.0\n", &known).unwrap_err();
        assert!(e.starts_with("line 3:") && e.contains("LINK_Z"), "{e}");
        let e = parse("LINK_A = -1.0\n", &known).unwrap_err();
        assert!(e.contains("line 1") && e.contains("out of range"), "{e}");
        let e = parse("LINK_A = nan\n", &known).unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        let e = parse("# x\nLINK_A = inf\n", &known).unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        let e = parse("LINK_A = \"high\"\n", &known).unwrap_err();
        assert!(e.contains("must be a number"), "{e}");
        let e = parse("LINK_A = 1.0\nLINK_A = 2.0\n", &known).unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn an_overlay_changes_only_the_scores_it_names() {
        let mut s = Signatures::embedded().unwrap();
        let before: Vec<(String, f64)> = s.rules().map(|r| (r.id.clone(), r.score)).collect();
        let (first, second) = (&before[0].0, &before[1].0);
        let n = apply(&mut s, &format!("{first} = 0.5\n")).unwrap();
        assert_eq!(n, 1);
        assert_eq!(s.rule(first).unwrap().score, 0.5);
        assert_eq!(s.rule(second).unwrap().score, before[1].1);
        assert!(apply(&mut s, "NOT_A_RULE = 1\n").is_err());
    }
}
