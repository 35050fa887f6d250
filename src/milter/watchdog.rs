//! Per-connection watchdog under indymilter: time limits per stage of the protocol and room for
//! new MTA connections.
//!
//! indymilter times each whole packet read with one long limit (libmilter's 7,210 s), so
//! connections that send nothing, or half a packet, could hold every connection slot for two
//! hours. This reading layer follows the packet framing (4-byte length, then the payload) and
//! closes a connection whose first packet is not complete within `milter.connect_timeout_ms`,
//! whose packet once begun is not complete within `milter.command_timeout_ms` (a trickle does not
//! extend it), or that sends nothing between packets for `milter.idle_timeout_ms`; a write the
//! MTA does not take within the command timeout closes it too. When every slot is taken, a new
//! connection closes the connection that has waited longest between packets; if none is waiting
//! (all are in the middle of a packet or of a scan), the new connection is closed instead. The
//! protocol itself stays indymilter's (libmilter-compatible).

use super::log::Log;
use super::metrics::Metrics;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// The time limits of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From accepting the connection to its first complete packet (option negotiation).
    pub connect: Duration,
    /// From a packet's first byte to its last; also the longest wait for a write.
    pub command: Duration,
    /// Between packets (between SMTP commands and between messages).
    pub idle: Duration,
}

impl Timeouts {
    pub fn from_config(m: &crate::config::Milter) -> Timeouts {
        Timeouts {
            connect: Duration::from_millis(m.connect_timeout_ms),
            command: Duration::from_millis(m.command_timeout_ms),
            idle: Duration::from_millis(m.idle_timeout_ms),
        }
    }

    /// indymilter's own limit on one packet read or write: beyond ours, so ours fire first.
    pub fn outer(&self) -> Duration {
        self.connect
            .max(self.idle)
            .saturating_add(self.command)
            .saturating_add(Duration::from_secs(1))
    }
}

/// One open connection as the registry sees it.
struct Conn {
    /// Set to close the connection to make room for a new one.
    evicted: AtomicBool,
    /// The task reading the connection (woken on eviction).
    waker: Mutex<Option<Waker>>,
    /// Since when it has been waiting for the next packet; None while a packet is in progress
    /// or the milter works on the last one.
    idle_since: Mutex<Option<Instant>>,
}

/// The connections open on one listener.
pub struct Registry {
    limit: usize,
    conns: Mutex<Vec<Weak<Conn>>>,
    log: Log,
    /// Connections closed unserved because every slot was busy, and when that was last logged.
    refused: Mutex<(u64, Option<Instant>)>,
    /// Connections closed by a time limit or to make room (for the log and tests).
    closed: AtomicU64,
    metrics: Arc<Metrics>,
}

impl Registry {
    pub fn new(limit: usize, log: Log, metrics: Arc<Metrics>) -> Arc<Registry> {
        Arc::new(Registry {
            metrics,
            limit: limit.max(1),
            conns: Mutex::new(Vec::new()),
            log,
            refused: Mutex::new((0, None)),
            closed: AtomicU64::new(0),
        })
    }

    /// The slots indymilter needs: ours, plus some for connections being closed to make room.
    pub fn slots(&self) -> usize {
        self.limit.saturating_add(16)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Weak<Conn>>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a new connection if there is room, making room by closing the connection idle
    /// longest; None when every open connection is busy.
    fn admit(&self) -> Option<Arc<Conn>> {
        let mut conns = self.lock();
        conns.retain(|w| w.strong_count() > 0);
        let live: Vec<Arc<Conn>> = conns.iter().filter_map(Weak::upgrade).collect();
        let staying = live
            .iter()
            .filter(|c| !c.evicted.load(Ordering::Acquire))
            .count();
        if staying >= self.limit {
            let oldest = live
                .iter()
                .filter(|c| !c.evicted.load(Ordering::Acquire))
                .filter_map(|c| Some((idle_since(c)?, c)))
                .min_by_key(|(since, _)| *since);
            let (since, victim) = oldest?;
            victim.evicted.store(true, Ordering::Release);
            if let Some(w) = victim
                .waker
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take()
            {
                w.wake();
            }
            self.closed.fetch_add(1, Ordering::Relaxed);
            self.metrics.closed("make_room");
            self.log.event(&format!(
                "connection closed to make room for a new one: all {} connections in use, this \
                 one idle for {} ms",
                self.limit,
                since.elapsed().as_millis()
            ));
        }
        let conn = Arc::new(Conn {
            evicted: AtomicBool::new(false),
            waker: Mutex::new(None),
            idle_since: Mutex::new(Some(Instant::now())),
        });
        conns.push(Arc::downgrade(&conn));
        Some(conn)
    }

    fn refuse(&self) {
        self.metrics.connections_refused.inc();
        let mut r = self.refused.lock().unwrap_or_else(|p| p.into_inner());
        r.0 += 1;
        // At most one line a second, with the count since the last one.
        if r.1.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
            self.log.event(&format!(
                "connection refused: all {} connections are busy in a command or a scan \
                 ({} refused since the last such line)",
                self.limit, r.0
            ));
            *r = (0, Some(Instant::now()));
        }
    }

    fn timed_out(&self, what: &str, limit: Duration) -> io::Error {
        self.closed.fetch_add(1, Ordering::Relaxed);
        self.metrics
            .closed(if what.starts_with("no complete first") {
                "connect_timeout"
            } else if what.starts_with("no next") {
                "idle_timeout"
            } else if what.starts_with("the MTA did not take") {
                "write_timeout"
            } else {
                "command_timeout"
            });
        let text = format!("connection closed: {what} within {} ms", limit.as_millis());
        self.log.event(&text);
        io::Error::new(io::ErrorKind::TimedOut, text)
    }
}

fn idle_since(c: &Conn) -> Option<Instant> {
    *c.idle_since.lock().unwrap_or_else(|p| p.into_inner())
}

/// A listener whose connections are watched.
pub struct Guarded<L> {
    inner: L,
    registry: Arc<Registry>,
    timeouts: Timeouts,
}

impl<L> Guarded<L> {
    pub fn new(inner: L, registry: Arc<Registry>, timeouts: Timeouts) -> Guarded<L> {
        Guarded {
            inner,
            registry,
            timeouts,
        }
    }
}

impl<L: indymilter::Listener> indymilter::Listener for Guarded<L> {
    type Io = Watched<L::Io>;

    fn poll_accept(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Watched<L::Io>>> {
        loop {
            match self.inner.poll_accept(cx) {
                Poll::Ready(Ok(stream)) => match self.registry.admit() {
                    Some(conn) => {
                        return Poll::Ready(Ok(Watched::new(
                            stream,
                            conn,
                            Arc::clone(&self.registry),
                            self.timeouts,
                        )));
                    }
                    // Closed at once: the MTA sees the refusal and applies its default action,
                    // instead of waiting in the backlog.
                    None => self.registry.refuse(),
                },
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// Where the reader is in the packet framing.
#[derive(Debug, Clone, Copy)]
enum Frame {
    /// Reading the 4-byte length: how many bytes of it came, and they.
    Length(usize, [u8; 4]),
    /// Payload bytes still to come.
    Payload(u64),
}

/// A watched connection.
pub struct Watched<S> {
    inner: S,
    conn: Arc<Conn>,
    registry: Arc<Registry>,
    timeouts: Timeouts,
    frame: Frame,
    /// A complete packet has been read (option negotiation is over).
    started: bool,
    /// The read deadline and what it is for; None: armed at the next wait.
    deadline: Option<(Pin<Box<Sleep>>, &'static str, Duration)>,
    write_deadline: Option<Pin<Box<Sleep>>>,
}

impl<S> Watched<S> {
    fn new(inner: S, conn: Arc<Conn>, registry: Arc<Registry>, timeouts: Timeouts) -> Self {
        registry.metrics.connections_open.inc();
        let first = (
            Box::pin(tokio::time::sleep(timeouts.connect)),
            "no complete first command",
            timeouts.connect,
        );
        Watched {
            inner,
            conn,
            registry,
            timeouts,
            frame: Frame::Length(0, [0; 4]),
            started: false,
            deadline: Some(first),
            write_deadline: None,
        }
    }

    fn at_boundary(&self) -> bool {
        matches!(self.frame, Frame::Length(0, _))
    }

    /// Follows the framing over bytes just read; (re)arms the deadline when a packet begins or
    /// ends.
    fn advance(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            match &mut self.frame {
                Frame::Length(have, len) => {
                    if *have == 0 && self.started {
                        self.deadline = Some((
                            Box::pin(tokio::time::sleep(self.timeouts.command)),
                            "a command begun was not complete",
                            self.timeouts.command,
                        ));
                    }
                    let take = (4 - *have).min(bytes.len());
                    len[*have..*have + take].copy_from_slice(&bytes[..take]);
                    *have += take;
                    bytes = &bytes[take..];
                    if *have == 4 {
                        let n = u32::from_be_bytes(*len);
                        // A zero length is indymilter's to refuse; count it as a whole packet.
                        self.frame = if n == 0 {
                            self.packet_done();
                            Frame::Length(0, [0; 4])
                        } else {
                            Frame::Payload(u64::from(n))
                        };
                    }
                }
                Frame::Payload(left) => {
                    let take = (*left).min(bytes.len() as u64);
                    *left -= take;
                    bytes = &bytes[take as usize..];
                    if *left == 0 {
                        self.frame = Frame::Length(0, [0; 4]);
                        self.packet_done();
                    }
                }
            }
        }
    }

    fn packet_done(&mut self) {
        self.started = true;
        // The idle limit starts when the milter next waits for the MTA, not during a scan.
        self.deadline = None;
    }

    fn set_idle(&self, idle: bool) {
        let mut since = self
            .conn
            .idle_since
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        match (idle, since.is_some()) {
            (true, false) => *since = Some(Instant::now()),
            (false, true) => *since = None,
            _ => {}
        }
    }
}

impl<S> Drop for Watched<S> {
    fn drop(&mut self) {
        // Out of the idle candidates at once (the registry drops the dead entry later).
        self.set_idle(false);
        self.registry.metrics.connections_open.dec();
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.conn.evicted.load(Ordering::Acquire) {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "closed to make room for a new connection",
            )));
        }
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let filled = buf.filled();
                if filled.len() > before {
                    let new = filled[before..].to_vec();
                    this.set_idle(false);
                    this.advance(&new);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                if this.at_boundary() {
                    this.set_idle(true);
                }
                *this.conn.waker.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(cx.waker().clone());
                // Woken between the check above and storing the waker: look again.
                if this.conn.evicted.load(Ordering::Acquire) {
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                if this.deadline.is_none() {
                    this.deadline = Some((
                        Box::pin(tokio::time::sleep(this.timeouts.idle)),
                        "no next command",
                        this.timeouts.idle,
                    ));
                }
                let (sleep, what, limit) = this.deadline.as_mut().expect("armed above");
                if sleep.as_mut().poll(cx).is_ready() {
                    let (what, limit) = (*what, *limit);
                    return Poll::Ready(Err(this.registry.timed_out(what, limit)));
                }
                Poll::Pending
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> Watched<S> {
    /// Polls a write-side operation under the command time limit.
    fn guard_write<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match polled {
            Poll::Ready(r) => {
                self.write_deadline = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let limit = self.timeouts.command;
                let sleep = self
                    .write_deadline
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                if sleep.as_mut().poll(cx).is_ready() {
                    self.write_deadline = None;
                    return Poll::Ready(Err(self
                        .registry
                        .timed_out("the MTA did not take our answer", limit)));
                }
                Poll::Pending
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.guard_write(cx, polled)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_flush(cx);
        this.guard_write(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn quiet() -> Log {
        let mut log = Log::default();
        log.set_sink(Arc::new(|_: &str| {}));
        log
    }

    impl Registry {
        fn quiet(limit: usize) -> Arc<Registry> {
            Registry::new(limit, quiet(), Arc::new(Metrics::new()))
        }
    }

    fn timeouts(ms: u64) -> Timeouts {
        Timeouts {
            connect: Duration::from_millis(ms),
            command: Duration::from_millis(ms),
            idle: Duration::from_millis(ms * 10),
        }
    }

    fn watched(
        registry: &Arc<Registry>,
        t: Timeouts,
    ) -> (tokio::io::DuplexStream, Watched<tokio::io::DuplexStream>) {
        let (client, server) = tokio::io::duplex(1 << 16);
        let conn = registry.admit().expect("room");
        (client, Watched::new(server, conn, Arc::clone(registry), t))
    }

    #[tokio::test(start_paused = true)]
    async fn a_trickled_packet_times_out_though_bytes_keep_coming() {
        let registry = Registry::quiet(4);
        let (mut client, mut server) = watched(&registry, timeouts(1000));
        // First packet whole.
        client.write_all(&[0, 0, 0, 2, b'O', 1]).await.unwrap();
        let mut buf = [0u8; 6];
        server.read_exact(&mut buf).await.unwrap();
        // Then a packet of 100 bytes, one byte every 300 ms.
        client.write_all(&[0, 0, 0, 100]).await.unwrap();
        let reader = tokio::spawn(async move {
            let mut buf = vec![0u8; 104];
            server.read_exact(&mut buf).await
        });
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if client.write_all(b"x").await.is_err() {
                break;
            }
        }
        let err = reader.await.unwrap().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut, "{err}");
    }

    #[tokio::test(start_paused = true)]
    async fn idle_between_packets_gets_the_longer_limit() {
        let registry = Registry::quiet(4);
        let (mut client, mut server) = watched(&registry, timeouts(1000));
        client.write_all(&[0, 0, 0, 1, b'O']).await.unwrap();
        let mut buf = [0u8; 5];
        server.read_exact(&mut buf).await.unwrap();
        // 5 s of silence is within the 10 s idle limit; the next packet is read.
        let writer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(5)).await;
            client.write_all(&[0, 0, 0, 1, b'Q']).await.unwrap();
            client
        });
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(buf[4], b'Q');
        let _client = writer.await.unwrap();
        // Then silence past it closes.
        let err = server.read_exact(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_registry_closes_the_longest_idle_connection() {
        let registry = Registry::quiet(2);
        let (_c1, mut s1) = watched(&registry, timeouts(100_000));
        tokio::time::sleep(Duration::from_millis(10)).await;
        let (mut c2, mut s2) = watched(&registry, timeouts(100_000));
        // The second one is in the middle of a packet: not a candidate.
        c2.write_all(&[0, 0, 0, 9, b'B']).await.unwrap();
        let mut b = [0u8; 5];
        s2.read_exact(&mut b).await.unwrap();
        let mut b = [0u8; 1];
        // Both wait (s1 idle, s2 mid-packet).
        assert!(
            tokio::time::timeout(Duration::from_millis(1), s1.read(&mut b))
                .await
                .is_err()
        );
        assert!(
            tokio::time::timeout(Duration::from_millis(1), s2.read(&mut b))
                .await
                .is_err()
        );
        let third = registry.admit();
        assert!(third.is_some());
        let err = s1.read(&mut b).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionAborted);
        // Now s2 (mid-packet) and the third (new, idle): the third can be closed, not s2.
        drop(s1);
        let fourth = registry.admit();
        assert!(fourth.is_some());
        assert!(third.unwrap().evicted.load(Ordering::Acquire));
        // With only mid-packet connections left, a newcomer is refused.
        drop(fourth);
        let registry2 = Registry::quiet(1);
        let (mut c, mut s) = watched(&registry2, timeouts(100_000));
        c.write_all(&[0, 0, 0, 9, b'B']).await.unwrap();
        let mut b = [0u8; 5];
        s.read_exact(&mut b).await.unwrap();
        assert!(registry2.admit().is_none());
    }
}
