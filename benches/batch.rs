//! Batch throughput on a generated mixed corpus (plain, HTML with links, PDF and ZIP attachments,
//! lures): lurescreen's full scan against mail-parser's bare parse of the same messages, measured
//! in the same run, on one core and on all cores, plus the whole `scan` pipeline over an mbox
//! file (read, split, scan, write JSON Lines). Prints MB/s, messages/s and the scan/parse ratio.
//!
//! `BATCH_REAL=DIR[:DIR...] cargo bench --bench batch` measures real mail instead of the generated
//! corpus: every file under the folders is one message (the generated corpus does not look like
//! real mail: base64 and quoted-printable bodies, long HTML with tables and tracking links), and
//! only the interleaved summary runs.
//!
//! `BATCH_CORPUS_OUT=DIR cargo bench --bench batch` writes the corpus instead (DIR/eml/*.eml and
//! DIR/corpus.mbox; `BATCH_CORPUS_MB`, default 30) for `scripts/bench-peers.sh`, and
//! `BATCH_MBOX_MB=N` makes DIR/corpus.mbox about N MB (the memory measurement uses 1100).

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{Criterion, Throughput};
use lurescreen::batch::{self, Format, Options};
use lurescreen::{Config, Engine, Signatures};
use mail_parser::MessageParser;
use rayon::prelude::*;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn parse_all(msgs: &[Vec<u8>]) -> usize {
    msgs.iter()
        .map(|m| {
            MessageParser::default()
                .parse(m)
                .map_or(0, |p| p.parts.len())
        })
        .sum()
}

fn parse_all_par(msgs: &[Vec<u8>]) -> usize {
    msgs.par_iter()
        .map(|m| {
            MessageParser::default()
                .parse(m)
                .map_or(0, |p| p.parts.len())
        })
        .sum()
}

fn scan_all(engine: &Engine, msgs: &[Vec<u8>]) -> usize {
    msgs.iter()
        .map(|m| engine.scan(m).map_or(0, |r| r.findings.len()))
        .sum()
}

fn scan_all_par(engine: &Engine, msgs: &[Vec<u8>]) -> usize {
    msgs.par_iter()
        .map(|m| engine.scan(m).map_or(0, |r| r.findings.len()))
        .sum()
}

fn write_corpus(dir: PathBuf) {
    let mb: usize = std::env::var("BATCH_CORPUS_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let mbox_mb: usize = std::env::var("BATCH_MBOX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(mb);
    let msgs = corpus::corpus(mb * 1_000_000);
    let eml = dir.join("eml");
    std::fs::create_dir_all(&eml).expect("create corpus folder");
    for (i, m) in msgs.iter().enumerate() {
        std::fs::write(eml.join(format!("{i:06}.eml")), m).expect("write message");
    }
    // The mbox repeats the corpus (fresh messages from the generator) up to its size, written
    // as it grows so a gigabyte never sits in memory.
    use std::io::Write;
    let file = std::fs::File::create(dir.join("corpus.mbox")).expect("create mbox");
    let mut w = std::io::BufWriter::new(file);
    let mut rng = corpus::Rng::new(0x5eed_1234);
    let mut written = 0usize;
    let mut n = 0;
    let mut buf = Vec::new();
    while written < mbox_mb * 1_000_000 {
        buf.clear();
        corpus::mbox_append(&mut buf, &corpus::message(&mut rng, n));
        w.write_all(&buf).expect("write mbox");
        written += buf.len();
        n += 1;
    }
    w.flush().expect("flush mbox");
    println!(
        "corpus: {} messages ({} MB) in {}, mbox of {n} messages ({} MB)",
        msgs.len(),
        msgs.iter().map(Vec::len).sum::<usize>() / 1_000_000,
        eml.display(),
        written / 1_000_000
    );
}

/// Every file under the folders of `dirs` (separated as in PATH), in name order, one message each.
fn real_mail(dirs: &std::ffi::OsStr) -> Vec<Vec<u8>> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            panic!("cannot read {}", dir.display());
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.is_file() {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in std::env::split_paths(dirs) {
        walk(&dir, &mut files);
    }
    files.sort();
    let msgs: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|f| std::fs::read(f).ok())
        .filter(|m| !m.is_empty())
        .collect();
    assert!(!msgs.is_empty(), "no messages under BATCH_REAL");
    msgs
}

fn main() {
    if let Some(dir) = std::env::var_os("BATCH_CORPUS_OUT") {
        write_corpus(PathBuf::from(dir));
        return;
    }
    let real = std::env::var_os("BATCH_REAL");
    let msgs = match &real {
        Some(dirs) => real_mail(dirs),
        None => corpus::corpus(30_000_000),
    };
    let bytes: usize = msgs.iter().map(Vec::len).sum();
    let engine = Engine::new(
        Config::default(),
        Signatures::embedded().expect("signatures"),
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut verdicts = [0usize; 4];
    for m in &msgs {
        if let Ok(r) = engine.scan(m) {
            verdicts[r.verdict as usize] += 1;
        }
    }
    println!(
        "corpus: {} messages, {:.1} MB; verdicts clean/warn/quarantine/reject {verdicts:?}; {cores} cores",
        msgs.len(),
        bytes as f64 / 1e6
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let mbox_path = dir.path().join("corpus.mbox");
    let mut mbox = Vec::with_capacity(bytes + msgs.len() * 80);
    for m in &msgs {
        corpus::mbox_append(&mut mbox, m);
    }
    std::fs::write(&mbox_path, &mbox).expect("write mbox");
    drop(mbox);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let all = rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .build()
        .expect("pool");
    let pipeline = |jobs: usize| {
        let opts = Options {
            format: Format::Json,
            jobs,
            ..Default::default()
        };
        let code = batch::run(
            &engine,
            std::slice::from_ref(&mbox_path),
            &opts,
            &mut std::io::sink(),
            &mut std::io::sink(),
        );
        assert!(code <= 3, "exit {code}");
    };

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    if real.is_none() {
        let mut g = c.benchmark_group("batch corpus");
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function("mail-parser parse, 1 core", |b| {
            b.iter(|| black_box(parse_all(&msgs)))
        });
        g.bench_function("lurescreen scan, 1 core", |b| {
            b.iter(|| black_box(scan_all(&engine, &msgs)))
        });
        g.bench_function("mail-parser parse, all cores", |b| {
            b.iter(|| all.install(|| black_box(parse_all_par(&msgs))))
        });
        g.bench_function("lurescreen scan, all cores", |b| {
            b.iter(|| all.install(|| black_box(scan_all_par(&engine, &msgs))))
        });
        g.bench_function("scan pipeline over mbox (JSON Lines), all cores", |b| {
            b.iter(|| pipeline(cores))
        });
        g.finish();
    }

    // The summary runs the six workloads in turn, round after round, so each scan is timed right
    // after its parse baseline; the ratios are taken per round (the host's speed drifts between
    // rounds, far less within one) and the median round is shown, with the best times beside.
    let runs: usize = std::env::var("BATCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7)
        .max(1);
    let names = [
        "mail-parser parse, 1 core".to_string(),
        "lurescreen scan, 1 core".to_string(),
        "mail-parser parse, all cores".to_string(),
        "lurescreen scan, all cores".to_string(),
        "scan pipeline over mbox, 1 job".to_string(),
        format!("scan pipeline over mbox, {cores} jobs"),
    ];
    let time = |f: &dyn Fn()| {
        let t = Instant::now();
        f();
        t.elapsed()
    };
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
    for _ in 0..runs {
        let round = [
            time(&|| {
                one.install(|| black_box(parse_all(&msgs)));
            }),
            time(&|| {
                one.install(|| black_box(scan_all(&engine, &msgs)));
            }),
            time(&|| {
                all.install(|| black_box(parse_all_par(&msgs)));
            }),
            time(&|| {
                all.install(|| black_box(scan_all_par(&engine, &msgs)));
            }),
            time(&|| pipeline(1)),
            time(&|| pipeline(cores)),
        ];
        for (t, r) in times.iter_mut().zip(round) {
            t.push(r);
        }
    }
    let median_of = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    println!(
        "\n{runs} interleaved rounds over {} messages, {:.1} MB (median round / best round):",
        msgs.len(),
        bytes as f64 / 1e6
    );
    for (name, t) in names.iter().zip(&times) {
        let secs: Vec<f64> = t.iter().map(Duration::as_secs_f64).collect();
        let med = median_of(&secs);
        let best = secs.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "  {name:<40} {:>8.1} MB/s {:>9.0} msgs/s   (best {:>8.1} MB/s)",
            bytes as f64 / 1e6 / med,
            msgs.len() as f64 / med,
            bytes as f64 / 1e6 / best,
        );
    }
    // Per-round ratio of a scan's throughput to its parse baseline's, in percent.
    let ratio = |scan: usize, parse: usize| {
        let per_round: Vec<f64> = times[scan]
            .iter()
            .zip(&times[parse])
            .map(|(s, p)| p.as_secs_f64() / s.as_secs_f64() * 100.0)
            .collect();
        let lo = per_round.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = per_round.iter().copied().fold(0.0, f64::max);
        format!("{:.0}% (rounds {lo:.0}-{hi:.0}%)", median_of(&per_round))
    };
    println!(
        "  scan/parse throughput: {} on 1 core, {} on all cores; pipeline over mbox: {} of parse-only on all cores (goal: >= 30%)",
        ratio(1, 0),
        ratio(3, 2),
        ratio(5, 2),
    );
    c.final_summary();
}
