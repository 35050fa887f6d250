//! The milter at protocol level, without an MTA: negotiation, each action, malformed and
//! truncated packets, abrupt disconnects.

mod milter_client;

use milter_client::daemon::{Daemon, find, read_final};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

const CLEAN: &[u8] =
    b"From: a@client.example.test\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nhello\r\n";

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
    let raw = b"X-Lurescreen-Verdict: clean\r\nFrom: a@client.example.test\r\nSubject: hi\r\n\r\nhello\r\n";
    let replies = c
        .message("a@client.example.test", "b@example.test", raw)
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
        .message("a@client.example.test", "b@example.test", CLEAN)
        .unwrap();
    assert!(find(&replies, b'm').is_empty());
    assert!(
        d.log_text().contains("qid=TESTQID verdict=clean"),
        "{}",
        d.log_text()
    );
    assert!(
        d.log_text()
            .contains("client=192.0.2.7 from=<a@client.example.test> rcpts=1")
    );
}

#[test]
fn quarantine_tag_banner_and_reject_actions() {
    let d =
        Daemon::start("[thresholds]\nreject = 20.0\n[markup]\nsubject_tag = true\nbanner = true\n");
    let mut c = d.session();
    let attach = |name: &str| {
        format!(
            "From: a@client.example.test\r\nSubject: invoice\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename*=UTF-8''{name}\r\n\r\nMZ\r\n--b--\r\n"
        )
        .into_bytes()
    };
    let replies = c
        .message(
            "a@client.example.test",
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
            "a@client.example.test",
            "b@example.test",
            &attach("%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf.%E2%80%AEexe"),
        )
        .unwrap();
    let last = replies.last().unwrap();
    assert_eq!(last.cmd, b'y', "{replies:?}");
    let text = last.strings().join("");
    assert!(text.starts_with("550 5.7.1 Message refused"), "{text}");
}

#[test]
fn malformed_and_truncated_packets_close_only_that_connection() {
    let d = Daemon::start("");
    // An unknown command byte.
    let mut c = d.client();
    c.negotiate().unwrap();
    c.send(b'Z', b"junk").unwrap();
    // A header packet with no NUL terminators.
    let mut c2 = d.session();
    c2.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
    c2.send(b'L', b"no terminator").unwrap();
    // A length prefix promising more than is sent, then a hang-up.
    let mut raw = TcpStream::connect(("127.0.0.1", d.port)).unwrap();
    use std::io::Write;
    raw.write_all(&[0, 0, 0, 200, b'O', 0, 0]).unwrap();
    drop(raw);
    // A huge length prefix.
    let mut raw = TcpStream::connect(("127.0.0.1", d.port)).unwrap();
    raw.write_all(&[0x7f, 0xff, 0xff, 0xff, b'B']).unwrap();
    drop(raw);
    // Disconnect in the middle of a message, after some body.
    let mut c3 = d.session();
    c3.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
    c3.stage(b'M', b"<a@b.example>\0", milter_client::NOREPLY_MAIL)
        .unwrap();
    c3.send(b'B', b"partial body").unwrap();
    drop(c3);
    drop(c);
    drop(c2);
    std::thread::sleep(Duration::from_millis(200));
    // The daemon is still up and answers a normal session.
    let mut ok = d.session();
    let replies = ok
        .message("a@client.example.test", "b@example.test", CLEAN)
        .unwrap();
    assert_eq!(replies.last().unwrap().cmd, b'a');
}

#[test]
fn abort_discards_the_message_in_progress() {
    let d = Daemon::start("");
    let mut c = d.session();
    c.stage(b'H', b"x\0", milter_client::NOREPLY_HELO).unwrap();
    c.stage(b'M', b"<a@b.example>\0", milter_client::NOREPLY_MAIL)
        .unwrap();
    c.stage(b'R', b"<c@d.example>\0", milter_client::NOREPLY_RCPT)
        .unwrap();
    c.stage(b'L', b"Subject\0first\0", milter_client::NOREPLY_HEADER)
        .unwrap();
    c.send(b'A', &[]).unwrap();
    // After the abort, a new transaction starts clean: only its own header counts.
    let replies = c
        .message(
            "a@client.example.test",
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
        .stage(b'M', b"<a@b.example>\0", milter_client::NOREPLY_MAIL)
        .unwrap();
    assert_eq!(r.cmd, b'c');
    busy.stage(b'R', b"<c@d.example>\0", milter_client::NOREPLY_RCPT)
        .unwrap();
    busy.stage(b'L', b"Subject\0in flight\0", milter_client::NOREPLY_HEADER)
        .unwrap();
    // Two more connections, idle between messages: one from an MTA like Postfix, one from an
    // MTA that wants an answer to MAIL FROM.
    let mut idle = d.session();
    let mut older = d.session_offering(milter_client::ALL_OPTS & !milter_client::NOREPLY_MAIL);
    d.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    // New transactions are deferred while draining.
    let replies = idle
        .message(
            "e@f.example",
            "g@h.example",
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
        .stage(b'M', b"<e@f.example>\0", milter_client::NOREPLY_MAIL)
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
    c.message("a@client.example.test", "b@example.test", CLEAN)
        .unwrap();
    assert_eq!(count(), 0, "no notice for clean mail");
    let held = b"From: a@client.example.test\r\nTo: x@example.test\r\nSubject: invoice\r\n\
Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.pdf.exe\r\n\r\nMZ\r\n--b--\r\n";
    let replies = c
        .message("a@client.example.test", "b@example.test", held)
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
