//! Shared by the fuzz targets: one engine with the default configuration, and the rule that a
//! panic the engine caught (`ScanError::Internal`) is still a crash for the fuzzer.

use lurescreen::{Config, Engine, Report, ScanError, Signatures};
use std::sync::OnceLock;

pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        allow_known_upstream_debug_asserts();
        Engine::new(
            Config::default(),
            Signatures::embedded().expect("embedded signatures"),
        )
    })
}

/// The engine turns a panic inside a check into `ScanError::Internal` so a daemon survives it;
/// for fuzzing that is exactly what we look for, so it becomes a panic again here.
pub fn crash_on_internal(result: Result<Report, ScanError>) -> Option<Report> {
    match result {
        Ok(r) => Some(r),
        Err(ScanError::Internal { stage, message })
            if stage == "parse" && message == KNOWN_UPSTREAM =>
        {
            None
        }
        Err(e @ ScanError::Internal { .. }) => panic!("caught panic inside the engine: {e}"),
        Err(_) => None,
    }
}

/// cargo-fuzz builds every crate with debug assertions, and libfuzzer-sys's panic hook aborts on
/// any panic, even one that is caught. mail-parser's `debug_assert!` at "Invalid part ID, could not
/// find multipart." fires on malformed nested multiparts; release builds (and, through
/// `[profile.dev.package.mail-parser]`, our debug builds) compile it out and mail-parser recovers.
/// That one panic is let through to the engine, which turns it into `ScanError::Internal`, and is
/// then ignored by `crash_on_internal`; every other panic still aborts.
fn allow_known_upstream_debug_asserts() {
    let inner = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_known_upstream(
            info.location().map(|l| l.file()),
            &payload_text(info.payload()),
        ) {
            return;
        }
        inner(info)
    }));
}

const KNOWN_UPSTREAM: &str = "Invalid part ID, could not find multipart.";

fn is_known_upstream(file: Option<&str>, message: &str) -> bool {
    file.is_some_and(|f| f.contains("mail-parser")) && message == KNOWN_UPSTREAM
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}
