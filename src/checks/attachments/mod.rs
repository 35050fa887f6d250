//! Attachment checks: names, real types, archives and documents.

pub mod filename;
pub mod pdf;
