//! Whole-system benchmark: the same throw-away Postfix without a milter, with the lurescreen
//! milter on an inet socket, and on a unix socket; 4 concurrent SMTP sessions; messages a mix
//! of plain, HTML-with-links and attachment mail. Prints throughput (accepted and delivered) and
//! the SMTP transaction latency, and the ratios against the no-milter baseline measured in the
//! same run. Nothing is asserted about speed.
//!
//! Run: `cargo test --release --test milter_bench -- --ignored --nocapture`
//! (LURESCREEN_BENCH_N sets the message count, default 2000.)

mod postfix;

use postfix::{Milter, Postfix};
use std::time::{Duration, Instant};

fn message(n: usize) -> Vec<u8> {
    let head = format!(
        "From: Sender {n} <sender{n}@client.example.test>\r\nTo: bob@example.test\r\n\
Subject: benchmark message {n}\r\nMessage-ID: <bench{n}@client.example.test>\r\n\
Date: Thu, 26 Nov 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\n"
    );
    let body = match n % 3 {
        0 => "Content-Type: text/plain; charset=utf-8\r\n\r\nお世話になっております。\r\n\
次回の打ち合わせは https://www.example.co.jp/meeting をご覧ください。\r\n"
            .repeat(20),
        1 => format!(
            "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body>{}</body></html>\r\n",
            "<p>News <a href=\"https://news.example.com/a?utm=1\">Read more</a> \
             <a href=\"https://www.example.com/\">www.example.com</a></p>\r\n"
                .repeat(30)
        ),
        _ => format!(
            "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\
see attached\r\n--b\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
            "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==\r\n"
                .repeat(60)
        ),
    };
    format!("{head}{body}").into_bytes()
}

struct Figures {
    accepted_per_s: f64,
    delivered_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Sends `count` messages; `already` were delivered before.
fn run(pf: &Postfix, count: usize, sessions: usize, already: usize) -> Figures {
    let start = Instant::now();
    let per = count / sessions;
    let port = pf.port;
    let workers: Vec<_> = (0..sessions)
        .map(|w| {
            std::thread::spawn(move || {
                let mut lat = Vec::with_capacity(per);
                for i in 0..per {
                    let m = message(w * per + i);
                    let t = Instant::now();
                    let (code, reply) = postfix::send_smtp(
                        port,
                        "sender@client.example.test",
                        "bob@example.test",
                        &m,
                    );
                    assert_eq!(code, 250, "{reply}");
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut lat: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let accepted = start.elapsed();
    let total = per * sessions;
    let until = Instant::now() + Duration::from_secs(300);
    while pf.delivered_count() < already + total {
        assert!(Instant::now() < until, "not all delivered");
        std::thread::sleep(Duration::from_millis(20));
    }
    let delivered = start.elapsed();
    lat.sort();
    let pct =
        |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)].as_secs_f64() * 1e3;
    Figures {
        accepted_per_s: total as f64 / accepted.as_secs_f64(),
        delivered_per_s: total as f64 / delivered.as_secs_f64(),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
    }
}

#[test]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
fn postfix_throughput_with_and_without_the_milter() {
    if let Some(why) = postfix::unavailable() {
        println!("SKIPPED milter benchmark: {why}");
        return;
    }
    let count: usize = std::env::var("LURESCREEN_BENCH_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let sessions = 4;
    let mut results = Vec::new();
    for setup in ["none", "inet", "unix"] {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        let socket = match setup {
            "inet" => format!("inet:127.0.0.1:{}", postfix::free_port()),
            "unix" => format!("unix:{}/milter.sock", base.display()),
            _ => String::new(),
        };
        let _milter = (setup != "none")
            .then(|| Milter::start(base, "[milter]\nsocket_mode = \"666\"\n", &socket));
        let pf = Postfix::start(base, &socket);
        // Warm up Postfix's processes before measuring.
        run(&pf, 40, sessions, 0);
        let f = run(&pf, count, sessions, 40);
        results.push((setup, f));
    }
    let base = &results[0].1;
    println!("\n{count} messages, {sessions} concurrent SMTP sessions, one message per session");
    println!("setup  accepted/s  delivered/s  ratio  p50 ms  p99 ms  added p50  added p99");
    for (setup, f) in &results {
        println!(
            "{setup:<6} {:>10.0} {:>12.0} {:>6.2} {:>7.1} {:>7.1} {:>+10.1} {:>+10.1}",
            f.accepted_per_s,
            f.delivered_per_s,
            f.delivered_per_s / base.delivered_per_s,
            f.p50_ms,
            f.p99_ms,
            f.p50_ms - base.p50_ms,
            f.p99_ms - base.p99_ms
        );
    }
}
