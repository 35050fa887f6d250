//! Office documents: VBA macros that run on open and start programs, Excel 4.0 macro sheets,
//! remote templates, DDE fields, embedded objects and Package files, Equation Editor objects,
//! encryption, and RTF files built to exploit Word. A file is judged by its bytes, whatever its
//! name: OLE2 (`ole`), Office Open XML (`ooxml`), RTF (`rtf`), Excel SYLK (`xlm`).
//!
//! The readers (`formats::office`) give the facts; this module judges them, in two stages. The
//! opener (`open`, in `engine::openers::ALL`) reads each OLE2 or RTF document once
//! (`formats::office::read`), pulls out the files it carries — a Package object's payload, an
//! RTF's embedded OLE objects — so every attachment check sees them (`2/a.rtf!/payload.exe`),
//! marks encrypted documents (`Attachment::encrypted`, which ARCHIVE_PASSWORD_IN_BODY reads) and
//! leaves what it read on the attachment (`Attachment::office`). The check (`check`) judges
//! every document, at any depth, from that reading, reading only the documents the container
//! stage did not open, with the word lists of `signatures/lists/vba_*.txt` (which an opener gets
//! only in a scan: `Budget::lists`). OOXML packages are listed by the zip opener; their parts are
//! read from those children (or from the zip, when the package was nested too deep to be
//! opened).

use crate::formats::office::{Document, ole, ooxml, rtf, vba, xlm};

use crate::checks::Context;
use crate::finding::Finding;
use crate::formats::bytes::find;
use crate::message::opener::{Budget, Child, Opened};
use crate::message::{Attachment, containers};
use crate::signatures::Lists;

/// Findings of one rule listed per document, at most (objects, packages, templates).
const MAX_LISTED: usize = 5;
/// Characters of evidence kept (instructions, excerpts).
const EVIDENCE_CHARS: usize = 160;

/// The opener: reads an OLE2 or RTF document, extracts the files it carries, marks it
/// encrypted, and leaves what it read for the check. Claims OLE2 and RTF files; OOXML packages
/// are the zip opener's.
pub fn open(att: &Attachment, budget: &mut Budget, out: &mut Opened) -> bool {
    let Some(document) = crate::formats::office::read(&att.data) else {
        return false;
    };
    match &document {
        Document::Ole(Ok(report)) => {
            out.encrypted |= report.encrypted.is_some();
            for package in report.objects.iter().filter_map(|o| o.package.as_ref()) {
                add_child(budget, out, package.file_name(), &package.data);
            }
        }
        Document::Ole(Err(_)) => {}
        Document::Rtf(parsed) => {
            for (n, object) in parsed.objects.iter().enumerate() {
                if let Some(package) = object.package() {
                    add_child(budget, out, package.file_name(), &package.data);
                } else if ole::is_ole(object.native()) {
                    add_child(budget, out, format!("object{}.bin", n + 1), object.native());
                }
            }
        }
    }
    out.office = Some(std::sync::Arc::new(document));
    true
}

fn add_child(budget: &mut Budget, out: &mut Opened, name: String, data: &[u8]) {
    if budget.entries_left == 0 {
        return;
    }
    budget.entries_left -= 1;
    let data = if (data.len() as u64) <= budget.bytes_left {
        budget.bytes_left -= data.len() as u64;
        data.to_vec()
    } else {
        Vec::new()
    };
    let name = if name.trim().is_empty() {
        "package.bin".to_string()
    } else {
        name
    };
    out.children.push(Child {
        name: Some(name),
        data,
        content_type: None,
    });
}

/// The check: every Office document and RTF among the attachments, at any depth.
pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let atts = &ctx.msg.attachments;
    let lists = &ctx.signatures.lists;
    for (i, att) in atts.iter().enumerate() {
        if ctx.out_of_time("attachments.office", &att.location, out) {
            break;
        }
        let data = &att.data;
        let report = Reporter {
            file: label(atts, i),
            location: att.location.as_str(),
            lists,
        };
        if ole::is_ole(data) {
            let parent_is_rtf = att
                .parent
                .and_then(|p| atts.get(p))
                .is_some_and(|p| rtf::is_rtf(&p.data));
            // An OLE file in an OOXML package's `embeddings/` is an embedded object itself.
            let embedded = att
                .name
                .as_deref()
                .is_some_and(|n| n.to_ascii_lowercase().contains("embeddings/"));
            let fresh;
            let read = match att.office.as_deref() {
                Some(Document::Ole(read)) => read,
                _ => {
                    fresh = ole::analyse(data, true);
                    &fresh
                }
            };
            report.ole(read, parent_is_rtf, embedded, out);
        } else if rtf::is_rtf(data) {
            let fresh;
            let parsed = match att.office.as_deref() {
                Some(Document::Rtf(parsed)) => parsed,
                _ => {
                    fresh = rtf::parse(data);
                    &fresh
                }
            };
            report.rtf(data, parsed, out);
        } else if containers::zip::is_zip(data) {
            let children: Vec<ooxml::Part<'_>> = atts
                .iter()
                .filter(|c| c.parent == Some(i))
                .filter_map(|c| {
                    Some(ooxml::Part {
                        name: c.name.as_deref()?,
                        data: &c.data,
                    })
                })
                .collect();
            if ooxml::is_package(&children) {
                report.ooxml(att, &children, true, out);
            } else if children.is_empty()
                && find(
                    data.get(..64 * 1024).unwrap_or(data),
                    b"[Content_Types].xml",
                )
                .is_some()
                && let Some(parts) = ooxml::read_parts(data)
            {
                let parts: Vec<ooxml::Part<'_>> = parts
                    .iter()
                    .map(|(n, d)| ooxml::Part { name: n, data: d })
                    .collect();
                report.ooxml(att, &parts, false, out);
            }
        } else if data.starts_with(b"ID;")
            && let Some(x) = xlm::scan_sylk(&String::from_utf8_lossy(data))
        {
            report.xlm(&x, out);
        } else if let Some(fields) = ooxml::flat_xml_dde(data) {
            report.dde(&fields, out);
        } else if is_csv(att) {
            report.dde(&ooxml::dde_formulas(&String::from_utf8_lossy(data)), out);
        }
    }
}

/// A text file Excel opens as a spreadsheet by its name.
fn is_csv(att: &Attachment) -> bool {
    let ext = att
        .name
        .as_deref()
        .and_then(crate::formats::sniff::last_extension)
        .unwrap_or_default();
    matches!(ext.as_str(), "csv" | "tsv" | "prn" | "dif")
        && crate::formats::bytes::looks_like_text(&att.data)
}

/// How a document is named in reasons: its name, and for a file inside another, the path
/// through its containers (`a.docx!/word/embeddings/oleObject1.bin`). A VBA project is named
/// after the document that holds it.
fn label(atts: &[Attachment], i: usize) -> String {
    let mut parts = Vec::new();
    let mut at = Some(i);
    while let Some(n) = at {
        let Some(a) = atts.get(n) else {
            break;
        };
        parts.push(containers::display_name(a));
        at = a.parent.filter(|&p| p < n);
        if parts.len() > 16 {
            break;
        }
    }
    let is_vba_project = parts
        .first()
        .is_some_and(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"));
    if is_vba_project && parts.len() > 1 {
        parts.remove(0);
    }
    parts.reverse();
    parts.join("!/")
}

struct Reporter<'a> {
    file: String,
    location: &'a str,
    lists: &'a Lists,
}

impl Reporter<'_> {
    fn finding(&self, rule: &'static str) -> Finding {
        Finding::new(rule, self.location).with("file", self.file.clone())
    }

    fn ole(
        &self,
        read: &Result<ole::Report, String>,
        parent_is_rtf: bool,
        embedded: bool,
        out: &mut Vec<Finding>,
    ) {
        let r = match read {
            Ok(r) => r,
            Err(e) => {
                out.push(
                    self.finding("OFFICE_MALFORMED")
                        .with("detail", format!("the OLE2 structure cannot be read ({e})")),
                );
                return;
            }
        };
        if let Some(how) = r.encrypted {
            out.push(self.finding("OFFICE_ENCRYPTED").with("how", how));
        }
        for project in &r.vba {
            self.vba(&project.modules, out);
        }
        if let Some(x) = &r.xlm {
            self.xlm(x, out);
        }
        // The root of an "OLE object" is listed already; a document embedded whole is not.
        let mut objects = std::borrow::Cow::Borrowed(r.objects.as_slice());
        if embedded && r.app != "OLE object" {
            let class = r.root_class.clone().unwrap_or_else(|| r.app.to_string());
            objects.to_mut().insert(
                0,
                ole::Object {
                    class,
                    package: None,
                },
            );
        }
        self.objects(&objects, out);
        if let Some(why) = &r.equation
            && !parent_is_rtf
        {
            out.push(
                self.finding("OFFICE_EQUATION_EDITOR")
                    .with("why", why.as_str()),
            );
        }
        self.dde(&r.dde, out);
    }

    fn vba(&self, modules: &[vba::Module], out: &mut Vec<Finding>) {
        let with_code: Vec<&vba::Module> = modules
            .iter()
            .filter(|m| {
                m.source.lines().any(|l| {
                    let l = l.trim();
                    !l.is_empty() && !l.to_ascii_lowercase().starts_with("attribute ")
                })
            })
            .collect();
        if modules.is_empty() {
            out.push(
                self.finding("OFFICE_MACRO")
                    .with("modules", "(the source could not be read)")
                    .with("summary", "a VBA project is present"),
            );
            return;
        }
        if with_code.is_empty() {
            // A VBA storage whose modules hold no code: left over from deleted macros.
            return;
        }
        let lists = self.lists.vba();
        let mut all = vba::Classified::default();
        let mut per_module = Vec::new();
        for m in &with_code {
            let c = vba::classify(&m.source, lists);
            vba::merge(&mut all, &c);
            per_module.push((m.name.as_str(), c));
        }
        let names: Vec<String> = with_code
            .iter()
            .take(MAX_LISTED)
            .map(|m| format!("`{}`", m.name))
            .collect();
        let mut modules_text = names.join(", ");
        if with_code.len() > MAX_LISTED {
            modules_text.push_str(&format!(" (+{})", with_code.len() - MAX_LISTED));
        }
        if all.is_suspicious() {
            let (module, excerpt) = per_module
                .iter()
                .find(|(_, c)| c.excerpt.is_some() && !c.actions().is_empty())
                .map(|(n, c)| (n.to_string(), c.excerpt.clone().unwrap_or_default()))
                .unwrap_or_default();
            let mut actions = all.actions().join(", ");
            if !all.obfuscation.is_empty() {
                actions.push_str(&format!("; obfuscation: {}", all.obfuscation.join(", ")));
            }
            out.push(
                self.finding("OFFICE_MACRO_AUTOEXEC_EXECUTE")
                    .with("module", module)
                    .with("autoexec", all.autoexec.join(", "))
                    .with("actions", actions)
                    .with("excerpt", vba::shorten(&excerpt, EVIDENCE_CHARS)),
            );
        } else {
            let mut summary = Vec::new();
            if all.autoexec.is_empty() {
                summary.push("no automatic start".to_string());
            } else {
                summary.push(format!("starts on its own ({})", all.autoexec.join(", ")));
            }
            let actions = all.actions();
            if actions.is_empty() {
                summary.push("no commands that run programs or write files".into());
            } else {
                summary.push(format!("uses {}", actions.join(", ")));
            }
            if !all.obfuscation.is_empty() {
                summary.push(format!("obfuscation: {}", all.obfuscation.join(", ")));
            }
            out.push(
                self.finding("OFFICE_MACRO")
                    .with("modules", modules_text)
                    .with("summary", summary.join("; ")),
            );
        }
    }

    fn xlm(&self, x: &xlm::Xlm, out: &mut Vec<Finding>) {
        let functions: Vec<&str> = x.functions.iter().copied().collect();
        let sheets = x
            .sheets
            .iter()
            .take(MAX_LISTED)
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let listed = if functions.is_empty() {
            "no known dangerous function found".to_string()
        } else {
            functions.join(", ")
        };
        match &x.auto_open {
            Some(trigger) if !functions.is_empty() => out.push(
                self.finding("OFFICE_XLM_AUTO_OPEN")
                    .with("trigger", trigger.as_str())
                    .with("sheets", sheets)
                    .with("functions", listed),
            ),
            _ => out.push(
                self.finding("OFFICE_XLM_MACRO")
                    .with("sheets", sheets)
                    .with("functions", listed)
                    .with(
                        "trigger",
                        x.auto_open
                            .as_deref()
                            .map_or("none".to_string(), |t| format!("`{t}`")),
                    ),
            ),
        }
    }

    fn objects(&self, objects: &[ole::Object], out: &mut Vec<Finding>) {
        if objects.is_empty() {
            return;
        }
        let listed: Vec<String> = objects
            .iter()
            .take(MAX_LISTED)
            .map(|o| match &o.package {
                Some(p) => format!("{} `{}`", o.class, p.file_name()),
                None => o.class.clone(),
            })
            .collect();
        out.push(
            self.finding("OFFICE_EMBEDDED_OBJECT")
                .with("count", objects.len().to_string())
                .with("objects", listed.join(", ")),
        );
        for p in objects
            .iter()
            .filter_map(|o| o.package.as_ref())
            .take(MAX_LISTED)
        {
            self.package(p, out);
        }
    }

    fn package(&self, p: &ole::Package, out: &mut Vec<Finding>) {
        out.push(
            self.finding("OFFICE_EMBEDDED_PACKAGE")
                .with("name", p.file_name())
                .with(
                    "path",
                    if p.path.is_empty() {
                        "-"
                    } else {
                        p.path.as_str()
                    },
                )
                .with("size", p.data.len().to_string()),
        );
    }

    fn dde(&self, fields: &[String], out: &mut Vec<Finding>) {
        let Some(first) = fields.first() else {
            return;
        };
        let commands = &self.lists.dde_commands;
        let runs = fields.iter().find(|f| {
            let lower = f.to_ascii_lowercase();
            commands.iter().any(|c| lower.contains(c.as_str()))
        });
        match runs {
            Some(f) => out.push(
                self.finding("OFFICE_DDE_EXECUTE")
                    .with("field", vba::shorten(f, EVIDENCE_CHARS)),
            ),
            None => out.push(
                self.finding("OFFICE_DDE")
                    .with("count", fields.len().to_string())
                    .with("field", vba::shorten(first, EVIDENCE_CHARS)),
            ),
        }
    }

    fn rtf(&self, data: &[u8], r: &rtf::Rtf, out: &mut Vec<Finding>) {
        if !r.objects.is_empty() {
            let classes: Vec<String> = r
                .objects
                .iter()
                .take(MAX_LISTED)
                .map(|o| o.class().unwrap_or("unknown class").to_string())
                .collect();
            out.push(
                self.finding("OFFICE_RTF_OBJECT")
                    .with("count", r.objects.len().to_string())
                    .with("classes", classes.join(", ")),
            );
        }
        if let Some(o) = r.objects.iter().find(|o| o.autoupdate) {
            out.push(
                self.finding("OFFICE_RTF_AUTOLOAD")
                    .with("class", o.class().unwrap_or("unknown class")),
            );
        }
        let equation = r.objects.iter().find_map(|o| {
            if let Some(c) = o.class().filter(|c| ole::is_equation_class(c)) {
                return Some(format!("object class `{c}`"));
            }
            if o.objclass.as_deref().is_some_and(ole::is_equation_class) {
                return Some(format!(
                    "object class `{}`",
                    o.objclass.as_deref().unwrap_or("")
                ));
            }
            let native = o.native();
            if ole::is_ole(native) {
                return ole::analyse(native, false).ok()?.equation;
            }
            None
        });
        if let Some(why) = equation {
            out.push(self.finding("OFFICE_EQUATION_EDITOR").with("why", why));
        }
        for p in r
            .objects
            .iter()
            .filter_map(rtf::RtfObject::package)
            .take(MAX_LISTED)
        {
            self.package(&p, out);
        }
        let anomalies = rtf::anomalies(data, r);
        if !anomalies.is_empty() {
            out.push(
                self.finding("OFFICE_RTF_ANOMALY")
                    .with("anomalies", anomalies.join("; ")),
            );
        }
        self.dde(&r.dde, out);
    }

    fn ooxml(
        &self,
        att: &Attachment,
        parts: &[ooxml::Part<'_>],
        expanded: bool,
        out: &mut Vec<Finding>,
    ) {
        let o = ooxml::analyse(parts);
        let ext = att
            .name
            .as_deref()
            .and_then(crate::formats::sniff::last_extension)
            .unwrap_or_default();
        let macro_free_name = matches!(
            ext.as_str(),
            "docx" | "dotx" | "xlsx" | "xltx" | "pptx" | "potx" | "ppsx"
        );
        if macro_free_name {
            let what = match (&o.macro_content_type, &o.vba_project) {
                (Some(ct), _) => Some(format!("content type `{ct}`")),
                (None, Some(part)) => Some(format!("a VBA project (`{part}`)")),
                _ => None,
            };
            if let Some(what) = what {
                out.push(
                    self.finding("OFFICE_MACRO_CONTENT_MISMATCH")
                        .with("ext", format!(".{ext}"))
                        .with("what", what),
                );
            }
        }
        for e in o.external.iter().take(MAX_LISTED) {
            out.push(
                self.finding("OFFICE_REMOTE_TEMPLATE")
                    .with("kind", e.kind.as_str())
                    .with("target", e.target.as_str()),
            );
        }
        self.dde(&o.dde, out);
        if let Some(x) = &o.xlm {
            self.xlm(x, out);
        }
        if !expanded {
            // The zip opener did not list the parts: the VBA project and embedded objects are
            // analysed from here.
            for part in parts.iter().filter(|p| ole::is_ole(p.data)) {
                let inner = Reporter {
                    file: format!("{}!/{}", self.file, part.name),
                    location: self.location,
                    lists: self.lists,
                };
                let inner = if part.name.to_ascii_lowercase().ends_with("vbaproject.bin") {
                    Reporter {
                        file: self.file.clone(),
                        ..inner
                    }
                } else {
                    inner
                };
                let embedded = part.name.to_ascii_lowercase().contains("embeddings/");
                inner.ole(&ole::analyse(part.data, true), false, embedded, out);
            }
        }
    }
}

impl Lists {
    /// The VBA word lists, for `vba::classify`.
    pub fn vba(&self) -> vba::VbaLists<'_> {
        vba::VbaLists {
            autoexec: &self.vba_autoexec,
            write: &self.vba_write,
            execute: &self.vba_execute,
            download: &self.vba_download,
            obfuscation: &self.vba_obfuscation,
        }
    }
}

#[cfg(test)]
mod tests;
