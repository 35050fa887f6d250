//! The built-in drill scenarios (`scenarios.toml`, embedded): what each mock lure says and which
//! rules it teaches.

use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    /// `ja` or `en`: the language of the lure.
    pub lang: String,
    pub title_en: String,
    pub title_ja: String,
    /// Rule ids lurescreen raises on this lure: what it teaches.
    pub teaches: Vec<String>,
    pub from: SenderKind,
    /// Local part of the lookalike address (`from = "lookalike"`).
    #[serde(default)]
    pub local_part: String,
    pub display_name: String,
    pub subject: String,
    pub link_text: String,
    pub body: String,
    #[serde(default)]
    pub attachment: Option<Attachment>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SenderKind {
    Freemail,
    Lookalike,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub kind: AttachmentKind,
    pub name: String,
    pub lines: Vec<String>,
    pub link_text: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AttachmentKind {
    Pdf,
    Html,
}

impl Scenario {
    pub fn is_ja(&self) -> bool {
        self.lang == "ja"
    }

    pub fn title(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Ja => &self.title_ja,
            crate::Lang::En => &self.title_en,
        }
    }
}

#[derive(Deserialize)]
struct File {
    scenario: Vec<Scenario>,
}

const EMBEDDED: &str = include_str!("scenarios.toml");

/// Every built-in scenario, in file order.
pub fn all() -> &'static [Scenario] {
    static ALL: OnceLock<Vec<Scenario>> = OnceLock::new();
    ALL.get_or_init(|| match toml::from_str::<File>(EMBEDDED) {
        Ok(f) => f.scenario,
        // Embedded data, checked by the tests below: never reached in a released binary.
        Err(_) => Vec::new(),
    })
}

pub fn find(id: &str) -> Option<&'static Scenario> {
    all().iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_scenarios_parse_and_are_unique() {
        let parsed: File = toml::from_str(EMBEDDED).unwrap();
        assert!(parsed.scenario.len() >= 8);
        let mut ids: Vec<&str> = all().iter().map(|s| s.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all().len());
        for s in all() {
            assert!(matches!(s.lang.as_str(), "ja" | "en"), "{}", s.id);
            assert!(!s.teaches.is_empty(), "{} teaches nothing", s.id);
            assert!(
                s.from == SenderKind::Freemail || !s.local_part.is_empty(),
                "{}: lookalike without local_part",
                s.id
            );
            assert!(
                s.body.contains("{link}") || s.attachment.is_some(),
                "{}: no link anywhere",
                s.id
            );
        }
    }

    #[test]
    fn every_taught_rule_exists() {
        let sigs = crate::Signatures::embedded().unwrap();
        for s in all() {
            for r in &s.teaches {
                assert!(sigs.rule(r).is_some(), "{}: unknown rule {r}", s.id);
            }
        }
    }
}
