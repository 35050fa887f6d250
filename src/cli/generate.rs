//! `lurescreen generate`: man pages and shell completions generated from the command line's own
//! definitions (clap), so they never disagree with `--help`. The Debian package installs them
//! (`scripts/deb-check` and the README's install section generate them before `cargo deb`).

use clap_complete::Shell;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `lurescreen.1` and one page per subcommand that is not hidden (`lurescreen-scan.1`,
/// `lurescreen-config-check.1`, ...) into `dir` (created if missing); returns the files written.
pub fn man_pages(cmd: clap::Command, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    fn generate(cmd: clap::Command, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        out.push(clap_mangen::Man::new(cmd.clone()).generate_to(dir)?);
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            generate(sub.clone(), dir, out)?;
        }
        Ok(())
    }
    std::fs::create_dir_all(dir)?;
    // As clap_mangen::generate_to: subcommands get their full names (`lurescreen-scan`) and
    // the global options once the command is built.
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let mut written = Vec::new();
    generate(cmd, dir, &mut written)?;
    Ok(written)
}

/// The completion script for `shell`: into `dir` under the name the shell looks for
/// (`lurescreen.bash`, `_lurescreen`, `lurescreen.fish`, ...) when given, else to `out`.
pub fn completions(
    mut cmd: clap::Command,
    shell: Shell,
    dir: Option<&Path>,
    out: &mut dyn Write,
) -> std::io::Result<Option<PathBuf>> {
    let name = cmd.get_name().to_string();
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            clap_complete::generate_to(shell, &mut cmd, name, dir).map(Some)
        }
        None => {
            clap_complete::generate(shell, &mut cmd, name, out);
            out.flush()?;
            Ok(None)
        }
    }
}
