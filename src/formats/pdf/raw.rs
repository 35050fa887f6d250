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

/// Strings longer than this, and more `/URI` names than this, are left to the object model
/// (which has its own limits): the byte scan stays linear.
const MAX_RAW_STRING: usize = 64 * 1024;
const MAX_RAW_URIS: usize = 1_000;

/// Whether the last `startxref` of the file points at a cross-reference table (`xref`), counted
/// from the header, and every object that table lists in use starts where it says (`N G obj`):
/// the file needs no repair to be read. A cross-reference stream, or an offset that points
/// anywhere else, answers no.
pub fn xref_table_ok(data: &[u8]) -> bool {
    let Some(base) = header_offset(data) else {
        return false;
    };
    let Some(at) = memchr::memmem::rfind(data, b"startxref") else {
        return false;
    };
    let mut tokens = Tokens { data, at: at + 9 };
    let Some(table) = tokens
        .number()
        .and_then(|o| base.checked_add(o))
        .filter(|&o| data.get(o..).is_some_and(|t| t.starts_with(b"xref")))
    else {
        return false;
    };
    let mut tokens = Tokens {
        data,
        at: table + 4,
    };
    let mut checked = 0usize;
    loop {
        tokens.skip_space();
        if data
            .get(tokens.at..)
            .is_some_and(|t| t.starts_with(b"trailer"))
        {
            return true;
        }
        let (Some(_first), Some(count)) = (tokens.number(), tokens.number()) else {
            return false;
        };
        for _ in 0..count {
            let (Some(offset), Some(_generation), Some(kind)) =
                (tokens.number(), tokens.number(), tokens.word())
            else {
                return false;
            };
            checked += 1;
            if checked > MAX_XREF_ENTRIES {
                return false;
            }
            if kind == b"n" && !object_starts_at(data, base.saturating_add(offset)) {
                return false;
            }
        }
    }
}

/// What is wrong with the way to the file's cross-reference data, if anything: no `startxref`,
/// one that points outside the file, or one that points at neither a table (`xref`) nor a
/// cross-reference stream (`N G obj`). Readers then rebuild the object table by scanning, which
/// exploit kits relied on; benign generators write the pointer their own tables need. (An
/// offset wrong inside an intact table is another matter: generators get those wrong too.)
pub fn xref_damage(data: &[u8]) -> Option<&'static str> {
    let base = header_offset(data).unwrap_or(0);
    let Some(at) = memchr::memmem::rfind(data, b"startxref") else {
        return Some("there is no startxref");
    };
    let mut tokens = Tokens { data, at: at + 9 };
    let Some(offset) = tokens.number() else {
        return Some("startxref gives no offset");
    };
    let points = |o: usize| {
        let mut o = o;
        while data.get(o).is_some_and(|&b| is_pdf_space(b)) {
            o += 1;
        }
        data.get(o..)
            .is_some_and(|t| t.starts_with(b"xref") || object_starts_at(data, o))
    };
    if offset >= data.len() {
        return Some("startxref points outside the file");
    }
    // Offsets counted from the header rather than the file start, as readers accept.
    if points(offset) || base.checked_add(offset).is_some_and(points) {
        return None;
    }
    Some("startxref points at no cross-reference table")
}

/// Entries of a cross-reference table checked at most before the object model takes over.
const MAX_XREF_ENTRIES: usize = 100_000;

/// `N G obj` at `at`.
fn object_starts_at(data: &[u8], at: usize) -> bool {
    let mut t = Tokens { data, at };
    t.number().is_some() && t.number().is_some() && t.word() == Some(&b"obj"[..])
}

/// White-space separated tokens of the bytes from `at`.
struct Tokens<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Tokens<'a> {
    fn skip_space(&mut self) {
        while self.data.get(self.at).is_some_and(|&b| is_pdf_space(b)) {
            self.at += 1;
        }
    }

    /// The next token: letters up to white space or a delimiter.
    fn word(&mut self) -> Option<&'a [u8]> {
        self.skip_space();
        let rest = self.data.get(self.at..)?;
        let len = rest
            .iter()
            .take(32)
            .position(|&b| is_pdf_space(b) || is_delimiter(b))
            .unwrap_or(rest.len().min(32));
        self.at += len;
        rest.get(..len).filter(|w| !w.is_empty())
    }

    /// The next token as a number of at most 12 digits.
    fn number(&mut self) -> Option<usize> {
        let w = self.word()?;
        if w.len() > 12 || !w.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(w).ok()?.parse().ok()
    }
}

/// A literal string `(...)` starting at `data[0]`, decoded (ISO 32000 7.3.4.2: balanced
/// parentheses, backslash escapes, octal codes, a backslash before a line break joins lines).
/// `None` when it is not closed.
pub(crate) fn literal_string(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let data = data.get(..data.len().min(MAX_RAW_STRING))?;
    while let Some(&b) = data.get(i) {
        i += 1;
        match b {
            b'(' => {
                depth += 1;
                if depth > 1 {
                    out.push(b);
                }
            }
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(out);
                }
                out.push(b);
            }
            b'\\' => {
                let &e = data.get(i)?;
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'\r' => {
                        if data.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                    }
                    b'\n' => {}
                    b'0'..=b'7' => {
                        let mut v = u32::from(e - b'0');
                        for _ in 0..2 {
                            match data.get(i) {
                                Some(&d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push((v & 0xff) as u8);
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(b),
        }
    }
    None
}

/// A hex string `<...>` starting at `data[0]`, decoded (white space skipped, an odd last digit
/// followed by 0). `None` when it is not closed or holds something else.
pub(crate) fn hex_string(data: &[u8]) -> Option<Vec<u8>> {
    let mut digits = Vec::new();
    for &b in data.get(1..data.len().min(MAX_RAW_STRING))? {
        match b {
            b'>' => {
                if digits.len() % 2 == 1 {
                    digits.push(0);
                }
                return Some(
                    digits
                        .chunks_exact(2)
                        .map(|p| match p {
                            [h, l] => h << 4 | l,
                            _ => 0,
                        })
                        .collect(),
                );
            }
            _ if is_pdf_space(b) => {}
            _ => digits.push(hex_value(b)?),
        }
    }
    None
}

/// The values of every `/URI` key written as a string in the bytes (a link action's target),
/// in order; `/URI` as a name (`/S /URI`) or opening a dictionary (the catalog's `/URI <<
/// /Base ... >>`) is passed over. `None` when a value is written some other way (an indirect
/// reference, a broken string): only the object model can read it.
pub fn uri_strings(data: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for (n, at) in memchr::memmem::find_iter(data, b"/URI").enumerate() {
        if n >= MAX_RAW_URIS {
            return None;
        }
        let rest = data.get(at + 4..).unwrap_or_default();
        if rest
            .first()
            .is_some_and(|&b| !is_pdf_space(b) && !is_delimiter(b))
        {
            continue; // a longer name
        }
        let value = rest.get(rest.iter().position(|&b| !is_pdf_space(b))?..)?;
        match value {
            [b'/', ..] | [b'>', b'>', ..] | [b'<', b'<', ..] => {}
            [b'(', ..] => out.push(literal_string(value)?),
            [b'<', ..] => out.push(hex_string(value)?),
            _ => return None,
        }
    }
    Some(out)
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
        // The link and cross-reference readers on random mixes of the bytes they look for.
        let pieces: [&[u8]; 14] = [
            b"/URI",
            b" (",
            b")",
            b"\\",
            b"<",
            b">",
            b"<<",
            b"startxref ",
            b"xref\n",
            b"0 3\n",
            b"0000000009 00000 n\n",
            b"1 0 obj",
            b"trailer",
            b"%PDF-1.4\n",
        ];
        let mut seed: u64 = 7;
        for _ in 0..3000 {
            let mut data = Vec::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 59) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                data.extend_from_slice(pieces[(seed >> 40) as usize % pieces.len()]);
            }
            let _ = uri_strings(&data);
            let _ = xref_table_ok(&data);
        }
    }
}
