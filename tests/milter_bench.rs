//! Whole-system benchmark: the same throw-away Postfix without a milter, with a do-nothing
//! milter (the floor every milter pays: Postfix's own work to talk to one; `floorenv` also takes
//! the envelope stages, as lurescreen does), and with the lurescreen milter on a unix and an inet
//! socket; 4 concurrent SMTP sessions; messages a mix of plain, HTML-with-links and attachment
//! mail. Prints delivered messages per second, the added SMTP transaction latency and the
//! machine's idle share, with ratios against the no-milter baseline, and the milter's CPU time per
//! message. Nothing is asserted about speed.
//!
//! Run: `cargo test --release --test milter_bench -- --ignored --nocapture`
//! Every setup runs its own Postfix, all started at the beginning; then rounds send each setup
//! LURESCREEN_BENCH_N messages (default 1000) in turn, LURESCREEN_BENCH_ROUNDS times (default 5),
//! and every ratio is against the no-milter baseline of the same round. LURESCREEN_BENCH_SETUPS
//! lists the setups besides the baseline (default `floor,unix,inet`; also `floorenv`, and `alt`:
//! the lurescreen binary named by LURESCREEN_BENCH_ALT on a unix socket, to compare two builds).
//! Postfix fsyncs its queue files, so the disk's latency varies the figures from run to run; `TMPDIR=/dev/shm` puts the instances on
//! tmpfs, which makes the run CPU-bound and steadier.

mod postfix;

use postfix::{Milter, Postfix};
use std::time::{Duration, Instant};

fn message(n: usize) -> Vec<u8> {
    let head = format!(
        "From: Sender {n} <sender{n}@client.example.net>\r\nTo: bob@example.test\r\n\
Subject: benchmark message {n}\r\nMessage-ID: <bench{n}@client.example.net>\r\n\
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
                        "sender@client.example.net",
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

/// One setup under test: its Postfix, and the milter (process or floor thread) whose CPU time
/// is counted.
struct Setup {
    name: String,
    pf: Postfix,
    milter: Option<Milter>,
    floor_stat: Option<String>,
    /// Messages delivered so far (warm-up and earlier rounds).
    delivered: usize,
    _dir: tempfile::TempDir,
}

impl Setup {
    fn start(name: &str) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        let socket = match name {
            "inet" => format!("inet:127.0.0.1:{}", postfix::free_port()),
            "unix" | "floor" | "floorenv" | "alt" => format!("unix:{}/milter.sock", base.display()),
            _ => String::new(),
        };
        let floor_stat = name
            .starts_with("floor")
            .then(|| floor_milter(&base.join("milter.sock"), name == "floorenv"));
        let config = "[milter]\nsocket_mode = \"666\"\n";
        let milter = match name {
            "inet" | "unix" => Some(Milter::start(base, config, &socket)),
            "alt" => {
                let bin = std::env::var_os("LURESCREEN_BENCH_ALT")
                    .expect("the alt setup needs LURESCREEN_BENCH_ALT=path/to/lurescreen");
                Some(Milter::start_binary(bin.as_ref(), base, config, &socket))
            }
            _ => None,
        };
        let pf = Postfix::start(base, &socket);
        let mut setup = Setup {
            name: name.to_string(),
            pf,
            milter,
            floor_stat,
            delivered: 0,
            _dir: dir,
        };
        // Warm up Postfix's processes (and the milter) before measuring.
        setup.run(40);
        setup
    }

    /// CPU time of the milter (its process, or the floor's thread), in clock ticks.
    fn milter_ticks(&self) -> Option<u64> {
        match (&self.milter, &self.floor_stat) {
            (Some(m), _) => Some(process_ticks(m.child.id())),
            (None, Some(stat)) => Some(stat_ticks(stat)),
            _ => None,
        }
    }

    /// Sends `count` messages; their figures and the milter's CPU time per message in ms.
    fn run(&mut self, count: usize) -> (Figures, Option<f64>) {
        let before = self.milter_ticks();
        let f = run(&self.pf, count, SESSIONS, self.delivered);
        self.delivered += count / SESSIONS * SESSIONS;
        let hz = 100.0; // USER_HZ on Linux
        let cpu = before
            .zip(self.milter_ticks())
            .map(|(b, a)| (a - b) as f64 * 1e3 / hz / count as f64);
        (f, cpu)
    }
}

const SESSIONS: usize = 4;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[test]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
fn postfix_throughput_with_and_without_the_milter() {
    if let Some(why) = postfix::unavailable() {
        println!("SKIPPED milter benchmark: {why}");
        return;
    }
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let count = env("LURESCREEN_BENCH_N", 1000);
    let rounds = env("LURESCREEN_BENCH_ROUNDS", 5).max(1);
    // The baseline (no milter) comes first; the others as listed.
    let names = std::env::var("LURESCREEN_BENCH_SETUPS").unwrap_or("floor,unix,inet".into());
    let mut setups = vec![Setup::start("none")];
    for name in names
        .split(',')
        .filter(|s| ["floor", "floorenv", "inet", "unix", "alt"].contains(s))
    {
        setups.push(Setup::start(name));
    }
    // Rounds: every setup in turn, so that the host's drift (its speed moves by a third between
    // minutes) falls on all of them alike; each ratio is against the baseline of its own round.
    let mut figures: Vec<Vec<(Figures, Option<f64>)>> = setups.iter().map(|_| Vec::new()).collect();
    for _ in 0..rounds {
        for (i, setup) in setups.iter_mut().enumerate() {
            figures[i].push(setup.run(count));
        }
    }
    println!(
        "\n{count} messages per setup and round, {rounds} rounds, {SESSIONS} concurrent SMTP \
         sessions, one message per session"
    );
    println!(
        "setup    delivered/s (median)  ratio median [min-max]  added p50 ms  added p99 ms  \
         idle  milter CPU ms/msg"
    );
    for (i, setup) in setups.iter().enumerate() {
        let per_round = |f: &dyn Fn(&Figures, &Figures) -> f64| -> Vec<f64> {
            (0..rounds)
                .map(|r| f(&figures[i][r].0, &figures[0][r].0))
                .collect()
        };
        let mut speed = per_round(&|f, _| f.delivered_per_s);
        let mut ratio = per_round(&|f, b| f.delivered_per_s / b.delivered_per_s);
        let mut p50 = per_round(&|f, b| f.p50_ms - b.p50_ms);
        let mut p99 = per_round(&|f, b| f.p99_ms - b.p99_ms);
        let mut idle = per_round(&|f, _| f.idle * 100.0);
        let mut cpu: Vec<f64> = figures[i].iter().filter_map(|(_, c)| *c).collect();
        let (lo, hi) = ratio
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
        println!(
            "{:<8} {:>20.0}  {:>6.2} [{:.2}-{:.2}]  {:>+12.1}  {:>+12.1}  {:>3.0}%  {}",
            setup.name,
            median(&mut speed),
            median(&mut ratio),
            lo,
            hi,
            median(&mut p50),
            median(&mut p99),
            median(&mut idle),
            if cpu.is_empty() {
                "-".to_string()
            } else {
                format!("{:.2}", median(&mut cpu))
            }
        );
    }
    for setup in &setups {
        if let Some(m) = &setup.milter {
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
            println!(
                "milter ({}): end-of-message answer p50 {} ms p99 {} ms",
                setup.name,
                p(0.5),
                p(0.99)
            );
        }
    }
}
