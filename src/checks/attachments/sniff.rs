//! `ATTACH_DISGUISED_EXECUTABLE` and `ATTACH_TYPE_MISMATCH`: an attachment whose real type
//! (`formats::sniff`) is more dangerous than its name or declared type says.

use super::display_name;
use crate::checks::Context;
use crate::finding::Finding;
use crate::formats::sniff::{Kind, Risk, Sniffed, last_extension, sniff};

/// The real type of the message's attachment number `index` (see `sniff`), sniffed once per
/// message for all the checks that ask.
pub fn of(msg: &crate::message::Message, index: usize) -> &Sniffed {
    static UNKNOWN: Sniffed = Sniffed {
        kind: Kind::Unknown,
    };
    msg.derived
        .sniffed
        .get_or_init(|| msg.attachments.iter().map(|a| sniff(&a.data)).collect())
        .get(index)
        .unwrap_or(&UNKNOWN)
}

/// Real type more dangerous than the name (or, for programs and scripts, the declared type) says:
/// `ATTACH_DISGUISED_EXECUTABLE` for programs, scripts and shortcuts, `ATTACH_TYPE_MISMATCH` for
/// archives or documents under a tamer name. A PNG named `.jpg` is no finding.
pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let dangerous = &ctx.signatures.lists.dangerous_extensions;
    for (i, att) in ctx.msg.attachments.iter().enumerate() {
        let sniffed = of(ctx.msg, i);
        let real = sniffed.risk();
        if real == Risk::Inert {
            continue;
        }
        let ext = att.name.as_deref().and_then(last_extension);
        let by_name = ext
            .as_deref()
            .and_then(|e| claim_of_extension(e, dangerous.contains(e)));
        if by_name == Some(Risk::Active) {
            continue; // the name already admits it runs code (ATTACH_DANGEROUS_EXTENSION)
        }
        let zip_expected = matches!(sniffed.kind, Kind::Zip | Kind::ZipDocument(_))
            && ext.as_deref().is_some_and(is_zip_based);
        if zip_expected {
            continue;
        }
        let (claim, claimed) = match (by_name, &ext) {
            (Some(risk), Some(e)) => (risk, format!(".{e}")),
            _ if real == Risk::Active => match claim_of_content_type(&att.content_type) {
                Some(risk) => (risk, att.content_type.clone()),
                None => continue,
            },
            _ => continue,
        };
        if real <= claim {
            continue;
        }
        let rule = if real == Risk::Active {
            "ATTACH_DISGUISED_EXECUTABLE"
        } else {
            "ATTACH_TYPE_MISMATCH"
        };
        out.push(
            Finding::new(rule, &att.location)
                .with("name", display_name(att))
                .with("claimed", claimed)
                .with("real", sniffed.label()),
        );
    }
}

/// What a file name's extension tells a reader to expect, or `None` for an unknown extension.
fn claim_of_extension(ext: &str, dangerous: bool) -> Option<Risk> {
    if dangerous {
        return Some(Risk::Active);
    }
    Some(match ext {
        "txt" | "csv" | "tsv" | "log" | "text" | "jpg" | "jpeg" | "jpe" | "png" | "gif" | "bmp"
        | "tif" | "tiff" | "webp" | "heic" | "heif" | "svg" | "ico" | "mp3" | "mp4" | "m4a"
        | "wav" | "wma" | "wmv" | "avi" | "mov" | "mpg" | "mpeg" | "ogg" | "flac" | "aac" => {
            Risk::Inert
        }
        "pdf" | "doc" | "dot" | "docx" | "docm" | "dotx" | "dotm" | "xls" | "xlt" | "xlsx"
        | "xlsm" | "xlsb" | "xltx" | "xltm" | "ppt" | "pot" | "pps" | "pptx" | "pptm" | "ppsx"
        | "ppsm" | "potx" | "potm" | "rtf" | "odt" | "ods" | "odp" | "jtd" | "jtdc" | "jtt"
        | "hwp" | "xps" | "oxps" | "vsd" | "vsdx" | "pub" | "msg" | "eml" | "htm" | "html"
        | "xml" | "epub" => Risk::Document,
        "zip" | "lzh" | "lha" | "rar" | "7z" | "gz" | "tgz" | "tar" | "bz2" | "xz" | "zst"
        | "z" => Risk::Container,
        _ => return None,
    })
}

/// Extensions whose files are zip archives inside: a zip under one of these names is expected.
fn is_zip_based(ext: &str) -> bool {
    matches!(
        ext,
        "docx"
            | "docm"
            | "dotx"
            | "dotm"
            | "xlsx"
            | "xlsm"
            | "xlsb"
            | "xltx"
            | "xltm"
            | "xlam"
            | "pptx"
            | "pptm"
            | "ppsx"
            | "ppsm"
            | "potx"
            | "potm"
            | "odt"
            | "ods"
            | "odp"
            | "odg"
            | "xps"
            | "oxps"
            | "vsdx"
            | "epub"
            | "jar"
            | "apk"
            | "kmz"
            | "3mf"
    )
}

/// What a declared Content-Type claims, for the few types people read as harmless. Generic types
/// (`application/octet-stream`) claim nothing.
fn claim_of_content_type(ct: &str) -> Option<Risk> {
    let (top, sub) = ct.split_once('/')?;
    match top {
        "image" | "audio" | "video" => Some(Risk::Inert),
        "text" if sub == "plain" || sub == "csv" => Some(Risk::Inert),
        "application"
            if sub == "pdf"
                || sub == "msword"
                || sub == "rtf"
                || sub.starts_with("vnd.ms-")
                || sub.starts_with("vnd.openxmlformats") =>
        {
            Some(Risk::Document)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::attachments::testing::{run_check, with_type};
    use crate::formats::sniff::OLE2_MAGIC;

    fn pe() -> Vec<u8> {
        crate::formats::executable::tests::minimal_pe(false, 2)
    }

    fn found(name: &str, ct: &str, data: &[u8]) -> Vec<Finding> {
        run_check(check, vec![with_type(name, ct, data)])
    }

    #[test]
    fn executables_under_document_names_are_disguised() {
        for name in ["請求書.pdf", "photo.jpg", "notes.txt", "report.docx"] {
            let f = found(name, "application/octet-stream", &pe());
            assert_eq!(f.len(), 1, "{name}");
            assert_eq!(f[0].rule, "ATTACH_DISGUISED_EXECUTABLE");
            assert_eq!(f[0].evidence[2].1, "Windows executable (PE)");
        }
        // No name, but declared as a picture.
        let f = found("", "image/jpeg", &pe());
        assert_eq!(f[0].rule, "ATTACH_DISGUISED_EXECUTABLE");
        assert_eq!(f[0].evidence[1].1, "image/jpeg");
    }

    #[test]
    fn archives_and_documents_under_tamer_names_are_mismatches() {
        let f = found("invoice.pdf", "application/pdf", b"PK\x03\x04\x14\x00junk");
        assert_eq!(f[0].rule, "ATTACH_TYPE_MISMATCH");
        assert_eq!(f[0].evidence[2].1, "ZIP archive");
        let f = found("scan.jpg", "image/jpeg", b"%PDF-1.4\n");
        assert_eq!(f[0].rule, "ATTACH_TYPE_MISMATCH");
    }

    #[test]
    fn harmless_or_expected_types_are_left_alone() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(found("photo.jpg", "image/jpeg", png).is_empty());
        // A zip under a zip-based document name, an RTF named .doc, OLE2 as .docx (encrypted).
        assert!(found("a.docx", "", b"PK\x03\x04\x14\x00junk").is_empty());
        assert!(found("a.doc", "", b"{\\rtf1 x}").is_empty());
        assert!(found("a.docx", "", &OLE2_MAGIC).is_empty());
        // Text named .pdf is broken, not dangerous; an executable named .exe is for the name check.
        assert!(found("a.pdf", "application/pdf", b"hello").is_empty());
        assert!(found("a.exe", "", &pe()).is_empty());
        // A zip sent as application/pdf with no name: content types alone only count for programs.
        assert!(found("", "application/pdf", b"PK\x03\x04").is_empty());
        // Unknown extensions claim nothing.
        assert!(found("sample.exe.bin", "", &pe()).is_empty());
    }
}
