//! Findings made points to notice: evidence shown safely, the rule's words filled in, and the
//! place in the explanation each point is marked on.

use super::{Explanation, Point, Target};
use crate::lang::Lang;
use crate::message::Message;
use crate::score::ScoredFinding;
use crate::signatures::{Signatures, fill_template};
use crate::text::defang::{defang_evidence, defang_text};
use crate::text::hidden::visible;

pub(super) fn point(n: usize, f: &ScoredFinding, target: Target, signatures: &Signatures) -> Point {
    // Evidence as shown: hidden characters made visible, and every URL and link host defanged,
    // so that no mail program turns a reason in a notice back into a link.
    let link_rule = f.ipa == "link";
    let shown: Vec<(String, String)> = f
        .evidence
        .iter()
        .map(|(k, v)| (k.clone(), defang_evidence(k, &visible(v), link_rule)))
        .collect();
    // For Japanese, lurescreen's own wording in the evidence is translated as in the report's
    // reasons (`signatures::PROSE_KEYS`); data from the message stays as written.
    let shown_ja: Vec<(String, String)> = shown
        .iter()
        .map(|(k, v)| {
            let t = signatures.lists.evidence_ja.value(k, v, &shown);
            (k.clone(), t.into_owned())
        })
        .collect();
    let rule = signatures.rule(&f.rule);
    let evidence_for = |lang: Lang| match lang {
        Lang::En => &shown,
        Lang::Ja => &shown_ja,
    };
    let fill = |lang: Lang, explain: bool| match rule {
        Some(r) if explain => unwrap_lines(
            &defang_text(&fill_template(r.explain_template(lang), evidence_for(lang))),
            lang,
        ),
        Some(r) => defang_text(&fill_template(r.reason_template(lang), evidence_for(lang))),
        None if explain => String::new(),
        None => defang_text(match lang {
            Lang::En => &f.reason_en,
            Lang::Ja => &f.reason_ja,
        }),
    };
    let (ipa_en, ipa_ja) = match signatures.ipa_points.get(&f.ipa) {
        Some(p) => (p.en.clone(), p.ja.clone()),
        None => ("Other signs".into(), "その他の兆候".into()),
    };
    Point {
        n,
        rule: f.rule.clone(),
        ipa: f.ipa.clone(),
        ipa_en,
        ipa_ja,
        reason_en: fill(Lang::En, false),
        reason_ja: fill(Lang::Ja, false),
        explain_en: fill(Lang::En, true),
        explain_ja: fill(Lang::Ja, true),
        evidence: shown,
        location: visible(&f.location),
        target,
        score: f.score,
    }
}

/// Rule explanations are wrapped for the TOML file; joins the lines again (with a space in
/// English, without in Japanese), keeping blank lines as paragraph breaks.
fn unwrap_lines(text: &str, lang: Lang) -> String {
    let joiner = match lang {
        Lang::En => " ",
        Lang::Ja => "",
    };
    text.split("\n\n")
        .map(|para| {
            para.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(joiner)
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a finding's location points to in the explanation.
pub(super) fn target_of(location: &str, msg: &Message, e: &Explanation) -> Target {
    match location {
        "From" | "Reply-To" | "Return-Path" | "Sender" | "Authentication-Results" | "signature" => {
            return Target::Sender(location.to_string());
        }
        "Subject" => return Target::Subject,
        "text" => return Target::Body,
        _ => {}
    }
    if location.starts_with("link ")
        && let Some(i) = e.links.iter().position(|l| l.location == location)
    {
        return Target::Link(i);
    }
    // The attachment whose location is the longest prefix of the finding's location (checks of
    // documents may name a stream inside the file).
    let best = e
        .attachments
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            location == a.location
                || location
                    .strip_prefix(a.location.as_str())
                    .is_some_and(|rest| rest.starts_with(['!', '/', ' ', ':', '#']))
        })
        .max_by_key(|(_, a)| a.location.len());
    if let Some((i, _)) = best {
        return Target::Attachment(i);
    }
    if msg
        .texts
        .iter()
        .chain(&msg.htmls)
        .any(|p| p.location == location)
    {
        return Target::Body;
    }
    Target::Message
}
