//! What a check reports (`Finding`) and what should happen to a message (`Verdict`): the
//! vocabulary every layer shares.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// What should happen to a message, in rising order of severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Clean,
    Warn,
    Quarantine,
    Reject,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Warn => "warn",
            Verdict::Quarantine => "quarantine",
            Verdict::Reject => "reject",
        }
    }

    /// Exit code of `scan` for a message with this verdict.
    pub fn exit_code(self) -> i32 {
        self as i32
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, v) => v.as_str(),
            (Lang::Ja, Verdict::Clean) => "問題なし",
            (Lang::Ja, Verdict::Warn) => "要注意",
            (Lang::Ja, Verdict::Quarantine) => "隔離",
            (Lang::Ja, Verdict::Reject) => "拒否",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "clean" => Ok(Verdict::Clean),
            "warn" => Ok(Verdict::Warn),
            "quarantine" => Ok(Verdict::Quarantine),
            "reject" => Ok(Verdict::Reject),
            _ => Err(format!(
                "unknown verdict `{s}` (expected clean, warn, quarantine or reject)"
            )),
        }
    }
}

/// What a check saw: a rule id, the concrete evidence, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    /// Placeholder values for the rule's reason, in the order the check gave them.
    pub evidence: Vec<(String, String)>,
    /// Where in the message: `From`, `1.2` (MIME part), `1.2/name.zip`, `link 3 in 1.2`.
    pub location: String,
}

impl Finding {
    pub fn new(rule: &'static str, location: impl Into<String>) -> Self {
        Finding {
            rule,
            evidence: Vec::new(),
            location: location.into(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.evidence.push((key.to_string(), value.into()));
        self
    }
}
