//! Inert attachments for the mock lures, built in code: a one-page PDF and a small web page whose
//! only active part is one link back to the landing page. No script, no form, no embedded file,
//! no action other than a URI link, ever.

/// The Japanese font of PDFs whose text is not all ASCII: one of the standard CID fonts that PDF
/// viewers supply themselves (Acrobat's Asian font pack, poppler-data, pdf.js), so nothing is
/// embedded; with the `UniJIS-UCS2-H` encoding, text is written as UCS-2 code units.
pub const CJK_FONT: &str = "KozMinPro-Regular-Acro";

/// A one-page PDF (A4) showing `lines` and a link `link_text` to `url`. ASCII text is written
/// in Helvetica; text with other characters in [`CJK_FONT`] (characters outside the Basic
/// Multilingual Plane as `?`).
pub fn pdf(lines: &[String], link_text: &str, url: &str) -> Vec<u8> {
    let ascii = lines.iter().all(|l| l.is_ascii()) && link_text.is_ascii();
    let show = |s: &str| {
        if ascii {
            format!("({})", pdf_text(s))
        } else {
            format!("<{}>", ucs2_hex(s))
        }
    };
    let mut content = String::from("BT /F1 20 Tf 72 760 Td");
    for (n, line) in lines.iter().enumerate() {
        if n == 1 {
            content.push_str(" /F1 13 Tf");
        }
        content.push_str(&format!(" {} Tj 0 -28 Td", show(line)));
    }
    // The link: a blue label inside a box, with the annotation's rectangle over it.
    let link_y = 760 - 28 * lines.len() as i64 - 30;
    content.push_str(" ET\n");
    content.push_str(&format!(
        "0 0.3 0.8 RG 2 w 72 {} 220 36 re S\nBT 0 0.3 0.8 rg /F1 16 Tf 86 {} Td {} Tj ET\n",
        link_y - 12,
        link_y,
        show(link_text)
    ));
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
           /Resources << /Font << /F1 6 0 R >> >> /Contents 4 0 R /Annots [5 0 R] >>"
            .to_vec(),
        {
            let mut s = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
            s.extend_from_slice(content.as_bytes());
            s.extend_from_slice(b"\nendstream");
            s
        },
        format!(
            "<< /Type /Annot /Subtype /Link /Rect [72 {} 292 {}] /Border [0 0 0] \
             /A << /S /URI /URI ({}) >> >>",
            link_y - 12,
            link_y + 24,
            pdf_text(url)
        )
        .into_bytes(),
    ];
    if ascii {
        objects.push(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_vec(),
        );
    } else {
        // Type0 font over the CID font (Adobe-Japan1); half-width Latin (CIDs 1-95 and 231-326)
        // 500 units wide, the rest 1000.
        objects.push(
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{CJK_FONT} /Encoding /UniJIS-UCS2-H \
                 /DescendantFonts [7 0 R] >>"
            )
            .into_bytes(),
        );
        objects.push(
            format!(
                "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /{CJK_FONT} \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 4 >> \
                 /FontDescriptor 8 0 R /DW 1000 /W [1 95 500 231 326 500] >>"
            )
            .into_bytes(),
        );
        objects.push(
            format!(
                "<< /Type /FontDescriptor /FontName /{CJK_FONT} /Flags 6 \
                 /FontBBox [-195 -272 1110 1075] /ItalicAngle 0 /Ascent 880 /Descent -120 \
                 /CapHeight 740 /StemV 86 >>"
            )
            .into_bytes(),
        );
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (n, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        out.extend_from_slice(obj);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
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

/// Text as UCS-2 big-endian code units in hex (for `UniJIS-UCS2-H`): control characters and
/// characters outside the Basic Multilingual Plane become `?`.
fn ucs2_hex(s: &str) -> String {
    s.chars()
        .map(|c| match u16::try_from(u32::from(c)) {
            Ok(u) if !c.is_control() => format!("{u:04X}"),
            _ => "003F".to_string(),
        })
        .collect()
}

/// A PDF literal string body: printable ASCII only, `\`, `(` and `)` escaped.
fn pdf_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

/// A small web page: a heading, paragraphs and one link. No script, style sheet or form.
pub fn html(lines: &[String], link_text: &str, url: &str) -> Vec<u8> {
    let esc = |s: &str| html_escape::encode_text(s).into_owned();
    let title = lines.first().map(String::as_str).unwrap_or("");
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(title),
        esc(title)
    );
    for line in lines.iter().skip(1) {
        page.push_str(&format!("<p>{}</p>\n", esc(line)));
    }
    page.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p>\n</body>\n</html>\n",
        html_escape::encode_double_quoted_attribute(url),
        esc(link_text)
    ));
    page.into_bytes()
}

/// A zip of `files` (name, bytes), deflated, every date 1980-01-01 so that the same files give
/// the same bytes.
pub fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, data) in files {
        if w.start_file(name.as_str(), options).is_err() || w.write_all(data).is_err() {
            return Vec::new();
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Why `data` is not inert, if it is not: executable headers (MZ, ELF, Mach-O), OLE compound
/// files (where VBA lives), zip containers (OOXML with macros), scripts and active HTML,
/// PDF actions other than a URI link.
pub fn active_content(data: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"MZ", "Windows executable (MZ)"),
        (b"\x7fELF", "ELF executable"),
        (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
        (b"\xfe\xed\xfa\xcf", "Mach-O executable"),
        (b"\xca\xfe\xba\xbe", "Mach-O universal binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE compound file"),
        (b"PK\x03\x04", "zip container"),
        (b"#!", "script"),
        (b"{\\rt", "RTF"),
        (b"L\x00\x00\x00", "Windows shortcut"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| data.starts_with(m)) {
        return Some(what);
    }
    let lower = String::from_utf8_lossy(data).to_ascii_lowercase();
    const NEEDLES: &[(&str, &str)] = &[
        ("<script", "script element"),
        ("javascript:", "javascript: URL"),
        ("vbscript:", "vbscript: URL"),
        ("<iframe", "frame"),
        ("<object", "object element"),
        ("<embed", "embed element"),
        ("<form", "form"),
        ("http-equiv", "meta refresh"),
        (" onload", "event handler"),
        (" onclick", "event handler"),
        (" onerror", "event handler"),
        ("data:", "data: URL"),
        ("/js", "PDF JavaScript"),
        ("/javascript", "PDF JavaScript"),
        ("/openaction", "PDF open action"),
        ("/aa", "PDF additional actions"),
        ("/launch", "PDF launch action"),
        ("/embeddedfile", "PDF embedded file"),
        ("/submitform", "PDF form submission"),
        ("/richmedia", "PDF rich media"),
        ("vba", "VBA"),
        ("attribute vb_", "VBA module"),
        ("autoopen", "macro auto-exec"),
        ("document_open", "macro auto-exec"),
        ("powershell", "PowerShell"),
        ("cmd.exe", "command shell"),
    ];
    // A PDF name (`/AA`) ends at a delimiter: `/aa1f…` in a link's token is not one.
    let found = |needle: &str| {
        lower.match_indices(needle).any(|(at, _)| {
            !needle.starts_with('/')
                || !lower
                    .as_bytes()
                    .get(at + needle.len())
                    .is_some_and(u8::is_ascii_alphanumeric)
        })
    };
    NEEDLES
        .iter()
        .find(|(needle, _)| found(needle))
        .map(|(_, what)| *what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_names_are_told_from_tokens_in_links() {
        assert_eq!(active_content(b"see https://x.example/t/aa12ff"), None);
        assert_eq!(active_content(b"see https://x.example/t/js0a"), None);
        assert!(active_content(b"<< /AA << /O 3 0 R >> >>").is_some());
        assert!(active_content(b"<</JS(app.alert(1))>>").is_some());
        assert!(active_content(b"/OpenAction 5 0 R").is_some());
    }

    #[test]
    fn the_pdf_is_well_formed_and_inert() {
        let pdf = pdf(
            &["Invoice (Dec)".into(), "Click below".into()],
            "View",
            "https://drill.example.net/t/abc",
        );
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert_eq!(active_content(&pdf), None);
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        assert!(String::from_utf8_lossy(&pdf).contains("(Invoice \\(Dec\\))"));
    }

    #[test]
    fn japanese_text_is_written_in_the_standard_japanese_cid_font() {
        let pdf = pdf(
            &["請求書（12月分）".into(), "A 😀\u{7}".into()],
            "請求書を表示",
            "https://drill.example.net/t/abc",
        );
        assert_eq!(active_content(&pdf), None);
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/BaseFont /KozMinPro-Regular-Acro /Encoding /UniJIS-UCS2-H"));
        assert!(text.contains("/Ordering (Japan1)"));
        assert!(!text.contains("/FontFile"), "nothing embedded");
        // 請 求 書 （ 1 2 月 分 ）
        assert!(
            text.contains("<8ACB6C4266F8FF080031003267085206FF09> Tj"),
            "{text}"
        );
        assert!(text.contains("<00410020003F003F> Tj"), "{text}");
        assert!(text.contains("/URI (https://drill.example.net/t/abc)"));
        // All ASCII: Helvetica, as before.
        let ascii = super::pdf(&["Invoice".into()], "View", "https://x.example/t/a");
        assert!(String::from_utf8_lossy(&ascii).contains("/BaseFont /Helvetica"));
    }

    #[test]
    fn the_page_escapes_and_is_inert() {
        let page = html(
            &["見積<依頼>".into(), "本文".into()],
            "\"開く\"",
            "https://drill.example.net/t/a?b=1&c=\"",
        );
        let text = String::from_utf8(page.clone()).unwrap();
        assert!(text.contains("見積&lt;依頼&gt;"));
        assert!(text.contains("href=\"https://drill.example.net/t/a?b=1&amp;c=&quot;\""));
        assert_eq!(active_content(&page), None);
    }

    #[test]
    fn active_content_is_recognised() {
        assert!(active_content(b"MZ\x90\x00").is_some());
        assert!(active_content(b"\x7fELF\x02").is_some());
        assert!(active_content(b"<html><SCRIPT>x</script>").is_some());
        assert!(active_content(b"%PDF-1.4 << /OpenAction 3 0 R >>").is_some());
        assert!(active_content(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1").is_some());
        assert!(active_content(b"Attribute VB_Name").is_some());
        assert_eq!(active_content(b"plain text"), None);
    }
}
