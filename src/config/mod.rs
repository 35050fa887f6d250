//! The configuration file (`lurescreen.toml`): every key optional, every default documented.

use crate::finding::Verdict;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::path::Path;

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

/// Score thresholds: a message scoring at least `warn` gets `warn`, and so on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    pub warn: f64,
    pub quarantine: f64,
    /// Rejecting is off unless a threshold is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject: Option<f64>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warn: 4.0,
            quarantine: 8.0,
            reject: None,
        }
    }
}

impl Thresholds {
    pub fn verdict_for(&self, score: f64) -> Verdict {
        match self.reject {
            Some(r) if score >= r => Verdict::Reject,
            _ if score >= self.quarantine => Verdict::Quarantine,
            _ if score >= self.warn => Verdict::Warn,
            _ => Verdict::Clean,
        }
    }

    /// `warn=4.0, quarantine=8.0, reject=off`
    pub fn describe(&self) -> String {
        let reject = self
            .reject
            .map(|r| format!("{r:.1}"))
            .unwrap_or_else(|| "off".into());
        format!(
            "warn={:.1}, quarantine={:.1}, reject={}",
            self.warn, self.quarantine, reject
        )
    }
}

/// Bounds that keep every scan finite, whatever the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Larger messages are not scanned: an error (the filter passes them on unchanged).
    pub max_message_bytes: usize,
    /// MIME parts analysed per message (nested messages included).
    pub max_parts: usize,
    /// Attached `message/rfc822` messages parsed as messages; more are treated as opaque files.
    pub max_nested_messages: usize,
    /// Checks stop once a scan has run this long; the report says which were skipped.
    pub scan_time_ms: u64,
    /// Containers (archives, disk images, documents) opened inside one another, at most.
    pub max_container_depth: usize,
    /// Bytes extracted from containers per message, at most.
    pub max_expanded_bytes: u64,
    /// Files listed inside containers per message, at most.
    pub max_expanded_entries: usize,
    /// Top-level header fields the checks read; more are counted and reported, not read.
    pub max_header_fields: usize,
    /// Bytes of one header field's value the checks read; longer values are cut there.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 64 * 1024 * 1024,
            max_parts: 1000,
            max_nested_messages: 32,
            scan_time_ms: 10_000,
            max_container_depth: 3,
            max_expanded_bytes: 256 * 1024 * 1024,
            max_expanded_entries: 10_000,
            max_header_fields: 1000,
            max_header_bytes: 64 * 1024,
        }
    }
}

/// How `filter` (and later the milter) marks a suspicious message for its reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Markup {
    /// Lowest verdict that gets the subject tag and banner.
    pub min_verdict: Verdict,
    pub subject_tag: bool,
    pub subject_tag_en: String,
    pub subject_tag_ja: String,
    pub banner: bool,
    /// Banner text; `{verdict}`, `{score}` and `{reasons}` are filled in.
    pub banner_en: String,
    pub banner_ja: String,
}

impl Default for Markup {
    fn default() -> Self {
        Markup {
            min_verdict: Verdict::Warn,
            subject_tag: false,
            subject_tag_en: "[SUSPICIOUS]".into(),
            subject_tag_ja: "[要注意]".into(),
            banner: false,
            banner_en: "WARNING: lurescreen found signs that this message may be a targeted \
                attack or phishing ({verdict}, score {score}). Check the sender, the links and \
                the attachments; if in doubt, do not open anything and ask your IT team.\n\
                {reasons}"
                .into(),
            banner_ja:
                "【注意】このメールには標的型攻撃・フィッシングの疑いがあります（判定：{verdict}、\
                スコア {score}）。差出人・リンク先・添付ファイルをよく確認し、心当たりがなければ\
                開かずにシステム管理者へ連絡してください。\n{reasons}"
                    .into(),
        }
    }
}

impl Markup {
    pub fn subject_tag(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.subject_tag_en,
            Lang::Ja => &self.subject_tag_ja,
        }
    }

    pub fn banner_text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.banner_en,
            Lang::Ja => &self.banner_ja,
        }
    }
}

/// What the milter does when a message cannot be scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureAction {
    /// Accept the message with an `X-Lurescreen-Error` header.
    Accept,
    /// Answer 451 4.7.1: the sending server keeps the message and retries.
    Tempfail,
}

/// The milter daemon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Milter {
    /// `unix:/path/to/socket` or `inet:HOST:PORT` (`--listen` overrides it).
    pub listen: String,
    /// Mode of a `unix:` socket file, octal as a string ("660": the MTA's group must reach it).
    pub socket_mode: String,
    /// When a scan fails or runs past twice `limits.scan_time_ms`.
    pub failure_action: FailureAction,
    /// When a message is over `limits.max_message_bytes` (tempfail would defer it for ever).
    pub oversize_action: FailureAction,
    /// Put `quarantine` messages on hold (Postfix hold queue); false: deliver them with headers.
    pub quarantine: bool,
    /// SMTP text for rejected mail (550 5.7.1); `{reason}` is the main finding, in English.
    pub reject_text: String,
    /// Concurrent MTA connections: above the MTA's own process limit (Postfix: 100), so that
    /// sessions still closing never count against new ones.
    pub max_connections: usize,
    /// On SIGTERM, wait this long for messages in progress before closing connections.
    pub shutdown_grace_ms: u64,
    /// When `MAX_OVERDUE_SCANS` (8) scans have all been running past their deadline for this
    /// long, they are taken to be stuck for good (a scan cannot be stopped from outside): the
    /// daemon exits with status 70 so that the service manager restarts it. 0: never.
    pub stuck_restart_ms: u64,
    /// An MTA connection whose first command is not complete this long after it connected is
    /// closed (100 ms to 1 hour).
    pub connect_timeout_ms: u64,
    /// A command (milter packet) begun must be complete within this, however slowly its bytes
    /// trickle in; also the longest wait for the MTA to take an answer (100 ms to 1 hour).
    pub command_timeout_ms: u64,
    /// A connection silent this long between commands is closed (1 s to 1 day; Postfix waits up
    /// to `smtpd_timeout`, 300 s, for a client between SMTP commands).
    pub idle_timeout_ms: u64,
    /// Header and body bytes kept for messages in progress, over all connections together; a
    /// message that finds it used up gets `failure_action` (at least `limits.max_message_bytes`,
    /// at most 1 TiB).
    pub max_body_bytes_in_flight: usize,
    /// `IP:PORT` for Prometheus `/metrics` and `/healthz`; empty: off. A wildcard address is
    /// refused: write the one interface to serve on.
    pub metrics_listen: String,
}

impl Default for Milter {
    fn default() -> Self {
        Milter {
            listen: "unix:/run/lurescreen/milter.sock".into(),
            socket_mode: "660".into(),
            failure_action: FailureAction::Tempfail,
            oversize_action: FailureAction::Accept,
            quarantine: true,
            reject_text: "Message refused as a suspected targeted attack or phishing: {reason}"
                .into(),
            max_connections: 250,
            shutdown_grace_ms: 30_000,
            stuck_restart_ms: 300_000,
            connect_timeout_ms: 30_000,
            command_timeout_ms: 30_000,
            idle_timeout_ms: 300_000,
            max_body_bytes_in_flight: 256 * 1024 * 1024,
            metrics_listen: String::new(),
        }
    }
}

/// Indicator (IOC) files of the organisation's own, loaded with the signatures when the engine
/// is built. Relative paths are relative to the configuration file's folder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Iocs {
    /// Hash lists (`sha256:HEX  name`, ...) and, for names ending in `.ndb`, byte patterns.
    /// Hash lists may also hold known-bad domains (`domain:evil.example`, subdomains included)
    /// and URLs (`url:https://evil.example/login`, matched as a prefix).
    pub files: Vec<std::path::PathBuf>,
}

/// The organisation being protected, for the sender and lookalike checks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Organisation {
    /// The organisation's own mail and web domains (`example.co.jp`); subdomains count as own.
    /// Mail really from these is never called a lookalike of itself.
    pub domains: Vec<String>,
    /// Names staff would trust in a display name or a domain: the organisation's own, its bank,
    /// its parent company (merged with `signatures/lists/protected_brands.txt`).
    pub protected_brands: Vec<String>,
    /// Domains of partners, banks and services staff deal with, protected from lookalikes like
    /// the own domains.
    pub protected_domains: Vec<String>,
    /// Last labels of names the organisation's own systems send under that are not on the
    /// internet (`corp2` for `cron@build.corp2`), added to `signatures/lists/internal_tlds.txt`
    /// for `SENDER_UNKNOWN_TLD`.
    pub internal_tlds: Vec<String>,
}

/// Which Authentication-Results fields to believe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Auth {
    /// `authserv-id`s of your own receiving servers (`mx.example.co.jp`). Authentication-Results
    /// fields naming any other id, and sender-supplied spam verdicts (X-Spam-*), are ignored.
    pub trusted_authserv_ids: Vec<String>,
}

/// The optional DNS stage: look-ups about the domains a message names. Off by default; with it
/// off no look-up is ever made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dns {
    pub enabled: bool,
    /// Resolvers as `IP` or `IP:PORT`; empty: the system's (`/etc/resolv.conf`).
    pub servers: Vec<String>,
    /// Time for all the look-ups of one message together.
    pub budget_ms: u64,
    /// Time for one look-up.
    pub timeout_ms: u64,
    /// DNSBL/URIBL zones for link and sender domains (`dbl.example.org`); none is queried unless
    /// listed here.
    pub dnsbl_zones: Vec<String>,
    /// Look-ups per message, at most.
    pub max_lookups: usize,
}

impl Default for Dns {
    fn default() -> Self {
        Dns {
            enabled: false,
            servers: Vec::new(),
            budget_ms: 2000,
            timeout_ms: 800,
            dnsbl_zones: Vec::new(),
            max_lookups: 20,
        }
    }
}

/// Who gets the notice about a held message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeTo {
    /// Each recipient of the held message (envelope recipients when known, else To and Cc).
    Recipient,
    /// `notice.admin` alone.
    Admin,
}

/// Notices about held mail (`quarantine` and `reject` verdicts): the filter and the milter write
/// each as an `.eml` file into `dir`; sending them is left to the administrator's own setup
/// (`sendmail -t` from cron or a systemd path unit: see the README).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Notice {
    pub enabled: bool,
    /// Where notices are written (created if missing); each file appears whole (temp + rename).
    pub dir: std::path::PathBuf,
    /// `recipient` or `admin`.
    pub to: NoticeTo,
    /// The administrator's address: the recipient with `to = "admin"`, and the fallback when a
    /// held message names no recipient.
    pub admin: String,
    /// The notice's From address.
    pub from: String,
    /// Language of notices [default: the top-level `lang`, else the locale].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

impl Default for Notice {
    fn default() -> Self {
        Notice {
            enabled: false,
            dir: "/var/spool/lurescreen/notices".into(),
            to: NoticeTo::Recipient,
            admin: "postmaster@localhost".into(),
            from: "lurescreen@localhost".into(),
            lang: None,
        }
    }
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
        let t = &self.thresholds;
        if !(t.warn.is_finite() && t.quarantine.is_finite()) {
            return Err("thresholds must be finite numbers".into());
        }
        if t.warn > t.quarantine {
            return Err(format!(
                "thresholds.warn ({}) must not be above thresholds.quarantine ({})",
                t.warn, t.quarantine
            ));
        }
        if let Some(r) = t.reject
            && (!r.is_finite() || r < t.quarantine)
        {
            {
                return Err(format!(
                    "thresholds.reject ({r}) must be a number not below thresholds.quarantine ({})",
                    t.quarantine
                ));
            }
        }
        check_ranges(&self.numeric_keys())?;
        let m = &self.milter;
        if !(m.listen.starts_with("unix:") || m.listen.starts_with("inet:")) {
            return Err(format!(
                "milter.listen `{}` must be unix:/path or inet:host:port",
                m.listen
            ));
        }
        if u32::from_str_radix(&m.socket_mode, 8).map_or(true, |v| v > 0o777) {
            return Err(format!(
                "milter.socket_mode `{}` must be an octal mode such as \"660\"",
                m.socket_mode
            ));
        }
        for (key, value, min, max) in [
            ("connect_timeout_ms", m.connect_timeout_ms, 100, 3_600_000),
            ("command_timeout_ms", m.command_timeout_ms, 100, 3_600_000),
            ("idle_timeout_ms", m.idle_timeout_ms, 1_000, 86_400_000),
        ] {
            if !(min..=max).contains(&value) {
                return Err(format!(
                    "milter.{key} = {value} must be between {min} and {max}"
                ));
            }
        }
        if m.max_body_bytes_in_flight < self.limits.max_message_bytes
            || m.max_body_bytes_in_flight > 1 << 40
        {
            return Err(format!(
                "milter.max_body_bytes_in_flight = {} must be between limits.max_message_bytes \
                 ({}) and 1099511627776 (1 TiB)",
                m.max_body_bytes_in_flight, self.limits.max_message_bytes
            ));
        }
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
        crate::milter::metrics::validate_listen(&m.metrics_listen)?;
        crate::dns::validate(&self.dns)?;
        crate::explain::notice::validate(&self.notice)?;
        if self.markup.min_verdict == Verdict::Clean {
            return Err("markup.min_verdict must be warn, quarantine or reject".into());
        }
        Ok(())
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
