//! End to end through a real Postfix: clean, warn, quarantine and reject messages, a forged
//! verdict, the hold queue, SIGHUP reload, and tempfail with the milter stopped. Skipped (with
//! the reason printed) where Postfix cannot run; `.ci/run` installs it so CI always runs this.

mod postfix;

use postfix::{Milter, Postfix};

const CONFIG: &str = r#"
lang = "ja"
[thresholds]
reject = 30.0
[markup]
subject_tag = true
banner = true
[milter]
socket_mode = "666"
"#;

const ALICE: &str = "Alice <alice@client.example.net>";

fn msg(from: &str, subject: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: bob@example.test\r\nSubject: {subject}\r\n\
Message-ID: <{}@client.example.net>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0900\r\n\
MIME-Version: 1.0\r\n{extra_headers}\r\n{body}",
        subject.replace(' ', "-")
    )
    .into_bytes()
}

fn attachment_message(subject: &str, name_2231: &str) -> Vec<u8> {
    msg(
        ALICE,
        subject,
        "Content-Type: multipart/mixed; boundary=\"b\"\r\n",
        &format!(
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease see the attached invoice.\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''{name_2231}\r\n\
Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==\r\n--b--\r\n"
        ),
    )
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn postfix_delivers_holds_rejects_and_tempfails_through_the_milter() {
    if let Some(why) = postfix::unavailable() {
        println!("SKIPPED postfix end-to-end test: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    let socket = format!("unix:{}/milter.sock", base.display());
    let mut milter = Milter::start(base, CONFIG, &socket);
    let pf = Postfix::start(base, &socket);

    // Clean: delivered with headers, a forged verdict removed.
    let clean = msg(
        ALICE,
        "lunch on friday",
        "X-Lurescreen-Verdict: quarantine\r\nContent-Type: text/plain; charset=utf-8\r\n",
        "Shall we meet at noon?\r\n",
    );
    let (code, reply) = pf.send("alice@client.example.net", "bob@example.test", &clean);
    assert_eq!(code, 250, "{reply}");
    let delivered = text(&pf.wait_delivered("lunch on friday"));
    assert_eq!(
        delivered.matches("X-Lurescreen-Verdict:").count(),
        1,
        "{delivered}"
    );
    assert!(
        delivered.contains("X-Lurescreen-Verdict: clean"),
        "{delivered}"
    );
    assert!(delivered.contains("X-Lurescreen-Score: 0.0 (warn=4.0, quarantine=8.0, reject=30.0)"));
    assert!(delivered.contains("X-Lurescreen-Reasons: none"));
    assert!(
        delivered.contains("Subject: lunch on friday\n"),
        "clean mail is not tagged"
    );

    // Warn: delivered with the subject tag and the banner (Japanese, UTF-8 body).
    let warn = msg(
        "\"support@bank.co.jp\" <notice@mailer.example.net>",
        "account check",
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n",
        "口座の確認をお願いします。\r\n",
    );
    let (code, reply) = pf.send("notice@mailer.example.net", "bob@example.test", &warn);
    assert_eq!(code, 250, "{reply}");
    let delivered = pf.wait_delivered("account check");
    let parsed = mail_parser::MessageParser::default()
        .parse(&delivered)
        .unwrap();
    assert_eq!(parsed.subject(), Some("[要注意] account check"));
    let body = parsed.body_text(0).unwrap();
    assert!(body.starts_with("【注意】"), "{body}");
    assert!(body.contains("support@bank[.]co[.]jp"), "{body}");
    assert!(
        body.ends_with("口座の確認をお願いします。\n")
            || body.ends_with("口座の確認をお願いします。\r\n"),
        "{body}"
    );
    let headers = text(&delivered);
    assert!(headers.contains("X-Lurescreen-Verdict: warn"), "{headers}");
    assert!(
        headers.contains("SENDER_DISPLAY_NAME_ADDRESS=4.7"),
        "{headers}"
    );

    // Quarantine: on hold, with its headers, the reason in Postfix's log.
    let held = attachment_message("invoice november", "invoice.pdf.exe");
    let (code, reply) = pf.send("alice@client.example.net", "bob@example.test", &held);
    assert_eq!(code, 250, "{reply}");
    let queue_id = wait_for(|| {
        pf.queue()
            .into_iter()
            .find(|q| q["queue_name"] == "hold")
            .and_then(|q| q["queue_id"].as_str().map(str::to_string))
    })
    .unwrap_or_else(|| panic!("nothing on hold: {}", pf.maillog()));
    let held_headers = pf.postcat_headers(&queue_id);
    assert!(
        held_headers.contains("X-Lurescreen-Verdict: quarantine"),
        "{held_headers}"
    );
    assert!(
        held_headers.contains("ATTACH_DOUBLE_EXTENSION"),
        "{held_headers}"
    );
    // Postfix logs the hold but not the milter's reason text; the reason is in the headers
    // and in the milter's log line.
    let log = pf.maillog();
    assert!(
        log.contains(&format!("{queue_id}: milter-hold: END-OF-MESSAGE")),
        "{log}"
    );
    assert!(!text(&pf.delivered().concat()).contains("invoice november"));

    // Reject: 550 5.7.1 with the main reason.
    let rejected = attachment_message("minutes", "%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf.%E2%80%AEexe");
    let (code, reply) = pf.send("alice@client.example.net", "bob@example.test", &rejected);
    assert_eq!(code, 550, "{reply}");
    assert!(
        reply.contains("5.7.1") && reply.contains("Message refused"),
        "{reply}"
    );

    // The milter logs one line per message with the queue id.
    let milter_log = milter.log_text();
    assert!(
        milter_log.contains(&format!("qid={queue_id} verdict=quarantine")),
        "{milter_log}"
    );
    assert!(milter_log.contains("verdict=reject") && milter_log.contains("action=reject"));
    assert!(milter_log.contains("verdict=clean score=0.0 rules=- action=accept"));

    // SIGHUP reloads; mail keeps flowing.
    milter.signal("-HUP");
    assert!(
        wait_for(|| milter
            .log_text()
            .contains("reloaded configuration")
            .then_some(()))
        .is_some()
    );
    let (code, reply) = pf.send(
        "alice@client.example.net",
        "bob@example.test",
        &msg(ALICE, "after reload", "", "hi\r\n"),
    );
    assert_eq!(code, 250, "{reply}");
    pf.wait_delivered("after reload");

    // With the milter stopped, Postfix tempfails (milter_default_action = tempfail).
    let status = milter.stop();
    assert!(
        status.success(),
        "milter exit status {status:?}: {}",
        milter.log_text()
    );
    assert!(
        !base.join("milter.sock").exists(),
        "socket file removed on shutdown"
    );
    let (code, reply) = pf.send(
        "alice@client.example.net",
        "bob@example.test",
        &msg(ALICE, "while down", "", "x\r\n"),
    );
    assert_eq!(code / 100, 4, "expected a 4xx tempfail, got {code} {reply}");
}

fn wait_for<T>(mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < until {
        if let Some(v) = f() {
            return Some(v);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    None
}

/// Resident memory of a process, in KiB. Fails the test when it cannot be read: a check of
/// memory growth that measured nothing must not pass.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("cannot read /proc/{pid}/status to measure memory: {e}"));
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no VmRSS in /proc/{pid}/status"));
    assert!(kib > 0, "the milter's resident memory read as 0 KiB");
    kib
}

/// Sends `count` messages on `count` concurrent SMTP sessions; returns how many were accepted.
fn wave(pf: &Postfix, count: usize, tag: &str) -> usize {
    let port = pf.port;
    let threads: Vec<_> = (0..count)
        .map(|n| {
            let tag = tag.to_string();
            std::thread::spawn(move || {
                let m = msg(ALICE, &format!("{tag} {n}"), "", "load test body\r\n");
                postfix::send_smtp(port, "alice@client.example.net", "bob@example.test", &m).0
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|&code| code == 250)
        .count()
}

#[test]
fn two_hundred_concurrent_sessions_lose_nothing_and_memory_stays_flat() {
    if let Some(why) = postfix::unavailable() {
        println!("SKIPPED postfix load test: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    let port = postfix::free_port();
    let socket = format!("inet:127.0.0.1:{port}");
    let milter = Milter::start(base, "", &socket);
    let pf = Postfix::start(base, &socket);
    let mut rss = Vec::new();
    for (round, tag) in ["first-wave", "second-wave"].into_iter().enumerate() {
        let accepted = wave(&pf, 200, tag);
        assert_eq!(
            accepted,
            200,
            "round {round}: only {accepted} of 200 accepted\n{}",
            pf.maillog()
        );
        rss.push(rss_kib(milter.child.id()));
    }
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let delivered = pf.delivered();
        if delivered.len() == 400 {
            for m in &delivered {
                assert!(
                    text(m).contains("X-Lurescreen-Verdict: clean"),
                    "{}",
                    text(m)
                );
            }
            break;
        }
        assert!(
            std::time::Instant::now() < until,
            "{} of 400 delivered\n{}",
            delivered.len(),
            pf.maillog()
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    println!(
        "milter RSS after 200 sessions: {} KiB, after 400: {} KiB",
        rss[0], rss[1]
    );
    assert!(
        rss[1] < rss[0] + 32 * 1024,
        "milter memory grew from {} KiB to {} KiB between two equal waves",
        rss[0],
        rss[1]
    );
    assert_eq!(milter.log_text().matches("verdict=clean").count(), 400);
}

/// `GET path` on the metrics endpoint: status code and body.
fn http_get(port: u16, path: &str) -> (u16, String) {
    http_get_accepting(port, path, "*/*")
}

fn http_get_accepting(port: u16, path: &str, accept: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let code = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (code, body)
}

/// A sample's value in an exposition (0 when the series is absent).
fn sample(exposition: &str, series: &str) -> f64 {
    exposition
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

/// Metrics (`milter.metrics_listen`) scraped around mail sent through a real Postfix: the
/// counters move by exactly the messages sent, by verdict and action, the rules are counted,
/// `/healthz` answers 200; the exposition passes `promtool check metrics` where promtool is
/// installed (Debian's `prometheus` package; `.ci/run` installs it).
#[test]
fn metrics_count_what_postfix_sent() {
    if let Some(why) = postfix::unavailable() {
        println!("SKIPPED postfix metrics test: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    let socket = format!("unix:{}/milter.sock", base.display());
    let port = postfix::free_port();
    let config =
        format!("[milter]\nsocket_mode = \"666\"\nmetrics_listen = \"127.0.0.1:{port}\"\n");
    let mut milter = Milter::start(base, &config, &socket);
    let pf = Postfix::start(base, &socket);
    let (code, body) = http_get(port, "/healthz");
    assert_eq!((code, body.as_str()), (200, "ok\n"));
    let (code, before) = http_get(port, "/metrics");
    assert_eq!(code, 200, "{before}");
    let clean = r#"lurescreen_milter_messages_total{verdict="clean",action="accept"}"#;
    let held = r#"lurescreen_milter_messages_total{verdict="quarantine",action="hold"}"#;
    let rule = r#"lurescreen_milter_findings_total{rule="ATTACH_DOUBLE_EXTENSION"}"#;
    for i in 0..3 {
        let m = msg(
            ALICE,
            &format!("metrics clean {i}"),
            "Content-Type: text/plain\r\n",
            "Shall we meet at noon?\r\n",
        );
        let (code, reply) = pf.send("alice@client.example.net", "bob@example.test", &m);
        assert_eq!(code, 250, "{reply}");
        pf.wait_delivered(&format!("metrics clean {i}"));
    }
    let m = attachment_message("metrics held", "invoice.pdf.exe");
    let (code, reply) = pf.send("alice@client.example.net", "bob@example.test", &m);
    assert_eq!(code, 250, "{reply}");
    // The hold is counted once the milter has answered; poll with a deadline.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let after = loop {
        let (_, after) = http_get(port, "/metrics");
        if sample(&after, held) >= 1.0 || std::time::Instant::now() > until {
            break after;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(
        sample(&after, clean) - sample(&before, clean),
        3.0,
        "{after}"
    );
    assert_eq!(sample(&after, held) - sample(&before, held), 1.0, "{after}");
    assert_eq!(sample(&after, rule) - sample(&before, rule), 1.0, "{after}");
    assert_eq!(
        sample(&after, "lurescreen_milter_scan_duration_seconds_count")
            - sample(&before, "lurescreen_milter_scan_duration_seconds_count"),
        4.0,
        "{after}"
    );
    assert_eq!(sample(&after, "lurescreen_milter_config_generation"), 1.0);
    assert_eq!(
        sample(&after, "lurescreen_milter_transactions_in_flight"),
        0.0
    );
    // OpenMetrics when asked for, as Prometheus does.
    let (_, openmetrics) = http_get_accepting(
        port,
        "/metrics",
        "application/openmetrics-text;version=1.0.0,text/plain;q=0.5",
    );
    assert!(openmetrics.ends_with("# EOF\n"), "{openmetrics}");
    assert!(openmetrics.contains("# TYPE lurescreen_milter_messages counter"));
    // A reload moves the generation.
    milter.signal("-HUP");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while sample(
        &http_get(port, "/metrics").1,
        "lurescreen_milter_config_generation",
    ) < 2.0
    {
        assert!(std::time::Instant::now() < until, "no reload counted");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    match std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(after.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "promtool: {}{}\n{after}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "promtool is missing in CI: {e}"
            );
            println!("promtool not available ({e}): exposition not validated");
        }
    }
    milter.stop();
}
