//! The campaign file (`campaign.toml`) and its recipient list (CSV), read and checked.

use super::DrillError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One drill campaign, as written in `campaign.toml` (see `corpus/drills/campaign.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// Short identifier, sent in the `X-Lurescreen-Drill` header of every lure.
    pub id: String,
    /// Seed of the per-recipient tokens: keep it private, or tokens can be computed.
    pub seed: String,
    /// Date of every lure (RFC 3339): fixed so that generation is reproducible.
    pub date: String,
    /// `eml` (one file per lure) or `mbox` (one `lures.mbox`).
    #[serde(default)]
    pub format: OutputFormat,
    /// Scenario ids to use (`lurescreen drill generate --list` shows them); empty: all.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// Base of every link in the lures: clicks land on `<landing_url>/t/<token>`.
    pub landing_url: String,
    pub organisation: Organisation,
    /// Recipient CSV, relative to the campaign file.
    pub recipients: PathBuf,
    pub sender: Sender,
    #[serde(default)]
    pub smtp: Smtp,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    #[default]
    Eml,
    Mbox,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    pub name_ja: String,
    /// The organisation's own domains; the first is the one lures imitate. Recipients must be
    /// at one of these (or their subdomains).
    pub domains: Vec<String>,
}

/// Who the mock lures claim to be.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    /// A free mail address the drill team controls (scenarios posing from free mail).
    pub freemail: String,
    /// A lookalike of the organisation's domain the drill team controls (local parts are chosen
    /// by the scenario: `it-support@`, `jinji@`...).
    pub lookalike_domain: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    /// Envelope sender (MAIL FROM): bounces go here, so use the drill team's own address.
    pub envelope_from: String,
    /// EHLO name.
    pub helo: String,
    /// Messages per minute, at most.
    pub rate_per_minute: u32,
}

impl Default for Smtp {
    fn default() -> Self {
        Smtp {
            host: "127.0.0.1".into(),
            port: 25,
            envelope_from: String::new(),
            helo: "localhost".into(),
            rate_per_minute: 30,
        }
    }
}

/// One row of the recipient CSV.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub department: String,
    /// The name as written in Japanese lures; `name` when empty.
    #[serde(default)]
    pub name_ja: String,
}

impl Recipient {
    pub fn name_for(&self, ja: bool) -> &str {
        if ja && !self.name_ja.is_empty() {
            &self.name_ja
        } else {
            &self.name
        }
    }
}

/// A campaign with its recipients loaded.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub campaign: Campaign,
    pub recipients: Vec<Recipient>,
    /// The campaign's date as a Unix timestamp, and as it appears in the `Date:` header.
    pub timestamp: i64,
    pub date_header: String,
}

/// Lower-cased domain of an address (`a@B.example` → `b.example`).
pub fn domain_of(address: &str) -> Option<String> {
    let (local, domain) = address.trim().rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() || domain.contains(char::is_whitespace) {
        return None;
    }
    Some(domain.to_ascii_lowercase())
}

/// Whether `domain` is one of `domains` or a subdomain of one.
pub fn within(domain: &str, domains: &[String]) -> bool {
    domains.iter().any(|d| {
        let d = d.to_ascii_lowercase();
        domain == d || domain.ends_with(&format!(".{d}"))
    })
}

impl Campaign {
    pub fn parse(text: &str) -> Result<Campaign, DrillError> {
        toml::from_str(text).map_err(|e| DrillError::Campaign(e.to_string()))
    }

    /// Reads the campaign file and the recipient CSV beside it.
    pub fn load(path: &Path) -> Result<Loaded, DrillError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| DrillError::Io(format!("{}: {e}", path.display())))?;
        let campaign = Campaign::parse(&text)
            .map_err(|e| DrillError::Campaign(format!("{}: {e}", path.display())))?;
        let csv_path = path
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .join(&campaign.recipients);
        let csv = std::fs::read(&csv_path)
            .map_err(|e| DrillError::Io(format!("{}: {e}", csv_path.display())))?;
        let recipients = read_recipients(&csv)
            .map_err(|e| DrillError::Campaign(format!("{}: {e}", csv_path.display())))?;
        campaign.with_recipients(recipients)
    }

    /// Checks the campaign against its recipients and makes it ready to generate.
    pub fn with_recipients(self, recipients: Vec<Recipient>) -> Result<Loaded, DrillError> {
        let bad = |m: String| Err(DrillError::Campaign(m));
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return bad(format!(
                "id `{}`: use letters, digits, `-`, `_` and `.` only",
                self.id
            ));
        }
        if self.seed.len() < 8 {
            return bad("seed: use at least 8 characters (it keeps tokens unguessable)".into());
        }
        let Some(date) = mail_parser::DateTime::parse_rfc3339(&self.date) else {
            return bad(format!(
                "date `{}` is not RFC 3339 (2026-12-01T09:30:00+09:00)",
                self.date
            ));
        };
        match url::Url::parse(&self.landing_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
            _ => {
                return bad(format!(
                    "landing_url `{}` is not an http(s) URL",
                    self.landing_url
                ));
            }
        }
        if self.organisation.domains.is_empty() {
            return bad("organisation.domains is empty".into());
        }
        if domain_of(&self.sender.freemail).is_none() {
            return bad(format!(
                "sender.freemail `{}` is not an address",
                self.sender.freemail
            ));
        }
        let look = self.sender.lookalike_domain.to_ascii_lowercase();
        if look.is_empty() || within(&look, &self.organisation.domains) {
            return bad(format!(
                "sender.lookalike_domain `{look}` must be a domain other than the organisation's"
            ));
        }
        for s in &self.scenarios {
            if super::scenario::find(s).is_none() {
                return bad(format!(
                    "unknown scenario `{s}` (known: {})",
                    super::scenario::all()
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if recipients.is_empty() {
            return bad("the recipient list is empty".into());
        }
        let mut seen = std::collections::HashSet::new();
        for r in &recipients {
            if domain_of(&r.email).is_none() {
                return bad(format!("recipient `{}` has no valid address", r.email));
            }
            if !seen.insert(r.email.to_ascii_lowercase()) {
                return bad(format!("recipient `{}` is listed twice", r.email));
            }
        }
        Ok(Loaded {
            timestamp: date.to_timestamp(),
            date_header: date.to_rfc822(),
            campaign: self,
            recipients,
        })
    }
}

/// Parses the recipient CSV (header row: `name,email,department,name_ja`; the last two optional).
pub fn read_recipients(data: &[u8]) -> Result<Vec<Recipient>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(data);
    reader
        .deserialize()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
}

impl Loaded {
    /// The scenarios this campaign uses, in the order given (all built-in ones when none is).
    pub fn scenarios(&self) -> Vec<&'static super::scenario::Scenario> {
        if self.campaign.scenarios.is_empty() {
            super::scenario::all().iter().collect()
        } else {
            self.campaign
                .scenarios
                .iter()
                .filter_map(|s| super::scenario::find(s))
                .collect()
        }
    }

    /// Recipient addresses outside the organisation's domains (send refuses them).
    pub fn outside_domains(&self) -> Vec<String> {
        self.recipients
            .iter()
            .filter(|r| {
                domain_of(&r.email).is_none_or(|d| !within(&d, &self.campaign.organisation.domains))
            })
            .map(|r| r.email.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_subdomains_are_within() {
        let own = vec!["Example.co.jp".to_string()];
        assert!(within("example.co.jp", &own));
        assert!(within("mail.example.co.jp", &own));
        assert!(!within("badexample.co.jp", &own));
        assert_eq!(domain_of("A@Mail.Example"), Some("mail.example".into()));
        assert_eq!(domain_of("nobody"), None);
        assert_eq!(domain_of("@x"), None);
    }

    #[test]
    fn recipients_parse_with_optional_columns() {
        let r = read_recipients(b"name,email\nTaro Yamada,taro@example.co.jp\n").unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name_for(true), "Taro Yamada");
        assert!(read_recipients(b"name,email\nonly-one-field\n").is_err());
    }
}
