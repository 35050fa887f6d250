//! `lurescreen explain`: one message explained for staff, as text or as an HTML page.

use crate::engine::ScanError;
use crate::exit;
use crate::explain::{self, Explanation};
use crate::{Engine, Lang};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Explains `input` (`-` is stdin). Text goes to `out`; with `html`, the page is written there
/// and `out` gets a one-line summary. Exit codes as `scan`: the verdict, 65 for a message that
/// cannot be scanned, 74 for I/O errors.
pub fn run(
    engine: &Engine,
    input: &Path,
    html: Option<&PathBuf>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let source = crate::text::hidden::reveal_hidden(&input.display().to_string());
    let limit = engine.config().limits.max_message_bytes;
    let raw = match read(input, limit) {
        Ok(raw) => raw,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {source}: {e}");
            return exit::IO;
        }
    };
    let explained = match raw {
        Some(raw) => explain::explain(engine, &raw),
        None => Err(ScanError::TooLarge {
            size: limit + 1,
            limit,
        }),
    };
    let e = match explained {
        Ok(e) => e,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {source}: {e}");
            return match e {
                ScanError::Empty | ScanError::TooLarge { .. } => exit::DATA,
                ScanError::Internal { .. } => exit::SOFTWARE,
            };
        }
    };
    let written = match html {
        Some(path) => {
            if let Err(e) = std::fs::write(path, explain::render_html(&e, lang)) {
                let _ = writeln!(err, "lurescreen: {}: {e}", path.display());
                return exit::IO;
            }
            writeln!(out, "{}", one_line(&e, &source, path, lang))
        }
        None => write!(out, "{}", explain::render_text(&e, lang)),
    };
    if written.and_then(|_| out.flush()).is_err() {
        let _ = writeln!(err, "lurescreen: cannot write the explanation");
        return exit::IO;
    }
    e.verdict.exit_code()
}

fn one_line(e: &Explanation, source: &str, html: &Path, lang: Lang) -> String {
    let n = e.points.len() + e.points_not_shown;
    match lang {
        Lang::En => format!(
            "{source}: {} (score {:.1}), {n} point{} to notice; explanation written to {}",
            e.verdict.as_str().to_uppercase(),
            e.score,
            if n == 1 { "" } else { "s" },
            html.display()
        ),
        Lang::Ja => format!(
            "{source}: {}（スコア {:.1}）、気付くべきポイント {n} 件。説明を {} に書き出しました",
            e.verdict.label(lang),
            e.score,
            html.display()
        ),
    }
}

/// The message's bytes, or `None` when it is over `limit`.
fn read(path: &Path, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)?;
        if file.metadata()?.is_dir() {
            return Err(std::io::Error::other("is a directory"));
        }
        Box::new(file)
    };
    let mut buf = Vec::new();
    reader
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut buf)?;
    Ok((buf.len() <= limit).then_some(buf))
}
