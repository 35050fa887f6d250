//! File names as Windows reads them: the extensions that decide what opening a file does.

/// The extensions of a name, last first, lower-cased, each trimmed of the spaces and dots Windows
/// ignores at the end of a name (`請求書.PDF.exe. ` → `exe`, `pdf`).
pub fn extensions(name: &str) -> Vec<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = base.trim_end_matches([' ', '.', '\u{3000}']);
    let mut parts: Vec<String> = base
        .split('.')
        .skip(1)
        .map(|p| p.trim().to_lowercase())
        .collect();
    parts.reverse();
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_last_first_as_windows_reads_them() {
        assert_eq!(extensions("a/請求書.PDF.exe. "), ["exe", "pdf"]);
        assert_eq!(extensions("C:\\x\\v1.2.html"), ["html", "2"]);
        assert!(extensions("noext").is_empty());
    }
}
