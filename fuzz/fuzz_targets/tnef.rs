//! winmail.dat (TNEF) alone: `message::containers::tnef::read` (attributes, MAPI property
//! blocks, attached items), then `Engine::scan_attachment("winmail.dat")` on the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lurescreen::message::containers::tnef;
mod common;

fuzz_target!(|data: &[u8]| {
    let read = tnef::read(data);
    // Nothing read can be larger than the stream it came from.
    for part in &read.item.attachments {
        assert!(part.data.len() <= data.len());
    }
    common::crash_on_internal(common::engine().scan_attachment("winmail.dat", data));
});
