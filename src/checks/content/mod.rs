//! Wording and Japanese text: lure phrases (`lists/lure_phrases_{en,ja}.txt`), alone and together
//! with something to act on; Japanese text written with characters Japanese does not use; Chinese
//! charsets and fonts in mail that is otherwise Japanese.

use crate::checks::Context;
use crate::checks::text::{all_text, body_text, body_text_ascii_lower};
use crate::finding::Finding;
use crate::text::html_text::cut;
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

mod bec;
mod brand_signature;
mod callback;
mod crypto;
mod fraud;
mod html_tricks;
mod japanese;
mod lure_phrases;
mod obfuscation;
mod postal;
mod recipient;

pub use bec::*;
pub use brand_signature::*;
pub use callback::*;
pub use crypto::*;
pub use fraud::*;
pub use html_tricks::*;
pub use japanese::*;
pub use lure_phrases::*;
pub use obfuscation::*;
pub use postal::*;
pub use recipient::*;

/// The message's text (`all_text`) lower-cased and collapsed, made once per message for the
/// wording checks that read it.
fn lowered_all_text(msg: &crate::message::Message) -> &str {
    msg.derived
        .all_text_lowered
        .get_or_init(|| lower_collapsed(all_text(msg)))
}

/// `text` lower-cased, every run of white space one space, in one pass. ASCII prose (printable
/// characters and single spaces, most of any mail) goes eight bytes at a time; anything else
/// (other white space, runs of spaces, other scripts) a character at a time.
fn lower_collapsed(text: &str) -> String {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut out: Vec<u8> = Vec::with_capacity(text.len() + 8);
    let mut in_space = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    // Where the eight-byte path is next tried: after it fails, the bytes it looked at go one at
    // a time (runs of white space and other scripts would otherwise fail it at every byte).
    let mut retry = 0;
    while let Some(&b) = bytes.get(i) {
        if i >= retry
            && let Some(chunk) = bytes
                .get(i..i + 8)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
        {
            let x = u64::from_le_bytes(chunk);
            if x & HIGH == 0 {
                // Bytes under 0x21 (controls and space), and bytes that are a space. Both tests
                // can also mark the byte just above a marked one (a borrow), never miss one:
                // asking for the same marks, none adjacent, accepts only real single spaces.
                let below = x.wrapping_sub(ONES * 0x21) & !x & HIGH;
                let y = x ^ (ONES * 0x20);
                let space = y.wrapping_sub(ONES) & !y & HIGH;
                let prose =
                    below == space && space & (space << 8) == 0 && !(in_space && space & 0x80 != 0);
                if prose {
                    // `A`..=`Z` get 0x20 added (no borrow crosses bytes with the high bits set).
                    let at_least_a = (x | HIGH).wrapping_sub(ONES * 0x41) & HIGH;
                    let past_z = (x | HIGH).wrapping_sub(ONES * 0x5B) & HIGH;
                    let lowered = x | ((at_least_a & !past_z) >> 2);
                    out.extend_from_slice(&lowered.to_le_bytes());
                    in_space = x >> 56 == 0x20;
                    i += 8;
                    continue;
                }
            }
            retry = i + 8;
        }
        if b.is_ascii() {
            i += 1;
            if matches!(b, b' ' | b'\t'..=b'\r') {
                if !in_space {
                    out.push(b' ');
                }
                in_space = true;
            } else {
                out.push(b.to_ascii_lowercase());
                in_space = false;
            }
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        let start = i;
        i += c.len_utf8();
        if ('\u{3001}'..='\u{9fff}').contains(&c) {
            // Kana, CJK punctuation and ideographs: no case, no spaces (tested on every one).
            in_space = false;
            out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        } else if c.is_whitespace() {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            in_space = false;
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    // Only whole characters were copied: the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests;
