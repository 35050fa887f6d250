//! An engine built as the command line or the milter's options say: the configuration file,
//! the signatures (embedded or a folder), the site's indicator files and scores overlay.

use super::Engine;
use crate::config::Config;
use crate::signatures::Signatures;
use std::path::Path;

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
