//! The milter's log: one line per message and a line per daemon event, as `key=value` text or
//! (`--log-format json`) one JSON object per line, with every value escaped so that no sender
//! can end a line or forge a field.

use std::io::Write;
use std::sync::Arc;

/// Where log lines go: stderr by default (`log_line`).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// The sink and the format lines are written in. Every line the milter writes goes through
/// here, so that `--log-format json` makes all of them JSON.
#[derive(Clone)]
pub struct Log {
    sink: LogSink,
    /// `--log-format json`: one JSON object per line instead of `key=value` text.
    json: bool,
}

impl Default for Log {
    fn default() -> Log {
        Log {
            sink: Arc::new(log_line),
            json: false,
        }
    }
}

impl Log {
    pub fn set_sink(&mut self, sink: LogSink) {
        self.sink = sink;
    }

    pub fn set_json(&mut self, json: bool) {
        self.json = json;
    }

    /// A line about the daemon (not about one message): `{"event": …}` in JSON.
    pub fn event(&self, line: &str) {
        if self.json {
            (self.sink)(&serde_json::json!({ "event": line }).to_string());
        } else {
            (self.sink)(line);
        }
    }

    /// The line about one message: `text` as it is, or `json` as one object.
    pub fn message(&self, text: &str, json: serde_json::Value) {
        if self.json {
            (self.sink)(&json.to_string());
        } else {
            (self.sink)(text);
        }
    }
}

/// What the line about one answered message says.
pub struct MessageLine<'a> {
    /// Already escaped (`log_value`).
    pub queue_id: &'a str,
    /// `verdict=… score=… rules=…`, `error="…"` or `not scanned: …`.
    pub summary: &'a str,
    /// The verdict, rounded score and rules, when the message was scanned.
    pub scanned: Option<(crate::Verdict, f64, &'a [String])>,
    /// Why there is no verdict (for the JSON line).
    pub unscanned: Option<&'static str>,
    pub action: &'static str,
    pub client: Option<&'a str>,
    pub mail_from: Option<&'a str>,
    pub rcpts: usize,
    pub size: usize,
    pub ms: u128,
}

impl MessageLine<'_> {
    /// Writes the line to `log`.
    pub fn write(&self, log: &Log) {
        let queue_id = self.queue_id;
        let summary = self.summary;
        let action = self.action;
        let client = log_value(self.client.unwrap_or("-"));
        let from = log_value(self.mail_from.unwrap_or("").trim_matches(['<', '>']));
        let rcpts = self.rcpts;
        let size = self.size;
        let ms = self.ms;
        let text = format!(
            "qid={queue_id} {summary} action={action} client={client} from=<{from}> rcpts={rcpts} size={size} ms={ms}"
        );
        let mut json = serde_json::json!({ "qid": queue_id });
        if let Some((verdict, score, rules)) = self.scanned {
            json["verdict"] = verdict.to_string().into();
            json["score"] = score.into();
            json["rules"] = rules.to_vec().into();
        }
        if let Some(reason) = self.unscanned {
            json["unscanned"] = reason.into();
        }
        if let Some(error) = summary.strip_prefix("error=\"") {
            json["error"] = error.trim_end_matches('"').into();
        } else if let Some(why) = summary.strip_prefix("not scanned: ") {
            json["error"] = why.into();
        }
        for (key, value) in [
            ("action", serde_json::Value::from(action)),
            ("client", client.into()),
            ("from", from.into()),
            ("rcpts", rcpts.into()),
            ("size", size.into()),
            ("ms", serde_json::Value::from(ms as u64)),
        ] {
            json[key] = value;
        }
        log.message(&text, json);
    }
}

/// A log field's value with control, bidi and invisible characters and spaces written as
/// `<U+XXXX>` (as evidence is), so that no value can end the line or forge a `key=value`.
pub fn log_value(value: &str) -> String {
    value
        .split(' ')
        .map(crate::text::hidden::reveal_hidden)
        .collect::<Vec<_>>()
        .join("<U+0020>")
}

/// A quoted log value (`error="…"`): hidden characters escaped, double quotes made single.
pub fn log_error(value: &str) -> String {
    crate::text::hidden::reveal_hidden(value).replace('"', "'")
}

/// One line on stderr, prefixed so it is easy to grep; key=value pairs after it.
pub fn log_line(line: &str) {
    // Built first and written at once: stderr is unbuffered, and `writeln!` would make one
    // system call per piece of the format string.
    let line = format!("lurescreen milter: {line}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}
