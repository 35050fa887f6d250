//! A message carrying a 5 MB benign PDF (text pages, images, a form field, links): lurescreen's
//! whole scan against mail-parser's parse of the same message, and the PDF analysis alone.
//! Prints the ratio scan / parse, measured in the same run.

use base64::Engine as _;
use criterion::Criterion;
use lurescreen::formats::pdf;
use lurescreen::{Config, Engine, Signatures};
use mail_parser::MessageParser;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../tests/support/pdf_builder.rs"]
mod pdf_builder;
use pdf_builder::stream;

/// About 5 MB: 120 pages, each with a text content stream (~8 KB), a 32 KB image and a link;
/// page 1 has a form field with a format script.
fn benign_pdf() -> Vec<u8> {
    const PAGES: usize = 120;
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let kids: String = (0..PAGES).map(|i| format!("{} 0 R ", 4 + i * 4)).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R] >> >>".to_vec());
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {PAGES} >>").into_bytes());
    objects.push(
        b"<< /FT /Tx /T (amount) /Subtype /Widget /Rect [72 72 200 90] /P 4 0 R \
          /AA << /F << /S /JavaScript /JS (AFNumber_Format\\(0, 0, 0, 0, '', true\\);) >> >> >>"
            .to_vec(),
    );
    let mut seed = 0x2545F491u32;
    for i in 0..PAGES {
        let page_id = 4 + i * 4;
        let annots = if i == 0 {
            format!("[{} 0 R 3 0 R]", page_id + 3)
        } else {
            format!("[{} 0 R]", page_id + 3)
        };
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R \
                 /Resources << /XObject << /Im0 {} 0 R >> >> /Annots {annots} >>",
                page_id + 1,
                page_id + 2
            )
            .into_bytes(),
        );
        let mut text = String::from("BT /F1 10 Tf 50 800 Td 12 TL\n");
        while text.len() < 8_000 {
            text.push_str(
                "(The committee reviewed the quarterly figures and agreed the plan.) '\n",
            );
        }
        text.push_str("ET q 200 0 0 100 50 50 cm /Im0 Do Q");
        objects.push(stream("", text.as_bytes()));
        let image: Vec<u8> = (0..32_768)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed as u8
            })
            .collect();
        objects.push(stream(
            "/Type /XObject /Subtype /Image /Width 128 /Height 128 /ColorSpace /DeviceRGB \
             /BitsPerComponent 8 /Filter /DCTDecode",
            &image,
        ));
        objects.push(
            format!(
                "<< /Type /Annot /Subtype /Link /Rect [50 30 300 45] \
                 /A << /S /URI /URI (https://www.example.co.jp/reports/{i}) >> >>"
            )
            .into_bytes(),
        );
    }
    let bodies: Vec<&[u8]> = objects.iter().map(Vec::as_slice).collect();
    pdf_builder::pdf(&bodies, "")
}

/// A zip of about 10 MB: office-like text and incompressible bytes, deflated.
fn benign_zip() -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut seed = 0x9E3779B9u32;
    for i in 0..20 {
        zip.start_file(format!("reports/report-{i:02}.csv"), options)
            .expect("zip entry");
        let mut data = Vec::with_capacity(600_000);
        while data.len() < 500_000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            data.extend_from_slice(
                format!("{i},{seed},quarterly figure,{}\n", seed % 997).as_bytes(),
            );
            // Mostly incompressible, like the photos and PDFs real zips carry.
            for _ in 0..8 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                data.extend_from_slice(&seed.to_le_bytes());
            }
        }
        zip.write_all(&data).expect("zip write");
    }
    zip.finish().expect("zip finish");
    out.into_inner()
}

fn message(pdf: &[u8]) -> Vec<u8> {
    attached(pdf, "application/pdf", "report.pdf")
}

fn attached(file: &[u8], content_type: &str, name: &str) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(file);
    let mut body = String::new();
    for line in b64.as_bytes().chunks(76) {
        body.push_str(std::str::from_utf8(line).unwrap_or_default());
        body.push_str("\r\n");
    }
    format!(
        "From: Sato <sato@example.co.jp>\r\nTo: tanaka@example.co.jp\r\nSubject: report\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nPlease find the report attached.\r\n--b\r\n\
Content-Type: {content_type}; name={name}\r\nContent-Disposition: attachment; filename={name}\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{body}--b--\r\n"
    )
    .into_bytes()
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let pdf_bytes = benign_pdf();
    let msg = message(&pdf_bytes);
    let engine = Engine::new(
        Config::default(),
        Signatures::embedded().expect("signatures"),
    );
    let report = engine.scan(&msg).expect("scans");
    println!(
        "PDF {} bytes, message {} bytes: verdict {}, rules {:?}",
        pdf_bytes.len(),
        msg.len(),
        report.verdict,
        report
            .findings
            .iter()
            .map(|f| f.rule.as_str())
            .collect::<Vec<_>>()
    );

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    c.bench_function("mail-parser parse, 5 MB PDF message", |b| {
        b.iter(|| {
            MessageParser::default()
                .parse(black_box(&msg))
                .map(|m| m.parts.len())
        })
    });
    c.bench_function("lurescreen scan, 5 MB PDF message", |b| {
        b.iter(|| engine.scan(black_box(&msg)).map(|r| r.score))
    });
    c.bench_function("PDF analysis alone, 5 MB PDF", |b| {
        b.iter(|| {
            let mut budget = 256 * 1024 * 1024;
            pdf::analyse(black_box(&pdf_bytes), &mut budget, true)
                .model
                .map(|m| m.pages)
        })
    });

    let parse = median(15, || {
        black_box(MessageParser::default().parse(&msg).map(|m| m.parts.len()));
    });
    let scan = median(15, || {
        black_box(engine.scan(&msg).map(|r| r.score).ok());
    });
    println!(
        "5 MB PDF, median of 15: mail-parser parse {:.2} ms, lurescreen scan {:.2} ms, ratio scan/parse {:.1}",
        parse.as_secs_f64() * 1e3,
        scan.as_secs_f64() * 1e3,
        scan.as_secs_f64() / parse.as_secs_f64()
    );

    let zip_bytes = benign_zip();
    let zip_msg = attached(&zip_bytes, "application/zip", "reports.zip");
    let report = engine.scan(&zip_msg).expect("scans");
    println!(
        "zip {} bytes, message {} bytes: verdict {}, {} findings",
        zip_bytes.len(),
        zip_msg.len(),
        report.verdict,
        report.findings.len()
    );
    c.bench_function("mail-parser parse, 10 MB zip message", |b| {
        b.iter(|| {
            MessageParser::default()
                .parse(black_box(&zip_msg))
                .map(|m| m.parts.len())
        })
    });
    c.bench_function("lurescreen scan, 10 MB zip message", |b| {
        b.iter(|| engine.scan(black_box(&zip_msg)).map(|r| r.score))
    });
    let parse = median(15, || {
        black_box(
            MessageParser::default()
                .parse(&zip_msg)
                .map(|m| m.parts.len()),
        );
    });
    let scan = median(15, || {
        black_box(engine.scan(&zip_msg).map(|r| r.score).ok());
    });
    println!(
        "10 MB zip, median of 15: mail-parser parse {:.2} ms, lurescreen scan {:.2} ms, ratio scan/parse {:.1}",
        parse.as_secs_f64() * 1e3,
        scan.as_secs_f64() * 1e3,
        scan.as_secs_f64() / parse.as_secs_f64()
    );
    c.final_summary();
}
