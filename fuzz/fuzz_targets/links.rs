//! The link extractor: the same text as HTML and as plain text, sharing one per-message cache of
//! parsed destinations (as a message's parts do).
#![no_main]
use libfuzzer_sys::fuzz_target;
use lurescreen::message::links;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    let mut parsed = links::Parsed::default();
    links::from_html(&text, "1", &mut out, &mut parsed);
    links::from_text(&text, "1", &mut out, &mut parsed);
    let _ = links::decode_entities(&text);
});
