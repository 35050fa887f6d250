//! The milter socket: `unix:/path` or `inet:host:port` (Sendmail's `inet:port@host` too).
//!
//! On TCP, every read is followed by TCP_QUICKACK and the socket has TCP_NODELAY: the MTA writes
//! small packets (macros, then a command), and delayed ACKs would cost it 40–90 ms per message.

use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream, UnixListener};

/// A parsed `--listen` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Unix(PathBuf),
    Inet(String),
}

/// Parses `unix:/path`, `local:/path`, `inet:host:port`, `inet:port@host`, `inet6:[::1]:port`.
pub fn parse(spec: &str) -> Result<Address, String> {
    let bad =
        || format!("cannot use `{spec}` as a socket: write unix:/path/to/socket or inet:HOST:PORT");
    if let Some(path) = spec
        .strip_prefix("unix:")
        .or_else(|| spec.strip_prefix("local:"))
    {
        if path.is_empty() {
            return Err(bad());
        }
        return Ok(Address::Unix(PathBuf::from(path)));
    }
    let rest = spec
        .strip_prefix("inet:")
        .or_else(|| spec.strip_prefix("inet6:"))
        .ok_or_else(bad)?;
    let addr = match rest.split_once('@') {
        Some((port, host)) => format!("{}:{port}", bracket(host)),
        None => rest.to_string(),
    };
    let (host, port) = addr.rsplit_once(':').ok_or_else(bad)?;
    if host.is_empty() || port.parse::<u16>().is_err() {
        return Err(bad());
    }
    Ok(Address::Inet(addr))
}

fn bracket(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// A bound socket.
pub enum Bound {
    Tcp(QuickAckListener),
    /// The listener and its socket file (removed on shutdown).
    Unix(UnixListener, PathBuf),
}

/// Binds the socket; a stale unix socket file from an earlier run is replaced.
pub async fn bind(spec: &str, socket_mode: &str) -> Result<Bound, String> {
    match parse(spec)? {
        Address::Inet(addr) => TcpListener::bind(&addr)
            .await
            .map(|l| Bound::Tcp(QuickAckListener(l)))
            .map_err(|e| format!("cannot listen on {addr}: {e}")),
        Address::Unix(path) => {
            use std::os::unix::fs::{FileTypeExt, PermissionsExt};
            if let Ok(meta) = std::fs::symlink_metadata(&path) {
                if !meta.file_type().is_socket() {
                    return Err(format!("{} exists and is not a socket", path.display()));
                }
                let _ = std::fs::remove_file(&path);
            }
            let listener = UnixListener::bind(&path)
                .map_err(|e| format!("cannot listen on {}: {e}", path.display()))?;
            let mode = u32::from_str_radix(socket_mode, 8).unwrap_or(0o660);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                .map_err(|e| format!("cannot set the mode of {}: {e}", path.display()))?;
            Ok(Bound::Unix(listener, path))
        }
    }
}

/// A TCP listener whose connections acknowledge at once.
pub struct QuickAckListener(TcpListener);

impl QuickAckListener {
    /// The address it listens on (the port chosen, for `inet:127.0.0.1:0`).
    pub fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.0.local_addr()
    }
}

impl indymilter::Listener for QuickAckListener {
    type Io = QuickAckStream;

    fn poll_accept(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<QuickAckStream>> {
        self.0.poll_accept(cx).map_ok(|(stream, _)| {
            let _ = stream.set_nodelay(true);
            let _ = socket2::SockRef::from(&stream).set_tcp_quickack(true);
            QuickAckStream(stream)
        })
    }
}

/// A TCP stream that turns quick ACKs back on after every read (the kernel clears the flag).
pub struct QuickAckStream(TcpStream);

impl AsyncRead for QuickAckStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.0).poll_read(cx, buf);
        if polled.is_ready() {
            let _ = socket2::SockRef::from(&self.0).set_tcp_quickack(true);
        }
        polled
    }
}

impl AsyncWrite for QuickAckStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_specs() {
        assert_eq!(
            parse("unix:/run/lurescreen/milter.sock"),
            Ok(Address::Unix("/run/lurescreen/milter.sock".into()))
        );
        assert_eq!(
            parse("inet:127.0.0.1:7357"),
            Ok(Address::Inet("127.0.0.1:7357".into()))
        );
        assert_eq!(
            parse("inet:7357@localhost"),
            Ok(Address::Inet("localhost:7357".into()))
        );
        assert_eq!(
            parse("inet6:7357@::1"),
            Ok(Address::Inet("[::1]:7357".into()))
        );
        for bad in [
            "tcp:1.2.3.4:5",
            "inet:1.2.3.4",
            "inet::99",
            "unix:",
            "inet:host:notaport",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
