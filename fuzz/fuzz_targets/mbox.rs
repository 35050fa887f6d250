//! The batch mbox splitter over an in-memory stream, with a small size limit so the
//! `TooLarge` path is reached; the first byte picks mboxrd unescaping and the buffer size.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lurescreen::batch::mbox::{Body, MboxReader};
use std::io::{BufReader, Cursor};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let unescape = pick & 1 == 1;
    // Small buffers split lines across fill_buf calls.
    let capacity = 1 + (pick as usize >> 1) % 64;
    let reader = BufReader::with_capacity(capacity, Cursor::new(rest));
    let mut total = 0u64;
    let mut last_offset = None;
    for (n, item) in MboxReader::new(reader, 4096, unescape).enumerate() {
        let m = item.expect("reading from memory cannot fail");
        assert_eq!(m.index, n + 1, "messages are numbered in order");
        if let Some(prev) = last_offset {
            assert!(m.offset > prev, "offsets increase");
        }
        last_offset = Some(m.offset);
        assert!(m.offset <= rest.len() as u64);
        total += match &m.body {
            Body::Bytes(b) => {
                assert!(b.len() <= 4096, "kept bytes stay within the limit");
                b.len() as u64
            }
            Body::TooLarge(n) => *n,
        };
        assert!(n <= rest.len(), "no more messages than bytes");
    }
    assert!(
        total <= rest.len() as u64,
        "no message holds more bytes than the input"
    );
});
