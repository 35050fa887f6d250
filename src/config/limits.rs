//! `[limits]`: the bounds that keep every scan finite.

use serde::{Deserialize, Serialize};

/// Bounds that keep every scan finite, whatever the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Larger messages are not scanned: an error (the filter passes them on unchanged).
    pub max_message_bytes: usize,
    /// MIME parts analysed per message (nested messages included).
    pub max_parts: usize,
    /// Attached `message/rfc822` messages parsed as messages; more are treated as opaque files.
    pub max_nested_messages: usize,
    /// Checks stop once a scan has run this long; the report says which were skipped.
    pub scan_time_ms: u64,
    /// Containers (archives, disk images, documents) opened inside one another, at most.
    pub max_container_depth: usize,
    /// Bytes extracted from containers per message, at most.
    pub max_expanded_bytes: u64,
    /// Files listed inside containers per message, at most.
    pub max_expanded_entries: usize,
    /// Top-level header fields the checks read; more are counted and reported, not read.
    pub max_header_fields: usize,
    /// Bytes of one header field's value the checks read; longer values are cut there.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 64 * 1024 * 1024,
            max_parts: 1000,
            max_nested_messages: 32,
            scan_time_ms: 10_000,
            max_container_depth: 3,
            max_expanded_bytes: 256 * 1024 * 1024,
            max_expanded_entries: 10_000,
            max_header_fields: 1000,
            max_header_bytes: 64 * 1024,
        }
    }
}
