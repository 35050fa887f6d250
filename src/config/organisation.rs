//! `[organisation]`, `[auth]` and `[iocs]`: what the site is, whom it believes, what it knows.

use serde::{Deserialize, Serialize};

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
