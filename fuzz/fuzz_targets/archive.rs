//! The archive walker through `Engine::scan_attachment`; the first byte picks the file name.
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;

const NAMES: &[&str] = &[
    "x.zip", "x.7z", "x.rar", "x.iso", "x.tar.gz", "x.tar", "x.gz", "x.img",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    common::crash_on_internal(common::engine().scan_attachment(name, rest));
});
