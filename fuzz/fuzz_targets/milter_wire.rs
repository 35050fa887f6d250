//! The milter on the wire: the fuzz input is what an MTA sends, fed through the real protocol
//! (indymilter), the connection watchdog (packet framing, time limits) and our callbacks (the
//! in-flight budget, scanning at end of message, the actions). First byte: bit 0 set keeps the
//! connection open after the input on a paused clock, so the time limits close it; clear: the
//! MTA hangs up after the input, on the real clock, and scans run to their end. The limits are
//! small (64 KiB per message and in flight) so the size and budget paths are reached.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lurescreen::milter::{Shared, Sources, serve_on};
use lurescreen::{Config, Engine, Signatures};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    Arc::clone(ENGINE.get_or_init(|| {
        let mut c = Config::default();
        c.limits.max_message_bytes = 64 * 1024;
        c.milter.max_body_bytes_in_flight = 64 * 1024;
        Arc::new(Engine::new(
            c,
            Signatures::embedded().expect("embedded signatures"),
        ))
    }))
}

/// A listener with one connection in it.
struct One(Option<DuplexStream>);

impl indymilter::Listener for One {
    type Io = DuplexStream;

    fn poll_accept(&mut self, _cx: &mut Context<'_>) -> Poll<std::io::Result<DuplexStream>> {
        match self.0.take() {
            Some(s) => Poll::Ready(Ok(s)),
            None => Poll::Pending,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let stall = mode & 1 == 1;
    let mut builder = tokio::runtime::Builder::new_current_thread();
    builder.enable_all();
    if stall {
        builder.start_paused(true);
    }
    let runtime = builder.build().expect("runtime");
    let input = input.to_vec();
    runtime.block_on(async move {
        let (mut client, server) = tokio::io::duplex(1 << 16);
        let shared = Arc::new(
            Shared::with_engine(
                engine(),
                Sources {
                    config: None,
                    signatures: None,
                    lang: None,
                },
            )
            .with_log(Arc::new(|_: &str| {})),
        );
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            serve_on(One(Some(server)), &shared, async move {
                let _ = stop_rx.await;
            })
            .await
        });
        let (mut rx, mut tx) = tokio::io::split(&mut client);
        let write = async {
            let _ = tx.write_all(&input).await;
            if !stall {
                let _ = tx.shutdown().await;
            }
        };
        let read = async {
            let mut sink = Vec::new();
            let _ = rx.read_to_end(&mut sink).await;
        };
        // The milter closes the connection: at the end of input, on a protocol error, or by a
        // time limit. The outer limit only guards against a hang (which is then a finding).
        let limit = if stall { 100_000 } else { 60 };
        let finished = tokio::time::timeout(Duration::from_secs(limit), async {
            tokio::join!(write, read)
        })
        .await;
        assert!(finished.is_ok(), "the milter kept the connection open");
        let _ = stop_tx.send(());
        let served = server.await.expect("server task");
        assert!(served.is_ok(), "{served:?}");
    });
    runtime.shutdown_timeout(Duration::from_millis(10));
});
