//! The JSON report: one stable, documented object per message (README "JSON schema").

use crate::lang::Lang;
use crate::score::Report;
use serde_json::{Map, Value, json};

/// Version of the JSON schema; raised only when a field changes meaning or goes away.
pub const SCHEMA: u32 = 1;

pub fn report(report: &Report, source: &str, lang: Lang) -> Value {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let evidence: Map<String, Value> = f
                .evidence
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            json!({
                "rule": f.rule,
                "score": f.score,
                "min_verdict": f.min_verdict,
                "class": f.class,
                "reason": f.reason(lang),
                "evidence": evidence,
                "location": f.location,
                "ipa": f.ipa,
            })
        })
        .collect();
    let s = &report.summary;
    json!({
        "schema": SCHEMA,
        "source": source,
        "message_id": s.message_id,
        "date": s.date,
        "from": s.from,
        "to": s.to,
        "subject": s.subject,
        "verdict": report.verdict,
        "score": report.score,
        "thresholds": {
            "warn": report.thresholds.warn,
            "quarantine": report.thresholds.quarantine,
            "reject": report.thresholds.reject,
        },
        "weights": report.weights,
        "sender_authenticated": report.standing.authenticated,
        "sender_established": report.standing.established,
        "machine": report.standing.machine.map(|m| m.as_str()),
        "context_discounted": report.context_discounted,
        "lang": lang.as_str(),
        "findings": findings,
    })
}

/// The object written for an input that could not be scanned.
pub fn error(source: &str, message: &str) -> Value {
    json!({ "schema": SCHEMA, "source": source, "error": message })
}
