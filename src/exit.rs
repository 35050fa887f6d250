//! Exit codes (sysexits.h) of every command, besides the verdict codes 0–3 of `scan`.

/// Bad command line.
pub const USAGE: i32 = 64;
/// An input could not be scanned (empty, over a limit).
pub const DATA: i32 = 65;
/// Internal error.
pub const SOFTWARE: i32 = 70;
/// A file could not be read or output could not be written.
pub const IO: i32 = 74;
/// `filter --fail-closed`: try again later.
pub const TEMPFAIL: i32 = 75;
