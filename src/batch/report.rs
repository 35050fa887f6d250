//! What a batch scan reports: one line per message (JSON Lines, CSV) and the totals over the run
//! (the `summary` format and the HTML report).

use super::inputs::Location;
use crate::finding::Verdict;
use crate::lang::Lang;
use crate::render;
use crate::score::Report;
use crate::text::hidden::visible;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::time::Duration;

/// The facts about one scanned message that the totals need.
#[derive(Debug, Clone)]
pub struct Record {
    pub location: String,
    pub message_id: Option<String>,
    pub date: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    /// The domain of the From address, lower-cased, as the message layer counts it.
    pub from_domain: Option<String>,
    /// The To addresses, domains lower-cased, as the message layer counts them.
    pub recipients: Vec<String>,
    pub subject: Option<String>,
    pub verdict: Verdict,
    pub score: f64,
    /// Each rule once, in the order first seen.
    pub rules: Vec<String>,
    /// The reason of each rule's first finding, in the report's language.
    pub reasons: Vec<String>,
}

impl Record {
    pub fn new(report: &Report, location: &Location, lang: Lang) -> Self {
        let mut rules: Vec<String> = Vec::new();
        let mut reasons = Vec::new();
        for f in &report.findings {
            if !rules.contains(&f.rule) {
                rules.push(f.rule.clone());
                reasons.push(f.reason(lang).to_string());
            }
        }
        let s = &report.summary;
        Record {
            location: location.display(),
            message_id: s.message_id.clone(),
            date: s.date.clone(),
            from: s.from.clone(),
            to: s.to.clone(),
            from_domain: s.from_domain.clone(),
            recipients: s.to_addresses.clone(),
            subject: s.subject.clone(),
            verdict: report.verdict,
            score: report.score,
            rules,
            reasons,
        }
    }
}

/// The JSON report of the single-file `scan`, plus `location` and the rule ids.
pub fn json(report: &Report, location: &Location, lang: Lang) -> Value {
    let mut v = render::json::report(report, &location.source, lang);
    if let Value::Object(map) = &mut v {
        map.insert("location".into(), Value::String(location.display()));
        let rules = report
            .rule_scores()
            .into_iter()
            .map(|(r, _)| Value::String(r.to_string()))
            .collect();
        map.insert("rules".into(), Value::Array(rules));
    }
    v
}

/// The JSON object for a message or file that could not be scanned.
pub fn json_error(location: &Location, message: &str) -> Value {
    let mut v = render::json::error(&location.source, message);
    if let Value::Object(map) = &mut v {
        map.insert("location".into(), Value::String(location.display()));
    }
    v
}

/// CSV columns, in order.
pub const CSV_HEADER: [&str; 11] = [
    "location",
    "source",
    "message_id",
    "date",
    "from",
    "to",
    "subject",
    "verdict",
    "score",
    "rules",
    "error",
];

/// One CSV row, ending in a newline. Quoting follows RFC 4180 (the `csv` crate); a cell that a
/// spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, CR at its start) gets a `'` in
/// front, so a subject like `=HYPERLINK(...)` stays text.
pub fn csv_row(record: Option<&Record>, location: &Location, error: Option<&str>) -> String {
    let cells: Vec<String> = match record {
        Some(r) => vec![
            r.location.clone(),
            location.source.clone(),
            r.message_id.clone().unwrap_or_default(),
            r.date.clone().unwrap_or_default(),
            r.from.clone().unwrap_or_default(),
            r.to.join("; "),
            r.subject.clone().unwrap_or_default(),
            r.verdict.as_str().to_string(),
            format!("{:.1}", r.score),
            r.rules.join(" "),
            String::new(),
        ],
        None => {
            let mut cells = vec![String::new(); CSV_HEADER.len()];
            cells[0] = location.display();
            cells[1] = location.source.clone();
            cells[10] = error.unwrap_or_default().to_string();
            cells
        }
    };
    csv_line(cells.iter().map(|c| defuse_formula(c)))
}

pub fn csv_header() -> String {
    csv_line(CSV_HEADER.iter().map(|c| c.to_string()))
}

fn csv_line(cells: impl Iterator<Item = String>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let cells: Vec<String> = cells.collect();
    // Writing strings into a Vec cannot fail.
    let _ = w.write_record(&cells);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn defuse_formula(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Distinct keys kept per tally; later keys are counted under `(other)`.
const MAX_KEYS: usize = 50_000;
/// Flagged messages kept for the HTML table.
pub const MAX_ROWS: usize = 5_000;

/// A count per key with a bound on the number of keys.
#[derive(Debug, Default, Clone)]
pub struct Tally(HashMap<String, u64>);

impl Tally {
    pub fn add(&mut self, key: &str) {
        if let Some(n) = self.0.get_mut(key) {
            *n += 1;
        } else if self.0.len() < MAX_KEYS {
            self.0.insert(key.to_string(), 1);
        } else {
            *self.0.entry("(other)".into()).or_default() += 1;
        }
    }

    /// The `n` largest counts, ties by key.
    pub fn top(&self, n: usize) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = self.0.iter().map(|(k, c)| (k.as_str(), *c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Totals over a run.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    pub messages: u64,
    pub bytes: u64,
    /// Per verdict, in `Verdict` order: clean, warn, quarantine, reject.
    pub verdicts: [u64; 4],
    pub errors: u64,
    /// Messages per rule (each message counted once per rule), over all messages.
    pub rules: Tally,
    /// From domains of flagged messages (warn and above).
    pub domains: Tally,
    /// To addresses of flagged messages.
    pub recipients: Tally,
    /// Flagged messages per day (`YYYY-MM-DD` of their Date), per verdict warn/quarantine/reject.
    pub per_day: BTreeMap<String, [u64; 3]>,
    /// Flagged messages at or above the `--only` verdict, the first `MAX_ROWS` of them.
    pub flagged: Vec<Record>,
    pub flagged_total: u64,
    pub slowest: Option<(String, Duration)>,
    pub elapsed: Duration,
    /// The first `MAX_ERROR_DETAILS` inputs that could not be read or scanned: location, why.
    pub error_details: Vec<(String, String)>,
}

/// Errors listed one by one in `--summary-json` (all are counted).
pub const MAX_ERROR_DETAILS: usize = 100;

/// Totals of one path given on the command line.
#[derive(Debug, Default, Clone)]
pub struct InputTotals {
    pub messages: u64,
    pub bytes: u64,
    /// Per verdict, in `Verdict` order.
    pub verdicts: [u64; 4],
    pub errors: u64,
}

impl InputTotals {
    pub fn add(&mut self, verdict: Verdict, size: u64) {
        self.messages += 1;
        self.bytes += size;
        if let Some(n) = self.verdicts.get_mut(verdict as usize) {
            *n += 1;
        }
    }
}

impl Totals {
    /// Counts one scanned message; `show` says whether it passes `--only` (for the table).
    pub fn add(&mut self, r: &Record, size: u64, took: Duration, show: bool) {
        self.messages += 1;
        self.bytes += size;
        if let Some(n) = self.verdicts.get_mut(r.verdict as usize) {
            *n += 1;
        }
        for rule in &r.rules {
            self.rules.add(rule);
        }
        if self.slowest.as_ref().is_none_or(|(_, t)| took > *t) {
            self.slowest = Some((r.location.clone(), took));
        }
        if r.verdict < Verdict::Warn {
            return;
        }
        if let Some(d) = &r.from_domain {
            self.domains.add(d);
        }
        for to in &r.recipients {
            self.recipients.add(to);
        }
        if let Some(day) = r.date.as_deref().and_then(day_of) {
            let slot = (r.verdict as usize).saturating_sub(1).min(2);
            if let Some(n) = self
                .per_day
                .entry(day.to_string())
                .or_default()
                .get_mut(slot)
            {
                *n += 1;
            }
            if self.per_day.len() > MAX_KEYS {
                self.per_day.pop_first();
            }
        }
        if show {
            self.flagged_total += 1;
            if self.flagged.len() < MAX_ROWS {
                self.flagged.push(r.clone());
            }
        }
    }

    /// Counts an input that could not be read or scanned.
    pub fn error(&mut self, location: &str, message: &str) {
        self.errors += 1;
        if self.error_details.len() < MAX_ERROR_DETAILS {
            self.error_details
                .push((location.to_string(), message.to_string()));
        }
    }

    pub fn flagged_count(&self) -> u64 {
        self.verdicts.iter().skip(1).sum()
    }
}

/// `2024-01-01` from an RFC 3339 date.
pub fn day_of(date: &str) -> Option<&str> {
    let day = date.get(..10)?;
    let b = day.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    ok.then_some(day)
}

/// Labels of the summary and the HTML report.
pub struct Labels {
    pub title: &'static str,
    pub messages: &'static str,
    pub flagged: &'static str,
    pub errors: &'static str,
    pub errors_short: &'static str,
    pub verdicts: &'static str,
    pub rules: &'static str,
    pub domains: &'static str,
    pub recipients: &'static str,
    pub timeline: &'static str,
    pub table: &'static str,
    pub slowest: &'static str,
    pub verdict: &'static str,
    pub score: &'static str,
    pub date: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub subject: &'static str,
    pub location: &'static str,
    pub reasons: &'static str,
    pub count: &'static str,
    pub none: &'static str,
    pub more_rows: &'static str,
    pub generated: &'static str,
    pub sort_hint: &'static str,
    pub no_date: &'static str,
}

pub fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::En => Labels {
            title: "lurescreen batch report",
            messages: "Messages",
            flagged: "Flagged (warn and above)",
            errors: "Could not be scanned",
            errors_short: "errors",
            verdicts: "Verdicts",
            rules: "Rules by frequency",
            domains: "Top sending domains of flagged messages",
            recipients: "Recipients who got the most flagged messages",
            timeline: "Flagged messages per day",
            table: "Flagged messages",
            slowest: "Slowest message",
            verdict: "Verdict",
            score: "Score",
            date: "Date",
            from: "From",
            to: "To",
            subject: "Subject",
            location: "Location",
            reasons: "Reasons",
            count: "Messages",
            none: "none",
            more_rows: "more flagged messages are not listed here; use --format json or csv for all of them",
            generated: "Generated",
            sort_hint: "Click a column heading to sort.",
            no_date: "no flagged message has a readable Date",
        },
        Lang::Ja => Labels {
            title: "lurescreen 一括スキャン報告",
            messages: "メール数",
            flagged: "要注意以上",
            errors: "スキャンできなかったもの",
            errors_short: "エラー",
            verdicts: "判定の内訳",
            rules: "検出ルール（件数順）",
            domains: "要注意メールの送信元ドメイン（上位）",
            recipients: "要注意メールを多く受け取った宛先",
            timeline: "日ごとの要注意メール",
            table: "要注意メール一覧",
            slowest: "最も時間のかかったメール",
            verdict: "判定",
            score: "スコア",
            date: "日付",
            from: "差出人",
            to: "宛先",
            subject: "件名",
            location: "場所",
            reasons: "理由",
            count: "件数",
            none: "なし",
            more_rows: "件の要注意メールはここに載せていません。すべて見るには --format json または csv を使ってください",
            generated: "作成日時",
            sort_hint: "列見出しをクリックすると並べ替えます。",
            no_date: "日付の読める要注意メールはありません",
        },
    }
}

/// The `summary` format: counts per verdict, top rules, domains and recipients.
pub fn summary(t: &Totals, lang: Lang) -> String {
    let l = labels(lang);
    let mut out = String::new();
    let secs = t.elapsed.as_secs_f64().max(1e-9);
    let mb = t.bytes as f64 / 1e6;
    let _ = writeln!(
        out,
        "{}: {} ({mb:.1} MB, {:.1} s: {:.0} msgs/s, {:.1} MB/s)",
        l.messages,
        t.messages,
        secs,
        t.messages as f64 / secs,
        mb / secs
    );
    let counts: Vec<String> = [
        Verdict::Clean,
        Verdict::Warn,
        Verdict::Quarantine,
        Verdict::Reject,
    ]
    .iter()
    .map(|v| format!("{} {}", v.label(lang), t.verdicts[*v as usize]))
    .collect();
    let _ = writeln!(
        out,
        "  {}, {} {}",
        counts.join(", "),
        l.errors_short,
        t.errors
    );
    let mut section = |title: &str, rows: Vec<(&str, u64)>| {
        let _ = writeln!(out, "{title}:");
        if rows.is_empty() {
            let _ = writeln!(out, "  ({})", l.none);
        }
        let width = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, n) in rows {
            let _ = writeln!(out, "  {:<width$}  {n:>7}", visible(k));
        }
    };
    section(l.rules, t.rules.top(20));
    section(l.domains, t.domains.top(10));
    section(l.recipients, t.recipients.top(10));
    if let Some((loc, took)) = &t.slowest {
        let _ = writeln!(
            out,
            "{}: {} ({:.1} ms)",
            l.slowest,
            visible(loc),
            took.as_secs_f64() * 1000.0
        );
    }
    out
}

/// `{"clean": n, "warn": n, "quarantine": n, "reject": n}`.
fn verdict_counts(counts: &[u64; 4]) -> Value {
    let mut map = serde_json::Map::new();
    for (v, n) in [
        Verdict::Clean,
        Verdict::Warn,
        Verdict::Quarantine,
        Verdict::Reject,
    ]
    .iter()
    .zip(counts)
    {
        map.insert(v.as_str().into(), Value::from(*n));
    }
    Value::Object(map)
}

/// `{"key": count, ...}`, largest first.
fn tally_object(tally: &Tally, n: usize) -> Value {
    Value::Object(
        tally
            .top(n)
            .into_iter()
            .map(|(k, c)| (k.to_string(), Value::from(c)))
            .collect(),
    )
}

/// Rules, sending domains and recipients listed in `--summary-json`, at most.
const SUMMARY_JSON_TOP: usize = 50;

/// The `--summary-json` document: the run's totals for cron jobs, systemd timers and SIEMs
/// (schema in the README, "Batch scanning").
pub fn summary_json(
    t: &Totals,
    inputs: &[std::path::PathBuf],
    per_input: &[InputTotals],
    stopped: bool,
    exit_code: i32,
) -> Value {
    let secs = t.elapsed.as_secs_f64();
    let inputs: Vec<Value> = inputs
        .iter()
        .zip(per_input)
        .map(|(path, it)| {
            serde_json::json!({
                "path": path.display().to_string(),
                "messages": it.messages,
                "bytes": it.bytes,
                "verdicts": verdict_counts(&it.verdicts),
                "errors": it.errors,
            })
        })
        .collect();
    let errors: Vec<Value> = t
        .error_details
        .iter()
        .map(|(location, message)| serde_json::json!({"location": location, "error": message}))
        .collect();
    serde_json::json!({
        "version": 1,
        "program": concat!("lurescreen ", env!("CARGO_PKG_VERSION")),
        "finished": super::clock::now_rfc3339(),
        "duration_seconds": (secs * 1000.0).round() / 1000.0,
        "messages": t.messages,
        "bytes": t.bytes,
        "messages_per_second": if secs > 0.0 { (t.messages as f64 / secs).round() } else { 0.0 },
        "verdicts": verdict_counts(&t.verdicts),
        "flagged": t.flagged_count(),
        "errors": t.errors,
        "error_details": errors,
        "stopped_early": stopped,
        "exit_code": exit_code,
        "rules": tally_object(&t.rules, t.rules.len()),
        "sending_domains": tally_object(&t.domains, SUMMARY_JSON_TOP),
        "recipients": tally_object(&t.recipients, SUMMARY_JSON_TOP),
        "inputs": inputs,
    })
}

/// Refuses a `--summary-json` path that cannot be written: a folder, or in a folder that does
/// not exist.
pub fn summary_json_target(path: &std::path::Path) -> std::io::Result<()> {
    if path.is_dir() {
        return Err(std::io::Error::other("is a folder"));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if !parent.is_dir() {
        return Err(std::io::Error::other(format!(
            "folder {} does not exist",
            parent.display()
        )));
    }
    Ok(())
}

/// Writes the document whole: a temporary file in the same folder, then a rename, so a reader
/// never sees half of it.
pub fn write_summary_json(path: &std::path::Path, json: &Value) -> std::io::Result<()> {
    summary_json_target(path)?;
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("no file name"))?;
    let tmp = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut text = serde_json::to_string_pretty(json).map_err(std::io::Error::other)?;
    text.push('\n');
    let written = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(verdict: Verdict, from: &str, to: &[&str], date: &str, rules: &[&str]) -> Record {
        let written = |s: &str| crate::message::Mailbox {
            name: Some(s.to_string()),
            address: None,
        };
        Record {
            location: "x.mbox:0".into(),
            message_id: None,
            date: Some(date.into()),
            from: Some(from.into()),
            to: to.iter().map(|s| s.to_string()).collect(),
            from_domain: written(from).counted_domain(),
            recipients: to.iter().map(|s| written(s).counted_address()).collect(),
            subject: Some("s".into()),
            verdict,
            score: 5.0,
            rules: rules.iter().map(|s| s.to_string()).collect(),
            reasons: vec![],
        }
    }

    #[test]
    fn days() {
        assert_eq!(day_of("2024-01-31T10:00:00Z"), Some("2024-01-31"));
        assert_eq!(day_of("Mon, 1 Jan"), None);
        assert_eq!(day_of("2024"), None);
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let mut r = record(
            Verdict::Warn,
            "\"Doe, J\" <j@x.example>",
            &["a@x", "b@x"],
            "2024-01-01",
            &["A", "B"],
        );
        r.subject = Some("=HYPERLINK(\"http://x\",\"click\")\nline two".into());
        let row = csv_row(Some(&r), &Location::file("x.mbox"), None);
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(row.as_bytes());
        let rec = rd.records().next().unwrap().unwrap();
        assert_eq!(rec.len(), CSV_HEADER.len());
        assert_eq!(&rec[4], "\"Doe, J\" <j@x.example>");
        assert_eq!(&rec[5], "a@x; b@x");
        assert_eq!(&rec[6], "'=HYPERLINK(\"http://x\",\"click\")\nline two");
        assert_eq!(&rec[7], "warn");
        assert_eq!(&rec[9], "A B");
        let err = csv_row(None, &Location::file("bad.eml"), Some("-empty, input"));
        let rec = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(err.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(&rec[0], "bad.eml");
        assert_eq!(&rec[10], "'-empty, input");
        assert!(csv_header().starts_with("location,source,"));
    }

    #[test]
    fn totals_count_flagged_domains_recipients_and_days() {
        let mut t = Totals::default();
        let ms = Duration::from_millis(1);
        t.add(
            &record(
                Verdict::Clean,
                "a@ok.example",
                &["u@x"],
                "2024-01-01T00:00:00Z",
                &[],
            ),
            10,
            ms,
            false,
        );
        t.add(
            &record(
                Verdict::Warn,
                "B <b@Evil.example>",
                &["u@X", "v@x"],
                "2024-01-02T00:00:00Z",
                &["R1"],
            ),
            10,
            ms * 3,
            true,
        );
        t.add(
            &record(
                Verdict::Quarantine,
                "c@evil.example",
                &["u@x"],
                "2024-01-02T09:00:00Z",
                &["R1", "R2"],
            ),
            10,
            ms,
            true,
        );
        assert_eq!(t.verdicts, [1, 1, 1, 0]);
        assert_eq!(t.flagged_count(), 2);
        assert_eq!(t.rules.top(5), vec![("R1", 2), ("R2", 1)]);
        assert_eq!(t.domains.top(5), vec![("evil.example", 2)]);
        assert_eq!(t.recipients.top(1), vec![("u@x", 2)]);
        assert_eq!(t.per_day.get("2024-01-02"), Some(&[1, 1, 0]));
        assert_eq!(t.flagged.len(), 2);
        assert_eq!(t.slowest.as_ref().unwrap().1, ms * 3);
        let s = summary(&t, Lang::En);
        assert!(s.contains("clean 1, warn 1, quarantine 1, reject 0"), "{s}");
        assert!(s.contains("evil.example"), "{s}");
        let s = summary(&t, Lang::Ja);
        assert!(s.contains("要注意 1"), "{s}");
    }
}
