//! Byte helpers the readers share: a substring search, whether bytes are text, names stored as
//! bytes.

/// No NUL bytes and few other control characters at the start: text of some encoding.
pub fn looks_like_text(data: &[u8]) -> bool {
    let head = data.get(..8192).unwrap_or(data);
    if head.is_empty() {
        return false;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    controls == 0 || (!head.contains(&0) && controls * 100 < head.len())
}

/// Where `needle` first occurs in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Decodes a file name stored as bytes in an unknown legacy encoding: UTF-8 when it is valid,
/// else Shift_JIS (CP932, what Japanese Windows writes into zip, rar and tar), else Latin-1.
pub fn decode_name(raw: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(raw) {
        return s.to_string();
    }
    let (sjis, _, had_errors) = encoding_rs::SHIFT_JIS.decode(raw);
    if !had_errors {
        return sjis.into_owned();
    }
    raw.iter().map(|&b| b as char).collect()
}
