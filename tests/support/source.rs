//! Reading the library's source as the compiler builds it outside tests: each item that follows
//! `#[cfg(test)]` (a `mod tests { ... }`, a `fn`, a `use`, ...) is left out, and only that item.
//! Shared by `tests/layers.rs` and `tests/rules.rs`.
//!
//! The item is found by matching braces, brackets and parentheses up to its closing `}` or its
//! `;`, stepping over comments, strings (plain, byte and raw) and character literals, so that a
//! brace or an attribute written inside them counts for nothing. It is a reader for this code
//! base, not a Rust parser: macros that unbalance brackets are not expected.

/// `text` without the items marked `#[cfg(test)]` (each with its attribute).
pub fn without_test_items(text: &str) -> String {
    const MARK: &[u8] = b"#[cfg(test)]";
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(end) = literal_or_comment_end(b, i) {
            i = end;
        } else if b[i..].starts_with(MARK) {
            // Every index handed back ends on an ASCII byte, so slicing stays on char boundaries.
            out.push_str(&text[kept..i]);
            i = item_end(b, i + MARK.len());
            kept = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[kept..]);
    out
}

/// Where the item starting at `i` (after its attribute) ends: after the `;` or the `}` that
/// closes it at the outer level. A `}` followed by `;` (`use a::{b};`, `static S: T = T { .. };`)
/// ends at the `;`.
fn item_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        if let Some(end) = literal_or_comment_end(b, i) {
            i = end;
            continue;
        }
        match b[i] {
            b'{' | b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let after = i + 1;
                    let next = b[after..].iter().position(|c| !c.is_ascii_whitespace());
                    return match next {
                        Some(n) if b[after + n] == b';' => after + n + 1,
                        _ => after,
                    };
                }
            }
            b';' if depth == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// If a comment, string or character literal starts at `i`, where it ends.
fn literal_or_comment_end(b: &[u8], i: usize) -> Option<usize> {
    let rest = &b[i..];
    if rest.starts_with(b"//") {
        let n = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
        return Some(i + n);
    }
    if rest.starts_with(b"/*") {
        // Block comments nest.
        let mut depth = 0usize;
        let mut j = i;
        while j < b.len() {
            if b[j..].starts_with(b"/*") {
                depth += 1;
                j += 2;
            } else if b[j..].starts_with(b"*/") {
                depth -= 1;
                j += 2;
                if depth == 0 {
                    return Some(j);
                }
            } else {
                j += 1;
            }
        }
        return Some(b.len());
    }
    // A prefix (`r`, `b`, `br`, `c`) only when it is not the end of an identifier.
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        return None;
    }
    let raw_prefix = if rest.starts_with(b"br") || rest.starts_with(b"cr") {
        2
    } else if rest.starts_with(b"r") {
        1
    } else {
        0
    };
    if raw_prefix > 0 {
        let hashes = rest[raw_prefix..]
            .iter()
            .take_while(|&&c| c == b'#')
            .count();
        if rest.get(raw_prefix + hashes) == Some(&b'"') {
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', hashes));
            let body = i + raw_prefix + hashes + 1;
            return Some(
                b[body..]
                    .windows(close.len())
                    .position(|w| w == close.as_slice())
                    .map_or(b.len(), |n| body + n + close.len()),
            );
        }
    }
    let quote = if rest.starts_with(b"b\"") || rest.starts_with(b"b'") || rest.starts_with(b"c\"") {
        i + 1
    } else {
        i
    };
    match b[quote] {
        b'"' => {
            let mut j = quote + 1;
            while j < b.len() {
                match b[j] {
                    b'\\' => j += 2,
                    b'"' => return Some(j + 1),
                    _ => j += 1,
                }
            }
            Some(b.len())
        }
        b'\'' => {
            let j = quote + 1;
            if b.get(j) == Some(&b'\\') {
                // An escape: the escaped character, then up to the closing quote (`'\u{..}'`).
                let from = (j + 2).min(b.len());
                return Some(
                    b[from..]
                        .iter()
                        .position(|&c| c == b'\'')
                        .map_or(b.len(), |n| from + n + 1),
                );
            }
            // One character, then a quote: a character literal; else a lifetime or a label.
            let len = match b.get(j) {
                Some(&c) if c >= 0xF0 => 4,
                Some(&c) if c >= 0xE0 => 3,
                Some(&c) if c >= 0xC0 => 2,
                Some(_) => 1,
                None => return None,
            };
            (b.get(j + len) == Some(&b'\'')).then_some(j + len + 1)
        }
        _ => None,
    }
}

/// The reader leaves out exactly the marked item, whatever its shape, and is not fooled by
/// braces or the mark itself inside comments, strings and characters.
#[test]
fn only_the_item_after_cfg_test_is_left_out() {
    let text = r##"use crate::a::A;
#[cfg(test)]
use crate::front::Helper;
#[cfg(test)]
pub(crate) fn helper(x: &[u8; 2]) -> bool {
    let s = "}{ \" #[cfg(test)] }";
    let r = r#"}"}"#;
    let c = '}';
    let e = '\'';
    let l: &'static str = "{";
    // } a brace in a comment
    /* } /* nested } */ { */
    x.is_empty() && s.len() > 1 && r.len() > c.len_utf8() + e.len_utf8() + l.len()
}
/// A doc comment that names #[cfg(test)] { and is kept.
pub fn kept_1() -> &'static str { crate::b::B }
#[cfg(test)]
#[allow(dead_code)]
use crate::front::{One, Two};
const KEPT_2: &str = "after a use group";
#[cfg(test)]
static TABLE: Table = Table { a: [1; 3] };
#[cfg(test)]
mod tests;
pub fn kept_3() { let _ = crate::c::C; }
#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn t() { assert_eq!(helper(b"{}"), false); }
}
pub fn kept_4() {}
"##;
    let code = without_test_items(text);
    for kept in [
        "use crate::a::A;",
        "names #[cfg(test)] {",
        "kept_1",
        "crate::b::B",
        "KEPT_2",
        "kept_3",
        "crate::c::C",
        "kept_4",
    ] {
        assert!(code.contains(kept), "{kept} lost:\n{code}");
    }
    for gone in [
        "front",
        "helper",
        "nested",
        "TABLE",
        "mod tests",
        "super::*",
        "dead_code",
    ] {
        assert!(!code.contains(gone), "{gone} kept:\n{code}");
    }
    // Nothing marked: nothing changes.
    let plain = "fn f() { let c = '{'; }\n// #[cfg(test)]\n";
    assert_eq!(without_test_items(plain), plain);
}
