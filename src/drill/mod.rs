//! Training drills: harmless mock lures sent to staff, a landing page that records who clicked
//! and shows them at once what should have warned them, and the campaign's results.
//!
//! `campaign` reads the campaign file, `scenario` the scenario files (built-in and the
//! campaign's own), `plan` says who gets which and when, `generate` writes them, `send` delivers
//! them, `serve` is the landing page, `store` the click database, `report` the results.

pub mod campaign;
pub mod compare;
pub mod generate;
pub mod payload;
pub mod plan;
pub mod recorder;
pub mod report;
pub mod reports;
pub mod scenario;
pub mod send;
pub mod serve;
pub mod store;
pub mod timeline;

use crate::{Config, Engine, Signatures};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name of the manifest `generate` writes beside the lures.
pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, thiserror::Error)]
pub enum DrillError {
    #[error("campaign: {0}")]
    Campaign(String),
    /// A scenario file that cannot be used (`file:line: why`).
    #[error("scenario {0}")]
    Scenario(String),
    #[error("{0}")]
    Io(String),
    #[error("manifest: {0}")]
    Manifest(String),
    #[error("refusing to send: {0}")]
    Refused(String),
    #[error("smtp: {0}")]
    Smtp(String),
    #[error("database: {0}")]
    Db(String),
}

/// What `generate` wrote: which token belongs to whom and which lure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub campaign: String,
    pub organisation: String,
    pub domains: Vec<String>,
    pub landing_url: String,
    /// The lures' `Date:` as a Unix timestamp (time-to-click counts from the send time when
    /// `send` recorded one, else from this).
    pub date: i64,
    /// The campaign's `[report]` table: the report address and the debrief's reporting text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<campaign::ReportTo>,
    /// The campaign's `track_opens`: the lures carry open-tracking images.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub track_opens: bool,
    pub entries: Vec<Entry>,
    /// The scenarios used that come from files (title, language, what they teach, debrief
    /// points): `serve` and `report` find the built-in ones by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<scenario::Info>,
}

/// One lure in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub token: String,
    pub email: String,
    pub name: String,
    pub department: String,
    pub scenario: String,
    pub subject: String,
    pub from: String,
    /// File holding the message, relative to the manifest; `offset`/`length` locate it there.
    pub file: String,
    pub offset: u64,
    pub length: u64,
    /// The person's debrief language (`ja`, `en`; empty: the scenario's).
    #[serde(default)]
    pub lang: String,
    /// When `send` may deliver it (Unix time), from the campaign's `[schedule]`; none: at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned: Option<i64>,
    /// Its attachment holds a page with the "attachment opened" beacon (`track_opens`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub attachment_beacon: bool,
}

/// A manifest with the folder it was read from.
#[derive(Debug, Clone)]
pub struct Generated {
    pub manifest: Manifest,
    pub dir: PathBuf,
}

impl Generated {
    /// Reads `manifest.json`; `path` may be the file or the folder holding it.
    pub fn load(path: &Path) -> Result<Generated, DrillError> {
        let file = if path.is_dir() {
            path.join(MANIFEST)
        } else {
            path.to_path_buf()
        };
        let text = std::fs::read_to_string(&file)
            .map_err(|e| DrillError::Io(format!("{}: {e}", file.display())))?;
        let manifest: Manifest = serde_json::from_str(&text)
            .map_err(|e| DrillError::Manifest(format!("{}: {e}", file.display())))?;
        Ok(Generated {
            manifest,
            dir: file.parent().unwrap_or_else(|| Path::new("")).to_path_buf(),
        })
    }

    /// What is known of a scenario the manifest uses: the manifest's own copy (scenarios from
    /// files), else the built-in one with that id.
    pub fn scenario(&self, id: &str) -> Option<scenario::Info> {
        self.manifest
            .scenarios
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .or_else(|| scenario::find(id).map(scenario::Scenario::info))
    }

    pub fn entry(&self, token: &str) -> Option<&Entry> {
        self.manifest.entries.iter().find(|e| e.token == token)
    }

    /// The raw message of an entry, CRLF line ends.
    pub fn raw(&self, entry: &Entry) -> Result<Vec<u8>, DrillError> {
        // The file name comes from our own manifest, but keep it inside the folder anyway.
        if entry.file.contains(['/', '\\']) || entry.file.starts_with('.') {
            return Err(DrillError::Manifest(format!(
                "bad file name `{}`",
                entry.file
            )));
        }
        let path = self.dir.join(&entry.file);
        let data =
            std::fs::read(&path).map_err(|e| DrillError::Io(format!("{}: {e}", path.display())))?;
        let start = usize::try_from(entry.offset).unwrap_or(usize::MAX);
        let end = start.saturating_add(usize::try_from(entry.length).unwrap_or(usize::MAX));
        let slice = data.get(start..end).ok_or_else(|| {
            DrillError::Manifest(format!("{}: {}..{end} is out of range", entry.file, start))
        })?;
        Ok(to_crlf(slice))
    }
}

/// Opens a file that holds tokens or secrets, mode 0600, never through a symbolic link: a new file
/// (`create_new`, which refuses an existing name, link or not), or with `append` an existing
/// regular file or a new one.
pub fn private_file(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    if append
        && let Ok(m) = std::fs::symlink_metadata(path)
        && !m.file_type().is_file()
    {
        return Err(std::io::Error::other(
            "exists and is not a regular file (a symbolic link?)",
        ));
    }
    let mut o = std::fs::OpenOptions::new();
    o.mode(0o600);
    if append {
        o.append(true).create(true);
    } else {
        o.write(true).create_new(true);
    }
    o.open(path)
}

/// Writes `data` to `path` (mode 0600) without following a link planted there: into a new file
/// beside it, then renamed over the name (which replaces a link, not its target).
pub fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = private_file(&tmp, false).and_then(|mut f| {
        f.write_all(data)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Normalises line ends to CRLF (mbox stores LF; SMTP wants CRLF).
pub fn to_crlf(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 40);
    let mut prev = 0u8;
    for &b in data {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

/// The engine drills are judged with: default configuration with the organisation's own
/// domains set, as the organisation's filter would be configured.
pub fn engine(domains: &[String], signatures: Signatures) -> Engine {
    engine_from(Config::default(), domains, signatures)
}

/// Like [`engine`] from a given configuration (`--config`): the campaign's domains are added to
/// its `organisation.domains`.
pub fn engine_from(mut config: Config, domains: &[String], signatures: Signatures) -> Engine {
    for d in domains {
        if !config.organisation.domains.contains(d) {
            config.organisation.domains.push(d.clone());
        }
    }
    Engine::new(config, signatures)
}

/// How the filter judges one lure: its verdict and the scenario's rules that did not fire.
#[derive(Debug, Clone)]
pub struct Judged {
    pub verdict: crate::Verdict,
    pub rules: Vec<String>,
    pub missing: Vec<String>,
}

impl Judged {
    /// Caught at warn or above with every rule the scenario teaches.
    pub fn caught(&self) -> bool {
        self.verdict >= crate::Verdict::Warn && self.missing.is_empty()
    }
}

/// Scans a lure and compares the findings with what its scenario teaches.
pub fn judge(engine: &Engine, raw: &[u8], scenario: &scenario::Scenario) -> Judged {
    match engine.scan(raw) {
        Ok(report) => {
            let rules: Vec<String> = report
                .rule_scores()
                .iter()
                .map(|(r, _)| r.to_string())
                .collect();
            let missing = scenario
                .teaches
                .iter()
                .filter(|t| !rules.contains(t))
                .cloned()
                .collect();
            Judged {
                verdict: report.verdict,
                rules,
                missing,
            }
        }
        Err(e) => Judged {
            verdict: crate::Verdict::Clean,
            rules: vec![format!("error: {e}")],
            missing: scenario.teaches.clone(),
        },
    }
}
