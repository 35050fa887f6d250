//! `scan --extract DIR`: writes the flagged messages out as `.eml` files for follow-up.
//!
//! File names are made by us, never taken from the message: `NNNNNNN-VERDICT-SOURCE[-OFFSET].eml`
//! with the source file's name reduced to `[A-Za-z0-9._-]`. Every name is checked again before it
//! is used (no separators, no `..`, no leading dot), files are created new (an existing file or a
//! symbolic link in the way is an error, never overwritten or followed) and readable by the owner
//! only: they are lures.

use super::inputs::Location;
use crate::finding::Verdict;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a name was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("empty file name")]
    Empty,
    #[error("file name `{0}` contains a path separator")]
    Separator(String),
    #[error("file name `{0}` could leave the folder")]
    Traversal(String),
    #[error("file name `{0}` is longer than 200 bytes")]
    TooLong(String),
}

/// A name safe to join to the extraction folder: one plain component.
pub fn safe_name(name: &str) -> Result<&str, NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.contains(['/', '\\', '\0']) {
        return Err(NameError::Separator(name.to_string()));
    }
    if name.starts_with('.') || name.contains("..") || name.contains(':') {
        return Err(NameError::Traversal(name.to_string()));
    }
    if name.len() > 200 {
        return Err(NameError::TooLong(name.to_string()));
    }
    Ok(name)
}

/// The name of the `seq`-th message (1-based, in input order).
pub fn file_name(seq: u64, verdict: Verdict, location: &Location) -> String {
    let base = match location.source.as_str() {
        "-" => "stdin".to_string(),
        source => Path::new(source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let mut clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if clean.is_empty() {
        clean.push_str("message");
    }
    match location.offset {
        Some(off) => format!("{seq:07}-{}-{clean}-{off}.eml", verdict.as_str()),
        None => format!("{seq:07}-{}-{clean}.eml", verdict.as_str()),
    }
}

/// Creates the folder (and parents) if needed.
pub fn prepare(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    if !dir.is_dir() {
        return Err(io::Error::other("not a folder"));
    }
    Ok(())
}

/// Writes one message; returns the path written.
pub fn write(dir: &Path, name: &str, raw: &[u8]) -> io::Result<PathBuf> {
    let name = safe_name(name).map_err(io::Error::other)?;
    let path = dir.join(name);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&path)?;
    f.write_all(raw)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_separators_and_traversal() {
        assert_eq!(safe_name(""), Err(NameError::Empty));
        for bad in ["a/b.eml", "..\\x.eml", "/etc/passwd", "a\0b"] {
            assert!(
                matches!(safe_name(bad), Err(NameError::Separator(_))),
                "{bad}"
            );
        }
        for bad in [
            "..",
            "../x",
            "../../etc/x",
            "a/b",
            "/abs.eml",
            ".hidden",
            "a..b",
            "C:",
            "C:x.eml",
            "C:\\x.eml",
            "\\\\server\\x",
            "x\0",
        ] {
            assert!(safe_name(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            safe_name(&"a".repeat(201)),
            Err(NameError::TooLong(_))
        ));
        assert_eq!(safe_name("0000001-warn-x.eml"), Ok("0000001-warn-x.eml"));
    }

    #[test]
    fn names_are_made_from_the_location_only() {
        let loc = Location {
            source: "/exports/../evil/請求書 ..x.mbox".into(),
            offset: Some(1234),
            item: None,
        };
        let n = file_name(3, Verdict::Quarantine, &loc);
        assert_eq!(n, "0000003-quarantine-______x_mbox-1234.eml");
        assert!(safe_name(&n).is_ok());
        let n = file_name(1, Verdict::Warn, &Location::file("-"));
        assert_eq!(n, "0000001-warn-stdin.eml");
        let n = file_name(1, Verdict::Warn, &Location::file("/"));
        assert_eq!(n, "0000001-warn-message.eml");
    }

    #[test]
    fn writes_new_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "0000001-warn-a.eml", b"Subject: x\n\n").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"Subject: x\n\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(write(dir.path(), "0000001-warn-a.eml", b"again").is_err());
        assert!(write(dir.path(), "../escape.eml", b"x").is_err());
        assert!(!dir.path().parent().unwrap().join("escape.eml").exists());
    }
}
