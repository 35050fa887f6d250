//! "No mail is lost" for the milter, under fault injection: a scan that panics, hangs past its
//! deadline or fails (in process, with an injected scanner: no trigger exists in the binary);
//! clients hanging up mid-message; SIGTERM and SIGHUP while clients send mail (the real binary).
//!
//! Counts are bounded and timeouts generous; nothing asserts on speed.

mod milter_client;

use lurescreen::milter::{self, Scanner, Shared, Sources, listen};
use lurescreen::{Config, Engine, ScanError, Signatures};
use milter_client::daemon::{Daemon, find, is_final, read_final};
use milter_client::{Client, NOREPLY_BODY, NOREPLY_HEADER, NOREPLY_HELO, NOREPLY_MAIL, Reply};
use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLEAN: &[u8] =
    b"From: a@client.example.net\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nhello\r\n";

fn with_marker(marker: &str) -> Vec<u8> {
    format!(
        "X-Lurescreen-Verdict: clean\r\nFrom: a@client.example.net\r\nSubject: {marker}\r\n\r\n\
         body line one\r\nbody line two\r\n"
    )
    .into_bytes()
}

// ---------------------------------------------------------------------------------------------
// In process, with an injected scanner
// ---------------------------------------------------------------------------------------------

/// The milter served on a loopback port by a thread of this test process.
struct InProcess {
    port: u16,
    logs: Arc<Mutex<Vec<String>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl InProcess {
    fn start(config: &str, scanner: Scanner) -> InProcess {
        let config = Config::from_toml(config, "test.toml").unwrap();
        let engine = Engine::new(config, Signatures::embedded().unwrap());
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&logs);
        let sources = Sources {
            config: None,
            signatures: None,
            lang: Some(lurescreen::Lang::En),
        };
        let shared = Shared::new(engine, sources)
            .with_scanner(scanner)
            .with_log(Arc::new(move |line: &str| {
                sink.lock().unwrap().push(line.to_string())
            }));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            let served = runtime.block_on(async move {
                let bound = listen::bind("inet:127.0.0.1:0", "660").await?;
                let listen::Bound::Tcp(listener) = &bound else {
                    return Err("not TCP".to_string());
                };
                let _ = port_tx.send(listener.local_addr().map_err(|e| e.to_string())?.port());
                milter::serve(bound, Arc::new(shared), async {
                    let _ = stopped.await;
                })
                .await
            });
            // As `milter::run_until` does: hung scan threads must not hold the thread.
            runtime.shutdown_timeout(Duration::from_millis(100));
            served
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("in-process milter did not start");
        InProcess {
            port,
            logs,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn session(&self) -> Client<TcpStream> {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut c = Client::new(s);
        assert_eq!(c.negotiate().unwrap().cmd, b'O');
        assert_eq!(
            c.connect("client.example.net", "192.0.2.7").unwrap().cmd,
            b'c'
        );
        c
    }

    fn log_lines(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The deadline is twice `limits.scan_time_ms`: generous, so that a real panic (with its
/// backtrace printed) on a loaded machine is still reported as a panic.
const FAULT_CONFIG: &str = "[limits]\nscan_time_ms = 2500\n";
const DEADLINE_TEXT: &str = "scan did not finish within 5000 ms";

/// Lets a hung scan go (at the end of the test, so its thread does not outlive it long).
#[derive(Clone, Default)]
struct Release(Arc<(Mutex<bool>, std::sync::Condvar)>);

impl Release {
    fn wait(&self) {
        let (lock, cv) = &*self.0;
        let guard = lock.lock().unwrap();
        let _ = cv
            .wait_timeout_while(guard, Duration::from_secs(120), |released| !*released)
            .unwrap();
    }

    fn release(&self) {
        let (lock, cv) = &*self.0;
        *lock.lock().unwrap() = true;
        cv.notify_all();
    }
}

/// The engine's scan, except for messages carrying a marker in the subject: FAULT-PANIC
/// panics, FAULT-HANG blocks past the deadline (until released), FAULT-ERROR returns a scan
/// error.
fn faulty_scanner(hang: Release) -> Scanner {
    Arc::new(move |engine: &Engine, raw: &[u8], envelope| {
        let has = |m: &[u8]| raw.windows(m.len()).any(|w| w == m);
        if has(b"FAULT-PANIC") {
            panic!("injected scan panic");
        }
        if has(b"FAULT-HANG") {
            hang.wait();
        }
        if has(b"FAULT-ERROR") {
            return Err(ScanError::Internal {
                stage: "test".into(),
                message: "injected scan failure".into(),
            });
        }
        engine.scan_keeping_message(raw, Some(envelope))
    })
}

/// A clean message goes through normally: our three fields, accept.
#[track_caller]
fn assert_normal(replies: &[Reply]) {
    let inserted: Vec<String> = find(replies, b'i')
        .iter()
        .map(|r| r.header_action().1[0].clone())
        .collect();
    assert_eq!(
        inserted,
        [
            "X-Lurescreen-Verdict",
            "X-Lurescreen-Score",
            "X-Lurescreen-Reasons"
        ],
        "{replies:?}"
    );
    assert_eq!(replies.last().unwrap().cmd, b'a', "{replies:?}");
}

/// The failure action for an unscanned message: tempfail (nothing changed) or accept with only
/// the error field added and the forged field removed; never a new body or a hold.
#[track_caller]
fn assert_failure_action(replies: &[Reply], accept: bool, error_part: &str) {
    assert!(find(replies, b'b').is_empty(), "body replaced: {replies:?}");
    assert!(find(replies, b'q').is_empty(), "held: {replies:?}");
    let last = replies.last().unwrap();
    if accept {
        assert_eq!(last.cmd, b'a', "{replies:?}");
        let inserted = find(replies, b'i');
        assert_eq!(inserted.len(), 1, "{replies:?}");
        let (index, field) = inserted[0].header_action();
        assert_eq!(index, 0);
        assert_eq!(field[0], "X-Lurescreen-Error");
        let value = field[1].split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(value.contains(error_part), "{field:?}");
        // The forged verdict is removed.
        let removed = find(replies, b'm');
        assert_eq!(removed.len(), 1, "{replies:?}");
        assert_eq!(
            removed[0].header_action(),
            (1, vec!["X-Lurescreen-Verdict".to_string()])
        );
    } else {
        assert_eq!(last.cmd, b'y', "{replies:?}");
        assert!(
            last.strings().join("").starts_with("451 4.7.1"),
            "{replies:?}"
        );
        assert!(find(replies, b'i').is_empty(), "{replies:?}");
        assert!(find(replies, b'm').is_empty(), "{replies:?}");
    }
}

fn scan_faults_get_the_failure_action(config: &str, accept: bool) {
    let hang = Release::default();
    let m = InProcess::start(config, faulty_scanner(hang.clone()));
    let mut first = m.session();
    let mut other = m.session();
    let faults = [
        ("FAULT-PANIC", "injected scan panic"),
        ("FAULT-HANG", DEADLINE_TEXT),
        ("FAULT-ERROR", "injected scan failure"),
    ];
    for (round, (marker, error)) in faults.iter().enumerate() {
        // The fault on one connection while the other sends clean mail at the same time.
        let raw = with_marker(marker);
        let faulty = std::thread::spawn(move || {
            let replies = first
                .message("a@client.example.net", "b@example.test", &raw)
                .unwrap();
            (first, replies)
        });
        for _ in 0..3 {
            let replies = other
                .message("a@client.example.net", "b@example.test", CLEAN)
                .unwrap();
            assert_normal(&replies);
        }
        let (back, replies) = faulty.join().unwrap();
        first = back;
        assert_failure_action(&replies, accept, error);
        // The same connection goes on with the next message.
        let replies = first
            .message("a@client.example.net", "b@example.test", CLEAN)
            .unwrap();
        assert_normal(&replies);
        // And a new connection is served.
        let replies = m
            .session()
            .message("a@client.example.net", "b@example.test", CLEAN)
            .unwrap();
        assert_normal(&replies);
        // The log line says what happened.
        let action = if accept { "accept" } else { "tempfail" };
        let logs = m.log_lines();
        let failed: Vec<&String> = logs.iter().filter(|l| l.contains("error=")).collect();
        assert_eq!(failed.len(), round + 1, "{logs:#?}");
        let line = failed[round];
        assert!(
            line.starts_with("qid=TESTQID error=\"") && line.contains(error),
            "{line}"
        );
        assert!(line.contains(&format!(" action={action} ")), "{line}");
        assert_eq!(
            logs.iter().filter(|l| l.contains("verdict=clean")).count(),
            5 * (round + 1),
            "{logs:#?}"
        );
    }
    hang.release();
}

#[test]
fn scan_panic_timeout_and_error_tempfail_by_default() {
    scan_faults_get_the_failure_action(FAULT_CONFIG, false);
}

#[test]
fn scan_panic_timeout_and_error_accept_with_an_error_field_when_configured() {
    scan_faults_get_the_failure_action(
        &format!("{FAULT_CONFIG}[milter]\nfailure_action = \"accept\"\n"),
        true,
    );
}

#[test]
fn oversize_messages_get_the_oversize_action_unscanned() {
    let mut raw = with_marker("big");
    raw.extend_from_slice(&b"0123456789abcdef\r\n".repeat(300));
    for (config, accept) in [
        ("[limits]\nmax_message_bytes = 2000\n", true),
        (
            "[limits]\nmax_message_bytes = 2000\n[milter]\noversize_action = \"tempfail\"\n",
            false,
        ),
    ] {
        // The scanner is never reached for them.
        let never: Scanner = Arc::new(|_: &Engine, _: &[u8], _| panic!("scanned"));
        let m = InProcess::start(config, never);
        let mut c = m.session();
        let replies = c
            .message("a@client.example.net", "b@example.test", &raw)
            .unwrap();
        assert_failure_action(
            &replies,
            accept,
            "over the limit of 2000 bytes; not scanned",
        );
        let logs = m.log_lines();
        assert!(
            logs.iter().any(|l| l.contains("not scanned: too large")),
            "{logs:?}"
        );
    }
}

#[test]
fn in_process_stop_drains_the_message_in_progress() {
    // A scan that takes a while is under way when the server is told to stop: it still gets
    // its full answer, and the server returns.
    let (scanning_tx, scanning) = std::sync::mpsc::channel::<()>();
    let scanning_tx = Mutex::new(scanning_tx);
    let slow: Scanner = Arc::new(move |engine: &Engine, raw: &[u8], envelope| {
        let _ = scanning_tx.lock().unwrap().send(());
        std::thread::sleep(Duration::from_millis(300));
        engine.scan_keeping_message(raw, Some(envelope))
    });
    let mut m = InProcess::start("", slow);
    let mut c = m.session();
    let pending = std::thread::spawn(move || {
        c.message("a@client.example.net", "b@example.test", CLEAN)
            .unwrap()
    });
    // Stop while the scan runs (the transaction is no longer counted as in progress then).
    scanning.recv_timeout(Duration::from_secs(60)).unwrap();
    let _ = m.stop.take().unwrap().send(());
    assert_normal(&pending.join().unwrap());
    let served = m.thread.take().unwrap().join().unwrap();
    assert_eq!(served, Ok(()));
    assert!(
        m.log_lines()
            .iter()
            .any(|l| l.starts_with("shutting down (0 messages")),
        "{:?}",
        m.log_lines()
    );
}

// ---------------------------------------------------------------------------------------------
// The real binary: disconnects
// ---------------------------------------------------------------------------------------------

/// One transaction up to the body, then the client goes away in one of several ways.
fn aborted_session(d: &Daemon, kind: usize) {
    let mut c = d.session();
    c.stage(b'H', b"client.example.net\0", NOREPLY_HELO)
        .unwrap();
    let r = c
        .stage(b'M', b"<a@client.example.net>\0", NOREPLY_MAIL)
        .unwrap();
    assert_eq!(r.cmd, b'c');
    c.stage(b'R', b"<b@example.test>\0", milter_client::NOREPLY_RCPT)
        .unwrap();
    c.stage(b'L', b"Subject\0going away\0", NOREPLY_HEADER)
        .unwrap();
    for _ in 0..3 {
        c.stage(b'B', &[b'x'; 4000], NOREPLY_BODY).unwrap();
    }
    match kind % 3 {
        // After some body chunks, before end of message.
        0 => {}
        // In the middle of a packet: a length for 4,000 bytes, then 10 of them.
        1 => {
            let mut partial = 4001u32.to_be_bytes().to_vec();
            partial.push(b'B');
            partial.extend_from_slice(&[b'y'; 10]);
            c.stream.write_all(&partial).unwrap();
        }
        // Right after sending end of message, without reading the answer.
        _ => {
            c.send(b'E', &[]).unwrap();
        }
    }
    drop(c);
}

#[test]
fn clients_hanging_up_mid_message_leave_others_and_the_daemon_unharmed() {
    let d = Daemon::start("");
    let warm = |n: usize| {
        let mut c = d.session();
        for _ in 0..n {
            assert_normal(
                &c.message("a@client.example.net", "b@example.test", CLEAN)
                    .unwrap(),
            );
        }
    };
    warm(20);
    std::thread::sleep(Duration::from_millis(500));
    let measure = || (d.proc_status("Threads"), d.proc_status("VmRSS"));
    let mut after = vec![measure()];
    const ABORTED: usize = 200;
    for round in 0..2 {
        let stop = AtomicBool::new(false);
        let done = AtomicUsize::new(0);
        std::thread::scope(|s| {
            // Two well-behaved clients send mail all along.
            for _ in 0..2 {
                s.spawn(|| {
                    let mut c = d.session();
                    while !stop.load(Ordering::SeqCst) {
                        let replies = c
                            .message("a@client.example.net", "b@example.test", CLEAN)
                            .unwrap();
                        assert_normal(&replies);
                        done.fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
            for i in 0..ABORTED {
                aborted_session(&d, i);
            }
            stop.store(true, Ordering::SeqCst);
        });
        assert!(done.load(Ordering::SeqCst) > 0);
        // Every aborted session has gone away: the daemon still serves.
        warm(5);
        std::thread::sleep(Duration::from_millis(500));
        after.push(measure());
        println!(
            "round {}: {ABORTED} aborted sessions, {} complete messages alongside: threads {} -> \
             {}, VmRSS {} kB -> {} kB",
            round + 1,
            done.load(Ordering::SeqCst),
            after[round].0,
            after[round + 1].0,
            after[round].1,
            after[round + 1].1,
        );
    }
    // Scans run on tokio's blocking pool (idle threads are kept for a while): a few more
    // threads are fine, one per aborted session is not; the second round adds next to nothing.
    let ((t0, r0), (t1, r1), (t2, r2)) = (after[0], after[1], after[2]);
    assert!(
        t1 <= t0 + 16 && t2 <= t1 + 8,
        "threads {t0} -> {t1} -> {t2}"
    );
    assert!(
        r1 <= r0 + 64 * 1024 && r2 <= r1 + 32 * 1024,
        "VmRSS {r0} -> {r1} -> {r2} kB"
    );
    let log = d.log_text();
    assert!(!log.contains("panicked"), "{log}");
}

// ---------------------------------------------------------------------------------------------
// The real binary: SIGTERM and SIGHUP under load
// ---------------------------------------------------------------------------------------------

/// What happened to one client's transactions.
#[derive(Debug, Default)]
struct Tally {
    /// End of message sent and fully answered with accept (and our fields).
    answered: usize,
    /// Answered 421 (shutting down): at MAIL FROM, or at end of message when the MTA asked for
    /// no answer to MAIL FROM.
    deferred: usize,
    /// The connection was closed before the transaction got an answer, after the daemon had
    /// finished draining. Only at MAIL FROM when MAIL FROM is answered; otherwise anywhere in a
    /// transaction the daemon never saw begin (the MTA then applies milter_default_action).
    closed: usize,
    /// End of message sent but no answer when MAIL FROM had been answered: must stay 0.
    lost: usize,
}

/// Sends messages on one connection until it is deferred or closed, or `stop` is set. `opts`
/// are the protocol options the client offers.
fn client_loop(d: &Daemon, stop: &AtomicBool, started: &AtomicUsize, opts: u32) -> Tally {
    let mut t = Tally::default();
    let mut c = d.session_offering(opts);
    let mail_answered = c.opts & NOREPLY_MAIL == 0;
    loop {
        if stop.load(Ordering::SeqCst) {
            return t;
        }
        let helo = c.stage(b'H', b"client.example.net\0", NOREPLY_HELO);
        let mail = helo.and_then(|_| c.stage(b'M', b"<a@client.example.net>\0", NOREPLY_MAIL));
        match mail {
            Err(_) => {
                t.closed += 1;
                return t;
            }
            Ok(r) if r.cmd == b'y' => {
                assert!(r.strings().join("").starts_with("421 4.3.2"), "{r:?}");
                t.deferred += 1;
                return t;
            }
            Ok(r) => assert_eq!(r.cmd, b'c', "{r:?}"),
        }
        // From here the transaction is open: the daemon must answer its end of message (if it
        // answered MAIL FROM, it knows of the transaction).
        let (head, body) = milter_client::split_message(CLEAN);
        let sent = (|| -> std::io::Result<()> {
            c.stage(b'R', b"<b@example.test>\0", milter_client::NOREPLY_RCPT)?;
            for (n, v) in head {
                c.stage(b'L', format!("{n}\0{v}\0").as_bytes(), NOREPLY_HEADER)?;
            }
            c.stage(b'N', &[], milter_client::NOREPLY_EOH)?;
            c.stage(b'B', &body, NOREPLY_BODY)?;
            c.macros(b'E', &[("i", "LOADQID")])?;
            c.send(b'E', &[])
        })();
        started.fetch_add(1, Ordering::SeqCst);
        if sent.is_err() {
            assert!(!mail_answered, "connection dropped inside a transaction");
            t.closed += 1;
            return t;
        }
        match read_final(&mut c) {
            Ok(replies) => {
                let last = replies.last().unwrap();
                assert!(is_final(last.cmd));
                if last.cmd == b'y' {
                    assert!(!mail_answered, "{replies:?}");
                    assert!(last.strings().join("").starts_with("421 4.3.2"), "{last:?}");
                    t.deferred += 1;
                    return t;
                }
                assert_normal(&replies);
                t.answered += 1;
            }
            Err(_) if !mail_answered => {
                t.closed += 1;
                return t;
            }
            Err(_) => {
                t.lost += 1;
                return t;
            }
        }
    }
}

/// SIGTERM while `CLIENTS` clients send messages as fast as they can; half the clients offer
/// to skip the answer to MAIL FROM, as Postfix does, half do not.
#[test]
fn sigterm_under_load_answers_every_message_sent_and_defers_the_rest() {
    let mut d = Daemon::start("[milter]\nshutdown_grace_ms = 30000\n");
    const CLIENTS: usize = 8;
    let stop = AtomicBool::new(false);
    let started = AtomicUsize::new(0);
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|i| {
                let opts = if i % 2 == 0 {
                    milter_client::ALL_OPTS
                } else {
                    milter_client::ALL_OPTS & !NOREPLY_MAIL
                };
                let (d, stop, started) = (&d, &stop, &started);
                s.spawn(move || client_loop(d, stop, started, opts))
            })
            .collect();
        // Let every client get some messages through, then SIGTERM in the middle of it all.
        let until = Instant::now() + Duration::from_secs(120);
        while started.load(Ordering::SeqCst) < 5 * CLIENTS {
            assert!(Instant::now() < until, "clients made no progress");
            std::thread::sleep(Duration::from_millis(10));
        }
        d.signal("TERM");
        let tallies = handles.into_iter().map(|h| h.join().unwrap()).collect();
        stop.store(true, Ordering::SeqCst);
        tallies
    });
    let status = d.wait_exit(Duration::from_secs(60));
    let sum = |f: fn(&Tally) -> usize| tallies.iter().map(f).sum::<usize>();
    println!(
        "SIGTERM under load, {CLIENTS} clients: {} answered, {} deferred (421), {} closed after \
         the daemon had drained, {} lost",
        sum(|t| t.answered),
        sum(|t| t.deferred),
        sum(|t| t.closed),
        sum(|t| t.lost)
    );
    assert_eq!(sum(|t| t.lost), 0, "{tallies:?}");
    // Every client ended its run on a 421 or a closed connection, never mid-transaction.
    assert_eq!(sum(|t| t.deferred + t.closed), CLIENTS);
    assert!(status.success(), "{status:?}");
    let log = d.log_text();
    // Every answer given is in the log, and nothing was in progress when the daemon left.
    assert_eq!(
        log.matches("qid=LOADQID verdict=clean").count(),
        sum(|t| t.answered),
        "{log}"
    );
    assert!(
        log.matches("not scanned: shutting down").count() == sum(|t| t.deferred),
        "{log}"
    );
    assert!(
        log.contains("shutting down (0 messages still in progress)"),
        "{log}"
    );
}

/// A config whose answers show its generation: the warn threshold, which the
/// `X-Lurescreen-Score` field states.
fn generation_config(generation: usize) -> String {
    format!("[thresholds]\nwarn = {generation}.0\n")
}

/// Replaces the config file at once (a reload never reads half a file).
fn write_config(d: &Daemon, text: &str) {
    let tmp = d.config.with_extension("new");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &d.config).unwrap();
}

/// The generation of the config that answered: the warn threshold in `X-Lurescreen-Score`.
fn generation(replies: &[Reply]) -> usize {
    let score = find(replies, b'i')
        .iter()
        .map(|r| r.header_action().1)
        .find(|f| f[0] == "X-Lurescreen-Score")
        .unwrap_or_else(|| panic!("no score field: {replies:?}"));
    let v = &score[1];
    v.split("warn=")
        .nth(1)
        .and_then(|r| r.split('.').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("score {v:?}"))
}

#[test]
fn sighup_under_load_switches_config_without_losing_a_message() {
    let d = Daemon::start(&generation_config(1));
    const CLIENTS: usize = 4;
    const GENERATIONS: usize = 4;
    let stop = AtomicBool::new(false);
    let highest = AtomicUsize::new(1);
    // Per client: messages answered so far.
    let answered: Vec<AtomicUsize> = (0..CLIENTS).map(|_| AtomicUsize::new(0)).collect();
    let per_client: Vec<Vec<usize>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|i| {
                let (d, stop, highest, answered) = (&d, &stop, &highest, &answered[i]);
                s.spawn(move || {
                    let mut c = d.session();
                    let mut seen = Vec::new();
                    while !stop.load(Ordering::SeqCst) {
                        let replies = c
                            .message("a@client.example.net", "b@example.test", CLEAN)
                            .unwrap();
                        assert_eq!(replies.last().unwrap().cmd, b'a', "{replies:?}");
                        let g = generation(&replies);
                        highest.fetch_max(g, Ordering::SeqCst);
                        seen.push(g);
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                    seen
                })
            })
            .collect();
        let wait_for = |g: usize| {
            let until = Instant::now() + Duration::from_secs(120);
            while highest.load(Ordering::SeqCst) < g {
                assert!(Instant::now() < until, "generation {g} never answered");
                std::thread::sleep(Duration::from_millis(10));
            }
        };
        for g in 2..=GENERATIONS {
            write_config(&d, &generation_config(g));
            d.signal("HUP");
            d.wait_for_log("reloaded configuration and signatures", g - 1);
            wait_for(g);
        }
        // An invalid config on SIGHUP: the running one stays, and the log says why.
        write_config(&d, "[thresholds]\nwarn = \"not a number\"\n");
        d.signal("HUP");
        d.wait_for_log("reload failed, keeping the running set", 1);
        // Every client gets two more messages answered after it.
        let before: Vec<usize> = answered.iter().map(|a| a.load(Ordering::SeqCst)).collect();
        let until = Instant::now() + Duration::from_secs(120);
        while answered
            .iter()
            .zip(&before)
            .any(|(a, b)| a.load(Ordering::SeqCst) < b + 2)
        {
            assert!(
                Instant::now() < until,
                "no messages after the failed reload"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        stop.store(true, Ordering::SeqCst);
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let total: usize = per_client.iter().map(Vec::len).sum();
    println!(
        "SIGHUP under load: {CLIENTS} clients, {total} messages, generations 1..={GENERATIONS}"
    );
    for seen in &per_client {
        // Answers follow the reloads in order, and the failed reload changed nothing.
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert_eq!(seen.last(), Some(&GENERATIONS), "{seen:?}");
    }
    let log = d.log_text();
    assert!(
        log.contains("reload failed, keeping the running set:"),
        "{log}"
    );
    assert!(!log.contains("error="), "{log}");
    assert_eq!(log.matches("verdict=clean").count(), total, "{log}");
}

/// Sends `n` messages whose scans hang (until released) past a 100 ms deadline; each gets the
/// failure action.
fn hang_scans(c: &mut Client<TcpStream>, n: usize) {
    for _ in 0..n {
        let replies = c
            .message(
                "a@client.example.net",
                "b@example.test",
                &with_marker("FAULT-HANG"),
            )
            .unwrap();
        assert_failure_action(&replies, false, "scan did not finish within 100 ms");
    }
}

/// Scans that stay past their deadline are stuck for good: after `milter.stuck_restart_ms` the
/// server stops with an error (the daemon exits 70, and systemd restarts it), although the stuck
/// scans' threads still run.
#[test]
fn stuck_scans_end_the_server_with_an_error_for_a_restart() {
    let hang = Release::default();
    let mut m = InProcess::start(
        "[limits]\nscan_time_ms = 50\n[milter]\nstuck_restart_ms = 300\n",
        faulty_scanner(hang.clone()),
    );
    let mut c = m.session();
    hang_scans(&mut c, milter::MAX_OVERDUE_SCANS);
    let thread = m.thread.take().unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while !thread.is_finished() {
        assert!(Instant::now() < until, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
    let served = thread.join().unwrap();
    let why = served.unwrap_err();
    assert!(
        why.starts_with("8 scans have run past their deadline for 300 ms"),
        "{why}"
    );
    let logs = m.log_lines();
    assert!(logs.iter().any(|l| l == &why), "{logs:#?}");
    assert!(
        logs.iter()
            .any(|l| l.starts_with("shutting down (0 messages")),
        "{logs:#?}"
    );
    hang.release();
}

/// Fewer stuck scans than `MAX_OVERDUE_SCANS`, or a restart time of 0, keep the server running.
#[test]
fn the_stuck_scan_restart_waits_for_all_of_them_and_can_be_turned_off() {
    for (config, hung) in [
        (
            "[milter]\nstuck_restart_ms = 100\n",
            milter::MAX_OVERDUE_SCANS - 1,
        ),
        (
            "[milter]\nstuck_restart_ms = 0\n",
            milter::MAX_OVERDUE_SCANS,
        ),
    ] {
        let hang = Release::default();
        let mut m = InProcess::start(
            &format!("[limits]\nscan_time_ms = 50\n{config}"),
            faulty_scanner(hang.clone()),
        );
        let mut c = m.session();
        hang_scans(&mut c, hung);
        std::thread::sleep(Duration::from_millis(600));
        let thread = m.thread.as_ref().unwrap();
        assert!(!thread.is_finished(), "{config}: {:#?}", m.log_lines());
        hang.release();
        let _ = m.stop.take().unwrap().send(());
        assert_eq!(m.thread.take().unwrap().join().unwrap(), Ok(()));
    }
}

/// Scans past their deadline keep their threads (a scan cannot be cancelled); once
/// `MAX_OVERDUE_SCANS` of them are running, further messages get the failure action without a
/// scan, and scanning resumes when they end.
#[test]
fn hung_scans_cannot_pile_up_threads() {
    let hang = Release::default();
    // A short deadline: these scans hang until released, whatever the machine's load.
    let m = InProcess::start(
        "[limits]\nscan_time_ms = 50\n",
        faulty_scanner(hang.clone()),
    );
    let mut c = m.session();
    hang_scans(&mut c, milter::MAX_OVERDUE_SCANS);
    // Now even clean mail is not scanned, and says why.
    let replies = c
        .message(
            "a@client.example.net",
            "b@example.test",
            &with_marker("clean"),
        )
        .unwrap();
    assert_failure_action(&replies, false, "still running past their deadline");
    let logs = m.log_lines();
    assert!(
        logs.last().is_some_and(|l| l.contains(&format!(
            "{} earlier scans are still running past their deadline",
            milter::MAX_OVERDUE_SCANS
        ))),
        "{logs:#?}"
    );
    // Released, the hung scans end and scanning resumes.
    hang.release();
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let replies = c
            .message("a@client.example.net", "b@example.test", CLEAN)
            .unwrap();
        if replies.last().unwrap().cmd == b'a' {
            assert_normal(&replies);
            break;
        }
        assert!(
            Instant::now() < until,
            "scanning did not resume: {replies:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
