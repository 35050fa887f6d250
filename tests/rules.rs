//! Keeps code and `signatures/` in step: every rule id the code emits is defined, every defined
//! rule is emitted by some code path, and every rule fires on a message written here for it.

mod rule_fixtures;
#[path = "support/source.rs"]
mod source;

use lurescreen::{Engine, Signatures};
use regex::Regex;
use std::collections::BTreeSet;
use std::path::Path;

const FAMILIES: &str = "SENDER|LINK|CONTENT|HEADER|ATTACH|PDF|OFFICE|ARCHIVE|EXE|DNS|LIMIT";

fn defined() -> BTreeSet<String> {
    Signatures::embedded()
        .expect("embedded signatures load")
        .rules()
        .map(|r| r.id.clone())
        .collect()
}

/// Rule ids written as string literals in non-test library code.
fn emitted_by_code() -> BTreeSet<String> {
    let re = Regex::new(&format!(r#""((?:{FAMILIES})_[A-Z0-9_]+)""#)).unwrap();
    let mut ids = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                // Items marked `#[cfg(test)]` are left out, and only those.
                let code = source::without_test_items(&text);
                ids.extend(re.captures_iter(&code).map(|c| c[1].to_string()));
            }
        }
    }
    ids
}

#[test]
fn code_and_signatures_name_the_same_rules() {
    let defined = defined();
    let emitted = emitted_by_code();
    let undefined: Vec<_> = emitted.difference(&defined).collect();
    let unused: Vec<_> = defined.difference(&emitted).collect();
    assert!(
        undefined.is_empty(),
        "emitted by code but not in signatures/: {undefined:?}"
    );
    assert!(
        unused.is_empty(),
        "in signatures/ but emitted by no code: {unused:?}"
    );
}

#[test]
fn every_rule_fires_on_its_fixture() {
    let fixtures = rule_fixtures::all();
    let covered: BTreeSet<String> = fixtures.iter().map(|(id, _, _)| id.to_string()).collect();
    assert_eq!(covered, defined(), "every rule needs a fixture here");
    let mut failures = Vec::new();
    for (id, config, raw) in fixtures {
        let engine = Engine::new(config, Signatures::embedded().unwrap());
        match engine.scan(&raw) {
            Ok(report) if report.findings.iter().any(|f| f.rule == id) => {}
            Ok(report) => failures.push(format!(
                "{id}: not found; got {:?}",
                report.findings.iter().map(|f| &f.rule).collect::<Vec<_>>()
            )),
            Err(e) => failures.push(format!("{id}: scan failed: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Japanese reasons carry no English prose: the wording lurescreen itself puts into evidence
/// values (`how`, `what`, `summary`...) is translated through `lists/evidence_ja.txt` or given
/// by the finding as `KEY_ja`. Checked on every rule's fixture and on extra cases for the
/// wording that varies (every lookalike kind, program kinds).
#[test]
fn japanese_reasons_have_no_english_prose() {
    // Two lower-case English words in a row: prose. Names (`Windows GUI`, `CALL,
    // URLDOWNLOADTOFILE`), HTML markup, identifiers, and a library's own message after a colon
    // or in parentheses are not ours to translate.
    let english_pair = Regex::new(r"\b[a-z]{2,}[ ,;]+[a-z]{2,}\b").unwrap();
    // Check names (`sender.display_name_address`) and file names are identifiers, not prose.
    let not_ours = Regex::new(r"<[^>]*>|\([^)]*\)|: .*$|\S*[._/]\S*").unwrap();
    let sigs = Signatures::embedded().unwrap();
    let translate = &sigs.lists.evidence_ja;
    let mut untranslated = BTreeSet::new();
    for (id, config, raw) in rule_fixtures::all() {
        let engine = Engine::new(config, Signatures::embedded().unwrap());
        let Ok(report) = engine.scan(&raw) else {
            continue;
        };
        for f in &report.findings {
            let Some(rule) = sigs.rule(&f.rule) else {
                continue;
            };
            for (key, value) in &f.evidence {
                if !lurescreen::signatures::PROSE_KEYS.contains(&key.as_str())
                    || !rule.reason_ja.contains(&format!("{{{key}}}"))
                {
                    continue;
                }
                let ja = translate.value(key, value, &f.evidence);
                // Data from the message stays in backticks.
                let outside: String = ja.split('`').step_by(2).collect::<Vec<_>>().join(" ");
                let outside = not_ours.replace_all(&outside, " ");
                if english_pair.is_match(&outside) {
                    untranslated.insert(format!("{} ({id} fixture) {key}: {ja}", f.rule));
                }
            }
        }
    }
    assert!(
        untranslated.is_empty(),
        "English left in Japanese reasons (add to signatures/lists/evidence_ja.txt):\n{}",
        untranslated.into_iter().collect::<Vec<_>>().join("\n")
    );
}
