//! Ichitaro documents (`.jtd`, `.jtdc`, `.jtt`): the Japanese word processor whose
//! vulnerabilities targeted attacks on Japanese organisations exploited for years. The reader
//! (`formats::ichitaro`) finds the programs and embedded objects in the streams; the opener hands
//! the files on as attachments of their own (`2/a.jtd!/invoice.exe`) and reports.

use crate::finding::Finding;
use crate::message::Attachment;
use crate::message::containers::{Lister, display_name};
use crate::message::opener::{Budget, Opened};

/// Objects named in a finding, at most.
const MAX_LISTED: usize = 8;

/// The container stage's opener for Ichitaro documents.
pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    let Some(document) = crate::formats::ichitaro::read(&att.data, att.name.as_deref()) else {
        return false;
    };
    let crate::formats::ichitaro::Document {
        objects,
        programs,
        children,
    } = document;
    let file = display_name(att);
    let mut list = Lister::new(att, budget, out, "ichitaro");
    for (name, data) in children {
        if !list.room() {
            break;
        }
        let content = list.extract(&name, &mut data.as_slice(), &|| 0, false);
        list.add(name, content);
    }
    list.finish();
    if let Some((stream, at, what)) = programs.first() {
        out.findings.push(
            Finding::new("ATTACH_ICHITARO_EXECUTABLE", &att.location)
                .with("name", file.clone())
                .with("stream", stream.clone())
                .with("offset", at.to_string())
                .with("what", what.clone())
                .with("count", programs.len().to_string()),
        );
    }
    if !objects.is_empty() {
        let total = objects.len();
        let mut shown = objects
            .into_iter()
            .take(MAX_LISTED)
            .collect::<Vec<_>>()
            .join(", ");
        if total > MAX_LISTED {
            shown.push_str(&format!(", … (+{})", total - MAX_LISTED));
        }
        out.findings.push(
            Finding::new("ATTACH_ICHITARO_OBJECT", &att.location)
                .with("name", file)
                .with("count", total.to_string())
                .with("objects", shown),
        );
    }
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Limits;
    use crate::formats::ichitaro::find_pe;
    use std::io::{Cursor, Write};

    /// A compound file with these streams (`/`-separated paths; storages made as needed).
    pub(crate) fn cfb_of(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (path, data) in streams {
            if let Some((dir, _)) = path.rsplit_once('/') {
                cf.create_storage_all(dir).unwrap();
            }
            let mut s = cf.create_stream(path).unwrap();
            s.write_all(data).unwrap();
        }
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    /// An Ole10Native stream carrying `data` as `name`.
    pub(crate) fn package(name: &str, data: &[u8]) -> Vec<u8> {
        let mut body = vec![2, 0];
        body.extend(name.as_bytes());
        body.push(0);
        body.extend(format!("C:\\Users\\a\\{name}").as_bytes());
        body.push(0);
        body.extend([0, 0, 3, 0]);
        let temp = format!("C:\\Temp\\{name}");
        body.extend((temp.len() as u32 + 1).to_le_bytes());
        body.extend(temp.as_bytes());
        body.push(0);
        body.extend((data.len() as u32).to_le_bytes());
        body.extend(data);
        let mut out = (body.len() as u32).to_le_bytes().to_vec();
        out.extend(body);
        out
    }

    fn pe() -> Vec<u8> {
        crate::formats::executable::tests::minimal_pe(false, 2)
    }

    fn open_named(name: &str, data: Vec<u8>) -> Option<Opened> {
        let att = Attachment {
            location: format!("2/{name}"),
            name: Some(name.into()),
            data,
            ..Attachment::default()
        };
        let mut out = Opened::default();
        let mut budget = Budget::new(&Limits::default());
        open(&att, &mut budget, &mut out).then_some(out)
    }

    fn text() -> Vec<u8> {
        "本文のテキスト".repeat(100).into_bytes()
    }

    #[test]
    fn a_program_hidden_in_a_stream_is_found_and_handed_on() {
        let mut shell = vec![0x90u8; 300];
        shell.extend(pe());
        let doc = cfb_of(&[
            ("DocumentText", &text()),
            ("JSRV_SegmentInfo", b"\x01\x02"),
            ("JSRV_BlockData", &shell),
        ]);
        let o = open_named("報告書.jtd", doc).expect("Ichitaro");
        let f = o
            .findings
            .iter()
            .find(|f| f.rule == "ATTACH_ICHITARO_EXECUTABLE")
            .unwrap();
        assert_eq!(f.evidence[1].1, "JSRV_BlockData");
        assert_eq!(f.evidence[2].1, "300");
        assert_eq!(o.children.len(), 1);
        assert_eq!(o.children[0].name.as_deref(), Some("JSRV_BlockData@300"));
        assert!(o.children[0].data.starts_with(b"MZ"));
    }

    #[test]
    fn embedded_packages_are_listed_and_extracted() {
        let doc = cfb_of(&[
            ("DocumentText", &text()),
            (
                "Object1/\u{1}Ole10Native",
                &package("請求書.js", b"WScript.Echo(1)"),
            ),
        ]);
        let o = open_named("a.jtd", doc).unwrap();
        let f = o
            .findings
            .iter()
            .find(|f| f.rule == "ATTACH_ICHITARO_OBJECT")
            .unwrap();
        assert!(f.evidence[2].1.contains("package `請求書.js`"), "{f:?}");
        assert_eq!(o.children[0].name.as_deref(), Some("請求書.js"));
        assert_eq!(o.children[0].data, b"WScript.Echo(1)");
    }

    #[test]
    fn a_plain_ichitaro_document_has_no_finding() {
        let doc = cfb_of(&[("DocumentText", &text()), ("JSRV_SegmentInfo", b"\x01")]);
        let o = open_named("議事録.jtd", doc).unwrap();
        assert!(o.findings.is_empty());
        assert!(o.children.is_empty());
    }

    #[test]
    fn word_documents_are_left_to_the_office_analysis() {
        let doc = cfb_of(&[("WordDocument", &text())]);
        assert!(open_named("renamed.jtd", doc.clone()).is_none());
        assert!(open_named("a.doc", doc).is_none());
        // Ichitaro by name, no Office streams: claimed.
        assert!(open_named("a.jtd", cfb_of(&[("Contents", b"x")])).is_some());
        assert!(open_named("a.jtd", b"not an OLE file".to_vec()).is_none());
    }

    #[test]
    fn find_pe_needs_a_pe_header() {
        assert_eq!(find_pe(b"xxMZ no header here"), None);
        let mut d = b"junk".to_vec();
        d.extend(pe());
        assert_eq!(find_pe(&d), Some(4));
    }
}
