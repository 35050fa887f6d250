//! Front ends for the command line: thin wrappers that feed bytes to the engine and act on reports.

pub mod drill;
pub mod explain;
pub mod filter;
pub mod generate;
pub mod scan;
pub mod tune;
