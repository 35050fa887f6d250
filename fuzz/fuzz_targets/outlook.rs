//! Outlook formats: an item file (`.msg`) and a winmail.dat (TNEF) as attachments, a `.msg` as
//! a whole message (read through the MAPI → MIME conversion), and the compressed-RTF and RTF
//! readers on their own. The first byte picks which.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lurescreen::message::mapi;
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    match pick % 5 {
        0 => {
            common::crash_on_internal(common::engine().scan_attachment("FW.msg", rest));
        }
        1 => {
            common::crash_on_internal(common::engine().scan_attachment("winmail.dat", rest));
        }
        2 => {
            common::crash_on_internal(common::engine().scan(rest));
        }
        3 => {
            let _ = mapi::rtf_body(rest);
        }
        _ => {
            let _ = mapi::rtf_to_text(&String::from_utf8_lossy(rest));
        }
    }
});
