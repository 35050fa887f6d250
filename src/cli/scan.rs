//! `lurescreen scan`: reports on message files or stdin.

use crate::engine::ScanError;
use crate::exit;
use crate::render;
use crate::{Engine, Lang};
use std::io::{Read, Write};
use std::path::PathBuf;

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Headers,
}

/// Scans each input (`-` is stdin; folders, mbox files and Maildirs too: see `batch::run`),
/// writes one report per message, returns the exit code: the highest verdict, or an error code
/// if any input could not be scanned.
pub fn run(
    engine: &Engine,
    inputs: &[PathBuf],
    format: Format,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let opts = crate::batch::Options {
        format: match format {
            Format::Text => crate::batch::Format::Text,
            Format::Json => crate::batch::Format::Json,
            Format::Headers => crate::batch::Format::Headers,
        },
        lang,
        ..Default::default()
    };
    crate::batch::run(engine, inputs, &opts, out, err)
}

/// `scan --attachment`: each input is a bare file, scanned as the one attachment of a message
/// (see `Engine::scan_attachment`); reports, formats and exit codes are those of `run`.
pub fn run_attachments(
    engine: &Engine,
    inputs: &[PathBuf],
    format: Format,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    run_each(engine, inputs, format, lang, out, err, &|path, raw| {
        let name = if path.as_os_str() == "-" {
            "stdin".to_string()
        } else {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string())
        };
        engine.scan_attachment(&name, raw)
    })
}

type ScanOne<'a> = dyn Fn(&PathBuf, &[u8]) -> Result<crate::Report, ScanError> + 'a;

fn run_each(
    engine: &Engine,
    inputs: &[PathBuf],
    format: Format,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
    scan_one: &ScanOne<'_>,
) -> i32 {
    let mut code = 0;
    for input in inputs {
        let source = input.display().to_string();
        let shown = crate::text::hidden::reveal_hidden(&source);
        let raw = match read_input(input, engine.config().limits.max_message_bytes) {
            Ok(raw) => raw,
            Err(e) => {
                let _ = writeln!(err, "lurescreen: {shown}: {e}");
                if format == Format::Json {
                    let _ = writeln!(out, "{}", render::json::error(&source, &e.to_string()));
                }
                code = code.max(exit::IO);
                continue;
            }
        };
        let scanned = match raw {
            Input::Bytes(raw) => scan_one(input, &raw),
            Input::TooLarge(size) => Err(ScanError::TooLarge {
                size,
                limit: engine.config().limits.max_message_bytes,
            }),
        };
        let written = match scanned {
            Ok(report) => {
                code = code.max(report.verdict.exit_code());
                match format {
                    Format::Text => write!(out, "{}", render::text::report(&report, &source, lang)),
                    Format::Json => {
                        writeln!(out, "{}", render::json::report(&report, &source, lang))
                    }
                    Format::Headers => {
                        write!(out, "{}", render::headers::block(&report, "\n"))
                    }
                }
            }
            Err(e) => {
                let _ = writeln!(err, "lurescreen: {shown}: {e}");
                code = code.max(match e {
                    ScanError::Empty | ScanError::TooLarge { .. } => exit::DATA,
                    ScanError::Internal { .. } => exit::SOFTWARE,
                });
                match format {
                    Format::Json => {
                        writeln!(out, "{}", render::json::error(&source, &e.to_string()))
                    }
                    Format::Headers => write!(
                        out,
                        "{}",
                        render::headers::error_block(&e.to_string(), "\n")
                    ),
                    Format::Text => Ok(()),
                }
            }
        };
        if written.is_err() {
            let _ = writeln!(err, "lurescreen: cannot write the report");
            return exit::IO;
        }
    }
    code
}

enum Input {
    Bytes(Vec<u8>),
    /// Over `limits.max_message_bytes`: its size, the bytes themselves not kept.
    TooLarge(usize),
}

/// Reads a file or stdin, keeping at most `limit` bytes in memory.
fn read_input(path: &PathBuf, limit: usize) -> std::io::Result<Input> {
    let mut reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)?;
        if file.metadata()?.is_dir() {
            return Err(std::io::Error::other("is a directory"));
        }
        Box::new(file)
    };
    let mut buf = Vec::new();
    (&mut reader)
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut buf)?;
    if buf.len() <= limit {
        return Ok(Input::Bytes(buf));
    }
    let rest = std::io::copy(&mut reader, &mut std::io::sink())?;
    Ok(Input::TooLarge(buf.len() + rest as usize))
}
