//! lurescreen: screens email for targeted-attack lures and phishing, and explains why.
#![forbid(unsafe_code)]

pub mod batch;
pub mod checks;
pub mod cli;
pub mod config;
pub mod dns;
pub mod drill;
pub mod engine;
pub mod exit;
pub mod explain;
pub mod filter;
pub mod finding;
pub mod formats;
pub mod lang;
pub mod message;
pub mod milter;
pub mod render;
pub mod score;
pub mod signatures;
pub mod text;
pub mod tune;

pub use config::Config;
pub use engine::{Engine, ScanError};
pub use finding::{Finding, Verdict};
pub use lang::Lang;
pub use message::{Envelope, Message};
pub use score::Report;
pub use signatures::Signatures;
