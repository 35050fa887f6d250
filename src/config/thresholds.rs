//! `[thresholds]`: the scores at which a message is warned about, held or refused.

use crate::finding::Verdict;
use serde::{Deserialize, Serialize};

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

impl Thresholds {
    /// Finite, in rising order.
    pub fn validate(&self) -> Result<(), String> {
        let t = self;
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
        Ok(())
    }
}
