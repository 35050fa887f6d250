//! gzip: one compressed file (concatenated members read as one), the child named as the header
//! says or as the gzip's own name without `.gz` (`a.tgz` → `a.tar`, then opened as a tar).

use super::{Counting, Lister, decode_name};
use crate::message::Attachment;
use crate::message::opener::{Budget, Opened};
use flate2::read::MultiGzDecoder;

/// The gzip magic and the deflate method.
pub fn is_gzip(data: &[u8]) -> bool {
    data.starts_with(&[0x1f, 0x8b, 0x08])
}

pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    if !is_gzip(&att.data) {
        return false;
    }
    let mut list = Lister::new(att, budget, out, "gzip");
    let reader = Counting::new(&att.data);
    let counter = reader.counter();
    let mut gz = MultiGzDecoder::new(reader);
    let fallback = inner_name(att.name.as_deref());
    if list.room() {
        let consumed = || counter.get();
        let data = list.extract(&fallback, &mut gz, &consumed, true);
        match gz.header() {
            Some(header) => {
                let name = header
                    .filename()
                    .map(decode_name)
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or(fallback);
                list.add(name, data);
            }
            None => list.unreadable("not a valid gzip header"),
        }
    }
    list.finish();
    true
}

/// The name of what a gzip file holds, from the gzip's own name.
fn inner_name(outer: Option<&str>) -> String {
    let Some(outer) = outer.filter(|n| !n.is_empty()) else {
        return "data".into();
    };
    let lower = outer.to_ascii_lowercase();
    for (ext, replace) in [(".tgz", ".tar"), (".taz", ".tar"), (".gz", ""), (".z", "")] {
        if lower.ends_with(ext) && outer.is_char_boundary(outer.len() - ext.len()) {
            return format!("{}{replace}", &outer[..outer.len() - ext.len()]);
        }
    }
    format!("{outer}.out")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::{Compression, GzBuilder};
    use std::io::Write;

    pub(crate) fn gzip_of(name: Option<&str>, data: &[u8]) -> Vec<u8> {
        let mut b = GzBuilder::new();
        if let Some(n) = name {
            b = b.filename(n);
        }
        let mut w = b.write(Vec::new(), Compression::default());
        w.write_all(data).unwrap();
        w.finish().unwrap()
    }

    fn open_named(name: &str, data: Vec<u8>) -> Opened {
        let att = Attachment {
            location: format!("2/{name}"),
            name: Some(name.into()),
            data,
            ..Attachment::default()
        };
        let mut out = Opened::default();
        let mut budget = Budget::new(&crate::config::Limits::default());
        assert!(open(&att, &mut budget, &mut out));
        out
    }

    #[test]
    fn the_member_is_the_child_named_by_the_header_or_the_file() {
        let o = open_named("x.gz", gzip_of(Some("報告書.exe"), b"MZ\x90"));
        assert_eq!(o.children[0].name.as_deref(), Some("報告書.exe"));
        assert_eq!(o.children[0].data, b"MZ\x90");
        let o = open_named("backup.tgz", gzip_of(None, b"abc"));
        assert_eq!(o.children[0].name.as_deref(), Some("backup.tar"));
        let o = open_named("Notes.TXT.GZ", gzip_of(None, b"abc"));
        assert_eq!(o.children[0].name.as_deref(), Some("Notes.TXT"));
        assert!(o.findings.is_empty());
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_ratio() {
        let mut w = GzBuilder::new().write(Vec::new(), Compression::fast());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..12 {
            w.write_all(&zeros).unwrap();
        }
        let o = open_named("z.gz", w.finish().unwrap());
        assert_eq!(o.findings[0].rule, "ARCHIVE_LIMIT");
        assert!(o.children[0].data.len() < 10 << 20);
    }

    #[test]
    fn a_truncated_gzip_keeps_what_came_out() {
        let mut g = gzip_of(None, &[b'a'; 5000]);
        g.truncate(g.len() / 2);
        let o = open_named("a.gz", g);
        assert_eq!(o.children.len(), 1);
        let o = open_named("b.gz", vec![0x1f, 0x8b, 0x08]);
        assert_eq!(o.findings[0].rule, "ARCHIVE_UNREADABLE");
    }
}
