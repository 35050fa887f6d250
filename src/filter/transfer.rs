//! Content-Transfer-Encoding for the banner: quoted-printable with a position map, base64.

use base64::Engine as _;

/// Decodes quoted-printable leniently. `map[i]` is the offset in `raw` where decoded byte `i`
/// begins; `map[decoded.len()]` is `raw.len()`, so any decoded position maps back to raw.
pub fn qp_decode_mapped(raw: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let mut out = Vec::with_capacity(raw.len());
    let mut map = Vec::with_capacity(raw.len() + 1);
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == b'=' {
            // Soft line break: `=` then optional trailing whitespace then a line ending.
            let mut j = i + 1;
            while j < raw.len() && matches!(raw[j], b' ' | b'\t') {
                j += 1;
            }
            if raw.get(j) == Some(&b'\n') {
                i = j + 1;
                continue;
            }
            if raw.get(j) == Some(&b'\r') && raw.get(j + 1) == Some(&b'\n') {
                i = j + 2;
                continue;
            }
            if let (Some(h), Some(l)) = (
                raw.get(i + 1).and_then(|c| hex(*c)),
                raw.get(i + 2).and_then(|c| hex(*c)),
            ) {
                map.push(i);
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        map.push(i);
        out.push(b);
        i += 1;
    }
    map.push(raw.len());
    (out, map)
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Encodes `data` as quoted-printable lines of at most 76 characters. Line breaks in `data`
/// (`\n` or `\r\n`) become hard breaks written as `nl`. When `soft_end` is set the result ends in
/// a soft line break, so text following it continues the last decoded line.
pub fn qp_encode(data: &[u8], nl: &str, soft_end: bool) -> Vec<u8> {
    const MAX: usize = 76;
    let mut out = Vec::with_capacity(data.len() * 3 / 2);
    let mut line = 0usize;
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b == b'\n' || (b == b'\r' && data.get(i + 1) == Some(&b'\n')) {
            out.extend_from_slice(nl.as_bytes());
            line = 0;
            i += if b == b'\r' { 2 } else { 1 };
            continue;
        }
        let at_line_end = matches!(data.get(i + 1), None | Some(b'\n') | Some(b'\r'));
        let literal =
            (b == b' ' || b == b'\t') && !at_line_end || (33..=126).contains(&b) && b != b'=';
        let piece_len = if literal { 1 } else { 3 };
        // Keep room for a soft break `=`.
        if line + piece_len > MAX - 1 {
            out.push(b'=');
            out.extend_from_slice(nl.as_bytes());
            line = 0;
        }
        if literal {
            out.push(b);
        } else {
            out.extend_from_slice(format!("={b:02X}").as_bytes());
        }
        line += piece_len;
        i += 1;
    }
    if soft_end && line > 0 {
        out.push(b'=');
        out.extend_from_slice(nl.as_bytes());
    }
    out
}

/// Decodes base64 leniently: whitespace and stray characters are skipped.
pub fn base64_decode(raw: &[u8]) -> Option<Vec<u8>> {
    let clean: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/'))
        .collect();
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&clean)
        .ok()
}

/// Encodes `data` as base64 lines of 76 characters separated by `nl` (no line ending at the end).
pub fn base64_encode(data: &[u8], nl: &str) -> Vec<u8> {
    let text = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = Vec::with_capacity(text.len() + text.len() / 76 * nl.len() + 2);
    for (n, chunk) in text.as_bytes().chunks(76).enumerate() {
        if n > 0 {
            out.extend_from_slice(nl.as_bytes());
        }
        out.extend_from_slice(chunk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qp_round_trips_and_keeps_lines_short() {
        let text = "注意：このメールは不審です。 trailing space \nline two = equals\tand a very long line that goes on and on and on beyond seventy-six characters for sure\n";
        for nl in ["\n", "\r\n"] {
            let enc = qp_encode(text.as_bytes(), nl, false);
            for line in enc.split(|&b| b == b'\n') {
                assert!(line.len() <= 77, "{}", String::from_utf8_lossy(line));
            }
            let (dec, _) = qp_decode_mapped(&enc);
            let expected = text.replace('\n', nl);
            assert_eq!(String::from_utf8(dec).unwrap(), expected);
        }
    }

    #[test]
    fn qp_map_points_back_into_raw() {
        let raw = b"<body =3D>ab=\r\ncd";
        let (dec, map) = qp_decode_mapped(raw);
        assert_eq!(dec, b"<body =>abcd");
        let pos = dec.iter().position(|&b| b == b'>').unwrap() + 1;
        assert_eq!(&raw[map[pos]..], b"ab=\r\ncd");
        let c = dec.iter().position(|&b| b == b'c').unwrap();
        assert_eq!(&raw[map[c]..], b"cd");
        assert_eq!(map[dec.len()], raw.len());
    }

    #[test]
    fn soft_end_continues_the_line() {
        let mut enc = qp_encode(b"banner", "\n", true);
        enc.extend_from_slice(b"rest");
        assert_eq!(qp_decode_mapped(&enc).0, b"bannerrest");
    }

    #[test]
    fn base64_round_trip_with_line_endings() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let enc = base64_encode(&data, "\r\n");
        assert!(enc.split(|&b| b == b'\n').all(|l| l.len() <= 77));
        assert_eq!(base64_decode(&enc).unwrap(), data);
        assert_eq!(base64_decode(b"aGVs\r\nbG8=\r\n").unwrap(), b"hello");
    }
}
