//! Reports rendered for people and programs: headers, JSON, text.

pub mod headers;
pub mod json;
pub mod text;
