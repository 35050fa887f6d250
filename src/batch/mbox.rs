//! Splits an mbox stream into messages, streaming, with memory bounded by the largest message.
//!
//! **Separator rule.** A line is a message separator when both hold:
//! 1. it is the first line of the file, or the line before it is empty (`\n` or `\r\n`);
//! 2. it reads `From ` + an address (any token, `-` and `MAILER-DAEMON` included) + a date in
//!    `asctime` form — `[Www] Mmm d hh:mm[:ss] [zone] yyyy` — or in RFC 5322 form —
//!    `[Www,] d Mmm yyyy hh:mm[:ss]`; anything may follow the date (a zone, `remote from ...`).
//!
//! So a body line such as `From here on, we ...` never cuts a message, even after an empty line,
//! and neither does a quoted `From ` line that is not preceded by an empty line. The empty line
//! before a separator belongs to the mbox format and is not part of the message.
//!
//! `>From ` lines are left as they are (mboxo, the safe default: the analysis does not depend on
//! them); with `unescape` (mboxrd, `--input mboxrd`) one `>` is removed from every `>…>From ` line.

use std::io::{self, BufRead};

/// Bytes of each line kept to decide whether it is a separator.
const HEAD: usize = 512;

/// One message cut out of an mbox.
#[derive(Debug)]
pub struct MboxMessage {
    /// Byte offset of its `From ` line in the (decompressed) stream; of its first byte when the
    /// stream does not start with a separator.
    pub offset: u64,
    /// 1-based position in the mbox.
    pub index: usize,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    /// The message without its `From ` line.
    Bytes(Vec<u8>),
    /// Over the size limit: only its size was counted, the bytes were not kept.
    TooLarge(u64),
}

/// Iterator over the messages of an mbox stream.
pub struct MboxReader<R: BufRead> {
    reader: R,
    /// Bytes consumed so far.
    offset: u64,
    /// Offset of a separator already read, which starts the next message.
    pending: Option<u64>,
    prev_blank: bool,
    at_start: bool,
    max_bytes: usize,
    unescape: bool,
    index: usize,
    done: bool,
    head: Vec<u8>,
}

impl<R: BufRead> MboxReader<R> {
    /// `max_bytes`: messages larger than this are counted, not kept (`Body::TooLarge`).
    pub fn new(reader: R, max_bytes: usize, unescape: bool) -> Self {
        MboxReader {
            reader,
            offset: 0,
            pending: None,
            prev_blank: false,
            at_start: true,
            max_bytes,
            unescape,
            index: 0,
            done: false,
            head: Vec::with_capacity(HEAD),
        }
    }

    /// Reads one line: its first `HEAD` bytes into `self.head`, all of it appended to `body`
    /// when given. Returns the line's length (0 at the end of the stream).
    fn read_line(&mut self, mut body: Option<&mut Vec<u8>>) -> io::Result<usize> {
        self.head.clear();
        let mut len = 0;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            let (chunk, complete) = match memchr::memchr(b'\n', buf) {
                Some(i) => (buf.get(..=i).unwrap_or(buf), true),
                None => (buf, false),
            };
            let room = HEAD.saturating_sub(self.head.len());
            self.head
                .extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or_default());
            if let Some(b) = body.as_deref_mut() {
                b.extend_from_slice(chunk);
            }
            let n = chunk.len();
            self.reader.consume(n);
            len += n;
            self.offset += n as u64;
            if complete {
                break;
            }
        }
        Ok(len)
    }

    fn next_message(&mut self) -> io::Result<Option<MboxMessage>> {
        let mut body: Vec<u8> = Vec::new();
        let mut size: u64 = 0;
        let mut too_large = false;
        let mut start = self.pending.take();
        let mut offset = start.unwrap_or(self.offset);
        loop {
            let line_offset = self.offset;
            let line_start = body.len();
            let len = self.read_line((!too_large).then_some(&mut body))?;
            if len == 0 {
                self.done = true;
                break;
            }
            let may_separate = self.at_start || self.prev_blank;
            self.at_start = false;
            if may_separate && is_separator(&self.head) {
                body.truncate(line_start);
                if start.is_some() || size > 0 && !only_blank(&body, too_large) {
                    self.pending = Some(line_offset);
                    self.prev_blank = false;
                    break;
                }
                // The first separator, or blank lines before it: the message starts here.
                body.clear();
                size = 0;
                too_large = false;
                start = Some(line_offset);
                offset = line_offset;
                self.prev_blank = false;
                continue;
            }
            self.prev_blank = matches!(self.head.as_slice(), b"\n" | b"\r\n");
            size += len as u64;
            if too_large {
                continue;
            }
            if self.unescape && is_escaped_from(&self.head) {
                body.remove(line_start);
                size -= 1;
            }
            if body.len() > self.max_bytes {
                too_large = true;
                body = Vec::new();
            }
        }
        if start.is_none() && (size == 0 || only_blank(&body, too_large)) {
            return Ok(None);
        }
        // The empty line before the next separator is the format's, not the message's.
        if self.pending.is_some() && !too_large {
            if body.ends_with(b"\r\n\r\n") {
                body.truncate(body.len() - 2);
            } else if body.ends_with(b"\n\n") {
                body.truncate(body.len() - 1);
            }
        }
        self.index += 1;
        let body = if too_large {
            Body::TooLarge(size)
        } else {
            Body::Bytes(body)
        };
        Ok(Some(MboxMessage {
            offset,
            index: self.index,
            body,
        }))
    }
}

fn only_blank(body: &[u8], too_large: bool) -> bool {
    !too_large && body.iter().all(|b| b.is_ascii_whitespace())
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = io::Result<MboxMessage>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done || self.pending.is_some() {
            match self.next_message() {
                Ok(Some(m)) => return Some(Ok(m)),
                Ok(None) => continue,
                Err(e) => {
                    self.done = true;
                    self.pending = None;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

/// `>From `, `>>From `, ...: a body line an mboxrd writer escaped.
fn is_escaped_from(line: &[u8]) -> bool {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    quotes > 0 && line.get(quotes..).is_some_and(|l| l.starts_with(b"From "))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Whether `line` (its start, at least) is an mbox `From ` separator: see the module docs.
pub fn is_separator(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let Ok(rest) = std::str::from_utf8(rest.get(..rest.len().min(HEAD)).unwrap_or_default()) else {
        // A cut-off UTF-8 sequence at the end of the head: judge the valid part.
        let valid = match std::str::from_utf8(rest) {
            Err(e) => rest.get(..e.valid_up_to()).unwrap_or_default(),
            Ok(_) => rest,
        };
        return is_separator_text(&String::from_utf8_lossy(valid));
    };
    is_separator_text(rest)
}

fn is_separator_text(rest: &str) -> bool {
    let tokens: Vec<&str> = rest.split_ascii_whitespace().take(12).collect();
    // `From addr date` or, with the address missing, `From date`.
    tokens.get(1..).is_some_and(is_date) || is_date(&tokens)
}

fn is_date(tokens: &[&str]) -> bool {
    let mut t = tokens;
    if let Some(first) = t.first()
        && is_weekday(first.trim_end_matches(','))
    {
        t = t.get(1..).unwrap_or_default();
    }
    match t {
        // asctime: Mmm d hh:mm[:ss] [zone...] yyyy
        [month, day, time, rest @ ..] if is_month(month) && is_day(day) && is_time(time) => {
            rest.iter().take(3).any(|y| is_year(y))
        }
        // RFC 5322: d Mmm yyyy hh:mm[:ss]
        [day, month, year, time, ..] => {
            is_day(day) && is_month(month) && is_year(year) && is_time(time)
        }
        _ => false,
    }
}

fn is_weekday(t: &str) -> bool {
    t.len() == 3 && WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(t))
}

fn is_month(t: &str) -> bool {
    t.len() == 3 && MONTHS.iter().any(|m| m.eq_ignore_ascii_case(t))
}

fn is_day(t: &str) -> bool {
    (1..=2).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_digit())
        && t.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
}

fn is_year(t: &str) -> bool {
    t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit())
}

fn is_time(t: &str) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(data: &[u8], unescape: bool) -> Vec<(u64, Vec<u8>)> {
        MboxReader::new(data, 1 << 20, unescape)
            .map(|m| {
                let m = m.unwrap();
                match m.body {
                    Body::Bytes(b) => (m.offset, b),
                    Body::TooLarge(n) => panic!("too large: {n}"),
                }
            })
            .collect()
    }

    #[test]
    fn separators() {
        for yes in [
            "From a@b.example  Tue Jun 14 19:52:09 2005\n",
            "From MAILER-DAEMON Fri Jul  8 12:08:34 2011",
            "From - Mon Jan 1 00:00:00 2024\r\n",
            "From a@b Sat Nov 27 15:33:27 +0000 2004",
            "From a@b Nov 27 15:33 2004 remote from x",
            "From a@b Sat, 27 Nov 2004 15:33:27 +0000",
            "From  Tue Jun 14 19:52:09 2005",
        ] {
            assert!(is_separator(yes.as_bytes()), "{yes}");
        }
        for no in [
            "From here on, we meet at 10:30 in Jan 2024\n",
            "From: a@b.example\n",
            "from a@b Tue Jun 14 19:52:09 2005",
            "From a@b yesterday",
            "From a@b Tue Jun 44 19:52:09 2005",
            "From a@b Tue Jun 14 19:52:09",
            ">From a@b Tue Jun 14 19:52:09 2005",
            "From ",
            "From \u{3042} \u{3044}",
        ] {
            assert!(!is_separator(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn splits_only_at_separators_after_an_empty_line() {
        let data = b"From a@x Tue Jun 14 19:52:09 2005\nSubject: one\n\nFrom here on, all is well.\nFrom b@x Tue Jun 14 19:52:09 2005 is quoted\n> From c@x Tue Jun 14 19:52:09 2005\n\nFrom d@x Wed Jun 15 01:02:03 2005\nSubject: two\n\nbody\n";
        let msgs = split(data, false);
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert_eq!(msgs[0].0, 0);
        assert!(msgs[0].1.starts_with(b"Subject: one\n"));
        assert!(
            msgs[0].1.ends_with(b"2005\n"),
            "the format's empty line is dropped"
        );
        assert!(msgs[0].1.windows(13).any(|w| w == b"From here on,"));
        let second = data.windows(5).rposition(|w| w == b"From ").unwrap();
        assert_eq!(msgs[1].0, second as u64);
        assert_eq!(msgs[1].1, b"Subject: two\n\nbody\n");
    }

    #[test]
    fn mboxrd_unescaping_is_optional() {
        let data = b"From a@x Tue Jun 14 19:52:09 2005\n\n>From the start\n>>From quoted\n";
        assert_eq!(
            split(data, false)[0].1,
            b"\n>From the start\n>>From quoted\n"
        );
        assert_eq!(split(data, true)[0].1, b"\nFrom the start\n>From quoted\n");
    }

    #[test]
    fn crlf_and_truncated_and_headerless_starts() {
        let data = b"From a@x Tue Jun 14 19:52:09 2005\r\nSubject: a\r\n\r\nx\r\n\r\nFrom b@x Tue Jun 14 19:52:09 2005\r\nSubject: b\r\n\r\ncut in the mid";
        let msgs = split(data, false);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].1, b"Subject: a\r\n\r\nx\r\n");
        assert_eq!(msgs[1].1, b"Subject: b\r\n\r\ncut in the mid");
        // Content before the first separator is a message of its own; blank lines are not.
        let msgs = split(
            b"Subject: lead\n\nx\n\nFrom a@x Tue Jun 14 19:52:09 2005\nS: b\n",
            false,
        );
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].0, 0);
        assert_eq!(msgs[1].0, 18);
        let msgs = split(b"\n\n\nFrom a@x Tue Jun 14 19:52:09 2005\nS: b\n", false);
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].0, 3);
        assert!(split(b"", false).is_empty());
        assert!(split(b"\n \n", false).is_empty());
    }

    #[test]
    fn oversized_messages_are_counted_not_kept() {
        let mut data = b"From a@x Tue Jun 14 19:52:09 2005\nSubject: big\n\n".to_vec();
        data.extend(std::iter::repeat_n(b'y', 5000));
        data.extend_from_slice(b"\n\nFrom b@x Tue Jun 14 19:52:09 2005\nSubject: small\n\nz\n");
        let msgs: Vec<MboxMessage> = MboxReader::new(&data[..], 1000, false)
            .map(Result::unwrap)
            .collect();
        assert_eq!(msgs.len(), 2);
        assert!(matches!(msgs[0].body, Body::TooLarge(n) if n > 5000));
        assert!(matches!(&msgs[1].body, Body::Bytes(b) if b == b"Subject: small\n\nz\n"));
        assert_eq!(msgs[1].index, 2);
    }

    #[test]
    fn a_line_without_newline_longer_than_the_head_is_fine() {
        let mut data = b"From a@x Tue Jun 14 19:52:09 2005\n".to_vec();
        data.extend(std::iter::repeat_n(b'F', 100_000));
        let msgs = split(&data, false);
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].1.len(), 100_000);
    }
}
