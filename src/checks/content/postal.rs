//! The postal address a bulk sender prints by its unsubscribe link, checked against the ZIP code
//! plan of the United States.

use super::*;

/// How far from an unsubscribe or opt-out link, in bytes, an address counts as the sender's own
/// (the footer), rather than a shipping or meeting address in the text.
const FOOTER_REACH: usize = 400;

/// Addresses looked at per message: a footer has one or two; a text made of thousands is not
/// read to the end.
const MAX_ADDRESSES: usize = 64;

/// A footer address made up: `Jonieton, VA 68196` beside the unsubscribe link, whose ZIP code
/// starts with a digit that belongs to other states (6 is Illinois, Kansas, Missouri and
/// Nebraska; Virginia's codes start with 2). Bulk mail must print the sender's postal address;
/// software that fills a footer with a random town, state and ZIP code makes one that the ZIP code
/// plan rules out nine times in ten, and no business writes its own address so. Only addresses
/// within `FOOTER_REACH` of the words "unsubscribe" or "opt out" count, and none of them may be a
/// real one.
pub fn invented_postal_address(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let zones = &ctx.signatures.lists.us_zip_zones;
    if zones.is_empty() {
        return;
    }
    let text = all_text(ctx.msg);
    let mut invented: Option<(String, String, u8)> = None;
    for (at, end, state, digit) in us_addresses(text).take(MAX_ADDRESSES) {
        let Some(digits) = zones.get(&state) else {
            continue;
        };
        if COUNTRY_CODES.contains(&state.as_str()) && !says_usa(text, end) {
            continue;
        }
        if !in_footer(text, at, end) {
            continue;
        }
        if digits.contains(&digit) {
            return;
        }
        if invented.is_none() {
            invented = Some((shown_address(text, at, end), state, digit));
        }
    }
    let Some((address, state, digit)) = invented else {
        return;
    };
    let mut owners: Vec<&str> = zones
        .iter()
        .filter(|(_, d)| d.contains(&digit))
        .map(|(s, _)| s.as_str())
        .collect();
    owners.sort_unstable();
    out.push(
        Finding::new("CONTENT_INVENTED_POSTAL_ADDRESS", "text")
            .with("address", address)
            .with("state", state.to_ascii_uppercase())
            .with("digit", char::from(digit).to_string())
            .with("states", owners.join(", ").to_ascii_uppercase()),
    );
}

/// State codes that are also the codes of countries with five-digit postcodes that a footer may
/// write the American way (`Munich, DE 80331` for Germany, `Jakarta, ID 12190` for Indonesia,
/// `Casablanca, MA 20250` for Morocco): such an address counts only when it says it is in the
/// United States.
const COUNTRY_CODES: &[&str] = &["de", "id", "ma"];

/// Whether "USA", "U.S.A." or "United States" follows the ZIP code that ends at `end`, on its line.
fn says_usa(text: &str, end: usize) -> bool {
    let mut to = (end + 40).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let after = text.get(end..to).unwrap_or("");
    let line = after.split('\n').next().unwrap_or("").to_ascii_lowercase();
    ["usa", "u.s.a", "united states"]
        .iter()
        .any(|w| line.contains(w))
}

/// Every `, ST 12345` (or `, ST. 12345-6789`) in `text` after a capitalised word: where the comma is,
/// where the ZIP code ends, the state in lower case and the ZIP code's first digit.
fn us_addresses(text: &str) -> impl Iterator<Item = (usize, usize, String, u8)> + '_ {
    let b = text.as_bytes();
    memchr::memchr_iter(b',', b).filter_map(move |comma| {
        // The town's last word, capitalised (`Jonieton`, `St. Louis`): not prose (`in stores, IN
        // 10000 cities`).
        let word = b.get(..comma)?;
        let letters = word
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if letters == 0 || !word.get(comma - letters)?.is_ascii_uppercase() {
            return None;
        }
        let mut i = comma + 1;
        while b.get(i) == Some(&b' ') && i < comma + 3 {
            i += 1;
        }
        let (s1, s2) = (*b.get(i)?, *b.get(i + 1)?);
        if i == comma + 1 || !s1.is_ascii_uppercase() || !s2.is_ascii_uppercase() {
            return None;
        }
        i += 2;
        if b.get(i) == Some(&b'.') {
            i += 1;
        }
        let gap = i;
        while b.get(i) == Some(&b' ') && i < gap + 2 {
            i += 1;
        }
        if i == gap || !b.get(i..i + 5)?.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let digit = *b.get(i)?;
        let mut end = i + 5;
        match b.get(end) {
            Some(c) if c.is_ascii_alphanumeric() => return None,
            Some(b'-')
                if b.get(end + 1..end + 5)
                    .is_some_and(|d| d.iter().all(u8::is_ascii_digit)) =>
            {
                end += 5;
                if b.get(end).is_some_and(u8::is_ascii_alphanumeric) {
                    return None;
                }
            }
            _ => {}
        }
        let state = [s1.to_ascii_lowercase(), s2.to_ascii_lowercase()];
        Some((
            comma,
            end,
            String::from_utf8_lossy(&state).into_owned(),
            digit,
        ))
    })
}

/// Whether "unsubscribe", "opt out" or "opt-out" is written within `FOOTER_REACH` of the address
/// between `at` and `end`.
fn in_footer(text: &str, at: usize, end: usize) -> bool {
    let mut from = at.saturating_sub(FOOTER_REACH);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + FOOTER_REACH).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let window = text.get(from..to).unwrap_or("").to_ascii_lowercase();
    ["unsubscribe", "opt out", "opt-out"]
        .iter()
        .any(|w| window.contains(w))
}

/// The address as shown: the town before the comma (back to the line's start or another comma,
/// at most 40 characters) and the state and ZIP code.
fn shown_address(text: &str, at: usize, end: usize) -> String {
    let head = text.get(..at).unwrap_or("");
    let town = head
        .rsplit(['\n', ',', '|', '•'])
        .next()
        .unwrap_or("")
        .trim();
    let town: String = town
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{}{}", town.trim(), text.get(at..end).unwrap_or(""))
}
