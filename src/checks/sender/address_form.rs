//! The form of the From line itself: an address written in styled letters, a mailbox name that
//! is a random string, a brand name pulled apart with filler so that filters do not see it.

use crate::checks::Context;
use crate::checks::common::is_own_or_protected;
use crate::checks::content::is_styled_letter;
use crate::checks::sender::{named_outside_senders, named_senders};
use crate::finding::Finding;
use unicode_normalization::UnicodeNormalization;

/// Characters of a display name looked at (names are short; this bounds hostile input).
const NAME_CHARS: usize = 300;

/// A letter that only looks like an ASCII one: the mathematical alphanumeric, small-capital and
/// enclosed-letter blocks, and the full-width forms.
fn is_lookalike_form(c: char) -> bool {
    is_styled_letter(c) || matches!(c as u32, 0xFF01..=0xFF5E)
}

/// A From address written with styled letters (`noreply@𝐚𝐨𝐤.𝐝𝐞`, `info@ｂａｎｋ.example`): it reads
/// as an ordinary address, but no organisation's real address is written so. The letters are
/// chosen to get past filters that compare the address with the brand's domain.
pub fn styled_address(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for mb in &ctx.msg.from {
        let Some(address) = &mb.address else {
            continue;
        };
        let address: String = address.chars().take(NAME_CHARS).collect();
        if !address.chars().any(is_lookalike_form) {
            continue;
        }
        let plain: String = address.nfkc().collect::<String>().to_lowercase();
        out.push(
            Finding::new("SENDER_STYLED_ADDRESS", "From")
                .with("address", address.clone())
                .with("plain", plain),
        );
        return;
    }
}

/// Two-letter parts of a mailbox name that are ordinary (name particles, short words), so that
/// `McQuirk`, `DeAnna` and `DoNotUse` are not random.
const SHORT_PARTS: &[&str] = &[
    "mc", "mac", "de", "le", "la", "di", "du", "da", "st", "o", "do", "no", "my", "we", "go", "up",
    "to", "in", "on", "at", "of", "is", "it", "me", "be", "by", "us", "an", "or", "so", "he", "hi",
    "ok", "tv", "pc", "ai", "id", "el", "al", "ex", "re", "jo", "ma", "pa", "co", "li", "wu", "xu",
    "ng", "yu", "jr", "sr", "dr", "mr", "ms", "uk", "eu", "hr", "pr", "ny", "sf",
];

/// The parts of a mixed-case word as a person writes them: `FOXSportsFLASH` is `FOX`, `Sports`,
/// `FLASH`; `xunIqVya` is `xun`, `Iq`, `Vya`.
fn case_parts(word: &str) -> Vec<&str> {
    let bytes = word.as_bytes();
    let n = bytes.len();
    let upper = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_uppercase);
    let lower = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_lowercase);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < n {
        let start = i;
        if upper(i) {
            let mut j = i;
            while upper(j) {
                j += 1;
            }
            if lower(j) {
                if j - i >= 2 {
                    // An acronym, then a capitalised word starting with its last capital.
                    parts.push(word.get(i..j - 1).unwrap_or(""));
                    i = j - 1;
                }
                let mut k = i + 1;
                while lower(k) {
                    k += 1;
                }
                parts.push(word.get(i..k).unwrap_or(""));
                i = k;
            } else {
                parts.push(word.get(i..j).unwrap_or(""));
                i = j;
            }
        } else {
            let mut k = i;
            while lower(k) {
                k += 1;
            }
            parts.push(word.get(i..k).unwrap_or(""));
            i = k.max(start + 1);
        }
    }
    parts
}

/// Whether a run of ASCII letters reads as machine-made: it mixes cases the way no person
/// writes a name (`xunIqVya`, `EzQsSbX`, `rKwKX`), with a part too short to be a word or a part
/// of three or more letters with no vowel. CamelCase names (`ThosStew`, `GlennEverhart`),
/// initials (`JSmith`) and acronyms (`FOXSportsFLASH`) are not.
pub fn random_looking(word: &str) -> bool {
    let len = word.len();
    if !(5..=32).contains(&len) || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let has_lower = word.bytes().any(|b| b.is_ascii_lowercase());
    if has_lower && (case_pattern_random(word) || long_consonant_run(word)) {
        return true;
    }
    let inner_capitals = word.bytes().skip(1).filter(u8::is_ascii_uppercase).count();
    if inner_capitals == 0 || !has_lower {
        return false;
    }
    let vowel = |p: &str| p.bytes().any(|b| b"aeiouyAEIOUY".contains(&b));
    let mut short = false;
    let mut voiceless = false;
    for (i, part) in case_parts(word).into_iter().enumerate() {
        let all_upper = part.bytes().all(|b| b.is_ascii_uppercase());
        let all_lower = part.bytes().all(|b| b.is_ascii_lowercase());
        if all_upper && (part.len() >= 2 || i == 0) {
            continue;
        }
        if part.len() <= 2 {
            let first_word = i == 0 && all_lower;
            if !(first_word || SHORT_PARTS.contains(&part.to_ascii_lowercase().as_str())) {
                short = true;
                // `TzHkmoa`: a capitalised first part of two letters with no vowel that is no
                // title or particle (`Mr`, `Dr`, `St`, `Ng` are in `SHORT_PARTS`).
                voiceless |= i == 0 && part.len() == 2 && !vowel(part);
            }
        } else if !vowel(part) {
            voiceless = true;
        }
    }
    short && inner_capitals >= 2 || voiceless
}

/// Case patterns no one chooses for a name: one small letter before a run of capitals
/// (`xKRTAMO`), a small-letter start with capitals both inside and at the end (`qHtdeWK`), or
/// five or more capitals with one or two small letters after them (`BRKWTZAhe`). Brand styles
/// (`eBay`, `iPhone`, `jQuery`) have a small first letter but no run of capitals; acronyms with a
/// word after them (`FOXSports`) have a longer word.
fn case_pattern_random(word: &str) -> bool {
    let b = word.as_bytes();
    let upper = |c: &u8| c.is_ascii_uppercase();
    let lower = |c: &u8| c.is_ascii_lowercase();
    let Some((first, rest)) = b.split_first() else {
        return false;
    };
    let trailing_capitals = b.iter().rev().take_while(|c| upper(c)).count();
    let leading_capitals = b.iter().take_while(|c| upper(c)).count();
    // `xKRTAMO`: one small letter, then only capitals.
    let small_then_capitals = lower(first) && rest.len() >= 3 && rest.iter().all(upper);
    // `qHtdeWK`: small start, an inner capital followed by small letters, two or more capitals
    // at the end.
    let inner_word_then_capitals = lower(first)
        && trailing_capitals >= 2
        && trailing_capitals < b.len()
        && b.get(..b.len() - trailing_capitals)
            .is_some_and(|head| head.iter().any(upper) && head.last().is_some_and(lower));
    // `BRKWTZAhe`: a long run of capitals, then one or two small letters.
    let capitals_then_stub = leading_capitals >= 5
        && (1..=2).contains(&(b.len() - leading_capitals))
        && b.get(leading_capitals..)
            .is_some_and(|t| t.iter().all(lower));
    small_then_capitals || inner_word_then_capitals || capitals_then_stub
}

/// Seven or more consonants in a row (`Pwkrzjtn`, `...wrightkrtvb`): more than any name or word
/// of the languages written in Latin letters strings together (`y` counts as a vowel; German
/// `Angstschrei` has six).
fn long_consonant_run(word: &str) -> bool {
    let mut run = 0;
    for b in word.bytes() {
        if b"aeiouyAEIOUY".contains(&b) {
            run = 0;
        } else {
            run += 1;
            if run >= 7 {
                return true;
            }
        }
    }
    false
}

/// A mailbox name of small letters and digits with no separator in which digits stand between
/// letters at two or more places (`3kd7wtrn2qbx`, `gkwiv381m5tp`): a generated name. People
/// write a number after their name (`taro1985`), not scattered through it, and a handle with
/// digits for words (`news4you2day`) reads as words, with no cluster of three consonants.
pub fn scattered_digits(local: &str) -> bool {
    let b = local.as_bytes();
    if !(9..=24).contains(&b.len())
        || !b
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return false;
    }
    let mut groups = 0;
    let mut i = 0;
    while i < b.len() {
        if b.get(i).is_some_and(u8::is_ascii_digit) {
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let letter_before = start > 0 && b.get(start - 1).is_some_and(u8::is_ascii_lowercase);
            let letter_after = b.get(i).is_some_and(u8::is_ascii_lowercase);
            if letter_before && letter_after {
                groups += 1;
            }
        } else {
            i += 1;
        }
    }
    let mut consonants = 0;
    let mut cluster = false;
    for c in b {
        if c.is_ascii_lowercase() && !b"aeiouy".contains(c) {
            consonants += 1;
            cluster |= consonants >= 3;
        } else {
            consonants = 0;
        }
    }
    groups >= 2 && cluster
}

/// A From address whose mailbox name is a random string of mixed-case letters
/// (`xunIqVya@deck.example`, `newsletters.rKwKX@mail.example`): made per message by bulk
/// senders so that no filter can learn the address. People and organisations choose their
/// addresses; even generated ones for tracking carry digits and are not written in random case.
pub fn random_local_part(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for mb in &ctx.msg.from {
        let (Some(address), Some(domain)) = (&mb.address, mb.domain()) else {
            continue;
        };
        if is_own_or_protected(ctx, &domain) {
            continue;
        }
        let Some((local, _)) = address.rsplit_once('@') else {
            continue;
        };
        if local.len() > 64 {
            continue;
        }
        if scattered_digits(local) {
            out.push(
                Finding::new("SENDER_RANDOM_LOCAL_PART", "From")
                    .with("address", address.clone())
                    .with("part", local),
            );
            return;
        }
        if local.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let parts: Vec<&str> = local.split(['.', '_', '+', '-']).collect();
        if parts.len() > 2 {
            continue;
        }
        if let Some(part) = parts.into_iter().find(|p| random_looking(p)) {
            out.push(
                Finding::new("SENDER_RANDOM_LOCAL_PART", "From")
                    .with("address", address.clone())
                    .with("part", part),
            );
            return;
        }
    }
}

/// A sender name carrying a reference number (`Statement-48210937`, `Your Order #472031`,
/// `AVISO DE COMPRA - 7391046285`): six or more digits standing alone, or four or more after
/// `#`. Numbers belong in the subject; putting one in the name makes a bulk message look like a
/// notice about one's own order or account, and changes per copy so that filters cannot learn
/// the name. Phone numbers (after `+`, or starting with `0`) and numbers inside words
/// (`ISO17799`) do not count. A price (`Pills-0,42$`, `$9.99 Deals`) counts too: shops name
/// themselves, not their prices.
pub fn number_in_name(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (name, address, _) in named_outside_senders(ctx) {
        let Some(number) = reference_number(name) else {
            continue;
        };
        out.push(
            Finding::new("SENDER_NUMBER_IN_NAME", "From")
                .with("name", name.chars().take(NAME_CHARS).collect::<String>())
                .with("number", number)
                .with("address", address.clone()),
        );
        return;
    }
}

/// Pictographs that mail programs draw as emoji: the pictograph and emoticon blocks, and the
/// few older symbols that are drawn as emoji by default (check mark, cross, warning sign,
/// sparkles, lightning, star, exclamation, heart, hourglass, alarm clock).
fn is_pictograph(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}')
        || matches!(
            c,
            '\u{2705}'
                | '\u{274C}'
                | '\u{26A0}'
                | '\u{2728}'
                | '\u{26A1}'
                | '\u{2B50}'
                | '\u{2757}'
                | '\u{2764}'
                | '\u{23F3}'
                | '\u{231B}'
                | '\u{23F0}'
        )
}

/// A sender name decorated with emoji (`Big Bonus 💲`, `Summer Deal ✅⏳`). Bulk mail puts them
/// there to catch the eye in the inbox list and changes them per copy so that filters cannot
/// learn the name; organisations write their name as it is. Weak alone (some shops do it), so it
/// counts only with another sign. Own and protected domains never count.
pub fn emoji_in_name(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (name, address, domain) in named_senders(ctx) {
        // Names are ASCII most of the time; every pictograph is outside it.
        if name.is_ascii() || is_own_or_protected(ctx, &domain) {
            continue;
        }
        let emoji: String = name
            .chars()
            .take(NAME_CHARS)
            .filter(|&c| is_pictograph(c))
            .take(8)
            .collect();
        if emoji.is_empty() {
            continue;
        }
        out.push(
            Finding::new("SENDER_EMOJI_NAME", "From")
                .with("name", name.chars().take(NAME_CHARS).collect::<String>())
                .with("emoji", emoji)
                .with("address", address.clone()),
        );
        return;
    }
}

/// The first reference number in a display name (see `number_in_name`).
fn reference_number(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().take(NAME_CHARS).collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        let before = start.checked_sub(1).and_then(|b| chars.get(b)).copied();
        // `# 1234` as well as `#1234`.
        let hash = before == Some('#')
            || before == Some(' ') && start >= 2 && chars.get(start - 2) == Some(&'#');
        let glued = before.is_some_and(char::is_alphanumeric)
            || chars.get(i).is_some_and(|c| c.is_alphanumeric());
        // A `+` before the digits, spaces and dashes of the number: an international number.
        let lead = chars
            .get(..start)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.')));
        let phone = lead == Some(&'+') || chars.get(start) == Some(&'0');
        let len = i - start;
        if !glued && !phone && (len >= 6 || hash && len >= 4) {
            return chars.get(start..i).map(|d| d.iter().collect());
        }
    }
    price(&chars)
}

/// A price in a display name (`0,42$`, `$14.99`, `€ 5`): a currency sign right before or after
/// a number.
fn price(chars: &[char]) -> Option<String> {
    let currency = |c: &char| matches!(c, '$' | '€' | '£' | '¥');
    for (i, c) in chars.iter().enumerate() {
        if !currency(c) {
            continue;
        }
        let digit_at = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(char::is_ascii_digit)
        };
        let after = if chars.get(i + 1) == Some(&' ') {
            i + 2
        } else {
            i + 1
        };
        let before = if i >= 1 && chars.get(i - 1) == Some(&' ') {
            i.checked_sub(2)
        } else {
            i.checked_sub(1)
        };
        if digit_at(Some(after)) {
            let end = (after..chars.len())
                .find(|&j| {
                    !chars
                        .get(j)
                        .is_some_and(|d| d.is_ascii_digit() || matches!(d, '.' | ','))
                })
                .unwrap_or(chars.len());
            return chars.get(i..end).map(|p| p.iter().collect());
        }
        if digit_at(before) {
            let last = before.unwrap_or(0);
            let start = (0..=last)
                .rev()
                .take_while(|&j| {
                    chars
                        .get(j)
                        .is_some_and(|d| d.is_ascii_digit() || matches!(d, '.' | ','))
                })
                .last()
                .unwrap_or(last);
            return chars.get(start..=i).map(|p| p.iter().collect());
        }
    }
    None
}

/// An address of the message (From, Reply-To, Sender, or the envelope's return path) on a
/// domain under a top-level domain that does not exist (`correo@protege.cll`,
/// `0356...@e9kqn43ho.cuk`): such an address can neither receive a reply nor a bounce. Bulk
/// senders write invented domains so that no filter can learn them. Names used inside networks
/// and for tests (`lists/internal_tlds.txt`: `localdomain`, `lan`, ...) are left out.
pub fn unknown_tld(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let msg = ctx.msg;
    if crate::checks::standing::is_mail_system_notice(msg) {
        return;
    }
    let bounce = crate::checks::common::bounce_address(msg);
    let fields = msg
        .from
        .iter()
        .map(|m| ("From", m.address.clone()))
        .chain(msg.reply_to.iter().map(|m| ("Reply-To", m.address.clone())))
        .chain(msg.sender.iter().map(|m| ("Sender", m.address.clone())))
        .chain(bounce.map(|b| ("Return-Path", Some(b))))
        .take(20);
    for (field, address) in fields {
        let Some(address) = address else {
            continue;
        };
        let mb = crate::message::Mailbox {
            name: None,
            address: Some(address.clone()),
        };
        let Some(domain) = mb.domain() else {
            continue;
        };
        let Some(tld) = invented_tld(ctx, &domain) else {
            continue;
        };
        out.push(
            Finding::new("SENDER_UNKNOWN_TLD", field)
                .with("field", field)
                .with(
                    "address",
                    address.chars().take(NAME_CHARS).collect::<String>(),
                )
                .with("tld", tld),
        );
        return;
    }
}

/// The last label of `domain` when the public suffix list does not know it and it is not an
/// internal or test name; IP literals and single labels are not looked at.
fn invented_tld(ctx: &Context<'_>, domain: &str) -> Option<String> {
    let domain = domain.trim().trim_end_matches('.').to_lowercase();
    if domain.starts_with('[') || domain.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    let (_, tld) = domain.rsplit_once('.')?;
    // A quote or other stray character is a badly written address, not an invented name.
    if tld.is_empty()
        || tld.bytes().all(|b| b.is_ascii_digit())
        || !tld.chars().all(|c| c.is_alphanumeric() || c == '-')
    {
        return None;
    }
    if ctx.signatures.lists.internal_tlds.contains(tld)
        || ctx
            .config
            .organisation
            .internal_tlds
            .iter()
            .any(|t| t.trim_start_matches('.').eq_ignore_ascii_case(tld))
    {
        return None;
    }
    let ascii = idna::domain_to_ascii(&domain).ok()?;
    let known = psl::suffix(ascii.as_bytes()).is_some_and(|s| s.is_known());
    (!known).then(|| tld.to_string())
}

/// A display name with its filler taken out: styled letters made plain, separators (`-`, `*`,
/// `/`, `|`, dots between words) made spaces, and letters spaced out one by one joined again:
/// `C o i n b a s e` is `coinbase`, `D/H/L-verzending` is `dhl verzending`.
pub fn without_filler(name: &str) -> String {
    // ASCII is its own compatibility form: only other text goes through NFKC.
    let plain: String = if name.is_ascii() {
        name.get(..name.len().min(NAME_CHARS))
            .unwrap_or(name)
            .to_ascii_lowercase()
    } else {
        name.chars()
            .take(NAME_CHARS)
            .nfkc()
            .collect::<String>()
            .to_lowercase()
    };
    let chars: Vec<char> = plain.chars().collect();
    let mut spaced = String::with_capacity(plain.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_letters = i > 0
            && chars.get(i - 1).is_some_and(|p| p.is_alphanumeric())
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let filler = matches!(
            c,
            '-' | '_' | '*' | '/' | '|' | '\\' | '~' | '+' | '=' | '#' | '·' | '•' | '!' | ','
        ) || c == '.' && !between_letters
            || c.is_whitespace();
        spaced.push(if filler { ' ' } else { c });
    }
    let mut joined: Vec<String> = Vec::new();
    let mut letters = String::new();
    let flush = |letters: &mut String, joined: &mut Vec<String>| {
        if letters.chars().count() >= 3 {
            joined.push(std::mem::take(letters));
        } else {
            joined.extend(letters.chars().map(String::from));
            letters.clear();
        }
    };
    for word in spaced.split_whitespace() {
        if word.chars().count() == 1 && word.chars().all(char::is_alphanumeric) {
            letters.push_str(word);
        } else {
            flush(&mut letters, &mut joined);
            joined.push(word.to_string());
        }
    }
    flush(&mut letters, &mut joined);
    joined.join(" ")
}

/// `text` with the dots and dashes inside its words taken out (`pay.pal` is `paypal`).
fn glued_words(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            let inside = i > 0
                && chars.get(i - 1).is_some_and(|p| p.is_alphanumeric())
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
            !(matches!(c, '.' | '-') && inside)
        })
        .map(|(_, c)| *c)
        .collect()
}

/// `name` with the letters that only the case tells apart read the other way where the case gives
/// them away: a capital `I` inside a word after a small letter is an `l` (`WaImart`, `pIan`), a
/// small `l` between capitals is an `I` (`VlAGRA`). In a sans-serif font both look the same;
/// ordinary writing has neither (a capital inside a word follows the small letters only at a word
/// joint, `LinkedIn`, and is compared here only against brand names).
fn i_l_swapped(name: &str) -> String {
    let chars: Vec<char> = name.chars().take(NAME_CHARS).collect();
    let lower = |i: Option<&char>| i.is_some_and(|c| c.is_lowercase());
    let upper = |i: Option<&char>| i.is_some_and(|c| c.is_uppercase());
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            match c {
                'I' if lower(before) => 'l',
                'l' if upper(before)
                    && (upper(after) || after.is_none_or(|a| !a.is_alphabetic())) =>
                {
                    'I'
                }
                _ => c,
            }
        })
        .collect()
}

/// `name` with the Greek, Cyrillic and Cherokee letters that look like Latin ones read as those,
/// in the words that also hold Latin letters (`Lerοy`, `Мetаmask`); words wholly in another
/// script are left as they are (a Greek or Russian name is not a disguise).
fn latin_lookalikes(name: &str) -> String {
    const PAIRS: &[(char, char)] = &[
        ('а', 'a'),
        ('в', 'b'),
        ('е', 'e'),
        ('к', 'k'),
        ('м', 'm'),
        ('н', 'h'),
        ('о', 'o'),
        ('р', 'p'),
        ('с', 'c'),
        ('т', 't'),
        ('у', 'y'),
        ('х', 'x'),
        ('ѕ', 's'),
        ('і', 'i'),
        ('ј', 'j'),
        ('ԁ', 'd'),
        ('һ', 'h'),
        ('ԛ', 'q'),
        ('ԝ', 'w'),
        ('ү', 'y'),
        ('ӏ', 'l'),
        ('А', 'A'),
        ('В', 'B'),
        ('Е', 'E'),
        ('К', 'K'),
        ('М', 'M'),
        ('Н', 'H'),
        ('О', 'O'),
        ('Р', 'P'),
        ('С', 'C'),
        ('Т', 'T'),
        ('Х', 'X'),
        ('Ѕ', 'S'),
        ('І', 'I'),
        ('Ј', 'J'),
        ('α', 'a'),
        ('ο', 'o'),
        ('ν', 'v'),
        ('ι', 'i'),
        ('κ', 'k'),
        ('τ', 't'),
        ('υ', 'u'),
        ('ρ', 'p'),
        ('Α', 'A'),
        ('Β', 'B'),
        ('Ε', 'E'),
        ('Ζ', 'Z'),
        ('Η', 'H'),
        ('Ι', 'I'),
        ('Κ', 'K'),
        ('Μ', 'M'),
        ('Ν', 'N'),
        ('Ο', 'O'),
        ('Ρ', 'P'),
        ('Τ', 'T'),
        ('Υ', 'Y'),
        ('Χ', 'X'),
        ('Ϲ', 'C'),
        ('ϲ', 'c'),
        ('ո', 'n'),
        ('Ꮮ', 'L'),
        ('Ꭺ', 'A'),
        ('Ꮯ', 'C'),
        ('Ꭼ', 'E'),
        ('Ꮋ', 'H'),
        ('Ꮇ', 'M'),
        ('Ꭲ', 'T'),
    ];
    let latin_of = |c: char| PAIRS.iter().find(|(from, _)| *from == c).map(|(_, to)| *to);
    let name: String = name.chars().take(NAME_CHARS).collect();
    name.split_inclusive(char::is_whitespace)
        .map(|word| {
            let has_latin = word.chars().any(|c| c.is_ascii_alphabetic());
            let has_lookalike = word.chars().any(|c| latin_of(c).is_some());
            if has_latin && has_lookalike {
                word.chars().map(|c| latin_of(c).unwrap_or(c)).collect()
            } else {
                word.to_string()
            }
        })
        .collect()
}

/// The brand `name` names only once its filler is taken out, and the name so cleaned; none when
/// it names one as written.
fn brand_behind_filler(
    brands: &crate::signatures::phrases::Brands,
    name: &str,
) -> Option<(String, (String, Vec<String>))> {
    let lowered = name.to_lowercase();
    if brands.named_in(&lowered).is_some() {
        return None;
    }
    let spaced = without_filler(name);
    // `Pay.Pal`, `Net-flix`: the brand cut inside one word by a dot or a dash.
    let glued = glued_words(&spaced);
    // `WaImart`, `VlAGRA`: a capital I written for a small l, or the other way round; and
    // `Lerοy_Merlin`: Greek or Cyrillic letters that look Latin, inside Latin words. Each read
    // only when it changes the name (otherwise it is `spaced` again).
    let read = |changed: String| (changed != name).then(|| without_filler(&changed));
    let swapped = read(i_l_swapped(name));
    let latin = read(latin_lookalikes(name));
    [Some(spaced.clone()), Some(glued), swapped, latin]
        .into_iter()
        .flatten()
        .find_map(|c| brands.named_in(&c).cloned().map(|b| (c, b)))
        // `LaPoste`, `StateFarm`: a brand of two words or more written as one.
        .or_else(|| {
            brands
                .joined_in(&spaced)
                .map(|b| (spaced.clone(), b.clone()))
        })
}

/// Whether `domain` (in its plain form: styled letters read as they look) is one of the brand's,
/// whose registrable labels are `labels`.
fn on_brand_domain(domain: &str, labels: &[String]) -> bool {
    let plain_domain: String = domain.nfkc().collect::<String>().to_lowercase();
    let org = crate::text::domain::org_domain(&plain_domain);
    let label = org.split('.').next().unwrap_or("");
    labels.iter().any(|l| l == label)
}

/// The subject names a brand phishing impersonates only once its filler is taken out
/// (`Pay.Pal. Your account has been credited`, `Tractor-Supply,Co. is allocating you`), while the
/// From address is on none of the brand's domains: the subject's side of
/// `SENDER_OBFUSCATED_BRAND`. A shop or a newspaper that writes about a brand writes its name as
/// it is spelt; pulling it apart is done to get past filters that look for it. Mail from the
/// organisation's own or protected domains does not count.
pub fn subject_obfuscated_brand(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let (Some(subject), Some(mb)) = (ctx.msg.subject.as_deref(), ctx.msg.from.first()) else {
        return;
    };
    let (Some(address), Some(domain)) = (&mb.address, mb.domain()) else {
        return;
    };
    if is_own_or_protected(ctx, &domain) {
        return;
    }
    let subject: String = subject.chars().take(2 * NAME_CHARS).collect();
    let brands = &ctx.signatures.lists.impersonated_brands;
    let Some((cleaned, (brand, labels))) = brand_behind_filler(brands, &subject) else {
        return;
    };
    if on_brand_domain(&domain, &labels) {
        return;
    }
    out.push(
        Finding::new("CONTENT_OBFUSCATED_BRAND", "Subject")
            .with("subject", subject)
            .with("brand", brand)
            .with("cleaned", cleaned)
            .with("address", address.clone()),
    );
}

/// A display name that names a brand phishing impersonates (`lists/impersonated_brands.txt`) only
/// once its filler is taken out (`C o i n b a s e`, `D/H/L-verzending`, `-Albert-Heijn
/// Cadeaucentrum`, `𝗔𝗗𝗔𝗖`), while the address is on none of the brand's domains. Written plainly
/// the name would be `SENDER_IMPERSONATED_BRAND`; pulling it apart is done to get past filters
/// that look for it.
pub fn obfuscated_brand(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let brands = &ctx.signatures.lists.impersonated_brands;
    for (name, address, domain) in named_outside_senders(ctx) {
        let Some((cleaned, (brand, labels))) = brand_behind_filler(brands, name) else {
            continue;
        };
        if on_brand_domain(&domain, &labels) {
            continue;
        }
        out.push(
            Finding::new("SENDER_OBFUSCATED_BRAND", "From")
                .with("name", name.chars().take(NAME_CHARS).collect::<String>())
                .with("brand", brand.clone())
                .with("cleaned", cleaned)
                .with("address", address.clone()),
        );
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::message::{Mailbox, Message};
    use crate::signatures::Signatures;

    fn run(check: crate::checks::Check, name: &str, address: &str) -> Vec<Finding> {
        let msg = Message {
            from: vec![Mailbox {
                name: (!name.is_empty()).then(|| name.into()),
                address: Some(address.into()),
            }],
            ..Message::default()
        };
        run_msg(check, &msg)
    }

    fn run_raw(check: crate::checks::Check, raw: &str) -> Vec<Finding> {
        run_msg(
            check,
            &crate::message::parse(raw.as_bytes(), &Default::default()).unwrap(),
        )
    }

    fn run_msg(check: crate::checks::Check, msg: &Message) -> Vec<Finding> {
        let sigs = Signatures::embedded().unwrap();
        let config = Config::default();
        let mut out = Vec::new();
        check(
            &Context {
                msg,
                signatures: &sigs,
                config: &config,
            },
            &mut out,
        );
        out
    }

    fn emoji_rules(from: &str) -> Vec<&'static str> {
        let raw = format!("From: {from}\nSubject: Hello\n\nText.\n");
        let msg = crate::message::parse(raw.as_bytes(), &Default::default()).expect("parses");
        let sigs = crate::signatures::Signatures::embedded().expect("signatures");
        let config = crate::config::Config::default();
        let ctx = Context {
            msg: &msg,
            signatures: &sigs,
            config: &config,
        };
        let mut out = Vec::new();
        emoji_in_name(&ctx, &mut out);
        out.into_iter().map(|f| f.rule).collect()
    }

    #[test]
    fn emoji_in_the_sender_name() {
        assert_eq!(
            emoji_rules("=?UTF-8?Q?Big_Bonus_=F0=9F=92=B2?= <win@bonus.example>"),
            ["SENDER_EMOJI_NAME"]
        );
        assert_eq!(
            emoji_rules("=?UTF-8?Q?Summer_Deal_=E2=9C=85?= <deal@shop.example>"),
            ["SENDER_EMOJI_NAME"]
        );
        // Accented letters, Japanese, and typographic symbols are not emoji.
        assert!(emoji_rules("=?UTF-8?Q?Caf=C3=A9_M=C3=BCller?= <info@cafe.example>").is_empty());
        assert!(emoji_rules("=?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@company.example>").is_empty());
        assert!(emoji_rules("=?UTF-8?Q?Shop_=E2=84=A2_News?= <news@shop.example>").is_empty());
        assert!(emoji_rules("Plain Newsletter <news@club.example>").is_empty());
    }

    #[test]
    fn addresses_under_a_top_level_domain_that_does_not_exist() {
        let f = run(unknown_tld, "Mr. Werfel", "correo@protege.cll");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, "SENDER_UNKNOWN_TLD");
        assert_eq!(f[0].evidence[2].1, "cll");
        let raw = "Return-Path: <0356655402-jOab@znx000bksv2l52nq.cuk>\nFrom: Screening <info@screening.com>\nSubject: Free test\n\nx\n";
        let f = run_raw(unknown_tld, raw);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[0].1, "Return-Path");
        // Names reserved for documentation and tests (RFC 2606) cannot receive mail either: a
        // From on one is worth the finding in real mail.
        for address in ["a@b.example", "c@host.test", "d@mail.invalid"] {
            assert_eq!(run(unknown_tld, "x", address).len(), 1, "{address}");
        }
        let raw = "From: News <news@shop.com>\nReply-To: reply@shop.newslette\nSubject: s\n\nx\n";
        assert_eq!(run_raw(unknown_tld, raw)[0].evidence[0].1, "Reply-To");
        // Real top-level domains, old and new, country codes with second levels, IDN ones.
        for address in [
            "info@bank.com",
            "a@firma.de",
            "b@bedrijf.nl",
            "c@example.co.jp",
            "d@shop.co.za",
            "e@brand.museum",
            "f@studio.photography",
            "g@例え.みんな",
            "h@xn--fiqs8s.xn--fiqs8s",
            "i@[192.0.2.1]",
            "j@localhost",
        ] {
            assert!(run(unknown_tld, "x", address).is_empty(), "{address}");
        }
        // Internal and test names.
        for address in [
            "root@server.localdomain",
            "cron@nas.lan",
            "x@host.internal",
            "root@vm-1.openstacklocal",
            "info@shop.com'",
        ] {
            assert!(run(unknown_tld, "x", address).is_empty(), "{address}");
        }
        // A Japanese and a German business mail with internal bounce addresses.
        let ja = "Return-Path: <root@mail.localdomain>\nFrom: =?UTF-8?B?5aSq6YOO?= <taro@example.co.jp>\nSubject: =?UTF-8?B?5Lya6K2w?=\n\n\u{4F1A}\u{8B70}\n";
        assert!(run_raw(unknown_tld, ja).is_empty());
        let de = "From: Buchhaltung <rechnung@firma.de>\nReply-To: buchhaltung@firma.de\nSubject: Rechnung\n\nAnbei die Rechnung.\n";
        assert!(run_raw(unknown_tld, de).is_empty());
    }

    #[test]
    fn address_in_styled_letters() {
        let f = run(styled_address, "AOK", "noreply@𝐚𝐨𝐤.𝐝𝐞");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[1].1, "noreply@aok.de");
        assert_eq!(
            run(styled_address, "Bank", "info@ｂａｎｋ.example").len(),
            1
        );
        // Ordinary, international and Japanese addresses are fine.
        for address in ["info@bank.example", "müller@bücher.example", "太郎@例え.jp"] {
            assert!(run(styled_address, "x", address).is_empty(), "{address}");
        }
    }

    #[test]
    fn random_mailbox_names() {
        for local in [
            "xunIqVya",
            "EzQsSbX",
            "rbyvKtbKVbuwFGs",
            "newsletters.rKwKX",
            "NFbUjQzpv",
            "monkZVkwl",
            "dtqSt",
            "xKRTAMO",
            "qHtdeWK",
            "newsletters.hDRMW",
            "BRKWTZAhe",
            "Pwkrzjtn",
            "marywrightkrtvb",
            "3kd7wtrn2qbx",
            "TzHkmoa",
            "xbvqzwtrle",
            "gkwiv381m5tp",
        ] {
            let f = run(random_local_part, "Offer", &format!("{local}@deck.example"));
            assert_eq!(f.len(), 1, "{local}");
        }
        // Names, initials, acronyms, words and tracking addresses with digits are not.
        for local in [
            "ThosStew",
            "GlennEverhart",
            "David.McQuirk",
            "DoNotUse",
            "FOXSportsFLASH",
            "JSmith",
            "DeAnna.JoAnn",
            "newsletter",
            "info",
            "Taro.Yamada",
            "bounce-AbCdEfGh-1234",
            "a.b.cDeFgH.x",
            "McKinseyCo",
            "JohnWuJr",
            "eBay",
            "iPhone",
            "iGwod",
            "McDonald",
            "JohnD",
            "NASAnews",
            "matchsprint",
            "hschmidt",
            "taro1985",
            "info2024",
            "a1b2",
            "news4you2day",
            "NWSCPCX",
            "DrSmith",
            "MrJones",
            "LaToya",
            "DiCaprio",
        ] {
            assert!(
                run(random_local_part, "Shop", &format!("{local}@mail.example")).is_empty(),
                "{local}"
            );
        }
    }

    #[test]
    fn reference_numbers_in_sender_names() {
        for name in [
            "Statement-48210937",
            "Your Order #472031",
            "Your Order # 8659",
            "AVISO DE COMPRA - 7391046285",
            "Support 518273640912 team",
            "Pills-0,42$/0,65$",
            "Deals from $9.99",
            "Sale € 5",
        ] {
            let f = run(number_in_name, name, "info@mail.example.net");
            assert_eq!(f.len(), 1, "{name}");
        }
        assert_eq!(
            run(number_in_name, "Statement-48210937", "x@mail.example.net")[0].evidence[1].1,
            "48210937"
        );
        // Standards, years, phone numbers and short numbers are not reference numbers.
        for name in [
            "The ISO17799 Newsletter",
            "Shop 2024 Sale",
            "Sales +81 312345678",
            "Support 0120123456",
            "Issue #12",
            "Taro Yamada",
            "Room 101 Committee",
            "CNET Download.com",
            "Cash$ Club",
            "Euro € Desk",
        ] {
            assert!(
                run(number_in_name, name, "news@mail.example.net").is_empty(),
                "{name}"
            );
        }
    }

    #[test]
    fn filler_taken_out_of_names() {
        assert_eq!(without_filler("C o i n b a s e"), "coinbase");
        assert_eq!(without_filler("D/H/L-verzending.Rg"), "dhl verzending.rg");
        assert_eq!(
            without_filler("-Albert-Heijn Cadeaucentrum!. .HKXLZ"),
            "albert heijn cadeaucentrum hkxlz"
        );
        assert_eq!(
            without_filler("Winacties*Bol.com ....X"),
            "winacties bol.com x"
        );
        assert_eq!(without_filler("𝗔𝗗𝗔𝗖 Team"), "adac team");
        assert_eq!(without_filler("A B Ltd"), "a b ltd");
    }

    #[test]
    fn brand_spelled_with_filler() {
        let f = run(
            obfuscated_brand,
            "C o i n b a s e",
            "support@wallet-help.example",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[1].1, "coinbase");
        assert_eq!(
            run(obfuscated_brand, "D/H/L-Express", "news@tracking.example").len(),
            1
        );
        let f = run(obfuscated_brand, "Pay.Pal. Service", "m0n1ca@isp.example");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence[2].1, "paypal service");
        // A capital I for a small l, and a small l for a capital I.
        let f = run(obfuscated_brand, "Hello WaImart", "hello@points.example");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].evidence[1].1, "walmart");
        assert_eq!(
            run(obfuscated_brand, "BlNANCE Support", "b@pay.example").len(),
            1
        );
        assert_eq!(
            i_l_swapped("VlAGRA WaImart LinkedIn Ian"),
            "VIAGRA Walmart Linkedln Ian"
        );
        assert!(run(obfuscated_brand, "Walmart", "news@walmart.com").is_empty());
        assert!(run(obfuscated_brand, "WaImart", "news@walmart.com").is_empty());
        // Lookalike letters of another script inside a Latin word; a brand of two words glued.
        let f = run(obfuscated_brand, "Ler\u{3bf}y_Merlin", "m@sender.example");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].evidence[1].1, "leroy merlin");
        let f = run(
            obfuscated_brand,
            "LaPoste | Votre livraison",
            "r@parcel.example",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].evidence[1].1, "la poste");
        assert!(run(obfuscated_brand, "LaPoste", "info@laposte.fr").is_empty());
        assert_eq!(latin_lookalikes("Мetаmask Σοφία"), "Metamask Σοφία");
        for name in ["Ολυμπιακός", "Иван Петров", "Statement Farm", "Royalmailer"]
        {
            assert!(
                run(obfuscated_brand, name, "n@mail.example").is_empty(),
                "{name}"
            );
        }
        // Written plainly it is another rule's; from the brand's own domain it is the brand.
        assert!(run(obfuscated_brand, "Coinbase", "x@wallet-help.example").is_empty());
        assert!(run(obfuscated_brand, "C o i n b a s e", "no-reply@coinbase.com").is_empty());
        // Ordinary names and newsletters.
        for name in [
            "Deutsche Post - Newsletter",
            "Taro Yamada",
            "A. B. Smith",
            "山田 太郎",
        ] {
            assert!(
                run(obfuscated_brand, name, "news@mail.example").is_empty(),
                "{name}"
            );
        }
    }

    #[test]
    fn a_brand_pulled_apart_in_the_subject() {
        let mail = |subject: &str, from: &str| {
            format!("From: {from}\nSubject: {subject}\nContent-Type: text/plain\n\nx\n")
        };
        for subject in [
            "Pay.Pal. Your account has been credited $2887.89",
            "Your N e t f l i x payment failed",
            "Notification about your PayPaI Iimit",
        ] {
            let f = run_raw(subject_obfuscated_brand, &mail(subject, "a@notice.example"));
            assert_eq!(f.len(), 1, "{subject}");
            assert_eq!(f[0].rule, "CONTENT_OBFUSCATED_BRAND");
        }
        // The brand written plainly, the brand's own domain, ordinary subjects.
        for (subject, from) in [
            ("Your PayPal receipt", "a@notice.example"),
            ("Pay.Pal. Your account", "service@paypal.com"),
            ("Re: [PATCH v2] net: fix a leak", "a@lists.example"),
            ("Q3 results - A. B. Smith", "a@notice.example"),
        ] {
            assert!(
                run_raw(subject_obfuscated_brand, &mail(subject, from)).is_empty(),
                "{subject}"
            );
        }
    }
}
