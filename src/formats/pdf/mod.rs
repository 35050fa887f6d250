//! PDF files read two ways: a byte scan (`raw`, pdfid-like counts that see `#xx`-obfuscated
//! names and work on any file) and lopdf's object model (`model`), with a recovery view of
//! damaged or disguised files (`recover`, objects found by their headers) and the signs in their
//! scripts (`javascript`). `analyse` gives the facts of one file; the PDF check
//! (`checks::attachments::pdf`) judges them.

pub mod javascript;
pub mod model;
pub mod raw;
pub mod recover;

use model::Model;
use raw::RawScan;
use recover::Recovery;

/// Larger PDFs get the byte scan only: lopdf builds every object in memory.
pub const MAX_MODEL_BYTES: usize = 32 * 1024 * 1024;
/// More `endobj` than this and the object model is not built (memory for the objects).
pub const MAX_MODEL_OBJECTS: usize = model::MAX_OBJECTS;

/// Both views of one PDF.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub raw: RawScan,
    /// The object model, or why there is none.
    pub model: Result<Model, String>,
    /// The recovery view (objects found by their headers, streams decoded), for files that
    /// are damaged or disguised, or whose active names the object model did not account for.
    pub recovery: Option<Recovery>,
}

/// Whether the recovery view is needed: active names in the bytes, and a model that failed,
/// repaired the file, was fooled by escaped names, or found no script that runs on open while
/// the bytes show scripts or triggers.
fn needs_recovery(raw: &RawScan, model: &Result<Model, String>) -> bool {
    let scripts_or_triggers = ["JS", "JavaScript", "OpenAction", "AA", "ObjStm", "XFA"]
        .iter()
        .any(|k| raw.count(k) > 0);
    if !scripts_or_triggers {
        return false;
    }
    match model {
        Err(_) => true,
        Ok(m) => {
            m.repaired.is_some()
                || raw.obfuscated_total() > 0
                || !m.scripts.iter().any(|s| s.autorun.is_some())
        }
    }
}

/// Analyses one PDF: the byte scan always, the object model when the file is within the
/// limits. Decompression is taken from `bytes_left`; `extract` keeps embedded files' bytes.
pub fn analyse(data: &[u8], bytes_left: &mut u64, extract: bool) -> Analysis {
    let raw = raw::scan(data);
    let model = if data.len() > MAX_MODEL_BYTES {
        Err(format!(
            "the file is {} bytes, over the {MAX_MODEL_BYTES} bytes the object model is built for",
            data.len()
        ))
    } else if raw.endobj > MAX_MODEL_OBJECTS {
        Err(format!(
            "the file has {} objects, over the {MAX_MODEL_OBJECTS} the object model is built for",
            raw.endobj
        ))
    } else if !raw.has_active_names() {
        // Nothing the object model reports can be there: scripts, actions, embedded files,
        // links and forms all need one of these names in the bytes, and objects packed in
        // compressed object streams show as /ObjStm. Most business PDFs take this path, which
        // spares building every object.
        Ok(Model::default())
    } else if let Some(model) = links_only(data, &raw) {
        Ok(model)
    } else {
        model::analyse(data, bytes_left, extract)
    };
    let recovery = needs_recovery(&raw, &model).then(|| recover::recover(data, bytes_left));
    Analysis {
        raw,
        model,
        recovery,
    }
}

/// A document of several pages whose only active names are its links (`/URI`), with a sound
/// cross-reference table and every link target written as a string: the object model would
/// tell nothing the bytes do not (no scripts, actions, files or forms; the single-link lure
/// needs one page; repairs need a damaged table), so the links are read from the bytes and the
/// objects are not built. This is most PDFs with links, and building the objects cost as much
/// as the rest of the message's scan.
pub(crate) fn links_only(data: &[u8], raw: &RawScan) -> Option<Model> {
    let only_links = raw::KEYWORDS
        .iter()
        .zip(raw.counts)
        .all(|(k, n)| n == 0 || *k == "URI" || *k == "Page");
    if !only_links
        || raw.count("URI") == 0
        || raw.count("Page") < 2
        || raw.obfuscated_total() > 0
        || !raw::xref_table_ok(data)
    {
        return None;
    }
    let mut model = Model {
        pages: raw.count("Page"),
        ..Model::default()
    };
    for value in raw::uri_strings(data)? {
        let uri = model::text_string(&value).trim().to_string();
        if !uri.is_empty() && model.uris.len() < model::MAX_URIS && !model.uris.contains(&uri) {
            model.uris.push(uri);
        }
    }
    Some(model)
}
