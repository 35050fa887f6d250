//! A throw-away Postfix instance with its own config directory, an SMTP port on loopback and
//! delivery to one Maildir, plus the lurescreen milter it calls. Used by the end-to-end tests;
//! they are skipped, with the reason printed, where Postfix cannot run (not installed, not root).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Why Postfix cannot run here, or `None` if it can.
/// Why Postfix cannot run here, if it cannot. Under `CI=true` (set by `.ci/run`, which installs
/// Postfix and runs as root) that fails the test instead: a skipped end-to-end test must not
/// show as passed there.
pub fn unavailable() -> Option<String> {
    let why = why_unavailable();
    if let Some(why) = &why {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but Postfix cannot run: {why}"
        );
    }
    why
}

fn why_unavailable() -> Option<String> {
    if !Path::new("/usr/sbin/postfix").exists() {
        return Some("postfix is not installed (apt-get install postfix)".into());
    }
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("Postfix needs root to start its master process".into());
    }
    if id("-u", "postfix").is_none() || id("-g", "nobody").is_none() {
        return Some("the postfix or nobody user is missing".into());
    }
    None
}

fn id(flag: &str, user: &str) -> Option<u32> {
    let out = Command::new("id").args([flag, user]).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The milter, running from the built binary.
pub struct Milter {
    pub child: Child,
    pub log: PathBuf,
    pub socket: String,
}

impl Milter {
    /// Starts `lurescreen --config CONFIG milter --listen SOCKET` and waits until it listens.
    pub fn start(base: &Path, config: &str, socket: &str) -> Milter {
        Milter::start_binary(
            Path::new(env!("CARGO_BIN_EXE_lurescreen")),
            base,
            config,
            socket,
        )
    }

    /// The same with another build of lurescreen (to compare two builds in one benchmark run).
    pub fn start_binary(bin: &Path, base: &Path, config: &str, socket: &str) -> Milter {
        let cfg = base.join("lurescreen.toml");
        std::fs::write(&cfg, config).unwrap();
        let log = base.join("milter.log");
        let child = Command::new(bin)
            .args([
                "--config",
                cfg.to_str().unwrap(),
                "milter",
                "--listen",
                socket,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start the milter");
        let m = Milter {
            child,
            log,
            socket: socket.to_string(),
        };
        m.wait_listening();
        m
    }

    fn wait_listening(&self) {
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until {
            if self.log_text().contains("listening on") {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("milter did not start: {}", self.log_text());
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn signal(&self, sig: &str) {
        Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
    }

    /// Sends SIGTERM and waits for the process to end.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        self.signal("-TERM");
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                panic!("milter did not stop on SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Milter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Postfix instance under `base`.
pub struct Postfix {
    pub base: PathBuf,
    pub conf: PathBuf,
    pub port: u16,
}

impl Postfix {
    /// Writes the configuration and starts Postfix with `smtpd_milters = milter`.
    pub fn start(base: &Path, milter: &str) -> Postfix {
        let conf = base.join("etc");
        for d in ["etc", "spool", "data", "mail"] {
            std::fs::create_dir_all(base.join(d)).unwrap();
        }
        chmod(base, 0o755);
        chmod(&base.join("spool"), 0o755);
        chown(&base.join("data"), "postfix", "postfix");
        chown(&base.join("mail"), "nobody", "nogroup");
        let port = free_port();
        let b = base.display();
        std::fs::write(
            conf.join("main.cf"),
            format!(
                "compatibility_level = 3.6
queue_directory = {b}/spool
data_directory = {b}/data
maillog_file_prefixes = /var, /dev/stdout, {b}
maillog_file = {b}/maillog
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.example.test
mydomain = example.test
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtputf8_enable = no
biff = no
alias_maps =
alias_database =
local_transport = error:local delivery disabled
virtual_mailbox_domains = example.test
virtual_mailbox_base = {b}/mail
virtual_mailbox_maps = static:sink/
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
smtpd_milters = {milter}
non_smtpd_milters = $smtpd_milters
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = 5s
milter_command_timeout = 30s
milter_content_timeout = 60s
message_size_limit = 20480000
",
                uid = id("-u", "nobody").unwrap(),
                gid = id("-g", "nobody").unwrap(),
            ),
        )
        .unwrap();
        std::fs::write(
            conf.join("master.cf"),
            format!(
                "127.0.0.1:{port} inet n - n - - smtpd
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n -  0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n -  - trivial-rewrite
bounce     unix  - - n -  0 bounce
defer      unix  - - n -  0 bounce
trace      unix  - - n -  0 bounce
verify     unix  - - n -  1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -  - proxymap
proxywrite unix  - - n -  1 proxymap
smtp       unix  - - n -  - smtp
relay      unix  - - n -  - smtp
showq      unix  n - n -  - showq
error      unix  - - n -  - error
retry      unix  - - n -  - error
discard    unix  - - n -  - discard
local      unix  - n n -  - local
virtual    unix  - n n -  - virtual
lmtp       unix  - - n -  - lmtp
anvil      unix  - - n -  1 anvil
scache     unix  - - n -  1 scache
postlog    unix-dgram n - n - 1 postlogd
"
            ),
        )
        .unwrap();
        let pf = Postfix {
            base: base.to_path_buf(),
            conf,
            port,
        };
        let out = Command::new("postfix")
            .args(["-c", pf.conf.to_str().unwrap(), "start"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "postfix start failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            pf.maillog()
        );
        let until = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < until,
                "postfix does not listen: {}",
                pf.maillog()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        pf
    }

    pub fn maillog(&self) -> String {
        std::fs::read_to_string(self.base.join("maillog")).unwrap_or_default()
    }

    pub fn maildir(&self) -> PathBuf {
        self.base.join("mail/sink/new")
    }

    /// Delivered messages (whole files).
    pub fn delivered(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        if let Ok(dir) = std::fs::read_dir(self.maildir()) {
            for e in dir.flatten() {
                out.push(std::fs::read(e.path()).unwrap());
            }
        }
        out
    }

    /// How many messages were delivered.
    pub fn delivered_count(&self) -> usize {
        std::fs::read_dir(self.maildir()).map_or(0, |d| d.count())
    }

    /// Waits until a delivered message contains `needle`, and returns it.
    pub fn wait_delivered(&self, needle: &str) -> Vec<u8> {
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(m) = self
                .delivered()
                .into_iter()
                .find(|m| String::from_utf8_lossy(m).contains(needle))
            {
                return m;
            }
            assert!(
                Instant::now() < until,
                "no delivered message contains {needle:?}\n{}",
                self.maillog()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `postqueue -j` lines (one JSON object per queued message).
    pub fn queue(&self) -> Vec<serde_json::Value> {
        let out = Command::new("postqueue")
            .args(["-c", self.conf.to_str().unwrap(), "-j"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// The headers of a queued message (`postcat -hq`).
    pub fn postcat_headers(&self, queue_id: &str) -> String {
        let out = Command::new("postcat")
            .args(["-c", self.conf.to_str().unwrap(), "-hq", queue_id])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends one message; returns the server's reply to the end of DATA (or to the command
    /// that failed before it).
    pub fn send(&self, from: &str, to: &str, message: &[u8]) -> (u16, String) {
        send_smtp(self.port, from, to, message)
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let _ = Command::new("postfix")
            .args(["-c", self.conf.to_str().unwrap(), "stop"])
            .output();
    }
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn chown(path: &Path, user: &str, group: &str) {
    std::os::unix::fs::chown(path, id("-u", user), group_id(group)).unwrap();
}

fn group_id(group: &str) -> Option<u32> {
    let out = Command::new("getent")
        .args(["group", group])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .split(':')
        .nth(2)?
        .trim()
        .parse()
        .ok()
}

/// A minimal SMTP client: one message per connection, dot-stuffed.
pub fn send_smtp(port: u16, from: &str, to: &str, message: &[u8]) -> (u16, String) {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to smtpd");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let reply = |reader: &mut BufReader<TcpStream>| -> (u16, String) {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return (0, format!("connection closed after {text:?}"));
            }
            text.push_str(&line);
            if line.len() < 4 || line.as_bytes()[3] != b'-' {
                let code = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
                return (code, text);
            }
        }
    };
    let (code, text) = reply(&mut reader);
    if code != 220 {
        return (code, text);
    }
    for (cmd, want) in [
        ("EHLO client.example.net".to_string(), 250),
        (format!("MAIL FROM:<{from}>"), 250),
        (format!("RCPT TO:<{to}>"), 250),
        ("DATA".to_string(), 354),
    ] {
        writer.write_all(format!("{cmd}\r\n").as_bytes()).unwrap();
        let (code, text) = reply(&mut reader);
        if code != want {
            let _ = writer.write_all(b"QUIT\r\n");
            return (code, text);
        }
    }
    let mut data = Vec::with_capacity(message.len() + 16);
    for line in message.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b".") {
            data.push(b'.');
        }
        data.extend_from_slice(line);
    }
    if !data.ends_with(b"\n") {
        data.extend_from_slice(b"\r\n");
    }
    data.extend_from_slice(b".\r\n");
    writer.write_all(&data).unwrap();
    let result = reply(&mut reader);
    let _ = writer.write_all(b"QUIT\r\n");
    let mut rest = Vec::new();
    let _ = reader.read_to_end(&mut rest);
    result
}
