//! A small milter-protocol client (what an MTA says to a milter), for tests without an MTA.

#![allow(dead_code)]

pub mod daemon;

use std::io::{Read, Write};
use std::time::Duration;

/// One reply packet from the milter: command byte and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub cmd: u8,
    pub data: Vec<u8>,
}

impl Reply {
    /// For header actions (`i`, `m`): the 4-byte index, then name and value.
    pub fn header_action(&self) -> (u32, Vec<String>) {
        let index = self
            .data
            .get(..4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .unwrap_or(0);
        let rest = Reply {
            cmd: self.cmd,
            data: self.data.get(4..).unwrap_or_default().to_vec(),
        };
        (index, rest.strings())
    }

    /// Payload split at NULs (header name/value, reply text).
    pub fn strings(&self) -> Vec<String> {
        self.data
            .split(|&b| b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    }
}

pub struct Client<S: Read + Write> {
    pub stream: S,
    /// Protocol options the milter asked for (NOREPLY_* stages get no answer).
    pub opts: u32,
}

pub const NOREPLY_CONNECT: u32 = 0x1000;
pub const NOREPLY_HELO: u32 = 0x2000;
pub const NOREPLY_MAIL: u32 = 0x4000;
pub const NOREPLY_RCPT: u32 = 0x8000;
pub const NOREPLY_HEADER: u32 = 0x80;
pub const NOREPLY_EOH: u32 = 0x40000;
pub const NOREPLY_BODY: u32 = 0x80000;
pub const NO_EOH: u32 = 0x40;

pub const ALL_ACTIONS: u32 = 0x1ff;
pub const ALL_OPTS: u32 = 0x1fffff;

impl<S: Read + Write> Client<S> {
    pub fn new(stream: S) -> Self {
        Client { stream, opts: 0 }
    }

    pub fn send(&mut self, cmd: u8, data: &[u8]) -> std::io::Result<()> {
        let len = (data.len() + 1) as u32;
        let mut packet = len.to_be_bytes().to_vec();
        packet.push(cmd);
        packet.extend_from_slice(data);
        self.stream.write_all(&packet)
    }

    pub fn read(&mut self) -> std::io::Result<Reply> {
        let mut len = [0u8; 4];
        self.stream.read_exact(&mut len)?;
        let len = u32::from_be_bytes(len) as usize;
        if len == 0 || len > 1 << 24 {
            return Err(std::io::Error::other(format!("bad reply length {len}")));
        }
        let mut buf = vec![0u8; len];
        self.stream.read_exact(&mut buf)?;
        Ok(Reply {
            cmd: buf[0],
            data: buf[1..].to_vec(),
        })
    }

    /// Option negotiation as Postfix 3 does it (version 6, every action and protocol option).
    pub fn negotiate(&mut self) -> std::io::Result<Reply> {
        self.negotiate_offering(ALL_OPTS)
    }

    /// Option negotiation offering only the protocol options `opts` (an older MTA).
    pub fn negotiate_offering(&mut self, opts: u32) -> std::io::Result<Reply> {
        self.negotiate_with(ALL_ACTIONS, opts)
    }

    /// Option negotiation offering only the actions `actions` and protocol options `opts`.
    pub fn negotiate_with(&mut self, actions: u32, opts: u32) -> std::io::Result<Reply> {
        let mut data = 6u32.to_be_bytes().to_vec();
        data.extend_from_slice(&actions.to_be_bytes());
        data.extend_from_slice(&opts.to_be_bytes());
        self.send(b'O', &data)?;
        let r = self.read()?;
        if let Some(opts) = r.data.get(8..12) {
            self.opts = u32::from_be_bytes([opts[0], opts[1], opts[2], opts[3]]);
        }
        Ok(r)
    }

    /// Sends a command at a stage; reads its reply unless the milter asked for none
    /// (then a `c` is returned, as if it had continued).
    pub fn stage(&mut self, cmd: u8, data: &[u8], noreply: u32) -> std::io::Result<Reply> {
        if self.opts & noreply != 0 {
            self.send(cmd, data)?;
            return Ok(Reply {
                cmd: b'c',
                data: Vec::new(),
            });
        }
        self.command(cmd, data)
    }

    pub fn macros(&mut self, stage: u8, pairs: &[(&str, &str)]) -> std::io::Result<()> {
        let mut data = vec![stage];
        for (k, v) in pairs {
            data.extend_from_slice(k.as_bytes());
            data.push(0);
            data.extend_from_slice(v.as_bytes());
            data.push(0);
        }
        self.send(b'D', &data)
    }

    /// Sends a command and reads its one reply.
    pub fn command(&mut self, cmd: u8, data: &[u8]) -> std::io::Result<Reply> {
        self.send(cmd, data)?;
        self.read()
    }

    pub fn connect(&mut self, host: &str, ip: &str) -> std::io::Result<Reply> {
        let mut data = host.as_bytes().to_vec();
        data.push(0);
        data.push(b'4');
        data.extend_from_slice(&25u16.to_be_bytes());
        data.extend_from_slice(ip.as_bytes());
        data.push(0);
        self.stage(b'C', &data, NOREPLY_CONNECT)
    }

    fn cstrings(parts: &[&str]) -> Vec<u8> {
        let mut data = Vec::new();
        for p in parts {
            data.extend_from_slice(p.as_bytes());
            data.push(0);
        }
        data
    }

    /// A whole transaction up to and including end of message; returns every reply to it.
    pub fn message(&mut self, from: &str, rcpt: &str, raw: &[u8]) -> std::io::Result<Vec<Reply>> {
        let r = self.stage(
            b'H',
            &Self::cstrings(&["client.example.test"]),
            NOREPLY_HELO,
        )?;
        assert_eq!(r.cmd, b'c', "helo: {r:?}");
        let r = self.stage(b'M', &Self::cstrings(&[&format!("<{from}>")]), NOREPLY_MAIL)?;
        if r.cmd != b'c' {
            return Ok(vec![r]);
        }
        let r = self.stage(b'R', &Self::cstrings(&[&format!("<{rcpt}>")]), NOREPLY_RCPT)?;
        assert_eq!(r.cmd, b'c', "rcpt: {r:?}");
        let (head, body) = split_message(raw);
        for (name, value) in head {
            let r = self.stage(b'L', &Self::cstrings(&[&name, &value]), NOREPLY_HEADER)?;
            assert_eq!(r.cmd, b'c', "header: {r:?}");
        }
        if self.opts & NO_EOH == 0 {
            let r = self.stage(b'N', &[], NOREPLY_EOH)?;
            assert_eq!(r.cmd, b'c', "eoh: {r:?}");
        }
        for chunk in body.chunks(65535) {
            let r = self.stage(b'B', chunk, NOREPLY_BODY)?;
            assert_eq!(r.cmd, b'c', "body: {r:?}");
        }
        self.macros(b'E', &[("i", "TESTQID")])?;
        self.send(b'E', &[])?;
        let mut replies = Vec::new();
        loop {
            let r = self.read()?;
            let last = matches!(r.cmd, b'a' | b'c' | b'r' | b't' | b'd' | b'y');
            replies.push(r);
            if last {
                return Ok(replies);
            }
        }
    }

    pub fn set_timeout(&mut self, _d: Duration) {}
}

/// Header fields (unfolded names, values without the leading space, CRLF folding kept as the
/// MTA sends it) and the body.
pub fn split_message(raw: &[u8]) -> (Vec<(String, String)>, Vec<u8>) {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = match text.find("\r\n\r\n") {
        Some(i) => (&text[..i], &raw[i + 4..]),
        None => (&text[..], &raw[raw.len()..]),
    };
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.1.push_str("\r\n");
                last.1.push_str(line);
            }
        } else if let Some((n, v)) = line.split_once(':') {
            fields.push((n.to_string(), v.trim_start().to_string()));
        }
    }
    (fields, body.to_vec())
}
