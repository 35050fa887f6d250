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
    assert!(lurescreen(&["config", "check", path]).contains(": valid"));
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

// --- Man pages and shell completions (`lurescreen generate`), installed by the package ---

fn lurescreen(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "lurescreen {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The entries of a `--help` section ("Commands:", "Options:"): the first word of each line.
fn help_section(help: &str, heading: &str) -> Vec<String> {
    help.split(heading)
        .nth(1)
        .unwrap_or("")
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .map(|w| w.trim_end_matches(',').to_string())
        .collect()
}

/// Every subcommand path the user sees (`["scan"]`, `["drill", "serve"]`, ...), from `--help`.
fn subcommands(prefix: &[String]) -> Vec<Vec<String>> {
    let mut args: Vec<&str> = prefix.iter().map(String::as_str).collect();
    args.push("--help");
    let help = lurescreen(&args);
    let mut all = Vec::new();
    for name in help_section(&help, "Commands:") {
        if name == "help" {
            continue;
        }
        let mut path = prefix.to_vec();
        path.push(name);
        all.extend(subcommands(&path));
        all.push(path);
    }
    all
}

/// The long options (`--format`) a command's `--help` lists.
fn long_options(path: &[String]) -> Vec<String> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let help = lurescreen(&args);
    help.split("Options:")
        .nth(1)
        .unwrap_or("")
        .lines()
        .filter(|l| l.trim_start().starts_with('-'))
        .filter_map(|l| {
            l.split(|c: char| c.is_whitespace() || c == ',')
                .find(|w| w.starts_with("--"))
                .map(str::to_string)
        })
        .collect()
}

#[test]
fn a_man_page_for_every_subcommand_lists_its_options() {
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    lurescreen(&["generate", "man", dir_arg]);
    let read = |name: &str| {
        let path = dir.path().join(format!("{name}.1"));
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            // roff escapes hyphens
            .replace("\\-", "-")
    };
    let paths = subcommands(&[]);
    assert!(paths.len() >= 13, "{paths:?}");
    assert!(paths.contains(&vec!["config".to_string(), "check".to_string()]));
    let main = read("lurescreen");
    for option in long_options(&[]) {
        assert!(main.contains(&option), "lurescreen.1 lacks {option}");
    }
    for path in &paths {
        let name = format!("lurescreen-{}", path.join("-"));
        let page = read(&name);
        assert!(
            page.contains(&format!(".TH {name} 1")),
            "{name}.1 has no title"
        );
        let options = long_options(path);
        assert!(
            options.contains(&"--help".to_string()),
            "{path:?}: {options:?}"
        );
        for option in options {
            assert!(page.contains(&option), "{name}.1 lacks {option}");
        }
        // The parent's page refers to it.
        let parent = match path.len() {
            1 => main.clone(),
            n => read(&format!("lurescreen-{}", path[..n - 1].join("-"))),
        };
        assert!(
            parent.contains(&format!("{name}(1)")),
            "no reference to {name}(1)"
        );
    }
    // Options of the whole program are on every page; the packagers' command has none.
    assert!(read("lurescreen-scan").contains("--config"));
    assert!(!dir.path().join("lurescreen-generate.1").exists());
    let pages = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(pages, paths.len() + 1);
}

/// What bash offers after `words` (the last one being completed), with the generated script.
fn bash_complete(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cur = words.last().unwrap();
    let prev = words[words.len() - 2];
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _lurescreen lurescreen '{cur}' '{prev}'; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completion_completes_every_subcommand_and_option() {
    let dir = tempfile::tempdir().unwrap();
    lurescreen(&[
        "generate",
        "completions",
        "bash",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let script = dir.path().join("lurescreen.bash");
    for path in subcommands(&[]) {
        // `lurescreen drill se<TAB>` offers `serve`.
        let last = path.last().unwrap();
        let mut words: Vec<&str> = vec!["lurescreen"];
        words.extend(path[..path.len() - 1].iter().map(String::as_str));
        let partial = &last[..2.min(last.len())];
        words.push(partial);
        let offered = bash_complete(&script, &words);
        assert!(offered.contains(last), "{words:?} offers {offered:?}");
        // ... and `lurescreen drill serve --<TAB>` each of its options.
        let mut words: Vec<&str> = vec!["lurescreen"];
        words.extend(path.iter().map(String::as_str));
        words.push("--");
        let offered = bash_complete(&script, &words);
        for option in long_options(&path) {
            assert!(
                offered.contains(&option),
                "{words:?} offers {offered:?}, not {option}"
            );
        }
    }
    // Value completion where the values are known.
    let offered = bash_complete(&script, &["lurescreen", "scan", "--format", ""]);
    assert!(offered.contains(&"summary".to_string()), "{offered:?}");
}

#[test]
fn zsh_and_fish_completions_name_every_subcommand() {
    for shell in ["zsh", "fish"] {
        let script = lurescreen(&["generate", "completions", shell]);
        for path in subcommands(&[]) {
            let last = path.last().unwrap();
            assert!(
                script.contains(&format!("'{last}:")) || script.contains(&format!("-a \"{last}\"")),
                "{shell} completion lacks {path:?}"
            );
        }
    }
}
