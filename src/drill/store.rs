//! The click database (SQLite, bundled): one row per click on a drill link.

use super::DrillError;
use rusqlite::{Connection, params};
use std::path::Path;

/// One recorded click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    pub token: String,
    pub email: String,
    pub scenario: String,
    pub department: String,
    /// Unix time.
    pub clicked_at: i64,
    pub user_agent: String,
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
";

/// User agents longer than this are cut (a client chooses what it sends).
const MAX_USER_AGENT: usize = 512;

fn db(e: rusqlite::Error) -> DrillError {
    DrillError::Db(e.to_string())
}

impl Store {
    /// Opens (creating if needed) the database and its schema.
    pub fn open(path: &Path) -> Result<Store, DrillError> {
        let conn = Connection::open(path)
            .map_err(|e| DrillError::Db(format!("{}: {e}", path.display())))?;
        conn.execute_batch(SCHEMA).map_err(db)?;
        Ok(Store { conn })
    }

    /// Records one click.
    pub fn record(&self, campaign: &str, click: &Click) -> Result<(), DrillError> {
        let ua: String = click.user_agent.chars().take(MAX_USER_AGENT).collect();
        self.conn
            .execute(
                "INSERT INTO clicks (campaign, token, email, scenario, department, clicked_at, user_agent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    campaign,
                    click.token,
                    click.email,
                    click.scenario,
                    click.department,
                    click.clicked_at,
                    ua
                ],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Every click of a campaign, oldest first.
    pub fn clicks(&self, campaign: &str) -> Result<Vec<Click>, DrillError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT token, email, scenario, department, clicked_at, user_agent FROM clicks
                 WHERE campaign = ?1 ORDER BY clicked_at, id",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![campaign], |r| {
                Ok(Click {
                    token: r.get(0)?,
                    email: r.get(1)?,
                    scenario: r.get(2)?,
                    department: r.get(3)?,
                    clicked_at: r.get(4)?,
                    user_agent: r.get(5)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_round_trip_per_campaign() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite");
        let click = Click {
            token: "t1".into(),
            email: "a@example.co.jp".into(),
            scenario: "s".into(),
            department: "IT".into(),
            clicked_at: 100,
            user_agent: "x".repeat(2000),
        };
        {
            let s = Store::open(&path).unwrap();
            s.record("c1", &click).unwrap();
            s.record("c2", &click).unwrap();
        }
        let s = Store::open(&path).unwrap();
        let got = s.clicks("c1").unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].user_agent.len(), MAX_USER_AGENT);
        assert_eq!(got[0].email, "a@example.co.jp");
    }
}
