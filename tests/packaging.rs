//! The Debian package's files (packaging/deb/): the commented configuration installed as
//! /etc/lurescreen/lurescreen.toml and the milter's systemd unit. `scripts/deb-check` builds,
//! installs and purges the package itself (run by `.ci/run`).

use lurescreen::{Config, Lang};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn file(rel: &str) -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + rel).unwrap()
}

const PACKAGED_CONFIG: &str = "packaging/deb/lurescreen.toml";

/// The packaged configuration with its `# key = value` lines uncommented.
fn uncommented(text: &str) -> (String, usize) {
    let mut keys = 0;
    let out: Vec<String> = text
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest)
                if rest.split_once(" = ").is_some_and(|(k, _)| {
                    !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                }) =>
            {
                keys += 1;
                rest.to_string()
            }
            _ => line.to_string(),
        })
        .collect();
    (out.join("\n"), keys)
}

/// `table.key` of every key in a TOML text.
fn key_paths(text: &str) -> BTreeSet<String> {
    let value: toml::Table = toml::from_str(text).unwrap();
    let mut keys = BTreeSet::new();
    for (name, v) in &value {
        match v.as_table() {
            Some(t) => keys.extend(t.keys().map(|k| format!("{name}.{k}"))),
            None => {
                keys.insert(name.clone());
            }
        }
    }
    keys
}

#[test]
fn packaged_config_is_valid_and_changes_nothing() {
    let text = file(PACKAGED_CONFIG);
    let config = Config::from_toml(&text, PACKAGED_CONFIG).unwrap();
    assert_eq!(config, Config::default());
}

#[test]
fn packaged_config_shows_every_key_at_its_default() {
    let (text, shown) = uncommented(&file(PACKAGED_CONFIG));
    // Unknown keys are refused, so every key shown exists; values are the defaults except the
    // examples of keys that have none.
    let config = Config::from_toml(&text, "uncommented").unwrap();
    let mut expected = Config {
        lang: Some(Lang::Ja),
        ..Config::default()
    };
    expected.thresholds.reject = Some(15.0);
    expected.milter.metrics_listen = "127.0.0.1:9898".into();
    expected.notice.lang = Some(Lang::Ja);
    expected.scores.file = Some(PathBuf::from("scores.toml"));
    assert_eq!(config, expected);
    // ... and every key there is is shown.
    let all = key_paths(&expected.to_toml());
    let in_file = key_paths(&text);
    let missing: Vec<_> = all.difference(&in_file).collect();
    assert!(
        missing.is_empty(),
        "keys not shown in {PACKAGED_CONFIG}: {missing:?}"
    );
    assert_eq!(shown, in_file.len(), "a key shown twice");
}

#[test]
fn packaged_config_passes_config_check() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/packaging/deb/lurescreen.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .args(["config", "check", path])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(": valid"));
}

/// `Key=value` lines of a unit file's `[Service]` section.
fn service_lines(unit: &str) -> BTreeSet<String> {
    unit.lines()
        .skip_while(|l| *l != "[Service]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn packaged_unit_keeps_the_sandboxing_of_the_contrib_unit() {
    let packaged = service_lines(&file("packaging/deb/lurescreen-milter.service"));
    let contrib = service_lines(&file("contrib/lurescreen-milter.service"));
    assert!(contrib.len() > 20, "{contrib:?}");
    // The package runs as its own user from /usr/bin; everything else is the same.
    let differs = |l: &str| {
        l.starts_with("User=")
            || l.starts_with("Group=")
            || l.starts_with("DynamicUser=")
            || l.starts_with("Exec")
    };
    let lost: Vec<_> = contrib
        .iter()
        .filter(|l| !differs(l) && !packaged.contains(*l))
        .collect();
    assert!(lost.is_empty(), "the packaged unit lacks {lost:?}");
    for line in [
        "User=lurescreen",
        "Group=lurescreen",
        "RuntimeDirectory=lurescreen",
        "ExecStart=/usr/bin/lurescreen milter",
        "ReadWritePaths=/var/spool/lurescreen",
    ] {
        assert!(packaged.contains(line), "the packaged unit lacks {line}");
    }
    assert!(!packaged.iter().any(|l| l.starts_with("DynamicUser=")));
}
