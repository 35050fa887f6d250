//! Text helpers shared by every layer: domains and registrable names.

pub mod domain;
