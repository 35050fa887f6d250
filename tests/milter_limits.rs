//! The milter against clients that stall, trickle and flood (issue 20 item 2): the per-stage
//! time limits close them, a new MTA connection is served even when every slot is taken, and
//! the in-flight memory budget gives the failure action instead of growing without bound.
//!
//! Time limits are set short in the tests' configuration; the tests assert on what happens
//! (connection closed, answer given, log line), never on how long it took. Read timeouts on the
//! client side are generous guards only.

mod milter_client;

use milter_client::daemon::{Daemon, find};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

const CLEAN: &[u8] =
    b"From: a@client.example.net\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nhello\r\n";

const SHORT: &str = "[milter]\nmax_connections = 4\nconnect_timeout_ms = 300\n\
command_timeout_ms = 300\nidle_timeout_ms = 1500\n";

fn raw(d: &Daemon) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", d.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s
}

/// Whether the milter closed the connection (end of input or reset) without answering.
fn closed_by_milter(stream: &mut TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(0) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        Ok(_) => false,
    }
}

fn assert_served(c: &mut milter_client::Client<TcpStream>) {
    let replies = c
        .message("a@client.example.net", "b@example.test", CLEAN)
        .unwrap();
    assert_eq!(replies.last().unwrap().cmd, b'a', "{replies:?}");
}

/// Connections that send nothing fill every slot; each new MTA connection is still served (the
/// one silent longest makes room), long before any time limit would close them.
#[test]
fn silent_connections_never_lock_out_a_new_mta() {
    let d = Daemon::start(
        "[milter]\nmax_connections = 4\nconnect_timeout_ms = 3600000\nidle_timeout_ms = 3600000\n",
    );
    let mut silent: Vec<TcpStream> = (0..4).map(|_| raw(&d)).collect();
    // Sessions kept open: each new one needs a slot.
    let mut sessions = Vec::new();
    for _ in 0..4 {
        let mut c = d.session();
        assert_served(&mut c);
        sessions.push(c);
    }
    for (i, s) in silent.iter_mut().enumerate() {
        assert!(closed_by_milter(s), "silent connection {i} still open");
    }
    d.wait_for_log(
        "connection closed to make room for a new one: all 4 connections in use",
        4,
    );
    // Then the session idle longest makes room for the next.
    assert_served(&mut d.session());
    assert!(closed_by_milter(&mut sessions[0].stream));
    assert!(!d.log_text().contains("no complete first command"));
}

/// A connection that sends nothing is closed by the connect time limit.
#[test]
fn a_silent_connection_is_closed_by_the_connect_limit() {
    let d = Daemon::start(SHORT);
    let mut s = raw(&d);
    assert!(closed_by_milter(&mut s));
    d.wait_for_log(
        "connection closed: no complete first command within 300 ms",
        1,
    );
    assert_served(&mut d.session());
}

/// Half a packet, then nothing: closed by the command time limit, while a healthy connection
/// opened before it goes on being served.
#[test]
fn a_stalled_packet_closes_that_connection_only() {
    let d = Daemon::start(SHORT);
    let mut healthy = d.session();
    let mut stalled = d.client();
    stalled.negotiate().unwrap();
    // Three bytes of a length prefix.
    stalled.stream.write_all(&[0, 0, 0]).unwrap();
    assert!(closed_by_milter(&mut stalled.stream));
    d.wait_for_log(
        "connection closed: a command begun was not complete within 300 ms",
        1,
    );
    assert_served(&mut healthy);
    // And a new one.
    assert_served(&mut d.session());
}

/// A packet trickled one byte at a time: each byte comes well within the limit, but the packet
/// is never complete, and the limit counts from its first byte.
#[test]
fn a_trickled_packet_is_cut_off() {
    let d = Daemon::start(SHORT);
    let mut c = d.session();
    c.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
    c.stage(b'M', b"<a@b.example.net>\0", milter_client::NOREPLY_MAIL)
        .unwrap();
    c.stage(b'R', b"<c@d.example.net>\0", milter_client::NOREPLY_RCPT)
        .unwrap();
    // A body packet of 1,000 bytes, of which at most 999 are ever sent.
    c.stream.write_all(&1001u32.to_be_bytes()).unwrap();
    c.stream.write_all(b"B").unwrap();
    let mut cut = false;
    for _ in 0..999 {
        std::thread::sleep(Duration::from_millis(20));
        if c.stream.write_all(b"x").is_err() {
            cut = true;
            break;
        }
        // A reset or end of input shows without blocking once the milter has closed.
        c.stream.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 8];
        let r = c.stream.read(&mut buf);
        c.stream.set_nonblocking(false).unwrap();
        match r {
            Ok(0) => {
                cut = true;
                break;
            }
            Ok(n) => panic!("answered {:?}", &buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => {
                cut = true;
                break;
            }
        }
    }
    assert!(cut, "the trickled packet was never cut off");
    d.wait_for_log("connection closed: a command begun was not complete", 1);
    assert_served(&mut d.session());
}

/// A connection silent between messages is closed by the idle limit; one that keeps talking
/// within it is not.
#[test]
fn idle_connections_are_closed_between_messages() {
    let d = Daemon::start(SHORT);
    let mut c = d.session();
    assert_served(&mut c);
    assert!(closed_by_milter(&mut c.stream));
    d.wait_for_log("connection closed: no next command within 1500 ms", 1);
    // Messages sent back to back on one connection, each gap far inside the limit.
    let mut busy = d.session();
    for _ in 0..5 {
        assert_served(&mut busy);
    }
}

/// When every slot holds a connection in the middle of a packet, a new connection is closed at
/// once (the MTA applies its default action) rather than left waiting; the busy ones go on.
#[test]
fn with_every_slot_mid_packet_a_new_connection_is_refused() {
    let d = Daemon::start(
        "[milter]\nmax_connections = 2\ncommand_timeout_ms = 60000\nconnect_timeout_ms = 60000\n",
    );
    // HELO wants an answer here; half a MAIL packet goes in the same write, so once HELO is
    // answered the daemon has read the half packet too: a packet in progress.
    let opts = milter_client::ALL_OPTS & !milter_client::NOREPLY_HELO;
    let mut busy: Vec<_> = (0..2)
        .map(|_| {
            let mut c = d.session_offering(opts);
            let mut bytes = vec![0, 0, 0, 3, b'H', b'x', 0];
            bytes.extend_from_slice(&[0, 0, 0, 15, b'M', b'<']);
            c.stream.write_all(&bytes).unwrap();
            assert_eq!(c.read().unwrap().cmd, b'c');
            c
        })
        .collect();
    let mut newcomer = raw(&d);
    assert!(closed_by_milter(&mut newcomer));
    d.wait_for_log("connection refused: all 2 connections are busy", 1);
    // The busy ones finish their packet and are served.
    for c in &mut busy {
        c.stream.write_all(b"a@b.example>\0").unwrap();
        let replies = c
            .message("a@client.example.net", "b@example.test", CLEAN)
            .unwrap();
        assert_eq!(replies.last().unwrap().cmd, b'a');
    }
}

/// Messages in progress together over `milter.max_body_bytes_in_flight`: the one that finds the
/// budget used up gets the failure action (451 by default), logged; the others are scanned, and
/// once they are done the budget is free again.
#[test]
fn the_in_flight_budget_defers_the_message_that_passes_it() {
    let d = Daemon::start(
        "[limits]\nmax_message_bytes = 100000\n[milter]\nmax_body_bytes_in_flight = 150000\n",
    );
    // Body chunks answered one by one, so the daemon is known to have kept each.
    let opts = milter_client::ALL_OPTS & !milter_client::NOREPLY_BODY;
    let body = |c: &mut milter_client::Client<TcpStream>| {
        c.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
        c.stage(b'M', b"<a@b.example.net>\0", milter_client::NOREPLY_MAIL)
            .unwrap();
        c.stage(b'R', b"<c@d.example.net>\0", milter_client::NOREPLY_RCPT)
            .unwrap();
        c.stage(b'L', b"Subject\0big\0", milter_client::NOREPLY_HEADER)
            .unwrap();
        c.stage(b'N', b"", milter_client::NOREPLY_EOH).unwrap();
        for _ in 0..9 {
            let r = c.command(b'B', &[b'a'; 10_000]).unwrap();
            assert_eq!(r.cmd, b'c');
        }
    };
    let eom = |c: &mut milter_client::Client<TcpStream>| {
        c.macros(b'E', &[("i", "BUDGETQID")]).unwrap();
        c.send(b'E', &[]).unwrap();
        milter_client::daemon::read_final(c).unwrap()
    };
    let mut first = d.session_offering(opts);
    let mut second = d.session_offering(opts);
    body(&mut first);
    body(&mut second);
    let replies = eom(&mut second);
    let last = replies.last().unwrap();
    assert_eq!(last.cmd, b'y', "{replies:?}");
    assert!(last.strings().join("").starts_with("451 4.7.1"), "{last:?}");
    assert!(find(&replies, b'i').is_empty());
    let replies = eom(&mut first);
    assert_eq!(replies.last().unwrap().cmd, b'a', "{replies:?}");
    let log = d.log_text();
    assert!(
        log.contains("not scanned: messages in progress hold milter.max_body_bytes_in_flight"),
        "{log}"
    );
    // Both done: the same message now fits.
    body(&mut second);
    let replies = eom(&mut second);
    assert_eq!(replies.last().unwrap().cmd, b'a', "{replies:?}");
}

/// A flood: one connection pours body packets as fast as it can, far over the size limit,
/// while other MTA connections are served; the flood gets the oversize action at its end.
#[test]
fn a_body_flood_does_not_starve_others() {
    let d = Daemon::start("[limits]\nmax_message_bytes = 100000\n");
    let port = d.port;
    let flood = std::thread::spawn(move || {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let mut c = milter_client::Client::new(s);
        c.negotiate().unwrap();
        c.connect("flood.example", "192.0.2.9").unwrap();
        c.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
        c.stage(
            b'M',
            b"<f@flood.example.net>\0",
            milter_client::NOREPLY_MAIL,
        )
        .unwrap();
        c.stage(b'R', b"<c@d.example.net>\0", milter_client::NOREPLY_RCPT)
            .unwrap();
        c.stage(b'L', b"Subject\0flood\0", milter_client::NOREPLY_HEADER)
            .unwrap();
        let chunk = vec![b'f'; 65_535];
        for _ in 0..800 {
            c.stage(b'B', &chunk, milter_client::NOREPLY_BODY).unwrap();
        }
        c.macros(b'E', &[("i", "FLOODQID")]).unwrap();
        c.send(b'E', &[]).unwrap();
        milter_client::daemon::read_final(&mut c).unwrap()
    });
    for _ in 0..10 {
        assert_served(&mut d.session());
    }
    let replies = flood.join().unwrap();
    assert_eq!(replies.last().unwrap().cmd, b'a', "{replies:?}");
    assert!(
        find(&replies, b'i')
            .iter()
            .any(|r| r.header_action().1[0] == "X-Lurescreen-Error"),
        "{replies:?}"
    );
    d.wait_for_log("qid=FLOODQID not scanned: too large", 1);
}
