//! The real `lurescreen milter` binary on a loopback port, for tests that drive it with
//! `Client`: start, sessions, signals, its log and what /proc says about it.

use super::{Client, Reply};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub struct Daemon {
    pub child: Child,
    pub port: u16,
    pub log: PathBuf,
    /// The config file it was started with (rewrite it, then `signal("HUP")`).
    pub config: PathBuf,
    _dir: tempfile::TempDir,
}

impl Daemon {
    pub fn start(config: &str) -> Daemon {
        Daemon::start_with(config, &[])
    }

    /// The same with more arguments after `milter` (`--log-format json`).
    pub fn start_with(config: &str, args: &[&str]) -> Daemon {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let (child, cfg, log) = spawn(dir.path(), config, &format!("inet:127.0.0.1:{port}"), args);
        let until = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "milter did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Daemon {
            child,
            port,
            log,
            config: cfg,
            _dir: dir,
        }
    }

    /// The milter on `unix:PATH` (in `dir`, which the caller keeps); its child, config and
    /// log, returned as soon as it is spawned (it may fail to start: check the child).
    pub fn spawn_unix(dir: &std::path::Path, config: &str, path: &std::path::Path) -> Child {
        let (child, _, _) = spawn(dir, config, &format!("unix:{}", path.display()), &[]);
        child
    }

    pub fn client(&self) -> Client<TcpStream> {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        Client::new(s)
    }

    /// A client after negotiation and CONNECT.
    pub fn session(&self) -> Client<TcpStream> {
        self.session_offering(super::ALL_OPTS)
    }

    /// A client after negotiation offering only the protocol options `opts`, and CONNECT.
    pub fn session_offering(&self, opts: u32) -> Client<TcpStream> {
        let mut c = self.client();
        let r = c.negotiate_offering(opts).unwrap();
        assert_eq!(r.cmd, b'O');
        let r = c.connect("client.example.test", "192.0.2.7").unwrap();
        assert_eq!(r.cmd, b'c');
        c
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits (generously) until the log holds `n` lines containing `needle`.
    pub fn wait_for_log(&self, needle: &str, n: usize) {
        let until = Instant::now() + Duration::from_secs(60);
        while self.log_text().matches(needle).count() < n {
            assert!(
                Instant::now() < until,
                "no {n} × {needle:?} in the log:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{name}");
    }

    /// Waits (up to `limit`) for the process to exit by itself.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let until = Instant::now() + limit;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < until, "daemon did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A number from /proc/PID/status (`Threads`, `VmRSS` in kB).
    pub fn proc_status(&self, key: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in /proc status"))
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `lurescreen milter --listen LISTEN` with `config` written in `dir`; stderr to
/// `dir/log`.
fn spawn(
    dir: &std::path::Path,
    config: &str,
    listen: &str,
    args: &[&str],
) -> (Child, PathBuf, PathBuf) {
    let cfg = dir.join("c.toml");
    std::fs::write(&cfg, config).unwrap();
    let log = dir.join("log");
    let child = Command::new(env!("CARGO_BIN_EXE_lurescreen"))
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "milter",
            "--listen",
            listen,
        ])
        .args(args)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    (child, cfg, log)
}

pub fn find(replies: &[Reply], cmd: u8) -> Vec<&Reply> {
    replies.iter().filter(|r| r.cmd == cmd).collect()
}

/// Reads replies up to the final one of a stage (accept, continue, reject, tempfail, discard,
/// reply code).
pub fn read_final<S: std::io::Read + std::io::Write>(
    c: &mut Client<S>,
) -> std::io::Result<Vec<Reply>> {
    let mut replies = Vec::new();
    loop {
        let r = c.read()?;
        let last = is_final(r.cmd);
        replies.push(r);
        if last {
            return Ok(replies);
        }
    }
}

pub fn is_final(cmd: u8) -> bool {
    matches!(cmd, b'a' | b'c' | b'r' | b't' | b'd' | b'y')
}
