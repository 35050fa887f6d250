//! RTF documents: embedded OLE objects (`\object` … `\objdata`), how they load (`\objupdate`),
//! their class (`\objclass`, the OLE1 header), Package objects carrying files, DDE fields, and
//! the tricks exploit RTFs play on parsers (control words inside the hex data, deep nesting, a
//! damaged header). A single bounded pass: decoded object data, nesting and strings are capped.

use super::ole;
use super::vba::le32;

/// Bytes decoded from one `\objdata`, at most.
pub const MAX_OBJECT_BYTES: usize = 32 << 20;
/// Bytes decoded from all of a file's objects, at most.
pub const MAX_TOTAL_OBJECT_BYTES: usize = 64 << 20;
/// Objects kept per file, at most.
pub const MAX_OBJECTS: usize = 100;
/// Group states kept; deeper nesting is counted but shares the deepest state.
const MAX_STACK: usize = 4096;
/// Nesting deeper than this is reported: Word's own documents stay far below.
pub const SUSPICIOUS_DEPTH: usize = 200;
/// A control word longer than this is not one any RTF writer emits.
const MAX_CONTROL_WORD: usize = 40;
/// Characters of a class name or field instruction kept.
const MAX_TEXT: usize = 300;

/// One embedded object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RtfObject {
    /// `\objclass` text.
    pub objclass: Option<String>,
    /// Class name in the OLE1 header of the data.
    pub ole1_class: Option<String>,
    /// `\objupdate`: the object is refreshed (so loaded) when the document opens.
    pub autoupdate: bool,
    /// The decoded `\objdata`.
    pub data: Vec<u8>,
}

impl RtfObject {
    /// The best name of its class.
    pub fn class(&self) -> Option<&str> {
        self.ole1_class
            .as_deref()
            .or(self.objclass.as_deref())
            .filter(|c| !c.is_empty())
    }

    /// The object's native data: after the OLE1 header, or the data itself when it is an OLE2
    /// file with no header.
    pub fn native(&self) -> &[u8] {
        if ole::is_ole(&self.data) {
            return &self.data;
        }
        ole1(&self.data).map(|(_, n)| n).unwrap_or_default()
    }

    /// A Package object's file.
    pub fn package(&self) -> Option<ole::Package> {
        let class = self.class()?;
        class
            .eq_ignore_ascii_case("package")
            .then(|| ole::parse_package(self.native()))
            .flatten()
    }
}

/// What a pass over an RTF file found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rtf {
    pub objects: Vec<RtfObject>,
    /// Letters and digits of visible text.
    pub text_chars: usize,
    pub max_depth: usize,
    /// Control words found inside `\objdata` (Word skips them; writers never put them there).
    pub objdata_control_words: usize,
    /// Characters inside `\objdata` that are neither hex digits nor white space.
    pub objdata_junk: usize,
    /// `\bin` inside `\objdata`.
    pub objdata_bin: usize,
    /// Control words longer than any real one.
    pub long_control_words: usize,
    /// `\objdata` outside any `\object` group.
    pub orphan_objdata: usize,
    /// Object data cut at the size limits.
    pub truncated: bool,
    /// DDE field instructions (`\fldinst DDEAUTO …`).
    pub dde: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Dest {
    Text,
    /// A destination whose content is not document text (font table, pictures, metadata, ...).
    Skip,
    ObjData(usize),
    ObjClass(usize),
    FieldInstruction(usize),
}

#[derive(Debug, Clone, Copy)]
struct Group {
    dest: Dest,
    object: Option<usize>,
    /// `\*` was seen: the next control word names an ignorable destination.
    star: bool,
}

/// Destinations with no document text.
const NON_TEXT: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "xmlnstbl",
    "result",
    "objalias",
    "objsect",
    "objname",
    "fldrslt",
    "filetbl",
    "revtbl",
    "pgdsctbl",
    "mmathpr",
    "defchp",
    "defpap",
    "userprops",
    "docvar",
    "bkmkstart",
    "bkmkend",
    "falt",
    "panose",
];

/// Parses an RTF file in one pass.
pub fn parse(data: &[u8]) -> Rtf {
    let mut r = Rtf::default();
    let mut stack: Vec<Group> = Vec::new();
    let mut depth = 0usize;
    let mut total = 0usize;
    let mut nibble: Option<u8> = None;
    let mut fields: Vec<String> = Vec::new();
    let top = |stack: &Vec<Group>| {
        stack.last().copied().unwrap_or(Group {
            dest: Dest::Text,
            object: None,
            star: false,
        })
    };
    let mut i = 0usize;
    while i < data.len() {
        let b = data.get(i).copied().unwrap_or(0);
        match b {
            b'{' => {
                depth += 1;
                r.max_depth = r.max_depth.max(depth);
                let parent = top(&stack);
                let dest = match parent.dest {
                    Dest::ObjClass(_) => Dest::Skip,
                    d => d,
                };
                if stack.len() < MAX_STACK {
                    stack.push(Group {
                        dest,
                        object: parent.object,
                        star: false,
                    });
                }
                i += 1;
            }
            b'}' => {
                if depth > 0 && depth <= stack.len() {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'\\' => {
                i += 1;
                let Some(&c) = data.get(i) else {
                    break;
                };
                if !c.is_ascii_alphabetic() {
                    // Control symbols.
                    i += 1;
                    let g = top(&stack);
                    match c {
                        b'*' => {
                            if let Some(g) = stack.last_mut() {
                                g.star = true;
                            }
                        }
                        b'\'' => {
                            if g.dest == Dest::Text {
                                r.text_chars += 1;
                            }
                            i += 2;
                        }
                        _ => {}
                    }
                    continue;
                }
                let start = i;
                while data.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
                let word_len = i - start;
                let word = String::from_utf8_lossy(
                    data.get(start..start + word_len.min(MAX_CONTROL_WORD + 1))
                        .unwrap_or_default(),
                )
                .to_ascii_lowercase();
                if word_len > MAX_CONTROL_WORD {
                    r.long_control_words += 1;
                }
                let num_start = i;
                if data.get(i) == Some(&b'-') {
                    i += 1;
                }
                while data.get(i).is_some_and(u8::is_ascii_digit) && i - num_start < 12 {
                    i += 1;
                }
                let param: Option<i64> =
                    std::str::from_utf8(data.get(num_start..i).unwrap_or_default())
                        .ok()
                        .and_then(|s| s.parse().ok());
                if data.get(i) == Some(&b' ') {
                    i += 1;
                }
                let g = top(&stack);
                if word == "bin" {
                    let n = param.unwrap_or(0).max(0) as usize;
                    let end = i.saturating_add(n).min(data.len());
                    if let Dest::ObjData(o) = g.dest {
                        r.objdata_bin += 1;
                        if let Some(obj) = r.objects.get_mut(o) {
                            let room = MAX_OBJECT_BYTES
                                .saturating_sub(obj.data.len())
                                .min(MAX_TOTAL_OBJECT_BYTES.saturating_sub(total));
                            let take = (end - i).min(room);
                            obj.data
                                .extend_from_slice(data.get(i..i + take).unwrap_or_default());
                            total += take;
                            r.truncated |= take < end - i;
                        }
                    }
                    i = end;
                    continue;
                }
                let set_dest = |stack: &mut Vec<Group>, dest: Dest| {
                    if let Some(g) = stack.last_mut() {
                        g.dest = dest;
                    }
                };
                match word.as_str() {
                    "object" => {
                        if r.objects.len() < MAX_OBJECTS {
                            r.objects.push(RtfObject::default());
                            let idx = r.objects.len() - 1;
                            if let Some(g) = stack.last_mut() {
                                g.object = Some(idx);
                                g.dest = Dest::Skip;
                            }
                        }
                    }
                    "objdata" => {
                        let obj = g.object.or_else(|| {
                            r.orphan_objdata += 1;
                            (r.objects.len() < MAX_OBJECTS).then(|| {
                                r.objects.push(RtfObject::default());
                                r.objects.len() - 1
                            })
                        });
                        if let Some(o) = obj {
                            set_dest(&mut stack, Dest::ObjData(o));
                            nibble = None;
                        }
                    }
                    "objclass" => {
                        if let Some(o) = g.object {
                            set_dest(&mut stack, Dest::ObjClass(o));
                        }
                    }
                    "objupdate" => {
                        if let Some(obj) = g.object.and_then(|o| r.objects.get_mut(o)) {
                            obj.autoupdate = true;
                        }
                    }
                    "fldinst" if fields.len() < 100 => {
                        fields.push(String::new());
                        set_dest(&mut stack, Dest::FieldInstruction(fields.len() - 1));
                    }
                    _ => match g.dest {
                        Dest::ObjData(_) => r.objdata_control_words += 1,
                        Dest::Text if g.star || NON_TEXT.contains(&word.as_str()) => {
                            set_dest(&mut stack, Dest::Skip)
                        }
                        Dest::Text if word == "u" => r.text_chars += 1,
                        _ => {}
                    },
                }
                if let Some(g) = stack.last_mut() {
                    g.star = false;
                }
            }
            _ => {
                let g = top(&stack);
                match g.dest {
                    Dest::Text => {
                        if b.is_ascii_alphanumeric() || b >= 0x80 {
                            r.text_chars += 1;
                        }
                    }
                    Dest::ObjData(o) => {
                        if let Some(v) = hex_value(b) {
                            match nibble.take() {
                                Some(high) => {
                                    if let Some(obj) = r.objects.get_mut(o) {
                                        if obj.data.len() < MAX_OBJECT_BYTES
                                            && total < MAX_TOTAL_OBJECT_BYTES
                                        {
                                            obj.data.push(high << 4 | v);
                                            total += 1;
                                        } else {
                                            r.truncated = true;
                                        }
                                    }
                                }
                                None => nibble = Some(v),
                            }
                        } else if !b.is_ascii_whitespace() && b != 0 {
                            r.objdata_junk += 1;
                        }
                    }
                    Dest::ObjClass(o) => {
                        if let Some(obj) = r.objects.get_mut(o) {
                            let class = obj.objclass.get_or_insert_with(String::new);
                            if class.len() < MAX_TEXT && (b.is_ascii_graphic() || b == b' ') {
                                class.push(b as char);
                            }
                        }
                    }
                    Dest::FieldInstruction(f) => {
                        if let Some(text) = fields.get_mut(f)
                            && text.len() < MAX_TEXT
                            && (b.is_ascii_graphic() || b == b' ')
                        {
                            text.push(b as char);
                        }
                    }
                    Dest::Skip => {}
                }
                i += 1;
            }
        }
    }
    for obj in &mut r.objects {
        if let Some(c) = obj.objclass.as_mut() {
            *c = c.trim().trim_end_matches(';').trim().to_string();
        }
        obj.ole1_class = ole1(&obj.data).and_then(|(c, _)| c);
    }
    r.dde = fields
        .into_iter()
        .map(|f| f.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|f| {
            let first = f.split(' ').next().unwrap_or_default().to_ascii_uppercase();
            first == "DDE" || first == "DDEAUTO"
        })
        .collect();
    r
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// An OLE1 object header (MS-OLEDS 2.2.4 ObjectHeader, embedded or linked): its class name and,
/// for an embedded object, the native data.
pub fn ole1(d: &[u8]) -> Option<(Option<String>, &[u8])> {
    let _version = le32(d, 0)?;
    let format = le32(d, 4)?;
    if format != 1 && format != 2 {
        return None;
    }
    let mut pos = 8usize;
    let class = lpas(d, &mut pos)?;
    let _topic = lpas(d, &mut pos)?;
    let _item = lpas(d, &mut pos)?;
    if format == 1 {
        return Some((class, &[]));
    }
    let size = le32(d, pos)? as usize;
    let start = pos + 4;
    let end = start.saturating_add(size).min(d.len());
    Some((class, d.get(start..end).unwrap_or_default()))
}

fn lpas(d: &[u8], pos: &mut usize) -> Option<Option<String>> {
    let len = le32(d, *pos)? as usize;
    *pos += 4;
    if len > 4096 {
        return None;
    }
    let bytes = d.get(*pos..pos.checked_add(len)?)?;
    *pos += len;
    let text: String = String::from_utf8_lossy(bytes)
        .trim_end_matches('\0')
        .trim()
        .to_string();
    Some((!text.is_empty()).then_some(text))
}

/// Whether `data` is RTF: Word opens anything that starts `{\rt` as RTF.
pub fn is_rtf(data: &[u8]) -> bool {
    data.starts_with(b"{\\rt")
}

/// What is odd about how the file is written, for a reason; empty for an ordinary RTF.
pub fn anomalies(data: &[u8], r: &Rtf) -> Vec<String> {
    let mut out = Vec::new();
    if !data.starts_with(b"{\\rtf1") {
        let head: String = data
            .iter()
            .take(8)
            .map(|&b| if b.is_ascii_graphic() { b as char } else { '.' })
            .collect();
        out.push(format!("the header is `{head}`, not `{{\\rtf1`"));
    }
    if r.objdata_control_words > 0 {
        out.push(format!(
            "{} control word(s) hidden inside the object data",
            r.objdata_control_words
        ));
    }
    if r.objdata_junk > 0 {
        out.push(format!(
            "{} non-hex character(s) inside the object data",
            r.objdata_junk
        ));
    }
    if r.objdata_bin > 0 {
        out.push("raw `\\bin` data inside the object data".into());
    }
    if r.orphan_objdata > 0 {
        out.push("object data outside any `\\object`".into());
    }
    if r.max_depth > SUSPICIOUS_DEPTH {
        out.push(format!("groups nested {} deep", r.max_depth));
    }
    if r.long_control_words > 0 {
        out.push(format!(
            "{} control word(s) over {MAX_CONTROL_WORD} letters",
            r.long_control_words
        ));
    }
    if !r.objects.is_empty() && r.text_chars < 20 {
        out.push("no visible text, only embedded object(s)".into());
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `data` as RTF hex.
    pub(crate) fn hex(data: &[u8]) -> String {
        data.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// OLE1 embedded-object data of class `class` around `native`.
    pub(crate) fn ole1_object(class: &str, native: &[u8]) -> Vec<u8> {
        let mut d = 0x0501u32.to_le_bytes().to_vec();
        d.extend_from_slice(&2u32.to_le_bytes());
        d.extend_from_slice(&(class.len() as u32 + 1).to_le_bytes());
        d.extend_from_slice(class.as_bytes());
        d.push(0);
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&(native.len() as u32).to_le_bytes());
        d.extend_from_slice(native);
        d
    }

    /// An RTF with some text and one object of `class`, its data given as hex text.
    pub(crate) fn rtf_with_object(class: &str, objdata_hex: &str, update: bool) -> String {
        format!(
            "{{\\rtf1\\ansi\\deff0{{\\fonttbl{{\\f0 Times;}}}}\\pard Please see the figures below for \
             the quarter.\\par{{\\object\\objemb{}{{\\*\\objclass {class}}}\\objw100\\objh100\
             {{\\*\\objdata {objdata_hex}}}}}\\par}}",
            if update { "\\objupdate" } else { "" }
        )
    }

    #[test]
    fn object_class_data_and_text() {
        let native = b"\xD0\xCF\x11\xE0 fake ole";
        let rtf = rtf_with_object("Equation.3", &hex(&ole1_object("Equation.3", native)), true);
        let r = parse(rtf.as_bytes());
        assert_eq!(r.objects.len(), 1);
        let o = &r.objects[0];
        assert_eq!(o.objclass.as_deref(), Some("Equation.3"));
        assert_eq!(o.ole1_class.as_deref(), Some("Equation.3"));
        assert!(o.autoupdate);
        assert_eq!(o.native(), native);
        assert!(r.text_chars > 20, "{}", r.text_chars);
        assert!(
            anomalies(rtf.as_bytes(), &r).is_empty(),
            "{:?}",
            anomalies(rtf.as_bytes(), &r)
        );
    }

    #[test]
    fn package_objects_give_their_file() {
        let native = {
            let s = ole::tests::ole10native("run.exe", b"MZ\x90\0");
            s[4..].to_vec()
        };
        let rtf = rtf_with_object("Package", &hex(&ole1_object("Package", &native)), false);
        let r = parse(rtf.as_bytes());
        let p = r.objects[0].package().unwrap();
        assert_eq!(p.file_name(), "run.exe");
        assert_eq!(p.data, b"MZ\x90\0");
    }

    #[test]
    fn obfuscated_objdata_is_decoded_and_reported() {
        let data = ole1_object("Equation.3", b"\xD0\xCF\x11\xE0");
        let mut h = String::new();
        for (n, pair) in hex(&data).as_bytes().chunks(2).enumerate() {
            h.push_str(std::str::from_utf8(pair).unwrap());
            if n % 5 == 0 {
                h.push_str("\\datastore12 \r\n ");
            }
        }
        let rtf = format!("{{\\rt{{\\object\\objupdate{{\\*\\objdata {h}}}}}}}");
        let r = parse(rtf.as_bytes());
        assert_eq!(r.objects[0].data, data);
        assert_eq!(r.objects[0].ole1_class.as_deref(), Some("Equation.3"));
        let a = anomalies(rtf.as_bytes(), &r);
        assert!(a.iter().any(|x| x.contains("header")), "{a:?}");
        assert!(a.iter().any(|x| x.contains("control word")), "{a:?}");
        assert!(a.iter().any(|x| x.contains("no visible text")), "{a:?}");
    }

    #[test]
    fn dde_fields_and_deep_nesting() {
        let rtf = "{\\rtf1 text here and more text{\\field{\\*\\fldinst {DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"}}{\\fldrslt x}}}";
        let r = parse(rtf.as_bytes());
        assert_eq!(r.dde.len(), 1, "{:?}", r.dde);
        assert!(r.dde[0].starts_with("DDEAUTO"));
        let deep = format!("{{\\rtf1 {}x{}}}", "{".repeat(50_000), "}".repeat(50_000));
        let r = parse(deep.as_bytes());
        assert_eq!(r.max_depth, 50_001);
        assert!(
            anomalies(deep.as_bytes(), &r)
                .iter()
                .any(|a| a.contains("nested"))
        );
    }

    #[test]
    fn plain_rtf_has_nothing() {
        let rtf = b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}{\\*\\generator Word;}\\f0 Dear customer, the meeting is on Monday.\\par}";
        let r = parse(rtf);
        assert!(r.objects.is_empty());
        assert!(r.dde.is_empty());
        assert!(anomalies(rtf, &r).is_empty());
    }

    #[test]
    fn damaged_input_does_not_panic() {
        for s in [
            "{\\",
            "\\bin99999999999",
            "{\\object{\\*\\objdata 0",
            "}}}}{\\'",
            "{\\objdata\\bin5 ab",
        ] {
            let _ = parse(s.as_bytes());
        }
    }
}
