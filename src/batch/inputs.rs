//! Finds the messages in the paths given to `scan`: message files, folders of them, mbox files
//! (gzip-compressed or not), Maildir folders (cur/new, Maildir++ subfolders) and stdin.
//!
//! Everything streams: a message is handed on as soon as it is read, and at most one message
//! (bounded by `limits.max_message_bytes`) is held by the reader at a time.

use super::mbox::{self, MboxReader};
pub use super::source::{Location, Payload};
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How to read the paths (`--input`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    /// Decide per path: folder with `cur`/`new` → Maildir, other folder → its files, file
    /// starting with an mbox `From ` line → mbox, any other file → one message.
    #[default]
    Auto,
    /// Every file is one message (a leading mbox `From ` line is dropped).
    Eml,
    /// Every file is an mbox; `>From ` lines are kept as they are (mboxo).
    Mbox,
    /// Every file is an mboxrd: one `>` is removed from `>From ` lines.
    Mboxrd,
    /// Every folder is a Maildir.
    Maildir,
}

/// How deep folders are walked.
const MAX_DEPTH: usize = 64;
/// Bytes looked at to recognise gzip and mbox.
const SNIFF: usize = 1024;

/// Reads `paths` in order and hands every message to `emit`, which may stop the walk.
pub struct Walker<'a> {
    pub kind: InputKind,
    pub max_message_bytes: usize,
    /// Bytes read from files and stdin so far (before decompression): for progress.
    pub bytes_read: Arc<AtomicU64>,
    pub emit: &'a mut dyn FnMut(Location, Payload) -> ControlFlow<()>,
}

impl Walker<'_> {
    pub fn walk(&mut self, paths: &[PathBuf]) -> ControlFlow<()> {
        for path in paths {
            self.path(path)?;
        }
        ControlFlow::Continue(())
    }

    fn path(&mut self, path: &Path) -> ControlFlow<()> {
        let source = path.display().to_string();
        if path.as_os_str() == "-" {
            let stdin = io::stdin().lock();
            return self.stream(source, Box::new(stdin), self.kind);
        }
        match std::fs::metadata(path) {
            Err(e) => (self.emit)(Location::file(source), Payload::Unreadable(e.to_string())),
            Ok(m) if m.is_dir() => {
                let mut found = 0u64;
                let flow = self.counting(&mut found, |w| w.folder(path, 0));
                if flow.is_continue() && found == 0 {
                    let what = "no messages found in this folder";
                    return (self.emit)(Location::file(source), Payload::Unreadable(what.into()));
                }
                flow
            }
            Ok(_) => self.file(path, self.kind),
        }
    }

    /// Runs `f`, counting what it emits into `found`.
    fn counting(
        &mut self,
        found: &mut u64,
        f: impl FnOnce(&mut Walker<'_>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let outer = &mut *self.emit;
        let mut counted = |loc: Location, p: Payload| {
            *found += 1;
            outer(loc, p)
        };
        let mut inner = Walker {
            kind: self.kind,
            max_message_bytes: self.max_message_bytes,
            bytes_read: self.bytes_read.clone(),
            emit: &mut counted,
        };
        f(&mut inner)
    }

    fn file(&mut self, path: &Path, kind: InputKind) -> ControlFlow<()> {
        let source = path.display().to_string();
        if matches!(kind, InputKind::Auto | InputKind::Eml) && starts_with(path, super::pst::MAGIC)
        {
            let before = self.bytes_read.load(Ordering::Relaxed);
            let flow = super::pst::walk(path, self.max_message_bytes, self.emit);
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            self.bytes_read.store(before + size, Ordering::Relaxed);
            return flow;
        }
        match File::open(path) {
            Ok(f) => self.stream(source, Box::new(f), kind),
            Err(e) => (self.emit)(Location::file(source), Payload::Unreadable(e.to_string())),
        }
    }

    /// A folder: a Maildir, or files and subfolders read one by one in name order.
    fn folder(&mut self, dir: &Path, depth: usize) -> ControlFlow<()> {
        if self.kind == InputKind::Maildir || (self.kind == InputKind::Auto && is_maildir(dir)) {
            return self.maildir(dir, depth);
        }
        let entries = match sorted_entries(dir) {
            Ok(e) => e,
            Err(e) => {
                let loc = Location::file(dir.display().to_string());
                return (self.emit)(loc, Payload::Unreadable(e.to_string()));
            }
        };
        for (path, is_dir) in entries {
            if hidden(&path) {
                continue;
            }
            if is_dir {
                if depth < MAX_DEPTH {
                    self.folder(&path, depth + 1)?;
                }
            } else {
                self.file(&path, self.kind)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// A Maildir: the messages in `cur` and `new`, then its subfolders (Maildir++ `.Name`
    /// folders and nested Maildirs); `tmp` and the Maildir's own files are skipped.
    fn maildir(&mut self, dir: &Path, depth: usize) -> ControlFlow<()> {
        for sub in ["cur", "new"] {
            let sub = dir.join(sub);
            if !sub.is_dir() {
                continue;
            }
            match sorted_entries(&sub) {
                Ok(entries) => {
                    for (path, is_dir) in entries {
                        if !is_dir && !hidden(&path) {
                            self.file(&path, InputKind::Eml)?;
                        }
                    }
                }
                Err(e) => {
                    let loc = Location::file(sub.display().to_string());
                    (self.emit)(loc, Payload::Unreadable(e.to_string()))?;
                }
            }
        }
        if depth >= MAX_DEPTH {
            return ControlFlow::Continue(());
        }
        let entries = sorted_entries(dir).unwrap_or_default();
        for (path, is_dir) in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !is_dir || matches!(name, "cur" | "new" | "tmp") {
                continue;
            }
            if is_maildir(&path) {
                self.maildir(&path, depth + 1)?;
            } else {
                // A folder that only holds Maildirs further down (`Work/Projects/cur`).
                self.maildir_parents(&path, depth + 1)?;
            }
        }
        ControlFlow::Continue(())
    }

    fn maildir_parents(&mut self, dir: &Path, depth: usize) -> ControlFlow<()> {
        if depth >= MAX_DEPTH {
            return ControlFlow::Continue(());
        }
        for (path, is_dir) in sorted_entries(dir).unwrap_or_default() {
            if !is_dir {
                continue;
            }
            if is_maildir(&path) {
                self.maildir(&path, depth + 1)?;
            } else {
                self.maildir_parents(&path, depth + 1)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// One file or stdin: gzip is undone, then it is an mbox or one message.
    fn stream(
        &mut self,
        source: String,
        reader: Box<dyn Read + '_>,
        kind: InputKind,
    ) -> ControlFlow<()> {
        let counted = Counting {
            inner: reader,
            count: self.bytes_read.clone(),
        };
        let (prefix, reader) = match sniff(Box::new(counted)) {
            Ok(p) => p,
            Err(e) => {
                return (self.emit)(Location::file(source), Payload::Unreadable(e.to_string()));
            }
        };
        if prefix.starts_with(&[0x1f, 0x8b]) {
            let decoder = flate2::read::MultiGzDecoder::new(reader);
            let (prefix, reader) = match sniff(Box::new(decoder)) {
                Ok(p) => p,
                Err(e) => {
                    let what = format!("cannot decompress: {e}");
                    return (self.emit)(Location::file(source), Payload::Unreadable(what));
                }
            };
            return self.content(source, prefix, reader, kind);
        }
        self.content(source, prefix, reader, kind)
    }

    fn content(
        &mut self,
        source: String,
        prefix: Vec<u8>,
        reader: Box<dyn Read + '_>,
        kind: InputKind,
    ) -> ControlFlow<()> {
        let looks_mbox = mbox::is_separator(&prefix);
        let as_mbox = match kind {
            InputKind::Mbox | InputKind::Mboxrd => true,
            InputKind::Eml => false,
            InputKind::Auto | InputKind::Maildir => looks_mbox,
        };
        if as_mbox {
            let buffered = BufReader::with_capacity(64 * 1024, reader);
            let unescape = kind == InputKind::Mboxrd;
            for message in MboxReader::new(buffered, self.max_message_bytes, unescape) {
                let flow = match message {
                    Ok(m) => {
                        let loc = Location {
                            source: source.clone(),
                            offset: Some(m.offset),
                            item: None,
                        };
                        let payload = match m.body {
                            mbox::Body::Bytes(b) => Payload::Bytes(b),
                            mbox::Body::TooLarge(n) => Payload::TooLarge(n),
                        };
                        (self.emit)(loc, payload)
                    }
                    Err(e) => (self.emit)(
                        Location::file(source.clone()),
                        Payload::Unreadable(e.to_string()),
                    ),
                };
                flow?;
            }
            return ControlFlow::Continue(());
        }
        let payload = match read_message(reader, self.max_message_bytes, looks_mbox) {
            Ok(p) => p,
            Err(e) => Payload::Unreadable(e.to_string()),
        };
        (self.emit)(Location::file(source), payload)
    }
}

/// Reads the first bytes (up to `SNIFF`) and gives them back with a reader of the whole.
fn sniff(mut reader: Box<dyn Read + '_>) -> io::Result<(Vec<u8>, Box<dyn Read + '_>)> {
    let mut prefix = Vec::with_capacity(SNIFF);
    (&mut reader).take(SNIFF as u64).read_to_end(&mut prefix)?;
    let whole = Cursor::new(prefix.clone()).chain(reader);
    Ok((prefix, Box::new(whole)))
}

/// One message, at most `limit` bytes kept; a leading mbox `From ` line is dropped.
fn read_message(mut reader: impl Read, limit: usize, from_line: bool) -> io::Result<Payload> {
    let mut buf = Vec::new();
    (&mut reader)
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut buf)?;
    if from_line {
        let cut = memchr::memchr(b'\n', &buf).map_or(buf.len(), |i| i + 1);
        buf.drain(..cut);
    }
    if buf.len() <= limit {
        return Ok(Payload::Bytes(buf));
    }
    let rest = io::copy(&mut reader, &mut io::sink())?;
    Ok(Payload::TooLarge(buf.len() as u64 + rest))
}

/// Whether the file at `path` starts with `magic` (false when it cannot be read: the normal
/// path then reports why).
fn starts_with(path: &Path, magic: &[u8]) -> bool {
    let mut head = vec![0u8; magic.len()];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == magic
}

/// A folder with `cur` or `new` in it.
pub fn is_maildir(dir: &Path) -> bool {
    dir.join("cur").is_dir() || dir.join("new").is_dir()
}

/// Dot files (`.DS_Store`, `.git`) are not mail; Maildir++ `.Name` folders are walked by
/// `maildir`, not through this.
fn hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// The entries of a folder in name order, each with whether it is a folder. Symbolic links to
/// folders are not followed (no loops); links to files are.
fn sorted_entries(dir: &Path) -> io::Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ft = entry.file_type()?;
        let path = entry.path();
        let is_dir = if ft.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => continue,
                Ok(_) => false,
                Err(_) => false,
            }
        } else {
            ft.is_dir()
        };
        out.push((path, is_dir));
    }
    out.sort();
    Ok(out)
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Total size of the files under `paths` (for a progress bar's length); stdin counts 0.
pub fn total_size(paths: &[PathBuf]) -> u64 {
    fn walk(p: &Path, depth: usize) -> u64 {
        match std::fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() && depth < MAX_DEPTH => std::fs::read_dir(p)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| walk(&e.path(), depth + 1))
                        .sum()
                })
                .unwrap_or(0),
            Ok(m) if m.is_file() => m.len(),
            Ok(m) if m.file_type().is_symlink() => std::fs::metadata(p)
                .ok()
                .filter(|m| m.is_file())
                .map_or(0, |m| m.len()),
            _ => 0,
        }
    }
    paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| walk(p, 0))
        .sum()
}
