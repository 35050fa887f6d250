//! The sample corpus (`corpus/README.md`) as a regression suite: every message gets exactly the
//! verdict its sidecar names and at least the rules it lists, and ham messages get no findings.
//! Messages are scanned with `corpus/lurescreen.toml`, the configuration of the fictional
//! organisation they are addressed to.
//!
//! A sidecar with `known_gap = "why"` marks a sample the engine does not get right yet: its
//! mismatches are printed (run with `--nocapture` to see them) but do not fail the suite. Once
//! the engine gets such a sample right, the suite fails until the `known_gap` line is removed.
//!
//! Every problem is collected first and reported in one assertion, each naming its file.

use lurescreen::{Config, Engine, Signatures, Verdict};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The sidecar `NAME.toml` beside each `NAME.eml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    title: String,
    title_ja: String,
    lang: String,
    description: String,
    verdict: Verdict,
    rules: Vec<String>,
    /// Why the engine does not give this sample its expected verdict or rules yet.
    #[serde(default)]
    known_gap: Option<String>,
}

/// One corpus message and what it must get.
struct Sample {
    /// `lures/NAME.eml`: how problems name it.
    name: String,
    eml: PathBuf,
    ham: bool,
    expect: Sidecar,
}

/// The corpus directories, and whether they hold ham.
const DIRS: [(&str, bool); 2] = [("lures", false), ("ham", true)];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn config_path() -> PathBuf {
    corpus_dir().join("lurescreen.toml")
}

fn config() -> Config {
    Config::load(&config_path()).expect("corpus/lurescreen.toml loads")
}

fn signatures() -> Signatures {
    Signatures::embedded().expect("embedded signatures load")
}

/// Loads every sample, pushing what is wrong with the corpus itself onto `problems`: an empty
/// directory, a message without a sidecar or the reverse, a sidecar that does not parse or does not
/// make sense, a message that mixes CRLF and LF line ends.
fn load(problems: &mut Vec<String>) -> Vec<Sample> {
    let sigs = signatures();
    let mut samples = Vec::new();
    for (dir, ham) in DIRS {
        let path = corpus_dir().join(dir);
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&path) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                problems.push(format!("corpus/{dir}: cannot read the directory: {e}"));
                continue;
            }
        };
        files.sort();
        let has_ext = |p: &Path, ext: &str| p.extension().is_some_and(|e| e == ext);
        let emls: Vec<&PathBuf> = files.iter().filter(|p| has_ext(p, "eml")).collect();
        if emls.is_empty() {
            problems.push(format!("corpus/{dir}: no .eml messages"));
        }
        for file in &files {
            let name = format!("{dir}/{}", file.file_name().unwrap().to_string_lossy());
            if has_ext(file, "toml") {
                if !file.with_extension("eml").is_file() {
                    problems.push(format!("{name}: sidecar without a message (.eml)"));
                }
            } else if !has_ext(file, "eml") {
                problems.push(format!(
                    "{name}: neither a message (.eml) nor a sidecar (.toml)"
                ));
            }
        }
        for eml in emls {
            let name = format!("{dir}/{}", eml.file_name().unwrap().to_string_lossy());
            let sidecar = eml.with_extension("toml");
            let expect = match std::fs::read_to_string(&sidecar) {
                Ok(text) => match toml::from_str::<Sidecar>(&text) {
                    Ok(s) => s,
                    Err(e) => {
                        problems.push(format!("{name}: sidecar does not parse: {e}"));
                        continue;
                    }
                },
                Err(e) => {
                    problems.push(format!("{name}: no readable sidecar (.toml): {e}"));
                    continue;
                }
            };
            for issue in sidecar_issues(&expect, ham, &sigs) {
                problems.push(format!("{name}: sidecar: {issue}"));
            }
            match std::fs::read(eml) {
                Ok(raw) => {
                    if let Some(issue) = mixed_line_ends(&raw) {
                        problems.push(format!("{name}: {issue}"));
                    }
                }
                Err(e) => problems.push(format!("{name}: cannot read: {e}")),
            }
            samples.push(Sample {
                name,
                eml: eml.clone(),
                ham,
                expect,
            });
        }
    }
    samples
}

/// What makes a sidecar unusable as a drill card or as an expectation.
fn sidecar_issues(s: &Sidecar, ham: bool, sigs: &Signatures) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in [("title", &s.title), ("title_ja", &s.title_ja)] {
        if value.trim().is_empty() || value.contains('\n') {
            out.push(format!("`{key}` must be one non-empty line"));
        }
    }
    if s.description.trim().is_empty() {
        out.push("`description` is empty".into());
    }
    if !matches!(s.lang.as_str(), "ja" | "en") {
        out.push(format!("`lang` is `{}`, expected `ja` or `en`", s.lang));
    }
    for rule in &s.rules {
        if sigs.rule(rule).is_none() {
            out.push(format!("`rules` names `{rule}`, which is no rule"));
        }
    }
    if ham && (s.verdict != Verdict::Clean || !s.rules.is_empty()) {
        out.push("ham must have verdict = \"clean\" and rules = []".into());
    }
    if !ham && (s.verdict == Verdict::Clean || (s.rules.is_empty() && s.known_gap.is_none())) {
        out.push("a lure must name a verdict above clean and at least one rule".into());
    }
    if s.known_gap.as_deref().is_some_and(|g| g.trim().is_empty()) {
        out.push("`known_gap` must say why".into());
    }
    out
}

/// Each message keeps one convention: all CRLF or all LF.
fn mixed_line_ends(raw: &[u8]) -> Option<String> {
    let crlf = raw.windows(2).filter(|w| w == b"\r\n").count();
    let lf = raw.iter().filter(|&&b| b == b'\n').count() - crlf;
    (crlf > 0 && lf > 0).then(|| format!("mixes line ends ({crlf} CRLF, {lf} bare LF)"))
}

fn fail_on(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} corpus problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn every_sample_gets_its_verdict_and_rules() {
    let mut problems = Vec::new();
    let samples = load(&mut problems);
    let engine = Engine::new(config(), signatures());
    for s in &samples {
        let raw = match std::fs::read(&s.eml) {
            Ok(raw) => raw,
            Err(_) => continue, // reported by `load`
        };
        let report = match engine.scan(&raw) {
            Ok(report) => report,
            Err(e) => {
                problems.push(format!("{}: not scanned: {e}", s.name));
                continue;
            }
        };
        let found: Vec<String> = report
            .findings
            .iter()
            .map(|f| format!("{} at {}", f.rule, f.location))
            .collect();
        let found = if found.is_empty() {
            "none".to_string()
        } else {
            found.join(", ")
        };
        let mut mismatches = Vec::new();
        if report.verdict != s.expect.verdict {
            mismatches.push(format!(
                "{}: verdict {} (score {}), expected {}; findings: {found}",
                s.name, report.verdict, report.score, s.expect.verdict
            ));
        }
        for rule in &s.expect.rules {
            if !report.findings.iter().any(|f| &f.rule == rule) {
                mismatches.push(format!(
                    "{}: rule {rule} did not fire; findings: {found}",
                    s.name
                ));
            }
        }
        if s.ham && !report.findings.is_empty() {
            mismatches.push(format!("{}: ham message has findings: {found}", s.name));
        }
        match &s.expect.known_gap {
            None => problems.extend(mismatches),
            Some(why) if mismatches.is_empty() => problems.push(format!(
                "{}: gets its verdict and rules now; remove `known_gap` (\"{why}\")",
                s.name
            )),
            Some(why) => {
                eprintln!("known gap: {}: {why}", s.name);
                for m in mismatches {
                    eprintln!("  not failing: {m}");
                }
            }
        }
    }
    fail_on(&problems);
}

#[test]
fn the_scan_command_writes_one_json_line_per_sample_and_exits_with_the_highest_verdict() {
    let mut problems = Vec::new();
    let samples = load(&mut problems);
    if samples.is_empty() {
        fail_on(&problems);
    }
    let output = Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .arg("--config")
        .arg(config_path())
        .args(["scan", "--format", "json"])
        .args(samples.iter().map(|s| &s.eml))
        .output()
        .expect("lurescreen runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stderr.trim().is_empty() {
        problems.push(format!("scan wrote to stderr:\n{stderr}"));
    }
    let lines: Vec<&str> = stdout.lines().collect();
    if lines.len() != samples.len() {
        problems.push(format!(
            "scan wrote {} lines for {} files",
            lines.len(),
            samples.len()
        ));
    }
    for (s, line) in samples.iter().zip(&lines) {
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{}: output line is not JSON ({e}): {line}", s.name));
                continue;
            }
        };
        let source = s.eml.display().to_string();
        if value["source"].as_str() != Some(source.as_str()) {
            problems.push(format!(
                "{}: output line is for {}, expected {source}",
                s.name, value["source"]
            ));
        }
        if let Some(error) = value.get("error") {
            problems.push(format!("{}: scan error {error}", s.name));
        }
        if s.expect.known_gap.is_none()
            && value["verdict"].as_str() != Some(s.expect.verdict.as_str())
        {
            problems.push(format!(
                "{}: JSON verdict {}, expected {}",
                s.name, value["verdict"], s.expect.verdict
            ));
        }
    }
    // The exit code is the highest verdict: quarantine (2) for the corpus as it stands.
    let highest = samples
        .iter()
        .filter(|s| s.expect.known_gap.is_none())
        .map(|s| s.expect.verdict)
        .max()
        .unwrap_or(Verdict::Clean);
    if output.status.code() != Some(highest.exit_code()) {
        problems.push(format!(
            "scan exited with {:?}, expected {} ({highest})",
            output.status.code(),
            highest.exit_code()
        ));
    }
    fail_on(&problems);
}
