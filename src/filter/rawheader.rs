//! The header block of raw message bytes, located exactly, so edits leave every other byte alone.

/// One header field: `name: value`, with continuation lines, as byte offsets into the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Offset of the first byte of the name.
    pub start: usize,
    /// Offset just after the colon.
    pub value_start: usize,
    /// Offset just after the field's last line ending (or the end of input).
    pub end: usize,
    /// Offset of the end of the value: before the last line ending.
    pub value_end: usize,
    pub name: String,
}

/// Where the header block is and what it holds.
#[derive(Debug, Clone)]
pub struct HeaderBlock {
    /// Offset where our fields go: 0, or after an mbox `From ` line, and after any continuation
    /// lines with no field before them (so they cannot continue one of ours).
    pub start: usize,
    /// Offset of the empty line that ends the header (or the end of input if there is none).
    pub end: usize,
    pub fields: Vec<Field>,
    /// The line ending the message uses: `\r\n` if its first line ends so, else `\n`.
    pub nl: &'static str,
    /// The lines before `start` run to the end of the input without a line ending (a message
    /// that is only an mbox `From ` line or continuation lines): anything inserted at `start`
    /// needs `nl` in front, or it would run on in that line.
    pub unended_start: bool,
}

impl HeaderBlock {
    pub fn scan(raw: &[u8]) -> HeaderBlock {
        let nl = match raw.iter().position(|&b| b == b'\n') {
            Some(i) if i > 0 && raw[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let mut pos = 0;
        // An mbox envelope line (procmail and some MDAs pass it on): our fields go after it.
        if raw.starts_with(b"From ") {
            pos = line_end(raw, 0);
        }
        while pos < raw.len() && matches!(raw[pos], b' ' | b'\t') {
            pos = line_end(raw, pos);
        }
        let start = pos;
        let unended_start = start > 0 && start == raw.len() && raw[start - 1] != b'\n';
        let mut fields: Vec<Field> = Vec::new();
        // Whether the last line belonged to a field (continuations extend only that field).
        let mut in_field = false;
        let mut end = raw.len();
        while pos < raw.len() {
            let next = line_end(raw, pos);
            let line = &raw[pos..next];
            if line == b"\n" || line == b"\r\n" {
                end = pos;
                break;
            }
            let content_end = pos + trim_newline(line).len();
            if matches!(line[0], b' ' | b'\t') {
                if let Some(last) = fields.last_mut().filter(|_| in_field) {
                    last.end = next;
                    last.value_end = content_end;
                }
            } else if let Some(colon) = line.iter().position(|&b| b == b':') {
                in_field = true;
                let name = String::from_utf8_lossy(&line[..colon])
                    .trim_end()
                    .to_string();
                fields.push(Field {
                    start: pos,
                    value_start: pos + colon + 1,
                    end: next,
                    value_end: content_end,
                    name,
                });
            } else {
                // A line that is neither a field nor a continuation is kept as it is, and so
                // are continuation lines after it.
                in_field = false;
            }
            pos = next;
        }
        HeaderBlock {
            start,
            end,
            fields,
            nl,
            unended_start,
        }
    }

    /// Fields whose name starts with `prefix`, ignoring case.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields
            .iter()
            .filter(move |f| has_prefix(&f.name, prefix))
    }

    /// The first field named `name`, ignoring case.
    pub fn first(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
}

/// Whether a field name starts with `prefix`, ignoring ASCII case (bytes, so any name is safe).
pub fn has_prefix(name: &str, prefix: &str) -> bool {
    name.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Offset just after the line starting at `pos` (its `\n` included), or the end of input.
fn line_end(raw: &[u8], pos: usize) -> usize {
    raw[pos..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| pos + i + 1)
        .unwrap_or(raw.len())
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_continuations_and_the_blank_line() {
        let raw =
            b"From: a@b\r\nSubject: one\r\n two\r\nX-Lurescreen-Verdict: clean\r\n\r\nbody\r\n";
        let h = HeaderBlock::scan(raw);
        assert_eq!(h.nl, "\r\n");
        assert_eq!(h.fields.len(), 3);
        let s = h.first("subject").unwrap();
        assert_eq!(&raw[s.value_start..s.value_end], b" one\r\n two");
        assert_eq!(&raw[s.start..s.end], b"Subject: one\r\n two\r\n");
        assert_eq!(h.with_prefix("x-lurescreen-").count(), 1);
        assert_eq!(&raw[h.end..], b"\r\nbody\r\n");
    }

    #[test]
    fn headers_only_without_final_newline() {
        let raw = b"Subject: x\nTo: y";
        let h = HeaderBlock::scan(raw);
        assert_eq!(h.nl, "\n");
        assert_eq!(h.end, raw.len());
        assert_eq!(h.fields[1].end, raw.len());
        assert_eq!(h.fields[1].value_end, raw.len());
    }

    #[test]
    fn mbox_from_line_is_skipped() {
        let raw = b"From someone@example Mon Jan  1 00:00:00 2024\nSubject: x\n\nb";
        let h = HeaderBlock::scan(raw);
        assert_eq!(h.start, 46);
        assert_eq!(h.fields[0].name, "Subject");
    }

    #[test]
    fn any_field_name_can_be_matched_safely() {
        assert!(has_prefix("X-LUREscreen-Verdict", "x-lurescreen-"));
        assert!(!has_prefix("あああああ", "x-lurescreen-"));
        assert!(!has_prefix("X-", "x-lurescreen-"));
        let h = HeaderBlock::scan("X-Lurescreen-Verdict: clean\nあああああ: x\n\n".as_bytes());
        assert_eq!(h.with_prefix("x-lurescreen-").count(), 1);
    }

    #[test]
    fn leading_continuation_lines_stay_before_our_fields() {
        let raw = b" orphan\n\tmore\nSubject: x\n\nb";
        let h = HeaderBlock::scan(raw);
        assert_eq!(&raw[h.start..h.start + 8], b"Subject:");
    }

    #[test]
    fn binary_junk_does_not_confuse_it() {
        let h = HeaderBlock::scan(&[0, 1, 2, 0xff, b'\r', 0xfe]);
        assert!(h.fields.is_empty());
        assert_eq!(h.end, 6);
    }
}
