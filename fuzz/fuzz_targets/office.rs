//! Office documents (OLE/CFB, OOXML, RTF, SLK, Ichitaro) through `Engine::scan_attachment`; the
//! first byte picks the file name, so the name-driven paths are all reached.
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;

const NAMES: &[&str] = &[
    "x.doc", "x.rtf", "x.docm", "x.xls", "x.xlsm", "x.ppt", "x.pptm", "x.docx", "x.xlsx", "x.slk",
    "x.jtd", "x.msg",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    common::crash_on_internal(common::engine().scan_attachment(name, rest));
});
