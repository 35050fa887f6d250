//! 7z (sevenz-rust2, pure Rust): names from the header, contents of unencrypted blocks within the
//! budget, encryption of contents (AES-256 coders) and of the header itself (no names at all).

use super::{Counting, Lister, Stop};
use crate::message::Attachment;
use crate::message::opener::{Budget, Opened};
use sevenz_rust2::{Archive, BlockDecoder, Error, Password};

/// `7z\xBC\xAF\x27\x1C`
const SIGNATURE: &[u8] = &[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C];
/// Dictionary and header buffers a 7z may make the decoder allocate, each: 7-Zip's "ultra"
/// preset uses 64 MiB.
const MEMORY_LIMIT_KB: usize = 96 * 1024;

pub fn is_7z(data: &[u8]) -> bool {
    data.starts_with(SIGNATURE)
}

pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    if !is_7z(&att.data) {
        return false;
    }
    let mut list = Lister::new(att, budget, out, "7z");
    let mut source = Counting::new(&att.data);
    let counter = source.counter();
    let password = Password::empty();
    let archive = match Archive::read_with_memory_limit(&mut source, &password, MEMORY_LIMIT_KB) {
        Ok(a) => a,
        Err(Error::PasswordRequired | Error::MaybeBadPassword(_)) => {
            list.names_encrypted();
            list.finish();
            return true;
        }
        Err(e) => {
            list.unreadable(e);
            list.finish();
            return true;
        }
    };
    // The child each file became, by file index.
    let mut child_of: Vec<Option<usize>> = vec![None; archive.files.len()];
    for (i, file) in archive.files.iter().enumerate() {
        let name = file.name().to_string();
        if file.is_directory() {
            list.directory(&name);
            continue;
        }
        if file.is_anti_item() {
            continue;
        }
        if !list.room() {
            break;
        }
        child_of[i] = Some(if archive.is_file_encrypted(i) {
            list.add_encrypted(name)
        } else {
            list.add(name, Vec::new())
        });
    }
    let first_files = &archive.stream_map.block_first_file_index;
    for block in 0..archive.blocks.len() {
        if !list.can_extract() {
            break;
        }
        let first = first_files.get(block).copied().unwrap_or(usize::MAX);
        if archive.is_file_encrypted(first) {
            continue;
        }
        let decoder = BlockDecoder::new_with_memory_limit(
            1,
            MEMORY_LIMIT_KB,
            block,
            &archive,
            &password,
            &mut source,
        );
        let mut index = first;
        let result = decoder.for_each_entries(&mut |entry, reader| {
            // Entries come in file order from the block's first file on.
            while archive
                .files
                .get(index)
                .is_some_and(|f| !std::ptr::eq(f, entry))
            {
                index += 1;
            }
            let Some(child) = child_of.get(index).copied().flatten() else {
                index += 1;
                return Ok(list.can_extract());
            };
            index += 1;
            let start = counter.get();
            let consumed = || counter.get().saturating_sub(start);
            let data = list.extract(entry.name(), reader, &consumed, true);
            list.set_data(child, data);
            // Past a limit, the rest of a solid block is not decoded.
            Ok(list.stopped().is_none())
        });
        if let Err(e) = result
            && list.stopped() != Some(Stop::Ratio)
        {
            list.unreadable(e);
            break;
        }
    }
    list.finish();
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use sevenz_rust2::encoder_options::AesEncoderOptions;
    use sevenz_rust2::{ArchiveEntry, ArchiveWriter, EncoderMethod};

    pub(crate) fn seven_z(
        files: &[(&str, &[u8])],
        password: Option<&str>,
        encrypt_header: bool,
    ) -> Vec<u8> {
        let mut w = ArchiveWriter::new(std::io::Cursor::new(Vec::new())).unwrap();
        if let Some(p) = password {
            w.set_content_methods(vec![
                AesEncoderOptions::new(Password::from(p)).into(),
                EncoderMethod::LZMA2.into(),
            ]);
        }
        w.set_encrypt_header(encrypt_header);
        for (name, data) in files {
            w.push_archive_entry(ArchiveEntry::new_file(name), Some(*data))
                .unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn open_7z(data: Vec<u8>) -> Opened {
        let att = Attachment {
            location: "2/a.7z".into(),
            name: Some("a.7z".into()),
            data,
            ..Attachment::default()
        };
        let mut out = Opened::default();
        let mut budget = Budget::new(&crate::config::Limits::default());
        assert!(open(&att, &mut budget, &mut out));
        out
    }

    fn rules(o: &Opened) -> Vec<&str> {
        o.findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn names_and_contents_are_listed() {
        let o = open_7z(seven_z(
            &[("見積書.pdf.exe", b"MZ\x90\0"), ("a.txt", b"hello")],
            None,
            false,
        ));
        assert!(o.findings.is_empty(), "{:?}", o.findings);
        assert_eq!(o.children.len(), 2);
        assert_eq!(o.children[0].name.as_deref(), Some("見積書.pdf.exe"));
        assert_eq!(o.children[0].data, b"MZ\x90\0");
        assert_eq!(o.children[1].data, b"hello");
    }

    #[test]
    fn encrypted_contents_keep_their_names() {
        let o = open_7z(seven_z(&[("invoice.lnk", b"L\0\0\0")], Some("1234"), false));
        assert_eq!(rules(&o), ["ARCHIVE_ENCRYPTED"]);
        assert!(o.encrypted);
        assert_eq!(o.children[0].name.as_deref(), Some("invoice.lnk"));
        assert!(o.children[0].data.is_empty());
    }

    #[test]
    fn an_encrypted_header_hides_the_names() {
        let o = open_7z(seven_z(&[("invoice.lnk", b"L\0\0\0")], Some("1234"), true));
        assert_eq!(rules(&o), ["ARCHIVE_ENCRYPTED_NAMES"]);
        assert!(o.encrypted);
        assert!(o.children.is_empty());
    }

    #[test]
    fn extraction_stops_at_the_budget_and_names_stay_listed() {
        // The ratio stop is shared with zip and gzip (tested there); LZMA-encoding megabytes in
        // a debug build is slow, so this spends a small budget instead.
        let zeros = vec![0u8; 300_000];
        let att = Attachment {
            location: "2/a.7z".into(),
            name: Some("a.7z".into()),
            data: seven_z(&[("z.bin", &zeros), ("after.exe", b"MZ")], None, false),
            ..Attachment::default()
        };
        let mut budget = Budget {
            bytes_left: 100_000,
            entries_left: 10,
            ..Budget::new(&crate::config::Limits::default())
        };
        let mut out = Opened::default();
        assert!(open(&att, &mut budget, &mut out));
        assert_eq!(rules(&out), ["ARCHIVE_LIMIT"]);
        assert_eq!(out.children.len(), 2);
        assert_eq!(out.children[0].data.len(), 100_000);
        assert_eq!(budget.bytes_left, 0);
    }

    #[test]
    fn broken_7z_is_unreadable() {
        let mut z = seven_z(&[("a.txt", b"hello")], None, false);
        z.truncate(20);
        let o = open_7z(z);
        assert_eq!(rules(&o), ["ARCHIVE_UNREADABLE"]);
    }
}
