//! The Office check end to end: documents built here, scanned as attachments by the engine
//! (container expansion, the opener, the check, scoring).

use super::ole::tests::{compobj, ole_of, ole_with, ole10native, vba_streams};
use super::ooxml::tests::{CONTENT_TYPES_DOCM, CONTENT_TYPES_DOCX, document, settings_rels};
use super::rtf::tests::{hex, ole1_object, rtf_with_object};
use crate::finding::Verdict;
use crate::message::containers::zip::tests::zip_of;
use crate::score::Report;
use crate::{Config, Engine, Signatures};

fn engine(config: Config) -> Engine {
    Engine::new(config, Signatures::embedded().unwrap())
}

fn scan(name: &str, data: &[u8]) -> Report {
    engine(Config::default())
        .scan_attachment(name, data)
        .unwrap()
}

fn rules(r: &Report) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

fn finding<'r>(r: &'r Report, rule: &str) -> &'r crate::score::ScoredFinding {
    r.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("{rule} not in {:?}", rules(r)))
}

fn evidence<'r>(f: &'r crate::score::ScoredFinding, key: &str) -> &'r str {
    f.evidence
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

const DROPPER: &str = "Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\n  \
    Set sh = CreateObject(\"WScript.Shell\")\r\n  sh.Run \"powershell -w hidden -enc AAAA\"\r\nEnd Sub\r\n";
const FORMATTER: &str = "Attribute VB_Name = \"Module1\"\r\nSub Workbook_Open()\r\n  \
    Range(\"A1\").Value = Date\r\nEnd Sub\r\nSub Export_Click()\r\n  ActiveWorkbook.SaveAs \"x.xlsx\"\r\nEnd Sub\r\n";

fn vba_project(source: &str) -> Vec<u8> {
    ole_with(vba_streams("", &[("ThisDocument", source)]))
}

fn docm(content_types: &str, source: &str) -> Vec<u8> {
    let project = vba_project(source);
    let doc = document("<w:p><w:r><w:t>Invoice 2024-118</w:t></w:r></w:p>");
    zip_of(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
        ("word/vbaProject.bin", &project),
    ])
}

#[test]
fn a_dropper_macro_is_quarantined_and_named_after_its_document() {
    let r = scan("請求書.docm", &docm(CONTENT_TYPES_DOCM, DROPPER));
    assert_eq!(r.verdict, Verdict::Quarantine, "{:?}", rules(&r));
    let f = finding(&r, "OFFICE_MACRO_AUTOEXEC_EXECUTE");
    assert_eq!(f.location, "請求書.docm!/word/vbaProject.bin");
    assert_eq!(evidence(f, "file"), "請求書.docm");
    assert_eq!(evidence(f, "module"), "ThisDocument");
    assert_eq!(evidence(f, "autoexec"), "AutoOpen");
    assert!(evidence(f, "actions").contains("CreateObject"), "{f:?}");
    assert!(evidence(f, "excerpt").contains("CreateObject(\"WScript.Shell\")"));
    assert!(!rules(&r).contains(&"OFFICE_MACRO_CONTENT_MISMATCH"));
}

#[test]
fn a_benign_macro_is_reported_but_not_held() {
    let r = scan("report.xlsm", &docm(CONTENT_TYPES_DOCM, FORMATTER));
    assert_eq!(rules(&r), ["OFFICE_MACRO"]);
    assert_eq!(r.verdict, Verdict::Clean);
    let summary = evidence(finding(&r, "OFFICE_MACRO"), "summary");
    assert!(summary.contains("Workbook_Open"), "{summary}");
    assert!(summary.contains("no commands"), "{summary}");
}

#[test]
fn macro_content_under_a_macro_free_name() {
    let r = scan("見積書.docx", &docm(CONTENT_TYPES_DOCM, FORMATTER));
    let f = finding(&r, "OFFICE_MACRO_CONTENT_MISMATCH");
    assert_eq!(evidence(f, "ext"), ".docx");
    assert!(evidence(f, "what").contains("macroEnabled"));
}

#[test]
fn a_macro_free_docx_is_clean() {
    let doc = document("<w:p><w:r><w:t>Minutes of the meeting</w:t></w:r></w:p>");
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.com/" TargetMode="External"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\Users\a\AppData\Roaming\Microsoft\Templates\Normal.dotm" TargetMode="External"/></Relationships>"#;
    let z = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES_DOCX.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
        ("word/_rels/settings.xml.rels", rels.as_bytes()),
    ]);
    let r = scan("minutes.docx", &z);
    assert!(r.findings.is_empty(), "{:?}", rules(&r));
    assert_eq!(r.verdict, Verdict::Clean);
}

#[test]
fn remote_templates_and_dde() {
    let doc = document("<w:p><w:r><w:t>Please enable editing</w:t></w:r></w:p>");
    let z = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES_DOCX.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
        (
            "word/_rels/settings.xml.rels",
            settings_rels("https://203.0.113.9/office/t.dotm").as_bytes(),
        ),
    ]);
    let r = scan("cv.docx", &z);
    let f = finding(&r, "OFFICE_REMOTE_TEMPLATE");
    assert_eq!(evidence(f, "kind"), "attachedTemplate");
    assert_eq!(evidence(f, "target"), "https://203.0.113.9/office/t.dotm");
    assert_eq!(r.verdict, Verdict::Quarantine);

    let dde = document(
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc.exe"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
    );
    let z = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES_DOCX.as_bytes()),
        ("word/document.xml", dde.as_bytes()),
    ]);
    let r = scan("dde.docx", &z);
    assert!(evidence(finding(&r, "OFFICE_DDE_EXECUTE"), "field").starts_with("DDEAUTO"));
    assert_eq!(r.verdict, Verdict::Quarantine);
}

#[test]
fn package_objects_in_a_word_document_are_extracted() {
    let pe = crate::formats::executable::tests::minimal_pe(false, 2);
    let doc = ole_of(&[
        ("/WordDocument", &[0xEC, 0xA5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        (
            "/ObjectPool/_1234/\u{1}Ole10Native",
            &ole10native("請求書.pdf.exe", &pe),
        ),
        (
            "/ObjectPool/_1234/\u{1}CompObj",
            &compobj("OLE Package", "Package"),
        ),
    ]);
    let r = scan("a.doc", &doc);
    let f = finding(&r, "OFFICE_EMBEDDED_PACKAGE");
    assert_eq!(evidence(f, "name"), "請求書.pdf.exe");
    assert!(evidence(finding(&r, "OFFICE_EMBEDDED_OBJECT"), "objects").contains("Package"));
    // The file inside is an attachment of its own.
    let exe = finding(&r, "EXE_PROGRAM");
    assert_eq!(exe.location, "a.doc!/請求書.pdf.exe");
    assert!(rules(&r).contains(&"ATTACH_DOUBLE_EXTENSION"));
    assert_eq!(r.verdict, Verdict::Quarantine);
}

#[test]
fn rtf_equation_objects_and_packages() {
    let eq_native = ole_of(&[
        (
            "/\u{1}CompObj",
            &compobj("Microsoft Equation 3.0", "Equation.3"),
        ),
        ("/Equation Native", b"\x1c\0\0\0\x02\0"),
    ]);
    let rtf = rtf_with_object(
        "Equation.3",
        &hex(&ole1_object("Equation.3", &eq_native)),
        true,
    );
    let r = scan("order.rtf", rtf.as_bytes());
    assert_eq!(r.verdict, Verdict::Quarantine);
    let rs = rules(&r);
    assert!(rs.contains(&"OFFICE_RTF_OBJECT"), "{rs:?}");
    assert!(rs.contains(&"OFFICE_RTF_AUTOLOAD"), "{rs:?}");
    // Reported once, on the RTF, not again on the object pulled out of it.
    let eq: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == "OFFICE_EQUATION_EDITOR")
        .collect();
    assert_eq!(eq.len(), 1, "{rs:?}");
    assert_eq!(eq[0].location, "order.rtf");

    let pe = crate::formats::executable::tests::minimal_pe(false, 2);
    let native = ole10native("update.exe", &pe)[4..].to_vec();
    let rtf = rtf_with_object("Package", &hex(&ole1_object("Package", &native)), false);
    let r = scan("order.rtf", rtf.as_bytes());
    assert_eq!(
        evidence(finding(&r, "OFFICE_EMBEDDED_PACKAGE"), "name"),
        "update.exe"
    );
    assert_eq!(finding(&r, "EXE_PROGRAM").location, "order.rtf!/update.exe");
}

#[test]
fn a_plain_rtf_is_clean() {
    let r = scan(
        "letter.rtf",
        b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Dear customer, the meeting is on Monday.\\par}",
    );
    assert!(r.findings.is_empty(), "{:?}", rules(&r));
}

#[test]
fn excel_4_macros_with_auto_open() {
    let book = super::xlm::tests::biff8_macro_book(true, 2);
    let xls = ole_of(&[("/Workbook", &book)]);
    let r = scan("data.xls", &xls);
    let f = finding(&r, "OFFICE_XLM_AUTO_OPEN");
    assert_eq!(evidence(f, "functions"), "EXEC");
    assert!(evidence(f, "sheets").contains("very hidden"));
    assert_eq!(r.verdict, Verdict::Quarantine);
    let book = super::xlm::tests::biff8_macro_book(false, 0);
    let r = scan("data.xls", &ole_of(&[("/Workbook", &book)]));
    assert_eq!(rules(&r), ["OFFICE_XLM_MACRO"]);
}

#[test]
fn encrypted_documents_with_the_password_in_the_body() {
    let enc = ole_of(&[
        ("/EncryptionInfo", b"\x04\0\x04\0"),
        ("/EncryptedPackage", &[7u8; 64]),
    ]);
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(&enc)
    };
    let mail = format!(
        "From: a@example.com\nSubject: invoice\nContent-Type: multipart/mixed; boundary=b\n\n\
--b\nContent-Type: text/plain; charset=utf-8\n\n請求書をお送りします。パスワード：Inv2024x\n\
--b\nContent-Type: application/octet-stream; name=invoice.docx\nContent-Transfer-Encoding: base64\n\n{b64}\n--b--\n"
    );
    let r = engine(Config::default()).scan(mail.as_bytes()).unwrap();
    let rs = rules(&r);
    assert!(rs.contains(&"OFFICE_ENCRYPTED"), "{rs:?}");
    assert!(rs.contains(&"ARCHIVE_PASSWORD_IN_BODY"), "{rs:?}");
}

#[test]
fn packages_deeper_than_expansion_are_still_analysed() {
    let mut config = Config::default();
    config.limits.max_container_depth = 0;
    let r = engine(config)
        .scan_attachment("a.docm", &docm(CONTENT_TYPES_DOCM, DROPPER))
        .unwrap();
    let f = finding(&r, "OFFICE_MACRO_AUTOEXEC_EXECUTE");
    assert_eq!(f.location, "a.docm");
    assert_eq!(evidence(f, "file"), "a.docm");
}

#[test]
fn mutated_documents_never_panic() {
    let samples = [
        docm(CONTENT_TYPES_DOCM, DROPPER),
        vba_project(DROPPER),
        ole_of(&[("/Workbook", &super::xlm::tests::biff8_macro_book(true, 0))]),
        rtf_with_object(
            "Package",
            &hex(&ole1_object("Package", &ole10native("a.exe", b"MZ")[4..])),
            true,
        )
        .into_bytes(),
    ];
    let e = engine(Config::default());
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for sample in &samples {
        for _ in 0..120 {
            let mut d = sample.clone();
            for _ in 0..1 + seed % 6 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed as usize) % d.len();
                d[at] = (seed >> 24) as u8;
            }
            if seed.is_multiple_of(5) {
                d.truncate((seed as usize >> 8) % d.len() + 1);
            }
            e.scan_attachment("m.doc", &d).expect("no internal error");
        }
    }
}

#[test]
fn powerpoint_keeps_objects_in_compressed_records() {
    use std::io::Write;
    let object = ole_of(&[
        (
            "/\u{1}Ole10Native",
            &ole10native("calc.lnk", b"L\0\0\0\x01\x14\x02\0"),
        ),
        ("/\u{1}CompObj", &compobj("OLE Package", "Package")),
    ]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&object).unwrap();
    let compressed = z.finish().unwrap();
    let mut stream = vec![0u8; 40];
    stream.extend_from_slice(&0x0010u16.to_le_bytes());
    stream.extend_from_slice(&0x1011u16.to_le_bytes());
    stream.extend_from_slice(&(compressed.len() as u32 + 4).to_le_bytes());
    stream.extend_from_slice(&(object.len() as u32).to_le_bytes());
    stream.extend_from_slice(&compressed);
    let ppt = ole_of(&[
        ("/PowerPoint Document", &stream),
        ("/Current User", &[0u8; 20]),
    ]);
    let r = scan("deck.ppt", &ppt);
    assert_eq!(
        evidence(finding(&r, "OFFICE_EMBEDDED_PACKAGE"), "name"),
        "calc.lnk"
    );
    assert_eq!(
        finding(&r, "ATTACH_DANGEROUS_EXTENSION").location,
        "deck.ppt!/calc.lnk"
    );
}
