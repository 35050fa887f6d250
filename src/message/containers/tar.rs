//! tar (POSIX ustar, GNU, pax): regular files become children; compressed tars come here as
//! the child of the gzip opener.

use super::{Counting, Lister, decode_name};
use crate::message::Attachment;
use crate::message::opener::{Budget, Opened};

/// The `ustar` magic of POSIX and GNU headers (old v7 tars have none and are not opened).
pub fn is_tar(data: &[u8]) -> bool {
    data.get(257..262) == Some(b"ustar")
}

pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    if !is_tar(&att.data) {
        return false;
    }
    let mut list = Lister::new(att, budget, out, "tar");
    let reader = Counting::new(&att.data);
    let counter = reader.counter();
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            list.unreadable(e);
            list.finish();
            return true;
        }
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // Entries listed so far stay; a broken tail is reported.
                list.unreadable(e);
                break;
            }
        };
        let name = decode_name(&entry.path_bytes());
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            list.directory(&name);
            continue;
        }
        if !(kind.is_file() || kind.is_contiguous() || kind.is_gnu_sparse()) {
            continue;
        }
        if !list.room() {
            break;
        }
        let start = counter.get();
        let consumed = || counter.get().saturating_sub(start);
        // Sparse files expand holes into zeros: the ratio applies to tar too.
        let data = list.extract(&name, &mut entry, &consumed, true);
        list.add(name, data);
    }
    list.finish();
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            b.append_data(&mut h, name, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    fn open_tar(data: Vec<u8>) -> Opened {
        let att = Attachment {
            location: "2/a.tar".into(),
            name: Some("a.tar".into()),
            data,
            ..Attachment::default()
        };
        let mut out = Opened::default();
        let mut budget = Budget::new(&crate::config::Limits::default());
        assert!(open(&att, &mut budget, &mut out));
        out
    }

    #[test]
    fn files_are_children_with_long_and_japanese_names() {
        let long = format!("{}/請求書.pdf.scr", "d".repeat(150));
        let t = tar_of(&[("a.txt", b"hello"), (&long, b"MZ")]);
        let o = open_tar(t);
        assert!(o.findings.is_empty(), "{:?}", o.findings);
        assert_eq!(o.children.len(), 2);
        assert_eq!(o.children[1].name.as_deref(), Some(long.as_str()));
        assert_eq!(o.children[1].data, b"MZ");
    }

    #[test]
    fn traversal_in_a_tar_is_reported() {
        // The tar crate's builder refuses `..`, so write the name into the header by hand.
        let mut t = tar_of(&[("xxxxxxxxxxxxxxxx.sh", b"echo")]);
        t[..16].copy_from_slice(b"../../.bashrc\0\0\0");
        let mut h = tar::Header::from_byte_slice(&t[..512]).clone();
        h.set_cksum();
        t[..512].copy_from_slice(h.as_bytes());
        let o = open_tar(t);
        assert_eq!(o.findings[0].rule, "ARCHIVE_PATH_TRAVERSAL");
    }

    #[test]
    fn a_truncated_tar_does_not_panic() {
        let mut t = tar_of(&[("a.txt", &[b'a'; 2000]), ("b.txt", b"b")]);
        t.truncate(900);
        let o = open_tar(t);
        assert!(o.children.len() <= 1);
    }
}
