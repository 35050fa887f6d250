//! The milter at protocol level, without an MTA: negotiation, each action, malformed and
//! truncated packets, abrupt disconnects.

mod milter_client;

use milter_client::daemon::{Daemon, find, read_final};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

const CLEAN: &[u8] =
    b"From: a@client.example.net\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nhello\r\n";

#[test]
fn negotiation_requests_the_actions_it_uses() {
    let d = Daemon::start("");
    let mut c = d.client();
    let r = c.negotiate().unwrap();
    assert_eq!(r.cmd, b'O');
    let actions = u32::from_be_bytes(r.data[4..8].try_into().unwrap());
    // ADD_HEADER 0x1, REPLACE_BODY 0x2, CHANGE_HEADER 0x10, QUARANTINE 0x20.
    assert_eq!(actions, 0x1 | 0x2 | 0x10 | 0x20, "actions {actions:#x}");
    // No answers wanted for the stages that always continue: end of message is the one round
    // trip of a transaction.
    let opts = c.opts;
    for stage in [
        milter_client::NOREPLY_CONNECT,
        milter_client::NOREPLY_HELO,
        milter_client::NOREPLY_MAIL,
        milter_client::NOREPLY_RCPT,
        milter_client::NOREPLY_HEADER,
        milter_client::NOREPLY_BODY,
    ] {
        assert_ne!(opts & stage, 0, "opts {opts:#x} lack {stage:#x}");
    }
    // Nothing is asked for that the MTA did not offer.
    let mut older = d.client();
    older
        .negotiate_offering(milter_client::ALL_OPTS & !milter_client::NOREPLY_MAIL)
        .unwrap();
    assert_eq!(older.opts & milter_client::NOREPLY_MAIL, 0);
    assert_ne!(older.opts & milter_client::NOREPLY_HEADER, 0);
}

#[test]
fn clean_message_gets_inserted_headers_and_forged_ones_deleted() {
    let d = Daemon::start("");
    let mut c = d.session();
    let raw = b"X-Lurescreen-Verdict: clean\r\nFrom: a@client.example.net\r\nSubject: hi\r\n\r\nhello\r\n";
    let replies = c
        .message("a@client.example.net", "b@example.test", raw)
        .unwrap();
    let deleted = find(&replies, b'm');
    assert_eq!(deleted.len(), 1);
    assert_eq!(
        deleted[0].header_action(),
        (1, vec!["X-Lurescreen-Verdict".to_string()])
    );
    let inserted: Vec<(u32, Vec<String>)> = find(&replies, b'i')
        .iter()
        .map(|r| r.header_action())
        .collect();
    assert_eq!(
        inserted[0],
        (0, vec!["X-Lurescreen-Verdict".into(), "clean".into()])
    );
    assert_eq!(inserted[1].0, 1);
    assert_eq!(inserted[1].1[0], "X-Lurescreen-Score");
    assert_eq!(
        inserted[2],
        (2, vec!["X-Lurescreen-Reasons".into(), "none".into()])
    );
    assert_eq!(replies.last().unwrap().cmd, b'a');
    // A second message on the same connection is judged on its own.
    let replies = c
        .message("a@client.example.net", "b@example.test", CLEAN)
        .unwrap();
    assert!(find(&replies, b'm').is_empty());
    assert!(
        d.log_text().contains("qid=TESTQID verdict=clean"),
        "{}",
        d.log_text()
    );
    assert!(
        d.log_text()
            .contains("client=192.0.2.7 from=<a@client.example.net> rcpts=1")
    );
}

#[test]
fn quarantine_tag_banner_and_reject_actions() {
    let d =
        Daemon::start("[thresholds]\nreject = 20.0\n[markup]\nsubject_tag = true\nbanner = true\n");
    let mut c = d.session();
    let attach = |name: &str| {
        format!(
            "From: a@client.example.net\r\nSubject: invoice\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename*=UTF-8''{name}\r\n\r\nMZ\r\n--b--\r\n"
        )
        .into_bytes()
    };
    let replies = c
        .message(
            "a@client.example.net",
            "b@example.test",
            &attach("a.pdf.exe"),
        )
        .unwrap();
    let q = find(&replies, b'q');
    assert_eq!(q.len(), 1, "{replies:?}");
    assert!(q[0].strings()[0].contains("ATTACH_DOUBLE_EXTENSION"));
    let subject = find(&replies, b'm');
    assert_eq!(
        subject[0].header_action(),
        (
            1,
            vec!["Subject".to_string(), "[SUSPICIOUS] invoice".to_string()]
        )
    );
    let body = find(&replies, b'b');
    assert!(!body.is_empty());
    let body: Vec<u8> = body.iter().flat_map(|r| r.data.clone()).collect();
    assert!(String::from_utf8_lossy(&body).contains("WARNING: lurescreen"));
    assert_eq!(replies.last().unwrap().cmd, b'a');

    let replies = c
        .message(
            "a@client.example.net",
            "b@example.test",
            &attach("%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf.%E2%80%AEexe"),
        )
        .unwrap();
    let last = replies.last().unwrap();
    assert_eq!(last.cmd, b'y', "{replies:?}");
    let text = last.strings().join("");
    assert!(text.starts_with("550 5.7.1 Message refused"), "{text}");
}

/// Reads until the milter closes the connection; fails if it answers anything or keeps the
/// connection open (the read timeout is a generous guard, not a measurement).
fn assert_closed_by_milter(stream: &mut TcpStream, what: &str) {
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(0) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Ok(n) => panic!("{what}: the milter answered {:?}", &buf[..n]),
        Err(e) => panic!("{what}: the connection stayed open ({e})"),
    }
}

#[test]
fn malformed_and_truncated_packets_close_only_that_connection() {
    let d = Daemon::start("");
    // A healthy session opened first stays usable throughout.
    let mut healthy = d.session();
    // An unknown command byte.
    let mut c = d.client();
    c.negotiate().unwrap();
    c.send(b'Z', b"junk").unwrap();
    // A header packet with no NUL terminators, inside a transaction (out of order, indymilter
    // ignores a header as libmilter does).
    let mut c2 = d.session();
    c2.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
    c2.stage(b'M', b"<a@b.example.net>\0", milter_client::NOREPLY_MAIL)
        .unwrap();
    c2.stage(b'R', b"<c@d.example.net>\0", milter_client::NOREPLY_RCPT)
        .unwrap();
    c2.send(b'L', b"no terminator").unwrap();
    // A length prefix promising more than is sent, then end of input from the MTA's side.
    let mut short = TcpStream::connect(("127.0.0.1", d.port)).unwrap();
    short.write_all(&[0, 0, 0, 200, b'O', 0, 0]).unwrap();
    short.shutdown(Shutdown::Write).unwrap();
    // A huge length prefix.
    let mut huge = TcpStream::connect(("127.0.0.1", d.port)).unwrap();
    huge.write_all(&[0x7f, 0xff, 0xff, 0xff, b'B']).unwrap();
    // Disconnect in the middle of a message, after some body.
    let mut c3 = d.session();
    c3.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
    c3.stage(b'M', b"<a@b.example.net>\0", milter_client::NOREPLY_MAIL)
        .unwrap();
    c3.send(b'B', b"partial body").unwrap();
    drop(c3);
    // Each bad connection was closed by the milter, with no answer.
    assert_closed_by_milter(&mut c.stream, "unknown command");
    assert_closed_by_milter(&mut c2.stream, "header without terminators");
    assert_closed_by_milter(&mut short, "short packet");
    assert_closed_by_milter(&mut huge, "huge length");
    // The daemon is still up, and answers the session opened before and a new one.
    for c in [&mut healthy, &mut d.session()] {
        let replies = c
            .message("a@client.example.net", "b@example.test", CLEAN)
            .unwrap();
        assert_eq!(replies.last().unwrap().cmd, b'a');
    }
}

#[test]
fn abort_discards_the_message_in_progress() {
    let d = Daemon::start("");
    let mut c = d.session();
    c.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
    c.stage(b'M', b"<a@b.example.net>\0", milter_client::NOREPLY_MAIL)
        .unwrap();
    c.stage(b'R', b"<c@d.example.net>\0", milter_client::NOREPLY_RCPT)
        .unwrap();
    c.stage(b'L', b"Subject\0first\0", milter_client::NOREPLY_HEADER)
        .unwrap();
    c.send(b'A', &[]).unwrap();
    // After the abort, a new transaction starts clean: only its own header counts.
    let replies = c
        .message(
            "a@client.example.net",
            "b@example.test",
            b"Subject: second\r\n\r\nbody\r\n",
        )
        .unwrap();
    assert_eq!(replies.last().unwrap().cmd, b'a');
    assert!(d.log_text().contains("rcpts=1"), "{}", d.log_text());
}

#[test]
fn check_validates_and_exits() {
    let out = Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .args([
            "--config",
            "/dev/null",
            "milter",
            "--listen",
            "inet:127.0.0.1:1",
            "--check",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("milter configuration is valid"));
    let out = Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .args([
            "--config",
            "/dev/null",
            "milter",
            "--listen",
            "tcp:nowhere",
            "--check",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
}

/// SIGTERM while one connection is mid-message and others are idle between messages: the
/// message in progress gets its answer; a new transaction gets 421 4.3.2, at end of message
/// when the MTA wanted no answer at MAIL FROM, else at MAIL FROM; then the daemon exits.
#[test]
fn sigterm_lets_the_message_in_progress_finish_and_defers_new_ones() {
    let mut d = Daemon::start("[milter]\nshutdown_grace_ms = 20000\n");
    let mut busy = d.session();
    busy.stage(b'H', b"x\0", milter_client::NOREPLY_HELO)
        .unwrap();
    let r = busy
        .stage(b'M', b"<a@b.example.net>\0", milter_client::NOREPLY_MAIL)
        .unwrap();
    assert_eq!(r.cmd, b'c');
    busy.stage(b'R', b"<c@d.example.net>\0", milter_client::NOREPLY_RCPT)
        .unwrap();
    busy.stage(b'L', b"Subject\0in flight\0", milter_client::NOREPLY_HEADER)
        .unwrap();
    // Two more connections, idle between messages: one from an MTA like Postfix, one from an
    // MTA that wants an answer to MAIL FROM.
    let mut idle = d.session();
    let mut older = d.session_offering(milter_client::ALL_OPTS & !milter_client::NOREPLY_MAIL);
    d.signal("TERM");
    // Draining has begun once the daemon says so (no fixed sleep: the machine may be loaded).
    d.wait_for_log("stopping: new transactions get 421", 1);
    // New transactions are deferred while draining.
    let replies = idle
        .message(
            "e@f.example.net",
            "g@h.example.net",
            b"Subject: late\r\n\r\nlate\r\n",
        )
        .unwrap();
    let r = replies.last().unwrap();
    assert_eq!(r.cmd, b'y', "{replies:?}");
    assert!(r.strings().join("").starts_with("421 4.3.2"), "{r:?}");
    older
        .stage(b'H', b"x\0", milter_client::NOREPLY_HELO)
        .unwrap();
    let r = older
        .stage(b'M', b"<e@f.example.net>\0", milter_client::NOREPLY_MAIL)
        .unwrap();
    assert_eq!(r.cmd, b'y', "{r:?}");
    assert!(r.strings().join("").starts_with("421 4.3.2"), "{r:?}");
    // The message in progress still gets its answer.
    busy.stage(b'B', b"body\r\n", milter_client::NOREPLY_BODY)
        .unwrap();
    busy.macros(b'E', &[("i", "DRAINQID")]).unwrap();
    busy.send(b'E', &[]).unwrap();
    let replies = read_final(&mut busy).unwrap();
    assert_eq!(replies.last().unwrap().cmd, b'a');
    // Then the daemon exits by itself.
    let status = d.wait_exit(Duration::from_secs(20));
    assert!(status.success(), "{status:?}");
    let log = d.log_text();
    assert!(log.contains("qid=DRAINQID verdict=clean"), "{log}");
    assert!(
        log.contains("qid=TESTQID not scanned: shutting down action=tempfail"),
        "{log}"
    );
}

#[test]
fn held_message_gets_a_notice_file_and_clean_mail_none() {
    let spool = tempfile::tempdir().unwrap();
    let d = Daemon::start(&format!(
        "[notice]\nenabled = true\ndir = \"{}\"\n",
        spool.path().display()
    ));
    let mut c = d.session();
    let notices = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(spool.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect()
    };
    let count = || std::fs::read_dir(spool.path()).unwrap().count();
    c.message("a@client.example.net", "b@example.test", CLEAN)
        .unwrap();
    assert_eq!(count(), 0, "no notice for clean mail");
    let held = b"From: a@client.example.net\r\nTo: x@example.test\r\nSubject: invoice\r\n\
Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.pdf.exe\r\n\r\nMZ\r\n--b--\r\n";
    let replies = c
        .message("a@client.example.net", "b@example.test", held)
        .unwrap();
    assert_eq!(find(&replies, b'q').len(), 1, "{replies:?}");
    // The notice is written beside the answer, not before it: wait for it.
    let until = Instant::now() + Duration::from_secs(20);
    while notices().is_empty() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    let files = notices();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].to_string_lossy().ends_with(".TESTQID.eml"));
    let raw = std::fs::read(&files[0]).unwrap();
    let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
    // The envelope recipient, not the To field.
    assert_eq!(
        m.to().and_then(|a| a.first()).and_then(|a| a.address()),
        Some("b@example.test")
    );
    assert!(m.body_text(0).unwrap().contains("ATTACH_DOUBLE_EXTENSION"));
}

/// An MTA that does not allow one of the actions is still served; a message that needs the
/// missing action (here: hold) gets 451 4.7.1 instead of passing half-marked, and the log says
/// why.
#[test]
fn an_action_the_mta_refuses_turns_into_451() {
    let d = Daemon::start("");
    let mut c = d.client();
    // Every action but QUARANTINE (0x20).
    let r = c
        .negotiate_with(milter_client::ALL_ACTIONS & !0x20, milter_client::ALL_OPTS)
        .unwrap();
    assert_eq!(r.cmd, b'O');
    assert_eq!(
        c.connect("client.example.net", "192.0.2.7").unwrap().cmd,
        b'c'
    );
    let replies = c
        .message("a@client.example.net", "b@example.test", CLEAN)
        .unwrap();
    assert_eq!(replies.last().unwrap().cmd, b'a', "{replies:?}");
    let held = b"From: a@client.example.net\r\nSubject: invoice\r\n\
Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.pdf.exe\r\n\r\nMZ\r\n--b--\r\n";
    let replies = c
        .message("a@client.example.net", "b@example.test", held)
        .unwrap();
    assert!(find(&replies, b'q').is_empty(), "{replies:?}");
    let last = replies.last().unwrap();
    assert_eq!(last.cmd, b'y', "{replies:?}");
    let text = last.strings().join("");
    assert!(text.starts_with("451 4.7.1"), "{text}");
    let log = d.log_text();
    assert!(
        log.contains("qid=TESTQID error=\"milter action refused by the MTA"),
        "{log}"
    );
    assert!(log.contains("action=tempfail"), "{log}");
}

/// A newline (or other control character) in MAIL FROM or the queue id cannot end the log line
/// and forge another: every field is escaped.
#[test]
fn log_fields_escape_control_characters() {
    let d = Daemon::start("");
    let mut c = d.session();
    c.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
    c.stage(
        b'M',
        b"<a@b.example.net>\nlurescreen milter: qid=FORGED verdict=clean\0",
        milter_client::NOREPLY_MAIL,
    )
    .unwrap();
    c.stage(b'R', b"<c@d.example.net>\0", milter_client::NOREPLY_RCPT)
        .unwrap();
    c.stage(b'L', b"Subject\0hi\0", milter_client::NOREPLY_HEADER)
        .unwrap();
    c.stage(b'B', b"body\r\n", milter_client::NOREPLY_BODY)
        .unwrap();
    c.macros(b'E', &[("i", "Q1\r\nlurescreen milter: qid=FORGED2 x")])
        .unwrap();
    c.send(b'E', &[]).unwrap();
    let replies = read_final(&mut c).unwrap();
    assert_eq!(replies.last().unwrap().cmd, b'a');
    d.wait_for_log("rcpts=1", 1);
    let log = d.log_text();
    for line in log.lines() {
        assert!(
            !line.contains("qid=FORGED") || line.contains("<U+000A>"),
            "a forged line: {line:?}\n{log}"
        );
        assert!(!line.starts_with("lurescreen milter: qid=FORGED"), "{log}");
    }
    assert!(
        log.contains(
            "qid=Q1<U+000D><U+000A>lurescreen<U+0020>milter:<U+0020>qid=FORGED2<U+0020>x verdict="
        ),
        "{log}"
    );
    assert!(
        log.contains("from=<a@b.example.net><U+000A>lurescreen<U+0020>milter:"),
        "{log}"
    );
}

/// A message whose header alone passes `limits.max_message_bytes` (empty body) gets the
/// oversize action unscanned, also when the fields kept add up to exactly the limit; a forged
/// `X-Lurescreen-*` field past the limit is still removed.
#[test]
fn header_only_size_limit() {
    let d = Daemon::start("[limits]\nmax_message_bytes = 2000\n");
    let mut c = d.session();
    // 20 fields of exactly 100 bytes as counted (name + value + 4): the limit, exactly.
    let mut raw = Vec::new();
    for i in 0..20 {
        raw.extend_from_slice(format!("X-Pad-{i:02}: {}\r\n", "v".repeat(88)).as_bytes());
    }
    raw.extend_from_slice(b"X-Lurescreen-Verdict: clean\r\nSubject: over\r\n\r\n");
    let replies = c
        .message("a@client.example.net", "b@example.test", &raw)
        .unwrap();
    assert_eq!(replies.last().unwrap().cmd, b'a', "{replies:?}");
    let error: Vec<_> = find(&replies, b'i')
        .iter()
        .map(|r| r.header_action().1)
        .filter(|f| f[0] == "X-Lurescreen-Error")
        .collect();
    assert_eq!(error.len(), 1, "{replies:?}");
    assert!(
        error[0][1].contains("over the limit of 2000 bytes"),
        "{error:?}"
    );
    assert!(
        find(&replies, b'i')
            .iter()
            .all(|r| r.header_action().1[0] != "X-Lurescreen-Verdict"),
        "unscanned: no verdict of ours"
    );
    let removed: Vec<_> = find(&replies, b'm')
        .iter()
        .map(|r| r.header_action())
        .collect();
    assert_eq!(
        removed,
        vec![(1, vec!["X-Lurescreen-Verdict".to_string()])],
        "the forged field past the limit is removed"
    );
    assert!(
        d.log_text().contains("not scanned: too large"),
        "{}",
        d.log_text()
    );
    // With tempfail as the oversize action: 451, nothing changed.
    let d = Daemon::start(
        "[limits]\nmax_message_bytes = 2000\n[milter]\noversize_action = \"tempfail\"\n",
    );
    let replies = d
        .session()
        .message("a@client.example.net", "b@example.test", &raw)
        .unwrap();
    let last = replies.last().unwrap();
    assert_eq!(last.cmd, b'y', "{replies:?}");
    assert!(last.strings().join("").starts_with("451 4.7.1"));
    assert!(find(&replies, b'i').is_empty() && find(&replies, b'm').is_empty());
}

/// Starts the milter on a unix socket at `path` and waits until it answers there, or until it
/// exits (returned as Err with its log).
fn start_unix(
    dir: &std::path::Path,
    config: &str,
    path: &std::path::Path,
) -> Result<std::process::Child, (std::process::ExitStatus, String)> {
    let mut child = Daemon::spawn_unix(dir, config, path);
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Err((status, std::fs::read_to_string(dir.join("log")).unwrap()));
        }
        if std::os::unix::net::UnixStream::connect(path).is_ok() {
            return Ok(child);
        }
        assert!(Instant::now() < until, "milter did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn unix_session(path: &std::path::Path) -> milter_client::Client<std::os::unix::net::UnixStream> {
    let s = std::os::unix::net::UnixStream::connect(path).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut c = milter_client::Client::new(s);
    assert_eq!(c.negotiate().unwrap().cmd, b'O');
    assert_eq!(c.connect("localhost", "127.0.0.1").unwrap().cmd, b'c');
    c
}

/// The unix socket, without root or an MTA: a stale socket file from an earlier run is
/// replaced; the file gets `milter.socket_mode`; a path that is not a socket is refused and left
/// alone; on SIGTERM the socket file is removed.
#[test]
fn unix_socket_stale_replaced_mode_set_non_socket_refused() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("milter.sock");
    // A stale socket: bound, then its listener gone (the file stays).
    drop(std::os::unix::net::UnixListener::bind(&sock).unwrap());
    assert!(std::os::unix::net::UnixStream::connect(&sock).is_err());
    let mut child = start_unix(dir.path(), "[milter]\nsocket_mode = \"600\"\n", &sock).unwrap();
    let meta = std::fs::symlink_metadata(&sock).unwrap();
    assert!(meta.file_type().is_socket());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let replies = unix_session(&sock)
        .message("a@client.example.net", "b@example.test", CLEAN)
        .unwrap();
    assert_eq!(replies.last().unwrap().cmd, b'a');
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < until, "daemon did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(!sock.exists(), "the socket file is removed on exit");

    // The default mode: 660 (the MTA's group reaches it).
    let mut child = start_unix(dir.path(), "", &sock).unwrap();
    let mode = std::fs::metadata(&sock).unwrap().permissions().mode() & 0o777;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(mode, 0o660);

    // A regular file where the socket should go: refused, not deleted.
    let plain = dir.path().join("not-a-socket");
    std::fs::write(&plain, "keep me").unwrap();
    let (status, log) = start_unix(dir.path(), "", &plain).unwrap_err();
    assert!(!status.success());
    assert!(log.contains("exists and is not a socket"), "{log}");
    assert_eq!(std::fs::read_to_string(&plain).unwrap(), "keep me");
}

/// Every line of a JSON-mode log, parsed (a line that is not JSON fails the test).
fn json_lines(log: &str) -> Vec<serde_json::Value> {
    log.lines()
        .map(|l| {
            let json = l.strip_prefix("lurescreen milter: ").unwrap_or(l);
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {l}"))
        })
        .collect()
}

/// `--log-format json`: every line is one JSON object; the message's line has the keys of the
/// text line, with the same escaped values (a newline in MAIL FROM stays inside its string).
#[test]
fn json_log_lines_are_one_object_each() {
    let d = Daemon::start_with("", &["--log-format", "json"]);
    let mut c = d.session();
    c.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
    c.stage(
        b'M',
        b"<a@b.example.net>\n{\"qid\":\"FORGED\"}\0",
        milter_client::NOREPLY_MAIL,
    )
    .unwrap();
    c.stage(b'R', b"<c@d.example.net>\0", milter_client::NOREPLY_RCPT)
        .unwrap();
    c.stage(b'L', b"Subject\0hi\0", milter_client::NOREPLY_HEADER)
        .unwrap();
    c.macros(b'E', &[("i", "JSONQID")]).unwrap();
    c.send(b'E', &[]).unwrap();
    assert_eq!(read_final(&mut c).unwrap().last().unwrap().cmd, b'a');
    d.wait_for_log("JSONQID", 1);
    let lines = json_lines(&d.log_text());
    assert!(
        lines[0]["event"]
            .as_str()
            .unwrap()
            .starts_with("listening on")
    );
    let m: Vec<_> = lines.iter().filter(|l| l["qid"].is_string()).collect();
    assert_eq!(m.len(), 1, "{lines:?}");
    let m = m[0];
    assert_eq!(m["qid"], "JSONQID");
    assert_eq!(m["verdict"], "clean");
    assert_eq!(m["action"], "accept");
    assert_eq!(m["rcpts"], 1);
    assert!(m["rules"].is_array() && m["score"].is_number() && m["ms"].is_number());
    assert_eq!(m["from"], "a@b.example.net><U+000A>{\"qid\":\"FORGED\"}");
}

/// `--log-format json` holds for every line, not only the message's: a notice that cannot be
/// written and the watchdog closing a silent connection are logged as JSON objects too.
#[test]
fn json_log_has_no_plain_text_line() {
    let spool = tempfile::tempdir().unwrap();
    // A file where the notice folder's parent should be: no notice can be written.
    let blocker = spool.path().join("a-file");
    std::fs::write(&blocker, "").unwrap();
    let d = Daemon::start_with(
        &format!(
            "[milter]\nconnect_timeout_ms = 100\n[notice]\nenabled = true\ndir = \"{}\"\n",
            blocker.join("notices").display()
        ),
        &["--log-format", "json"],
    );
    let held = b"From: a@client.example.net\r\nTo: x@example.test\r\nSubject: invoice\r\n\
Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.pdf.exe\r\n\r\nMZ\r\n--b--\r\n";
    let mut c = d.session();
    let replies = c
        .message("a@client.example.net", "b@example.test", held)
        .unwrap();
    assert_eq!(find(&replies, b'q').len(), 1, "{replies:?}");
    d.wait_for_log("\"error\":", 1);
    // A connection that never sends its first command: closed by the watchdog.
    let silent = TcpStream::connect(("127.0.0.1", d.port)).unwrap();
    d.wait_for_log("connection closed", 1);
    drop(silent);
    let lines = json_lines(&d.log_text());
    let notice = lines
        .iter()
        .find(|l| l["error"].is_string() && l["action"].is_null())
        .unwrap_or_else(|| panic!("no notice error line: {lines:?}"));
    assert_eq!(notice["qid"], "TESTQID", "{notice}");
    assert!(
        lines.iter().any(|l| l["event"]
            .as_str()
            .is_some_and(|e| e.starts_with("connection closed: no complete first"))),
        "{lines:?}"
    );
}
