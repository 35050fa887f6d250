//! Fixtures for the PDF rules: small PDFs written here byte by byte, attached to a message.

use super::Fixture;
use base64::Engine as _;
use lurescreen::Config;

#[path = "../support/pdf_builder.rs"]
mod pdf_builder;
use pdf_builder::{pdf, stream};

/// A one-page PDF with plenty of text; `catalog` and `page` add entries, `more` are objects 5...
fn doc(catalog: &str, page: &str, more: &[&[u8]], trailer: &str) -> Vec<u8> {
    let catalog = format!("<< /Type /Catalog /Pages 2 0 R {catalog} >>");
    let page =
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R {page} >>");
    let text = "BT /F1 11 Tf 72 720 Td (The minutes of the meeting, the agenda for next week, \
        the figures of the quarter and the names of everyone who will attend, with the rooms \
        booked for each session and the times of the trains from the station to the venue. \
        Lunch is provided; please tell the office of any allergies by Wednesday at noon.) Tj ET";
    let content = stream("", text.as_bytes());
    let mut objects: Vec<&[u8]> = vec![
        catalog.as_bytes(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page.as_bytes(),
        &content,
    ];
    objects.extend_from_slice(more);
    pdf(&objects, trailer)
}

/// A message carrying `data` as an attachment named `name`.
fn mail(name: &str, data: &[u8]) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    format!(
        "From: a@example.com\nSubject: document\nContent-Type: multipart/mixed; boundary=b\n\n\
--b\nContent-Type: text/plain\n\nplease see the attached document\n\
--b\nContent-Type: application/pdf; name={name}\nContent-Transfer-Encoding: base64\n\n{b64}\n--b--\n"
    )
    .into_bytes()
}

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let text_page = |data: Vec<u8>| mail("doc.pdf", &data);
    let mut deep = d();
    deep.limits.max_container_depth = 0;
    let mut offset = b"%!PS-Adobe junk before the header\n".to_vec();
    offset.extend(doc("", "", &[], ""));
    let mut appended = doc("", "", &[], "");
    appended.extend_from_slice(b"PK\x03\x04");
    appended.extend_from_slice(&[b'x'; 200]);
    // Damage is looked into only when the file holds active content (here a form): a broken
    // PDF with none is no threat, and lopdf is not run on it.
    let broken = String::from_utf8_lossy(&doc("/AcroForm << /Fields [] >>", "", &[], ""))
        .replace("startxref\n", "startxref\n7")
        .into_bytes();
    let o = "<".to_string() + &"4F".repeat(32) + ">";
    let u = "<".to_string() + &"55".repeat(32) + ">";
    let encrypt = format!("<< /Filter /Standard /V 1 /R 2 /O {o} /U {u} /P -44 >>");
    let lure_content = stream("", b"BT /F1 24 Tf 100 500 Td (View Document) Tj ET");
    let lure = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [5 0 R] >>",
            &lure_content,
            b"<< /Type /Annot /Subtype /Link /Rect [100 480 300 530] /A << /S /URI /URI (https://docs-view.example.net/s/1) >> >>",
        ],
        "",
    );
    vec![
        (
            // Run on open, and calling a reader function old exploits abused.
            "PDF_AUTORUN_JAVASCRIPT",
            d(),
            text_page(doc(
                "/OpenAction 5 0 R",
                "",
                &[b"<< /S /JavaScript /JS (Collab.getIcon\\(n\\)) >>"],
                "",
            )),
        ),
        (
            // A plain script run on open, in an intact file: context only.
            "PDF_AUTORUN_PLAIN_SCRIPT",
            d(),
            text_page(doc(
                "/OpenAction 5 0 R",
                "",
                &[b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"],
                "",
            )),
        ),
        (
            "PDF_JAVASCRIPT",
            d(),
            text_page(doc(
                "",
                "/Annots [5 0 R]",
                &[b"<< /Type /Annot /Subtype /Widget /FT /Btn /Rect [0 0 9 9] /A << /S /JavaScript /JS (this.print\\(\\)) >> >>"],
                "",
            )),
        ),
        (
            "PDF_JAVASCRIPT_SUSPICIOUS",
            d(),
            text_page(doc(
                "",
                "/Annots [5 0 R]",
                &[b"<< /Type /Annot /Subtype /Widget /FT /Btn /Rect [0 0 9 9] /A << /S /JavaScript \
                    /JS (var s = unescape\\('%u0c0c%u0c0c'\\); while \\(s.length < 0x100000\\) s += s;) >> >>"],
                "",
            )),
        ),
        (
            "PDF_LAUNCH",
            d(),
            text_page(doc(
                "/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>",
                "",
                &[],
                "",
            )),
        ),
        (
            "PDF_EMBEDDED_FILE",
            d(),
            text_page(doc(
                "/Names << /EmbeddedFiles << /Names [(a) 5 0 R] >> >>",
                "",
                &[
                    b"<< /Type /Filespec /F (invoice.xml) /EF << /F 6 0 R >> >>",
                    &stream("/Type /EmbeddedFile", b"<invoice/>"),
                ],
                "",
            )),
        ),
        (
            "PDF_NAME_OBFUSCATION",
            d(),
            text_page(doc("/Open#41ction << /S /GoTo /D [3 0 R /Fit] >>", "", &[], "")),
        ),
        ("PDF_HEADER_OFFSET", d(), mail("doc.pdf", &offset)),
        ("PDF_DATA_AFTER_EOF", d(), mail("doc.pdf", &appended)),
        // The name says text; the bytes say PDF.
        ("PDF_SINGLE_LINK_LURE", d(), mail("notice.txt", &lure)),
        (
            "PDF_AUTO_OPEN_URL",
            d(),
            text_page(doc(
                "/OpenAction << /S /URI /URI (http://198.51.100.7/view) >>",
                "",
                &[],
                "",
            )),
        ),
        (
            "PDF_ENCRYPTED",
            d(),
            text_page(doc(
                "",
                "",
                &[encrypt.as_bytes()],
                "/Encrypt 5 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
            )),
        ),
        ("PDF_MALFORMED", d(), mail("doc.pdf", &broken)),
        (
            "PDF_PARTLY_ANALYSED",
            deep,
            mail(
                "doc.pdf",
                b"%PDF-1.4\n/OpenAction nothing a parser can read\n",
            ),
        ),
    ]
}
