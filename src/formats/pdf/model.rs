//! The object model (lopdf): what the document does when opened, which scripts it carries,
//! what it launches, which files it embeds, where its links go, and whether its single page is
//! nothing but a link. lopdf's lenient loader repairs broken cross-reference data.
//!
//! Bounded throughout: object streams are not decoded by lopdf during loading (a load filter
//! renames their type) but here, one by one, against the decompression budget and an object
//! cap; every other stream is decoded with a per-stream limit that is also charged to the
//! budget; walks over the object graph count their steps; a panic in lopdf is caught.

use lopdf::content::Content;
use lopdf::xref::{XrefEntry, XrefRecovery};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, ObjectStream, Stream};
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Largest single stream lopdf may decompress while loading (cross-reference streams).
const MAX_STREAM_DECODE: usize = 8 * 1024 * 1024;
/// Largest object stream decoded here; larger ones are skipped (and said so).
const MAX_OBJSTM_DECODE: usize = 8 * 1024 * 1024;
/// Objects in the document once object streams are read, at most: each costs a few hundred
/// bytes in lopdf's model, and an 8 MiB object stream can list over a million.
pub const MAX_OBJECTS: usize = 100_000;
/// Dictionaries and arrays the walk over the whole document visits, at most.
const MAX_NODES: usize = 2_000_000;
/// Pages whose actions and annotations are looked at.
const MAX_PAGES: usize = 2_000;
/// Scripts kept, and characters kept of each (a script is judged on its first part).
const MAX_SCRIPTS: usize = 200;
const MAX_SCRIPT_CHARS: usize = 256 * 1024;
/// A script stream larger than this decoded is cut to it.
const MAX_SCRIPT_DECODE: usize = 4 * 1024 * 1024;
/// Embedded files extracted, and the size of each.
const MAX_EMBEDDED: usize = 100;
const MAX_EMBEDDED_BYTES: usize = 32 * 1024 * 1024;
/// Links kept per document.
pub const MAX_URIS: usize = 200;
/// Launch actions kept.
const MAX_LAUNCHES: usize = 20;
/// Page content decoded to judge how much text a one-page document shows.
const MAX_PAGE_DECODE: usize = 4 * 1024 * 1024;
/// Characters of shown text (non-zero bytes of the strings shown, so two-byte CID text counts
/// by glyph) under which a one-page document with a link is "just a link".
pub const LURE_MAX_TEXT: usize = 400;
/// With a button-sized link (at least `LURE_BUTTON_HEIGHT` points high and
/// `LURE_BUTTON_AREA` square points: taller than a line of linked text), a short paragraph
/// around it ("your document is ready, click below to view it") is still a lure.
pub const LURE_MAX_TEXT_WITH_BUTTON: usize = 1_200;
pub const LURE_BUTTON_HEIGHT: f32 = 20.0;
pub const LURE_BUTTON_AREA: f32 = 2_000.0;
/// Actions followed through `/Next` from one trigger.
const MAX_ACTION_CHAIN: usize = 64;

/// The type given to object streams so that lopdf leaves them for us to decode.
const DEFERRED_OBJSTM: &[u8] = b"LurescreenDeferredObjStm";

/// A script and what runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// What runs it without the reader doing anything (`/OpenAction`, `/AA /O of page 1`);
    /// `None` for scripts run by a click, a form field or the document-level name tree.
    pub autorun: Option<String>,
    pub text: String,
}

/// A `/Launch` action: the program or file it opens, and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Launch {
    pub target: String,
    pub params: String,
}

/// A file embedded in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedded {
    pub name: Option<String>,
    /// Empty when it could not be extracted (over the limits, undecodable).
    pub data: Vec<u8>,
}

/// What the object model showed.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub pages: usize,
    /// How lopdf repaired the cross-reference data, if it had to.
    pub repaired: Option<&'static str>,
    /// Encrypted (with or without a user password).
    pub encrypted: bool,
    /// Encrypted with a password we do not have: the objects could not be read.
    pub needs_password: bool,
    pub scripts: Vec<Script>,
    pub launches: Vec<Launch>,
    pub embedded: Vec<Embedded>,
    pub uris: Vec<String>,
    /// Web addresses opened without a click (a URI or SubmitForm action under /OpenAction, a
    /// page's /AA /O, an annotation's /AA /PO or /PV), with the trigger.
    pub auto_uris: Vec<(String, String)>,
    /// The link of a one-page document that shows almost nothing but that link.
    pub lure: Option<String>,
    /// What could not be analysed, in English (technical detail for the report).
    pub partial: Vec<String>,
}

/// Loads `data` with lopdf and reads what matters. `bytes_left` is the decompression budget
/// (shared with the rest of the message); what is decoded here is taken from it. `extract`
/// asks for the embedded files' contents too.
pub fn analyse(data: &[u8], bytes_left: &mut u64, extract: bool) -> Result<Model, String> {
    let doc = load(data, *bytes_left)?;
    let mut model = Model {
        repaired: doc.xref_recovery.map(|r| match r {
            XrefRecovery::OffsetCorrected => "offset corrected",
            XrefRecovery::Reconstructed => "reconstructed",
            _ => "repaired",
        }),
        ..Model::default()
    };
    let mut doc = doc;
    model.needs_password = doc.trailer.has(b"Encrypt");
    model.encrypted = model.needs_password || doc.encryption_state.is_some();
    decode_object_streams(&mut doc, bytes_left, &mut model.partial);
    let from_header = data
        .get(super::raw::header_offset(data).unwrap_or(0)..)
        .unwrap_or(data);
    let mut walk = Walk {
        doc: &doc,
        data: from_header,
        bytes_left,
        model: &mut model,
        autorun_dicts: HashSet::new(),
        embedded_seen: HashSet::new(),
        extract,
    };
    walk.triggers();
    walk.everything();
    walk.lure();
    Ok(model)
}

fn load(data: &[u8], bytes_left: u64) -> Result<Document, String> {
    let per_stream = usize::try_from(bytes_left)
        .unwrap_or(usize::MAX)
        .min(MAX_STREAM_DECODE);
    if per_stream == 0 {
        return Err("the decompression budget of the message is spent".into());
    }
    let options = |force_reconstruct| LoadOptions {
        filter: Some(defer_object_streams),
        max_decompressed_size: Some(per_stream),
        force_reconstruct,
        ..LoadOptions::default()
    };
    let attempt = |force| {
        catch_unwind(AssertUnwindSafe(|| {
            Document::load_mem_with_options(data, options(force))
        }))
        .map_err(|_| "the PDF library failed on this file".to_string())?
        .map_err(|e| format!("the PDF library could not read it: {e}"))
    };
    let doc = attempt(false)?;
    // lopdf rebuilds a table that reads but points to the wrong places only for unfiltered
    // loads; with our filter, ask for the rebuild ourselves.
    if page_tree_loaded(&doc)
        || doc.trailer.has(b"Encrypt")
        || doc.xref_recovery == Some(XrefRecovery::Reconstructed)
    {
        return Ok(doc);
    }
    match attempt(true) {
        Ok(rebuilt) if page_tree_loaded(&rebuilt) => Ok(rebuilt),
        _ => Ok(doc),
    }
}

fn page_tree_loaded(doc: &Document) -> bool {
    doc.catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .is_ok()
}

/// lopdf's load filter: renames object streams so that they are loaded as plain streams.
/// lopdf keeps the object it passed in (mutated) and ignores the returned one outside object
/// streams, which it no longer decodes; returning `Null` avoids cloning every object.
fn defer_object_streams(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(stream) = object
        && stream.dict.has_type(b"ObjStm")
    {
        stream
            .dict
            .set("Type", Object::Name(DEFERRED_OBJSTM.to_vec()));
    }
    Some((id, Object::Null))
}

/// Decodes the deferred object streams against the budget, adding their objects the way lopdf
/// would: never replacing an object, and only those the cross-reference data places in that
/// stream (or does not mention).
fn decode_object_streams(doc: &mut Document, bytes_left: &mut u64, partial: &mut Vec<String>) {
    let deferred: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| matches!(o, Object::Stream(s) if s.dict.has_type(DEFERRED_OBJSTM)))
        .map(|(id, _)| *id)
        .collect();
    let mut skipped = 0usize;
    for id in deferred {
        let Some(Object::Stream(stream)) = doc.objects.get(&id) else {
            continue;
        };
        let room = MAX_OBJECTS.saturating_sub(doc.objects.len());
        if room == 0 {
            skipped += 1;
            continue;
        }
        let limit = usize::try_from(*bytes_left)
            .unwrap_or(usize::MAX)
            .min(MAX_OBJSTM_DECODE);
        let Ok(mut content) = stream.get_plain_content_with_limit(limit) else {
            skipped += 1;
            continue;
        };
        *bytes_left = bytes_left.saturating_sub(content.len() as u64);
        let first = stream
            .dict
            .get(b"First")
            .and_then(Object::as_i64)
            .ok()
            .and_then(|f| usize::try_from(f).ok())
            .unwrap_or(0);
        if let Some(index) = content.get_mut(..first)
            && keep_index_pairs(index, room)
        {
            skipped += 1;
        }
        let mut dict = stream.dict.clone();
        dict.remove(b"Filter");
        dict.remove(b"DecodeParms");
        let plain = Stream::new(dict, content);
        let Ok(objstm) = ObjectStream::new_with_limit(&plain, None) else {
            skipped += 1;
            continue;
        };
        for (oid, object) in objstm.objects {
            let belongs = match doc.reference_table.get(oid.0) {
                None => true,
                Some(XrefEntry::Compressed { container, .. }) => *container == id.0,
                Some(_) => false,
            };
            if belongs {
                doc.objects.entry(oid).or_insert(object);
            }
        }
    }
    if skipped > 0 {
        partial.push(format!(
            "{skipped} object streams were over the limits or undecodable and were not (fully) read"
        ));
    }
}

/// Blanks an object stream's index after its first `pairs` (number, offset) pairs, so that
/// lopdf builds no more objects than that (offsets count from `/First`, which stays put).
/// Returns whether anything was blanked.
fn keep_index_pairs(index: &mut [u8], pairs: usize) -> bool {
    let mut tokens = 0usize;
    let mut in_token = false;
    for i in 0..index.len() {
        let Some(&b) = index.get(i) else {
            break;
        };
        let space = b.is_ascii_whitespace() || b == 0;
        if !space && !in_token {
            tokens += 1;
            if tokens > pairs.saturating_mul(2) {
                if let Some(rest) = index.get_mut(i..) {
                    rest.fill(b' ');
                }
                return true;
            }
        }
        in_token = !space;
    }
    false
}

#[cfg(test)]
pub(crate) fn keep_index_pairs_for_tests(index: &mut [u8], pairs: usize) -> bool {
    keep_index_pairs(index, pairs)
}

/// A PDF text string: UTF-16BE with a byte-order mark, UTF-8 with one (PDF 2.0), else
/// PDFDocEncoding, read as Latin-1 (they agree on the printable range).
pub fn text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|c| match c {
                [hi, lo] => u16::from_be_bytes([*hi, *lo]),
                _ => 0xFFFD,
            })
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// Follows references (a bounded number of hops); `None` for a dangling one.
fn resolve<'d>(doc: &'d Document, mut object: &'d Object) -> Option<&'d Object> {
    for _ in 0..16 {
        match object {
            Object::Reference(id) => object = doc.objects.get(id)?,
            other => return Some(other),
        }
    }
    None
}

fn dict_of<'d>(doc: &'d Document, object: &'d Object) -> Option<&'d Dictionary> {
    match resolve(doc, object)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn get<'d>(doc: &'d Document, dict: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    resolve(doc, dict.get(key).ok()?)
}

fn name_is(doc: &Document, dict: &Dictionary, key: &[u8], value: &[u8]) -> bool {
    matches!(get(doc, dict, key), Some(Object::Name(n)) if n == value)
}

fn string_of(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    match get(doc, dict, key)? {
        Object::String(bytes, _) => Some(text_string(bytes)),
        _ => None,
    }
}

/// The file a file specification names: a string, or a dictionary's `/UF`, `/F` or platform key.
fn file_spec_name(doc: &Document, spec: &Object) -> Option<String> {
    match resolve(doc, spec)? {
        Object::String(bytes, _) => Some(text_string(bytes)),
        Object::Dictionary(d) => [&b"UF"[..], b"F", b"DOS", b"Unix", b"Mac"]
            .iter()
            .find_map(|k| string_of(doc, d, k)),
        _ => None,
    }
}

/// Identity of a dictionary for "seen" sets: where it lives in memory (never dereferenced).
fn address(dict: &Dictionary) -> usize {
    dict as *const Dictionary as usize
}

struct Walk<'a> {
    doc: &'a Document,
    /// The file from its `%PDF-` header on: what lopdf's stream positions count from.
    data: &'a [u8],
    bytes_left: &'a mut u64,
    model: &'a mut Model,
    /// Action dictionaries whose script was already recorded as run automatically.
    autorun_dicts: HashSet<usize>,
    embedded_seen: HashSet<usize>,
    extract: bool,
}

impl<'a> Walk<'a> {
    fn limit(&self, cap: usize) -> usize {
        usize::try_from(*self.bytes_left)
            .unwrap_or(usize::MAX)
            .min(cap)
    }

    fn decode(&mut self, stream: &Stream, cap: usize) -> Option<Vec<u8>> {
        let limit = self.limit(cap);
        let bytes = match self.recovered(stream, limit) {
            Some(recovered) => recovered.get_plain_content_with_limit(limit).ok()?,
            None => stream.get_plain_content_with_limit(limit).ok()?,
        };
        *self.bytes_left = self.bytes_left.saturating_sub(bytes.len() as u64);
        Some(bytes)
    }

    /// A stream lopdf left empty because its `/Length` is missing or wrong, with its bytes
    /// taken up to `endstream` the way readers do; `None` when the stream needs no recovery.
    fn recovered(&self, stream: &Stream, limit: usize) -> Option<Stream> {
        if !stream.content.is_empty() {
            return None;
        }
        let rest = self.data.get(stream.start_position?..)?;
        let window = rest.get(..rest.len().min(limit.saturating_add(16)))?;
        let end = memchr::memmem::find(window, b"endstream")?;
        let body = window.get(..end)?;
        let body = body
            .strip_suffix(b"\r\n")
            .or_else(|| body.strip_suffix(b"\n"))
            .or_else(|| body.strip_suffix(b"\r"))
            .unwrap_or(body);
        let mut dict = stream.dict.clone();
        dict.remove(b"Length");
        Some(Stream::new(dict, body.to_vec()))
    }

    /// The text of a `/JS` value: a string or a stream, cut to `MAX_SCRIPT_CHARS`.
    fn script_text(&mut self, js: &Object) -> Option<String> {
        let doc = self.doc;
        let mut text = match resolve(doc, js)? {
            Object::String(bytes, _) => text_string(bytes),
            Object::Stream(s) => {
                let bytes = self.decode(s, MAX_SCRIPT_DECODE).or_else(|| {
                    self.model
                        .partial
                        .push("a script stream was over the limits or undecodable".into());
                    None
                })?;
                text_string(&bytes)
            }
            _ => return None,
        };
        if let Some((cut, _)) = text.char_indices().nth(MAX_SCRIPT_CHARS) {
            text.truncate(cut);
        }
        Some(text)
    }

    fn add_script(&mut self, dict: &Dictionary, autorun: Option<String>) {
        if self.model.scripts.len() >= MAX_SCRIPTS {
            return;
        }
        let Ok(js) = dict.get(b"JS") else {
            return;
        };
        if let Some(text) = self.script_text(js) {
            self.model.scripts.push(Script { autorun, text });
        }
    }

    /// Scripts run without a click: the document's `/OpenAction`, a page's open action
    /// (`/AA /O`), an annotation's page-open or page-visible action (`/AA /PO`, `/PV`).
    fn triggers(&mut self) {
        let doc = self.doc;
        if let Ok(catalog) = doc.catalog()
            && let Some(open) = catalog.get(b"OpenAction").ok()
        {
            self.follow(open, "/OpenAction");
        }
        for (n, page_id) in doc.page_iter().take(MAX_PAGES).enumerate() {
            let page = n + 1;
            let Ok(page_dict) = doc.get_dictionary(page_id) else {
                continue;
            };
            if let Some(aa) = page_dict.get(b"AA").ok().and_then(|o| dict_of(doc, o))
                && let Ok(open) = aa.get(b"O")
            {
                self.follow(open, &format!("/AA /O of page {page}"));
            }
            for annot in doc.get_page_annotations(page_id).unwrap_or_default() {
                let Some(aa) = annot.get(b"AA").ok().and_then(|o| dict_of(doc, o)) else {
                    continue;
                };
                for key in ["PO", "PV"] {
                    if let Ok(action) = aa.get(key.as_bytes()) {
                        self.follow(
                            action,
                            &format!("/AA /{key} of an annotation on page {page}"),
                        );
                    }
                }
            }
        }
    }

    /// An action and the ones chained after it with `/Next`: records their scripts as run by
    /// `trigger`.
    fn follow(&mut self, action: &Object, trigger: &str) {
        let doc = self.doc;
        let mut stack = vec![action];
        let mut steps = 0;
        while let Some(object) = stack.pop() {
            steps += 1;
            if steps > MAX_ACTION_CHAIN {
                break;
            }
            match resolve(doc, object) {
                Some(Object::Dictionary(d)) => {
                    if d.has(b"JS") && self.autorun_dicts.insert(address(d)) {
                        self.add_script(d, Some(trigger.to_string()));
                    }
                    let url = if name_is(doc, d, b"S", b"URI") {
                        string_of(doc, d, b"URI")
                    } else if name_is(doc, d, b"S", b"SubmitForm") {
                        d.get(b"F").ok().and_then(|f| file_spec_name(doc, f))
                    } else {
                        None
                    };
                    if let Some(url) = url.map(|u| u.trim().to_string())
                        && is_web_url(&url)
                        && self.model.auto_uris.len() < MAX_LAUNCHES
                    {
                        self.model.auto_uris.push((trigger.to_string(), url));
                    }
                    if let Ok(next) = d.get(b"Next") {
                        stack.push(next);
                    }
                }
                Some(Object::Array(items)) => stack.extend(items.iter()),
                _ => {}
            }
        }
    }

    /// Every dictionary in the document, nested ones included: scripts, launches, links,
    /// embedded files.
    fn everything(&mut self) {
        let doc = self.doc;
        let mut stack: Vec<&Object> = doc.objects.values().collect();
        let mut nodes = 0usize;
        while let Some(object) = stack.pop() {
            nodes += 1;
            if nodes > MAX_NODES {
                self.model
                    .partial
                    .push(format!("the document has more than {MAX_NODES} dictionaries and arrays; the rest were not read"));
                break;
            }
            let dict = match object {
                Object::Dictionary(d) => d,
                Object::Stream(s) => &s.dict,
                Object::Array(items) => {
                    stack.extend(items.iter().filter(|o| is_container(o)));
                    continue;
                }
                _ => continue,
            };
            stack.extend(dict.iter().map(|(_, v)| v).filter(|o| is_container(o)));
            self.visit(dict);
        }
    }

    fn visit(&mut self, dict: &Dictionary) {
        let doc = self.doc;
        if dict.has(b"JS") && !self.autorun_dicts.contains(&address(dict)) {
            self.add_script(dict, None);
        }
        if name_is(doc, dict, b"S", b"Launch") && self.model.launches.len() < MAX_LAUNCHES {
            let win = dict.get(b"Win").ok().and_then(|o| dict_of(doc, o));
            let target = win
                .and_then(|w| w.get(b"F").ok())
                .or_else(|| dict.get(b"F").ok())
                .and_then(|f| file_spec_name(doc, f))
                .unwrap_or_default();
            let params = win
                .and_then(|w| string_of(doc, w, b"P"))
                .unwrap_or_default();
            self.model.launches.push(Launch { target, params });
        }
        if name_is(doc, dict, b"S", b"URI")
            && let Some(uri) = string_of(doc, dict, b"URI")
        {
            self.add_uri(uri);
        }
        if name_is(doc, dict, b"S", b"SubmitForm")
            && let Some(url) = dict.get(b"F").ok().and_then(|f| file_spec_name(doc, f))
            && is_web_url(&url)
        {
            self.add_uri(url);
        }
        if let Some(ef) = dict.get(b"EF").ok().and_then(|o| dict_of(doc, o)) {
            self.embedded(dict, ef);
        }
        if let Ok(xfa) = dict.get(b"XFA") {
            self.xfa(xfa);
        }
    }

    /// The scripts of an XFA form (`/XFA`: one stream, or an array of names and streams). They
    /// count as scripts that need the reader to act: XFA forms run `initialize` scripts as a
    /// matter of course, so only their content can tell a form from an exploit.
    fn xfa(&mut self, xfa: &Object) {
        let doc = self.doc;
        let parts: Vec<&Object> = match resolve(doc, xfa) {
            Some(Object::Array(items)) => items.iter().skip(1).step_by(2).collect(),
            Some(other) => vec![other],
            None => return,
        };
        let mut xml = Vec::new();
        for part in parts.into_iter().take(64) {
            if let Some(Object::Stream(s)) = resolve(doc, part) {
                match self.decode(s, MAX_SCRIPT_DECODE) {
                    Some(bytes) => xml.extend_from_slice(&bytes),
                    None => self
                        .model
                        .partial
                        .push("an XFA form stream was over the limits or undecodable".into()),
                }
            }
            if xml.len() > MAX_SCRIPT_DECODE {
                break;
            }
        }
        for script in xfa_scripts(&String::from_utf8_lossy(&xml)) {
            if self.model.scripts.len() >= MAX_SCRIPTS {
                break;
            }
            self.model.scripts.push(Script {
                autorun: None,
                text: script,
            });
        }
    }

    fn add_uri(&mut self, uri: String) {
        let uri = uri.trim().to_string();
        if !uri.is_empty() && self.model.uris.len() < MAX_URIS && !self.model.uris.contains(&uri) {
            self.model.uris.push(uri);
        }
    }

    fn embedded(&mut self, spec: &Dictionary, ef: &Dictionary) {
        let doc = self.doc;
        let Some(Object::Stream(stream)) = [&b"UF"[..], b"F"]
            .iter()
            .find_map(|k| ef.get(k).ok())
            .and_then(|o| resolve(doc, o))
        else {
            return;
        };
        if self.model.embedded.len() >= MAX_EMBEDDED
            || !self.embedded_seen.insert(address(&stream.dict))
        {
            return;
        }
        let name = [&b"UF"[..], b"F", b"DOS", b"Unix", b"Mac"]
            .iter()
            .find_map(|k| string_of(doc, spec, k))
            .filter(|n| !n.trim().is_empty());
        let data = if self.extract {
            self.decode(stream, MAX_EMBEDDED_BYTES).unwrap_or_else(|| {
                self.model.partial.push(format!(
                    "embedded file {} was over the limits or undecodable",
                    name.as_deref().unwrap_or("(no name)")
                ));
                Vec::new()
            })
        } else {
            Vec::new()
        };
        self.model.embedded.push(Embedded { name, data });
    }

    /// One page, showing almost no text, whose annotations link to one web address or two:
    /// the "document is protected, click here to view it" lure. Two kinds of page with one link
    /// are not that lure, whatever their text: a page that shows nothing at all (no words, no
    /// picture, no drawing, no annotation with a look of its own: a link there is at most a
    /// frame round empty space and asks nothing of the reader), and a form with fields for the
    /// reader to fill in whose link does not send them anywhere (its purpose is the fields; a
    /// form that submits them to a web site is the credential lure, and stays one).
    fn lure(&mut self) {
        let doc = self.doc;
        let mut pages = doc.page_iter().take(MAX_PAGES + 1);
        let (Some(page_id), None) = (pages.next(), pages.next()) else {
            self.model.pages = doc.page_iter().take(1_000_000).count();
            return;
        };
        self.model.pages = 1;
        let mut links: Vec<String> = Vec::new();
        let mut button = false;
        let mut submits = false;
        let mut fields = false;
        let mut annotation_shows = false;
        for annot in doc.get_page_annotations(page_id).unwrap_or_default() {
            let is_link = name_is(doc, annot, b"Subtype", b"Link");
            annotation_shows |= visible(doc, annot)
                && (annot.has(b"AP") || !(is_link || name_is(doc, annot, b"Subtype", b"Popup")));
            fields |= is_field_to_fill_in(doc, annot);
            let Some(action) = annot.get(b"A").ok().and_then(|o| dict_of(doc, o)) else {
                continue;
            };
            let (url, submit) = if name_is(doc, action, b"S", b"URI") {
                (string_of(doc, action, b"URI"), false)
            } else if name_is(doc, action, b"S", b"SubmitForm") {
                (
                    action.get(b"F").ok().and_then(|f| file_spec_name(doc, f)),
                    true,
                )
            } else {
                (None, false)
            };
            if let Some(url) = url.map(|u| u.trim().to_string())
                && is_web_url(&url)
            {
                let (width, height) = rect_size(doc, annot);
                button |= height >= LURE_BUTTON_HEIGHT && width * height >= LURE_BUTTON_AREA;
                submits |= submit;
                if !links.contains(&url) {
                    links.push(url);
                }
            }
        }
        if links.is_empty() || links.len() > 2 || (fields && !submits) {
            return;
        }
        let allowed = if button {
            LURE_MAX_TEXT_WITH_BUTTON
        } else {
            LURE_MAX_TEXT
        };
        let shown = self.page_shows(page_id, allowed);
        if shown.chars < allowed && (shown.painted || annotation_shows) {
            self.model.lure = links.into_iter().next();
        }
    }

    /// What a page shows: characters of text (non-zero bytes of the string operands of the
    /// text-showing operators), its form XObjects one level down included, counted up to
    /// `stop`; and whether it paints anything at all. Content that cannot be read counts as
    /// showing everything.
    fn page_shows(&mut self, page_id: ObjectId, stop: usize) -> Shown {
        const UNREADABLE: Shown = Shown {
            chars: usize::MAX,
            painted: true,
        };
        let doc = self.doc;
        let mut content = Vec::new();
        for id in doc.get_page_contents(page_id).into_iter().take(64) {
            let Some(Object::Stream(part)) = doc.objects.get(&id) else {
                continue;
            };
            match self.decode(part, MAX_PAGE_DECODE) {
                Some(bytes) => {
                    content.extend_from_slice(&bytes);
                    content.push(b'\n');
                }
                // Unreadable content: do not call it empty.
                None => return UNREADABLE,
            }
        }
        let mut forms: Vec<Vec<u8>> = Vec::new();
        let mut shown = shown_by(&content, &mut forms, stop);
        let xobjects = doc
            .get_dictionary(page_id)
            .ok()
            .and_then(|p| p.get(b"Resources").ok())
            .and_then(|r| dict_of(doc, r))
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|x| dict_of(doc, x));
        for name in forms.iter().take(50) {
            if shown.chars >= stop {
                break;
            }
            let Some(Object::Stream(form)) = xobjects
                .and_then(|x| x.get(name).ok())
                .and_then(|o| resolve(doc, o))
            else {
                continue;
            };
            if !name_is(doc, &form.dict, b"Subtype", b"Form") {
                continue;
            }
            match self.decode(form, MAX_PAGE_DECODE) {
                Some(bytes) => shown.chars += shown_by(&bytes, &mut Vec::new(), stop).chars,
                None => return UNREADABLE,
            }
        }
        shown
    }
}

/// What a page's content shows (see `Walk::page_shows`).
#[derive(Debug, Clone, Copy, Default)]
struct Shown {
    chars: usize,
    /// Anything painted: text, an image or form XObject, an inline image, a filled or stroked
    /// path, a shading.
    painted: bool,
}

/// Whether an annotation is shown: not flagged hidden or not to be viewed (annotation flags 2
/// and 32), with a rectangle of some size.
fn visible(doc: &Document, annot: &Dictionary) -> bool {
    let flags = match get(doc, annot, b"F") {
        Some(Object::Integer(f)) => *f,
        _ => 0,
    };
    let (width, height) = rect_size(doc, annot);
    flags & (2 | 32) == 0 && width >= 1.0 && height >= 1.0
}

/// Whether an annotation is a form field the reader fills in: a widget, shown, of a text
/// field, a choice list or a check box or radio button (not a push button, which is what a
/// lure's "view document" button is), not read-only. Field type and flags may be inherited
/// from the field's parents.
fn is_field_to_fill_in(doc: &Document, annot: &Dictionary) -> bool {
    if !name_is(doc, annot, b"Subtype", b"Widget") || !visible(doc, annot) {
        return false;
    }
    let mut field_type: Option<&[u8]> = None;
    let mut flags: Option<i64> = None;
    let mut node = Some(annot);
    for _ in 0..16 {
        let Some(dict) = node else {
            break;
        };
        if field_type.is_none()
            && let Some(Object::Name(n)) = get(doc, dict, b"FT")
        {
            field_type = Some(n.as_slice());
        }
        if flags.is_none()
            && let Some(Object::Integer(f)) = get(doc, dict, b"Ff")
        {
            flags = Some(*f);
        }
        node = dict.get(b"Parent").ok().and_then(|p| dict_of(doc, p));
    }
    let flags = flags.unwrap_or(0);
    const READ_ONLY: i64 = 1;
    const PUSH_BUTTON: i64 = 1 << 16;
    if flags & READ_ONLY != 0 {
        return false;
    }
    match field_type {
        Some(b"Tx") | Some(b"Ch") => true,
        Some(b"Btn") => flags & PUSH_BUTTON == 0,
        _ => false,
    }
}

/// The text of each non-empty `<script>` element of an XFA template, entities decoded, each
/// cut to `MAX_SCRIPT_CHARS`.
pub(crate) fn xfa_scripts(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<script") {
        let after = rest.get(start + 7..).unwrap_or_default();
        let Some(open_end) = after.find('>') else {
            break;
        };
        let body = after.get(open_end + 1..).unwrap_or_default();
        let end = body.find("</script>").unwrap_or(body.len());
        let text =
            html_escape::decode_html_entities(body.get(..end).unwrap_or_default()).into_owned();
        let mut text = text.trim().to_string();
        if let Some((cut, _)) = text.char_indices().nth(MAX_SCRIPT_CHARS) {
            text.truncate(cut);
        }
        if !text.is_empty() && !after.get(..open_end).unwrap_or_default().ends_with('/') {
            out.push(text);
        }
        if out.len() >= MAX_SCRIPTS {
            break;
        }
        rest = body.get(end..).unwrap_or_default();
    }
    out
}

/// The width and height of an annotation's `/Rect`, in points (0 when it has none).
fn rect_size(doc: &Document, annot: &Dictionary) -> (f32, f32) {
    let Some(Object::Array(r)) = get(doc, annot, b"Rect") else {
        return (0.0, 0.0);
    };
    let n: Vec<f32> = r.iter().filter_map(|o| o.as_float().ok()).collect();
    match n.as_slice() {
        [x1, y1, x2, y2] => ((x2 - x1).abs().min(1.0e5), (y2 - y1).abs().min(1.0e5)),
        _ => (0.0, 0.0),
    }
}

/// What a content stream shows: characters (non-zero bytes of shown strings), counted up to
/// `stop`, and whether it paints anything; the names painted with `Do` go to `forms`.
fn shown_by(content: &[u8], forms: &mut Vec<Vec<u8>>, stop: usize) -> Shown {
    let mut shown = Shown::default();
    for op in Content::decode_iter(content).take(500_000) {
        let Ok(op) = op else {
            break;
        };
        match op.operator.as_str() {
            "Tj" | "'" | "\"" | "TJ" => {
                shown.painted = true;
                for operand in &op.operands {
                    let chars = |s: &[u8]| s.iter().filter(|&&b| b != 0).count();
                    shown.chars += match operand {
                        Object::String(s, _) => chars(s),
                        Object::Array(items) => items
                            .iter()
                            .map(|i| match i {
                                Object::String(s, _) => chars(s),
                                _ => 0,
                            })
                            .sum(),
                        _ => 0,
                    };
                }
            }
            "Do" => {
                shown.painted = true;
                if let Some(Object::Name(n)) = op.operands.first()
                    && forms.len() < 50
                {
                    forms.push(n.clone());
                }
            }
            "BI" | "ID" | "EI" | "sh" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "S" | "s" => {
                shown.painted = true
            }
            _ => {}
        }
        if shown.chars >= stop {
            break;
        }
    }
    shown
}

fn is_container(object: &Object) -> bool {
    matches!(
        object,
        Object::Dictionary(_) | Object::Array(_) | Object::Stream(_)
    )
}

fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}
