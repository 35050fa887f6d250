//! Drill campaigns: generation is deterministic, one lure per recipient and scenario, every lure
//! is inert and caught by the filter with the rules its scenario teaches; send, serve and report.

use lurescreen::drill::{self, Generated, campaign::Campaign, generate, payload, scenario};
use lurescreen::{Signatures, Verdict};
use std::path::{Path, PathBuf};
use std::process::Command;

fn example_campaign() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/drills/campaign.toml")
}

fn lurescreen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lurescreen"))
}

#[test]
fn the_example_campaign_uses_every_scenario() {
    let loaded = Campaign::load(&example_campaign()).unwrap();
    let used: Vec<&str> = loaded.scenarios().iter().map(|s| s.id.as_str()).collect();
    for s in scenario::all() {
        assert!(
            used.contains(&s.id.as_str()),
            "{} is not in the example",
            s.id
        );
    }
}

#[test]
fn generation_is_deterministic_with_one_file_per_recipient_and_scenario() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [a.path(), b.path()] {
        let out = lurescreen()
            .args(["drill", "generate", "--campaign"])
            .arg(example_campaign())
            .arg("--out")
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let loaded = Campaign::load(&example_campaign()).unwrap();
    let expected = loaded.recipients.len() * loaded.scenarios().len();
    let list = |d: &Path| {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    let (fa, fb) = (list(a.path()), list(b.path()));
    let emls = fa
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .count();
    assert_eq!(emls, expected);
    assert_eq!(fa.len(), expected + 1, "lures and manifest.json");
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.file_name(), y.file_name());
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{} differs between runs",
            x.display()
        );
    }
    let generated = Generated::load(a.path()).unwrap();
    let mut tokens: Vec<&str> = generated
        .manifest
        .entries
        .iter()
        .map(|e| e.token.as_str())
        .collect();
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), expected, "tokens are unique");
}

/// Every link of every part of a lure carries the lure's own token.
fn links_of(raw: &[u8]) -> Vec<String> {
    let msg = mail_parser::MessageParser::default().parse(raw).unwrap();
    let mut links = Vec::new();
    for part in msg.parts.iter() {
        let text = match &part.body {
            mail_parser::PartType::Text(t) | mail_parser::PartType::Html(t) => t.to_string(),
            mail_parser::PartType::Binary(b) | mail_parser::PartType::InlineBinary(b) => {
                String::from_utf8_lossy(b).into_owned()
            }
            _ => continue,
        };
        for (n, _) in text.match_indices("http") {
            let url: String = text[n..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !"\"<>)".contains(*c))
                .collect();
            links.push(url);
        }
    }
    links
}

#[test]
fn every_lure_is_caught_inert_marked_and_tokenised() {
    let loaded = Campaign::load(&example_campaign()).unwrap();
    let engine = drill::engine(
        &loaded.campaign.organisation.domains,
        Signatures::embedded().unwrap(),
    );
    let lures = generate::build(&loaded);
    assert!(!lures.is_empty());
    let mut problems = Vec::new();
    for lure in &lures {
        let what = format!("{} / {}", lure.recipient.email, lure.scenario.id);
        let judged = drill::judge(&engine, &lure.raw, lure.scenario);
        if judged.verdict < Verdict::Warn {
            problems.push(format!(
                "{what}: verdict {:?} ({:?})",
                judged.verdict, judged.rules
            ));
        }
        if !judged.missing.is_empty() {
            problems.push(format!(
                "{what}: missing {:?}, got {:?}",
                judged.missing, judged.rules
            ));
        }
        // Inert: every decoded part and the attachment as built.
        let msg = mail_parser::MessageParser::default()
            .parse(&lure.raw)
            .unwrap();
        for part in msg.parts.iter() {
            if let Some(why) = payload::active_content(part.contents()) {
                problems.push(format!("{what}: a part holds {why}"));
            }
        }
        if let Some((name, data)) = &lure.attachment
            && let Some(why) = payload::active_content(data)
        {
            problems.push(format!("{what}: attachment {name} holds {why}"));
        }
        let header = msg
            .header_raw("X-Lurescreen-Drill")
            .map(str::trim)
            .unwrap_or("");
        if header != loaded.campaign.id {
            problems.push(format!("{what}: X-Lurescreen-Drill is `{header}`"));
        }
        let links = links_of(&lure.raw);
        let own = generate::link(&loaded.campaign.landing_url, &lure.token);
        if !links.contains(&own) {
            problems.push(format!("{what}: no link to its token"));
        }
        for l in &links {
            if l.starts_with(&loaded.campaign.landing_url) && *l != own {
                problems.push(format!("{what}: link {l} without its own token"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
