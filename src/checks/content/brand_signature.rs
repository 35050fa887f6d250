//! A brand's sign-off in mail that does not come from the brand.

use super::*;

/// Bytes at the end of the text searched for a sign-off or copyright line.
pub(super) const SIGNATURE_TEXT: usize = 6_000;

/// Bytes around each anchor word that a sign-off or copyright line can take.
pub(super) const SIGN_OFF_REACH: usize = 120;

/// Bytes a team's or department's line can take on either side of the word (`[sign_off_line]`).
const SIGN_OFF_LINE: usize = 100;

/// Words that close a letter before the signature.
pub(super) const SIGN_OFF_WORDS: &[&str] = &[
    "regards",
    "sincerely",
    "thanks",
    "thank you",
    "cheers",
    "best",
    "yours",
    "respectfully",
    "warmly",
    "cordially",
    "from",
];

/// The text signs in the name of a brand phishing impersonates (`lists/impersonated_brands.txt`):
/// a sign-off (`Best regards, The Spotify Team`, `Thank you, Geek Squad Billing Department`: the
/// team's or department's name alone on its line or after a closing word) or a copyright line (`© 2025 Microsoft`) whose words begin with the brand's name,
/// while the From address is on none of the brand's domains and no link goes to them. Real mail
/// from a brand comes from and links to the brand; a lure borrows its footer and sends the
/// reader elsewhere. Not list mail (a list may discuss a brand's notice), not mail from the
/// organisation's own or protected domains.
pub fn brand_signature(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    if crate::checks::common::is_list_mail(msg) {
        return;
    }
    let Some(domain) = msg.from.iter().find_map(|mb| mb.domain()) else {
        return;
    };
    if crate::checks::common::is_own_or_protected(ctx, &domain) {
        return;
    }
    // Sign-offs and copyright lines close a message: its last bytes are read.
    let body = body_text(msg);
    let mut start = body.len().saturating_sub(SIGNATURE_TEXT);
    while !body.is_char_boundary(start) {
        start += 1;
    }
    let text = body.get(start..).unwrap_or("");
    // The expression (`wording/brand_signature.txt`: a sign-off in a brand's name, `The Spotify
    // Team`, or its copyright line, `© 2025 Microsoft Corporation`; group 1 or 2 is the words that
    // should be the brand) runs only around the words it needs (`team`, `©`, `copyright`, `(c)`).
    let folded = text.to_ascii_lowercase();
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for needle in [&b"team"[..], "©".as_bytes(), b"copyright", b"(c)"] {
        for at in memchr::memmem::find_iter(folded.as_bytes(), needle) {
            let mut a = at.saturating_sub(SIGN_OFF_REACH);
            while !text.is_char_boundary(a) {
                a += 1;
            }
            let mut b = (at + needle.len() + SIGN_OFF_REACH).min(text.len());
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            windows.push((a, b));
        }
    }
    if windows.is_empty() && memchr::memmem::find(folded.as_bytes(), b"department").is_none() {
        return;
    }
    windows.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
    for (a, b) in windows {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let brands = &ctx.signatures.lists.impersonated_brands;
    let org = crate::text::domain::org_domain(&domain);
    let label = org.split('.').next().unwrap_or("");
    // Found with the text before each window in view, so `\b` reads the real word boundary.
    let mut found = Vec::new();
    for &(a, b) in &merged {
        let hay = folded.get(..b).unwrap_or("");
        let mut at = a;
        while let Some(caps) = ctx.signatures.wording.sign_off().captures_at(hay, at) {
            let Some(whole) = caps.get(0) else { break };
            at = whole.end().max(at + 1);
            found.push((
                whole.range(),
                caps.get(1).map(|m| m.range()),
                caps.get(2).map(|m| m.range()),
            ));
            while at < hay.len() && !hay.is_char_boundary(at) {
                at += 1;
            }
            if at >= hay.len() {
                break;
            }
        }
    }
    // A team or department alone on its line (`Geek Squad Billing Department`, `*PayPal Support
    // Team*`): each line holding the word is matched on its own, after the sign-offs above.
    let mut lines: Vec<usize> = Vec::new();
    for needle in [&b"team"[..], b"department"] {
        let bytes = folded.as_bytes();
        for at in memchr::memmem::find_iter(bytes, needle) {
            // The line's ends, looked for no farther than a signature line can reach.
            let reach = at.saturating_sub(SIGN_OFF_LINE);
            let start = match memchr::memrchr(b'\n', bytes.get(reach..at).unwrap_or_default()) {
                Some(i) => reach + i + 1,
                None if reach == 0 => 0,
                None => continue,
            };
            let tail = bytes
                .get(at..(at + SIGN_OFF_LINE).min(bytes.len()))
                .unwrap_or_default();
            let end = match memchr::memchr(b'\n', tail) {
                Some(i) => at + i,
                None if at + tail.len() == bytes.len() => bytes.len(),
                None => continue,
            };
            if lines.contains(&start) {
                continue;
            }
            lines.push(start);
            let line = folded.get(start..end).unwrap_or("");
            if let Some(caps) = ctx.signatures.wording.sign_off_line().captures_at(line, 0)
                && let (Some(whole), Some(team)) = (caps.get(0), caps.get(1))
            {
                found.push((
                    start + whole.start()..start + whole.end(),
                    Some(start + team.start()..start + team.end()),
                    None,
                ));
            }
        }
    }
    for (whole, team, owner) in found {
        let words = match (team, owner) {
            (Some(team), _) => {
                // A team named in passing (`we met the Amazon team`) is not a signature.
                let line = text
                    .get(..whole.start)
                    .unwrap_or("")
                    .rsplit('\n')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_lowercase();
                let closes = line.is_empty()
                    || line.ends_with([',', '-', '–', '—'])
                    || SIGN_OFF_WORDS.iter().any(|w| line.ends_with(w));
                if !closes {
                    continue;
                }
                text.get(team).unwrap_or("")
            }
            (None, Some(owner)) => text.get(owner).unwrap_or(""),
            (None, None) => continue,
        };
        let words = words.trim().to_lowercase();
        let Some((brand, labels)) = brands
            .named_in(&words)
            .filter(|(brand, _)| words.starts_with(brand.as_str()))
        else {
            continue;
        };
        // A domain whose name holds the brand's (`capitaloneshopping.com` for Capital One) does
        // not hide whom it claims to be; whether it is a lookalike is the lookalike rules' call.
        let names_brand = |label: &str| {
            labels
                .iter()
                .any(|l| l == label || (l.chars().count() >= 5 && label.contains(l.as_str())))
        };
        if names_brand(label) {
            return;
        }
        let links_home = msg.links.iter().filter_map(|l| l.host.as_deref()).any(|h| {
            let org = crate::text::domain::org_domain(h);
            names_brand(org.split('.').next().unwrap_or(""))
        });
        if links_home {
            return;
        }
        out.push(
            Finding::new("CONTENT_BRAND_SIGNATURE", "text")
                .with("brand", brand.clone())
                .with(
                    "line",
                    cut(text.get(whole).unwrap_or(""), 80).trim().to_string(),
                )
                .with("domain", org),
        );
        return;
    }
}
