//! Whole-system benchmark: the same throw-away Postfix without a milter, with a do-nothing
//! milter (the floor every milter pays: Postfix's own work to talk to one; `floorenv` also takes
//! the envelope stages, as lurescreen does), with the lurescreen
//! milter on an inet socket, and on a unix socket; 4 concurrent SMTP sessions; messages a mix of
//! plain, HTML-with-links and attachment mail. Prints throughput (accepted and delivered), the
//! SMTP transaction latency and the machine's idle share, with ratios against the no-milter
//! baseline measured in the same run, and the milter's CPU time per message. Nothing is asserted
//! about speed.
//!
//! Run: `cargo test --release --test milter_bench -- --ignored --nocapture`
//! LURESCREEN_BENCH_N sets the message count (default 2000); LURESCREEN_BENCH_SETUPS a subset of
//! `none,floor,floorenv,inet,unix,alt`, the first being the baseline; a setup may be named more than once, so
//! `none,unix,alt,unix,alt` interleaves them. `alt` is the lurescreen binary named by
//! LURESCREEN_BENCH_ALT on a unix socket, to compare two builds in the same run. Postfix fsyncs its queue files, so the
//! disk's latency varies the figures from run to run; `TMPDIR=/dev/shm` puts the instances on
//! tmpfs, which makes the run CPU-bound and steadier.

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
    /// Share of the machine's CPU time left idle during the run.
    idle: f64,
}

/// (idle, total) jiffies of the whole machine, from /proc/stat.
fn cpu_jiffies() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let nums: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let idle = nums.get(3).copied().unwrap_or(0) + nums.get(4).copied().unwrap_or(0);
    (idle, nums.iter().sum())
}

/// CPU time (user + system) a process has used, in clock ticks.
fn process_ticks(pid: u32) -> u64 {
    stat_ticks(&format!("/proc/{pid}/stat"))
}

/// CPU time (user + system) in clock ticks from a /proc `stat` file (a process's or a thread's).
fn stat_ticks(path: &str) -> u64 {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    n(11) + n(12)
}

/// Sends `count` messages; `already` were delivered before.
fn run(pf: &Postfix, count: usize, sessions: usize, already: usize) -> Figures {
    let start = Instant::now();
    let cpu_before = cpu_jiffies();
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
    let cpu_after = cpu_jiffies();
    let idle = (cpu_after.0 - cpu_before.0) as f64 / (cpu_after.1 - cpu_before.1).max(1) as f64;
    lat.sort();
    let pct =
        |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)].as_secs_f64() * 1e3;
    Figures {
        accepted_per_s: total as f64 / accepted.as_secs_f64(),
        delivered_per_s: total as f64 / delivered.as_secs_f64(),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        idle,
    }
}

/// The floor: a milter that reads the message and inserts the same three header fields
/// lurescreen adds to clean mail, but scans nothing. Whatever it costs Postfix, every milter
/// costs. It runs in this process, on its own thread, until the process ends; the path returned
/// is that thread's /proc stat file, for its CPU time. With `envelope`, it also takes the SMTP
/// envelope stages (connect, HELO, MAIL FROM, RCPT TO, none of them answered) as lurescreen does
/// to know the envelope: what knowing the envelope costs Postfix.
fn floor_milter(path: &std::path::Path, envelope: bool) -> String {
    use indymilter::{Actions, Callbacks, ContextActions, ProtoOpts, Status};
    let path = path.to_path_buf();
    let (ready, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::UnixListener::bind(&path).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
            // "/proc/thread-self" links to "PID/task/TID".
            let me = std::fs::read_link("/proc/thread-self").unwrap();
            ready.send(format!("/proc/{}/stat", me.display())).unwrap();
            let noreply = ProtoOpts::NOREPLY_CONNECT
                | ProtoOpts::NOREPLY_HELO
                | ProtoOpts::NOREPLY_MAIL
                | ProtoOpts::NOREPLY_RCPT
                | ProtoOpts::NOREPLY_DATA
                | ProtoOpts::NOREPLY_HEADER
                | ProtoOpts::NOREPLY_EOH
                | ProtoOpts::NOREPLY_BODY
                | ProtoOpts::NOREPLY_UNKNOWN;
            let mut callbacks: Callbacks<()> = Callbacks::new();
            if envelope {
                callbacks = callbacks
                    .on_connect(|_, _, _| Box::pin(async { Status::Noreply }))
                    .on_helo(|_, _| Box::pin(async { Status::Noreply }))
                    .on_mail(|_, _| Box::pin(async { Status::Noreply }))
                    .on_rcpt(|_, _| Box::pin(async { Status::Noreply }));
            }
            let callbacks = callbacks
                .on_negotiate(move |cx, _, mta| {
                    Box::pin(async move {
                        cx.requested_actions = Actions::ADD_HEADER
                            | Actions::CHANGE_HEADER
                            | Actions::REPLACE_BODY
                            | Actions::QUARANTINE;
                        cx.requested_opts |= mta & noreply;
                        Status::Continue
                    })
                })
                .on_header(|_, _, _| Box::pin(async { Status::Noreply }))
                .on_body(|_, _| Box::pin(async { Status::Noreply }))
                .on_eom(|cx| {
                    Box::pin(async move {
                        let fields = [
                            ("X-Lurescreen-Verdict", "clean"),
                            ("X-Lurescreen-Score", "0.0"),
                            ("X-Lurescreen-Reasons", "none"),
                        ];
                        for (i, (name, value)) in fields.into_iter().enumerate() {
                            let _ = cx.actions.insert_header(i as i32, name, value).await;
                        }
                        Status::Accept
                    })
                });
            let _ = indymilter::run(
                listener,
                callbacks,
                Default::default(),
                std::future::pending::<()>(),
            )
            .await;
        });
    });
    wait.recv().unwrap()
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
    // LURESCREEN_BENCH_SETUPS picks some of none,floor,inet,unix (the first is the baseline).
    let setups = std::env::var("LURESCREEN_BENCH_SETUPS").unwrap_or("none,floor,inet,unix".into());
    for setup in setups
        .split(',')
        .filter(|s| ["none", "floor", "floorenv", "inet", "unix", "alt"].contains(s))
    {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        let socket = match setup {
            "inet" => format!("inet:127.0.0.1:{}", postfix::free_port()),
            "unix" | "floor" | "floorenv" | "alt" => format!("unix:{}/milter.sock", base.display()),
            _ => String::new(),
        };
        let floor_stat = setup
            .starts_with("floor")
            .then(|| floor_milter(&base.join("milter.sock"), setup == "floorenv"));
        let config = "[milter]\nsocket_mode = \"666\"\n";
        let milter = match setup {
            "inet" | "unix" => Some(Milter::start(base, config, &socket)),
            "alt" => {
                let bin = std::env::var_os("LURESCREEN_BENCH_ALT")
                    .expect("the alt setup needs LURESCREEN_BENCH_ALT=path/to/lurescreen");
                Some(Milter::start_binary(bin.as_ref(), base, config, &socket))
            }
            _ => None,
        };
        let pf = Postfix::start(base, &socket);
        // Warm up Postfix's processes before measuring.
        run(&pf, 40, sessions, 0);
        let ticks = milter.as_ref().map(|m| process_ticks(m.child.id()));
        let floor_ticks = floor_stat.as_deref().map(stat_ticks);
        let f = run(&pf, count, sessions, 40);
        let hz = 100.0; // USER_HZ on Linux
        let floor_own = floor_stat.as_deref().map(|stat| {
            let cpu_ms =
                (stat_ticks(stat) - floor_ticks.unwrap_or(0)) as f64 * 1e3 / hz / count as f64;
            format!("{cpu_ms:.2} ms CPU/msg (its thread)")
        });
        // The milter's own figures: CPU per message, and the time from end of message to its
        // answer (the `ms=` field of its log lines).
        let own = milter.as_ref().map(|m| {
            let cpu_ms =
                (process_ticks(m.child.id()) - ticks.unwrap_or(0)) as f64 * 1e3 / hz / count as f64;
            let mut eom: Vec<u64> = m
                .log_text()
                .lines()
                .filter_map(|l| {
                    l.split(" ms=")
                        .nth(1)?
                        .split_whitespace()
                        .next()?
                        .parse()
                        .ok()
                })
                .collect();
            eom.sort();
            let p = |q: f64| {
                eom.get((eom.len() as f64 * q) as usize)
                    .copied()
                    .unwrap_or(0)
            };
            format!(
                "{cpu_ms:.2} ms CPU/msg, end-of-message answer p50 {} ms p99 {} ms",
                p(0.5),
                p(0.99)
            )
        });
        results.push((setup, f, own.or(floor_own)));
    }
    let base = &results[0].1;
    println!("\n{count} messages, {sessions} concurrent SMTP sessions, one message per session");
    println!("setup    accepted/s  delivered/s  ratio  p50 ms  p99 ms  added p50  added p99  idle");
    for (setup, f, _) in &results {
        println!(
            "{setup:<8} {:>10.0} {:>12.0} {:>6.2} {:>7.1} {:>7.1} {:>+10.1} {:>+10.1} {:>5.0}%",
            f.accepted_per_s,
            f.delivered_per_s,
            f.delivered_per_s / base.delivered_per_s,
            f.p50_ms,
            f.p99_ms,
            f.p50_ms - base.p50_ms,
            f.p99_ms - base.p99_ms,
            f.idle * 100.0
        );
    }
    for (setup, _, own) in &results {
        if let Some(own) = own {
            println!("milter ({setup}): {own}");
        }
    }
}
