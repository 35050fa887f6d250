//! Fixtures for the ARCHIVE_ rules, and end-to-end tests of archives as the engine sees them:
//! files inside archives judged like attachments, bombs ending in a finding in bounded time.

use super::Fixture;
use base64::Engine as _;
use lurescreen::{Config, Engine, Report, Signatures, Verdict};
use std::io::Write;
use zip::write::SimpleFileOptions;

/// A message with a text body and the given attachments.
pub fn mail(body: &str, files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut m = format!(
        "From: a@example.co.jp\nTo: b@example.co.jp\nSubject: files\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=BB\n\n--BB\nContent-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: 8bit\n\n{body}\n"
    );
    for (name, data) in files {
        let encoded: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
        m.push_str(&format!(
            "--BB\nContent-Type: application/octet-stream\n\
Content-Disposition: attachment; filename*=UTF-8''{encoded}\nContent-Transfer-Encoding: base64\n\n"
        ));
        let b64 = base64::engine::general_purpose::STANDARD.encode(data);
        for line in b64.as_bytes().chunks(76) {
            m.push_str(std::str::from_utf8(line).unwrap());
            m.push('\n');
        }
    }
    m.push_str("--BB--\n");
    m.into_bytes()
}

/// A zip of `(name, data)` entries, deflated.
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A zip with one entry written by hand: `flags` (1 = encrypted), `method`, the data as stored,
/// the size declared (Zip64 when over 4 GiB).
pub fn raw_zip(name: &str, flags: u16, method: u16, data: &[u8], size: u64) -> Vec<u8> {
    let zip64 = size >= u32::MAX as u64;
    let mut extra = Vec::new();
    if zip64 {
        extra.extend_from_slice(&1u16.to_le_bytes());
        extra.extend_from_slice(&16u16.to_le_bytes());
        extra.extend_from_slice(&size.to_le_bytes());
        extra.extend_from_slice(&(data.len() as u64).to_le_bytes());
    }
    let (c, u) = if zip64 {
        (u32::MAX, u32::MAX)
    } else {
        (data.len() as u32, size as u32)
    };
    let fields = |v: &mut Vec<u8>| {
        v.extend_from_slice(&45u16.to_le_bytes());
        v.extend_from_slice(&flags.to_le_bytes());
        v.extend_from_slice(&method.to_le_bytes());
        v.extend_from_slice(&[0, 0, 0x21, 0, 0, 0, 0, 0]);
        v.extend_from_slice(&c.to_le_bytes());
        v.extend_from_slice(&u.to_le_bytes());
        v.extend_from_slice(&(name.len() as u16).to_le_bytes());
        v.extend_from_slice(&(extra.len() as u16).to_le_bytes());
    };
    let mut out = b"PK\x03\x04".to_vec();
    fields(&mut out);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&extra);
    out.extend_from_slice(data);
    let cd = out.len() as u32;
    out.extend_from_slice(b"PK\x01\x02\x2d\x00");
    fields(&mut out);
    out.extend_from_slice(&[0; 10]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&extra);
    let cd_len = out.len() as u32 - cd;
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

/// A raw deflate stream of `size` zeros: one full-flushed megabyte block repeated, so gigabytes
/// cost megabytes and milliseconds to build.
pub fn deflated_zeros(size: u64) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let zeros = vec![0u8; 1 << 20];
    let mut c = Compress::new(Compression::best(), false);
    let mut block = |input: &[u8], flush| {
        let mut out = Vec::new();
        let start = c.total_in();
        loop {
            out.reserve(1 << 16);
            let done = (c.total_in() - start) as usize;
            c.compress_vec(&input[done..], &mut out, flush).unwrap();
            if (c.total_in() - start) as usize == input.len() && out.len() < out.capacity() {
                return out;
            }
        }
    };
    let mut out = block(&zeros, FlushCompress::Full);
    let steady = block(&zeros, FlushCompress::Full);
    for _ in 1..size >> 20 {
        out.extend_from_slice(&steady);
    }
    out.extend(block(&[], FlushCompress::Finish));
    out
}

/// A minimal ISO 9660 image: a root directory holding one file.
pub fn iso_of(name: &str, data: &[u8]) -> Vec<u8> {
    const S: usize = 2048;
    let record = |extent: u32, size: u32, flags: u8, id: &[u8]| {
        let len = 33 + id.len() + (id.len() + 1) % 2;
        let mut r = vec![0u8; len];
        r[0] = len as u8;
        r[2..6].copy_from_slice(&extent.to_le_bytes());
        r[10..14].copy_from_slice(&size.to_le_bytes());
        r[25] = flags;
        r[32] = id.len() as u8;
        r[33..33 + id.len()].copy_from_slice(id);
        r
    };
    let mut img = vec![0u8; 19 * S]; // the file goes at sector 19, as its record says
    img[16 * S] = 1;
    img[16 * S + 1..16 * S + 6].copy_from_slice(b"CD001");
    img[16 * S + 128..16 * S + 130].copy_from_slice(&(S as u16).to_le_bytes());
    img[16 * S + 156..16 * S + 190].copy_from_slice(&record(18, S as u32, 2, &[0]));
    img[17 * S] = 255;
    img[17 * S + 1..17 * S + 6].copy_from_slice(b"CD001");
    let mut root = record(18, S as u32, 2, &[0]);
    root.extend(record(18, S as u32, 2, &[1]));
    root.extend(record(
        19,
        data.len() as u32,
        0,
        format!("{name};1").as_bytes(),
    ));
    img[18 * S..18 * S + root.len()].copy_from_slice(&root);
    img.extend_from_slice(data);
    img.resize(img.len().div_ceil(S) * S, 0);
    img
}

/// A 7z whose header is encrypted, so no name is visible.
fn seven_z_hidden_names() -> Vec<u8> {
    use sevenz_rust2::encoder_options::AesEncoderOptions;
    use sevenz_rust2::{ArchiveEntry, ArchiveWriter, EncoderMethod, Password};
    let mut w = ArchiveWriter::new(std::io::Cursor::new(Vec::new())).unwrap();
    w.set_content_methods(vec![
        AesEncoderOptions::new(Password::from("secret1")).into(),
        EncoderMethod::LZMA2.into(),
    ]);
    w.set_encrypt_header(true);
    w.push_archive_entry(ArchiveEntry::new_file("invoice.exe"), Some(&b"MZ"[..]))
        .unwrap();
    w.finish().unwrap().into_inner()
}

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let encrypted = raw_zip("請求書.docx", 1, 8, &[0x5a; 64], 1000);
    let zeros = deflated_zeros(64 << 20);
    let many: Vec<(String, Vec<u8>)> = (0..10).map(|i| (format!("f{i}.txt"), vec![b'x'])).collect();
    let many_refs: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let mut few_entries = d();
    few_entries.limits.max_expanded_entries = 5;
    let mut nested = zip_of(&[("inner.txt", b"hello")]);
    for level in 0..3 {
        nested = zip_of(&[(&format!("level{level}.zip"), &nested)]);
    }
    vec![
        (
            "ARCHIVE_ENCRYPTED",
            d(),
            mail("資料を送ります。", &[("資料.zip", &encrypted)]),
        ),
        (
            "ARCHIVE_ENCRYPTED_NAMES",
            d(),
            mail("see attached", &[("files.7z", &seven_z_hidden_names())]),
        ),
        (
            "ARCHIVE_PASSWORD_IN_BODY",
            d(),
            mail(
                "請求書を添付します。\n解凍パスワード：Xk29pq71",
                &[("請求書.zip", &encrypted)],
            ),
        ),
        (
            "CONTENT_PAYMENT_DETAILS",
            d(),
            mail(
                "弊社の振込先口座を変更いたしました。今月のお支払いから新しい口座へお振込みください。",
                &[],
            ),
        ),
        (
            "CONTENT_SEPARATE_PASSWORD",
            d(),
            mail(
                "先ほどお送りした見積書.zip の解凍パスワードをお知らせします。\nパスワード：Xk29pq71",
                &[],
            ),
        ),
        (
            "ARCHIVE_LIMIT",
            d(),
            mail(
                "",
                &[("zeros.zip", &raw_zip("zeros.bin", 0, 8, &zeros, 64 << 20))],
            ),
        ),
        (
            "ARCHIVE_TOO_MANY_ENTRIES",
            few_entries,
            mail("", &[("many.zip", &zip_of(&many_refs))]),
        ),
        (
            "ARCHIVE_TOO_DEEP",
            d(),
            mail("", &[("nested.zip", &nested)]),
        ),
        (
            "ARCHIVE_PATH_TRAVERSAL",
            d(),
            mail(
                "",
                &[(
                    "update.zip",
                    &raw_zip("../../Startup/run.bat", 0, 0, b"@echo off", 9),
                )],
            ),
        ),
        (
            "ARCHIVE_EXECUTABLE_INSIDE",
            d(),
            mail(
                "",
                &[("請求書.zip", &zip_of(&[("請求書.pdf.lnk", b"L\0\0\0")]))],
            ),
        ),
        (
            "ARCHIVE_DISK_IMAGE",
            d(),
            mail("", &[("document.dat", &iso_of("README.TXT", b"hello"))]),
        ),
        (
            "ARCHIVE_UNREADABLE",
            d(),
            mail(
                "",
                &[("broken.zip", b"PK\x03\x04\xff\xff\xff\xff garbage garbage")],
            ),
        ),
    ]
}

fn scan(config: Config, raw: &[u8]) -> Report {
    Engine::new(config, Signatures::embedded().unwrap())
        .scan(raw)
        .unwrap()
}

fn has(r: &Report, rule: &str, location: &str) -> bool {
    r.findings
        .iter()
        .any(|f| f.rule == rule && f.location == location)
}

fn rules(r: &Report) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn a_double_extension_inside_a_zip_is_found_where_it_is() {
    let z = zip_of(&[("請求書.pdf.exe", b"MZ\x90\0")]);
    let r = scan(
        Config::default(),
        &mail("ご確認ください", &[("invoice.zip", &z)]),
    );
    assert!(
        has(
            &r,
            "ATTACH_DOUBLE_EXTENSION",
            "2/invoice.zip!/請求書.pdf.exe"
        ),
        "{:?}",
        r.findings
            .iter()
            .map(|f| (&f.rule, &f.location))
            .collect::<Vec<_>>()
    );
    assert!(has(&r, "ARCHIVE_EXECUTABLE_INSIDE", "2/invoice.zip"));
    assert_eq!(r.verdict, Verdict::Quarantine);
}

#[test]
fn tar_gz_is_opened_on_both_levels() {
    let mut t = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(2);
    h.set_mode(0o644);
    t.append_data(&mut h, "docs/見積書.pdf.scr", &b"MZ"[..])
        .unwrap();
    let tar = t.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).unwrap();
    let r = scan(
        Config::default(),
        &mail("", &[("backup.tar.gz", &gz.finish().unwrap())]),
    );
    assert!(has(
        &r,
        "ATTACH_DOUBLE_EXTENSION",
        "2/backup.tar.gz!/backup.tar!/docs/見積書.pdf.scr"
    ));
}

#[test]
fn an_office_document_is_opened_but_not_flagged() {
    let docx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
        ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),
    ]);
    // Nested at the depth limit, the document is not an archive "too deep".
    let mut deep = docx.clone();
    for i in 0..3 {
        deep = zip_of(&[(&format!("d{i}.zip"), &deep)]);
    }
    let r = scan(
        Config::default(),
        &mail("報告書です", &[("報告書.docm", &docx)]),
    );
    assert!(r.findings.is_empty(), "{:?}", rules(&r));
    let r = scan(Config::default(), &mail("", &[("d.zip", &deep)]));
    assert!(!rules(&r).contains(&"ARCHIVE_TOO_DEEP"), "{:?}", rules(&r));
}

#[test]
fn a_ten_gigabyte_zip_bomb_ends_in_a_limit_quickly() {
    let zeros = deflated_zeros(10 << 30);
    let bomb = raw_zip("zeros.bin", 0, 8, &zeros, 10 << 30);
    let r = scan(Config::default(), &mail("", &[("bomb.zip", &bomb)]));
    assert!(has(&r, "ARCHIVE_LIMIT", "2/bomb.zip"), "{:?}", rules(&r));
    // The work is bounded by bytes, not by a clock: what was inflated stays within the budget.
    assert_expanded_within(&r, Config::default().limits.max_expanded_bytes);
}

/// Every `ARCHIVE_LIMIT` says how much it had inflated when it stopped; their sum stays within
/// `budget` (timings of the same scans are in `benches/`, not here).
fn assert_expanded_within(r: &Report, budget: u64) {
    let limits: Vec<u64> = r
        .findings
        .iter()
        .filter(|f| f.rule == "ARCHIVE_LIMIT")
        .map(|f| {
            f.evidence
                .iter()
                .find(|(k, _)| k == "expanded")
                .and_then(|(_, v)| v.parse().ok())
                .expect("ARCHIVE_LIMIT names the bytes expanded")
        })
        .collect();
    assert!(!limits.is_empty());
    let total: u64 = limits.iter().sum();
    assert!(
        total <= budget,
        "expanded {total} of a budget of {budget}: {limits:?}"
    );
}

#[test]
fn a_nested_zip_bomb_ends_in_limits() {
    // 42.zip in small: each level holds 16 copies of the level below; the bottom one holds
    // 64 MiB of zeros. Opened to depth 6 it would expand to 16^3 × 64 MiB = 256 GiB.
    let zeros = deflated_zeros(64 << 20);
    let mut level = raw_zip("zeros.bin", 0, 8, &zeros, 64 << 20);
    for _ in 0..3 {
        let copies: Vec<(String, &[u8])> = (0..16)
            .map(|i| (format!("{i:x}.zip"), level.as_slice()))
            .collect();
        let refs: Vec<(&str, &[u8])> = copies.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        level = zip_of(&refs);
    }
    let mut deep = Config::default();
    deep.limits.max_container_depth = 6;
    deep.limits.max_expanded_bytes = 64 << 20;
    let r = scan(deep, &mail("", &[("42.zip", &level)]));
    assert!(rules(&r).contains(&"ARCHIVE_LIMIT"), "{:?}", rules(&r));
    assert_expanded_within(&r, 64 << 20);
    // With the default depth it stops by nesting.
    let r = scan(Config::default(), &mail("", &[("42.zip", &level)]));
    assert!(rules(&r).contains(&"ARCHIVE_TOO_DEEP"), "{:?}", rules(&r));
}

#[test]
fn an_iso_holding_a_shortcut_is_quarantined() {
    let iso = iso_of("INVOICE.LNK", b"L\0\0\0\x01\x14\x02\0");
    let r = scan(Config::default(), &mail("", &[("scan.dat", &iso)]));
    assert!(has(&r, "ARCHIVE_DISK_IMAGE", "2/scan.dat"));
    assert!(has(
        &r,
        "ATTACH_DANGEROUS_EXTENSION",
        "2/scan.dat!/INVOICE.LNK"
    ));
    assert_eq!(r.verdict, Verdict::Quarantine);
}

/// The bytes of a file inside a disk image are read from where its record says: a program in an
/// ISO is seen as a program whatever its name.
#[test]
fn a_program_inside_an_iso_is_seen_by_its_bytes() {
    let iso = iso_of("README.TXT", &super::attachments::tiny_pe());
    let r = scan(Config::default(), &mail("", &[("scan.iso", &iso)]));
    assert!(
        has(&r, "EXE_PROGRAM", "2/scan.iso!/README.TXT"),
        "{:?}",
        rules(&r)
    );
}

#[test]
fn ppap_with_the_password_in_another_mail_is_only_an_encrypted_archive() {
    let z = raw_zip("見積書.xlsx", 1, 8, &[1; 80], 500);
    let r = scan(
        Config::default(),
        &mail(
            "見積書を送付します。パスワードは別途お送りします。",
            &[("見積書.zip", &z)],
        ),
    );
    assert_eq!(rules(&r), ["ARCHIVE_ENCRYPTED"]);
    assert_eq!(r.verdict, Verdict::Clean);
}
