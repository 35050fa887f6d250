//! The configuration file (`lurescreen.toml`): every key optional, every default documented.

use crate::finding::Verdict;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub mod dns;
pub mod limits;
pub mod markup;
pub mod milter;
pub mod notice;
pub mod organisation;
pub mod thresholds;

pub use dns::Dns;
pub use limits::Limits;
pub use markup::Markup;
pub use milter::{FailureAction, Milter};
pub use notice::{Notice, NoticeTo};
pub use organisation::{Auth, Iocs, Organisation};
pub use thresholds::Thresholds;

/// Why a configuration file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Invalid { path: String, message: String },
}

/// A numeric configuration key, its value and its valid range (both ends included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumericKey {
    pub name: &'static str,
    pub value: u64,
    pub min: u64,
    pub max: u64,
}

/// The first key outside its range, named, as an error.
fn check_ranges(keys: &[NumericKey]) -> Result<(), String> {
    match keys.iter().find(|k| k.value < k.min || k.value > k.max) {
        Some(k) => Err(format!(
            "{} = {} is out of range: it must be from {} to {}",
            k.name, k.value, k.min, k.max
        )),
        None => Ok(()),
    }
}

/// Refuses control characters in configured text (line feeds and tabs only where `line_breaks`),
/// naming the key and the character.
fn check_text(key: &str, value: &str, line_breaks: bool) -> Result<(), String> {
    let bad = value.chars().find(|&c| {
        let allowed = line_breaks && (c == '\n' || c == '\t');
        !allowed
            && (c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}'))
    });
    match bad {
        Some(c) => Err(format!(
            "{key} must not contain control characters (found U+{:04X}){}",
            c as u32,
            if line_breaks {
                ""
            } else {
                ": it goes into a header field or the SMTP reply, one line"
            }
        )),
        None => Ok(()),
    }
}

/// Scores of the site's own (`lurescreen tune` writes them), laid over the signatures' scores.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scores {
    /// A scores overlay (`RULE_ID = 4.5` lines); a relative path is relative to the
    /// configuration file's folder. Applied after any `scores.toml` of the signatures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<std::path::PathBuf>,
}

/// The whole configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Language of reasons, subject tag and banner when `--lang` is not given: `en` or `ja`.
    /// Absent: taken from the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    pub thresholds: Thresholds,
    pub limits: Limits,
    pub markup: Markup,
    pub milter: Milter,
    pub iocs: Iocs,
    pub organisation: Organisation,
    pub auth: Auth,
    pub dns: Dns,
    pub notice: Notice,
    pub scores: Scores,
}

impl Config {
    pub fn from_toml(text: &str, path: &str) -> Result<Self, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.into(),
            message: e.to_string(),
        })?;
        config.validate().map_err(|message| ConfigError::Invalid {
            path: path.into(),
            message,
        })?;
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// Every numeric key with its value and the range it must be in. A value outside its range
    /// is refused at load time: a size that wraps when one is added, a limit of 0 that makes
    /// every message "too large", a connection count no machine has, must never reach the code
    /// that reads mail (a filter that loses the body is worse than one that does not start).
    pub fn numeric_keys(&self) -> Vec<NumericKey> {
        const GIB: u64 = 1 << 30;
        let l = &self.limits;
        let m = &self.milter;
        let d = &self.dns;
        let key = |name: &'static str, value: u64, min: u64, max: u64| NumericKey {
            name,
            value,
            min,
            max,
        };
        let n = |v: usize| v as u64;
        vec![
            key("limits.max_message_bytes", n(l.max_message_bytes), 1, GIB),
            key("limits.max_parts", n(l.max_parts), 1, 100_000),
            key(
                "limits.max_nested_messages",
                n(l.max_nested_messages),
                0,
                1_000,
            ),
            key("limits.scan_time_ms", l.scan_time_ms, 1, 600_000),
            key(
                "limits.max_container_depth",
                n(l.max_container_depth),
                0,
                32,
            ),
            key(
                "limits.max_expanded_bytes",
                l.max_expanded_bytes,
                0,
                16 * GIB,
            ),
            key(
                "limits.max_expanded_entries",
                n(l.max_expanded_entries),
                0,
                10_000_000,
            ),
            // A header read as empty would make every message "not a message".
            key(
                "limits.max_header_fields",
                n(l.max_header_fields),
                1,
                100_000,
            ),
            key(
                "limits.max_header_bytes",
                n(l.max_header_bytes),
                1,
                16 << 20,
            ),
            key("milter.max_connections", n(m.max_connections), 1, 10_000),
            key(
                "milter.shutdown_grace_ms",
                m.shutdown_grace_ms,
                0,
                3_600_000,
            ),
            key("milter.stuck_restart_ms", m.stuck_restart_ms, 0, 86_400_000),
            key("dns.budget_ms", d.budget_ms, 1, 60_000),
            key("dns.timeout_ms", d.timeout_ms, 1, 60_000),
            key("dns.max_lookups", n(d.max_lookups), 0, 1_000),
        ]
    }

    /// Checks that values make sense together.
    pub fn validate(&self) -> Result<(), String> {
        self.thresholds.validate()?;
        check_ranges(&self.numeric_keys())?;
        self.milter.validate(&self.limits)?;
        let m = &self.milter;
        // Configured text that goes into header fields, the SMTP reply or the body: a line
        // break in it would let the configuration (or whoever can write it) inject fields.
        for (key, value, line_breaks) in [
            ("markup.subject_tag_en", &self.markup.subject_tag_en, false),
            ("markup.subject_tag_ja", &self.markup.subject_tag_ja, false),
            ("milter.reject_text", &m.reject_text, false),
            ("markup.banner_en", &self.markup.banner_en, true),
            ("markup.banner_ja", &self.markup.banner_ja, true),
        ] {
            check_text(key, value, line_breaks)?;
        }
        milter::validate_listen(&m.metrics_listen)?;
        dns::validate(&self.dns)?;
        notice::validate(&self.notice)?;
        if self.markup.min_verdict == Verdict::Clean {
            return Err("markup.min_verdict must be warn, quarantine or reject".into());
        }
        Ok(())
    }

    /// `--lang` (`flag`), else the configuration's `lang`, else the locale.
    pub fn lang_for(&self, flag: Option<Lang>) -> Lang {
        flag.or(self.lang).unwrap_or_else(Lang::from_env)
    }

    /// The effective configuration as TOML, every key shown.
    pub fn to_toml(&self) -> String {
        let body =
            toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot print: {e}\n"));
        let mut out = String::new();
        if self.lang.is_none() {
            out.push_str("# lang: not set, taken from the locale\n");
        }
        if self.thresholds.reject.is_none() {
            out.push_str("# thresholds.reject: not set, rejecting is off\n");
        }
        out.push_str(&body);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_the_defaults() {
        assert_eq!(Config::from_toml("", "x").unwrap(), Config::default());
    }

    #[test]
    fn typos_and_bad_values_are_refused() {
        let e = Config::from_toml("[thresholds]\nwran = 3\n", "c.toml").unwrap_err();
        assert!(e.to_string().contains("wran"), "{e}");
        let e =
            Config::from_toml("[thresholds]\nwarn = 9\nquarantine = 8\n", "c.toml").unwrap_err();
        assert!(e.to_string().contains("must not be above"), "{e}");
        assert!(Config::from_toml("lang = \"fr\"\n", "c").is_err());
    }

    #[test]
    fn printed_config_reads_back_the_same() {
        let mut c = Config::default();
        c.thresholds.reject = Some(20.0);
        c.lang = Some(Lang::Ja);
        c.markup.banner = true;
        let again = Config::from_toml(&c.to_toml(), "printed").unwrap();
        assert_eq!(again, c);
    }
}
