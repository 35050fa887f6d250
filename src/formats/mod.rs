//! Readers of file formats: what a file is and what it holds, as facts; the checks judge them.

pub mod anchors;
pub mod bytes;
pub mod executable;
pub mod html;
pub mod ichitaro;
pub mod lnk;
pub mod markup;
pub mod office;
pub mod pdf;
pub mod script;
pub mod sniff;
