//! The link extractor: the same text as HTML and as plain text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    lurescreen::message::links::from_html(&text, "1", &mut out);
    lurescreen::message::links::from_text(&text, "1", &mut out);
    let _ = lurescreen::message::links::decode_entities(&text);
});
