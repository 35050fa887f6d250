//! RFC 2231 parameters (`filename*0*=UTF-8''...; filename*1*=...`), decoded whole.
//!
//! mail-parser 0.11 decodes each continuation section on its own, so a character split across
//! sections, or any section after the first in ISO-2022-JP, comes out broken (CRATES.md). Here
//! the sections are joined as bytes first and decoded once with the declared charset.

/// The value of parameter `name` in a raw header value, if it is written in RFC 2231 form
/// (`name*=` or `name*0=`/`name*0*=` sections). `None` when it is absent or not in that form.
pub fn rfc2231(raw: &str, name: &str) -> Option<String> {
    let mut sections: Vec<(u32, bool, Vec<u8>)> = Vec::new();
    for param in split_params(raw) {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let Some(rest) = key.strip_prefix(&name.to_ascii_lowercase()) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix('*') else {
            continue;
        };
        let (index, extended) = if rest.is_empty() {
            (0, true)
        } else {
            let (num, star) = match rest.strip_suffix('*') {
                Some(n) => (n, true),
                None => (rest, false),
            };
            (num.parse::<u32>().ok()?, star)
        };
        let value = unquote(value.trim());
        sections.push((index, extended, value.into_bytes()));
    }
    if sections.is_empty() || sections.len() > 1000 {
        return None;
    }
    sections.sort_by_key(|(i, _, _)| *i);
    let mut charset = String::new();
    let mut bytes = Vec::new();
    for (n, (_, extended, value)) in sections.iter().enumerate() {
        let mut value: &[u8] = value;
        if n == 0 && *extended {
            // charset'language'value
            let mut parts = value.splitn(3, |&b| b == b'\'');
            let (c, _lang, v) = (parts.next()?, parts.next(), parts.next());
            if let Some(v) = v {
                charset = String::from_utf8_lossy(c).into_owned();
                value = v;
            }
        }
        if *extended {
            bytes.extend(percent_decode(value));
        } else {
            bytes.extend_from_slice(value);
        }
    }
    let encoding =
        encoding_rs::Encoding::for_label(charset.trim().as_bytes()).unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(&bytes);
    Some(text.into_owned())
}

/// Splits `type/sub; a=b; c="d;e"` at the semicolons outside quotes.
fn split_params(raw: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in raw.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(&raw[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&raw[start..]);
    out.into_iter()
        .map(|p| p.trim_matches(|c: char| c.is_whitespace()))
        .collect()
}

fn unquote(v: &str) -> String {
    match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => v.to_string(),
    }
}

fn percent_decode(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%'
            && let (Some(h), Some(l)) = (
                v.get(i + 1).and_then(|c| (*c as char).to_digit(16)),
                v.get(i + 2).and_then(|c| (*c as char).to_digit(16)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(v[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rfc2231;

    #[test]
    fn sections_are_joined_before_decoding() {
        let sjis = "attachment;\r\n filename*0*=shift_jis''%8C%A9%90%CF%8F%91%5F%91%E6%93;\r\n filename*1*=%F1%94%C5%5F%8D%C5%8F%49%2E%70%64%66";
        assert_eq!(
            rfc2231(sjis, "filename").as_deref(),
            Some("見積書_第二版_最終.pdf")
        );
        let utf8 = "attachment; filename*0*=utf-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8%5F%E7%AC; filename*1*=%AC%E4%BA%8C%E7%89%88.pdf";
        assert_eq!(
            rfc2231(utf8, "filename").as_deref(),
            Some("見積書_第二版.pdf")
        );
        let jis = "attachment; filename*0*=iso-2022-jp''%1B%24B%40A; filename*1*=5a%3Dq%1B%28B.pdf";
        assert_eq!(rfc2231(jis, "filename").as_deref(), Some("請求書.pdf"));
    }

    #[test]
    fn single_extended_and_plain_continuations() {
        assert_eq!(
            rfc2231(
                "attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf.exe",
                "filename"
            )
            .as_deref(),
            Some("請求書.pdf.exe")
        );
        assert_eq!(
            rfc2231(
                "application/x; name*0=\"long;name\"; name*1=\".exe\"",
                "name"
            )
            .as_deref(),
            Some("long;name.exe")
        );
        assert_eq!(
            rfc2231("attachment; filename=\"plain.pdf\"", "filename"),
            None
        );
        assert_eq!(rfc2231("attachment; filename*x=bad", "filename"), None);
    }
}
