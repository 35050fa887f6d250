//! Outlook data files (`.pst`, and `.ost` where the layout is the same) for `scan`: every
//! folder under the store's top, every item in each, read with Microsoft's `outlook-pst` crate
//! into the shared Outlook item model and handed on as an Internet message, located as
//! `store.pst:Inbox/Sub/3` (folder path, then the item's number in it, from 1).
//!
//! The store is opened read-only (the crate's own `open` asks for write access; a scan never
//! writes a user's mailbox). A store's password is not a barrier: Outlook alone checks it, the
//! data is not encrypted by it. A reader panic on a damaged store ends that store with an error
//! line, not the run.

use super::source::{Location, Payload};
use crate::message::mapi::{self, Item, Part, tag};
use outlook_pst::ltp::prop_context::PropertyValue;
use outlook_pst::messaging::attachment::AttachmentData;
use outlook_pst::messaging::folder::Folder as _;
use outlook_pst::messaging::message::Message as _;
use outlook_pst::ndb::node_id::NodeId;
use std::collections::HashSet;
use std::io::{Read, Seek};
use std::ops::ControlFlow;
use std::path::Path;
use std::rc::Rc;

/// The first bytes of a PST or OST file.
pub const MAGIC: &[u8; 4] = b"!BDN";
/// Folders walked into, at most.
const MAX_FOLDER_DEPTH: usize = 64;
/// Folders read in one store, at most (a damaged hierarchy could list itself).
const MAX_FOLDERS: usize = 100_000;

/// Whether a file starting with `prefix` is an Outlook data file.
pub fn is_pst(prefix: &[u8]) -> bool {
    prefix.starts_with(MAGIC)
}

/// Reads every item of the store at `path` and hands each to `emit`.
pub fn walk(
    path: &Path,
    max_message_bytes: usize,
    emit: &mut dyn FnMut(Location, Payload) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let source = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return emit(Location::file(source), Payload::Unreadable(e.to_string())),
    };
    walk_reader(source, file, max_message_bytes, emit)
}

/// `walk` over any reader of a store (a file, or bytes in memory in the tests).
pub fn walk_reader<R: Read + Seek + 'static>(
    source: String,
    reader: R,
    max_message_bytes: usize,
    emit: &mut dyn FnMut(Location, Payload) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut walker = Walker {
        source: source.clone(),
        max_message_bytes,
        emit,
        folders: 0,
        seen: HashSet::new(),
        stopped: false,
        found: 0,
        skipped: 0,
    };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| walker.store(reader)));
    if walker.stopped {
        return ControlFlow::Break(());
    }
    let error = match run {
        Ok(Ok(())) if walker.found > 0 => return ControlFlow::Continue(()),
        Ok(Ok(())) => format!(
            "no mail items found in this Outlook data file ({} other items, such as contacts \
             or calendar entries, skipped)",
            walker.skipped
        ),
        Ok(Err(e)) => format!("cannot read this Outlook data file: {e}"),
        Err(_) => "cannot read this Outlook data file: the PST reader failed on damaged data \
                   (items before the damage were scanned)"
            .to_string(),
    };
    (walker.emit)(Location::file(source), Payload::Unreadable(error))
}

struct Walker<'e> {
    source: String,
    max_message_bytes: usize,
    emit: &'e mut dyn FnMut(Location, Payload) -> ControlFlow<()>,
    folders: usize,
    seen: HashSet<u32>,
    /// `emit` asked to stop.
    stopped: bool,
    /// Items handed on.
    found: usize,
    /// Items that are not mail (contacts, calendar...), skipped.
    skipped: usize,
}

impl Walker<'_> {
    fn store<R: Read + Seek + 'static>(&mut self, mut reader: R) -> std::io::Result<()> {
        // The header's version says which flavour: 14 and 15 ANSI, 23 and 36 Unicode.
        let mut head = [0u8; 12];
        reader.read_exact(&mut head)?;
        reader.rewind()?;
        if !is_pst(&head) {
            return Err(std::io::Error::other("not an Outlook data file"));
        }
        match u16::from_le_bytes([head[10], head[11]]) {
            14 | 15 => ansi::run(self, Box::new(reader)),
            _ => unicode::run(self, Box::new(reader)),
        }
    }

    /// Hands on one item; false when the walk is to stop.
    fn item(&mut self, folder: &str, n: usize, read: std::io::Result<Item>) -> bool {
        let location = Location {
            source: self.source.clone(),
            offset: None,
            item: Some(if folder.is_empty() {
                n.to_string()
            } else {
                format!("{folder}/{n}")
            }),
        };
        let payload = match read {
            Ok(item) => {
                let mime = mapi::to_mime(&item);
                if mime.len() > self.max_message_bytes {
                    Payload::TooLarge(mime.len() as u64)
                } else {
                    Payload::Bytes(mime)
                }
            }
            Err(e) => Payload::Unreadable(format!("cannot read this item: {e}")),
        };
        self.found += 1;
        if (self.emit)(location, payload).is_break() {
            self.stopped = true;
        }
        !self.stopped
    }

    /// Whether another folder may be walked into (each once, a bounded number in all).
    fn enter(&mut self, node: u32) -> bool {
        self.folders += 1;
        self.folders <= MAX_FOLDERS && self.seen.insert(node)
    }
}

/// Message classes that are not mail (calendar, contacts, tasks, notes, journal): skipped.
fn is_mail(class: Option<&str>) -> bool {
    let Some(class) = class else { return true };
    let c = class.to_ascii_lowercase();
    ![
        "ipm.contact",
        "ipm.distlist",
        "ipm.appointment",
        "ipm.task",
        "ipm.stickynote",
        "ipm.activity",
        "ipm.configuration",
        "ipm.microsoft",
    ]
    .iter()
    .any(|p| c.starts_with(p))
}

/// A property as text (8-bit or Unicode).
fn text(v: Option<&PropertyValue>) -> Option<String> {
    match v? {
        PropertyValue::String8(s) => Some(s.to_string()),
        PropertyValue::Unicode(s) => Some(s.to_string()),
        _ => None,
    }
}

/// An item's own properties in a store, through the crate's accessor.
struct View<'g>(&'g dyn Fn(u16) -> Option<PropertyValue>);

impl mapi::Props for View<'_> {
    fn text(&mut self, id: u16) -> Option<String> {
        text(self.0(id).as_ref()).map(|t| t.trim_end_matches('\0').to_string())
    }

    fn binary(&mut self, id: u16, max: usize) -> Option<Vec<u8>> {
        match self.0(id) {
            Some(PropertyValue::Binary(b)) if b.buffer().len() <= max => Some(b.buffer().to_vec()),
            _ => None,
        }
    }

    fn time(&mut self, id: u16) -> Option<i64> {
        match self.0(id) {
            Some(PropertyValue::Time(t)) => u64::try_from(t).ok().and_then(mapi::filetime_to_unix),
            _ => None,
        }
    }

    fn long(&mut self, id: u16) -> Option<u32> {
        match self.0(id) {
            Some(PropertyValue::Integer32(c)) => u32::try_from(c).ok(),
            _ => None,
        }
    }
}

/// An item's own properties (not its attachments) in the shared model.
fn item_of(get: &dyn Fn(u16) -> Option<PropertyValue>) -> Item {
    mapi::item_from(&mut View(get))
}

/// The walk over one PST flavour (Unicode, the format since Outlook 2003, or ANSI, Outlook
/// 97–2002): the crate gives each its own types with the same methods.
macro_rules! flavour {
    ($module:ident, $file:ty, $store:ty, $folder:ty, $message:ty, $attachment:ty) => {
        mod $module {
            use super::*;
            use outlook_pst::messaging::attachment::Attachment as _;
            use outlook_pst::messaging::store::{EntryId, Store as _};

            pub(super) fn run(
                w: &mut Walker<'_>,
                reader: Box<dyn outlook_pst::PstReader>,
            ) -> std::io::Result<()> {
                let store = <$store>::read(Rc::new(<$file>::read_from(reader)?))?;
                let top = store.properties().ipm_sub_tree_entry_id()?;
                w.enter(u32::from(top.node_id()));
                folder(w, &store, &top, None, 0)
            }

            /// A folder's items, then its subfolders; `path` is the parent's path (`None` for
            /// the top, which is not named in locations).
            fn folder(
                w: &mut Walker<'_>,
                store: &Rc<$store>,
                entry: &EntryId,
                path: Option<&str>,
                depth: usize,
            ) -> std::io::Result<()> {
                let f = <$folder>::read(store.clone(), entry)?;
                let here = match path {
                    None => String::new(),
                    Some(parent) => {
                        let name = f.properties().display_name().unwrap_or_default();
                        let name = name.replace('/', "\u{2215}");
                        if parent.is_empty() {
                            name
                        } else {
                            format!("{parent}/{name}")
                        }
                    }
                };
                if let Some(table) = f.contents_table() {
                    let mut n = 0;
                    // The message class from the table, so that contacts and calendar items
                    // (which the crate may not open) are skipped before they are read.
                    let context = table.context();
                    let class_col = context.columns().iter().position(|c| c.prop_id() == 0x001A);
                    for row in table.rows_matrix() {
                        if let Some(col) = class_col {
                            let class = row
                                .columns(context)
                                .ok()
                                .and_then(|cols| cols.get(col).cloned().flatten())
                                .and_then(|v| {
                                    table
                                        .read_column(&v, context.columns()[col].prop_type())
                                        .ok()
                                });
                            if !is_mail(text(class.as_ref()).as_deref()) {
                                w.skipped += 1;
                                continue;
                            }
                        }
                        let node = NodeId::from(u32::from(row.id()));
                        let read = store
                            .properties()
                            .make_entry_id(node)
                            .and_then(|id| <$message>::read(store.clone(), &id, None));
                        let read = match read {
                            Ok(m) => {
                                let props = m.properties();
                                let class = text(props.get(0x001A));
                                if !is_mail(class.as_deref()) {
                                    w.skipped += 1;
                                    continue;
                                }
                                Ok(message_item(&m))
                            }
                            Err(e) => Err(e),
                        };
                        n += 1;
                        if !w.item(&here, n, read) {
                            return Ok(());
                        }
                    }
                }
                if depth >= MAX_FOLDER_DEPTH {
                    return Ok(());
                }
                if let Some(table) = f.hierarchy_table() {
                    for row in table.rows_matrix() {
                        let id = u32::from(row.id());
                        if !w.enter(id) {
                            continue;
                        }
                        let Ok(entry) = store.properties().make_entry_id(NodeId::from(id)) else {
                            continue;
                        };
                        // A subfolder that cannot be read does not end the store.
                        let _ = folder(w, store, &entry, Some(&here), depth + 1);
                        if w.stopped {
                            return Ok(());
                        }
                    }
                }
                Ok(())
            }

            /// An item with its attachments; an attached item's own properties are read (the
            /// crate opens attachments of top-level items only).
            fn message_item(m: &Rc<$message>) -> Item {
                let props = m.properties();
                let mut item = item_of(&|id| props.get(id).cloned());
                let Some(table) = m.attachment_table() else {
                    return item;
                };
                for row in table.rows_matrix() {
                    let node = NodeId::from(u32::from(row.id()));
                    let Ok(a) = <$attachment>::read(m.clone(), node, None) else {
                        continue;
                    };
                    let ap = a.properties();
                    let name = [
                        tag::ATTACH_LONG_FILENAME,
                        tag::ATTACH_FILENAME,
                        tag::DISPLAY_NAME,
                    ]
                    .into_iter()
                    .find_map(|t| text(ap.get(t)).filter(|n| !n.trim().is_empty()));
                    let mut part = Part {
                        name,
                        mime_type: text(ap.get(tag::ATTACH_MIME_TAG)),
                        ..Part::default()
                    };
                    match a.data() {
                        Some(AttachmentData::Binary(b)) => part.data = b.buffer().to_vec(),
                        Some(AttachmentData::Message(inner)) => {
                            let ip = inner.properties();
                            part.item = Some(Box::new(item_of(&|id| ip.get(id).cloned())));
                        }
                        None => {}
                    }
                    item.attachments.push(part);
                }
                item
            }
        }
    };
}

flavour!(
    unicode,
    outlook_pst::UnicodePstFile,
    outlook_pst::messaging::store::UnicodeStore,
    outlook_pst::messaging::folder::UnicodeFolder,
    outlook_pst::messaging::message::UnicodeMessage,
    outlook_pst::messaging::attachment::UnicodeAttachment
);
flavour!(
    ansi,
    outlook_pst::AnsiPstFile,
    outlook_pst::messaging::store::AnsiStore,
    outlook_pst::messaging::folder::AnsiFolder,
    outlook_pst::messaging::message::AnsiMessage,
    outlook_pst::messaging::attachment::AnsiAttachment
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// The empty store Microsoft ships with the crate (see tests/outlook/README.md).
    const EMPTY: &[u8] = include_bytes!("../../tests/outlook/empty.pst");

    fn walk_bytes(data: Vec<u8>) -> Vec<(Location, Payload)> {
        let mut got = Vec::new();
        let mut emit = |l: Location, p: Payload| {
            got.push((l, p));
            ControlFlow::Continue(())
        };
        let _ = walk_reader("t.pst".into(), Cursor::new(data), 1 << 20, &mut emit);
        got
    }

    #[test]
    fn an_empty_store_says_it_has_no_mail() {
        assert!(is_pst(EMPTY));
        let got = walk_bytes(EMPTY.to_vec());
        assert_eq!(got.len(), 1);
        match &got[0].1 {
            Payload::Unreadable(why) => assert!(why.contains("no mail items"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn locations_name_the_folder_path_and_item() {
        let loc = Location {
            source: "a.pst".into(),
            offset: None,
            item: Some("Inbox/Projects/3".into()),
        };
        assert_eq!(loc.display(), "a.pst:Inbox/Projects/3");
    }

    #[test]
    fn mail_classes_are_read_and_the_others_skipped() {
        for class in [
            None,
            Some("IPM.Note"),
            Some("IPM.Note.SMIME"),
            Some("REPORT.IPM.Note.NDR"),
        ] {
            assert!(is_mail(class), "{class:?}");
        }
        for class in ["IPM.Contact", "IPM.DistList", "IPM.Appointment", "ipm.task"] {
            assert!(!is_mail(Some(class)), "{class}");
        }
    }

    /// Damaged stores (truncated, bytes changed anywhere, the header's sizes forged): an error
    /// line for the store, never a panic out of the walk.
    #[test]
    fn damaged_stores_end_with_an_error_not_a_panic() {
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut inputs: Vec<Vec<u8>> = [4, 12, 100, 511, 4096, EMPTY.len() / 2]
            .iter()
            .map(|&n| EMPTY[..n].to_vec())
            .collect();
        for _ in 0..300 {
            let mut data = EMPTY.to_vec();
            for _ in 0..1 + rand() % 32 {
                // Mostly the header and the first pages, where the B-trees start.
                let range = if rand() % 2 == 0 { 1024 } else { data.len() };
                let at = 4 + (rand() as usize) % (range - 4);
                data[at] = rand() as u8;
            }
            inputs.push(data);
        }
        for data in inputs {
            let got = walk_bytes(data);
            assert!(!got.is_empty());
        }
    }
}
