//! Reads labelled mail (the inputs `scan` reads: message files, folders, mbox, Maildir) and
//! scans it on all cores, keeping of each message only which rules fired.

use super::fit::Sample;
use crate::Engine;
use crate::batch::inputs::{InputKind, Location, Payload, Walker};
use crate::finding::Verdict;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc;

/// Stack of the scanning threads (as `batch`'s: parsers of attached documents recurse).
const SCAN_STACK: usize = 64 * 1024 * 1024;
/// Messages waiting for a worker, per worker: bounds the memory the reader can fill.
const QUEUE_PER_JOB: usize = 8;

/// One command-line input and what was found in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub path: PathBuf,
    pub phish: bool,
    /// Messages scanned (duplicates and failures not counted).
    pub messages: u64,
}

/// The labelled messages, in input order.
#[derive(Debug, Default)]
pub struct Collected {
    pub samples: Vec<Sample>,
    /// The input (index into `inputs`) of each sample.
    pub sample_inputs: Vec<usize>,
    pub inputs: Vec<Input>,
    /// Messages byte for byte the same as an earlier one, skipped (a copy in both labels too).
    pub duplicates: u64,
    /// Of those, copies with the other label.
    pub conflicting: u64,
    /// Messages or files that could not be read or scanned, with why.
    pub failures: Vec<String>,
    /// Messages on which the engine's own verdict (current scores) differs from the model of it
    /// in `fit::is_flagged`: 0 unless the two have drifted apart.
    pub model_mismatches: u64,
}

struct Item {
    seq: u64,
    input: usize,
    location: Location,
    payload: Payload,
}

struct Scanned {
    seq: u64,
    input: usize,
    digest: [u8; 32],
    result: Result<Findings, String>,
}

struct Findings {
    rules: Vec<u32>,
    context_counts: bool,
    engine_flagged: bool,
}

/// Scans `ham` and `phish` with `engine` on `jobs` threads (0: one per core). `evidence` gives,
/// for a report, whether context alone may carry its verdict.
pub fn collect(
    engine: &Engine,
    ham: &[PathBuf],
    phish: &[PathBuf],
    jobs: usize,
    context_counts: &(dyn Fn(&crate::Report) -> bool + Sync),
) -> Result<Collected, String> {
    let mut inputs: Vec<Input> = Vec::new();
    for (paths, is_phish) in [(ham, false), (phish, true)] {
        for p in paths {
            inputs.push(Input {
                path: p.clone(),
                phish: is_phish,
                messages: 0,
            });
        }
    }
    let jobs = if jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(SCAN_STACK)
        .thread_name(|i| format!("lurescreen-tune-{i}"))
        .build()
        .map_err(|e| format!("cannot start the scanning threads: {e}"))?;
    let index: BTreeMap<&str, u32> = engine
        .signatures()
        .rules()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i as u32))
        .collect();
    let (item_tx, item_rx) = mpsc::sync_channel::<Item>(jobs * QUEUE_PER_JOB);
    let (res_tx, res_rx) = mpsc::channel::<Scanned>();
    let mut results: Vec<Scanned> = Vec::new();
    let mut unreadable: Vec<(u64, String)> = Vec::new();
    let paths: Vec<PathBuf> = inputs.iter().map(|i| i.path.clone()).collect();
    let max_bytes = engine.config().limits.max_message_bytes;
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut seq = 0u64;
            for (input, path) in paths.iter().enumerate() {
                let mut emit = |location: Location, payload: Payload| {
                    seq += 1;
                    let item = Item {
                        seq,
                        input,
                        location,
                        payload,
                    };
                    match item_tx.send(item) {
                        Ok(()) => ControlFlow::Continue(()),
                        Err(_) => ControlFlow::Break(()),
                    }
                };
                let mut walker = Walker {
                    kind: InputKind::Auto,
                    max_message_bytes: max_bytes,
                    bytes_read: Arc::new(AtomicU64::new(0)),
                    emit: &mut emit,
                };
                if walker.walk(std::slice::from_ref(path)).is_break() {
                    break;
                }
            }
        });
        let index = &index;
        s.spawn(move || {
            use rayon::iter::{ParallelBridge, ParallelIterator};
            pool.install(|| {
                item_rx
                    .into_iter()
                    .par_bridge()
                    .for_each_with(res_tx, |tx, item| {
                        let _ = tx.send(scan_one(engine, index, item, context_counts));
                    });
            });
        });
        for r in res_rx.iter() {
            results.push(r);
        }
    });
    results.sort_by_key(|r| r.seq);
    let mut out = Collected {
        inputs,
        ..Collected::default()
    };
    let mut seen: HashMap<[u8; 32], bool> = HashMap::new();
    let rules = super::rule_table(engine.signatures());
    let current: Vec<f64> = rules.iter().map(|r| r.current).collect();
    let warn = engine.config().thresholds.warn;
    for r in results {
        let phish = out.inputs[r.input].phish;
        match r.result {
            Err(e) => unreadable.push((r.seq, e)),
            Ok(f) => {
                if let Some(&label) = seen.get(&r.digest) {
                    out.duplicates += 1;
                    out.conflicting += u64::from(label != phish);
                    continue;
                }
                seen.insert(r.digest, phish);
                out.inputs[r.input].messages += 1;
                let sample = Sample {
                    rules: f.rules,
                    phish,
                    context_counts: f.context_counts,
                };
                let modelled = super::fit::is_flagged(&sample, &rules, &current, warn);
                out.model_mismatches += u64::from(modelled != f.engine_flagged);
                out.samples.push(sample);
                out.sample_inputs.push(r.input);
            }
        }
    }
    out.failures = unreadable.into_iter().map(|(_, e)| e).collect();
    Ok(out)
}

fn scan_one(
    engine: &Engine,
    index: &BTreeMap<&str, u32>,
    item: Item,
    context_counts: &(dyn Fn(&crate::Report) -> bool + Sync),
) -> Scanned {
    let where_ = item.location.display();
    let (digest, result) = match item.payload {
        Payload::Bytes(raw) => {
            let digest: [u8; 32] = Sha256::digest(&raw).into();
            let scanned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                engine.scan(&raw).map(|report| {
                    let mut rules: Vec<u32> = report
                        .findings
                        .iter()
                        .filter_map(|f| index.get(f.rule.as_str()).copied())
                        .collect();
                    rules.sort_unstable();
                    rules.dedup();
                    Findings {
                        rules,
                        context_counts: context_counts(&report),
                        engine_flagged: report.verdict >= Verdict::Warn,
                    }
                })
            }));
            let result = match scanned {
                Ok(Ok(f)) => Ok(f),
                Ok(Err(e)) => Err(format!("{where_}: {e}")),
                Err(_) => Err(format!("{where_}: internal error while scanning")),
            };
            (digest, result)
        }
        Payload::TooLarge(size) => (
            [0; 32],
            Err(format!(
                "{where_}: {size} bytes, over limits.max_message_bytes"
            )),
        ),
        Payload::Unreadable(e) => ([0; 32], Err(format!("{where_}: {e}"))),
    };
    Scanned {
        seq: item.seq,
        input: item.input,
        digest,
        result,
    }
}
