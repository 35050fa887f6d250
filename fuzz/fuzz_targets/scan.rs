//! The whole message through `Engine::scan` with the default configuration.
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;

fuzz_target!(|data: &[u8]| {
    common::crash_on_internal(common::engine().scan(data));
});
