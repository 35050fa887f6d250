//! OLE2 compound files: Word, Excel and PowerPoint 97-2003 documents, `vbaProject.bin`, and the
//! OLE objects documents embed (`word/embeddings/oleObject1.bin`, `ObjectPool`, RTF `\objdata`).
//!
//! One pass over the file (cfb) finds what the checks report: VBA projects and their source,
//! Excel 4.0 macro sheets, encryption, embedded objects and their class, Package objects that
//! carry a file, Equation Editor objects and Word DDE fields. Every stream read is capped.

use super::{vba, xlm};
use cfb::CompoundFile;
use std::io::{Cursor, Read};

/// Bytes read from one stream, at most.
pub const MAX_STREAM_BYTES: u64 = 32 << 20;
/// Entries (streams and storages) looked at, at most.
pub const MAX_ENTRIES: usize = 100_000;
/// Objects listed per file, at most.
const MAX_OBJECTS: usize = 100;
/// Characters of a DDE field instruction kept.
const MAX_FIELD_CHARS: usize = 300;

/// `{0002CE02-…}` Microsoft Equation 3.0 and `{00021700-…}` Equation 2.0: the EQNEDT32
/// component of CVE-2017-11882 and CVE-2018-0802. (MathType, `{0002CE03-…}`, is not it.)
const EQUATION_CLSIDS: &[(&str, &str)] = &[
    (
        "0002ce02-0000-0000-c000-000000000046",
        "Microsoft Equation 3.0",
    ),
    (
        "00021700-0000-0000-c000-000000000046",
        "Microsoft Equation 2.0",
    ),
];

/// A file carried by a Package (Packager) object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Package {
    /// The name shown under the icon (usually the file name).
    pub label: String,
    /// Where the file was on the sender's computer.
    pub path: String,
    pub data: Vec<u8>,
}

impl Package {
    /// The name to give the extracted file: the label, else the last part of the path.
    pub fn file_name(&self) -> String {
        let from_path = || {
            self.path
                .rsplit(['\\', '/'])
                .next()
                .unwrap_or_default()
                .to_string()
        };
        let label = self.label.trim();
        if label.contains('.') || from_path().is_empty() {
            label.to_string()
        } else {
            from_path()
        }
    }
}

/// An embedded OLE object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object {
    /// Its class: ProgID (`Excel.Sheet.12`, `Package`), else the user type, else the CLSID.
    pub class: String,
    pub package: Option<Package>,
}

/// A VBA project found in the file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VbaProject {
    /// The storage that holds it (`/Macros`, `/_VBA_PROJECT_CUR`, `/`).
    pub storage: String,
    pub modules: Vec<vba::Module>,
}

/// What an OLE file holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// `Word`, `Excel`, `PowerPoint`, `VBA project`, `OLE object` or `compound file`.
    pub app: &'static str,
    /// The class the root's CompObj names (`Word.Document.8`, `Excel.Sheet.8`, `Package`).
    pub root_class: Option<String>,
    /// How it is encrypted, if it is.
    pub encrypted: Option<&'static str>,
    pub vba: Vec<VbaProject>,
    pub xlm: Option<xlm::Xlm>,
    pub objects: Vec<Object>,
    /// Why it holds an Equation Editor object.
    pub equation: Option<String>,
    /// DDE field instructions in a Word document.
    pub dde: Vec<String>,
}

/// Whether `data` starts with the OLE2 signature.
pub fn is_ole(data: &[u8]) -> bool {
    data.starts_with(&crate::formats::sniff::OLE2_MAGIC)
}

struct Entry {
    path: String,
    name: String,
    parent: String,
    stream: bool,
    clsid: String,
}

/// Analyses an OLE file. `sources`: decompress VBA source (the check does; the opener, which
/// only extracts embedded files, does not). Errors say why the file could not be opened.
pub fn analyse(data: &[u8], sources: bool) -> Result<Report, String> {
    analyse_at(data, sources, 0)
}

fn analyse_at(data: &[u8], sources: bool, depth: u8) -> Result<Report, String> {
    let mut cfb = CompoundFile::open(Cursor::new(data)).map_err(|e| e.to_string())?;
    let mut entries = Vec::new();
    for e in cfb.walk().take(MAX_ENTRIES) {
        let path = e.path().to_string_lossy().replace('\\', "/");
        let parent = match path.rfind('/') {
            Some(0) | None => "/".to_string(),
            Some(i) => path[..i].to_string(),
        };
        entries.push(Entry {
            name: e.name().to_string(),
            path,
            parent,
            stream: e.is_stream(),
            clsid: e.clsid().to_string(),
        });
    }
    let has_root = |name: &str| {
        entries
            .iter()
            .any(|e| e.stream && e.parent == "/" && e.name.eq_ignore_ascii_case(name))
    };
    let mut r = Report {
        app: if has_root("WordDocument") {
            "Word"
        } else if has_root("Workbook") || has_root("Book") {
            "Excel"
        } else if has_root("PowerPoint Document") {
            "PowerPoint"
        } else if has_root("dir") || has_root("PROJECT") {
            "VBA project"
        } else if has_root("\u{1}Ole10Native") || has_root("\u{1}CompObj") {
            "OLE object"
        } else {
            "compound file"
        },
        ..Report::default()
    };
    let mut read = |path: &str| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let stream = cfb.open_stream(path).ok()?;
        stream.take(MAX_STREAM_BYTES).read_to_end(&mut out).ok()?;
        Some(out)
    };

    if let Some(d) = read("/\u{1}CompObj") {
        let (user_type, prog_id) = compobj_names(&d);
        r.root_class = prog_id.or(user_type);
    }

    // Encryption.
    if has_root("EncryptedPackage") || has_root("EncryptionInfo") {
        r.encrypted = Some("encrypted Office Open XML package (EncryptionInfo/EncryptedPackage)");
    } else if r.app == "Word" {
        let fib = read("/WordDocument").unwrap_or_default();
        if vba::le16(&fib, 0x0A).is_some_and(|flags| flags & 0x0100 != 0) {
            r.encrypted = Some("Word document encryption (fEncrypted)");
        }
    } else if r.app == "PowerPoint" {
        let current = read("/Current User").unwrap_or_default();
        if vba::le32(&current, 12) == Some(0xF3D1_C4DF) || has_root("EncryptedSummary") {
            r.encrypted = Some("PowerPoint document encryption");
        }
    }

    // Excel 4.0 macro sheets (and FILEPASS encryption) in the workbook stream.
    if r.app == "Excel" {
        let name = if has_root("Workbook") {
            "Workbook"
        } else {
            "Book"
        };
        let path = entries
            .iter()
            .find(|e| e.parent == "/" && e.name.eq_ignore_ascii_case(name))
            .map(|e| e.path.clone())
            .unwrap_or_default();
        if let Some(book) = read(&path) {
            let scan = xlm::scan_biff(&book);
            if scan.filepass && r.encrypted.is_none() {
                r.encrypted = Some("Excel workbook encryption (FILEPASS)");
            }
            r.xlm = scan.xlm;
        }
    }

    // VBA projects: a `VBA` storage holding a `dir` stream.
    for vba_storage in entries
        .iter()
        .filter(|e| !e.stream && e.name.eq_ignore_ascii_case("VBA"))
    {
        let Some(dir_entry) = entries.iter().find(|e| {
            e.stream && e.parent == vba_storage.path && e.name.eq_ignore_ascii_case("dir")
        }) else {
            continue;
        };
        let mut project = VbaProject {
            storage: vba_storage.parent.clone(),
            modules: Vec::new(),
        };
        if sources {
            let streams: Vec<&Entry> = entries
                .iter()
                .filter(|e| e.stream && e.parent == vba_storage.path)
                .collect();
            read_sources(&mut read, &dir_entry.path, &streams, &mut project);
        }
        r.vba.push(project);
    }
    // Root `dir` with no VBA storage: a bare VBA storage copied out (as RTF objects hold).
    if r.vba.is_empty() && has_root("dir") && has_root("_VBA_PROJECT") {
        let mut project = VbaProject {
            storage: "/".into(),
            modules: Vec::new(),
        };
        if sources {
            let streams: Vec<&Entry> = entries
                .iter()
                .filter(|e| e.stream && e.parent == "/")
                .collect();
            read_sources(&mut read, "/dir", &streams, &mut project);
        }
        r.vba.push(project);
    }

    // Embedded objects: storages with a CompObj or an Ole10Native stream, other than the root
    // of a document (whose CompObj names the document's own class).
    let document_root = matches!(r.app, "Word" | "Excel" | "PowerPoint");
    // UserForm designers in a VBA project have CompObj streams too; they are not embedded.
    let in_vba_project = |path: &str| {
        r.vba.iter().any(|p| {
            p.storage == "/" || path.starts_with(&format!("{}/", p.storage)) || path == p.storage
        })
    };
    let mut object_storages: Vec<&Entry> = Vec::new();
    for e in entries.iter().filter(|e| {
        e.stream
            && (e.name == "\u{1}CompObj" || e.name == "\u{1}Ole10Native")
            && !(document_root && e.parent == "/")
            && !in_vba_project(&e.parent)
    }) {
        if !object_storages.iter().any(|s| s.path == e.parent)
            && object_storages.len() < MAX_OBJECTS
        {
            if let Some(storage) = entries.iter().find(|s| s.path == e.parent) {
                object_storages.push(storage);
            } else if e.parent == "/" {
                object_storages.push(e);
            }
        }
    }
    let root_clsid = cfb.root_entry().clsid().to_string();
    let mut read = |path: &str| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let stream = cfb.open_stream(path).ok()?;
        stream.take(MAX_STREAM_BYTES).read_to_end(&mut out).ok()?;
        Some(out)
    };
    for storage in object_storages {
        let base = if storage.stream {
            "/".to_string()
        } else {
            storage.path.clone()
        };
        let join = |name: &str| {
            if base == "/" {
                format!("/{name}")
            } else {
                format!("{base}/{name}")
            }
        };
        let clsid = if base == "/" {
            root_clsid.clone()
        } else {
            storage.clsid.clone()
        };
        let (user_type, prog_id) = read(&join("\u{1}CompObj"))
            .map(|d| compobj_names(&d))
            .unwrap_or_default();
        let package = read(&join("\u{1}Ole10Native"))
            .and_then(|d| parse_package(d.get(4..).unwrap_or_default()));
        let class = prog_id
            .or(user_type)
            .or_else(|| package.as_ref().map(|_| "Package".to_string()))
            .or_else(|| clsid_name(&clsid).map(str::to_string))
            .unwrap_or_else(|| format!("{{{clsid}}}"));
        r.objects.push(Object { class, package });
    }

    // PowerPoint keeps its VBA project and embedded objects as OLE files inside the
    // `PowerPoint Document` stream (ExOleObjStg records, often zlib-compressed).
    if r.app == "PowerPoint"
        && depth == 0
        && let Some(doc) = read("/PowerPoint Document")
    {
        for storage in ppt_storages(&doc) {
            let Ok(inner) = analyse_at(&storage, sources, depth + 1) else {
                continue;
            };
            if !inner.vba.is_empty() {
                r.vba.extend(inner.vba);
                continue;
            }
            if r.objects.len() < MAX_OBJECTS {
                let package = inner.objects.iter().find_map(|o| o.package.clone());
                let class = inner
                    .root_class
                    .clone()
                    .or_else(|| inner.objects.first().map(|o| o.class.clone()))
                    .unwrap_or_else(|| inner.app.to_string());
                r.objects.push(Object { class, package });
            }
            if r.equation.is_none() {
                r.equation = inner.equation;
            }
        }
    }

    // Equation Editor: by class id, by ProgID, or an `Equation Native` stream in a storage with
    // no class at all (exploits blank the class id).
    let nil = "00000000-0000-0000-0000-000000000000";
    let root_entry = Entry {
        path: "/".into(),
        name: String::new(),
        parent: String::new(),
        stream: false,
        clsid: root_clsid.clone(),
    };
    for e in entries.iter().chain(std::iter::once(&root_entry)) {
        if let Some(name) = clsid_name(&e.clsid) {
            r.equation = Some(format!("class id {{{}}} ({name})", e.clsid.to_uppercase()));
            break;
        }
    }
    if r.equation.is_none()
        && let Some(o) = r.objects.iter().find(|o| is_equation_class(&o.class))
    {
        r.equation = Some(format!("object class `{}`", o.class));
    }
    if r.equation.is_none()
        && let Some(e) = entries
            .iter()
            .find(|e| e.stream && e.name.eq_ignore_ascii_case("Equation Native"))
    {
        let storage_clsid = if e.parent == "/" {
            root_clsid.as_str()
        } else {
            entries
                .iter()
                .find(|s| s.path == e.parent)
                .map_or(nil, |s| s.clsid.as_str())
        };
        if storage_clsid == nil {
            r.equation = Some("an `Equation Native` stream in a storage without a class".into());
        }
    }

    // DDE fields in the text of a Word document.
    if r.app == "Word"
        && let Some(word) = read("/WordDocument")
    {
        r.dde = dde_fields(&word);
    }
    Ok(r)
}

/// Reads every module's source of one VBA storage: from the offsets the `dir` stream gives, or,
/// when it cannot be read, by looking for compressed source in each stream.
fn read_sources(
    read: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
    dir_path: &str,
    streams: &[&Entry],
    project: &mut VbaProject,
) {
    let dir = read(dir_path)
        .and_then(|d| vba::decompress(&d, vba::MAX_DIR_BYTES))
        .map(|d| vba::parse_dir(&d))
        .unwrap_or_default();
    let code_page = if dir.code_page == 0 {
        1252
    } else {
        dir.code_page
    };
    let mut budget = vba::MAX_PROJECT_SOURCE;
    let mut done: Vec<String> = Vec::new();
    for m in &dir.modules {
        let Some(entry) = streams
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(&m.stream))
        else {
            continue;
        };
        let Some(stream) = read(&entry.path) else {
            continue;
        };
        let cap = vba::MAX_MODULE_SOURCE.min(budget);
        let source = stream
            .get(m.offset..)
            .and_then(|s| vba::decompress(s, cap))
            .filter(|s| !s.is_empty())
            .or_else(|| {
                let at = vba::find_source_start(&stream)?;
                vba::decompress(stream.get(at..)?, cap)
            });
        if let Some(source) = source {
            budget = budget.saturating_sub(source.len());
            done.push(entry.name.clone());
            project.modules.push(vba::Module {
                name: m.name.clone(),
                source: vba::decode_cp(&source, code_page),
            });
        }
    }
    // Streams the `dir` did not lead to (a damaged or forged `dir`).
    for entry in streams {
        let lower = entry.name.to_ascii_lowercase();
        if budget == 0
            || project.modules.len() >= vba::MAX_MODULES
            || done.iter().any(|d| d == &entry.name)
            || lower == "dir"
            || lower.starts_with("_vba_project")
            || lower.starts_with("__srp_")
        {
            continue;
        }
        let Some(stream) = read(&entry.path) else {
            continue;
        };
        let Some(at) = vba::find_source_start(&stream) else {
            continue;
        };
        if let Some(source) = stream
            .get(at..)
            .and_then(|s| vba::decompress(s, vba::MAX_MODULE_SOURCE.min(budget)))
        {
            budget = budget.saturating_sub(source.len());
            project.modules.push(vba::Module {
                name: entry.name.clone(),
                source: vba::decode_cp(&source, code_page),
            });
        }
    }
}

/// The OLE files held by `ExOleObjStg` records (type 0x1011; instance 1 = zlib-compressed
/// after a 4-byte size) of a PowerPoint document stream, found by their record header.
fn ppt_storages(doc: &[u8]) -> Vec<Vec<u8>> {
    const MAX_STORAGES: usize = 100;
    const MAX_TOTAL: u64 = 64 << 20;
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut i = 0usize;
    while i + 8 <= doc.len() && out.len() < MAX_STORAGES && total < MAX_TOTAL {
        let (Some(ver_inst), Some(kind), Some(len)) = (
            vba::le16(doc, i),
            vba::le16(doc, i + 2),
            vba::le32(doc, i + 4),
        ) else {
            break;
        };
        let instance = ver_inst >> 4;
        if kind != 0x1011 || ver_inst & 0xF != 0 || instance > 1 {
            i += 1;
            continue;
        }
        let body = doc
            .get(i + 8..(i + 8).saturating_add(len as usize).min(doc.len()))
            .unwrap_or_default();
        let cap = (MAX_STREAM_BYTES).min(MAX_TOTAL - total);
        let storage = if instance == 1 {
            let mut inflated = Vec::new();
            let z = flate2::read::ZlibDecoder::new(body.get(4..).unwrap_or_default());
            let _ = z.take(cap).read_to_end(&mut inflated);
            inflated
        } else {
            body.get(..body.len().min(cap as usize))
                .unwrap_or_default()
                .to_vec()
        };
        if is_ole(&storage) {
            total += storage.len() as u64;
            out.push(storage);
            i += 8 + body.len();
        } else {
            i += 1;
        }
    }
    out
}

fn clsid_name(clsid: &str) -> Option<&'static str> {
    let lower = clsid.to_ascii_lowercase();
    EQUATION_CLSIDS
        .iter()
        .find(|(id, _)| *id == lower)
        .map(|(_, name)| *name)
}

/// `Equation.3`, `Equation.2`, `Equation` (not MathType's `Equation.DSMT4`).
pub fn is_equation_class(class: &str) -> bool {
    let lower = class.trim().trim_end_matches('\0').to_ascii_lowercase();
    lower.starts_with("equation") && !lower.contains("dsmt") || lower.contains("microsoft equation")
}

/// The user type and ProgID of a `\x01CompObj` stream (MS-OLEDS 2.3.8).
pub fn compobj_names(d: &[u8]) -> (Option<String>, Option<String>) {
    let mut pos = 28usize;
    let user_type = lpas(d, &mut pos);
    // ClipboardFormatOrAnsiString: a marker, then a format id or a string.
    match vba::le32(d, pos) {
        Some(0) => pos += 4,
        Some(0xFFFF_FFFF | 0xFFFF_FFFE) => pos += 8,
        Some(len) => pos = pos.saturating_add(4).saturating_add(len as usize),
        None => return (user_type, None),
    }
    let prog_id = lpas(d, &mut pos);
    (user_type, prog_id)
}

/// A LengthPrefixedAnsiString: length (with the NUL), bytes. Empty and absurd ones are `None`.
fn lpas(d: &[u8], pos: &mut usize) -> Option<String> {
    let len = vba::le32(d, *pos)? as usize;
    *pos += 4;
    if len == 0 || len > 4096 {
        return None;
    }
    let bytes = d.get(*pos..pos.checked_add(len)?)?;
    *pos += len;
    let text = String::from_utf8_lossy(bytes)
        .trim_end_matches('\0')
        .trim()
        .to_string();
    (!text.is_empty()).then_some(text)
}

/// A NUL-terminated ANSI string of at most 1024 bytes.
fn cstr(d: &[u8], pos: &mut usize) -> Option<String> {
    let rest = d.get(*pos..)?;
    let end = rest.iter().take(1024).position(|&b| b == 0)?;
    *pos += end + 1;
    Some(crate::formats::bytes::decode_name(rest.get(..end)?))
}

/// The Packager's native data (MS-OLEDS "OLE1.0 native data" of class `Package`, the same
/// layout as an `\x01Ole10Native` stream after its size): a label, the original path, a temp
/// path and the file. A link-only package has no data.
pub fn parse_package(d: &[u8]) -> Option<Package> {
    let mut pos = 2usize;
    let label = cstr(d, &mut pos)?;
    let path = cstr(d, &mut pos)?;
    pos += 8;
    let _temp = cstr(d, &mut pos);
    let data = match vba::le32(d, pos) {
        Some(size) => {
            let start = pos + 4;
            let end = start.saturating_add(size as usize).min(d.len());
            d.get(start..end).unwrap_or_default().to_vec()
        }
        None => Vec::new(),
    };
    Some(Package { label, path, data })
}

/// Field instructions beginning with DDE or DDEAUTO in a Word binary document's text (the field
/// begin mark 0x13, the instruction, then 0x14 or 0x15), in 8-bit and in UTF-16 text.
pub fn dde_fields(word: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for (at, &b) in word.iter().enumerate() {
        if b != 0x13 || found.len() >= 10 {
            continue;
        }
        for wide in [false, true] {
            let step = if wide { 2 } else { 1 };
            let mut text = String::new();
            let mut pos = at + step;
            while text.chars().count() < MAX_FIELD_CHARS {
                let Some(&c) = word.get(pos) else {
                    break;
                };
                if wide && word.get(pos + 1) != Some(&0) {
                    break;
                }
                if c == 0x14 || c == 0x15 || c == 0x13 || (c < 0x20 && c != b'\t') {
                    break;
                }
                text.push(c as char);
                pos += step;
            }
            let instr = text.trim();
            let word0 = instr
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            if (word0 == "DDE" || word0 == "DDEAUTO") && !found.iter().any(|f| f == instr) {
                found.push(instr.to_string());
            }
        }
    }
    found
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// An OLE file with these streams (paths like `/Macros/VBA/dir`), storages made as needed.
    pub(crate) fn ole_of(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut cfb = CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (path, data) in streams {
            let p = std::path::Path::new(path);
            if let Some(parent) = p.parent()
                && parent != std::path::Path::new("/")
            {
                cfb.create_storage_all(parent).unwrap();
            }
            let mut s = cfb.create_stream(path).unwrap();
            s.write_all(data).unwrap();
        }
        cfb.flush().unwrap();
        cfb.into_inner().into_inner()
    }

    /// A VBA project's streams under `storage` (`/Macros`, `/_VBA_PROJECT_CUR`, or `` for a
    /// bare `vbaProject.bin`), one module per `(name, source)`.
    pub(crate) fn vba_streams(storage: &str, modules: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        let names: Vec<(&str, u32)> = modules.iter().map(|(n, _)| (*n, 0u32)).collect();
        let dir = vba::tests::compress_literal(&vba::tests::dir_stream(&names));
        let mut out = vec![
            (format!("{storage}/VBA/dir"), dir),
            (
                format!("{storage}/VBA/_VBA_PROJECT"),
                vec![0xCC, 0x61, 0xFF, 0xFF, 0, 0, 0],
            ),
            (
                format!("{storage}/PROJECT"),
                b"ID=\"{00000000-0000-0000-0000-000000000000}\"\r\n".to_vec(),
            ),
        ];
        for (name, source) in modules {
            out.push((
                format!("{storage}/VBA/{name}"),
                vba::tests::compress_literal(source.as_bytes()),
            ));
        }
        out
    }

    pub(crate) fn ole_with(streams: Vec<(String, Vec<u8>)>) -> Vec<u8> {
        let refs: Vec<(&str, &[u8])> = streams
            .iter()
            .map(|(p, d)| (p.as_str(), d.as_slice()))
            .collect();
        ole_of(&refs)
    }

    /// A Package object's `\x01Ole10Native` stream carrying `name` with `data`.
    pub(crate) fn ole10native(name: &str, data: &[u8]) -> Vec<u8> {
        let mut native = 2u16.to_le_bytes().to_vec();
        native.extend_from_slice(name.as_bytes());
        native.push(0);
        native.extend_from_slice(format!("C:\\Users\\a\\Desktop\\{name}").as_bytes());
        native.push(0);
        native.extend_from_slice(&[0, 0, 3, 0, 0, 0, 0, 0]);
        native.extend_from_slice(format!("C:\\Users\\a\\AppData\\Local\\Temp\\{name}").as_bytes());
        native.push(0);
        native.extend_from_slice(&(data.len() as u32).to_le_bytes());
        native.extend_from_slice(data);
        let mut out = (native.len() as u32).to_le_bytes().to_vec();
        out.extend(native);
        out
    }

    /// A `\x01CompObj` stream naming `prog_id`.
    pub(crate) fn compobj(user_type: &str, prog_id: &str) -> Vec<u8> {
        let mut d = vec![0u8; 28];
        d.extend_from_slice(&(user_type.len() as u32 + 1).to_le_bytes());
        d.extend_from_slice(user_type.as_bytes());
        d.push(0);
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&(prog_id.len() as u32 + 1).to_le_bytes());
        d.extend_from_slice(prog_id.as_bytes());
        d.push(0);
        d
    }

    #[test]
    fn word_document_with_macros() {
        let mut streams = vba_streams(
            "/Macros",
            &[(
                "ThisDocument",
                "Attribute VB_Name = \"ThisDocument\"\r\nSub Document_Open()\r\nShell \"calc\"\r\nEnd Sub\r\n",
            )],
        );
        streams.push((
            "/WordDocument".into(),
            vec![0xEC, 0xA5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ));
        let r = analyse(&ole_with(streams), true).unwrap();
        assert_eq!(r.app, "Word");
        assert_eq!(r.encrypted, None);
        assert_eq!(r.vba.len(), 1);
        assert_eq!(r.vba[0].storage, "/Macros");
        assert_eq!(r.vba[0].modules[0].name, "ThisDocument");
        assert!(r.vba[0].modules[0].source.contains("Shell \"calc\""));
    }

    #[test]
    fn a_forged_dir_still_yields_the_source() {
        let mut streams = vba_streams(
            "",
            &[(
                "Module1",
                "Attribute VB_Name = \"Module1\"\r\nSub AutoOpen()\r\nEnd Sub\r\n",
            )],
        );
        streams[0].1 = b"\x01garbage".to_vec();
        let r = analyse(&ole_with(streams), true).unwrap();
        assert_eq!(r.app, "VBA project");
        assert_eq!(r.vba[0].modules[0].name, "Module1");
        assert!(r.vba[0].modules[0].source.contains("AutoOpen"));
    }

    #[test]
    fn encryption_objects_packages_and_equations() {
        let enc = ole_of(&[("/EncryptionInfo", b"x"), ("/EncryptedPackage", b"y")]);
        assert!(
            analyse(&enc, false)
                .unwrap()
                .encrypted
                .unwrap()
                .contains("EncryptedPackage")
        );

        let word_enc = ole_of(&[(
            "/WordDocument",
            &[0xEC, 0xA5, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01],
        )]);
        assert!(analyse(&word_enc, false).unwrap().encrypted.is_some());

        let pkg = ole_of(&[
            (
                "/\u{1}Ole10Native",
                &ole10native("invoice.pdf.exe", b"MZ\x90\0"),
            ),
            ("/\u{1}CompObj", &compobj("OLE Package", "Package")),
        ]);
        let r = analyse(&pkg, false).unwrap();
        assert_eq!(r.app, "OLE object");
        assert_eq!(r.objects.len(), 1);
        assert_eq!(r.objects[0].class, "Package");
        let p = r.objects[0].package.as_ref().unwrap();
        assert_eq!(p.file_name(), "invoice.pdf.exe");
        assert_eq!(p.data, b"MZ\x90\0");
        assert!(r.equation.is_none());

        let eq = ole_of(&[
            (
                "/\u{1}CompObj",
                &compobj("Microsoft Equation 3.0", "Equation.3"),
            ),
            ("/Equation Native", b"\x1c\0\0\0"),
        ]);
        let r = analyse(&eq, false).unwrap();
        assert!(r.equation.unwrap().contains("Equation.3"));
        // MathType is not the Equation Editor.
        let mt = ole_of(&[(
            "/\u{1}CompObj",
            &compobj("MathType 6.0 Equation", "Equation.DSMT4"),
        )]);
        assert!(analyse(&mt, false).unwrap().equation.is_none());
    }

    #[test]
    fn word_dde_fields_in_8_and_16_bit_text() {
        let mut doc =
            b"hello \x13 DDEAUTO c:\\windows\\system32\\cmd.exe \"/k calc\" \x14result\x15"
                .to_vec();
        let wide: Vec<u8> = "\u{13}DDE powershell -c x\u{15}"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        doc.extend(wide);
        doc.extend_from_slice(b"\x13 HYPERLINK \"x\" \x15");
        let f = dde_fields(&doc);
        assert_eq!(
            f,
            [
                "DDEAUTO c:\\windows\\system32\\cmd.exe \"/k calc\"",
                "DDE powershell -c x"
            ]
        );
    }

    #[test]
    fn broken_files_are_errors_not_panics() {
        let good = ole_with(vba_streams(
            "/Macros",
            &[("M", "Sub AutoOpen()\r\nEnd Sub\r\n")],
        ));
        // Cut inside its sector table, the file cannot be read as a compound file.
        assert!(analyse(&good[..600], true).is_err());
        let mut seed: u64 = 0x1234_5678_9ABC_DEF1;
        for _ in 0..300 {
            let mut d = good.clone();
            for _ in 0..8 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed as usize) % d.len();
                d[at] = (seed >> 32) as u8;
            }
            let _ = analyse(&d, true);
        }
        assert!(parse_package(b"").is_none());
        assert_eq!(compobj_names(b"short"), (None, None));
    }
}
