//! Front ends for the command line: thin wrappers that feed bytes to the engine and act on reports.

pub mod drill;
pub mod explain;
pub mod filter;
pub mod generate;
pub mod scan;
pub mod tune;

use crate::config::Config;
use crate::signatures::Signatures;
use crate::{Engine, Lang};
use std::path::Path;

/// Exit codes (sysexits.h), besides the verdict codes 0–3 of `scan`.
pub mod exit {
    /// Bad command line.
    pub const USAGE: i32 = 64;
    /// An input could not be scanned (empty, over a limit).
    pub const DATA: i32 = 65;
    /// Internal error.
    pub const SOFTWARE: i32 = 70;
    /// A file could not be read or output could not be written.
    pub const IO: i32 = 74;
    /// `filter --fail-closed`: try again later.
    pub const TEMPFAIL: i32 = 75;
}

/// Loads configuration and signatures as the options say; errors are ready to print.
pub fn load(config: Option<&Path>, signatures: Option<&Path>) -> Result<Engine, String> {
    load_with(config, signatures, false)
}

/// As `load`; `dns` (the `--dns` flag) turns the DNS stage on whatever the configuration says.
pub fn load_with(
    config: Option<&Path>,
    signatures: Option<&Path>,
    dns: bool,
) -> Result<Engine, String> {
    load_for(config, signatures, dns, crate::signatures::Build::Many)
}

/// As `load_with`, the signatures' automata built for `how` many messages (`Build::One` for a
/// command that scans one message and exits, where building DFAs would be most of its run).
pub fn load_for(
    config: Option<&Path>,
    signatures: Option<&Path>,
    dns: bool,
    how: crate::signatures::Build,
) -> Result<Engine, String> {
    let config_path = config;
    let mut config = match config {
        Some(p) => Config::load(p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    config.dns.enabled |= dns;
    let mut signatures = match signatures {
        Some(dir) => Signatures::from_dir_for(dir, how),
        None => Signatures::embedded_for(how),
    }
    .map_err(|e| e.to_string())?;
    let base = config_path
        .and_then(Path::parent)
        .unwrap_or_else(|| Path::new(""));
    for file in &config.iocs.files {
        signatures
            .add_ioc_file(&base.join(file))
            .map_err(|e| format!("iocs.files: {e}"))?;
    }
    if let Some(file) = &config.scores.file {
        crate::signatures::overlay::apply_file(&mut signatures, &base.join(file))
            .map_err(|e| format!("scores.file: {e}"))?;
    }
    Ok(Engine::new(config, signatures))
}

/// `--lang`, else the config's `lang`, else the locale.
pub fn resolve_lang(flag: Option<Lang>, config: &Config) -> Lang {
    flag.or(config.lang).unwrap_or_else(Lang::from_env)
}
