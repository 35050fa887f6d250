//! Office documents read: OLE2 compound files (`ole`), their VBA projects (`vba`), Excel 4.0
//! macro sheets (`xlm`), Office Open XML packages (`ooxml`) and RTF (`rtf`).

pub mod ole;
pub mod ooxml;
pub mod rtf;
pub mod vba;
pub mod xlm;

/// An Office file read once: an OLE2 compound file (with its VBA source) or an RTF document.
#[derive(Debug, Clone)]
pub enum Document {
    /// What the compound file holds, or why it cannot be read.
    Ole(Result<ole::Report, String>),
    Rtf(rtf::Rtf),
}

/// Reads an OLE2 compound file or an RTF document; `None` for any other file.
pub fn read(data: &[u8]) -> Option<Document> {
    if ole::is_ole(data) {
        Some(Document::Ole(ole::analyse(data, true)))
    } else if rtf::is_rtf(data) {
        Some(Document::Rtf(rtf::parse(data)))
    } else {
        None
    }
}
