//! `[notice]`: notices about held mail.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

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

/// Checks the `[notice]` section.
pub fn validate(n: &Notice) -> Result<(), String> {
    if !n.enabled {
        return Ok(());
    }
    if n.dir.as_os_str().is_empty() {
        return Err("notice.dir must name a folder when notice.enabled is true".into());
    }
    for (key, value) in [("notice.from", &n.from), ("notice.admin", &n.admin)] {
        if !plain_address(value) {
            return Err(format!(
                "{key} `{value}` must be a plain address such as \"postmaster@example.co.jp\""
            ));
        }
    }
    Ok(())
}

/// `local@domain` (or a bare local name), with nothing that could break a header.
pub fn plain_address(a: &str) -> bool {
    !a.is_empty()
        && a.len() <= 254
        && a.chars().all(|c| c.is_ascii_graphic() || !c.is_ascii())
        && !a.contains(['<', '>', ',', ';', '"', '(', ')'])
}
