//! A synthetic, deterministic mixed corpus for the batch benchmarks: plain text, HTML with
//! links, PDF attachments, ZIP attachments (some carrying a program), and display-name lures.
//! Shared by `benches/batch.rs` (and, through it, `scripts/bench-peers.sh`).

use base64::Engine as _;

/// xorshift64*: the same corpus on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

const WORDS: [&str; 24] = [
    "meeting",
    "schedule",
    "quarterly",
    "report",
    "budget",
    "review",
    "customer",
    "invoice",
    "project",
    "deadline",
    "agenda",
    "minutes",
    "approval",
    "contract",
    "delivery",
    "shipment",
    "please",
    "confirm",
    "attached",
    "regards",
    "update",
    "office",
    "team",
    "thanks",
];

fn sentences(rng: &mut Rng, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 80);
    while out.len() < bytes {
        let n = 6 + rng.below(10) as usize;
        for i in 0..n {
            let w = WORDS[rng.below(WORDS.len() as u64) as usize];
            if i > 0 {
                out.push(' ');
            }
            out.push_str(w);
        }
        out.push_str(if rng.below(4) == 0 { ".\r\n" } else { ". " });
    }
    out
}

fn b64_lines(data: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = String::with_capacity(b64.len() + b64.len() / 76 * 2 + 2);
    for line in b64.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

fn header(rng: &mut Rng, n: usize, from: &str, subject: &str, ctype: &str) -> String {
    let day = 1 + rng.below(28);
    format!(
        "Return-Path: <bounce{n}@mail.example.net>\r\n\
         Received: from mail.example.net (mail.example.net [192.0.2.{}])\r\n\tby mx.example.co.jp with ESMTPS id {n:08x}\r\n\tfor <staff{}@example.co.jp>; Mon, {day} Jan 2024 10:00:00 +0900\r\n\
         From: {from}\r\nTo: staff{}@example.co.jp\r\nSubject: {subject}\r\n\
         Date: Mon, {day} Jan 2024 10:{:02}:00 +0900\r\nMessage-ID: <{n}.{}@mail.example.net>\r\n\
         MIME-Version: 1.0\r\nContent-Type: {ctype}\r\n\r\n",
        1 + rng.below(250),
        rng.below(50),
        rng.below(50),
        rng.below(60),
        rng.next_u64() % 100_000,
    )
}

/// A one-page-per-paragraph PDF with text and a link, about `bytes` long (uncompressed streams).
pub fn pdf(rng: &mut Rng, bytes: usize) -> Vec<u8> {
    let pages = (bytes / 4000).clamp(1, 60);
    let mut objects: Vec<String> = Vec::new();
    let kids: String = (0..pages).map(|i| format!("{} 0 R ", 3 + i * 3)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {pages} >>"));
    for i in 0..pages {
        let id = 3 + i * 3;
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Annots [{} 0 R] >>",
            id + 1,
            id + 2
        ));
        let mut text = String::from("BT /F1 10 Tf 50 800 Td 12 TL\n");
        for line in sentences(rng, 3500).split(". ") {
            text.push_str(&format!(
                "({}) '\n",
                line.replace(['(', ')', '\r', '\n'], " ")
            ));
        }
        text.push_str("ET");
        objects.push(format!(
            "<< /Length {} >>\nstream\n{text}\nendstream",
            text.len()
        ));
        objects.push(format!(
            "<< /Type /Annot /Subtype /Link /Rect [50 50 300 70] /A << /S /URI /URI (https://intranet.example.co.jp/doc/{i}) >> >>"
        ));
    }
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A ZIP (stored, no compression) of the given files.
pub fn zip(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let crc = crc.sum();
        let offset = out.len() as u32;
        let len = data.len() as u32;
        let n = name.len() as u16;
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0x58]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0x58]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&len.to_le_bytes());
        central.extend_from_slice(&len.to_le_bytes());
        central.extend_from_slice(&n.to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    let cd_len = central.len() as u32;
    out.extend_from_slice(&central);
    let count = files.len() as u16;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn attachment(boundary: &str, name: &str, ctype: &str, data: &[u8]) -> String {
    format!(
        "--{boundary}\r\nContent-Type: {ctype}; name=\"{name}\"\r\n\
         Content-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
        b64_lines(data)
    )
}

/// Message number `n` of the corpus.
pub fn message(rng: &mut Rng, n: usize) -> Vec<u8> {
    let colleague = "Taro Yamada <taro.yamada@example.co.jp>";
    let kind = rng.below(100);
    let m = if kind < 35 {
        // Plain text, 1-8 KB.
        let size = 1000 + rng.below(7000) as usize;
        let mut m = header(
            rng,
            n,
            colleague,
            "Re: weekly meeting",
            "text/plain; charset=utf-8",
        );
        m.push_str(&sentences(rng, size));
        m
    } else if kind < 65 {
        // HTML with links, and its text alternative; one in six has a lure link.
        let links = 5 + rng.below(25);
        let mut html = String::from("<html><body><p>Hello,</p>\r\n");
        let mut text = String::new();
        for i in 0..links {
            let para = sentences(rng, 300);
            if i == 0 && rng.below(6) == 0 {
                html.push_str("<p><a href=\"https://login.example-secure-check.net/s\">https://www.example-bank.co.jp/login</a></p>\r\n");
            } else {
                html.push_str(&format!(
                    "<p>{para} <a href=\"https://news.example.com/a/{n}/{i}\">read more</a></p>\r\n"
                ));
            }
            text.push_str(&para);
            text.push_str("\r\n");
        }
        html.push_str("</body></html>\r\n");
        let mut m = header(
            rng,
            n,
            "Newsletter <news@news.example.com>",
            "This week's news",
            "multipart/alternative; boundary=\"alt\"",
        );
        m.push_str(&format!(
            "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}--alt\r\n\
             Content-Type: text/html; charset=utf-8\r\n\r\n{html}--alt--\r\n"
        ));
        m
    } else if kind < 80 {
        // A PDF attachment, 8-120 KB.
        let size = 8_000 + rng.below(112_000) as usize;
        let doc = pdf(rng, size);
        let mut m = header(
            rng,
            n,
            colleague,
            "Quarterly report",
            "multipart/mixed; boundary=\"mix\"",
        );
        m.push_str("--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease find the report attached.\r\n");
        m.push_str(&attachment("mix", "report.pdf", "application/pdf", &doc));
        m.push_str("--mix--\r\n");
        m
    } else if kind < 90 {
        // A ZIP attachment; one in four carries a program under a document name.
        let mut files = vec![("notes.txt", sentences(rng, 4000).into_bytes())];
        let sub = rng.below(4);
        if sub == 0 {
            let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
            exe.resize(4096, 0);
            files.push(("invoice.pdf.exe", exe));
        } else {
            let size = 4_000 + rng.below(30_000) as usize;
            files.push(("spec.pdf", pdf(rng, size)));
        }
        let archive = zip(&files);
        let mut m = header(
            rng,
            n,
            "Orders <orders@supplier.example>",
            "Order documents",
            "multipart/mixed; boundary=\"mix\"",
        );
        m.push_str("--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe documents are in the archive.\r\n");
        m.push_str(&attachment(
            "mix",
            "documents.zip",
            "application/zip",
            &archive,
        ));
        m.push_str("--mix--\r\n");
        m
    } else {
        // A display-name lure.
        let mut m = header(
            rng,
            n,
            "\"support@example-bank.co.jp\" <notice@mailer.example.org>",
            "[Action required] confirm your account",
            "text/plain; charset=utf-8",
        );
        m.push_str("We noticed an unusual sign-in. Confirm your account within 24 hours.\r\n");
        m.push_str(&sentences(rng, 600));
        m
    };
    m.into_bytes()
}

/// Messages until `bytes` is reached.
pub fn corpus(bytes: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(0x5eed_1234);
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        let m = message(&mut rng, out.len());
        total += m.len();
        out.push(m);
    }
    out
}

/// Appends `msg` to an mbox (mboxrd escaping of `From ` lines, the separator's empty line).
pub fn mbox_append(out: &mut Vec<u8>, msg: &[u8]) {
    out.extend_from_slice(b"From bounce@mail.example.net  Mon Jan  1 10:00:00 2024\n");
    for line in msg.split_inclusive(|&b| b == b'\n') {
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if line.get(quotes..).is_some_and(|l| l.starts_with(b"From ")) {
            out.push(b'>');
        }
        out.extend_from_slice(line);
    }
    if !msg.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
}
