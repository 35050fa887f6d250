//! Characters that hide or reorder text, and how evidence is shown so they cannot.

/// Makes evidence safe to show: control, bidi and invisible characters become `<U+XXXX>`, so an
/// RLO in a file name cannot reorder our own report, and long values are shortened.
pub fn visible(value: &str) -> String {
    const MAX: usize = 200;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", reveal_hidden(&value[..cut])),
        None => reveal_hidden(value),
    }
}

/// Control, bidi and invisible characters written as `<U+XXXX>`; a run of the same one as one
/// marker with its count (`<U+200B ×57>`, as attachment names show padding). An invisible
/// character (not a control character) strewn through the text in more than `STREWN` places,
/// such as a zero-width space after every letter, is taken out of it and named once in front
/// with its count (`<U+200B ×7>Invoice`), so the text stays readable.
pub fn reveal_hidden(value: &str) -> String {
    const STREWN: usize = 3;
    let mut strewn: Vec<(char, usize, usize)> = Vec::new();
    let mut prev = None;
    for c in value.chars() {
        if is_hidden_char(c) && !c.is_control() {
            if let Some((_, runs, total)) = strewn.iter_mut().find(|(k, _, _)| *k == c) {
                *total += 1;
                if prev != Some(c) {
                    *runs += 1;
                }
            } else if strewn.len() < 16 {
                strewn.push((c, 1, 1));
            }
        }
        prev = Some(c);
    }
    strewn.retain(|(_, runs, _)| *runs > STREWN);
    let mut out = String::with_capacity(value.len());
    for (c, _, total) in &strewn {
        out.push_str(&format!("<U+{:04X} ×{total}>", *c as u32));
    }
    let mut chars = value
        .chars()
        .filter(|c| !strewn.iter().any(|(k, _, _)| k == c))
        .peekable();
    while let Some(c) = chars.next() {
        if is_hidden_char(c) {
            let mut n = 1;
            while chars.next_if_eq(&c).is_some() {
                n += 1;
            }
            if n == 1 {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            } else {
                out.push_str(&format!("<U+{:04X} ×{n}>", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that change or hide how text around them is displayed.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x061C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x180E | 0x00AD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_one_hidden_character_are_one_marker_with_a_count() {
        let subject: String = "Invoice".chars().flat_map(|c| [c, '\u{200B}']).collect();
        assert_eq!(reveal_hidden(&subject), "<U+200B ×7>Invoice");
        // A few stay where they are; control characters always do.
        assert_eq!(reveal_hidden("a\u{200B}b\u{200B}c"), "a<U+200B>b<U+200B>c");
        assert_eq!(
            reveal_hidden("a\nb\nc\nd\ne"),
            "a<U+000A>b<U+000A>c<U+000A>d<U+000A>e"
        );
        let padded = format!("a{}b\u{202E}\u{202E}c\r\n", "\u{200B}".repeat(57));
        assert_eq!(
            reveal_hidden(&padded),
            "a<U+200B ×57>b<U+202E ×2>c<U+000D><U+000A>"
        );
        assert_eq!(reveal_hidden("plain text"), "plain text");
    }
}
