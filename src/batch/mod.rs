//! Batch scanning (`lurescreen scan PATH...`): message files, folders, mbox files and Maildirs,
//! read as a stream and scanned on all cores with memory that stays flat however large the input.
//!
//! One reader thread walks the inputs and cuts messages out of them; a bounded window (bytes and
//! messages in flight) holds it back when the workers fall behind. A rayon pool scans; the calling
//! thread puts the results back into input order (a reorder buffer that the window bounds too),
//! writes them, and keeps the totals for the summary and the HTML report.

pub mod clock;
pub mod extract;
pub mod html;
pub mod inputs;
pub mod mbox;
pub mod pst;
pub mod report;
pub mod source;

use crate::engine::ScanError;
use crate::exit;
use crate::finding::Verdict;
use crate::render;
use crate::{Engine, Lang};
use inputs::{InputKind, Location, Payload, Walker};
use report::{Record, Totals};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Headers,
    Csv,
    Summary,
}

/// How a batch scan runs; `Options::default()` is the plain `scan FILE...`.
#[derive(Debug, Clone)]
pub struct Options {
    pub input: InputKind,
    pub format: Format,
    pub lang: Lang,
    /// Print, list and extract only messages at or above this verdict.
    pub only: Option<Verdict>,
    /// Write the HTML report here.
    pub report: Option<PathBuf>,
    /// Write flagged messages (warn and above, or `only`) here as `.eml`.
    pub extract: Option<PathBuf>,
    /// Stop after this many inputs that could not be read or scanned.
    pub max_errors: Option<u64>,
    /// Worker threads; 0: one per core.
    pub jobs: usize,
    /// Draw a progress bar on stderr (only when stderr is a terminal).
    pub progress: bool,
    /// Write the run's totals as JSON here when it ends (`--summary-json`).
    pub summary_json: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            input: InputKind::Auto,
            format: Format::Text,
            lang: Lang::En,
            only: None,
            report: None,
            extract: None,
            max_errors: None,
            jobs: 0,
            progress: false,
            summary_json: None,
        }
    }
}

/// Bytes of messages read but not yet written out, at most (one larger message may pass alone).
const WINDOW_BYTES: u64 = 64 * 1024 * 1024;
/// Messages in flight per worker, at most.
const WINDOW_PER_JOB: usize = 64;
/// Messages travel between the threads in batches of up to this many, or this many bytes (each
/// hand-off wakes a thread, a system call that cost a tenth of the scan time for small mail).
const BATCH_ITEMS: usize = 16;
const BATCH_BYTES: u64 = 512 * 1024;
/// Stack of the scanning threads (as the filter's: deep MIME trees are walked without recursion,
/// but parsers of attached documents recurse).
const SCAN_STACK: usize = 64 * 1024 * 1024;

/// What the reader hands to the workers.
struct Item {
    seq: u64,
    /// Which of the paths on the command line it came from.
    input: usize,
    location: Location,
    size: u64,
    payload: Payload,
}

/// What a worker hands back.
struct Outcome {
    seq: u64,
    input: usize,
    location: Location,
    size: u64,
    took: Duration,
    result: Result<Record, Failure>,
    /// The message's report in the output format; empty when `--only` hides it.
    output: String,
    /// The message itself, when it is to be extracted.
    raw: Option<Vec<u8>>,
}

struct Failure {
    message: String,
    code: i32,
    /// The file could not be read (as opposed to a message that could not be scanned).
    unreadable: bool,
}

/// Holds the reader back while too many bytes or messages are in flight.
struct Window {
    state: Mutex<(u64, usize)>,
    cv: Condvar,
    max_bytes: u64,
    max_items: usize,
    stop: AtomicBool,
}

impl Window {
    fn new(max_bytes: u64, max_items: usize) -> Self {
        Window {
            state: Mutex::new((0, 0)),
            cv: Condvar::new(),
            max_bytes,
            max_items,
            stop: AtomicBool::new(false),
        }
    }

    /// Room for `bytes` if there is some now: `Some(true)`; `Some(false)` once the run is
    /// stopping; `None` when `acquire` would wait.
    fn try_acquire(&self, bytes: u64) -> Option<bool> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if self.stop.load(Ordering::Relaxed) {
            return Some(false);
        }
        if s.1 > 0 && (s.0 + bytes > self.max_bytes || s.1 >= self.max_items) {
            return None;
        }
        s.0 += bytes;
        s.1 += 1;
        Some(true)
    }

    /// Waits for room for `bytes`; false once the run is stopping.
    fn acquire(&self, bytes: u64) -> bool {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while s.1 > 0 && (s.0 + bytes > self.max_bytes || s.1 >= self.max_items) {
            if self.stop.load(Ordering::Relaxed) {
                return false;
            }
            s = self.cv.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        if self.stop.load(Ordering::Relaxed) {
            return false;
        }
        s.0 += bytes;
        s.1 += 1;
        true
    }

    /// Gives back the room of `items` messages of `bytes` in all.
    fn release(&self, bytes: u64, items: usize) {
        if items == 0 {
            return;
        }
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 = s.0.saturating_sub(bytes);
        s.1 = s.1.saturating_sub(items);
        self.cv.notify_all();
    }

    fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        let _s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.cv.notify_all();
    }
}

/// Scans every message under `inputs`, writes the reports in input order, and returns the exit
/// code: the highest verdict, or the highest error code if anything could not be read or scanned.
pub fn run(
    engine: &Engine,
    inputs: &[PathBuf],
    opts: &Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let started = Instant::now();
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.jobs
    };
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(SCAN_STACK)
        .thread_name(|i| format!("lurescreen-scan-{i}"))
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: cannot start the scanning threads: {e}");
            return exit::SOFTWARE;
        }
    };
    if let Some(dir) = &opts.extract
        && let Err(e) = extract::prepare(dir)
    {
        let _ = writeln!(err, "lurescreen: --extract {}: {e}", dir.display());
        return exit::IO;
    }
    // Found out now rather than after a scan of hours.
    if let Some(path) = &opts.summary_json
        && let Err(e) = report::summary_json_target(path)
    {
        let _ = writeln!(err, "lurescreen: --summary-json {}: {e}", path.display());
        return exit::IO;
    }
    let window = Window::new(WINDOW_BYTES, jobs * WINDOW_PER_JOB);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let progress = (opts.progress && std::io::stderr().is_terminal()).then(|| progress_bar(inputs));
    let (item_tx, item_rx) = mpsc::sync_channel::<Vec<Item>>(jobs * 2);
    let (res_tx, res_rx) = mpsc::channel::<Vec<Outcome>>();
    let max_bytes = engine.config().limits.max_message_bytes;

    let mut collector = Collector::new(opts, out, err, &window, inputs.len());
    collector.progress = progress.clone();
    if opts.format == Format::Csv && collector.write(&report::csv_header()).is_err() {
        return exit::IO;
    }
    std::thread::scope(|s| {
        let window = &window;
        let reader_bytes = bytes_read.clone();
        s.spawn(move || {
            let mut seq = 0u64;
            // Messages read but not yet handed over; handed over when full, at the end, and
            // before the reader waits for room (the room comes from these being scanned).
            let mut batch: Vec<Item> = Vec::new();
            let mut batch_bytes = 0u64;
            let current_input = std::cell::Cell::new(0usize);
            let mut emit = |location: Location, payload: Payload| {
                let size = match &payload {
                    Payload::Bytes(b) => b.len() as u64,
                    _ => 0,
                };
                let room = match window.try_acquire(size) {
                    Some(room) => room,
                    None => {
                        if !batch.is_empty() && item_tx.send(std::mem::take(&mut batch)).is_err() {
                            return ControlFlow::Break(());
                        }
                        batch_bytes = 0;
                        window.acquire(size)
                    }
                };
                if !room {
                    return ControlFlow::Break(());
                }
                seq += 1;
                batch.push(Item {
                    seq,
                    input: current_input.get(),
                    location,
                    size,
                    payload,
                });
                batch_bytes += size;
                if batch.len() >= BATCH_ITEMS || batch_bytes >= BATCH_BYTES {
                    batch_bytes = 0;
                    if item_tx.send(std::mem::take(&mut batch)).is_err() {
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            };
            let mut walker = Walker {
                kind: opts.input,
                max_message_bytes: max_bytes,
                bytes_read: reader_bytes,
                emit: &mut emit,
            };
            for (i, path) in inputs.iter().enumerate() {
                current_input.set(i);
                if walker.walk(std::slice::from_ref(path)).is_break() {
                    break;
                }
            }
            if !batch.is_empty() {
                let _ = item_tx.send(batch);
            }
        });
        s.spawn(move || {
            use rayon::iter::{ParallelBridge, ParallelIterator};
            pool.install(|| {
                item_rx
                    .into_iter()
                    .par_bridge()
                    .for_each_with(res_tx, |tx, batch| {
                        let outcomes = batch
                            .into_iter()
                            .map(|item| process_guarded(engine, item, opts))
                            .collect();
                        let _ = tx.send(outcomes);
                    });
            });
        });
        let mut pending: BTreeMap<u64, Outcome> = BTreeMap::new();
        let mut next = 1u64;
        for outcomes in res_rx.iter() {
            for outcome in outcomes {
                pending.insert(outcome.seq, outcome);
            }
            let (mut freed_bytes, mut freed) = (0u64, 0usize);
            while let Some(o) = pending.remove(&next) {
                next += 1;
                freed_bytes += o.size;
                freed += 1;
                collector.take(o);
            }
            window.release(freed_bytes, freed);
            collector.progress(bytes_read.load(Ordering::Relaxed));
        }
    });
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    collector.totals.elapsed = started.elapsed();
    collector.finish(inputs)
}

/// `process`, with a panic outside the engine's own guard (rendering, say) reported for that
/// message instead of taking the run down.
fn process_guarded(engine: &Engine, item: Item, opts: &Options) -> Outcome {
    let (seq, input, location, size) = (item.seq, item.input, item.location.clone(), item.size);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(engine, item, opts)))
        .unwrap_or_else(|_| Outcome {
            seq,
            input,
            location,
            size,
            took: Duration::ZERO,
            result: Err(Failure {
                message: "internal error while reporting on this message".into(),
                code: exit::SOFTWARE,
                unreadable: false,
            }),
            output: String::new(),
            raw: None,
        })
}

/// Scans one item (on a worker).
fn process(engine: &Engine, item: Item, opts: &Options) -> Outcome {
    let started = Instant::now();
    let limit = engine.config().limits.max_message_bytes;
    let mut raw_kept = None;
    let scanned = match item.payload {
        Payload::Bytes(raw) => {
            let r = engine.scan(&raw);
            if opts.extract.is_some() {
                raw_kept = Some(raw);
            }
            r.map_err(scan_failure)
        }
        Payload::TooLarge(size) => Err(scan_failure(ScanError::TooLarge {
            size: usize::try_from(size).unwrap_or(usize::MAX),
            limit,
        })),
        Payload::Unreadable(message) => Err(Failure {
            message,
            code: exit::IO,
            unreadable: true,
        }),
    };
    let took = started.elapsed();
    let mut output = String::new();
    let result = scanned.map(|report| {
        let record = Record::new(&report, &item.location, opts.lang);
        let shown = opts.only.is_none_or(|min| report.verdict >= min);
        if shown {
            output = match opts.format {
                Format::Text => render::text::report(&report, &item.location.display(), opts.lang),
                Format::Json => {
                    let mut line = report::json(&report, &item.location, opts.lang).to_string();
                    line.push('\n');
                    line
                }
                Format::Headers => render::headers::block(&report, "\n"),
                Format::Csv => report::csv_row(Some(&record), &item.location, None),
                Format::Summary => String::new(),
            };
        }
        if report.verdict < extract_min(opts) {
            raw_kept = None;
        }
        record
    });
    if result.is_err() {
        raw_kept = None;
    }
    Outcome {
        seq: item.seq,
        input: item.input,
        location: item.location,
        size: item.size,
        took,
        result,
        output,
        raw: raw_kept,
    }
}

fn scan_failure(e: ScanError) -> Failure {
    let code = match e {
        ScanError::Empty | ScanError::TooLarge { .. } => exit::DATA,
        ScanError::Internal { .. } => exit::SOFTWARE,
    };
    Failure {
        message: e.to_string(),
        code,
        unreadable: false,
    }
}

/// The lowest verdict listed in the report's table and extracted.
fn extract_min(opts: &Options) -> Verdict {
    opts.only.unwrap_or(Verdict::Warn).max(Verdict::Warn)
}

/// Writes outcomes in order and keeps the totals.
struct Collector<'a> {
    opts: &'a Options,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    window: &'a Window,
    totals: Totals,
    /// Totals per path on the command line (for `--summary-json`).
    per_input: Vec<report::InputTotals>,
    code: i32,
    errors: u64,
    stopped: bool,
    out_failed: bool,
    extracted: u64,
    progress: Option<indicatif::ProgressBar>,
}

impl<'a> Collector<'a> {
    fn new(
        opts: &'a Options,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        window: &'a Window,
        inputs: usize,
    ) -> Self {
        Collector {
            opts,
            out,
            err,
            window,
            totals: Totals::default(),
            per_input: vec![report::InputTotals::default(); inputs],
            code: 0,
            errors: 0,
            stopped: false,
            out_failed: false,
            extracted: 0,
            progress: None,
        }
    }

    /// One line on stderr, with the progress bar (if any) out of the way.
    fn say(&mut self, line: &str) {
        // Locations are file and folder names, chosen by whoever sent or saved the mail.
        let line = crate::text::hidden::reveal_hidden(line);
        let err = &mut self.err;
        match &self.progress {
            Some(pb) => pb.suspend(|| {
                let _ = writeln!(err, "{line}");
            }),
            None => {
                let _ = writeln!(err, "{line}");
            }
        }
    }

    fn write(&mut self, s: &str) -> std::io::Result<()> {
        if s.is_empty() || self.out_failed {
            return Ok(());
        }
        let r = self.out.write_all(s.as_bytes());
        if r.is_err() {
            self.out_failed = true;
            self.stop();
        }
        r
    }

    fn stop(&mut self) {
        self.stopped = true;
        self.window.stop();
    }

    fn take(&mut self, o: Outcome) {
        if self.stopped {
            return;
        }
        match o.result {
            Ok(record) => {
                self.code = self.code.max(record.verdict.exit_code());
                let listed = record.verdict >= extract_min(self.opts);
                self.totals.add(&record, o.size, o.took, listed);
                if let Some(t) = self.per_input.get_mut(o.input) {
                    t.add(record.verdict, o.size);
                }
                let _ = self.write(&o.output);
                if let (Some(dir), Some(raw)) = (&self.opts.extract, &o.raw) {
                    let name = extract::file_name(o.seq, record.verdict, &o.location);
                    match extract::write(dir, &name, raw) {
                        Ok(_) => self.extracted += 1,
                        Err(e) => {
                            let line = format!(
                                "lurescreen: {}: cannot extract to {}: {e}",
                                o.location.display(),
                                dir.join(&name).display()
                            );
                            self.say(&line);
                            self.code = self.code.max(exit::IO);
                        }
                    }
                }
            }
            Err(f) => {
                let loc = o.location.display();
                self.say(&format!("lurescreen: {loc}: {}", f.message));
                self.code = self.code.max(f.code);
                self.totals.error(&loc, &f.message);
                if let Some(t) = self.per_input.get_mut(o.input) {
                    t.errors += 1;
                }
                let text = match (self.opts.format, f.unreadable) {
                    (Format::Json, _) => {
                        format!("{}\n", report::json_error(&o.location, &f.message))
                    }
                    (Format::Csv, _) => report::csv_row(None, &o.location, Some(&f.message)),
                    (Format::Headers, false) => render::headers::error_block(&f.message, "\n"),
                    _ => String::new(),
                };
                let _ = self.write(&text);
                self.errors += 1;
                if let Some(max) = self.opts.max_errors
                    && self.errors >= max
                {
                    let line = format!(
                        "lurescreen: stopping after {} error(s) (--max-errors {max} / --fail-fast)",
                        self.errors
                    );
                    self.say(&line);
                    self.stop();
                }
            }
        }
    }

    fn progress(&self, bytes: u64) {
        let Some(pb) = &self.progress else {
            return;
        };
        let t = &self.totals;
        if (t.messages + t.errors).is_multiple_of(64) {
            pb.set_position(bytes);
            pb.set_message(format!(
                "{} msgs, {} flagged, {} errors",
                t.messages,
                t.flagged_count(),
                t.errors
            ));
        }
    }

    fn finish(mut self, inputs: &[PathBuf]) -> i32 {
        if self.opts.format == Format::Summary {
            let s = report::summary(&self.totals, self.opts.lang);
            let _ = self.write(&s);
        }
        if let Some(path) = &self.opts.report {
            let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
            let page = html::render(&self.totals, self.opts.lang, &names, extract_min(self.opts));
            if let Err(e) = std::fs::write(path, page) {
                let _ = writeln!(self.err, "lurescreen: --report {}: {e}", path.display());
                self.code = self.code.max(exit::IO);
            }
        }
        if let Some(dir) = &self.opts.extract
            && self.extracted > 0
        {
            let _ = writeln!(
                self.err,
                "lurescreen: extracted {} message(s) to {}",
                self.extracted,
                dir.display()
            );
        }
        let code = if self.out_failed || self.out.flush().is_err() {
            let _ = writeln!(self.err, "lurescreen: cannot write the report");
            exit::IO
        } else {
            self.code
        };
        if let Some(path) = &self.opts.summary_json {
            let json =
                report::summary_json(&self.totals, inputs, &self.per_input, self.stopped, code);
            if let Err(e) = report::write_summary_json(path, &json) {
                let _ = writeln!(
                    self.err,
                    "lurescreen: --summary-json {}: {e}",
                    path.display()
                );
                return code.max(exit::IO);
            }
        }
        code
    }
}

fn progress_bar(inputs: &[PathBuf]) -> indicatif::ProgressBar {
    let pb =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ");
    pb.set_style(style);
    pb.enable_steady_tick(Duration::from_millis(200));
    // The total size is found while the scan runs, so a large tree does not delay the start.
    let sizing = pb.clone();
    let paths = inputs.to_vec();
    std::thread::spawn(move || sizing.set_length(inputs::total_size(&paths)));
    pb
}
