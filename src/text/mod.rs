//! Text helpers shared by every layer: domains and registrable names, characters that hide text,
//! HTML made text, words counted as a reader counts them.

pub mod domain;
pub mod hidden;
pub mod html_text;
pub mod words;
