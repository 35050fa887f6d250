//! PDF files read two ways: a byte scan (`raw`) and lopdf's object model (`model`), with a
//! recovery view of damaged files (`recover`) and the signs in their scripts (`javascript`).

pub mod javascript;
pub mod model;
pub mod raw;
pub mod recover;
