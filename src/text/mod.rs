//! Text helpers shared by every layer: domains and registrable names, characters that hide text.

pub mod domain;
pub mod hidden;
