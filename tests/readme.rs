//! Keeps the README true: every rule is in its rules table, every configuration key in its
//! configuration defaults, every subcommand in its command table.

use lurescreen::{Config, Signatures};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn every_rule_is_explained_in_the_readme() {
    let readme = readme();
    let missing: Vec<String> = Signatures::embedded()
        .unwrap()
        .rules()
        .filter(|r| !readme.contains(&format!("| `{}` |", r.id)))
        .map(|r| r.id.clone())
        .collect();
    assert!(
        missing.is_empty(),
        "rules missing from the README's table: {missing:?}"
    );
}

#[test]
fn every_rule_score_in_the_readme_matches_the_signatures() {
    let readme = readme();
    let mut wrong = Vec::new();
    for r in Signatures::embedded().unwrap().rules() {
        let row = format!("| `{}` | {:.1} |", r.id, r.score);
        if !readme.contains(&row) {
            wrong.push(format!("{} (score {:.1})", r.id, r.score));
        }
    }
    assert!(
        wrong.is_empty(),
        "README rows with another score: {wrong:?}"
    );
}

#[test]
fn every_rule_class_in_the_readme_matches_the_signatures() {
    let readme = readme();
    let mut wrong = Vec::new();
    for r in Signatures::embedded().unwrap().rules() {
        let start = format!("| `{}` |", r.id);
        let row = readme.lines().find(|l| l.starts_with(&start));
        let class = format!(" | {} | ", r.class.as_str());
        if !row.is_some_and(|l| l.contains(&class)) {
            wrong.push(format!("{} ({})", r.id, r.class.as_str()));
        }
    }
    assert!(
        wrong.is_empty(),
        "README rows with another evidence class: {wrong:?}"
    );
}

#[test]
fn every_config_key_is_in_the_readme_defaults() {
    let readme = readme();
    let start = readme
        .find("## Configuration")
        .expect("a Configuration section");
    let section = &readme[start..];
    let defaults = Config::default().to_toml();
    let mut table = String::new();
    let mut missing = Vec::new();
    for line in defaults.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            table = line.to_string();
            assert!(section.contains(&table), "README lacks the table {table}");
        } else if let Some((key, _)) = line.split_once(" = ")
            && !key.starts_with('#')
            && !key.contains('"')
        {
            let key = key.trim();
            if !section.contains(&format!("{key} =")) {
                missing.push(format!("{table} {key}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "config keys missing from the README: {missing:?}"
    );
}

#[test]
fn every_subcommand_is_in_the_readme() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    let readme = readme();
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap_or("")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .take_while(|w| !w.starts_with("Options"))
        .filter(|w| *w != "help")
        .collect();
    assert!(!commands.is_empty());
    for c in commands {
        assert!(
            readme.contains(&format!("`lurescreen {c}")),
            "subcommand {c} is not in the README"
        );
    }
}
