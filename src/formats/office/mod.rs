//! Office documents read: OLE2 compound files (`ole`), their VBA projects (`vba`), Excel 4.0
//! macro sheets (`xlm`), Office Open XML packages (`ooxml`) and RTF (`rtf`).

pub mod ole;
pub mod ooxml;
pub mod rtf;
pub mod vba;
pub mod xlm;
