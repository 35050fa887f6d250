//! The raw byte scan, in the manner of Didier Stevens' pdfid: counts of the names that matter
//! for active content, `#xx`-obfuscated spellings of them, and what sits before the header and
//! after the last `%%EOF`. It reads the bytes as written, so it sees what an object model hides
//! (lopdf decodes `#xx` in names) and works on files no parser can load. It does not see inside
//! compressed streams; the object model does.

/// The names counted, as pdfid counts them (exact names: `/Page` is not `/Pages`).
pub const KEYWORDS: [&str; 16] = [
    "JS",
    "JavaScript",
    "AA",
    "OpenAction",
    "AcroForm",
    "JBIG2Decode",
    "RichMedia",
    "Launch",
    "EmbeddedFile",
    "XFA",
    "ObjStm",
    "Encrypt",
    "URI",
    "SubmitForm",
    "GoToR",
    "Page",
];

/// Where a keyword sits in `KEYWORDS`, for readable lookups.
pub fn keyword_index(name: &str) -> Option<usize> {
    KEYWORDS.iter().position(|k| *k == name)
}

/// Names longer than this are not keywords; they are skipped without decoding.
const MAX_NAME: usize = 64;
/// Obfuscated spellings kept as examples for the report.
const MAX_EXAMPLES: usize = 5;

/// What the byte scan found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawScan {
    /// Offset of `%PDF-`, if it is within the first 1024 bytes.
    pub header_offset: Option<usize>,
    /// Occurrences of each of `KEYWORDS`, obfuscated spellings included.
    pub counts: [usize; KEYWORDS.len()],
    /// Occurrences of each of `KEYWORDS` spelled with `#xx` escapes.
    pub obfuscated: [usize; KEYWORDS.len()],
    /// A few obfuscated spellings as written (`/J#61vaScript`).
    pub obfuscated_examples: Vec<String>,
    /// Whether the file has a `%%EOF` marker at all.
    pub has_eof: bool,
    /// Bytes after the last `%%EOF`, from the first one that is not white space; 0 when the
    /// file ends with the marker (and white space).
    pub after_eof: usize,
    /// Occurrences of `endobj`: an upper bound on the objects a parser will build.
    pub endobj: usize,
}

impl RawScan {
    pub fn count(&self, name: &str) -> usize {
        keyword_index(name).map_or(0, |i| self.counts[i])
    }

    /// Whether any name of active content, encryption or packed objects occurs (everything in
    /// `KEYWORDS` but `/Page`), `#xx`-obfuscated spellings included.
    pub fn has_active_names(&self) -> bool {
        KEYWORDS
            .iter()
            .zip(self.counts)
            .any(|(k, n)| n > 0 && *k != "Page")
    }

    pub fn obfuscated_total(&self) -> usize {
        self.obfuscated.iter().sum()
    }

    /// The non-zero counts of the active-content names, for reasons: `2 /JavaScript, 1 /OpenAction`.
    pub fn summary(&self) -> String {
        KEYWORDS
            .iter()
            .zip(self.counts)
            .filter(|(k, n)| *n > 0 && **k != "Page" && **k != "ObjStm")
            .map(|(k, n)| format!("{n} /{k}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `%PDF-` within the first 1024 bytes: how lurescreen recognises a PDF, whatever its name.
pub fn header_offset(data: &[u8]) -> Option<usize> {
    let head = data.get(..data.len().min(1024))?;
    memchr::memmem::find(head, b"%PDF-")
}

/// PDF white space (ISO 32000 7.2.2), NUL included.
pub fn is_pdf_space(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Decodes the `#xx` escapes of a name into `out`; a `#` not followed by two hex digits stays.
fn unescape_name(name: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while let Some(&b) = name.get(i) {
        let pair = name
            .get(i + 1)
            .and_then(|&h| hex_value(h))
            .zip(name.get(i + 2).and_then(|&l| hex_value(l)));
        match (b, pair) {
            (b'#', Some((h, l))) => {
                out.push(h << 4 | l);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
}

/// One pass over the bytes.
pub fn scan(data: &[u8]) -> RawScan {
    let mut out = RawScan {
        header_offset: header_offset(data),
        ..RawScan::default()
    };
    let mut decoded = Vec::with_capacity(MAX_NAME);
    for slash in memchr::memchr_iter(b'/', data) {
        let Some(rest) = data.get(slash + 1..) else {
            continue;
        };
        let len = rest
            .iter()
            .take(MAX_NAME + 1)
            .position(|&b| is_pdf_space(b) || is_delimiter(b))
            .unwrap_or(rest.len().min(MAX_NAME + 1));
        if len == 0 || len > MAX_NAME {
            continue;
        }
        let Some(name) = rest.get(..len) else {
            continue;
        };
        let escaped = name.contains(&b'#');
        let candidate: &[u8] = if escaped {
            unescape_name(name, &mut decoded);
            &decoded
        } else {
            name
        };
        if let Some(k) = KEYWORDS.iter().position(|k| k.as_bytes() == candidate) {
            out.counts[k] += 1;
            if escaped {
                out.obfuscated[k] += 1;
                if out.obfuscated_examples.len() < MAX_EXAMPLES {
                    out.obfuscated_examples
                        .push(format!("/{}", String::from_utf8_lossy(name)));
                }
            }
        }
    }
    out.endobj = memchr::memmem::find_iter(data, b"endobj").count();
    if let Some(eof) = memchr::memmem::rfind(data, b"%%EOF") {
        out.has_eof = true;
        let after = data.get(eof + 5..).unwrap_or_default();
        out.after_eof = after
            .iter()
            .position(|&b| !is_pdf_space(b))
            .map_or(0, |start| after.len() - start);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_names_decide_whether_the_object_model_is_needed() {
        let plain = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page>>endobj\n%%EOF\n";
        assert!(!scan(plain).has_active_names());
        let analysis = super::super::analyse(plain, &mut 1_000_000, false);
        assert!(
            analysis
                .model
                .is_ok_and(|m| m.scripts.is_empty() && m.uris.is_empty())
        );
        for name in ["/URI", "/ObjStm", "/Encrypt", "/#4A#53", "/AcroForm"] {
            let mut pdf = plain.to_vec();
            pdf.extend_from_slice(name.as_bytes());
            assert!(scan(&pdf).has_active_names(), "{name}");
        }
    }

    #[test]
    fn counts_names_exactly_and_decodes_hex_escapes() {
        let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/J#61vaScript/JS(x)>>/Page 3>>endobj\n\
/JavaScriptX /JS/JS /#4A#53\n%%EOF\n";
        let r = scan(pdf);
        assert_eq!(r.header_offset, Some(0));
        assert_eq!(r.count("JS"), 4);
        assert_eq!(r.count("JavaScript"), 1);
        assert_eq!(r.count("OpenAction"), 1);
        assert_eq!(r.count("Page"), 1);
        assert_eq!(r.obfuscated_total(), 2);
        assert_eq!(r.obfuscated_examples, ["/J#61vaScript", "/#4A#53"]);
        assert_eq!(r.after_eof, 0);
        assert_eq!(r.endobj, 1);
        assert_eq!(r.summary(), "4 /JS, 1 /JavaScript, 1 /OpenAction");
    }

    #[test]
    fn header_offset_and_data_after_eof() {
        let mut pdf = b"junk\n%PDF-1.7\n%%EOF\r\n\x00\x00 ".to_vec();
        let r = scan(&pdf);
        assert_eq!(r.header_offset, Some(5));
        assert_eq!(r.after_eof, 0);
        pdf.extend_from_slice(b"PK\x03\x04zipdata");
        assert_eq!(scan(&pdf).after_eof, 11);
        let mut late = vec![b' '; 1100];
        late.extend_from_slice(b"%PDF-1.4");
        assert_eq!(header_offset(&late), None);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for data in [
            &b""[..],
            b"/",
            b"/#",
            b"/#4",
            b"/J#6",
            b"%%EOF",
            b"%PDF-",
            b"/JS#",
        ] {
            let _ = scan(data);
        }
        let long = [b"/".as_slice(), &[b'a'; 100]].concat();
        assert_eq!(scan(&long).counts, [0; KEYWORDS.len()]);
    }
}
