//! Drill campaigns: generation is deterministic, one lure per recipient and scenario, every lure
//! is inert and caught by the filter with the rules its scenario teaches; send, serve and report.

#[path = "support/chromium.rs"]
mod chromium;
use lurescreen::drill::{self, Generated, campaign::Campaign, generate, payload, scenario};
use lurescreen::{Signatures, Verdict};
use std::path::{Path, PathBuf};
use std::process::Command;

fn example_campaign() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/drills/campaign.toml")
}

fn lurescreen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lurescreen"))
}

#[test]
fn the_example_campaign_uses_every_scenario() {
    let loaded = Campaign::load(&example_campaign()).unwrap();
    let used: Vec<&str> = loaded.scenarios().iter().map(|s| s.id.as_str()).collect();
    for s in scenario::all() {
        assert!(
            used.contains(&s.id.as_str()),
            "{} is not in the example",
            s.id
        );
    }
}

#[test]
fn generation_is_deterministic_with_one_file_per_recipient_and_scenario() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [a.path(), b.path()] {
        let out = lurescreen()
            .args(["drill", "generate", "--campaign"])
            .arg(example_campaign())
            .arg("--out")
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let loaded = Campaign::load(&example_campaign()).unwrap();
    let expected = loaded.recipients.len() * loaded.scenarios().len();
    let list = |d: &Path| {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    let (fa, fb) = (list(a.path()), list(b.path()));
    let emls = fa
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .count();
    assert_eq!(emls, expected);
    assert_eq!(fa.len(), expected + 1, "lures and manifest.json");
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.file_name(), y.file_name());
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{} differs between runs",
            x.display()
        );
    }
    let generated = Generated::load(a.path()).unwrap();
    let mut tokens: Vec<&str> = generated
        .manifest
        .entries
        .iter()
        .map(|e| e.token.as_str())
        .collect();
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), expected, "tokens are unique");
}

/// Every link of every part of a lure carries the lure's own token.
fn links_of(raw: &[u8]) -> Vec<String> {
    let msg = mail_parser::MessageParser::default().parse(raw).unwrap();
    let mut links = Vec::new();
    for part in msg.parts.iter() {
        let text = match &part.body {
            mail_parser::PartType::Text(t) | mail_parser::PartType::Html(t) => t.to_string(),
            mail_parser::PartType::Binary(b) | mail_parser::PartType::InlineBinary(b) => {
                String::from_utf8_lossy(b).into_owned()
            }
            _ => continue,
        };
        for (n, _) in text.match_indices("http") {
            let url: String = text[n..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !"\"<>)".contains(*c))
                .collect();
            links.push(url);
        }
    }
    links
}

#[test]
fn every_lure_is_caught_inert_marked_and_tokenised() {
    let loaded = Campaign::load(&example_campaign()).unwrap();
    let engine = drill::engine(
        &loaded.campaign.organisation.domains,
        Signatures::embedded().unwrap(),
    );
    let lures = generate::build(&loaded);
    assert!(!lures.is_empty());
    let mut problems = Vec::new();
    for lure in &lures {
        let what = format!("{} / {}", lure.recipient.email, lure.scenario.id);
        let judged = drill::judge(&engine, &lure.raw, lure.scenario);
        if judged.verdict < Verdict::Warn {
            problems.push(format!(
                "{what}: verdict {:?} ({:?})",
                judged.verdict, judged.rules
            ));
        }
        if !judged.missing.is_empty() {
            problems.push(format!(
                "{what}: missing {:?}, got {:?}",
                judged.missing, judged.rules
            ));
        }
        // Inert: every decoded part and the attachment as built.
        let msg = mail_parser::MessageParser::default()
            .parse(&lure.raw)
            .unwrap();
        for part in msg.parts.iter() {
            if let Some(why) = payload::active_content(part.contents()) {
                problems.push(format!("{what}: a part holds {why}"));
            }
        }
        if let Some((name, data)) = &lure.attachment
            && let Some(why) = payload::active_content(data)
        {
            problems.push(format!("{what}: attachment {name} holds {why}"));
        }
        let header = msg
            .header_raw("X-Lurescreen-Drill")
            .map(str::trim)
            .unwrap_or("");
        if header != loaded.campaign.id {
            problems.push(format!("{what}: X-Lurescreen-Drill is `{header}`"));
        }
        let links = links_of(&lure.raw);
        let own = generate::link(&loaded.campaign.landing_url, &lure.token);
        if !links.contains(&own) {
            problems.push(format!("{what}: no link to its token"));
        }
        for l in &links {
            if l.starts_with(&loaded.campaign.landing_url) && *l != own {
                problems.push(format!("{what}: link {l} without its own token"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A campaign in `dir` like the example, with these recipients and two scenarios.
fn temp_campaign(dir: &Path, recipients: &str) -> PathBuf {
    let example = std::fs::read_to_string(example_campaign()).unwrap();
    let start = example.find("scenarios = [").unwrap();
    let end = start + example[start..].find(']').unwrap() + 1;
    let text = format!(
        "{}scenarios = [\"display-url-en\", \"invoice-pdf-ja\"]{}",
        &example[..start],
        &example[end..]
    );
    let path = dir.join("campaign.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::write(dir.join("recipients.csv"), recipients).unwrap();
    path
}

fn generate_into(campaign: &Path, out: &Path) {
    let o = lurescreen()
        .args(["drill", "generate", "--campaign"])
        .arg(campaign)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// What the SMTP sink received: MAIL FROM, RCPT TO and DATA of each transaction.
#[derive(Debug, Clone, Default)]
struct Received {
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

/// A minimal SMTP server on loopback that accepts everything and records it.
fn smtp_sink() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<Received>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let store = got.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            let store = store.clone();
            std::thread::spawn(move || {
                let mut w = conn.try_clone().unwrap();
                let mut r = BufReader::new(conn);
                let _ = w.write_all(b"220 sink ESMTP\r\n");
                let mut cur = Received::default();
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("MAIL FROM:") {
                        cur = Received {
                            from: line[10..].trim().to_string(),
                            ..Default::default()
                        };
                        b"250 ok\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        cur.to.push(line[8..].trim().to_string());
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        let _ = w.write_all(b"354 go on\r\n");
                        let mut data = Vec::new();
                        loop {
                            let mut l = Vec::new();
                            if r.read_until(b'\n', &mut l).unwrap_or(0) == 0 {
                                return;
                            }
                            if l == b".\r\n" {
                                break;
                            }
                            data.extend_from_slice(&l);
                        }
                        cur.data = data;
                        store.lock().unwrap().push(std::mem::take(&mut cur));
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n");
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(reply);
                }
            });
        }
    });
    (port, got)
}

fn send(campaign: &Path, out: &Path, port: u16, yes: bool) -> std::process::Output {
    let mut cmd = lurescreen();
    cmd.args([
        "drill",
        "send",
        "--rate",
        "6000",
        "--smtp-host",
        "127.0.0.1",
    ])
    .arg("--smtp-port")
    .arg(port.to_string())
    .arg("--campaign")
    .arg(campaign)
    .arg("--out")
    .arg(out);
    if yes {
        cmd.arg("--yes");
    }
    cmd.output().unwrap()
}

#[test]
fn send_is_a_dry_run_unless_confirmed_then_delivers_every_lure() {
    let dir = tempfile::tempdir().unwrap();
    let campaign = temp_campaign(
        dir.path(),
        "name,email,department\nA One,a.one@example.co.jp,Sales\nB Two,b.two@mail.example.co.jp,IT\n",
    );
    let out = dir.path().join("out");
    generate_into(&campaign, &out);
    let (port, got) = smtp_sink();

    let dry = send(&campaign, &out, port, false);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(text.contains("dry run"), "{text}");
    assert!(text.contains("b.two@mail.example.co.jp"), "{text}");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(got.lock().unwrap().is_empty(), "a dry run sent mail");
    assert!(!out.join("sent.csv").exists());

    let real = send(&campaign, &out, port, true);
    assert!(
        real.status.success(),
        "{}",
        String::from_utf8_lossy(&real.stderr)
    );
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 4, "2 recipients × 2 scenarios");
    let manifest = Generated::load(&out).unwrap().manifest;
    for (r, e) in got.iter().zip(&manifest.entries) {
        assert_eq!(r.from, "<drill-admin@example.co.jp>");
        assert_eq!(r.to, [format!("<{}>", e.email)]);
        let data = String::from_utf8_lossy(&r.data);
        assert!(
            data.contains("X-Lurescreen-Drill: 2026-12-example\r\n"),
            "{data}"
        );
        assert!(data.contains(&e.token));
    }
    let sent = std::fs::read_to_string(out.join("sent.csv")).unwrap();
    assert_eq!(sent.lines().count(), 4);
}

#[test]
fn send_refuses_recipients_outside_the_campaign_domains_before_sending_anything() {
    let dir = tempfile::tempdir().unwrap();
    let campaign = temp_campaign(
        dir.path(),
        "name,email\nIn Side,in.side@example.co.jp\nOut Side,someone@gmail.com\nLook Alike,x@badexample.co.jp\n",
    );
    let out = dir.path().join("out");
    generate_into(&campaign, &out);
    let (port, got) = smtp_sink();
    let o = send(&campaign, &out, port, true);
    assert_eq!(o.status.code(), Some(64));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("refusing to send"), "{err}");
    assert!(err.contains("someone@gmail.com"), "{err}");
    assert!(err.contains("x@badexample.co.jp"), "{err}");
    assert!(!err.contains("in.side@"), "{err}");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(got.lock().unwrap().is_empty());
}

/// One HTTP/1.1 GET on loopback: status code and body.
fn http_get(addr: std::net::SocketAddr, path: &str, user_agent: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: {user_agent}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Generates a small campaign into `dir/out` and starts `drill serve` on a loopback port.
fn start_server(dir: &Path) -> (std::net::SocketAddr, Generated, PathBuf) {
    let campaign = temp_campaign(
        dir,
        "name,email,department,name_ja\nA One,a.one@example.co.jp,Sales,一 太郎\nB Two,b.two@example.co.jp,IT,\n",
    );
    let out = dir.join("out");
    generate_into(&campaign, &out);
    let generated = Generated::load(&out).unwrap();
    let db = dir.join("drill.sqlite");
    let served = drill::serve::Served {
        engine: drill::engine(&generated.manifest.domains, Signatures::embedded().unwrap()),
        generated: generated.clone(),
        store: std::sync::Mutex::new(drill::store::Store::open(&db).unwrap()),
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || drill::serve::serve(listener, std::sync::Arc::new(served)));
    (addr, generated, db)
}

#[test]
fn a_click_is_recorded_and_answered_with_the_debrief_of_that_lure() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, generated, db) = start_server(dir.path());
    let entry = generated
        .manifest
        .entries
        .iter()
        .find(|e| e.scenario == "invoice-pdf-ja" && e.email.starts_with("a.one"))
        .unwrap();
    let (status, body) = http_get(addr, &format!("/t/{}", entry.token), "DrillTest/1.0");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("これは標的型攻撃メールの訓練でした"),
        "{body}"
    );
    // The very lure: its subject, its attachment, and the rule it teaches, in the staff's words.
    assert!(body.contains("請求書送付のご案内"), "{body}");
    assert!(body.contains("請求書_12月分.pdf"), "{body}");
    let rule = Signatures::embedded()
        .unwrap()
        .rule("PDF_SINGLE_LINK_LURE")
        .unwrap()
        .clone();
    let first_line = rule.explain_ja.trim().lines().next().unwrap();
    assert!(body.contains(first_line), "{body}");
    assert!(!body.to_ascii_lowercase().contains("<script"));
    // The lure was delivered on purpose: no "held by the filter" verdict box on the debrief.
    assert!(!body.contains("class=\"verdict"), "{body}");

    let (status, _) = http_get(addr, &format!("/t/{}", entry.token), "DrillTest/2.0");
    assert_eq!(status, 200);
    let store = drill::store::Store::open(&db).unwrap();
    let clicks = store.clicks(&generated.manifest.campaign).unwrap();
    assert_eq!(clicks.len(), 2, "one row per click");
    assert_eq!(clicks[0].email, "a.one@example.co.jp");
    assert_eq!(clicks[0].scenario, "invoice-pdf-ja");
    assert_eq!(clicks[0].department, "Sales");
    assert_eq!(clicks[0].user_agent, "DrillTest/1.0");
    assert!(clicks[0].clicked_at > 1_700_000_000);

    // An English scenario gets an English page.
    let en = generated
        .manifest
        .entries
        .iter()
        .find(|e| e.scenario == "display-url-en")
        .unwrap();
    let (status, body) = http_get(addr, &format!("/t/{}", en.token), "x");
    assert_eq!(status, 200);
    assert!(body.contains("This was a security drill"), "{body}");
    assert!(
        body.contains("hxxp://drill[.]awareness[.]example"),
        "{body}"
    );
}

#[test]
fn unknown_tokens_and_other_paths_get_a_bare_404() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, generated, db) = start_server(dir.path());
    for path in [
        "/t/000000000000000000000000",
        "/t/not-a-token",
        "/t/..%2f..%2fetc%2fpasswd",
        "/",
        "/manifest.json",
    ] {
        let (status, body) = http_get(addr, path, "x");
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains(&generated.manifest.campaign),
            "{path}: {body}"
        );
        assert!(!body.contains("example.co.jp"), "{path}: {body}");
    }
    let store = drill::store::Store::open(&db).unwrap();
    assert!(
        store
            .clicks(&generated.manifest.campaign)
            .unwrap()
            .is_empty()
    );
}

/// The landing page rendered in headless Chromium (skipped without Chromium).
#[test]
fn the_landing_page_renders_in_headless_chromium() {
    let Some(chromium) = chromium::find() else {
        eprintln!("skipped: no chromium on PATH (apt-get install -y chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (addr, generated, _) = start_server(dir.path());
    let entry = &generated.manifest.entries[0];
    chromium::screenshot(
        chromium,
        &format!("http://{addr}/t/{}", entry.token),
        dir.path(),
        "landing",
        "1200,1600",
    );
}

/// A small campaign with a send log and clicks at known times: sent 4 (2 people × 2 scenarios),
/// clicked 2, one of them twice.
fn report_fixture(dir: &Path) -> (PathBuf, PathBuf) {
    let campaign = temp_campaign(
        dir,
        "name,email,department\nA One,a.one@example.co.jp,Sales\nB Two,b.two@example.co.jp,IT\n",
    );
    let out = dir.join("out");
    generate_into(&campaign, &out);
    let generated = Generated::load(&out).unwrap();
    let e = &generated.manifest.entries;
    let sent: String = e
        .iter()
        .map(|x| format!("{},1800000000\n", x.token))
        .collect();
    std::fs::write(out.join("sent.csv"), sent).unwrap();
    let db = dir.join("drill.sqlite");
    let store = drill::store::Store::open(&db).unwrap();
    let click = |n: usize, after: i64| drill::store::Click {
        token: e[n].token.clone(),
        email: e[n].email.clone(),
        scenario: e[n].scenario.clone(),
        department: e[n].department.clone(),
        clicked_at: 1_800_000_000 + after,
        user_agent: "t".into(),
    };
    // a.one clicks the first scenario after 2 min (and again later), b.two the second after 2 h.
    store
        .record(&generated.manifest.campaign, &click(0, 120))
        .unwrap();
    store
        .record(&generated.manifest.campaign, &click(0, 900))
        .unwrap();
    store
        .record(&generated.manifest.campaign, &click(3, 7200))
        .unwrap();
    (out, db)
}

#[test]
fn the_report_counts_sent_clicked_and_time_to_first_click() {
    let dir = tempfile::tempdir().unwrap();
    let (out, db) = report_fixture(dir.path());
    let generated = Generated::load(&out).unwrap();
    let store = drill::store::Store::open(&db).unwrap();
    let r = drill::report::compute(
        &generated,
        &drill::send::sent_times(&out),
        &store.clicks(&generated.manifest.campaign).unwrap(),
    );
    assert!(r.sent_log);
    assert_eq!((r.total.sent, r.total.clicked), (4, 2));
    assert_eq!((r.people, r.people_clicked), (2, 2));
    assert_eq!(r.buckets, [1, 0, 0, 1, 0, 0]);
    let scen: Vec<(&str, usize, usize)> = r
        .per_scenario
        .iter()
        .map(|x| (x.key.as_str(), x.sent, x.clicked))
        .collect();
    assert_eq!(scen, [("display-url-en", 2, 1), ("invoice-pdf-ja", 2, 1)]);
    let dept: Vec<(&str, usize, usize, Option<i64>)> = r
        .per_department
        .iter()
        .map(|x| (x.key.as_str(), x.sent, x.clicked, x.median()))
        .collect();
    assert_eq!(dept, [("IT", 2, 1, Some(7200)), ("Sales", 2, 1, Some(120))]);

    let html = dir.path().join("report.html");
    let o = lurescreen()
        .args(["drill", "report", "--manifest"])
        .arg(&out)
        .arg("--db")
        .arg(&db)
        .arg("--html")
        .arg(&html)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("sent 4  clicked 2  click rate 50.0%  people who clicked 2 of 2"),
        "{text}"
    );
    assert!(text.contains("display-url-en"), "{text}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg"));
    assert!(!page.to_ascii_lowercase().contains("<script"));
    assert!(!page.contains("src=\"http"));
}

/// The report page rendered in headless Chromium (skipped without Chromium).
#[test]
fn the_report_renders_in_headless_chromium() {
    let Some(chromium) = chromium::find() else {
        eprintln!("skipped: no chromium on PATH (apt-get install -y chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (out, db) = report_fixture(dir.path());
    let html = dir.path().join("report.html");
    let o = lurescreen()
        .args(["drill", "report", "--manifest"])
        .arg(&out)
        .arg("--db")
        .arg(&db)
        .arg("--html")
        .arg(&html)
        .output()
        .unwrap();
    assert!(o.status.success());
    chromium::screenshot(
        chromium,
        &format!("file://{}", html.display()),
        dir.path(),
        "report",
        "1200,1600",
    );
}

#[test]
fn mbox_output_holds_the_same_lures_and_the_manifest_finds_each() {
    let dir = tempfile::tempdir().unwrap();
    let campaign = temp_campaign(
        dir.path(),
        "name,email\nA One,a.one@example.co.jp\nB Two,b.two@example.co.jp\n",
    );
    let text = std::fs::read_to_string(&campaign)
        .unwrap()
        .replace("format = \"eml\"", "format = \"mbox\"");
    std::fs::write(&campaign, text).unwrap();
    let out = dir.path().join("out");
    generate_into(&campaign, &out);
    let mbox = std::fs::read(out.join("lures.mbox")).unwrap();
    assert!(mbox.starts_with(b"From it-support@examp1e.co.jp "));
    let generated = Generated::load(&out).unwrap();
    let lures = generate::build(&Campaign::load(&campaign).unwrap());
    assert_eq!(generated.manifest.entries.len(), 4);
    for (entry, lure) in generated.manifest.entries.iter().zip(&lures) {
        assert_eq!(entry.file, "lures.mbox");
        assert_eq!(generated.raw(entry).unwrap(), lure.raw, "{}", entry.token);
    }
    // mail-parser's own mbox reader sees the same four messages.
    let n = mail_parser::mailbox::mbox::MessageIterator::new(&mbox[..]).count();
    assert_eq!(n, 4);
}
