//! What a file really is, judged from its bytes alone, and whether its name or declared type
//! claims something less dangerous than that.
//!
//! `sniff` is the one place that decides a file's real type; other checks (and openers) call it
//! rather than looking at magic bytes of their own.

use super::script;

/// How much harm opening a file of some type can do, in rising order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
    /// Pictures, sound, video, plain text, unknown data: opened by a viewer.
    Inert,
    /// Documents that may carry active content (macros, JavaScript, embedded objects).
    Document,
    /// Archives and disk images: hold other files, hide them from gateways.
    Container,
    /// Runs code when opened: programs, scripts, shortcuts, help files.
    Active,
}

/// A file's real type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Windows program or library (`MZ` … `PE\0\0`), or a DOS/NE executable: which, in words
    /// (`executable::mz_label`).
    Pe(&'static str),
    Elf,
    MachO,
    /// Windows shortcut (`.lnk`).
    Lnk,
    /// Compiled HTML help (`ITSF`): runs script.
    Chm,
    /// OneNote section: embeds files that run on a click.
    OneNote,
    Script(script::ScriptHit),
    /// OLE2 compound file: Office 97-2003, MSI, Outlook .msg, encrypted OOXML.
    Ole2,
    Pdf,
    Rtf,
    /// Zip-based document formats, by the extension infer names (`docx`, `odt`, `epub`, ...).
    ZipDocument(&'static str),
    Zip,
    /// Other archives and disk images, by a short name (`rar`, `7z`, `iso`, ...).
    Archive(&'static str),
    /// Pictures, sound, video and fonts, by infer's extension.
    Media(&'static str),
    Text,
    /// Text that is markup a browser opens: a web page (`html`) or an SVG picture (`svg`).
    Markup(&'static str),
    Unknown,
}

/// The result of sniffing: the real type and a label for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: Kind,
}

impl Sniffed {
    pub fn risk(&self) -> Risk {
        match self.kind {
            Kind::Pe(_)
            | Kind::Elf
            | Kind::MachO
            | Kind::Lnk
            | Kind::Chm
            | Kind::OneNote
            | Kind::Script(_) => Risk::Active,
            Kind::Zip | Kind::Archive(_) => Risk::Container,
            Kind::Ole2 | Kind::Pdf | Kind::Rtf | Kind::ZipDocument(_) => Risk::Document,
            Kind::Media(_) | Kind::Text | Kind::Markup(_) | Kind::Unknown => Risk::Inert,
        }
    }

    /// A short name of the type, in English: the one description of a file's real kind in the
    /// attachment list and in every rule's evidence.
    pub fn label(&self) -> String {
        match &self.kind {
            Kind::Pe(what) => (*what).into(),
            Kind::Elf => "Linux/Unix executable (ELF)".into(),
            Kind::MachO => "macOS executable (Mach-O)".into(),
            Kind::Lnk => "Windows shortcut (LNK)".into(),
            Kind::Chm => "compiled HTML help (CHM)".into(),
            Kind::OneNote => "OneNote document".into(),
            Kind::Script(s) => s.kind.label().into(),
            Kind::Ole2 => "OLE2 compound file (Office 97-2003/MSI)".into(),
            Kind::Pdf => "PDF document".into(),
            Kind::Rtf => "RTF document".into(),
            Kind::ZipDocument(ext) => format!("{} document (zip-based)", ext.to_uppercase()),
            Kind::Zip => "ZIP archive".into(),
            Kind::Archive(name) => format!("{} archive", name.to_uppercase()),
            Kind::Media(ext) => format!("{} file", ext.to_uppercase()),
            Kind::Text => "plain text".into(),
            Kind::Markup("svg") => "SVG picture (opens in a browser)".into(),
            Kind::Markup(_) => "web page (HTML)".into(),
            Kind::Unknown => "unrecognised data".into(),
        }
    }

    /// `label` in Japanese, for what staff read (format names stay as they are written).
    pub fn label_ja(&self) -> String {
        match &self.kind {
            Kind::Pe(what) => match *what {
                "DOS executable (MZ, no PE header)" => {
                    "DOS 実行ファイル（MZ ヘッダーのみ、PE ヘッダーなし）".into()
                }
                "16-bit Windows executable (NE)" => "16 ビット Windows 実行ファイル（NE）".into(),
                "OS/2 or VxD executable (LE/LX)" => "OS/2 または VxD 実行ファイル（LE/LX）".into(),
                _ => "Windows 実行ファイル（PE）".into(),
            },
            Kind::Elf => "Linux/Unix 実行ファイル（ELF）".into(),
            Kind::MachO => "macOS 実行ファイル（Mach-O）".into(),
            Kind::Lnk => "Windows ショートカット（LNK）".into(),
            Kind::Chm => "コンパイル済み HTML ヘルプ（CHM）".into(),
            Kind::OneNote => "OneNote 文書".into(),
            Kind::Script(s) => format!("スクリプト（{}）", s.kind.label()),
            Kind::Ole2 => "OLE2 複合ファイル（Office 97-2003/MSI）".into(),
            Kind::Pdf => "PDF 文書".into(),
            Kind::Rtf => "RTF 文書".into(),
            Kind::ZipDocument(ext) => format!("{} 文書（zip 形式）", ext.to_uppercase()),
            Kind::Zip => "ZIP 圧縮ファイル".into(),
            Kind::Archive(name) => {
                format!("{} 圧縮ファイル・ディスクイメージ", name.to_uppercase())
            }
            Kind::Media(ext) => format!(
                "{} ファイル（画像・音声・動画・フォント）",
                ext.to_uppercase()
            ),
            Kind::Text => "テキスト".into(),
            Kind::Markup("svg") => "SVG 画像（ブラウザーで開きます）".into(),
            Kind::Markup(_) => "ウェブページ（HTML）".into(),
            Kind::Unknown => "形式不明のデータ".into(),
        }
    }
}

/// Where PDF readers still accept the `%PDF` header (Acrobat: within the first 1024 bytes).
const PDF_HEADER_WINDOW: usize = 1024;

/// The real type of `data`, from magic bytes (our own checks first, then the `infer` crate), and
/// for text, from what the text does (see `script`).
pub fn sniff(data: &[u8]) -> Sniffed {
    Sniffed { kind: kind(data) }
}

fn kind(data: &[u8]) -> Kind {
    if super::executable::is_pe(data) {
        return Kind::Pe(super::executable::mz_label(data));
    }
    if data.starts_with(b"\x7fELF") {
        return Kind::Elf;
    }
    if super::executable::is_macho(data) {
        return Kind::MachO;
    }
    if data.starts_with(&LNK_HEADER) {
        return Kind::Lnk;
    }
    if data.starts_with(b"ITSF\x03\x00\x00\x00") {
        return Kind::Chm;
    }
    if data.starts_with(&ONENOTE_GUID) {
        return Kind::OneNote;
    }
    if data.starts_with(&OLE2_MAGIC) {
        return Kind::Ole2;
    }
    if data.starts_with(b"{\\rt") {
        // Word opens `{\rt` followed by anything as RTF, so exploits drop the `f`.
        return Kind::Rtf;
    }
    let head = data.get(..PDF_HEADER_WINDOW).unwrap_or(data);
    if find(head, b"%PDF").is_some() {
        return Kind::Pdf;
    }
    if is_iso9660(data) {
        return Kind::Archive("iso");
    }
    if data.starts_with(b"PK\x03\x04") || data.starts_with(b"PK\x05\x06") {
        return match infer::get(data).map(|t| t.extension()) {
            Some(ext @ ("docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp" | "epub")) => {
                Kind::ZipDocument(ext)
            }
            _ if find(data.get(..4096).unwrap_or(data), b"[Content_Types].xml").is_some() => {
                Kind::ZipDocument("ooxml")
            }
            _ => Kind::Zip,
        };
    }
    if let Some(t) = infer::get(data) {
        use infer::MatcherType as M;
        match t.matcher_type() {
            M::Archive => {
                return match t.extension() {
                    "pdf" => Kind::Pdf,
                    "rtf" => Kind::Rtf,
                    "msi" => Kind::Ole2,
                    other => Kind::Archive(other),
                };
            }
            M::Image | M::Video | M::Audio | M::Font => return Kind::Media(t.extension()),
            // Text (HTML, XML, shell) falls through to the script check below.
            _ => {}
        }
    }
    if let Some(hit) = script::detect(data) {
        return Kind::Script(hit);
    }
    if looks_like_text(data) {
        match super::markup::markup_kind(data) {
            Some(m) => Kind::Markup(m),
            None => Kind::Text,
        }
    } else {
        Kind::Unknown
    }
}

/// `ShellLinkHeader`: header size 0x4C and the LNK class id.
pub(crate) const LNK_HEADER: [u8; 20] = [
    0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x46,
];

pub(crate) const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// `{7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}`, the OneNote revision-store file format.
pub(crate) const ONENOTE_GUID: [u8; 16] = [
    0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3,
];

/// ISO 9660 volume descriptor `CD001` in one of the first sectors after the 32 KiB system area.
fn is_iso9660(data: &[u8]) -> bool {
    [0x8001, 0x8801, 0x9001]
        .iter()
        .any(|&at| data.get(at..at + 5) == Some(b"CD001"))
}

/// No NUL bytes and few other control characters at the start: text of some encoding.
pub(crate) fn looks_like_text(data: &[u8]) -> bool {
    let head = data.get(..8192).unwrap_or(data);
    if head.is_empty() {
        return false;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    controls == 0 || (!head.contains(&0) && controls * 100 < head.len())
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The last extension of a name, lower-cased, as Windows would see it (trailing dots and spaces
/// and hidden characters ignored).
pub(crate) fn last_extension(name: &str) -> Option<String> {
    let cleaned: String = name
        .chars()
        .filter(|&c| !crate::text::hidden::is_hidden_char(c))
        .collect();
    let base = cleaned.rsplit(['/', '\\']).next().unwrap_or(&cleaned);
    let base = base.trim_end_matches([' ', '.', '\u{3000}']);
    let (stem, ext) = base.rsplit_once('.')?;
    let ext = ext.trim().to_lowercase();
    (!stem.is_empty() && !ext.is_empty()).then_some(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pe() -> Vec<u8> {
        crate::formats::executable::tests::minimal_pe(false, 2)
    }

    #[test]
    fn magic_bytes_are_recognised() {
        assert_eq!(sniff(&pe()).kind, Kind::Pe("Windows executable (PE)"));
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01").kind, Kind::Elf);
        assert_eq!(sniff(&LNK_HEADER).kind, Kind::Lnk);
        assert_eq!(sniff(&OLE2_MAGIC).kind, Kind::Ole2);
        assert_eq!(sniff(b"{\\rtf1\\ansi hello}").kind, Kind::Rtf);
        assert_eq!(sniff(b"{\\rt exploit").kind, Kind::Rtf);
        let mut late_pdf = vec![b' '; 700];
        late_pdf.extend_from_slice(b"%PDF-1.7\n");
        assert_eq!(sniff(&late_pdf).kind, Kind::Pdf);
        let mut too_late = vec![b'x'; 1100];
        too_late.extend_from_slice(b"%PDF-1.7\n");
        assert_eq!(sniff(b"%PDF\n1 0 obj").kind, Kind::Pdf);
        assert_eq!(sniff(&too_late).kind, Kind::Text);
        assert_eq!(sniff(b"PK\x03\x04\x14\x00junk").kind, Kind::Zip);
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").kind,
            Kind::Media("png")
        );
        assert_eq!(sniff(b"Hello,\r\nsee you tomorrow.\r\n").kind, Kind::Text);
        assert_eq!(sniff(b"").kind, Kind::Unknown);
    }

    /// Issue 18 item 6: one description of a file's real kind everywhere: a web page is not
    /// "plain text", and an MZ file without a PE header is the DOS executable `EXE_PROGRAM`
    /// describes, in the attachment list too.
    #[test]
    fn web_pages_and_dos_programs_are_named_as_what_they_are() {
        let page =
            sniff(b"<!DOCTYPE html>\n<html><body><p>\xe8\xa6\x8b\xe7\xa9\x8d</p></body></html>");
        assert_eq!(page.kind, Kind::Markup("html"));
        assert_eq!(page.label(), "web page (HTML)");
        assert_eq!(page.label_ja(), "ウェブページ（HTML）");
        assert_eq!(page.risk(), Risk::Inert);
        let svg =
            sniff(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>");
        assert_eq!(svg.kind, Kind::Markup("svg"));
        let mut dos = b"MZ".to_vec();
        dos.extend_from_slice(&[0u8; 62]);
        dos.extend_from_slice(b"not a PE header");
        let sniffed = sniff(&dos);
        let program = crate::formats::executable::describe(&dos).unwrap();
        assert_eq!(sniffed.label(), program.description);
        assert_eq!(sniffed.label(), "DOS executable (MZ, no PE header)");
        let mut iso = vec![0u8; 0x8006];
        iso[0x8001..0x8006].copy_from_slice(b"CD001");
        assert_eq!(sniff(&iso).kind, Kind::Archive("iso"));
    }

    #[test]
    fn risk_orders_types() {
        assert!(sniff(&pe()).risk() > sniff(b"PK\x03\x04").risk());
        assert!(sniff(b"PK\x03\x04").risk() > sniff(b"%PDF-1.4").risk());
        assert!(sniff(b"%PDF-1.4").risk() > sniff(b"plain words").risk());
    }

    #[test]
    fn extension_ignores_hidden_characters_and_trailing_dots() {
        assert_eq!(last_extension("a.PDF. . ").as_deref(), Some("pdf"));
        assert_eq!(last_extension("a.ex\u{200B}e").as_deref(), Some("exe"));
        assert_eq!(last_extension(".bashrc"), None);
        assert_eq!(last_extension("noext"), None);
    }
}
