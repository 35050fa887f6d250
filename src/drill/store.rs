//! The click database (SQLite, bundled, WAL mode): one row per token, method and client, with a
//! count of repeats, so a client that reloads a page or a scanner that fetches it a thousand times
//! adds no rows. Clicks that cannot be stored go to a spill file beside the database
//! (`<db>-unstored.jsonl`), which `drill report` reads too: a click is never dropped silently.

use super::DrillError;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One recorded click (a row: the first request of a token from one client with one method, and
/// how often it came).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Click {
    pub token: String,
    pub email: String,
    pub scenario: String,
    pub department: String,
    /// Unix time of the first such request.
    pub clicked_at: i64,
    pub user_agent: String,
    /// `GET` or `HEAD` (link scanners and previews often send `HEAD`).
    pub method: String,
    /// The client's address as the server saw it (a reverse proxy's own when behind one).
    pub ip: String,
    /// How many such requests came (1 for one).
    pub repeats: u32,
    /// Unix time of the last such request.
    pub last_at: i64,
    /// What was requested: the link (a click), or with open tracking the body's image or the
    /// attachment's beacon.
    #[serde(default)]
    pub kind: Kind,
}

/// What a recorded request was for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `/t/<token>`: the lure's link.
    #[default]
    Click,
    /// `/o/<token>.gif`: the 1×1 image of the HTML body (the mail shown with its images).
    Open,
    /// `/a/<token>.gif`: the beacon of a mock HTML attachment (the page opened).
    Attachment,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Click => "click",
            Kind::Open => "open",
            Kind::Attachment => "attachment",
        }
    }

    fn parse(s: &str) -> Kind {
        match s {
            "open" => Kind::Open,
            "attachment" => Kind::Attachment,
            _ => Kind::Click,
        }
    }
}

impl Click {
    /// A single request of the link.
    pub fn new(entry: &super::Entry, at: i64, method: &str, ip: &str, user_agent: &str) -> Click {
        Click::of(Kind::Click, entry, at, method, ip, user_agent)
    }

    /// A single request of `kind`.
    pub fn of(
        kind: Kind,
        entry: &super::Entry,
        at: i64,
        method: &str,
        ip: &str,
        user_agent: &str,
    ) -> Click {
        Click {
            kind,
            token: entry.token.clone(),
            email: entry.email.clone(),
            scenario: entry.scenario.clone(),
            department: entry.department.clone(),
            clicked_at: at,
            user_agent: user_agent.chars().take(MAX_USER_AGENT).collect(),
            method: method.to_string(),
            ip: ip.to_string(),
            repeats: 1,
            last_at: at,
        }
    }
}

pub struct Store {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS clicks (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT NOT NULL,
    token       TEXT NOT NULL,
    email       TEXT NOT NULL,
    scenario    TEXT NOT NULL,
    department  TEXT NOT NULL,
    clicked_at  INTEGER NOT NULL,
    user_agent  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS clicks_token ON clicks (token);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT NOT NULL,
    token       TEXT NOT NULL,
    report_key  TEXT NOT NULL,
    reporter    TEXT NOT NULL,
    reported_at INTEGER NOT NULL,
    time_from   TEXT NOT NULL,
    source      TEXT NOT NULL,
    UNIQUE (campaign, token, report_key)
);
CREATE TABLE IF NOT EXISTS quiz_answers (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT NOT NULL,
    token       TEXT NOT NULL,
    scenario    TEXT NOT NULL,
    answers     TEXT NOT NULL,
    correct     INTEGER NOT NULL,
    questions   INTEGER NOT NULL,
    answered_at INTEGER NOT NULL,
    ip          TEXT NOT NULL,
    user_agent  TEXT NOT NULL,
    UNIQUE (campaign, token)
);
";

/// One lure's follow-up quiz, answered on its debrief page: the choices given (from 1, one per
/// question in order), how many were right, when and by which client. The first answers of a
/// lure count; a later submission is not stored (it would come after the right answers were
/// shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizAnswers {
    pub token: String,
    pub scenario: String,
    pub answers: Vec<usize>,
    pub correct: usize,
    pub questions: usize,
    /// Unix time.
    pub answered_at: i64,
    pub ip: String,
    pub user_agent: String,
}

/// One lure reported to IT: the token, the report mail it was found in (`report_key`: its
/// Message-ID, else a hash of its bytes, so reading the same mailbox again adds nothing), who sent
/// it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub token: String,
    pub report_key: String,
    /// The report mail's sender address (lower-cased), empty when it names none.
    pub reporter: String,
    /// Unix time: the report mail's `Date:`, else its file's modification time.
    pub reported_at: i64,
    /// `date` or `file`: where `reported_at` came from.
    pub time_from: String,
    /// Where the report mail was read (file, `file:offset` in an mbox).
    pub source: String,
}

/// Columns added after the first release, with their defaults for older rows.
const ADDED_COLUMNS: [(&str, &str); 5] = [
    ("method", "TEXT NOT NULL DEFAULT 'GET'"),
    ("ip", "TEXT NOT NULL DEFAULT ''"),
    ("repeats", "INTEGER NOT NULL DEFAULT 1"),
    ("last_at", "INTEGER NOT NULL DEFAULT 0"),
    ("kind", "TEXT NOT NULL DEFAULT 'click'"),
];

/// User agents longer than this are cut (a client chooses what it sends).
pub const MAX_USER_AGENT: usize = 512;

/// Rows kept per token and method; requests from further clients are counted in one more row
/// whose address is [`OTHER_CLIENTS`].
pub const MAX_ROWS_PER_TOKEN: i64 = 16;
pub const OTHER_CLIENTS: &str = "(other clients)";

fn db(e: rusqlite::Error) -> DrillError {
    DrillError::Db(e.to_string())
}

/// Whether an error is SQLite's "busy / locked": worth retrying.
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Creates `path` with mode 0600 if it does not exist; refuses a symbolic link.
fn create_private(path: &Path) -> Result<(), DrillError> {
    let io = |e: std::io::Error| DrillError::Io(format!("{}: {e}", path.display()));
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(DrillError::Io(format!(
            "{}: is a symbolic link; give the real path",
            path.display()
        ))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            super::private_file(path, false).map_err(io).map(drop)
        }
        Err(e) => Err(io(e)),
    }
}

impl Store {
    /// Opens (creating if needed, mode 0600) the database and its schema.
    pub fn open(path: &Path) -> Result<Store, DrillError> {
        create_private(path)?;
        let conn = Connection::open(path)
            .map_err(|e| DrillError::Db(format!("{}: {e}", path.display())))?;
        let store = Store { conn };
        store.prepare_schema().map_err(|e| match e {
            DrillError::Db(m) => DrillError::Db(format!("{}: {m}", path.display())),
            other => other,
        })?;
        Ok(store)
    }

    /// Opens the database for `drill serve`: WAL mode, no waiting on locks (the writer retries),
    /// and a write at once, so that a database that cannot be written is found at start.
    pub fn open_for_writing(path: &Path) -> Result<Store, DrillError> {
        let store = Store::open(path)?;
        let fail = |e: rusqlite::Error| {
            DrillError::Db(format!(
                "{}: cannot write the click database: {e}",
                path.display()
            ))
        };
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(fail)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(DrillError::Db(format!(
                "{}: cannot write the click database (journal mode stays `{mode}`)",
                path.display()
            )));
        }
        store
            .conn
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('opened_by_serve', ?1)",
                params![super::unix_now().to_string()],
            )
            .map_err(fail)?;
        store
            .conn
            .busy_timeout(std::time::Duration::ZERO)
            .map_err(fail)?;
        let _ = store.conn.pragma_update(None, "synchronous", "NORMAL");
        Ok(store)
    }

    fn prepare_schema(&self) -> Result<(), DrillError> {
        self.conn
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db)?;
        self.conn.execute_batch(SCHEMA).map_err(db)?;
        let have: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT name FROM pragma_table_info('clicks')")
                .map_err(db)?;
            stmt.query_map([], |r| r.get(0))
                .map_err(db)?
                .collect::<Result<_, _>>()
                .map_err(db)?
        };
        for (name, decl) in ADDED_COLUMNS {
            if !have.iter().any(|h| h == name) {
                self.conn
                    .execute_batch(&format!("ALTER TABLE clicks ADD COLUMN {name} {decl}"))
                    .map_err(db)?;
            }
        }
        Ok(())
    }

    /// Records one click: a repeat of a known (token, method, address, user agent) counts on its
    /// row; a token has at most [`MAX_ROWS_PER_TOKEN`] rows per method plus one for other clients.
    pub fn record(&mut self, campaign: &str, click: &Click) -> Result<(), rusqlite::Error> {
        let ua: String = click.user_agent.chars().take(MAX_USER_AGENT).collect();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let kind = click.kind.as_str();
        let find = |tx: &rusqlite::Transaction<'_>, ip: &str, ua: &str| {
            tx.query_row(
                "SELECT id FROM clicks WHERE campaign = ?1 AND token = ?2 AND method = ?3
                 AND ip = ?4 AND user_agent = ?5 AND kind = ?6",
                params![campaign, click.token, click.method, ip, ua, kind],
                |r| r.get::<_, i64>(0),
            )
            .optional()
        };
        let mut row = find(&tx, &click.ip, &ua)?;
        let (mut ip, mut ua) = (click.ip.clone(), ua);
        if row.is_none() {
            let rows: i64 = tx.query_row(
                "SELECT count(*) FROM clicks WHERE campaign = ?1 AND token = ?2 AND method = ?3
                 AND kind = ?4",
                params![campaign, click.token, click.method, kind],
                |r| r.get(0),
            )?;
            if rows >= MAX_ROWS_PER_TOKEN {
                ip = OTHER_CLIENTS.to_string();
                ua = String::new();
                row = find(&tx, &ip, &ua)?;
            }
        }
        match row {
            Some(id) => {
                tx.execute(
                    "UPDATE clicks SET repeats = repeats + ?2,
                     last_at = max(last_at, ?3), clicked_at = min(clicked_at, ?4) WHERE id = ?1",
                    params![id, click.repeats, click.last_at, click.clicked_at],
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO clicks (campaign, token, email, scenario, department, clicked_at,
                     user_agent, method, ip, repeats, last_at, kind)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![
                        campaign,
                        click.token,
                        click.email,
                        click.scenario,
                        click.department,
                        click.clicked_at,
                        ua,
                        click.method,
                        ip,
                        click.repeats,
                        click.last_at,
                        kind
                    ],
                )?;
            }
        }
        tx.commit()
    }

    /// Stores a report unless the same report mail was stored for the same lure already; whether
    /// it was new.
    pub fn record_report(&mut self, campaign: &str, r: &Report) -> Result<bool, DrillError> {
        let n = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO reports (campaign, token, report_key, reporter, reported_at,
                 time_from, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    campaign,
                    r.token,
                    r.report_key,
                    r.reporter,
                    r.reported_at,
                    r.time_from,
                    r.source
                ],
            )
            .map_err(db)?;
        Ok(n > 0)
    }

    /// Stores a lure's quiz answers unless answers of that lure are stored already; the answers
    /// that count (these, or the earlier ones) and whether these were new.
    pub fn record_quiz(
        &mut self,
        campaign: &str,
        a: &QuizAnswers,
    ) -> Result<(QuizAnswers, bool), rusqlite::Error> {
        let answers = a
            .answers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let ua: String = a.user_agent.chars().take(MAX_USER_AGENT).collect();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO quiz_answers (campaign, token, scenario, answers, correct,
             questions, answered_at, ip, user_agent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                campaign,
                a.token,
                a.scenario,
                answers,
                a.correct as i64,
                a.questions as i64,
                a.answered_at,
                a.ip,
                ua
            ],
        )?;
        let stored = tx.query_row(
            "SELECT token, scenario, answers, correct, questions, answered_at, ip, user_agent
             FROM quiz_answers WHERE campaign = ?1 AND token = ?2",
            params![campaign, a.token],
            quiz_row,
        )?;
        tx.commit()?;
        Ok((stored, n > 0))
    }

    /// Every lure's quiz answers of a campaign, oldest first.
    pub fn quiz_answers(&self, campaign: &str) -> Result<Vec<QuizAnswers>, DrillError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT token, scenario, answers, correct, questions, answered_at, ip, user_agent
                 FROM quiz_answers WHERE campaign = ?1 ORDER BY answered_at, id",
            )
            .map_err(db)?;
        let rows = stmt.query_map(params![campaign], quiz_row).map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }

    /// Every report of a campaign, oldest first.
    pub fn reports(&self, campaign: &str) -> Result<Vec<Report>, DrillError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT token, report_key, reporter, reported_at, time_from, source FROM reports
                 WHERE campaign = ?1 ORDER BY reported_at, id",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![campaign], |r| {
                Ok(Report {
                    token: r.get(0)?,
                    report_key: r.get(1)?,
                    reporter: r.get(2)?,
                    reported_at: r.get(3)?,
                    time_from: r.get(4)?,
                    source: r.get(5)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }

    /// Every click of a campaign (requests of the lures' links), oldest first.
    pub fn clicks(&self, campaign: &str) -> Result<Vec<Click>, DrillError> {
        self.requests(campaign, "kind = 'click'")
    }

    /// Every open of a campaign (requests of the open-tracking images: the body's and the
    /// attachments'), oldest first.
    pub fn opens(&self, campaign: &str) -> Result<Vec<Click>, DrillError> {
        self.requests(campaign, "kind <> 'click'")
    }

    fn requests(&self, campaign: &str, which: &str) -> Result<Vec<Click>, DrillError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT token, email, scenario, department, clicked_at, user_agent, method, ip,
                 repeats, last_at, kind FROM clicks WHERE campaign = ?1 AND {which}
                 ORDER BY clicked_at, id"
            ))
            .map_err(db)?;
        let rows = stmt
            .query_map(params![campaign], |r| {
                let clicked_at: i64 = r.get(4)?;
                let last_at: i64 = r.get(9)?;
                Ok(Click {
                    token: r.get(0)?,
                    email: r.get(1)?,
                    scenario: r.get(2)?,
                    department: r.get(3)?,
                    clicked_at,
                    user_agent: r.get(5)?,
                    method: r.get(6)?,
                    ip: r.get(7)?,
                    repeats: r.get(8)?,
                    last_at: last_at.max(clicked_at),
                    kind: Kind::parse(&r.get::<_, String>(10)?),
                })
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }
}

fn quiz_row(r: &rusqlite::Row<'_>) -> Result<QuizAnswers, rusqlite::Error> {
    let answers: String = r.get(2)?;
    let count = |i: usize| -> Result<usize, rusqlite::Error> {
        Ok(usize::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
    };
    Ok(QuizAnswers {
        token: r.get(0)?,
        scenario: r.get(1)?,
        answers: answers
            .split(',')
            .filter_map(|a| a.trim().parse().ok())
            .collect(),
        correct: count(3)?,
        questions: count(4)?,
        answered_at: r.get(5)?,
        ip: r.get(6)?,
        user_agent: r.get(7)?,
    })
}

/// The spill file of a database: clicks that could not be stored in it, one JSON object a line.
pub fn spill_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push("-unstored.jsonl");
    db.with_file_name(name)
}

#[derive(Serialize, Deserialize)]
struct Spilled {
    campaign: String,
    #[serde(flatten)]
    click: Click,
}

/// Appends a click to the spill file (created mode 0600).
pub fn spill(db: &Path, campaign: &str, click: &Click) -> std::io::Result<()> {
    let path = spill_path(db);
    let mut f = super::private_file(&path, true)?;
    let line = serde_json::to_string(&Spilled {
        campaign: campaign.to_string(),
        click: click.clone(),
    })
    .map_err(std::io::Error::other)?;
    f.write_all(format!("{line}\n").as_bytes())
}

/// The clicks of a campaign in the spill file (none when there is no file); lines that do not
/// parse are counted in the second value.
pub fn spilled(db: &Path, campaign: &str) -> (Vec<Click>, usize) {
    let Ok(text) = std::fs::read_to_string(spill_path(db)) else {
        return (Vec::new(), 0);
    };
    let mut out = Vec::new();
    let mut bad = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<Spilled>(line) {
            Ok(s) if s.campaign == campaign => out.push(s.click),
            Ok(_) => {}
            Err(_) => bad += 1,
        }
    }
    (out, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn click(token: &str, ua: &str, ip: &str, at: i64) -> Click {
        Click {
            token: token.into(),
            email: "a@example.co.jp".into(),
            scenario: "s".into(),
            department: "IT".into(),
            clicked_at: at,
            user_agent: ua.into(),
            method: "GET".into(),
            ip: ip.into(),
            repeats: 1,
            last_at: at,
            kind: Kind::Click,
        }
    }

    #[test]
    fn opens_are_kept_apart_from_clicks() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.sqlite");
        let mut s = Store::open(&db).unwrap();
        let mut open = click("t1", "same", "10.0.0.1", 100);
        open.kind = Kind::Open;
        let mut attachment = click("t1", "same", "10.0.0.1", 100);
        attachment.kind = Kind::Attachment;
        for c in [
            &click("t1", "same", "10.0.0.1", 100),
            &open,
            &attachment,
            &open,
        ] {
            s.record("c", c).unwrap();
        }
        let clicks = s.clicks("c").unwrap();
        assert_eq!(clicks.len(), 1);
        assert_eq!(clicks[0].kind, Kind::Click);
        let opens = s.opens("c").unwrap();
        assert_eq!(opens.len(), 2, "{opens:?}");
        assert!(opens.iter().any(|o| o.kind == Kind::Open && o.repeats == 2));
        assert!(
            opens
                .iter()
                .any(|o| o.kind == Kind::Attachment && o.repeats == 1)
        );
        // The spill file keeps the kind; lines from before it was there are clicks.
        spill(&db, "c", &open).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(spill_path(&db))
            .unwrap()
            .write_all(b"{\"campaign\":\"c\",\"token\":\"t2\",\"email\":\"e\",\"scenario\":\"s\",\"department\":\"d\",\"clicked_at\":1,\"user_agent\":\"u\",\"method\":\"GET\",\"ip\":\"1\",\"repeats\":1,\"last_at\":1}\n")
            .unwrap();
        let (spilled, bad) = spilled(&db, "c");
        assert_eq!(bad, 0);
        assert_eq!(
            spilled.iter().map(|c| c.kind).collect::<Vec<_>>(),
            [Kind::Open, Kind::Click]
        );
    }

    #[test]
    fn clicks_round_trip_per_campaign() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite");
        {
            let mut s = Store::open(&path).unwrap();
            s.record("c1", &click("t1", &"x".repeat(2000), "1", 100))
                .unwrap();
            s.record("c2", &click("t1", "y", "1", 100)).unwrap();
        }
        let s = Store::open(&path).unwrap();
        let got = s.clicks("c1").unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].user_agent.len(), MAX_USER_AGENT);
        assert_eq!(got[0].email, "a@example.co.jp");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn repeats_count_on_one_row_and_rows_per_token_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_for_writing(&dir.path().join("d.sqlite")).unwrap();
        for n in 0..1000 {
            s.record("c", &click("t1", "same", "10.0.0.1", 100 + n))
                .unwrap();
        }
        for n in 0..100 {
            s.record("c", &click("t1", &format!("ua{n}"), "10.0.0.2", 5000))
                .unwrap();
        }
        let mut head = click("t1", "same", "10.0.0.1", 50);
        head.method = "HEAD".into();
        s.record("c", &head).unwrap();
        let got = s.clicks("c").unwrap();
        assert_eq!(got.len() as i64, MAX_ROWS_PER_TOKEN + 2, "{got:#?}");
        let same = got
            .iter()
            .find(|c| c.user_agent == "same" && c.method == "GET");
        let same = same.unwrap();
        assert_eq!(
            (same.repeats, same.clicked_at, same.last_at),
            (1000, 100, 1099)
        );
        let other = got.iter().find(|c| c.ip == OTHER_CLIENTS).unwrap();
        // 100 agents: 15 rows of their own (the first row is "same"), 85 counted together.
        assert_eq!(other.repeats, 85);
        assert_eq!(got.iter().map(|c| c.repeats).sum::<u32>(), 1101);
        assert_eq!(got.iter().filter(|c| c.method == "HEAD").count(), 1);
    }

    #[test]
    fn an_old_database_gets_the_new_columns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "CREATE TABLE clicks (id INTEGER PRIMARY KEY, campaign TEXT NOT NULL,
                 token TEXT NOT NULL, email TEXT NOT NULL, scenario TEXT NOT NULL,
                 department TEXT NOT NULL, clicked_at INTEGER NOT NULL, user_agent TEXT NOT NULL);
                 INSERT INTO clicks VALUES (1, 'c', 't', 'e', 's', 'd', 100, 'ua');",
            )
            .unwrap();
        }
        let s = Store::open(&path).unwrap();
        let got = s.clicks("c").unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].method.as_str(), got[0].repeats, got[0].last_at),
            ("GET", 1, 100)
        );
    }

    #[test]
    fn a_report_is_stored_once_per_lure_and_report_mail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite");
        let r = |token: &str, key: &str, at: i64| Report {
            token: token.into(),
            report_key: key.into(),
            reporter: "a@example.co.jp".into(),
            reported_at: at,
            time_from: "date".into(),
            source: "box:0".into(),
        };
        let mut s = Store::open(&path).unwrap();
        assert!(s.record_report("c", &r("t1", "<m1@x>", 200)).unwrap());
        assert!(!s.record_report("c", &r("t1", "<m1@x>", 200)).unwrap());
        assert!(s.record_report("c", &r("t1", "<m2@x>", 100)).unwrap());
        assert!(s.record_report("c2", &r("t1", "<m1@x>", 200)).unwrap());
        let got = s.reports("c").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].reported_at, 100, "oldest first");
        // An old database (clicks only) gets the table when opened.
        let old = dir.path().join("old.sqlite");
        Connection::open(&old)
            .unwrap()
            .execute_batch("CREATE TABLE clicks (id INTEGER PRIMARY KEY, campaign TEXT NOT NULL, token TEXT NOT NULL, email TEXT NOT NULL, scenario TEXT NOT NULL, department TEXT NOT NULL, clicked_at INTEGER NOT NULL, user_agent TEXT NOT NULL);")
            .unwrap();
        let mut s = Store::open(&old).unwrap();
        assert!(s.record_report("c", &r("t1", "k", 1)).unwrap());
    }

    #[test]
    fn the_first_quiz_answers_of_a_lure_count_and_later_ones_are_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("d.sqlite")).unwrap();
        let a = |answers: Vec<usize>, correct: usize, at: i64| QuizAnswers {
            token: "t1".into(),
            scenario: "s".into(),
            answers,
            correct,
            questions: 3,
            answered_at: at,
            ip: "10.0.0.1".into(),
            user_agent: "x".repeat(2000),
        };
        let (first, new) = s.record_quiz("c", &a(vec![2, 1, 3], 1, 100)).unwrap();
        assert!(new);
        assert_eq!(first.answers, vec![2, 1, 3]);
        assert_eq!(first.user_agent.len(), MAX_USER_AGENT);
        let (kept, new) = s.record_quiz("c", &a(vec![1, 1, 1], 3, 200)).unwrap();
        assert!(!new);
        assert_eq!(kept, first, "the first answers stay");
        assert!(s.record_quiz("c2", &a(vec![1, 1, 1], 3, 200)).unwrap().1);
        let got = s.quiz_answers("c").unwrap();
        assert_eq!(got, vec![first]);
    }

    #[test]
    fn spilled_clicks_read_back_per_campaign() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.sqlite");
        spill(&db, "c1", &click("t1", "u", "1", 1)).unwrap();
        spill(&db, "c2", &click("t2", "u", "1", 1)).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(spill_path(&db))
            .unwrap()
            .write_all(b"not json\n")
            .unwrap();
        let (got, bad) = spilled(&db, "c1");
        assert_eq!((got.len(), bad), (1, 1));
        assert_eq!(got[0].token, "t1");
    }
}
