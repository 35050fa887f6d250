//! The PDF analysis on its own (byte scan and object model), the recovery view of damaged files
//! on its own (it runs only for files with scripts or triggers otherwise), then the same bytes
//! through the engine as an attachment (findings, embedded files, links), and the bytes as a
//! script for the JavaScript signs (string pieces, escapes, comments).
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;

fuzz_target!(|data: &[u8]| {
    let mut bytes_left: u64 = 64 << 20;
    let _ = lurescreen::formats::pdf::analyse(data, &mut bytes_left, true);
    let mut bytes_left: u64 = 64 << 20;
    let _ = lurescreen::formats::pdf::recover::recover(data, &mut bytes_left);
    common::crash_on_internal(common::engine().scan_attachment("x.pdf", data));
    let _ = lurescreen::formats::pdf::javascript::signs(&String::from_utf8_lossy(data));
});
